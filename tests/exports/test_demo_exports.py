"""The demo place's exports: what `make exports` writes, read back and checked for content."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from icalendar import Calendar
from openpyxl import load_workbook

import lpgp
from lpgp.demo import load_demo
from lpgp.store import Store

from .readers import Page

pytestmark = pytest.mark.slow  # builds the whole demo place and every export once


@pytest.fixture(scope="module")
def demo_exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LPGP_NOW", "2026-11-23T09:00:00")
        store = Store(f"sqlite:///{folder / 'demo.sqlite'}")
        load_demo(store)
        lpgp.export_all(folder / "out", store=store)
        store.dispose()
    return folder / "out"


def test_demo_summary_lists_the_agreed_priorities_and_the_open_vote(demo_exports: Path):
    page = Page((demo_exports / "priority-summary-practices.html").read_text("utf-8"))
    assert len(page.all("h3")) >= 5
    assert "Voting is open until" in page.text
    assert "Where the ask stands" in page.text


def test_demo_action_log_has_a_sheet_per_priority_and_every_action(demo_exports: Path):
    book = load_workbook(demo_exports / "action-log.xlsx")
    assert book.sheetnames[0] == "All actions" and len(book.sheetnames) == 6
    sheet = book["All actions"]
    assert sheet.max_row - 1 >= 15
    rags = {sheet[f"F{r}"].value for r in range(2, sheet.max_row + 1)}
    assert {"Red", "Green", "Complete"} <= rags


def test_demo_agendas_and_invites_cover_both_meetings(demo_exports: Path):
    packs = sorted((demo_exports / "agendas").glob("*.docx"))
    assert len(packs) == 2
    texts = ["\n".join(p.text for p in Document(str(path)).paragraphs) for path in packs]
    assert any("That is below 80%." in t for t in texts)
    whole = Calendar.from_ical((demo_exports / "invites" / "2027-28-priorities.ics").read_bytes())
    events = whole.walk("VEVENT")
    assert len(events) == 2 and len({str(e["UID"]) for e in events}) == 2
    assert all("Agenda" in str(e["DESCRIPTION"]) for e in events)
