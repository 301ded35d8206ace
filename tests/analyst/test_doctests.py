"""The examples in the analyst's docstrings run against the demo place, as an analyst types
them (``lpgp.practices().head(3)``), so they cannot drift from what the functions return.

tests/test_docstrings.py leaves these modules out: without a store they have nothing to read.
"""

from __future__ import annotations

import doctest
import importlib
import inspect

import pytest

import lpgp

MODULES = [
    "lpgp.analyst",
    "lpgp.analyst._common",
    "lpgp.analyst._frames",
    "lpgp.analyst.board",
    "lpgp.analyst.delivery",
    "lpgp.analyst.list_sizes",
    "lpgp.analyst.shortlist",
    "lpgp.analyst.vote",
]


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_hold_on_the_demo(name: str, demo: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_every_analyst_function_shows_an_example_with_its_output() -> None:
    for name in lpgp.__all__:
        value = getattr(lpgp, name)
        if not inspect.isfunction(value) or not value.__module__.startswith("lpgp.analyst"):
            continue
        examples = doctest.DocTestParser().get_examples(inspect.getdoc(value) or "")
        assert examples, f"lpgp.{name} has no example"
        assert any(e.want.strip() for e in examples), f"lpgp.{name} shows no output"
        assert "+SKIP" not in (value.__doc__ or ""), f"lpgp.{name} skips its example"
