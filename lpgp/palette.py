"""The colours of every chart and exported file, by name: the NHS identity palette.

One module, so the projector's charts, the PDF and Word summaries, the action log and the
ballot letters agree, and a colour's contrast is checked in one place (tests/test_palette.py).
The values are NHS England's identity colours and the NHS service manual's text colour; the
app's screens take theirs from its stylesheet (lpgp/web/static), not from here.

Charts use the names for what a colour means (:data:`CHOSEN`, :data:`NOT_CHOSEN`, :data:`TEXT`,
:data:`SERIES`, :data:`SCALE`); the NHS names say which colour that is.

>>> CHOSEN, NOT_CHOSEN
('#005EB8', '#768692')
>>> bare(NHS_BLUE)  # Excel and Word take a colour without its '#'
'005EB8'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.colors import Colormap

# --- NHS identity colours ----------------------------------------------------------------
NHS_DARK_BLUE = "#003087"
NHS_BLUE = "#005EB8"
NHS_LIGHT_BLUE = "#41B6E6"
NHS_DARK_GREY = "#425563"
NHS_MID_GREY = "#768692"
NHS_PALE_GREY = "#E8EDEE"
NHS_DARK_GREEN = "#006747"
NHS_AQUA_GREEN = "#00A499"
NHS_WARM_YELLOW = "#FFB81C"
NHS_ORANGE = "#ED8B00"
NHS_DARK_PINK = "#AE2573"
NHS_TEXT_BLACK = "#212B32"  # the service manual's text colour, softer than pure black
WHITE = "#FFFFFF"
BLACK = "#000000"

# --- What a colour means ----------------------------------------------------------------
#: A chosen (elected, agreed) candidate's bar, and anything else drawn in the NHS's own blue.
CHOSEN = NHS_BLUE
#: Every other bar: the one grey for "not this", 3.5:1 on white (a bar needs 3:1; the paler
#: service-manual grey the summary chart used had 2:1).
NOT_CHOSEN = NHS_MID_GREY
#: What needs the room's attention (the board disagrees about a candidate's score).
ATTENTION = NHS_WARM_YELLOW
#: Words, numbers, axes and rules drawn on a chart.
TEXT = NHS_TEXT_BLACK
#: Words on a dark fill (the top of :data:`SCALE`, a header row).
ON_DARK = WHITE
#: One colour per series (an instant-runoff count's rounds), in order: each at least 3:1 on
#: white (NHS light blue and orange, 2.3:1 and 2.5:1, were left out), neighbours unalike.
SERIES = (
    NHS_DARK_BLUE,
    NHS_AQUA_GREEN,
    NHS_DARK_PINK,
    NHS_BLUE,
    NHS_MID_GREY,
    NHS_DARK_GREEN,
)
#: A heat map's colours from low to high.
SCALE = (NHS_PALE_GREY, NHS_LIGHT_BLUE, NHS_DARK_BLUE)
#: Each RAG rating's (fill, text) in the action log, and a complete or unrated action's: the
#: fills of Excel's own "Good", "Neutral" and "Bad" styles, with text dark enough to read.
RAG_FILLS = {
    "red": ("#FFC7CE", "#9C0006"),
    "amber": ("#FFEB9C", "#7A4F00"),
    "green": ("#C6EFCE", "#006100"),
    "complete": ("#DDE7F5", NHS_DARK_BLUE),
    "grey": (NHS_PALE_GREY, NHS_DARK_GREY),
}
#: Each agenda item kind's colour in the 80% rule's bar (innovation, business, system).
AGENDA_KINDS = {"innovation": NHS_DARK_GREEN, "business": NHS_MID_GREY, "system": NHS_BLUE}
#: A QR code's modules and background: scanners want plain black on white.
QR_DARK, QR_LIGHT = BLACK, WHITE


def bare(colour: str) -> str:
    """The colour as six hex digits without its ``#``, as openpyxl and python-docx take it.

    >>> bare("#41b6e6")
    '41B6E6'
    """
    return colour.removeprefix("#").upper()


def colour_scale() -> Colormap:
    """:data:`SCALE` as a Matplotlib colour map, for heat maps (Matplotlib loads on first use).

    >>> colour_scale().name
    'lpgp_nhs_blues'
    """
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("lpgp_nhs_blues", list(SCALE))
