"""The store: SQLAlchemy tables and sessions over SQLite (default) or PostgreSQL."""

from __future__ import annotations

from .. import config
from .db import Store, current_revision, heads, upgrade

_open: dict[str, Store] = {}


def default_store(url: str | None = None) -> Store:
    """The store at ``url`` (default: ``LPGP_DATABASE_URL`` or the SQLite file), opened once
    per process and migrated on first use."""
    key = url or config.database_url()
    if key not in _open:
        _open[key] = Store(key)
    return _open[key]


def forget_stores() -> None:
    """Close every store this process opened (tests and the CLI use it between runs)."""
    for store in _open.values():
        store.dispose()
    _open.clear()


__all__ = ["Store", "default_store", "forget_stores", "heads", "current_revision", "upgrade"]
