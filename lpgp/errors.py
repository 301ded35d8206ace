"""The one exception family lpgp raises for anything a user can get wrong.

Every error carries a plain-English message that says what was wrong and where, so the CLI
and the pages can show it as it is, without a traceback.
"""

from __future__ import annotations

import re
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


class StoreMissing(ConfigError):
    """The database URL names no lpgp store: a file that does not exist or a database with no
    lpgp tables. Only ``lpgp init``, ``lpgp demo`` and ``lpgp db upgrade`` create one."""


class StoreOutOfDate(StateError):
    """The store's schema is older (or newer) than this lpgp's: nothing was read or changed;
    ``lpgp db upgrade`` brings an older store up to date."""


class StoreBusy(LpgpError):
    """Another process held the store's locks for longer than a page may wait: nothing was
    written, and the same change will very likely work in a moment."""


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
            where.append(f"column '{printable(self.column)}'")
        reason = printable(self.reason)
        return f"{', '.join(where)}: {reason}" if where else reason


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
        lines = [f"{printable(source)}: {n} problem{'s' if n != 1 else ''}, nothing was imported"]
        shown = self.problems[:50]
        lines += [f"  {p}" for p in shown]
        if n > len(shown):
            lines.append(f"  ... and {n - len(shown)} more")
        super().__init__("\n".join(lines))


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """Text fit to show in a message or a terminal: control characters (Unicode category Cc,
    such as the ESC that starts a terminal escape sequence) and the bidirectional controls
    U+202A-U+202E and U+2066-U+2069 are written as escapes, never sent as they are.

    >>> printable("Name\\x1b[31m"), printable("a\\u202eb")
    ('Name\\\\x1b[31m', 'a\\\\u202eb')
    """
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", str(text)
    )


def control_characters(text: str) -> list[str]:
    """The control and bidirectional-control characters in ``text``, escaped, in order.

    >>> control_characters("A\\tB\\u2066")
    ['\\\\x09', '\\\\u2066']
    """
    return [printable(c) for c in _CONTROL.findall(text)]
