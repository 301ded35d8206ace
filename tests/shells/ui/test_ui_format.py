"""How screens show values: every expected string below is written out by hand."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum

import numpy as np
import pandas as pd
import pytest
from paths import ROOT

from lpgp.errors import InvalidInput
from lpgp.ui import format as fmt

CSS = ROOT / "lpgp" / "web" / "static" / "lpgp.css"
DASH = "\u2013"


class Standing(StrEnum):
    NOT_TAKEN_FORWARD = "not_taken_forward"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (4.111111111111111, "4.1"),
        (4.15, "4.2"),  # halves go up, as people round
        (0.25, "0.3"),
        (-0.04, "0.0"),  # no "-0.0"
        (3, "3.0"),
        (12345.67, "12,345.7"),
        (np.float64(2.96), "3.0"),
        (None, DASH),
        (float("nan"), DASH),
    ],
)
def test_number(value, expected: str) -> None:
    assert fmt.number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(12345, "12,345"), (2000, "2,000"), (999, "999"), (60000.0, "60,000"), (2.5, "3")],
)
def test_count(value, expected: str) -> None:
    assert fmt.count(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.53, "53%"), (0.125, "13%"), (0.0, "0%"), (1.0, "100%"), (0.005, "1%"), (None, DASH)],
)
def test_percent(value, expected: str) -> None:
    assert fmt.percent(value) == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 12, 7, 18, 0, tzinfo=UTC), "Mon 7 Dec 2026, 18:00"),
        (datetime(2027, 3, 12, 17, 0, tzinfo=UTC), "Fri 12 Mar 2027, 17:00"),
        # Clocks go forward at 01:00 UTC on Sun 29 Mar 2026.
        (datetime(2026, 3, 28, 23, 59, tzinfo=UTC), "Sat 28 Mar 2026, 23:59"),
        (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "Sun 29 Mar 2026, 00:59"),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "Sun 29 Mar 2026, 02:00"),
        # Clocks go back at 01:00 UTC on Sun 25 Oct 2026.
        (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), "Sun 25 Oct 2026, 00:30"),
        (datetime(2026, 10, 25, 0, 59, tzinfo=UTC), "Sun 25 Oct 2026, 01:59"),
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), "Sun 25 Oct 2026, 01:00"),
        # In summer a late UTC evening is already the next day in London.
        (datetime(2026, 6, 30, 23, 30, tzinfo=UTC), "Wed 1 Jul 2026, 00:30"),
        # Naive means UTC (how SQLite hands instants back); other zones are converted.
        (datetime(2026, 6, 30, 23, 30), "Wed 1 Jul 2026, 00:30"),
        (datetime(2026, 7, 1, 9, 0, tzinfo=timezone(timedelta(hours=2))), "Wed 1 Jul 2026, 08:00"),
        (pd.Timestamp("2026-10-25 00:59", tz="UTC"), "Sun 25 Oct 2026, 01:59"),
        (None, DASH),
        (pd.NaT, DASH),
    ],
)
def test_when(moment, expected: str) -> None:
    assert fmt.when(moment) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 12, 7), "Mon 7 Dec 2026"),
        (date(2026, 3, 29), "Sun 29 Mar 2026"),
        (date(2026, 10, 25), "Sun 25 Oct 2026"),
        (datetime(2026, 3, 28, 23, 59, tzinfo=UTC), "Sat 28 Mar 2026"),
        (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), "Sun 25 Oct 2026"),
        (None, DASH),
    ],
)
def test_day(value, expected: str) -> None:
    assert fmt.day(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("member:Dr Ada Obi", "Dr Ada Obi"),
        ("practice:Z99001", "practice Z99001"),
        ("cli", "the command line"),
        ("member:Name: with a colon", "Name: with a colon"),
        ("", "\u2013"),
        (None, "\u2013"),
    ],
)
def test_actor_names_who_did_it_in_words(value, expected: str) -> None:
    assert fmt.actor(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, "Yes"), (False, "No"), (np.True_, "Yes"), (None, DASH)],
)
def test_yes_no(value, expected: str) -> None:
    assert fmt.yes_no(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("not_taken_forward", "Not taken forward"),
        ("pcn_clinical_director", "PCN clinical director"),
        ("lmc_chair", "LMC chair"),
        ("gp_federation_lead", "GP federation lead"),
        ("icb_ics_nhs_ods", "ICB ICS NHS ODS"),
        ("practices_in_pcns", "Practices in PCNs"),
        ("on_track", "On track"),
        ("list_size", "List size"),
        ("done", "Done"),
        (Standing.NOT_TAKEN_FORWARD, "Not taken forward"),
        ("", DASH),
    ],
)
def test_words(value, expected: str) -> None:
    assert fmt.words(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("red", '<span class="lpgp-chip lpgp-chip--red">Red</span>'),
        ("Amber", '<span class="lpgp-chip lpgp-chip--amber">Amber</span>'),
        ("green", '<span class="lpgp-chip lpgp-chip--green">Green</span>'),
        ("grey", '<span class="lpgp-chip lpgp-chip--grey">Grey</span>'),
        ("complete", '<span class="lpgp-chip lpgp-chip--blue">Complete</span>'),
        (
            '"><script>x</script>',
            '<span class="lpgp-chip lpgp-chip--grey">&quot;&gt;&lt;script&gt;x&lt;/script&gt;'
            "</span>",
        ),
        (None, DASH),
    ],
)
def test_rag_chip(value, expected: str) -> None:
    assert fmt.rag_chip(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (np.int64(12345), "12,345"),
        (7.25, "7.3"),
        (np.bool_(False), "No"),
        (date(2026, 3, 29), "Sun 29 Mar 2026"),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "Sun 29 Mar 2026, 02:00"),
        (Standing.NOT_TAKEN_FORWARD, "Not taken forward"),
        ("Dr Ada Obi", "Dr Ada Obi"),
        ("  ", DASH),
    ],
)
def test_cell_by_type(value, expected: str) -> None:
    assert fmt.cell(value) == expected


def _rows(page: str) -> list[list[str]]:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)]


def _headings(page: str) -> list[str]:
    return re.findall(r'<th scope="col">(.*?)</th>', page)


def test_people_table_picks_orders_names_and_formats_columns() -> None:
    df = pd.DataFrame(
        {
            "id": [1, 2],
            "practice": ["Mill Lane <Surgery>", "Quay & Dock"],
            "list_size": [12345, 2000],
            "score": [4.111111111111111, None],
            "rag": ["red", "complete"],
            "due": [date(2026, 12, 7), None],
            "active": [True, False],
        }
    )
    page = fmt.people_table(
        df,
        {"practice": "Practice", "list_size": "List size", "score": "Mean score",
         "rag": "RAG", "due": "Due", "active": "Active"},
        {"rag": fmt.rag_chip},
        caption="Practices & scores",
    )  # fmt: skip
    assert _headings(page) == ["Practice", "List size", "Mean score", "RAG", "Due", "Active"]
    assert _rows(page) == [
        [
            "Mill Lane &lt;Surgery&gt;",
            "12,345",
            "4.1",
            '<span class="lpgp-chip lpgp-chip--red">Red</span>',
            "Mon 7 Dec 2026",
            "Yes",
        ],
        [
            "Quay &amp; Dock",
            "2,000",
            DASH,
            '<span class="lpgp-chip lpgp-chip--blue">Complete</span>',
            DASH,
            "No",
        ],
    ]
    assert 'aria-label="Practices &amp; scores"' in page
    assert '<caption class="lpgp-visually-hidden">Practices &amp; scores</caption>' in page


def test_people_table_default_headings_are_words_and_plain_text_is_escaped() -> None:
    df = pd.DataFrame({"pcn_name": ["<img src=x onerror=alert(1)>"], "share_voted": [0.53]})
    page = fmt.people_table(df, formats={"share_voted": fmt.percent})
    assert _headings(page) == ["PCN name", "Share voted"]
    assert _rows(page) == [["&lt;img src=x onerror=alert(1)&gt;", "53%"]]
    # A format returning plain text (not Html) is escaped too, so a format cannot inject.
    page = fmt.people_table(df, {"pcn_name": "PCN"}, {"pcn_name": lambda v: f"<b>{v}</b>"})
    assert _rows(page) == [["&lt;b&gt;&lt;img src=x onerror=alert(1)&gt;&lt;/b&gt;"]]


def test_people_table_has_the_markup_of_the_screens_table() -> None:
    from lpgp.ui.screen import table_html

    df = pd.DataFrame({"Name": ["Dr Ada Obi", "<b>"], "Role": ["LMC chair", "Nurse"]})
    assert fmt.people_table(df, {"Name": "Name", "Role": "Role"}, caption="Board") == table_html(
        df, "Board"
    )
    assert fmt.people_table(df.iloc[0:0], caption="Board", empty="No one yet.") == (
        "<p>No one yet.</p>"
    )


def test_people_table_refuses_a_column_it_does_not_have() -> None:
    df = pd.DataFrame({"name": ["A"]})
    with pytest.raises(InvalidInput, match="no column 'nmae'"):
        fmt.people_table(df, {"nmae": "Name"})
    with pytest.raises(InvalidInput, match="no column 'score'"):
        fmt.people_table(df, formats={"score": fmt.number})


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_arithmetic() -> None:
    # Known ratios: black on white is 21:1; #767676, the lightest grey that passes AA on
    # white, is 4.54:1.
    assert _contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert _contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.005)


@pytest.mark.parametrize("colour", ["red", "amber", "green", "blue", "grey"])
def test_every_chip_has_a_style_with_aa_contrast(colour: str) -> None:
    rule = re.search(rf"\.lpgp-chip--{colour}\s*\{{([^}}]*)\}}", CSS.read_text())
    assert rule, f"no .lpgp-chip--{colour} rule"
    text = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", rule[1])[1]
    background = re.search(r"background:\s*(#[0-9a-fA-F]{6})", rule[1])[1]
    assert _contrast(text, background) >= 4.5  # WCAG 2.2 AA for normal text
    assert f"lpgp-chip--{colour}" in fmt.rag_chip(colour)
