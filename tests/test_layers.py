"""The layers the code promises, checked on the code itself by import-linter (its contracts are
in pyproject.toml), so the architecture document cannot drift from the imports."""

from __future__ import annotations

import pkgutil
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import lpgp

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")

PURE = "Pure rules: every step's rule modules, lpgp.voting, lpgp.chart and the kernel import"
IMPORTERS = "Importers build rule types: lpgp.io and every step's importers import neither"
LAYERS = "The layers, top to bottom"
STEPS = "The steps in the cycle's order"
SCREENS = "The screens and the web pages are separate shells"
TABLES = "The shells reach the store only through Store"
CYCLES = "No import cycles inside a package"


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
        ("cycle/actions/tracker_rules.py", "from lpgp.store import schema", [PURE]),
        # ... or for SQLAlchemy itself
        ("cycle/agendas/agenda_rules.py", "import sqlalchemy", [PURE]),
        # an importer that builds a service's type rather than a rule's
        ("cycle/actions/action_list.py", "from lpgp.cycle.actions import tracker", [IMPORTERS]),
        # the shared sheet reader that reaches for a step
        ("io/sheets.py", "from lpgp.cycle.board import practice", [IMPORTERS, LAYERS]),
        # the counting engine that reads the store
        ("voting/__init__.py", "from lpgp.store import Store", [PURE, LAYERS]),
        # a service that imports a shell
        ("cycle/actions/tracker.py", "from lpgp.cli import common", [LAYERS]),
        # an early step that reaches for a later one
        ("cycle/board/place.py", "from lpgp.cycle.vote import vote", [STEPS]),
        ("cycle/shortlist/scoring.py", "from lpgp.cycle.agreed import priority", [STEPS]),
        # the kernel importing upwards
        ("errors.py", "from lpgp import clock", [LAYERS]),
        # a screen that imports the web pages
        ("ui/home.py", "from lpgp.web import handlers", [SCREENS]),
        # a shell that queries a table itself
        ("cli/common.py", "from lpgp.store.schema import PlaceRow", [TABLES]),
        # the web pages importing their handlers back
        ("web/base.py", "from lpgp.web import handlers", [CYCLES]),
        # a screen importing the app that lists it, the store's key check its opener
        ("ui/screen.py", "from lpgp.ui import app", [CYCLES]),
        ("store/key.py", "from lpgp.store import db", [CYCLES]),
        # two services of a step importing each other
        ("cycle/vote/electorate.py", "from lpgp.cycle.vote import vote", [CYCLES]),
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
    (copy / "lpgp" / "cycle" / "review").mkdir()
    (copy / "lpgp" / "cycle" / "review" / "__init__.py").write_text('"""A ninth step."""\n')
    done = _lint(copy, env={"PYTHONPATH": str(copy), "PATH": ""})
    report = done.stdout + done.stderr
    assert done.returncode != 0, report
    assert "lpgp.helpers" in report and "lpgp.cycle.review" in report, report


def _contract(name: str) -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (found,) = [c for c in contracts if c["name"].startswith(name)]
    return found


def _modules(suffix: str) -> set[str]:
    return {
        m.name
        for m in pkgutil.walk_packages(lpgp.__path__, "lpgp.")
        if m.name.rsplit(".", 1)[-1].endswith(suffix)
    }


def test_every_rule_module_is_held_to_the_pure_contract() -> None:
    # A new ``*_rules`` module is pure by its name; the contract must say so too.
    listed = set(_contract(PURE)["source_modules"])
    assert len(_modules("_rules")) == 17
    assert _modules("_rules") <= listed, _modules("_rules") - listed


def test_every_importer_is_held_to_the_importers_contract() -> None:
    # Importers are named for the file they read: *_list, *_sheet, *_file(s), vote_candidates.
    listed = set(_contract(IMPORTERS)["source_modules"])
    importers = {
        name
        for name in _modules("")
        if name.startswith("lpgp.cycle.")
        and name.rsplit(".", 1)[-1].endswith(("_list", "_sheet", "_file", "_files", "_candidates"))
    }
    assert len(importers) == 9
    assert importers <= listed, importers - listed


def test_no_bare_name_of_the_package_means_two_things() -> None:
    # A public name that is also a submodule's name would be the function until the module
    # was imported, and the module after (lpgp.agenda was both once).
    submodules = {m.name for m in pkgutil.iter_modules(lpgp.__path__)}
    assert not set(lpgp.__all__) & submodules
    for name in sorted(submodules - {"__main__"}):
        __import__(f"lpgp.{name}")
    assert callable(lpgp.agenda) and lpgp.agenda.__module__ == "lpgp.analyst.delivery"


def _documented_tree() -> dict[str, set[str]]:
    """docs/architecture.md's tree table: each package's folder and the modules it lists."""
    text = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    table = text.split("## The tree")[1].split("\n### ")[0]
    tree = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`lpgp/"):
            tree[cells[0].strip("`")] = set(re.findall(r"`([\w.]+)`", cells[2]))
    return tree


def _real_tree() -> dict[str, set[str]]:
    tree: dict[str, set[str]] = {}
    for init in sorted((ROOT / "lpgp").rglob("__init__.py")):
        folder = init.parent
        if "migrations" in folder.parts:
            continue
        name = folder.relative_to(ROOT).as_posix() + "/"
        tree[name] = {p.stem for p in folder.glob("*.py") if p.name != "__init__.py"}
    return tree


def test_the_architecture_document_names_every_module_and_no_other() -> None:
    documented, real = _documented_tree(), _real_tree()
    assert len(real) >= 19
    assert sorted(documented) == sorted(real)
    for folder, modules in real.items():
        assert documented[folder] == modules, (
            folder,
            "undocumented:",
            sorted(modules - documented[folder]),
            "gone:",
            sorted(documented[folder] - modules),
        )
