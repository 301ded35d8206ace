"""Step board, the place and who is in it: ``lpgp practices`` (import, list, deactivate; its
from-national is in national.py), ``lpgp people``, ``lpgp board`` (its codes is in serve.py),
``lpgp cycles`` and ``lpgp places``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from lpgp import clock
from lpgp.analyst import board as api
from lpgp.cli.common import FormatOpt, PlaceOpt, actor, app, place, show, store
from lpgp.cycle.board import place as places
from lpgp.cycle.board.people_list import parse_people
from lpgp.cycle.board.person import (
    add_board_member,
    import_people,
    remove_board_member,
    retire_person,
    set_chair,
    set_facilitator,
    upsert_person,
)
from lpgp.cycle.board.person_rules import PeopleImport, PersonInput
from lpgp.cycle.board.practice import deactivate_practice, import_practices, list_practices
from lpgp.cycle.board.practice_list import read_practices
from lpgp.cycle.board.practice_rules import ImportReport
from lpgp.io.input_file import LIMIT_TEXT
from lpgp.io.sheets import parse_date, read_sheet
from lpgp.model import parse_role

practices_app = typer.Typer(help="The place's GP practices.", no_args_is_help=True)
people_app = typer.Typer(help="People: board members, action owners, leads.", no_args_is_help=True)
board_app = typer.Typer(help="The leadership board.", no_args_is_help=True)
cycles_app = typer.Typer(help="Cycles, e.g. '2027/28 priorities'.", no_args_is_help=True)
places_app = typer.Typer(help="Places held in this store.", no_args_is_help=True)
app.add_typer(practices_app, name="practices")
app.add_typer(people_app, name="people")
app.add_typer(board_app, name="board")
app.add_typer(cycles_app, name="cycles")
app.add_typer(places_app, name="places")


def _print_report(report: ImportReport, what: str = "practices") -> None:
    typer.echo(f"{what}: {report.summary()}")
    for code in report.added:
        typer.echo(f"  + {code}")
    for change in report.changed:
        detail = "; ".join(f"{k}: {a!s} -> {b!s}" for k, (a, b) in change.fields.items())
        typer.echo(f"  ~ {change.ods_code} {detail}")
    for code in report.deactivated:
        typer.echo(f"  - {code} (deactivated)")
    for code in report.reactivated:
        typer.echo(f"  ^ {code} (reactivated)")


@practices_app.command("import")
def practices_import(
    file: Annotated[
        Path, typer.Argument(help=f"CSV or XLSX practice list (at most {LIMIT_TEXT}).")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the changes; write nothing.")
    ] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date of the list sizes (default: today).")
    ] = None,
    keep_missing: Annotated[
        bool, typer.Option("--keep-missing", help="Do not deactivate practices absent from FILE.")
    ] = False,
    place_key: PlaceOpt = None,
) -> None:
    """Import or refresh the practice list; any bad row refuses the whole file."""
    when = parse_date(as_of) if as_of else clock.today()
    incoming = read_practices(file, as_of=when)
    where = place(place_key)
    report = store().write(
        lambda s: import_practices(
            s,
            where,
            incoming,
            dry_run=dry_run,
            deactivate_missing=not keep_missing,
            actor=actor(),
            source=file.name,
        )
    )
    _print_report(report)


@practices_app.command("list")
def practices_list(
    all_: Annotated[bool, typer.Option("--all", help="Include inactive practices.")] = False,
    fmt: FormatOpt = "table",
    place_key: PlaceOpt = None,
) -> None:
    """List the place's practices."""
    df = api.practices(place=place_key, active_only=not all_, store=store())
    show(df, fmt, "no practices yet: lpgp practices import FILE")


@practices_app.command("deactivate")
def practices_deactivate(
    code: Annotated[str, typer.Argument(help="ODS code.")], place_key: PlaceOpt = None
) -> None:
    """Mark a practice inactive (it is never deleted)."""
    where = place(place_key)
    store().write(lambda s: deactivate_practice(s, where, code, actor=actor()))
    typer.echo(f"{code.upper()} is now inactive.")


def _date_or_none(text: str | None) -> date | None:
    return parse_date(text) if text else None


@people_app.command("add")
def people_add(
    name: Annotated[str, typer.Argument(help="Full name.")],
    role: Annotated[str, typer.Option("--role", help="e.g. 'PCN clinical director'.")],
    pcn: Annotated[str | None, typer.Option("--pcn", help="PCN name.")] = None,
    practice: Annotated[str | None, typer.Option("--practice", help="Practice ODS code.")] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    active_from: Annotated[str | None, typer.Option("--from", help="Active from (date).")] = None,
    active_to: Annotated[str | None, typer.Option("--to", help="Active to (date).")] = None,
    place_key: PlaceOpt = None,
) -> None:
    """Add a person (or update the one with that name)."""
    item = PersonInput(
        name=name,
        role=parse_role(role),
        pcn=pcn,
        practice=practice,
        email=email,
        active_from=_date_or_none(active_from),
        active_to=_date_or_none(active_to),
    )
    where = place(place_key)
    person = store().write(lambda s: upsert_person(s, where, item, actor=actor()))
    typer.echo(f"Saved {person.name} ({person.role.label}).")


@people_app.command("list")
def people_list(fmt: FormatOpt = "table", place_key: PlaceOpt = None) -> None:
    """List the place's people."""
    show(
        api.people(place=place_key, store=store()),
        fmt,
        "no people yet: lpgp people add NAME --role R",
    )


@people_app.command("retire")
def people_retire(
    name: Annotated[str, typer.Argument(help="Name (or id) of the person.")],
    on: Annotated[
        str | None, typer.Option("--on", help="Their last active day (default: today).")
    ] = None,
    place_key: PlaceOpt = None,
) -> None:
    """Record the last day a person is active (they are kept, never deleted)."""
    when = parse_date(on) if on else clock.today()
    where = place(place_key)
    person = store().write(lambda s: retire_person(s, where, name, when, actor=actor()))
    typer.echo(f"{person.name} is active until {person.active_to:%d %b %Y}.")


def _print_people(report: PeopleImport) -> None:
    typer.echo(f"people: {report.summary()}")
    for item in report.added:
        typer.echo(f"  + {item.name} ({item.role.label})")
    for item, fields in report.updated:
        typer.echo(f"  ~ {item.name}: {', '.join(fields)}")


@people_app.command("import")
def people_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV or XLSX: Name and Role, and optionally PCN, Practice (its ODS code) and "
            f"Email; one row per person (at most {LIMIT_TEXT})."
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the file; write nothing.")
    ] = False,
    place_key: PlaceOpt = None,
) -> None:
    """Import people (matched by name: new ones added, known ones updated); any bad row
    refuses the whole file."""
    sheet = read_sheet(file)  # a missing or unreadable file is refused before anything else
    where = place(place_key)
    with store().read() as s:
        known = [p.ods_code for p in list_practices(s, where)]
    incoming = parse_people(sheet, practices=known)
    report = store().write(
        lambda s: import_people(
            s, where, incoming, dry_run=dry_run, actor=actor(), source=file.name
        )
    )
    _print_people(report)


@board_app.command("add")
def board_add(
    person: Annotated[str, typer.Argument(help="Name (or id) of a person already added.")],
    chair: Annotated[bool, typer.Option("--chair", help="Make them the chair.")] = False,
    facilitator: Annotated[
        bool, typer.Option("--facilitator", help="Let them run the facilitator pages.")
    ] = False,
    place_key: PlaceOpt = None,
) -> None:
    """Put a person on the leadership board."""
    where = place(place_key)
    member = store().write(
        lambda s: add_board_member(
            s, where, person, chair=chair, facilitator=facilitator, actor=actor()
        )
    )
    typer.echo(f"{member.name} is on the board.")


@board_app.command("list")
def board_list(fmt: FormatOpt = "table", place_key: PlaceOpt = None) -> None:
    """List the board, chair first."""
    show(
        api.board(place=place_key, store=store()), fmt, "no board members yet: lpgp board add NAME"
    )


@board_app.command("remove")
def board_remove(
    person: Annotated[str, typer.Argument(help="Name (or id) of the board member.")],
    place_key: PlaceOpt = None,
) -> None:
    """Take a member off the board (the chair and the last facilitator cannot leave); their
    sign-in code stops working."""
    where = place(place_key)
    gone = store().write(lambda s: remove_board_member(s, where, person, actor=actor()))
    typer.echo(f"{gone.name} is no longer on the board; their sign-in code no longer works.")


@board_app.command("chair")
def board_chair(
    person: Annotated[str, typer.Argument(help="Name (or id) of the board member.")],
    place_key: PlaceOpt = None,
) -> None:
    """Make a board member the chair (the previous chair stays a member)."""
    where = place(place_key)
    member = store().write(lambda s: set_chair(s, where, person, actor=actor()))
    typer.echo(f"{member.name} is now the chair.")


@board_app.command("facilitator")
def board_facilitator(
    person: Annotated[str, typer.Argument(help="Name (or id) of the board member.")],
    off: Annotated[
        bool, typer.Option("--off", help="Stop them facilitating (not the last facilitator).")
    ] = False,
    place_key: PlaceOpt = None,
) -> None:
    """Let a board member run the workshop app, or with --off stop them."""
    where = place(place_key)
    member = store().write(lambda s: set_facilitator(s, where, person, not off, actor=actor()))
    state = "no longer a facilitator" if off else "a facilitator"
    typer.echo(f"{member.name} is now {state}.")


@cycles_app.command("new")
def cycles_new(
    name: Annotated[str, typer.Argument(help="e.g. '2027/28 priorities'.")],
    place_key: PlaceOpt = None,
) -> None:
    """Start a new cycle; it becomes the current one."""
    where = place(place_key)
    cycle = store().write(lambda s: places.create_cycle(s, where, name, actor=actor()))
    typer.echo(f"Cycle '{cycle.name}' is now current.")


@cycles_app.command("list")
def cycles_list(fmt: FormatOpt = "table", place_key: PlaceOpt = None) -> None:
    """List the place's cycles."""
    show(api.cycles(place=place_key, store=store()), fmt, "no cycles yet: lpgp cycles new NAME")


@places_app.command("list")
def places_list(fmt: FormatOpt = "table") -> None:
    """List the places in this store."""
    show(api.places(store=store()), fmt, "no places yet: lpgp init --place NAME")
