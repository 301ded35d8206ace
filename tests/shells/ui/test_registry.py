"""The one registry of screens: each entry names a screen class that exists, and the names are
the notebooks' and the app's addresses."""

from __future__ import annotations

import importlib
from pathlib import Path

from lpgp import ui
from lpgp.ui.screen import Screen

NOTEBOOKS = Path(__file__).resolve().parents[3] / "notebooks"


def test_every_registered_screen_is_a_screen_class() -> None:
    assert len(ui.SCREENS) == 12
    for name, spec in ui.SCREENS.items():
        assert spec.name == name
        kind = getattr(importlib.import_module(f"lpgp.ui.{spec.module}"), spec.cls)
        assert issubclass(kind, Screen), name
        assert spec.title and (spec.step is None or 1 <= spec.step <= 8), name


def test_every_screen_a_notebook_asks_for_is_registered() -> None:
    asked = [
        text.split('ui.screen_for(\\"', 1)[1].split('\\"', 1)[0]
        for text in (p.read_text("utf-8") for p in sorted(NOTEBOOKS.glob("*.ipynb")))
        if "ui.screen_for(" in text
    ]
    assert len(asked) == 9
    assert set(asked) <= set(ui.SCREENS)
