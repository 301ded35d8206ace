"""The demo place: a fictional area with about forty practices in six PCNs, its board, and a
cycle, so every screen has something to show.

Practice codes run Z99001-Z99041: a Z99 prefix is obviously fictional and stays stable. The
files beside this module are the demo's raw inputs and go through the same importers a user's
files do. Each capability adds a step to :data:`STEPS` that fills in its part of the story.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from lpgp import config
from lpgp.cycle.board import place as places
from lpgp.cycle.board.people_list import read_people
from lpgp.cycle.board.person import add_board_member, upsert_person
from lpgp.cycle.board.practice import import_practices
from lpgp.cycle.board.practice_list import read_practices
from lpgp.demo.delivery import add_delivery
from lpgp.demo.shortlist import add_shortlist
from lpgp.demo.vote import add_votes
from lpgp.model import Cycle, Place
from lpgp.store import Store

DEMO_NAME = "Haverbrook"
DEMO_SLUG = "haverbrook"
DEMO_CYCLE = "2027/28 priorities"
ACTOR = "demo"

BOARD = (
    # (name, chair, facilitator)
    ("Dr Amara Okafor", True, True),
    ("Dr Tom Pritchard", False, False),
    ("Dr Helen Ashworth", False, False),
    ("Dr Sanjay Mehta", False, False),
    ("Dr Fiona Lindqvist", False, False),
    ("Dr Kwame Boateng", False, False),
    ("Dr Rosalind Carver", False, False),
    ("Dr Imran Qureshi", False, True),
    ("Julie Brennan", False, False),
)


@dataclass(frozen=True)
class DemoContext:
    """What each demo step works in: the session, the place and its cycle."""

    session: Session
    place: Place
    cycle: Cycle


Step = Callable[[DemoContext], None]


def _foundation(ctx: DemoContext) -> None:
    as_of = date(2026, 10, 1)
    practices = read_practices(config.DEMO_DIR / "practices.csv", as_of=as_of)
    import_practices(ctx.session, ctx.place, practices, actor=ACTOR, source="demo")
    for person in read_people(config.DEMO_DIR / "people.csv"):
        upsert_person(ctx.session, ctx.place, person, actor=ACTOR)
    for name, chair, facilitator in BOARD:
        add_board_member(
            ctx.session, ctx.place, name, chair=chair, facilitator=facilitator, actor=ACTOR
        )


STEPS: list[Step] = [_foundation, add_shortlist, add_votes, add_delivery]


def load_demo(store: Store) -> Place | None:
    """Build the demo place in one transaction; returns None if it is already there."""

    def work(session: Session) -> Place | None:
        if any(p.slug == DEMO_SLUG for p in places.list_places(session)):
            return None
        place = places.create_place(session, DEMO_NAME, actor=ACTOR)
        cycle = places.create_cycle(session, place, DEMO_CYCLE, actor=ACTOR)
        ctx = DemoContext(session, place, cycle)
        for step in STEPS:
            step(ctx)
        return place

    return store.write(work)
