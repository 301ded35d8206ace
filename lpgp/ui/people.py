"""People (step 1): everyone lpgp names (board members, action owners, leads), a form to add
or edit a person, retiring with an end date (no one is deleted), and a previewed import."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets
import pandas as pd

from lpgp import clock
from lpgp.access.signin import Visitor
from lpgp.cycle.board.people_list import read_people_upload
from lpgp.cycle.board.person import (
    add_person,
    import_people,
    list_board,
    list_people,
    retire_person,
    update_person,
)
from lpgp.cycle.board.person_rules import PeopleImport, PersonInput
from lpgp.cycle.board.practice import list_practices
from lpgp.errors import ImportRejected, InvalidInput
from lpgp.model import BoardMember, Person, Practice, Role
from lpgp.store import Store
from lpgp.ui.format import EMPTY, day, people_table
from lpgp.ui.screen import Screen
from lpgp.ui.setup_parts import FileChoice, Spots, problems_html, refusal, show, wide

NEW = 0  # the "Person to edit" choice that adds someone


def _board_words(seat: BoardMember | None) -> str:
    if seat is None:
        return EMPTY
    roles = [w for w, on in (("Chair", seat.is_chair), ("Facilitator", seat.is_facilitator)) if on]
    return ", ".join(roles) if roles else "Member"


def _dates(p: PersonInput) -> str:
    parts = [f"active from {day(p.active_from)}"] if p.active_from else []
    parts += [f"active to {day(p.active_to)}"] if p.active_to else []
    return "; ".join(parts)


def import_rows(report: PeopleImport) -> pd.DataFrame:
    """The rows an import adds or updates, for the preview."""
    rows = [("Added", p, "; ".join(filter(None, ["New person", _dates(p)]))) for p in report.added]
    rows += [("Updated", p, "Changes " + ", ".join(f)) for p, f in report.updated]
    return pd.DataFrame(
        [
            {
                "what": what,
                "name": p.name,
                "role": p.role.label,
                "pcn": p.pcn or EMPTY,
                "practice": p.practice or EMPTY,
                "email": p.email or EMPTY,
                "details": details,
            }
            for what, p, details in rows
        ],
        columns=["what", "name", "role", "pcn", "practice", "email", "details"],
    )


class PeopleScreen(Screen):
    """The place's people, a form to add, edit or retire one, and a previewed import."""

    title = "People"
    styles = ("lpgp-decide", "lpgp-vote", "lpgp-setup")
    outcomes_under_buttons = True

    def __init__(self, viewer: Visitor, store: Store | None = None) -> None:
        super().__init__(viewer, store)
        self.people: list[Person] = []
        self.practices: list[Practice] = []
        self.spots = Spots(self, "form", "retire", "import")
        self.table = widgets.HTML()
        self.picker = self.control(wide(widgets.Dropdown(description="Person to edit")))
        self.picker.observe(lambda change: self._load(change["new"]), names="value")
        self.name = self.control(wide(widgets.Text(description="Full name")))
        self.role = self.control(
            wide(
                widgets.Dropdown(
                    description="Role",
                    options=[("Choose a role", "")] + [(r.label, r.value) for r in Role],
                )
            )
        )
        self.pcn = self.control(wide(widgets.Dropdown(description="PCN")))
        self.practice = self.control(wide(widgets.Dropdown(description="Practice")))
        self.email = self.control(wide(widgets.Text(description="Email")))
        self.active_from = self.control(widgets.DatePicker(description="Active from"))
        self.active_to = self.control(widgets.DatePicker(description="Active to"))
        for picker in (self.active_from, self.active_to):
            picker.style.description_width = "initial"
        self.add = self.spots.button("Add person", "form", self._add, "primary")
        self.save = self.spots.button("Save changes", "form", self._save, "primary")
        self.clear = self.control(widgets.Button(description="Start a new person"))
        self.clear.layout.width = "auto"
        self.clear.on_click(lambda b: self._pick(NEW))
        self.retire_on = self.control(widgets.DatePicker(description="Retire on"))
        self.retire_on.style.description_width = "initial"
        self.retire = self.spots.button("Retire this person", "retire", self._retire, "danger")
        self.retire_box = widgets.VBox(
            [
                widgets.HTML(
                    "<h3>Retire</h3><p>Give the last day they are active. They stay in the "
                    "list, and in every action and score that names them.</p>"
                ),
                widgets.HBox([self.retire_on]),
                self.retire,
                self.spots["retire"],
            ]
        )
        self.people_file = FileChoice(self, "people file")
        self.preview_button = self.spots.button("Preview import", "import", self._preview)
        self.import_button = self.spots.button("Import people", "import", self._import, "primary")
        self.preview = widgets.HTML()
        self.body.children = [
            widgets.HTML(
                "<p>Everyone lpgp names: board members, action owners and leads. No one is "
                "deleted: a person who leaves is retired with the last day they are active.</p>"
                "<h2>Add or edit a person</h2>"
            ),
            self.picker,
            self.name,
            self.role,
            self.pcn,
            self.practice,
            self.email,
            widgets.HBox([self.active_from, self.active_to]),
            widgets.HBox([self.add, self.save, self.clear]),
            self.spots["form"],
            self.retire_box,
            widgets.HTML(
                "<h2>Import people</h2><p>A CSV or XLSX file with a column for the full name "
                "and one for the role, and if you have them the PCN, the practice's ODS code, "
                "an email, and start and end dates. People already listed (by name) are "
                "updated; nothing is written until you import.</p>"
            ),
            self.people_file,
            widgets.HBox([self.preview_button, self.import_button]),
            self.spots["import"],
            self.preview,
            widgets.HTML("<h2>Everyone</h2>"),
            self.table,
        ]
        self.refresh()
        self._pick(NEW)

    # --- reading ----------------------------------------------------------------------------

    def reset(self) -> None:
        self.preview.value = ""
        super().reset()

    def refresh(self) -> None:
        place = self.viewer.place
        with self.store.read() as s:
            self.people = list_people(s, place)
            board = {m.person_id: m for m in list_board(s, place)}
            self.practices = list_practices(s, place, active_only=True)
        names = {p.ods_code: p.name for p in self.practices}
        rows = pd.DataFrame(
            [
                {
                    "name": p.name,
                    "role": p.role.label,
                    "pcn": p.pcn or EMPTY,
                    "practice": f"{names.get(p.practice, p.practice)} ({p.practice})"
                    if p.practice
                    else EMPTY,
                    "email": p.email or EMPTY,
                    "active_from": day(p.active_from),
                    "active_to": day(p.active_to),
                    "board": _board_words(board.get(p.id)),
                }
                for p in self.people
            ],
            columns=[
                "name",
                "role",
                "pcn",
                "practice",
                "email",
                "active_from",
                "active_to",
                "board",
            ],
        )
        self.table.value = people_table(
            rows,
            {
                "name": "Name",
                "role": "Role",
                "pcn": "PCN",
                "practice": "Practice",
                "email": "Email",
                "active_from": "Active from",
                "active_to": "Active to",
                "board": "Board",
            },
            caption="People",
            empty="No people yet: add the first below, or import a file.",
        )
        pcns = sorted(
            {p.pcn for p in self.practices if p.pcn} | {p.pcn for p in self.people if p.pcn}
        )
        self._options(self.pcn, [("No PCN", "")] + [(n, n) for n in pcns])
        self._options(
            self.practice,
            [("No practice", "")]
            + [(f"{p.name} ({p.ods_code})", p.ods_code) for p in self.practices],
        )
        choices = [("New person", NEW)] + [(p.name, p.id) for p in self.people]
        if list(self.picker.options) != choices:
            ids = {p.id for p in self.people}
            keep = self.picker.value if self.picker.value in ids else NEW
            self.picker.options = choices
            self.picker.value = keep

    @staticmethod
    def _options(dropdown: widgets.Dropdown, options: list) -> None:
        if list(dropdown.options) != options:
            keep = dropdown.value if dropdown.value in dict(options).values() else ""
            dropdown.options = options
            dropdown.value = keep

    def _pick(self, value: int) -> None:
        if self.picker.value == value:
            self._load(value)
        else:
            self.picker.value = value

    def _chosen(self) -> Person | None:
        return next((p for p in self.people if p.id == self.picker.value), None)

    def _load(self, person_id: int | None) -> None:
        """Fill the form from the chosen person, or empty it for a new one."""
        found = self._chosen() if person_id else None
        self.name.value = found.name if found else ""
        self.role.value = found.role.value if found else ""
        pcns = dict(self.pcn.options).values()
        self.pcn.value = found.pcn if found and found.pcn in pcns else ""
        codes = dict(self.practice.options).values()
        self.practice.value = found.practice if found and found.practice in codes else ""
        self.email.value = (found.email or "") if found else ""
        self.active_from.value = found.active_from if found else None
        self.active_to.value = found.active_to if found else None
        self.retire_on.value = clock.today() if found else None
        show(found is None, self.add)
        show(found is not None, self.save, self.clear, self.retire_box)

    # --- actions ----------------------------------------------------------------------------

    def _item(self) -> PersonInput:
        if not self.role.value:
            if not self.name.value.strip():
                raise InvalidInput("full name: give the person's name in full (e.g. Dr Ada Field)")
            raise InvalidInput("role: choose what the person does")
        return PersonInput(
            name=self.name.value,
            role=Role(self.role.value),
            pcn=self.pcn.value or None,
            practice=self.practice.value or None,
            email=self.email.value,
            active_from=self.active_from.value,
            active_to=self.active_to.value,
        )

    def _add(self) -> str:
        item = self._item()
        place, actor = self.viewer.place, self.viewer.actor
        made = self.store.write(lambda s: add_person(s, place, item, actor=actor))
        self.refresh()
        self._pick(NEW)
        return f"Added {made.name} ({made.role.label})."

    def _person(self) -> Person:
        found = self._chosen()
        if found is None:
            raise InvalidInput("person to edit: choose a person first")
        return found

    def _save(self) -> str:
        who, item = self._person(), self._item()
        place, actor = self.viewer.place, self.viewer.actor
        made = self.store.write(lambda s: update_person(s, place, who.id, item, actor=actor))
        self.refresh()
        self._pick(made.id)
        return f"Saved the changes to {made.name}."

    def _retire(self) -> str:
        who = self._person()
        on: date | None = self.retire_on.value
        place, actor = self.viewer.place, self.viewer.actor
        made = self.store.write(lambda s: retire_person(s, place, who.id, on, actor=actor))
        self.refresh()
        self._pick(made.id)
        return f"Retired {made.name}: active until {day(made.active_to)}."

    def _read_file(self) -> tuple[str, list[PersonInput]]:
        name, data = self.people_file.file()
        known = [p.ods_code for p in self.practices]
        try:
            return name, read_people_upload(name, data, practices=known)
        except ImportRejected as exc:
            self.preview.value = problems_html(exc)
            raise InvalidInput(refusal(self.people_file.field, exc)) from None

    def _show_plan(self, report: PeopleImport, heading: str) -> None:
        self.preview.value = f"<h3>{heading}</h3>" + people_table(
            import_rows(report),
            {
                "what": "What happens",
                "name": "Name",
                "role": "Role",
                "pcn": "PCN",
                "practice": "Practice",
                "email": "Email",
                "details": "Details",
            },
            caption=heading,
            empty="Everyone in the file is listed already with the same details.",
        )

    def _preview(self) -> str:
        self.preview.value = ""
        name, incoming = self._read_file()
        place, actor = self.viewer.place, self.viewer.actor
        with self.store.read() as s:
            report = import_people(s, place, incoming, dry_run=True, actor=actor, source=name)
        self._show_plan(report, "What the import would do")
        return (
            f"Preview of {name}, nothing written yet: {len(report.added)} to add, "
            f"{len(report.updated)} to update, {report.unchanged} unchanged."
        )

    def _import(self) -> str:
        self.preview.value = ""
        name, incoming = self._read_file()
        place, actor = self.viewer.place, self.viewer.actor
        report = self.store.write(
            lambda s: import_people(s, place, incoming, actor=actor, source=name)
        )
        self._show_plan(report, "What the import did")
        return (
            f"Imported {name}: {len(report.added)} added, {len(report.updated)} updated, "
            f"{report.unchanged} unchanged."
        )
