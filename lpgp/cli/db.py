"""The store and the demo place, no step's in particular: ``lpgp init``, ``lpgp demo`` and
``lpgp db`` (upgrade, current)."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.orm import Session

from lpgp import config
from lpgp.analyst import board as api
from lpgp.cli.common import actor, app, new_or_existing_store, store
from lpgp.cycle.board import member_code as member_codes
from lpgp.cycle.board import place as places
from lpgp.demo import DEMO_SLUG, load_demo
from lpgp.errors import InvalidInput
from lpgp.model import Place
from lpgp.store import heads, revision_at, upgrade

db_app = typer.Typer(help="The store itself.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.command()
def init(
    place_name: Annotated[
        str | None, typer.Option("--place", help="Name of a first place to create.")
    ] = None,
    chair: Annotated[
        str | None,
        typer.Option(
            "--chair",
            help="Full name of the board's chair: made chair and facilitator, with a sign-in "
            "code shown once. Without --place, the store's only place.",
        ),
    ] = None,
) -> None:
    """Create the store (if new), a first place with --place and its chair with --chair.

    The chair is also a facilitator; their sign-in code is shown once, here."""
    name = member_codes.chair_name(chair) if chair is not None else None  # before any write
    s = new_or_existing_store()
    typer.echo(f"Store ready: {s!r}")
    if not place_name and name is None:
        return

    def work(session: Session) -> tuple[Place, member_codes.IssuedCode | None]:
        if place_name:
            where = places.create_place(session, place_name, actor=actor())
        else:
            where = _only_place(session)
        issued = None
        if name is not None:
            issued = member_codes.seat_chair(session, where, name, actor=actor())
        return where, issued

    where, issued = s.write(work)
    if place_name:
        typer.echo(f"Created place '{where.name}' (--place {where.slug}).")
    if issued is not None:
        who = issued.member.name
        typer.echo(f"{who} is the chair of the {where.name} board and a facilitator.")
        typer.echo(f"Sign-in code for {who}: {issued.code}")
        typer.echo(
            "This code cannot be shown again: give it to them privately now. "
            f'(A new one: lpgp board codes --member "{who}"; the old one then stops working.)'
        )
    if place_name:
        typer.echo("Next: lpgp practices import FILE")


def _only_place(session: Session) -> Place:
    """The store's one place, for ``init --chair`` without ``--place``."""
    found = places.list_places(session)
    if len(found) == 1:
        return found[0]
    if not found:
        raise InvalidInput("the store has no place yet: add --place NAME to create it too")
    raise InvalidInput(
        "the store holds more than one place, so --chair goes with a new place (--place NAME); "
        "for an existing place use 'lpgp people add', 'lpgp board add --chair --facilitator' "
        "and 'lpgp board codes --member' with --place"
    )


@app.command()
def demo() -> None:
    """Load the fictional demo place (Haverbrook) with its practices, board and a cycle."""
    created = load_demo(new_or_existing_store())
    if created is None:
        typer.echo(f"The demo place is already loaded (--place {DEMO_SLUG}).")
        return
    df = api.practices(place=DEMO_SLUG, store=store())
    members = len(api.board(place=DEMO_SLUG, store=store()))
    typer.echo(
        f"Loaded demo place '{created.name}': {len(df)} practices in "
        f"{df['pcn'].nunique()} PCNs, {members} board members."
    )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create the store if there is none, or apply any pending migrations to it."""
    s = new_or_existing_store()
    typer.echo(f"{s!r} is at revision {upgrade(s)}")


@db_app.command("current")
def db_current() -> None:
    """Show the store's schema revision, and whether this lpgp needs a newer one."""
    rev = revision_at(config.database_url())
    if rev is None:
        raise InvalidInput("the store has no schema yet: run 'lpgp db upgrade'")
    wanted = heads()
    if rev in wanted:
        typer.echo(rev)
    else:
        typer.echo(f"{rev} (this lpgp needs {', '.join(wanted)}: run 'lpgp db upgrade')")
