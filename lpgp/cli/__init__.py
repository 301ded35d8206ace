"""The ``lpgp`` command: a thin shell over the library.

Library errors become one clean message on stderr and exit status 1; no traceback for a
user's mistake. Each capability registers its command group in :func:`_register`.
"""

from __future__ import annotations

import sys

import typer
from sqlalchemy.exc import OperationalError

from ..errors import LpgpError
from .common import app


def _register() -> None:
    from . import (  # noqa: F401  (commands attach themselves to the app)
        backup,
        delivery,
        export,
        foundation,
        serve,
        shortlist,
        vote,
        voting,
    )
    from .national import practices_from_national  # noqa: F401


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``lpgp`` console script."""
    _register()
    try:
        app(args=argv, prog_name="lpgp")
    except LpgpError as exc:
        typer.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except OperationalError as exc:
        typer.echo(f"Error: the database could not be used: {exc.orig}", err=True)
        sys.exit(1)


__all__ = ["app", "main"]
