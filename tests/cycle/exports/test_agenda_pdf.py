"""The agenda pack as a PDF, from the renderer, the library and the command line, read back by
pypdf and poppler's pdftotext: what it says, the place and cycle on it, tags for screen
readers, and no item's heading left at the foot of a page without its table."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

import lpgp
from cycle.exports.readers import pdf_text
from cycle.exports.samples import NASTY
from cycle.exports.samples import agenda_pack as sample_pack
from cycle.exports.store_data import TODAY, build
from lpgp import clock
from lpgp.analyst import exports as api
from lpgp.cycle.exports import agenda_pack
from lpgp.cycle.exports.model import ActionLogRow, AgendaEntry, AgendaPack, Meeting
from lpgp.store import Store

ITEMS = 12  # enough items for the papers to run over several A4 pages


def _pages(pdf: bytes, tmp_path: Path) -> list[str]:
    """Each page's text as pdftotext reads it (pages end with a form feed)."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: make system-deps installs poppler-utils")
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return [" ".join(page.split()) for page in out.stdout.decode("utf-8").split("\f")]


def long_pack(actions_each: int) -> AgendaPack:
    """Twelve ten-minute items, each with ``actions_each`` actions whose notes run to two lines."""

    def row(item: int, n: int) -> ActionLogRow:
        return ActionLogRow(
            f"Priority {item}",
            f"Action {item}.{n}: " + "agree the plan with every practice " * 2,
            "Owen Hale",
            date(2027, 2, 1),
            "On track",
            "Green",
            date(2027, 1, 2),
            f"Update {item}.{n}: " + "the work is moving on as planned " * 3,
        )

    items = tuple(
        AgendaEntry(
            f"Paper {item}",
            10,
            "Innovation, change and improvement",
            True,
            "Dr Ada Lee",
            f"Priority {item}",
            tuple(row(item, n) for n in range(actions_each)),
            ask_status="Not yet taken to the place-based partnership board.",
        )
        for item in range(1, ITEMS + 1)
    )
    start = datetime(2027, 1, 11, 10, tzinfo=UTC)
    meeting = Meeting("1", "Leadership board", "leadership", start, 120, items=items)
    return AgendaPack("Haverbrook", "2027/28 priorities", meeting, date(2027, 1, 4))


def test_the_pdf_says_what_the_html_says_with_place_and_cycle(tmp_path: Path):
    data = agenda_pack.render_pdf(sample_pack())
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == f"Leadership board: {NASTY} – agenda pack"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged, for screen readers
    pages = _pages(data, tmp_path)
    first = pages[0]
    assert "Haverbrook · 2027/28 priorities" in first
    assert "Monday 11 January 2027, 10:00 to 12:00" in first
    text = " ".join(pages)
    assert "11:35–12:00 3. Contract updates 25" in text
    assert "95 of 120 minutes (79%) go to innovation, change and improvement." in text
    assert "2 Jan 2027: Half the leases mapped" in text
    assert "<script>" in text  # the title comes through as text, never as markup
    assert f"Page 1 of {len(reader.pages)}" in first


@pytest.mark.parametrize("actions_each", [1, 3, 5])
def test_no_item_heading_is_cut_from_its_table(actions_each: int, tmp_path: Path):
    pages = _pages(agenda_pack.render_pdf(long_pack(actions_each)), tmp_path)
    assert len([p for p in pages if p]) > 2  # the papers really do run over pages

    def page_of(text: str) -> int:
        found = [n for n, page in enumerate(pages) if text in page]
        assert found, text
        return found[0]

    for item in range(1, ITEMS + 1):
        heading = page_of(f"{item}. Paper {item} Priority: Priority {item}")
        assert page_of(f"Action {item}.0:") == heading, (actions_each, item)


@pytest.fixture
def built(file_store_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LPGP_NOW", TODAY)
    store = Store(file_store_url)
    with clock.frozen(TODAY):
        build(store)
    yield store
    store.dispose()


def test_library_and_in_memory_pdf(built, tmp_path: Path):
    path = lpgp.export_agenda(tmp_path / "agenda.pdf", store=built)  # format from the suffix
    text = pdf_text(path)
    assert "Testshire · 2027/28 priorities" in text and "Leadership board" in text
    made = api.agenda_file(fmt="pdf", store=built)
    assert made.mime == "application/pdf" and made.data[:5] == b"%PDF-"
    assert made.name == "testshire-2027-28-priorities-agenda-leadership-board-2027-01-11.pdf"
    assert PdfReader(io.BytesIO(made.data)).pages[0].extract_text().count("Leadership board")


def test_cli_writes_the_pdf_and_refuses_a_format_it_cannot(cli, file_store_url, tmp_path: Path):
    with clock.frozen(TODAY):
        build(Store(file_store_url))
    target = tmp_path / "pack.pdf"
    code, out, err = cli("export", "agenda", "--format", "pdf", "--out", str(target))
    assert code == 0, err
    assert f"Wrote {target}" in out
    text = pdf_text(target)
    assert "Testshire · 2027/28 priorities" in text and "Contract updates" in text
    bad = tmp_path / "pack.rtf"
    code, _, err = cli("export", "agenda", "--format", "rtf", "--out", str(bad))
    assert code == 1
    assert "cannot write an agenda pack as 'rtf': use one of docx, html, pdf" in err
    assert sorted(p.name for p in tmp_path.glob("pack*")) == ["pack.pdf"]
