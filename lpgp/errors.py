"""The one exception family lpgp raises for anything a user can get wrong.

Every error carries a plain-English message that says what was wrong and where, so the CLI
and the pages can show it as it is, without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class LpgpError(Exception):
    """Base of every error lpgp raises on purpose; its text is fit to show a user."""


class ConfigError(LpgpError):
    """A setting (database URL, key file, folder) is missing or unusable."""


class NotFound(LpgpError):
    """A named thing (place, practice, person, cycle, vote...) does not exist in this place."""


class InvalidInput(LpgpError):
    """A value given by a user breaks a rule; the message names the field and the rule."""


class StateError(LpgpError):
    """The thing exists but is in the wrong state for this (a closed vote, a locked scoring)."""


@dataclass(frozen=True)
class Problem:
    """One bad cell or row in an imported file: where it is and why it was refused."""

    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


class ImportRejected(InvalidInput):
    """An imported file had bad rows; nothing from it was written.

    >>> e = ImportRejected("practices.csv", [Problem(3, "ODS code", "'X1' is not an ODS code")])
    >>> print(e)
    practices.csv: 1 problem, nothing was imported
      row 3, column 'ODS code': 'X1' is not an ODS code
    """

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        n = len(self.problems)
        lines = [f"{source}: {n} problem{'s' if n != 1 else ''}, nothing was imported"]
        shown = self.problems[:50]
        lines += [f"  {p}" for p in shown]
        if n > len(shown):
            lines.append(f"  ... and {n - len(shown)} more")
        super().__init__("\n".join(lines))
