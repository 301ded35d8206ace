"""The analyst's frames: the same columns and dtypes empty as full, and what the demo holds.

Known answers come from the demo's own inputs (its practice file, its table of actions, the
story in lpgp/demo/delivery.py), not from the functions under test.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import datetime

import pandas as pd
import pytest

import lpgp
from lpgp import config
from lpgp.cycle.agendas.meeting import add_meeting
from lpgp.cycle.agendas.meeting_rules import Board, MeetingInput
from lpgp.cycle.board.place import get_place
from lpgp.cycle.vote import vote as votes
from lpgp.cycle.vote import vote_rules
from lpgp.demo.delivery import ACTIONS, ADDED, HOSPITAL, HUB, SUPERVISION
from lpgp.demo.vote import LAST_YEAR_CYCLE, LAST_YEAR_VOTE
from lpgp.store import Store

THIS_YEAR_VOTE = "2027/28 practice vote"
TODAY = pd.Timestamp("2027-05-04")  # the demo's today (tests/analyst/conftest.py)
PAST_MEETING = "Haverbrook place partnership board"

# Every frame that needs nothing but the place: name -> how to call it.
PLACE_FRAMES = [
    "places",
    "practices",
    "people",
    "board",
    "cycles",
    "candidates",
    "scores",
    "score_summary",
    "criteria",
    "interests",
    "votes",
    "priorities",
    "actions",
    "action_updates",
    "asks",
    "ask_events",
    "meetings",
    "decisions",
    "list_sizes",
]
DAY, INSTANT = "datetime64[ns]", "datetime64[ns, UTC]"


def _demo_practices() -> list[dict[str, str]]:
    with open(config.DEMO_DIR / "practices.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _schema(df: pd.DataFrame) -> list[tuple[str, str]]:
    return [(c, str(t)) for c, t in df.dtypes.items()]


@pytest.fixture
def empty_vote(fresh: Store) -> int:
    """A vote of the empty place, scheduled for June: no electorate, no ballots."""

    def work(session):
        where = get_place(session)
        texts = [vote_rules.CandidateText("A", "Hub"), vote_rules.CandidateText("B", "Rooms")]
        v = votes.create_vote(
            session, where, title="Spring vote", method="approval", seats=1,
            opens="2027-06-01 09:00", closes="2027-06-08 17:00", candidates=texts,
            secret=False, actor="test",
        )  # fmt: skip
        return v.id

    return fresh.write(work)


@pytest.mark.parametrize("name", PLACE_FRAMES)
def test_a_frame_has_the_same_columns_and_dtypes_empty_as_full(
    name: str, fresh: Store, demo: str
) -> None:
    empty = getattr(lpgp, name)(store=fresh)
    full = getattr(lpgp, name)()
    assert len(full) > 0
    if name not in ("places", "cycles", "criteria"):  # these the empty place has too
        assert empty.empty
    assert _schema(empty) == _schema(full)


def test_vote_frames_have_the_same_dtypes_before_any_ballot(
    fresh: Store, empty_vote: int, demo: str
) -> None:
    for name in ("turnout", "practice_turnout"):
        empty = getattr(lpgp, name)(empty_vote, store=fresh)
        assert empty.empty
        assert _schema(empty) == _schema(getattr(lpgp, name)(THIS_YEAR_VOTE))
    fresh.write(lambda s: votes.close_vote(s, get_place(s), empty_vote, actor="test"))
    for name, full_vote in (("published_ballots", LAST_YEAR_VOTE), ("ballots", None)):
        empty = getattr(lpgp, name)(empty_vote, store=fresh)
        assert empty.empty
        if full_vote:
            assert _schema(empty) == _schema(getattr(lpgp, name)(full_vote))


def test_an_empty_agenda_has_the_same_dtypes(fresh: Store, demo: str) -> None:
    item = MeetingInput(Board.LEADERSHIP, "Board", datetime(2027, 6, 1, 14), 60)
    meeting = fresh.write(lambda s: add_meeting(s, get_place(s), item, actor="test"))
    empty = lpgp.agenda(meeting.id, store=fresh)
    assert empty.empty and empty.attrs["warning"] is None
    assert _schema(empty) == _schema(lpgp.agenda(PAST_MEETING))


def test_the_dtypes_follow_one_rule_per_kind_of_value(demo: str) -> None:
    practices = lpgp.practices()
    assert str(practices.list_size.dtype) == "Int64"
    assert str(practices.list_size_as_of.dtype) == DAY
    assert str(practices.name.dtype) == "string"
    assert str(practices.active.dtype) == "bool"
    actions = lpgp.actions()
    assert [str(actions[c].dtype) for c in ("due", "last_update")] == [DAY, DAY]
    assert str(lpgp.scores().updated_at.dtype) == INSTANT
    assert str(lpgp.votes().closes_at.dtype) == INSTANT
    assert str(lpgp.agenda(PAST_MEETING).priority_id.dtype) == "Int64"
    assert str(lpgp.results(LAST_YEAR_VOTE).elected.dtype) == "Int64"
    assert str(lpgp.priorities().candidate_id.dtype) == "Int64"


@pytest.mark.parametrize(
    ("frame", "column", "categories"),
    [
        ("actions", "rag", ["red", "amber", "green", "grey", "complete"]),
        ("actions", "status", ["not_started", "on_track", "at_risk", "off_track", "done"]),
        (
            "actions",
            "attention",
            ["overdue", "off track", "at risk", "due soon", "open", "done"],
        ),
        ("action_updates", "status", ["not_started", "on_track", "at_risk", "off_track", "done"]),
        ("asks", "latest", ["raised", "agreed", "declined", "deferred"]),
        ("ask_events", "outcome", ["raised", "agreed", "declined", "deferred"]),
        ("votes", "state", ["scheduled", "open", "closed"]),
        (
            "candidates",
            "state",
            ["draft", "shortlisted", "on_ballot", "agreed", "not_taken_forward"],
        ),
    ],
)
def test_statuses_are_ordered_categoricals_with_every_category(
    frame: str, column: str, categories: list[str], fresh: Store, demo: str
) -> None:
    for df in (getattr(lpgp, frame)(), getattr(lpgp, frame)(store=fresh)):
        dtype = df[column].dtype
        assert isinstance(dtype, pd.CategoricalDtype) and dtype.ordered
        assert list(dtype.categories) == categories


def test_practices_match_the_demo_file(demo: str) -> None:
    rows = _demo_practices()
    df = lpgp.practices()
    assert list(df.ods_code) == sorted(r["ODS code"] for r in rows)
    no_pcn = [r["ODS code"] for r in rows if not r["PCN"]]
    assert list(df[df.pcn.isna()].ods_code) == no_pcn == ["Z99041"]
    assert int(df.list_size.sum()) == sum(int(r["List size"].replace(",", "")) for r in rows)
    assert (df.list_size_as_of == pd.Timestamp("2026-10-01")).all()


def test_practices_carry_the_pcn_code_and_postcode_the_store_holds(fresh: Store) -> None:
    from lpgp.cycle.board.practice import import_practices
    from lpgp.cycle.board.practice_rules import PracticeInput
    from lpgp.store.schema import PcnRow, PracticeRow

    def work(session):
        where = get_place(session)
        incoming = [
            PracticeInput("Z99001", "Mill Surgery", "North PCN", 4000),
            PracticeInput("Z99002", "Hill Surgery", None, 2500),
        ]
        import_practices(session, where, incoming, actor="test")
        session.query(PcnRow).filter_by(name="North PCN").update({"code": "U99001"})
        session.query(PracticeRow).filter_by(ods_code="Z99001").update({"postcode": "ZZ1 1AA"})

    fresh.write(work)
    df = lpgp.practices(store=fresh).set_index("ods_code")
    assert df.loc["Z99001", ["pcn", "pcn_code", "postcode"]].tolist() == [
        "North PCN",
        "U99001",
        "ZZ1 1AA",
    ]
    assert df.loc["Z99002", ["pcn", "pcn_code", "postcode"]].isna().all()


def test_turnout_is_one_row_per_pcn_with_the_totals_beside(demo: str) -> None:
    rows = _demo_practices()
    per_pcn = Counter(r["PCN"] or None for r in rows)
    df = lpgp.turnout(THIS_YEAR_VOTE)
    assert "All practices" not in set(df.pcn.dropna()) and "(no PCN)" not in set(df.pcn.dropna())
    assert list(df.pcn.iloc[:-1]) == sorted(p for p in per_pcn if p)
    assert pd.isna(df.pcn.iloc[-1])  # the practice in no PCN, missing as in practices()
    assert dict(zip(df.pcn.fillna("none"), df.eligible, strict=True)) == {
        (p or "none"): n for p, n in per_pcn.items()
    }
    total = df.attrs["total"]
    assert total["eligible"] == len(rows) == df.eligible.sum()
    assert total["voted"] == df.voted.sum()
    assert total["patients_eligible"] == sum(int(r["List size"].replace(",", "")) for r in rows)
    assert df.attrs["state"] == "open"


def test_practice_turnout_says_when_a_named_vote_was_cast_and_a_secret_one_never(
    demo: str,
) -> None:
    named = lpgp.practice_turnout(THIS_YEAR_VOTE)
    assert len(named) == 41
    assert named.voted.sum() == lpgp.turnout(THIS_YEAR_VOTE).attrs["total"]["voted"]
    assert named[~named.voted].voted_at.isna().all()
    # The demo casts this year's ballots an hour apart from 09:00 London on 2 May (BST).
    opened = pd.Timestamp("2027-05-02 08:00", tz="UTC")
    times = sorted(named[named.voted].voted_at)
    assert times == [opened + pd.Timedelta(hours=i) for i in range(len(times))]

    secret = lpgp.practice_turnout(LAST_YEAR_VOTE)
    assert secret.voted.sum() == 35 and secret.voted_at.isna().all()
    assert list(secret.columns) == ["ods_code", "practice", "pcn", "list_size", "voted", "voted_at"]


def test_published_ballots_of_a_secret_vote_never_name_a_practice(demo: str) -> None:
    df = lpgp.published_ballots(LAST_YEAR_VOTE)
    assert list(df.columns) == ["receipt", "weight", "ballot"]
    assert len(df) == lpgp.practice_turnout(LAST_YEAR_VOTE).voted.sum()
    assert list(df.receipt) == sorted(df.receipt)  # receipt order, not arrival order
    with pytest.raises(lpgp.StateError, match="secret ballot"):
        lpgp.ballots(LAST_YEAR_VOTE)


def test_votes_name_their_cycle_by_id(demo: str) -> None:
    df = lpgp.votes().set_index("title")
    cycles = lpgp.cycles().set_index("name").id
    assert df.loc[LAST_YEAR_VOTE, "cycle_id"] == cycles[LAST_YEAR_CYCLE]
    assert list(df.state) == ["closed", "open"]


def test_actions_carry_owner_ids_and_days_that_subtract(demo: str) -> None:
    df = lpgp.actions().set_index("title")
    people = lpgp.people().set_index("name").id
    for priority, title, owner, due_in, status, *_ in ACTIONS:
        row = df.loc[title]
        assert row.owner == owner and row.owner_id == people[owner]
        assert row.due == TODAY + pd.Timedelta(days=due_in)
        assert row.status == status
        assert row.priority == priority
    overdue = {t for _, t, _, due_in, status, *_ in ACTIONS if due_in < 0 and status != "done"}
    assert set(df[df.overdue].index) == overdue
    # What needs attention comes first, and RAG sorts red first.
    ranked = lpgp.actions().sort_values("rag", kind="stable")
    assert set(ranked.title.iloc[: len(overdue)]) == overdue
    assert (TODAY - lpgp.actions().due).dt.days.max() == -min(a[3] for a in ACTIONS)


def test_action_updates_are_each_actions_dated_history(demo: str) -> None:
    df = lpgp.action_updates()
    updated = [a for a in ACTIONS if a[4] != "not_started"]
    assert len(df) == len(ACTIONS) + len(updated)  # the first entry, then one update each
    assert (df[df.note == "Action agreed"].status == "not_started").all()
    for _, title, _, due_in, status, added, days_ago in updated:
        history = df[df.action == title]
        assert list(history.status) == ["not_started", status]
        assert list(history.on) == [TODAY - pd.Timedelta(days=d) for d in (added, days_ago)]
        assert history.due.iloc[0] == TODAY + pd.Timedelta(days=due_in)
    assert df.on.is_monotonic_increasing


def test_asks_and_their_log_name_priorities_and_leads_by_id(demo: str) -> None:
    priorities = lpgp.priorities().set_index("title")
    people = lpgp.people().set_index("name").id
    for title, lead, *_ in ADDED:
        assert priorities.loc[title, "lead_id"] == people[lead]
    asks = lpgp.asks().set_index("title")
    assert (asks.lead_id == priorities.lead_id.reindex(asks.index)).all()
    events = lpgp.ask_events()
    assert Counter(zip(events.priority, events.outcome.astype(str), strict=True)) == Counter(
        [(HUB, "raised"), (HUB, "agreed"), (HOSPITAL, "raised"), (HOSPITAL, "deferred")]
        + [(SUPERVISION, "raised")]
    )
    by_email = events[events.priority == SUPERVISION].iloc[0]
    assert pd.isna(by_email.meeting_id) and by_email.on == TODAY - pd.Timedelta(days=50)
    meeting = lpgp.meetings().set_index("title").id[PAST_MEETING]
    assert (events[events.priority != SUPERVISION].meeting_id == meeting).all()


def test_decisions_and_meetings(demo: str) -> None:
    (decision,) = lpgp.decisions().itertuples()
    assert decision.text == "Same-day hub agreed in principle"
    assert decision.priority == HUB and decision.meeting == PAST_MEETING
    meetings = lpgp.meetings().set_index("title")
    # 21 days before the demo's today at 10:00 London, 09:00 UTC in summer time.
    assert meetings.loc[PAST_MEETING, "starts_local"] == pd.Timestamp("2027-04-13 10:00")
    assert meetings.loc[PAST_MEETING, "starts_at_utc"] == pd.Timestamp("2027-04-13 09:00", tz="UTC")


def test_an_agenda_runs_from_its_meetings_start(demo: str) -> None:
    df = lpgp.agenda(PAST_MEETING)
    # The demo's past agenda: 20, 15, 10, 15 and 15 minutes from 10:00.
    assert list(df.minutes) == [20, 15, 10, 15, 15]
    assert list(df.starts.dt.strftime("%H:%M")) == ["10:00", "10:20", "10:35", "10:45", "11:00"]
    presenters = df.dropna(subset=["presenter"])
    people = lpgp.people().set_index("name").id
    assert list(presenters.presenter_id) == [people[n] for n in presenters.presenter]
