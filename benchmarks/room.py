"""The room benchmark: N practices open their ballot links at once, vote, change, read receipts.

It starts a real ``lpgp serve`` (or two, sharing one PostgreSQL store) on 127.0.0.1 over a
fresh store holding an open vote of N practices, then runs N concurrent HTTP clients, each
with its own cookies, doing what a practice does on a phone:

    open the private link /c/CODE -> follow the redirect to the ballot form -> send it (with
    the form's CSRF token) -> confirm on "Check your answers" (the cast) -> change the ballot
    once (form, check, confirm) -> read the receipt

while a facilitator polls the vote's turnout. It prints one table and, last, one line::

    room N=60: 60/60 counted, page p95 <t> ms, cast p95 <t> ms, rss +<m> MB, kernels +0

Run from the project folder::

    python benchmarks/room.py --n 60
    python benchmarks/room.py --n 60 --repeat 5                # 5 rooms in turn; the median
    python benchmarks/room.py --n 600 --db postgresql          # URL from LPGP_TEST_POSTGRES_URL
    python benchmarks/room.py --n 600 --db postgresql --servers 2
    python benchmarks/room.py --browser                        # Chromium timings too
    python benchmarks/room.py --n 60 --skip-check              # without Check your answers

With ``--repeat K`` the last line gives the medians, over the K rooms, of each room's p95.

The functions here are also used by the tests in ``tests/room``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import gc
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import psutil  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

import lpgp  # noqa: E402
from lpgp import clock  # noqa: E402
from lpgp.cycle.board import member_code  # noqa: E402
from lpgp.cycle.board import place as places  # noqa: E402
from lpgp.cycle.board.practice import import_practices  # noqa: E402
from lpgp.cycle.board.practice_rules import PracticeInput  # noqa: E402
from lpgp.cycle.vote import ballot, vote_rules  # noqa: E402
from lpgp.cycle.vote import vote as votes  # noqa: E402
from lpgp.demo import load_demo  # noqa: E402
from lpgp.store import Store, forget_stores  # noqa: E402
from lpgp.web.assets import stylesheet_url  # noqa: E402

ROOM_PLACE = "Roomfield"
ROOM_VOTE = "Room benchmark vote"
RECEIPT = re.compile(r"\b[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3}\b")
CLIENT_TIMEOUT = httpx.Timeout(90.0)  # about as long as a phone waits for a page
CANDIDATES = [
    vote_rules.CandidateText("A", "Same-day access hub", "Pool same-day appointments.", "Fund it."),
    vote_rules.CandidateText("B", "Shared estates plan", "Plan new clinic rooms.", "Joint plan."),
    vote_rules.CandidateText(
        "C", "Results go to whoever ordered them", "Fewer inbox items.", "Agree."
    ),
    vote_rules.CandidateText("D", "Frailty plan shared by all", "One care plan.", "Grant access."),
]


# ---- the store --------------------------------------------------------------------------


@dataclass(frozen=True)
class Room:
    """A prepared store: where it is, the vote, and every practice's ballot code."""

    store_url: str
    data_dir: Path
    vote_id: int
    codes: list[str]
    facilitator_code: str
    member_codes: list[str]
    more: tuple[tuple[int, tuple[str, ...]], ...] = ()

    def rooms(self) -> list[Room]:
        """This room, then each further vote prepared for a repeat, as a room of its own."""
        return [self] + [
            dataclasses.replace(self, vote_id=vote_id, codes=list(codes), more=())
            for vote_id, codes in self.more
        ]


def ods(i: int) -> str:
    """The synthetic practice number ``i`` (1-based) as an ODS-shaped code.

    >>> ods(1), ods(600)
    ('Y90001', 'Y90600')
    """
    return f"Y9{i:04d}"


@contextlib.contextmanager
def the_servers_key(data_dir: Path) -> Iterator[None]:
    """Work on the room's store in this process under the servers' key (in ``data_dir``):
    codes are made with it, and an open secret vote's ballots are sealed with it."""
    saved = {k: os.environ.get(k) for k in ("LPGP_DATA_DIR", "LPGP_SERVER_KEY_FILE")}
    os.environ["LPGP_DATA_DIR"] = str(data_dir)
    os.environ["LPGP_SERVER_KEY_FILE"] = str(data_dir / "server.key")
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        forget_stores()


def prepare(store_url: str, data_dir: Path, n: int, *, demo: bool = True, rooms: int = 1) -> Room:
    """A place of ``n`` practices with an open approval vote, every practice's ballot code
    issued (``rooms`` such votes, one for each repeat of the room); with ``demo``, also the
    demo place with its board members' codes (for timing the facilitator pages and scoring
    sheets)."""
    with the_servers_key(data_dir):
        store = Store(store_url)
        if demo:
            load_demo(store)

        def build(session):
            place = places.create_place(session, ROOM_PLACE, actor="benchmark")
            import_practices(
                session,
                place,
                [PracticeInput(ods(i), f"Practice {i}", None, 5000 + i) for i in range(1, n + 1)],
                actor="benchmark",
            )
            now = clock.now().replace(tzinfo=None, microsecond=0)
            issued = []
            for k in range(rooms):
                vote = votes.create_vote(
                    session,
                    place,
                    title=ROOM_VOTE if k == 0 else f"{ROOM_VOTE} {k + 1}",
                    method="approval",
                    seats=1,
                    opens=now - timedelta(minutes=5),
                    closes=now + timedelta(days=2),
                    candidates=CANDIDATES,
                    seed="room",
                    actor="benchmark",
                )
                vote = votes.open_vote(session, place, vote, actor="benchmark")
                letters = ballot.issue_codes(session, vote, actor="benchmark")
                issued.append((vote.id, tuple(x.code for x in letters)))
            if not demo:
                return issued, "", []
            board = places.get_place(session, "haverbrook")
            board_codes = member_code.issue_codes(session, board, actor="benchmark")
            facilitator = next(m.code for m in board_codes if m.member.is_facilitator)
            members = [m.code for m in board_codes if not m.member.is_facilitator]
            return issued, facilitator, members

        issued, facilitator, members = store.write(build)
        store.dispose()
    (vote_id, codes), *more = issued
    return Room(store_url, data_dir, vote_id, list(codes), facilitator, members, tuple(more))


@contextlib.contextmanager
def fresh_store(db: str, folder: Path) -> Iterator[str]:
    """A fresh, empty store URL: a SQLite file in ``folder``, or a new PostgreSQL database on
    the server named by LPGP_TEST_POSTGRES_URL (dropped afterwards)."""
    if db == "sqlite":
        yield f"sqlite:///{folder / 'lpgp.sqlite'}"
        return
    server = os.environ.get("LPGP_TEST_POSTGRES_URL")
    if not server:
        raise SystemExit("--db postgresql needs LPGP_TEST_POSTGRES_URL (a server to use)")
    name = f"lpgp_room_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        forget_stores()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# ---- the servers ------------------------------------------------------------------------


@dataclass
class Server:
    """One running ``lpgp serve`` process."""

    url: str
    process: subprocess.Popen
    log: Path

    def tree(self) -> list[psutil.Process]:
        """The server process and everything it started (its kernels)."""
        try:
            top = psutil.Process(self.process.pid)
            return [top, *top.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def rss(self) -> int:
        """Resident memory of the whole process tree, in bytes."""
        total = 0
        for proc in self.tree():
            with contextlib.suppress(psutil.Error):
                total += proc.memory_info().rss
        return total

    def cpu(self) -> float:
        """CPU seconds the server process itself (not its kernels) has used."""
        try:
            times = psutil.Process(self.process.pid).cpu_times()
        except psutil.Error:
            return 0.0
        return times.user + times.system

    def kernels(self) -> int:
        """Kernel processes the server has started and not yet ended."""
        found = 0
        for proc in self.tree()[1:]:
            with contextlib.suppress(psutil.Error):
                found += any("ipykernel" in part for part in proc.cmdline())
        return found


def free_port() -> int:
    """A TCP port nobody is listening on at the moment."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(room: Room) -> dict[str, str]:
    """The environment a server over ``room``'s store runs with."""
    return {
        **os.environ,
        "LPGP_DATA_DIR": str(room.data_dir),
        "LPGP_DATABASE_URL": room.store_url,
        "LPGP_SERVER_KEY_FILE": str(room.data_dir / "server.key"),
        "JUPYTER_RUNTIME_DIR": str(room.data_dir / f"runtime-{uuid.uuid4().hex[:6]}"),
        "PYTHONUNBUFFERED": "1",
    }


def start_servers(room: Room, count: int = 1, *, pool_size: int = 1) -> list[Server]:
    """Start ``count`` ``lpgp serve`` processes over the room's store (all at once, each on
    its own free port) and wait until every one answers."""
    servers = []
    for _ in range(count):
        port = free_port()
        log = room.data_dir / f"serve-{port}.log"
        with open(log, "a") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "lpgp", "serve", "--port", str(port)]
                + ["--pool-size", str(pool_size)],
                env=server_env(room),
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        servers.append(Server(f"http://127.0.0.1:{port}", process, log))
    deadline = time.monotonic() + 180
    waiting = list(servers)
    while waiting:
        for server in list(waiting):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{server.url}/sign-in", timeout=2).status_code == 200:
                    waiting.remove(server)
                    continue
            if server.process.poll() is not None or time.monotonic() > deadline:
                for started in servers:
                    stop_server(started)
                raise RuntimeError(f"lpgp serve did not start:\n{server.log.read_text()[-3000:]}")
        time.sleep(0.2)
    return servers


def start_server(room: Room, *, pool_size: int = 1) -> Server:
    """Start one ``lpgp serve`` over the room's store and wait until it answers."""
    return start_servers(room, 1, pool_size=pool_size)[0]


def wait_for_pool(servers: list[Server], expected: int, timeout: float = 300) -> None:
    """Wait until each server's preheated kernels have started and its memory has settled
    (a new kernel still imports and runs its notebook for a while)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not all(s.kernels() >= expected for s in servers):
        time.sleep(0.5)
    if not expected:
        return
    last = sum(s.rss() for s in servers)
    while time.monotonic() < deadline:
        time.sleep(3)
        now = sum(s.rss() for s in servers)
        if abs(now - last) < 5 * 2**20:
            return
        last = now


def wait_for_quiet(servers: list[Server], timeout: float = 120, busy: float = 0.1) -> None:
    """Wait until the servers and their kernels, together, use less than ``busy`` of a core
    over a second: a new kernel keeps working for a while after its memory settles, and a
    room arrives at a server that has been up for a while."""

    def used() -> float:
        total = 0.0
        for server in servers:
            for proc in server.tree():
                with contextlib.suppress(psutil.Error):
                    times = proc.cpu_times()
                    total += times.user + times.system
        return total

    deadline = time.monotonic() + timeout
    last = used()
    while time.monotonic() < deadline:
        time.sleep(1)
        now = used()
        if now - last < busy:
            return
        last = now


def wait_for_idle_machine(timeout: float = 60, busy: float = 10.0) -> None:
    """Wait until the whole machine uses less than ``busy`` percent of its CPUs over a
    second: the phones' browsers have finished starting up and sit with their member page
    open, as a phone does before the chair says "score now" (without this, Chromium's own
    start-up work landed in the first round)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and psutil.cpu_percent(interval=1.0) > busy:
        pass


def stop_server(server: Server, *, kill: bool = False) -> None:
    """Stop a server and its kernels (SIGKILL with ``kill``, as a crash would)."""
    children = server.tree()[1:]
    if kill:
        server.process.kill()
    else:
        server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.kill()


# ---- one practice -------------------------------------------------------------------------


@dataclass
class Form:
    """An HTML form as a browser would submit it."""

    action: str
    method: str
    fields: list[dict] = field(default_factory=list)


class FormReader(HTMLParser):
    """Collects the forms of a page with their fields (inputs, selects with options,
    textareas, named buttons)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._select: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        elif not self.forms:
            return
        elif tag in ("input", "textarea", "button") and a.get("name"):
            self.forms[-1].fields.append({"tag": tag, **a})
        elif tag == "select" and a.get("name"):
            self._select = {"tag": "select", "options": [], **a}
            self.forms[-1].fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def ballot_form(html: str) -> Form:
    """The page's ballot form: the POST form with the most choices (not the sign-out one)."""
    reader = FormReader()
    reader.feed(html)
    posts = [f for f in reader.forms if f.method == "post" and "sign-out" not in f.action]
    if not posts:
        raise LookupError("the page has no form to vote with")
    return max(posts, key=lambda f: len(f.fields))


def fill(form: Form, variant: int) -> dict[str, list[str]]:
    """Choices a practice makes, different for each ``variant``: one of each radio group,
    some ticks, distinct ranks in selects; hidden fields (the CSRF token) as they are."""
    data: list[tuple[str, str]] = []
    radios: dict[str, list[str]] = {}
    boxes = [f for f in form.fields if f.get("type") == "checkbox"]
    selects = [f for f in form.fields if f["tag"] == "select"]
    for f in form.fields:
        kind = f.get("type", "text")
        if f["tag"] == "button" or kind == "submit":
            continue
        if kind == "radio":
            radios.setdefault(f["name"], []).append(f.get("value", "on"))
        elif kind in ("hidden", "text", "number") or f["tag"] == "textarea":
            data.append((f["name"], f.get("value", "")))
    for name, values in radios.items():
        data.append((name, values[variant % len(values)]))
    for i, box in enumerate(boxes):
        if (i + variant) % 2 == 0 or len(boxes) == 1:
            data.append((box["name"], box.get("value", "on")))
    for i, select in enumerate(selects):
        options = [o for o in select["options"] if o]
        if options:
            data.append((select["name"], options[(i + variant) % len(options)]))
    button = next((f for f in form.fields if f["tag"] == "button" and f.get("name")), None)
    if button is not None:
        data.append((button["name"], button.get("value", "")))
    fields: dict[str, list[str]] = {}
    for name, value in data:
        fields.setdefault(name, []).append(value)
    return fields


@dataclass
class Outcome:
    """What one practice saw, with times in seconds."""

    page: float | None = None
    check: float | None = None
    cast: float | None = None
    change: float | None = None
    receipt: float | None = None
    receipt_code: str | None = None
    error: str | None = None
    requests: int = 0


def confirm(page: str) -> tuple[Form, dict[str, list[str]]]:
    """The "Check your answers" page's form, and what pressing "Cast our ballot" sends: its
    hidden fields (the choice as entered, the CSRF token) with the cast button's value."""
    form = ballot_form(page)
    cast = [f for f in form.fields if f["tag"] == "button" and f.get("value") == "cast"]
    if not cast:
        raise LookupError("no Check your answers page after sending the ballot form")
    data: dict[str, list[str]] = {}
    for f in form.fields:
        if f.get("type") == "hidden":
            data.setdefault(f["name"], []).append(f.get("value", ""))
    data.setdefault(cast[0]["name"], []).append("cast")
    return form, data


# One TLS context for every simulated browser: the room is plain HTTP on loopback, and
# building a context per client (reading the system's certificates, about 40 ms of CPU each)
# would time the benchmark's own clients rather than lpgp.
TLS = ssl.create_default_context()


async def practice(
    base: str,
    code: str,
    variant: int,
    also_on: tuple[str, ...] = (),
    skip_check: bool = False,
) -> Outcome:
    """One practice's visit: link, form, check, cast, change (check and cast again),
    receipt; then, with ``also_on``, the same session reads its ballot from those other
    servers too. With ``skip_check`` the form is sent straight to be cast (``step=cast``),
    without the "Check your answers" page, to measure what that page costs."""
    seen = Outcome()

    async def counted(_request: httpx.Request) -> None:
        seen.requests += 1

    async def check_and_cast(
        target: str, form: Form, choice: int
    ) -> tuple[httpx.Response, float | None]:
        """Send the form, then confirm on "Check your answers": (the receipt page, the
        seconds the check page took)."""
        started = time.perf_counter()
        if skip_check:
            done = await web.post(target, data={**fill(form, choice), "step": ["cast"]})
            done.raise_for_status()
            return done, None
        checked = await web.post(target, data=fill(form, choice))
        checked.raise_for_status()
        took = time.perf_counter() - started
        answers, data = confirm(checked.text)
        done = await web.post(urljoin(str(checked.url), answers.action), data=data)
        done.raise_for_status()
        return done, took

    async with httpx.AsyncClient(
        base_url=base,
        verify=TLS,
        follow_redirects=True,
        timeout=CLIENT_TIMEOUT,
        event_hooks={"request": [counted]},
    ) as web:
        try:
            started = time.perf_counter()
            page = await web.get(f"/c/{code}")
            page.raise_for_status()
            form = ballot_form(page.text)
            seen.page = time.perf_counter() - started
            target = urljoin(str(page.url), form.action or str(page.url))

            started = time.perf_counter()
            done, seen.check = await check_and_cast(target, form, variant)
            seen.cast = time.perf_counter() - started - (seen.check or 0.0)
            if RECEIPT.search(done.text) is None:
                raise LookupError("no receipt on the page after casting")

            started = time.perf_counter()
            again = await web.get(str(page.url))
            again.raise_for_status()
            changed, _ = await check_and_cast(target, ballot_form(again.text), variant + 1)
            seen.change = time.perf_counter() - started
            found = RECEIPT.search(changed.text)
            if found is None:
                raise LookupError("no receipt on the page after changing the ballot")
            seen.receipt_code = found.group(0)  # every cast gets a new receipt

            started = time.perf_counter()
            receipt = await web.get(str(changed.url))
            receipt.raise_for_status()
            seen.receipt = time.perf_counter() - started
            found = RECEIPT.search(receipt.text)
            if found is None or found.group(0) != seen.receipt_code:
                raise LookupError("the receipt page does not show the latest receipt")
            for other in also_on:
                elsewhere = await web.get(f"{other}/ballot")
                elsewhere.raise_for_status()
                if seen.receipt_code not in elsewhere.text:
                    raise LookupError("another server does not show the ballot")
        except (httpx.HTTPError, LookupError) as exc:
            detail = getattr(getattr(exc, "response", None), "status_code", "")
            seen.error = f"{type(exc).__name__} {detail}".strip()
    return seen


# ---- the facilitator ----------------------------------------------------------------------


class TurnoutWatcher(threading.Thread):
    """The facilitator's view: polls the vote's turnout from the store, as its page does."""

    def __init__(self, room: Room, every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.room, self.every = room, every
        self.samples: list[tuple[float, int]] = []
        self.errors: list[str] = []
        self._halt = threading.Event()

    def run(self) -> None:
        store = Store(self.room.store_url, migrate=False)
        started = time.perf_counter()
        try:
            while not self._halt.is_set():
                try:
                    self.samples.append((time.perf_counter() - started, voted(store, self.room)))
                except Exception as exc:  # any failure: reported in the table
                    self.errors.append(type(exc).__name__)
                self._halt.wait(self.every)
        finally:
            store.dispose()

    def stop(self) -> None:
        self._halt.set()
        self.join()


def voted(store: Store, room: Room) -> int:
    """Practices counted as having voted, as the facilitator's results page shows it."""
    return int(lpgp.turnout(room.vote_id, place=ROOM_PLACE, store=store).attrs["total"]["voted"])


@dataclass(frozen=True)
class Count:
    """The stored vote, counted two ways, and the receipts it holds."""

    turnout: int
    ballots: int
    receipts: frozenset[str]


def count(store_url: str, room: Room) -> Count:
    """Turnout, and a recount of the stored ballots one by one (an open secret vote's are
    sealed: they are opened with the servers' key)."""
    with the_servers_key(room.data_dir):
        store = Store(store_url, migrate=False)
        try:
            with store.read() as session:
                place = places.get_place(session, ROOM_PLACE)
                vote = votes.get_vote(session, place, room.vote_id)
                stored = votes.counted_ballots(session, vote)
                return Count(
                    votes.turnout(session, vote).voted,
                    len(stored),
                    frozenset(b.receipt for b in stored),
                )
        finally:
            store.dispose()


# ---- pages in a real browser -------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def chromium_as_a_user(folder: Path, executable: Path = CHROMIUM) -> Path:
    """Debian's Chromium, unable to raise its own priority, as it is when a normal user runs it.

    Run as root, Chromium gives its renderers' main and compositor threads nice -8 (measured:
    ~90 of its ~300 threads), above the server's 0, so ten phones emulated on the server's own
    two cores kept the server from the CPU for 0.3-1.2 s per round while it needed 60 ms. A
    browser on a board member's phone takes no priority from lpgp's server, and a normal
    user's Chromium cannot take it either (no CAP_SYS_NICE): as root, the benchmark starts
    Chromium through ``setpriv`` without that capability, so it runs at the server's priority.
    """
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        return executable
    wrapper = folder / f"{executable.name}-as-a-user"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'exec {setpriv} --bounding-set=-sys_nice --inh-caps=-sys_nice -- {executable} "$@"\n'
    )
    wrapper.chmod(0o755)
    return wrapper


# The board members' phones: Playwright's description of a Pixel 5 (393 x 851 CSS pixels at
# 2.75 device pixels each, touch, mobile layout). The facilitator's page is on a laptop.
PHONE = "Pixel 5"
ROUNDS = 3
# What the browser itself measured for a page (Navigation Timing and Paint Timing), in ms
# from the start of its navigation. The first paint can come after the load event, so this
# waits for it (up to 5 s; null if the page never painted).
NAV_TIMING = """async () => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = await new Promise((done) => {
    const seen = performance.getEntriesByName("first-contentful-paint")[0];
    if (seen) return done(seen.startTime);
    const watch = new PerformanceObserver((list) => {
      const entry = list.getEntriesByName("first-contentful-paint")[0];
      if (entry) { watch.disconnect(); done(entry.startTime); }
    });
    watch.observe({type: "paint", buffered: true});
    setTimeout(() => { watch.disconnect(); done(null); }, 5000);
  });
  return {response: nav.responseStart, load: nav.loadEventEnd, paint: paint};
}"""


@dataclass(frozen=True)
class BrowserTimes:
    """How long pages took in Chromium, in seconds.

    ``score_sheets`` is, for each round of sheets opened at once, each sheet's time from the
    script asking for it to the form being usable: the later of its load event as the script
    saw it (the page has no script of its own, so at that point every question is parsed,
    styled and answerable) and its first paint as the browser timed it; ``sheet_load`` the
    same sheets' load event and ``sheet_paint`` their first contentful paint as the browser
    itself timed them; ``floor`` the same number of tabs loading the 6 KB stylesheet at once,
    for what the browser and Playwright cost on this machine whatever the page."""

    results_page: float
    score_sheets: list[list[float]]
    sheet_load: list[float]
    sheet_paint: list[float]
    floor: list[float]
    answered: list[float] = field(default_factory=list)

    @property
    def sheets(self) -> list[float]:
        return [t for one_round in self.score_sheets for t in one_round]

    def table(self) -> str:
        def spread(values: list[float]) -> str:
            return (
                f"p50 {percentile(values, 50) * 1000:.0f} ms, "
                f"p95 {percentile(values, 95) * 1000:.0f} ms"
            )

        size = len(self.score_sheets[0])
        per_round = ", ".join(f"{percentile(r, 95) * 1000:.0f}" for r in self.score_sheets)
        return "\n".join(
            [
                "in Chromium (Playwright):",
                f"  facilitator results page, warm pool: {self.results_page * 1000:.0f} ms "
                "to its live turnout",
                f"  {size} scoring sheets opened at once on phones ({PHONE}), "
                f"{len(self.score_sheets)} rounds:",
                f"    to usable (loaded and painted): {spread(self.sheets)} "
                f"(p95 by round: {per_round} ms)",
                f"    browser's own timing: server's answer began {spread(self.answered)}; "
                f"load event {spread(self.sheet_load)}; first contentful paint "
                f"{spread(self.sheet_paint)}",
                f"    {size} tabs loading the stylesheet at once (the floor): "
                f"{spread(self.floor)}",
            ]
        )


async def browser_times(
    room: Room,
    base: str,
    sheets: int = 10,
    rounds: int = ROUNDS,
    settle: Callable[[], None] | None = None,
) -> BrowserTimes:
    """Time, in Debian's Chromium, the facilitator's results page (its kernel comes from the
    warm pool) and ``sheets`` board members' scoring sheets opened together on phones, in
    ``rounds`` rounds. ``settle`` waits for the server to refill its kernel pool after the
    results page took one, so that the sheets are not timed against a kernel starting up
    (in a meeting, the results page is opened long before anyone scores)."""
    from playwright.async_api import async_playwright

    if not CHROMIUM.exists():
        raise SystemExit(f"--browser needs Debian's Chromium at {CHROMIUM}")
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=str(chromium_as_a_user(room.data_dir)), args=CHROMIUM_ARGS
        )
        try:
            facilitator = await browser.new_page()
            facilitator.set_default_timeout(120_000)
            await facilitator.goto(f"{base}/c/{room.facilitator_code}")
            started = time.perf_counter()
            # Live turnout is on the practice vote's screen (results are shown after close).
            await facilitator.goto(f"{base}/voila/render/vote.ipynb")
            await facilitator.get_by_role("heading", name="Practice vote", exact=True).wait_for()
            await facilitator.get_by_text(re.compile("practices have voted")).first.wait_for()
            results = time.perf_counter() - started
            if settle is not None:
                await asyncio.to_thread(settle)

            codes = [room.member_codes[i % len(room.member_codes)] for i in range(sheets)]
            pages = []
            for code in codes:
                context = await browser.new_context(**p.devices[PHONE])
                page = await context.new_page()
                page.set_default_timeout(60_000)
                await page.goto(f"{base}/c/{code}")
                pages.append(page)
            await asyncio.to_thread(wait_for_idle_machine)

            async def open_sheet(page) -> tuple[float, int]:
                # Timed to the load event only: waiting with a Playwright locator would
                # inject its helper script into every new page, and compiling it in ten
                # fresh renderers (100-200 ms of CPU each) would be timed as the sheet's.
                started = time.perf_counter()
                answer = await page.goto(f"{base}/score")  # resolves at the load event
                return time.perf_counter() - started, answer.status if answer else 0

            async def open_file(page) -> float:
                started = time.perf_counter()
                await page.goto(f"{base}{stylesheet_url()}")
                return time.perf_counter() - started

            gc.collect()
            gc.freeze()  # as before each room: no collection of the whole process mid-round
            times, load, paint, answered = [], [], [], []
            for _ in range(rounds):
                opened = await asyncio.gather(*(open_sheet(pg) for pg in pages))
                one_round = []
                for page, (took, status) in zip(pages, opened, strict=True):
                    # after the clock: the page that loaded is the sheet, with its questions
                    questions = await page.locator("select").count()
                    if status != 200 or not questions:
                        raise RuntimeError(f"a scoring sheet did not open: HTTP {status}")
                    seen = await page.evaluate(NAV_TIMING)
                    load.append(seen["load"] / 1000)
                    answered.append(seen["response"] / 1000)
                    shown = took
                    if seen["paint"] is not None:
                        paint.append(seen["paint"] / 1000)
                        shown = max(took, seen["paint"] / 1000)
                    one_round.append(shown)
                times.append(one_round)
            floor = list(await asyncio.gather(*(open_file(pg) for pg in pages)))
        finally:
            await browser.close()
    return BrowserTimes(results, times, load, paint, floor, answered)


# ---- the run ------------------------------------------------------------------------------


async def crowd(
    bases: list[str],
    codes: list[str],
    concurrency: int,
    *,
    cross_check: bool = False,
    skip_check: bool = False,
) -> list[Outcome]:
    """Every practice at once (at most ``concurrency`` in flight), split across servers; with
    ``cross_check`` each practice also reads its ballot back from every other server;
    ``skip_check`` as for :func:`practice`."""
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int, code: str) -> Outcome:
        base = bases[i % len(bases)]
        others = tuple(b for b in bases if b != base) if cross_check else ()
        async with gate:
            return await practice(base, code, i, others, skip_check)

    return await asyncio.gather(*(one(i, c) for i, c in enumerate(codes)))


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank) of ``values``.

    >>> percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95), percentile([4.0], 50)
    (10, 4.0)
    """
    ranked = sorted(values)
    return ranked[max(0, min(len(ranked) - 1, -(-len(ranked) * q // 100) - 1))]


@dataclass
class Report:
    """One run's numbers."""

    n: int
    db: str
    servers: int
    outcomes: list[Outcome]
    counted: Count
    rss_before: int
    rss_after: int
    kernels_before: int
    kernels_after: int
    seconds: float
    polls: int
    turnout_seen: int
    locked: int
    load: float = 0.0
    cpu: float = 0.0
    skip_check: bool = False

    def times(self, name: str) -> list[float]:
        return [getattr(o, name) for o in self.outcomes if getattr(o, name) is not None]

    @property
    def errors(self) -> list[str]:
        return [o.error for o in self.outcomes if o.error]

    def table(self) -> str:
        rows = [
            f"room benchmark: N={self.n}, {self.db}, {self.servers} server(s), "
            f"{self.seconds:.1f} s wall time, machine load {self.load:.1f} on "
            f"{os.cpu_count()} cores before it",
            "sent straight to be cast, without the Check your answers page"
            if self.skip_check
            else "each ballot sent, checked on Check your answers, then cast",
            f"{'step':<10}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}",
        ]
        for name in ("page", "check", "cast", "change", "receipt"):
            got = self.times(name)
            if got:
                p50, p95 = percentile(got, 50) * 1000, percentile(got, 95) * 1000
                rows.append(f"{name:<10}{p50:>10.0f}{p95:>10.0f}{max(got) * 1000:>10.0f}")
            else:
                rows.append(f"{name:<10}{'-':>10}{'-':>10}{'-':>10}")
        kinds = sorted(set(self.errors))
        rows += [
            f"errors: {len(self.errors)}"
            + (f" ({', '.join(f'{k} x{self.errors.count(k)}' for k in kinds)})" if kinds else ""),
            f"'database is locked' in server logs: {self.locked}",
            f"counted: turnout {self.counted.turnout}, recount of stored ballots "
            f"{self.counted.ballots}; receipts given {len(self.receipts)}, all stored: "
            f"{self.receipts <= self.counted.receipts}",
            f"server CPU: {self.cpu:.1f} s for {self.requests} requests, "
            f"{self.cpu * 1000 / max(1, self.requests):.1f} ms per request",
            f"facilitator turnout polls: {self.polls}, highest turnout seen {self.turnout_seen}",
            f"server RSS (process tree): {self.rss_before / 2**20:.0f} MB before, "
            f"{self.rss_after / 2**20:.0f} MB after",
            f"kernel processes: {self.kernels_before} before (the pool), "
            f"{self.kernels_after} after",
            self.summary(),
        ]
        return "\n".join(rows)

    @property
    def requests(self) -> int:
        return sum(o.requests for o in self.outcomes)

    @property
    def receipts(self) -> set[str]:
        return {o.receipt_code for o in self.outcomes if o.receipt_code and not o.error}

    def summary(self) -> str:
        page = percentile(self.times("page"), 95) * 1000 if self.times("page") else float("nan")
        cast = percentile(self.times("cast"), 95) * 1000 if self.times("cast") else float("nan")
        growth = round((self.rss_after - self.rss_before) / 2**20)
        return (
            f"room N={self.n}: {self.counted.ballots}/{self.n} counted, page p95 {page:.0f} ms, "
            f"cast p95 {cast:.0f} ms, rss {growth:+d} MB, "
            f"kernels {self.kernels_after - self.kernels_before:+d}"
        )


def measure(
    room: Room,
    running: list[Server],
    *,
    n: int,
    db: str,
    concurrency: int,
    skip_check: bool = False,
) -> Report:
    """Send one room's practices in at once (its vote is fresh) and count what happened."""
    wait_for_quiet(running)
    # The clients share the process with pandas, SQLAlchemy and lpgp: keep the collector
    # from walking all of that in the middle of a room (lpgp serve does the same), and off
    # altogether while the room runs: at N=600 the clients' own full collections (five a
    # room, 20-140 ms each, measured) stopped every client at once and were timed as the
    # server's.
    gc.collect()
    gc.freeze()
    rss_before = sum(s.rss() for s in running)
    kernels_before = sum(s.kernels() for s in running)
    load = os.getloadavg()[0]
    cpu_before = sum(s.cpu() for s in running)
    logged_before = sum(s.log.read_text().count("database is locked") for s in running)
    watcher = TurnoutWatcher(room)
    watcher.start()
    started = time.perf_counter()
    gc.disable()
    try:
        outcomes = asyncio.run(
            crowd([s.url for s in running], room.codes, concurrency, skip_check=skip_check)
        )
        seconds = time.perf_counter() - started
    finally:
        gc.enable()
    time.sleep(0.5)
    watcher.stop()
    return Report(
        n=n,
        db=db,
        servers=len(running),
        outcomes=outcomes,
        counted=count(room.store_url, room),
        rss_before=rss_before,
        rss_after=sum(s.rss() for s in running),
        kernels_before=kernels_before,
        kernels_after=sum(s.kernels() for s in running),
        seconds=seconds,
        polls=len(watcher.samples),
        turnout_seen=max((v for _, v in watcher.samples), default=0),
        locked=sum(s.log.read_text().count("database is locked") for s in running) - logged_before,
        load=load,
        cpu=sum(s.cpu() for s in running) - cpu_before,
        skip_check=skip_check,
    )


def run(
    n: int,
    *,
    db: str = "sqlite",
    servers: int = 1,
    pool_size: int = 1,
    concurrency: int = 256,
    folder: Path | None = None,
    demo: bool = True,
    browser: bool = False,
    repeat: int = 1,
    sheets: int = 10,
    rounds: int = ROUNDS,
    skip_check: bool = False,
) -> Series:
    """Prepare a store, start the servers, send in the room (``repeat`` times, each time to
    a fresh vote of the same practices), count; everything is stopped and the store dropped
    afterwards."""
    with contextlib.ExitStack() as stack:
        if folder is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lpgp-room-")))
        url = stack.enter_context(fresh_store(db, folder))
        prepared = prepare(url, folder, n, demo=demo, rooms=repeat)
        running = start_servers(prepared, servers, pool_size=pool_size)
        for server in running:
            stack.callback(stop_server, server)
        from lpgp.web.server import FACILITATOR_POOLS

        pooled = len(FACILITATOR_POOLS) * pool_size  # each pooled notebook's kernels
        wait_for_pool(running, expected=pooled)
        reports = [
            measure(room, running, n=n, db=db, concurrency=concurrency, skip_check=skip_check)
            for room in prepared.rooms()
        ]
        pages = None
        if browser:

            def settle() -> None:
                # the pool again, and the kernel the results page took from it
                wait_for_pool(running[:1], pooled + 1)
                wait_for_quiet(running[:1])

            pages = asyncio.run(
                browser_times(prepared, running[0].url, sheets, rounds, settle=settle)
            )
        return Series(reports, pages)
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass
class Series:
    """The rooms of one run, in turn on the same servers, and the browser's timings."""

    rooms: list[Report]
    browser: BrowserTimes | None = None

    def median(self, name: str) -> float:
        """The median over the rooms of each room's p95 for step ``name``, in ms."""
        ranked = sorted(percentile(r.times(name), 95) * 1000 for r in self.rooms if r.times(name))
        return ranked[(len(ranked) - 1) // 2] if ranked else float("nan")

    def typical(self) -> Report:
        """The room whose page p95 is the median one."""
        return sorted(self.rooms, key=lambda r: percentile(r.times("page") or [0.0], 95))[
            (len(self.rooms) - 1) // 2
        ]

    def table(self) -> str:
        rows = []
        if len(self.rooms) > 1:
            rows.append(
                f"{len(self.rooms)} rooms in turn, each a fresh vote of the same practices:"
            )
            rows += [f"  {i}. {r.summary()}" for i, r in enumerate(self.rooms, 1)]
            rows.append("the room with the median page p95:")
        rows += self.typical().table().splitlines()[:-1]
        if self.browser:
            rows.append(self.browser.table())
        rows.append(self.summary())
        return "\n".join(rows)

    def summary(self) -> str:
        first, last = self.rooms[0], self.rooms[-1]
        counted = min(r.counted.ballots for r in self.rooms)
        growth = round((last.rss_after - first.rss_before) / 2**20)
        of = f" (median of {len(self.rooms)} rooms)" if len(self.rooms) > 1 else ""
        return (
            f"room N={first.n}: {counted}/{first.n} counted, page p95 "
            f"{self.median('page'):.0f} ms, cast p95 {self.median('cast'):.0f} ms{of}, rss "
            f"{growth:+d} MB, kernels {last.kernels_after - first.kernels_before:+d}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=60, help="practices in the room (default 60)")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--servers", type=int, default=1, help="lpgp serve processes (1 or 2)")
    parser.add_argument("--pool-size", type=int, default=1, help="kernels per facilitator page")
    parser.add_argument("--concurrency", type=int, default=256, help="clients in flight at most")
    parser.add_argument("--smoke", action="store_true", help="a quick run: N=8, no kernel pool")
    parser.add_argument(
        "--skip-check",
        action="store_true",
        help="cast without the Check your answers page (to measure what it costs)",
    )
    parser.add_argument("--browser", action="store_true", help="also time pages in Chromium")
    parser.add_argument(
        "--repeat", type=int, default=1, help="rooms in turn, each a fresh vote (default 1)"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.n, args.pool_size = min(args.n, 8), 0
    series = run(
        args.n,
        db=args.db,
        servers=args.servers,
        pool_size=args.pool_size,
        concurrency=args.concurrency,
        browser=args.browser,
        repeat=max(1, args.repeat),
        skip_check=args.skip_check,
    )
    print(series.table())
    whole = all(r.counted.ballots == args.n and not r.errors for r in series.rooms)
    return 0 if whole else 1


if __name__ == "__main__":
    raise SystemExit(main())
