"""Steps 5 to 7, delivery: the agreed list, actions and their updates, asks of the system and
what the place-based board did with them, meetings, their decisions and agendas, as
DataFrames.

Each takes ``cycle`` first (name or id; default the cycle being delivered, the one whose list
was confirmed last); :func:`agenda` takes a meeting (id or title) instead. ``place`` (slug,
name or id; default the only place) and ``store`` are keywords. Nothing here writes.

The examples run against the demo place, Haverbrook (``lpgp demo``), on 4 May 2027.

>>> import lpgp
>>> lpgp.actions().query("rag == 'red'").shape[0] > 0
True
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from lpgp import clock
from lpgp.analyst._common import _store, is_id, keywords_from, one_of
from lpgp.analyst._frames import (
    BOOL,
    DAY,
    INSTANT,
    INT,
    LOCAL_TIME,
    NULLABLE_INT,
    TEXT,
    Schema,
    frame,
    ordered,
    plain,
)
from lpgp.cycle.actions import tracker as _tracker
from lpgp.cycle.actions.tracker import list_actions
from lpgp.cycle.actions.tracker_rules import ATTENTION_LABELS, STALE_WEEKS, Rag, Status
from lpgp.cycle.agendas.agenda_service import show_agenda
from lpgp.cycle.agendas.ask import ask_log, ask_progress
from lpgp.cycle.agendas.ask_rules import Outcome
from lpgp.cycle.agendas.meeting import list_meetings
from lpgp.cycle.agreed.priority import list_priorities
from lpgp.cycle.board.place import get_place
from lpgp.errors import NotFound
from lpgp.model import Place
from lpgp.store import Store
from lpgp.store.schema_delivery import MeetingRow

#: Sorting by these puts what needs attention first.
RAG = ordered(Rag)  # red, amber, green, grey, complete
STATUS = ordered(Status)  # not started, on track, at risk, off track, done: the workflow
ATTENTION = ordered(ATTENTION_LABELS)  # overdue, off track, at risk, due soon, open, done
OUTCOME = ordered(Outcome)  # raised, agreed, declined, deferred

PRIORITIES: Schema = {
    "position": INT,
    "title": TEXT,
    "lead": TEXT,
    "lead_id": INT,
    "ask": TEXT,
    "why_now": TEXT,
    "measure": TEXT,
    "candidate_id": NULLABLE_INT,
    "id": INT,
}
ACTIONS: Schema = {
    "id": INT,
    "priority_position": INT,
    "priority": TEXT,
    "title": TEXT,
    "owner": TEXT,
    "owner_id": INT,
    "due": DAY,
    "status": STATUS,
    "rag": RAG,
    "attention": ATTENTION,
    "overdue": BOOL,
    "due_soon": BOOL,
    "stale": BOOL,
    "last_update": DAY,
    "days_since_update": INT,
    "latest_note": TEXT,
    "priority_id": INT,
}
ACTION_UPDATES: Schema = {
    "id": INT,
    "action_id": INT,
    "action": TEXT,
    "on": DAY,
    "status": STATUS,
    "due": DAY,
    "note": TEXT,
    "recorded_at": INSTANT,
    "recorded_by": TEXT,
}
ASKS: Schema = {
    "position": INT,
    "title": TEXT,
    "ask": TEXT,
    "lead": TEXT,
    "made": INT,
    "agreed": INT,
    "declined": INT,
    "deferred": INT,
    "latest": OUTCOME,
    "last_progress": DAY,
    "days_since_progress": NULLABLE_INT,
    "priority_id": INT,
    "lead_id": INT,
}
ASK_EVENTS: Schema = {
    "id": INT,
    "priority_id": INT,
    "priority_position": INT,
    "priority": TEXT,
    "outcome": OUTCOME,
    "on": DAY,
    "meeting_id": NULLABLE_INT,
    "meeting": TEXT,
    "note": TEXT,
    "recorded_at": INSTANT,
    "recorded_by": TEXT,
}
MEETINGS: Schema = {
    "id": INT,
    "board": TEXT,
    "title": TEXT,
    "starts_local": LOCAL_TIME,
    "starts_at_utc": INSTANT,
    "duration_minutes": INT,
    "location": TEXT,
    "video_link": TEXT,
    "attendees": INT,
    "agenda_minutes": INT,
    "innovation_percent": INT,
    "meets_80_rule": BOOL,
    "decisions": INT,
    "cancelled": BOOL,
}
DECISIONS: Schema = {
    "id": INT,
    "meeting_id": INT,
    "meeting": TEXT,
    "starts_local": LOCAL_TIME,
    "text": TEXT,
    "priority_id": NULLABLE_INT,
    "priority": TEXT,
    "recorded_at": INSTANT,
}
AGENDA: Schema = {
    "position": INT,
    "starts": LOCAL_TIME,
    "title": TEXT,
    "minutes": INT,
    "kind": TEXT,
    "presenter": TEXT,
    "presenter_id": NULLABLE_INT,
    "priority_id": NULLABLE_INT,
    "action_id": NULLABLE_INT,
    "id": INT,
}


def _naive_london(moment: datetime) -> datetime:
    """A London-aware time as the wall clock reads it, without its zone."""
    return moment.replace(tzinfo=None)


def meeting_id(session: Session, place: Place, key: int | str) -> int:
    """The id of the meeting named by id or title; a title two meetings share is refused,
    naming both with their dates."""
    query = select(MeetingRow.id, MeetingRow.title, MeetingRow.starts_at).where(
        MeetingRow.place_id == place.id
    )
    if is_id(key):
        found = session.execute(query.where(MeetingRow.id == int(key))).all()
    else:
        found = session.execute(
            query.where(MeetingRow.title == str(key)).order_by(MeetingRow.starts_at)
        ).all()
    if not found:
        raise NotFound(f"{place.name} has no meeting '{key}'")
    one_of("meeting", str(key), [(i, f"{_london(at):%d %b %Y}") for i, _, at in found])
    return found[0].id


def _london(moment: datetime) -> datetime:
    """A stored instant (SQLite hands back naive UTC) as London's wall clock."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(clock.LONDON)


@keywords_from("place")
def priorities(
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """The agreed list in order: title, lead (and the lead's person id), ask of the system,
    why now, measure of success, and the candidate it came from (``<NA>`` for one the board
    drew up).

    >>> import lpgp
    >>> lpgp.priorities()[["position", "lead", "lead_id", "candidate_id"]]
       position                lead  lead_id  candidate_id
    0         1    Dr Tom Pritchard        2             9
    1         2     Dr Sanjay Mehta        4            10
    2         3  Dr Rosalind Carver        7            12
    3         4    Dr Imran Qureshi        8            11
    4         5   Dr Helen Ashworth        3            13
    """
    with _store(store).read() as s:
        items = list_priorities(s, get_place(s, place), cycle)
    return frame(({c: getattr(p, c) for c in PRIORITIES} for p in items), PRIORITIES)


@keywords_from("place", "store")
def actions(
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
    priority: str | int | None = None,
    owner: str | int | None = None,
    status: str | None = None,
    rag: str | None = None,
    stale_weeks: int = STALE_WEEKS,
) -> pd.DataFrame:
    """The cycle's actions, what needs attention first, with RAG, overdue and stale flags;
    optionally only one priority's (number or title), one owner's, one status or one RAG.

    ``status``, ``rag`` and ``attention`` are ordered Categoricals (``rag`` red < amber <
    green < grey < complete), so ``sort_values("rag")`` puts red first; ``due`` and
    ``last_update`` are days, so ``pd.Timestamp.today().normalize() - df.due`` works.

    >>> import lpgp
    >>> import pandas as pd
    >>> df = lpgp.actions()
    >>> df.rag.value_counts(sort=False)
    rag
    red         3
    amber       1
    green       5
    grey        4
    complete    4
    Name: count, dtype: int64
    >>> df[["id", "owner_id", "due", "status", "rag"]].head(4)
       id  owner_id        due     status    rag
    0  13         7 2027-04-27  off_track    red
    1   2        10 2027-05-01   on_track    red
    2   6        12 2027-05-02  off_track    red
    3   3        11 2027-05-14    at_risk  amber
    >>> today = pd.Timestamp("2027-05-04")  # the demo's today; pd.Timestamp.today().normalize()
    >>> (today - df[df.overdue].due).dt.days.tolist()
    [7, 3, 2]
    """
    with _store(store).read() as s:
        items = list_actions(
            s,
            get_place(s, place),
            cycle,
            priority=str(priority) if priority is not None else None,
            owner=owner,
            status=status,
            rag_is=rag,
            stale_weeks=stale_weeks,
        )
    return frame(({c: getattr(a, c) for c in ACTIONS} for a in items), ACTIONS)


@keywords_from("place")
def action_updates(
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """Every dated update of the cycle's actions, oldest first: the status on that day, a new
    due date where it moved (else ``NaT``), the note, and who recorded it when.

    >>> import lpgp
    >>> df = lpgp.action_updates()
    >>> df.shape
    (30, 9)
    >>> df[df.action_id == 2][["on", "status", "due", "note"]]
               on       status        due           note
    3  2027-03-05  not_started 2027-05-01  Action agreed
    23 2027-04-22     on_track        NaT  Going to plan
    """
    with _store(store).read() as s:
        where = get_place(s, place)
        titles = {a.id: a.title for a in list_actions(s, where, cycle)}
        items = [u for u in _tracker.action_updates(s, where) if u.action_id in titles]
    rows = [
        {
            "id": u.id,
            "action_id": u.action_id,
            "action": titles[u.action_id],
            "on": u.on,
            "status": u.status,
            "due": u.due,
            "note": u.note,
            "recorded_at": u.recorded_at,
            "recorded_by": u.recorded_by,
        }
        for u in items
    ]
    return frame(rows, ACTION_UPDATES)


@keywords_from("place")
def asks(
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """Per priority: its ask of the system, how often it was made (raised) and agreed, the
    latest outcome (an ordered Categorical: raised, agreed, declined, deferred), and the days
    since it last moved.

    >>> import lpgp
    >>> lpgp.asks()[["position", "made", "agreed", "latest", "days_since_progress"]]
       position  made  agreed    latest  days_since_progress
    0         1     1       1    agreed                   21
    1         2     0       0       NaN                 <NA>
    2         3     1       0  deferred                   21
    3         4     1       0    raised                   50
    4         5     0       0       NaN                 <NA>
    """
    with _store(store).read() as s:
        where = get_place(s, place)
        items = ask_progress(s, where, cycle)
        leads = {p.id: p.lead_id for p in list_priorities(s, where, cycle)}
    rows = [
        {
            **{c: getattr(a, c) for c in ASKS if c != "lead_id"},
            "lead_id": leads[a.priority_id],
        }
        for a in items
    ]
    return frame(rows, ASKS)


@keywords_from("place")
def ask_events(
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """The log of the cycle's asks, oldest first: what the place-based board did with each
    priority's ask, on which day, at which meeting, with a note.

    >>> import lpgp
    >>> lpgp.ask_events()[["priority_position", "outcome", "on", "meeting_id"]]
       priority_position   outcome         on  meeting_id
    0                  4    raised 2027-03-15        <NA>
    1                  1    raised 2027-04-13           1
    2                  1    agreed 2027-04-13           1
    3                  3    raised 2027-04-13           1
    4                  3  deferred 2027-04-13           1
    """
    with _store(store).read() as s:
        where = get_place(s, place)
        listed = {p.id: p for p in list_priorities(s, where, cycle)}
        items = ask_log(s, where, cycle)
    rows = [
        {
            "id": e.id,
            "priority_id": e.priority_id,
            "priority_position": listed[e.priority_id].position,
            "priority": listed[e.priority_id].title,
            "outcome": e.outcome,
            "on": e.on,
            "meeting_id": e.meeting_id,
            "meeting": e.meeting,
            "note": e.note,
            "recorded_at": e.recorded_at,
            "recorded_by": e.recorded_by,
        }
        for e in items
    ]
    return frame(rows, ASK_EVENTS)


@keywords_from("place")
def meetings(
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """The cycle's meetings, earliest first, with their London start, the agenda's split and
    whether it keeps to the 80% rule, and whether the meeting was cancelled.

    >>> import lpgp
    >>> lpgp.meetings()[["id", "board", "starts_local", "innovation_percent", "meets_80_rule"]]
       id        board        starts_local  innovation_percent  meets_80_rule
    0   1  place_based 2027-04-13 10:00:00                  40          False
    1   2   leadership 2027-05-11 13:00:00                  80           True
    """
    with _store(store).read() as s:
        where = get_place(s, place)
        rows = []
        for m in list_meetings(s, where, cycle):
            view = show_agenda(s, where, m.id)
            rows.append(
                {
                    "id": m.id,
                    "board": plain(m.board),
                    "title": m.title,
                    "starts_local": _naive_london(m.starts_local),
                    "starts_at_utc": m.starts_at,
                    "duration_minutes": m.duration_minutes,
                    "location": m.location,
                    "video_link": m.video_link,
                    "attendees": len(m.attendees),
                    "agenda_minutes": view.split.total,
                    "innovation_percent": view.split.percent,
                    "meets_80_rule": view.split.meets_rule,
                    "decisions": len(m.decisions),
                    "cancelled": m.cancelled,
                }
            )
    return frame(rows, MEETINGS)


@keywords_from("place")
def decisions(
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """The decisions the cycle's meetings took, by meeting then as recorded, with the priority
    each concerns (``<NA>`` for none).

    >>> import lpgp
    >>> lpgp.decisions()[["meeting_id", "priority_id", "text"]]
       meeting_id  priority_id                              text
    0           1            1  Same-day hub agreed in principle
    """
    with _store(store).read() as s:
        where = get_place(s, place)
        titles = {p.id: p.title for p in list_priorities(s, where, cycle)}
        rows = [
            {
                "id": d.id,
                "meeting_id": m.id,
                "meeting": m.title,
                "starts_local": _naive_london(m.starts_local),
                "text": d.text,
                "priority_id": d.priority_id,
                "priority": titles.get(d.priority_id) if d.priority_id else None,
                "recorded_at": d.recorded_at,
            }
            for m in list_meetings(s, where, cycle)
            for d in m.decisions
        ]
    return frame(rows, DECISIONS)


@keywords_from("place")
def agenda(
    meeting: int | str,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """A meeting's agenda in order (the meeting by id or title), with a running start time
    (London) for each item and the presenter's person id beside their name.

    The split is in ``df.attrs["split"]`` and any warning about the 80% rule in
    ``df.attrs["warning"]`` (None when the agenda keeps to it).

    >>> import lpgp
    >>> df = lpgp.agenda("Haverbrook place partnership board")
    >>> df[["position", "starts", "minutes", "kind"]]
       position              starts  minutes                           kind
    0         1 2027-04-13 10:00:00       20                    system_item
    1         2 2027-04-13 10:20:00       15                    system_item
    2         3 2027-04-13 10:35:00       10              business_as_usual
    3         4 2027-04-13 10:45:00       15  innovation_change_improvement
    4         5 2027-04-13 11:00:00       15  innovation_change_improvement
    >>> print(df.attrs["split"])
    [########===.........] 40% innovation, change and improvement (30 of 75 min)
    >>> print(df.attrs["warning"])
    Only 40% of the time (30 of 75 minutes) goes to innovation, change and improvement; ...
    """
    with _store(store).read() as s:
        where = get_place(s, place)
        view = show_agenda(s, where, meeting_id(s, where, meeting))
    start = pd.Timestamp(_naive_london(view.meeting.starts_local))
    rows = []
    offset = 0
    for item in view.items:
        rows.append(
            {
                "position": item.position,
                "starts": start + pd.Timedelta(minutes=offset),
                "title": item.title,
                "minutes": item.minutes,
                "kind": item.kind,
                "presenter": item.presenter,
                "presenter_id": item.presenter_id,
                "priority_id": item.priority_id,
                "action_id": item.action_id,
                "id": item.id,
            }
        )
        offset += item.minutes
    df = frame(rows, AGENDA)
    df.attrs["split"] = view.bar
    df.attrs["warning"] = view.warning
    return df
