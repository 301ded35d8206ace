"""Many practices at once, from separate OS processes, and casts racing the close.

Each voter is a separate process with its own engine and connections, as separate web servers
would be; a barrier releases them together. The processes come from a fork server (a clean
process started once), never forked from pytest itself: a fork of a process with threads can
inherit a lock another thread held and wait on it forever.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest

from cycle.vote.conftest import make_setup
from lpgp.cycle.vote import ballot, vote_rules
from lpgp.cycle.vote import vote as votes
from lpgp.errors import StateError
from lpgp.store import Store

FORKSERVER = multiprocessing.get_context("forkserver")
FORKSERVER.set_forkserver_preload(["lpgp.store", "lpgp.cycle.vote.ballot", "lpgp.cycle.vote.vote"])
VOTERS = 60


@contextmanager
def _started(procs: list[multiprocessing.process.BaseProcess]) -> Iterator[None]:
    """Start the processes; whatever happens, none is left running when the block ends."""
    for p in procs:
        p.daemon = True
        p.start()
    try:
        yield
    finally:
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()
                p.join(timeout=5)


def _settings() -> dict[str, str]:
    """This test's LPGP_* settings (its server key file): the fork server started with another's."""
    return {k: v for k, v in os.environ.items() if k.startswith("LPGP_")}


def _take(settings: dict[str, str]) -> None:
    for k in [k for k in os.environ if k.startswith("LPGP_")]:
        del os.environ[k]
    os.environ.update(settings)


def _cast_twice(url, settings, code, first, second, barrier, out) -> None:
    _take(settings)
    store = Store(url, migrate=False)
    try:
        barrier.wait(timeout=60)
        store.write(lambda s: ballot.cast(s, code, first))
        store.write(lambda s: ballot.cast(s, code, second))
        out.put((code, "ok"))
    except Exception as exc:  # report anything to the test, which fails on it
        out.put((code, f"{type(exc).__name__}: {exc}"))
    finally:
        store.dispose()


def _sixty_at_once(url: str) -> None:
    store = Store(url)
    setup = make_setup(store, VOTERS)
    v = setup.vote(method="schulze")
    issued = setup.codes(v)
    store.dispose()
    orders = [list(p) for p in itertools.permutations("ABCDE")]
    firsts, seconds = orders[:VOTERS], orders[VOTERS : 2 * VOTERS]
    barrier = FORKSERVER.Barrier(VOTERS)
    out = FORKSERVER.Queue()
    procs = [
        FORKSERVER.Process(
            target=_cast_twice, args=(url, _settings(), code, firsts[i], seconds[i], barrier, out)
        )
        for i, code in enumerate(issued.values())
    ]
    started = time.monotonic()
    with _started(procs):
        reports = dict(out.get(timeout=180) for _ in procs)
    elapsed = time.monotonic() - started
    assert [r for r in reports.values() if r != "ok"] == []
    store = Store(url, migrate=False)
    with store.read() as s:
        counted = [tuple(r.content["ballot"]) for r in votes.counted_ballots(s, v)]
        t = votes.turnout(s, v)
    store.dispose()
    assert Counter(counted) == Counter(tuple(b) for b in seconds)
    assert t.voted == VOTERS
    print(f"{VOTERS} processes cast twice each in {elapsed:.1f} s")


@pytest.mark.slow
def test_sixty_processes_cast_and_change_at_once_on_sqlite(file_store_url: str) -> None:
    _sixty_at_once(file_store_url)


@pytest.mark.slow
@pytest.mark.postgres
def test_sixty_processes_cast_and_change_at_once_on_postgresql(pg_url: str) -> None:
    _sixty_at_once(pg_url)


def _cast_until_refused(url, settings, code, barrier, out) -> None:
    _take(settings)
    store = Store(url, migrate=False)
    log = []
    try:
        barrier.wait(timeout=60)
        for i in itertools.count():
            choice = ["ABCDE"[i % 5]]
            try:
                store.write(lambda s, c=choice: ballot.cast(s, code, c))
                log.append(("ok", choice))
                time.sleep(0.02)  # a person, not a loop: give the others a turn
            except StateError as exc:
                log.append(("refused", str(exc)))
                break
        out.put((code, log))
    except Exception as exc:
        out.put((code, [("error", f"{type(exc).__name__}: {exc}")]))
    finally:
        store.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("how", ["by hand", "by the clock"])
def test_a_cast_racing_the_close_lands_before_it_or_is_refused(
    file_store_url: str, how: str
) -> None:
    _race(file_store_url, how)


@pytest.mark.slow
@pytest.mark.postgres
def test_a_cast_racing_a_manual_close_on_postgresql(pg_url: str) -> None:
    _race(pg_url, "by hand")


def _voted(store: Store, vote: vote_rules.Vote) -> int:
    with store.read() as s:
        return votes.turnout(s, vote).voted


def _wait_until(condition: Callable[[], bool], deadline: float) -> None:
    """Poll ``condition`` until it holds; fail after ``deadline`` seconds."""
    give_up = time.monotonic() + deadline
    while not condition():
        assert time.monotonic() < give_up, "the condition never held"
        time.sleep(0.05)


def _race(url: str, how: str) -> None:
    store = Store(url)
    setup = make_setup(store, 8)
    closes = timedelta(seconds=5) if how == "by the clock" else timedelta(hours=1)
    v = setup.vote(closes=closes)
    issued = setup.codes(v)
    store.dispose()
    barrier = FORKSERVER.Barrier(len(issued) + 1)
    out = FORKSERVER.Queue()
    procs = [
        FORKSERVER.Process(target=_cast_until_refused, args=(url, _settings(), code, barrier, out))
        for code in issued.values()
    ]
    with _started(procs):
        barrier.wait(timeout=60)
        if how == "by hand":
            # Closed once every practice's ballot is in and they are all still casting.
            closer = Store(url, migrate=False)
            _wait_until(lambda: _voted(closer, v) == len(issued), deadline=120)
            closer.write(lambda s: votes.close_vote(s, setup.place, v))
            closer.dispose()
        logs = dict(out.get(timeout=120) for _ in procs)
    store = Store(url, migrate=False)
    with store.read() as s:
        counted = sorted(r.content["ballot"][0] for r in votes.counted_ballots(s, v))
    store.dispose()
    last_ok = []
    for log in logs.values():
        kinds = [k for k, _ in log]
        assert kinds[-1] == "refused" and set(kinds[:-1]) <= {"ok"}, log[-1]
        assert log[-1][1].startswith("This vote closed at")
        if len(log) > 1:
            last_ok.append(log[-2][1][0])
    assert last_ok  # casts did land before the close
    assert counted == sorted(last_ok)
