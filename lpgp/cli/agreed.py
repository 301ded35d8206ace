"""Step agreed, the board's agreed list of priorities: ``lpgp priorities`` (confirm, list)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lpgp.analyst.delivery import priorities as priorities_frame
from lpgp.cli.common import DeliveryCycleOpt, FormatOpt, PlaceOpt, actor, app, place, show, store
from lpgp.cycle.agreed.priority import confirm_list
from lpgp.cycle.agreed.priority_list import read_priorities
from lpgp.errors import InvalidInput
from lpgp.io.input_file import LIMIT_TEXT

priorities_app = typer.Typer(help="The agreed list of priorities.", no_args_is_help=True)
app.add_typer(priorities_app, name="priorities")

DecideCycleOpt = Annotated[
    str | None, typer.Option("--cycle", help="Cycle name or id (default: the current one).")
]


def _ids(text: str | None) -> list[int]:
    if not text:
        return []
    try:
        return [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError as exc:
        raise InvalidInput(f"'{text}' is not a list of candidate ids such as 4,1,7") from exc


@priorities_app.command("confirm")
def priorities_confirm(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV or XLSX: Title, Ask of the system, Why now, Measure of success, Lead, "
            f"and optionally Candidate id; one row per priority, in order. At most {LIMIT_TEXT}."
        ),
    ],
    result_order: Annotated[
        str | None,
        typer.Option(
            "--result-order", help="The vote's winners in order, as candidate ids: 4,1,7."
        ),
    ] = None,
    vote_id: Annotated[int | None, typer.Option("--vote-id", help="The vote it came from.")] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why the list departs from the vote's result.")
    ] = None,
    cycle: DecideCycleOpt = None,
    place_key: PlaceOpt = None,
) -> None:
    """Confirm the cycle's agreed list in one step, recording who confirmed it and when."""
    items = read_priorities(file)
    where = place(place_key)
    agreed = store().write(
        lambda s: confirm_list(
            s,
            where,
            items,
            cycle=cycle,
            result_order=_ids(result_order),
            vote_id=vote_id,
            departure_reason=reason,
            actor=actor(),
        )
    )
    typer.echo(f"Confirmed {len(agreed.priorities)} priorities for '{agreed.cycle}':")
    for p in agreed.priorities:
        typer.echo(f"  {p.position}. {p.title} (lead: {p.lead})")
    if agreed.departure_reason:
        typer.echo(f"Departs from the vote's result because: {agreed.departure_reason}")


@priorities_app.command("list")
def priorities_list(
    cycle: DeliveryCycleOpt = None, fmt: FormatOpt = "table", place_key: PlaceOpt = None
) -> None:
    """List the agreed priorities in order with their leads and asks."""
    df = priorities_frame(cycle, place=place_key, store=store())
    show(df.drop(columns=["id"]), fmt, "no agreed list yet: lpgp priorities confirm FILE")
