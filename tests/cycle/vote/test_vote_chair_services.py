"""The services and rules the chair's vote screens call: cancelling a vote that has not opened,
reissuing every code when the file was lost, the reminder list, the true state in words, and
the results read by title (head-to-head table, cycle, explanation, PrefLib in words)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from cycle.vote.conftest import TEXTS, london
from lpgp import clock
from lpgp.cycle.vote import ballot, ballot_rules, recount, recount_rules, vote_rules
from lpgp.cycle.vote import vote as votes
from lpgp.errors import InvalidInput, NotFound, StateError
from lpgp.store.schema import AuditRow
from lpgp.store.schema_vote import VoteCandidateRow, VoteRow


def _audits(setup, action: str) -> int:
    with setup.store.read() as s:
        return s.scalar(select(func.count()).select_from(AuditRow).where(AuditRow.action == action))


def test_a_vote_that_has_not_opened_is_cancelled_and_the_log_keeps_it(setup) -> None:
    kept = setup.vote(title="Kept", open_it=False)
    gone = setup.vote(title="Spring vote", open_it=False)
    done = setup.store.write(lambda s: votes.cancel_vote(s, setup.place, gone.id, actor="chair"))
    assert done.title == "Spring vote"
    with setup.store.read() as s:
        assert [v.title for v in votes.list_votes(s, setup.place)] == ["Kept"]
        left = s.scalars(
            select(VoteCandidateRow.vote_id).where(VoteCandidateRow.vote_id == gone.id)
        )
        assert list(left) == []
        entry = s.execute(
            select(AuditRow.actor, AuditRow.detail).where(AuditRow.action == "vote.cancelled")
        ).one()
    assert entry.actor == "chair" and entry.detail["title"] == "Spring vote"
    assert kept.id != gone.id


def test_an_opened_vote_cannot_be_cancelled_and_nothing_changes(setup) -> None:
    opened = setup.vote(title="Running")
    setup.codes(opened)
    before = setup.snapshot()
    with pytest.raises(StateError, match="has been opened, so it cannot be cancelled"):
        setup.store.write(lambda s: votes.cancel_vote(s, setup.place, opened.id))
    assert setup.snapshot() == before
    setup.store.write(lambda s: votes.close_vote(s, setup.place, opened.id))
    with pytest.raises(StateError, match="cannot be cancelled"):
        setup.store.write(lambda s: votes.cancel_vote(s, setup.place, opened.id))
    with pytest.raises(NotFound):
        setup.store.write(lambda s: votes.cancel_vote(s, setup.place, 999))


def test_reissuing_every_code_stops_the_old_ones_and_keeps_the_ballots(setup) -> None:
    v = setup.vote(method="approval")
    old = setup.codes(v)
    setup.cast(old["Z10001"], ["A"])
    letters = setup.store.write(
        lambda s: ballot.reissue_all_codes(s, v, base_url="https://v.example", actor="chair")
    )
    assert sorted(x.ods_code for x in letters) == sorted(old)
    assert all(x.link == f"https://v.example/c/{x.code}" for x in letters)
    new = {x.ods_code: x.code for x in letters}
    with setup.store.read() as s:
        for code in old.values():
            with pytest.raises(NotFound, match="not recognised"):
                ballot.voter_for_code(s, code)
        assert ballot.voter_for_code(s, new["Z10002"]).ods_code == "Z10002"
        assert votes.voted_practices(s, v) == {ballot.voter_for_code(s, new["Z10001"]).practice_id}
        assert len(ballot.code_holders(s, v)) == 12
    assert _audits(setup, "code.reissued_all") == 1
    # A ballot cast with the new code replaces the practice's earlier one.
    assert setup.cast(new["Z10001"], ["B"]).replaced


def test_codes_cannot_be_reissued_once_the_vote_has_closed(setup) -> None:
    v = setup.vote()
    setup.codes(v)
    setup.store.write(lambda s: votes.close_vote(s, setup.place, v))
    before = setup.snapshot()
    with pytest.raises(StateError, match="no more codes"):
        setup.store.write(lambda s: ballot.reissue_all_codes(s, v))
    assert setup.snapshot() == before


def test_the_reminder_list_names_who_has_not_voted_with_their_email(mem_setup) -> None:
    v = mem_setup.vote()
    issued = mem_setup.codes(v)
    mem_setup.cast(issued["Z10003"], ["A"])
    with mem_setup.store.read() as s:
        waiting = ballot.not_yet_voted(s, v)
        emails = ballot.practice_emails(s, [e.practice_id for e in waiting])
    text = ballot_rules.reminder_csv(waiting, emails, "Fri 12 Mar 2027, 17:00")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 11 and "Z10003" not in {r["ODS code"] for r in rows}
    assert rows[0] == {
        "ODS code": "Z10001",
        "Practice": "Practice 1",
        "PCN": "North PCN",
        "Email": "pm1@example.nhs.uk",
        "Closes": "Fri 12 Mar 2027, 17:00",
    }


def test_the_state_in_words_follows_the_database_clock(mem_setup) -> None:
    ahead = mem_setup.vote(opens=timedelta(hours=2), closes=timedelta(hours=5))
    with mem_setup.store.read() as s:
        stored = s.get(VoteRow, ahead.id).status
        assert stored == "open"  # opened by the chair ahead of its time...
        assert vote_rules.state_label(ahead, votes.state(s, ahead)) == "Opens later"
        with clock.frozen(clock.now() + timedelta(hours=3)):  # ...and open once it comes
            assert vote_rules.state_label(ahead, votes.state(s, ahead)) == "Open"
        with clock.frozen(clock.now() + timedelta(hours=6)):
            assert vote_rules.state_label(ahead, votes.state(s, ahead)) == "Closed"
    waiting = mem_setup.vote(open_it=False, opens=timedelta(hours=-1))
    with mem_setup.store.read() as s:
        assert vote_rules.state_label(waiting, votes.state(s, waiting)) == "Not opened yet"


def test_a_time_the_clocks_skip_names_its_field() -> None:
    with pytest.raises(InvalidInput, match="^closes: 28 Mar 2027 01:30 does not exist in London"):
        vote_rules.parse_london("2027-03-28 01:30", "closes")


def test_every_method_has_a_plain_explanation() -> None:
    assert set(vote_rules.METHOD_PLAIN) == {"approval", "points", "borda", "schulze", "irv"}
    assert "head to head" in vote_rules.method_plain("schulze")
    with pytest.raises(InvalidInput, match="method"):
        vote_rules.method_plain("coin-toss")


CYCLE = {  # A beats B, B beats C, C beats A: a cycle of head-to-head wins
    "Z10001": ["A", "B", "C"],
    "Z10002": ["A", "B", "C"],
    "Z10003": ["B", "C", "A"],
    "Z10004": ["B", "C", "A"],
    "Z10005": ["C", "A", "B"],
}


def _closed_vote(setup, method: str, cast: dict, **kw):
    v = setup.vote(method=method, candidates=TEXTS[:3], seats=1, **kw)
    issued = setup.codes(v)
    for ods, choice in cast.items():
        setup.cast(issued[ods], choice)
    setup.store.write(lambda s: votes.close_vote(s, setup.place, v))
    with setup.store.read() as s:
        return recount.results(s, v)


@pytest.mark.parametrize("method", ["schulze", "borda", "irv"])
def test_ranked_results_carry_the_head_to_head_table_and_its_cycle(mem_setup, method) -> None:
    outcome = _closed_vote(mem_setup, method, CYCLE, title=f"Cycle {method}")
    table = outcome.head_to_head
    assert table.loc["A", "B"] == 3 and table.loc["B", "A"] == 2
    assert table.loc["B", "C"] == 4 and table.loc["C", "A"] == 3
    assert recount_rules.majority_cycle(table) == ("A", "B", "C")
    titles = {c.key: c.title for c in outcome.candidates}
    text = recount_rules.with_titles(outcome.result.explanation, titles)
    assert "“Same-day access hub”" in text and "'A'" not in text and "'B'" not in text


def test_approval_results_have_no_head_to_head_and_no_cycle(mem_setup) -> None:
    outcome = _closed_vote(mem_setup, "approval", {"Z10001": ["A"], "Z10002": ["A", "B"]})
    assert outcome.head_to_head is None
    assert outcome.by_pcn[0].note.startswith("withheld: fewer than 3 practices in this PCN")


def test_preflib_refusal_says_why_in_words(mem_setup) -> None:
    ranked = mem_setup.vote(method="schulze", title="Ranked", open_it=False)
    weighted = mem_setup.vote(
        method="schulze", weighting="list_size", title="Weighted", open_it=False
    )
    points = mem_setup.vote(method="points", budget=10, title="Points", open_it=False)
    assert recount_rules.preflib_refusal(ranked) is None
    assert "cannot hold the weights" in recount_rules.preflib_refusal(weighted)
    assert "no format for points" in recount_rules.preflib_refusal(points)
    assert recount_rules.score_label("borda") == "Borda points"


@pytest.mark.slow  # a vote's codes through the CLI
def test_the_command_line_cancels_and_reissues_every_code(cli, tmp_path) -> None:
    assert cli("init", "--place", "Testford")[0] == 0
    practices = tmp_path / "practices.csv"
    practices.write_text(
        "ODS code,Practice name,PCN,List size\n"
        + "".join(f"Z{10001 + i},Practice {i},North,{3000 + i * 500}\n" for i in range(4))
    )
    candidates = tmp_path / "candidates.csv"
    candidates.write_text("Title,Description,Ask\nHub,One hub,Fund it\nPlan,A plan,A bid\n")
    assert cli("practices", "import", str(practices))[0] == 0
    for title in ("First", "Second"):
        code, out, err = cli(
            "vote", "create", "--title", title, "--method", "approval", "--seats", "1",
            "--opens", london(timedelta(hours=-1)), "--closes", london(timedelta(hours=3)),
            "--candidates", str(candidates),
        )  # fmt: skip
        assert code == 0, err
    code, out, err = cli("vote", "cancel", "Second")
    assert code == 0 and "Cancelled vote 2 'Second'" in out, err
    assert cli("vote", "open", "1")[0] == 0
    code, out, err = cli("vote", "cancel", "1")
    assert code == 1 and "cannot be cancelled" in err
    first = tmp_path / "first.csv"
    assert cli("vote", "codes", "1", "--out", str(first))[0] == 0
    code, out, err = cli("vote", "codes", "1", "--reissue-all", "--revoke", "Z10001")
    assert code == 1 and "--reissue-all goes alone" in err
    again = tmp_path / "again.csv"
    code, out, err = cli("vote", "codes", "1", "--reissue-all", "--out", str(again))
    assert code == 0, err
    old = [r["Ballot code"] for r in csv.DictReader(io.StringIO(first.read_text()))]
    new = [r["Ballot code"] for r in csv.DictReader(io.StringIO(again.read_text()))]
    assert len(new) == 4 and not set(old) & set(new)
    code, out, err = cli("vote", "cast", old[0], "A")
    assert code == 1 and "not recognised" in err
    code, out, err = cli("vote", "cast", new[0], "A")
    assert code == 0 and "Receipt" in out, err
