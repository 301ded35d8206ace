"""Turn an agenda spreadsheet into agenda items (no writes).

Columns: Title, Minutes, Kind, and optionally Presenter and Priority. Any bad row refuses the
whole file, naming its row, column and reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lpgp.cycle.agendas.agenda_rules import MAX_ITEM_MINUTES, Draft, Kind, parse_kind
from lpgp.cycle.agreed.priority_rules import Priority, by_number_or_title
from lpgp.errors import ImportRejected, InvalidInput, Problem
from lpgp.io.sheets import Sheet, match_columns, parse_whole_number, read_sheet
from lpgp.model import Person

COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("Title", "Item", "Agenda item"),
    "minutes": ("Minutes", "Time", "Length"),
    "kind": ("Kind", "Type", "Category"),
    "presenter": ("Presenter", "Who", "Lead"),
    "priority": ("Priority", "Linked priority"),
}


def parse_agenda(
    sheet: Sheet, people: Sequence[Person], priorities: Sequence[Priority]
) -> list[Draft]:
    """Validate every row of an agenda sheet (pure); a blank kind means innovation.

    >>> from lpgp.io.sheets import table_from_records
    >>> sheet = table_from_records("agenda.csv", [["Title", "Minutes"], ["ICB update", "-5"]])
    >>> parse_agenda(sheet, [], [])
    Traceback (most recent call last):
    ...
    lpgp.errors.ImportRejected: agenda.csv: 1 problem, nothing was imported
      row 2, column 'Minutes': '-5' is not a positive whole number
    """
    cols = match_columns(sheet, COLUMNS, required=("title", "minutes"))
    by_name = {p.name.lower(): p for p in people}
    by_key = by_number_or_title(priorities)
    problems: list[Problem] = []
    out: list[Draft] = []
    for number, row in sheet.rows:
        values = {f: " ".join(row.get(c, "").split()) for f, c in cols.items()}
        before = len(problems)
        if not values["title"]:
            problems.append(Problem(number, cols["title"], "missing title"))
        minutes = 0
        try:
            minutes = parse_whole_number(values["minutes"])
            if minutes > MAX_ITEM_MINUTES:
                problems.append(
                    Problem(number, cols["minutes"], f"{minutes} is over {MAX_ITEM_MINUTES}")
                )
        except InvalidInput as exc:
            problems.append(Problem(number, cols["minutes"], str(exc)))
        kind = Kind.INNOVATION
        if values.get("kind"):
            try:
                kind = parse_kind(values["kind"])
            except InvalidInput as exc:
                problems.append(Problem(number, cols["kind"], str(exc)))
        presenter = None
        if values.get("presenter"):
            person = by_name.get(values["presenter"].lower())
            if person is None:
                problems.append(
                    Problem(number, cols["presenter"], f"no person called '{values['presenter']}'")
                )
            else:
                presenter = person.id
        priority = None
        if values.get("priority"):
            found = by_key.get(values["priority"].lower())
            if found is None:
                problems.append(
                    Problem(number, cols["priority"], f"no agreed priority '{values['priority']}'")
                )
            else:
                priority = found.id
        if len(problems) == before:
            out.append(Draft(values["title"], minutes, kind, priority, None, presenter))
    if not sheet.rows:
        problems.append(Problem(None, None, "the file has no agenda items"))
    if problems:
        raise ImportRejected(sheet.source, problems)
    return out


def read_agenda(
    path: str | Path, people: Sequence[Person], priorities: Sequence[Priority]
) -> list[Draft]:
    """Read and validate agenda items from a CSV or XLSX file."""
    return parse_agenda(read_sheet(path), people, priorities)
