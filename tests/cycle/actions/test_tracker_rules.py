"""The tracker's pure rules: RAG, attention order, stale flag, folding updates, summaries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lpgp.cycle.actions.tracker_rules import (
    Action,
    ActionUpdate,
    Rag,
    Status,
    attention_group,
    attention_order,
    current_state,
    is_stale,
    parse_status,
    rag,
    summarise,
)
from lpgp.cycle.agreed.priority_rules import Priority, PriorityInput, check_list, departure
from lpgp.errors import InvalidInput

TODAY = date(2027, 5, 12)
YESTERDAY = TODAY - timedelta(days=1)


@pytest.mark.parametrize(
    ("status", "due", "expected"),
    [
        (Status.ON_TRACK, YESTERDAY, Rag.RED),  # overdue beats "on track"
        (Status.NOT_STARTED, YESTERDAY, Rag.RED),
        (Status.AT_RISK, YESTERDAY, Rag.RED),
        (Status.DONE, YESTERDAY, Rag.COMPLETE),  # done is complete whatever the date
        (Status.ON_TRACK, TODAY, Rag.GREEN),  # due today is not yet overdue
        (Status.OFF_TRACK, TODAY + timedelta(days=60), Rag.RED),
        (Status.AT_RISK, TODAY + timedelta(days=60), Rag.AMBER),
        (Status.NOT_STARTED, TODAY + timedelta(days=14), Rag.AMBER),
        (Status.NOT_STARTED, TODAY + timedelta(days=15), Rag.GREY),
    ],
)
def test_rag_rule(status: Status, due: date, expected: Rag) -> None:
    assert rag(status, due, TODAY) is expected


def test_attention_groups() -> None:
    far = TODAY + timedelta(days=90)
    assert attention_group(Status.ON_TRACK, YESTERDAY, TODAY) == 0
    assert attention_group(Status.OFF_TRACK, far, TODAY) == 1
    assert attention_group(Status.AT_RISK, far, TODAY) == 2
    assert attention_group(Status.ON_TRACK, TODAY + timedelta(days=14), TODAY) == 3
    assert attention_group(Status.ON_TRACK, far, TODAY) == 4
    assert attention_group(Status.DONE, YESTERDAY, TODAY) == 5


@pytest.mark.parametrize(("days", "stale"), [(27, False), (28, True), (100, True)])
def test_stale_after_n_weeks(days: int, stale: bool) -> None:
    assert is_stale(Status.ON_TRACK, TODAY - timedelta(days=days), TODAY, weeks=4) is stale
    assert is_stale(Status.DONE, TODAY - timedelta(days=days), TODAY, weeks=4) is False


def test_stale_weeks_must_be_positive() -> None:
    with pytest.raises(InvalidInput):
        is_stale(Status.ON_TRACK, TODAY, TODAY, weeks=0)


def test_statuses_parse_from_labels() -> None:
    assert parse_status("On track") is Status.ON_TRACK
    assert parse_status("NOT-STARTED") is Status.NOT_STARTED
    with pytest.raises(InvalidInput, match="'soon' is not a status"):
        parse_status("soon")


def _update(n: int, on: date, status: Status, due: date | None, note: str | None = None):
    return ActionUpdate(n, 1, on, status, due, note, datetime(2027, 1, 1), "t")


def test_a_correction_is_a_newer_update() -> None:
    first = _update(1, date(2027, 4, 1), Status.ON_TRACK, date(2027, 6, 1))
    wrong = _update(2, date(2027, 4, 8), Status.DONE, None, "marked done by mistake")
    fix = _update(3, date(2027, 4, 8), Status.ON_TRACK, None, "correction: not done yet")
    status, due, last, note = current_state([first, wrong, fix])
    assert (status, due, last, note) == (
        Status.ON_TRACK,
        date(2027, 6, 1),
        date(2027, 4, 8),
        "correction: not done yet",
    )


def _action(n: int, status: Status, due: date, priority: int = 1) -> Action:
    group = attention_group(status, due, TODAY)
    labels = ("overdue", "off track", "at risk", "due soon", "open", "done")
    return Action(
        id=n,
        place_id=1,
        priority_id=priority,
        priority_position=priority,
        priority="P",
        title=f"A{n}",
        owner_id=1,
        owner="O",
        due=due,
        status=status,
        rag=rag(status, due, TODAY),
        overdue=group == 0,
        due_soon=False,
        stale=False,
        attention=labels[group],
        last_update=TODAY - timedelta(days=n),
        days_since_update=n,
    )


def test_due_yesterday_on_track_sorts_first() -> None:
    far = TODAY + timedelta(days=90)
    actions = [
        _action(1, Status.DONE, YESTERDAY - timedelta(days=5)),
        _action(2, Status.AT_RISK, far),
        _action(3, Status.OFF_TRACK, far),
        _action(4, Status.ON_TRACK, TODAY + timedelta(days=3)),
        _action(5, Status.ON_TRACK, YESTERDAY),
        _action(6, Status.NOT_STARTED, far),
    ]
    assert [a.id for a in attention_order(actions)] == [5, 3, 2, 4, 6, 1]


@given(st.permutations(list(range(6))))
def test_attention_order_ignores_input_order(order: list[int]) -> None:
    far = TODAY + timedelta(days=90)
    base = [
        _action(1, Status.DONE, YESTERDAY),
        _action(2, Status.AT_RISK, far),
        _action(3, Status.OFF_TRACK, far),
        _action(4, Status.ON_TRACK, TODAY),
        _action(5, Status.ON_TRACK, YESTERDAY),
        _action(6, Status.NOT_STARTED, far),
    ]
    assert attention_order([base[i] for i in order]) == attention_order(base)


def test_summary_counts_by_rag_next_due_and_freshest_update() -> None:
    p1 = Priority(1, 1, 1, 1, "Hub", "a", "w", "m", 1, "L")
    p2 = Priority(2, 1, 1, 2, "Visits", "a", "w", "m", 1, "L")
    actions = [
        _action(3, Status.ON_TRACK, YESTERDAY),
        _action(5, Status.DONE, TODAY - timedelta(days=30)),
        replace(_action(9, Status.AT_RISK, TODAY + timedelta(days=9)), stale=True),
    ]
    [s1, s2] = summarise(actions, [p1, p2])
    assert s1.total == 3 and s1.counts["red"] == 1 and s1.counts["amber"] == 1
    assert s1.counts["complete"] == 1 and s1.counts["green"] == 0
    assert s1.next_due == YESTERDAY
    assert s1.days_since_update == 3 and s1.stale == 1
    assert s2.total == 0 and s2.next_due is None and s2.days_since_update is None


def _item(title: str, candidate: int | None) -> PriorityInput:
    return PriorityInput(title, "ask", "why", "measure", "Dr A", candidate)


def test_departure_from_the_vote_needs_a_reason() -> None:
    assert departure([4, 1], [4, 1, 7]) is None
    assert departure([1, 4], [4, 1, 7]).startswith("item 1 is candidate 1")
    assert departure([4, 1, 7, 9], [4, 1, 7]) == "item 4 goes beyond the vote's 3 winners"
    assert departure([None], []) is None
    items = [_item("Hub", 1), _item("Visits", 4)]
    with pytest.raises(InvalidInput, match="record a reason"):
        check_list(items, [4, 1])
    assert check_list(items, [4, 1], "Hub first: the funding window closes in May")


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([], "at least one priority"),
        ([_item("Hub", 1), _item(" hub ", 2)], "same title as priority 1"),
        ([_item("Hub", 1), _item("Visits", 1)], "already priority 1"),
        ([PriorityInput("Hub", "ask", "", "m", "Dr A")], "priority 1 needs a reason why now"),
    ],
)
def test_list_rules(items: list[PriorityInput], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_list(items)
