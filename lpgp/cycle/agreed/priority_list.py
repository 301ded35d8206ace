"""Turn an agreed-list spreadsheet into priorities to confirm (no writes).

One row per priority, in the list's order. Any bad row refuses the whole file.
"""

from __future__ import annotations

from pathlib import Path

from lpgp.cycle.agreed.priority_rules import PriorityInput
from lpgp.errors import ImportRejected, InvalidInput, Problem
from lpgp.io.sheets import Sheet, match_columns, parse_whole_number, read_sheet

COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("Title", "Priority"),
    "ask": ("Ask of the system", "Ask", "System ask"),
    "why_now": ("Why now", "Why"),
    "measure": ("Measure of success", "Measure", "Success measure"),
    "lead": ("Lead", "Lead person", "Board lead"),
    "candidate_id": ("Candidate id", "Candidate", "Candidate number"),
}


def parse_priorities(sheet: Sheet) -> list[PriorityInput]:
    """Validate every row of an agreed-list sheet (pure).

    >>> from lpgp.io.sheets import table_from_records
    >>> head = ["Title", "Ask", "Why now", "Measure", "Lead"]
    >>> sheet = table_from_records("list.csv", [head, ["Hub", "Fund it", "", "Waits", "Dr A"]])
    >>> parse_priorities(sheet)
    Traceback (most recent call last):
    ...
    lpgp.errors.ImportRejected: list.csv: 1 problem, nothing was imported
      row 2, column 'Why now': missing why now
    """
    cols = match_columns(sheet, COLUMNS, required=("title", "ask", "why_now", "measure", "lead"))
    problems: list[Problem] = []
    out: list[PriorityInput] = []
    for number, row in sheet.rows:
        values = {f: " ".join(row.get(c, "").split()) for f, c in cols.items()}
        before = len(problems)
        for field in ("title", "ask", "why_now", "measure", "lead"):
            if not values[field]:
                problems.append(Problem(number, cols[field], f"missing {field.replace('_', ' ')}"))
        candidate = None
        if values.get("candidate_id"):
            try:
                candidate = parse_whole_number(values["candidate_id"])
            except InvalidInput as exc:
                problems.append(Problem(number, cols["candidate_id"], str(exc)))
        if len(problems) == before:
            out.append(
                PriorityInput(
                    values["title"],
                    values["ask"],
                    values["why_now"],
                    values["measure"],
                    values["lead"],
                    candidate,
                )
            )
    if not sheet.rows:
        problems.append(Problem(None, None, "the file has no priorities"))
    if problems:
        raise ImportRejected(sheet.source, problems)
    return out


def read_priorities(path: str | Path) -> list[PriorityInput]:
    """Read and validate an agreed list from a CSV or XLSX file."""
    return parse_priorities(read_sheet(path))
