"""A real ``lpgp serve`` in a subprocess on a free loopback port, over a fresh demo store with
a second place beside it; one server per test module."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from paths import ROOT

from lpgp.cycle.board import member_code
from lpgp.cycle.board import place as places
from lpgp.cycle.board.person import add_board_member, upsert_person
from lpgp.cycle.board.person_rules import PersonInput
from lpgp.cycle.candidates.candidate import add_candidate
from lpgp.cycle.candidates.candidate_rules import CandidateInput
from lpgp.cycle.vote import ballot, vote_rules
from lpgp.cycle.vote import vote as votes
from lpgp.demo import load_demo
from lpgp.model import Role
from lpgp.store import Store, forget_stores

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
XSS = "<img src=x onerror=alert(1)>"


@dataclass
class Server:
    """A running server and the codes its visitors use."""

    url: str
    process: subprocess.Popen
    store_url: str
    env: dict[str, str]
    codes: dict[str, str] = field(default_factory=dict)

    def kernels(self) -> int:
        """Kernel processes started by the server."""
        import psutil

        children = psutil.Process(self.process.pid).children(recursive=True)
        return sum(1 for c in children if "ipykernel" in " ".join(c.cmdline()))

    def signed_in(self, code_name: str) -> requests.Session:
        """An HTTP client signed in with one of the codes."""
        web = requests.Session()
        page = web.get(f"{self.url}/sign-in", timeout=10)
        token = page.text.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]
        answer = web.post(
            f"{self.url}/sign-in",
            data={"code": self.codes[code_name], "_xsrf": token},
            allow_redirects=False,
            timeout=20,
        )
        assert answer.status_code == 302, answer.text
        return web


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(store: Store) -> dict[str, str]:
    load_demo(store)

    def work(session) -> dict[str, str]:
        demo = places.get_place(session, "haverbrook")
        other = places.create_place(session, "Otherfield", actor="test")
        upsert_person(
            session, other, PersonInput(name="Dr Olu Other", role=Role.LMC_CHAIR), actor="test"
        )
        add_board_member(session, other, "Dr Olu Other", facilitator=True, actor="test")
        upsert_person(session, demo, PersonInput(name=XSS, role=Role.NURSE), actor="test")
        add_board_member(session, demo, XSS, actor="test")
        upsert_person(session, other, PersonInput(name="Nia Other", role=Role.NURSE), actor="test")
        add_board_member(session, other, "Nia Other", actor="test")
        cycle = places.create_cycle(session, other, "2028/29 priorities", actor="test")
        for title in (XSS, "One back office for every practice"):
            add_candidate(
                session,
                other,
                cycle,
                CandidateInput(title=title, description="Described here.", ask="Fund it."),
                actor="test",
            )
        open_vote = next(
            v for v in votes.list_votes(session, demo) if votes.state(session, v) == vote_rules.OPEN
        )
        waiting = ballot.not_yet_voted(session, open_vote)
        return {
            "practice": ballot.reissue_code(session, open_vote, waiting[0].ods_code).code,
            "practice_ods": waiting[0].ods_code,
            "facilitator": member_code.issue_code(session, demo, "Dr Amara Okafor").code,
            "member": member_code.issue_code(session, demo, "Dr Tom Pritchard").code,
            "other_facilitator": member_code.issue_code(session, other, "Dr Olu Other").code,
            "other_member": member_code.issue_code(session, other, "Nia Other").code,
        }

    return store.write(work)


def server_env(tmp: Path, extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a test's ``lpgp serve``: its own store, key and runtime in ``tmp``."""
    data = tmp / "data"
    return {
        **os.environ,
        **(extra_env or {}),
        "LPGP_DATA_DIR": str(data),
        "LPGP_DATABASE_URL": f"sqlite:///{data / 'lpgp.sqlite'}",
        "LPGP_SERVER_KEY_FILE": str(data / "server.key"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "PYTHONUNBUFFERED": "1",
    }


@contextlib.contextmanager
def serving(tmp: Path, env: dict[str, str], pool_size: int) -> Iterator[tuple[str, Any]]:
    """Run ``lpgp serve`` over ``env``'s store until the block ends; yields its address and
    process once ``/sign-in`` answers (its log is ``tmp/serve.log``)."""
    port = _free_port()
    log = open(tmp / "serve.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "lpgp", "serve", "--port", str(port), "--pool-size", str(pool_size)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:  # the server's own start, before any browser: polled
            try:
                if requests.get(f"{url}/sign-in", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise RuntimeError((tmp / "serve.log").read_text())
            time.sleep(0.2)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def start_server(
    tmp: Path, pool_size: int = 0, extra_env: dict[str, str] | None = None
) -> Iterator[Server]:
    env = server_env(tmp, extra_env)
    with under(env):
        store = Store(env["LPGP_DATABASE_URL"])
        codes = _prepare(store)
        store.dispose()
    with serving(tmp, env, pool_size) as (url, process):
        yield Server(url, process, env["LPGP_DATABASE_URL"], env, codes)


def with_store(server: Server, work: Callable[[Any], Any]) -> Any:
    """Run ``work(session)`` in one transaction on the server's store, under the server's key
    (for setting up or checking what a browser test does)."""
    with under(server.env):
        store = Store(server.store_url, migrate=False)
        try:
            return store.write(work)
        finally:
            store.dispose()


@contextlib.contextmanager
def under(env: dict[str, str]) -> Iterator[None]:
    """The store and key of a server's ``env`` as this process's settings for the block (lpgp
    reads them from the environment), the test's own restored after it."""
    saved = {k: os.environ.get(k) for k in ("LPGP_DATABASE_URL", "LPGP_SERVER_KEY_FILE")}
    os.environ.update({k: env[k] for k in saved})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        forget_stores()
