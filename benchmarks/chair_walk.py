"""The chair's walk: a chair signs in and opens every screen of the workshop app in turn.

It starts a real ``lpgp serve`` over a fresh demo store, signs the demo chair in with Debian's
Chromium (Playwright), opens the app, and then follows the navigation to each screen, timing
each from the click until the screen's heading is visible and the browser is idle. It also
reports the kernels and the memory (server plus kernels) the chair's session added to the idle
server. It prints a table and, last, one line::

    chair walk: N screens, first T s, later p50 T / p95 T / max T s, kernels +K, memory +M MB

Run from the project folder::

    python benchmarks/chair_walk.py                 # every screen, twice round
    python benchmarks/chair_walk.py --rounds 3
    python benchmarks/chair_walk.py --smoke         # a quick check (one round, no table)

The first screen includes the page itself (a pooled kernel running the app notebook); every
later one is a switch inside that kernel.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import httpx  # noqa: E402
import psutil  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CURRENT = "nav.lpgp-nav a[aria-current=page]"


@dataclass(frozen=True)
class ServerProcess:
    """A running ``lpgp serve``."""

    url: str
    process: subprocess.Popen


@dataclass(frozen=True)
class Step:
    """One screen opened: its name, and seconds from the click to its heading on show."""

    name: str
    seconds: float


def _server_footprint(server: ServerProcess) -> tuple[int, float]:
    """(kernels, resident memory in MB of the server and its kernels)."""
    proc = psutil.Process(server.process.pid)
    family = [proc, *proc.children(recursive=True)]
    kernels = sum(1 for p in family if "ipykernel" in " ".join(p.cmdline()))
    return kernels, sum(p.memory_info().rss for p in family) / 2**20


def _wait_quiet(server: ServerProcess, kernels: int, timeout: float = 180) -> None:
    """Wait until the server has its pools full (``kernels`` kernels) and sits idle."""
    deadline = time.monotonic() + timeout
    proc = psutil.Process(server.process.pid)
    while time.monotonic() < deadline:
        if _server_footprint(server)[0] >= kernels:
            family = [proc, *proc.children(recursive=True)]
            for p in family:
                p.cpu_percent(None)
            time.sleep(1.0)
            if sum(p.cpu_percent(None) for p in family) < 10:
                return
        else:
            time.sleep(0.5)
    raise RuntimeError("the server never settled")


def _screens() -> list[tuple[str, str]]:
    from lpgp.ui.app import SCREENS

    return [(spec.name, spec.title) for spec in SCREENS.values()]


def _on_show(page, title: str) -> None:
    page.wait_for_function(
        "([sel, t]) => { const a = document.querySelector(sel);"
        " return a && a.textContent === t && document.querySelector('.lpgp-main h1') }",
        arg=[CURRENT, title],
        timeout=120_000,
    )


def walk(server: ServerProcess, code: str, rounds: int) -> tuple[Step, list[Step]]:
    """Sign in, open the app, then visit every screen ``rounds`` times round."""
    from playwright.sync_api import sync_playwright

    screens = _screens()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        page.goto(f"{server.url}/sign-in")
        page.get_by_label("Your code").fill(code)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        started = time.monotonic()
        page.goto(f"{server.url}/voila/render/app.ipynb#home")
        _on_show(page, "Home")
        first = Step("home (page and kernel)", time.monotonic() - started)
        later = []
        for _ in range(rounds):
            for name, title in screens[1:] + screens[:1]:
                started = time.monotonic()
                page.click(f"nav.lpgp-nav a[href$='#{name}']")
                try:
                    _on_show(page, title)
                except Exception as exc:
                    shot = ROOT / "artifacts" / f"chair-walk-{name}.png"
                    shot.parent.mkdir(exist_ok=True)
                    page.screenshot(path=str(shot), full_page=True)
                    raise RuntimeError(f"the {name} screen never showed (see {shot})") from exc
                later.append(Step(name, time.monotonic() - started))
        browser.close()
    return first, later


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank).

    >>> p95([1.0, 2.0, 3.0, 4.0])
    4.0
    """
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _demo_server(folder: Path, pool_size: int) -> Iterator[tuple[ServerProcess, str]]:
    """A real ``lpgp serve`` over a fresh demo store, and the demo chair's sign-in code."""
    from lpgp.cycle.board import member_code
    from lpgp.demo import load_demo
    from lpgp.store import Store, forget_stores

    data = folder / "data"
    env = {
        "LPGP_DATA_DIR": str(data),
        "LPGP_DATABASE_URL": f"sqlite:///{data / 'lpgp.sqlite'}",
        "LPGP_SERVER_KEY_FILE": str(data / "server.key"),
        "JUPYTER_RUNTIME_DIR": str(folder / "runtime"),
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        store = Store(env["LPGP_DATABASE_URL"])
        place = load_demo(store)
        code = store.write(
            lambda s: member_code.issue_code(s, place, "Dr Amara Okafor", actor="benchmark")
        ).code
        store.dispose()
        forget_stores()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    port = _free_port()
    with open(folder / "serve.log", "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "lpgp", "serve", "--port", str(port)]
            + ["--pool-size", str(pool_size)],
            env={**os.environ, **env},
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = ServerProcess(f"http://127.0.0.1:{port}", process)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"{server.url}/sign-in", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((folder / "serve.log").read_text())
            time.sleep(0.2)
        yield server, code
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="times round every screen")
    parser.add_argument("--pool-size", type=int, default=1)
    parser.add_argument("--smoke", action="store_true", help="one round, a quick check")
    args = parser.parse_args(argv)
    rounds = 1 if args.smoke else args.rounds
    with (
        tempfile.TemporaryDirectory() as tmp,
        _demo_server(Path(tmp), args.pool_size) as (
            server,
            code,
        ),
    ):
        pooled = 2 * args.pool_size  # the app's pool and the home page's
        _wait_quiet(server, pooled)
        kernels_before, memory_before = _server_footprint(server)
        first, later = walk(server, code, rounds)
        _wait_quiet(server, pooled)
        kernels_after, memory_after = _server_footprint(server)
    times = [s.seconds for s in later]
    if not args.smoke:
        print("| screen | p50 | max |")
        print("|---|---|---|")
        for name in dict.fromkeys(s.name for s in later):
            mine = [s.seconds for s in later if s.name == name]
            print(f"| {name} | {statistics.median(mine):.2f} s | {max(mine):.2f} s |")
    print(
        f"chair walk: {len(later)} screens, first {first.seconds:.1f} s, later "
        f"p50 {statistics.median(times):.2f} s / p95 {p95(times):.2f} s / max {max(times):.2f} s,"
        f" kernels +{kernels_after - kernels_before},"
        f" memory +{memory_after - memory_before:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
