"""The one CSV writer for everything lpgp writes: no cell a spreadsheet could run as a formula.

Titles, names and emails come from people, so any of them may start like a formula
(``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``, ``@SUM(1)``). A spreadsheet opening the CSV would
run it. Every text cell that starts with a formula character (``= + - @``, tab or carriage
return), also after leading spaces, gets a leading apostrophe, which spreadsheets show as
text and hide. Numbers (and text that is only a plain number, such as ``-3`` or ``2.5``) stay
numbers. A cell that already starts with an apostrophe before such text gets one more, so
:func:`restore_cell` (used by lpgp's own CSV readers) gives back exactly what was written:
a listed file can be imported again unchanged.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TextIO

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could take this text for a formula (leading spaces ignored).

    >>> [looks_like_formula(t) for t in ("=SUM(A1:A3)", "  @SUM(1)", "Sum")]
    [True, True, False]
    """
    return text.lstrip(" ").startswith(FORMULA_START)


def _guarded(text: str) -> bool:
    """Text whose first cell character a reader would take away: a formula, or apostrophes
    before one."""
    return looks_like_formula(text.lstrip("'"))


def safe_text(text: str) -> str:
    """Text as a CSV cell: a leading apostrophe when it could run as a formula.

    >>> safe_text("=cmd|' /C calc'!A0")
    "'=cmd|' /C calc'!A0"
    >>> safe_text("Same-day access"), safe_text("-3"), safe_text("'=x")
    ('Same-day access', '-3', "''=x")
    """
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    return f"'{text}" if _guarded(text) else text


def restore_cell(text: str) -> str:
    """A cell as it was before :func:`safe_text`: one guarding apostrophe taken away.

    >>> restore_cell("'=HYPERLINK(1)"), restore_cell("''=x"), restore_cell("'Tis")
    ('=HYPERLINK(1)', "'=x", "'Tis")
    """
    return text[1:] if text.startswith("'") and _guarded(text[1:]) else text


def safe_cell(value: Any) -> Any:
    """One value as a CSV cell: numbers as they are, text made safe, None and NaN empty.

    >>> safe_cell(-2), safe_cell(0.5), safe_cell(None), safe_cell("@SUM(1)")
    (-2, 0.5, '', "'@SUM(1)")
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Number | Decimal):
        if isinstance(value, float) and math.isnan(value):
            return ""
        return value
    if not isinstance(value, str):
        try:
            if pd.isna(value):
                return ""
        except (TypeError, ValueError):
            pass
        value = str(value)
    return safe_text(value)


class _Rows:
    """Rows to CSV text with a cell holding a carriage return or a line feed always quoted,
    whatever the line terminator (the csv module alone quotes only the characters of the
    terminator it writes, so a lone CR in a name would have split the row in a spreadsheet)."""

    def __init__(self, handle: TextIO, **fmtparams: Any) -> None:
        self._handle = handle
        self._end = fmtparams.pop("lineterminator", "\r\n")
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\r\n", **fmtparams)

    def write(self, cells: list[Any]) -> int:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(cells)
        line = self._buffer.getvalue()[:-2] + self._end
        self._handle.write(line)
        return len(line)


class SafeWriter:
    """A :func:`csv.writer` whose every cell goes through :func:`safe_cell`."""

    def __init__(self, handle: TextIO, **fmtparams: Any) -> None:
        self._rows = _Rows(handle, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> int:
        """Write one row of cells; returns how many characters were written."""
        return self._rows.write([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write many rows."""
        for row in rows:
            self.writerow(row)


def writer(handle: TextIO, **fmtparams: Any) -> SafeWriter:
    """A CSV writer on ``handle`` that never writes a formula; takes csv.writer's options.

    >>> out = io.StringIO()
    >>> writer(out, lineterminator="\\n").writerow(["=1+1", 3, "Mill Lane"])
    18
    >>> out.getvalue()
    "'=1+1,3,Mill Lane\\n"
    """
    return SafeWriter(handle, **fmtparams)


def rows_text(rows: Iterable[Iterable[Any]], lineterminator: str = "\n") -> str:
    """Rows (the header first) as safe CSV text.

    >>> rows_text([["Name", "Size"], ["+cmd", 12]])
    "Name,Size\\n'+cmd,12\\n"
    """
    out = io.StringIO()
    writer(out, lineterminator=lineterminator).writerows(rows)
    return out.getvalue()


def frame_text(df: pd.DataFrame) -> str:
    """A table as safe CSV text, numbers as pandas writes them, without the index.

    >>> frame_text(pd.DataFrame({"name": ["=HYPERLINK(1)"], "size": [-3]}))
    "name,size\\n'=HYPERLINK(1),-3\\n"
    """
    safe = df.copy()
    for column in safe.columns:
        if not (
            pd.api.types.is_numeric_dtype(safe[column])
            or pd.api.types.is_datetime64_any_dtype(safe[column])
        ):
            safe[column] = safe[column].map(safe_cell, na_action="ignore")
    safe.columns = [safe_text(str(c)) for c in safe.columns]
    # pandas formats the numbers and dates; its rows are then written again so that a cell
    # holding a lone carriage return is quoted too.
    formatted = safe.to_csv(index=False, lineterminator="\r\n")
    out = io.StringIO()
    rows = _Rows(out, lineterminator="\n")
    for cells in csv.reader(io.StringIO(formatted, newline="")):
        rows.write(cells)
    return out.getvalue()
