"""Alembic environment: runs against the engine lpgp hands over, or LPGP_DATABASE_URL."""

from __future__ import annotations

from alembic import context

from lpgp.errors import StateError
from lpgp.store.db import make_engine, sqlite_connection
from lpgp.store.tables import metadata

cfg = context.config
engine = cfg.attributes.get("engine")
if engine is None:
    from lpgp import config as lpgp_config

    engine = make_engine(lpgp_config.database_url())

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # A batch migration rebuilds a table by copying it and dropping the old one; with
        # foreign keys enforced, dropping a table other rows point at fails. Alembic's advice:
        # turn enforcement off (outside any transaction) and check every key afterwards.
        sqlite_connection(connection.connection).execute("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=sqlite,
        compare_type=True,
    )
    try:
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise StateError(f"the migration broke foreign keys: {broken[:5]}")
        connection.commit()
    finally:
        if sqlite:
            sqlite_connection(connection.connection).execute("PRAGMA foreign_keys=ON")
