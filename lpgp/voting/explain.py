"""Wording shared by the explanations: numbers, ordinals and lists read aloud."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def number(value: float) -> str:
    """A count as a person writes it: thousands separated, no needless decimals.

    >>> number(1234.0), number(12.5), number(1 / 3)
    ('1,234', '12.5', '0.33')
    """
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, 21st.

    >>> [ordinal(i) for i in (1, 2, 3, 4, 11, 12, 13, 21)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st']
    """
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def names(items: Iterable[Any]) -> str:
    """Quoted ids joined as in a sentence.

    >>> names(["a", "b", "c"])
    "'a', 'b' and 'c'"
    """
    quoted = [f"'{i}'" for i in items]
    if len(quoted) <= 1:
        return "".join(quoted) or "nobody"
    return f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def plural(n: float, word: str, many: str | None = None) -> str:
    """'1 ballot', '2 ballots'.

    >>> plural(1, "ballot"), plural(2.5, "vote")
    ('1 ballot', '2.5 votes')
    """
    return f"{number(n)} {word if n == 1 else (many or word + 's')}"
