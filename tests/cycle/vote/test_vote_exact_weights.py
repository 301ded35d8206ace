"""Ballot weights are stored exactly (migration 0007): a store at the previous head (0006) with
votes in it is upgraded, every weight reads back as the decimal it was, the ballots table is
still WITHOUT ROWID on SQLite, and a count of the stored weights is the exact count."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from migrations import migrate_to
from sqlalchemy import select, text

from cycle.vote.conftest import TEXTS, make_setup
from lpgp import codes, voting
from lpgp.store import Store, current_revision
from lpgp.store.schema_vote import VoteBallotRow, VoteElectorRow
from lpgp.store.tables import metadata

STORED = [0.1, 0.2, 0.15, 0.15]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, file_store_url: str) -> str:
    """A SQLite file, or a fresh PostgreSQL database (skipped without a server)."""
    return file_store_url if request.param == "sqlite" else request.getfixturevalue("pg_url")


@pytest.mark.slow  # migrates a filled store
def test_weights_survive_the_upgrade_exactly(url: str) -> None:
    codes.create_key()
    store = Store(url)
    setup = make_setup(store, n=6)
    v = setup.vote(method="approval", secret=False, seats=1)
    keys = [t.key for t in TEXTS]
    code = setup.codes(v)
    choices = [["A"], ["A"], ["B"], ["B"]]
    for ods, choice in zip(sorted(code), choices, strict=False):
        setup.cast(code[ods], choice)
    # Back to the previous head, where weights were floats, and give the ballots the
    # weights of the brief's example (and an elector a fractional one).
    migrate_to(store, "0006", "downgrade")
    assert current_revision(store) == "0006"
    with store.engine.begin() as conn:
        found = conn.execute(text("SELECT id, content FROM vote_ballots ORDER BY id")).all()
        given = {"A": [0.1, 0.2], "B": [0.15, 0.15]}
        for ballot_id, content in found:
            choice = (content if isinstance(content, dict) else json.loads(content))["ballot"]
            conn.execute(
                text("UPDATE vote_ballots SET weight = :w WHERE id = :id"),
                {"w": given[choice[0]].pop(), "id": ballot_id},
            )
        conn.execute(text("UPDATE vote_electors SET weight = 12345.5 WHERE position = 0"))
        before = conn.execute(text("SELECT id, content FROM vote_ballots ORDER BY receipt")).all()
    migrate_to(store, "0007")
    assert current_revision(store) == "0007"
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert [d for d in diff if "vote_" in repr(d)] == []  # later revisions may add more
        if store.backend == "sqlite":
            sql = conn.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'vote_ballots'")
            ).scalar_one()
            assert "WITHOUT ROWID" in sql.upper()
            kinds = conn.execute(text("SELECT DISTINCT typeof(weight) FROM vote_ballots"))
            assert kinds.scalars().all() == ["text"]
        after = conn.execute(text("SELECT id, content FROM vote_ballots ORDER BY receipt")).all()
    assert [(r[0], str(r[1])) for r in after] == [(r[0], str(r[1])) for r in before]
    with store.read() as s:
        rows = s.scalars(select(VoteBallotRow).order_by(VoteBallotRow.receipt)).all()
        weights = [r.weight for r in rows]
        ballots = [r.content["ballot"] for r in rows]
        electors = s.scalars(select(VoteElectorRow).order_by(VoteElectorRow.position)).all()
        elector_weights = [e.weight for e in electors]
    assert sorted(weights) == sorted(Decimal(str(w)) for w in STORED)
    assert all(isinstance(w, Decimal) for w in weights)
    assert elector_weights[0] == Decimal("12345.5") and elector_weights[1] == Decimal(1)
    # 0.1 + 0.2 against 0.15 + 0.15: a tie, which the shortlist order gives to A (first).
    r = voting.tally("approval", ballots, candidates=keys, weights=weights)
    assert r.scores["A"] == r.scores["B"] == 0.3
    assert r.winners == ("A",) and r.tie_breaks
    # And back down again: the floats return.
    migrate_to(store, "0006", "downgrade")
    with store.engine.connect() as conn:
        back = conn.execute(text("SELECT weight FROM vote_ballots ORDER BY receipt")).scalars()
        assert sorted(float(w) for w in back) == sorted(STORED)
        if store.backend == "sqlite":
            sql = conn.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'vote_ballots'")
            ).scalar_one()
            assert "WITHOUT ROWID" in sql.upper()
    store.dispose()


def test_a_weight_is_refused_rather_than_rounded(url: str) -> None:
    from sqlalchemy.exc import StatementError

    codes.create_key()
    store = Store(url)
    setup = make_setup(store, n=3)
    setup.vote(method="approval", secret=False, seats=1)
    table = VoteElectorRow.__table__
    with (
        pytest.raises(StatementError, match="at most 6 decimal places"),
        store.engine.begin() as conn,
    ):
        conn.execute(table.update().values(weight=Decimal("0.1234567")))
    store.dispose()
