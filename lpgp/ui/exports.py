"""Exports: write the priority summary, action log, agenda packs and invites in one go."""

from __future__ import annotations

import ipywidgets as widgets

from .. import config
from ..export import export_all
from .screen import Screen, escape


class ExportsScreen(Screen):
    """One button that writes every export for the place into its exports folder."""

    title = "Exports"

    def __init__(self, viewer, store=None) -> None:  # noqa: ANN001
        super().__init__(viewer, store)
        self.folder = config.data_dir() / "exports" / viewer.place.slug
        self.files = widgets.HTML()
        button = self.control(
            widgets.Button(description="Write every export", button_style="primary")
        )
        button.layout.width = "auto"
        button.on_click(lambda b: self.run(b, self._export))
        self.body.children = [
            widgets.HTML(
                "<p>The priority summary (HTML, PDF, Word, Markdown), the action log "
                "(XLSX, CSV), agenda packs and meeting invites, written to the "
                f"server's folder <code>{escape(self.folder)}</code>.</p>"
            ),
            button,
            self.files,
        ]

    def _export(self) -> str:
        paths = export_all(self.folder, place=self.viewer.place.id, store=self.store)
        items = "".join(f"<li>{escape(p.name)}</li>" for p in paths)
        self.files.value = f"<ul>{items}</ul>"
        return f"Wrote {len(paths)} files."
