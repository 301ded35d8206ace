"""The ``lpgp`` command: a thin shell over the library.

Library errors become one clean message on stderr and exit status 1; no traceback for a
user's mistake. Each step of the cycle has its module of commands (``lpgp.cli.board`` to
``lpgp.cli.exports``), named as in ``lpgp/cycle/``; :func:`_register` imports them all.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from lpgp.cli.common import app
from lpgp.errors import LpgpError, printable

if TYPE_CHECKING:
    # Typer carries its own copy of Click and types TyperGroup's methods with its classes.
    from typer._click.core import Command, Context
    from typer._click.formatting import HelpFormatter

# Every top-level command and group, the module that defines it and its line in ``lpgp
# --help``, so that listing them imports none of them (and none of pandas or SQLAlchemy):
# ``lpgp --help`` answers in a fraction of a second. A test checks each line against the
# command's own help, so the two cannot drift apart.
COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "backup": (
        ("backup",),
        "Back up the store: SQLite with its online backup API, PostgreSQL with pg_dump.",
    ),
    "init": (
        ("db",),
        "Create the store (if new), a first place with --place and its chair with --chair.",
    ),
    "demo": (
        ("db",),
        "Load the fictional demo place (Haverbrook) with its practices, board and a cycle.",
    ),
    "serve": (
        ("serve",),
        "Start the workshop app: sign-in, ballots and scoring sheets, and the facilitator pages.",
    ),
    "lab": (
        ("serve",),
        "Open JupyterLab on the notebooks, with the same store, for analysts who edit them.",
    ),
    "tally": (
        ("tally",),
        "Count a file of ballots by one method and print the plain-English explanation.",
    ),
    "export": (("exports",), "Write files for practices and the place-based board."),
    "practices": (("board", "national"), "The place's GP practices."),
    "people": (("board",), "People: board members, action owners, leads."),
    "board": (("board", "serve"), "The leadership board."),
    "cycles": (("board",), "Cycles, e.g. '2027/28 priorities'."),
    "places": (("board",), "Places held in this store."),
    "db": (("db",), "The store itself."),
    "candidates": (("candidates",), "Candidate priorities the board drafts."),
    "scores": (("shortlist",), "The board's scores: criteria, marks, interests, the summary."),
    "shortlist": (("shortlist",), "The shortlist put to the practices."),
    "vote": (("vote",), "Practice votes: set-up, codes, casting, turnout and results."),
    "priorities": (("agreed",), "The agreed list of priorities."),
    "actions": (("actions",), "The action tracker."),
    "asks": (("agendas",), "Asks of the system and what became of them."),
    "meetings": (("agendas",), "Board meetings."),
    "agenda": (("agendas",), "Meeting agendas and the 80% rule."),
}


class _LazyRoot(TyperGroup):
    """The ``lpgp`` group: a command's module is imported only when that command runs (or
    its own help is asked for); the list in ``lpgp --help`` comes from :data:`COMMANDS`."""

    _listing = False

    def list_commands(self, ctx: Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name not in COMMANDS:
            return None
        modules, line = COMMANDS[cmd_name]
        if self._listing:
            return TyperCommand(cmd_name, short_help=line)
        for module in modules:
            importlib.import_module(f"{__name__}.{module}")
        return typer.main.get_group(app).commands.get(cmd_name)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def _lazy_root() -> _LazyRoot:
    return _LazyRoot(
        name="lpgp",
        help=app.info.help,
        no_args_is_help=True,
        rich_markup_mode=app.rich_markup_mode,
    )


# Every command module: one per step of the cycle, named and ordered as in lpgp/cycle/ (with
# national beside board and tally beside vote), then the store's and the workshop app's.
_MODULES = (
    "board",
    "national",
    "candidates",
    "shortlist",
    "vote",
    "tally",
    "agreed",
    "actions",
    "agendas",
    "exports",
    "db",
    "serve",
    "backup",
)


def _register() -> None:
    # Importing a command module attaches its commands to the app.
    for name in _MODULES:
        importlib.import_module(f"{__name__}.{name}")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``lpgp`` console script."""
    try:
        _lazy_root()(args=argv, prog_name="lpgp")
    except LpgpError as exc:
        _fail(str(exc))
    except OSError as exc:  # a file lpgp was given or told to write could not be used
        where = f"{exc.filename}: " if exc.filename else ""
        _fail(f"{where}{exc.strerror or exc}")
    except Exception as exc:
        # Only a command that opened the store can meet SQLAlchemy's errors, so it is loaded.
        errors = sys.modules.get("sqlalchemy.exc")
        if errors is None or not isinstance(exc, errors.OperationalError):
            raise
        _fail(f"the database could not be used: {exc.orig}")


def _fail(message: str) -> None:
    """Print an error for a terminal and exit with status 1: control characters from a file
    or an argument (such as a terminal escape sequence) are shown escaped, line by line."""
    typer.echo("Error: " + "\n".join(printable(line) for line in message.split("\n")), err=True)
    sys.exit(1)


__all__ = ["app", "main"]
