"""Read a spreadsheet of board members' scores (no store, no writes).

One row per member and candidate; one column per criterion, headed by its key or its label.
Cells hold 0-5, "can't judge", or nothing (left unscored). Any bad row refuses the file.

>>> from lpgp.io.sheets import table_from_records
>>> from lpgp.cycle.shortlist.scoring_rules import DEFAULT_CRITERIA
>>> sheet = table_from_records("s.csv", [["Member", "Candidate", "Feasibility"],
...     ["Dr Ada", "Hub", "4"], ["Dr Ada", "Seat", "9"]])
>>> parse_score_sheet(sheet, {"dr ada": 1}, {"hub": 10, "seat": 11}, DEFAULT_CRITERIA)
Traceback (most recent call last):
...
lpgp.errors.ImportRejected: s.csv: 1 problem, nothing was imported
  row 3, column 'Feasibility': 9 is not a score; use a whole number 0 to 5 or "can't judge"
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lpgp.cycle.shortlist.scoring_rules import Cell, Criterion, parse_score
from lpgp.errors import ImportRejected, InvalidInput, Problem
from lpgp.io.sheets import Sheet, header_key, match_columns

COLUMNS: dict[str, tuple[str, ...]] = {
    "member": ("Member", "Board member", "Name", "Scorer"),
    "candidate": ("Candidate", "Candidate id", "Priority", "Title"),
}


def _key(text: str) -> str:
    return " ".join(text.strip().lower().split())


def parse_score_sheet(
    sheet: Sheet,
    members: Mapping[str, int],
    candidates: Mapping[str, int],
    criteria: Iterable[Criterion],
) -> dict[int, dict[tuple[int, str], Cell]]:
    """Validate every row; returns each member's cells keyed by (candidate id, criterion).

    ``members`` and ``candidates`` map lower-case names (or ids as text) to ids. Blank cells
    are left out, so importing never clears a score.
    """
    cols = match_columns(sheet, COLUMNS, required=("member", "candidate"))
    by_header = {header_key(h): h for h in sheet.headers}
    criterion_cols: dict[str, str] = {}
    for criterion in criteria:
        for name in (criterion.key, criterion.label):
            if header_key(name) in by_header:
                criterion_cols[criterion.key] = by_header[header_key(name)]
                break
    if not criterion_cols:
        names = ", ".join(c.key for c in criteria)
        raise ImportRejected(sheet.source, [Problem(1, None, f"no criterion columns ({names})")])
    problems: list[Problem] = []
    out: dict[int, dict[tuple[int, str], Cell]] = {}
    seen: dict[tuple[int, int], int] = {}
    for number, row in sheet.rows:
        member = members.get(_key(row.get(cols["member"], "")))
        candidate = candidates.get(_key(row.get(cols["candidate"], "")))
        if member is None:
            problems.append(
                Problem(
                    number, cols["member"], f"'{row.get(cols['member'], '')}' is not on the board"
                )
            )
        if candidate is None:
            problems.append(
                Problem(
                    number,
                    cols["candidate"],
                    f"'{row.get(cols['candidate'], '')}' is not a candidate of this cycle",
                )
            )
        if member is None or candidate is None:
            continue
        if (member, candidate) in seen:
            problems.append(
                Problem(
                    number,
                    None,
                    f"repeats the member and candidate of row {seen[member, candidate]}",
                )
            )
            continue
        seen[member, candidate] = number
        for key, header in criterion_cols.items():
            try:
                value = parse_score(row.get(header, ""), "")
            except InvalidInput as exc:
                problems.append(Problem(number, header, str(exc)))
                continue
            if value is not None:
                out.setdefault(member, {})[candidate, key] = value
    if problems:
        raise ImportRejected(sheet.source, problems)
    return out
