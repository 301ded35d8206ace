"""Backups of the store: a consistent copy taken while lpgp keeps running.

SQLite is copied with SQLite's online backup API, page by page, so servers may keep writing
during the copy and the copy is still one consistent moment. PostgreSQL is dumped with the
server's own ``pg_dump`` in its custom format (restore with ``pg_restore``). Either way the
copy is written beside its destination under a temporary name and renamed into place only
when complete, so a backup file is never half-written.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from lpgp import clock, config
from lpgp.errors import ConfigError, LpgpError
from lpgp.store import Store
from lpgp.store.db import sqlite_connection

PG_DUMP_HINT = (
    "pg_dump was not found: install the PostgreSQL client tools (the same major version as the "
    "server or newer) or put pg_dump on PATH"
)


@dataclass(frozen=True)
class Backup:
    """A finished backup: where it is, how big, and how to restore it."""

    path: Path
    size: int
    kind: str
    restore_hint: str


def default_name(backend: str, moment: datetime) -> str:
    """The file name a backup gets when no ``--out`` is given.

    >>> from datetime import datetime
    >>> default_name("sqlite", datetime(2027, 3, 4, 9, 30, 5))
    'lpgp-20270304-093005.sqlite'
    >>> default_name("postgresql", datetime(2027, 3, 4, 9, 30, 5))
    'lpgp-20270304-093005.dump'
    """
    suffix = "sqlite" if backend == "sqlite" else "dump"
    return f"lpgp-{moment:%Y%m%d-%H%M%S}.{suffix}"


def libpq_target(url: str) -> tuple[str, dict[str, str]]:
    """A SQLAlchemy PostgreSQL URL as a libpq URL without its password, plus the environment
    that carries the password (so it never shows in the process list).

    >>> libpq_target("postgresql+psycopg://ann:s3cret@db.example:5433/lpgp")
    ('postgresql://ann@db.example:5433/lpgp', {'PGPASSWORD': 's3cret'})
    """
    parsed = make_url(url)
    env = {"PGPASSWORD": parsed.password} if parsed.password else {}
    plain = URL.create(
        "postgresql",
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    return plain.render_as_string(hide_password=False), env


@contextlib.contextmanager
def _atomic_target(out: Path) -> Iterator[Path]:
    """A temporary path beside ``out``; renamed onto ``out`` only if the block succeeds."""
    out.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp makes the file readable and writable by its owner only; the backup keeps that.
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        with open(partial, "rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, out)
        directory = os.open(out.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    finally:
        partial.unlink(missing_ok=True)


def _sqlite_copy(store: Store, target: Path) -> None:
    # ``target`` is the empty owner-only file made by _atomic_target: SQLite writes into it,
    # and gives any journal of its own the same permissions.
    destination = sqlite3.connect(target)
    try:
        raw = store.engine.raw_connection()
        try:
            # One step: a single read transaction, which WAL lets writers work alongside.
            sqlite_connection(raw).backup(destination)
        finally:
            raw.close()
        check = destination.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise LpgpError(f"the backup copy failed SQLite's integrity check: {check}")
        # A plain rollback-journal file: one self-contained file to keep or restore.
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()


def _pg_dump(store: Store, target: Path) -> None:
    program = shutil.which("pg_dump")
    if program is None:
        raise ConfigError(PG_DUMP_HINT)
    dsn, env = libpq_target(store.url)
    result = subprocess.run(
        [program, "--format=custom", "--no-owner", f"--file={target}", f"--dbname={dsn}"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        reason = result.stderr.strip().splitlines()
        raise LpgpError(
            "pg_dump could not back up the store: " + (reason[-1] if reason else "no reason given")
        )


def backup(store: Store, out: Path | None = None) -> Backup:
    """Copy ``store`` to ``out`` (default: ``<data dir>/backups/lpgp-<time>.<ext>``).

    An existing file at ``out`` is replaced only once the new copy is complete.

    >>> import tempfile, pathlib
    >>> from lpgp.store import Store
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> done = backup(Store(f"sqlite:///{folder / 'live.sqlite'}"), folder / "copy.sqlite")
    >>> done.path.name, done.kind
    ('copy.sqlite', 'sqlite')
    """
    if store.backend not in ("sqlite", "postgresql"):
        raise ConfigError(f"lpgp cannot back up a {store.backend} store; use its own tools")
    if out is None:
        out = config.data_dir() / "backups" / default_name(store.backend, clock.now())
    out = Path(out).expanduser().resolve()
    if out.is_dir():
        raise ConfigError(f"--out {out} is a folder: give a file name for the backup")
    with _atomic_target(out) as partial:
        if store.backend == "sqlite":
            _sqlite_copy(store, partial)
        else:
            _pg_dump(store, partial)
    if store.backend == "sqlite":
        hint = f"to restore, stop lpgp and copy {out.name} over the store's file"
    else:
        hint = f"to restore: pg_restore --clean --if-exists --no-owner --dbname=URL {out.name}"
    return Backup(out, out.stat().st_size, store.backend, hint)
