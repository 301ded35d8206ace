"""Agenda packs in Word, HTML and PDF: the timed agenda, the time split, and for each item the
linked priority's actions with their latest updates and where its ask of the system stands.

The PDF is the HTML page printed by the summary's renderer (WeasyPrint, tagged PDF/UA-1). A
pack for a meeting that is over shows its actions and asks as they stood when it began, and
says so (:func:`as_at_sentence`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from lpgp.cycle.agendas.agenda_rules import TARGET_PERCENT, meets_rule
from lpgp.cycle.exports import word
from lpgp.cycle.exports.model import AgendaEntry, AgendaPack
from lpgp.cycle.exports.summary import html_to_pdf
from lpgp.cycle.exports.templating import clock_time, long_date, render, short_date


@dataclass(frozen=True)
class TimedItem:
    """An agenda item with the clock times it starts and ends."""

    number: int
    start: datetime
    end: datetime
    item: AgendaEntry


@dataclass(frozen=True)
class TimeSplit:
    """How agenda time divides between innovation, change and improvement and everything else."""

    innovation: int
    total: int
    threshold_percent: int

    @property
    def other(self) -> int:
        return self.total - self.innovation

    @property
    def percent(self) -> int:
        """Innovation's share in whole percent, rounded down as the agenda builder shows it."""
        return self.innovation * 100 // self.total if self.total else 100

    @property
    def below_threshold(self) -> bool:
        """The agenda builder's rule, in whole minutes: 159 of 200 is below, 160 is not."""
        return not meets_rule(self.innovation, self.total)


def timed_items(start: datetime, items: tuple[AgendaEntry, ...]) -> list[TimedItem]:
    """Give each item its start and end, one after another from the meeting's start.

    >>> from datetime import UTC
    >>> t = timed_items(datetime(2027, 1, 4, 9, tzinfo=UTC), (
    ...     AgendaEntry("A", 20, "innovation", True), AgendaEntry("B", 10, "bau", False)))
    >>> [(i.number, f"{i.start:%H:%M}", f"{i.end:%H:%M}") for i in t]
    [(1, '09:00', '09:20'), (2, '09:20', '09:30')]
    """
    out, clock = [], start
    for number, item in enumerate(items, start=1):
        end = clock + timedelta(minutes=item.minutes)
        out.append(TimedItem(number, clock, end, item))
        clock = end
    return out


def time_split(items: tuple[AgendaEntry, ...]) -> TimeSplit:
    """Add up innovation minutes against the total.

    >>> s = time_split((AgendaEntry("A", 159, "i", True), AgendaEntry("B", 41, "b", False)))
    >>> s.percent, s.below_threshold
    (79, True)
    """
    return TimeSplit(
        sum(i.minutes for i in items if i.innovation),
        sum(i.minutes for i in items),
        TARGET_PERCENT,
    )


def pack_context(pack: AgendaPack) -> dict[str, Any]:
    """What both formats of an agenda pack show, worked out once."""
    meeting = pack.meeting
    return {
        "pack": pack,
        "meeting": meeting,
        "items": timed_items(meeting.start, meeting.items),
        "split": time_split(meeting.items),
    }


def split_sentence(split: TimeSplit) -> str:
    """The split in words, with the warning when innovation gets too little time.

    >>> split_sentence(TimeSplit(150, 200, 80))
    '150 of 200 minutes (75%) go to innovation, change and improvement. That is below 80%.'
    """
    text = (
        f"{split.innovation} of {split.total} minutes ({split.percent}%) go to innovation, "
        "change and improvement."
    )
    if split.below_threshold:
        text += f" That is below {split.threshold_percent}%."
    return text


def as_at_sentence(pack: AgendaPack) -> str:
    """Which day's actions and asks the pack shows, in words.

    >>> from datetime import UTC, date
    >>> from lpgp.cycle.exports.model import Meeting
    >>> m = Meeting("1", "Board", "leadership", datetime(2027, 1, 11, 10, tzinfo=UTC), 60)
    >>> as_at_sentence(AgendaPack("Haverbrook", "2027/28", m, date(2027, 1, 4)))
    'Actions and asks as they stand on Monday 4 January 2027.'
    >>> print(as_at_sentence(AgendaPack("Haverbrook", "2027/28", m, date(2027, 2, 1), as_at=m.start)))
    Actions and asks as they stood when the meeting began (10:00 on Monday 11 January 2027); later updates are not shown.
    """  # noqa: E501
    if pack.as_at is None:
        return f"Actions and asks as they stand on {long_date(pack.produced_on)}."
    return (
        f"Actions and asks as they stood when the meeting began ({clock_time(pack.as_at)} on "
        f"{long_date(pack.as_at)}); later updates are not shown."
    )


def render_html(pack: AgendaPack) -> str:
    """The agenda pack as one accessible HTML page.

    >>> from datetime import UTC, date
    >>> from lpgp.cycle.exports.model import Meeting
    >>> m = Meeting("1", "Board", "leadership", datetime(2027, 1, 11, 10, tzinfo=UTC), 60,
    ...             items=(AgendaEntry("Hub", 60, "Innovation", True),))
    >>> pack = AgendaPack("Haverbrook", "2027/28", m, date(2027, 1, 4))
    >>> "60 of 60 minutes (100%)" in render_html(pack)
    True
    """
    ctx = pack_context(pack)
    return render(
        "agenda.html.j2",
        split_text=split_sentence(ctx["split"]),
        as_at_text=as_at_sentence(pack),
        **ctx,
    )


def render_pdf(pack: AgendaPack) -> bytes:
    """The HTML agenda pack printed to a tagged PDF (PDF/UA-1), as the summary is: each
    item's heading stays on the page of its table, and a table's header row repeats on
    every page it runs onto.

    >>> from datetime import UTC, date
    >>> from lpgp.cycle.exports.model import Meeting
    >>> m = Meeting("1", "Board", "leadership", datetime(2027, 1, 11, 10, tzinfo=UTC), 60,
    ...             items=(AgendaEntry("Hub", 60, "Innovation", True),))
    >>> render_pdf(AgendaPack("Haverbrook", "2027/28", m, date(2027, 1, 4)))[:5]
    b'%PDF-'
    """
    return html_to_pdf(render_html(pack))


def render_docx(pack: AgendaPack) -> bytes:
    """The agenda pack as a Word document.

    >>> from datetime import UTC, date
    >>> from lpgp.cycle.exports.model import Meeting
    >>> m = Meeting("1", "Board", "leadership", datetime(2027, 1, 11, 10, tzinfo=UTC), 60,
    ...             items=(AgendaEntry("Hub", 60, "Innovation", True),))
    >>> pack = AgendaPack("Haverbrook", "2027/28", m, date(2027, 1, 4))
    >>> render_docx(pack)[:2]
    b'PK'
    """
    ctx = pack_context(pack)
    meeting = pack.meeting
    doc = word.new_document(f"{meeting.title} – agenda pack", f"{pack.place}: {pack.cycle}")
    word.heading(doc, meeting.title, 0)
    word.paragraph(doc, f"{pack.place} · {pack.cycle}")
    when = f"{long_date(meeting.start)}, {clock_time(meeting.start)} to {clock_time(meeting.end)}"
    word.paragraph(doc, when, bold_prefix="When:")
    if meeting.location:
        word.paragraph(doc, meeting.location, bold_prefix="Where:")
    if meeting.video_link:
        word.paragraph(doc, meeting.video_link, bold_prefix="Join online:")
    if meeting.attendees:
        word.paragraph(doc, ", ".join(meeting.attendees), bold_prefix="Who:")
    word.heading(doc, "Agenda", 1)
    word.table(
        doc,
        ["Time", "Item", "Minutes", "Kind", "Presenter"],
        [
            [
                f"{clock_time(t.start)}–{clock_time(t.end)}",
                f"{t.number}. {t.item.title}",
                str(t.item.minutes),
                t.item.kind,
                t.item.presenter or "",
            ]
            for t in ctx["items"]
        ],
        widths_cm=[2.6, 7.4, 1.8, 3.2, 3],
    )
    word.heading(doc, "How the time is split", 2)
    word.paragraph(doc, split_sentence(ctx["split"]))
    for note in pack.notes:
        word.bullet(doc, note)
    word.heading(doc, "Papers for each item", 1)
    word.paragraph(doc, as_at_sentence(pack))
    for t in ctx["items"]:
        word.heading(doc, f"{t.number}. {t.item.title}", 2)
        if t.item.priority:
            word.paragraph(doc, t.item.priority, bold_prefix="Priority:")
        if t.item.ask_status:
            word.paragraph(doc, t.item.ask_status, bold_prefix="Where the ask stands:")
        if not t.item.actions:
            word.paragraph(doc, "No actions are linked to this item.")
            continue
        word.table(
            doc,
            ["Action", "Owner", "Due", "Status", "Latest update"],
            [
                [
                    a.action,
                    a.owner or "",
                    short_date(a.due),
                    f"{a.status} ({a.rag})",
                    f"{short_date(a.last_update_on)}: {a.last_update}" if a.last_update else "",
                ]
                for a in t.item.actions
            ],
            widths_cm=[5, 2.8, 2.4, 2.6, 5.2],
        )
    word.paragraph(doc, f"Produced on {long_date(pack.produced_on)}.")
    return word.to_bytes(doc)
