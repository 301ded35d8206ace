"""``lpgp --help`` lists every command without importing them: its lines come from a table in
``lpgp.cli``, checked here against each command's own help."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest
import typer.main
from typer.core import TyperGroup

from lpgp.cli import COMMANDS, _register, app


def test_the_help_table_matches_the_commands() -> None:
    _register()
    real = typer.main.get_command(app)
    assert isinstance(real, TyperGroup)
    assert sorted(COMMANDS) == sorted(real.commands)  # registration order follows imports
    for name, (_, line) in COMMANDS.items():
        command = real.commands[name]
        # What `lpgp --help` shows for a command: the first paragraph of its help, on one line.
        first = inspect.cleandoc(command.short_help or command.help or "").split("\n\n")[0]
        assert line == " ".join(first.split()), name


def test_the_table_names_every_module_that_adds_to_a_command() -> None:
    # A group's subcommands may come from several modules (``board codes`` is in serve.py):
    # the table must name each, or the subcommand is missing when the group loads alone.
    _register()
    for info in app.registered_commands:
        name = info.name or info.callback.__name__.replace("_", "-")
        assert info.callback.__module__ in {f"lpgp.cli.{m}" for m in COMMANDS[name][0]}, name
    for group in app.registered_groups:
        modules = {f"lpgp.cli.{m}" for m in COMMANDS[group.name][0]}
        for info in group.typer_instance.registered_commands:
            assert info.callback.__module__ in modules, (group.name, info.name)


def test_board_codes_is_there_when_only_the_board_group_is_loaded() -> None:
    script = (
        "from lpgp.cli import _lazy_root\n"
        "board = _lazy_root().get_command(None, 'board')\n"
        "print(sorted(board.commands))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "'codes'" in done.stdout and "'add'" in done.stdout


@pytest.mark.slow  # imports every command's module
def test_each_command_is_found_in_the_modules_the_table_names() -> None:
    # A fresh interpreter imports only the modules the table names for a command, then finds it.
    script = (
        "import sys\n"
        "from lpgp.cli import COMMANDS, _lazy_root\n"
        "root = _lazy_root()\n"
        "for name in COMMANDS:\n"
        "    assert root.get_command(None, name) is not None, name\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_help_loads_neither_pandas_nor_sqlalchemy() -> None:
    script = (
        "import sys\n"
        "from lpgp.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in ('pandas', 'sqlalchemy', 'numpy', 'matplotlib') "
        "if m in sys.modules)\n"
        "print('LOADED', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert "practices" in done.stdout and "agenda" in done.stdout
    assert "LOADED []" in done.stderr, done.stderr


def test_a_group_shows_its_commands_and_an_unknown_one_is_named() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "lpgp", "practices", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert "from-national" in done.stdout and "import" in done.stdout
    done = subprocess.run(
        [sys.executable, "-m", "lpgp", "nonsense"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "No such command 'nonsense'" in done.stderr
