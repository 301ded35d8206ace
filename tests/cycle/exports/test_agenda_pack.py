"""Agenda packs in Word and HTML: times, the split, and each item's actions and updates."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from cycle.exports.readers import Page
from cycle.exports.samples import FORMULA, NASTY, PLAIN
from cycle.exports.samples import agenda_pack as sample_pack
from lpgp.cycle.exports import agenda_pack
from lpgp.cycle.exports.model import AgendaEntry


def test_html_pack_shows_times_split_and_latest_updates():
    page = Page(agenda_pack.render_html(sample_pack()))
    assert page.all("html")[0]["lang"] == "en-GB"
    assert page.all("script") == []
    text = page.text
    assert f"Leadership board: {NASTY}" in text
    # 10:00 UTC on 11 January is 10:00 in London (GMT); 50 + 45 + 25 minutes follow on.
    assert f"10:00–10:50 1. {NASTY} 50" in text
    assert f"10:50–11:35 2. {PLAIN} 45" in text
    assert "11:35–12:00 3. Contract updates 25" in text
    assert "95 of 120 minutes (79%) go to innovation, change and improvement." in text
    assert "below 80%" in text
    assert "2 Jan 2027: Half the leases mapped" in text
    assert FORMULA in text
    assert all(th.get("scope") in ("col", "row") for th in page.all("th"))


def test_word_pack_has_the_agenda_table_and_papers(tmp_path: Path):
    path = tmp_path / "agenda.docx"
    path.write_bytes(agenda_pack.render_docx(sample_pack()))
    doc = Document(str(path))
    agenda = doc.tables[0]
    assert [c.text for c in agenda.rows[0].cells] == [
        "Time",
        "Item",
        "Minutes",
        "Kind",
        "Presenter",
    ]
    assert [c.text for c in agenda.rows[1].cells][:3] == ["10:00–10:50", f"1. {NASTY}", "50"]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert f"1. {NASTY}" in headings and "Papers for each item" in headings
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "95 of 120 minutes (79%)" in text and "below 80%" in text
    papers = [c.text for c in doc.tables[1].rows[1].cells]
    assert papers[0] == "Map every lease end date"
    assert papers[4] == "2 Jan 2027: Half the leases mapped"
    assert "No actions are linked to this item." in text


def test_split_boundary_is_exact_in_whole_minutes():
    def split(innovation: int, total: int):
        items = (
            AgendaEntry("a", innovation, "i", True),
            AgendaEntry("b", total - innovation, "b", False),
        )
        return agenda_pack.time_split(items)

    assert split(159, 200).below_threshold
    assert not split(160, 200).below_threshold
    assert not agenda_pack.time_split(()).below_threshold
