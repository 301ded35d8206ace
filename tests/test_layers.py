"""The layers the code promises, checked on the code itself by import-linter (its contracts are
in pyproject.toml), so the architecture document cannot drift from the imports."""

from __future__ import annotations

import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import lpgp

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")

PURE = "Pure rules: the rule modules, lpgp.voting and the kernel import neither the store nor"
IMPORTERS = "Importers build rule types: lpgp.io imports neither the store nor SQLAlchemy"
LAYERS = "The layers, top to bottom"
SCREENS = "The screens and the web pages are separate shells"
TABLES = "The shells reach the store only through Store"
WEB_CYCLES = "No import cycles inside lpgp.web"


def _lint(cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT), "--no-cache"], cwd=cwd, capture_output=True, text=True, check=False, env=env
    )


def _broken(report: str) -> set[str]:
    """The names of the contracts a report lists as broken (import-linter wraps long names)."""
    summary = report.split("\nContracts: ")[0].split("dependencies.")[-1]
    words = " ".join(summary.replace("-", " ").split())
    return {
        name.strip()
        for name, verdict in re.findall(r"(.*?) (KEPT|BROKEN)(?= |$)", words)
        if verdict == "BROKEN"
    }


def test_the_import_contracts_hold() -> None:
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_no_contract_ignores_an_import() -> None:
    # A contract that lists imports to ignore promises less than its name says.
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    assert "ignore_imports" not in text.split("[tool.importlinter]")[1].split("\n[tool.")[0]


@pytest.mark.parametrize(
    ("module", "line", "contracts"),
    [
        # a rule module that reaches for the store's tables
        ("tracker_rules.py", "from .store import schema", [PURE, LAYERS]),
        # ... or for SQLAlchemy itself
        ("agenda_rules.py", "import sqlalchemy", [PURE]),
        # an importer that builds a service's type rather than a rule's
        ("io/action_list.py", "from ..tracker import add_action", [IMPORTERS, LAYERS]),
        # the counting engine that reads the store
        ("voting/__init__.py", "from ..store import Store", [PURE, LAYERS]),
        # a service that imports a shell
        ("tracker.py", "from .cli import common", [LAYERS]),
        # the kernel importing upwards
        ("errors.py", "from . import clock", [LAYERS]),
        # a screen that imports the web pages
        ("ui/home.py", "from ..web import handlers", [SCREENS]),
        # a shell that queries a table itself
        ("cli/common.py", "from ..store.schema import PlaceRow", [TABLES]),
        # the web pages importing their handlers back
        ("web/base.py", "from . import handlers", [WEB_CYCLES]),
    ],
)
def test_one_bad_import_breaks_its_contract(
    tmp_path: Path, module: str, line: str, contracts: list[str]
) -> None:
    # The checks can fail: a copy of the package with one bad import added.
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "lpgp", copy / "lpgp", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    target = copy / "lpgp" / module
    text = target.read_text("utf-8")
    # after the module's docstring and ``from __future__`` import, where an import belongs
    anchor = "from __future__ import annotations\n"
    assert anchor in text, module
    target.write_text(text.replace(anchor, f"{anchor}{line}  # noqa: F401\n", 1), "utf-8")
    done = _lint(copy, env={"PYTHONPATH": str(copy), "PATH": ""})
    report = done.stdout + done.stderr
    assert done.returncode != 0, report
    broken = " | ".join(_broken(done.stdout))
    for name in contracts:
        assert name in broken, (name, report)


def test_a_new_module_must_be_given_a_layer(tmp_path: Path) -> None:
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "lpgp", copy / "lpgp", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    (copy / "lpgp" / "helpers.py").write_text('"""Somewhere to put things."""\n', "utf-8")
    done = _lint(copy, env={"PYTHONPATH": str(copy), "PATH": ""})
    assert done.returncode != 0 and "lpgp.helpers" in done.stdout, done.stdout + done.stderr


def test_no_bare_name_of_the_package_means_two_things() -> None:
    # A public name that is also a submodule's name would be the function until the module
    # was imported, and the module after (lpgp.agenda was both once).
    submodules = {m.name for m in pkgutil.iter_modules(lpgp.__path__)}
    assert not set(lpgp.__all__) & submodules
    for name in sorted(submodules - {"__main__"}):
        __import__(f"lpgp.{name}")
    assert callable(lpgp.agenda) and lpgp.agenda.__module__ == "lpgp.analyst.delivery"
