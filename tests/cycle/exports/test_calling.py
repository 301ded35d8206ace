"""The export functions take place= and store= by keyword like every analyst function; a call
that gives them by position still works for one release, with a warning naming the keyword."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from openpyxl import load_workbook

import lpgp
from cycle.exports.store_data import TODAY, build
from lpgp.store import Store


@pytest.fixture
def built(file_store_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LPGP_NOW", TODAY)
    store = Store(file_store_url)
    build(store)
    yield store
    store.dispose()


def test_positional_place_and_store_warn_and_still_work(built: Store, tmp_path: Path) -> None:
    with pytest.warns(DeprecationWarning, match=r"export_actions\(\): pass place=, store= by"):
        old = lpgp.export_actions(tmp_path / "old.xlsx", "xlsx", None, "testshire", built)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        new = lpgp.export_actions(tmp_path / "new.xlsx", place="testshire", store=built)
    rows = [list(load_workbook(p).active.iter_rows(values_only=True)) for p in (old, new)]
    assert rows[0] == rows[1] and len(rows[0]) > 2


@pytest.mark.parametrize(
    ("name", "positional"),
    [
        ("export_summary", 3),
        ("export_actions", 3),
        ("export_agenda", 4),
        ("export_invites", 3),
        ("export_all", 2),
    ],
)
def test_only_the_named_things_come_by_position(name: str, positional: int) -> None:
    import inspect

    params = inspect.signature(getattr(lpgp, name)).parameters.values()
    by_position = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert len(by_position) == positional
    assert {"place", "store"} <= {p.name for p in params if p.kind is p.KEYWORD_ONLY}
