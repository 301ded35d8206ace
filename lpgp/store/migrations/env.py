"""Alembic environment: runs against the engine lpgp hands over, or LPGP_DATABASE_URL."""

from __future__ import annotations

from alembic import context

from lpgp.store.db import make_engine
from lpgp.store.tables import metadata

cfg = context.config
engine = cfg.attributes.get("engine")
if engine is None:
    from lpgp import config as lpgp_config

    engine = make_engine(lpgp_config.database_url())

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
