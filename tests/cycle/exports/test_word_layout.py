"""The Word documents lay out as a reader expects, read back by python-docx: columns as wide as
what they hold, header rows repeated on each page, rows never split, "Page N of M" on every
page, the day the document was made, and the place and cycle on every agenda pack."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

import lpgp
from lpgp.demo import load_demo
from lpgp.store import Store

pytestmark = pytest.mark.slow  # builds the demo place
NOW = "2026-11-23T09:00:00"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("word")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LPGP_NOW", NOW)
        store = Store(f"sqlite:///{folder / 'demo.sqlite'}")
        load_demo(store)
        out = {"summary": lpgp.export_summary(folder / "summary.docx", store=store)}
        for row in lpgp.meetings(store=store).itertuples():
            out[row.title] = lpgp.export_agenda(
                folder / f"agenda-{row.id}.docx", meeting=int(row.id), store=store
            )
        store.dispose()
    return out


def _widths(table) -> list[int]:
    return [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def test_columns_are_as_wide_as_what_they_hold(files) -> None:
    doc = Document(str(files["summary"]))
    candidates = next(
        t
        for t in doc.tables
        if [c.text for c in t.rows[0].cells][:2] == ["Candidate", "Shortlisted"]
    )
    widths = _widths(candidates)
    assert len(set(widths)) > 1  # not every column the same
    assert widths[0] == max(widths)  # the titles get the room
    # No title wraps word by word: the title column is wider than 8 cm (4,535 twentieths of a
    # point per 8 cm).
    assert widths[0] > 4535


def test_header_rows_repeat_and_rows_never_split(files) -> None:
    for path in files.values():
        for table in Document(str(path)).tables:
            first = table.rows[0]._tr.trPr
            assert first is not None and first.find(qn("w:tblHeader")) is not None, path.name
            for row in table.rows:
                assert row._tr.trPr.find(qn("w:cantSplit")) is not None, path.name


def test_every_page_is_numbered_and_the_document_is_dated_today(files) -> None:
    for path in files.values():
        doc = Document(str(path))
        footer = doc.sections[0].footer._element.xml
        assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer, path.name
        # 09:00 in London in November is 09:00 UTC, which is how Word stores it.
        assert doc.core_properties.created == datetime(2026, 11, 23, 9, 0, tzinfo=UTC), path.name


def test_every_agenda_pack_names_the_place_and_the_cycle(files) -> None:
    packs = [path for name, path in files.items() if name != "summary"]
    assert len(packs) == 2
    for path in packs:
        lines = [p.text for p in Document(str(path)).paragraphs]
        assert "Haverbrook · 2026/27 priorities" in lines, path.name
