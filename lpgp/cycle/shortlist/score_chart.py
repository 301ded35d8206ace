"""Charts of the board's scores for the projector: a heat map and a ranked bar chart.

Both take an :class:`lpgp.cycle.shortlist.shortlist_rules.Aggregate` and return a matplotlib
``Figure`` (no pyplot, so they work in a server or a notebook alike). Large type and high-contrast
colours, because they are read from the back of a room.

>>> from lpgp.cycle.shortlist.shortlist_rules import aggregate
>>> import pandas as pd
>>> marks = pd.DataFrame({"member": [1, 2], "candidate": [10, 10], "criterion": ["a", "a"],
...     "score": [4.0, 1.0]})
>>> fig = ranked_bars(aggregate(marks, {"a": 1}, candidates={10: "Hub"}))
>>> fig.axes[0].get_title()
'Candidates in score order'
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from lpgp.cycle.shortlist.shortlist_rules import Aggregate
from lpgp.palette import NHS_BLUE, NHS_MID_GREY, NHS_WARM_YELLOW, ON_DARK, TEXT, WHITE, colour_scale

FONT = 14


def _wrap(label: str, width: int = 32) -> str:
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


def heat_map(agg: Aggregate) -> Figure:
    """Candidates (rows) x members (columns), each cell the member's weighted score.

    Blank cells are candidates a member did not score; they are never shown as zero.
    """
    data = agg.by_member
    rows, cols = data.shape
    fig = Figure(figsize=(max(8, 1.3 * cols + 5), max(4, 0.8 * rows + 2.5)), layout="constrained")
    ax = fig.add_subplot()
    ax.set_title("Each member's score per candidate", fontsize=FONT + 4, pad=16)
    if rows == 0 or cols == 0:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No candidates or board members yet", ha="center", fontsize=FONT)
        return fig
    values = data.to_numpy(dtype=float)
    if agg.normalised:
        limit = float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 1.0
        low, high = -(limit or 1.0), limit or 1.0
    else:
        low, high = 0.0, 5.0
    image = ax.imshow(
        np.ma.masked_invalid(values), cmap=colour_scale(), vmin=low, vmax=high, aspect="auto"
    )
    ax.set_facecolor(WHITE)
    ax.set_xticks(range(cols), [_wrap(c, 14) for c in data.columns], fontsize=FONT - 2)
    ax.set_yticks(range(rows), [_wrap(r) for r in data.index], fontsize=FONT)
    ax.tick_params(top=True, bottom=False, labeltop=True, labelbottom=False)
    middle = (low + high) / 2
    for i in range(rows):
        for j in range(cols):
            v = values[i, j]
            text, colour = ("–", NHS_MID_GREY) if np.isnan(v) else (f"{v:.1f}", TEXT)
            if not np.isnan(v) and v > middle:
                colour = ON_DARK
            ax.text(j, i, text, ha="center", va="center", fontsize=FONT, color=colour)
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label("z-score" if agg.normalised else "weighted score (0-5)", fontsize=FONT - 2)
    bar.ax.tick_params(labelsize=FONT - 2)
    return fig


def ranked_bars(agg: Aggregate) -> Figure:
    """Candidates in score order: the bar is the mean, the whisker the lowest to highest
    member, the dot the median. Candidates the board disagrees on are drawn in yellow."""
    summary = agg.summary
    n = len(summary)
    fig = Figure(figsize=(12, max(4, 0.8 * n + 2)), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    scores = summary["score"].to_numpy(dtype=float)
    colours = [NHS_WARM_YELLOW if flag else NHS_BLUE for flag in summary["disagreement"]]
    ax.barh(y, np.nan_to_num(scores), color=colours, height=0.6)
    low = summary["low"].to_numpy(dtype=float)
    high = summary["high"].to_numpy(dtype=float)
    ax.hlines(y, low, high, color=TEXT, linewidth=2.5)
    ax.plot(summary["median"].to_numpy(dtype=float), y, "o", color=TEXT, markersize=8)
    labels = [
        f"{_wrap(t)}\n({int(k)} of {int(total)} scored)"
        for t, k, total in zip(
            summary["title"], summary["members_scored"], summary["members_total"], strict=True
        )
    ]
    ax.set_yticks(y, labels, fontsize=FONT - 1)
    if agg.normalised:
        ax.axvline(0, color=NHS_MID_GREY, linewidth=1)
        ax.set_xlabel("mean z-score across members", fontsize=FONT)
    else:
        ax.set_xlim(0, 5)
        ax.set_xlabel("weighted score (0-5), mean across members", fontsize=FONT)
    ax.tick_params(axis="x", labelsize=FONT)
    ax.legend(
        handles=[
            Patch(color=NHS_BLUE, label="board broadly agrees"),
            Patch(color=NHS_WARM_YELLOW, label=f"board disagrees (sd ≥ {agg.threshold:g})"),
        ],
        fontsize=FONT - 2,
        loc="lower right",
    )
    ax.set_title("Candidates in score order", fontsize=FONT + 4)
    return fig


def _score(value: float) -> str:
    return "no score" if np.isnan(value) else f"{value:.1f}"


def ranked_bars_alt(agg: Aggregate) -> str:
    """What :func:`ranked_bars` shows, in words, for its ``alt`` text (pure).

    >>> from lpgp.cycle.shortlist.shortlist_rules import aggregate
    >>> import pandas as pd
    >>> marks = pd.DataFrame({"member": [1, 2, 1, 2], "candidate": [10, 10, 11, 11],
    ...     "criterion": ["a"] * 4, "score": [5.0, 1.0, 3.0, 4.0]})
    >>> print(ranked_bars_alt(aggregate(marks, {"a": 1}, candidates={10: "Hub", 11: "Seat"})))
    Bar chart of the candidates in score order. 1. Seat: 3.5, members ranged 3.0 to 4.0. 2. Hub: 3.0, members ranged 1.0 to 5.0, the board disagrees.
    """  # noqa: E501
    summary = agg.summary
    if summary.empty:
        return "Bar chart of the candidates in score order: no candidates yet."
    parts = ["Bar chart of the candidates in score order."]
    for row in summary.to_dict("records"):
        text = f"{int(row['rank'])}. {row['title']}: {_score(float(row['score']))}"
        if not np.isnan(float(row["low"])):
            text += f", members ranged {float(row['low']):.1f} to {float(row['high']):.1f}"
        if bool(row["disagreement"]):
            text += ", the board disagrees"
        parts.append(text + ".")
    return " ".join(parts)


def heat_map_alt(agg: Aggregate) -> str:
    """What :func:`heat_map` shows, in words, for its ``alt`` text (pure): its size and where
    members differ most; the table beside it gives every number.

    >>> from lpgp.cycle.shortlist.shortlist_rules import aggregate
    >>> import pandas as pd
    >>> marks = pd.DataFrame({"member": [1, 2], "candidate": [10, 10], "criterion": ["a", "a"],
    ...     "score": [5.0, 1.0]})
    >>> print(heat_map_alt(aggregate(marks, {"a": 1}, candidates={10: "Hub"})))
    Heat map of each member's score for 1 candidate from 2 members. Members differ most on Hub (1.0 to 5.0).
    """  # noqa: E501
    data = agg.by_member
    rows, cols = data.shape
    if rows == 0 or cols == 0:
        return "Heat map of each member's scores: no candidates or board members yet."
    text = (
        f"Heat map of each member's score for {rows} candidate{'s' if rows != 1 else ''} "
        f"from {cols} member{'s' if cols != 1 else ''}."
    )
    lows, highs = data.min(axis=1), data.max(axis=1)
    spread = (highs - lows).to_numpy(dtype=float)  # NaN for a candidate nobody scored
    if np.isfinite(spread).any() and np.nanmax(spread) > 0:
        at = int(np.nanargmax(spread))  # the first of the widest, as idxmax would give
        title, low, high = data.index[at], lows.iloc[at], highs.iloc[at]
        text += f" Members differ most on {title} ({low:.1f} to {high:.1f})."
    return text
