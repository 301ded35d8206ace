"""Issue 11 acceptance on every backend: build a place from the national files, refresh it
with a later month, and refuse wrong files without writing anything."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from national_files import DATA, month
from sqlalchemy import select

from lpgp import national_refresh
from lpgp.analyst import board as api
from lpgp.cycle.board.national import NationalFilesWarning
from lpgp.errors import ImportRejected, StateError
from lpgp.store import Store
from lpgp.store.schema import AuditRow, PcnRow, PracticeRow

SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)


def day(value: object) -> date | None:
    """A list size's date as a date, whether the frame holds dates or midnight timestamps."""
    return None if pd.isna(value) else pd.Timestamp(value).date()


def rows(store: Store) -> list[tuple]:
    df = api.practices(place="fenwick", store=store)
    cols = ["ods_code", "name", "pcn", "list_size", "list_size_as_of", "active"]
    df = df.assign(list_size_as_of=df.list_size_as_of.map(day))
    df = df[cols].astype(object).where(df[cols].notna(), None)
    return [tuple(r) for r in df.itertuples(index=False)]


def test_builds_the_place_from_the_three_files(fenwick: Store) -> None:
    diff = national_refresh(**month("2026-09"), sub_icb="Z9A", apply=True, store=fenwick)
    assert diff.attrs["extract_date"] == SEP
    assert diff.attrs["sizes_layout"] == "Sub-ICB location (SUB_ICB_LOCATION_CODE)"
    assert rows(fenwick) == [
        ("Z99101", "The Mill Surgery", "North Fenwick PCN", 8214, SEP, True),
        ("Z99102", "Hillside Medical Centre", "North Fenwick PCN", 11530, SEP, True),
        ("Z99103", "St Anne's Health Centre", "South Fenwick PCN", 6402, SEP, True),
        ("Z99104", "Riverside Surgery", "South Fenwick PCN", 3120, SEP, True),
        ("Z99105", "Orchard Practice", "South Fenwick PCN", 14875, SEP, True),
        ("Z99106", "Willow Lane Surgery", "South Fenwick PCN", None, None, True),
        ("Z99107", "Dr O'Neil & Partners", "South Fenwick PCN", 5961, SEP, True),
    ]
    with fenwick.read() as s:
        pcns = {(r.code, r.name) for r in s.scalars(select(PcnRow))}
        postcodes = {r.ods_code: r.postcode for r in s.scalars(select(PracticeRow))}
    assert pcns == {("U99101", "North Fenwick PCN"), ("U99102", "South Fenwick PCN")}
    assert postcodes["Z99101"] == "ZZ99 1AA"
    assert list(diff[diff.change == "no list size"].ods_code) == ["Z99106"]


def test_a_later_month_updates_sizes_and_deactivates_the_closed_practice(fenwick: Store) -> None:
    national_refresh(**month("2026-09"), sub_icb="Z9A", apply=True, store=fenwick)
    diff = national_refresh(**month("2026-10"), sub_icb="Z9A", apply=True, store=fenwick)
    assert sorted(zip(diff.ods_code, diff.change, strict=True)) == [
        ("Z99102", "list size"),
        ("Z99104", "closed"),
        ("Z99105", "list size"),
        ("Z99105", "moved PCN"),
        ("Z99106", "list size"),
        ("Z99108", "left out"),
        ("Z99109", "added"),
    ]
    df = api.practices(place="fenwick", store=fenwick).set_index("ods_code")
    assert len(df) == 8  # nothing deleted
    assert not df.loc["Z99104", "active"]
    assert df.loc["Z99104", "list_size"] == 3120  # its last published size stays
    assert df.loc["Z99102", "list_size"] == 12452
    assert df.loc["Z99106", "list_size"] == 412
    assert df.loc["Z99105", "pcn"] == "Fenwick Vale PCN"
    assert df[df.active].list_size_as_of.map(day).unique().tolist() == [OCT]
    with fenwick.read() as s:
        actions = [r.action for r in s.scalars(select(AuditRow).order_by(AuditRow.id))]
    assert actions.count("practices.national_refresh") == 2
    assert "practice.deactivated" in actions


def test_without_apply_nothing_is_written(fenwick: Store) -> None:
    diff = national_refresh(**month("2026-09"), pcn=["U99101"], store=fenwick)
    assert list(diff[diff.change == "added"].ods_code) == ["Z99101", "Z99102"]
    assert api.practices(place="fenwick", store=fenwick).empty


def test_missing_list_size_is_reported_not_zeroed(fenwick: Store, tmp_path: Path) -> None:
    national_refresh(**month("2026-10"), sub_icb="Z9A", apply=True, store=fenwick)
    october = (DATA / "gp-reg-pat-prac-all-2026-10.csv").read_text(encoding="utf-8-sig")
    november = october.replace("2026-10-01", "2026-11-01").replace(",ALL,ALL,412", ",ALL,ALL,")
    files = {**month("2026-10"), "sizes": tmp_path / "gp-reg-pat-prac-all.csv"}
    files["sizes"].write_text(november)
    diff = national_refresh(**files, sub_icb="Z9A", apply=True, store=fenwick)
    assert diff[diff.change == "no list size"].ods_code.tolist() == ["Z99106"]
    assert diff[diff.change == "no list size"].after_text.tolist() == ["kept 412 from 2026-10-01"]
    df = api.practices(place="fenwick", store=fenwick).set_index("ods_code")
    assert df.loc["Z99106", "list_size"] == 412
    assert day(df.loc["Z99106", "list_size_as_of"]) == OCT
    assert day(df.loc["Z99101", "list_size_as_of"]) == date(2026, 11, 1)


def test_older_files_than_the_place_are_shown_but_not_applied(fenwick: Store) -> None:
    national_refresh(**month("2026-10"), sub_icb="Z9A", apply=True, store=fenwick)
    before = rows(fenwick)
    diff = national_refresh(**month("2026-09"), sub_icb="Z9A", store=fenwick)
    assert "older than the place's (2026-10-01)" in diff.attrs["warning"]
    with pytest.raises(StateError, match="use the latest month's files"):
        national_refresh(**month("2026-09"), sub_icb="Z9A", apply=True, store=fenwick)
    assert rows(fenwick) == before


@pytest.mark.parametrize(
    ("swap", "expected"),
    [
        ({"sizes": "practices"}, "Expected PUBLICATION, EXTRACT_DATE"),
        ({"pcns": "sizes"}, "Expected the 'PCN Core Partner Details' sheet"),
        ({"practices": "pcns"}, "Expected no header row; 27 columns"),
    ],
)
def test_wrong_files_are_refused_and_nothing_is_written(
    fenwick: Store, swap: dict[str, str], expected: str
) -> None:
    national_refresh(**month("2026-09"), sub_icb="Z9A", apply=True, store=fenwick)
    before = rows(fenwick)
    files = month("2026-10")
    for option, other in swap.items():
        files[option] = files[other]
    with pytest.raises(ImportRejected) as caught:
        national_refresh(**files, sub_icb="Z9A", apply=True, store=fenwick)
    assert expected in str(caught.value) and "Found: " in str(caught.value)
    assert rows(fenwick) == before


def test_the_diff_has_list_sizes_as_numbers(fenwick: Store) -> None:
    national_refresh(**month("2026-09"), sub_icb="Z9A", apply=True, store=fenwick)
    diff = national_refresh(**month("2026-10"), sub_icb="Z9A", store=fenwick)
    assert str(diff.list_size_before.dtype) == "Int64" == str(diff.list_size_after.dtype)
    sizes = diff[diff.change == "list size"].set_index("ods_code")
    assert sizes.list_size_before.to_dict() == {"Z99102": 11530, "Z99105": 14875, "Z99106": None}
    assert sizes.list_size_after.to_dict() == {"Z99102": 12452, "Z99105": 14020, "Z99106": 412}
    assert sizes.before_text.to_dict()["Z99102"] == "11,530"


def test_a_practice_with_two_prescribing_settings_is_kept(fenwick: Store) -> None:
    national_refresh(**month("2026-09"), sub_icb="Z9A", apply=True, store=fenwick)
    files = {**month("2026-10"), "practices": DATA / "epraccur-2026-10-two-settings.csv"}
    diff = national_refresh(**files, sub_icb="Z9A", apply=True, store=fenwick)
    assert "Z99103" not in set(diff.ods_code)
    df = api.practices(place="fenwick", store=fenwick).set_index("ods_code")
    assert df.loc["Z99103", "active"]
    assert df.loc["Z99103", "list_size"] == 6380


def test_bad_rows_outside_the_place_are_warnings_and_the_rest_applies(fenwick: Store) -> None:
    national_refresh(**month("2026-09"), sub_icb="Z9A", apply=True, store=fenwick)
    files = {
        **month("2026-10"),
        "sizes": DATA / "gp-reg-pat-prac-all-2026-10-bad-rows.csv",
        "practices": DATA / "epraccur-2026-10-bad-rows.csv",
    }
    with pytest.warns(NationalFilesWarning) as caught:
        diff = national_refresh(**files, sub_icb="Z9A", apply=True, store=fenwick)
    shown = [str(w.message) for w in caught]
    assert shown == diff.attrs["warnings"]
    assert "row 9, column 'NUMBER_OF_PATIENTS': '7,7l2' is not a number" in shown[0]
    assert "row 12, column 'Status code': 'X' is not A, C, D or P" in shown[1]
    df = api.practices(place="fenwick", store=fenwick).set_index("ods_code")
    assert df.loc["Z99102", "list_size"] == 12452
    assert not df.loc["Z99104", "active"]


def test_a_bad_row_for_the_place_refuses_and_writes_nothing(fenwick: Store, tmp_path: Path) -> None:
    national_refresh(**month("2026-09"), sub_icb="Z9A", apply=True, store=fenwick)
    before = rows(fenwick)
    october = (DATA / "gp-reg-pat-prac-all-2026-10.csv").read_text(encoding="utf-8-sig")
    files = {**month("2026-10"), "sizes": tmp_path / "gp-reg-pat-prac-all.csv"}
    files["sizes"].write_text(october.replace(",ALL,ALL,12452", ",ALL,ALL,12 452"))
    with pytest.raises(ImportRejected) as caught:
        national_refresh(**files, sub_icb="Z9A", apply=True, store=fenwick)
    assert str(caught.value) == (
        "gp-reg-pat-prac-all.csv: 1 problem, nothing was imported\n"
        "  row 3, column 'NUMBER_OF_PATIENTS': '12 452' is not a number"
    )
    assert rows(fenwick) == before


def test_files_from_different_months_apply_with_a_warning(fenwick: Store) -> None:
    files = {**month("2026-10"), "sizes": DATA / "gp-reg-pat-prac-all-2026-09.csv"}
    with pytest.warns(NationalFilesWarning, match="extract date 2026-09-01, but ePCN-2026-10"):
        diff = national_refresh(**files, sub_icb="Z9A", apply=True, store=fenwick)
    assert "records a change on 2026-10-01" in diff.attrs["warnings"][0]
    df = api.practices(place="fenwick", store=fenwick).set_index("ods_code")
    assert day(df.loc["Z99101", "list_size_as_of"]) == SEP
