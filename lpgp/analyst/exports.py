"""Library functions that write exports: pick the data from the store, render, write atomically.

Each takes the output ``path`` first; ``fmt`` defaults to the path's suffix. ``place`` and
``cycle`` default to the only place and its current cycle; ``store`` to the default store.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lpgp import clock
from lpgp.analyst._common import _store, keywords_from
from lpgp.cycle.agreed.priority import delivered_cycle
from lpgp.cycle.board.place import get_place, slugify
from lpgp.cycle.exports import actionlog, agenda_pack, collect, invites, summary
from lpgp.cycle.exports.chart import result_chart
from lpgp.cycle.exports.files import write_atomic
from lpgp.cycle.exports.model import AgendaPack, Audience, Meeting, SummaryDoc
from lpgp.enums import parse_enum
from lpgp.errors import InvalidInput
from lpgp.store import Store

SUMMARY_FORMATS = ("html", "pdf", "docx", "md")
ACTION_FORMATS = ("xlsx", "csv")
AGENDA_FORMATS = ("docx", "html", "pdf")
INVITE_FORMATS = ("ics",)

PathLike = str | os.PathLike[str]


def pick_format(path: PathLike, fmt: str | None, allowed: tuple[str, ...], what: str) -> str:
    """The format asked for, or the one the file's suffix names; refuse anything else.

    >>> pick_format("out/summary.PDF", None, SUMMARY_FORMATS, "a summary")
    'pdf'
    >>> pick_format("summary.txt", None, SUMMARY_FORMATS, "a summary")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: cannot write a summary as 'txt': use one of html, pdf, docx, md
    """
    chosen = (fmt or Path(path).suffix.lstrip(".")).lower()
    chosen = {"markdown": "md", "htm": "html", "word": "docx", "excel": "xlsx"}.get(chosen, chosen)
    if chosen not in allowed:
        shown = chosen or "no format"
        raise InvalidInput(f"cannot write {what} as '{shown}': use one of {', '.join(allowed)}")
    return chosen


@keywords_from("place", "audience", "store")
def export_summary(
    path: PathLike,
    fmt: str | None = None,
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    audience: Audience | str = Audience.PRACTICES,
    store: Store | str | None = None,
) -> Path:
    """Write the priority summary as HTML, PDF, Word or Markdown; returns the file written.

    Markdown gets its chart as a PNG beside it (``<name>-chart.png``).

    >>> lpgp.export_summary("summary.pdf", audience="place_board")  # doctest: +SKIP
    """
    chosen = pick_format(path, fmt, SUMMARY_FORMATS, "a summary")
    who = _audience(audience)
    with _store(store).read() as s:
        doc = collect.collect_summary(s, get_place(s, place), cycle, who)
    target = Path(path)
    chart = None
    if chosen == "md" and doc.vote and doc.vote.results:
        chart = target.with_name(f"{target.stem}-chart.png")
        write_atomic(chart, result_chart(doc.vote, "png"))
    return write_atomic(target, _render_summary(doc, chosen, chart.name if chart else None))


@keywords_from("place", "store")
def export_actions(
    path: PathLike,
    fmt: str | None = None,
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> Path:
    """Write the action log as an Excel workbook or CSV; returns the file written.

    >>> lpgp.export_actions("actions.xlsx")  # doctest: +SKIP
    """
    chosen = pick_format(path, fmt, ACTION_FORMATS, "the action log")
    with _store(store).read() as s:
        log = collect.collect_actions(s, get_place(s, place), cycle)
    render = actionlog.render_xlsx if chosen == "xlsx" else actionlog.render_csv
    return write_atomic(path, render(log))


@keywords_from("place", "store")
def export_agenda(
    path: PathLike,
    fmt: str | None = None,
    meeting: int | None = None,
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> Path:
    """Write a meeting's agenda pack (default: the next meeting) as Word, HTML or PDF. A
    meeting that is over shows its actions and asks as they stood when it began.

    >>> lpgp.export_agenda("agenda.pdf", meeting=3)  # doctest: +SKIP
    """
    chosen = pick_format(path, fmt, AGENDA_FORMATS, "an agenda pack")
    with _store(store).read() as s:
        where = get_place(s, place)
        key = meeting if meeting is not None else collect.next_meeting_id(s, where, cycle)
        pack = collect.collect_agenda(s, where, key)
    return write_atomic(path, _render_agenda(pack, chosen))


def _render_agenda(pack: AgendaPack, fmt: str) -> bytes:
    if fmt == "html":
        return agenda_pack.render_html(pack).encode("utf-8")
    if fmt == "pdf":
        return agenda_pack.render_pdf(pack)
    return agenda_pack.render_docx(pack)


def meeting_file_name(meeting: Meeting) -> str:
    """A file name for one meeting's invite: its London date and title.

    >>> from datetime import UTC, datetime
    >>> start = datetime(2027, 5, 3, 9, tzinfo=UTC)
    >>> meeting_file_name(Meeting("3", "Board: May", "x", start, 60))
    '2027-05-03-board-may.ics'
    """
    day = meeting.start.astimezone(clock.LONDON).date().isoformat()
    return f"{day}-{slugify(meeting.title)[:60]}.ics"


def _meeting_id(meeting: int | str) -> int:
    try:
        return int(meeting)
    except ValueError:
        raise InvalidInput(f"'{meeting}' is not a meeting: give its id, 'next' or 'all'") from None


@keywords_from("place", "store")
def export_invites(
    path: PathLike,
    meeting: int | str | None = None,
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> list[Path]:
    """Write meeting invites (.ics); returns the files written.

    ``path`` a folder: one file per meeting of the cycle plus one holding them all.
    ``path`` a file: the meeting given (an id), ``"all"`` for the whole cycle, or by default
    the next meeting.

    >>> lpgp.export_invites("invites/")  # doctest: +SKIP
    """
    target = Path(path)
    folder = target.is_dir() or not target.suffix
    if not folder:
        pick_format(target, None, INVITE_FORMATS, "invites")
    stamp = clock.now()
    with _store(store).read() as s:
        where = get_place(s, place)
        cycle_name = delivered_cycle(s, where, cycle).name
        if folder or meeting == "all":
            meetings = collect.collect_meetings(s, where, cycle)
        elif meeting is None or meeting == "next":
            meetings = [collect.collect_meeting(s, where, collect.next_meeting_id(s, where, cycle))]
        else:
            meetings = [collect.collect_meeting(s, where, _meeting_id(meeting))]
    name = f"{where.name}: {cycle_name}"
    if not folder:
        return [write_atomic(target, invites.render_ics(meetings, stamp, name))]
    written = [
        write_atomic(target / meeting_file_name(m), invites.render_ics([m], stamp))
        for m in meetings
    ]
    whole = target / f"{slugify(cycle_name)}.ics"
    written.append(write_atomic(whole, invites.render_ics(meetings, stamp, name)))
    return written


@keywords_from("place", "store")
def export_all(
    folder: PathLike,
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> list[Path]:
    """Write every export of a cycle into ``folder``: both summaries in every format, the
    action log, an agenda pack per meeting in every format and the invites; returns the files
    written.

    >>> lpgp.export_all("artifacts/exports")  # doctest: +SKIP
    """
    out = Path(folder)
    chosen = _store(store)
    written: list[Path] = []
    for audience in Audience:
        stem = f"priority-summary-{audience.value.replace('_', '-')}"
        for fmt in SUMMARY_FORMATS:
            written.append(
                export_summary(
                    out / f"{stem}.{fmt}", fmt, cycle, place=place, audience=audience, store=chosen
                )
            )
    for fmt in ACTION_FORMATS:
        written.append(
            export_actions(out / f"action-log.{fmt}", fmt, cycle, place=place, store=chosen)
        )
    with chosen.read() as s:
        where = get_place(s, place)
        meetings = collect.collect_meetings(s, where, cycle)
    for m in meetings:
        stem = Path(meeting_file_name(m)).stem
        for fmt in AGENDA_FORMATS:
            path = out / "agendas" / f"{stem}.{fmt}"
            written.append(export_agenda(path, fmt, int(m.key), cycle, place=place, store=chosen))
    written += export_invites(out / "invites", cycle=cycle, place=place, store=chosen)
    return written


# In memory: the same files, rendered to bytes with a name to save them as, for a browser to
# download (nothing is written to the server's disk).

MIME_TYPES = {
    "html": "text/html",
    "md": "text/markdown",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "ics": "text/calendar",
}


@dataclass(frozen=True)
class ExportFile:
    """One export held in memory: the name to save it as, its bytes and its MIME type."""

    name: str
    data: bytes
    mime: str

    @property
    def text(self) -> bool:
        """True for the formats that are UTF-8 text (HTML, Markdown, CSV, iCalendar)."""
        return self.mime.startswith("text/")


def _part(text: str, fallback: str) -> str:
    """A file-name-safe part made from ``text``, or ``fallback`` when it has no letter or digit.

    >>> _part("2027/28 priorities", "cycle"), _part("!!!", "meeting")
    ('2027-28-priorities', 'meeting')
    """
    try:
        return slugify(text)[:60].strip("-")
    except InvalidInput:
        return fallback


def file_name(place_slug: str, cycle: str, what: str, day: date, fmt: str) -> str:
    """The name a downloaded export is saved as: place, cycle, what it is, date, format.

    >>> file_name("haverbrook", "2027/28 priorities", "action-log", date(2026, 11, 23), "xlsx")
    'haverbrook-2027-28-priorities-action-log-2026-11-23.xlsx'
    """
    return f"{place_slug}-{_part(cycle, 'cycle')}-{what}-{day.isoformat()}.{fmt}"


def _file(name: str, data: bytes | str, fmt: str) -> ExportFile:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    return ExportFile(name, payload, MIME_TYPES[fmt])


def _render_summary(doc: SummaryDoc, fmt: str, chart_name: str | None = None) -> bytes:
    if fmt == "html":
        return summary.render_html(doc).encode("utf-8")
    if fmt == "pdf":
        return summary.render_pdf(doc)
    if fmt == "docx":
        return summary.render_docx(doc)
    return summary.render_markdown(doc, chart_name).encode("utf-8")


def _audience(audience: Audience | str) -> Audience:
    return parse_enum(Audience, audience, field="audience")


def summary_file(
    fmt: str = "pdf",
    cycle: str | int | None = None,
    place: str | int | None = None,
    audience: Audience | str = Audience.PRACTICES,
    store: Store | str | None = None,
) -> ExportFile:
    """The priority summary as HTML, PDF, Word or Markdown, in memory. Markdown has no chart
    (its results table carries the same numbers).

    >>> lpgp.analyst.exports.summary_file("pdf", audience="place_board").name  # doctest: +SKIP
    'haverbrook-2027-28-priorities-priority-summary-place-board-2026-11-23.pdf'
    """
    chosen = pick_format(f"x.{fmt}", None, SUMMARY_FORMATS, "a summary")
    who = _audience(audience)
    with _store(store).read() as s:
        where = get_place(s, place)
        doc = collect.collect_summary(s, where, cycle, who)
    what = f"priority-summary-{who.value.replace('_', '-')}"
    name = file_name(where.slug, doc.cycle, what, doc.produced_on, chosen)
    return _file(name, _render_summary(doc, chosen), chosen)


def actions_file(
    fmt: str = "xlsx",
    cycle: str | int | None = None,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> ExportFile:
    """The action log as an Excel workbook or CSV, in memory.

    >>> lpgp.analyst.exports.actions_file("csv").mime  # doctest: +SKIP
    'text/csv'
    """
    chosen = pick_format(f"x.{fmt}", None, ACTION_FORMATS, "the action log")
    with _store(store).read() as s:
        where = get_place(s, place)
        log = collect.collect_actions(s, where, cycle)
    render = actionlog.render_xlsx if chosen == "xlsx" else actionlog.render_csv
    name = file_name(where.slug, log.cycle, "action-log", log.produced_on, chosen)
    return _file(name, render(log), chosen)


def _meeting_parts(meeting: Meeting) -> tuple[str, date]:
    """A meeting in a file name: its title, and its London date to name the file by.

    >>> from datetime import UTC, datetime
    >>> _meeting_parts(Meeting("3", "Board: May", "x", datetime(2027, 5, 3, 9, tzinfo=UTC), 60))
    ('board-may', datetime.date(2027, 5, 3))
    """
    return _part(meeting.title, "meeting"), meeting.start.astimezone(clock.LONDON).date()


def agenda_file(
    meeting: int | None = None,
    fmt: str = "docx",
    cycle: str | int | None = None,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> ExportFile:
    """A meeting's agenda pack (default: the cycle's next meeting) as Word, HTML or PDF, in
    memory.

    >>> lpgp.analyst.exports.agenda_file(3, "html").name  # doctest: +SKIP
    'haverbrook-2027-28-priorities-agenda-leadership-board-2026-12-07.html'
    """
    chosen = pick_format(f"x.{fmt}", None, AGENDA_FORMATS, "an agenda pack")
    with _store(store).read() as s:
        where = get_place(s, place)
        key = _meeting_id(meeting) if meeting is not None else None
        if key is None:
            key = collect.next_meeting_id(s, where, cycle)
        pack = collect.collect_agenda(s, where, key)
    data = _render_agenda(pack, chosen)
    title, day = _meeting_parts(pack.meeting)
    return _file(file_name(where.slug, pack.cycle, f"agenda-{title}", day, chosen), data, chosen)


def invites_file(
    meeting: int | str | None = "all",
    cycle: str | int | None = None,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> ExportFile:
    """Meeting invites as one iCalendar file, in memory: every meeting of the cycle
    (``"all"``, the default), one meeting (its id) or the next (``"next"`` or None).

    >>> lpgp.analyst.exports.invites_file().mime  # doctest: +SKIP
    'text/calendar'
    """
    stamp = clock.now()
    with _store(store).read() as s:
        where = get_place(s, place)
        if meeting == "all":
            cycle_name = delivered_cycle(s, where, cycle).name
            meetings = collect.collect_meetings(s, where, cycle)
            what, day = "meetings", clock.today()
        else:
            if meeting is None or meeting == "next":
                key = collect.next_meeting_id(s, where, cycle)
            else:
                key = _meeting_id(meeting)
            pack = collect.collect_agenda(s, where, key)
            cycle_name, meetings = pack.cycle, [pack.meeting]
            title, day = _meeting_parts(pack.meeting)
            what = f"invite-{title}"
    data = invites.render_ics(meetings, stamp, f"{where.name}: {cycle_name}")
    return _file(file_name(where.slug, cycle_name, what, day, "ics"), data, "ics")
