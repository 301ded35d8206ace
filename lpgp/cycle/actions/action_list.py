"""Turn an actions spreadsheet into validated actions (no writes).

Owners must be people the place knows and priorities must be on the agreed list; any bad row
refuses the whole file, naming its row, column and reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lpgp.cycle.actions.tracker_rules import ActionInput, Status, parse_status
from lpgp.cycle.agreed.priority_rules import Priority, by_number_or_title
from lpgp.errors import ImportRejected, InvalidInput, Problem
from lpgp.io.sheets import Sheet, match_columns, parse_date, read_sheet
from lpgp.model import Person

COLUMNS: dict[str, tuple[str, ...]] = {
    "priority": ("Priority", "Priority number", "Priority title"),
    "title": ("Action", "Title", "Action title"),
    "owner": ("Owner", "Action owner", "Who"),
    "due": ("Due", "Due date", "By"),
    "status": ("Status", "RAG status"),
    "note": ("Note", "Notes", "Update", "Comment"),
}


def parse_actions(
    sheet: Sheet, people: Sequence[Person], priorities: Sequence[Priority]
) -> list[ActionInput]:
    """Validate every row against the place's people and agreed priorities (pure).

    >>> from lpgp.io.sheets import table_from_records
    >>> from lpgp.model import Role
    >>> sheet = table_from_records("a.csv", [["Priority", "Action", "Owner", "Due"],
    ...                                      ["1", "Book rooms", "Ann Lee", "next Tuesday"]])
    >>> parse_actions(sheet, [Person(1, 1, "Ann Lee", Role.OTHER)], [])
    Traceback (most recent call last):
    ...
    lpgp.errors.ImportRejected: a.csv: 2 problems, nothing was imported
      row 2, column 'Priority': the agreed list has no priority '1' (give its number or title)
      row 2, column 'Due': 'next Tuesday' is not a date (use e.g. 2027-04-05 or 05/04/2027)
    """
    cols = match_columns(sheet, COLUMNS, required=("priority", "title", "owner", "due"))
    by_name = {p.name.lower(): p for p in people}
    by_key = by_number_or_title(priorities)
    problems: list[Problem] = []
    out: list[ActionInput] = []
    seen: dict[tuple[int, str], int] = {}
    for number, row in sheet.rows:
        values = {f: " ".join(row.get(c, "").split()) for f, c in cols.items()}
        before = len(problems)
        priority = by_key.get(values["priority"].lower())
        if priority is None:
            reason = (
                f"the agreed list has no priority '{values['priority']}' (give its number or title)"
                if values["priority"]
                else "missing priority"
            )
            problems.append(Problem(number, cols["priority"], reason))
        if not values["title"]:
            problems.append(Problem(number, cols["title"], "missing action title"))
        elif priority is not None:
            key = (priority.id, values["title"].lower())
            if key in seen:
                problems.append(
                    Problem(number, cols["title"], f"the same action is already on row {seen[key]}")
                )
            seen.setdefault(key, number)
        owner = by_name.get(values["owner"].lower())
        if owner is None:
            reason = (
                f"no person called '{values['owner']}' in the place (add them first)"
                if values["owner"]
                else "missing owner"
            )
            problems.append(Problem(number, cols["owner"], reason))
        due = None
        try:
            due = parse_date(values["due"]) if values["due"] else None
            if due is None:
                problems.append(Problem(number, cols["due"], "missing due date"))
        except InvalidInput as exc:
            problems.append(Problem(number, cols["due"], str(exc)))
        status = Status.NOT_STARTED
        if values.get("status"):
            try:
                status = parse_status(values["status"])
            except InvalidInput as exc:
                problems.append(Problem(number, cols["status"], str(exc)))
        if len(problems) == before and priority and owner and due:
            out.append(
                ActionInput(
                    priority=priority.id,
                    title=values["title"],
                    owner=owner.id,
                    due=due,
                    status=status,
                    note=values.get("note") or None,
                )
            )
    if not sheet.rows:
        problems.append(Problem(None, None, "the file has no action rows"))
    if problems:
        raise ImportRejected(sheet.source, problems)
    return out


def read_actions(
    path: str | Path, people: Sequence[Person], priorities: Sequence[Priority]
) -> list[ActionInput]:
    """Read and validate actions from a CSV or XLSX file."""
    return parse_actions(read_sheet(path), people, priorities)
