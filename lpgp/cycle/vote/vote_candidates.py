"""Read a vote's candidate texts from a spreadsheet, when they do not come from the shortlist."""

from __future__ import annotations

from pathlib import Path

from lpgp.cycle.vote.vote_rules import CandidateText, default_keys
from lpgp.errors import ImportRejected, Problem
from lpgp.io.sheets import Sheet, match_columns, read_sheet

COLUMNS: dict[str, tuple[str, ...]] = {
    "key": ("Key", "Id", "Code"),
    "title": ("Title", "Candidate", "Priority", "Name"),
    "description": ("Description", "Detail", "Summary"),
    "ask": ("Ask", "Ask of the system", "The ask"),
}


def parse_candidates(sheet: Sheet) -> list[CandidateText]:
    """Candidates from a sheet with a Title column (Key, Description and Ask optional);
    rows without a key get A, B, C... in order. Any bad row refuses the file."""
    cols = match_columns(sheet, COLUMNS, required=("title",))
    problems: list[Problem] = []
    found: list[tuple[int, dict[str, str]]] = []
    for number, row in sheet.rows:
        values = {f: " ".join(row.get(c, "").split()) for f, c in cols.items()}
        if not values["title"]:
            problems.append(Problem(number, cols["title"], "missing title"))
        found.append((number, values))
    keys = default_keys(len(found))
    seen: dict[str, int] = {}
    out = []
    for (number, values), default in zip(found, keys, strict=True):
        key = values.get("key") or default
        if key.upper() in seen:
            problems.append(
                Problem(number, cols.get("key"), f"key {key} is already on row {seen[key.upper()]}")
            )
        seen[key.upper()] = number
        out.append(
            CandidateText(
                key, values["title"], values.get("description", ""), values.get("ask", "")
            )
        )
    if not found:
        problems.append(Problem(None, None, "the file lists no candidates"))
    if problems:
        raise ImportRejected(sheet.source, problems)
    return out


def read_candidates(path: str | Path) -> list[CandidateText]:
    """Read candidate texts from a CSV or XLSX file."""
    return parse_candidates(read_sheet(path))
