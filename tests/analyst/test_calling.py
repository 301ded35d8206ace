"""One calling convention: the thing first (by id or title), ``place`` and ``store`` by keyword;
the old positional ``place`` (and ``store``) still work for a release, with a warning."""

from __future__ import annotations

import inspect
import warnings
from datetime import datetime

import pandas as pd
import pytest

import lpgp
from lpgp.cycle.agendas.meeting import add_meeting
from lpgp.cycle.agendas.meeting_rules import Board, MeetingInput
from lpgp.cycle.board.place import get_place
from lpgp.cycle.vote import vote as votes
from lpgp.cycle.vote import vote_rules
from lpgp.demo import DEMO_SLUG
from lpgp.demo.vote import LAST_YEAR_CYCLE, LAST_YEAR_VOTE
from lpgp.errors import InvalidInput, NotFound
from lpgp.store import Store

FUNCTIONS = [name for name in lpgp.__all__ if inspect.isfunction(getattr(lpgp, name))]
# The files and the national refresh take paths first; the frames take the thing they show.
FILES = ["export_actions", "export_agenda", "export_all", "export_invites", "export_summary"]
ANALYST = [
    name
    for name in FUNCTIONS
    if getattr(lpgp, name).__module__.startswith("lpgp.analyst")
    and name not in [*FILES, "national_refresh"]
]


def test_the_files_and_the_refresh_take_place_and_store_by_keyword_only() -> None:
    for name in [*FILES, "national_refresh"]:
        assert getattr(lpgp, name).__module__.startswith("lpgp.analyst."), name
        parameters = inspect.signature(getattr(lpgp, name)).parameters
        for keyword in ("place", "store"):
            assert parameters[keyword].kind is inspect.Parameter.KEYWORD_ONLY, (name, keyword)


def test_every_analyst_function_takes_place_and_store_by_keyword_only() -> None:
    assert len(ANALYST) == 26
    for name in ANALYST:
        parameters = inspect.signature(getattr(lpgp, name)).parameters
        assert parameters["store"].kind is inspect.Parameter.KEYWORD_ONLY, name
        if name != "places":
            assert parameters["place"].kind is inspect.Parameter.KEYWORD_ONLY, name
        positional = [p for p in parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD]
        assert [p.name for p in positional] in ([], ["cycle"], ["vote"], ["meeting"]), name


@pytest.mark.parametrize(
    ("call", "keywords"),
    [
        (lambda: lpgp.practices(DEMO_SLUG), "place="),
        (lambda: lpgp.board(DEMO_SLUG), "place="),
        (lambda: lpgp.candidates(None, DEMO_SLUG), "place="),
        (lambda: lpgp.votes(None, DEMO_SLUG), "place="),
        (lambda: lpgp.turnout(LAST_YEAR_VOTE, DEMO_SLUG), "place="),
        (lambda: lpgp.actions(None, DEMO_SLUG, None), "place=, store="),
    ],
    ids=["practices", "board", "candidates", "votes", "turnout", "actions"],
)
def test_positional_place_still_works_with_a_warning_naming_the_keyword(
    call, keywords: str, demo: str
) -> None:
    with pytest.warns(DeprecationWarning, match=f"pass {keywords} by keyword") as seen:
        old = call()
    assert seen[0].filename == __file__  # the warning points at the caller's line
    assert isinstance(old, pd.DataFrame) and len(old) > 0


def test_the_old_and_new_calls_give_the_same_frame(demo: str) -> None:
    with pytest.warns(DeprecationWarning):
        old = lpgp.actions(None, DEMO_SLUG, None)
    pd.testing.assert_frame_equal(old, lpgp.actions(place=DEMO_SLUG))


def test_keyword_calls_do_not_warn(demo: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        lpgp.practices(place=DEMO_SLUG)
        lpgp.actions(LAST_YEAR_CYCLE, place=DEMO_SLUG)
        lpgp.turnout(LAST_YEAR_VOTE, place=DEMO_SLUG)


def test_too_many_or_doubled_arguments_are_refused(demo: str) -> None:
    with pytest.raises(TypeError, match="at most 0 positional"):
        lpgp.practices(DEMO_SLUG, None, None)
    with pytest.raises(TypeError, match="multiple values for 'place'"):
        lpgp.practices(DEMO_SLUG, place=DEMO_SLUG)


def test_a_cycle_or_a_vote_by_id_or_by_title(demo: str) -> None:
    cycle_id = int(lpgp.cycles().set_index("name").id[LAST_YEAR_CYCLE])
    pd.testing.assert_frame_equal(lpgp.actions(LAST_YEAR_CYCLE), lpgp.actions(cycle_id))
    pd.testing.assert_frame_equal(lpgp.actions(LAST_YEAR_CYCLE), lpgp.actions(str(cycle_id)))
    vote_id = int(lpgp.votes().set_index("title").id[LAST_YEAR_VOTE])
    pd.testing.assert_frame_equal(lpgp.results(LAST_YEAR_VOTE), lpgp.results(vote_id))
    with pytest.raises(NotFound):
        lpgp.turnout("no such vote")


def test_a_meeting_by_id_or_by_title(demo: str) -> None:
    meetings = lpgp.meetings().set_index("title").id
    title = "Haverbrook place partnership board"
    pd.testing.assert_frame_equal(lpgp.agenda(title), lpgp.agenda(int(meetings[title])))
    with pytest.raises(NotFound, match="no meeting 'No such meeting'"):
        lpgp.agenda("No such meeting")


def test_a_title_two_votes_share_is_refused_naming_both(fresh: Store) -> None:
    def work(session):
        where = get_place(session)
        texts = [vote_rules.CandidateText("A", "Hub"), vote_rules.CandidateText("B", "Rooms")]
        return [
            votes.create_vote(
                session, where, title="Spring vote", method="approval", seats=1,
                opens=opens, closes=closes, candidates=texts, actor="test",
            ).id
            for opens, closes in (
                ("2027-06-01 09:00", "2027-06-08 17:00"),
                ("2027-07-01 09:00", "2027-07-08 17:00"),
            )
        ]  # fmt: skip

    first, second = fresh.write(work)
    with pytest.raises(InvalidInput) as refused:
        lpgp.turnout("Spring vote", store=fresh)
    assert str(refused.value) == (
        f"vote: 2 votes are called 'Spring vote' (id {first}, scheduled; id {second}, "
        "scheduled): give its id instead"
    )
    assert lpgp.turnout(second, store=fresh).empty  # by id it is found


def test_a_title_two_meetings_share_is_refused_naming_both(fresh: Store) -> None:
    def work(session):
        where = get_place(session)
        return [
            add_meeting(
                session, where, MeetingInput(Board.LEADERSHIP, "Board", start, 60), actor="test"
            ).id
            for start in (datetime(2027, 6, 1, 14), datetime(2027, 7, 6, 14))
        ]

    first, second = fresh.write(work)
    with pytest.raises(InvalidInput) as refused:
        lpgp.agenda("Board", store=fresh)
    assert str(refused.value) == (
        f"meeting: 2 meetings are called 'Board' (id {first}, 01 Jun 2027; id {second}, "
        "06 Jul 2027): give its id instead"
    )
    assert lpgp.agenda(second, store=fresh).empty
