"""Moving a test's store to one migration revision, up or down, as Alembic's commands do."""

from __future__ import annotations

from alembic import command

from lpgp.store import Store
from lpgp.store.db import _script_config


def migrate_to(store: Store, revision: str, how: str = "upgrade") -> None:
    """Run Alembic's ``upgrade`` or ``downgrade`` on ``store`` to ``revision``."""
    cfg = _script_config()
    cfg.attributes["engine"] = store.engine
    getattr(command, how)(cfg, revision)
