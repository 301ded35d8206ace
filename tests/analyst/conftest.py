"""The demo place in a SQLite file, built once with the clock fixed, for the analyst's tests.

``demo`` points ``LPGP_DATABASE_URL`` at it and fixes the clock, so ``lpgp.practices()`` reads
it exactly as an analyst's session on 4 May 2027 would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lpgp.demo import load_demo
from lpgp.store import Store, forget_stores

#: The demo's dates follow "today"; this fixes them (London time).
NOW = "2027-05-04T10:00:00"


def _fixed(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setenv("LPGP_DATA_DIR", str(folder / "data"))
    monkeypatch.setenv("LPGP_NOW", NOW)


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite file holding the demo place, built once on 4 May 2027."""
    folder = tmp_path_factory.mktemp("analyst")
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    with pytest.MonkeyPatch.context() as mp:
        _fixed(mp, folder)
        store = Store(url)
        load_demo(store)
        store.dispose()
    return url


@pytest.fixture
def demo(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The demo store as the default store, with the clock at :data:`NOW`."""
    _fixed(monkeypatch, Path(demo_url.removeprefix("sqlite:///")).parent)
    monkeypatch.setenv("LPGP_DATABASE_URL", demo_url)
    forget_stores()
    yield demo_url
    forget_stores()


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Store]:
    """A store with one empty place and a cycle: every frame empty."""
    from lpgp.cycle.board import place as places

    _fixed(monkeypatch, tmp_path)
    store = Store("sqlite://")

    def setup(session):
        where = places.create_place(session, "Emptyshire", actor="test")
        places.create_cycle(session, where, "2027/28 priorities", actor="test")

    store.write(setup)
    yield store
    store.dispose()
