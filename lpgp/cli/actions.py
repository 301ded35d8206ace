"""Step actions, the action tracker: ``lpgp actions`` (add, update, history, list, import)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from sqlalchemy.orm import Session

from lpgp.analyst.delivery import actions as actions_frame
from lpgp.cli.common import DeliveryCycleOpt, FormatOpt, PlaceOpt, actor, app, place, show, store
from lpgp.cycle.actions.action_list import parse_actions
from lpgp.cycle.actions.tracker import (
    action_updates,
    add_action,
    get_action,
    import_actions,
    priority_summaries,
    update_action,
)
from lpgp.cycle.actions.tracker_rules import Action, ActionInput, parse_status
from lpgp.cycle.agreed.priority import list_priorities
from lpgp.cycle.board.person import list_people
from lpgp.io.input_file import LIMIT_TEXT
from lpgp.io.sheets import parse_date, read_sheet

actions_app = typer.Typer(help="The action tracker.", no_args_is_help=True)
app.add_typer(actions_app, name="actions")


@actions_app.command("add")
def actions_add(
    priority: Annotated[str, typer.Option("--priority", help="Priority number or title.")],
    title: Annotated[str, typer.Option("--title", help="What will be done.")],
    owner: Annotated[str, typer.Option("--owner", help="Who owns it (a person of the place).")],
    due: Annotated[str, typer.Option("--due", help="Due date, e.g. 2027-05-04 or 04/05/2027.")],
    status: Annotated[str, typer.Option("--status", help="Starting status.")] = "not started",
    note: Annotated[str | None, typer.Option("--note", help="A first note.")] = None,
    cycle: DeliveryCycleOpt = None,
    place_key: PlaceOpt = None,
) -> None:
    """Add an action to an agreed priority."""
    item = ActionInput(priority, title, owner, parse_date(due), parse_status(status), note)
    where = place(place_key)
    made = store().write(lambda s: add_action(s, where, item, cycle=cycle, actor=actor()))
    typer.echo(f"Added action {made.id}: {made.title} ({made.owner}, due {made.due}, {made.rag})")


@actions_app.command("update")
def actions_update(
    action_id: Annotated[int, typer.Argument(help="Action id (see 'lpgp actions list').")],
    status: Annotated[str | None, typer.Option("--status", help="Status now.")] = None,
    due: Annotated[str | None, typer.Option("--due", help="A new due date.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="What happened.")] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Date of the update (default today).")
    ] = None,
    place_key: PlaceOpt = None,
) -> None:
    """Add a dated update to an action; earlier updates are kept as they were."""
    new_status = parse_status(status) if status else None
    new_due = parse_date(due) if due else None
    when = parse_date(on) if on else None
    where = place(place_key)
    done = store().write(
        lambda s: update_action(
            s, where, action_id, status=new_status, due=new_due, note=note, on=when, actor=actor()
        )
    )
    typer.echo(f"Action {done.id}: {done.status.label.lower()}, due {done.due}, RAG {done.rag}")


@actions_app.command("history")
def actions_history(
    action_id: Annotated[int, typer.Argument(help="Action id (see 'lpgp actions list').")],
    fmt: FormatOpt = "table",
    place_key: PlaceOpt = None,
) -> None:
    """Show every dated update of an action, oldest first."""
    where = place(place_key)
    with store().read() as s:
        updates = action_updates(s, where, get_action(s, where, action_id).id)
    df = pd.DataFrame(
        [
            {
                "on": u.on,
                "status": u.status.value,
                "due": u.due or "",
                "note": u.note or "",
                "recorded_by": u.recorded_by,
            }
            for u in updates
        ]
    )
    show(df, fmt)


@actions_app.command("list")
def actions_list(
    priority: Annotated[str | None, typer.Option("--priority", help="Only this priority.")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Only this owner.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="Only this status.")] = None,
    rag: Annotated[
        str | None, typer.Option("--rag", help="Only red, amber, green, grey or complete.")
    ] = None,
    stale_weeks: Annotated[
        int,
        typer.Option("--stale-weeks", help="Flag open actions with no update in this many weeks."),
    ] = 4,
    summary: Annotated[
        bool, typer.Option("--summary", help="One line per priority instead.")
    ] = False,
    cycle: DeliveryCycleOpt = None,
    fmt: FormatOpt = "table",
    place_key: PlaceOpt = None,
) -> None:
    """List actions, what needs attention first: overdue, off track, at risk, due soon."""
    if summary:
        where = place(place_key)
        with store().read() as s:
            rows = priority_summaries(s, where, cycle, stale_weeks=stale_weeks)
        df = pd.DataFrame(
            [
                {
                    "priority": f"{r.position}. {r.title}",
                    "actions": r.total,
                    **r.counts,
                    "stale": r.stale,
                    "next_due": r.next_due,
                    "days_since_update": r.days_since_update,
                }
                for r in rows
            ]
        )
        show(df, fmt, "no agreed list yet")
        return
    df = actions_frame(
        cycle,
        place=place_key,
        store=store(),
        priority=priority,
        owner=owner,
        status=status,
        rag=rag,
        stale_weeks=stale_weeks,
    )
    columns = [
        "id",
        "priority_position",
        "title",
        "owner",
        "due",
        "status",
        "rag",
        "attention",
        "stale",
    ]
    show(df[columns] if fmt == "table" else df, fmt, "no actions match")


@actions_app.command("import")
def actions_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV or XLSX: Priority, Action, Owner, Due, and optionally Status, Note "
            f"(at most {LIMIT_TEXT})."
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the file; write nothing.")
    ] = False,
    cycle: DeliveryCycleOpt = None,
    place_key: PlaceOpt = None,
) -> None:
    """Import actions; any bad row refuses the whole file and nothing is added."""
    where = place(place_key)
    # Read before the transaction: a large file must not hold the store's write lock (every
    # page of a running server that writes would wait for it).
    sheet = read_sheet(file)
    if dry_run:
        with store().read() as s:
            items = parse_actions(sheet, list_people(s, where), list_priorities(s, where, cycle))
        typer.echo(f"{file.name}: {len(items)} actions are ready to import; nothing was written")
        return

    def work(s: Session) -> list[Action]:
        items = parse_actions(sheet, list_people(s, where), list_priorities(s, where, cycle))
        return import_actions(s, where, items, cycle=cycle, actor=actor())

    added = store().write(work)
    typer.echo(f"{file.name}: added {len(added)} actions")
