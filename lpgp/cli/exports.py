"""Step exports, the cycle's files: ``lpgp export`` (summary, actions, agenda, invites, all) writes
the priority summary, action log, agenda packs and invites."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from lpgp.analyst import exports as api
from lpgp.cli.common import CycleOpt, PlaceOpt, app, store

export_app = typer.Typer(
    help="Write files for practices and the place-based board.", no_args_is_help=True
)
app.add_typer(export_app, name="export")

OutOpt = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="File to write (default: in this folder, named for it)."),
]


def _format(allowed: tuple[str, ...]) -> Any:  # typer.Option(), typed Any by Typer
    return typer.Option("--format", "-f", help=f"One of {', '.join(allowed)}.")


def _done(paths: list[Path]) -> None:
    for path in paths:
        typer.echo(f"Wrote {path}")


@export_app.command("summary")
def summary(
    fmt: Annotated[str, _format(api.SUMMARY_FORMATS)] = "html",
    out: OutOpt = None,
    audience: Annotated[
        str, typer.Option(help="Who reads it: 'practices' or 'place_board'.")
    ] = "practices",
    cycle: CycleOpt = None,
    place_key: PlaceOpt = None,
) -> None:
    """The priority summary (HTML, PDF, Word or Markdown)."""
    path = out or Path(f"priority-summary-{audience}.{fmt}")
    api.pick_format(path, fmt, api.SUMMARY_FORMATS, "a summary")  # before the store is opened
    _done([api.export_summary(path, fmt, cycle, place=place_key, audience=audience, store=store())])


@export_app.command("actions")
def actions(
    fmt: Annotated[str, _format(api.ACTION_FORMATS)] = "xlsx",
    out: OutOpt = None,
    cycle: CycleOpt = None,
    place_key: PlaceOpt = None,
) -> None:
    """The action log (Excel workbook or CSV)."""
    path = out or Path(f"action-log.{fmt}")
    api.pick_format(path, fmt, api.ACTION_FORMATS, "the action log")
    _done([api.export_actions(path, fmt, cycle, place=place_key, store=store())])


@export_app.command("agenda")
def agenda(
    fmt: Annotated[str, _format(api.AGENDA_FORMATS)] = "docx",
    out: OutOpt = None,
    meeting: Annotated[
        int | None, typer.Option(help="Meeting id; default the next meeting.")
    ] = None,
    cycle: CycleOpt = None,
    place_key: PlaceOpt = None,
) -> None:
    """A meeting's agenda pack (Word, HTML or PDF); a past meeting's shows its actions as they
    stood when it began."""
    path = out or Path(f"agenda-pack.{fmt}")
    api.pick_format(path, fmt, api.AGENDA_FORMATS, "an agenda pack")
    _done([api.export_agenda(path, fmt, meeting, cycle, place=place_key, store=store())])


@export_app.command("invites")
def invites(
    fmt: Annotated[str, _format(api.INVITE_FORMATS)] = "ics",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="An .ics file, or a folder for one file per meeting plus one."
        ),
    ] = None,
    meeting: Annotated[
        str, typer.Option(help="Meeting id, 'next' or 'all' (for an .ics file).")
    ] = "next",
    cycle: CycleOpt = None,
    place_key: PlaceOpt = None,
) -> None:
    """Meeting invites (iCalendar .ics) for calendar programs."""
    api.pick_format(f"x.{fmt}", None, api.INVITE_FORMATS, "invites")
    path = out or Path("meeting.ics")
    _done(api.export_invites(path, meeting, cycle, place=place_key, store=store()))


@export_app.command("all")
def everything(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write into.")] = Path(
        "exports"
    ),
    cycle: CycleOpt = None,
    place_key: PlaceOpt = None,
) -> None:
    """Every export of the cycle into one folder (summaries, action log, agendas, invites)."""
    _done(api.export_all(out, cycle, place=place_key, store=store()))
