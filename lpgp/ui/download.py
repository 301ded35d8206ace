"""Files and pictures handed to the browser inside the page: a link carrying a file in a
``data:`` address (the browser saves it; nothing is written to the server's disk) and a chart as
a PNG ``<img>`` with alt text."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

from lpgp.ui.format import escape

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CSV = "text/csv"
PDF = "application/pdf"
TEXT = "text/plain"


def data_address(data: bytes | str, mime: str) -> str:
    """``data`` as a ``data:`` address (text is sent as UTF-8).

    >>> data_address("a,b\\n", "text/csv")
    'data:text/csv;charset=utf-8;base64,YSxiCg=='
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
        mime = f"{mime};charset=utf-8"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def download_link(data: bytes | str, filename: str, mime: str, label: str) -> str:
    """A link, shown as a button, that saves ``data`` as ``filename`` in the browser.

    >>> download_link("x", "codes.csv", CSV, "Download the codes (CSV)")
    '<a class="lpgp-button lpgp-download" download="codes.csv" href="data:text/csv;charset=utf-8;base64,eA==">Download the codes (CSV)</a>'
    """  # noqa: E501
    return (
        f'<a class="lpgp-button lpgp-download" download="{escape(filename)}" '
        f'href="{data_address(data, mime)}">{escape(label)}</a>'
    )


def figure_img(figure: Figure, alt: str, css: str = "lpgp-vote-chart", dpi: int = 100) -> str:
    """A matplotlib figure as a PNG ``<img>`` with alt text (a ``data:`` address)."""
    data = io.BytesIO()
    figure.savefig(data, format="png", dpi=dpi)
    return f'<img class="{escape(css)}" src="{data_address(data.getvalue(), "image/png")}" alt="{escape(alt)}">'  # noqa: E501


def slug(text: str, fallback: str = "vote") -> str:
    """A file-name-safe form of a title.

    >>> slug("2027/28 practice vote"), slug("<>")
    ('2027-28-practice-vote', 'vote')
    """
    kept = "".join(c.lower() if c.isalnum() else "-" for c in text)
    parts = [p for p in kept.split("-") if p]
    return "-".join(parts)[:60] or fallback
