"""The examples in the voting engine's docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "ballots",
    "explain",
    "irv",
    "preflib",
    "registry",
    "robustness",
    "schulze",
    "scoring",
    "tiebreak",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"lpgp.voting.{name}")
    failed, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0
    assert failed == 0


def test_package_example() -> None:
    import lpgp.voting

    assert doctest.testmod(lpgp.voting).failed == 0
