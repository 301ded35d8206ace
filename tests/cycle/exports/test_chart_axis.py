"""The result chart's count axis reads in whole numbers when every score is a whole number."""

from __future__ import annotations

import re

from lpgp.cycle.exports.chart import result_chart
from lpgp.cycle.exports.model import ResultBar, VoteSummary


def _axis_labels(svg: bytes) -> list[str]:
    """The text of the x axis's tick labels, as the SVG (text kept as text) holds them."""
    text = svg.decode("utf-8")
    ticks = text.split('id="matplotlib.axis_1"', 1)[1].split('id="matplotlib.axis_2"', 1)[0]
    found = re.findall(r"<text[^>]*>([^<]*)</text>", ticks)
    return [label for label in found if re.fullmatch(r"[0-9.]+", label)]  # not the axis title


def test_counts_have_whole_number_ticks() -> None:
    vote = VoteSummary(
        "Approval",
        "",
        2,
        "Approvals",
        # Stored as floats: left to itself the axis read 0.0, 2.5, ... 17.5 for these.
        (ResultBar("A", 17.0, True), ResultBar("B", 9.0, True), ResultBar("C", 3.0, False)),
    )
    labels = _axis_labels(result_chart(vote, "svg"))
    assert labels and all(re.fullmatch(r"[0-9]+", label) for label in labels), labels


def test_fractional_scores_keep_fractional_ticks() -> None:
    vote = VoteSummary(
        "Borda", "", 1, "Borda points", (ResultBar("A", 2.5, True), ResultBar("B", 1.25, False))
    )
    labels = _axis_labels(result_chart(vote, "svg"))
    assert any("." in label for label in labels), labels
