"""Action tracker (step 6): the actions towards each agreed priority, what needs attention
first, with filters; a dated update of one action and its history; adding an action; and
importing actions from a spreadsheet (any bad row refuses the whole file).

The screen follows the cycle being delivered unless the chair picks an earlier one."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets
import pandas as pd
from sqlalchemy.orm import Session

from lpgp import clock
from lpgp.access.signin import Visitor
from lpgp.cycle.actions.action_list import parse_actions
from lpgp.cycle.actions.carry_over import carried
from lpgp.cycle.actions.tracker import (
    action_updates,
    add_action,
    import_actions,
    list_actions,
    update_action,
)
from lpgp.cycle.actions.tracker_rules import (
    STALE_WEEKS,
    Action,
    ActionInput,
    ActionUpdate,
    Rag,
    Status,
    check_update_dates,
    clean_title,
)
from lpgp.cycle.agreed.priority import list_priorities
from lpgp.cycle.agreed.priority_rules import Priority
from lpgp.cycle.board.person import list_people
from lpgp.cycle.board.person_rules import is_active
from lpgp.cycle.board.place import get_cycle
from lpgp.errors import ImportRejected, InvalidInput
from lpgp.io.sheets import Sheet, read_upload
from lpgp.model import Person
from lpgp.store import Store
from lpgp.ui.delivering import CyclePicker
from lpgp.ui.format import EMPTY, Html, actor, day, people_table, rag_chip, words
from lpgp.ui.screen import Screen, escape
from lpgp.ui.setup_parts import FileChoice, Spots, problems_html, refusal, show, wide

ANY = ""  # the filters' "Any" choice
NONE = 0  # a "Choose …" placeholder in a form's drop-down


def plural(n: int, one: str, many: str | None = None) -> str:
    """A count and its noun.

    >>> plural(1, "day"), plural(3, "day"), plural(0, "action")
    ('1 day', '3 days', '0 actions')
    """
    return f"{n} {one if n == 1 else (many or one + 's')}"


def needs_attention(item: Action, today: date) -> str:
    """Why an action needs the board's attention, in words (an en dash when nothing does).

    >>> from lpgp.cycle.actions.tracker_rules import Rag, Status
    >>> a = Action(1, 1, 1, 1, "Hub", "Book rooms", 2, "Ann", date(2027, 5, 1), Status.ON_TRACK,
    ...            Rag.RED, True, False, True, "overdue", date(2027, 3, 1), 64)
    >>> needs_attention(a, date(2027, 5, 4))
    'Overdue by 3 days; no update since Mon 1 Mar 2027'
    """
    flags = []
    if item.overdue:
        flags.append(f"Overdue by {plural((today - item.due).days, 'day')}")
    elif item.due_soon:
        flags.append("Due soon")
    if item.stale:
        flags.append(f"no update since {day(item.last_update)}")
    if not flags:
        return EMPTY
    text = "; ".join(flags)
    return text[0].upper() + text[1:]


def action_cell(title: str, priority: Priority | None) -> Html:
    """An action's title with the priority it serves under it, as a table cell.

    >>> hub = Priority(9, 1, 1, 2, "Same-day hub", "", "", "", 3, "Dr A")
    >>> print(action_cell("Book <rooms>", hub))
    Book &lt;rooms&gt;<span class="lpgp-hint">Priority 2: Same-day hub</span>
    """
    under = f"Priority {priority.position}: {priority.title}" if priority else ""
    return Html(f'{escape(title)}<span class="lpgp-hint">{escape(under)}</span>')


def priority_label(p: Priority) -> str:
    """How a priority is named in the drop-downs and the list: its number and title."""
    return f"{p.position}. {p.title}"


def _same(value: object) -> object:
    return value


def _text(label: str) -> widgets.Text:
    return wide(widgets.Text(description=label))


def _area(label: str) -> widgets.Textarea:
    return wide(widgets.Textarea(description=label, rows=2))


def _date(label: str, value: date | None = None) -> widgets.DatePicker:
    picker = widgets.DatePicker(description=label, value=value)
    picker.style.description_width = "initial"
    return picker


def _options(dropdown: widgets.Dropdown, options: list, default: object) -> None:
    """Give a drop-down new choices, keeping what was chosen if it is still offered."""
    if list(dropdown.options) != options:
        keep = dropdown.value if dropdown.value in [v for _, v in options] else default
        dropdown.options = options
        dropdown.value = keep


STATUS_CHOICES = [(s.label, s.value) for s in Status]
RAG_CHOICES = [("Any", ANY)] + [(words(r), r.value) for r in Rag]


class ActionsScreen(Screen):
    """The cycle's actions, attention first, with filters; update one and see its history;
    add one; import a file of them."""

    title = "Action tracker"
    styles = ("lpgp-decide", "lpgp-vote", "lpgp-setup")
    outcomes_under_buttons = True

    def __init__(self, viewer: Visitor, store: Store | None = None) -> None:
        super().__init__(viewer, store)
        self.actions: list[Action] = []
        self.priorities: list[Priority] = []
        self.people: list[Person] = []
        self.spots = Spots(self, "update", "add", "import")
        self.cycle_picker = CyclePicker(viewer, self.store, self._cycle_changed)
        wide(self.cycle_picker.dropdown)
        self.lead = widgets.HTML()

        # The list and its filters.
        self.by_owner = self.control(wide(widgets.Dropdown(description="Filter by owner")))
        self.by_priority = self.control(wide(widgets.Dropdown(description="Filter by priority")))
        self.by_rag = self.control(
            wide(widgets.Dropdown(description="Filter by RAG", options=RAG_CHOICES, value=ANY))
        )
        for box in (self.by_owner, self.by_priority, self.by_rag):
            box.observe(lambda change: self._show_list(), names="value")
        self.filters = widgets.HBox([self.by_owner, self.by_priority, self.by_rag])
        self.filters.add_class("lpgp-actions-filters")
        for box in (self.by_owner, self.by_priority, self.by_rag):
            box.layout.width = "auto"
            box.layout.flex = "1 1 0"
            box.layout.min_width = "0"
        self.table = widgets.HTML()

        # Updating one action.
        self.action_pick = self.control(wide(widgets.Dropdown(description="Action to update")))
        self.action_pick.observe(lambda change: self._load(), names="value")
        self.chosen = widgets.HTML()
        self.new_status = self.control(
            wide(widgets.Dropdown(description="Status now", options=STATUS_CHOICES))
        )
        self.update_on = self.control(_date("Date of the update"))
        self.new_due = self.control(_date("New due date (optional)"))
        self.note = self.control(_area("Note: what has happened"))
        self.save = self.spots.button("Save the update", "update", self._update, "primary")
        self.history = widgets.HTML()
        self.update_box = widgets.VBox(
            [
                self.chosen,
                self.new_status,
                widgets.HBox([self.update_on, self.new_due]),
                self.note,
                self.save,
                self.spots["update"],
                self.history,
            ]
        )

        # Adding one.
        self.priority = self.control(wide(widgets.Dropdown(description="Priority")))
        self.title_box = self.control(_text("Title"))
        self.title_box.placeholder = "What will be done"
        self.owner = self.control(wide(widgets.Dropdown(description="Owner")))
        self.due = self.control(_date("Due date"))
        self.status_box = self.control(
            wide(
                widgets.Dropdown(
                    description="Starting status",
                    options=STATUS_CHOICES,
                    value=Status.NOT_STARTED.value,
                )
            )
        )
        self.first_note = self.control(_area("First note (optional)"))
        self.add = self.spots.button("Add action", "add", self._add, "primary")

        # Importing a file.
        self.actions_file = FileChoice(self, "actions file")
        self.check_button = self.spots.button("Check the file", "import", self._check)
        self.import_button = self.spots.button("Import actions", "import", self._import, "primary")
        self.preview = widgets.HTML()

        self.update_section = widgets.VBox(
            [
                widgets.HTML(
                    "<h2>Update an action</h2><p>Choose the action, say how it stands and "
                    "what has happened. Earlier updates are kept as they were.</p>"
                ),
                self.action_pick,
                self.update_box,
            ]
        )
        self.none_yet = widgets.HTML()
        self.working = widgets.VBox(
            [
                widgets.HTML("<h2>Actions</h2>"),
                self.filters,
                self.table,
                self.update_section,
                widgets.HTML("<h2>Add an action</h2>"),
                self.priority,
                self.title_box,
                self.owner,
                widgets.HBox([self.due]),
                self.status_box,
                self.first_note,
                self.add,
                self.spots["add"],
                widgets.HTML(
                    "<h2>Import actions from a file</h2><p>A CSV or XLSX file with the columns "
                    "Priority (its number or title), Action, Owner and Due, and if you have "
                    "them Status and Note. A file with any bad row is refused whole: nothing "
                    "is added until every row is right.</p>"
                ),
                self.actions_file,
                widgets.HBox([self.check_button, self.import_button]),
                self.spots["import"],
                self.preview,
            ]
        )
        self.body.children = [self.cycle_picker, self.lead, self.none_yet, self.working]
        self.refresh()

    # --- reading ----------------------------------------------------------------------------

    @property
    def cycle(self) -> int | None:
        return self.cycle_picker.cycle

    def _cycle_changed(self) -> None:
        self.say("")
        self.preview.value = ""
        self._read()

    def reset(self) -> None:
        self.preview.value = ""
        super().reset()

    def refresh(self) -> None:
        self.cycle_picker.reload()
        self._read()

    def _read(self) -> None:
        """Read the picked cycle's list, actions and people, and redraw everything."""
        place = self.viewer.place
        cycle = self.cycle
        with self.store.read() as s:
            if cycle is None:
                self.priorities, self.actions, name = [], [], ""
            else:
                self.priorities = list_priorities(s, place, cycle)
                self.actions = list_actions(s, place, cycle)
                name = get_cycle(s, place, cycle).name
            self.people = list_people(s, place)
            self.carried = carried(s, place)
        has_list = bool(self.priorities)
        show(not has_list, self.none_yet)
        show(has_list, self.working)
        self.none_yet.value = (
            ""
            if has_list
            else "<p>There is no agreed list to deliver yet: confirm the list on the Agreed "
            "list screen, then add its actions here.</p>"
        )
        self.lead.value = self._summary(name) if has_list else ""
        show(bool(self.actions), self.update_section)
        self._choices()
        self._show_list()
        self._load()

    def _summary(self, cycle_name: str) -> str:
        """The cycle, and how many actions need attention, in a sentence."""
        n = len(self.actions)
        counts = {
            label: sum(1 for a in self.actions if a.attention == label)
            for label in ("overdue", "off track", "at risk", "due soon")
        }
        parts = [f"{c} {label}" for label, c in counts.items() if c]
        stale = sum(1 for a in self.actions if a.stale)
        text = f"Cycle: <strong>{escape(cycle_name)}</strong>. "
        if not n:
            return f"<p>{text}No actions yet: add the first below, or import a file.</p>"
        text += plural(n, "action")
        text += f"; needing attention: {escape(', '.join(parts))}." if parts else "."
        if stale:
            text += (
                f" {plural(stale, 'open action')} had no update for "
                f"{plural(STALE_WEEKS, 'week')} or more."
            )
        return f'<p class="lpgp-actions-lead">{text}</p>'

    def _choices(self) -> None:
        """Fill the drop-downs from what the store holds now."""
        today = clock.today()
        labels = [(priority_label(p), p.id) for p in self.priorities]
        owners = sorted({(a.owner, a.owner_id) for a in self.actions})
        _options(self.by_owner, [("Any", ANY)] + owners, ANY)
        _options(self.by_priority, [("Any", ANY)] + labels, ANY)
        _options(self.priority, [("Choose a priority", NONE)] + labels, NONE)
        active = [p for p in self.people if is_active(p, today)]
        _options(
            self.owner,
            [("Choose an owner", NONE)] + [(f"{p.name} ({p.role.label})", p.id) for p in active],
            NONE,
        )
        picks = [(f"{a.title} ({a.owner})", a.id) for a in self.actions]
        _options(self.action_pick, [("Choose an action", NONE)] + picks, NONE)

    def _shown(self) -> list[Action]:
        """The actions the filters let through, attention first."""
        out = self.actions
        if self.by_owner.value != ANY:
            out = [a for a in out if a.owner_id == self.by_owner.value]
        if self.by_priority.value != ANY:
            out = [a for a in out if a.priority_id == self.by_priority.value]
        if self.by_rag.value != ANY:
            out = [a for a in out if a.rag.value == self.by_rag.value]
        return out

    def _show_list(self) -> None:
        today = clock.today()
        priorities = {p.id: p for p in self.priorities}
        rows = pd.DataFrame(
            [
                {
                    "rag": rag_chip(a.rag),
                    "action": action_cell(a.title, priorities.get(a.priority_id)),
                    "owner": a.owner,
                    "due": day(a.due),
                    "status": a.status.label,
                    "attention": (
                        f"Carried over to the next list (as action {self.carried[a.id]})"
                        if a.id in self.carried
                        else needs_attention(a, today)
                    ),
                }
                for a in self._shown()
            ],
            columns=["rag", "action", "owner", "due", "status", "attention"],
        )
        filtered = len(rows) != len(self.actions)
        self.table.value = people_table(
            rows,
            {
                "rag": "RAG",
                "action": "Action and its priority",
                "owner": "Owner",
                "due": "Due",
                "status": "Status",
                "attention": "Needs attention",
            },
            {"rag": _same, "action": _same},
            caption="Actions, what needs attention first",
            empty="No actions match these filters." if filtered else "No actions yet.",
        )

    def _picked(self) -> Action | None:
        return next((a for a in self.actions if a.id == self.action_pick.value), None)

    def _load(self) -> None:
        """Fill the update form from the chosen action and show its history."""
        found = self._picked()
        show(found is not None, self.update_box)
        if found is None:
            self.chosen.value = self.history.value = ""
            return
        self.chosen.value = (
            f"<p>{rag_chip(found.rag)} <strong>{escape(found.title)}</strong>: owned by "
            f"{escape(found.owner)}, due {escape(day(found.due))}, "
            f"{escape(found.status.label.lower())}.</p>"
        )
        self.new_status.value = found.status.value
        self.update_on.value = clock.today()
        self.new_due.value = None
        self.note.value = ""
        self._show_history(found)

    def _show_history(self, found: Action) -> None:
        with self.store.read() as s:
            updates = action_updates(s, self.viewer.place, found.id)
        self.history.value = f"<h3>History of '{escape(found.title)}'</h3>" + people_table(
            self._history_rows(updates),
            {
                "on": "Date",
                "status": "Status",
                "due": "Due date",
                "note": "Note",
                "by": "Recorded by",
            },
            caption=f"History of the action {found.title}",
            empty="No updates yet.",
        )

    @staticmethod
    def _history_rows(updates: list[ActionUpdate]) -> pd.DataFrame:
        rows = []
        for number, u in enumerate(updates):
            if u.due is None:
                due = "Unchanged"
            else:
                due = day(u.due) if number == 0 else f"Moved to {day(u.due)}"
            rows.append(
                {
                    "on": day(u.on),
                    "status": u.status.label,
                    "due": due,
                    "note": u.note or EMPTY,
                    "by": actor(u.recorded_by),
                }
            )
        return pd.DataFrame(rows, columns=["on", "status", "due", "note", "by"])

    # --- actions ----------------------------------------------------------------------------

    def _update(self) -> str:
        found = self._picked()
        if found is None:
            raise InvalidInput("action to update: choose the action first")
        status = Status(self.new_status.value)
        new_due: date | None = self.new_due.value
        note = self.note.value.strip()
        on = check_update_dates(
            self.update_on.value, clock.today(), new_due, latest=found.last_update
        )
        if status is found.status and new_due is None and not note:
            raise InvalidInput(
                "note: say what has happened (or choose a new status or a new due date)"
            )
        place, who, action_id = self.viewer.place, self.viewer.actor, found.id
        done = self.store.write(
            lambda s: update_action(
                s,
                place,
                action_id,
                status=status if status is not found.status else None,
                due=new_due,
                note=note or None,
                on=on,
                actor=who,
            )
        )
        return (
            f"Saved the update to '{done.title}': {done.status.label.lower()}, due "
            f"{day(done.due)}, RAG {words(done.rag).lower()}."
        )

    def _item(self) -> ActionInput:
        if not self.priority.value:
            raise InvalidInput("priority: choose the priority the action serves")
        title = clean_title(self.title_box.value)
        if not self.owner.value:
            raise InvalidInput("owner: choose who owns the action")
        if self.due.value is None:
            raise InvalidInput("due date: choose the date the action is due")
        return ActionInput(
            priority=int(self.priority.value),
            title=title,
            owner=int(self.owner.value),
            due=self.due.value,
            status=Status(self.status_box.value),
            note=self.first_note.value.strip() or None,
        )

    def _add(self) -> str:
        item = self._item()
        place, who, cycle = self.viewer.place, self.viewer.actor, self.cycle
        made = self.store.write(lambda s: add_action(s, place, item, cycle=cycle, actor=who))
        self.title_box.value = self.first_note.value = ""
        self.priority.value = self.owner.value = NONE
        self.due.value = None
        self.status_box.value = Status.NOT_STARTED.value
        return (
            f"Added '{made.title}' ({made.owner}, due {day(made.due)}, RAG "
            f"{words(made.rag).lower()})."
        )

    def _sheet(self) -> Sheet:
        name, data = self.actions_file.file()
        try:
            return read_upload(name, data)
        except ImportRejected as exc:
            self.preview.value = problems_html(exc)
            raise InvalidInput(refusal(self.actions_file.field, exc)) from None
        except InvalidInput as exc:
            raise InvalidInput(f"{self.actions_file.field}: {exc}") from None

    def _parse(self, session: Session, sheet: Sheet) -> list[ActionInput]:
        place, cycle = self.viewer.place, self.cycle
        try:
            return parse_actions(
                sheet, list_people(session, place), list_priorities(session, place, cycle)
            )
        except ImportRejected as exc:
            self.preview.value = problems_html(exc)
            raise InvalidInput(refusal(self.actions_file.field, exc)) from None

    def _show_items(self, items: list[ActionInput], heading: str) -> None:
        numbers = {p.id: priority_label(p) for p in self.priorities}
        names = {p.id: p.name for p in self.people}
        rows = pd.DataFrame(
            [
                {
                    "priority": numbers.get(int(i.priority), str(i.priority)),
                    "title": i.title,
                    "owner": names.get(int(i.owner), str(i.owner)),
                    "due": day(i.due),
                    "status": i.status.label,
                    "note": i.note or EMPTY,
                }
                for i in items
            ],
            columns=["priority", "title", "owner", "due", "status", "note"],
        )
        self.preview.value = f"<h3>{escape(heading)}</h3>" + people_table(
            rows,
            {
                "priority": "Priority",
                "title": "Action",
                "owner": "Owner",
                "due": "Due",
                "status": "Starting status",
                "note": "Note",
            },
            caption=heading,
        )

    def _check(self) -> str:
        self.preview.value = ""
        sheet = self._sheet()
        with self.store.read() as s:
            items = self._parse(s, sheet)
        self._show_items(items, "What the import would add")
        return (
            f"{sheet.source}: {plural(len(items), 'action')} ready to import; nothing was "
            "written yet."
        )

    def _import(self) -> str:
        self.preview.value = ""
        # Read before the transaction: reading a large file must not hold the store's lock.
        sheet = self._sheet()
        place, who, cycle = self.viewer.place, self.viewer.actor, self.cycle

        def work(s: Session) -> list[ActionInput]:
            items = self._parse(s, sheet)
            import_actions(s, place, items, cycle=cycle, actor=who)
            return items

        items = self.store.write(work)
        self._show_items(items, "What the import added")
        return f"Imported {sheet.source}: added {plural(len(items), 'action')}."
