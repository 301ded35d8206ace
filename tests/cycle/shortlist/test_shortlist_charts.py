"""The projector charts draw what the aggregate says."""

from __future__ import annotations

import statistics

import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from lpgp.cycle.shortlist.score_chart import (
    NHS_BLUE,
    NHS_WARM_YELLOW,
    heat_map,
    heat_map_alt,
    ranked_bars,
    ranked_bars_alt,
)
from lpgp.cycle.shortlist.shortlist_rules import aggregate


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
    assert colours[0] == to_rgba(NHS_WARM_YELLOW)
    assert colours[1] == to_rgba(NHS_BLUE)
    assert ax.get_xlim() == (0.0, 5.0)


def test_normalised_charts_draw_each_members_z_scores() -> None:
    # By hand: member 1 marked Hub 5, Seat 3, Fund 2; member 2 Hub 1, Seat 3. Each member's
    # marks become (mark - their mean) / their population standard deviation.
    marks = {1: {"Hub": 5.0, "Seat": 3.0, "Fund": 2.0}, 2: {"Hub": 1.0, "Seat": 3.0}}
    z = {
        member: {
            title: (mark - statistics.fmean(given.values())) / statistics.pstdev(given.values())
            for title, mark in given.items()
        }
        for member, given in marks.items()
    }
    agg = _agg(normalise=True)
    cells = [t.get_text() for t in heat_map(agg).axes[0].texts]
    expected = [
        f"{z[m][title]:.1f}" if title in z[m] else "–"
        for title in ("Hub", "Seat", "Fund")
        for m in (1, 2)
    ]
    assert cells == expected == ["1.3", "-1.0", "-0.3", "1.0", "-1.1", "–"]

    ax = ranked_bars(agg).axes[0]
    means = {t: statistics.fmean(z[m][t] for m in z if t in z[m]) for t in ("Hub", "Seat", "Fund")}
    top_first = sorted(ax.patches, key=lambda b: -b.get_y())
    assert [b.get_width() for b in top_first] == pytest.approx(sorted(means.values(), reverse=True))
    # Hub's two z-scores are more than one standard deviation apart: the board disagrees.
    colours = [to_rgba(NHS_BLUE), to_rgba(NHS_WARM_YELLOW), to_rgba(NHS_BLUE)]  # Seat, Hub, Fund
    assert [b.get_facecolor() for b in top_first] == colours
    assert ax.get_xlabel() == "mean z-score across members"


def test_charts_of_nothing_yet() -> None:
    empty = pd.DataFrame(columns=["member", "candidate", "criterion", "score"])
    agg = aggregate(empty, {"a": 1}, candidates={10: "Hub"}, members=[])
    heat = heat_map(agg).axes[0]
    assert [t.get_text() for t in heat.texts] == ["No candidates or board members yet"]
    assert heat.get_images() == []
    # The one candidate, unscored: a bar of no length, never a score of 0 in words.
    bars = ranked_bars(agg).axes[0]
    assert [b.get_width() for b in bars.patches] == [0.0]
    assert [t.get_text() for t in bars.get_yticklabels()] == ["Hub\n(0 of 0 scored)"]
    assert heat_map_alt(agg).endswith("no candidates or board members yet.")
    assert ranked_bars_alt(agg).endswith("1. Hub: no score.")


def test_alt_text_says_what_the_charts_show() -> None:
    agg = _agg()
    assert ranked_bars_alt(agg) == (
        "Bar chart of the candidates in score order."
        " 1. Hub: 3.0, members ranged 1.0 to 5.0, the board disagrees."
        " 2. Seat: 3.0, members ranged 3.0 to 3.0."
        " 3. Fund: 2.0, members ranged 2.0 to 2.0."
    )
    assert heat_map_alt(agg) == (
        "Heat map of each member's score for 3 candidates from 2 members."
        " Members differ most on Hub (1.0 to 5.0)."
    )
