"""List-size history: every refresh and import that sets a list size records it (one figure per
practice and date, with its source) in the same transaction; refused input records nothing.

Known answers are the list sizes written into the fixtures (tests/data/national and the rows
below), read here as literals.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from national_files import DATA, month

from lpgp import national_refresh
from lpgp.analyst.list_sizes import list_sizes
from lpgp.cycle.board import place as places
from lpgp.cycle.board.practice import import_practices, list_size_history
from lpgp.cycle.board.practice_list import read_practices
from lpgp.cycle.board.practice_rules import PracticeInput
from lpgp.errors import ImportRejected, StateError
from lpgp.store import Store

SEP, OCT, NOV = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)


def history(store: Store, place: str = "fenwick") -> list[tuple]:
    with store.read() as s:
        records = list_size_history(s, places.get_place(s, place))
    return [(r.ods_code, r.as_of, r.list_size, r.source) for r in records]


def test_two_monthly_refreshes_leave_a_row_per_practice_and_month(fenwick: Store) -> None:
    national_refresh(**month("2026-09"), sub_icb="Z9A", apply=True, store=fenwick)
    national_refresh(**month("2026-10"), sub_icb="Z9A", apply=True, store=fenwick)
    assert history(fenwick) == [
        ("Z99101", SEP, 8214, "national"),
        ("Z99101", OCT, 8290, "national"),
        ("Z99102", SEP, 11530, "national"),
        ("Z99102", OCT, 12452, "national"),
        ("Z99103", SEP, 6402, "national"),
        ("Z99103", OCT, 6380, "national"),
        ("Z99104", SEP, 3120, "national"),  # closed before October: no October figure
        ("Z99105", SEP, 14875, "national"),
        ("Z99105", OCT, 14020, "national"),
        ("Z99106", OCT, 412, "national"),  # suppressed in September: never a zero
        ("Z99107", SEP, 5961, "national"),
        ("Z99107", OCT, 5990, "national"),
        ("Z99109", OCT, 2950, "national"),  # opened in October
    ]


def test_the_same_month_twice_keeps_one_row_and_a_later_source_replaces_it(
    fenwick: Store,
) -> None:
    national_refresh(**month("2026-10"), sub_icb="Z9A", apply=True, store=fenwick)
    national_refresh(**month("2026-10"), sub_icb="Z9A", apply=True, store=fenwick)
    assert len(history(fenwick)) == 7

    def corrected(s):
        where = places.get_place(s, "fenwick")
        item = PracticeInput("Z99101", "The Mill Surgery", "North Fenwick PCN", 8300, OCT)
        return import_practices(s, where, [item], deactivate_missing=False)

    fenwick.write(corrected)
    rows = history(fenwick)
    assert len(rows) == 7
    assert rows[0] == ("Z99101", OCT, 8300, "import")


def test_an_import_records_its_list_sizes(fenwick: Store, tmp_path: Path) -> None:
    path = tmp_path / "practices.csv"
    path.write_text(
        "ODS code,Practice name,PCN,List size,List size date\n"
        "Z99001,Mill Lane,North PCN,5120,01/09/2026\n"
        "Z99002,Hill Top,North PCN,,\n"
        'Z99003,Brook,North PCN,"7,200",\n'
    )
    incoming = read_practices(path, as_of=OCT)
    fenwick.write(
        lambda s: import_practices(s, places.get_place(s, "fenwick"), incoming, source="x.csv")
    )
    assert history(fenwick) == [
        ("Z99001", SEP, 5120, "import"),
        ("Z99003", OCT, 7200, "import"),
    ]


def test_a_size_without_a_date_is_recorded_as_of_today(fenwick: Store) -> None:
    from lpgp import clock

    item = PracticeInput("Z99001", "Mill Lane", list_size=4000)
    with clock.frozen("2026-11-01T09:00:00"):
        fenwick.write(lambda s: import_practices(s, places.get_place(s, "fenwick"), [item]))
    assert history(fenwick) == [("Z99001", NOV, 4000, "import")]


def test_refused_input_records_nothing(fenwick: Store, tmp_path: Path) -> None:
    national_refresh(**month("2026-10"), sub_icb="Z9A", apply=True, store=fenwick)
    before = history(fenwick)
    # a practice list with one bad row
    path = tmp_path / "practices.csv"
    path.write_text("ODS code,Name,List size\nZ99101,Mill,9000\nZ99102,Hill,lots\n")
    with pytest.raises(ImportRejected):
        read_practices(path, as_of=NOV)
    # national files with a bad row for one of the place's practices
    october = (DATA / "gp-reg-pat-prac-all-2026-10.csv").read_text(encoding="utf-8-sig")
    november = tmp_path / "gp-reg-pat-prac-all.csv"
    november.write_text(october.replace("2026-10-01", "2026-11-01").replace(",12452", ",12 452"))
    with pytest.raises(ImportRejected, match="row 3, column 'NUMBER_OF_PATIENTS'"):
        national_refresh(
            **{**month("2026-10"), "sizes": november}, sub_icb="Z9A", apply=True, store=fenwick
        )
    # older files than the place's
    with pytest.raises(StateError):
        national_refresh(**month("2026-09"), sub_icb="Z9A", apply=True, store=fenwick)
    # a dry run, and a refresh without --apply
    item = PracticeInput("Z99101", "The Mill Surgery", list_size=1, list_size_as_of=NOV)
    fenwick.write(
        lambda s: import_practices(s, places.get_place(s, "fenwick"), [item], dry_run=True)
    )
    national_refresh(
        **{**month("2026-10"), "sizes": DATA / "gp-reg-pat-prac-all-2026-10.csv"},
        sub_icb="Z9A",
        store=fenwick,
    )
    assert history(fenwick) == before


def test_each_place_sees_only_its_own_history(fenwick: Store) -> None:
    fenwick.write(lambda s: places.create_place(s, "Brook"))
    national_refresh(**month("2026-10"), sub_icb="Z9A", apply=True, place="fenwick", store=fenwick)
    national_refresh(**month("2026-10"), sub_icb="Z9B", apply=True, place="brook", store=fenwick)
    assert [r[0] for r in history(fenwick, "brook")] == ["Z99201", "Z99202"]
    assert "Z99201" not in [r[0] for r in history(fenwick, "fenwick")]


def test_the_analyst_frame(fenwick: Store) -> None:
    empty = list_sizes(place="fenwick", store=fenwick)
    expected = {
        "ods_code": "string",
        "practice": "string",
        "as_of": "datetime64[ns]",
        "list_size": "Int64",
        "source": "string",
        "recorded_at": "datetime64[ns, UTC]",
    }
    assert empty.empty
    assert {c: str(t) for c, t in empty.dtypes.items()} == expected
    national_refresh(**month("2026-09"), sub_icb="Z9A", apply=True, store=fenwick)
    national_refresh(**month("2026-10"), sub_icb="Z9A", apply=True, store=fenwick)
    df = list_sizes(place="fenwick", store=fenwick)
    assert {c: str(t) for c, t in df.dtypes.items()} == expected
    assert len(df) == 13
    mill = df[df.ods_code == "Z99102"]
    assert mill.practice.tolist() == ["Hillside Medical Centre"] * 2
    assert mill.as_of.tolist() == [pd.Timestamp(SEP), pd.Timestamp(OCT)]
    assert mill.list_size.tolist() == [11530, 12452]
    assert set(df.source) == {"national"}
    assert df.recorded_at.notna().all()
    wide = df.pivot(index="ods_code", columns="as_of", values="list_size")
    assert wide.loc["Z99106"].isna().tolist() == [True, False]


def test_the_cli_import_records_history(cli, file_store_url: str, tmp_path: Path) -> None:
    cli("init", "--place", "Fenwick")
    path = tmp_path / "practices.csv"
    path.write_text("ODS code,Practice name,List size\nZ99001,Mill Lane,5120\n")
    code, out, _ = cli("practices", "import", str(path), "--as-of", "2026-10-01")
    assert code == 0, out
    df = list_sizes(store=file_store_url)
    assert df[["ods_code", "list_size", "source"]].values.tolist() == [["Z99001", 5120, "import"]]
    assert df.as_of.tolist() == [pd.Timestamp(OCT)]
