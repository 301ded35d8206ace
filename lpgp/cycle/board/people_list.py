"""Turn a people spreadsheet into validated people (no store, no writes)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import TypeVar

from lpgp.cycle.board.person_rules import PersonInput
from lpgp.errors import ImportRejected, InvalidInput, Problem
from lpgp.io.sheets import Sheet, match_columns, parse_date, read_sheet, read_upload
from lpgp.model import EMAIL, normalise_ods, parse_role

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("Name", "Full name", "Person"),
    "role": ("Role", "Job", "Job title"),
    "pcn": ("PCN", "PCN name", "Primary care network"),
    "practice": ("Practice", "Practice code", "ODS code", "Practice ODS code"),
    "email": ("Email", "E-mail", "Email address"),
    "active_from": ("Active from", "From", "Start date"),
    "active_to": ("Active to", "To", "End date"),
}
T = TypeVar("T")


def parse_people(sheet: Sheet, *, practices: Collection[str] | None = None) -> list[PersonInput]:
    """Validate every row of a people sheet; refuse the file if any row is bad.

    Each problem names its spreadsheet row and column. With ``practices`` (the place's ODS
    codes), a practice the place does not have is a problem of its row too.

    >>> from lpgp.io.sheets import table_from_records
    >>> sheet = table_from_records("people.csv", [["Name", "Role", "Practice", "From", "To"],
    ...     ["Dr Ada Field", "PCN clinical director", "", "", ""],
    ...     ["Sam Hale", "nurse", "Z99009", "01/04/2027", "31/03/2027"]])
    >>> parse_people(sheet, practices={"Z99001"})
    Traceback (most recent call last):
    ...
    lpgp.errors.ImportRejected: people.csv: 2 problems, nothing was imported
      row 3, column 'Practice': the place has no practice Z99009
      row 3, column 'To': the end date (31/03/2027) is before the start date (01/04/2027)
    """
    cols = match_columns(sheet, COLUMNS, required=("name", "role"))
    problems: list[Problem] = []
    out: list[PersonInput] = []
    seen: dict[str, int] = {}
    known = {normalise_ods(c) for c in practices} if practices is not None else None
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
        role = _parsed(parse_role, values, "role", number, cols, problems)
        practice = _parsed(normalise_ods, values, "practice", number, cols, problems)
        start = _parsed(parse_date, values, "active_from", number, cols, problems)
        end = _parsed(parse_date, values, "active_to", number, cols, problems)
        if not values["role"]:
            problems.append(Problem(number, cols["role"], "missing role"))
        if known is not None and practice and practice not in known:
            problems.append(
                Problem(number, cols["practice"], f"the place has no practice {practice}")
            )
        if start and end and end < start:
            problems.append(
                Problem(
                    number,
                    cols["active_to"],
                    f"the end date ({values['active_to']}) is before the start date "
                    f"({values['active_from']})",
                )
            )
        email = values.get("email") or None
        if email and not EMAIL.match(email):
            problems.append(Problem(number, cols["email"], f"'{email}' is not an email address"))
        if len(problems) == before and role is not None:
            out.append(
                PersonInput(
                    name=name,
                    role=role,
                    pcn=" ".join(values.get("pcn", "").split()) or None,
                    practice=practice,
                    email=email,
                    active_from=start,
                    active_to=end,
                )
            )
    if not sheet.rows:
        problems.append(Problem(None, None, "the file has no people rows"))
    if problems:
        raise ImportRejected(sheet.source, problems)
    return out


def _parsed(
    parse: Callable[[str], T],
    values: Mapping[str, str],
    field: str,
    number: int,
    cols: Mapping[str, str],
    problems: list[Problem],
) -> T | None:
    """``field``'s cell read by ``parse``; None when it is empty, or refused (a problem of
    its row and column)."""
    if not values.get(field):
        return None
    try:
        return parse(values[field])
    except InvalidInput as exc:
        problems.append(Problem(number, cols[field], str(exc)))
        return None


def read_people(path: str | Path, *, practices: Collection[str] | None = None) -> list[PersonInput]:
    """Read and validate people from a CSV or XLSX file."""
    return parse_people(read_sheet(path), practices=practices)


def read_people_upload(
    name: str, data: bytes, *, practices: Collection[str] | None = None
) -> list[PersonInput]:
    """Read and validate people from a file a browser uploaded (its name and bytes)."""
    return parse_people(read_upload(name, data), practices=practices)
