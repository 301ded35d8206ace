"""Another process's write never freezes ``lpgp serve``: while the store's write lock is held
elsewhere (SQLite's by another process, a PostgreSQL vote row by another connection), pages
keep coming in under 2 s, a ballot cast gets the busy page with the form as the practice
filled it in, and a cast sent while the lock is held lands once it is released."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import psycopg
import pytest
import requests
from sqlalchemy.engine import make_url

from lpgp.cycle.agendas.meeting import list_meetings
from lpgp.cycle.board.place import get_place
from lpgp.demo import load_demo
from lpgp.store import Store, forget_stores
from lpgp.web.assets import stylesheet_url
from lpgp.web.store_access import BUSY
from shells.app.conftest import ROOT, Server, _free_port, _prepare

pytestmark = pytest.mark.slow
FAST = 2.0  # seconds a page may take while the lock is held
NO_KERNEL = "/api/kernels/00000000-0000-4000-8000-000000000000"
# Holds SQLite's write lock (BEGIN IMMEDIATE) until a line arrives on its standard input.
SQLITE_LOCK_HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
print("released", flush=True)
"""


def serve(tmp: Path, store_url: str) -> Iterator[Server]:
    """A real ``lpgp serve`` (no kernel pool) over a fresh demo store at ``store_url``."""
    data = tmp / "data"
    env = {
        **os.environ,
        "LPGP_DATA_DIR": str(data),
        "LPGP_DATABASE_URL": store_url,
        "LPGP_SERVER_KEY_FILE": str(data / "server.key"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "PYTHONUNBUFFERED": "1",
    }
    saved = {k: os.environ.get(k) for k in ("LPGP_DATABASE_URL", "LPGP_SERVER_KEY_FILE")}
    os.environ.update({k: env[k] for k in saved})
    try:
        store = Store(store_url)
        codes = _prepare(store)
        store.dispose()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        forget_stores()
    port = _free_port()
    log = open(tmp / "serve.log", "w")  # noqa: SIM115
    command = [sys.executable, "-m", "lpgp", "serve", "--port", str(port), "--pool-size", "0"]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        with contextlib.suppress(requests.ConnectionError):
            if requests.get(f"{url}/sign-in", timeout=2).status_code == 200:
                break
        if process.poll() is not None or time.monotonic() > deadline:
            log.close()
            raise RuntimeError((tmp / "serve.log").read_text())
        time.sleep(0.2)
    try:
        yield Server(url, process, store_url, env, codes)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("serve")
    yield from serve(tmp, f"sqlite:///{tmp / 'data' / 'lpgp.sqlite'}")


@pytest.fixture
def pg_server(pg_url: str, tmp_path: Path) -> Iterator[Server]:
    yield from serve(tmp_path, pg_url)


def sqlite_lock(server: Server) -> contextlib.AbstractContextManager[Callable[[], None]]:
    """Another process holds the server's SQLite store's write lock until ``release()``."""
    return sqlite_lock_at(make_url(server.store_url).database)


@contextlib.contextmanager
def sqlite_lock_at(path: str) -> Iterator[Callable[[], None]]:
    """Another process holds the write lock of the SQLite file at ``path`` until
    ``release()`` is called."""
    holder = subprocess.Popen(
        [sys.executable, "-c", SQLITE_LOCK_HOLDER, path],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    done: list[bool] = []

    def release() -> None:
        # Once only: after "released" the holder may still be exiting (poll() is None), and a
        # second newline would then read the end of its output instead of an answer.
        if not done and holder.poll() is None:
            holder.stdin.write("\n")
            holder.stdin.flush()
            assert holder.stdout.readline().strip() == "released"
        done.append(True)

    try:
        yield release
    finally:
        release()
        holder.wait(timeout=20)


@contextlib.contextmanager
def pg_lock(server: Server) -> Iterator[Callable[[], None]]:
    """Another connection holds every vote row FOR UPDATE (a cast locks its vote's row)
    until ``release()`` is called."""
    url = make_url(server.store_url).set(drivername="postgresql")
    holder = psycopg.connect(url.render_as_string(hide_password=False))
    holder.execute("SELECT id FROM votes FOR UPDATE")
    released = []

    def release() -> None:
        if not released:
            holder.rollback()
            released.append(True)

    try:
        yield release
    finally:
        release()
        holder.close()


class FormState(HTMLParser):
    """The ballot form's fields as a page shows them: name -> chosen values."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None
        self._in_ballot = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._in_ballot = a.get("action") == "/ballot"
        if not self._in_ballot:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                self.options.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    self.fields.setdefault(name, []).append(a.get("value", "on"))
            elif a.get("value"):
                self.fields.setdefault(name, []).append(a["value"])
        elif tag == "select" and name:
            self._select = name
            self.options[name] = []
        elif tag == "option" and self._select:
            if a.get("value"):
                self.options[self._select].append(a["value"])
            if "selected" in a and a.get("value"):
                self.fields.setdefault(self._select, []).append(a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._in_ballot = False


def form_state(html: str) -> FormState:
    state = FormState()
    state.feed(html)
    return state


def choices(state: FormState, variant: int) -> dict[str, list[str]]:
    """A valid ballot for the page's form, different for each ``variant``, sent to be cast
    at once (``step=cast``: no "check your answers" page in between)."""
    fields = {"_xsrf": state.fields["_xsrf"], "step": ["cast"]}
    names = [n for n in state.options if n not in ("_xsrf", "step")]
    for i, name in enumerate(names):
        options = state.options[name]
        if name == "choice":  # approval: tick some
            fields[name] = options[variant % len(options) :: 2] or options[:1]
        elif options:  # ranked: distinct ranks
            fields[name] = [options[(i + variant) % len(options)]]
    for name in [n for n in state.fields if n.startswith("p-")]:  # points
        fields[name] = ["1"]
    return fields


def entered(fields: dict[str, list[str]]) -> dict[str, list[str]]:
    """The choices in a form's fields (its token and step left out)."""
    return {k: sorted(v) for k, v in fields.items() if k not in ("_xsrf", "step")}


def pages_stay_fast(
    server: Server, practice: requests.Session, chair: requests.Session, while_: threading.Thread
) -> int:
    """Fetch the sign-in page, the stylesheet, the practice's ballot page and (as the
    facilitator, through the notebook server's identity check) a kernel that does not
    exist, over and over while ``while_`` runs; each must come within :data:`FAST`
    seconds. Returns how many were fetched."""
    fetches = [
        (requests.get, "/sign-in", 200),
        (requests.get, stylesheet_url(), 200),
        (practice.get, "/ballot", 200),
        (chair.get, NO_KERNEL, 404),  # let through (a stranger gets 403), then not found
    ]
    done = 0
    deadline = time.monotonic() + 60
    while while_.is_alive() and time.monotonic() < deadline:
        for get, path, status in fetches:
            started = time.monotonic()
            answer = get(server.url + path, timeout=FAST * 5, allow_redirects=False)
            took = time.monotonic() - started
            assert answer.status_code == status, (path, answer.status_code)
            assert took < FAST, (path, took)
            done += 1
    return done


def cast_in_background(
    practice: requests.Session, url: str, fields: dict[str, list[str]]
) -> tuple[threading.Thread, dict[str, requests.Response]]:
    answers: dict[str, requests.Response] = {}

    def cast() -> None:
        answers["cast"] = practice.post(url, data=fields, allow_redirects=False, timeout=120)

    thread = threading.Thread(target=cast)
    thread.start()
    return thread, answers


def serving_through_a_lock(server: Server, lock: Callable) -> None:
    practice, chair = server.signed_in("practice"), server.signed_in("facilitator")
    state = form_state(practice.get(f"{server.url}/ballot", timeout=10).text)
    busy_cast, second_cast = choices(state, 1), choices(state, 2)
    assert entered(busy_cast) != entered(second_cast)
    assert requests.get(server.url + NO_KERNEL, timeout=10).status_code == 403
    with lock(server) as release:
        thread, answers = cast_in_background(practice, f"{server.url}/ballot", busy_cast)
        assert pages_stay_fast(server, practice, chair, thread) > 0
        thread.join(timeout=60)
        busy = answers["cast"]
        assert busy.status_code == 503
        assert BUSY in busy.text
        assert entered(form_state(busy.text).fields) == entered(busy_cast)

        thread, answers = cast_in_background(practice, f"{server.url}/ballot", second_cast)
        release()
        thread.join(timeout=60)
    assert answers["cast"].status_code == 302, answers["cast"].text
    assert answers["cast"].headers["Location"] == "/ballot?cast=1"
    shown = practice.get(f"{server.url}/ballot", timeout=10).text
    assert entered(form_state(shown).fields) == entered(second_cast)


def test_sqlite_lock_held_by_another_process(sqlite_server: Server) -> None:
    serving_through_a_lock(sqlite_server, sqlite_lock)


@pytest.mark.postgres
def test_postgresql_vote_row_locked_by_another_connection(pg_server: Server) -> None:
    serving_through_a_lock(pg_server, pg_lock)


def test_an_import_reads_its_file_before_it_takes_the_write_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CLI import reads (and decodes) its file before its transaction, so the store's
    write lock is held only for the short write: a file that cannot be read is refused at
    once even while another process holds the lock, and a good one is written as soon as
    the lock is free."""
    url = f"sqlite:///{tmp_path / 'data' / 'lpgp.sqlite'}"
    monkeypatch.setenv("LPGP_DATABASE_URL", url)
    store = Store(url)
    load_demo(store)
    with store.read() as session:
        meeting = list_meetings(session, get_place(session, None))[0].id
    store.dispose()
    forget_stores()
    broken = tmp_path / "agenda.xlsx"
    broken.write_bytes(b"this is not a spreadsheet")
    good = tmp_path / "agenda.csv"
    good.write_text("Title,Minutes\nICB estates update,5\n")
    command = [sys.executable, "-m", "lpgp", "agenda", "import", str(meeting)]
    with sqlite_lock_at(make_url(url).database) as release:
        started = time.monotonic()
        refused = subprocess.run(
            [*command, str(broken)], cwd=ROOT, capture_output=True, text=True, timeout=25
        )
        assert time.monotonic() - started < 20
        assert refused.returncode == 1, refused.stderr
        assert "agenda.xlsx" in refused.stderr
        importer = subprocess.Popen(
            [*command, str(good)], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        release()
        out, _ = importer.communicate(timeout=60)
    assert importer.returncode == 0
    assert "ICB estates update" in out
