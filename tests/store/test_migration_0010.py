"""Migration 0010 (carried-over actions, cancelled meetings) from 0009 with the demo in it."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from migrations import migrate_to
from sqlalchemy import inspect, text

from lpgp.store import Store, current_revision
from lpgp.store.tables import metadata


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, file_store_url: str) -> str:
    return file_store_url if request.param == "sqlite" else request.getfixturevalue("pg_url")


def _columns(store: Store, table: str) -> set[str]:
    return {c["name"] for c in inspect(store.engine).get_columns(table)}


def test_migration_0010_keeps_actions_and_meetings(url: str) -> None:
    from lpgp import codes
    from lpgp.demo import load_demo

    codes.create_key()
    store = Store(url)
    load_demo(store)
    migrate_to(store, "0009", "downgrade")
    assert current_revision(store) == "0009"
    assert "carried_from_id" not in _columns(store, "actions")
    assert "cancelled_at" not in _columns(store, "meetings")
    count = "SELECT (SELECT count(*) FROM actions), (SELECT count(*) FROM meetings)"
    with store.engine.connect() as conn:
        before = tuple(conn.execute(text(count)).one())
    assert before[0] > 0 and before[1] > 0
    migrate_to(store, "0010")
    assert current_revision(store) == "0010"
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert [d for d in diff if "carried_from" in repr(d) or "cancelled_at" in repr(d)] == []
        assert tuple(conn.execute(text(count)).one()) == before
        # Existing rows are neither carried over nor cancelled.
        assert (
            conn.execute(
                text("SELECT count(*) FROM actions WHERE carried_from_id IS NOT NULL")
            ).scalar_one()
            == 0
        )
        assert (
            conn.execute(
                text("SELECT count(*) FROM meetings WHERE cancelled_at IS NOT NULL")
            ).scalar_one()
            == 0
        )
    migrate_to(store, "0009", "downgrade")
    assert "carried_from_id" not in _columns(store, "actions")
    store.dispose()
