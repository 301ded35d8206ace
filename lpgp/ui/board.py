"""Board and practices: who sits on the board, the practice list, and importing a new list
with a preview (or the file's problems, row by row) before anything is written."""

from __future__ import annotations

import tempfile
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from .. import api, clock
from ..errors import ImportRejected, InvalidInput
from ..io.practice_list import read_practices
from ..practice import import_practices
from .screen import Screen, escape, table_html


class BoardScreen(Screen):
    """The board and the practices, with a previewed practice-list import."""

    title = "Board and practices"

    def __init__(self, viewer, store=None) -> None:  # noqa: ANN001
        super().__init__(viewer, store)
        self.board = widgets.HTML()
        self.practices = widgets.HTML()
        self.upload = self.control(
            widgets.FileUpload(accept=".csv,.xlsx", multiple=False, description="Choose file")
        )
        self.preview_button = self.control(widgets.Button(description="Preview import"))
        self.import_button = self.control(
            widgets.Button(description="Import practices", button_style="primary")
        )
        self.preview = widgets.HTML()
        self.preview_button.on_click(lambda b: self.run(b, self._preview))
        self.import_button.on_click(lambda b: self.run(b, self._import))
        self.body.children = [
            widgets.HTML("<h2>The board</h2>"),
            self.board,
            widgets.HTML(
                "<h2>Import a practice list</h2><p>CSV or XLSX. Preview shows what "
                "would change, or every problem in the file; nothing is written "
                "until you import.</p>"
            ),
            widgets.HBox([self.upload, self.preview_button, self.import_button]),
            self.preview,
            widgets.HTML("<h2>Practices</h2>"),
            self.practices,
        ]
        self.refresh()

    def refresh(self) -> None:
        board = api.board(self.viewer.place.id, store=self.store)
        self.board.value = table_html(
            board[["name", "role", "is_chair", "is_facilitator"]],
            "Board members",
            "No board members yet.",
        )
        practices = api.practices(self.viewer.place.id, store=self.store)
        self.practices.value = table_html(
            practices[["ods_code", "name", "pcn", "list_size", "active"]],
            "Practices",
            "No practices yet.",
        )

    def _incoming(self):  # noqa: ANN202
        files = list(self.upload.value)
        if not files:
            raise InvalidInput("choose a CSV or XLSX file first")
        item = files[0]
        suffix = Path(item["name"]).suffix.lower()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            path.write_bytes(bytes(item["content"]))
            try:
                return item["name"], read_practices(path, as_of=clock.today())
            except ImportRejected as exc:
                rows = pd.DataFrame(
                    [(p.row, p.column, p.reason) for p in exc.problems],
                    columns=["row", "column", "problem"],
                )
                self.preview.value = table_html(rows, "Problems in the file")
                raise

    def _plan(self, dry_run: bool):  # noqa: ANN202
        name, incoming = self._incoming()
        return self.store.write(
            lambda s: import_practices(
                s,
                self.viewer.place,
                incoming,
                dry_run=dry_run,
                actor=self.viewer.actor,
                source=name,
            )
        )

    def _preview(self) -> str:
        report = self._plan(dry_run=True)
        lines = [f"<li>Add {escape(c)}</li>" for c in report.added]
        lines += [
            f"<li>Change {escape(c.ods_code)}: {escape(', '.join(c.fields))}</li>"
            for c in report.changed
        ]
        lines += [f"<li>Deactivate {escape(c)}</li>" for c in report.deactivated]
        self.preview.value = f"<ul>{''.join(lines)}</ul>" if lines else "<p>No changes.</p>"
        return report.summary()

    def _import(self) -> str:
        report = self._plan(dry_run=False)
        self.preview.value = ""
        return "Imported: " + report.summary()
