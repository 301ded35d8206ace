"""The national files as published: every list-size layout, ePCN, epraccur, and wrong files.

Known answers are the numbers written into the fictional fixtures (tests/data/national), read
here as literals, never from lpgp.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from national_files import DATA

from lpgp.cycle.board.national_files import (
    parse_extract_date,
    read_codes,
    read_list_sizes,
    read_ods_practices,
    read_pcn_membership,
)
from lpgp.errors import ImportRejected, InvalidInput

SEPTEMBER = {
    "Z99101": 8214,
    "Z99102": 11530,
    "Z99103": 6402,
    "Z99104": 3120,
    "Z99105": 14875,
    "Z99106": None,
    "Z99107": 5961,
    "Z99201": 7700,
    "Z99202": 9100,
}
SIZES_HEADER = "PUBLICATION,EXTRACT_DATE,TYPE,SUB_ICB_LOCATION_CODE,ONS_SUB_ICB_LOCATION_CODE,CODE,"
SIZES_HEADER += "POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS\n"


@pytest.mark.parametrize(
    ("suffix", "layout"),
    [
        ("", "Sub-ICB location (SUB_ICB_LOCATION_CODE)"),
        ("-sub-icb-loc", "Sub-ICB location, short names (SUB_ICB_LOC_CODE)"),
        ("-ccg", "CCG (CCG_CODE)"),
        ("-org-code", "organisation columns (ORG_TYPE, ORG_CODE, SUB_ICB_LOCATION_CODE)"),
        ("-org-code-only", "organisation columns (ORG_TYPE, ORG_CODE)"),
    ],
)
def test_every_published_layout_gives_the_same_sizes(suffix: str, layout: str) -> None:
    sizes = read_list_sizes(DATA / f"gp-reg-pat-prac-all-2026-09{suffix}.csv")
    assert sizes.layout == layout
    assert layout in sizes.describe()
    assert sizes.extract_date == date(2026, 9, 1)
    assert sizes.sizes == SEPTEMBER
    if "only" not in suffix:
        assert sizes.areas["Z99103"] == "Z9A" and sizes.areas["Z99201"] == "Z9B"


def test_bom_blank_lines_and_lower_case_codes() -> None:
    raw = (DATA / "gp-reg-pat-prac-all-2026-09.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\n\n\n")
    assert b",z99103," in raw
    sizes = read_list_sizes(DATA / "gp-reg-pat-prac-all-2026-09.csv")
    assert sizes.sizes["Z99103"] == 6402
    assert sizes.postcodes["Z99101"] == "ZZ99 1AA"


@pytest.mark.parametrize(
    "text", ["01SEP2026", "01-Sep-26", "01-SEP-2026", "2026-09-01", "01/09/2026"]
)
def test_extract_dates_in_every_published_form(text: str) -> None:
    assert parse_extract_date(text) == date(2026, 9, 1)


def _sizes_file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "gp-reg-pat-prac-all.csv"
    path.write_text(SIZES_HEADER + "".join(rows))
    return path


def _row(code: str, patients: str, when: str = "2026-09-01", sex: str = "ALL") -> str:
    return f"GP_PRAC_PAT_LIST,{when},GP,Z9A,E38999901,{code},ZZ99 1AA,{sex},ALL,{patients}\n"


def test_rows_for_one_sex_are_skipped_and_zero_counts_as_missing(tmp_path: Path) -> None:
    path = _sizes_file(tmp_path, [_row("Z99101", "100"), _row("Z99101", "40", sex="MALE")])
    path.write_text(path.read_text() + _row("Z99102", "0") + _row("Z99103", "*"))
    sizes = read_list_sizes(path).sizes
    assert sizes == {"Z99101": 100, "Z99102": None, "Z99103": None}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([_row("Z99101", "1"), _row("Z99102", "2", "2026-10-01")], "more than one extract date"),
        ([_row("Q1", "100")], "row 2, column 'CODE': 'Q1' is not an ODS code"),
        ([], "no GP practice rows"),
    ],
    ids=["two-months", "no-good-row", "empty"],
)
def test_a_file_that_cannot_be_used_is_refused_whole(
    tmp_path: Path, rows: list[str], message: str
) -> None:
    with pytest.raises(ImportRejected) as caught:
        read_list_sizes(_sizes_file(tmp_path, rows))
    assert message in str(caught.value)
    assert "gp-reg-pat-prac-all.csv: 1 problem, nothing was imported" in str(caught.value)


@pytest.mark.parametrize(
    ("bad", "row", "column", "reason", "code", "area"),
    [
        (
            _row("Z99102", "many"),
            3,
            "NUMBER_OF_PATIENTS",
            "'many' is not a number",
            "Z99102",
            "Z9A",
        ),
        (
            _row("z99101", "120"),
            3,
            "CODE",
            "Z99101 appears twice (first on row 2)",
            "Z99101",
            "Z9A",
        ),
        (_row("Q1", "100"), 3, "CODE", "'Q1' is not an ODS code", None, "Z9A"),
        (
            _row("Z99102", "7", "last week"),
            3,
            "EXTRACT_DATE",
            "'last week' is not",
            "Z99102",
            "Z9A",
        ),
    ],
    ids=["words", "duplicate", "bad-code", "bad-date"],
)
def test_a_bad_row_is_set_aside_with_its_file_row_and_column(
    tmp_path: Path, bad: str, row: int, column: str, reason: str, code: str | None, area: str
) -> None:
    sizes = read_list_sizes(_sizes_file(tmp_path, [_row("Z99101", "100"), bad]))
    assert sizes.sizes == {"Z99101": 100}
    (skipped,) = sizes.skipped
    assert (skipped.source, skipped.problem.row, skipped.problem.column) == (
        "gp-reg-pat-prac-all.csv",
        row,
        column,
    )
    assert skipped.problem.reason.startswith(reason)
    assert (skipped.ods_code, skipped.area) == (code, area)
    assert str(skipped).startswith(f"gp-reg-pat-prac-all.csv, row {row}, column '{column}': ")
    assert "1 bad row set aside" in sizes.describe()


def test_bad_rows_fixture_sets_aside_the_neighbours_rows() -> None:
    sizes = read_list_sizes(DATA / "gp-reg-pat-prac-all-2026-10-bad-rows.csv")
    assert [(b.problem.row, b.problem.column, b.ods_code, b.area) for b in sizes.skipped] == [
        (9, "NUMBER_OF_PATIENTS", "Z99201", "Z9B"),
        (11, "CODE", None, "Z9B"),
    ]
    assert sizes.sizes["Z99202"] == 9080 and "Z99201" not in sizes.sizes


def test_pcn_workbook_and_headerless_csv_agree() -> None:
    book = read_pcn_membership(DATA / "ePCN-2026-09.xlsx")
    csv = read_pcn_membership(DATA / "epcncorepartnerdetails-2026-09.csv")
    assert "PCN Core Partner Details" in book.layout
    assert "without a header" in csv.layout
    assert book.spells == csv.spells
    assert len(book.spells) == 11


def test_a_practice_that_moved_pcn_is_in_the_one_it_was_in_on_the_day() -> None:
    pcns = read_pcn_membership(DATA / "ePCN-2026-09.xlsx")
    assert pcns.on("Z99107", date(2026, 6, 30)).pcn_code == "U99101"
    assert pcns.on("Z99107", date(2026, 7, 1)).pcn_code == "U99102"
    assert pcns.on("Z99107", date(2026, 9, 1)).pcn_name == "SOUTH FENWICK PCN"
    assert pcns.on("Z99108", date(2026, 9, 1)) is None


def test_pcn_csv_with_a_header(tmp_path: Path) -> None:
    path = tmp_path / "pcns.csv"
    path.write_text(
        "Partner Organisation Code,Partner Name,PCN Code,PCN Name,"
        "Practice to PCN Relationship Start Date,Practice to PCN Relationship End Date\n"
        "z99101,MILL,u99101,NORTH PCN,01/07/2019,\n"
    )
    spell = read_pcn_membership(path).spells[0]
    assert (spell.ods_code, spell.pcn_code, spell.start, spell.end) == (
        "Z99101",
        "U99101",
        date(2019, 7, 1),
        None,
    )


def test_epraccur_statuses_settings_and_dates() -> None:
    september = read_ods_practices(DATA / "epraccur-2026-09.csv").organisations
    october = read_ods_practices(DATA / "epraccur-2026-10.csv").organisations
    assert september["Z99101"].name == "THE MILL SURGERY"
    assert september["Z99101"].postcode == "ZZ99 1AA"
    assert september["Z99101"].commissioner == "Z9A"
    assert september["Z99108"].status_word == "dormant"
    assert september["Z99109"].status_word == "proposed"
    assert not september["Y99901"].is_gp_practice
    assert october["Z99104"].status_word == "closed"
    assert october["Z99104"].closed == date(2026, 9, 20)


def test_epraccur_row_too_short_is_set_aside(tmp_path: Path) -> None:
    good = (DATA / "epraccur-2026-09.csv").read_text().splitlines()
    path = tmp_path / "epraccur.csv"
    path.write_text("\n".join([*good[:3], "Z99150,SHORT ROW,Y99,QZZ", *good[3:]]) + "\n")
    register = read_ods_practices(path)
    (bad,) = register.skipped
    assert str(bad) == "epraccur.csv, row 4: 4 columns; the ODS GP practices file has 27"
    assert (bad.ods_code, bad.area) == ("Z99150", None)
    assert len(register.organisations) == 12


def test_epraccur_bad_rows_fixture() -> None:
    register = read_ods_practices(DATA / "epraccur-2026-10-bad-rows.csv")
    assert [(str(b), b.ods_code, b.area) for b in register.skipped] == [
        (
            "epraccur-2026-10-bad-rows.csv, row 11, column 'Prescribing setting': prescribing "
            "setting 'walk-in' is not a number (or numbers joined by |) (column 26)",
            "Z99201",
            "Z9B",
        ),
        (
            "epraccur-2026-10-bad-rows.csv, row 12, column 'Status code': 'X' is not A, C, D "
            "or P (column 13)",
            "Z99202",
            "Z9B",
        ),
    ]
    assert len(register.organisations) == 10


def test_a_practice_with_two_prescribing_settings_is_a_gp_practice() -> None:
    register = read_ods_practices(DATA / "epraccur-2026-10-two-settings.csv").organisations
    assert register["Z99103"].settings == (4, 1)
    assert register["Z99103"].is_gp_practice
    assert register["Z99103"].setting_text == "4|1"
    assert not register["Y99901"].is_gp_practice


def test_epraccur_with_a_header_row_is_read(tmp_path: Path) -> None:
    rows = (DATA / "epraccur-2026-09.csv").read_text()
    path = tmp_path / "epraccur.csv"
    path.write_text("Organisation code,Name" + ",x" * 25 + "\n" + rows)
    assert len(read_ods_practices(path).organisations) == 12


def test_a_data_search_and_export_file_is_refused_saying_what_to_download() -> None:
    with pytest.raises(ImportRejected) as caught:
        read_ods_practices(DATA / "dse-gp-practices.csv")
    text = str(caught.value)
    assert text.startswith("dse-gp-practices.csv: 1 problem, nothing was imported")
    assert "ODS Data Search and Export" in text
    assert "predefined report 'epraccur'" in text and "no header row and 27 columns" in text
    assert (
        "Found: Organisation Code, Name, Status, Primary Role Id, Non Primary Role Id(s), "
        "Postcode, Operational Start Date" in text
    )


def test_a_headerless_file_with_status_words_and_role_codes_is_refused(tmp_path: Path) -> None:
    row = (DATA / "epraccur-2026-09.csv").read_text().splitlines()[0].split(",")
    row[12], row[25] = "Active", "RO76"
    path = tmp_path / "epraccur.csv"
    path.write_text(",".join(row) + "\n")
    with pytest.raises(ImportRejected, match="Data Search and Export") as caught:
        read_ods_practices(path)
    assert "Found: Z99101, THE MILL SURGERY" in str(caught.value)


def test_a_data_search_and_export_workbook_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Organisation Code", "Name", "Status", "Primary Role Id"])
    book.active.append(["Z99101", "THE MILL SURGERY", "Active", "RO177"])
    book.save(tmp_path / "export.xlsx")
    with pytest.raises(ImportRejected, match="predefined report 'epraccur'"):
        read_ods_practices(tmp_path / "export.xlsx")


def test_a_bad_pcn_row_is_set_aside_naming_its_column(tmp_path: Path) -> None:
    path = tmp_path / "pcns.csv"
    path.write_text(
        "Partner Organisation Code,Partner Name,Practice Parent Sub ICB Loc Code,PCN Code,"
        "PCN Name,Practice to PCN Relationship Start Date,Practice to PCN Relationship End Date\n"
        "z99101,MILL,Z9A,u99101,NORTH PCN,01/07/2019,\n"
        "Z99201,BROOK,Z9B,U99201,BROOK PCN,soon,\n"
    )
    pcns = read_pcn_membership(path)
    assert [s.ods_code for s in pcns.spells] == ["Z99101"]
    (bad,) = pcns.skipped
    assert (bad.problem.row, bad.problem.column) == (3, "Practice to PCN Relationship Start Date")
    assert (bad.ods_code, bad.area, bad.pcn) == ("Z99201", "Z9B", "U99201")


def test_the_latest_dates_each_file_records() -> None:
    assert read_pcn_membership(DATA / "ePCN-2026-09.xlsx").latest == date(2026, 7, 1)
    assert read_pcn_membership(DATA / "ePCN-2026-10.xlsx").latest == date(2026, 10, 1)
    # October's ODS file: Z99104 closed on 2026-09-20; every open practice opened in 1974
    assert read_ods_practices(DATA / "epraccur-2026-10.csv").latest == date(2026, 9, 20)
    assert read_ods_practices(DATA / "epraccur-2026-09.csv").latest == date(1974, 4, 1)


READERS = {
    "--sizes": read_list_sizes,
    "--pcns": read_pcn_membership,
    "--practices": read_ods_practices,
}
FILES = {
    "--sizes": "gp-reg-pat-prac-all-2026-09.csv",
    "--pcns": "ePCN-2026-09.xlsx",
    "--practices": "epraccur-2026-09.csv",
}
EXPECTED = {
    "--sizes": "NUMBER_OF_PATIENTS",
    "--pcns": "Partner Organisation Code",
    "--practices": "13 Status code",
}
FOUND = {
    "--sizes": "Found: PUBLICATION, EXTRACT_DATE",
    "--pcns": "Found: Partner Organisation Code, Partner Name",
    "--practices": "Found: no header row; the first row reads Z99101, THE MILL SURGERY",
}


@pytest.mark.parametrize(
    ("option", "given"),
    [(o, g) for o in READERS for g in FILES if o != g],
)
def test_a_file_given_as_another_is_refused_naming_both(option: str, given: str) -> None:
    with pytest.raises(ImportRejected) as caught:
        READERS[option](DATA / FILES[given])
    text = str(caught.value)
    assert "nothing was imported" in text
    assert EXPECTED[option] in text
    assert FOUND[given] in text
    assert f"which goes with {given}" in text


@pytest.mark.parametrize("option", list(READERS))
def test_an_unknown_file_is_refused_naming_what_was_found(option: str) -> None:
    with pytest.raises(ImportRejected) as caught:
        READERS[option](DATA / "not-national.csv")
    assert "Found: Practice, Patients, Notes" in str(caught.value)
    assert EXPECTED[option] in str(caught.value)


def test_codes_file_skips_its_header_and_refuses_bad_lines(tmp_path: Path) -> None:
    assert read_codes(DATA / "codes.txt") == ("Z99101", "Z99102", "Z99107", "Z99108")
    bad = tmp_path / "codes.txt"
    bad.write_text("Z99101\nZ9910\n")
    with pytest.raises(ImportRejected, match="row 2: 'Z9910' is not an ODS code"):
        read_codes(bad)


def test_published_zip_files_are_read_as_they_come(tmp_path: Path) -> None:
    import zipfile

    for name, inner in [("epraccur.zip", "epraccur-2026-09.csv"), ("sizes.zip", FILES["--sizes"])]:
        with zipfile.ZipFile(tmp_path / name, "w") as archive:
            archive.write(DATA / inner, inner)
    register = read_ods_practices(tmp_path / "epraccur.zip")
    assert register.source == "epraccur-2026-09.csv (in epraccur.zip)"
    assert len(register.organisations) == 12
    assert read_list_sizes(tmp_path / "sizes.zip").sizes == SEPTEMBER
    with zipfile.ZipFile(tmp_path / "empty.zip", "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    with pytest.raises(InvalidInput, match="expected one CSV file inside; found none"):
        read_ods_practices(tmp_path / "empty.zip")
