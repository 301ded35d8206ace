"""The action log as a workbook and as CSV, read back by openpyxl and the csv module."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lpgp.export import actionlog

from .samples import ACTIONS, FORMULA, NASTY, PLAIN, action_log


@pytest.fixture
def workbook(tmp_path: Path):
    path = tmp_path / "actions.xlsx"
    path.write_bytes(actionlog.render_xlsx(action_log()))
    return load_workbook(path)


def test_one_sheet_for_all_actions_then_one_per_priority(workbook):
    assert workbook.sheetnames[0] == "All actions"
    assert len(workbook.sheetnames) == 3
    assert workbook.sheetnames[2] == f"2 {PLAIN}"[:31]
    assert workbook.worksheets[0].max_row == 1 + len(ACTIONS)
    assert workbook.worksheets[1].max_row == 3 and workbook.worksheets[2].max_row == 3


def test_header_is_frozen_filtered_and_columns_have_widths(workbook):
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:H{sheet.max_row}"
        assert [c.value for c in sheet[1]][:4] == ["Priority", "Action", "Owner", "Due"]
        assert sheet.column_dimensions["B"].width > sheet.column_dimensions["D"].width > 8


def test_dates_are_real_dates_and_rag_cells_are_coloured(workbook):
    sheet = workbook["All actions"]
    due = sheet["D2"]
    assert isinstance(due.value, datetime) and due.value.date() == ACTIONS[0].due
    assert due.is_date
    fills = {sheet[f"F{r}"].value: sheet[f"F{r}"].fill.fgColor.rgb for r in range(2, 6)}
    assert fills["Green"].endswith("C6EFCE")
    assert fills["Red"].endswith("FFC7CE")
    assert fills["Amber"].endswith("FFEB9C")
    assert fills["Complete"].endswith("DDE7F5")


def test_formula_looking_text_is_a_string_cell_unchanged(workbook):
    sheet = workbook["All actions"]
    cells = {c.coordinate: c for row in sheet.iter_rows(min_row=2) for c in row}
    assert cells["A2"].value == NASTY and cells["A2"].data_type == "s"
    assert cells["B3"].value == "+44 numbers list" and cells["B3"].data_type == "s"
    assert cells["C3"].value == FORMULA and cells["C3"].data_type == "s"
    assert cells["H3"].value == "\tStarted late"
    assert cells["B4"].value == "@hub rota" and cells["B4"].data_type == "s"
    assert cells["H4"].value == "-2 staff short\tthis month"
    assert cells["B5"].value == "\rOpen the second hub"
    assert not any(c.data_type == "f" for c in cells.values())


def test_csv_has_a_bom_and_defuses_formulas():
    raw = actionlog.render_csv(action_log())
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][:3] == ["Priority", "Action", "Owner"]
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
