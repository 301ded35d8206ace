"""Codes, casting, changing, receipts, refusals: the practice's side of the vote."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import pytest
from sqlalchemy import select

from cycle.vote.conftest import TEXTS
from lpgp import audit, clock, codes, config
from lpgp.cycle.vote import ballot, ballot_rules
from lpgp.cycle.vote import vote as votes
from lpgp.errors import InvalidInput, NotFound, StateError
from lpgp.store.schema_vote import VoteBallotRow, VoteCodeRow


def test_codes_are_long_and_only_their_digests_are_stored(setup) -> None:
    v = setup.vote()
    issued = setup.codes(v)
    assert len(issued) == 12
    for code in issued.values():
        assert len(codes.normalise(code)) * 4.9 >= 128  # log2(30) > 4.9 bits a character
    dump = repr(setup.snapshot())
    for code in issued.values():
        assert code not in dump and codes.normalise(code) not in dump
    with setup.store.read() as s:
        digests = set(s.scalars(select(VoteCodeRow.digest)))
    # As documented (lpgp.codes.digest): HMAC-SHA-256 under the server key of
    # "ballot:" and the code in capitals without its dashes, in hex.
    key = config.server_key_file().read_bytes().strip()
    expected = {
        hmac.new(key, b"ballot:" + c.replace("-", "").upper().encode(), hashlib.sha256).hexdigest()
        for c in issued.values()
    }
    assert expected == digests


def test_codes_are_issued_once_and_the_mail_merge_streams(mem_setup) -> None:
    v = mem_setup.vote()
    first = mem_setup.store.write(lambda s: ballot.issue_codes(s, v, base_url="https://v.example/"))
    assert first[0].link == f"https://v.example/c/{first[0].code}"
    assert first[0].email == "pm1@example.nhs.uk"
    assert mem_setup.store.write(lambda s: ballot.issue_codes(s, v)) == []
    lines = list(ballot_rules.mail_merge(first))
    assert lines[0].startswith("ODS code,Practice,Email,Ballot code,Link")
    assert len(lines) == 13


def test_a_practice_casts_changes_and_the_last_ballot_counts(setup) -> None:
    v = setup.vote()
    code = setup.codes(v)["Z10001"]
    first = setup.cast(code, ["A", "C"])
    second = setup.cast(code, ["B"])
    assert not first.replaced and second.replaced
    # Each cast has its own receipt: the latest is the one that counts and is published.
    assert first.receipt != second.receipt
    assert "Receipt" in str(second)
    with setup.store.read() as s:
        form = ballot.ballot_form(s, ballot.voter_for_code(s, code))
    assert form.current == ["B"] and form.receipt == second.receipt
    setup.store.write(lambda s: votes.close_vote(s, setup.place, v))
    with setup.store.read() as s:
        rows = votes.counted_ballots(s, v)
    assert [(r.receipt, r.content["ballot"]) for r in rows] == [(second.receipt, ["B"])]


def test_cast_reissue_cast_counts_one_ballot(setup) -> None:
    v = setup.vote()
    old = setup.codes(v)["Z10002"]
    setup.cast(old, ["A"])
    new = setup.store.write(lambda s: ballot.reissue_code(s, v, "Z10002")).code
    setup.cast(new, ["D", "E"])
    with pytest.raises(NotFound):
        setup.cast(old, ["B"])
    with setup.store.read() as s:
        rows = votes.counted_ballots(s, v)
        assert votes.turnout(s, v).voted == 1
    assert [r.content["ballot"] for r in rows] == [["D", "E"]]


def test_bad_codes_are_refused_alike(setup) -> None:
    v = setup.vote()
    other = setup.vote(title="Another vote")
    mine = setup.codes(v)
    theirs = setup.codes(other)
    revoked = mine["Z10003"]
    setup.store.write(lambda s: ballot.revoke_code(s, v, "Z10003"))
    never = codes.new_code()
    wrong = mine["Z10004"][:-1] + ("2" if mine["Z10004"][-1] != "2" else "3")
    messages = set()
    for bad, kw in [
        (never, {}),
        (wrong, {}),
        (revoked, {}),
        (theirs["Z10004"], {"vote_id": v.id}),
        ("", {}),
        ("not a code at all!", {}),
    ]:
        with pytest.raises(NotFound) as caught:
            setup.cast(bad, ["A"], **kw)
        messages.add(str(caught.value))
        with pytest.raises(NotFound) as caught, setup.store.read() as s:
            ballot.voter_for_code(s, bad, **kw)
        messages.add(str(caught.value))
    assert messages == {ballot.BAD_CODE}


@pytest.mark.parametrize(
    "method, choice, words",
    [
        ("approval", ["A", "Z"], "Z"),
        ("schulze", ["A", "B", "A"], "A"),
        ("points", {"A": 8, "B": 5}, "budget"),
    ],
)
def test_bad_ballots_are_refused_with_the_reason_and_change_nothing(
    setup, method, choice, words
) -> None:
    kw = {"budget": 10} if method == "points" else {}
    v = setup.vote(method=method, **kw)
    code = setup.codes(v)["Z10005"]
    before = setup.snapshot()
    with pytest.raises(InvalidInput, match=words):
        setup.cast(code, choice)
    assert setup.snapshot() == before


def test_casting_is_refused_before_opening_and_after_closing(setup) -> None:
    early = setup.vote(title="Later", opens=timedelta(hours=3), closes=timedelta(hours=5))
    code = setup.codes(early)["Z10001"]
    with pytest.raises(StateError, match="not open yet: it opens at"):
        setup.cast(code, ["A"])
    unopened = setup.vote(title="Unopened", open_it=False)
    with pytest.raises(StateError, match="has not been opened yet"):
        setup.codes(unopened)
    soon = setup.vote(title="Soon", closes=timedelta(hours=1))
    code = setup.codes(soon)["Z10001"]
    setup.cast(code, ["A"])
    before = setup.snapshot()
    with clock.frozen(soon.closes_at), pytest.raises(StateError, match="This vote closed at"):
        setup.cast(code, ["B"])
    assert setup.snapshot() == before


def test_after_a_manual_close_nothing_changes(setup) -> None:
    v = setup.vote()
    issued = setup.codes(v)
    setup.cast(issued["Z10001"], ["A"])
    setup.store.write(lambda s: votes.close_vote(s, setup.place, v))
    before = setup.snapshot()
    with pytest.raises(StateError, match="This vote closed at"):
        setup.cast(issued["Z10001"], ["B"])
    with pytest.raises(StateError, match="closed"):
        setup.store.write(lambda s: ballot.reissue_code(s, v, "Z10001"))
    with pytest.raises(StateError):
        setup.store.write(lambda s: ballot.void_ballot(s, setup.place, v, "Z10001", reason="x"))
    assert setup.snapshot() == before


def test_each_practice_sees_its_own_rotation_of_the_candidates(mem_setup) -> None:
    v = mem_setup.vote()
    issued = mem_setup.codes(v)
    firsts = []
    with mem_setup.store.read() as s:
        for code in issued.values():
            form = ballot.ballot_form(s, ballot.voter_for_code(s, code))
            assert sorted(c.key for c in form.candidates) == ["A", "B", "C", "D", "E"]
            assert form.candidates[0].ask and form.candidates[0].description
            firsts.append(form.candidates[0].key)
            assert form.state == "open" and "open until" in form.message
    counts = {k: firsts.count(k) for k in "ABCDE"}
    assert max(counts.values()) - min(counts.values()) <= 1


def test_voiding_removes_the_ballot_and_the_practice_may_vote_again(mem_setup) -> None:
    v = mem_setup.vote()
    code = mem_setup.codes(v)["Z10006"]
    mem_setup.cast(code, ["A"])
    mem_setup.store.write(
        lambda s: ballot.void_ballot(s, mem_setup.place, v, "Z10006", reason="cast by mistake")
    )
    with mem_setup.store.read() as s:
        assert votes.turnout(s, v).voted == 0
        assert ballot.not_yet_voted(s, v)[5].ods_code == "Z10006"
    mem_setup.cast(code, ["C"])
    with mem_setup.store.read() as s:
        assert len(votes.counted_ballots(s, v)) == 1


def test_every_change_is_audited_and_secret_content_never_is(mem_setup) -> None:
    secret = mem_setup.vote(title="Secret")
    named = mem_setup.vote(title="Named", secret=False)
    s_code = mem_setup.codes(secret)["Z10007"]
    n_code = mem_setup.codes(named)["Z10007"]
    mem_setup.cast(s_code, ["A", "E"])
    mem_setup.cast(s_code, ["D"])
    mem_setup.cast(n_code, ["B", "C"])
    with mem_setup.store.read() as s:
        actions = [(e.action, e.detail) for e in audit.entries(s, mem_setup.place.id)]
    casts = [(a, d) for a, d in actions if a.startswith("ballot")]
    assert [a for a, _ in casts] == ["ballot.cast", "ballot.replaced", "ballot.cast"]
    assert "ballot" not in casts[0][1] and "ballot" not in casts[1][1]
    assert casts[2][1]["ballot"] == ["B", "C"]
    assert {"code.issued"} <= {a for a, _ in actions}


def test_turnout_counts_practices_pcns_and_patients(mem_setup) -> None:
    v = mem_setup.vote()
    issued = mem_setup.codes(v)
    for ods in ("Z10001", "Z10002", "Z10005"):
        mem_setup.cast(issued[ods], ["A"])
    with mem_setup.store.read() as s:
        t = votes.turnout(s, v)
        waiting = ballot.not_yet_voted(s, v)
    assert (t.voted, t.eligible) == (3, 12)
    north = next(p for p in t.by_pcn if p.pcn == "North PCN")
    assert (north.voted, north.eligible) == (2, 3)  # Z10001 and Z10005
    sizes = {f"Z{10001 + i}": 2000 + 731 * i for i in range(12)}
    assert t.patients_voted == sizes["Z10001"] + sizes["Z10002"] + sizes["Z10005"]
    assert t.patients_eligible == sum(sizes.values())
    assert len(waiting) == 9 and "Z10001" not in {e.ods_code for e in waiting}


def test_reminders_can_reissue_codes_for_those_who_have_not_voted(mem_setup) -> None:
    v = mem_setup.vote()
    issued = mem_setup.codes(v)
    mem_setup.cast(issued["Z10001"], ["A"])
    letters = mem_setup.store.write(lambda s: ballot.reminders(s, v, reissue=True))
    assert len(letters) == 11 and all(x.code for x in letters)
    with pytest.raises(NotFound):
        mem_setup.cast(issued["Z10002"], ["A"])
    mem_setup.cast(letters[0].code, ["B"])


def test_candidate_texts_are_copied_into_the_vote(mem_setup) -> None:
    v = mem_setup.vote()
    with mem_setup.store.read() as s:
        assert votes.candidates(s, v) == TEXTS
        assert s.scalar(select(VoteBallotRow)) is None
