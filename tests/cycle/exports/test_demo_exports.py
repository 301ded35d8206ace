"""The demo place's exports: what `make exports` writes, read back and checked for content."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from icalendar import Calendar
from openpyxl import load_workbook

import lpgp
from cycle.exports.readers import Page
from lpgp.demo import DEMO_CYCLE as THIS_YEAR
from lpgp.demo import load_demo
from lpgp.demo.vote import LAST_YEAR_VOTE
from lpgp.store import Store

pytestmark = pytest.mark.slow  # builds the whole demo place and every export once


@pytest.fixture(scope="module")
def demo_exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LPGP_NOW", "2026-11-23T09:00:00")
        store = Store(f"sqlite:///{folder / 'demo.sqlite'}")
        load_demo(store)
        lpgp.export_all(folder / "out", store=store)
        # The cycle being decided, whose vote is still open, exported as a user may pick it.
        deciding = folder / "out" / "deciding"
        deciding.mkdir()
        for fmt in ("html", "md", "docx"):
            lpgp.export_summary(deciding / f"summary.{fmt}", cycle=THIS_YEAR, store=store)
        winners = lpgp.results(LAST_YEAR_VOTE, store=store)
        winners.dropna(subset=["elected"]).sort_values("elected").to_csv(folder / "winners.csv")
        store.dispose()
    return folder / "out"


def test_demo_summary_lists_the_list_being_delivered_and_its_closed_vote(demo_exports: Path):
    page = Page((demo_exports / "priority-summary-practices.html").read_text("utf-8"))
    assert len(page.all("h3")) >= 5
    assert "2026/27 priorities: our agreed priorities" in page.text
    assert "Voting is open until" not in page.text
    assert "Where the ask stands" in page.text


def _glance(html: str) -> list[str]:
    """The "At a glance" list of a summary page: each priority's title, in order."""
    part = html.split("At a glance", 1)[1].split("</ol>", 1)[0]
    return [Page(item).text.split(" (lead:")[0] for item in part.split("<li>")[1:]]


def test_last_years_list_is_its_votes_winners_in_order(demo_exports: Path):
    # The winners as the analyst's results frame gives them, in the order they were elected.
    winners = pd.read_csv(demo_exports.parent / "winners.csv")
    assert list(winners.elected) == [1, 2, 3, 4, 5]
    for name in ("priority-summary-practices.html", "priority-summary-place-board.html"):
        listed = _glance((demo_exports / name).read_text("utf-8"))
        assert listed == list(winners.title), name
    markdown = (demo_exports / "priority-summary-practices.md").read_text("utf-8")
    assert "departs" not in markdown  # it follows the result, so no reason is recorded


def test_no_export_calls_a_list_agreed_while_its_vote_is_open(demo_exports: Path):
    texts = {
        "html": Page((demo_exports / "deciding" / "summary.html").read_text("utf-8")).text,
        "md": (demo_exports / "deciding" / "summary.md").read_text("utf-8"),
        "docx": "\n".join(
            p.text for p in Document(str(demo_exports / "deciding" / "summary.docx")).paragraphs
        ),
    }
    for fmt, text in texts.items():
        assert "Voting is open until" in text, fmt
        assert "priorities being chosen" in text, fmt
        for claim in ("agreed priorities", "chose together", "has agreed", "agreed list"):
            assert claim not in text, (fmt, claim)


def _docx_tables(path: Path) -> list[list[list[str]]]:
    return [
        [[c.text for c in row.cells] for row in table.rows] for table in Document(str(path)).tables
    ]


def test_chosen_means_one_thing_in_every_table(demo_exports: Path):
    html = (demo_exports / "priority-summary-practices.html").read_text("utf-8")
    agreed = set(_glance(html))
    for path in sorted(demo_exports.rglob("*.docx")) + sorted(demo_exports.rglob("*.html")):
        text = path.read_text("utf-8", errors="ignore") if path.suffix == ".html" else ""
        assert ">Chosen<" not in text, path.name  # no column of that name, in any sense
    tables = _docx_tables(demo_exports / "priority-summary-practices.docx")
    candidates = next(
        t for t in tables if t[0] == ["Candidate", "Shortlisted", "On the agreed list"]
    )
    on_list = {row[0] for row in candidates[1:] if row[2] == "Yes"}
    assert on_list == agreed
    result = next(t for t in tables if t[0][-1] == "Elected by the vote")
    elected = {row[0] for row in result[1:] if row[-1] == "Yes"}
    assert elected == agreed  # the list followed the result, so the two agree here
    assert all(row[0] == "Candidate" or row[-1] in ("Yes", "No") for row in result)


def test_demo_action_log_has_a_sheet_per_priority_and_every_action(demo_exports: Path):
    book = load_workbook(demo_exports / "action-log.xlsx")
    assert book.sheetnames[0] == "All actions" and len(book.sheetnames) == 6
    sheet = book["All actions"]
    assert sheet["A1"].value == "Haverbrook: 2026/27 priorities – action log as at 23 November 2026"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 17
    assert {r[5] for r in rows} >= {"Red", "Green", "Complete"}
    # An on-track action past its due date is red, and its row says why.
    late = [r for r in rows if r[4] == "On track" and r[5] == "Red"]
    assert late and all(
        r[8] == "Yes" and r[9] == "Red: past its due date, whatever its status says" for r in late
    )
    assert len({r[10] for r in rows}) == 17  # each action's id


def test_demo_agendas_and_invites_cover_both_meetings(demo_exports: Path):
    packs = sorted((demo_exports / "agendas").glob("*.docx"))
    assert len(packs) == 2
    texts = ["\n".join(p.text for p in Document(str(path)).paragraphs) for path in packs]
    assert any("That is below 80%." in t for t in texts)
    whole = Calendar.from_ical((demo_exports / "invites" / "2026-27-priorities.ics").read_bytes())
    events = whole.walk("VEVENT")
    assert len(events) == 2 and len({str(e["UID"]) for e in events}) == 2
    assert all("Agenda" in str(e["DESCRIPTION"]) for e in events)


def test_invites_come_from_the_chair_to_the_invited(demo_exports: Path):
    whole = Calendar.from_ical((demo_exports / "invites" / "2026-27-priorities.ics").read_bytes())
    for event in whole.walk("VEVENT"):
        organiser = event["ORGANIZER"]
        assert str(organiser) == "mailto:amara.okafor@nhs.example"  # the demo's chair
        assert organiser.params["CN"] == "Dr Amara Okafor"
        attendees = event.get("ATTENDEE")
        attendees = attendees if isinstance(attendees, list) else [attendees]
        invited = {str(a.params["CN"]): str(a) for a in attendees}
        # The demo's people file gives each of these an address on nhs.example.
        assert invited["Dr Tom Pritchard"] == "mailto:tom.pritchard@nhs.example"
        assert all(a.params["ROLE"] == "REQ-PARTICIPANT" for a in attendees)
