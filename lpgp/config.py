"""Where lpgp keeps things: the one module that knows paths and the database URL.

Everything is read from the environment at call time, so tests and several servers can point
lpgp elsewhere without touching code:

- ``LPGP_DATA_DIR``: folder for the default SQLite store and the server key (default ``data/``
  under the current project, i.e. the folder holding ``pyproject.toml``, else the working folder).
- ``LPGP_DATABASE_URL``: any SQLAlchemy URL; default ``sqlite:///<data dir>/lpgp.sqlite``.
- ``LPGP_SERVER_KEY_FILE``: the key that protects ballot and member codes; default
  ``<data dir>/server.key``. Point several servers at one copy so they share it.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DEMO_DIR = PACKAGE_DIR / "demo"
MIGRATIONS_DIR = PACKAGE_DIR / "store" / "migrations"


def project_root() -> Path:
    """The checkout that holds lpgp's ``pyproject.toml``, or the working folder when installed."""
    candidate = PACKAGE_DIR.parent
    if (candidate / "pyproject.toml").exists() and (candidate / "lpgp").is_dir():
        return candidate
    return Path.cwd()


def data_dir() -> Path:
    """Folder for user databases and the server key (created when first needed)."""
    env = os.environ.get("LPGP_DATA_DIR")
    return Path(env).expanduser().resolve() if env else project_root() / "data"


def database_url() -> str:
    """The store's SQLAlchemy URL.

    >>> database_url().split(":")[0] in {"sqlite", "postgresql", "postgresql+psycopg"}
    True
    """
    env = os.environ.get("LPGP_DATABASE_URL")
    if env:
        return env
    return f"sqlite:///{data_dir() / 'lpgp.sqlite'}"


def server_key_file() -> Path:
    """Path of the server key (never inside the database)."""
    env = os.environ.get("LPGP_SERVER_KEY_FILE")
    return Path(env).expanduser().resolve() if env else data_dir() / "server.key"
