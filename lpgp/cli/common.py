"""Pieces the command modules share, no step's in particular: the app, the --place and --cycle
options, the store, output helpers."""

from __future__ import annotations

import getpass
import os
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:  # the heavy parts load when a command first needs them, not for --help
    import pandas as pd

    from lpgp.model import Cycle, Place
    from lpgp.store import Store

app = typer.Typer(
    name="lpgp",
    help="Decide, vote on and deliver a local general practice leadership board's priorities.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

PlaceOpt = Annotated[
    str | None,
    typer.Option(
        "--place",
        envvar="LPGP_PLACE",
        help="Which place (slug or name); needed when the store holds more than one.",
    ),
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="Output as 'table' or 'csv'.")]
CycleOpt = Annotated[
    str | None, typer.Option("--cycle", help="Which cycle (name or id); default the current one.")
]
# The agreed list, actions, asks and meetings follow the cycle being delivered.
DeliveryCycleOpt = Annotated[
    str | None,
    typer.Option(
        "--cycle",
        help="Cycle name or id (default: the one being delivered, whose list was confirmed last).",
    ),
]


def store() -> Store:
    """The store named by LPGP_DATABASE_URL (default: the SQLite file under data/), which
    must exist: a mistyped URL is refused rather than made into a new, empty store. An older
    store is brought up to date, as ``lpgp db upgrade`` would."""
    from lpgp.store import existing_store

    return existing_store(migrate=True)


def new_or_existing_store() -> Store:
    """The store named by LPGP_DATABASE_URL, created or brought up to date if need be: for
    the only commands that may do so (``init``, ``demo``, ``db upgrade``)."""
    from lpgp.store import default_store

    return default_store()


def actor() -> str:
    """Who the audit log names for a command-line change."""
    return os.environ.get("LPGP_ACTOR") or f"cli:{getpass.getuser()}"


def place(key: str | None) -> Place:
    """Resolve --place against the store."""
    from lpgp.cycle.board.place import get_place

    with store().read() as s:
        return get_place(s, key)


def scope(place_key: str | None, cycle_key: str | None) -> tuple[Place, Cycle]:
    """Resolve --place and --cycle (default: the place's current cycle) against the store."""
    from lpgp.cycle.board.place import get_cycle

    where = place(place_key)
    with store().read() as s:
        return where, get_cycle(s, where, cycle_key)


def show(df: pd.DataFrame, fmt: str = "table", empty: str = "nothing to show") -> None:
    """Print a DataFrame for a terminal or as CSV (no cell a spreadsheet could run)."""
    if fmt == "csv":
        from lpgp.io import csv_writer

        typer.echo(csv_writer.frame_text(df), nl=False)
    elif fmt == "table":
        typer.echo(df.to_string(index=False) if len(df) else empty)
    else:
        raise typer.BadParameter(f"unknown format '{fmt}': use table or csv")
