"""After close, the rules (pure): what a closed vote's results hold, the count of a set of
ballots, the breakdown by PCN withheld where too few practices voted, the count in words and
charts, and what a practice may look up by its receipt; :mod:`lpgp.cycle.vote.recount` reads the
ballots from the store and publishes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd

from lpgp import voting
from lpgp.cycle.vote import vote_rules
from lpgp.errors import InvalidInput

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MIN_PCN_VOTERS = 3
WITHHELD = (
    f"withheld: fewer than {MIN_PCN_VOTERS} practices in this PCN voted, so its own result "
    "could show how a practice voted"
)
SCORE_LABELS = {
    "approval": "Approvals",
    "points": "Points",
    "borda": "Borda points",
    "schulze": "Priorities it beats head to head",
    "irv": "First preferences",
}


@dataclass(frozen=True)
class PcnResult:
    """One PCN's own count, or why it is withheld."""

    pcn: str
    voted: int
    winners: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Outcome:
    """Everything the results page shows for a closed vote."""

    vote: vote_rules.Vote
    candidates: tuple[vote_rules.CandidateText, ...]
    result: voting.Result
    robustness: voting.Robustness
    turnout: vote_rules.Turnout
    by_pcn: tuple[PcnResult, ...]
    weighting_note: str
    # For ranked ballots: how many (weighted) ballots put the row's candidate above the
    # column's, whatever the method; None for approval and points ballots.
    head_to_head: pd.DataFrame | None = None

    def title_of(self, key: str) -> str:
        """A candidate's title from its key."""
        return {c.key: c.title for c in self.candidates}.get(key, key)


def _count(vote: vote_rules.Vote, rows: list[vote_rules.CountedBallot], keys: list[str]) -> Any:
    weights = None if vote.weighting == "equal" else [r.weight for r in rows]
    return voting.tally(
        vote.method,
        [r.content["ballot"] for r in rows],
        candidates=keys,
        seats=vote.seats,
        weights=weights,
        seed=vote.seed,
        budget=vote.budget,
    )


def suppress_small(counts: dict[str, int], minimum: int = MIN_PCN_VOTERS) -> dict[str, bool]:
    """Which groups may be shown: those where at least ``minimum`` practices voted.

    >>> suppress_small({"North": 5, "South": 2})
    {'North': True, 'South': False}
    """
    return {name: n >= minimum for name, n in counts.items()}


def _head_to_head(
    vote: vote_rules.Vote, rows: list[vote_rules.CountedBallot], keys: list[str]
) -> pd.DataFrame | None:
    """The pairwise table of ranked ballots (the same table the Schulze count builds), for
    any ranked method; None for other ballots."""
    if voting.ballot_kind(vote.method) != "ranked":
        return None
    weights = None if vote.weighting == "equal" else [r.weight for r in rows]
    pairs = voting.tally(
        "schulze",
        [r.content["ballot"] for r in rows],
        candidates=keys,
        weights=weights,
        seed=vote.seed,
    )
    return pairs.evidence["pairwise"]


def majority_cycle(pairwise: pd.DataFrame) -> tuple[str, ...]:
    """The shortest cycle of head-to-head wins, if there is one: each candidate beats the
    next and the last beats the first (``pairwise.loc[a, b]`` is the support for a over b).
    Empty when the wins line up.

    >>> d = pd.DataFrame([[0, 6, 3], [3, 0, 6], [6, 3, 0]], index=list("ABC"),
    ...                  columns=list("ABC"))
    >>> majority_cycle(d)
    ('A', 'B', 'C')
    >>> d.loc["A", "C"] = 7  # now A beats C as well as B
    >>> majority_cycle(d)
    ()
    """
    names = [str(c) for c in pairwise.index]
    values = pairwise.to_numpy()
    beats = {
        a: [b for j, b in enumerate(names) if values[i][j] > values[j][i]]
        for i, a in enumerate(names)
    }
    best: tuple[str, ...] = ()
    for start in names:  # breadth first from each candidate back to itself
        paths: list[tuple[str, ...]] = [(start,)]
        while paths and (not best or len(paths[0]) < len(best)):
            grown: list[tuple[str, ...]] = []
            for path in paths:
                for nxt in beats[path[-1]]:
                    if nxt == start:
                        if not best or len(path) < len(best):
                            best = path
                    elif nxt not in path:
                        grown.append((*path, nxt))
            paths = grown
    if not best:
        return ()
    first = min(range(len(best)), key=lambda k: names.index(best[k]))
    return best[first:] + best[:first]


_QUOTED = re.compile(r"'([^'\n]{1,40})'")


def with_titles(text: str, titles: dict[str, str]) -> str:
    """An explanation from the voting engine, which quotes candidates by key ('A'), with
    each key replaced by the candidate's title in curly quotes.

    >>> with_titles("Elected: 'B'. 'A' and 'B' were level.", {"A": "Hub", "B": "Estates"})
    'Elected: “Estates”. “Hub” and “Estates” were level.'
    >>> with_titles("lot with seed 'x9'", {"A": "Hub"})
    "lot with seed 'x9'"
    """
    return _QUOTED.sub(
        lambda m: f"“{titles[m.group(1)]}”" if m.group(1) in titles else m.group(0), text
    )


def score_label(method: str) -> str:
    """What a method's headline number per candidate counts, as a column heading.

    >>> score_label("schulze")
    'Priorities it beats head to head'
    """
    voting.ballot_kind(method)  # an unknown method is refused
    return SCORE_LABELS[method]


@dataclass(frozen=True)
class PublishedBallot:
    """One ballot as published: receipt, weight, choices, and the practice if named."""

    receipt: str
    weight: Decimal  # exact, as the store keeps it
    ballot: Any
    ods_code: str | None = None
    practice: str | None = None


def ballot_cells(kind: str, ballot: Any, keys: list[str]) -> list[Any]:
    """A ballot as one cell per candidate: rank (ranked), 1/0 (approval) or points.

    >>> ballot_cells("ranked", ["B", "A"], ["A", "B", "C"])
    [2, 1, '']
    >>> ballot_cells("approval", ["C"], ["A", "B", "C"])
    [0, 0, 1]
    >>> ballot_cells("points", {"A": 3}, ["A", "B"])
    [3, 0]
    """
    if kind == "ranked":
        ranks: dict[str, int] = {}
        for position, item in enumerate(ballot, start=1):
            for key in item if isinstance(item, list) else [item]:
                ranks[key] = position
        return [ranks.get(k, "") for k in keys]
    if kind == "approval":
        chosen = set(ballot)
        return [int(k in chosen) for k in keys]
    return [ballot.get(k, 0) for k in keys]


def preflib_refusal(vote: vote_rules.Vote) -> str | None:
    """Why a vote's ballots cannot be published as a PrefLib file, or None if they can.

    >>> from datetime import UTC, datetime
    >>> t = datetime(2027, 3, 1, tzinfo=UTC)
    >>> v = vote_rules.Vote(1, 1, None, "v", "points", 1, "equal", True, 10, t, t, "s", "closed",
    ...                t, t)
    >>> preflib_refusal(v)
    'PrefLib has no format for points ballots: the CSV file holds them.'
    """
    if voting.ballot_kind(vote.method) == "points":
        return "PrefLib has no format for points ballots: the CSV file holds them."
    if vote.weighting != "equal":
        return (
            "PrefLib files cannot hold the weights of a vote weighted by list size: the CSV "
            "file holds them."
        )
    return None


def preflib_suffix(vote: vote_rules.Vote) -> str:
    """The PrefLib file type for a vote's ballots: ``.soi`` (ranked) or ``.cat`` (approval)."""
    kind = voting.ballot_kind(vote.method)
    if kind == "points":
        raise InvalidInput(
            f"'{vote.title}' used points ballots, which PrefLib has no format for: publish "
            "them as CSV (lpgp vote export --as csv)"
        )
    return ".cat" if kind == "approval" else ".soi"


def charts(outcome: Outcome) -> dict[str, Figure]:
    """The charts that suit the vote's method, by name: ``scores`` (every method),
    ``rounds`` (instant runoff) and ``pairwise`` (Schulze)."""
    from lpgp import chart  # matplotlib is slow to import: only when a chart is drawn

    result = outcome.result
    names = {c.key: c.title for c in outcome.candidates}
    figures: dict[str, Figure] = {}
    if result.scores:
        figures["scores"] = chart.score_bars(
            {names.get(k, k): float(v) for k, v in result.scores.items()},
            winners=[names.get(k, k) for k in result.winners],
            title=f"{outcome.vote.title}: scores",
        )
    rounds = [
        {names.get(k, k): v for k, v in r.votes.items()}
        for r in getattr(result, "rounds", ())
        if r.count == 1
    ]
    if rounds:
        figures["rounds"] = chart.runoff_rounds(rounds, title=f"{outcome.vote.title}: rounds")
    pairwise = (result.evidence or {}).get("pairwise")
    if pairwise is not None:
        figures["pairwise"] = chart.pairwise_heat_map(
            {
                names.get(str(a), str(a)): {
                    names.get(str(b), str(b)): float(pairwise.loc[a, b]) for b in pairwise.columns
                }
                for a in pairwise.index
            },
            title=f"{outcome.vote.title}: head to head",
        )
    return figures


def turnout_sentence(voted: int, eligible: int, patient_share: float) -> str:
    """Turnout in words, for a practice's page (whole-number percentages).

    >>> turnout_sentence(23, 41, 0.5834)
    '23 of 41 practices voted (56%), with 58% of the registered patients.'
    >>> turnout_sentence(1, 1, 1.0)
    '1 of 1 practice voted (100%), with 100% of the registered patients.'
    """
    share = int(voted * 100 / eligible + 0.5) if eligible else 0
    patients = int(patient_share * 100 + 0.5)
    noun = "practice" if eligible == 1 else "practices"
    return (
        f"{voted} of {eligible} {noun} voted ({share}%), with {patients}% of the registered "
        "patients."
    )


@dataclass(frozen=True)
class Announcement:
    """A closed vote's result as a practice's page shows it: the priorities chosen, by
    title in order of election, and the turnout in words. Nothing else of the count."""

    title: str
    winners: tuple[str, ...]
    turnout: str
    seats: int


NO_SUCH_RECEIPT = "No published ballot has that receipt."


def published_by_receipt(ballots: list[PublishedBallot], typed: str) -> PublishedBallot | None:
    """The published ballot whose receipt is ``typed`` (case, spaces and dashes do not
    matter), or None: the answer comes from the published list alone, so it tells nobody
    more than that list does.

    >>> listed = [PublishedBallot("4HX-T9Q-2MC", 1.0, ["B"]), PublishedBallot("ABC-DEF-GHJ", 1.0, ["A"])]
    >>> published_by_receipt(listed, " 4hx t9q2mc ").ballot
    ['B']
    >>> published_by_receipt(listed, "4HX-T9Q") is None, published_by_receipt(listed, "") is None
    (True, True)
    """  # noqa: E501
    from lpgp.codes import normalise

    wanted = normalise(typed or "")
    if not wanted:
        return None
    for b in ballots:
        if normalise(b.receipt) == wanted:
            return b
    return None


def ballot_in_words(kind: str, ballot: Any, titles: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """A published ballot as (label, value) rows naming candidates by title: ranks in
    order, approved titles, or points.

    >>> t = {"A": "Hub", "B": "Estates"}
    >>> ballot_in_words("ranked", ["B", "A"], t)
    (('1', 'Estates'), ('2', 'Hub'))
    >>> ballot_in_words("approval", ["A"], t), ballot_in_words("points", {"B": 1}, t)
    ((('Hub', ''),), (('Estates', '1 point'),))
    """
    if kind == "ranked":
        out = []
        for n, item in enumerate(ballot, start=1):
            keys = item if isinstance(item, list | tuple) else [item]
            out.append((str(n), " and ".join(str(titles.get(k, k)) for k in keys)))
        return tuple(out)
    if kind == "approval":
        return tuple((titles.get(k, k), "") for k in ballot)
    return tuple((titles.get(k, k), f"{p} point{'' if p == 1 else 's'}") for k, p in ballot.items())


@dataclass(frozen=True)
class ReceiptLookup:
    """What a receipt lookup shows: the receipt as typed and, when a published ballot has
    it, that ballot's receipt, its rows in words, its weight (for a weighted vote) and, for
    a named vote, the practice: exactly what the published list says of it."""

    typed: str
    receipt: str | None = None
    rows: tuple[tuple[str, str], ...] = ()
    weight: str | None = None
    practice: str | None = None

    @property
    def found(self) -> bool:
        return self.receipt is not None
