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

from lpgp.errors import InvalidInput, printable


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


# ---- check your answers ---------------------------------------------------------------


def _listed(numbers: list[int]) -> str:
    """Numbers in words, "1, 2 and 4".

    >>> _listed([1]), _listed([1, 2]), _listed([1, 2, 4])
    ('1', '1 and 2', '1, 2 and 4')
    """
    text = [str(n) for n in numbers]
    return text[0] if len(text) == 1 else ", ".join(text[:-1]) + " and " + text[-1]


def gap_note(ranks: list[int]) -> str | None:
    """What a practice is told when the ranks it gave are not 1, 2, 3 ... in a row (a gap, or
    no 1): the order is kept and the ranks closed up. None when there is nothing to say.

    >>> gap_note([2, 1, 4])
    'You ranked 1, 2 and 4: we have read that as 1, 2 and 3.'
    >>> gap_note([3])
    'You ranked 3: we have read that as 1.'
    >>> gap_note([1, 2, 3]) is None, gap_note([]) is None
    (True, True)
    """
    given = sorted(ranks)
    closed = list(range(1, len(given) + 1))
    if given == closed:
        return None
    return f"You ranked {_listed(given)}: we have read that as {_listed(closed)}."


@dataclass(frozen=True)
class Answers:
    """What the "Check your answers" page shows before a ballot is cast: the choice as the
    server read it, in words, and the fields to send again, as entered, to cast it or to
    change it. Nothing of it is stored until the practice confirms.

    ``rows`` are (label, value) pairs: (rank, title) for a ranked ballot in rank order,
    (title, "") for each priority approved, (title, "3 points") for points; ``left_out`` names
    the priorities not ranked, not supported or given no points; ``notes`` say what was read
    differently from what was typed, or how many points were used."""

    kind: str
    ballot: Any
    rows: tuple[tuple[str, str], ...]
    left_out: tuple[str, ...]
    notes: tuple[str, ...]
    carry: tuple[tuple[str, str], ...]


def _carried(kind: str, fields: Mapping[str, list[str]]) -> tuple[tuple[str, str], ...]:
    """The ballot's own fields, as entered, to send again in hidden fields."""
    if kind == "approval":
        return tuple(("choice", c) for c in fields.get("choice", []) if c.strip())
    prefix = "p-" if kind == "points" else "r-"
    return tuple((prefix + key, text) for key, text in _entered(fields, prefix).items())


def check_answers(
    method: str,
    fields: Mapping[str, list[str]],
    candidates: list[tuple[str, str]],
    budget: int | None = None,
) -> Answers:
    """Read a submitted ballot form for the "Check your answers" page: the ballot (checked
    by the voting engine, so what is shown can be cast), and how to show it. ``candidates``
    are (key, title) in the order the practice's form lists them. Raises
    :class:`BallotFormError` (or the engine's :class:`InvalidInput`) when it is no ballot.

    >>> cands = [("A", "Hub"), ("B", "Estates"), ("C", "Results"), ("D", "Frailty")]
    >>> a = check_answers("schulze", {"r-A": ["4"], "r-B": ["1"], "r-C": [""]}, cands)
    >>> a.ballot, a.rows, a.left_out, a.notes
    (('B', 'A'), (('1', 'Estates'), ('2', 'Hub')), ('Results', 'Frailty'), ('You ranked 1 and 4: we have read that as 1 and 2.',))
    >>> a.carry
    (('r-A', '4'), ('r-B', '1'))
    >>> check_answers("approval", {"choice": ["C", "A"]}, cands).rows
    (('Hub', ''), ('Results', ''))
    >>> p = check_answers("points", {"p-A": ["3"], "p-C": ["4"]}, cands, budget=10)
    >>> p.rows, p.notes
    ((('Hub', '3 points'), ('Results', '4 points')), ('You gave 7 of your 10 points: the other 3 are not used.',))
    >>> check_answers("points", {"p-A": ["11"]}, cands, budget=10)
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: 11 points were given but the budget is 10
    """  # noqa: E501
    from lpgp import voting

    kind = voting.ballot_kind(method)
    titles = dict(candidates)
    choice = ballot_from_fields(kind, fields, titles)
    ballot = voting.check_ballot(method, choice, list(titles), budget=budget)
    order = [key for key, _ in candidates]
    notes: list[str] = []
    # The engine's plain form tells the kinds apart: a tuple ranked, a frozenset approved, a
    # dict of points.
    if isinstance(ballot, tuple):
        rows = tuple((str(n), titles[key]) for n, key in enumerate(ballot, start=1))
        chosen = set(ballot)
        ranks = [int(text) for _, text in _carried(kind, fields)]
        note = gap_note(ranks)
        if note:
            notes.append(note)
    elif isinstance(ballot, frozenset):
        chosen = set(ballot)
        rows = tuple((titles[key], "") for key in order if key in chosen)
    else:
        chosen = set(ballot)
        rows = tuple(
            (titles[key], f"{ballot[key]} point{'' if ballot[key] == 1 else 's'}")
            for key in order
            if key in chosen
        )
        total = sum(ballot.values())
        if budget is not None and total < budget:
            notes.append(
                f"You gave {total} of your {budget} points: the other {budget - total} "
                f"{'is' if budget - total == 1 else 'are'} not used."
            )
    left_out = tuple(titles[key] for key in order if key not in chosen)
    return Answers(kind, ballot, rows, left_out, tuple(notes), _carried(kind, fields))
