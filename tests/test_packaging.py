"""The project's own files agree with each other."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ".." + "/shared"  # spelled apart so this file does not match itself


def _name(requirement: str) -> str:
    return re.split(r"[<>=!\[ ;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_every_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    env = (ROOT / "environment.yml").read_text()
    listed = {_name(m) for m in re.findall(r"^\s+- ([A-Za-z0-9_.\-\[\]]+)", env, re.M)}
    assert wanted - listed == set()
    assert env.rstrip().endswith("- -e .")


def test_every_data_file_of_the_package_goes_into_the_wheel() -> None:
    """Templates, stylesheets and CSVs are not Python: each must match a package-data pattern,
    or an installed lpgp would miss it (the light pages once did)."""
    from fnmatch import fnmatch

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["lpgp"]
    package = ROOT / "lpgp"
    data = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    ]
    assert "web/templates/ballot.html" in data and "web/static/lpgp.css" in data
    assert [f for f in data if not any(fnmatch(f, pattern) for pattern in patterns)] == []


def test_nothing_reads_the_shared_folder() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for folder in ("lpgp", "tests", "benchmarks", "notebooks")
        for p in (ROOT / folder).rglob("*")
        if p.suffix in {".py", ".ipynb"} and SHARED in p.read_text(errors="ignore")
    ]
    assert offenders == []
