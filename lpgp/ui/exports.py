"""Exports (step 8): the priority summary, the action log, a meeting's agenda pack and the
meeting invites, each made when the chair asks and saved by the chair's browser.

Each file is rendered in memory and handed to the page as a download link (a ``data:``
address, which the page's strict content security policy allows for a link the person
clicks); nothing is written to the server's disk. Writing every export into a folder on the
server is the command line's job (``lpgp export all``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import ipywidgets as widgets

from lpgp.access.signin import Visitor
from lpgp.analyst import exports as api
from lpgp.cycle.agendas.meeting import list_meetings
from lpgp.cycle.exports.model import Audience
from lpgp.errors import InvalidInput, LpgpError
from lpgp.store import Store
from lpgp.ui.delivering import CyclePicker
from lpgp.ui.download import download_link
from lpgp.ui.screen import Screen, escape

AUDIENCES = [
    ("Practices", Audience.PRACTICES.value),
    ("The place-based partnership board", Audience.PLACE_BOARD.value),
]
SUMMARY_FORMATS = [
    ("PDF", "pdf"),
    ("Word", "docx"),
    ("Web page (HTML)", "html"),
    ("Markdown", "md"),
]
ACTION_FORMATS = [("Excel workbook (XLSX)", "xlsx"), ("CSV", "csv")]
AGENDA_FORMATS = [("Word", "docx"), ("Web page (HTML)", "html"), ("PDF", "pdf")]
SHORT = {"pdf": "PDF", "docx": "Word", "html": "HTML", "md": "Markdown", "xlsx": "XLSX"}
SHORT |= {"csv": "CSV", "ics": "ICS"}
NO_MEETING = "Choose a meeting"
UNCHOSEN = 0  # the "Choose a meeting" option (a meeting's id is never 0)
ALL_MEETINGS = "all"
COMMAND_LINE = (
    "<h2>What stays in the command line</h2><p>Whoever runs the server does these in a "
    "terminal:</p><ul class='lpgp-plain-list'>"
    "<li>refreshing the practice list from the national files: "
    "<code>lpgp practices from-national</code></li>"
    "<li>backups: <code>lpgp backup</code></li>"
    "<li>upgrading the database: <code>lpgp db upgrade</code></li>"
    "<li>writing every export into a folder on the server: <code>lpgp export all</code></li>"
    "</ul>"
)


def size_text(size: int) -> str:
    """A file's size as people read it.

    >>> size_text(900), size_text(48_213), size_text(2_400_000)
    ('1 KB', '48 KB', '2.4 MB')
    """
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1_000_000:.1f} MB"


def file_link(made: api.ExportFile, what: str) -> str:
    """The download link of a file just made, with its name and size beside it.

    >>> made = api.ExportFile("h-log.csv", b"a,b\\n", "text/csv")
    >>> print(file_link(made, "the action log"))  # doctest: +ELLIPSIS
    <p class="lpgp-button-group"><a class="lpgp-button lpgp-download" download="h-log.csv" href="data:text/csv;charset=utf-8;base64,...">Download the action log (CSV)</a><span>h-log.csv, 1 KB</span></p>
    """  # noqa: E501
    fmt = made.name.rsplit(".", 1)[-1]
    data: bytes | str = made.data.decode("utf-8") if made.text else made.data
    label = f"Download {what} ({SHORT.get(fmt, fmt.upper())})"
    return (
        '<p class="lpgp-button-group">'
        + download_link(data, made.name, made.mime, label)
        + f"<span>{escape(made.name)}, {size_text(len(made.data))}</span></p>"
    )


def meeting_label(start_local: datetime, title: str, cancelled: bool = False) -> str:
    """How the meeting dropdowns name a meeting.

    >>> from datetime import datetime
    >>> meeting_label(datetime(2026, 12, 7, 10, 0), "Leadership board")
    'Mon 7 Dec 2026, 10:00: Leadership board'
    """
    when = f"{start_local:%a} {start_local.day} {start_local:%b %Y}, {start_local:%H:%M}"
    return f"{when}: {title}" + (" (cancelled)" if cancelled else "")


def dropdown(label: str, options: list, value: object = None) -> widgets.Dropdown:
    box = widgets.Dropdown(description=label, options=options, value=value)
    box.style.description_width = "initial"
    box.layout.width = "auto"
    return box


class Section(widgets.VBox):
    """One file to make: a heading and a sentence, the choices, the button, and the spot
    where the download link (or what was wrong) appears."""

    def __init__(
        self,
        screen: Screen,
        title: str,
        text: str,
        choices: list[widgets.Dropdown],
        label: str,
        work: Callable[[], str],
    ) -> None:
        self.screen = screen
        self.work = work
        self.spot = widgets.HTML()
        self.button = screen.control(widgets.Button(description=label, button_style="primary"))
        self.button.layout.width = "auto"
        self.button.on_click(lambda b: screen.run(b, self._make))
        for choice in choices:
            screen.control(choice)
            choice.observe(self._changed, names="value")
        head = widgets.HTML(f"<h2>{escape(title)}</h2><p>{escape(text)}</p>")
        super().__init__([head, widgets.HBox(choices), self.button, self.spot])

    def show(self, made: api.ExportFile, what: str) -> None:
        self.spot.value = file_link(made, what)

    def clear(self) -> None:
        self.spot.value = ""

    def _make(self) -> str:
        self.clear()
        try:
            return self.work()
        except LpgpError as exc:  # said beside the button too: the status is further down
            self.spot.value = f'<p class="lpgp-error-message">{escape(exc)}</p>'
            raise

    def _changed(self, change: dict) -> None:
        """A new choice takes away the file made for the old one, and the next click is a
        new request however soon it comes (a repeat click is only the same click while the
        choices stay as they were)."""
        self.screen._done_at.pop(id(self.button), None)
        if not getattr(self.screen, "_quiet", False):
            self.clear()


class ExportsScreen(Screen):
    """Four files to download, each for the cycle picked at the top: the priority summary (for
    practices or the place-based board), the action log, a meeting's agenda pack and the
    invites (one meeting or all)."""

    title = "Exports"
    styles = ("lpgp-decide", "lpgp-exports")

    def __init__(self, viewer: Visitor, store: Store | None = None) -> None:
        super().__init__(viewer, store)
        self._quiet = False
        self.picker = CyclePicker(viewer, self.store, self._cycle_changed)
        self._controls.append(self.picker.dropdown)
        self.cycle_line = widgets.HTML()

        self.audience = dropdown("Audience", AUDIENCES, Audience.PRACTICES.value)
        self.summary_format = dropdown("Format", SUMMARY_FORMATS, "pdf")
        self.actions_format = dropdown("Format", ACTION_FORMATS, "xlsx")
        self.agenda_meeting = dropdown("Meeting", [(NO_MEETING, UNCHOSEN)], UNCHOSEN)
        self.agenda_format = dropdown("Format", AGENDA_FORMATS, "docx")
        self.invite_meetings = dropdown("Meetings", [])
        self.summary = Section(
            self,
            "Priority summary",
            "The agreed list with each priority's lead, ask and why now, and how the list "
            "was chosen. The version for practices also lists every candidate; the Markdown "
            "file has the results as a table, without the chart.",
            [self.audience, self.summary_format],
            "Make the priority summary",
            self._summary,
        )
        self.actions = Section(
            self,
            "Action log",
            "Every action with its owner, due date, status and latest update; the workbook "
            "has a sheet for each priority.",
            [self.actions_format],
            "Make the action log",
            self._actions,
        )
        self.agenda = Section(
            self,
            "Agenda pack",
            "A meeting's timed agenda with the actions behind each item and the split of "
            "time spent on change and improvement.",
            [self.agenda_meeting, self.agenda_format],
            "Make the agenda pack",
            self._agenda,
        )
        self.invites = Section(
            self,
            "Meeting invites",
            "A calendar file (ICS) that Outlook and other calendar programs open.",
            [self.invite_meetings],
            "Make the invites",
            self._invites,
        )
        self.body.children = [
            widgets.HTML(
                "<p>Choose what to make. Each file is made when you ask for it and saved by "
                "your browser, named by the place, the cycle and the date; nothing is kept on "
                "the server.</p>"
            ),
            self.picker,
            self.cycle_line,
            self.summary,
            self.actions,
            self.agenda,
            self.invites,
            widgets.HTML(COMMAND_LINE),
        ]
        self.refresh()

    # ---- state ----

    def _cycle_changed(self) -> None:
        for section in (self.summary, self.actions, self.agenda, self.invites):
            section.clear()
        self.reset()

    def refresh(self) -> None:
        self._quiet = True
        try:
            self.picker.reload()
            self._meetings()
        finally:
            self._quiet = False

    def _meetings(self) -> None:
        with self.store.read() as s:
            try:
                meetings = list_meetings(s, self.viewer.place, self.picker.cycle)
            except LpgpError:  # no cycle yet
                meetings = []
        named = [
            (meeting_label(m.starts_local, m.title, bool(getattr(m, "cancelled", False))), m.id)
            for m in meetings
        ]
        self._options(self.agenda_meeting, [(NO_MEETING, UNCHOSEN), *named])
        self._options(self.invite_meetings, [("Every meeting of the cycle", ALL_MEETINGS), *named])
        self.cycle_line.value = (
            "<p>The board has not confirmed a list yet: the files show what there is so far.</p>"
            if self.picker.cycle is None
            else ""
        )

    @staticmethod
    def _options(box: widgets.Dropdown, options: list) -> None:
        """New options, keeping the choice when it is still there."""
        before = box.value
        values = [v for _, v in options]
        if list(box.options) != options:
            box.options = options
        box.value = before if before in values else values[0]

    # ---- the four files ----

    def _where(self) -> dict:
        return {"cycle": self.picker.cycle, "place": self.viewer.place.id, "store": self.store}

    def _no_meetings(self, field: str) -> None:
        if len(self.invite_meetings.options) < 2:
            raise InvalidInput(
                f"{field}: this cycle has no meetings yet; add them on the " "Board agendas screen."
            )

    def _summary(self) -> str:
        fmt, who = self.summary_format.value, self.audience.value
        made = api.summary_file(fmt, audience=who, **self._where())
        self.summary.show(made, "the priority summary")
        return "The priority summary is ready to download."

    def _actions(self) -> str:
        made = api.actions_file(self.actions_format.value, **self._where())
        self.actions.show(made, "the action log")
        return "The action log is ready to download."

    def _agenda(self) -> str:
        self._no_meetings("Meeting")
        meeting = self.agenda_meeting.value
        if meeting == UNCHOSEN:
            raise InvalidInput("Meeting: choose the meeting whose agenda pack you want.")
        made = api.agenda_file(meeting, self.agenda_format.value, **self._where())
        self.agenda.show(made, "the agenda pack")
        return "The agenda pack is ready to download."

    def _invites(self) -> str:
        self._no_meetings("Meetings")
        which = self.invite_meetings.value
        made = api.invites_file(which, **self._where())
        if which != ALL_MEETINGS:
            self.invites.show(made, "the invite")
            return "The invite is ready to download."
        self.invites.show(made, "the invites")
        count = len(self.invite_meetings.options) - 1
        return f"The invites to {count} meeting{'s' if count != 1 else ''} are ready to download."
