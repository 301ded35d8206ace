"""The in-memory exports a browser downloads: the same files as on disk, with names that say
the place, the cycle and the date, and MIME types a browser saves them by."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from icalendar import Calendar
from openpyxl import load_workbook

import lpgp
from cycle.exports.readers import Page, pdf_text, squash
from cycle.exports.samples import FORMULA, NASTY, PLAIN
from cycle.exports.store_data import TODAY, build, closed_vote
from lpgp.analyst import exports as api
from lpgp.store import Store


@pytest.fixture
def filled(file_store_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LPGP_NOW", TODAY)
    store = Store(file_store_url)
    build(store)
    closed_vote(store)
    yield store
    store.dispose()


def test_summary_in_every_format_for_each_audience(filled, tmp_path: Path):
    pdf = api.summary_file("pdf", audience="place_board", store=filled)
    assert pdf.name == "testshire-2027-28-priorities-priority-summary-place-board-2027-01-04.pdf"
    assert pdf.mime == "application/pdf" and not pdf.text
    (tmp_path / pdf.name).write_bytes(pdf.data)
    assert squash(NASTY) in pdf_text(tmp_path / pdf.name)

    word = api.summary_file("docx", store=filled)
    assert word.name.endswith("-priority-summary-practices-2027-01-04.docx")
    assert word.mime.endswith("wordprocessingml.document")
    assert f"1. {NASTY}" in [p.text for p in Document(io.BytesIO(word.data)).paragraphs]

    page = api.summary_file("html", store=filled)
    assert page.mime == "text/html" and page.text
    html = Page(page.data.decode("utf-8"))
    assert NASTY in html.text and html.all("script") == []
    on_disk = lpgp.export_summary(tmp_path / "s.html", store=filled).read_text("utf-8")
    assert html.text == Page(on_disk).text

    md = api.summary_file("md", store=filled)
    text = md.data.decode("utf-8")
    assert md.mime == "text/markdown" and "\\<script\\>" in text
    assert "![" not in text and "| Candidate |" in text  # the results table, no chart to lose


def test_action_log_as_workbook_and_csv(filled):
    book = api.actions_file("xlsx", store=filled)
    assert book.name == "testshire-2027-28-priorities-action-log-2027-01-04.xlsx"
    assert book.mime.endswith("spreadsheetml.sheet")
    cell = load_workbook(io.BytesIO(book.data))["All actions"]["B3"]
    assert cell.value == FORMULA and cell.data_type == "s"
    table = api.actions_file("csv", store=filled)
    assert table.mime == "text/csv" and table.name.endswith("action-log-2027-01-04.csv")
    rows = list(csv.reader(io.StringIO(table.data.decode("utf-8-sig"))))
    assert rows[1][1] == "'" + FORMULA


def test_agenda_pack_named_by_its_meeting(filled):
    ids = build_ids(filled)
    pack = api.agenda_file(ids["board"], "docx", store=filled)
    assert pack.name == "testshire-2027-28-priorities-agenda-leadership-board-2027-01-11.docx"
    doc = Document(io.BytesIO(pack.data))
    assert [c.text for c in doc.tables[0].rows[1].cells][:2] == ["10:00–11:00", f"1. {NASTY}"]
    page = api.agenda_file(ids["board"], "html", store=filled)
    assert "4 Jan 2027: Half the leases mapped" in Page(page.data.decode("utf-8")).text
    assert api.agenda_file(store=filled).name == pack.name  # the next meeting by default


def test_invites_for_one_meeting_or_the_whole_cycle(filled):
    ids = build_ids(filled)
    whole = api.invites_file(store=filled)
    assert whole.name == "testshire-2027-28-priorities-meetings-2027-01-04.ics"
    assert whole.mime == "text/calendar"
    calendar = Calendar.from_ical(whole.data)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [
        "Leadership board",
        "Place-based partnership board",
    ]
    assert str(calendar["X-WR-CALNAME"]) == "Testshire: 2027/28 priorities"
    one = api.invites_file(ids["later"], store=filled)
    assert one.name == (
        "testshire-2027-28-priorities-invite-place-based-partnership-board-2027-05-10.ics"
    )
    (event,) = Calendar.from_ical(one.data).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Place-based partnership board"
    assert PLAIN not in str(event.get("DESCRIPTION", ""))
    (event,) = Calendar.from_ical(api.invites_file("next", store=filled).data).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Leadership board"


def test_refusals_name_what_was_wrong(filled):
    with pytest.raises(lpgp.InvalidInput, match="cannot write a summary as 'txt'"):
        api.summary_file("txt", store=filled)
    with pytest.raises(lpgp.InvalidInput, match="'everyone' is not an audience"):
        api.summary_file("html", audience="everyone", store=filled)
    with pytest.raises(lpgp.InvalidInput, match="cannot write the action log as 'pdf'"):
        api.actions_file("pdf", store=filled)
    with pytest.raises(lpgp.InvalidInput, match="'soon' is not a meeting"):
        api.invites_file("soon", store=filled)
    with pytest.raises(lpgp.NotFound):
        api.agenda_file(999, store=filled)


def test_a_title_with_no_letters_still_gives_a_file_name():
    assert api.file_name("x", "!!!", "action-log", date(2027, 1, 4), "csv") == (
        "x-cycle-action-log-2027-01-04.csv"
    )


def build_ids(store: Store) -> dict[str, int]:
    """The two meetings :func:`build` adds, by their titles."""
    from lpgp.cycle.agendas.meeting import list_meetings
    from lpgp.cycle.board.place import get_place

    with store.read() as s:
        found = {m.title: m.id for m in list_meetings(s, get_place(s, None))}
    return {"board": found["Leadership board"], "later": found["Place-based partnership board"]}
