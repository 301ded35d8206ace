"""Migration 0011 (list-size history, meeting UIDs) from 0010 with the demo in it."""

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


def test_migration_0011_keeps_list_sizes_and_invite_uids(url: str) -> None:
    from lpgp import codes
    from lpgp.demo import load_demo

    codes.create_key()
    store = Store(url)
    load_demo(store)
    migrate_to(store, "0010", "downgrade")
    assert current_revision(store) == "0010"
    assert "practice_list_sizes" not in inspect(store.engine).get_table_names()
    with store.engine.begin() as conn:
        # A meeting whose invite went out before the upgrade, and a practice with no list size.
        conn.execute(text("UPDATE practices SET list_size = NULL WHERE ods_code = 'Z99001'"))
        meetings = conn.execute(
            text("SELECT m.id, p.slug FROM meetings m JOIN places p ON p.id = m.place_id")
        ).all()
        sizes = conn.execute(
            text(
                "SELECT id, list_size, list_size_as_of FROM practices "
                "WHERE list_size IS NOT NULL ORDER BY id"
            )
        ).all()
    assert meetings and sizes
    migrate_to(store, "0011")
    assert current_revision(store) == "0011"
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert [d for d in diff if "list_size" in repr(d) or "uid" in repr(d)] == []
        uids = dict(conn.execute(text("SELECT id, uid FROM meetings")).all())
        history = conn.execute(
            text(
                "SELECT practice_id, list_size, as_of, source FROM practice_list_sizes "
                "ORDER BY practice_id"
            )
        ).all()
    # Old meetings keep the UID their invites were sent with.
    assert uids == {m_id: f"meeting-{m_id}.{slug}@lpgp" for m_id, slug in meetings}
    # History starts with the list size each practice has; none for the one without.
    assert [(h[0], h[1], str(h[2])) for h in history] == [(s[0], s[1], str(s[2])) for s in sizes]
    assert {h[3] for h in history} == {"before history"}
    migrate_to(store, "0010", "downgrade")
    assert "uid" not in {c["name"] for c in inspect(store.engine).get_columns("meetings")}
    assert "practice_list_sizes" not in inspect(store.engine).get_table_names()
    store.dispose()
