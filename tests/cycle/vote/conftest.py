"""Fixtures for the practice vote: a place with practices, and votes open by the real clock.

Times are London wall-clock text relative to now, so the database's own clock (which decides
open and closed) agrees with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import inspect, text

from lpgp import clock
from lpgp.cycle.board import place as places
from lpgp.cycle.board.practice import import_practices
from lpgp.cycle.board.practice_rules import PracticeInput
from lpgp.cycle.vote import ballot, ballot_rules, vote_rules
from lpgp.cycle.vote import vote as votes
from lpgp.model import Place
from lpgp.store import Store

PCNS = ("North PCN", "South PCN", "East PCN", "West PCN")
TEXTS = [
    vote_rules.CandidateText(
        "A", "Same-day access hub", "One hub for urgent same-day need.", "Fund it"
    ),
    vote_rules.CandidateText("B", "Estates plan", "A plan for crowded buildings.", "A capital bid"),
    vote_rules.CandidateText(
        "C", "Shared workforce", "Pooled clinical pharmacists.", "Host the pool"
    ),
    vote_rules.CandidateText(
        "D", "Discharge letters", "Fix hospital letters.", "A shared template"
    ),
    vote_rules.CandidateText(
        "E", "Frailty pathway", "One pathway across the place.", "A named lead"
    ),
]


def london(delta: timedelta) -> str:
    """Now plus ``delta`` as London wall-clock text (seconds kept)."""
    moment = (datetime.now(clock.LONDON) + delta).replace(tzinfo=None, microsecond=0)
    return moment.isoformat(sep=" ")


def practices(n: int) -> list[PracticeInput]:
    return [
        PracticeInput(
            f"Z{10001 + i}",
            f"Practice {i + 1}",
            PCNS[i % len(PCNS)],
            2000 + 731 * i,
            email=f"pm{i + 1}@example.nhs.uk",
        )
        for i in range(n)
    ]


@dataclass
class Setup:
    """A store with one place of ``n`` practices, and helpers to make votes in it."""

    store: Store
    place: Place

    def vote(
        self,
        *,
        method: str = "approval",
        secret: bool = True,
        opens: timedelta = timedelta(hours=-1),
        closes: timedelta = timedelta(hours=2),
        open_it: bool = True,
        **kw,
    ) -> vote_rules.Vote:
        def work(s):
            v = votes.create_vote(
                s,
                self.place,
                title=kw.pop("title", f"Vote {method}"),
                method=method,
                seats=kw.pop("seats", 2),
                opens=london(opens),
                closes=london(closes),
                candidates=kw.pop("candidates", TEXTS),
                secret=secret,
                seed="test-seed",
                **kw,
            )
            return votes.open_vote(s, self.place, v) if open_it else v

        return self.store.write(work)

    def codes(self, vote: vote_rules.Vote) -> dict[str, str]:
        letters = self.store.write(lambda s: ballot.issue_codes(s, vote))
        return {x.ods_code: x.code for x in letters}

    def cast(self, code: str, choice, **kw) -> ballot_rules.Receipt:
        return self.store.write(lambda s: ballot.cast(s, code, choice, **kw))

    def snapshot(self) -> dict[str, list]:
        """Every row of every table, to show that a refused change wrote nothing."""
        out = {}
        with self.store.engine.connect() as conn:
            for name in sorted(inspect(conn).get_table_names()):
                rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
                out[name] = sorted(map(repr, rows))
        return out


def make_setup(store: Store, n: int = 12) -> Setup:
    def work(s):
        place = places.create_place(s, "Testford")
        import_practices(s, place, practices(n))
        return place

    return Setup(store, store.write(work))


@pytest.fixture
def setup(store: Store) -> Setup:
    """Twelve practices in four PCNs, on every backend."""
    return make_setup(store)


@pytest.fixture
def mem_setup() -> Setup:
    """Twelve practices in a SQLite memory store, for rules that do not depend on the backend."""
    s = Store("sqlite://")
    yield make_setup(s)
    s.dispose()


@pytest.fixture
def file_setup(file_store_url: str) -> Setup:
    """Twelve practices on a SQLite file (for tests that need the file itself)."""
    s = Store(file_store_url)
    yield make_setup(s)
    s.dispose()
