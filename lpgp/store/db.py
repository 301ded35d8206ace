"""Opening the store: engines, one-transaction units of work, migrations and the retry policy.

SQLite (the default) runs in WAL mode with a busy timeout, and every write transaction starts
with ``BEGIN IMMEDIATE`` so two processes queue for the write lock instead of failing half-way.
PostgreSQL write transactions run SERIALIZABLE. Transient lock and serialisation failures are
retried here, and only here (:meth:`Store.write`).
"""

from __future__ import annotations

import contextlib
import fcntl
import math
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection, StaticPool

from lpgp import config
from lpgp.errors import ConfigError, StateError, StoreBusy, StoreMissing, StoreOutOfDate

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

T = TypeVar("T")
BUSY_TIMEOUT_MS = 30_000
RETRIES = 8


def _is_transient(exc: BaseException) -> bool:
    """True for errors that a fresh attempt of the same transaction may not meet again."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate in {"40001", "40P01", "55P03"}:
        return True
    text = str(orig).lower()
    return isinstance(exc, OperationalError) and (
        "database is locked" in text or "database table is locked" in text or "busy" in text
    )


def _create_owner_only(path: Path) -> None:
    """Make an empty database file readable by its owner only, if there is none yet; SQLite
    gives the write-ahead log and shared-memory files it makes beside it the same mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def sqlite_connection(raw: PoolProxiedConnection) -> sqlite3.Connection:
    """The ``sqlite3`` connection under a pooled one, for what SQLAlchemy does not wrap
    (``VACUUM``, backups, pragmas outside a transaction)."""
    driver = raw.driver_connection
    if not isinstance(driver, sqlite3.Connection):  # closed (None), or not SQLite
        raise StateError(f"not an open SQLite connection: {driver!r}")
    return driver


def _sqlite_engine(url: str) -> Engine:
    parsed = make_url(url)
    database = parsed.database or ":memory:"
    memory = database == ":memory:"
    if not memory:
        _create_owner_only(Path(database))
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        poolclass=StaticPool if memory else None,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # Take transaction control from the driver so BEGIN is ours to choose.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        # Deleted rows (a sealed ballot once published, a replaced one) are overwritten with
        # zeros rather than left in free space for a copy of the file to show.
        cur.execute("PRAGMA secure_delete=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        write = options.get("lpgp_write", False)
        if write:
            # How long BEGIN IMMEDIATE may wait for another process's write lock.
            busy_ms = options.get("lpgp_busy_ms", BUSY_TIMEOUT_MS)
            info = conn.connection.info
            if info.get("lpgp_busy_ms", BUSY_TIMEOUT_MS) != busy_ms:
                conn.exec_driver_sql(f"PRAGMA busy_timeout={int(busy_ms)}")
                info["lpgp_busy_ms"] = busy_ms
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with lpgp's settings for SQLite or PostgreSQL."""
    try:
        backend = make_url(url).get_backend_name()
    except Exception as exc:  # sqlalchemy raises ArgumentError with a terse message
        raise ConfigError(f"LPGP_DATABASE_URL '{url}' is not a database URL: {exc}") from exc
    if backend == "sqlite":
        return _sqlite_engine(url)
    if backend == "postgresql":
        if make_url(url).drivername == "postgresql":
            url = str(make_url(url).set(drivername="postgresql+psycopg"))
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=20)
    return create_engine(url)


class _Glance(Session):
    """A read session that may run outside a transaction (on PostgreSQL), so it must never
    write: anything it wrote would stay written instead of being rolled back."""


@event.listens_for(_Glance, "do_orm_execute")
def _glance_reads_only(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        raise StateError("a read-only glance at the store cannot change it")


@event.listens_for(_Glance, "before_flush")
def _glance_flushes_nothing(session: Session, _context: object, _instances: object) -> None:
    if session.new or session.dirty or session.deleted:
        raise StateError("a read-only glance at the store cannot change it")


class Store:
    """One database: every change of state goes through :meth:`write` as one transaction.

    >>> store = Store("sqlite://")
    >>> store.write(lambda s: s.get_bind().dialect.name)
    'sqlite'
    """

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = url or config.database_url()
        self.engine = make_engine(self.url)
        self.backend = self.engine.dialect.name
        # A glance (see :meth:`read`) on PostgreSQL runs each statement on its own, without
        # BEGIN and ROLLBACK: two round trips fewer for every light page.
        self._glance_bind: Engine = self.engine
        if self.backend == "postgresql":
            self._glance_bind = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self._write_bind: Engine
        if self.backend == "sqlite":
            self._write_bind = self.engine.execution_options(lpgp_write=True)
        elif self.backend == "postgresql":
            self._write_bind = self.engine.execution_options(isolation_level="SERIALIZABLE")
        else:
            self._write_bind = self.engine
        self._waiting_binds: dict[int, Engine] = {}
        if migrate:
            upgrade(self)
            from lpgp.store.key import check_key

            check_key(self)

    def __repr__(self) -> str:
        return f"Store({make_url(self.url).render_as_string(hide_password=True)!r})"

    @contextlib.contextmanager
    def read(self, *, snapshot: bool = True) -> Iterator[Session]:
        """A session for reading; anything it changes is rolled back.

        With ``snapshot=False`` (a web page's few independent lookups) PostgreSQL may answer
        each statement from its own moment instead of one transaction's (SQLite reads in one
        transaction either way), and the session refuses to write at all.
        """
        if snapshot:
            opened = Session(self.engine, expire_on_commit=False)
        else:
            opened = _Glance(self._glance_bind, expire_on_commit=False)
        with opened as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextlib.contextmanager
    def transaction(self, *, lock_wait: float | None = None) -> Iterator[Session]:
        """One write transaction without retry: it all commits, or none of it does.

        ``lock_wait`` (seconds) bounds how long it waits for a lock another connection holds
        (SQLite's write lock, PostgreSQL's row and table locks); by default SQLite waits
        :data:`BUSY_TIMEOUT_MS` and PostgreSQL as long as it takes."""
        bind = self._write_bind
        # Rounded up to a tenth of a second, so each wait has one engine, made once: a new
        # engine per write cost time, and anything cached per engine was read again each time.
        wait_ms = None if lock_wait is None else max(100, math.ceil(lock_wait * 10) * 100)
        if wait_ms is not None and self.backend == "sqlite":
            waiting = self._waiting_binds.get(wait_ms)
            if waiting is None:
                waiting = self._waiting_binds[wait_ms] = self._write_bind.execution_options(
                    lpgp_busy_ms=wait_ms
                )
            bind = waiting
        with Session(bind, expire_on_commit=False) as session, session.begin():
            if wait_ms is not None and self.backend == "postgresql":
                session.execute(
                    text("SELECT set_config('lock_timeout', :wait, true)"), {"wait": f"{wait_ms}ms"}
                )
            yield session

    def write(
        self, work: Callable[[Session], T], *, retries: int = RETRIES, within: float | None = None
    ) -> T:
        """Run ``work(session)`` as one transaction, retrying it whole on transient lock or
        serialisation failures (the store's one retry policy). ``work`` must touch nothing but
        the session, so running it again is safe.

        With ``within`` (seconds), locks held elsewhere are waited for that long in all, and
        then :class:`~lpgp.errors.StoreBusy` is raised with nothing written (a web page must
        not wait for a long import to finish)."""
        give_up = None if within is None else time.monotonic() + within
        for attempt in range(retries + 1):
            left = None if give_up is None else give_up - time.monotonic()
            if left is not None and left <= 0:
                break
            try:
                with self.transaction(lock_wait=left) as session:
                    return work(session)
            except DBAPIError as exc:
                if not _is_transient(exc):
                    raise
                if give_up is None and attempt == retries:
                    raise
            pause = min(0.5, 0.01 * 2**attempt) * (0.5 + random.random())
            if give_up is not None:
                pause = min(pause, max(0.0, give_up - time.monotonic()))
            time.sleep(pause)
        raise StoreBusy("the store is busy with another change: nothing was written, try again")

    def dispose(self) -> None:
        self.engine.dispose()


@contextlib.contextmanager
def _migration_lock(store: Store) -> Iterator[None]:
    """Keep two processes from migrating the same store at once."""
    url = make_url(store.url)
    if store.backend == "sqlite" and url.database not in (None, "", ":memory:"):
        lock_path = Path(url.database).with_suffix(".migrate-lock")
        with open(lock_path, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
    elif store.backend == "postgresql":
        with store.engine.connect() as conn:
            conn.exec_driver_sql("SELECT pg_advisory_lock(774411)")
            conn.commit()
            try:
                yield
            finally:
                conn.exec_driver_sql("SELECT pg_advisory_unlock(774411)")
                conn.commit()
    else:
        yield


def _script_config() -> AlembicConfig:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(config.MIGRATIONS_DIR))
    return cfg


def heads() -> list[str]:
    """The migration heads in the package (there must be exactly one)."""
    from alembic.script import ScriptDirectory

    return list(ScriptDirectory.from_config(_script_config()).get_heads())


def current_revision(store: Store) -> str | None:
    """The revision the store is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _missing(url: str) -> StoreMissing:
    return StoreMissing(
        f"there is no lpgp store at {_shown(url)}: check LPGP_DATABASE_URL, or create one "
        "with 'lpgp init' (or 'lpgp demo' for the demo place)"
    )


def _no_file(url: str) -> bool:
    parsed = make_url(url)
    return (
        parsed.get_backend_name() == "sqlite"
        and parsed.database not in (None, "", ":memory:")
        and not Path(parsed.database).is_file()
    )


def revision_at(url: str) -> str | None:
    """The schema revision of the store at ``url`` (None for a database with no lpgp tables),
    without creating or changing anything; :class:`~lpgp.errors.StoreMissing` for a SQLite
    file that does not exist."""
    if _no_file(url):
        raise _missing(url)
    store = Store(url, migrate=False)
    try:
        return current_revision(store)
    finally:
        store.dispose()


def open_existing(url: str, *, migrate: bool = False, check_key: bool = True) -> Store:
    """The store at ``url`` if one is there, at this lpgp's schema; never creates one.

    Raises :class:`~lpgp.errors.StoreMissing` for a SQLite file that does not exist or a
    database without lpgp's tables (a mistyped URL would otherwise make a new, empty store),
    and :class:`~lpgp.errors.StoreOutOfDate` for a store at another schema revision, naming
    the command that upgrades it; with ``migrate=True`` an older store is upgraded instead
    (what commands and servers do; an analyst's read never migrates). An in-memory SQLite
    URL has nothing to find, so it is made fresh as :class:`Store` would.
    ``check_key=False`` skips the server-key check (a read that uses no codes or ballots,
    such as an analyst's).

    >>> open_existing("sqlite:////no/such/folder/lpgp.sqlite")
    Traceback (most recent call last):
    ...
    lpgp.errors.StoreMissing: there is no lpgp store at sqlite:////no/such/folder/lpgp.sqlite: \
check LPGP_DATABASE_URL, or create one with 'lpgp init' (or 'lpgp demo' for the demo place)
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        return Store(url)
    if _no_file(url):
        raise _missing(url)
    store = Store(url, migrate=False)
    try:
        found = current_revision(store)
        wanted = heads()
        if found is None:
            raise _missing(url)
        if found not in wanted:
            from alembic.script import ScriptDirectory

            known = {
                s.revision for s in ScriptDirectory.from_config(_script_config()).walk_revisions()
            }
            if found in known and migrate:
                upgrade(store)
            elif found in known:
                raise StoreOutOfDate(
                    f"the store at {_shown(url)} is at schema revision {found} and this lpgp "
                    f"needs {', '.join(wanted)}: back it up ('lpgp backup') and run "
                    "'lpgp db upgrade'; nothing was read or changed"
                )
            else:
                raise StoreOutOfDate(
                    f"the store at {_shown(url)} is at schema revision {found}, which this lpgp "
                    "does not know: it was made by a newer lpgp, so use that version"
                )
        if check_key:
            from lpgp.store.key import check_key as _check_key

            _check_key(store)
    except BaseException:
        store.dispose()
        raise
    return store


def upgrade(store: Store) -> str | None:
    """Bring the store to the newest schema; cheap when it is already there."""
    from alembic import command

    target = heads()
    if current_revision(store) in target:
        return current_revision(store)
    with _migration_lock(store):
        if current_revision(store) not in target:
            cfg = _script_config()
            cfg.attributes["engine"] = store.engine
            command.upgrade(cfg, "head")
            if cfg.attributes.get("scrub"):
                scrub(store)
    return current_revision(store)


def scrub(store: Store) -> None:
    """Leave no copy of deleted rows in the store's files: on SQLite rebuild the file
    (``VACUUM``) and empty the write-ahead log; on PostgreSQL rewrite the ballot tables
    (``VACUUM FULL``), whose dead rows would otherwise stay in the table's pages."""
    if store.backend == "sqlite":
        raw = store.engine.raw_connection()  # VACUUM must run outside any transaction
        try:
            sqlite = sqlite_connection(raw)
            sqlite.execute("VACUUM")
            sqlite.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
    elif store.backend == "postgresql":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in ("vote_ballots", "vote_sealed_ballots"):
                conn.exec_driver_sql(f"VACUUM FULL {table}")
