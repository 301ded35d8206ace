"""Read the national files analysts download each month, as their publishers lay them out.

- **List sizes**: NHS England's "Patients Registered at a GP Practice" totals file
  (``gp-reg-pat-prac-all.csv``): one row per practice for all sexes and all ages. Its column
  names changed over the years (CCG to Sub-ICB location codes, ``CODE`` to ``ORG_CODE``); every
  layout in :data:`SIZES_LAYOUTS` is read and the one found is named.
- **PCN membership**: the ODS ePCN workbook's "PCN Core Partner Details" sheet (or the same
  table as CSV, with or without its header): practice, PCN code and name, join and left dates.
- **Names and status**: the ODS GP practices file (``epraccur.csv``): no header row, 27 columns.

Readers only read and validate: a file in none of these layouts (or given as the wrong one) is
refused naming the columns expected and the columns found. The pure planner that turns the three
into a place's practice list is in :mod:`lpgp.io.national_plan`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..errors import ImportRejected, InvalidInput, Problem, printable
from ..model import normalise_ods
from .input_file import check_input_file, check_size, read_input_bytes
from .sheets import (
    Sheet,
    _cell_text,
    decode,
    header_key,
    parse_date,
    table_from_records,
)

# --- list sizes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SizesLayout:
    """One published layout of the registered-patients totals file."""

    name: str
    code: str
    kind: str
    area: str | None

    @property
    def required(self) -> tuple[str, ...]:
        area = (self.area,) if self.area else ()
        return ("EXTRACT_DATE", self.kind, *area, self.code, "NUMBER_OF_PATIENTS")


SIZES_LAYOUTS: tuple[SizesLayout, ...] = (
    SizesLayout(
        "Sub-ICB location (SUB_ICB_LOCATION_CODE)", "CODE", "TYPE", "SUB_ICB_LOCATION_CODE"
    ),
    SizesLayout(
        "Sub-ICB location, short names (SUB_ICB_LOC_CODE)", "CODE", "TYPE", "SUB_ICB_LOC_CODE"
    ),
    SizesLayout("CCG (CCG_CODE)", "CODE", "TYPE", "CCG_CODE"),
    SizesLayout(
        "organisation columns (ORG_TYPE, ORG_CODE, SUB_ICB_LOCATION_CODE)",
        "ORG_CODE",
        "ORG_TYPE",
        "SUB_ICB_LOCATION_CODE",
    ),
    SizesLayout("organisation columns (ORG_TYPE, ORG_CODE)", "ORG_CODE", "ORG_TYPE", None),
)
SIZES_EXPECTED = (
    "PUBLICATION, EXTRACT_DATE, TYPE or ORG_TYPE, CCG_CODE or SUB_ICB_LOC_CODE or "
    "SUB_ICB_LOCATION_CODE (and its ONS code), CODE or ORG_CODE, POSTCODE, SEX, AGE, "
    "NUMBER_OF_PATIENTS"
)
SUPPRESSED = {"", "*", "-", "..", "c", "x", "n/a", "na"}
EXTRACT_DATE_FORMATS = ("%d%b%Y", "%d-%b-%y", "%d-%b-%Y", "%d %b %Y")


@dataclass(frozen=True)
class ListSizes:
    """A month's registered list sizes: practice code -> patients (None: suppressed/missing)."""

    source: str
    layout: str
    extract_date: date
    sizes: dict[str, int | None]
    areas: dict[str, str]
    postcodes: dict[str, str]

    def describe(self) -> str:
        """One line saying what was read.

        >>> ListSizes("f.csv", "CCG (CCG_CODE)", date(2026, 9, 1), {"Z99001": 1}, {}, {}).describe()
        'f.csv: list sizes, layout CCG (CCG_CODE), extract date 2026-09-01, 1 practice'
        """
        n = len(self.sizes)
        return (
            f"{self.source}: list sizes, layout {self.layout}, "
            f"extract date {self.extract_date.isoformat()}, {n} practice{'s' if n != 1 else ''}"
        )


def parse_extract_date(text: str) -> date:
    """An extract date in any form the publication has used.

    >>> parse_extract_date("01SEP2026"), parse_extract_date("01-Sep-26")
    (datetime.date(2026, 9, 1), datetime.date(2026, 9, 1))
    >>> parse_extract_date("2026-09-01")
    datetime.date(2026, 9, 1)
    """
    value = text.strip()
    for fmt in EXTRACT_DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return parse_date(value)


def sizes_layout(headers: Sequence[str]) -> SizesLayout | None:
    """The totals-file layout these headers match, or None.

    >>> sizes_layout(["PUBLICATION", "EXTRACT_DATE", "TYPE", "CCG_CODE", "ONS_CCG_CODE", "CODE",
    ...               "POSTCODE", "SEX", "AGE", "NUMBER_OF_PATIENTS"]).name
    'CCG (CCG_CODE)'
    """
    keys = {header_key(h) for h in headers}
    for layout in SIZES_LAYOUTS:
        if all(header_key(c) in keys for c in layout.required):
            return layout
    return None


def parse_list_sizes(sheet: Sheet) -> ListSizes:
    """Validate a totals file; refuse it whole if its layout is unknown or any row is bad."""
    layout = sizes_layout(sheet.headers)
    if layout is None:
        raise _wrong_layout(sheet.source, "list sizes", SIZES_EXPECTED, sheet.headers)
    col = {header_key(h): h for h in sheet.headers}

    def cell(row: dict[str, str], name: str | None) -> str:
        return row.get(col.get(header_key(name), ""), "").strip() if name else ""

    problems: list[Problem] = []
    sizes: dict[str, int | None] = {}
    areas: dict[str, str] = {}
    postcodes: dict[str, str] = {}
    first_row: dict[str, int] = {}
    dates: dict[date, int] = {}
    for number, row in sheet.rows:
        if cell(row, layout.kind).upper() not in ("GP", ""):
            continue
        if any(cell(row, c).upper() not in ("ALL", "") for c in ("SEX", "AGE")):
            continue
        try:
            code = normalise_ods(cell(row, layout.code))
        except InvalidInput as exc:
            problems.append(Problem(number, col[header_key(layout.code)], str(exc)))
            continue
        if code in first_row:
            problems.append(
                Problem(
                    number, layout.code, f"{code} appears twice (first on row {first_row[code]})"
                )
            )
            continue
        first_row[code] = number
        try:
            when = parse_extract_date(cell(row, "EXTRACT_DATE"))
            dates.setdefault(when, number)
        except InvalidInput as exc:
            problems.append(Problem(number, "EXTRACT_DATE", str(exc)))
        patients = cell(row, "NUMBER_OF_PATIENTS")
        sizes[code] = None
        if patients.lower() not in SUPPRESSED and patients != "0":
            digits = patients.replace(",", "")
            if digits.isdigit():
                sizes[code] = int(digits)
            else:
                problems.append(
                    Problem(number, "NUMBER_OF_PATIENTS", f"'{patients}' is not a number")
                )
        if cell(row, layout.area):
            areas[code] = cell(row, layout.area).upper()
        if cell(row, "POSTCODE"):
            postcodes[code] = " ".join(cell(row, "POSTCODE").upper().split())
    if len(dates) > 1:
        found = ", ".join(f"{d.isoformat()} (row {n})" for d, n in sorted(dates.items()))
        problems.append(
            Problem(None, "EXTRACT_DATE", f"more than one extract date ({found}): use one month")
        )
    if not sizes and not problems:
        problems.append(Problem(None, None, "no GP practice rows for all sexes and all ages"))
    if problems:
        raise ImportRejected(sheet.source, problems)
    return ListSizes(sheet.source, layout.name, next(iter(dates)), sizes, areas, postcodes)


def read_list_sizes(path: str | Path) -> ListSizes:
    """Read NHS England's registered-patients totals file (``gp-reg-pat-prac-all.csv``)."""
    sheet = _header_sheet(path)
    if sizes_layout(sheet.headers) is None:
        raise _wrong_layout(sheet.source, "list sizes", SIZES_EXPECTED, _first_row(path, sheet))
    return parse_list_sizes(sheet)


# --- ODS GP practices (epraccur) ------------------------------------------------------------

EPRACCUR_COLUMNS = (
    "Organisation code",
    "Name",
    "National grouping",
    "High level health geography",
    "Address line 1",
    "Address line 2",
    "Address line 3",
    "Address line 4",
    "Address line 5",
    "Postcode",
    "Open date",
    "Close date",
    "Status code",
    "Organisation sub-type code",
    "Commissioner",
    "Join provider/purchaser date",
    "Left provider/purchaser date",
    "Contact telephone number",
    "Null",
    "Null",
    "Null",
    "Amended record indicator",
    "Null",
    "Provider/purchaser",
    "Null",
    "Prescribing setting",
    "Null",
)
CODE, NAME, POSTCODE, OPENED, CLOSED, STATUS, COMMISSIONER, SETTING = 0, 1, 9, 10, 11, 12, 14, 25
STATUSES = {"A": "active", "C": "closed", "D": "dormant", "P": "proposed"}
GP_PRACTICE_SETTING = 4
EPRACCUR_EXPECTED = (
    "no header row; 27 columns: "
    + ", ".join(f"{i + 1} {c}" for i, c in enumerate(EPRACCUR_COLUMNS) if c != "Null")
    + " (status A, C, D or P; prescribing setting 4 for a GP practice)"
)
ORG_CODE = re.compile(r"^[A-Z0-9]{3,10}$")


@dataclass(frozen=True)
class OdsPractice:
    """One organisation in the ODS GP practices file."""

    ods_code: str
    name: str
    postcode: str | None
    status: str
    commissioner: str | None
    setting: int | None
    opened: date | None = None
    closed: date | None = None

    @property
    def is_gp_practice(self) -> bool:
        return self.setting == GP_PRACTICE_SETTING

    @property
    def status_word(self) -> str:
        return STATUSES[self.status]


@dataclass(frozen=True)
class OdsPractices:
    """The ODS GP practices file: every prescribing cost centre by code."""

    source: str
    organisations: dict[str, OdsPractice]

    def describe(self) -> str:
        gp = sum(o.is_gp_practice for o in self.organisations.values())
        return (
            f"{self.source}: ODS GP practices file, {len(self.organisations)} organisations, "
            f"{gp} of them GP practices"
        )


def _looks_like_epraccur(cells: Sequence[str]) -> bool:
    return (
        len(cells) >= SETTING + 1
        and bool(ORG_CODE.match(cells[CODE].strip().upper()))
        and cells[STATUS].strip().upper() in STATUSES
    )


def parse_ods_practices(source: str, records: list[tuple[int, list[str]]]) -> OdsPractices:
    """Validate the headerless ODS GP practices file (rows already split into cells)."""
    if not records:
        raise ImportRejected(source, [Problem(None, None, "the file is empty")])
    first = records[0][1]
    if not _looks_like_epraccur(first):
        if (
            header_key(first[0]) in ("organisation code", "practice code", "code")
            and len(first) >= len(EPRACCUR_COLUMNS) - 1
        ):
            records = records[1:]
        else:
            raise _wrong_layout(source, "ODS GP practices", EPRACCUR_EXPECTED, first)
    problems: list[Problem] = []
    out: dict[str, OdsPractice] = {}
    for number, cells in records:
        if len(cells) < SETTING + 1:
            problems.append(
                Problem(number, None, f"{len(cells)} columns; the ODS GP practices file has 27")
            )
            continue
        code = cells[CODE].strip().upper()
        status = cells[STATUS].strip().upper()
        setting = cells[SETTING].strip()
        if status not in STATUSES:
            problems.append(
                Problem(number, "Status code", f"'{status}' is not A, C, D or P (column 13)")
            )
            continue
        if setting == str(GP_PRACTICE_SETTING):
            try:
                code = normalise_ods(code)
            except InvalidInput as exc:
                problems.append(Problem(number, "Organisation code", str(exc)))
                continue
        if code in out:
            problems.append(Problem(number, "Organisation code", f"{code} appears twice"))
            continue
        try:
            opened = parse_date(cells[OPENED]) if cells[OPENED].strip() else None
            closed = parse_date(cells[CLOSED]) if cells[CLOSED].strip() else None
        except InvalidInput as exc:
            problems.append(Problem(number, "Open date/Close date", str(exc)))
            continue
        out[code] = OdsPractice(
            ods_code=code,
            name=" ".join(cells[NAME].split()),
            postcode=" ".join(cells[POSTCODE].upper().split()) or None,
            status=status,
            commissioner=cells[COMMISSIONER].strip().upper() or None,
            setting=int(setting) if setting.isdigit() else None,
            opened=opened,
            closed=closed,
        )
    if problems:
        raise ImportRejected(source, problems)
    return OdsPractices(source, out)


def read_ods_practices(path: str | Path) -> OdsPractices:
    """Read the ODS GP practices file (``epraccur.csv``, no header row)."""
    path = _existing(path)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        sheet, _ = _pcn_sheet(path)
        raise _wrong_layout(sheet.source, "ODS GP practices", EPRACCUR_EXPECTED, sheet.headers)
    name, text = _csv_text(path)
    return parse_ods_practices(name, _csv_records(text))


# --- PCN membership (ePCN) -------------------------------------------------------------------

PCN_SHEET = "PCN Core Partner Details"
PCN_COLUMNS: dict[str, tuple[str, ...]] = {
    "practice": ("Partner Organisation Code", "Practice Code"),
    "practice_name": ("Partner Name", "Practice Name"),
    "sub_icb": (
        "Practice Parent Sub ICB Loc Code",
        "Practice Parent Sub ICB Location Code",
        "Practice Parent CCG Code",
    ),
    "pcn_code": ("PCN Code",),
    "pcn_name": ("PCN Name",),
    "start": ("Practice to PCN Relationship Start Date", "Join Date", "Start Date"),
    "end": ("Practice to PCN Relationship End Date", "Left Date", "End Date"),
}
PCN_REQUIRED = ("practice", "pcn_code", "pcn_name", "start", "end")
PCN_EXPECTED = (
    "the 'PCN Core Partner Details' sheet of ePCN.xlsx: Partner Organisation Code, Partner Name, "
    "Practice Parent Sub ICB Loc Code, Practice Parent Sub ICB Loc Name, PCN Code, PCN Name, "
    "PCN Parent Sub ICB Loc Code, PCN Parent Sub ICB Loc Name, Practice to PCN Relationship "
    "Start Date, Practice to PCN Relationship End Date"
)
# The ODS CSV export of the same table comes without a header, in this order.
PCN_POSITIONS = {
    "practice": 0,
    "practice_name": 1,
    "sub_icb": 2,
    "pcn_code": 4,
    "pcn_name": 5,
    "start": 8,
    "end": 9,
}
PCN_CODE = re.compile(r"^U[0-9]{5}$")


@dataclass(frozen=True)
class Membership:
    """A practice's spell in a PCN (``end`` None while it lasts)."""

    ods_code: str
    pcn_code: str
    pcn_name: str
    start: date | None
    end: date | None
    sub_icb: str | None = None

    def covers(self, day: date) -> bool:
        """Whether the practice was in this PCN on ``day`` (both dates count as in)."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class PcnMembership:
    """Every practice-to-PCN spell in the ePCN file."""

    source: str
    layout: str
    spells: tuple[Membership, ...]

    def on(self, ods_code: str, day: date) -> Membership | None:
        """The PCN spell covering ``day``; the latest start wins if spells overlap.

        >>> m = PcnMembership("x", "y", (
        ...     Membership("Z99001", "U99001", "North", date(2020, 1, 1), date(2026, 6, 30)),
        ...     Membership("Z99001", "U99002", "South", date(2026, 7, 1), None)))
        >>> m.on("Z99001", date(2026, 9, 1)).pcn_name
        'South'
        """
        spells = [s for s in self.spells if s.ods_code == ods_code and s.covers(day)]
        return max(spells, key=lambda s: s.start or date.min) if spells else None

    def describe(self) -> str:
        return f"{self.source}: PCN membership, {self.layout}, {len(self.spells)} practice spells"


def _pcn_columns(sheet: Sheet) -> dict[str, str] | None:
    by_key = {header_key(h): h for h in sheet.headers}
    found = {}
    for name, aliases in PCN_COLUMNS.items():
        for alias in aliases:
            if header_key(alias) in by_key:
                found[name] = by_key[header_key(alias)]
                break
    return found if all(f in found for f in PCN_REQUIRED) else None


def parse_pcn_membership(sheet: Sheet, layout: str) -> PcnMembership:
    """Validate the PCN core partner table; refuse it whole if any row is bad."""
    cols = _pcn_columns(sheet)
    if cols is None:
        raise _wrong_layout(sheet.source, "PCN membership", PCN_EXPECTED, sheet.headers)
    problems: list[Problem] = []
    spells: list[Membership] = []
    for number, row in sheet.rows:

        def cell(name: str, _row: dict[str, str] = row) -> str:
            return _row.get(cols[name], "").strip() if name in cols else ""

        try:
            code = normalise_ods(cell("practice"))
            pcn = cell("pcn_code").upper()
            if not PCN_CODE.match(pcn):
                raise InvalidInput(f"'{cell('pcn_code')}' is not a PCN code (U and five digits)")
            start = parse_date(cell("start")) if cell("start") else None
            end = parse_date(cell("end")) if cell("end") else None
        except InvalidInput as exc:
            problems.append(Problem(number, None, str(exc)))
            continue
        spells.append(
            Membership(code, pcn, " ".join(cell("pcn_name").split()), start, end, cell("sub_icb"))
        )
    if not spells and not problems:
        problems.append(Problem(None, None, "no practice-to-PCN rows"))
    if problems:
        raise ImportRejected(sheet.source, problems)
    return PcnMembership(sheet.source, layout, tuple(spells))


def read_pcn_membership(path: str | Path) -> PcnMembership:
    """Read the ODS ePCN workbook (its "PCN Core Partner Details" sheet) or its CSV export."""
    path = _existing(path)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        sheet, name = _pcn_sheet(path)
        return parse_pcn_membership(sheet, f"sheet '{name}'")
    name, text = _csv_text(path)
    records = _csv_records(text)
    if records and _looks_like_headerless_pcn(records[0][1]):
        names = {field: PCN_COLUMNS[field][0] for field in PCN_POSITIONS}
        rows = tuple(
            (n, {names[f]: cells[i] if i < len(cells) else "" for f, i in PCN_POSITIONS.items()})
            for n, cells in records
        )
        sheet = Sheet(name, tuple(names.values()), rows)
        return parse_pcn_membership(sheet, "CSV export without a header")
    sheet = _header_sheet(path)
    if _pcn_columns(sheet) is None:
        raise _wrong_layout(sheet.source, "PCN membership", PCN_EXPECTED, _first_row(path, sheet))
    return parse_pcn_membership(sheet, "CSV with a header")


def _looks_like_headerless_pcn(cells: Sequence[str]) -> bool:
    if len(cells) <= PCN_POSITIONS["end"]:
        return False
    try:
        normalise_ods(cells[0])
    except InvalidInput:
        return False
    return bool(PCN_CODE.match(cells[PCN_POSITIONS["pcn_code"]].strip().upper()))


def _pcn_sheet(path: Path) -> tuple[Sheet, str]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InvalidInput(f"{path.name}: not a readable XLSX workbook ({exc})") from exc
    try:
        chosen = next(
            (s for s in book.worksheets if header_key(s.title) == header_key(PCN_SHEET)),
            book.worksheets[0],
        )
        records = [[_cell_text(v) for v in row] for row in chosen.iter_rows(values_only=True)]
        return table_from_records(path.name, records, "xlsx"), chosen.title
    finally:
        book.close()


# --- a list of codes -------------------------------------------------------------------------


def read_codes(path: str | Path) -> tuple[str, ...]:
    """ODS codes, one a line (or the first column of a CSV); a header line is skipped.

    Any line that is not an ODS code refuses the file, naming its line number.
    """
    path = _existing(path)
    problems: list[Problem] = []
    codes: list[str] = []
    for index, (number, cells) in enumerate(_csv_records(_csv_text(path)[1])):
        text = cells[0].strip()
        try:
            code = normalise_ods(text)
        except InvalidInput as exc:
            if index == 0 and not any(ch.isdigit() for ch in text):
                continue
            problems.append(Problem(number, None, str(exc)))
            continue
        if code not in codes:
            codes.append(code)
    if not codes and not problems:
        problems.append(Problem(None, None, "no ODS codes in the file"))
    if problems:
        raise ImportRejected(path.name, problems)
    return tuple(codes)


# --- shared ----------------------------------------------------------------------------------


def identify(headers: Sequence[str]) -> str | None:
    """Which national file a first row belongs to, to say so when it is given as another.

    >>> identify(["PUBLICATION", "EXTRACT_DATE", "TYPE", "CODE", "NUMBER_OF_PATIENTS"])
    'list sizes'
    """
    keys = {header_key(h) for h in headers}
    if "number of patients" in keys:
        return "list sizes"
    if "pcn code" in keys and ("partner organisation code" in keys or "practice code" in keys):
        return "PCN membership"
    if _looks_like_epraccur(headers):
        return "ODS GP practices"
    if _looks_like_headerless_pcn(headers):
        return "PCN membership"
    return None


OPTION = {"list sizes": "--sizes", "PCN membership": "--pcns", "ODS GP practices": "--practices"}


def _wrong_layout(source: str, what: str, expected: str, found: Sequence[str]) -> ImportRejected:
    shown = ", ".join(c for c in found if c) or "nothing"
    kind = identify(found)
    if kind == "ODS GP practices" or (kind == "PCN membership" and "PCN Code" not in found):
        shown = "no header row; the first row reads " + shown
    reason = f"not the {what} file. Expected {expected}. Found: {shown}"
    if kind and kind != what:
        reason += f". This looks like the {kind} file, which goes with {OPTION[kind]}"
    return ImportRejected(source, [Problem(None, None, reason)])


def _existing(path: str | Path) -> Path:
    return check_input_file(path)


def _csv_text(path: Path) -> tuple[str, str]:
    """The name and text of a CSV file, or of the one CSV inside a published ``.zip``."""
    if path.suffix.lower() in {".xlsx", ".xlsm", ".xls"}:
        raise InvalidInput(f"{path.name}: expected a CSV file here, not a workbook")
    if path.suffix.lower() != ".zip":
        return path.name, decode(read_input_bytes(path))[0]
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if len(names) != 1:
                found = ", ".join(printable(n) for n in names) or "none"
                raise InvalidInput(f"{path.name}: expected one CSV file inside; found {found}")
            check_size(f"{names[0]} (in {path.name})", archive.getinfo(names[0]).file_size)
            return f"{names[0]} (in {path.name})", decode(archive.read(names[0]))[0]
    except zipfile.BadZipFile as exc:
        raise InvalidInput(f"{path.name}: not a readable zip file ({exc})") from exc


def _csv_records(text: str) -> list[tuple[int, list[str]]]:
    """Non-blank CSV rows with their line numbers."""
    rows = csv.reader(io.StringIO(text, newline=""))
    return [(n, list(r)) for n, r in enumerate(rows, start=1) if any(c.strip() for c in r)]


def _header_sheet(path: str | Path) -> Sheet:
    path = _existing(path)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _pcn_sheet(path)[0]
    name, text = _csv_text(path)
    return table_from_records(name, list(csv.reader(io.StringIO(text, newline=""))))


def _first_row(path: str | Path, sheet: Sheet) -> Sequence[str]:
    """The file's first row as it is (blank cells kept), to name what was found."""
    path = Path(path)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return sheet.headers
    records = _csv_records(_csv_text(path)[1])
    return records[0][1] if records else ()
