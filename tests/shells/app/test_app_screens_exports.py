"""Step 8 in Debian's Chromium against a real ``lpgp serve``: the chair makes the priority
summary, the action log, an agenda pack and the meeting invites on the Exports screen and the
browser saves each one; every file is opened by its own reader and checked for the demo
place's real content. A bad input (no meeting chosen) names the field and offers no file; a
double click makes one file; nothing is written to the server's disk or the store. axe-core
checks each state, and 1366x768 screenshots go to artifacts/screenshots."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from system_tools import need_chromium, need_program

from lpgp.cycle.agendas.meeting import list_meetings
from lpgp.cycle.agreed.priority import list_priorities
from lpgp.cycle.board import place as places
from lpgp.store.schema import AuditRow
from shells.app.conftest import SCREENSHOTS, Server, start_server
from shells.app.conftest import with_store as _with_store
from shells.app.test_app_browser import ARGS, CHROMIUM, accessible, sign_in, watch_csp

pytestmark = [pytest.mark.slow, pytest.mark.browser]
playwright = pytest.importorskip("playwright.sync_api")
APP = "/voila/render/app.ipynb#exports"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(tmp_path_factory.mktemp("serve"), pool_size=1)


@pytest.fixture(scope="module")
def demo(server: Server) -> dict[str, Any]:
    """What the demo place's files should hold: its priorities and meetings."""

    def work(session) -> dict[str, Any]:
        place = places.get_place(session, "haverbrook")
        return {
            "name": place.name,
            "priorities": [p.title for p in list_priorities(session, place)],
            "meetings": [(m.title, m.starts_local) for m in list_meetings(session, place)],
        }

    return _with_store(server, work)


@pytest.fixture(scope="module")
def page(server: Server) -> Iterator:
    """One signed-in tab for the whole module, on the app's one kernel."""
    need_chromium()  # or skip (fail in CI)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        context = browser.new_context(
            viewport={"width": 1366, "height": 768}, accept_downloads=True
        )
        tab = context.new_page()
        tab.set_default_timeout(90_000)
        dialogs: list[str] = []
        downloads: list[str] = []
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        tab.on("download", lambda d: downloads.append(d.suggested_filename))
        tab.dialogs = dialogs
        tab.downloads = downloads
        watch_csp(tab)
        sign_in(tab, server, "facilitator")
        tab.goto(f"{server.url}{APP}")
        tab.get_by_role("heading", name="Priority summary").wait_for()
        yield tab
        context.close()
        browser.close()


# Every message the status area shows from now on, in order, kept in window.lpgpStatuses
# (a double click that made two files would say its "ready" twice).
KEEP_STATUSES = """() => {
  window.lpgpStatuses = [];
  const seen = () => {
    const now = [...document.querySelectorAll('.lpgp-status')].map(e => e.innerText.trim());
    for (const text of now) {
      if (text && window.lpgpStatuses[window.lpgpStatuses.length - 1] !== text) {
        window.lpgpStatuses.push(text);
      }
    }
  };
  new MutationObserver(seen).observe(document.body, {
    childList: true, subtree: true, characterData: true,
  });
}"""


def stored(server: Server) -> int:
    """Rows in the audit log: an export must not add one."""
    return _with_store(server, lambda s: s.scalar(select(func.count(AuditRow.id))))


def said(page, text: str) -> str:
    panel = page.locator(".lpgp-status--ok", has_text=text)
    panel.wait_for()
    return panel.inner_text()


def refused(page, text: str) -> str:
    alert = page.locator(".lpgp-status--error", has_text=text)
    alert.wait_for()
    return alert.inner_text()


def button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def download(page, name: str) -> tuple[str, bytes]:
    """Click the download link called ``name``; the file's suggested name and bytes."""
    with page.expect_download() as waiting:
        page.get_by_role("link", name=name).click()
    saved = waiting.value
    assert saved.failure() is None
    return saved.suggested_filename, Path(saved.path()).read_bytes()


def options(select) -> list[str]:
    """A dropdown's options as the chair reads them (ipywidgets keeps spaces with &nbsp;)."""
    return [t.replace("\xa0", " ") for t in select.locator("option").all_inner_texts()]


def shown(select) -> str:
    """The option a dropdown shows."""
    return select.evaluate("s => s.options[s.selectedIndex].text").replace("\xa0", " ")


def pick(select, text: str) -> None:
    """Choose the dropdown's option that reads ``text`` (or contains it)."""
    select.select_option(index=next(i for i, t in enumerate(options(select)) if text in t))


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def pdf_text(data: bytes, tmp: Path) -> str:
    pdftotext = need_program("pdftotext", "poppler-utils")
    path = tmp / "summary.pdf"
    path.write_bytes(data)
    out = subprocess.run([pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True)
    return " ".join(out.stdout.decode("utf-8").split())


def test_the_screen_says_what_it_makes_and_what_stays_in_the_command_line(page) -> None:
    for heading in (
        "Action log",
        "Agenda pack",
        "Meeting invites",
        "What stays in the command line",
    ):
        page.get_by_role("heading", name=heading).wait_for()
    text = page.inner_text(".lpgp-screen")
    for command in ("lpgp practices from-national", "lpgp backup", "lpgp db upgrade"):
        assert command in text
    assert "_" not in text.replace("lpgp_", "")  # no snake_case reaches the chair
    assert options(page.get_by_label("Audience")) == [
        "Practices",
        "The place-based partnership board",
    ]
    screenshot(page, "exports-screen")
    accessible(page, "exports-screen")


def test_summary_pdf_for_practices(page, server: Server, demo, tmp_path: Path) -> None:
    before = stored(server)
    pick(page.get_by_label("Format").first, "PDF")
    button(page, "Make the priority summary").click()
    said(page, "The priority summary is ready")
    name, data = download(page, "Download the priority summary (PDF)")
    assert name.startswith("haverbrook-") and "-priority-summary-practices-" in name
    assert name.endswith(".pdf") and data[:5] == b"%PDF-"
    text = pdf_text(data, tmp_path)
    assert demo["name"] in text
    assert " ".join(demo["priorities"][0].split()) in text
    # The place board's version: the file offered changes with the audience.
    pick(page.get_by_label("Audience"), "The place-based partnership board")
    page.get_by_role("link", name="Download the priority summary (PDF)").wait_for(state="detached")
    button(page, "Make the priority summary").click()
    page.locator(".lpgp-download", has_text="priority summary").wait_for()
    link = page.get_by_role("link", name="Download the priority summary (PDF)")
    assert "-priority-summary-place-board-" in link.get_attribute("download")
    assert stored(server) == before
    assert not (Path(server.env["LPGP_DATA_DIR"]) / "exports").exists()


def test_agenda_pack_needs_a_meeting_then_gives_a_word_file(page, server: Server, demo) -> None:
    from docx import Document

    meeting = page.get_by_label("Meeting", exact=True)
    assert shown(meeting) == "Choose a meeting"
    # No meeting chosen: the error names the field and no file is offered.
    button(page, "Make the agenda pack").click()
    message = refused(page, "Meeting")
    assert message.startswith("Meeting:") and "choose the meeting" in message
    # ... beside the button too, where the chair is looking.
    page.locator(".lpgp-error-message", has_text=message).wait_for()
    assert page.get_by_role("link", name="Download the agenda pack (Word)").count() == 0
    accessible(page, "exports-agenda-refused")

    title, starts = demo["meetings"][-1]
    pick(meeting, title)
    button(page, "Make the agenda pack").click()
    said(page, "The agenda pack is ready")
    name, data = download(page, "Download the agenda pack (Word)")
    assert name.startswith("haverbrook-") and name.endswith(f"{starts:%Y-%m-%d}.docx")
    doc = Document(io.BytesIO(data))
    words = "\n".join(
        [p.text for p in doc.paragraphs]
        + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    )
    assert title in words and any(p in words for p in demo["priorities"])
    assert demo["name"] in doc.core_properties.subject
    screenshot(page, "exports-agenda-made")


def test_invites_for_every_meeting(page, server: Server, demo) -> None:
    from icalendar import Calendar

    invites = page.get_by_label("Meetings", exact=True)
    assert shown(invites) == "Every meeting of the cycle"
    button(page, "Make the invites").click()
    said(page, f"The invites to {len(demo['meetings'])} meetings are ready")
    name, data = download(page, "Download the invites (ICS)")
    assert name.startswith("haverbrook-") and name.endswith(".ics")
    calendar = Calendar.from_ical(data)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [t for t, _ in demo["meetings"]]
    assert demo["name"] in str(calendar["X-WR-CALNAME"])
    screenshot(page, "exports-invites-made")
    accessible(page, "exports-files-made")
    assert page.dialogs == []


def test_action_log_xlsx_double_clicked_gives_one_file(page, server: Server, demo) -> None:
    from openpyxl import load_workbook

    before = stored(server)
    page.evaluate(KEEP_STATUSES)
    button(page, "Make the action log").dblclick()
    said(page, "The action log is ready")
    # The kernel takes clicks in the order they come: once a later click on another button
    # has been answered (a pack, or which meeting to choose), the second click has been taken
    # too. This test runs last, long after the agenda pack's own last file: a click within
    # REPEAT_SECONDS of that would be taken for a repeat of it, and ignored.
    button(page, "Make the agenda pack").click()
    page.locator(".lpgp-status", has_text=re.compile("agenda pack is ready|^Meeting:")).wait_for()
    statuses = page.evaluate("() => window.lpgpStatuses")
    assert sum("The action log is ready" in s for s in statuses) == 1, statuses  # made once
    assert page.locator(".lpgp-download", has_text="action log").count() == 1
    count = len(page.downloads)
    name, data = download(page, "Download the action log (XLSX)")
    assert len(page.downloads) == count + 1
    assert name.startswith("haverbrook-") and name.endswith(".xlsx") and "-action-log-" in name
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames[0] == "All actions"
    cells = {str(c.value) for row in book["All actions"].iter_rows() for c in row if c.value}
    assert any(title in cells for title in demo["priorities"])
    assert stored(server) == before
