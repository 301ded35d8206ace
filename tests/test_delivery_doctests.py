"""The runnable examples in the delivery modules' docstrings."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "lpgp.agenda",
    "lpgp.ask",
    "lpgp.meeting",
    "lpgp.priority",
    "lpgp.tracker",
    "lpgp.io.action_list",
    "lpgp.io.priority_list",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
