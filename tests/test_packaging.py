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


def test_the_lock_pins_every_dependency_at_a_version_pyproject_allows() -> None:
    """``make install`` installs requirements.lock alone: a dependency added to pyproject.toml
    without ``make lock`` would be missing from every fresh install (and CI)."""
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    wanted += [Requirement(r) for r in project["optional-dependencies"]["test"]]
    lock = (ROOT / "requirements.lock").read_text()
    pins = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+) \\$", lock, re.M))
    pinned = {_name(name): version for name, version in pins.items()}
    unpinned = [str(r) for r in wanted if _name(r.name) not in pinned]
    outside = [
        f"{r} (locked {pinned[_name(r.name)]})"
        for r in wanted
        if _name(r.name) in pinned and pinned[_name(r.name)] not in r.specifier
    ]
    assert (unpinned, outside) == ([], []), "run make lock"
    # Every line that names a package pins it and carries its hashes (pip --require-hashes).
    entries = re.findall(r"^(\S.*?)(?=^\S|\Z)", lock, re.M | re.S)
    named = [e for e in entries if not e.startswith("#")]
    assert len(named) == len(pins) > 100
    assert all("--hash=sha256:" in e for e in named)


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
