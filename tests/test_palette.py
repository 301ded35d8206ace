"""One chart palette: every colour the package draws comes from lpgp.palette, by name."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from matplotlib.colors import to_hex

from lpgp import palette

PACKAGE = Path(palette.__file__).parent
# A colour written as hex in Python source: "#005EB8", "#ccc". Stylesheets and templates keep
# the app's own colours and are not Python.
HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
# ...and as openpyxl and python-docx take it, without the "#": "005EB8" (a letter among six).
BARE_COLOUR = re.compile(r"(?<=[\"'])(?=[0-9A-F]*[A-F])[0-9A-F]{6}(?=[\"'])")
CHART_MODULES = [
    "lpgp/chart.py",
    "lpgp/cycle/shortlist/score_chart.py",
    "lpgp/cycle/exports/chart.py",
]
OTHER_USERS = [
    "lpgp/cycle/agendas/agenda_rules.py",
    "lpgp/cycle/exports/actionlog.py",
    "lpgp/cycle/exports/word.py",
    "lpgp/cycle/exports/letters.py",
]


def _hex_colours(source: str) -> list[str]:
    return HEX_COLOUR.findall(source) + BARE_COLOUR.findall(source)


def test_no_colour_is_written_outside_the_palette() -> None:
    found = {
        str(path.relative_to(PACKAGE.parent)): hits
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != Path(palette.__file__) and (hits := _hex_colours(path.read_text("utf-8")))
    }
    assert found == {}, "use a name from lpgp.palette instead"


def test_the_check_finds_a_colour() -> None:
    source = 'GREY = "#AEB7BD"  # and "#ccc"\nx = "#issue-21"\nfill = "E8EDEE"; n = "123456"'
    assert _hex_colours(source) == ["#AEB7BD", "#ccc", "E8EDEE"]


def _imports_palette(path: Path) -> bool:
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (
            (node.module or "").endswith("palette") or any(a.name == "palette" for a in node.names)
        ):
            return True
    return False


@pytest.mark.parametrize("module", CHART_MODULES + OTHER_USERS)
def test_each_module_that_draws_takes_its_colours_from_the_palette(module: str) -> None:
    assert _imports_palette(PACKAGE.parent / module)


def test_a_vote_chart_draws_chosen_and_other_bars_in_the_palette_colours() -> None:
    from lpgp.chart import score_bars

    fig = score_bars({"Hub": 3, "Estates": 5}, winners=["Estates"])
    colours = [to_hex(bar.get_facecolor()).upper() for bar in fig.axes[0].patches]
    assert colours == [palette.NOT_CHOSEN, palette.CHOSEN]  # Hub (lower) first


def test_the_summary_chart_draws_in_the_palette_colours() -> None:
    from lpgp.cycle.exports.chart import result_chart
    from lpgp.cycle.exports.model import ResultBar, VoteSummary

    bars = (ResultBar("Hub", 4, True), ResultBar("Estates", 2))
    svg = result_chart(VoteSummary("Approval", "", 1, "Approvals", bars), "svg").decode()
    fills = [f.upper() for f in re.findall(r"fill: ?(#[0-9a-fA-F]{6})", svg)]
    assert fills.count(palette.CHOSEN) == 1 and fills.count(palette.NOT_CHOSEN) == 1


def _channels(colour: str) -> list[float]:
    """A ``#RRGGBB`` colour's red, green and blue, each from 0 to 1."""
    return [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]


def _luminance(colour: str) -> float:
    r, g, b = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in _channels(colour)
    ]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _hue_apart(a: str, b: str) -> bool:
    import colorsys

    hues = [colorsys.rgb_to_hsv(*_channels(c))[0] for c in (a, b)]
    apart = abs(hues[0] - hues[1])
    return min(apart, 1 - apart) >= 0.15


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_and_bars_stand_out_from_a_white_page() -> None:
    # WCAG 2.2 AA: text 4.5:1 (1.4.3); a bar that carries meaning 3:1 (1.4.11).
    assert _contrast(palette.TEXT, palette.WHITE) >= 4.5
    assert _contrast(palette.ON_DARK, palette.NHS_DARK_BLUE) >= 4.5
    assert _contrast(palette.ON_DARK, palette.NHS_BLUE) >= 4.5  # the action log's header row
    for bar in (palette.CHOSEN, palette.NOT_CHOSEN, *palette.AGENDA_KINDS.values()):
        assert _contrast(bar, palette.WHITE) >= 3


def test_each_round_of_a_count_has_its_own_colour_that_stands_out() -> None:
    assert len(set(palette.SERIES)) == len(palette.SERIES) == 6
    for colour in palette.SERIES:
        assert _contrast(colour, palette.WHITE) >= 3, colour
    # next to each other in a group of bars, two rounds differ by more than a shade
    for a, b in zip(palette.SERIES, palette.SERIES[1:], strict=False):
        assert _contrast(a, b) >= 1.5 or _hue_apart(a, b), (a, b)


@pytest.mark.parametrize("rag", sorted(palette.RAG_FILLS))
def test_each_rag_fill_keeps_its_text_readable(rag: str) -> None:
    fill, text = palette.RAG_FILLS[rag]
    assert _contrast(text, fill) >= 4.5


def test_bare_colours_are_what_openpyxl_and_python_docx_take() -> None:
    from docx.shared import RGBColor
    from openpyxl.styles import PatternFill

    assert str(RGBColor.from_string(palette.bare(palette.NHS_BLUE))) == "005EB8"
    assert PatternFill("solid", fgColor=palette.bare(palette.NHS_BLUE)).fgColor.rgb == "00005EB8"
