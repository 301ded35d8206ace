"""The action log as an Excel workbook and as CSV.

The workbook has an "All actions" sheet and one sheet per priority, each with a frozen header,
filters, RAG colours, real dates and set widths. Text that a spreadsheet could run as a formula
stays text: a string cell in the workbook, a leading apostrophe in the CSV.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lpgp import palette
from lpgp.cycle.exports.model import ActionLog, ActionLogRow
from lpgp.cycle.exports.text import xml_safe
from lpgp.io import csv_writer
from lpgp.palette import bare

COLUMNS = (
    # (header, width in characters)
    ("Priority", 34),
    ("Action", 46),
    ("Owner", 22),
    ("Due", 12),
    ("Status", 13),
    ("RAG", 10),
    ("Last update on", 15),
    ("Last update", 60),
    ("Overdue", 10),
    ("Why this RAG", 40),
    ("Action id", 10),
)
HEADER_ROW = 2  # row 1 says whose log it is and the date it is as at
ALL_SHEET = "All actions"
DATE_FORMAT = "dd/mm/yyyy"
# RAG -> (fill, text colour) as openpyxl takes them: red/amber/green with dark text for contrast
RAG_FILLS = {rag: (bare(fill), bare(text)) for rag, (fill, text) in palette.RAG_FILLS.items()}
HEADER_FILL = PatternFill("solid", fgColor=bare(palette.NHS_BLUE))
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def row_values(row: ActionLogRow) -> list[str | date | int | None]:
    """The cells of one action, in :data:`COLUMNS` order.

    >>> row_values(ActionLogRow("P", "Act", None, date(2027, 1, 4), "On track", "Green", id=7))
    ['P', 'Act', None, datetime.date(2027, 1, 4), 'On track', 'Green', None, None, 'No', None, 7]
    """
    return [
        row.priority,
        row.action,
        row.owner,
        row.due,
        row.status,
        row.rag,
        row.last_update_on,
        row.last_update,
        "Yes" if row.overdue else "No",
        row.rag_reason,
        row.id,
    ]


def sheet_names(priorities: Sequence[str]) -> list[str]:
    """Excel-safe, unique sheet names for the priorities (31 characters, no ``[]:*?/\\``).

    >>> sheet_names(["Same-day access: hubs", "Same-day access: hubs"])
    ['1 Same-day access hubs', '2 Same-day access hubs']
    """
    names = []
    for number, title in enumerate(priorities, start=1):
        clean = " ".join(_SHEET_FORBIDDEN.sub(" ", xml_safe(title)).split()).strip("'")
        names.append(f"{number} {clean}"[:31].rstrip() or str(number))
    return names


def _rag_key(rag: str) -> str:
    key = rag.strip().lower()
    return "complete" if key in ("done", "complete", "completed", "blue") else key


def as_at(log: ActionLog) -> str:
    """The line above each sheet's table: whose log it is and the day it is as at.

    >>> as_at(ActionLog("Haverbrook", "2026/27 priorities", date(2026, 12, 7)))
    'Haverbrook: 2026/27 priorities – action log as at 7 December 2026'
    """
    day = f"{log.produced_on.day} {log.produced_on:%B %Y}"
    return f"{log.place}: {log.cycle} – action log as at {day}"


def _write_sheet(sheet: Worksheet, rows: Iterable[ActionLogRow], title: str) -> None:
    sheet.cell(row=1, column=1, value=xml_safe(title)).font = Font(bold=True, name="Arial", size=12)
    for col, (header, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=col, value=header)
        cell.font = Font(bold=True, color=bare(palette.ON_DARK), name="Arial")
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(col)].width = width
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row_values(row), start=1):
            if isinstance(value, str):
                cell = sheet.cell(row=HEADER_ROW + count, column=col, value=xml_safe(value))
                # openpyxl reads a leading "=" as a formula: force a plain string cell.
                cell.data_type = "s"
            else:
                cell = sheet.cell(row=HEADER_ROW + count, column=col, value=value)
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
            cell.font = Font(name="Arial")
            cell.alignment = Alignment(vertical="top", wrap_text=col in (1, 2, 8, 10))
        fill = RAG_FILLS.get(_rag_key(row.rag))
        if fill:
            rag_cell = sheet.cell(row=HEADER_ROW + count, column=6)
            rag_cell.fill = PatternFill("solid", fgColor=fill[0])
            rag_cell.font = Font(name="Arial", bold=True, color=fill[1])
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    last = get_column_letter(len(COLUMNS))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + count}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def render_xlsx(log: ActionLog) -> bytes:
    """The action log as an .xlsx workbook: all actions first, then a sheet per priority.

    >>> render_xlsx(ActionLog("Haverbrook", "2027/28", date(2027, 1, 4)))[:2]
    b'PK'
    """
    book = Workbook()
    all_sheet = book.active
    if not isinstance(all_sheet, Worksheet):  # a new workbook opens on its one worksheet
        raise TypeError(f"a new workbook's first sheet is {all_sheet!r}")
    all_sheet.title = ALL_SHEET
    line = as_at(log)
    _write_sheet(all_sheet, log.rows, line)
    priorities = list(log.priorities) or list(dict.fromkeys(r.priority for r in log.rows))
    for title, name in zip(priorities, sheet_names(priorities), strict=True):
        rows = (r for r in log.rows if r.priority == title)
        _write_sheet(book.create_sheet(name), rows, line)
    book.properties.title = xml_safe(f"{log.place}: {log.cycle} – action log")
    book.properties.creator = "lpgp"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render_csv(log: ActionLog) -> bytes:
    """The action log as CSV in UTF-8 with a byte-order mark, so Excel reads it correctly.

    >>> text = render_csv(ActionLog("P", "C", date(2027, 1, 4), (
    ...     ActionLogRow("=1+1", "Act", "Sam", date(2027, 2, 1), "On track", "Green"),)))
    >>> text.decode("utf-8-sig").splitlines()[1]
    "'=1+1,Act,Sam,2027-02-01,On track,Green,,,No,,,2027-01-04"
    """
    out = io.StringIO()
    writer = csv_writer.writer(out, lineterminator="\r\n")
    writer.writerow([*(header for header, _ in COLUMNS), "As at"])
    for row in log.rows:
        writer.writerow(
            value.isoformat() if isinstance(value, date) else value
            for value in [*row_values(row), log.produced_on]
        )
    return out.getvalue().encode("utf-8-sig")
