"""Pieces the step 1 screens share (Board and practices, People, Home): labelled fields at
full width, a file chosen in the browser, an imported file's problems as a table, and an
action's outcome shown under the button that asked for it."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import pandas as pd

from lpgp.errors import ImportRejected, InvalidInput
from lpgp.ui.format import EMPTY, people_table
from lpgp.ui.screen import Screen, escape


def wide(widget: widgets.Widget) -> widgets.Widget:
    """A field as wide as its column, its label above it at body size."""
    widget.style.description_width = "initial"
    widget.layout.width = "100%"
    return widget


def show(display: bool, *items: widgets.Widget) -> None:
    """Show or hide widgets."""
    for item in items:
        item.layout.display = "" if display else "none"


class FileChoice(widgets.VBox):
    """A "Choose file" button for a CSV or XLSX file, with the chosen file's name beside it."""

    def __init__(self, screen: Screen, field: str) -> None:
        self.field = field
        self.upload = screen.control(
            widgets.FileUpload(accept=".csv,.xlsx", multiple=False, description="Choose file")
        )
        self.upload.layout.width = "auto"
        self.upload.layout.align_self = "flex-start"
        self.chosen = widgets.HTML("<p>No file chosen yet.</p>")
        self.upload.observe(lambda change: self._chosen(), names="value")
        super().__init__([self.upload, self.chosen])

    def _chosen(self) -> None:
        files = list(self.upload.value)
        self.chosen.value = (
            f"<p>Chosen file: <strong>{escape(files[0]['name'])}</strong></p>"
            if files
            else "<p>No file chosen yet.</p>"
        )

    def file(self) -> tuple[str, bytes]:
        """The chosen file's name and bytes; refused, naming the field, if none is chosen."""
        files = list(self.upload.value)
        if not files:
            raise InvalidInput(f"{self.field}: choose a CSV or XLSX file first")
        return files[0]["name"], bytes(files[0]["content"])


def problems_html(exc: ImportRejected) -> str:
    """Every problem of a refused file, row by row, as a table."""
    rows = pd.DataFrame(
        [(p.row, p.column or EMPTY, p.reason) for p in exc.problems],
        columns=["row", "column", "reason"],
    )
    lead = (
        '<p class="lpgp-setup-problems">Correct these rows in the spreadsheet, then choose the '
        "file again.</p>"
    )
    return lead + people_table(
        rows,
        {"row": "Row", "column": "Column", "reason": "Problem"},
        {"row": lambda r: str(int(r))},
        caption="Problems in the file",
    )


def refusal(field: str, exc: ImportRejected) -> str:
    """The red panel's sentence for a refused file (its problems are listed under it).

    >>> from lpgp.errors import Problem
    >>> refusal("practice list file", ImportRejected("list.csv", [Problem(3, "Name", "missing")]))
    'practice list file: list.csv has 1 problem, listed below; nothing was imported'
    """
    n = len(exc.problems)
    return (
        f"{field}: {exc.source} has {n} problem{'s' if n != 1 else ''}, listed below; "
        "nothing was imported"
    )


class Spots:
    """Places under each button group where that group's outcome is shown."""

    def __init__(self, screen: Screen, *names: str) -> None:
        self.screen = screen
        self.boxes = {name: widgets.VBox() for name in names}

    def __getitem__(self, name: str) -> widgets.VBox:
        return self.boxes[name]

    def run(self, spot: str, button: widgets.Button, work: Callable[[], str]) -> None:
        """Run an action with its outcome shown at ``spot``."""
        for name, box in self.boxes.items():
            box.children = (self.screen.status,) if name == spot else ()
        self.screen.run(button, work)

    def button(
        self, label: str, spot: str, work: Callable[[], str], style: str = ""
    ) -> widgets.Button:
        """A registered button that runs ``work`` with its outcome at ``spot``."""
        button = self.screen.control(widgets.Button(description=label, button_style=style))
        button.layout.width = "auto"
        button.on_click(lambda b: self.run(spot, b, work))
        return button
