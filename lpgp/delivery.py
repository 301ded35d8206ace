"""The analyst's view of delivery: the agreed list, actions, asks, meetings and agendas as
pandas DataFrames.

``lpgp.agenda`` is the function below; the module ``lpgp/agenda.py`` shares its name, so take
things from the module by name: ``from lpgp.agenda import time_split``.

Each takes an optional ``cycle`` (name or id; default the cycle being delivered, the one whose
list was confirmed last), ``place`` (slug, name or id; default the only place) and ``store``.
Nothing here writes.

>>> import lpgp  # doctest: +SKIP
>>> lpgp.actions().query("rag == 'red'")  # doctest: +SKIP
"""

from __future__ import annotations

import pandas as pd

from .agenda import show_agenda
from .api import _frame, _store
from .ask import ask_progress
from .meeting import list_meetings
from .place import get_place
from .priority import list_priorities
from .store import Store
from .tracker import STALE_WEEKS, list_actions


def priorities(
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """The agreed list in order: title, lead, ask of the system, why now, measure of success.

    >>> lpgp.priorities()[["position", "title", "lead"]]  # doctest: +SKIP
    """
    with _store(store).read() as s:
        items = list_priorities(s, get_place(s, place), cycle)
    cols = ["position", "title", "lead", "ask", "why_now", "measure", "candidate_id", "id"]
    return _frame(items, cols)


def actions(
    cycle: str | int | None = None,
    place: str | int | None = None,
    store: Store | str | None = None,
    *,
    priority: str | int | None = None,
    owner: str | int | None = None,
    status: str | None = None,
    rag: str | None = None,
    stale_weeks: int = STALE_WEEKS,
) -> pd.DataFrame:
    """The cycle's actions, what needs attention first, with RAG, overdue and stale flags;
    optionally only one priority's (number or title), one owner's, one status or one RAG.

    >>> df = lpgp.actions()  # doctest: +SKIP
    >>> df[df.overdue].groupby("owner").size()  # doctest: +SKIP
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
    cols = [
        "id",
        "priority_position",
        "priority",
        "title",
        "owner",
        "due",
        "status",
        "rag",
        "attention",
        "overdue",
        "due_soon",
        "stale",
        "last_update",
        "days_since_update",
        "latest_note",
    ]
    return _frame(items, cols)


def asks(
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """Per priority: its ask of the system, how often it was made and agreed, where it stands
    and how many days since it last moved.

    >>> lpgp.asks()[["title", "made", "agreed", "days_since_progress"]]  # doctest: +SKIP
    """
    with _store(store).read() as s:
        items = ask_progress(s, get_place(s, place), cycle)
    cols = [
        "position",
        "title",
        "ask",
        "lead",
        "made",
        "agreed",
        "declined",
        "deferred",
        "latest",
        "last_progress",
        "days_since_progress",
    ]
    df = _frame(items, cols)
    df["days_since_progress"] = df["days_since_progress"].astype("Int64")
    return df


def meetings(
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """The cycle's meetings with their London start, the agenda's split and whether it warns.

    >>> lpgp.meetings()[["title", "starts_local", "innovation_percent"]]  # doctest: +SKIP
    """
    with _store(store).read() as s:
        where = get_place(s, place)
        rows = []
        for m in list_meetings(s, where, cycle):
            view = show_agenda(s, where, m.id)
            rows.append(
                {
                    "id": m.id,
                    "board": m.board.value,
                    "title": m.title,
                    "starts_local": m.starts_local.replace(tzinfo=None),
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
    return pd.DataFrame(
        rows,
        columns=[
            "id",
            "board",
            "title",
            "starts_local",
            "starts_at_utc",
            "duration_minutes",
            "location",
            "video_link",
            "attendees",
            "agenda_minutes",
            "innovation_percent",
            "meets_80_rule",
            "decisions",
            "cancelled",
        ],
    )


def agenda(
    meeting: int,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """A meeting's agenda in order, with a running start time (London) for each item.

    The split and any warning are in ``df.attrs["split"]`` and ``df.attrs["warning"]``.

    >>> df = lpgp.agenda(1)  # doctest: +SKIP
    >>> print(df.attrs["warning"])  # doctest: +SKIP
    """
    with _store(store).read() as s:
        view = show_agenda(s, get_place(s, place), meeting)
    cols = ["position", "title", "minutes", "kind", "presenter", "priority_id", "action_id", "id"]
    df = _frame(list(view.items), cols)
    start = view.meeting.starts_local.replace(tzinfo=None)
    offsets = df["minutes"].cumsum().shift(fill_value=0) if len(df) else df["minutes"]
    df.insert(1, "starts", [start + pd.Timedelta(minutes=int(m)) for m in offsets])
    df.attrs["split"] = view.bar
    df.attrs["warning"] = view.warning
    return df
