"""The top of every facilitator page: NHS-blue header with the place's name, and links to
every screen of the cycle."""

from __future__ import annotations

import ipywidgets as widgets

from lpgp.access.signin import Visitor
from lpgp.cycle.progress_rules import STEPS
from lpgp.ui.screen import escape, screen_href

EXTRA = (("Results", "results.ipynb"), ("Asks", "asks.ipynb"), ("Analysts", "analyst.ipynb"))


class PageHeader(widgets.HTML):
    """Header and navigation; ``current`` is the notebook on show."""

    def __init__(self, viewer: Visitor, current: str = "home.ipynb") -> None:
        links = [("Home", "home.ipynb")] + [(s.title, s.notebook) for s in STEPS] + list(EXTRA)
        items = "".join(
            f'<li><a href="{escape(screen_href(viewer, nb.removesuffix(".ipynb")))}"'
            + (' aria-current="page"' if nb == current else "")
            + f">{escape(title)}</a></li>"
            for title, nb in links
        )
        who = escape(viewer.subject)
        super().__init__(
            '<header class="lpgp-header"><div class="lpgp-width lpgp-header__inner">'
            f'<span class="lpgp-header__place">{escape(viewer.place.name)}</span>'
            f"<span>Signed in: {who}</span></div></header>"
            f'<nav class="lpgp-width lpgp-nav" aria-label="Screens"><ul>{items}</ul></nav>'
        )
