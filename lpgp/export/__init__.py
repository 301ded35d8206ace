"""Exports: what leaves lpgp for practices and the place-based board.

A small document model (:mod:`.model`) filled from the store by :mod:`.collect`, and renderers
that take only the model: the priority summary (:mod:`.summary`: HTML, Markdown, PDF, Word), the
action log (:mod:`.actionlog`: XLSX, CSV), agenda packs (:mod:`.agenda_pack`: Word, HTML, PDF)
and meeting invites (:mod:`.invites`: iCalendar). :mod:`.api` ties them together for the library
and the CLI; every file is written atomically.
"""

from __future__ import annotations

from lpgp.export.api import (
    export_actions,
    export_agenda,
    export_all,
    export_invites,
    export_summary,
)

__all__ = ["export_actions", "export_agenda", "export_all", "export_invites", "export_summary"]
