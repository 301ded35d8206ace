"""The place switcher under the workshop app's header: offered only to a facilitator who may
work in more than one place (:mod:`lpgp.access.place_access` holds the rule), it moves the chair's
session to the chosen place, so the page, a reload and every other page follow."""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable

import ipywidgets as widgets

from lpgp.access import signin
from lpgp.access.place_access import switch_place, switchable_places
from lpgp.access.signin import Visitor
from lpgp.errors import LpgpError
from lpgp.store import Store
from lpgp.ui.screen import escape

_SWITCHERS: weakref.WeakSet[PlaceSwitcher] = weakref.WeakSet()


def session_token() -> str | None:
    """The token of the web session this kernel's page was opened with (None outside
    ``lpgp serve``, e.g. in JupyterLab)."""
    header = os.environ.get("HTTP_COOKIE")
    if not header:
        return None
    return signin.token_from_cookie_header(header, signin.cookie_secret())


def refresh_switchers() -> None:
    """Offer again the places this kernel's switchers may offer (after a link is made)."""
    for switcher in list(_SWITCHERS):
        switcher.refresh()


class PlaceSwitcher(widgets.HBox):
    """A "Place" choice and a "Switch place" button, shown only when there is a choice."""

    def __init__(self, viewer: Visitor, store: Store, on_switch: Callable[[Visitor], None]) -> None:
        self.viewer = viewer
        self.store = store
        self.on_switch = on_switch
        self.picker = widgets.Dropdown(description="Place")
        self.picker.style.description_width = "initial"
        self.go = widgets.Button(description="Switch place")
        self.go.layout.width = "auto"
        self.go.on_click(lambda b: self._switch())
        self.status = widgets.HTML()
        super().__init__([self.picker, self.go, self.status])
        self.add_class("lpgp-place-switch")
        _SWITCHERS.add(self)
        self.refresh()

    def refresh(self) -> None:
        """Show the places the signed-in person may switch to, or nothing if only one."""
        places = []
        if self.viewer.is_facilitator:
            with self.store.read() as s:
                places = switchable_places(s, self.viewer)
        if len(places) < 2:
            self.layout.display = "none"
            return
        self.layout.display = ""
        options = [(p.name, p.id) for p in places]
        if list(self.picker.options) != options:
            self.picker.options = options
        self.picker.value = self.viewer.place.id

    def _say(self, text: str, kind: str) -> None:
        css = "lpgp-status lpgp-status--error" if kind == "error" else "lpgp-status lpgp-status--ok"
        role = "alert" if kind == "error" else "status"
        self.status.value = f'<div class="{css}" role="{role}">{escape(text)}</div>'

    def _switch(self) -> None:
        target = self.picker.value
        if target == self.viewer.place.id:
            self._say(f"You are working in {self.viewer.place.name} already.", "ok")
            return
        self.picker.disabled = self.go.disabled = True
        try:
            token = session_token()
            actor = self.viewer.actor
            moved = self.store.write(lambda s: switch_place(s, token, target, actor=actor))
        except LpgpError as exc:
            self._say(str(exc), "error")
            return
        finally:
            self.picker.disabled = self.go.disabled = False
        self.viewer = moved
        self.on_switch(moved)
        self.refresh()
        self._say(f"Now working in {moved.place.name}.", "ok")
