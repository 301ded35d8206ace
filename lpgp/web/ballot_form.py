"""Turning the ballot page's form fields into a ballot, and a stored ballot back into what
the form shows: pure functions, so the page holds no voting rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import InvalidInput


def ballot_from_fields(kind: str, fields: Mapping[str, list[str]]) -> Any:
    """The ballot a submitted form describes; the voting engine checks it afterwards.

    >>> ballot_from_fields("approval", {"choice": ["A", "C"]})
    ['A', 'C']
    >>> ballot_from_fields("points", {"p-A": ["3"], "p-B": [""]})
    {'A': 3}
    >>> ballot_from_fields("ranked", {"r-A": ["2"], "r-B": ["1"], "r-C": [""]})
    ['B', 'A']
    >>> ballot_from_fields("ranked", {"r-A": ["1"], "r-B": ["1"]})
    [['A', 'B']]
    """
    if kind == "approval":
        return list(fields.get("choice", []))
    prefix = "p-" if kind == "points" else "r-"
    values: dict[str, int] = {}
    for name, given in fields.items():
        text = given[-1].strip() if given else ""
        if not name.startswith(prefix) or not text:
            continue
        key = name[len(prefix) :]
        try:
            values[key] = int(text)
        except ValueError:
            what = "points" if kind == "points" else "a rank"
            raise InvalidInput(f"'{text}' is not a whole number: give {what} as a number") from None
    if kind == "points":
        return values
    levels: dict[int, list[str]] = {}
    for key, rank in sorted(values.items()):
        levels.setdefault(rank, []).append(key)
    ordered = [levels[rank] for rank in sorted(levels)]
    if all(len(level) == 1 for level in ordered):
        return [level[0] for level in ordered]
    return ordered


def fields_from_ballot(kind: str, ballot: Any) -> Any:
    """What the form shows for a stored ballot: a set of ticked keys, points by key, or the
    rank by key.

    >>> fields_from_ballot("ranked", ["B", ["A", "C"]])
    {'B': 1, 'A': 2, 'C': 2}
    >>> sorted(fields_from_ballot("approval", ["A", "C"]))
    ['A', 'C']
    """
    if ballot is None:
        return set() if kind == "approval" else {}
    if kind == "approval":
        return set(ballot)
    if kind == "points":
        return dict(ballot)
    ranks: dict[str, int] = {}
    for position, level in enumerate(ballot, start=1):
        for key in level if isinstance(level, list | tuple) else [level]:
            ranks[key] = position
    return ranks
