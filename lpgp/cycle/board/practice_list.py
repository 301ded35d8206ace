"""Turn a practice-list spreadsheet into validated practice records (no store, no writes)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lpgp.cycle.board.practice_rules import PracticeInput
from lpgp.errors import ImportRejected, InvalidInput, Problem
from lpgp.io.sheets import (
    Sheet,
    match_columns,
    parse_date,
    parse_whole_number,
    read_sheet,
    read_upload,
)
from lpgp.model import EMAIL, normalise_ods

COLUMNS: dict[str, tuple[str, ...]] = {
    "ods_code": (
        "ODS code",
        "Practice code",
        "Org code",
        "Organisation code",
        "Practice ODS code",
        "ODS",
        "Code",
        "Practice",
    ),
    "name": ("Name", "Practice name", "Organisation name", "Org name", "Surgery"),
    "pcn": ("PCN", "PCN name", "Primary care network", "Network"),
    "pcn_code": ("PCN code", "PCN ODS code"),
    "list_size": (
        "List size",
        "Registered list size",
        "Registered patients",
        "Patients",
        "Number of patients",
        "List",
    ),
    "list_size_as_of": ("List size date", "As of", "List size as of", "Extract date", "Date"),
    "email": ("Email", "Contact email", "Practice email", "E-mail", "Email address"),
}


def parse_practices(sheet: Sheet, *, as_of: date) -> list[PracticeInput]:
    """Validate every row; refuse the whole file if any row is bad.

    Each problem names its spreadsheet row and column. ``as_of`` dates the list sizes when the
    file has no date column.
    """
    cols = match_columns(sheet, COLUMNS, required=("ods_code", "name"))
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    out: list[PracticeInput] = []
    if not sheet.rows:
        raise ImportRejected(sheet.source, [Problem(None, None, "the file has no practice rows")])
    for number, row in sheet.rows:

        def cell(field: str, _row: dict[str, str] = row) -> str:
            return _row.get(cols[field], "").strip() if field in cols else ""

        bad = False
        code_text = cell("ods_code")
        try:
            code = normalise_ods(code_text) if code_text else None
            if code is None:
                raise InvalidInput("missing ODS code")
        except InvalidInput as exc:
            problems.append(Problem(number, cols["ods_code"], str(exc)))
            code, bad = None, True
        if code is not None:
            if code in seen:
                problems.append(
                    Problem(
                        number,
                        cols["ods_code"],
                        f"duplicate ODS code {code} (first on row {seen[code]})",
                    )
                )
                bad = True
            else:
                seen[code] = number
        name = " ".join(cell("name").split())
        if not name:
            problems.append(Problem(number, cols["name"], "missing practice name"))
            bad = True
        size: int | None = None
        if cell("list_size"):
            try:
                size = parse_whole_number(cell("list_size"))
            except InvalidInput as exc:
                problems.append(Problem(number, cols["list_size"], f"list size {exc}"))
                bad = True
        size_date = as_of
        if cell("list_size_as_of"):
            try:
                size_date = parse_date(cell("list_size_as_of"))
            except InvalidInput as exc:
                problems.append(Problem(number, cols["list_size_as_of"], str(exc)))
                bad = True
        email = cell("email") or None
        if email and not EMAIL.match(email):
            problems.append(Problem(number, cols["email"], f"'{email}' is not an email address"))
            bad = True
        if not bad and code is not None:
            out.append(
                PracticeInput(
                    ods_code=code,
                    name=name,
                    pcn=" ".join(cell("pcn").split()) or None,
                    pcn_code=cell("pcn_code").upper() or None,
                    list_size=size,
                    list_size_as_of=size_date if size is not None else None,
                    email=email,
                )
            )
    if problems:
        raise ImportRejected(sheet.source, problems)
    return out


def read_practices(path: str | Path, *, as_of: date) -> list[PracticeInput]:
    """Read and validate a practice list from a CSV or XLSX file."""
    return parse_practices(read_sheet(path), as_of=as_of)


def read_practices_upload(name: str, data: bytes, *, as_of: date) -> list[PracticeInput]:
    """Read and validate a practice list a browser uploaded (its file name and bytes)."""
    return parse_practices(read_upload(name, data), as_of=as_of)
