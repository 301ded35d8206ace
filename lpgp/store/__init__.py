"""The store: SQLAlchemy tables and sessions over SQLite (default) or PostgreSQL."""

from __future__ import annotations

from lpgp import config
from lpgp.store.db import Store, current_revision, heads, open_existing, revision_at, upgrade

_open: dict[str, Store] = {}


def default_store(url: str | None = None) -> Store:
    """The store at ``url`` (default: ``LPGP_DATABASE_URL`` or the SQLite file), opened once
    per process and migrated on first use."""
    key = url or config.database_url()
    if key not in _open:
        _open[key] = Store(key)
    return _open[key]


def existing_store(
    url: str | None = None, *, migrate: bool = False, check_key: bool = True
) -> Store:
    """The store at ``url`` (default as :func:`default_store`), opened once per process, only
    if it exists: it is never created here, and migrated only with ``migrate=True`` (see
    :func:`~lpgp.store.db.open_existing` for what is refused)."""
    key = url or config.database_url()
    if key not in _open:
        _open[key] = open_existing(key, migrate=migrate, check_key=check_key)
    return _open[key]


def forget_stores() -> None:
    """Close every store this process opened (tests and the CLI use it between runs)."""
    for store in _open.values():
        store.dispose()
    _open.clear()


__all__ = [
    "Store",
    "default_store",
    "existing_store",
    "forget_stores",
    "heads",
    "current_revision",
    "upgrade",
    "revision_at",
    "open_existing",
]
