"""Ballots: check one, read many (lists or a long-format DataFrame), count identical ones once.

Three kinds of ballot, one per family of methods:

- ranked: a sequence of candidate ids, most preferred first; it may stop early, and the
  candidates it leaves out are below every ranked one and level with each other;
- approval: a collection of approved candidate ids;
- points: a mapping of candidate id to a whole number of points (dots), which may stack.

A blank ballot (nothing ranked, approved or given points) is a valid abstention: it is
reported but not counted.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import chain
from typing import Any, Literal

import numpy as np
import pandas as pd

from lpgp.errors import InvalidInput, control_characters, printable
from lpgp.voting.explain import names

Kind = Literal["ranked", "approval", "points"]
Ballot = tuple[Any, ...] | frozenset[Any] | dict[Any, int]


@dataclass(frozen=True, eq=False)
class Profile:
    """Ballots ready to count, identical ones (with equal weight) held once.

    ``matrix`` has one row per distinct ballot and one column per candidate: for ranked
    ballots the place given (0 = first; ``len(candidates)`` = unranked), for approval 1 or 0,
    for points the points. ``weight`` is the weight of one such ballot and ``count`` how many
    were cast. Blank ballots are left out and only counted in ``blank``.

    Weights are exact: ``weight`` holds whole numbers, each ballot's weight times ``scale``
    (the least common denominator of the weights as given, a float read as the shortest
    decimal that prints it), so every sum a method makes is a sum of whole numbers. These are
    float64 while every total stays below 2**52, where float64 adds whole numbers (and halves)
    exactly; beyond that they are Python integers in an object array. Either way a decision
    never depends on rounding; only the figures shown are divided by ``scale``.
    """

    kind: Kind
    candidates: tuple[Any, ...]
    matrix: np.ndarray
    weight: np.ndarray
    count: np.ndarray
    blank: int = 0
    weighted: bool = False
    scale: int = 1

    @property
    def m(self) -> int:
        """How many candidates."""
        return len(self.candidates)

    @property
    def ballots(self) -> int:
        """How many non-blank ballots were counted."""
        return int(self.count.sum())

    @property
    def cast_weight(self) -> np.ndarray:
        """Total weight of each distinct ballot (its weight times how many were cast)."""
        return self.weight * self.count


def weigh(weights: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Weighted column sums: ``weights`` (ballots,) or (resamples, ballots) times ``matrix``.

    NumPy's own loops, not BLAS: on a shared machine BLAS threads make these small products
    several times slower.

    Exact weights too large for float64 come as an object array of Python integers; their
    products are then exact too (a matrix with halves, such as Borda points, is read as
    fractions).

    >>> weigh(np.array([2.0, 1.0]), np.array([[1, 0], [1, 1]])).tolist()
    [3.0, 1.0]
    >>> weigh(np.array([2**60, 1], dtype=object), np.array([[0.5], [1.0]])).tolist()
    [Fraction(576460752303423489, 1)]
    """
    if weights.dtype == object or matrix.dtype == object:
        return weights.astype(object) @ exact_objects(matrix)
    return np.einsum("...u,ub->...b", weights, matrix)


def exact_objects(values: np.ndarray) -> np.ndarray:
    """An array as Python integers (or fractions where a value is not whole), for exact sums.

    >>> exact_objects(np.array([1.0, 0.5])).tolist()
    [1, Fraction(1, 2)]
    """
    if values.dtype == object:
        return values
    if values.dtype.kind in "biu":
        return values.astype(np.int64).astype(object)

    def one(x: float) -> Any:
        return int(x) if float(x).is_integer() else Fraction(float(x))

    return np.vectorize(one, otypes=[object])(values) if values.size else values.astype(object)


def sum_by(index: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    """``np.bincount(index, weights, size)``, exact for object weights as well.

    >>> sum_by(np.array([0, 2, 0]), np.array([1, 2**60, 3], dtype=object), 3).tolist()
    [4, 0, 1152921504606846976]
    """
    if weights.dtype == object:
        out = np.zeros(size, dtype=object)
        np.add.at(out, index, weights)
        return out
    return np.bincount(index, weights=weights, minlength=size)


def sortable(values: np.ndarray) -> np.ndarray:
    """Values ``np.lexsort`` can take, in the same exact order (object arrays become ranks).

    >>> sortable(np.array([2**60 + 1, 2**60, 5], dtype=object)).tolist()
    [2, 1, 0]
    """
    if values.dtype != object:
        return values
    _, ranks = np.unique(values, return_inverse=True)
    return ranks.reshape(values.shape)


def shown(value: Any, scale: int) -> float:
    """An exact scaled total as the float a result shows (presentation only).

    >>> shown(3, 10)
    0.3
    """
    return float(Fraction(value.item() if hasattr(value, "item") else value) / scale)


# ---- candidates and weights ------------------------------------------------------------


def check_candidates(candidates: Iterable[Any]) -> tuple[Any, ...]:
    """The candidate ids as a tuple, refusing an empty list or an id given twice.

    >>> check_candidates(["a", "b"])
    ('a', 'b')
    """
    if candidates is None or isinstance(candidates, str):
        raise InvalidInput("candidates: give the candidate ids as a list, in shortlist order")
    cands = tuple(candidates)
    if not cands:
        raise InvalidInput("candidates: there are no candidates to count")
    seen: set[Any] = set()
    as_text: dict[str, Any] = {}
    for c in cands:
        try:
            hash(c)
        except TypeError:
            raise InvalidInput(f"candidates: {c!r} cannot be a candidate id") from None
        if c in seen:
            raise InvalidInput(f"candidates: '{printable(c)}' is listed twice")
        if isinstance(c, str) and control_characters(c):
            chars = ", ".join(dict.fromkeys(control_characters(c)))
            raise InvalidInput(
                f"candidates: '{printable(c)}' contains a control or text-direction character "
                f"({chars}), which a candidate id cannot hold"
            )
        text = str(c)
        if text in as_text:
            raise InvalidInput(
                f"candidates: {printable(repr(as_text[text]))} and {printable(repr(c))} are "
                f"both written '{printable(text)}', so the tie-break lot could not tell them "
                "apart: give candidates ids that differ as text"
            )
        as_text[text] = c
        seen.add(c)
    return cands


def exact_weight(w: Any) -> Fraction | None:
    """A weight as an exact fraction, or None if it is not a positive, finite number.

    A float is read as the shortest decimal that prints it, which is what the user typed:
    0.1 is one tenth, not the binary fraction nearest to it.

    >>> exact_weight(0.1), exact_weight(Decimal("2.50")), exact_weight(3)
    (Fraction(1, 10), Fraction(5, 2), Fraction(3, 1))
    >>> exact_weight(-1), exact_weight(float("nan")), exact_weight(True)
    (None, None, None)
    """
    if isinstance(w, bool | np.bool_):
        return None
    if isinstance(w, numbers.Rational):
        value = Fraction(int(w.numerator), int(w.denominator))
    elif isinstance(w, Decimal):
        if not w.is_finite():
            return None
        value = Fraction(w)
    elif isinstance(w, numbers.Real):
        f = float(w)
        if not math.isfinite(f):
            return None
        value = Fraction(Decimal(repr(f)))
    else:
        return None
    return value if value > 0 else None


EXACT_FLOAT_LIMIT = 2**52
"""Totals below this are held in float64, which adds whole numbers and halves exactly."""


def check_weights(
    weights: Iterable[Any] | None, n: int, labels: Sequence[Any]
) -> tuple[list[int], int]:
    """Exact weights as whole numbers and their common scale: weight i is ``whole[i] / scale``.

    Each must be a positive, finite number (int, float, Decimal or Fraction).

    >>> check_weights([0.1, 0.25, 2], 3, [1, 2, 3])
    ([2, 5, 40], 20)
    """
    if weights is None:
        return [1] * n, 1
    values = list(weights)
    if len(values) != n:
        raise InvalidInput(f"weights: {len(values)} weights were given for {n} ballots")
    if all(type(w) is int for w in values) and min(values, default=1) > 0:
        return values, 1  # whole numbers (list sizes): nothing to convert
    exact: list[Fraction] = []
    seen: dict[tuple[type, Any], Fraction | None] = {}
    for i, w in enumerate(values):
        key = (type(w), w)
        value = seen[key] if key in seen else seen.setdefault(key, exact_weight(w))
        if value is None:
            raise InvalidInput(
                f"ballot {printable(labels[i])}: its weight must be a positive number, "
                f"not {printable(repr(w))}"
            )
        exact.append(value)
    scale = math.lcm(*{v.denominator for v in exact}) if exact else 1
    if scale == 1:
        return [v.numerator for v in exact], 1
    return [v.numerator * (scale // v.denominator) for v in exact], scale


def weight_array(whole: Sequence[int], largest_entry: float) -> np.ndarray:
    """Whole-number weights as float64 if every total they can make stays exact there, else as
    Python integers in an object array.

    >>> weight_array([1, 2], 10).dtype, weight_array([2**50, 2**50], 4).dtype
    (dtype('float64'), dtype('O'))
    """
    bound = sum(whole) * max(largest_entry, 1)
    if bound < EXACT_FLOAT_LIMIT:
        return np.asarray(whole, dtype=float)
    return np.array(list(whole) + [None], dtype=object)[:-1]


# ---- one ballot ------------------------------------------------------------------------


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) and math.isfinite(float(value)):
        f = float(value)
        return int(f) if f.is_integer() else None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _known(mark: Any, index: Mapping[Any, int]) -> bool:
    """Whether a mark is a candidate id (a list or another unhashable mark is not)."""
    try:
        return mark in index
    except TypeError:
        return False


def normalise(
    kind: Kind, ballot: Any, index: Mapping[Any, int], budget: int | None = None
) -> Ballot:
    """One ballot checked and in its plain form (tuple, frozenset or dict); see check_ballot."""
    if kind == "ranked":
        if ballot is None:
            return ()
        if isinstance(ballot, str | bytes | Mapping | set | frozenset):
            raise InvalidInput(
                "a ranked ballot is a list of candidate ids, most preferred first, "
                f"not {type(ballot).__name__}"
            )
        order = tuple(ballot)
        seen: set[Any] = set()
        for c in order:
            if isinstance(c, list | tuple | set | frozenset):
                raise InvalidInput(f"{names(c)} share a place; a ranked ballot cannot hold ties")
            if not _known(c, index):
                raise InvalidInput(f"'{printable(c)}' is not a candidate")
            if c in seen:
                raise InvalidInput(f"'{printable(c)}' is ranked twice")
            seen.add(c)
        return order
    if kind == "approval":
        if ballot is None:
            return frozenset()
        if isinstance(ballot, str | bytes | Mapping):
            raise InvalidInput(
                f"an approval ballot is a set of candidate ids, not {type(ballot).__name__}"
            )
        items = list(ballot)
        for c in items:
            if not _known(c, index):
                raise InvalidInput(f"'{printable(c)}' is not a candidate")
        approved = frozenset(items)
        if len(approved) != len(items):
            twice = next(c for c in items if items.count(c) > 1)
            raise InvalidInput(f"'{printable(twice)}' is approved twice")
        return approved
    if kind == "points":
        if ballot is None:
            return {}
        if not isinstance(ballot, Mapping):
            raise InvalidInput(
                "a points ballot maps each candidate id to a whole number of points, "
                f"not {type(ballot).__name__}"
            )
        points: dict[Any, int] = {}
        for c, value in ballot.items():
            if not _known(c, index):
                raise InvalidInput(f"'{printable(c)}' is not a candidate")
            p = _whole_number(value)
            if p is None:
                raise InvalidInput(
                    f"'{printable(c)}' has {printable(repr(value))} points: use a whole number"
                )
            if p < 0:
                raise InvalidInput(f"'{printable(c)}' has {p} points: points cannot be negative")
            if p:
                points[c] = p
        total = sum(points.values())
        if budget is not None and total > budget:
            raise InvalidInput(f"{total} points were given but the budget is {budget}")
        return {c: points[c] for c in sorted(points, key=index.__getitem__)}
    raise InvalidInput(f"'{kind}' is not a kind of ballot")


# ---- many ballots ----------------------------------------------------------------------


def _ranked_matrix(
    ballots: Sequence[Any], index: Mapping[Any, int], m: int, labels: Sequence[Any]
) -> np.ndarray:
    """Places (n, m) for ranked ballots; the fast path handles lists and tuples in bulk."""
    n = len(ballots)
    if set(map(type, ballots)) <= {list, tuple}:
        lengths = np.fromiter(map(len, ballots), dtype=np.int64, count=n)
        codes = _codes(ballots, lengths, index)
        if codes is not None:
            matrix = np.full((n, m), m, dtype=np.int16 if m < 32000 else np.int32)
            if n and codes.ndim == 2:  # every ballot ranks the same number of candidates
                matrix[np.arange(n)[:, None], codes] = np.arange(codes.shape[1])
            else:
                rows = np.repeat(np.arange(n), lengths)
                starts = np.cumsum(lengths) - lengths
                matrix[rows, codes] = np.arange(len(codes)) - np.repeat(starts, lengths)
            if np.array_equal((matrix < m).sum(axis=1), lengths):
                return matrix
    matrix = np.full((n, m), m, dtype=np.int32)
    for i, b in enumerate(ballots):
        try:
            order = normalise("ranked", b, index)
        except InvalidInput as exc:
            raise InvalidInput(f"ballot {labels[i]}: {exc}") from None
        for place, c in enumerate(order):
            matrix[i, index[c]] = place
    return matrix


def _codes(
    ballots: Sequence[Sequence[Any]], lengths: np.ndarray, index: Mapping[Any, int]
) -> np.ndarray | None:
    """Candidate indices of every mark, or None if any mark is not a candidate.

    When every ballot has the same length and the ids are whole numbers, NumPy reads the
    whole table at once (a 2-D result); otherwise each mark is looked up (a flat result).
    """
    ids = list(index)
    if len(lengths) and lengths.min() == lengths.max() and all(type(c) is int for c in ids):
        table = np.array(ballots)
        if table.dtype.kind == "i" and table.ndim == 2:
            low, high = min(ids), max(ids)
            if high - low < 4 * len(ids) + 64:
                lookup = np.full(high - low + 1, -1, dtype=np.int64)
                lookup[np.array(ids) - low] = np.arange(len(ids))
                inside = (table >= low) & (table <= high)
                codes = np.where(inside, lookup[np.clip(table - low, 0, high - low)], -1)
                return None if (codes < 0).any() else codes
    flat = list(chain.from_iterable(ballots))
    try:
        return np.fromiter(map(index.__getitem__, flat), dtype=np.int64, count=len(flat))
    except (KeyError, TypeError):
        return None


def _set_matrix(
    kind: Kind,
    ballots: Sequence[Any],
    index: Mapping[Any, int],
    m: int,
    labels: Sequence[Any],
    budget: int | None,
) -> np.ndarray:
    matrix = np.zeros((len(ballots), m), dtype=np.int64)
    for i, b in enumerate(ballots):
        try:
            ballot = normalise(kind, b, index, budget)
        except InvalidInput as exc:
            raise InvalidInput(f"ballot {labels[i]}: {exc}") from None
        if isinstance(ballot, dict):  # points
            for c, p in ballot.items():
                matrix[i, index[c]] = p
        else:  # approval
            matrix[i, [index[c] for c in ballot]] = 1
    return matrix


def _group(matrix: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (row, weight) pairs with how many times each occurs, in first-seen order."""
    n, m = matrix.shape
    if n == 0:
        return matrix, weights, np.zeros(0, dtype=np.int64)
    top = int(matrix.max()) + 1 if matrix.size else 1
    same_weight = bool(np.all(weights == weights[0]))
    codes = (
        np.unique(weights, return_inverse=True)[1].reshape(-1).astype(np.int64)
        if weights.dtype == object
        else weights.view(np.int64)
    )
    if m * math.log2(max(top, 2)) < 62:
        # One whole number per ballot: sorting numbers is much faster than sorting rows.
        keys = matrix.astype(np.int64) @ (top ** np.arange(m, dtype=np.int64))
        if same_weight:
            _, first, counts = np.unique(keys, return_index=True, return_counts=True)
        else:
            table = np.column_stack([keys, codes])
            _, first, counts = np.unique(table, axis=0, return_index=True, return_counts=True)
    else:
        table = np.column_stack([matrix.astype(np.int64), codes])
        _, first, counts = np.unique(table, axis=0, return_index=True, return_counts=True)
    if len(first) == n:  # no two alike: keep the ballots as they came
        return matrix, weights, np.ones(n, dtype=np.int64)
    order = np.argsort(first, kind="stable")
    first = first[order]
    return matrix[first], weights[first], counts[order].astype(np.int64)


def _from_frame(kind: Kind, frame: pd.DataFrame) -> tuple[list[Any], list[Any], list | None]:
    """Ballots, their ids and weights from a long-format table (one row per mark)."""
    cols = {str(c).strip().lower().replace(" ", "_"): c for c in frame.columns}

    def column(*names: str, required: bool = True) -> Any:
        for name in names:
            if name in cols:
                return cols[name]
        if required:
            raise InvalidInput(
                f"ballots: no '{names[0]}' column (columns found: "
                f"{', '.join(map(str, frame.columns)) or 'none'})"
            )
        return None

    ballot_col = column("ballot", "ballot_id", "voter", "practice")
    cand_col = column("candidate", "candidate_id", "priority")
    value_col = column({"ranked": "rank", "approval": "approved", "points": "points"}[kind])
    weight_col = column("weight", required=False)
    ids: list[Any] = []
    marks: dict[Any, list[tuple[Any, Any]]] = {}
    weights: dict[Any, Any] = {}
    for row in frame.itertuples(index=False):
        values = dict(zip(frame.columns, row, strict=True))
        b = values[ballot_col]
        if b not in marks:
            ids.append(b)
            marks[b] = []
        if weight_col is not None:
            w = values[weight_col]
            if b in weights and weights[b] != w:
                raise InvalidInput(f"ballot {b}: its rows give different weights")
            weights[b] = w
        v = values[value_col]
        if v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == "":
            continue
        marks[b].append((values[cand_col], v))
    ballots: list[Any] = []
    for b in ids:
        ballots.append(_frame_ballot(kind, b, marks[b]))
    return ballots, ids, [weights[b] for b in ids] if weight_col is not None else None


_YES = {"1", "true", "yes", "y", "x", "approved"}
_NO = {"0", "false", "no", "n", ""}


def _frame_ballot(kind: Kind, ballot_id: Any, marks: list[tuple[Any, Any]]) -> Any:
    where = printable(ballot_id)
    if kind == "ranked":
        ranks: dict[int, Any] = {}
        for cand, value in marks:
            r = _whole_number(value)
            if r is None or r < 1:
                raise InvalidInput(
                    f"ballot {where}: rank {printable(repr(value))} for '{printable(cand)}' "
                    "is not 1, 2, 3..."
                )
            if r in ranks:
                raise InvalidInput(
                    f"ballot {where}: '{printable(ranks[r])}' and '{printable(cand)}' share "
                    f"rank {r}; a ranked ballot cannot hold ties"
                )
            ranks[r] = cand
        return [ranks[r] for r in sorted(ranks)]
    if kind == "approval":
        approved = []
        for cand, value in marks:
            text = str(value).strip().lower()
            if text in _YES or value is True:
                approved.append(cand)
            elif text not in _NO:
                raise InvalidInput(
                    f"ballot {where}: '{printable(value)}' for '{printable(cand)}' is not yes or no"
                )
        return approved
    points: dict[Any, Any] = {}
    for cand, value in marks:
        if cand in points:
            raise InvalidInput(f"ballot {where}: '{printable(cand)}' has two rows of points")
        points[cand] = value
    return points


def profile(
    kind: Kind,
    ballots: Iterable[Any] | pd.DataFrame,
    candidates: Iterable[Any],
    weights: Iterable[Any] | None = None,
    budget: int | None = None,
) -> Profile:
    """Check every ballot and group identical ones; the first bad ballot refuses them all.

    >>> p = profile("ranked", [["a", "b"], ["a", "b"], []], ["a", "b", "c"])
    >>> p.count.tolist(), p.blank
    ([2], 1)
    """
    cands = check_candidates(candidates)
    index = {c: i for i, c in enumerate(cands)}
    m = len(cands)
    rows: Sequence[Any]
    labels: Sequence[Any]
    if isinstance(ballots, pd.DataFrame):
        rows, labels, frame_weights = _from_frame(kind, ballots)
        if frame_weights is not None:
            if weights is not None:
                raise InvalidInput("weights: give them as an argument or a column, not both")
            weights = frame_weights
    else:
        if isinstance(ballots, str | bytes | Mapping):
            raise InvalidInput("ballots: give a list of ballots or a long-format table")
        rows = ballots if isinstance(ballots, list | tuple) else list(ballots)
        labels = range(1, len(rows) + 1)
    whole, scale = check_weights(weights, len(rows), labels)
    if kind == "ranked":
        matrix = _ranked_matrix(rows, index, m, labels)
        marked = (matrix < m).any(axis=1)
        largest = m
    else:
        matrix = _set_matrix(kind, rows, index, m, labels, budget)
        marked = (matrix > 0).any(axis=1)
        largest = int(matrix.sum(axis=1).max()) if matrix.size else 1
    w = weight_array(whole, largest)
    uniq, weight, count = _group(matrix[marked], w[marked])
    return Profile(
        kind,
        cands,
        uniq,
        weight,
        count,
        blank=int(len(rows) - marked.sum()),
        weighted=weights is not None,
        scale=scale,
    )
