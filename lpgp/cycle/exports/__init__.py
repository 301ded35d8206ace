"""Exports: what leaves lpgp for practices and the place-based board.

A small document model (:mod:`.model`) filled from the store by :mod:`.collect`, and renderers
that take only the model: the priority summary (:mod:`.summary`: HTML, Markdown, PDF, Word), the
action log (:mod:`.actionlog`: XLSX, CSV), agenda packs (:mod:`.agenda_pack`: Word, HTML, PDF)
and meeting invites (:mod:`.invites`: iCalendar). The analyst's functions that tie them together
(``lpgp.export_summary`` and the rest) live in :mod:`lpgp.analyst.exports`; every file is
written atomically. :mod:`.letters` prints the practices' ballot letters.
"""
