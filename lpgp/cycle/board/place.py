"""Places and cycles: the scope every query runs in."""

from __future__ import annotations

import re

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lpgp import audit
from lpgp.errors import InvalidInput, NotFound
from lpgp.model import Cycle, Place, check_text
from lpgp.store.schema import CycleRow, PlaceRow

CYCLE_NAME_LENGTH = 200


def slugify(name: str) -> str:
    """A short id for a place, from its name.

    >>> slugify("  Haverbrook & District ")
    'haverbrook-district'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")
    if not slug:
        raise InvalidInput(f"'{name}' cannot name a place: use letters or digits")
    return slug[:80]


def _place(row: PlaceRow) -> Place:
    return Place(id=row.id, slug=row.slug, name=row.name)


def create_place(session: Session, name: str, *, actor: str | None = None) -> Place:
    """Add a place; its slug must be new."""
    actor = audit.acting(actor)
    name = name.strip()
    if not name:
        raise InvalidInput("a place needs a name")
    check_text(name, "place name")
    slug = slugify(name)
    if session.scalar(select(PlaceRow).where(PlaceRow.slug == slug)):
        raise InvalidInput(f"a place called '{name}' already exists")
    row = PlaceRow(slug=slug, name=name)
    session.add(row)
    session.flush()
    audit.record(session, row.id, actor, "place.created", {"name": name})
    return _place(row)


def list_places(session: Session) -> list[Place]:
    """Every place in the store, by name."""
    return [_place(r) for r in session.scalars(select(PlaceRow).order_by(PlaceRow.name))]


def get_place(session: Session, key: str | int | None = None) -> Place:
    """The place named by slug, name or id; with no key, the only place in the store."""
    if key is None or key == "":
        places = list_places(session)
        if len(places) == 1:
            return places[0]
        if not places:
            raise NotFound(
                "the store has no place yet: run 'lpgp init --place NAME' or 'lpgp demo'"
            )
        names = ", ".join(p.slug for p in places)
        raise InvalidInput(
            f"the store holds more than one place: choose one with --place ({names})"
        )
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        row = session.get(PlaceRow, int(key))
    else:
        row = session.scalar(
            select(PlaceRow).where((PlaceRow.slug == key) | (PlaceRow.slug == slugify(key)))
        )
    if row is None:
        raise NotFound(f"no place '{key}' in the store")
    return _place(row)


def _cycle(row: CycleRow) -> Cycle:
    return Cycle(id=row.id, place_id=row.place_id, name=row.name, is_current=row.is_current)


def create_cycle(
    session: Session, place: Place, name: str, *, current: bool = True, actor: str | None = None
) -> Cycle:
    """Start a cycle such as "2027/28 priorities"; by default it becomes the current one.
    Refused, naming the field, if the name is blank, too long, or the place's already (in any
    case)."""
    actor = audit.acting(actor)
    check_text(name, "cycle name")
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("cycle name: give the new cycle a name, e.g. '2028/29 priorities'")
    if len(name) > CYCLE_NAME_LENGTH:
        raise InvalidInput(f"cycle name: longer than {CYCLE_NAME_LENGTH} characters")
    exists = session.scalar(
        select(CycleRow).where(
            CycleRow.place_id == place.id, func.lower(CycleRow.name) == name.lower()
        )
    )
    if exists:
        raise InvalidInput(f"cycle name: {place.name} already has a cycle called '{exists.name}'")
    if current:
        session.execute(
            update(CycleRow).where(CycleRow.place_id == place.id).values(is_current=False)
        )
    row = CycleRow(place_id=place.id, name=name, is_current=current)
    session.add(row)
    session.flush()
    audit.record(session, place.id, actor, "cycle.created", {"cycle": name})
    return _cycle(row)


def list_cycles(session: Session, place: Place) -> list[Cycle]:
    """The place's cycles, oldest first."""
    rows = session.scalars(
        select(CycleRow).where(CycleRow.place_id == place.id).order_by(CycleRow.id)
    )
    return [_cycle(r) for r in rows]


def get_cycle(session: Session, place: Place, key: str | int | None = None) -> Cycle:
    """The cycle named or numbered ``key``, or the place's current cycle."""
    query = select(CycleRow).where(CycleRow.place_id == place.id)
    if key is None or key == "":
        row = session.scalar(query.where(CycleRow.is_current).order_by(CycleRow.id.desc()))
        if row is None:
            raise NotFound(f"{place.name} has no cycle yet: run 'lpgp cycles new NAME'")
    elif isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        row = session.scalar(query.where(CycleRow.id == int(key)))
    else:
        row = session.scalar(query.where(CycleRow.name == key))
    if row is None:
        raise NotFound(f"{place.name} has no cycle '{key}'")
    return _cycle(row)
