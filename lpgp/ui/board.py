"""Board and practices (step 1): who sits on the board, who chairs and facilitates, their
sign-in codes (shown once, printable), and the place's practices with a previewed import."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import ipywidgets as widgets
import pandas as pd

from lpgp import clock
from lpgp.access.signin import Visitor
from lpgp.cycle.board.member_code import IssuedCode, code_holders, issue_code
from lpgp.cycle.board.person import (
    list_board,
    list_people,
    remove_board_member,
    seat_member,
    set_chair,
    set_facilitator,
)
from lpgp.cycle.board.person_rules import is_active
from lpgp.cycle.board.practice import import_practices, list_practices
from lpgp.cycle.board.practice_list import read_practices_upload
from lpgp.cycle.board.practice_rules import ImportReport, PracticeInput
from lpgp.errors import ImportRejected, InvalidInput
from lpgp.model import BoardMember, Person, Practice
from lpgp.store import Store
from lpgp.ui.format import EMPTY, count, day, people_table, yes_no
from lpgp.ui.screen import Screen, escape
from lpgp.ui.setup_parts import FileChoice, Spots, problems_html, refusal, show, wide

NO_PCN = "No PCN"
NONE = 0  # the first choice of a drop-down, which chooses no one
FIELD_WORDS = {
    "name": "Name",
    "pcn": "PCN",
    "list_size": "List size",
    "list_size_as_of": "List size date",
    "email": "Email",
}


def _value(name: str, value: object) -> str:
    """A practice's field value as people read it."""
    if name == "pcn":
        return str(value) if value else NO_PCN
    if name == "list_size":
        return count(value if isinstance(value, int | float) else None)
    if name == "list_size_as_of":
        return day(value if isinstance(value, date) else None)
    return EMPTY if value in (None, "") else str(value)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def import_sentence(report: ImportReport, in_file: int) -> str:
    """What a practice import does, in words: how many practices the file holds, the kinds of
    change it makes, and how many it leaves as they were.

    >>> import_sentence(ImportReport(added=("Z99001",), unchanged=40), 41)
    '41 practices in the file: 1 added, 40 unchanged'
    >>> import_sentence(ImportReport(deactivated=("Z99001", "Z99002"), unchanged=1), 1)
    '1 practice in the file: 2 taken off the list, 1 unchanged'
    """
    kinds = (
        (len(report.added), "added"),
        (len(report.changed), "changed"),
        (len(report.reactivated), "back on the list"),
        (len(report.deactivated), "taken off the list"),
    )
    parts = [f"{n} {what}" for n, what in kinds if n] + [f"{report.unchanged} unchanged"]
    return f"{_plural(in_file, 'practice')} in the file: {', '.join(parts)}"


def preview_rows(
    report: ImportReport, incoming: list[PracticeInput], existing: list[Practice]
) -> pd.DataFrame:
    """One row for each practice the import changes: what happens and the details."""
    new = {p.ods_code: p for p in incoming}
    old = {p.ods_code: p for p in existing}
    rows = []
    for code in report.added:
        item = new[code]
        size = (
            f"; list size {count(item.list_size)} on {day(item.list_size_as_of)}"
            if item.list_size
            else ""
        )
        rows.append(("Added", code, item.name, f"{_value('pcn', item.pcn)}{size}"))
    for change in report.changed:
        details = "; ".join(
            f"{FIELD_WORDS[f]}: {_value(f, a)} → {_value(f, b)}"
            for f, (a, b) in change.fields.items()
        )
        rows.append(("Changed", change.ods_code, new[change.ods_code].name, details))
    for code in report.reactivated:
        rows.append(("Back on the list", code, new[code].name, "Active again"))
    for code in report.deactivated:
        rows.append(
            ("Taken off the list", code, old[code].name, "Not in the file: kept for past votes")
        )
    return pd.DataFrame(rows, columns=["what", "ods_code", "name", "details"])


def code_slip(issued: IssuedCode, place_name: str) -> str:
    """The panel that shows a new sign-in code once, large, ready to print."""
    who = escape(issued.member.name)
    return (
        f'<div class="lpgp-code-slip" role="region" aria-label="Sign-in code for {who}">'
        f'<p class="lpgp-code-slip__who">Sign-in code for <strong>{who}</strong>, '
        f"{escape(place_name)} board</p>"
        f'<p class="lpgp-code-slip__code">{escape(issued.code)}</p>'
        '<p class="lpgp-code-slip__hint"><strong>Print</strong>: press Ctrl+P (⌘+P on a Mac); '
        "only this box is printed. Give the code to its owner privately: it cannot be shown "
        "again, and a new code stops this one working.</p></div>"
    )


@dataclass
class _Seen:
    """What the screen shows, read from the store in one transaction."""

    board: list[BoardMember] = field(default_factory=list)
    holders: set[int] = field(default_factory=set)
    people: list[Person] = field(default_factory=list)
    practices: list[Practice] = field(default_factory=list)


class BoardScreen(Screen):
    """The board, its roles and sign-in codes, and the practices with a previewed import."""

    title = "Board and practices"
    styles = ("lpgp-decide", "lpgp-setup")
    outcomes_under_buttons = True

    def __init__(self, viewer: Visitor, store: Store | None = None) -> None:
        super().__init__(viewer, store)
        self.seen = _Seen()
        self.spots = Spots(self, "add", "member", "code", "practices")
        # The board.
        self.board_summary = widgets.HTML()
        self.board_table = widgets.HTML()
        self.person = self.control(wide(widgets.Dropdown(description="Person to add")))
        self.add = self.spots.button("Add to the board", "add", self._add, "primary")
        self.add_help = widgets.HTML()
        # One member: roles and sign-in code.
        self.member = self.control(wide(widgets.Dropdown(description="Board member")))
        self.member.observe(lambda change: self._show_member(), names="value")
        self.member_line = widgets.HTML()
        self.chair = self.spots.button("Make chair", "member", self._chair)
        self.facilitate = self.spots.button("Make facilitator", "member", self._facilitate)
        self.unfacilitate = self.spots.button("Stop facilitating", "member", self._unfacilitate)
        self.retire = self.spots.button("Retire from the board", "member", self._retire, "danger")
        self.issue = self.spots.button("Issue a sign-in code", "code", self._issue, "primary")
        self.reissue_ask = self.control(widgets.Button(description="Reissue the sign-in code…"))
        self.reissue_ask.layout.width = "auto"
        self.reissue_ask.on_click(lambda b: self._confirm(True))
        self.reissue_sure = widgets.HTML()
        self.reissue_yes = self.spots.button(
            "Yes, reissue the code", "code", self._reissue, "danger"
        )
        self.reissue_no = self.control(widgets.Button(description="Keep the current code"))
        self.reissue_no.layout.width = "auto"
        self.reissue_no.on_click(lambda b: self._confirm(False))
        self.reissue_confirm = widgets.VBox(
            [self.reissue_sure, widgets.HBox([self.reissue_yes, self.reissue_no])]
        )
        self.reissue_confirm.add_class("lpgp-vote-confirm")
        self.slip = widgets.HTML()
        self.hide_slip = self.control(widgets.Button(description="Hide the code"))
        self.hide_slip.layout.width = "auto"
        self.hide_slip.on_click(lambda b: self._clear_slip())
        # Practices.
        self.practice_summary = widgets.HTML()
        self.practice_file = FileChoice(self, "practice list file")
        self.preview_button = self.spots.button("Preview import", "practices", self._preview)
        self.import_button = self.spots.button(
            "Import practices", "practices", self._import, "primary"
        )
        self.preview = widgets.HTML()
        self.practice_table = widgets.HTML()
        self.body.children = [
            widgets.HTML(
                "<p>Who sits on the leadership board, who chairs it and who runs the workshop "
                "app (the facilitators), their sign-in codes, and the place's GP practices.</p>"
                "<h2>The board</h2>"
            ),
            self.board_summary,
            self.board_table,
            widgets.HTML("<h3>Add a member</h3>"),
            self.person,
            self.add_help,
            self.add,
            self.spots["add"],
            widgets.HTML("<h3>Change a member or give them a sign-in code</h3>"),
            self.member,
            self.member_line,
            widgets.HBox([self.chair, self.facilitate, self.unfacilitate, self.retire]),
            self.spots["member"],
            widgets.HBox([self.issue, self.reissue_ask]),
            self.reissue_confirm,
            self.spots["code"],
            self.slip,
            self.hide_slip,
            widgets.HTML("<h2>Practices</h2>"),
            self.practice_summary,
            widgets.HTML(
                "<h3>Import a practice list</h3><p>A CSV or XLSX file with a column for the "
                "ODS code and one for the practice's name, and if you have them the PCN, list "
                "size, its date and an email. Preview shows what would change, or every "
                "problem in the file; nothing is written until you import. Practices missing "
                "from the file are taken off the list but kept for past votes.</p>"
            ),
            self.practice_file,
            widgets.HBox([self.preview_button, self.import_button]),
            self.spots["practices"],
            self.preview,
            widgets.HTML(
                '<p class="lpgp-hint">Building or refreshing the list from NHS England\'s '
                "national files (the monthly list sizes, PCN membership and ODS practice "
                "data) runs from the command line, where the files are: <code>lpgp practices "
                "from-national</code> shows what would change and <code>--apply</code> writes "
                "it. So do backups (<code>lpgp backup</code>) and upgrading the database "
                "(<code>lpgp db upgrade</code>).</p>"
            ),
            widgets.HTML("<h3>The practices</h3>"),
            self.practice_table,
        ]
        self._clear_slip()
        self.refresh()

    # --- reading ----------------------------------------------------------------------------

    def reset(self) -> None:
        self._clear_slip()
        self.preview.value = ""
        super().reset()

    def refresh(self) -> None:
        place = self.viewer.place
        with self.store.read() as s:
            self.seen = _Seen(
                board=list_board(s, place),
                holders=code_holders(s, place),
                people=list_people(s, place),
                practices=list_practices(s, place),
            )
        self._show_board()
        self._show_practices()

    def _show_board(self) -> None:
        board, holders = self.seen.board, self.seen.holders
        chairs = [m.name for m in board if m.is_chair]
        facilitators = [m.name for m in board if m.is_facilitator]
        self.board_summary.value = (
            f"<p>{_plural(len(board), 'member')}. Chair: "
            f"<strong>{escape(', '.join(chairs) or 'none yet')}</strong>. Facilitators: "
            f"<strong>{escape(', '.join(facilitators) or 'none yet')}</strong>.</p>"
            if board
            else "<p>No one is on the board yet: add the first members below.</p>"
        )
        rows = pd.DataFrame(
            [
                {
                    "name": m.name,
                    "role": m.role.label,
                    "chair": yes_no(m.is_chair),
                    "facilitator": yes_no(m.is_facilitator),
                    "code": "Issued" if m.person_id in holders else "Not issued yet",
                }
                for m in board
            ],
            columns=["name", "role", "chair", "facilitator", "code"],
        )
        self.board_table.value = people_table(
            rows,
            {
                "name": "Name",
                "role": "Role",
                "chair": "Chair",
                "facilitator": "Facilitator",
                "code": "Sign-in code",
            },
            caption="Board members",
            empty="",
        )
        seated = {m.person_id for m in board}
        today = clock.today()
        free = [p for p in self.seen.people if p.id not in seated and is_active(p, today)]
        options = [("Choose a person", NONE)] + [(f"{p.name} ({p.role.label})", p.id) for p in free]
        if list(self.person.options) != options:
            self.person.options = options
            self.person.value = NONE
        self.add_help.value = (
            "<p>Only people active today who are not on the board are listed. Someone "
            "missing? Add them on the People screen first.</p>"
        )
        members = [("Choose a member", NONE)] + [(m.name, m.person_id) for m in board]
        if list(self.member.options) != members:
            keep = self.member.value if self.member.value in seated else NONE
            self.member.options = members
            self.member.value = keep
        self._show_member()

    def _chosen_member(self) -> BoardMember | None:
        return next((m for m in self.seen.board if m.person_id == self.member.value), None)

    def _show_member(self) -> None:
        member = self._chosen_member()
        self._confirm(False)
        if member is None:
            self.member_line.value = (
                "<p>Choose a member to make them chair or a facilitator, retire them from the "
                "board, or give them a sign-in code.</p>"
            )
            show(
                False,
                *(self.chair, self.facilitate, self.unfacilitate, self.retire),
                *(self.issue, self.reissue_ask),
            )
            return
        has_code = member.person_id in self.seen.holders
        roles = [member.role.label]
        roles += ["chair"] if member.is_chair else []
        roles += ["facilitator"] if member.is_facilitator else []
        code = (
            "has a sign-in code; a new one stops the old one working"
            if has_code
            else "has no sign-in code yet"
        )
        self.member_line.value = (
            f"<p><strong>{escape(member.name)}</strong>: {escape(', '.join(roles))}. "
            f"{escape(member.name)} {code}.</p>"
        )
        show(not member.is_chair, self.chair)
        show(not member.is_facilitator, self.facilitate)
        show(member.is_facilitator, self.unfacilitate)
        show(True, self.retire)
        show(not has_code, self.issue)
        show(has_code, self.reissue_ask)

    def _confirm(self, asking: bool) -> None:
        member = self._chosen_member()
        asking = asking and member is not None and member.person_id in self.seen.holders
        if asking and member is not None:
            self.reissue_sure.value = (
                f'<p class="lpgp-warning">{escape(member.name)}\'s current sign-in code stops '
                "working as soon as the new one is issued: they will need the new code to sign "
                "in.</p>"
            )
            self.reissue_yes.description = f"Yes, reissue {member.name}'s code"
        show(asking, self.reissue_confirm)
        show(
            not asking and member is not None and member.person_id in self.seen.holders,
            self.reissue_ask,
        )

    def _show_practices(self) -> None:
        active = [p for p in self.seen.practices if p.active]
        gone = len(self.seen.practices) - len(active)
        pcns = {p.pcn for p in active if p.pcn}
        patients = sum(p.list_size or 0 for p in active)
        kept = (
            f" {_plural(gone, 'practice')} that left the list {'is' if gone == 1 else 'are'} "
            "kept for past votes and not shown."
            if gone
            else ""
        )
        self.practice_summary.value = (
            f"<p>{_plural(len(active), 'practice')} in {_plural(len(pcns), 'PCN')}, "
            f"{count(patients)} registered patients.{escape(kept)}</p>"
            if active
            else "<p>No practices yet: import the place's practice list below.</p>"
        )
        rows = pd.DataFrame(
            [
                {
                    "ods_code": p.ods_code,
                    "name": p.name,
                    "pcn": p.pcn or NO_PCN,
                    "list_size": count(p.list_size),
                    "as_of": day(p.list_size_as_of),
                    "email": p.email or EMPTY,
                }
                for p in active
            ],
            columns=["ods_code", "name", "pcn", "list_size", "as_of", "email"],
        )
        self.practice_table.value = people_table(
            rows,
            {
                "ods_code": "ODS code",
                "name": "Practice",
                "pcn": "PCN",
                "list_size": "List size",
                "as_of": "List size as of",
                "email": "Email",
            },
            caption="Practices",
            empty="",
        )

    # --- actions ----------------------------------------------------------------------------

    def _clear_slip(self) -> None:
        self.slip.value = ""
        show(False, self.hide_slip)

    def _add(self) -> str:
        self._clear_slip()
        chosen = self.person.value
        if not chosen:
            raise InvalidInput("person to add: choose someone to put on the board")
        place, actor = self.viewer.place, self.viewer.actor
        seat = self.store.write(lambda s: seat_member(s, place, chosen, actor=actor))
        self.refresh()
        self.member.value = seat.person_id
        return f"Added {seat.name} as a board member."

    def _member(self) -> BoardMember:
        member = self._chosen_member()
        if member is None:
            raise InvalidInput("board member: choose a member first")
        return member

    def _chair(self) -> str:
        self._clear_slip()
        member = self._member()
        before = [m.name for m in self.seen.board if m.is_chair]
        place, actor = self.viewer.place, self.viewer.actor
        made = self.store.write(lambda s: set_chair(s, place, member.person_id, actor=actor))
        was = [n for n in before if n != made.name]
        tail = f"; {was[0]} stays on the board as a member." if was else "."
        return f"{made.name} is now the chair{tail}"

    def _facilitate(self) -> str:
        return self._set_facilitator(True)

    def _unfacilitate(self) -> str:
        return self._set_facilitator(False)

    def _set_facilitator(self, on: bool) -> str:
        self._clear_slip()
        member = self._member()
        place, actor = self.viewer.place, self.viewer.actor
        made = self.store.write(
            lambda s: set_facilitator(s, place, member.person_id, on, actor=actor)
        )
        if on:
            return f"{made.name} is now a facilitator: they can run the workshop app."
        return f"{made.name} no longer facilitates."

    def _retire(self) -> str:
        self._clear_slip()
        member = self._member()
        place, actor = self.viewer.place, self.viewer.actor
        gone = self.store.write(
            lambda s: remove_board_member(s, place, member.person_id, actor=actor)
        )
        self.member.value = NONE
        return (
            f"Retired {gone.name} from the board: their sign-in code no longer works. They "
            "stay on the People screen."
        )

    def _issue_code(self, replace: bool) -> str:
        self._clear_slip()
        member = self._member()
        place, actor = self.viewer.place, self.viewer.actor
        issued = self.store.write(
            lambda s: issue_code(s, place, member.person_id, replace=replace, actor=actor)
        )
        self.slip.value = code_slip(issued, place.name)
        show(True, self.hide_slip)
        if replace:
            return (
                f"Issued a new sign-in code to {issued.member.name}: the old one no longer "
                "works. The new code is shown below, once."
            )
        return f"Issued a sign-in code to {issued.member.name}: it is shown below, once."

    def _issue(self) -> str:
        return self._issue_code(replace=False)

    def _reissue(self) -> str:
        return self._issue_code(replace=True)

    def _read_file(self) -> tuple[str, list[PracticeInput]]:
        name, data = self.practice_file.file()
        try:
            return name, read_practices_upload(name, data, as_of=clock.today())
        except ImportRejected as exc:
            self.preview.value = problems_html(exc)
            raise InvalidInput(refusal(self.practice_file.field, exc)) from None

    def _preview(self) -> str:
        self._clear_slip()
        self.preview.value = ""
        name, incoming = self._read_file()
        place, actor = self.viewer.place, self.viewer.actor
        with self.store.read() as s:
            existing = list_practices(s, place)
            report = import_practices(s, place, incoming, dry_run=True, actor=actor, source=name)
        rows = preview_rows(report, incoming, existing)
        self.preview.value = "<h4>What the import would do</h4>" + people_table(
            rows,
            {
                "what": "What happens",
                "ods_code": "ODS code",
                "name": "Practice",
                "details": "Details",
            },
            caption="What the import would do",
            empty="The file matches the practice list: importing it changes nothing.",
        )
        return f"Preview of {name}, nothing written yet: {import_sentence(report, len(incoming))}."

    def _import(self) -> str:
        self._clear_slip()
        self.preview.value = ""
        name, incoming = self._read_file()
        place, actor = self.viewer.place, self.viewer.actor
        report = self.store.write(
            lambda s: import_practices(s, place, incoming, actor=actor, source=name)
        )
        return f"Imported {name}: {import_sentence(report, len(incoming))}."
