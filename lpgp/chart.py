"""Charts of a vote's result: bars of scores, instant-runoff rounds, a pairwise heat map.

Each function takes plain data and returns a matplotlib Figure (drawn off-screen), so the
notebooks can display it and the exports can save it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

NHS_BLUE = "#005EB8"
NHS_GREY = "#768692"
NHS_DARK = "#003087"


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
    colours = [NHS_BLUE if n in winners else NHS_GREY for n in names]
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
    shades = [NHS_DARK, NHS_BLUE, "#41B6E6", NHS_GREY, "#AE2573", "#ED8B00"]
    for r, counts in enumerate(rounds):
        ys = [i + r * height for i, n in enumerate(names) if n in counts]
        xs = [counts[n] for n in names if n in counts]
        ax.barh(ys, xs, height=height, color=shades[r % len(shades)], label=f"round {r + 1}")
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
    fig = Figure(figsize=(1.0 * len(names) + 2.5, 0.9 * len(names) + 1.5))
    ax = fig.add_subplot()
    image = ax.imshow(grid, cmap="Blues")
    ax.set_xticks(range(len(names)), names)
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("... over this candidate")
    ax.set_ylabel("Support for this candidate ...")
    top = max((max(row) for row in grid), default=0)
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if i != j:
                colour = "white" if value > top / 2 else "black"
                ax.text(j, i, f"{value:,.4g}", ha="center", va="center", color=colour)
    fig.colorbar(image, ax=ax, shrink=0.8)
    ax.set_title(title)
    fig.tight_layout()
    return fig
