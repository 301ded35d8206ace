"""Collectors: read the store and build the document model the renderers draw.

Each takes a session and a place first (like every domain module) and never writes. The
renderers never see the store, so what a file says can be tested from the model alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from lpgp import audit, clock
from lpgp.cycle.actions import tracker, tracker_rules
from lpgp.cycle.agendas.agenda_rules import Kind
from lpgp.cycle.agendas.agenda_rules import warning as agenda_warning
from lpgp.cycle.agendas.agenda_service import agenda_items
from lpgp.cycle.agendas.ask import ask_log, ask_progress
from lpgp.cycle.agendas.ask_rules import AskProgress
from lpgp.cycle.agendas.ask_rules import progress as ask_progress_of
from lpgp.cycle.agendas.meeting import get_meeting, list_meetings
from lpgp.cycle.agendas.meeting_rules import Meeting as StoredMeeting
from lpgp.cycle.agreed.priority import delivered_cycle, list_priorities
from lpgp.cycle.board.person import list_board, list_people
from lpgp.cycle.board.place import get_cycle
from lpgp.cycle.candidates.candidate import list_candidates
from lpgp.cycle.candidates.candidate_rules import CandidateState
from lpgp.cycle.exports.model import (
    ActionLog,
    ActionLogRow,
    AgendaEntry,
    AgendaPack,
    AgreedPriority,
    Audience,
    CandidateLine,
    Meeting,
    PcnTurnout,
    ResultBar,
    SummaryDoc,
    Turnout,
    VoteSummary,
)
from lpgp.cycle.shortlist.shortlist import get_shortlist
from lpgp.cycle.vote import recount, vote_rules
from lpgp.cycle.vote import vote as votes
from lpgp.errors import NotFound, StateError
from lpgp.model import Cycle, Place
from lpgp.voting import registry

# Audit actions that do not change what an invite says (things recorded at or after the meeting).
NOT_INVITE_CHANGES = frozenset({"meeting.added", "meeting.decision", "meeting.minutes"})


# What each method's headline number counts, for the chart's axis and the result table.
SCORE_LABELS = {
    "approval": "Practices approving",
    "points": "Points",
    "borda": "Borda points",
    "schulze": "Others beaten head to head",
    "irv": "First preferences",
}


def changes_invite(action: str) -> bool:
    """Whether an audit action changes what a meeting's invite says (its time, place, people,
    agenda, or that it is cancelled).

    >>> changes_invite("agenda.item_moved"), changes_invite("meeting.minutes")
    (True, False)
    >>> changes_invite("meeting.edited"), changes_invite("meeting.cancelled")
    (True, True)
    """
    return action.startswith(("meeting.", "agenda.")) and action not in NOT_INVITE_CHANGES


def invite_sequence(actions: Iterable[str]) -> int:
    """An invite's SEQUENCE from the meeting's audit trail: one per change since it was added.

    >>> invite_sequence(["meeting.added", "agenda.item_added", "agenda.item_moved"])
    2
    >>> invite_sequence(["meeting.added", "meeting.minutes", "ask.logged"])
    0
    >>> invite_sequence(["meeting.added", "meeting.edited", "meeting.cancelled"])
    2
    """
    return sum(1 for action in actions if changes_invite(action))


def ask_status(progress: AskProgress) -> str:
    """Where an ask stands with the place-based board, in a sentence.

    >>> from datetime import date
    >>> from lpgp.cycle.agendas.ask_rules import Outcome
    >>> p = AskProgress(1, 1, "Hub", "Fund it", "Dr A", 2, 1, 0, 1, Outcome.AGREED,
    ...                 date(2026, 11, 2), 21)
    >>> ask_status(p)
    'Agreed on 2 Nov 2026 (raised 2 times: 1 agreed, 0 declined, 1 deferred).'
    >>> ask_status(AskProgress(1, 1, "Hub", "Fund it", "Dr A", 0, 0, 0, 0, None, None, None))
    'Not yet taken to the place-based partnership board.'
    """
    if progress.latest is None or progress.last_progress is None:
        return "Not yet taken to the place-based partnership board."
    when = f"{progress.last_progress.day} {progress.last_progress:%b %Y}"
    times = "once" if progress.made == 1 else f"{progress.made} times"
    return (
        f"{progress.latest.value.capitalize()} on {when} (raised {times}: "
        f"{progress.agreed} agreed, {progress.declined} declined, {progress.deferred} deferred)."
    )


def _log_row(action: tracker_rules.Action) -> ActionLogRow:
    today = clock.today()
    return ActionLogRow(
        priority=action.priority,
        action=action.title,
        owner=action.owner,
        due=action.due,
        status=action.status.label,
        rag=action.rag.value.capitalize(),
        last_update_on=action.last_update,
        last_update=action.latest_note,
        overdue=action.overdue,
        rag_reason=tracker_rules.rag_reason(action.status, action.due, today),
        id=action.id,
    )


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)  # SQLite: naive UTC


def london_day(moment: datetime) -> date:
    """The London date of an instant.

    >>> london_day(datetime(2027, 6, 30, 23, 30, tzinfo=UTC))  # 00:30 BST on 1 July
    datetime.date(2027, 7, 1)
    """
    return _utc(moment).astimezone(clock.LONDON).date()


def known_at(on: date, recorded_at: datetime, moment: datetime) -> bool:
    """Whether a dated entry (an action's update, an entry in an ask's log) had happened by
    ``moment``: dated before that London day, or dated that very day and recorded before
    ``moment``. An entry carries only the day it happened, so on the meeting's own day the
    time it was recorded decides: the morning's update is in the pack of an afternoon
    meeting, and what the meeting itself decided (recorded after it began) is not.

    >>> start = datetime(2027, 1, 11, 10, 0, tzinfo=UTC)
    >>> known_at(date(2027, 1, 10), datetime(2027, 1, 20, tzinfo=UTC), start)  # entered late
    True
    >>> known_at(date(2027, 1, 11), datetime(2027, 1, 11, 9, 30, tzinfo=UTC), start)
    True
    >>> known_at(date(2027, 1, 11), datetime(2027, 1, 11, 11, 0, tzinfo=UTC), start)
    False
    >>> known_at(date(2027, 1, 12), datetime(2027, 1, 11, 9, 0, tzinfo=UTC), start)
    False
    """
    day = london_day(moment)
    if on != day:
        return on < day
    return _utc(recorded_at) < _utc(moment)


def pack_moment(starts_at: datetime, ends_at: datetime, now: datetime) -> datetime | None:
    """The moment an agenda pack shows actions and asks as at: the start of a meeting that
    is over; None (the latest) for a meeting still to come or under way.

    >>> start, end = datetime(2027, 1, 11, 10, tzinfo=UTC), datetime(2027, 1, 11, 12, tzinfo=UTC)
    >>> pack_moment(start, end, datetime(2027, 1, 11, 12, tzinfo=UTC)) == start
    True
    >>> pack_moment(start, end, datetime(2027, 1, 11, 11, tzinfo=UTC)) is None
    True
    """
    return _utc(starts_at) if _utc(ends_at) <= _utc(now) else None


def _row_at(
    action: tracker_rules.Action, updates: Sequence[tracker_rules.ActionUpdate], day: date
) -> tuple[tuple[int, date], ActionLogRow]:
    """An action as its ``updates`` (those known by then, oldest first) left it on ``day``,
    with where it sorts in the tracker's attention order on that day."""
    status, due, last, note = tracker_rules.current_state(updates)
    group = tracker_rules.attention_group(status, due, day)
    row = ActionLogRow(
        priority=action.priority,
        action=action.title,
        owner=action.owner,
        due=due,
        status=status.label,
        rag=tracker_rules.rag(status, due, day).value.capitalize(),
        last_update_on=last,
        last_update=note,
        overdue=group == 0,
        rag_reason=tracker_rules.rag_reason(status, due, day),
        id=action.id,
    )
    return (group, due), row


def actions_at(
    session: Session, place: Place, cycle_id: int | None, moment: datetime | None
) -> list[tuple[tracker_rules.Action, ActionLogRow]]:
    """The cycle's actions with their rows for a pack, in the tracker's attention order: as
    they stand now (``moment`` None), or as they stood at ``moment``, from the updates known
    by then (:func:`known_at`); an action with none yet had not been added and is left out.
    """
    actions = tracker.list_actions(session, place, cycle_id)
    if moment is None:
        return [(a, _log_row(a)) for a in actions]
    known: dict[int, list[tracker_rules.ActionUpdate]] = {}
    for update in tracker.action_updates(session, place):
        if known_at(update.on, update.recorded_at, moment):
            known.setdefault(update.action_id, []).append(update)
    day = london_day(moment)
    ranked = []
    for action in actions:
        if action.id in known:
            (group, due), row = _row_at(action, known[action.id], day)
            ranked.append(((group, due, action.priority_position, action.id), action, row))
    ranked.sort(key=lambda entry: entry[0])
    return [(action, row) for _, action, row in ranked]


def asks_at(
    session: Session, place: Place, cycle_id: int | None, moment: datetime | None
) -> dict[int, str]:
    """Where each priority's ask stood, by priority id: now (``moment`` None), or at
    ``moment`` from the log entries known by then (:func:`known_at`)."""
    if moment is None:
        return {a.priority_id: ask_status(a) for a in ask_progress(session, place, cycle_id)}
    events = [e for e in ask_log(session, place, cycle_id) if known_at(e.on, e.recorded_at, moment)]
    day = london_day(moment)
    return {
        p.id: ask_status(ask_progress_of(p, events, day))
        for p in list_priorities(session, place, cycle_id)
    }


def collect_summary(
    session: Session,
    place: Place,
    cycle: str | int | None = None,
    audience: Audience | str = Audience.PRACTICES,
) -> SummaryDoc:
    """The priority summary of a cycle: the agreed list with leads, asks and why now.

    >>> with store.read() as session:  # doctest: +SKIP
    ...     doc = collect_summary(session, get_place(session, None), audience="place_board")
    """
    where = delivered_cycle(session, place, cycle)
    agreed = list_priorities(session, place, where.id)
    asks = {a.priority_id: ask_status(a) for a in ask_progress(session, place, where.id)}
    return SummaryDoc(
        place=place.name,
        cycle=where.name,
        audience=Audience(audience),
        produced_on=clock.today(),
        priorities=tuple(
            AgreedPriority(p.position, p.title, p.lead, p.ask, p.why_now, p.measure, asks.get(p.id))
            for p in agreed
        ),
        candidates=_candidates(session, place, where, {p.candidate_id for p in agreed}),
        vote=_vote_summary(session, place, where),
    )


def _turnout(turnout: vote_rules.Turnout) -> Turnout:
    return Turnout(
        practices_voted=turnout.voted,
        practices_eligible=turnout.eligible,
        patients_voted=turnout.patients_voted,
        patients_eligible=turnout.patients_eligible,
        by_pcn=tuple(PcnTurnout(p.pcn, p.voted, p.eligible) for p in turnout.by_pcn),
    )


def _vote_summary(session: Session, place: Place, cycle: Cycle) -> VoteSummary | None:
    """The cycle's latest practice vote: counted once closed, its live turnout while open."""
    cycle_votes = votes.list_votes(session, place, cycle)
    if not cycle_votes:
        return None
    vote = cycle_votes[-1]
    method = registry.get(vote.method)
    label = SCORE_LABELS.get(vote.method, "Score")
    state = votes.state(session, vote)
    if state != "closed":
        return VoteSummary(
            method=method.name,
            explanation=method.summary,
            seats=vote.seats,
            score_label=label,
            turnout=_turnout(votes.turnout(session, vote)) if state == "open" else None,
            open_until=vote_rules.london_text(vote_rules.closing_time(vote)),
        )
    try:
        outcome = recount.results(session, vote)
    except StateError:  # closed with no ballots: nothing to show
        return None
    result = outcome.result
    return VoteSummary(
        method=method.name,
        explanation=" ".join(x for x in (method.summary, outcome.weighting_note) if x),
        seats=vote.seats,
        score_label=label,
        results=tuple(
            ResultBar(
                outcome.title_of(key), float(result.scores.get(key, 0)), key in result.winners
            )
            for key in result.candidates
        ),
        turnout=_turnout(outcome.turnout),
        tie_breaks=tuple(result.tie_breaks),
    )


def _candidates(
    session: Session, place: Place, cycle: Cycle, agreed_ids: set[int | None]
) -> tuple[CandidateLine, ...]:
    """Every candidate, the shortlist first in its order, with why one left or joined it."""
    shortlist = get_shortlist(session, place, cycle)
    entries = {e.candidate_id: e for e in shortlist.entries} if shortlist else {}
    order = {cid: e.position for cid, e in entries.items()}
    lines = []
    for c in list_candidates(session, place, cycle):
        entry = entries.get(c.id)
        note = entry.reason if entry else None
        if c.state is CandidateState.NOT_TAKEN_FORWARD and not note:
            note = "Not taken forward"
        lines.append(
            (
                order.get(c.id, len(order) + 1),
                CandidateLine(
                    title=c.title,
                    shortlisted=c.id in entries,
                    chosen=c.id in agreed_ids or c.state is CandidateState.AGREED,
                    note=note,
                ),
            )
        )
    lines.sort(key=lambda pair: pair[0])
    return tuple(line for _, line in lines)


def collect_actions(session: Session, place: Place, cycle: str | int | None = None) -> ActionLog:
    """The cycle's action log: by priority, what needs attention first within each.

    >>> with store.read() as session:  # doctest: +SKIP
    ...     log = collect_actions(session, get_place(session, None))
    """
    where = delivered_cycle(session, place, cycle)
    actions = tracker.list_actions(session, place, where.id)
    actions.sort(key=lambda a: a.priority_position)  # stable: keeps attention order within
    return ActionLog(
        place=place.name,
        cycle=where.name,
        produced_on=clock.today(),
        rows=tuple(_log_row(a) for a in actions),
        priorities=tuple(p.title for p in list_priorities(session, place, where.id)),
    )


def _changes(session: Session, place: Place) -> dict[int, list[tuple[str, datetime]]]:
    out: dict[int, list[tuple[str, datetime]]] = {}
    for entry in audit.entries(session, place.id):
        meeting_id = (entry.detail or {}).get("meeting")
        if isinstance(meeting_id, int):
            out.setdefault(meeting_id, []).append((entry.action, entry.at))
    return out


def _meeting(
    session: Session,
    place: Place,
    stored: StoredMeeting,
    changes: Sequence[tuple[str, datetime]],
    actions: Sequence[tuple[tracker_rules.Action, ActionLogRow]],
    asks: Mapping[int, str] | None = None,
) -> Meeting:
    titles = {p.id: p.title for p in list_priorities(session, place, stored.cycle_id)}
    entries = []
    for item in agenda_items(session, place, stored.id):
        linked = [
            (a, row)
            for a, row in actions
            if (item.priority_id is not None and a.priority_id == item.priority_id)
            or a.id == item.action_id
        ]
        titled = titles.get(item.priority_id) if item.priority_id is not None else None
        priority = titled or (linked[0][0].priority if linked else None)
        ask = None
        if asks is not None and item.priority_id is not None:
            ask = asks.get(item.priority_id)
        entries.append(
            AgendaEntry(
                title=item.title,
                minutes=item.minutes,
                kind=item.kind.label,
                innovation=item.kind is Kind.INNOVATION,
                presenter=item.presenter,
                priority=priority,
                actions=tuple(row for _, row in linked),
                ask_status=ask,
            )
        )
    edits = [at for action, at in changes if changes_invite(action)]
    email = {p.name: p.email for p in list_people(session, place) if p.email}
    chair = next((m.name for m in list_board(session, place) if m.is_chair), None)
    return Meeting(
        key=str(stored.id),
        title=stored.title,
        body=stored.board.label,
        start=stored.starts_at,
        minutes=stored.duration_minutes,
        location=stored.location,
        video_link=stored.video_link,
        attendees=stored.attendees,
        items=tuple(entries),
        sequence=invite_sequence(action for action, _ in changes),
        changed_at=max(edits) if edits else None,
        cancelled=stored.cancelled,
        emails=tuple((n, email[n]) for n in stored.attendees if n in email),
        organiser=(chair, email[chair]) if chair in email else None,
        uid=stored.uid,
    )


def collect_meetings(
    session: Session, place: Place, cycle: str | int | None = None
) -> list[Meeting]:
    """Every meeting of the cycle, earliest first, with agendas and invite sequence numbers.

    >>> with store.read() as session:  # doctest: +SKIP
    ...     meetings = collect_meetings(session, get_place(session, None))
    """
    where = delivered_cycle(session, place, cycle)
    changes = _changes(session, place)
    actions = actions_at(session, place, where.id, None)
    return [
        _meeting(session, place, m, changes.get(m.id, ()), actions)
        for m in list_meetings(session, place, where.id)
    ]


def next_meeting_id(session: Session, place: Place, cycle: str | int | None = None) -> int:
    """The id of the cycle's next meeting: the first that has not ended yet and is not
    cancelled.

    >>> with store.read() as session:  # doctest: +SKIP
    ...     pack = collect_agenda(session, place, next_meeting_id(session, place))
    """
    now = clock.now()
    where = delivered_cycle(session, place, cycle)
    for stored in list_meetings(session, place, where.id):
        if stored.cancelled:
            continue
        if stored.starts_at.timestamp() + 60 * stored.duration_minutes > now.timestamp():
            return stored.id
    raise NotFound(f"'{where.name}' has no meeting still to come: give a meeting id")


def collect_meeting(session: Session, place: Place, meeting_id: int) -> Meeting:
    """One meeting with its agenda, the linked actions as they stand now and its invite
    sequence.

    >>> with store.read() as session:  # doctest: +SKIP
    ...     meeting = collect_meeting(session, get_place(session, None), 3)
    """
    stored = get_meeting(session, place, meeting_id)
    actions = actions_at(session, place, stored.cycle_id, None)
    return _meeting(session, place, stored, _changes(session, place).get(stored.id, ()), actions)


def collect_agenda(session: Session, place: Place, meeting_id: int) -> AgendaPack:
    """The agenda pack of a meeting, with the agenda builder's warning when under the rule.

    A meeting that is over gets its actions (status, RAG, due date, latest update) and asks
    as they stood when it began (:func:`pack_moment`, :func:`known_at`), so a past meeting's
    pack still shows what was in front of the board; any other meeting gets the latest.

    >>> with store.read() as session:  # doctest: +SKIP
    ...     pack = collect_agenda(session, get_place(session, None), 3)
    """
    stored = get_meeting(session, place, meeting_id)
    moment = pack_moment(stored.starts_at, stored.ends_at, clock.now())
    meeting = _meeting(
        session,
        place,
        stored,
        _changes(session, place).get(stored.id, ()),
        actions_at(session, place, stored.cycle_id, moment),
        asks_at(session, place, stored.cycle_id, moment),
    )
    where = get_cycle(session, place, stored.cycle_id)
    warning = agenda_warning(agenda_items(session, place, meeting_id))
    return AgendaPack(
        place=place.name,
        cycle=where.name,
        meeting=meeting,
        produced_on=clock.today(),
        notes=(warning,) if warning else (),
        as_at=moment,
    )
