"""Turning the ballot page's form fields into a ballot, and a stored ballot back into what
the form shows: pure functions, so the page holds no voting rules.

A form that cannot be a ballot is refused with :class:`BallotFormError`, which lists each
problem with the fields it is about, so the page can show an error summary that links to
them and mark each field. Ties in a ranking are refused by design (every counting method
lpgp offers reads a ranking as a strict order); so is an empty ballot, rather than cast: an
empty ballot would quietly replace the practice's earlier ballot with an abstention, and a
phone form sent before anything was chosen is far more often a slip than a wish to abstain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidInput, printable


@dataclass(frozen=True)
class FormProblem:
    """One thing wrong with a submitted form: the candidate keys it is about (none for the
    form as a whole) and what to do about it."""

    keys: tuple[str, ...]
    message: str


class BallotFormError(InvalidInput):
    """The submitted form is not a ballot; ``problems`` says why, field by field.

    >>> str(BallotFormError([FormProblem(("A",), "'x' is not a rank")]))
    "'x' is not a rank"
    """

    def __init__(self, problems: list[FormProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems))


def _names(keys: list[str], titles: Mapping[str, str]) -> str:
    quoted = [f"'{printable(titles.get(k, k))}'" for k in keys]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


_EMPTY = {
    "ranked": "Your ballot is empty: number at least one priority (1 is your first choice).",
    "approval": "Your ballot is empty: tick at least one priority your practice supports.",
    "points": "Your ballot is empty: give some of your points to at least one priority.",
}
_KEEPS = " An empty ballot is not cast, so a ballot your practice cast before still counts."


def _entered(fields: Mapping[str, list[str]], prefix: str) -> dict[str, str]:
    """Each field with this prefix and a value, by candidate key, as typed (last value wins)."""
    out: dict[str, str] = {}
    for name, given in fields.items():
        text = given[-1].strip() if given else ""
        if name.startswith(prefix) and text:
            out[name[len(prefix) :]] = text
    return out


def ballot_from_fields(
    kind: str, fields: Mapping[str, list[str]], titles: Mapping[str, str] | None = None
) -> Any:
    """The ballot a submitted form describes; the voting engine checks it afterwards.

    ``titles`` (candidate key to title, every candidate of the vote) names candidates in the
    messages and sets the highest rank; without it the rank fields sent are counted.

    >>> ballot_from_fields("approval", {"choice": ["A", "C"]})
    ['A', 'C']
    >>> ballot_from_fields("points", {"p-A": ["3"], "p-B": [""]})
    {'A': 3}
    >>> ballot_from_fields("ranked", {"r-A": ["2"], "r-B": ["1"], "r-C": [""]})
    ['B', 'A']
    >>> ballot_from_fields("ranked", {"r-A": ["1"], "r-B": ["1"]}, {"A": "Hub", "B": "Estates"})
    Traceback (most recent call last):
    ...
    lpgp.web.ballot_form.BallotFormError: 'Hub' and 'Estates' share rank 1: give each ...
    """
    titles = titles or {}
    problems: list[FormProblem] = []
    if kind == "approval":
        chosen = [c for c in fields.get("choice", []) if c.strip()]
        if not chosen:
            raise BallotFormError([FormProblem((), _EMPTY[kind] + _KEEPS)])
        return chosen
    prefix = "p-" if kind == "points" else "r-"
    highest = len(titles) or sum(1 for name in fields if name.startswith(prefix))
    values: dict[str, int] = {}
    for key, text in _entered(fields, prefix).items():
        name = _names([key], titles)
        try:
            value = int(text)
        except ValueError:
            what = "a number of points" if kind == "points" else f"a rank from 1 to {highest}"
            problems.append(FormProblem((key,), f"{name}: '{printable(text)}' is not {what}."))
            continue
        if kind == "ranked" and not 1 <= value <= highest:
            problems.append(
                FormProblem((key,), f"{name}: rank {value} is not between 1 and {highest}.")
            )
            continue
        if kind == "points" and value < 0:
            problems.append(FormProblem((key,), f"{name}: points cannot be negative."))
            continue
        values[key] = value
    if kind == "points":
        if not problems and not any(values.values()):
            problems.append(FormProblem((), _EMPTY[kind] + _KEEPS))
        if problems:
            raise BallotFormError(problems)
        return {k: v for k, v in values.items() if v}
    levels: dict[int, list[str]] = {}
    for key, rank in values.items():
        levels.setdefault(rank, []).append(key)
    for rank in sorted(levels):
        keys = levels[rank]
        if len(keys) > 1:
            problems.append(
                FormProblem(
                    tuple(keys),
                    f"{_names(keys, titles)} share rank {rank}: give each priority a rank of "
                    "its own (a ranking cannot hold ties).",
                )
            )
    if not problems and not values:
        problems.append(FormProblem((), _EMPTY[kind] + _KEEPS))
    if problems:
        raise BallotFormError(problems)
    return [levels[rank][0] for rank in sorted(levels)]


def fields_as_entered(kind: str, fields: Mapping[str, list[str]]) -> Any:
    """What the practice just sent, to show again beside an error: ticked keys, points as
    typed, or every rank that is a whole number (so the same choices stay selected).

    >>> fields_as_entered("ranked", {"r-A": ["1"], "r-B": ["1"], "r-C": ["x"]})
    {'A': 1, 'B': 1}
    >>> fields_as_entered("points", {"p-A": ["-2"], "p-B": [""]})
    {'A': '-2'}
    """
    if kind == "approval":
        return set(fields.get("choice", []))
    if kind == "points":
        return _entered(fields, "p-")
    ranks: dict[str, int] = {}
    for key, text in _entered(fields, "r-").items():
        try:
            ranks[key] = int(text)
        except ValueError:
            continue
    return ranks


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
