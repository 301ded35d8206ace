"""How screens show values to people: one place for numbers, dates, yes/no, enum words, RAG
chips, percentages and tables.

Pure functions of plain values, no widgets: each returns text, and :func:`people_table` returns
an escaped HTML table. A missing value (``None``, NaN, NaT or an empty string) is shown as an
en dash, :data:`EMPTY`. Times are instants in UTC (a naive datetime is read as UTC, as SQLite
hands them back) and are shown on London's clock, GMT or BST as the date requires.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any

import numpy as np
import pandas as pd

from lpgp.clock import LONDON
from lpgp.errors import InvalidInput

EMPTY = "\u2013"  # en dash
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ACRONYMS = frozenset({"PCN", "LMC", "GP", "ICB", "ICS", "NHS", "ODS"})
CHIP_COLOURS = ("red", "amber", "green", "blue", "grey")
# Ratings that are not colours themselves, shown in the colour people read them by.
CHIP_ALIASES = {"complete": "blue", "gray": "grey"}


class Html(str):
    """Text that is already HTML: :func:`people_table` (and Jinja, by ``__html__``) put it in a
    page as it is instead of escaping it again.

    >>> Html("<b>x</b>").__html__()
    '<b>x</b>'
    """

    __slots__ = ()

    def __html__(self) -> str:
        return str(self)


def escape(text: object) -> str:
    """Text made safe to put in HTML, quotes included.

    >>> escape('<a href="x">')
    '&lt;a href=&quot;x&quot;&gt;'
    """
    return html.escape("" if text is None else str(text), quote=True)


def is_empty(value: object) -> bool:
    """Whether a value counts as missing: None, NaN, NaT, pandas' NA or an empty string.

    >>> is_empty(None), is_empty(float("nan")), is_empty(""), is_empty(0), is_empty("x")
    (True, True, True, False, False)
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Decimal):
        return value.is_nan()
    if isinstance(value, float | np.floating | np.datetime64 | np.timedelta64):
        return bool(pd.isna(value))  # NaN, or NumPy's NaT
    return False


def _half_up(value: float | int | Decimal, places: int) -> Decimal:
    """``value`` rounded to ``places`` decimals, halves away from zero, as people round."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded if rounded != 0 else abs(rounded)  # never "-0.0"


def number(value: float | int | None) -> str:
    """A number to one decimal place, with a thousands separator.

    >>> number(4.111111111111111), number(12345.67), number(0.25), number(None)
    ('4.1', '12,345.7', '0.3', '–')
    """
    if value is None or is_empty(value) or (isinstance(value, float) and math.isinf(value)):
        return EMPTY
    return f"{_half_up(float(value), 1):,.1f}"


def count(value: float | int | None) -> str:
    """A whole number, such as a list size, with a thousands separator.

    >>> count(12345), count(2000.0), count(None)
    ('12,345', '2,000', '–')
    """
    if value is None or is_empty(value) or (isinstance(value, float) and math.isinf(value)):
        return EMPTY
    return f"{_half_up(float(value), 0):,.0f}"


def percent(share: float | None) -> str:
    """A share (0 to 1) as a whole-number percentage.

    >>> percent(0.53), percent(0.125), percent(1), percent(None)
    ('53%', '13%', '100%', '–')
    """
    if share is None or is_empty(share) or (isinstance(share, float) and math.isinf(share)):
        return EMPTY
    return f"{_half_up(Decimal(repr(float(share))) * 100, 0):,.0f}%"


def _london(moment: datetime) -> datetime:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(LONDON)


def day(value: date | datetime | None) -> str:
    """A date in words; an instant gives its date in London.

    >>> day(date(2026, 12, 7)), day(datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    ('Mon 7 Dec 2026', 'Wed 1 Jul 2026')
    """
    if value is None or is_empty(value):
        return EMPTY
    if isinstance(value, datetime):
        value = _london(value).date()
    return f"{DAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]} {value.year}"


def when(moment: datetime | None) -> str:
    """An instant as people in London read it: date, then 24-hour time.

    >>> when(datetime(2026, 12, 7, 18, 0, tzinfo=UTC))
    'Mon 7 Dec 2026, 18:00'
    >>> when(datetime(2026, 10, 25, 0, 59, tzinfo=UTC))  # still BST
    'Sun 25 Oct 2026, 01:59'
    """
    if moment is None or is_empty(moment):
        return EMPTY
    local = _london(moment)
    return f"{day(local.date())}, {local:%H:%M}"


def yes_no(value: bool | None) -> str:
    """``Yes`` or ``No``.

    >>> yes_no(True), yes_no(False), yes_no(None)
    ('Yes', 'No', '–')
    """
    if is_empty(value):
        return EMPTY
    return "Yes" if value else "No"


def actor(text: str | None) -> str:
    """Who did something, as the audit log names them, in words: a board member by name, a
    practice by its ODS code, the command line as such.

    >>> actor("member:Dr Ada Obi"), actor("practice:Z99001"), actor("cli"), actor(None)
    ('Dr Ada Obi', 'practice Z99001', 'the command line', '–')
    """
    if is_empty(text):
        return EMPTY
    kind, _, who = str(text).partition(":")
    if not who:
        return "the command line" if kind == "cli" else str(text)
    if kind == "member":
        return who
    return f"{kind} {who}"


def _word(word: str) -> str:
    upper = word.upper()
    if upper in ACRONYMS:
        return upper
    if upper.endswith("S") and upper[:-1] in ACRONYMS:
        return upper[:-1] + "s"  # "pcns" -> "PCNs"
    return word.lower()


def words(value: str | Enum | None) -> str:
    """An id such as an enum value as words: sentence case, known acronyms in capitals.

    >>> words("not_taken_forward"), words("pcn_clinical_director"), words("gp_federation")
    ('Not taken forward', 'PCN clinical director', 'GP federation')
    """
    if isinstance(value, Enum):
        value = value.value
    if is_empty(value):
        return EMPTY
    parts = [_word(w) for w in re.split(r"[_\s]+", str(value).strip()) if w]
    if parts[0].islower():
        parts[0] = parts[0][0].upper() + parts[0][1:]
    return " ".join(parts)


def rag_chip(value: str | Enum | None) -> Html | str:
    """A RAG rating as a coloured chip that also says its word (the colour is never the only
    sign). ``complete`` is shown blue; anything unknown is grey.

    >>> rag_chip("red")
    '<span class="lpgp-chip lpgp-chip--red">Red</span>'
    >>> rag_chip("complete")
    '<span class="lpgp-chip lpgp-chip--blue">Complete</span>'
    """
    if isinstance(value, Enum):
        value = value.value
    if is_empty(value):
        return EMPTY
    key = str(value).strip().lower()
    colour = CHIP_ALIASES.get(key, key)
    if colour not in CHIP_COLOURS:
        colour = "grey"
    return Html(f'<span class="lpgp-chip lpgp-chip--{colour}">{escape(words(value))}</span>')


def cell(value: Any) -> str:
    """A value in the form people read it, chosen by its type (what :func:`people_table` does
    for a column without a format of its own).

    >>> cell(True), cell(12345), cell(4.111), cell(date(2026, 12, 7)), cell(None)
    ('Yes', '12,345', '4.1', 'Mon 7 Dec 2026', '–')
    """
    if is_empty(value):
        return EMPTY
    if isinstance(value, Enum):
        return words(value)
    if isinstance(value, bool | np.bool_):
        return yes_no(bool(value))
    if isinstance(value, datetime):
        return when(value)
    if isinstance(value, date):
        return day(value)
    if isinstance(value, int | np.integer):
        return count(int(value))
    if isinstance(value, float | np.floating):
        return number(float(value))
    return str(value)


def _html_cell(value: Any, fmt: Callable[[Any], object] | None) -> str:
    shown = EMPTY if is_empty(value) else (fmt or cell)(value)
    if hasattr(shown, "__html__"):
        return shown.__html__()
    return escape(shown)


def people_table(
    df: pd.DataFrame,
    columns: Mapping[str, str] | None = None,
    formats: Mapping[str, Callable[[Any], object]] | None = None,
    *,
    caption: str = "Table",
    empty: str = "Nothing yet.",
) -> str:
    """A DataFrame as the accessible HTML table screens show: only ``columns`` (raw name ->
    heading, in that order; by default every column, its name in words), each cell formatted
    by ``formats[column]`` or by its type (:func:`cell`), missing values as an en dash, and
    everything escaped except what a format marks as :class:`Html`.

    >>> df = pd.DataFrame({"rag": ["red"], "list_size": [12345], "note": ["<b>"]})
    >>> page = people_table(df, {"list_size": "Patients", "rag": "RAG", "note": "Note"},
    ...                     {"rag": rag_chip}, caption="Actions")
    >>> print(page[page.index("<thead>"):page.index("</table>")].replace("><", "> <"))
    ... # doctest: +NORMALIZE_WHITESPACE
    <thead> <tr> <th scope="col">Patients</th> <th scope="col">RAG</th> <th scope="col">Note</th>
    </tr> </thead> <tbody> <tr> <td>12,345</td> <td>
    <span class="lpgp-chip lpgp-chip--red">Red</span> </td> <td>&lt;b&gt;</td> </tr> </tbody>
    """
    headings = dict(columns) if columns is not None else {c: words(str(c)) for c in df.columns}
    formats = dict(formats or {})
    missing = [c for c in [*headings, *formats] if c not in df.columns]
    if missing:
        raise InvalidInput(
            f"the table has no column {', '.join(repr(c) for c in dict.fromkeys(missing))}; "
            f"it has {', '.join(repr(c) for c in df.columns)}"
        )
    if df.empty:
        return f"<p>{escape(empty)}</p>"
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headings.values())
    picked = df[list(headings)]
    fmts = [formats.get(c) for c in headings]
    rows = "".join(
        "<tr>"
        + "".join(f"<td>{_html_cell(v, f)}</td>" for v, f in zip(row, fmts, strict=True))
        + "</tr>"
        for row in picked.itertuples(index=False, name=None)
    )
    # A wide table scrolls inside a region the keyboard can reach, not the whole page.
    return (
        f'<div class="lpgp-table-wrap" role="region" aria-label="{escape(caption)}" tabindex="0">'
        f'<table class="lpgp-table"><caption class="lpgp-visually-hidden">{escape(caption)}'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )
