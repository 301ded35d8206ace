"""The home page: the eight steps of the cycle, what is done, what blocks the next step."""

from __future__ import annotations

import ipywidgets as widgets

from .. import progress
from .header import screen_href
from .screen import Screen, escape


class HomeScreen(Screen):
    """Where the place is in its cycle, with a link to each step's screen."""

    title = "The cycle at a glance"

    def __init__(self, viewer, store=None) -> None:  # noqa: ANN001
        super().__init__(viewer, store)
        self.steps = widgets.HTML()
        button = self.control(widgets.Button(description="Check again", button_style="primary"))
        button.on_click(lambda b: self.run(b, self._check))
        self.body.children = [self.steps, button]
        self.refresh()

    def _check(self) -> str:
        return "Up to date."

    def statuses(self) -> list[progress.StepStatus]:
        """Each step's status, read from the store now."""
        with self.store.read() as session:
            return progress.assess(progress.counts(session, self.viewer.place))

    def refresh(self) -> None:
        statuses = self.statuses()
        upcoming = progress.next_step(statuses)
        items = []
        for s in statuses:
            state = "Done" if s.done else ("Next" if s is upcoming else "To do")
            css = "lpgp-step--done" if s.done else ("lpgp-step--next" if s is upcoming else "")
            items.append(
                f'<li class="{css}"><a href="{escape(screen_href(self.viewer, s.step.notebook))}">'
                f"{s.step.number}. {escape(s.step.title)}</a> "
                f"<strong>{state}</strong><br>{escape(s.note)}</li>"
            )
        lead = (
            f"<p>Next: {escape(upcoming.step.title)}. {escape(upcoming.note)}</p>"
            if upcoming
            else "<p>Every step is done.</p>"
        )
        self.steps.value = lead + f'<ol class="lpgp-steps">{"".join(items)}</ol>'
