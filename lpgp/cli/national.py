"""Step board, the monthly refresh from the national files: ``lpgp practices from-national``
(apart from board.py, so that only this command loads the national files' readers)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lpgp.cli.board import practices_app
from lpgp.cli.common import PlaceOpt, actor, show, store
from lpgp.cycle.board.national import read_national, refresh_place, selection
from lpgp.io.input_file import LIMIT_TEXT


@practices_app.command("from-national")
def practices_from_national(
    sizes: Annotated[
        Path,
        typer.Option(
            "--sizes",
            help="List sizes: gp-reg-pat-prac-all.csv (NHS England). Each file: at most "
            f"{LIMIT_TEXT}.",
        ),
    ],
    pcns: Annotated[
        Path, typer.Option("--pcns", help="PCN membership: ePCN.xlsx (ODS) or its CSV export.")
    ],
    practices: Annotated[
        Path, typer.Option("--practices", help="Names and status: epraccur.csv (ODS).")
    ],
    sub_icb: Annotated[
        list[str] | None,
        typer.Option("--sub-icb", help="Sub-ICB location code of the place (repeatable)."),
    ] = None,
    pcn: Annotated[
        list[str] | None, typer.Option("--pcn", help="PCN code, e.g. U12345 (repeatable).")
    ] = None,
    codes: Annotated[
        Path | None, typer.Option("--codes", help="File of ODS codes, one a line.")
    ] = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="Write the changes (without it nothing is written).")
    ] = False,
    place_key: PlaceOpt = None,
) -> None:
    """Build or refresh the place's practices from the national files; shows the diff first."""
    files = read_national(sizes, pcns, practices)
    chosen = selection(sub_icb, pcn, codes)
    for line in files.describe():
        typer.echo(f"Read {line}")
    typer.echo(f"Practices chosen by {chosen.describe()}")
    where, plan = refresh_place(store(), place_key, files, chosen, apply=apply, actor=actor())
    typer.echo("")
    show(plan.frame(), "table", "no changes")
    typer.echo("")
    typer.echo(plan.summary())
    for text in plan.warnings:
        typer.echo(f"Warning: {text}.")
    if plan.warning:
        typer.echo(f"Warning: {plan.warning}.")
    if apply:
        typer.echo(f"Written to {where.name}; list sizes are dated {plan.extract_date}.")
    else:
        typer.echo("Nothing written: run the same command with --apply to make these changes.")
