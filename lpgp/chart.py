"""Charts of a vote's result: bars of scores, instant-runoff rounds, a pairwise heat map.

Each function takes plain data and returns a matplotlib Figure (drawn off-screen), so the
notebooks can display it and the exports can save it. Colours come from :mod:`lpgp.palette`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

from lpgp.palette import CHOSEN, NOT_CHOSEN, ON_DARK, SERIES, TEXT, colour_scale


def score_bars(
    scores: Mapping[str, float], *, winners: Sequence[str] = (), title: str = "Scores"
) -> Figure:
    """Horizontal bars of each candidate's score, highest at the top, winners in blue.

    >>> fig = score_bars({"A": 3, "B": 5}, winners=["B"])
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['A', 'B']
    """
    names = sorted(scores, key=lambda k: (scores[k], k))
    fig = Figure(figsize=(7, 0.5 * len(names) + 1.2))
    ax = fig.add_subplot()
    colours = [CHOSEN if n in winners else NOT_CHOSEN for n in names]
    ax.barh(names, [scores[n] for n in names], color=colours)
    for i, n in enumerate(names):
        ax.text(scores[n], i, f" {scores[n]:,.4g}", va="center")
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def runoff_rounds(rounds: Sequence[Mapping[str, float]], *, title: str = "Rounds") -> Figure:
    """Instant-runoff rounds as grouped bars: each candidate's votes in each round, until it
    is eliminated.

    >>> fig = runoff_rounds([{"A": 4, "B": 3, "C": 2}, {"A": 5, "B": 4}])
    >>> len(fig.axes[0].patches)
    5
    """
    names = list(rounds[0]) if rounds else []
    fig = Figure(figsize=(7, 0.6 * len(names) + 1.5))
    ax = fig.add_subplot()
    height = 0.8 / max(1, len(rounds))
    for r, counts in enumerate(rounds):
        ys = [i + r * height for i, n in enumerate(names) if n in counts]
        xs = [counts[n] for n in names if n in counts]
        ax.barh(ys, xs, height=height, color=SERIES[r % len(SERIES)], label=f"round {r + 1}")
    ax.set_yticks([i + 0.4 - height / 2 for i in range(len(names))], names)
    ax.invert_yaxis()
    ax.legend(loc="lower right", fontsize="small")
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def pairwise_heat_map(
    pairwise: Mapping[str, Mapping[str, float]], *, title: str = "Head to head"
) -> Figure:
    """A heat map of ``pairwise[a][b]``: how much support prefers a (row) over b (column).

    >>> fig = pairwise_heat_map({"A": {"B": 6}, "B": {"A": 4}})
    >>> fig.axes[0].get_images()[0].get_array().tolist()
    [[0.0, 6.0], [4.0, 0.0]]
    """
    names = list(pairwise)
    grid = [[float(pairwise[a].get(b, 0)) if a != b else 0.0 for b in names] for a in names]
    # Candidates' titles, wrapped, so a long one does not run into its neighbour: each column
    # is wide enough for a line of 14 characters.
    labels = [textwrap.fill(name, 14) for name in names]
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    fig = Figure(figsize=(1.5 * len(names) + 3.5, 0.9 * len(names) + 1.5 + 0.2 * lines))
    ax = fig.add_subplot()
    image = ax.imshow(grid, cmap=colour_scale(), aspect="auto")
    ax.set_xticks(range(len(names)), labels)
    ax.set_yticks(range(len(names)), labels)
    ax.set_xlabel("... over this candidate")
    ax.set_ylabel("Support for this candidate ...")
    top = max((max(row) for row in grid), default=0)
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if i != j:
                colour = ON_DARK if value > top / 2 else TEXT
                ax.text(j, i, f"{value:,.4g}", ha="center", va="center", color=colour)
    fig.colorbar(image, ax=ax, shrink=0.8)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def _percent(part: float, whole: float) -> str:
    return f"{int(part * 100 / whole + 0.5)}%" if whole else "0%"


def turnout_bars(rows: Sequence[tuple[str, int, int]], *, title: str = "Turnout by PCN") -> Figure:
    """Horizontal bars of each PCN's turnout, (PCN, practices voted, practices eligible), as
    a share of its practices, in the order given (top first), each labelled "voted of
    eligible".

    >>> fig = turnout_bars([("North PCN", 3, 4), ("South PCN", 0, 5)])
    >>> [round(float(p.get_width()), 2) for p in fig.axes[0].patches]
    [0.75, 0.0]
    """
    names = [r[0] for r in rows]
    shares = [r[1] / r[2] if r[2] else 0.0 for r in rows]
    fig = Figure(figsize=(7, 0.45 * len(names) + 1.3))
    ax = fig.add_subplot()
    ax.barh(range(len(names)), shares, color=CHOSEN)
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.18)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"])
    for i, (_, voted, eligible) in enumerate(rows):
        ax.text(shares[i], i, f" {voted} of {eligible}", va="center")
    ax.set_xlabel("Practices voted")
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def turnout_alt(rows: Sequence[tuple[str, int, int]]) -> str:
    """The words a screen reader gives for :func:`turnout_bars`.

    >>> turnout_alt([("North PCN", 3, 4), ("South PCN", 0, 5)])
    'Bar chart of turnout by PCN: North PCN 3 of 4 practices voted (75%); South PCN 0 of 5 practices voted (0%).'
    """  # noqa: E501
    parts = [f"{name} {voted} of {eligible} practices voted ({_percent(voted, eligible)})"
             for name, voted, eligible in rows]  # fmt: skip
    return "Bar chart of turnout by PCN: " + "; ".join(parts) + "."


def score_alt(scores: Mapping[str, float], *, winners: Sequence[str] = (), label: str) -> str:
    """The words a screen reader gives for :func:`score_bars`, highest first.

    >>> score_alt({"Hub": 3, "Estates": 5}, winners=["Estates"], label="Approvals")
    'Bar chart of approvals, highest first: Estates 5 (chosen); Hub 3.'
    """
    names = sorted(scores, key=lambda k: (-scores[k], k))
    parts = [f"{n} {scores[n]:,.4g}" + (" (chosen)" if n in winners else "") for n in names]
    return f"Bar chart of {label.lower()}, highest first: " + "; ".join(parts) + "."
