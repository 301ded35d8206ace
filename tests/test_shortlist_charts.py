"""The projector charts draw what the aggregate says."""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.figure import Figure

from lpgp.score_chart import NHS_BLUE, NHS_WARM_YELLOW, heat_map, ranked_bars
from lpgp.shortlist_rules import aggregate


def _agg(normalise: bool = False):
    marks = pd.DataFrame(
        {
            "member": [1, 2, 1, 2, 1],
            "candidate": [10, 10, 11, 11, 12],
            "criterion": ["a"] * 5,
            "score": [5.0, 1.0, 3.0, 3.0, 2.0],
        }
    )
    return aggregate(
        marks, {"a": 1}, candidates={10: "Hub", 11: "Seat", 12: "Fund"}, normalise=normalise
    )


def test_heat_map_shows_every_cell_and_blanks_for_unscored() -> None:
    fig = heat_map(_agg())
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["5.0", "1.0", "3.0", "3.0", "2.0", "–"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Hub", "Seat", "Fund"]


def test_ranked_bars_follow_score_order_and_mark_disagreement() -> None:
    fig = ranked_bars(_agg())
    ax = fig.axes[0]
    bars = ax.patches[:3]
    # the top bar is the first in score order: Hub and Seat tie on 3, Hub drafted first
    widths = [b.get_width() for b in sorted(bars, key=lambda b: -b.get_y())]
    assert widths == [3.0, 3.0, 2.0]
    colours = [b.get_facecolor() for b in sorted(bars, key=lambda b: -b.get_y())]
    from matplotlib.colors import to_rgba

    assert colours[0] == to_rgba(NHS_WARM_YELLOW)
    assert colours[1] == to_rgba(NHS_BLUE)
    assert ax.get_xlim() == (0.0, 5.0)


def test_normalised_charts_draw() -> None:
    agg = _agg(normalise=True)
    assert not math.isnan(agg.summary.score.iloc[0])
    heat_map(agg)
    ranked_bars(agg)


def test_charts_of_nothing_yet() -> None:
    empty = pd.DataFrame(columns=["member", "candidate", "criterion", "score"])
    agg = aggregate(empty, {"a": 1}, candidates={10: "Hub"}, members=[])
    assert "No candidates" in heat_map(agg).axes[0].texts[0].get_text()
    ranked_bars(agg)
