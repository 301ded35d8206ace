"""Board agendas, the rules (pure): items with minutes and a kind, the 80% rule, and a builder
that proposes an agenda from the agreed priorities; :mod:`lpgp.cycle.agendas.agenda_service` stores
a meeting's items.

The rule of thumb: at least 80% of a meeting's agenda time goes to innovation, change and
improvement; business as usual and items the system brings share the rest, and the system's
items come after general practice's own and are time-boxed. The rule is checked in whole
minutes, with no rounding: warn unless ``innovation * 100 >= 80 * total``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol

from lpgp.cycle.actions.tracker_rules import Action, Rag, Status
from lpgp.cycle.agendas.meeting_rules import Meeting
from lpgp.cycle.agreed.priority_rules import Priority
from lpgp.enums import parse_enum
from lpgp.errors import InvalidInput
from lpgp.palette import AGENDA_KINDS, NHS_MID_GREY

TARGET_PERCENT = 80
MAX_ITEM_MINUTES = 240


class Kind(StrEnum):
    """What an agenda item is for."""

    INNOVATION = "innovation_change_improvement"
    BUSINESS = "business_as_usual"
    SYSTEM = "system_item"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.INNOVATION: "Innovation, change and improvement",
    Kind.BUSINESS: "Business as usual",
    Kind.SYSTEM: "Item the system brings",
}


def parse_kind(text: str) -> Kind:
    """Read a kind from its id or a short name.

    >>> parse_kind("innovation")
    <Kind.INNOVATION: 'innovation_change_improvement'>
    >>> parse_kind("BAU")
    <Kind.BUSINESS: 'business_as_usual'>
    """
    aliases = {
        "innovation": Kind.INNOVATION,
        "change": Kind.INNOVATION,
        "improvement": Kind.INNOVATION,
        "icl": Kind.INNOVATION,
        "bau": Kind.BUSINESS,
        "business": Kind.BUSINESS,
        "system": Kind.SYSTEM,
    }
    return parse_enum(Kind, text, field="kind of agenda item", aliases=aliases)


def check_minutes(minutes: int, what: str = "an item") -> int:
    """Minutes are a positive whole number, at most four hours per item.

    >>> check_minutes(-5)
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: an item needs a whole number of minutes from 1 to 240, not -5
    """
    if (
        isinstance(minutes, bool)
        or not isinstance(minutes, int)
        or not 0 < minutes <= MAX_ITEM_MINUTES
    ):
        raise InvalidInput(
            f"{what} needs a whole number of minutes from 1 to {MAX_ITEM_MINUTES}, not {minutes}"
        )
    return minutes


def meets_rule(innovation_minutes: int, total_minutes: int) -> bool:
    """The 80% rule in whole minutes: innovation * 100 >= 80 * total (an empty agenda passes).

    >>> meets_rule(160, 200), meets_rule(159, 200)
    (True, False)
    """
    if innovation_minutes < 0 or total_minutes < innovation_minutes:
        raise InvalidInput(
            f"innovation minutes ({innovation_minutes}) must be between 0 and "
            f"the total ({total_minutes})"
        )
    return innovation_minutes * 100 >= TARGET_PERCENT * total_minutes


class Timed(Protocol):
    """Anything with minutes and a kind: a draft or a stored agenda item."""

    @property
    def minutes(self) -> int: ...

    @property
    def kind(self) -> Kind: ...


@dataclass(frozen=True)
class Split:
    """How an agenda's minutes divide between the kinds of item."""

    innovation: int
    business: int
    system: int

    @property
    def total(self) -> int:
        return self.innovation + self.business + self.system

    @property
    def other(self) -> int:
        return self.business + self.system

    @property
    def meets_rule(self) -> bool:
        return meets_rule(self.innovation, self.total)

    @property
    def percent(self) -> int:
        """Innovation's share in whole percent, rounded down (so 79.9% shows as 79)."""
        return self.innovation * 100 // self.total if self.total else 100

    @property
    def minutes_to_cut(self) -> int:
        """Fewest minutes of other business to cut for the rule to hold (0 if it holds).

        20% other at most means other * 4 <= innovation.
        """
        return max(0, self.other - self.innovation // 4)

    @property
    def minutes_to_add(self) -> int:
        """Or: fewest innovation minutes to add instead (0 if the rule holds)."""
        return max(0, 4 * self.other - self.innovation)


def time_split(items: Iterable[Timed]) -> Split:
    """Add up an agenda's minutes by kind (order does not matter).

    >>> time_split([Draft("Hub", 159, Kind.INNOVATION), Draft("Finance", 41, Kind.BUSINESS)])
    Split(innovation=159, business=41, system=0)
    """
    totals = {kind: 0 for kind in Kind}
    for item in items:
        totals[Kind(item.kind)] += item.minutes
    return Split(totals[Kind.INNOVATION], totals[Kind.BUSINESS], totals[Kind.SYSTEM])


def split_text(split: Split, width: int = 20) -> str:
    """The split as a one-line bar: '#' innovation, '=' business as usual, '.' system items.

    >>> split_text(Split(150, 30, 20), width=20)
    '[###############===..] 75% innovation, change and improvement (150 of 200 min)'
    """
    if split.total == 0:
        return f"[{' ' * width}] no items yet"
    marks = {"#": split.innovation, "=": split.business, ".": split.system}
    cells = {m: v * width // split.total for m, v in marks.items()}
    # hand rounding leftovers to the largest remainders keeps the bar exactly ``width`` wide
    rest = sorted(marks, key=lambda m: -(marks[m] * width % split.total))
    for mark in rest[: width - sum(cells.values())]:
        cells[mark] += 1
    bar = "".join(mark * cells[mark] for mark in marks)
    return (
        f"[{bar}] {split.percent}% innovation, change and improvement "
        f"({split.innovation} of {split.total} min)"
    )


def split_html(split: Split) -> str:
    """The split as a small HTML bar (inline styles, no script) with its number as text."""
    parts = []
    for name, minutes in (
        ("innovation", split.innovation),
        ("business", split.business),
        ("system", split.system),
    ):
        if minutes and split.total:
            share = minutes * 100 / split.total
            parts.append(
                f'<div title="{name}: {minutes} min" style="width:{share:.2f}%;'
                f'background:{AGENDA_KINDS[name]}"></div>'
            )
    state = "meets" if split.meets_rule else "is below"
    caption = html.escape(
        f"{split.percent}% innovation, change and improvement ({split.innovation} of "
        f"{split.total} min): {state} the {TARGET_PERCENT}% rule"
    )
    return (
        '<div class="lpgp-split"><div style="display:flex;height:14px;width:100%;'
        f'border:1px solid {NHS_MID_GREY}">{"".join(parts)}</div><p>{caption}</p></div>'
    )


@dataclass(frozen=True)
class Draft:
    """An agenda item before it is stored."""

    title: str
    minutes: int
    kind: Kind
    priority_id: int | None = None
    action_id: int | None = None
    presenter: str | int | None = None


def parse_system_items(text: str, field: str = "items the system brings") -> list[Draft]:
    r"""Items the system brings, one a line as people type them: a title, then its minutes
    (``ICB update: 15``, ``ICB update, 15`` or ``ICB update 15``); blank lines are skipped. A
    bad line is refused, naming ``field`` and the line (pure).

    >>> [(d.title, d.minutes) for d in parse_system_items("ICB update: 15\n\nEstates, 10")]
    [('ICB update', 15), ('Estates', 10)]
    >>> parse_system_items("Winter plan")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: items the system brings, line 1: 'Winter plan' needs its...
    """
    drafts = []
    for number, line in enumerate(str(text or "").splitlines(), start=1):
        line = " ".join(line.split())
        if not line:
            continue
        found = re.fullmatch(r"(.*?)[\s,:;-]*(-?\d+)\s*(?:min(?:ute)?s?)?", line)
        title = found.group(1).strip(" ,:;-") if found else ""
        if not found or not title:
            raise InvalidInput(
                f"{field}, line {number}: '{line}' needs its minutes at the end, "
                f"e.g. '{title or line}: 15'"
            )
        try:
            minutes = check_minutes(int(found.group(2)), f"'{title}'")
        except InvalidInput as exc:
            raise InvalidInput(f"{field}, line {number}: {exc}") from None
        drafts.append(Draft(title, minutes, Kind.SYSTEM))
    return drafts


def _minutes(n: int) -> str:
    return f"{n} minute" if n == 1 else f"{n} minutes"


def advice(items: Sequence[Draft] | Sequence[AgendaItem]) -> list[str]:
    """What to cut or shorten to meet the rule: system items first, then business as usual,
    longest first, until enough minutes are freed (pure; empty when the rule holds).

    >>> advice([Draft("Hub", 150, Kind.INNOVATION), Draft("ICB update", 30, Kind.SYSTEM),
    ...         Draft("Finance", 20, Kind.BUSINESS)])
    ["shorten 'ICB update' by 13 minutes (to 17)"]
    """
    split = time_split(items)
    need = split.minutes_to_cut
    out: list[str] = []
    others = [i for i in items if Kind(i.kind) is not Kind.INNOVATION]
    others.sort(key=lambda i: (Kind(i.kind) is not Kind.SYSTEM, -i.minutes))
    for item in others:
        if need <= 0:
            break
        if item.minutes <= need:
            out.append(f"drop '{item.title}' ({_minutes(item.minutes)})")
            need -= item.minutes
        else:
            out.append(f"shorten '{item.title}' by {_minutes(need)} (to {item.minutes - need})")
            need = 0
    return out


def warning(items: Sequence[Draft] | Sequence[AgendaItem]) -> str | None:
    """The warning to show when an agenda is below the rule, naming what to cut, else None.

    >>> text = warning([Draft("Hub", 159, Kind.INNOVATION), Draft("Finance", 41, Kind.BUSINESS)])
    >>> text.startswith("Only 79% of the time (159 of 200 minutes)")
    True
    >>> for step in text.split("To meet it: ")[1].split("; or "):
    ...     print(step)
    shorten 'Finance' by 2 minutes (to 39)
    add 5 minutes of innovation, change and improvement.
    """
    split = time_split(items)
    if split.meets_rule:
        return None
    return (
        f"Only {split.percent}% of the time ({split.innovation} of {split.total} minutes) goes "
        f"to innovation, change and improvement; the rule is at least {TARGET_PERCENT}%. "
        f"To meet it: {'; '.join(advice(items))}; or add {_minutes(split.minutes_to_add)} of "
        "innovation, change and improvement."
    )


@dataclass(frozen=True)
class TimeBox:
    """Caps for items the system brings, and the minutes the builder gives each item."""

    system_item_cap: int = 10
    system_total_cap: int = 20
    attention_minutes: int = 25
    due_soon_minutes: int = 20
    other_minutes: int = 15
    business_minutes: int = 10
    ask_minutes: int = 10
    # To fit a meeting, the builder shortens an item of general practice's own no further
    # than this before it leaves the least pressing out.
    shortest_minutes: int = 10


DEFAULT_BOX = TimeBox()


def priority_tier(priority_id: int, actions: Sequence[Action]) -> int:
    """0 when the priority has an action off track, at risk or overdue; 1 when one is due soon;
    2 otherwise (pure)."""
    mine = [a for a in actions if a.priority_id == priority_id and a.status is not Status.DONE]
    if any(a.rag is Rag.RED or a.status is Status.AT_RISK for a in mine):
        return 0
    if any(a.due_soon for a in mine):
        return 1
    return 2


def time_box(
    system_items: Sequence[Draft], box: TimeBox = DEFAULT_BOX
) -> tuple[list[Draft], list[str]]:
    """Cap each system item and their total, in the order given; returns the items kept and
    notes on what was shortened or left out (pure).

    >>> items = [Draft("ICB update", 15, Kind.SYSTEM), Draft("Estates", 15, Kind.SYSTEM)]
    >>> kept, notes = time_box(items, TimeBox(system_item_cap=12, system_total_cap=20))
    >>> [(d.title, d.minutes) for d in kept]
    [('ICB update', 12), ('Estates', 8)]
    >>> notes[-1]
    "'Estates' cut to 8 minutes (system items share 20 at most)"
    """
    kept: list[Draft] = []
    notes: list[str] = []
    left = box.system_total_cap
    for item in system_items:
        minutes = item.minutes
        if minutes > box.system_item_cap:
            notes.append(
                f"'{item.title}' cut to {box.system_item_cap} minutes (cap per system item)"
            )
            minutes = box.system_item_cap
        if left <= 0:
            notes.append(
                f"'{item.title}' left out: no time left in the {box.system_total_cap}-minute "
                "box for system items"
            )
            continue
        if minutes > left:
            notes.append(
                f"'{item.title}' cut to {left} minutes "
                f"(system items share {box.system_total_cap} at most)"
            )
            minutes = left
        left -= minutes
        kept.append(replace(item, minutes=minutes, kind=Kind.SYSTEM))
    return kept, notes


def fit_items(
    items: Sequence[Draft], budget: int, box: TimeBox = DEFAULT_BOX, why: str = ""
) -> tuple[list[Draft], list[str]]:
    """Fit items, most pressing first, into ``budget`` minutes (pure): shorten the least
    pressing first, down to ``box.shortest_minutes``; then leave the least pressing out,
    giving the minutes that frees back to the most pressing; one item longer than the whole
    budget takes all of it. Returns the items kept and notes on what changed (``why`` ends
    each note).

    >>> items = [Draft("A", 25, Kind.INNOVATION), Draft("B", 20, Kind.INNOVATION),
    ...          Draft("C", 15, Kind.INNOVATION)]
    >>> [d.minutes for d in fit_items(items, 50)[0]]
    [25, 15, 10]
    >>> kept, notes = fit_items(items, 15, why="to fit 15 minutes")
    >>> [(d.title, d.minutes) for d in kept], notes[-1]
    ([('A', 15)], "'C' left out to fit 15 minutes")
    """
    minutes = [i.minutes for i in items]
    over = sum(minutes) - max(budget, 0)
    if over <= 0:
        return list(items), []
    for n in reversed(range(len(items))):
        cut = min(over, max(0, minutes[n] - box.shortest_minutes))
        minutes[n] -= cut
        over -= cut
        if over <= 0:
            break
    count = len(items)
    while over > 0 and count > 1:
        count -= 1
        over -= minutes[count]
    if over > 0:  # one item, still too long at its shortest: it gets the whole budget
        minutes[0] -= over
        over = 0
    spare = -over
    for n in range(count):
        give = min(spare, items[n].minutes - minutes[n])
        minutes[n] += give
        spare -= give
    kept = [replace(items[n], minutes=minutes[n]) for n in range(count) if minutes[n] > 0]
    tail = f" {why}" if why else ""
    notes = [
        f"'{i.title}' shortened to {_minutes(m)} (from {i.minutes}){tail}"
        for i, m in zip(items[:count], minutes, strict=False)
        if m < i.minutes
    ]
    notes += [f"'{i.title}' left out{tail}" for i in items[count:]]
    return kept, notes


def assemble(
    own: Sequence[Draft],
    system_items: Sequence[Draft] = (),
    box: TimeBox = DEFAULT_BOX,
    length: int | None = None,
    business: Draft | None = None,
) -> tuple[list[Draft], list[str]]:
    """Put a proposal together (pure): general practice's own items (most pressing first),
    then ``business`` before them, then the system's items, time-boxed.

    Two limits hold. The rule: everything else takes at most a quarter of the own items'
    minutes, so at least 80% of the time goes to innovation, change and improvement (with
    nothing of its own, the proposal is empty). And with ``length``, the meeting's minutes:
    the business item and the system's items keep up to a fifth of the meeting (no more than
    they ask for), and the own items are fitted into the rest (:func:`fit_items`), so the
    agenda never runs past the meeting's end.

    >>> own = [Draft(f"P{n}", 25, Kind.INNOVATION) for n in range(5)]
    >>> items, notes = assemble(own, [Draft("ICB", 30, Kind.SYSTEM)], length=120,
    ...                         business=Draft("Welcome", 10, Kind.BUSINESS))
    >>> [(d.title, d.minutes) for d in items]
    [('Welcome', 10), ('P0', 25), ('P1', 25), ('P2', 25), ('P3', 15), ('P4', 10), ('ICB', 10)]
    >>> sum(d.minutes for d in items), time_split(items).percent
    (120, 83)
    """
    notes: list[str] = []
    wanted_system = sum(d.minutes for d in time_box(system_items, box)[0])
    wanted_other = (business.minutes if business else 0) + wanted_system
    items = list(own)
    if length is not None:
        reserve = min(wanted_other, length // 5)
        items, fitted = fit_items(
            items, length - reserve, box, f"to fit the meeting's {_minutes(length)}"
        )
        notes += fitted
    innovation = sum(d.minutes for d in items)
    # everything else may take a quarter of the innovation minutes: 20% of the whole
    allowance = innovation // 4
    if length is not None:
        allowance = min(allowance, length - innovation)
    proposal = list(items)
    spent = 0
    if business is not None:
        spent = min(business.minutes, allowance)
        if spent:
            proposal.insert(0, replace(business, minutes=spent))
    room = allowance - spent
    if system_items and room < box.system_total_cap:
        if length is not None and length - innovation < innovation // 4:
            notes.append(
                f"system items get {_minutes(room)} in total, so that the agenda keeps to the "
                f"meeting's {_minutes(length)}"
            )
        else:
            notes.append(
                f"system items get {room} minutes in total, so that at least {TARGET_PERCENT}% "
                "of the time stays with innovation, change and improvement"
            )
    kept, boxed = time_box(
        system_items, replace(box, system_total_cap=min(room, box.system_total_cap))
    )
    return proposal + kept, notes + boxed


def propose_leadership(
    priorities: Sequence[Priority],
    actions: Sequence[Action],
    system_items: Sequence[Draft] = (),
    box: TimeBox = DEFAULT_BOX,
    length: int | None = None,
) -> tuple[list[Draft], list[str]]:
    """A leadership-board agenda (pure): a short business item, then the priorities (those with
    actions off track, at risk or overdue first, then those with actions due soon, then the
    rest), then the system's items, time-boxed per item and in total. The business item and the
    system's items share at most a quarter of the priorities' minutes, so a proposal always keeps
    to the 80% rule; with ``length`` it also keeps to the meeting's minutes (:func:`assemble`).
    Returns the items and notes on what was shortened or left out.
    """
    minutes = (box.attention_minutes, box.due_soon_minutes, box.other_minutes)
    reasons = ("actions need attention", "actions due soon", "progress update")
    ranked = sorted(priorities, key=lambda p: (priority_tier(p.id, actions), p.position))
    own = []
    for p in ranked:
        tier = priority_tier(p.id, actions)
        own.append(
            Draft(
                f"Priority {p.position}: {p.title} ({reasons[tier]})",
                minutes[tier],
                Kind.INNOVATION,
                priority_id=p.id,
                presenter=p.lead_id,
            )
        )
    welcome = Draft(
        "Welcome, last meeting's decisions and actions", box.business_minutes, Kind.BUSINESS
    )
    return assemble(own, system_items, box, length, welcome)


def propose_place_based(
    priorities: Sequence[Priority],
    settled: Iterable[int] = (),
    box: TimeBox = DEFAULT_BOX,
    system_items: Sequence[Draft] = (),
    length: int | None = None,
) -> tuple[list[Draft], list[str]]:
    """A place-based board agenda (pure): each open ask of the system, presented by its lead,
    then the system's items, time-boxed and kept to the 80% rule and to ``length``
    (:func:`assemble`); ``settled`` are priorities whose ask was already agreed or declined.
    Returns the items and notes on what was shortened or left out."""
    done = set(settled)
    own = [
        Draft(
            f"Ask of the system: {p.ask} (priority {p.position}: {p.title})",
            box.ask_minutes,
            Kind.INNOVATION,
            priority_id=p.id,
            presenter=p.lead_id,
        )
        for p in priorities
        if p.id not in done
    ]
    return assemble(own, system_items, box, length)


@dataclass(frozen=True)
class AgendaItem:
    """A stored agenda item in its position."""

    id: int
    meeting_id: int
    position: int
    title: str
    minutes: int
    kind: Kind
    priority_id: int | None = None
    action_id: int | None = None
    presenter_id: int | None = None
    presenter: str | None = None


@dataclass(frozen=True)
class AgendaView:
    """A meeting's agenda with its split, bar and warning."""

    meeting: Meeting
    items: tuple[AgendaItem, ...]
    split: Split
    bar: str
    warning: str | None
    overrun_minutes: int


def review(meeting: Meeting, items: Sequence[AgendaItem]) -> AgendaView:
    """Put a meeting's items together with the split and any warning (pure)."""
    split = time_split(items)
    return AgendaView(
        meeting=meeting,
        items=tuple(items),
        split=split,
        bar=split_text(split),
        warning=warning(items),
        overrun_minutes=max(0, split.total - meeting.duration_minutes),
    )
