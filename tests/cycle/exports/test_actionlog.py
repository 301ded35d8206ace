"""The action log as a workbook and as CSV, read back by openpyxl and the csv module."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cycle.exports.samples import ACTIONS, FORMULA, NASTY, PLAIN, action_log
from lpgp.cycle.exports import actionlog


@pytest.fixture
def workbook(tmp_path: Path):
    path = tmp_path / "actions.xlsx"
    path.write_bytes(actionlog.render_xlsx(action_log()))
    return load_workbook(path)


def test_one_sheet_for_all_actions_then_one_per_priority(workbook):
    assert workbook.sheetnames[0] == "All actions"
    assert len(workbook.sheetnames) == 3
    assert workbook.sheetnames[2] == f"2 {PLAIN}"[:31]
    assert workbook.worksheets[0].max_row == 2 + len(ACTIONS)  # the as-at line, the header
    assert workbook.worksheets[1].max_row == 4 and workbook.worksheets[2].max_row == 4


def test_header_is_frozen_filtered_and_columns_have_widths(workbook):
    for sheet in workbook.worksheets:
        assert (
            sheet["A1"].value == "Haverbrook: 2027/28 priorities – action log as at 4 January 2027"
        )
        assert sheet.freeze_panes == "A3"
        assert sheet.auto_filter.ref == f"A2:K{sheet.max_row}"
        assert [c.value for c in sheet[2]][:4] == ["Priority", "Action", "Owner", "Due"]
        assert [c.value for c in sheet[2]][8:] == ["Overdue", "Why this RAG", "Action id"]
        assert sheet.column_dimensions["B"].width > sheet.column_dimensions["D"].width > 8


def test_dates_are_real_dates_and_rag_cells_are_coloured(workbook):
    sheet = workbook["All actions"]
    due = sheet["D3"]
    assert isinstance(due.value, datetime) and due.value.date() == ACTIONS[0].due
    assert due.is_date
    fills = {sheet[f"F{r}"].value: sheet[f"F{r}"].fill.fgColor.rgb for r in range(3, 7)}
    assert fills["Green"].endswith("C6EFCE")
    assert fills["Red"].endswith("FFC7CE")
    assert fills["Amber"].endswith("FFEB9C")
    assert fills["Complete"].endswith("DDE7F5")


def test_formula_looking_text_is_a_string_cell_unchanged(workbook):
    sheet = workbook["All actions"]
    cells = {c.coordinate: c for row in sheet.iter_rows(min_row=3) for c in row}
    assert cells["A3"].value == NASTY and cells["A3"].data_type == "s"
    assert cells["B4"].value == "+44 numbers list" and cells["B4"].data_type == "s"
    assert cells["C4"].value == FORMULA and cells["C4"].data_type == "s"
    assert cells["H4"].value == "\tStarted late"
    assert cells["B5"].value == "@hub rota" and cells["B5"].data_type == "s"
    assert cells["H5"].value == "-2 staff short\tthis month"
    assert cells["B6"].value == "\rOpen the second hub"
    assert not any(c.data_type == "f" for c in cells.values())


def test_csv_has_a_bom_and_defuses_formulas():
    raw = actionlog.render_csv(action_log())
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][:3] == ["Priority", "Action", "Owner"]
    assert rows[0][-4:] == ["Overdue", "Why this RAG", "Action id", "As at"]
    assert {r[-1] for r in rows[1:]} == {"2027-01-04"}  # every row says the day it is as at
    assert rows[1][0] == NASTY
    assert rows[2][2] == "'" + FORMULA and rows[2][7] == "'\tStarted late"
    assert rows[1][3] == "2027-02-01"
    assert rows[2][1] == "'+44 numbers list"
    assert rows[3][1] == "'@hub rota" and rows[3][7] == "'-2 staff short\tthis month"
    assert rows[4][1] == "'\rOpen the second hub"
    assert rows[4][3] == ""
    assert rows[3][0] == PLAIN


def test_sheet_names_are_excel_safe_and_unique():
    names = actionlog.sheet_names(["a/b:c", "a/b:c", "x" * 40, "[]"])
    assert names == ["1 a b c", "2 a b c", "3 " + "x" * 29, "4"]


def test_an_overdue_row_says_why_its_rag_differs_from_its_status(tmp_path: Path):
    from datetime import date

    from lpgp.cycle.exports.model import ActionLog, ActionLogRow

    late = ActionLogRow(
        "Hub", "Draft the rules", "Sam", date(2027, 1, 1), "On track", "Red", None, None,
        overdue=True, rag_reason="Red: past its due date, whatever its status says", id=12,
    )  # fmt: skip
    path = tmp_path / "late.xlsx"
    path.write_bytes(actionlog.render_xlsx(ActionLog("P", "C", date(2027, 1, 4), (late,))))
    row = [c.value for c in load_workbook(path)["All actions"][3]]
    assert row[4:6] == ["On track", "Red"]
    assert row[8:] == ["Yes", "Red: past its due date, whatever its status says", 12]
