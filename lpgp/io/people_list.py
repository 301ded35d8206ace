"""Turn a people spreadsheet into validated people (no store, no writes)."""

from __future__ import annotations

from pathlib import Path

from ..errors import ImportRejected, InvalidInput, Problem
from ..model import EMAIL, normalise_ods, parse_role
from ..person import PersonInput
from .sheets import Sheet, match_columns, parse_date, read_sheet

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("Name", "Full name", "Person"),
    "role": ("Role", "Job", "Job title"),
    "pcn": ("PCN", "PCN name", "Primary care network"),
    "practice": ("Practice", "Practice code", "ODS code", "Practice ODS code"),
    "email": ("Email", "E-mail", "Email address"),
    "active_from": ("Active from", "From", "Start date"),
    "active_to": ("Active to", "To", "End date"),
}


def parse_people(sheet: Sheet) -> list[PersonInput]:
    """Validate every row of a people sheet; refuse the file if any row is bad."""
    cols = match_columns(sheet, COLUMNS, required=("name", "role"))
    problems: list[Problem] = []
    out: list[PersonInput] = []
    seen: dict[str, int] = {}
    for number, row in sheet.rows:
        values = {f: row.get(c, "").strip() for f, c in cols.items()}
        before = len(problems)
        name = " ".join(values["name"].split())
        if not name:
            problems.append(Problem(number, cols["name"], "missing name"))
        elif name.lower() in seen:
            problems.append(
                Problem(number, cols["name"], f"{name} is already on row {seen[name.lower()]}")
            )
        else:
            seen[name.lower()] = number
        parsed = {}
        for field, parse in (
            ("role", parse_role),
            ("practice", normalise_ods),
            ("active_from", parse_date),
            ("active_to", parse_date),
        ):
            if values.get(field):
                try:
                    parsed[field] = parse(values[field])
                except InvalidInput as exc:
                    problems.append(Problem(number, cols[field], str(exc)))
        if not values["role"]:
            problems.append(Problem(number, cols["role"], "missing role"))
        email = values.get("email") or None
        if email and not EMAIL.match(email):
            problems.append(Problem(number, cols["email"], f"'{email}' is not an email address"))
        if len(problems) == before:
            out.append(
                PersonInput(
                    name=name,
                    role=parsed["role"],
                    pcn=" ".join(values.get("pcn", "").split()) or None,
                    practice=parsed.get("practice"),
                    email=email,
                    active_from=parsed.get("active_from"),
                    active_to=parsed.get("active_to"),
                )
            )
    if not sheet.rows:
        problems.append(Problem(None, None, "the file has no people rows"))
    if problems:
        raise ImportRejected(sheet.source, problems)
    return out


def read_people(path: str | Path) -> list[PersonInput]:
    """Read and validate people from a CSV or XLSX file."""
    return parse_people(read_sheet(path))
