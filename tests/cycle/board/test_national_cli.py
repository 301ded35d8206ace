"""``lpgp practices from-national``: the diff first, --apply to write, clean refusals."""

from __future__ import annotations

from pathlib import Path

from national_files import DATA
from paths import ROOT


def args(name: str, *extra: str) -> list[str]:
    return [
        "practices",
        "from-national",
        "--sizes",
        str(DATA / f"gp-reg-pat-prac-all-{name}.csv"),
        "--pcns",
        str(DATA / f"ePCN-{name}.xlsx"),
        "--practices",
        str(DATA / f"epraccur-{name}.csv"),
        *extra,
    ]


def test_dry_run_shows_the_diff_and_writes_nothing(cli) -> None:
    assert cli("init", "--place", "Fenwick")[0] == 0
    code, out, _ = cli(*args("2026-09", "--sub-icb", "Z9A"))
    assert code == 0, out
    assert "layout Sub-ICB location (SUB_ICB_LOCATION_CODE), extract date 2026-09-01" in out
    assert "sheet 'PCN Core Partner Details'" in out
    assert "Z99107    Dr O'Neil & Partners        added" in out
    assert "Z99106     Willow Lane Surgery no list size suppressed or missing" in out
    assert "Nothing written: run the same command with --apply" in out
    assert "no practices yet" in cli("practices", "list")[1]


def test_apply_then_refresh_with_a_later_month(cli) -> None:
    cli("init", "--place", "Fenwick")
    code, out, _ = cli(*args("2026-09", "--sub-icb", "Z9A", "--apply"))
    assert code == 0, out
    assert "7 practices in the place as of 2026-09-01: added 7, no list size 1, left out 2" in out
    code, out, _ = cli(*args("2026-10", "--sub-icb", "z9a", "--apply"))
    assert code == 0, out
    assert (
        "Z99104       Riverside Surgery    closed            active closed in the ODS file" in out
    )
    assert "Z99102 Hillside Medical Centre list size            11,530" in out
    _, listing, _ = cli("practices", "list", "--all", "--format", "csv")
    assert "Z99104,Riverside Surgery,South Fenwick PCN,3120,2026-09-01,,False" in listing
    assert "Z99109,New Town Practice,Fenwick Vale PCN,2950,2026-10-01,,True" in listing
    code, out, _ = cli(*args("2026-09", "--sub-icb", "Z9A"))
    assert code == 0 and "Warning: these list sizes are from 2026-09-01" in out
    code, _, err = cli(*args("2026-09", "--sub-icb", "Z9A", "--apply"))
    assert code == 1 and "older than the place's (2026-10-01)" in err


def test_selection_by_pcn_and_by_codes_file(cli) -> None:
    cli("init", "--place", "Fenwick")
    code, out, _ = cli(*args("2026-09", "--pcn", "U99101", "--pcn", "U99102"))
    assert code == 0 and "Practices chosen by PCN U99101, U99102" in out
    code, out, _ = cli(*args("2026-09", "--codes", str(DATA / "codes.txt")))
    assert code == 0 and "Practices chosen by 4 listed ODS codes" in out
    assert "Z99108       Old Forge Surgery left out" in out


def test_wrong_file_for_the_option_exits_1_naming_columns(cli) -> None:
    cli("init", "--place", "Fenwick")
    bad = args("2026-09", "--sub-icb", "Z9A", "--apply")
    bad[3], bad[7] = bad[7], bad[3]  # sizes and practices swapped
    code, _, err = cli(*bad)
    assert code == 1
    assert "epraccur-2026-09.csv: 1 problem, nothing was imported" in err
    assert "Expected PUBLICATION, EXTRACT_DATE" in err
    assert "which goes with --practices" in err
    assert "no practices yet" in cli("practices", "list")[1]


def test_no_selection_is_refused(cli) -> None:
    cli("init", "--place", "Fenwick")
    code, _, err = cli(*args("2026-09"))
    assert code == 1 and "choose the place's practices one way" in err


def test_listed_under_practices(cli) -> None:
    code, out, _ = cli("practices", "--help")
    assert code == 0 and "from-national" in out


def test_readme_shows_the_real_monthly_output(cli, tmp_path: Path, monkeypatch) -> None:
    import re
    import shutil

    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- national-refresh-output -->\n```text\n(.*?)```", readme, re.S)
    command = re.search(r"```bash\n(lpgp practices from-national .*?)\n```", readme, re.S)
    assert block and command
    for month, name in (("september", "2026-09"), ("october", "2026-10")):
        folder = tmp_path / month
        folder.mkdir()
        shutil.copy(DATA / f"gp-reg-pat-prac-all-{name}.csv", folder / "gp-reg-pat-prac-all.csv")
        shutil.copy(DATA / f"ePCN-{name}.xlsx", folder / "ePCN.xlsx")
        shutil.copy(DATA / f"epraccur-{name}.csv", folder / "epraccur.csv")
    words = command.group(1).replace("\\\n", " ").split()[1:]
    cli("init", "--place", "Fenwick")
    monkeypatch.chdir(tmp_path / "september")
    assert cli(*words, "--apply")[0] == 0
    monkeypatch.chdir(tmp_path / "october")
    code, out, _ = cli(*words)
    assert code == 0
    assert out == block.group(1)


def test_files_from_different_months_print_a_warning(cli) -> None:
    cli("init", "--place", "Fenwick")
    mixed = args("2026-10", "--sub-icb", "Z9A", "--apply")
    mixed[3] = str(DATA / "gp-reg-pat-prac-all-2026-09.csv")
    code, out, _ = cli(*mixed)
    assert code == 0, out
    assert (
        "Warning: files from different months: the list sizes (gp-reg-pat-prac-all-2026-09.csv) "
        "have extract date 2026-09-01, but ePCN-2026-10.xlsx records a change on 2026-10-01; "
        "use the same month's three files." in out
    )
    assert "Written to Fenwick; list sizes are dated 2026-09-01." in out


def test_bad_rows_outside_the_place_print_warnings(cli) -> None:
    cli("init", "--place", "Fenwick")
    bad = args("2026-10", "--sub-icb", "Z9A")
    bad[3] = str(DATA / "gp-reg-pat-prac-all-2026-10-bad-rows.csv")
    bad[7] = str(DATA / "epraccur-2026-10-bad-rows.csv")
    code, out, _ = cli(*bad)
    assert code == 0, out
    assert "extract date 2026-10-01, 8 practices, 2 bad rows set aside" in out
    assert "Warning: gp-reg-pat-prac-all-2026-10-bad-rows.csv: 2 bad rows for practices" in out
    assert "Warning: epraccur-2026-10-bad-rows.csv: 2 bad rows for practices" in out


def test_a_bad_row_for_the_place_exits_1_naming_file_row_and_column(cli, tmp_path: Path) -> None:
    cli("init", "--place", "Fenwick")
    good = (DATA / "epraccur-2026-10.csv").read_text()
    path = tmp_path / "epraccur.csv"
    path.write_text(good.replace("ZZ99 1AB,19740401,,A,", "ZZ99 1AB,19740401,,Open,"))
    bad = args("2026-10", "--sub-icb", "Z9A", "--apply")
    bad[7] = str(path)
    code, _, err = cli(*bad)
    assert code == 1
    assert "epraccur.csv: 1 problem, nothing was imported" in err
    assert "row 2, column 'Status code': 'Open' is not A, C, D or P (column 13)" in err
    assert "Traceback" not in err
    assert "no practices yet" in cli("practices", "list")[1]


def test_a_data_search_and_export_file_exits_1_saying_what_to_download(cli) -> None:
    cli("init", "--place", "Fenwick")
    dse = args("2026-10", "--sub-icb", "Z9A")
    dse[7] = str(DATA / "dse-gp-practices.csv")
    code, _, err = cli(*dse)
    assert code == 1
    assert "dse-gp-practices.csv: 1 problem, nothing was imported" in err
    assert "Found: Organisation Code, Name, Status, Primary Role Id" in err
    assert "predefined report 'epraccur'" in err
