"""Secret ballots at rest: a copy of the store taken at any moment of a secret vote (the file
with its write-ahead log, or a backup), together with everything published after close, links
no practice to its receipt or its choice beyond chance without the server key.

The attacker knows who voted when (turnout and the audit log are public by design) and reads
the copy below SQL: every B-tree cell with its physical place (SQLite), every heap tuple with
``xmin`` and ``ctid``, dead ones included (PostgreSQL). It lines cells up against the order of
casting, looks for published receipts in them, and compares their lengths with the lengths of
the published choices. Each practice casts a choice no other practice casts, of a size (how
many candidates it approves) drawn independently of when it votes.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from cycle.vote import sqlite_pages
from cycle.vote.conftest import Setup, make_setup
from lpgp import audit, backup
from lpgp.cycle.vote import recount, recount_rules, vote_rules
from lpgp.cycle.vote import vote as votes
from lpgp.store import Store

CASTERS = 20
KEYS = "ABCDE"
# Every distinct approval ballot of five candidates (one to five approved), to draw from.
_SUBSETS = [list(c) for k in range(1, 6) for c in itertools.combinations(KEYS, k)]


@dataclass(frozen=True)
class Truth:
    first_order: list[str]  # practices by their first cast (public: audit log)
    last_order: list[str]  # practices by their last cast (public: audit log)
    receipt: dict[str, str]  # practice -> the receipt it holds (secret)
    choice: dict[str, tuple[str, ...]]  # practice -> its counted choice (secret)


def _vote_and_cast(setup: Setup, copy: Callable[[str], None]) -> tuple[vote_rules.Vote, Truth]:
    v = setup.vote(method="approval", seats=2)
    issued = setup.codes(v)
    rng = random.Random(11)
    practices = list(issued)[:CASTERS]
    rng.shuffle(practices)  # arrival order
    choices = rng.sample(_SUBSETS, CASTERS + 8)
    receipt, choice = {}, {}
    for i, ods in enumerate(practices):
        receipt[ods] = setup.cast(issued[ods], choices[i]).receipt
        choice[ods] = tuple(choices[i])
        if i == CASTERS // 2:
            copy("half cast")
    for j, ods in enumerate(practices[::4]):  # some change their minds later
        receipt[ods] = setup.cast(issued[ods], choices[CASTERS + j]).receipt
        choice[ods] = tuple(choices[CASTERS + j])
    copy("all cast")
    with setup.store.read() as s:
        log = [(e.action, e.detail) for e in audit.entries(s, setup.place.id)]
    casts = [d["practice"] for a, d in log if a in ("ballot.cast", "ballot.replaced")]
    first = list(dict.fromkeys(casts))
    last = list(reversed(list(dict.fromkeys(reversed(casts)))))
    return v, Truth(first, last, receipt, choice)


def _order_links(sequence: list[str], truth: Truth) -> int:
    """The best an attacker does pairing a sequence of receipts, found in physical order,
    with an order of casting."""
    seen = list(dict.fromkeys(sequence))
    best = 0
    for order in (truth.first_order, truth.last_order):
        for candidate in (seen, seen[::-1]):
            hits = sum(truth.receipt[p] == r for p, r in zip(order, candidate, strict=False))
            best = max(best, hits)
    return best


def _length_links(lengths: list[int], truth: Truth, published: list[recount_rules.PublishedBallot]):
    """Pair each caster with a cell length by physical order, then read each length as a
    choice size (the shortest length as the smallest size published, the next as the next);
    count the casters whose choice size that gets right."""
    sizes = sorted({len(b.ballot) for b in published})
    steps = sorted(set(lengths))
    best = 0
    for order in (truth.first_order, truth.last_order):
        for seq in (lengths, lengths[::-1]):
            hits = sum(
                sizes[min(steps.index(n), len(sizes) - 1)] == len(truth.choice[p])
                for p, n in zip(order, seq, strict=False)
            )
            best = max(best, hits)
    return best


def _receipts_in(blob: bytes, receipts: list[str]) -> list[str]:
    return [r for r in receipts if r.encode() in blob]


def test_a_copy_of_the_sqlite_file_links_no_practice_to_its_ballot(file_store_url: str) -> None:
    store = Store(file_store_url)
    setup = make_setup(store, CASTERS + 4)
    path = Path(make_url(file_store_url).database)
    copies: dict[str, tuple[bytes, bytes]] = {}

    def copy(moment: str) -> None:
        wal = Path(f"{path}-wal")
        copies[moment] = (path.read_bytes(), wal.read_bytes() if wal.exists() else b"")
        if moment == "all cast":
            done = backup.backup(store, path.parent / "nightly.sqlite")
            copies["backup while open"] = (done.path.read_bytes(), b"")

    v, truth = _vote_and_cast(setup, copy)
    store.write(lambda s: votes.close_vote(s, setup.place, v))
    assert store.write(votes.publish_closed) == [v.id]
    copy("after close")
    with store.read() as s:
        published = recount.published_ballots(s, v)
    store.dispose()
    receipts = [b.receipt for b in published]
    assert sorted(receipts) == sorted(truth.receipt.values())

    for moment, (db, wal) in copies.items():
        cells = sqlite_pages.all_cells(db, wal)
        found = [
            (c.source, c.page, -c.offset, r) for c in cells for r in _receipts_in(c.data, receipts)
        ]
        if moment != "after close":
            # While the vote is open no published receipt is anywhere in the copy, in any form.
            assert _receipts_in(db + wal, receipts) == [], moment
        for reverse in (False, True):
            sequence = [r for *_, r in sorted(found, reverse=reverse)]
            hits = _order_links(sequence, truth)
            # A random pairing of 20 hits about once on average; 8 or more, about once in
            # 100,000. The layout this replaced gave 20 of 20.
            assert hits < 8, f"{moment}: physical order links {hits} of {CASTERS} practices"
        if moment == "after close":
            # The published ballots are plain by design, so their cells' lengths are their
            # choices' sizes; their order is the one question, and the receipts above (exact,
            # not sizes) already showed it is a shuffle.
            continue
        pages = sqlite_pages.tree_pages(db, wal, ["vote_ballots", "vote_sealed_ballots"])
        ballot_cells = [c for c in sqlite_pages.latest_cells(db, wal, pages) if len(c.data) > 120]
        ballot_cells.sort(key=lambda c: (c.page, -c.offset))
        lengths = [len(c.data) for c in ballot_cells][:CASTERS]
        hits = _length_links(lengths, truth, published)
        # Guessing sizes at random is right about a quarter of the time, and taking every
        # practice for the commonest size about a third; the layout this replaced gave 8 of
        # 11 halfway through and 13 of 20 once all had cast.
        assert hits <= len(lengths) // 2, f"{moment}: cell lengths give {hits} choice sizes"


def _pg_tuples(url: str, tables: list[str]) -> list[tuple[int, int, int, bytes]]:
    """Every tuple in the tables' heap pages, dead ones included: (xmin, block, item, data)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    out = []
    with engine.connect() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
        for table in tables:
            blocks = conn.scalar(text(f"SELECT pg_relation_size('{table}') / 8192"))
            for block in range(int(blocks)):
                rows = conn.execute(
                    text(
                        "SELECT t_xmin, lp, t_data FROM heap_page_items(get_raw_page(:t, :b)) "
                        "WHERE t_data IS NOT NULL"
                    ),
                    {"t": table, "b": block},
                ).all()
                out += [(int(x), block, lp, bytes(data)) for x, lp, data in rows]
    engine.dispose()
    return out


@pytest.mark.postgres
def test_the_raw_pages_of_postgresql_link_no_practice_to_its_ballot(pg_url: str) -> None:
    store = Store(pg_url)
    setup = make_setup(store, CASTERS + 4)
    url = make_url(pg_url).set(drivername="postgresql+psycopg").render_as_string(False)
    tables = ["vote_ballots", "vote_sealed_ballots"]
    copies: dict[str, list[tuple[int, int, int, bytes]]] = {}

    def copy(moment: str) -> None:
        copies[moment] = _pg_tuples(url, tables)

    v, truth = _vote_and_cast(setup, copy)
    store.write(lambda s: votes.close_vote(s, setup.place, v))
    assert store.write(votes.publish_closed) == [v.id]
    copies["after close"] = _pg_tuples(url, tables)
    with store.read() as s:
        published = recount.published_ballots(s, v)
    store.dispose()
    receipts = [b.receipt for b in published]

    for moment, tuples in copies.items():
        if moment != "after close":
            assert [r for *_, d in tuples for r in _receipts_in(d, receipts)] == [], moment
        for order in ((0, 1, 2), (1, 2, 0)):  # by xmin (time written), by ctid (place)
            ranked = sorted(tuples, key=lambda t, o=order: tuple(t[i] for i in o))
            sequence = [r for t in ranked for r in _receipts_in(t[3], receipts)]
            hits = _order_links(sequence, truth)
            assert hits < 8, f"{moment}: tuple order links {hits} of {CASTERS} practices"
            if moment == "after close":
                continue  # published in plain: lengths are the choices' sizes (see above)
            lengths = [len(t[3]) for t in ranked if len(t[3]) > 120][-CASTERS:]
            hits = _length_links(lengths, truth, published)
            assert hits <= len(lengths) // 2, f"{moment}: tuple lengths give {hits} choice sizes"


def test_a_vote_closed_by_its_time_is_published_by_the_next_sweep(setup) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from lpgp.store.schema_vote import VoteRow

    v = setup.vote()
    receipt = setup.cast(setup.codes(v)["Z10001"], ["A", "C"]).receipt
    past = datetime.now(UTC) - timedelta(minutes=1)
    setup.store.write(
        lambda s: s.execute(update(VoteRow).where(VoteRow.id == v.id).values(closes_at=past))
    )
    with setup.store.read() as s:
        assert votes.has_sealed(s, v)
    from lpgp.web.server import publish_due  # what the server runs every minute

    assert publish_due(setup.store) == [v.id]
    assert publish_due(setup.store) == []
    with setup.store.read() as s:
        assert not votes.has_sealed(s, v)
        published = recount.published_ballots(s, v)
    assert [(b.receipt, b.ballot) for b in published] == [(receipt, ["A", "C"])]
