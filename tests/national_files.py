"""The national files of one month in tests/data/national, and an empty place to refresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from lpgp.cycle.board import place as places
from lpgp.store import Store

DATA = Path(__file__).parent / "data" / "national"


def month(name: str) -> dict[str, Path]:
    """The list-size, PCN and practice files of one month, by the keyword each refresh takes."""
    return {
        "sizes": DATA / f"gp-reg-pat-prac-all-{name}.csv",
        "pcns": DATA / f"ePCN-{name}.xlsx",
        "practices": DATA / f"epraccur-{name}.csv",
    }


@pytest.fixture
def fenwick(store: Store) -> Store:
    """A store (on each backend) with one empty place, Fenwick."""
    store.write(lambda s: places.create_place(s, "Fenwick"))
    return store
