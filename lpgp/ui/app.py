"""The workshop app: every screen of the cycle in one page and one kernel.

The chair opens ``/voila/render/app.ipynb``; the part of the address after ``#`` names the
screen on show (``#vote``), so reload and the browser's Back button keep the chair where they
were. Following a link only changes that fragment: the page's script (``app.js``) hands the
name to the kernel through a hidden field, and :class:`App` swaps the screen in place. Each
screen is built the first time it is shown and kept, so going back to it is instant; it
re-reads the store whenever it is shown again.

Screens are listed once, in :data:`SCREENS`, a typed registry: its key is the name in the
address, its title the navigation's label.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass

import ipywidgets as widgets

from lpgp.access.signin import Visitor
from lpgp.errors import LpgpError
from lpgp.store import Store, default_store
from lpgp.ui.screen import Screen, escape, screen_href

log = logging.getLogger("lpgp.ui")
HOME = "home"


@dataclass(frozen=True)
class ScreenSpec:
    """One screen of the app: its name in the address, its title, the step of the cycle it
    belongs to (None for screens outside the eight steps), and where its class lives
    (``lpgp.ui.<module>``), imported the first time the screen is built."""

    name: str
    title: str
    step: int | None
    module: str
    cls: str

    def build(self, viewer: Visitor, store: Store | None = None) -> Screen:
        """A new screen of this kind for ``viewer`` on ``store`` (the default store if None)."""
        kind = getattr(importlib.import_module(f"lpgp.ui.{self.module}"), self.cls)
        return kind(viewer, store)


SCREENS: dict[str, ScreenSpec] = {
    spec.name: spec
    for spec in (
        ScreenSpec(HOME, "Home", None, "home", "HomeScreen"),
        ScreenSpec("board", "Board and practices", 1, "board", "BoardScreen"),
        ScreenSpec("people", "People", 1, "people", "PeopleScreen"),
        ScreenSpec("candidates", "Candidate priorities", 2, "candidates", "CandidatesScreen"),
        ScreenSpec("shortlist", "Shortlist", 3, "shortlist", "ShortlistScreen"),
        ScreenSpec("vote", "Practice vote", 4, "vote", "VoteScreen"),
        ScreenSpec("results", "Results", 4, "results", "ResultsScreen"),
        ScreenSpec("agreed", "Agreed list", 5, "agreed", "AgreedScreen"),
        ScreenSpec("actions", "Action tracker", 6, "actions", "ActionsScreen"),
        ScreenSpec("asks", "Asks", 6, "asks", "AsksScreen"),
        ScreenSpec("agendas", "Board agendas", 7, "agendas", "AgendaScreen"),
        ScreenSpec("exports", "Exports", 8, "exports", "ExportsScreen"),
    )
}


def screen_for(name: str, viewer: Visitor, store: Store | None = None) -> Screen:
    """The screen called ``name`` (its address in the app, and its notebook's stem), e.g.
    ``screen_for("actions", viewer)`` in ``notebooks/actions.ipynb``; its module is imported
    only when a screen of its kind is first built."""
    return SCREENS[name].build(viewer, store)


DELIVERY_FROM = 5  # the cycle's steps 5 to 8 deliver what steps 1 to 4 decided


def navigation_html(viewer: Visitor, current: str) -> str:
    """The header (place, who is signed in, Sign out) and the screens, as HTML: one row for
    deciding the priorities (steps 1 to 4), one for delivering them (5 to 8), so neither
    wraps on a projector at 1366 pixels."""

    def row(label: str, specs: list[ScreenSpec]) -> str:
        items = "".join(
            f'<li><a href="{escape(screen_href(viewer, spec.name))}"'
            + (' aria-current="page"' if spec.name == current else "")
            + f">{escape(spec.title)}</a></li>"
            for spec in specs
        )
        return (
            f'<div class="lpgp-nav__row"><span class="lpgp-nav__label">{label}</span>'
            f"<ul>{items}</ul></div>"
        )

    decide = [s for s in SCREENS.values() if s.step is None or s.step < DELIVERY_FROM]
    deliver = [s for s in SCREENS.values() if s.step is not None and s.step >= DELIVERY_FROM]
    return (
        '<header class="lpgp-header"><div class="lpgp-width lpgp-header__inner">'
        f'<span class="lpgp-header__place">{escape(viewer.place.name)}</span>'
        f"<span>Signed in: {escape(viewer.subject)} "
        '<a class="lpgp-header__link" href="/sign-out">Sign out</a></span></div></header>'
        f'<nav class="lpgp-width lpgp-nav" aria-label="Screens">'
        f"{row('Decide', decide)}{row('Deliver', deliver)}</nav>"
    )


class App(widgets.VBox):
    """The whole workshop app: header, navigation and the screen named in the address."""

    def __init__(self, viewer: Visitor, store: Store | None = None) -> None:
        self.viewer = viewer
        self.store = store or default_store()
        self.current = ""
        self.built: dict[str, Screen] = {}
        self.header = widgets.HTML()
        self.notice = widgets.HTML()
        self.step_field = widgets.Text(value="", continuous_update=True)
        self.step_field.add_class("lpgp-step-field")
        self.step_field.layout.display = "none"
        self.main = widgets.VBox()
        self.main.add_class("lpgp-width")
        self.main.add_class("lpgp-main")
        from lpgp.ui.places import PlaceSwitcher  # offered when the chair may work in other places

        self.switcher = PlaceSwitcher(viewer, self.store, self.switch_to)
        super().__init__([self.header, self.switcher, self.step_field, self.notice, self.main])
        self.add_class("lpgp-app")
        self.step_field.observe(lambda change: self.show(change["new"]), names="value")
        self.show(HOME)

    def switch_to(self, viewer: Visitor) -> None:
        """Work as ``viewer`` (the same person in another place): every screen is built
        again for that place, and the screen on show stays on show."""
        self.viewer = viewer
        self.built.clear()
        self.show(self.current or HOME)

    def show(self, name: str) -> Screen | None:
        """Put the screen called ``name`` on show (home, with a note, for a name the app does
        not know) and return it; a screen that fails to open says so in an error panel."""
        name = (name or HOME).strip().lower()
        spec = SCREENS.get(name)
        self.notice.value = (
            ""
            if spec
            else f'<p class="lpgp-width lpgp-hint">There is no screen called '
            f"“{escape(name)}”: here is the home screen.</p>"
        )
        spec = spec or SCREENS[HOME]
        self.current = spec.name
        self.header.value = navigation_html(self.viewer, spec.name)
        try:
            screen = self.built.get(spec.name)
            if screen is None:
                screen = self.built[spec.name] = spec.build(self.viewer, self.store)
            else:
                screen.reset()
        except Exception as exc:  # the room needs a sentence, the log the details
            log.exception("the %s screen could not be opened", spec.name)
            problem = exc if isinstance(exc, LpgpError) else "something went wrong"
            self.main.children = [
                widgets.HTML(
                    f"<h1>{escape(spec.title)}</h1>"
                    '<div class="lpgp-status lpgp-status--error" role="alert">'
                    f"This screen could not be opened: {escape(problem)}. "
                    "Nothing was changed; try again, or choose another screen.</div>"
                )
            ]
            return None
        self.main.children = [screen]
        return screen
