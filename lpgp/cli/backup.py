"""The store, no step's in particular: ``lpgp backup`` takes a consistent copy of it while lpgp
runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lpgp.backup import backup as take_backup
from lpgp.cli.common import app, store


@app.command()
def backup(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="File to write (replaced only once the copy is complete). "
            "Default: data/backups/lpgp-<time>.sqlite, or .dump for PostgreSQL.",
        ),
    ] = None,
) -> None:
    """Back up the store: SQLite with its online backup API, PostgreSQL with pg_dump."""
    done = take_backup(store(), out)
    typer.echo(f"Backed up the store to {done.path} ({done.size / 1024:.0f} KB).")
    typer.echo(done.restore_hint[0].upper() + done.restore_hint[1:] + ".")
