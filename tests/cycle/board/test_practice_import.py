"""Practice lists as spreadsheets really export them; any bad row refuses the whole file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from lpgp.analyst import board as api
from lpgp.cycle.board import place as places
from lpgp.cycle.board.practice import import_practices
from lpgp.cycle.board.practice_list import read_practices
from lpgp.errors import ImportRejected
from lpgp.store import Store

AS_OF = date(2026, 10, 1)
HEADER = "ODS code,Practice name,PCN,List size\n"


def good_rows(n: int = 40) -> list[str]:
    return [f"Z99{i:03d},Practice {i},PCN {i % 5},{3000 + i * 100}\n" for i in range(1, n + 1)]


def write(tmp_path: Path, text: str, name: str = "practices.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def seeded(store: Store):
    def work(s):
        place = places.create_place(s, "Testshire")
        import_practices(s, place, read_practices_from_rows(), source="seed")
        return place

    return store.write(work)


def read_practices_from_rows():
    from lpgp.cycle.board.practice_rules import PracticeInput

    return [PracticeInput("Z99901", "Seed Surgery", "Seed PCN", 4321, AS_OF)]


def import_file(store: Store, place, path: Path):
    incoming = read_practices(path, as_of=AS_OF)
    return store.write(lambda s: import_practices(s, place, incoming))


def snapshot(store: Store, place) -> list[tuple]:
    df = api.practices(place=place.slug, store=store)
    return [tuple(r) for r in df.itertuples(index=False)]


@pytest.mark.parametrize(
    ("body", "row", "reason"),
    [
        (
            "".join(good_rows(20)) + "Q1234,Bad Code,PCN 1,4000\n" + "".join(good_rows(40)[20:]),
            22,
            "'Q1234' is not an ODS code",
        ),
        ("".join(good_rows(5)) + "z99003,Again,PCN 1,4000\n", 7, "duplicate ODS code Z99003"),
        ("".join(good_rows(3)) + "Z99100,Minus,PCN 1,-5\n", 5, "'-5' is not a positive whole"),
        ("".join(good_rows(3)) + "Z99100,Words,PCN 1,twelve\n", 5, "'twelve' is not a positive"),
        ("".join(good_rows(3)) + "Z99100,,PCN 1,4000\n", 5, "missing practice name"),
    ],
    ids=["bad-ods-among-40", "duplicate", "negative-size", "words-size", "no-name"],
)
def test_bad_rows_are_reported_and_nothing_changes(
    store: Store, tmp_path: Path, body: str, row: int, reason: str
) -> None:
    place = seeded(store)
    before = snapshot(store, place)
    with pytest.raises(ImportRejected) as caught:
        import_file(store, place, write(tmp_path, HEADER + body))
    assert any(p.row == row and reason in p.reason for p in caught.value.problems), str(
        caught.value
    )
    assert f"row {row}" in str(caught.value)
    assert snapshot(store, place) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "the file is empty"), ("Name,List size\nMill,400\n", "no column for ods_code")],
    ids=["empty", "no-ods-column"],
)
def test_unusable_files_are_refused(store: Store, tmp_path: Path, text: str, message: str) -> None:
    place = seeded(store)
    before = snapshot(store, place)
    with pytest.raises(ImportRejected, match=message):
        import_file(store, place, write(tmp_path, text))
    assert snapshot(store, place) == before


def test_bom_crlf_csv_with_thousands_separators(store: Store, tmp_path: Path) -> None:
    place = seeded(store)
    text = "\ufeff ODS Code , Practice Name ,PCN,List Size, Notes\r\n"
    text += 'Z99001 , Mill  Lane Surgery ,North PCN,"12,345",ignored\r\n'
    text += "\r\n"
    text += 'z99002,Hill Top,North PCN,"2,001",\r\n'
    report = import_file(store, place, write(tmp_path, text))
    assert report.added == ("Z99001", "Z99002")
    df = api.practices(place=place.slug, store=store, active_only=True).set_index("ods_code")
    assert df.loc["Z99001", "name"] == "Mill Lane Surgery"
    assert df.loc["Z99001", "list_size"] == 12345
    assert df.loc["Z99002", "list_size"] == 2001
    assert pd.Timestamp(df.loc["Z99001", "list_size_as_of"]).date() == AS_OF


def test_windows_1252_csv(store: Store, tmp_path: Path) -> None:
    place = seeded(store)
    path = write(
        tmp_path, "Practice code,Name\nZ99001,Café Row Surgery – East\n", encoding="cp1252"
    )
    import_file(store, place, path)
    names = api.practices(place=place.slug, store=store, active_only=True).name.tolist()
    assert names == ["Café Row Surgery – East"]


def test_xlsx_with_a_blank_row_in_the_middle(store: Store, tmp_path: Path) -> None:
    place = seeded(store)
    book = Workbook()
    sheet = book.active
    sheet.append(["Org code", "Practice name", "Registered patients", "Contact email"])
    sheet.append(["Z99001", "First Surgery", 5120, "first@nhs.example"])
    sheet.append([None, None, None, None])
    sheet.append(["Z99002", "Second Surgery", "7,200", None])
    sheet.append(["Z99003", "Third Surgery", 9000.0, None])
    path = tmp_path / "practices.xlsx"
    book.save(path)
    report = import_file(store, place, path)
    assert report.added == ("Z99001", "Z99002", "Z99003")
    assert report.deactivated == ("Z99901",)
    sizes = api.practices(place=place.slug, store=store, active_only=True).list_size.tolist()
    assert sizes == [5120, 7200, 9000]


def test_xlsx_bad_row_number_counts_the_blank_row(store: Store, tmp_path: Path) -> None:
    place = seeded(store)
    book = Workbook()
    sheet = book.active
    sheet.append(["ODS code", "Name", "List size"])
    sheet.append(["Z99001", "First", 100])
    sheet.append([None, None, None])
    sheet.append(["Z99002", "Second", -3])
    path = tmp_path / "p.xlsx"
    book.save(path)
    with pytest.raises(ImportRejected, match=r"row 4, column 'List size'"):
        import_file(store, place, path)


def test_reimport_reports_changes_and_dry_run_writes_nothing(store: Store, tmp_path: Path) -> None:
    place = seeded(store)
    first = write(tmp_path, HEADER + "Z99001,One,PCN A,1000\nZ99002,Two,PCN A,2000\n")
    import_file(store, place, first)
    second = write(
        tmp_path, HEADER + "Z99001,One,PCN B,1000\nZ99003,Three,PCN A,3000\n", "second.csv"
    )
    incoming = read_practices(second, as_of=AS_OF)
    before = snapshot(store, place)
    dry = store.write(lambda s: import_practices(s, place, incoming, dry_run=True))
    assert dry.dry_run and snapshot(store, place) == before
    report = store.write(lambda s: import_practices(s, place, incoming))
    assert report.added == dry.added == ("Z99003",)
    assert [c.ods_code for c in report.changed] == ["Z99001"]
    assert report.changed[0].fields == {"pcn": ("PCN A", "PCN B")}
    assert report.deactivated == ("Z99002",)
