"""From the store to files on disk, through the library and the CLI, read back independently."""

from __future__ import annotations

import base64
import csv
from pathlib import Path

import pytest
from docx import Document
from icalendar import Calendar
from markdown_it import MarkdownIt
from openpyxl import load_workbook

import lpgp
from cycle.exports.readers import Page, pdf_text, png_size, squash, svg_fills, svg_texts
from cycle.exports.samples import FORMULA, NASTY, PLAIN
from cycle.exports.store_data import TODAY, build, closed_vote
from lpgp import clock
from lpgp.cycle.agendas.meeting import list_meetings
from lpgp.cycle.board.place import get_place
from lpgp.store import Store


@pytest.fixture
def filled(file_store_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LPGP_NOW", TODAY)
    store = Store(file_store_url)
    build(store)
    closed_vote(store)
    yield store
    store.dispose()


@pytest.mark.slow  # every export of a filled store
def test_export_all_writes_every_file_and_each_reads_back(filled, tmp_path: Path):
    out = tmp_path / "exports"
    written = lpgp.export_all(out, store=filled)
    names = sorted(str(p.relative_to(out)) for p in written)
    assert len(names) == 19  # two meetings, each pack in Word, HTML and PDF
    assert (out / "priority-summary-practices-chart.png").read_bytes()[:4] == b"\x89PNG"
    assert "action-log.xlsx" in names and "invites/2027-28-priorities.ics" in names

    html = Page((out / "priority-summary-practices.html").read_text("utf-8"))
    assert NASTY in html.text and html.all("script") == []
    assert squash(NASTY) in pdf_text(out / "priority-summary-place-board.pdf")
    assert "Practices 5 6 83%" in html.text
    assert "Approval voting" in html.text and len(html.all("img")) == 1
    doc = Document(str(out / "priority-summary-practices.docx"))
    assert f"1. {NASTY}" in [p.text for p in doc.paragraphs]
    assert "Practices approving" in doc.inline_shapes[0]._inline.docPr.get("descr")
    assert "\\<script\\>" in (out / "priority-summary-practices.md").read_text("utf-8")

    book = load_workbook(out / "action-log.xlsx")
    assert book.sheetnames[0] == "All actions" and len(book.sheetnames) == 3
    cell = book["All actions"]["B3"]
    assert cell.value == FORMULA and cell.data_type == "s"
    with (out / "action-log.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][1] == "'" + FORMULA

    pack = Document(str(out / "agendas" / "2027-01-11-leadership-board.docx"))
    assert [c.text for c in pack.tables[0].rows[1].cells][:2] == ["10:00–11:00", f"1. {NASTY}"]
    agenda_html = Page((out / "agendas" / "2027-01-11-leadership-board.html").read_text("utf-8"))
    assert "4 Jan 2027: Half the leases mapped" in agenda_html.text
    agenda_pdf = pdf_text(out / "agendas" / "2027-01-11-leadership-board.pdf")
    assert "4 Jan 2027: Half the leases mapped" in agenda_pdf

    whole = Calendar.from_ical((out / "invites" / "2027-28-priorities.ics").read_bytes())
    assert [str(e["SUMMARY"]) for e in whole.walk("VEVENT")] == [
        "Leadership board",
        "Place-based partnership board",
    ]
    one = Calendar.from_ical((out / "invites" / "2027-01-11-leadership-board.ics").read_bytes())
    (event,) = one.walk("VEVENT")
    with filled.read() as s:
        stored = {m.title: m.uid for m in list_meetings(s, get_place(s, None))}
    assert str(event["UID"]) == stored["Leadership board"]
    assert [str(e["UID"]) for e in whole.walk("VEVENT")] == [
        stored["Leadership board"],
        stored["Place-based partnership board"],
    ]
    assert PLAIN not in str(event["DESCRIPTION"]) and NASTY in str(event["DESCRIPTION"])


@pytest.mark.slow  # every export of a filled store
def test_the_summary_chart_shows_the_count_in_every_format(filled, tmp_path: Path):
    """The result chart, looked at: its size, its alt text and what it plots, against the
    ballots cast by hand (store_data.closed_vote: NASTY 5 approvals and chosen, PLAIN 4 and
    chosen, "Frailty pathway" 1)."""
    out = tmp_path / "exports"
    lpgp.export_all(out, store=filled)
    counted = [(NASTY, 5, True), (PLAIN, 4, True), ("Frailty pathway", 1, False)]
    alt = (
        "Bar chart of the vote result (Practices approving). "
        + "; ".join(f"{title}: {n}{' (chosen)' if chosen else ''}" for title, n, chosen in counted)
        + "."
    )

    # PNG (Word, Markdown): 8 x (1.2 + 0.45 per bar) inches at 150 dpi.
    png = (out / "priority-summary-practices-chart.png").read_bytes()
    assert png_size(png) == (1200, int((1.2 + 0.45 * 3) * 150))
    markdown = (out / "priority-summary-practices.md").read_text("utf-8")
    image = Page(MarkdownIt("commonmark").render(markdown)).all("img")[0]
    assert image["src"] == "priority-summary-practices-chart.png" and image["alt"] == alt

    # SVG (HTML, PDF): the numbers and names it draws, bottom bar first.
    html = Page((out / "priority-summary-practices.html").read_text("utf-8"))
    (image,) = html.all("img")
    assert image["alt"] == alt
    svg = base64.b64decode(image["src"].removeprefix("data:image/svg+xml;base64,"))
    texts = svg_texts(svg)
    assert texts[-3:] == ["1", "4", "5"]  # each bar's count at its end
    names = texts[-6:-3]
    assert names[:2] == ["Frailty pathway", PLAIN]
    assert names[2].endswith("…") and NASTY.startswith(names[2][:-1].rstrip())  # cut, not lost
    assert "Practices approving" in texts and texts[:6] == ["0", "1", "2", "3", "4", "5"]
    fills = svg_fills(svg)  # the bars, bottom first: the two chosen in NHS blue
    assert len(fills) == 3 and fills[1:] == ["#005eb8"] * 2 and fills[0] != "#005eb8"

    # Word: the same PNG with the same alt text, not stretched.
    doc = Document(str(out / "priority-summary-practices.docx"))
    (shape,) = doc.inline_shapes
    assert shape._inline.docPr.get("descr") == alt
    embedded = doc.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed]
    assert embedded.blob == png
    assert abs(shape.width / shape.height - 1200 / png_size(png)[1]) < 0.01


def test_cli_exports_default_to_the_current_cycle_and_next_meeting(
    cli, file_store_url: str, tmp_path: Path
):
    with clock.frozen(TODAY):
        build(Store(file_store_url))
    target = tmp_path / "agenda.html"
    code, out, err = cli("export", "agenda", "--format", "html", "--out", str(target))
    assert code == 0, err
    assert "Leadership board" in Page(target.read_text("utf-8")).text
    code, out, _ = cli("export", "invites", "--out", str(tmp_path / "next.ics"))
    assert code == 0 and "next.ics" in out
    (event,) = Calendar.from_ical((tmp_path / "next.ics").read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Leadership board"
    code, _, _ = cli("export", "actions", "-f", "csv", "-o", str(tmp_path / "a.csv"))
    assert code == 0 and (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_cli_refuses_an_unknown_format_with_a_clear_message(cli, tmp_path: Path):
    code, _, err = cli("export", "summary", "--format", "txt", "--out", str(tmp_path / "s.txt"))
    assert code == 1
    assert "cannot write a summary as 'txt': use one of html, pdf, docx, md" in err


def test_invites_for_the_whole_cycle_in_one_file_and_clear_refusals(filled, tmp_path: Path):
    (path,) = lpgp.export_invites(tmp_path / "all.ics", meeting="all", store=filled)
    assert len(Calendar.from_ical(path.read_bytes()).walk("VEVENT")) == 2
    with pytest.raises(lpgp.InvalidInput, match="'soon' is not a meeting"):
        lpgp.export_invites(tmp_path / "x.ics", meeting="soon", store=filled)
    with pytest.raises(lpgp.InvalidInput, match="cannot write invites as 'txt'"):
        lpgp.export_invites(tmp_path / "x.txt", store=filled)
    with pytest.raises(lpgp.InvalidInput, match="'everyone' is not an audience"):
        lpgp.export_summary(tmp_path / "s.html", audience="everyone", store=filled)
    assert not any(tmp_path.glob("x.*")) and not (tmp_path / "s.html").exists()
