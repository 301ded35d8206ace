"""The examples in docstrings are run, so they cannot drift from the code.

The analyst's modules read the demo place, so tests/test_analyst_doctests.py runs theirs
against a demo store instead.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import lpgp

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(lpgp.__path__, "lpgp.")
    if ".migrations" not in m.name
    and not m.name.endswith("__main__")
    and not m.name.startswith("lpgp.analyst")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
