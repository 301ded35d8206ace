"""The ``lpgp`` command: a thin shell over the library.

Library errors become one clean message on stderr and exit status 1; no traceback for a
user's mistake. Each capability registers its command group in :func:`_register`.
"""

from __future__ import annotations

import sys

import typer
from sqlalchemy.exc import OperationalError

from ..errors import LpgpError, printable
from .common import app


def _register() -> None:
    # Importing a command module attaches its commands to the app.
    from . import (
        backup,  # noqa: F401
        export,  # noqa: F401
        foundation,  # noqa: F401
        serve,  # noqa: F401
        shortlist,  # noqa: F401
        vote,  # noqa: F401
        voting,  # noqa: F401
    )
    from .delivery import priorities_app  # noqa: F401
    from .national import practices_from_national  # noqa: F401


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``lpgp`` console script."""
    _register()
    try:
        app(args=argv, prog_name="lpgp")
    except LpgpError as exc:
        _fail(str(exc))
    except OperationalError as exc:
        _fail(f"the database could not be used: {exc.orig}")
    except OSError as exc:  # a file lpgp was given or told to write could not be used
        where = f"{exc.filename}: " if exc.filename else ""
        _fail(f"{where}{exc.strerror or exc}")


def _fail(message: str) -> None:
    """Print an error for a terminal and exit with status 1: control characters from a file
    or an argument (such as a terminal escape sequence) are shown escaped, line by line."""
    typer.echo("Error: " + "\n".join(printable(line) for line in message.split("\n")), err=True)
    sys.exit(1)


__all__ = ["app", "main"]
