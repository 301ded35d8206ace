"""Step vote, counted again by anyone: ``lpgp tally`` counts a file of ballots and prints the
explanation, without the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lpgp import voting
from lpgp.cli.common import app, show
from lpgp.cycle.vote.ballot_file import read_ballot_file
from lpgp.io.input_file import LIMIT_TEXT


@app.command("tally")
def tally_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="A PrefLib file (.soi, .toi, .cat) or a long-format CSV/XLSX table, "
            f"at most {LIMIT_TEXT}."
        ),
    ],
    method: Annotated[
        str,
        typer.Option("--method", "-m", help="approval, points, borda, schulze or irv."),
    ] = "schulze",
    seats: Annotated[int, typer.Option("--seats", "-n", help="How many places to fill.")] = 1,
    seed: Annotated[
        str, typer.Option("--seed", help="The tie-break seed published before the vote opened.")
    ] = "",
    budget: Annotated[
        int | None, typer.Option("--budget", help="Points budget per ballot (points votes).")
    ] = None,
    candidates: Annotated[
        str | None,
        typer.Option(
            "--candidates", help="Shortlist order, comma-separated (default: file order)."
        ),
    ] = None,
    robustness: Annotated[
        bool, typer.Option("--robustness", help="Also show other methods and a bootstrap.")
    ] = False,
) -> None:
    """Count a file of ballots by one method and print the plain-English explanation."""
    order = [c.strip() for c in candidates.split(",")] if candidates else None
    loaded = read_ballot_file(file, method, order)
    cands = list(loaded.candidates)
    result = voting.tally(
        method, loaded.ballots, candidates=cands, seats=seats, seed=seed, budget=budget
    )
    typer.echo(f"{loaded.source}")
    typer.echo(result.explanation)
    if robustness:
        side, chances = voting.robustness(
            method, loaded.ballots, candidates=cands, seats=seats, seed=seed, budget=budget
        )
        typer.echo("\nPlace under each method suiting these ballots:")
        show(side)
        typer.echo(f"\nChance of making the list over {chances['resamples'].iloc[0]:,} resamples:")
        show(chances.drop(columns="resamples"))
