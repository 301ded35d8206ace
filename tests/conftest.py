"""Shared fixtures: stores on SQLite (memory and file) and, where a server is given, PostgreSQL.

``store`` runs a test once per backend. ``LPGP_TEST_POSTGRES_URL`` names a PostgreSQL server
(``make test`` starts one); each test gets a database of its own, dropped afterwards. With
``LPGP_REQUIRE_POSTGRES=1`` (CI) a missing server fails the run instead of skipping.

Every test that needs PostgreSQL is marked ``postgres`` here, at collection, so
``-m "not postgres"`` leaves out all of them, and so is every test using a Chromium fixture
``browser``; ``slow`` (and ``browser`` for the screens' modules) is marked where the tests are.
pyproject.toml says what each marker means.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from lpgp.store import Store, forget_stores

# Fixtures shared by more than one test module, kept beside the helpers they go with.
pytest_plugins = ["national_files"]

PG_URL = os.environ.get("LPGP_TEST_POSTGRES_URL", "")
DATA = Path(__file__).parent / "data"


def needs_postgres(item: pytest.Item) -> bool:
    """True when ``item`` opens a PostgreSQL database: ``pg_url`` is among its fixtures (itself
    or through another fixture), or one of its parameters picks the ``postgresql`` backend
    (``store_url[postgresql]``, ``backend[postgresql]``)."""
    if "pg_url" in getattr(item, "fixturenames", ()):
        return True
    callspec = getattr(item, "callspec", None)
    return callspec is not None and "postgresql" in callspec.params.values()


#: Fixtures that launch Chromium: a test using one (itself or through another fixture) is
#: marked ``browser``. Modules that drive Chromium through ``signed_in_tab`` say so themselves.
BROWSER_FIXTURES = frozenset({"browser", "chromium"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if needs_postgres(item):
            item.add_marker(pytest.mark.postgres)
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test gets its own data folder and server key; nothing touches data/."""
    monkeypatch.setenv("LPGP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LPGP_DATABASE_URL", raising=False)
    monkeypatch.delenv("LPGP_SERVER_KEY_FILE", raising=False)
    monkeypatch.delenv("LPGP_PLACE", raising=False)
    monkeypatch.delenv("LPGP_NOW", raising=False)
    yield
    forget_stores()


def _pg_database() -> Iterator[str]:
    if not PG_URL:
        if os.environ.get("LPGP_REQUIRE_POSTGRES"):
            pytest.fail("LPGP_TEST_POSTGRES_URL is not set but PostgreSQL tests are required")
        pytest.skip("no PostgreSQL server (set LPGP_TEST_POSTGRES_URL)")
    name = f"lpgp_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield str(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
    finally:
        forget_stores()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite-memory", "sqlite-file", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store URL on each backend."""
    if request.param == "sqlite-memory":
        yield "sqlite://"
    elif request.param == "sqlite-file":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
    else:
        yield from _pg_database()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A migrated, empty store on each backend."""
    s = Store(store_url)
    yield s
    s.dispose()


@pytest.fixture
def file_store_url(tmp_path: Path) -> str:
    """A SQLite file URL, for tests that need several processes or the CLI."""
    return f"sqlite:///{tmp_path / 'data' / 'lpgp.sqlite'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database URL (skips, or fails in CI, without a server)."""
    yield from _pg_database()


@pytest.fixture
def cli(file_store_url: str, monkeypatch: pytest.MonkeyPatch):
    """Run the real ``lpgp`` entry point (``lpgp.cli.main``) in-process against a SQLite file,
    with its own stdout and stderr; returns (exit code, stdout, stderr). An error that is not
    a user's mistake escapes, so the test shows its traceback."""
    from typer.testing import CliRunner

    from lpgp.cli import main

    monkeypatch.setenv("LPGP_DATABASE_URL", file_store_url)
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str, str]:
        forget_stores()
        with runner.isolation() as (out, err, _):
            try:
                main(list(args))
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            stdout, stderr = out.getvalue().decode(), err.getvalue().decode()
        return code, stdout, stderr

    return run
