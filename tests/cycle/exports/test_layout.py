"""How the demo's documents lay out, read back by their own readers: on paper a priority's
table stays on the page of its heading and the turnout tables are not cut from their captions;
on a phone the agenda pack reads without sideways scrolling, and its video link is a link."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from system_tools import need_chromium, need_program

import lpgp
from cycle.exports.readers import Page
from lpgp.demo import load_demo
from lpgp.store import Store

pytestmark = pytest.mark.slow  # builds the demo place and renders a PDF
NOW = "2026-11-23T09:00:00"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Path]:
    folder = tmp_path_factory.mktemp("layout")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LPGP_NOW", NOW)
        store = Store(f"sqlite:///{folder / 'demo.sqlite'}")
        load_demo(store)
        lpgp.export_summary(folder / "summary.pdf", store=store)
        meetings = lpgp.meetings(store=store)
        for row in meetings.itertuples():
            lpgp.export_agenda(folder / f"agenda-{row.id}.html", meeting=int(row.id), store=store)
        yield store, folder
        store.dispose()


def _pages(pdf: Path) -> list[str]:
    """Each page's text, as poppler's pdftotext reads it (pages end with a form feed)."""
    pdftotext = need_program("pdftotext", "poppler-utils")
    out = subprocess.run([pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True)
    return [" ".join(page.split()) for page in out.stdout.decode("utf-8").split("\f")]


def _page_of(pages: list[str], text: str) -> int:
    found = [n for n, page in enumerate(pages) if text in page]
    assert found, text
    return found[0]


def test_each_priority_table_is_on_the_page_of_its_heading(demo) -> None:
    store, folder = demo
    pages = _pages(folder / "summary.pdf")
    for p in lpgp.priorities(store=store).itertuples():
        heading = _page_of(pages, f"{p.position}. {p.title} Lead {p.lead}")  # not "At a glance"
        # The table's last row names the measure of success.
        assert _page_of(pages, " ".join(p.measure.split())) == heading, p.title


def test_turnout_by_pcn_stays_with_its_caption(demo) -> None:
    _, folder = demo
    pages = _pages(folder / "summary.pdf")
    caption = _page_of(pages, "Turnout by primary care network (PCN)")
    after = pages[caption].split("Turnout by primary care network (PCN)", 1)[1]
    assert "PCN" in after.replace("Practices voted", "")  # its rows follow on the same page


@pytest.mark.browser
def test_the_agenda_pack_fits_a_phone_and_links_its_video_call(demo) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    _, folder = demo
    packs = sorted(folder.glob("agenda-*.html"))
    assert len(packs) == 2
    linked = [
        a["href"]
        for path in packs
        for tag, a in Page(path.read_text("utf-8")).tags
        if tag == "a" and a.get("href", "").startswith("https://")
    ]
    assert linked == ["https://meet.example/haverbrook-gp-board"]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(need_chromium()), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 360, "height": 740})
        for path in packs:
            page.set_content(path.read_text("utf-8"))
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, path.name
        browser.close()
