"""The analyst notebook's PCN sums add up to the place: the practice with no PCN is kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from paths import ROOT

import lpgp
from lpgp.demo import load_demo
from lpgp.store import Store

NOTEBOOK = ROOT / "notebooks" / "analyst.ipynb"


def _pcn_sums_line() -> str:
    cells = json.loads(NOTEBOOK.read_text("utf-8"))["cells"]
    lines = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    (line,) = [x for x in lines if ".groupby(" in x and "list_size" in x]
    return line.strip()


@pytest.mark.slow  # builds the demo place
def test_the_pcn_sums_keep_every_practice(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    load_demo(store)
    practices = lpgp.practices(store=store)
    assert practices.pcn.isna().sum() >= 1  # the demo has a practice in no PCN
    # The notebook's own expression, on this store (the notebook names its place).
    code = _pcn_sums_line().replace("lpgp.practices(place=viewer.place.slug)", "practices")
    sums = eval(code, {"practices": practices})  # the project's own notebook, not user input
    assert int(sums["sum"].sum()) == int(practices.list_size.sum())
    assert int(sums["count"].sum()) == len(practices)
    store.dispose()
