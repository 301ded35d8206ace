"""Step agendas, the board's meetings and what the place-based board did with its asks:
``lpgp meetings`` (add, edit, cancel, list, decide, minutes), ``lpgp agenda`` (propose, show,
add, import, move, retime, drop) and ``lpgp asks`` (log, list)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from sqlalchemy.orm import Session

from lpgp.analyst.delivery import asks as asks_frame
from lpgp.analyst.delivery import meetings as meetings_frame
from lpgp.cli.common import DeliveryCycleOpt, FormatOpt, PlaceOpt, actor, app, place, show, store
from lpgp.cycle.agendas.agenda_list import parse_agenda
from lpgp.cycle.agendas.agenda_rules import (
    AgendaView,
    Draft,
    Kind,
    check_minutes,
    parse_kind,
    split_html,
)
from lpgp.cycle.agendas.agenda_service import (
    add_item,
    agenda_items,
    drop_item,
    move_item,
    propose_agenda,
    retime_item,
    show_agenda,
)
from lpgp.cycle.agendas.ask import ask_log, log_ask
from lpgp.cycle.agendas.ask_rules import parse_outcome
from lpgp.cycle.agendas.meeting import (
    add_meeting,
    cancel_meeting,
    edit_meeting,
    get_meeting,
    record_decision,
    set_minutes,
)
from lpgp.cycle.agendas.meeting_rules import (
    Decision,
    Meeting,
    MeetingInput,
    cancelled_words,
    parse_board,
    parse_start,
)
from lpgp.cycle.agreed.priority import get_priority, list_priorities
from lpgp.cycle.board.person import list_people
from lpgp.errors import InvalidInput
from lpgp.io.input_file import LIMIT_TEXT
from lpgp.io.sheets import parse_date, read_sheet
from lpgp.model import Place

asks_app = typer.Typer(help="Asks of the system and what became of them.", no_args_is_help=True)
meetings_app = typer.Typer(help="Board meetings.", no_args_is_help=True)
agenda_app = typer.Typer(help="Meeting agendas and the 80% rule.", no_args_is_help=True)
app.add_typer(asks_app, name="asks")
app.add_typer(meetings_app, name="meetings")
app.add_typer(agenda_app, name="agenda")

MeetingArg = Annotated[int, typer.Argument(help="Meeting id (see 'lpgp meetings list').")]
ItemArg = Annotated[int, typer.Argument(help="The item's number on the agenda.")]


@asks_app.command("log")
def asks_log(
    priority: Annotated[str, typer.Argument(help="Priority number or title.")],
    outcome: Annotated[str, typer.Argument(help="raised, agreed, declined or deferred.")],
    meeting: Annotated[
        int | None, typer.Option("--meeting", help="Place-based board meeting id.")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Date (default: the meeting's, or today).")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A short note.")] = None,
    cycle: DeliveryCycleOpt = None,
    place_key: PlaceOpt = None,
) -> None:
    """Record what the place-based board did with a priority's ask."""
    result = parse_outcome(outcome)
    when = parse_date(on) if on else None
    where = place(place_key)
    event = store().write(
        lambda s: log_ask(
            s,
            where,
            priority,
            result,
            on=when,
            meeting_id=meeting,
            note=note,
            cycle=cycle,
            actor=actor(),
        )
    )
    typer.echo(f"Logged: ask {event.outcome.value} on {event.on}")


@asks_app.command("list")
def asks_list(
    log: Annotated[bool, typer.Option("--log", help="Show every log entry instead.")] = False,
    cycle: DeliveryCycleOpt = None,
    fmt: FormatOpt = "table",
    place_key: PlaceOpt = None,
) -> None:
    """Per priority: asks made and agreed, and days since the ask last moved."""
    if log:
        where = place(place_key)
        with store().read() as s:
            events = ask_log(s, where, cycle)
            names = {p.id: p.position for p in list_priorities(s, where, cycle)}
        df = pd.DataFrame(
            [
                {
                    "on": e.on,
                    "priority": names[e.priority_id],
                    "outcome": e.outcome.value,
                    "meeting": e.meeting or "",
                    "note": e.note or "",
                    "recorded_by": e.recorded_by,
                }
                for e in events
            ],
            columns=["on", "priority", "outcome", "meeting", "note", "recorded_by"],
        )
        show(df, fmt, "nothing logged yet")
        return
    df = asks_frame(cycle, place=place_key, store=store())
    show(df.drop(columns=["ask"]) if fmt == "table" else df, fmt, "no agreed list yet")


@meetings_app.command("add")
def meetings_add(
    board: Annotated[str, typer.Option("--board", help="'leadership' or 'place_based'.")],
    title: Annotated[str, typer.Option("--title", help="Title of the meeting.")],
    start: Annotated[str, typer.Option("--start", help="London time, e.g. '2027-05-04 14:00'.")],
    minutes: Annotated[int, typer.Option("--minutes", help="How long it lasts, in minutes.")],
    location: Annotated[str | None, typer.Option("--location", help="Where it meets.")] = None,
    video_link: Annotated[
        str | None, typer.Option("--video-link", help="Link to join online.")
    ] = None,
    attendee: Annotated[
        list[str] | None, typer.Option("--attendee", help="A person invited (repeat for more).")
    ] = None,
    cycle: DeliveryCycleOpt = None,
    place_key: PlaceOpt = None,
) -> None:
    """Schedule a meeting; a London time the clocks skip or repeat is refused."""
    item = MeetingInput(
        board=parse_board(board),
        title=title,
        start=parse_start(start),
        duration_minutes=minutes,
        location=location,
        video_link=video_link,
        attendees=tuple(attendee or ()),
    )
    where = place(place_key)
    made = store().write(lambda s: add_meeting(s, where, item, cycle=cycle, actor=actor()))
    typer.echo(f"Added meeting {made.id}: {made.title}, {_when(made)}")


def _when(m: Meeting) -> str:
    return f"{m.starts_local:%a %d %b %Y %H:%M} (London), {m.duration_minutes} minutes"


@meetings_app.command("edit")
def meetings_edit(
    meeting: MeetingArg,
    board: Annotated[
        str | None, typer.Option("--board", help="'leadership' or 'place_based'.")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="New London time, e.g. '2027-05-04 14:00'.")
    ] = None,
    minutes: Annotated[int | None, typer.Option("--minutes", help="New length in minutes.")] = None,
    location: Annotated[
        str | None, typer.Option("--location", help="Where it meets ('' to clear).")
    ] = None,
    video_link: Annotated[
        str | None, typer.Option("--video-link", help="Link to join online ('' to clear).")
    ] = None,
    attendee: Annotated[
        list[str] | None,
        typer.Option("--attendee", help="A person invited (repeat; replaces the list)."),
    ] = None,
    no_attendees: Annotated[
        bool, typer.Option("--no-attendees", help="Invite no one (clears the list).")
    ] = False,
    place_key: PlaceOpt = None,
) -> None:
    """Change a meeting: only the options given change; the invite's sequence rises."""
    if attendee and no_attendees:
        raise InvalidInput("give --attendee or --no-attendees, not both")
    people = () if no_attendees else (tuple(attendee) if attendee else None)
    given = (board, title, start, minutes, location, video_link, people)
    if all(value is None for value in given):
        raise InvalidInput(
            "nothing to change: give --title, --start, --minutes, --location, --video-link, "
            "--board or --attendee"
        )
    new_board = parse_board(board) if board is not None else None
    new_start = parse_start(start) if start is not None else None
    where = place(place_key)

    def work(s: Session) -> tuple[Meeting, Meeting]:
        before = get_meeting(s, where, meeting)
        after = edit_meeting(
            s,
            where,
            meeting,
            board=new_board,
            title=title,
            start=new_start,
            duration_minutes=minutes,
            location=location,
            video_link=video_link,
            attendees=people,
            actor=actor(),
        )
        return before, after

    before, after = store().write(work)
    if before == after:
        typer.echo(f"Meeting {after.id} already reads like that: nothing changed")
        return
    typer.echo(f"Saved meeting {after.id}: {after.title}, {_when(after)}")


@meetings_app.command("cancel")
def meetings_cancel(
    meeting: MeetingArg,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why it is called off (kept in the log).")
    ] = None,
    place_key: PlaceOpt = None,
) -> None:
    """Cancel a meeting: it is kept, shown as cancelled, and its invite goes out again as a
    cancellation."""
    where = place(place_key)
    gone = store().write(lambda s: cancel_meeting(s, where, meeting, reason=reason, actor=actor()))
    typer.echo(
        f"Cancelled meeting {gone.id}: {gone.title}, {_when(gone)}. Export the invites again "
        "to send the cancellation."
    )


@meetings_app.command("list")
def meetings_list(
    cycle: DeliveryCycleOpt = None, fmt: FormatOpt = "table", place_key: PlaceOpt = None
) -> None:
    """List the cycle's meetings with their agenda split."""
    df = meetings_frame(cycle, place=place_key, store=store())
    columns = [
        "id",
        "board",
        "title",
        "starts_local",
        "duration_minutes",
        "innovation_percent",
        "cancelled",
    ]
    show(df[columns] if fmt == "table" else df, fmt, "no meetings yet: lpgp meetings add")


@meetings_app.command("decide")
def meetings_decide(
    meeting: MeetingArg,
    text: Annotated[str, typer.Argument(help="The decision, in a sentence.")],
    priority: Annotated[
        str | None, typer.Option("--priority", help="Priority it concerns.")
    ] = None,
    place_key: PlaceOpt = None,
) -> None:
    """Record a decision a meeting took."""
    where = place(place_key)

    def work(s: Session) -> Decision:
        linked = get_priority(s, where, priority).id if priority else None
        return record_decision(s, where, meeting, text, priority_id=linked, actor=actor())

    decision = store().write(work)
    typer.echo(f"Recorded decision {decision.id} of meeting {meeting}")


@meetings_app.command("minutes")
def meetings_minutes(
    meeting: MeetingArg,
    text: Annotated[str, typer.Argument(help="Short minutes of the meeting.")],
    place_key: PlaceOpt = None,
) -> None:
    """Write a meeting's short minutes."""
    where = place(place_key)
    store().write(lambda s: set_minutes(s, where, meeting, text, actor=actor()))
    typer.echo(f"Saved the minutes of meeting {meeting}")


def _print_agenda(view: AgendaView, notes: list[str] | None = None) -> None:
    m = view.meeting
    typer.echo(f"{m.title} - {m.starts_local:%a %d %b %Y %H:%M} (London), {m.duration_minutes} min")
    if m.cancelled:
        typer.echo(f"Note: {cancelled_words(m)}; it takes no more changes")
    for item in view.items:
        who = f" - {item.presenter}" if item.presenter else ""
        typer.echo(
            f"  {item.position:>2}. [{item.kind.label}] {item.title} ({item.minutes} min){who}"
        )
    typer.echo(view.bar)
    for note in notes or []:
        typer.echo(f"Note: {note}")
    if view.overrun_minutes:
        typer.echo(
            f"Note: the agenda runs {view.overrun_minutes} minutes over the meeting's length"
        )
    if view.warning:
        typer.echo(textwrap.fill(f"Warning: {view.warning}", width=100, subsequent_indent="  "))


@agenda_app.command("propose")
def agenda_propose(
    meeting: MeetingArg,
    system: Annotated[
        list[str] | None,
        typer.Option(
            "--system", help="An item the system brings, as 'Title:minutes' (repeatable)."
        ),
    ] = None,
    place_key: PlaceOpt = None,
) -> None:
    """Propose an agenda for an empty meeting from the agreed priorities."""
    drafts = []
    for text in system or []:
        title, _, minutes = text.rpartition(":")
        if not title.strip() or not minutes.strip().isdigit():
            raise InvalidInput(f"--system '{text}' should look like 'ICB update:15'")
        drafts.append(Draft(title, check_minutes(int(minutes), f"'{title}'"), Kind.SYSTEM))
    where = place(place_key)
    view, notes = store().write(
        lambda s: propose_agenda(s, where, meeting, system_items=drafts, actor=actor())
    )
    _print_agenda(view, notes)


@agenda_app.command("show")
def agenda_show(
    meeting: MeetingArg,
    html: Annotated[bool, typer.Option("--html", help="Print the split as an HTML bar.")] = False,
    place_key: PlaceOpt = None,
) -> None:
    """Show a meeting's agenda, its time split and any warning."""
    where = place(place_key)
    with store().read() as s:
        view = show_agenda(s, where, meeting)
    if html:
        typer.echo(split_html(view.split))
        return
    _print_agenda(view)


def _item_id(where: Place, meeting: int, number: int) -> int:
    with store().read() as s:
        items = agenda_items(s, where, meeting)
    for item in items:
        if item.position == number:
            return item.id
    raise InvalidInput(f"meeting {meeting}'s agenda has no item {number} (it has {len(items)})")


@agenda_app.command("add")
def agenda_add(
    meeting: MeetingArg,
    title: Annotated[str, typer.Option("--title", help="What the item is.")],
    minutes: Annotated[int, typer.Option("--minutes", help="Minutes it gets.")],
    kind: Annotated[
        str, typer.Option("--kind", help="innovation, business (as usual) or system.")
    ] = "innovation",
    presenter: Annotated[str | None, typer.Option("--presenter", help="Who presents it.")] = None,
    priority: Annotated[
        str | None, typer.Option("--priority", help="Linked priority number or title.")
    ] = None,
    action: Annotated[int | None, typer.Option("--action", help="Linked action id.")] = None,
    position: Annotated[
        int | None, typer.Option("--position", help="Where (default: last).")
    ] = None,
    place_key: PlaceOpt = None,
) -> None:
    """Add an item to a meeting's agenda; the split recalculates."""
    where = place(place_key)
    draft_kind = parse_kind(kind)

    def work(s: Session) -> AgendaView:
        linked = None
        if priority:
            linked = get_priority(s, where, priority).id
        draft = Draft(title, minutes, draft_kind, linked, action, presenter)
        return add_item(s, where, meeting, draft, position=position, actor=actor())

    _print_agenda(store().write(work))


@agenda_app.command("import")
def agenda_import(
    meeting: MeetingArg,
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV or XLSX: Title, Minutes, and optionally Kind, Presenter, Priority "
            f"(at most {LIMIT_TEXT})."
        ),
    ],
    place_key: PlaceOpt = None,
) -> None:
    """Add items from a file to the end of an agenda; any bad row refuses the whole file."""
    where = place(place_key)
    sheet = read_sheet(file)  # before the transaction, as for actions

    def work(s: Session) -> AgendaView:
        meeting_cycle = get_meeting(s, where, meeting).cycle_id
        drafts = parse_agenda(
            sheet, list_people(s, where), list_priorities(s, where, meeting_cycle)
        )
        view = show_agenda(s, where, meeting)
        for draft in drafts:
            view = add_item(s, where, meeting, draft, actor=actor())
        return view

    _print_agenda(store().write(work))


@agenda_app.command("move")
def agenda_move(
    meeting: MeetingArg,
    item: ItemArg,
    to: Annotated[int, typer.Argument(help="Its new number on the agenda.")],
    place_key: PlaceOpt = None,
) -> None:
    """Move an agenda item to a new place."""
    where = place(place_key)
    item_id = _item_id(where, meeting, item)
    _print_agenda(store().write(lambda s: move_item(s, where, meeting, item_id, to, actor=actor())))


@agenda_app.command("retime")
def agenda_retime(
    meeting: MeetingArg,
    item: ItemArg,
    minutes: Annotated[int, typer.Option("--minutes", help="Its new length in minutes.")],
    place_key: PlaceOpt = None,
) -> None:
    """Give an agenda item a new length; the split recalculates."""
    where = place(place_key)
    item_id = _item_id(where, meeting, item)
    _print_agenda(
        store().write(lambda s: retime_item(s, where, meeting, item_id, minutes, actor=actor()))
    )


@agenda_app.command("drop")
def agenda_drop(meeting: MeetingArg, item: ItemArg, place_key: PlaceOpt = None) -> None:
    """Take an item off a meeting's agenda."""
    where = place(place_key)
    item_id = _item_id(where, meeting, item)
    _print_agenda(store().write(lambda s: drop_item(s, where, meeting, item_id, actor=actor())))
