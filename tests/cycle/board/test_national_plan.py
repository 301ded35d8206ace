"""The pure refresh planner: which practices, which PCN, which size, and the diff."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from national_files import DATA

from lpgp.cycle.board.national_files import (
    ListSizes,
    Membership,
    OdsPractice,
    OdsPractices,
    PcnMembership,
    read_list_sizes,
    read_ods_practices,
    read_pcn_membership,
)
from lpgp.cycle.board.national_rules import Selection, plan_national, tidy_name
from lpgp.errors import ImportRejected, InvalidInput
from lpgp.model import Practice

SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)


def files(month: str):
    return (
        read_list_sizes(DATA / f"gp-reg-pat-prac-all-{month}.csv"),
        read_pcn_membership(DATA / f"ePCN-{month}.xlsx"),
        read_ods_practices(DATA / f"epraccur-{month}.csv"),
    )


def changes(plan) -> set[tuple[str, str]]:
    return {(f.ods_code, f.change) for f in plan.findings}


def test_september_by_sub_icb() -> None:
    plan = plan_national(*files("2026-09"), Selection.of(sub_icbs=["z9a"]))
    got = {
        (p.ods_code, p.name, p.pcn, p.pcn_code, p.list_size, p.list_size_as_of)
        for p in plan.incoming
    }
    assert got == {
        ("Z99101", "The Mill Surgery", "North Fenwick PCN", "U99101", 8214, SEP),
        ("Z99102", "Hillside Medical Centre", "North Fenwick PCN", "U99101", 11530, SEP),
        ("Z99103", "St Anne's Health Centre", "South Fenwick PCN", "U99102", 6402, SEP),
        ("Z99104", "Riverside Surgery", "South Fenwick PCN", "U99102", 3120, SEP),
        ("Z99105", "Orchard Practice", "South Fenwick PCN", "U99102", 14875, SEP),
        ("Z99106", "Willow Lane Surgery", "South Fenwick PCN", "U99102", None, None),
        ("Z99107", "Dr O'Neil & Partners", "South Fenwick PCN", "U99102", 5961, SEP),
    }
    assert plan.deactivate == ()
    assert ("Z99106", "no list size") in changes(plan)
    left_out = {f.ods_code: f.after for f in plan.of_kind("left out")}
    assert left_out == {
        "Z99108": "dormant in the ODS file",
        "Z99109": "proposed in the ODS file, not open yet",
    }
    assert "Y99901" not in {f.ods_code for f in plan.findings}


def test_by_pcn_and_by_codes() -> None:
    by_pcn = plan_national(*files("2026-09"), Selection.of(pcns=["U99101"]))
    assert [p.ods_code for p in by_pcn.incoming] == ["Z99101", "Z99102"]
    by_codes = plan_national(*files("2026-09"), Selection.of(codes=["Z99107", "Y99901", "Z99155"]))
    assert [p.ods_code for p in by_codes.incoming] == ["Z99107"]
    assert {f.ods_code: f.after for f in by_codes.of_kind("left out")} == {
        "Y99901": "not a GP practice (prescribing setting 1)",
        "Z99155": "not in the ODS GP practices file",
    }
    with pytest.raises(InvalidInput, match="'Y9990' is not an ODS code"):
        Selection.of(codes=["Y9990"])


def as_practices(plan) -> list[Practice]:
    return [
        Practice(i, 1, p.ods_code, p.name, p.pcn, p.list_size, p.list_size_as_of, None)
        for i, p in enumerate(plan.incoming, start=1)
    ]


def test_october_against_september() -> None:
    september = plan_national(*files("2026-09"), Selection.of(sub_icbs=["Z9A"]))
    names = {"U99101": "North Fenwick PCN", "U99102": "South Fenwick PCN"}
    plan = plan_national(
        *files("2026-10"), Selection.of(sub_icbs=["Z9A"]), as_practices(september), names
    )
    assert [(f.ods_code, f.change, f.before, f.after) for f in plan.findings] == [
        ("Z99109", "added", "", "Fenwick Vale PCN, list size 2,950"),
        ("Z99104", "closed", "active", "closed in the ODS file on 2026-09-20"),
        ("Z99105", "moved PCN", "South Fenwick PCN", "Fenwick Vale PCN"),
        ("Z99102", "list size", "11,530", "12,452 (+8.0%)"),
        ("Z99105", "list size", "14,875", "14,020 (-5.7%)"),
        ("Z99106", "list size", "none", "412"),
        ("Z99108", "left out", "", "dormant in the ODS file"),
    ]
    assert plan.deactivate == ("Z99104",)
    assert plan.sizes_updated == 6
    assert {p.list_size_as_of for p in plan.incoming} == {OCT}
    assert "Z99104" not in {p.ods_code for p in plan.incoming}


def one_practice_world(size: int | None, status: str = "A") -> tuple:
    sizes = ListSizes("s", "x", OCT, {"Z99001": size}, {"Z99001": "Z9A"}, {})
    pcns = PcnMembership("p", "x", (Membership("Z99001", "U99001", "NORTH PCN", None, None),))
    org = OdsPractice("Z99001", "MILL SURGERY", None, status, "Z9A", 4)
    return sizes, pcns, OdsPractices("o", {"Z99001": org})


def existing(size: int | None = 1000, active: bool = True, name: str = "Mill Surgery"):
    return [Practice(1, 1, "Z99001", name, "North", size, SEP, None, active)]


@pytest.mark.parametrize(
    ("size", "reported"), [(1050, False), (950, False), (1051, True), (949, True)]
)
def test_size_changes_over_five_percent_are_listed(size: int, reported: bool) -> None:
    plan = plan_national(
        *one_practice_world(size), Selection.of(sub_icbs=["Z9A"]), existing(), {"U99001": "North"}
    )
    assert bool(plan.of_kind("list size")) is reported
    assert plan.sizes_updated == 1


def test_missing_size_keeps_the_old_one_and_says_so() -> None:
    plan = plan_national(
        *one_practice_world(None), Selection.of(sub_icbs=["Z9A"]), existing(), {"U99001": "North"}
    )
    (finding,) = plan.findings
    assert (finding.change, finding.after) == ("no list size", "kept 1,000 from 2026-09-01")
    assert plan.incoming[0].list_size is None


def test_names_are_kept_when_only_case_differs_and_reopening_is_reported() -> None:
    plan = plan_national(
        *one_practice_world(1000),
        Selection.of(sub_icbs=["Z9A"]),
        existing(active=False, name="Mill surgery"),
        {"U99001": "North"},
    )
    assert changes(plan) == {("Z99001", "reopened")}
    assert plan.incoming[0].name == "Mill surgery"
    renamed = plan_national(
        *one_practice_world(1000), Selection.of(sub_icbs=["Z9A"]), existing(name="Mill Lane")
    )
    assert ("Z99001", "renamed") in changes(renamed)
    assert ("Z99001", "moved PCN") in changes(renamed)  # no name for U99001 given: ODS name


def test_open_practice_outside_the_selection_is_kept_and_reported() -> None:
    plan = plan_national(*one_practice_world(1000), Selection.of(sub_icbs=["Z9B"]), existing())
    assert plan.deactivate == () and plan.incoming == ()
    assert changes(plan) == {("Z99001", "outside selection")}


@pytest.mark.parametrize("status", ["C", "D"])
def test_closed_or_dormant_practice_in_the_place_is_deactivated(status: str) -> None:
    plan = plan_national(
        *one_practice_world(1000, status), Selection.of(sub_icbs=["Z9A"]), existing()
    )
    assert plan.deactivate == ("Z99001",)


def test_one_kind_of_selection_only() -> None:
    with pytest.raises(InvalidInput, match="one way"):
        Selection.of(sub_icbs=["Z9A"], pcns=["U99001"])
    with pytest.raises(InvalidInput, match="one way"):
        Selection.of()


@pytest.mark.parametrize(
    ("published", "shown"),
    [
        ("ST ANNE'S HEALTH CENTRE", "St Anne's Health Centre"),
        ("NHS WALK-IN CENTRE AT THE PARK", "NHS Walk-In Centre at the Park"),
        ("Already Styled Surgery", "Already Styled Surgery"),
    ],
)
def test_tidy_names(published: str, shown: str) -> None:
    assert tidy_name(published) == shown


def test_docstring_examples_run() -> None:
    import doctest

    from lpgp.cycle.board import national_files as national
    from lpgp.cycle.board import national_rules as national_plan

    for module in (national, national_plan):
        assert doctest.testmod(module).failed == 0


codes = st.sampled_from([f"Z990{i:02d}" for i in range(1, 9)])


@settings(max_examples=60, deadline=None)
@given(
    orgs=st.dictionaries(
        codes, st.tuples(st.sampled_from("ACDP"), st.sampled_from(["Z9A", "Z9B"]))
    ),
    place=st.dictionaries(codes, st.booleans()),
    sizes=st.dictionaries(codes, st.one_of(st.none(), st.integers(1, 40000))),
)
def test_plan_invariants(orgs: dict, place: dict, sizes: dict) -> None:
    register = OdsPractices(
        "o", {c: OdsPractice(c, f"PRACTICE {c}", None, s, a, 4) for c, (s, a) in orgs.items()}
    )
    sized = ListSizes("s", "x", OCT, sizes, {}, {})
    spells = tuple(Membership(c, "U99001", "NORTH PCN", None, None) for c in orgs)
    known = [
        Practice(i, 1, c, f"Practice {c}", None, 1000, SEP, None, active)
        for i, (c, active) in enumerate(place.items(), start=1)
    ]
    plan = plan_national(
        sized, PcnMembership("p", "x", spells), register, Selection.of(sub_icbs=["Z9A"]), known
    )
    incoming = {p.ods_code for p in plan.incoming}
    assert incoming == {c for c, (s, a) in orgs.items() if s == "A" and a == "Z9A"}
    assert not incoming & set(plan.deactivate)
    for code in plan.deactivate:  # only practices of the place that are gone or closed
        assert place.get(code) is True
        assert code not in orgs or orgs[code][0] in "CD"
    assert all(p.list_size != 0 for p in plan.incoming)
    reported = {f.ods_code for f in plan.findings}
    assert {c for c, active in place.items() if active} - incoming <= reported
    assert {f.ods_code for f in plan.of_kind("no list size")} == {
        c for c in incoming if sizes.get(c) is None
    }


def test_bad_rows_outside_the_place_become_warnings() -> None:
    plan = plan_national(
        read_list_sizes(DATA / "gp-reg-pat-prac-all-2026-10-bad-rows.csv"),
        read_pcn_membership(DATA / "ePCN-2026-10.xlsx"),
        read_ods_practices(DATA / "epraccur-2026-10-bad-rows.csv"),
        Selection.of(sub_icbs=["Z9A"]),
    )
    assert len(plan.incoming) == 7
    assert plan.warnings == (
        "gp-reg-pat-prac-all-2026-10-bad-rows.csv: 2 bad rows for practices outside the place "
        "set aside (row 9, column 'NUMBER_OF_PATIENTS': '7,7l2' is not a number; row 11, "
        "column 'CODE': 'Z992O3' is not an ODS code (a letter and five digits, e.g. Z99001))",
        "epraccur-2026-10-bad-rows.csv: 2 bad rows for practices outside the place set aside "
        "(row 11, column 'Prescribing setting': prescribing setting 'walk-in' is not a number "
        "(or numbers joined by |) (column 26); row 12, column 'Status code': 'X' is not A, C, "
        "D or P (column 13))",
    )
    assert plan.warning is None


@pytest.mark.parametrize(
    "selection",
    [Selection.of(sub_icbs=["Z9B"]), Selection.of(pcns=["U99201"]), Selection.of(codes=["Z99202"])],
    ids=["sub-icb", "pcn", "codes"],
)
def test_bad_rows_for_the_place_refuse_the_files(selection: Selection) -> None:
    with pytest.raises(ImportRejected) as caught:
        plan_national(
            read_list_sizes(DATA / "gp-reg-pat-prac-all-2026-10-bad-rows.csv"),
            read_pcn_membership(DATA / "ePCN-2026-10.xlsx"),
            read_ods_practices(DATA / "epraccur-2026-10-bad-rows.csv"),
            selection,
        )
    text = str(caught.value)
    assert text.startswith("gp-reg-pat-prac-all-2026-10-bad-rows.csv: ")
    assert "nothing was imported" in text
    assert (
        "also epraccur-2026-10-bad-rows.csv, row 12, column 'Status code': 'X' is not A, C, D "
        "or P" in text
    )


def test_a_bad_row_for_a_practice_already_in_the_place_refuses() -> None:
    """Z99201 is in the place although the selection (Z9A) no longer chooses it."""
    in_place = [Practice(1, 1, "Z99201", "Brook End Surgery", "Brook PCN", 7700, SEP, None)]
    with pytest.raises(ImportRejected, match="row 9, column 'NUMBER_OF_PATIENTS'"):
        plan_national(
            read_list_sizes(DATA / "gp-reg-pat-prac-all-2026-10-bad-rows.csv"),
            *files("2026-10")[1:],
            Selection.of(sub_icbs=["Z9A"]),
            in_place,
        )


@pytest.mark.parametrize(
    ("line", "refused"),
    [
        ("GP_PRAC_PAT_LIST,2026-10-01,GP,Z9A,E38999901,Z991O8,ZZ99 1AA,ALL,ALL,10\n", True),
        ("GP_PRAC_PAT_LIST,2026-10-01,GP,,,Z991O8,ZZ99 1AA,ALL,ALL,10\n", True),
        ("GP_PRAC_PAT_LIST,2026-10-01,GP,Z9C,E38999903,Z991O8,ZZ99 1AA,ALL,ALL,10\n", False),
    ],
    ids=["names-the-place", "names-nothing", "names-elsewhere"],
)
def test_a_row_whose_code_cannot_be_read_is_placed_by_its_area(
    tmp_path: Path, line: str, refused: bool
) -> None:
    path = tmp_path / "sizes.csv"
    path.write_text(
        (DATA / "gp-reg-pat-prac-all-2026-10.csv").read_text(encoding="utf-8-sig").strip()
        + "\n"
        + line
    )
    args = (read_list_sizes(path), *files("2026-10")[1:], Selection.of(pcns=["U99101"]))
    if refused:
        with pytest.raises(ImportRejected, match="row 11, column 'CODE': 'Z991O8'"):
            plan_national(*args)
    else:
        assert "row 11, column 'CODE'" in plan_national(*args).warnings[0]


def test_files_from_different_months_are_combined_with_a_warning() -> None:
    september_sizes = read_list_sizes(DATA / "gp-reg-pat-prac-all-2026-09.csv")
    plan = plan_national(september_sizes, *files("2026-10")[1:], Selection.of(sub_icbs=["Z9A"]))
    assert plan.warnings == (
        "files from different months: the list sizes (gp-reg-pat-prac-all-2026-09.csv) have "
        "extract date 2026-09-01, but ePCN-2026-10.xlsx records a change on 2026-10-01; use "
        "the same month's three files",
    )
    assert plan.warning is None  # a warning only: the plan can be applied
    assert {p.list_size_as_of for p in plan.incoming} == {SEP, None}
    assert plan_national(*files("2026-10"), Selection.of(sub_icbs=["Z9A"])).warnings == ()


def test_the_diff_for_analysis_has_list_sizes_as_numbers() -> None:
    september = plan_national(*files("2026-09"), Selection.of(sub_icbs=["Z9A"]))
    names = {"U99101": "North Fenwick PCN", "U99102": "South Fenwick PCN"}
    plan = plan_national(
        *files("2026-10"), Selection.of(sub_icbs=["Z9A"]), as_practices(september), names
    )
    diff = plan.diff()
    assert list(diff.columns) == [
        "ods_code",
        "name",
        "change",
        "list_size_before",
        "list_size_after",
        "before_text",
        "after_text",
    ]
    assert str(diff.list_size_before.dtype) == str(diff.list_size_after.dtype) == "Int64"
    rows = diff.set_index(["ods_code", "change"])
    assert rows.loc[("Z99102", "list size"), "list_size_before"] == 11530
    assert rows.loc[("Z99102", "list size"), "list_size_after"] == 12452
    assert rows.loc[("Z99102", "list size"), "after_text"] == "12,452 (+8.0%)"
    assert rows.loc[("Z99109", "added"), "list_size_after"] == 2950
    assert pd.isna(rows.loc[("Z99109", "added"), "list_size_before"])
    assert rows.loc[("Z99104", "closed"), "list_size_before"] == 3120
    assert pd.isna(rows.loc[("Z99104", "closed"), "list_size_after"])
    assert pd.isna(rows.loc[("Z99106", "list size"), "list_size_before"])
    assert rows.loc[("Z99106", "list size"), "list_size_after"] == 412


def test_a_practice_with_two_settings_in_the_place_stays() -> None:
    september = plan_national(*files("2026-09"), Selection.of(sub_icbs=["Z9A"]))
    plan = plan_national(
        read_list_sizes(DATA / "gp-reg-pat-prac-all-2026-10.csv"),
        read_pcn_membership(DATA / "ePCN-2026-10.xlsx"),
        read_ods_practices(DATA / "epraccur-2026-10-two-settings.csv"),
        Selection.of(sub_icbs=["Z9A"]),
        as_practices(september),
    )
    assert "Z99103" in {p.ods_code for p in plan.incoming}
    assert plan.deactivate == ("Z99104",)
    assert not [f for f in plan.findings if f.ods_code == "Z99103"]
