"""The cycle a delivery screen shows: the cycle being delivered (the one whose agreed list was
confirmed last) unless the chair picks an earlier one.

A place decides one cycle while it delivers the list it confirmed last, so the delivery screens
(agreed list, actions, asks, agendas, exports) never follow the cycle being decided: starting a
new cycle leaves them where they were.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from lpgp.access.signin import Visitor
from lpgp.cycle.agreed.priority import confirmed_cycles, delivery_cycle
from lpgp.model import Cycle
from lpgp.store import Store
from lpgp.ui.setup_parts import show


def cycles_with_lists(store: Store, viewer: Visitor) -> tuple[list[Cycle], Cycle | None]:
    """The place's cycles that have an agreed list, newest list first, and the one being
    delivered."""
    with store.read() as s:
        return confirmed_cycles(s, viewer.place), delivery_cycle(s, viewer.place)


def option_label(cycle: Cycle, delivering: Cycle | None) -> str:
    """How the picker names a cycle.

    >>> option_label(Cycle(2, 1, "2026/27 priorities", False), Cycle(2, 1, "x", False))
    '2026/27 priorities (being delivered)'
    >>> option_label(Cycle(1, 1, "2025/26 priorities", False), None)
    '2025/26 priorities (earlier)'
    """
    if delivering is not None and cycle.id == delivering.id:
        return f"{cycle.name} (being delivered)"
    return f"{cycle.name} (earlier)"


class CyclePicker(widgets.VBox):
    """A "Cycle" dropdown over the cycles with an agreed list, on the cycle being delivered;
    hidden while there is only one. ``cycle`` is the picked cycle's id (None: the cycle being
    delivered, or none yet)."""

    def __init__(self, viewer: Visitor, store: Store, changed: Callable[[], None]) -> None:
        self.viewer = viewer
        self.store = store
        self.dropdown = widgets.Dropdown(description="Cycle", options=[])
        self.dropdown.style.description_width = "initial"
        self.dropdown.layout.min_height = "44px"
        self._quiet = False
        self.dropdown.observe(lambda c: None if self._quiet else changed(), names="value")
        super().__init__([self.dropdown])
        self.add_class("lpgp-cycle-picker")
        self.reload()

    @property
    def cycle(self) -> int | None:
        """The picked cycle's id, or None when the place has no agreed list yet."""
        return self.dropdown.value

    def reload(self) -> None:
        """Read the cycles again (a list may have been confirmed), keeping the pick if it
        still exists; a new cycle being delivered is picked when the old pick was the one
        being delivered."""
        cycles, delivering = cycles_with_lists(self.store, self.viewer)
        before = self.dropdown.value
        was_delivering = before is None or before == getattr(self, "_delivering", None)
        self._delivering = delivering.id if delivering else None
        self._quiet = True
        try:
            self.dropdown.options = [(option_label(c, delivering), c.id) for c in cycles]
            ids = {c.id for c in cycles}
            keep = before if before in ids and not was_delivering else self._delivering
            self.dropdown.value = keep if keep in ids else None
        finally:
            self._quiet = False
        show(len(cycles) > 1, self)
