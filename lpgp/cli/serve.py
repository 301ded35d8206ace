"""The workshop app, for every step: ``lpgp serve``, ``lpgp lab``, and step board's ``lpgp board
codes`` (the members' personal codes for signing in to it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from lpgp import config
from lpgp.cli.board import board_app
from lpgp.cli.common import PlaceOpt, actor, app, place, store
from lpgp.cycle.board import member_code as member_codes
from lpgp.cycle.board.place import list_places
from lpgp.errors import ConfigError, NotFound

INSTALL_HINT = "The app needs extra packages: run  pip install -e .  (or make install) first."


def _notebooks() -> Path:
    folder = config.project_root() / "notebooks"
    if not folder.is_dir():
        raise ConfigError(f"no notebooks folder at {folder}: run lpgp from the project folder")
    return folder


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8866,
    trusted_proxy: Annotated[
        str,
        typer.Option(
            envvar="LPGP_TRUSTED_PROXIES",
            help="Comma-separated proxy addresses whose X-Forwarded-For is believed.",
        ),
    ] = "",
    pool_size: Annotated[
        int,
        typer.Option(
            min=0, max=4, help="Kernels kept ready for each busy facilitator page (0 for none)."
        ),
    ] = 1,
) -> None:
    """Start the workshop app: sign-in, ballots and scoring sheets, and the facilitator pages."""
    try:
        from lpgp.web.server import FACILITATOR_POOLS, ServeOptions
        from lpgp.web.server import serve as run
    except ImportError as exc:
        missing = (exc.name or "voila").split(".")[0]
        typer.echo(f"Error: {INSTALL_HINT} ({missing} is missing)", err=True)
        raise typer.Exit(1) from exc
    s = store()
    with s.read() as session:
        if not list_places(session):
            raise NotFound(
                "the store has no place yet: run 'lpgp demo' for the demo place, "
                "or 'lpgp init --place NAME' and import your practices"
            )
    options = ServeOptions(
        _notebooks(),
        host=host,
        port=port,
        pools={name: pool_size for name in FACILITATOR_POOLS},
        trusted_proxies=trusted_proxy,
    )
    run(s, options, announce=typer.echo)


@app.command()
def lab() -> None:
    """Open JupyterLab on the notebooks, with the same store, for analysts who edit them."""
    folder = _notebooks()
    env = {
        **os.environ,
        "LPGP_DATABASE_URL": store().url,
        "LPGP_SERVER_KEY_FILE": str(config.server_key_file()),
    }
    try:
        import jupyterlab  # noqa: F401
    except ImportError as exc:
        typer.echo(f"Error: {INSTALL_HINT} (jupyterlab is missing)", err=True)
        raise typer.Exit(1) from exc
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    raise typer.Exit(subprocess.call(command, env=env))


@board_app.command("codes")
def board_codes(
    place_key: PlaceOpt = None,
    member: Annotated[
        str | None, typer.Option("--member", help="Only this member (name); others keep theirs.")
    ] = None,
    missing_only: Annotated[
        bool, typer.Option("--missing-only", help="Only members who have no code yet.")
    ] = False,
) -> None:
    """Issue (or reissue) board members' personal codes; old codes stop working at once."""
    p = place(place_key)
    if member:
        issued = [store().write(lambda s: member_codes.issue_code(s, p, member, actor=actor()))]
    else:
        issued = store().write(
            lambda s: member_codes.issue_codes(s, p, missing_only=missing_only, actor=actor())
        )
    if not issued:
        typer.echo("Every board member already has a code.")
        return
    typer.echo("Hand each code to its owner privately; lpgp cannot show them again.")
    for item in issued:
        role = " (facilitator)" if item.member.is_facilitator else ""
        typer.echo(f"{item.member.name}{role}: {item.code}")
