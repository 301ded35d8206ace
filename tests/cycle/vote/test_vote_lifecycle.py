"""Setting up, opening, extending and closing a vote; the electorate freezes when it opens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from cycle.vote.conftest import TEXTS, london
from lpgp import audit, clock
from lpgp.cycle.board import place as places
from lpgp.cycle.board.practice import import_practices
from lpgp.cycle.board.practice_rules import PracticeInput
from lpgp.cycle.vote import electorate, electorate_rules, recount, vote_rules
from lpgp.cycle.vote import vote as votes
from lpgp.errors import InvalidInput, StateError


def _create(setup, **kw):
    args = dict(
        title="Priorities",
        method="approval",
        seats=2,
        opens="2030-03-02 09:00",
        closes="2030-03-09 17:00",
        candidates=TEXTS,
        seed="s",
    )
    args.update(kw)
    return setup.store.write(lambda s: votes.create_vote(s, setup.place, **args))


def test_times_are_entered_in_london_and_stored_in_utc(mem_setup) -> None:
    v = _create(mem_setup, opens="2030-03-29 09:00", closes="2030-04-05 17:00")
    assert v.opens_at == datetime(2030, 3, 29, 9, tzinfo=UTC)  # still GMT
    assert v.closes_at == datetime(2030, 4, 5, 16, tzinfo=UTC)  # BST
    assert v.seed == "s" and v.status == "scheduled"


@pytest.mark.parametrize(
    "change, words",
    [
        ({"method": "coin-toss"}, "not a counting method"),
        ({"seats": 5}, "seats: choose between 1 and 4"),
        ({"seats": 0}, "seats"),
        ({"closes": "2030-03-01 09:00"}, "after the opening time"),
        ({"opens": "2030-03-31 01:30"}, "does not exist in London"),
        ({"closes": "tomorrow"}, "closes: 'tomorrow' is not a date and time"),
        ({"weighting": "votes"}, "weighting"),
        ({"budget": 10}, "only points votes have a budget"),
        ({"candidates": TEXTS[:1]}, "at least two candidates"),
        ({"closes": "2020-01-01 09:00", "opens": "2019-01-01 09:00"}, "already passed"),
        ({"title": " "}, "title"),
    ],
)
def test_bad_settings_are_refused_with_the_field_named(mem_setup, change, words) -> None:
    with pytest.raises(InvalidInput, match=words):
        _create(mem_setup, **change)


def test_opening_freezes_the_electorate_and_later_imports_change_nothing(setup) -> None:
    v = setup.vote(weighting="list_size", secret=False)
    with setup.store.read() as s:
        before = electorate.electors(s, v)
    assert len(before) == 12 and before[0].weight == before[0].list_size

    def reimport(s):
        changed = [
            PracticeInput(p.ods_code, p.name + " Surgery", "New PCN", (p.list_size or 0) + 999)
            for p in before[:6]
        ]
        import_practices(s, setup.place, changed)  # deactivates the other six

    setup.store.write(reimport)
    with setup.store.read() as s:
        assert electorate.electors(s, v) == before
        assert votes.candidates(s, v) == TEXTS


def test_a_secret_weighted_vote_uses_bands_of_at_least_three(mem_setup) -> None:
    v = mem_setup.vote(weighting="list_size", secret=True)
    with mem_setup.store.read() as s:
        found = electorate.electors(s, v)
    by_band: dict[str, list[int]] = {}
    for e in found:
        by_band.setdefault(e.band, []).append(e.list_size)
    assert all(len(sizes) >= 3 for sizes in by_band.values())
    assert len(by_band) > 1
    for e in found:
        sizes = by_band[e.band]
        assert e.weight == round(sum(sizes) / len(sizes))


def test_bands_keep_equal_sizes_together_and_never_leave_a_small_band() -> None:
    sizes = [5000, 5000, 5000, 5000, 6000, 7000, 8000]
    found = electorate_rules.list_size_bands(sizes)
    assert len({b.number for b in found[:4]}) == 1
    counts = {b.number: b.members for b in found}
    assert min(counts.values()) >= 3
    with pytest.raises(InvalidInput):
        electorate_rules.list_size_bands([1, 2])


def test_open_extend_close_are_audited_and_close_is_final(setup) -> None:
    v = setup.vote()
    later = london(timedelta(hours=5))
    v2 = setup.store.write(lambda s: votes.extend_vote(s, setup.place, v, later))
    assert v2.closes_at > v.closes_at
    with pytest.raises(InvalidInput, match="later than"):
        setup.store.write(lambda s: votes.extend_vote(s, setup.place, v, london(timedelta(0))))
    with pytest.raises(StateError, match="results are shown only after"), setup.store.read() as s:
        recount.results(s, v)
    closed = setup.store.write(lambda s: votes.close_vote(s, setup.place, v))
    with setup.store.read() as s:
        assert votes.state(s, closed) == "closed"
    with pytest.raises(StateError, match="cannot be extended"):
        setup.store.write(lambda s: votes.extend_vote(s, setup.place, v, later))
    with pytest.raises(StateError, match="already closed"):
        setup.store.write(lambda s: votes.close_vote(s, setup.place, v))
    with setup.store.read() as s:
        actions = [
            e.action for e in audit.entries(s, setup.place.id) if e.action.startswith("vote")
        ]
    assert actions == ["vote.scheduled", "vote.opened", "vote.extended", "vote.closed"]


def database_clock_ahead(monkeypatch: pytest.MonkeyPatch, ahead: timedelta) -> None:
    """Move the database's clock on by ``ahead`` without waiting: a test cannot set the
    database server's clock, so the query :func:`lpgp.cycle.vote.vote.db_now` sends still asks the
    database for its time, and adds ``ahead`` to it there."""
    seconds = int(ahead.total_seconds())
    sqlite = f"SELECT strftime('%Y-%m-%d %H:%M:%f', 'now', '+{seconds} seconds')"
    postgres = f"SELECT clock_timestamp() + interval '{seconds} seconds'"
    monkeypatch.setattr(votes, "_SQLITE_NOW", text(sqlite))
    monkeypatch.setattr(votes, "_POSTGRES_NOW", text(postgres))


def test_the_closing_time_is_read_from_the_database_clock(setup, monkeypatch) -> None:
    v = setup.vote(closes=timedelta(minutes=30))
    # A server whose own clock runs far ahead still agrees with the database.
    with monkeypatch.context() as patch, setup.store.read() as s:
        patch.setattr(clock, "now", lambda: datetime(2099, 1, 1, tzinfo=UTC))
        assert votes.state(s, v) == "open"
    # The database's clock past the closing time, the process's own clock not fixed.
    database_clock_ahead(monkeypatch, timedelta(hours=1))
    with setup.store.read() as s:
        assert votes.db_now(s) > v.closes_at > clock.now()
        assert votes.state(s, v) == "closed"
    recorded = setup.store.write(lambda s: votes.close_vote(s, setup.place, v))
    assert recorded.closed_at == v.closes_at
    with setup.store.read() as s:
        assert audit.entries(s, setup.place.id)[-1].detail["by"] == "closing time"


def test_state_follows_opening_then_closing() -> None:
    t = datetime(2030, 3, 1, 9, tzinfo=UTC)
    v = vote_rules.Vote(1, 1, None, "v", "approval", 1, "equal", True, None, t,
                        t + timedelta(days=7), "s", "scheduled", None, None)  # fmt: skip
    assert vote_rules.state_at(v, t + timedelta(days=1)) == "scheduled"  # never opened
    opened = vote_rules.Vote(**{**v.__dict__, "status": "open", "opened_at": t})
    assert vote_rules.state_at(opened, t - timedelta(minutes=1)) == "scheduled"
    assert vote_rules.state_at(opened, t) == "open"
    assert vote_rules.state_at(opened, t + timedelta(days=7)) == "closed"
    shut = vote_rules.Vote(
        **{**opened.__dict__, "status": "closed", "closed_at": t + timedelta(hours=1)}
    )
    assert vote_rules.state_at(shut, t + timedelta(hours=2)) == "closed"
    assert vote_rules.closing_time(shut) == t + timedelta(hours=1)


def test_a_fixed_clock_drives_the_vote_for_demonstrations(mem_setup) -> None:
    with clock.frozen("2030-03-05 12:00"):
        v = _create(mem_setup)
        v = mem_setup.store.write(lambda s: votes.open_vote(s, mem_setup.place, v))
        with mem_setup.store.read() as s:
            assert votes.state(s, v) == "open"


def test_without_texts_a_vote_copies_the_fixed_shortlist(mem_setup) -> None:
    from lpgp.cycle.candidates.candidate import add_candidate
    from lpgp.cycle.candidates.candidate_rules import CandidateInput
    from lpgp.cycle.shortlist.shortlist import fix_shortlist

    def work(s):
        cycle = places.create_cycle(s, mem_setup.place, "2030/31 priorities")
        hub = add_candidate(s, mem_setup.place, cycle, CandidateInput("Hub", "One hub", "Fund it"))
        add_candidate(s, mem_setup.place, cycle, CandidateInput("Left out", "No", "None"))
        rooms = add_candidate(
            s, mem_setup.place, cycle, CandidateInput("Estates", "Rooms", "A plan")
        )
        fix_shortlist(s, mem_setup.place, cycle, [hub.id, rooms.id])
        v = votes.create_vote(
            s, mem_setup.place, title="From the shortlist", method="approval", seats=1,
            opens="2030-03-02 09:00", closes="2030-03-09 17:00", cycle=cycle,
        )  # fmt: skip
        return votes.candidates(s, v), hub.id, rooms.id

    texts, hub_id, rooms_id = mem_setup.store.write(work)
    assert texts == [
        vote_rules.CandidateText("A", "Hub", "One hub", "Fund it", hub_id),
        vote_rules.CandidateText("B", "Estates", "Rooms", "A plan", rooms_id),
    ]
