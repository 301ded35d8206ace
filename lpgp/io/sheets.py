"""Read a table from a CSV or XLSX file as people really export them.

Handles UTF-8 with or without a BOM (falling back to Windows-1252), CRLF line ends, comma,
semicolon or tab separators, stray spaces, blank rows and leading blank rows. Row numbers are
the spreadsheet's own: the header is row 1 when it is the first line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from lpgp.errors import ImportRejected, InvalidInput, Problem, control_characters, printable
from lpgp.io.csv_writer import restore_cell
from lpgp.io.input_file import check_input_file, check_size, read_input_bytes


@dataclass(frozen=True)
class Sheet:
    """A header and its data rows, each row with its spreadsheet row number."""

    source: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]
    encoding: str = "utf-8"
    notes: tuple[str, ...] = field(default=())


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def decode(data: bytes) -> tuple[str, str]:
    """Decode file bytes as UTF-8 (BOM or not), else Windows-1252.

    >>> decode("Caf\\u00e9".encode("cp1252"))
    ('Café', 'windows-1252')
    >>> decode(b"\\xef\\xbb\\xbfODS")
    ('ODS', 'utf-8-sig')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "windows-1252"


def _records_from_text(text: str) -> list[list[str]]:
    sample = "\n".join(text.splitlines()[:20])
    delimiter = ","
    counts = {d: sample.count(d) for d in (",", ";", "\t")}
    if counts[","] == 0 and max(counts.values()) > 0:
        delimiter = max(counts, key=counts.__getitem__)
    # A cell lpgp wrote with a guarding apostrophe (see csv_writer) reads back as it was.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[restore_cell(c) for c in r] for r in reader]


def _records_from_xlsx(path: Path | io.BytesIO, name: str = "") -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        shown = name or getattr(path, "name", "")
        raise InvalidInput(
            f"{printable(shown)}: not a readable XLSX workbook ({printable(exc)})"
        ) from exc
    try:
        sheet = book.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def table_from_records(source: str, records: Iterable[list[str]], encoding: str = "") -> Sheet:
    """Find the header (first non-blank row) and keep non-blank rows with their numbers."""
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[Problem] = []
    for number, record in enumerate(records, start=1):
        cells = [_cell_text(c) for c in record]
        if not any(cells):
            continue
        if header is None:
            header = [re.sub(r"\s+", " ", c.replace("\ufeff", "")).strip() for c in cells]
            problems += [
                Problem(number, None, f"the header {_controls(h)}") for h in header if _bad(h)
            ]
            if problems:
                raise ImportRejected(source, problems)
            continue
        padded = cells + [""] * (len(header) - len(cells))
        problems += [
            Problem(number, header[i] or f"#{i + 1}", _controls(c))
            for i, c in enumerate(padded)
            if _bad(c)
        ]
        rows.append((number, {h: padded[i] for i, h in enumerate(header) if h}))
    if header is None:
        raise ImportRejected(source, [Problem(None, None, "the file is empty: no header row")])
    if problems:
        raise ImportRejected(source, problems)
    return Sheet(source, tuple(h for h in header if h), tuple(rows), encoding)


def _bad(text: str) -> bool:
    """Whether a cell holds a control character other than a tab or a line break."""
    return any(c not in ("\\x09", "\\x0a", "\\x0d") for c in control_characters(text))


def _controls(text: str) -> str:
    chars = ", ".join(c for c in dict.fromkeys(control_characters(text)))
    return (
        f"'{printable(text)}' contains a control or text-direction character ({chars}), "
        "which lpgp does not import: type it again without it"
    )


def read_sheet(path: str | Path) -> Sheet:
    """Read the first sheet of an XLSX file, or a CSV file, into a :class:`Sheet`.

    The file must be a regular file of at most 10 MB (:mod:`lpgp.io.input_file`), checked
    before it is read."""
    path = check_input_file(path)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return table_from_records(path.name, _records_from_xlsx(path), "xlsx")
    if path.suffix.lower() == ".xls":
        raise InvalidInput(
            f"{printable(path.name)}: old .xls workbooks are not read; save it as .xlsx or CSV"
        )
    text, encoding = decode(read_input_bytes(path))
    return table_from_records(path.name, _records_from_text(text), encoding)


def read_upload(name: str, data: bytes) -> Sheet:
    """Read a CSV or XLSX file a browser uploaded (its name and bytes) into a :class:`Sheet`,
    with the same limits as a file on disk, and without writing it anywhere.

    >>> read_upload("list.csv", b"\\xef\\xbb\\xbfODS code,Name\\r\\nZ99001,Mill Lane\\r\\n").rows
    ((2, {'ODS code': 'Z99001', 'Name': 'Mill Lane'}),)
    >>> read_upload("list.pdf", b"%PDF")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: list.pdf: choose a CSV or XLSX file
    """
    check_size(name, len(data))
    suffix = Path(name).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return table_from_records(name, _records_from_xlsx(io.BytesIO(data), name), "xlsx")
    if suffix == ".csv":
        text, encoding = decode(data)
        return table_from_records(name, _records_from_text(text), encoding)
    if suffix == ".xls":
        raise InvalidInput(
            f"{printable(name)}: old .xls workbooks are not read; save it as .xlsx or CSV"
        )
    raise InvalidInput(f"{printable(name)}: choose a CSV or XLSX file")


def header_key(text: str) -> str:
    """Fold a header for matching: case, punctuation and spacing do not matter.

    >>> header_key(" ODS-Code ")
    'ods code'
    """
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def match_columns(
    sheet: Sheet, spec: Mapping[str, tuple[str, ...]], required: Iterable[str]
) -> dict[str, str]:
    """Map each field in ``spec`` (field -> accepted header names) to the sheet's header.

    Refuses the file, naming what it expected and what it found, if a required field has no
    column. Unknown columns are ignored.
    """
    by_key = {header_key(h): h for h in sheet.headers}
    found: dict[str, str] = {}
    for name, aliases in spec.items():
        for alias in aliases:
            if header_key(alias) in by_key:
                found[name] = by_key[header_key(alias)]
                break
    missing = [f for f in required if f not in found]
    if missing:
        problems = [
            Problem(
                1,
                None,
                f"no column for {f} (expected one of: {', '.join(spec[f])}); "
                f"found: {', '.join(sheet.headers) or 'nothing'}",
            )
            for f in missing
        ]
        raise ImportRejected(sheet.source, problems)
    return found


def parse_whole_number(text: str) -> int:
    """A positive whole number as spreadsheets write it: ``12,345``, `` 12 345 ``, ``12345.0``.

    >>> parse_whole_number("12,345")
    12345
    >>> parse_whole_number("-5")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: '-5' is not a positive whole number
    """
    cleaned = re.sub(r"[,\s\u00a0]", "", text)
    if re.fullmatch(r"\d+(\.0+)?", cleaned):
        value = int(cleaned.split(".")[0])
        if value > 0:
            return value
    raise InvalidInput(f"'{text}' is not a positive whole number")


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y", "%Y%m%d")


def parse_date(text: str) -> date:
    """A date as UK spreadsheets write it (day first), or ISO.

    >>> parse_date("05/04/2027")
    datetime.date(2027, 4, 5)
    >>> parse_date("next Tuesday")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: 'next Tuesday' is not a date (use e.g. 2027-04-05 or 05/04/2027)
    """
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]00:00:00", value):
        value = value[:10]
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise InvalidInput(f"'{text}' is not a date (use e.g. 2027-04-05 or 05/04/2027)")
