"""The home screen: where the place is in its cycle (the eight steps, what is done, what blocks
the next, each with a link to its screen), the place's cycles with a form to start the next,
and, when the store holds several places, the places the chair may work in."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from lpgp.access.place_access import CODE_FIELD, link_seat, switchable_places
from lpgp.access.signin import Visitor
from lpgp.cycle import progress, progress_rules
from lpgp.cycle.actions.tracker import list_actions
from lpgp.cycle.agreed.priority import delivery_cycle, list_priorities
from lpgp.cycle.board.place import create_cycle, get_cycle, list_cycles, list_places
from lpgp.errors import InvalidInput, NotFound
from lpgp.model import Cycle, Place
from lpgp.store import Store
from lpgp.ui.format import people_table
from lpgp.ui.places import refresh_switchers
from lpgp.ui.screen import Screen, escape, screen_href
from lpgp.ui.setup_parts import Spots, show, wide


def _count(n: int, one: str, many: str | None = None) -> str:
    """A count and its noun.

    >>> _count(1, "priority", "priorities"), _count(17, "action")
    ('1 priority', '17 actions')
    """
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _stage(cycle: Cycle, delivering: Cycle | None) -> str:
    """Where a cycle stands: being decided (the current one), being delivered (its list was
    confirmed last), both, or earlier.

    >>> now, last = Cycle(2, 1, "2027/28", True), Cycle(1, 1, "2026/27", False)
    >>> _stage(now, last), _stage(last, last), _stage(now, now), _stage(last, now)
    ('Being decided', 'Being delivered', 'Being decided and delivered', 'Earlier')
    """
    delivered = delivering is not None and delivering.id == cycle.id
    if cycle.is_current:
        return "Being decided and delivered" if delivered else "Being decided"
    return "Being delivered" if delivered else "Earlier"


def _names(places: list[Place]) -> str:
    names = [p.name for p in places]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class HomeScreen(Screen):
    """Where the place is in its cycle, with a link to each step's screen; its cycles; and the
    places the signed-in facilitator may work in."""

    title = "The cycle at a glance"
    styles = ("lpgp-decide", "lpgp-setup")
    outcomes_under_buttons = True

    def __init__(self, viewer: Visitor, store: Store | None = None) -> None:
        super().__init__(viewer, store)
        self.spots = Spots(self, "cycle", "link")
        self.lead = widgets.HTML()
        self.steps = widgets.HTML()
        self.cycles = widgets.HTML()
        self.cycle_name = self.control(wide(widgets.Text(description="Cycle name")))
        self.cycle_name.placeholder = "e.g. 2028/29 priorities"
        self.start = self.spots.button("Start a new cycle", "cycle", self._start, "primary")
        self.places_line = widgets.HTML()
        self.code = self.control(wide(widgets.Password(description=_label(CODE_FIELD))))
        self.link = self.spots.button("Link place", "link", self._link)
        self.places_box = widgets.VBox(
            [
                widgets.HTML("<h2>Places</h2>"),
                self.places_line,
                self.code,
                self.link,
                self.spots["link"],
            ]
        )
        self.body.children = [
            self.lead,
            self.steps,
            widgets.HTML("<h2>Cycles</h2>"),
            self.cycles,
            widgets.HTML(
                "<h3>Start a new cycle</h3><p>The new cycle becomes the current one: the "
                "candidate, shortlist and vote screens then work on it. The cycles before it "
                "are kept.</p>"
            ),
            self.cycle_name,
            self.start,
            self.spots["cycle"],
            self.places_box,
        ]
        self.refresh()

    def statuses(self) -> list[progress_rules.StepStatus]:
        """Each step's status, read from the store now."""
        with self.store.read() as session:
            return progress_rules.assess(progress.counts(session, self.viewer.place))

    def refresh(self) -> None:
        place = self.viewer.place
        with self.store.read() as s:
            statuses = progress_rules.assess(progress.counts(s, place))
            try:
                current: Cycle | None = get_cycle(s, place)
            except NotFound:
                current = None
            cycles = list_cycles(s, place)
            delivering = delivery_cycle(s, place)
            delivered = list_actions(s, place, delivering.id) if delivering else []
            delivered_count = len(list_priorities(s, place, delivering.id)) if delivering else 0
            several = len(list_places(s)) > 1
            mine = switchable_places(s, self.viewer) if self.viewer.is_facilitator else []
        upcoming = progress_rules.next_step(statuses)
        items = []
        for st in statuses:
            state = "Done" if st.done else ("Next" if st is upcoming else "To do")
            css = "lpgp-step--done" if st.done else ("lpgp-step--next" if st is upcoming else "")
            name = st.step.notebook.removesuffix(".ipynb")
            items.append(
                f'<li class="{css}"><a href="{escape(screen_href(self.viewer, name))}">'
                f"{st.step.number}. {escape(st.step.title)}</a> "
                f"<strong>{state}</strong><br>{escape(st.note)}</li>"
            )
        deciding = (
            f"<p>{escape(place.name)} is deciding <strong>{escape(current.name)}</strong> "
            "(steps 1 to 5).</p>"
            if current
            else f"<p>{escape(place.name)} has no cycle yet: start one under Cycles below.</p>"
        )
        if delivering is not None:
            red = sum(1 for a in delivered if a.rag.value == "red")
            deciding += (
                f"<p>It is delivering <strong>{escape(delivering.name)}</strong> (steps 6 to 8): "
                f"{_count(delivered_count, 'priority', 'priorities')} and "
                f"{_count(len(delivered), 'action')}"
                + (f", {red} of them red." if red else ", none of them red.")
                + f' <a href="{escape(screen_href(self.viewer, "actions"))}">Open the action '
                "tracker</a>.</p>"
            )
        nxt = (
            f"<p>Next: {escape(upcoming.step.title)}. {escape(upcoming.note)}</p>"
            if upcoming
            else "<p>Every step is done.</p>"
        )
        self.lead.value = deciding + nxt
        self.steps.value = f'<ol class="lpgp-steps">{"".join(items)}</ol>'
        rows = pd.DataFrame(
            [
                {"name": c.name, "stage": _stage(c, delivering)}
                for c in sorted(cycles, key=lambda c: (not c.is_current, -c.id))
            ],
            columns=["name", "stage"],
        )
        self.cycles.value = people_table(
            rows,
            {"name": "Cycle", "stage": "Stage"},
            caption="Cycles",
            empty="No cycles yet.",
        )
        show(several and bool(mine), self.places_box)
        if mine:
            self.places_line.value = (
                f"<p>You can work in {escape(_names(mine))}"
                + (": switch place under the header." if len(mine) > 1 else ".")
                + " Sit on another place's board as a facilitator? Type your sign-in code for "
                "that place to add it: it is checked, not kept.</p>"
            )

    # --- actions ----------------------------------------------------------------------------

    def _start(self) -> str:
        name = self.cycle_name.value
        place, actor = self.viewer.place, self.viewer.actor
        made = self.store.write(lambda s: create_cycle(s, place, name, actor=actor))
        self.cycle_name.value = ""
        return f"Started the cycle '{made.name}': it is now the current one."

    def _link(self) -> str:
        if not self.viewer.is_facilitator:
            raise InvalidInput(f"{CODE_FIELD}: only a signed-in facilitator can link places")
        code = self.code.value
        self.code.value = ""
        viewer, actor = self.viewer, self.viewer.actor
        there = self.store.write(lambda s: link_seat(s, viewer, code, actor=actor))
        refresh_switchers()
        return f"Linked {there.name}: switch to it under the header."


def _label(field: str) -> str:
    """A field name as a label: its first letter in capitals."""
    return field[:1].upper() + field[1:]
