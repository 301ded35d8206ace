"""The examples in docstrings are run, so they cannot drift from the code: the one runner for
every module of lpgp.

Only modules that have an example get a test (doctest's own finder decides, at collection).
The analyst's modules (``lpgp.analyst.*``) read the demo place, as an analyst types them
(``lpgp.practices().head(3)``), so theirs run with the demo store as the default store and the
clock on 4 May 2027 (tests/analyst/conftest.py's ``demo``).
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import io
import pkgutil

import pytest
from analyst.conftest import demo, demo_url  # noqa: F401 (the analyst examples' demo store)

import lpgp

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
FINDER = doctest.DocTestFinder()


def _examples(name: str) -> list[doctest.DocTest]:
    """The docstrings with an example that runs (not ``+SKIP``) among those defined in the
    module ``name`` (not those it imports)."""
    return [
        test
        for test in FINDER.find(importlib.import_module(name))
        if any(not example.options.get(doctest.SKIP) for example in test.examples)
    ]


def _modules_with_examples() -> list[str]:
    names = [
        m.name
        for m in pkgutil.walk_packages(lpgp.__path__, "lpgp.")
        if ".migrations" not in m.name and not m.name.endswith("__main__")
    ]
    return [name for name in ["lpgp", *sorted(names)] if _examples(name)]


MODULES = _modules_with_examples()


def _is_analysts(name: str) -> bool:
    return name == "lpgp.analyst" or name.startswith("lpgp.analyst.")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str, request: pytest.FixtureRequest) -> None:
    if _is_analysts(name):
        request.getfixturevalue("demo")
    report = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    for test in _examples(name):
        runner.run(test, out=report.write)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0, f"{name} has no example to run"
    assert result.failed == 0, report.getvalue()


def test_the_analysts_modules_are_run_on_the_demo() -> None:
    assert {"lpgp.analyst.board", "lpgp.analyst.vote"} <= set(MODULES)


# These read or write files (the national extracts, the exports), so their examples are shown
# but not run; tests/cycle/exports and tests/cycle/board/test_national_refresh.py run them on
# real files.
FILE_FUNCTIONS = {
    "export_actions",
    "export_agenda",
    "export_all",
    "export_invites",
    "export_summary",
    "national_refresh",
}


def test_every_analyst_function_shows_an_example_with_its_output() -> None:
    for name in lpgp.__all__:
        value = getattr(lpgp, name)
        if not inspect.isfunction(value) or not value.__module__.startswith("lpgp.analyst"):
            continue
        if name in FILE_FUNCTIONS:
            assert ">>> " in (value.__doc__ or ""), f"lpgp.{name} has no example"
            continue
        examples = doctest.DocTestParser().get_examples(inspect.getdoc(value) or "")
        assert examples, f"lpgp.{name} has no example"
        assert any(e.want.strip() for e in examples), f"lpgp.{name} shows no output"
        assert "+SKIP" not in (value.__doc__ or ""), f"lpgp.{name} skips its example"
