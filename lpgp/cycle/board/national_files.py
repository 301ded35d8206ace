"""Read the national files analysts download each month, as their publishers lay them out.

- **List sizes**: NHS England's "Patients Registered at a GP Practice" totals file
  (``gp-reg-pat-prac-all.csv``): one row per practice for all sexes and all ages. Its column
  names changed over the years (CCG to Sub-ICB location codes, ``CODE`` to ``ORG_CODE``); every
  layout in :data:`SIZES_LAYOUTS` is read and the one found is named.
- **PCN membership**: the ODS ePCN workbook's "PCN Core Partner Details" sheet (or the same
  table as CSV, with or without its header): practice, PCN code and name, join and left dates.
- **Names and status**: the ODS GP practices file (``epraccur.csv``): no header row, 27 columns.
  A search exported from ODS Data Search and Export (a header row, status in words, roles as
  codes) is a different layout that no public source documents; it is refused, naming what to
  download instead.

Readers only read and validate: a file in none of these layouts (or given as the wrong one) is
refused naming the columns expected and the columns found. A bad row does not refuse the file
here: it is kept aside as a :class:`BadRow` (file, row, column, and whichever practice, Sub-ICB
location or PCN it names), because only the place's selection can say whether it matters. The
pure planner that turns the three into a place's practice list, and decides that, is in
:mod:`lpgp.cycle.board.national_rules`.
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

from lpgp.errors import ImportRejected, InvalidInput, Problem, printable
from lpgp.io.input_file import check_input_file, check_size, read_input_bytes
from lpgp.io.sheets import Sheet, _cell_text, decode, header_key, parse_date, table_from_records
from lpgp.model import normalise_ods

# --- rows kept aside -------------------------------------------------------------------------


@dataclass(frozen=True)
class BadRow:
    """A row of a national file that could not be read, with whatever it says about where it
    belongs, so the planner can tell whether it is one of the place's practices.

    >>> str(BadRow("epraccur.csv", Problem(4, "Status code", "'X' is not A, C, D or P")))
    "epraccur.csv, row 4, column 'Status code': 'X' is not A, C, D or P"
    """

    source: str
    problem: Problem
    ods_code: str | None = None
    area: str | None = None
    pcn: str | None = None

    def __str__(self) -> str:
        return f"{printable(self.source)}, {self.problem}"


def _bad_rows(
    source: str,
    problems: list[Problem],
    code: str | None,
    area: str | None = None,
    pcn: str | None = None,
) -> list[BadRow]:
    return [
        BadRow(source, p, code, (area or "").upper() or None, (pcn or "").upper() or None)
        for p in problems
    ]


def _refuse_if_nothing_read(source: str, read: int, bad: list[BadRow], empty: str) -> None:
    """A file with no good row at all is refused whole, naming every bad row."""
    if read:
        return
    problems = [b.problem for b in bad] or [Problem(None, None, empty)]
    raise ImportRejected(source, problems)


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
    """A month's registered list sizes: practice code -> patients (None: suppressed/missing).

    ``skipped`` holds the rows that could not be read; whether they matter depends on the
    place's selection (see :func:`lpgp.cycle.board.national_rules.plan_national`).
    """

    source: str
    layout: str
    extract_date: date
    sizes: dict[str, int | None]
    areas: dict[str, str]
    postcodes: dict[str, str]
    skipped: tuple[BadRow, ...] = ()

    def describe(self) -> str:
        """One line saying what was read.

        >>> ListSizes("f.csv", "CCG (CCG_CODE)", date(2026, 9, 1), {"Z99001": 1}, {}, {}).describe()
        'f.csv: list sizes, layout CCG (CCG_CODE), extract date 2026-09-01, 1 practice'
        """
        n = len(self.sizes)
        return (
            f"{self.source}: list sizes, layout {self.layout}, "
            f"extract date {self.extract_date.isoformat()}, {n} practice{'s' if n != 1 else ''}"
            + _skipped_text(self.skipped)
        )


def _skipped_text(skipped: tuple[BadRow, ...]) -> str:
    n = len({b.problem.row for b in skipped})
    return f", {n} bad row{'s' if n != 1 else ''} set aside" if n else ""


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
    """Validate a totals file: refuse it whole if its layout is unknown, it mixes extract dates
    or no row can be read; a bad row is set aside (:attr:`ListSizes.skipped`)."""
    layout = sizes_layout(sheet.headers)
    if layout is None:
        raise _wrong_layout(sheet.source, "list sizes", SIZES_EXPECTED, sheet.headers)
    col = {header_key(h): h for h in sheet.headers}

    def cell(row: dict[str, str], name: str | None) -> str:
        return row.get(col.get(header_key(name), ""), "").strip() if name else ""

    def column(name: str) -> str:
        return col.get(header_key(name), name)

    bad: list[BadRow] = []
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
        area = cell(row, layout.area)
        try:
            code = normalise_ods(cell(row, layout.code))
        except InvalidInput as exc:
            bad += _bad_rows(
                sheet.source, [Problem(number, column(layout.code), str(exc))], None, area
            )
            continue
        if code in first_row:
            again = f"{code} appears twice (first on row {first_row[code]})"
            bad += _bad_rows(
                sheet.source, [Problem(number, column(layout.code), again)], code, area
            )
            continue
        first_row[code] = number
        problems: list[Problem] = []
        when: date | None = None
        try:
            when = parse_extract_date(cell(row, "EXTRACT_DATE"))
        except InvalidInput as exc:
            problems.append(Problem(number, column("EXTRACT_DATE"), str(exc)))
        patients = cell(row, "NUMBER_OF_PATIENTS")
        size: int | None = None
        if patients.lower() not in SUPPRESSED and patients != "0":
            digits = patients.replace(",", "")
            if digits.isdigit():
                size = int(digits)
            else:
                problems.append(
                    Problem(number, column("NUMBER_OF_PATIENTS"), f"'{patients}' is not a number")
                )
        if problems or when is None:
            bad += _bad_rows(sheet.source, problems, code, area)
            continue
        dates.setdefault(when, number)
        sizes[code] = size
        if area:
            areas[code] = area.upper()
        if cell(row, "POSTCODE"):
            postcodes[code] = " ".join(cell(row, "POSTCODE").upper().split())
    if len(dates) > 1:
        found = ", ".join(f"{d.isoformat()} (row {n})" for d, n in sorted(dates.items()))
        raise ImportRejected(
            sheet.source,
            [
                Problem(
                    None,
                    column("EXTRACT_DATE"),
                    f"more than one extract date ({found}): use one month",
                )
            ],
        )
    _refuse_if_nothing_read(
        sheet.source, len(sizes), bad, "no GP practice rows for all sexes and all ages"
    )
    return ListSizes(
        sheet.source, layout.name, next(iter(dates)), sizes, areas, postcodes, tuple(bad)
    )


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
# A search exported from ODS Data Search and Export: headers and values that the epraccur
# layout never has. Its columns are not published anywhere lpgp could confirm, so it is refused.
DSE_HEADERS = {
    header_key(h)
    for h in (
        "Status",
        "Primary Role",
        "Primary Role Id",
        "Primary Role Name",
        "Primary Role Code",
        "Non Primary Role",
        "Non Primary Role Id(s)",
        "Non Primary Role Ids",
        "Non Primary Role Name(s)",
        "Role",
        "Roles",
        "Role Code",
        "Operational Start Date",
        "Operational End Date",
        "Legal Start Date",
        "Legal End Date",
        "Last Change Date",
        "Record Class",
    )
}
DSE_STATUS_WORDS = {"ACTIVE", "INACTIVE"}
ROLE_CODE = re.compile(r"^RO[0-9]+$")
DSE_ADVICE = (
    "this looks like a search exported from ODS Data Search and Export (a header row, status "
    "in words such as Active or Inactive, roles as codes such as RO76), a layout lpgp does not "
    "read because no published description of its columns could be confirmed. Download the GP "
    "practices file in the epraccur layout instead: ODS Data Search and Export offers it as "
    "the predefined report 'epraccur' (GP practices), a CSV with no header row and 27 columns "
    "(status A, C, D or P; prescribing setting 4 for a GP practice)"
)


@dataclass(frozen=True)
class OdsPractice:
    """One organisation in the ODS GP practices file.

    ``settings`` are all the prescribing settings its row lists (a cell may hold several,
    ``4|1``); ``setting`` is the GP practice setting when listed, else the first.

    >>> OdsPractice("Z99001", "MILL", None, "A", "Z9A", 4, settings=(1, 4)).is_gp_practice
    True
    """

    ods_code: str
    name: str
    postcode: str | None
    status: str
    commissioner: str | None
    setting: int | None
    opened: date | None = None
    closed: date | None = None
    settings: tuple[int, ...] = ()

    @property
    def is_gp_practice(self) -> bool:
        return GP_PRACTICE_SETTING in (self.settings or (self.setting,))

    @property
    def setting_text(self) -> str:
        """The prescribing setting(s) as the file wrote them, e.g. ``1`` or ``1|2``."""
        listed = self.settings or ((self.setting,) if self.setting is not None else ())
        return "|".join(str(s) for s in listed) or "none"

    @property
    def status_word(self) -> str:
        return STATUSES[self.status]


@dataclass(frozen=True)
class OdsPractices:
    """The ODS GP practices file: every prescribing cost centre by code.

    ``latest`` is the latest date the file says something happened on (an active practice
    opening, a closed or dormant one closing), to tell which month the file is from.
    """

    source: str
    organisations: dict[str, OdsPractice]
    skipped: tuple[BadRow, ...] = ()
    latest: date | None = None

    def describe(self) -> str:
        gp = sum(o.is_gp_practice for o in self.organisations.values())
        return (
            f"{self.source}: ODS GP practices file, {len(self.organisations)} organisations, "
            f"{gp} of them GP practices" + _skipped_text(self.skipped)
        )


def _looks_like_epraccur(cells: Sequence[str]) -> bool:
    return (
        len(cells) >= SETTING + 1
        and bool(ORG_CODE.match(cells[CODE].strip().upper()))
        and cells[STATUS].strip().upper() in STATUSES
    )


def _looks_like_dse(rows: Sequence[Sequence[str]]) -> bool:
    """Whether the first rows read like an ODS Data Search and Export search result."""
    if rows and any(header_key(c) in DSE_HEADERS for c in rows[0]):
        return True
    cells = [c.strip().upper() for row in rows for c in row]
    return any(c in DSE_STATUS_WORDS or ROLE_CODE.match(c) for c in cells)


def parse_settings(text: str) -> tuple[int, ...]:
    """The prescribing setting(s) in an epraccur cell: one number, or several joined by ``|``.

    >>> parse_settings("4"), parse_settings(" 4|1 ")
    ((4,), (4, 1))
    >>> parse_settings("GP")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: prescribing setting 'GP' is not a number (or numbers joined by |)
    """
    parts = [p.strip() for p in text.split("|")]
    if not all(p.isdigit() for p in parts):
        raise InvalidInput(
            f"prescribing setting '{text.strip()}' is not a number (or numbers joined by |)"
        )
    return tuple(int(p) for p in parts)


def _epraccur_row(
    source: str, number: int, cells: list[str]
) -> tuple[OdsPractice | None, list[BadRow]]:
    """One row of the ODS GP practices file: the organisation, or why it cannot be read."""
    raw_code = cells[CODE].strip().upper() if cells else ""
    area = cells[COMMISSIONER].strip() if len(cells) > COMMISSIONER else None

    def refuse(column: str | None, reason: str, code: str | None) -> list[BadRow]:
        return _bad_rows(source, [Problem(number, column, reason)], code, area)

    readable = raw_code if ORG_CODE.match(raw_code) else None
    if len(cells) < SETTING + 1:
        reason = f"{len(cells)} columns; the ODS GP practices file has 27"
        return None, refuse(None, reason, readable)
    status = cells[STATUS].strip().upper()
    if status not in STATUSES:
        return None, refuse(
            "Status code", f"'{cells[STATUS].strip()}' is not A, C, D or P (column 13)", readable
        )
    try:
        settings = parse_settings(cells[SETTING])
    except InvalidInput as exc:
        return None, refuse("Prescribing setting", f"{exc} (column 26)", readable)
    code = raw_code
    if GP_PRACTICE_SETTING in settings:
        try:
            code = normalise_ods(raw_code)
        except InvalidInput as exc:
            return None, refuse("Organisation code", str(exc), None)
    try:
        opened = parse_date(cells[OPENED]) if cells[OPENED].strip() else None
        closed = parse_date(cells[CLOSED]) if cells[CLOSED].strip() else None
    except InvalidInput as exc:
        return None, refuse("Open date/Close date", str(exc), code)
    return (
        OdsPractice(
            ods_code=code,
            name=" ".join(cells[NAME].split()),
            postcode=" ".join(cells[POSTCODE].upper().split()) or None,
            status=status,
            commissioner=cells[COMMISSIONER].strip().upper() or None,
            setting=GP_PRACTICE_SETTING if GP_PRACTICE_SETTING in settings else settings[0],
            opened=opened,
            closed=closed,
            settings=settings,
        ),
        [],
    )


def parse_ods_practices(source: str, records: list[tuple[int, list[str]]]) -> OdsPractices:
    """Validate the headerless ODS GP practices file (rows already split into cells).

    A file in another layout is refused whole; a bad row is set aside
    (:attr:`OdsPractices.skipped`).
    """
    if not records:
        raise ImportRejected(source, [Problem(None, None, "the file is empty")])
    first = records[0][1]
    if not _looks_like_epraccur(first):
        if _looks_like_dse([cells for _, cells in records[:2]]):
            shown = ", ".join(printable(c) for c in first if c.strip()) or "nothing"
            reason = f"{DSE_ADVICE}. Found: {shown}"
            raise ImportRejected(source, [Problem(None, None, reason)])
        if (
            header_key(first[0]) in ("organisation code", "practice code", "code")
            and len(first) >= len(EPRACCUR_COLUMNS) - 1
        ):
            records = records[1:]
        else:
            raise _wrong_layout(source, "ODS GP practices", EPRACCUR_EXPECTED, first)
    bad: list[BadRow] = []
    out: dict[str, OdsPractice] = {}
    first_row: dict[str, int] = {}
    for number, cells in records:
        org, problems = _epraccur_row(source, number, cells)
        if org is None:
            bad += problems
            continue
        if org.ods_code in out:
            again = f"{org.ods_code} appears twice (first on row {first_row[org.ods_code]})"
            bad += _bad_rows(
                source,
                [Problem(number, "Organisation code", again)],
                org.ods_code,
                org.commissioner,
            )
            continue
        out[org.ods_code] = org
        first_row[org.ods_code] = number
    _refuse_if_nothing_read(source, len(out), bad, "no organisation rows")
    happened = [o.opened for o in out.values() if o.status == "A" and o.opened]
    happened += [o.closed for o in out.values() if o.status in ("C", "D") and o.closed]
    return OdsPractices(source, out, tuple(bad), max(happened, default=None))


def read_ods_practices(path: str | Path) -> OdsPractices:
    """Read the ODS GP practices file (``epraccur.csv``, no header row)."""
    path = _existing(path)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        sheet, _ = _pcn_sheet(path)
        first = [list(row.values()) for _, row in sheet.rows[:1]]
        if _looks_like_dse([list(sheet.headers), *first]):
            shown = ", ".join(printable(h) for h in sheet.headers) or "nothing"
            reason = f"{DSE_ADVICE}. Found: {shown}"
            raise ImportRejected(sheet.source, [Problem(None, None, reason)])
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
    """Every practice-to-PCN spell in the ePCN file.

    ``latest`` is the latest start or end date of a spell, to tell which month the file is
    from; ``skipped`` holds the rows that could not be read.
    """

    source: str
    layout: str
    spells: tuple[Membership, ...]
    skipped: tuple[BadRow, ...] = ()
    latest: date | None = None

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
        return (
            f"{self.source}: PCN membership, {self.layout}, {len(self.spells)} practice spells"
            + _skipped_text(self.skipped)
        )


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
    """Validate the PCN core partner table: refuse it whole if its layout is unknown or no row
    can be read; a bad row is set aside (:attr:`PcnMembership.skipped`)."""
    cols = _pcn_columns(sheet)
    if cols is None:
        raise _wrong_layout(sheet.source, "PCN membership", PCN_EXPECTED, sheet.headers)
    bad: list[BadRow] = []
    spells: list[Membership] = []
    for number, row in sheet.rows:

        def cell(name: str, _row: dict[str, str] = row) -> str:
            return _row.get(cols[name], "").strip() if name in cols else ""

        code: str | None = None
        problems: list[Problem] = []
        try:
            code = normalise_ods(cell("practice"))
        except InvalidInput as exc:
            problems.append(Problem(number, cols["practice"], str(exc)))
        pcn = cell("pcn_code").upper()
        if not PCN_CODE.match(pcn):
            reason = f"'{cell('pcn_code')}' is not a PCN code (U and five digits)"
            problems.append(Problem(number, cols["pcn_code"], reason))
        when: dict[str, date | None] = {}
        for field in ("start", "end"):
            try:
                when[field] = parse_date(cell(field)) if cell(field) else None
            except InvalidInput as exc:
                problems.append(Problem(number, cols[field], str(exc)))
        if problems or code is None:
            bad += _bad_rows(sheet.source, problems, code, cell("sub_icb"), pcn)
            continue
        spells.append(
            Membership(
                code,
                pcn,
                " ".join(cell("pcn_name").split()),
                when["start"],
                when["end"],
                cell("sub_icb"),
            )
        )
    _refuse_if_nothing_read(sheet.source, len(spells), bad, "no practice-to-PCN rows")
    dates = [d for s in spells for d in (s.start, s.end) if d]
    return PcnMembership(sheet.source, layout, tuple(spells), tuple(bad), max(dates, default=None))


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
