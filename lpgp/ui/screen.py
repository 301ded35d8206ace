"""The shape every screen shares: a title, a body, a status area, freeze/unfreeze/reset, and
one way to run a user's action."""

from __future__ import annotations

import html
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import pandas as pd

from lpgp.access.signin import Visitor
from lpgp.errors import LpgpError
from lpgp.store import Store, default_store

log = logging.getLogger("lpgp.ui")
WORKING = "Working…"
REFRESH_SECONDS = 3.0
# A click on a button that arrives this soon after its last action ended, with every control
# as that action left it, is the same click (a double click), not a second action.
REPEAT_SECONDS = 0.75


def escape(text: Any) -> str:
    """Text made safe for an HTML widget.

    >>> escape("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    """
    return html.escape("" if text is None else str(text), quote=True)


def table_html(df: pd.DataFrame, caption: str, empty: str = "Nothing yet.") -> str:
    """A DataFrame as an accessible HTML table with every cell escaped."""
    if df.empty:
        return f"<p>{escape(empty)}</p>"
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in df.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape('' if pd.isna(v) else v)}</td>" for v in row) + "</tr>"
        for row in df.itertuples(index=False)
    )
    # A wide table scrolls inside a region the keyboard can reach, not the whole page.
    return (
        f'<div class="lpgp-table-wrap" role="region" aria-label="{escape(caption)}" tabindex="0">'
        f'<table class="lpgp-table"><caption class="lpgp-visually-hidden">{escape(caption)}'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def big(widget: widgets.Widget) -> widgets.Widget:
    """Give a control a target of at least 44px."""
    widget.layout.min_height = "44px"
    return widget


class Screen(widgets.VBox):
    """A screen area: subclasses fill ``self.body`` in :meth:`refresh` and register their
    controls with :meth:`control` so :meth:`freeze` can disable them."""

    title = ""
    #: The stylesheet's classes for this screen, beside ``lpgp-screen`` (``lpgp-decide``: the
    #: projector's type sizes; ``lpgp-vote``, ``lpgp-setup``: its forms' and tables' layouts).
    styles: tuple[str, ...] = ()
    #: True where each outcome shows under the button that asked for it (the screen's spots),
    #: where the chair is looking, rather than in one status line at the foot of the screen.
    outcomes_under_buttons = False
    # The VBox's trait (heading, body, status), typed here since ipywidgets ships no types.
    children: tuple[widgets.Widget, ...]

    def __init__(self, viewer: Visitor, store: Store | None = None) -> None:
        self.viewer = viewer
        self.store = store or default_store()
        self.status = widgets.HTML(layout=widgets.Layout(min_height="2em"))
        self.body = widgets.VBox()
        self._controls: list[widgets.Widget] = []
        # When each button's last action ended, and what the controls held then.
        self._done_at: dict[int, tuple[float, list[Any]]] = {}
        heading = widgets.HTML(f"<h1>{escape(self.title)}</h1>")
        shown = (
            [heading, self.body]
            if self.outcomes_under_buttons
            else [heading, self.body, self.status]
        )
        super().__init__(shown)
        for name in ("lpgp-screen", *self.styles):
            self.add_class(name)

    def control(self, widget: widgets.Widget) -> widgets.Widget:
        """Register a control so freezing covers it."""
        self._controls.append(big(widget))
        return widget

    def freeze(self) -> None:
        """Disable every control while work is under way."""
        for w in self._controls:
            w.disabled = True

    def unfreeze(self) -> None:
        """Enable the controls again."""
        for w in self._controls:
            w.disabled = False

    def reset(self) -> None:
        """Clear the status and show the store's current state."""
        self.say("")
        self.refresh()

    def refresh(self) -> None:
        """Redraw the body from the store (subclasses)."""

    def keep_fresh(self) -> None:
        """Refresh now and every :data:`REFRESH_SECONDS` after, for live pages (turnout,
        scoring progress); a refresh that fails does not stop the next one."""
        try:
            self.refresh()
        finally:
            timer = threading.Timer(REFRESH_SECONDS, self.keep_fresh)
            timer.daemon = True
            timer.start()

    def say(self, text: str, kind: str = "info") -> None:
        """Show a message in the status area (escaped)."""
        if not text:
            self.status.value = ""
            return
        css = {"error": "lpgp-status lpgp-status--error", "ok": "lpgp-status lpgp-status--ok"}
        role = "alert" if kind == "error" else "status"
        self.status.value = (
            f'<div class="{css.get(kind, "lpgp-status")}" role="{role}">{escape(text)}</div>'
        )

    def run(self, button: widgets.Button | None, work: Callable[[], str | None]) -> None:
        """Do a user's action: freeze, say "Working…", call the library, show the outcome or
        the error (never a traceback), and unfreeze whatever happens.

        A second click that reached the kernel while the first was being done (the browser
        sends both before it learns the button is disabled) is ignored: one click, one
        record. A click after the person changed a field is a new action, however soon."""
        if button is not None and self._just_done(button):
            return
        label = button.description if button else ""
        self.freeze()
        if button:
            button.description = WORKING
        self.say(WORKING)
        try:
            message = work()
            self.refresh()
            self.say(message or "Done.", "ok")
        except LpgpError as exc:
            self.say(str(exc), "error")
        except Exception:  # the person in the room needs a message, the log the details
            log.exception("screen action failed")
            self.say("Something went wrong and nothing was changed. Try again.", "error")
        finally:
            if button:
                button.description = label
                self._done_at[id(button)] = (time.monotonic(), self._values())
            self.unfreeze()

    def _values(self) -> list[Any]:
        """What each registered control holds now."""
        return [getattr(w, "value", None) for w in self._controls]

    def _just_done(self, button: widgets.Button) -> bool:
        """True if ``button``'s last action ended a moment ago (:data:`REPEAT_SECONDS`) and no
        control has changed since: the second half of a double click."""
        done = self._done_at.get(id(button))
        if done is None or time.monotonic() - done[0] >= REPEAT_SECONDS:
            return False
        return done[1] == self._values()


#: The one notebook the workshop app is served from; each screen is a fragment of its address.
APP_NOTEBOOK = "app.ipynb"


def screen_href(viewer: Visitor, name: str) -> str:
    """Where a screen lives: a fragment of the app's address when served, the screen's own
    analyst notebook in JupyterLab.

    >>> from lpgp.access.signin import Visitor
    >>> from lpgp.model import Place
    >>> chair = Visitor(Place(1, "haverbrook", "Haverbrook"), "member", "Dr A")
    >>> screen_href(chair, "vote")
    '/voila/render/app.ipynb#vote'
    """
    if viewer.kind == "analyst":
        return f"{name}.ipynb"
    return f"/voila/render/{APP_NOTEBOOK}#{name}"
