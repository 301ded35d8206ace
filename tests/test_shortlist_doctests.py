"""The runnable examples in the shortlist modules' docstrings stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "lpgp.candidate",
    "lpgp.drafting",
    "lpgp.io.score_sheet",
    "lpgp.score_chart",
    "lpgp.scoring",
    "lpgp.shortlist",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
