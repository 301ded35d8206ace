"""The command line: help everywhere, clean errors, the demo, imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.core import TyperGroup

from lpgp.cli import _register, app


def _commands(group: TyperGroup, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, TyperGroup):
            yield from _commands(command, prefix + (name,))


def test_every_command_has_help_text() -> None:
    import typer.main

    _register()
    root = typer.main.get_command(app)
    missing = [" ".join(path) for path, cmd in _commands(root) if not (cmd.help or "").strip()]
    assert missing == []


@pytest.mark.slow  # builds the demo place through the CLI
def test_demo_then_lists(cli) -> None:
    code, out, _ = cli("demo")
    assert code == 0, out
    assert "41 practices in 6 PCNs" in out
    code, out, _ = cli("practices", "list", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0].startswith("ods_code,name,pcn,list_size")
    assert len(out.splitlines()) == 42
    code, out, _ = cli("board", "list")
    assert "Dr Amara Okafor" in out
    code, out, _ = cli("demo")
    assert "already loaded" in out


def test_import_with_bad_rows_exits_non_zero(cli, tmp_path: Path) -> None:
    assert cli("init", "--place", "Testshire")[0] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("ODS code,Name,List size\nZ99001,One,100\nnope,Two,200\n")
    code, out, err = cli("practices", "import", str(bad))
    assert code == 1
    assert "row 3, column 'ODS code'" in err
    code, out, _ = cli("practices", "list")
    assert "no practices yet" in out


def test_more_than_one_place_needs_place(cli) -> None:
    cli("init", "--place", "One")
    cli("init", "--place", "Two")
    code, _, err = cli("practices", "list")
    assert code == 1 and "--place" in err
    code, out, _ = cli("practices", "list", "--place", "two")
    assert code == 0


def test_user_mistakes_print_no_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "LPGP_DATA_DIR": str(tmp_path / "data")}
    env.pop("LPGP_DATABASE_URL", None)
    missing = tmp_path / "nope.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "lpgp", "practices", "import", str(missing)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("Error: ")


@pytest.mark.parametrize("argv", [["people", "add", "X", "--role", "wizard"]])
def test_bad_option_values_are_clean_errors(cli, argv: list[str]) -> None:
    cli("init", "--place", "Testshire")
    code, _, err = cli(*argv)
    assert code == 1 and "is not a role" in err
