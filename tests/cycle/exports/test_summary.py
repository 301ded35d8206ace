"""The priority summary in every format, opened by a reader that is not lpgp."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from markdown_it import MarkdownIt
from pypdf import PdfReader

from cycle.exports.readers import Page, pdf_text, squash
from cycle.exports.samples import NASTY, PLAIN, summary_doc
from lpgp.cycle.exports import summary
from lpgp.cycle.exports.model import Audience


def test_html_is_accessible_and_keeps_hostile_text_as_text():
    page = Page(summary.render_html(summary_doc()))
    assert page.all("html")[0]["lang"] == "en-GB"
    assert len(page.all("h1")) == 1 and len(page.all("h2")) >= 2
    assert page.all("script") == []
    assert NASTY in page.text
    assert all(th.get("scope") in ("col", "row") for th in page.all("th"))
    images = page.all("img")
    assert len(images) == 1
    assert images[0]["src"].startswith("data:image/svg+xml;base64,")
    assert "Practices approving" in images[0]["alt"] and "31 (chosen)" in images[0]["alt"]
    assert "33 41 80%" in page.text  # 33 of 41 practices voted: 80.5%
    assert "Haverbrook North PCN 6 7 86%" in page.text


def test_place_board_summary_leaves_out_the_candidate_list():
    practices = Page(summary.render_html(summary_doc(Audience.PRACTICES))).text
    board = Page(summary.render_html(summary_doc(Audience.PLACE_BOARD))).text
    assert "More GPs" in practices and "More GPs" not in board
    assert "place-based partnership" in board


def test_markdown_renders_to_the_same_text_without_markup():
    md = summary.render_markdown(summary_doc(), chart_name="summary-chart.png")
    html = MarkdownIt("commonmark").enable("table").render(md)
    page = Page(html)
    assert page.all("script") == []
    assert NASTY in page.text
    assert PLAIN in page.text
    image = page.all("img")[0]
    assert image["src"] == "summary-chart.png" and "31 (chosen)" in image["alt"]
    assert [h for h in page.all("h1")] and len(page.all("h2")) >= 2


def test_word_document_has_headings_tables_and_chart_alt_text(tmp_path: Path):
    path = tmp_path / "summary.docx"
    path.write_bytes(summary.render_docx(summary_doc()))
    doc = Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert f"1. {NASTY}" in headings
    assert "How they were chosen" in headings
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Dr Amara Okafor" in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert NASTY in cells and "80%" in cells
    assert doc.tables[0].rows[0].cells[0].text == "Candidate"
    alts = [s._inline.docPr.get("descr") for s in doc.inline_shapes]
    assert len(alts) == 1 and "Practices approving" in alts[0]
    assert doc.core_properties.language == "en-GB"


def test_pdf_is_tagged_and_its_text_reads_back(tmp_path: Path):
    path = tmp_path / "summary.pdf"
    path.write_bytes(summary.render_pdf(summary_doc()))
    text = pdf_text(path)
    assert squash(NASTY) in text
    assert "Haverbrook North PCN" in text
    root = PdfReader(str(path)).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"


@pytest.mark.parametrize("render", [summary.render_html, summary.render_docx])
def test_a_summary_before_the_vote_says_so(render):
    doc = summary_doc()
    empty = type(doc)(doc.place, doc.cycle, doc.audience, doc.produced_on)
    out = render(empty)
    assert out  # renders without a vote, priorities or candidates


def test_an_open_vote_says_when_it_closes_in_every_format(tmp_path: Path):
    from dataclasses import replace

    doc = summary_doc()
    live = replace(
        doc,
        vote=replace(doc.vote, results=(), tie_breaks=(), open_until="17:00 on Sat 28 Nov 2026"),
    )
    wanted = "Voting is open until 17:00 on Sat 28 Nov 2026."
    assert wanted in Page(summary.render_html(live)).text
    assert wanted in summary.render_markdown(live).replace("**", "")
    path = tmp_path / "live.docx"
    path.write_bytes(summary.render_docx(live))
    assert any(p.text.startswith(wanted) for p in Document(str(path)).paragraphs)
    assert Page(summary.render_html(live)).all("img") == []
