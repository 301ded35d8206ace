"""``lpgp backup``: restore the copy and compare it with the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url
from system_tools import need_program

from lpgp.backup import PG_DUMP_HINT, backup, libpq_target
from lpgp.cycle.board import place as places
from lpgp.cycle.board.person import upsert_person
from lpgp.cycle.board.person_rules import PersonInput
from lpgp.cycle.board.practice import import_practices
from lpgp.cycle.board.practice_rules import PracticeInput
from lpgp.errors import ConfigError
from lpgp.model import Role
from lpgp.store import Store
from lpgp.store.schema import Base


def _fill(store: Store, people: int = 5) -> None:
    def work(s):
        place = places.create_place(s, "Testshire")
        import_practices(
            s,
            place,
            [PracticeInput(f"Z9900{i}", f"Surgery {i}", None, 1000 * i) for i in range(1, 6)],
        )
        for i in range(people):
            upsert_person(s, place, PersonInput(f"Person {i}", Role.OTHER))

    store.write(work)


def _contents(engine) -> dict[str, list[tuple]]:
    """Every row of every lpgp table, in a stable order."""
    found = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table)).all()
            found[table.name] = sorted((tuple(map(repr, row)) for row in rows), key=repr)
    return found


def test_sqlite_backup_restores_to_the_same_rows(tmp_path: Path) -> None:
    live = Store(f"sqlite:///{tmp_path / 'live.sqlite'}")
    _fill(live)
    done = backup(live, tmp_path / "out" / "copy.sqlite")
    assert done.kind == "sqlite" and done.size == done.path.stat().st_size
    assert [p.name for p in done.path.parent.iterdir()] == ["copy.sqlite"]  # no leftovers
    restored = Store(f"sqlite:///{done.path}", migrate=False)
    assert _contents(restored.engine) == _contents(live.engine)
    assert sum(len(rows) for rows in _contents(restored.engine).values()) > 10


def test_sqlite_backup_while_another_thread_writes_is_consistent(tmp_path: Path) -> None:
    live = Store(f"sqlite:///{tmp_path / 'live.sqlite'}")
    _fill(live, people=0)
    writer = Store(live.url)  # its own engine, as another server would have
    stop = threading.Event()
    written = []

    def keep_writing() -> None:
        i = 0
        while not stop.is_set():
            writer.write(
                lambda s, i=i: upsert_person(
                    s, places.get_place(s, "testshire"), PersonInput(f"Late {i}", Role.OTHER)
                )
            )
            written.append(i)
            i += 1

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        copies = [backup(live, tmp_path / f"copy{n}.sqlite") for n in range(3)]
    finally:
        stop.set()
        thread.join()
    assert written
    for copy in copies:
        engine = create_engine(f"sqlite:///{copy.path}")
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            names = [r[0] for r in conn.exec_driver_sql("select name from people").all()]
            audits = conn.exec_driver_sql("select count(*) from audit_log").scalar()
        engine.dispose()
        late = sorted(int(n.split()[1]) for n in names if n.startswith("Late "))
        assert late == list(range(len(late)))  # a prefix of the writes: one moment, no gaps
        assert audits == 2 + len(late)  # the place, the import, then one per person


def test_backup_replaces_an_old_file_only_when_complete(tmp_path: Path) -> None:
    live = Store(f"sqlite:///{tmp_path / 'live.sqlite'}")
    _fill(live)
    out = tmp_path / "copy.sqlite"
    out.write_text("an older backup")
    backup(live, out)
    assert out.read_bytes().startswith(b"SQLite format 3")


def test_backup_refuses_a_folder_as_out(tmp_path: Path) -> None:
    live = Store(f"sqlite:///{tmp_path / 'live.sqlite'}")
    with pytest.raises(ConfigError, match="is a folder"):
        backup(live, tmp_path)


def test_cli_backup_default_path_and_message(cli, tmp_path: Path) -> None:
    assert cli("init", "--place", "Testshire")[0] == 0
    code, out, err = cli("backup")
    assert code == 0, err
    files = list((tmp_path / "data" / "backups").glob("lpgp-*.sqlite"))
    assert len(files) == 1
    assert str(files[0]) in out and "To restore" in out


@pytest.mark.postgres
def test_postgresql_backup_restores_to_the_same_rows(pg_url: str, tmp_path: Path) -> None:
    need_program("pg_dump", "postgresql-client")  # or skip (fail in CI)
    pg_restore = need_program("pg_restore", "postgresql-client")
    live = Store(pg_url)
    _fill(live)
    done = backup(live, tmp_path / "copy.dump")
    assert done.kind == "postgresql" and done.path.read_bytes().startswith(b"PGDMP")
    # Restore into a second, empty database and compare every table.
    url = make_url(pg_url)
    target = url.set(database=f"{url.database}_restored")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    try:
        dsn, env = libpq_target(target.render_as_string(hide_password=False))
        subprocess.run(
            [pg_restore, "--no-owner", f"--dbname={dsn}", str(done.path)],
            env={**os.environ, **env},
            check=True,
            capture_output=True,
        )
        restored = create_engine(target.set(drivername="postgresql+psycopg"))
        assert _contents(restored) == _contents(live.engine)
        restored.dispose()
    finally:
        live.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
        admin.dispose()


@pytest.mark.postgres
def test_postgresql_backup_without_pg_dump_says_so(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = Store(pg_url)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConfigError) as caught:
        backup(live, tmp_path / "copy.dump")
    assert str(caught.value) == PG_DUMP_HINT
    assert not list(tmp_path.glob("*.dump*"))
    live.dispose()
