"""The result chart: a horizontal bar per candidate, chosen ones in NHS blue, with alt text.
Its colours come from :mod:`lpgp.palette`.

Drawn with Matplotlib's object API (no global pyplot state), as PNG for Word and Markdown and
SVG for HTML and PDF, so the printed chart stays sharp.
"""

from __future__ import annotations

import io
import warnings

from lpgp.cycle.exports.model import VoteSummary
from lpgp.palette import CHOSEN, NOT_CHOSEN, TEXT

FONTS = ["Arial", "Liberation Sans", "DejaVu Sans"]
LABEL_CHARS = 48


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else f"{int(value)}"


def chart_alt(vote: VoteSummary) -> str:
    """Alt text that says what the chart shows, in plain words, highest score first.

    >>> from lpgp.cycle.exports.model import ResultBar
    >>> bars = (ResultBar("A", 12, True), ResultBar("B", 7))
    >>> v = VoteSummary("Approval", "", 1, "Approvals", bars)
    >>> chart_alt(v)
    'Bar chart of the vote result (Approvals). A: 12 (chosen); B: 7.'
    """
    parts = [
        f"{bar.title}: {_number(bar.score)}{' (chosen)' if bar.chosen else ''}"
        for bar in sorted(vote.results, key=lambda b: -b.score)
    ]
    return f"Bar chart of the vote result ({vote.score_label}). " + "; ".join(parts) + "."


def _label(title: str) -> str:
    flat = " ".join(title.split()).replace("$", r"\$")
    return flat if len(flat) <= LABEL_CHARS else flat[: LABEL_CHARS - 1] + "…"


def result_chart(vote: VoteSummary, fmt: str = "png") -> bytes:
    """Draw the vote result as ``png`` or ``svg`` bytes.

    >>> from lpgp.cycle.exports.model import ResultBar
    >>> v = VoteSummary("Approval", "", 1, "Approvals", (ResultBar("A", 3, True),))
    >>> result_chart(v)[:4]
    b'\\x89PNG'
    """
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    bars = sorted(vote.results, key=lambda b: b.score)
    height = 1.2 + 0.45 * max(len(bars), 1)
    with (
        matplotlib.rc_context(
            {"font.family": _installed_fonts(), "svg.fonttype": "none", "text.usetex": False}
        ),
        warnings.catch_warnings(),
    ):
        # Glyphs the chart font lacks (emoji) draw as boxes; the tables carry the full text.
        warnings.simplefilter("ignore", UserWarning)
        fig = Figure(figsize=(8, height), dpi=150)
        ax = fig.add_subplot()
        positions = range(len(bars))
        ax.barh(
            positions,
            [b.score for b in bars],
            color=[CHOSEN if b.chosen else NOT_CHOSEN for b in bars],
        )
        ax.set_yticks(list(positions), [_label(b.title) for b in bars], color=TEXT)
        for pos, bar in zip(positions, bars, strict=True):
            ax.text(bar.score, pos, f" {_number(bar.score)}", va="center", color=TEXT)
        if all(float(b.score).is_integer() for b in bars):
            # Counts (approvals, ballots, wins) read in whole numbers: no 2.5 on the axis.
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(vote.score_label, color=TEXT)
        ax.spines[["top", "right"]].set_visible(False)
        ax.margins(x=0.12)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format=fmt, metadata=_metadata(fmt))
    return out.getvalue()


def _installed_fonts() -> list[str]:
    # Asking Matplotlib for a family it lacks logs a warning per glyph; ask only for what exists.
    from matplotlib import font_manager

    names = {font.name for font in font_manager.fontManager.ttflist}
    return [name for name in FONTS if name in names] or ["sans-serif"]


def _metadata(fmt: str) -> dict[str, str | None]:
    # Leave out the creation date so the same result draws the same bytes.
    return {"Date": None} if fmt == "svg" else {}
