"""Only init, demo and db upgrade make a store: a mistyped URL or an older store is refused by
every other command and by the analyst's reads, with the command that fixes it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from lpgp.errors import StoreMissing, StoreOutOfDate
from lpgp.store import Store, current_revision, existing_store, forget_stores, heads, open_existing
from lpgp.store.db import _script_config


def test_a_missing_sqlite_file_is_refused_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "typo" / "lpgp.sqlite"
    with pytest.raises(StoreMissing, match="there is no lpgp store at sqlite:///.*typo"):
        open_existing(f"sqlite:///{path}")
    assert not path.exists() and not path.parent.exists()


def test_an_empty_database_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    path.touch()
    with pytest.raises(StoreMissing, match="lpgp init"):
        open_existing(f"sqlite:///{path}")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []


def test_a_postgres_database_without_lpgp_tables_is_refused(pg_url: str) -> None:
    with pytest.raises(StoreMissing):
        open_existing(pg_url)
    probe = Store(pg_url, migrate=False)
    try:
        assert current_revision(probe) is None
    finally:
        probe.dispose()


def _older(url: str) -> None:
    store = Store(url)
    cfg = _script_config()
    cfg.attributes["engine"] = store.engine
    command.downgrade(cfg, "0010")
    store.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_an_older_store_is_refused_and_left_as_it_was(
    backend: str, file_store_url: str, request: pytest.FixtureRequest
) -> None:
    url = file_store_url if backend == "sqlite" else request.getfixturevalue("pg_url")
    _older(url)
    with pytest.raises(StoreOutOfDate, match=r"revision 0010 .*'lpgp db upgrade'"):
        open_existing(url)
    probe = Store(url, migrate=False)
    try:
        assert current_revision(probe) == "0010"
    finally:
        probe.dispose()


def test_a_store_from_a_newer_lpgp_is_refused(file_store_url: str) -> None:
    store = Store(file_store_url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    store.dispose()
    with pytest.raises(StoreOutOfDate, match="made by a newer lpgp"):
        open_existing(file_store_url)


def test_the_analyst_reads_refuse_a_typo(tmp_path: Path) -> None:
    import lpgp

    url = f"sqlite:///{tmp_path / 'lpgp.sqlit'}"
    with pytest.raises(StoreMissing):
        lpgp.practices(store=url)
    assert not (tmp_path / "lpgp.sqlit").exists()


def test_the_analyst_reads_never_migrate(file_store_url: str) -> None:
    import lpgp

    _older(file_store_url)
    forget_stores()
    with pytest.raises(StoreOutOfDate, match="lpgp db upgrade"):
        lpgp.places(store=file_store_url)
    probe = Store(file_store_url, migrate=False)
    try:
        assert current_revision(probe) == "0010"
    finally:
        probe.dispose()


def test_an_existing_store_opens_once(file_store_url: str) -> None:
    Store(file_store_url).dispose()
    first = existing_store(file_store_url)
    assert existing_store(file_store_url) is first
    forget_stores()


def test_cli_commands_refuse_a_missing_store(cli, file_store_url: str) -> None:
    path = Path(file_store_url.removeprefix("sqlite:///"))
    for args in (("places", "list"), ("practices", "list"), ("serve", "--port", "1")):
        code, out, err = cli(*args)
        assert code == 1, args
        assert "there is no lpgp store at" in err and "lpgp init" in err
        assert "Traceback" not in err + out
    assert not path.exists()
    code, out, err = cli("db", "current")
    assert code == 1 and "there is no lpgp store" in err
    assert not path.exists()
    # The three commands that may make one.
    assert cli("db", "upgrade")[0] == 0 and path.exists()
    code, out, _ = cli("places", "list")
    assert code == 0 and "no places yet" in out


@pytest.mark.slow  # migrates an old store through the CLI
def test_cli_brings_an_older_store_up_to_date(cli, file_store_url: str) -> None:
    assert cli("init", "--place", "Testford")[0] == 0
    _older(file_store_url)
    code, out, _ = cli("db", "current")
    assert code == 0 and out.startswith(f"0010 (this lpgp needs {heads()[0]}")
    code, out, _ = cli("places", "list")
    assert code == 0 and "testford" in out.lower()
    code, out, _ = cli("db", "current")
    assert code == 0 and out.strip() == heads()[0]


def test_migrate_true_upgrades_an_older_store(file_store_url: str) -> None:
    _older(file_store_url)
    store = open_existing(file_store_url, migrate=True)
    try:
        assert current_revision(store) == heads()[0]
    finally:
        store.dispose()
