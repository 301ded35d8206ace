"""Step candidates, the priorities the board drafts: ``lpgp candidates`` (add, edit, withdraw,
list, check, state)."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.orm import Session

from lpgp.analyst import shortlist as api
from lpgp.cli.common import CycleOpt, FormatOpt, PlaceOpt, actor, app, scope, show, store
from lpgp.cycle.candidates import candidate as cand
from lpgp.cycle.candidates import candidate_rules
from lpgp.cycle.candidates.drafting import DraftingWarning, drafting_warnings

candidates_app = typer.Typer(help="Candidate priorities the board drafts.", no_args_is_help=True)
app.add_typer(candidates_app, name="candidates")


def _print_warnings(warnings: list[DraftingWarning]) -> None:
    if not warnings:
        typer.echo("  Drafting check: no warnings.")
    for w in warnings:
        typer.echo(f"  Warning ({w.code}): {w.message}")


@candidates_app.command("add")
def candidates_add(
    title: Annotated[str, typer.Argument(help="A short title.")],
    description: Annotated[str, typer.Option(help="What it is about and why.")] = "",
    ask: Annotated[str, typer.Option(help="The specific ask of the local system.")] = "",
    actions: Annotated[str, typer.Option(help="Practical actions general practice takes.")] = "",
    quality: Annotated[
        list[str] | None,
        typer.Option(
            "--quality",
            help="A quality it claims (repeat): joint_working, influence, practical_action, "
            "resonates.",
        ),
    ] = None,
    proposed_by: Annotated[str, typer.Option(help="Who put the candidate forward.")] = "",
    place_key: PlaceOpt = None,
    cycle: CycleOpt = None,
) -> None:
    """Draft a candidate priority and show the drafting check."""
    where, which = scope(place_key, cycle)
    item = candidate_rules.CandidateInput.of(
        title, description, ask, actions, quality or [], proposed_by=proposed_by
    )
    made = store().write(lambda s: cand.add_candidate(s, where, which, item, actor=actor()))
    typer.echo(f"Added candidate {made.id}: {made.title}")
    _print_warnings(made.warnings())


@candidates_app.command("edit")
def candidates_edit(
    candidate: Annotated[str, typer.Argument(help="The candidate's id or title.")],
    title: Annotated[str | None, typer.Option(help="A new title.")] = None,
    description: Annotated[str | None, typer.Option(help="A new description.")] = None,
    ask: Annotated[str | None, typer.Option(help="A new ask of the local system.")] = None,
    actions: Annotated[str | None, typer.Option(help="New practical actions.")] = None,
    quality: Annotated[
        list[str] | None,
        typer.Option("--quality", help="Replace the claimed qualities (repeat)."),
    ] = None,
    proposed_by: Annotated[str | None, typer.Option(help="Who put it forward.")] = None,
    place_key: PlaceOpt = None,
    cycle: CycleOpt = None,
) -> None:
    """Redraft a candidate (drafts only); options left out keep their text."""
    where, which = scope(place_key, cycle)

    def work(s: Session) -> candidate_rules.Candidate:
        old = cand.find_candidate(s, where, which, candidate)
        item = candidate_rules.CandidateInput.of(
            old.title if title is None else title,
            old.description if description is None else description,
            old.ask if ask is None else ask,
            old.actions if actions is None else actions,
            [q.value for q in old.qualities] if quality is None else quality,
            old.proposed_by if proposed_by is None else proposed_by,
        )
        return cand.update_candidate(s, where, old.id, item, actor=actor())

    made = store().write(work)
    typer.echo(f"Updated candidate {made.id}: {made.title}")
    _print_warnings(made.warnings())


@candidates_app.command("withdraw")
def candidates_withdraw(
    candidate: Annotated[str, typer.Argument(help="The candidate's id or title.")],
    reason: Annotated[str | None, typer.Option(help="Why, for the audit log.")] = None,
    place_key: PlaceOpt = None,
    cycle: CycleOpt = None,
) -> None:
    """Withdraw a draft: it is not taken forward (its scores, if any, stay on record)."""
    where, which = scope(place_key, cycle)

    def work(s: Session) -> candidate_rules.Candidate:
        found = cand.find_candidate(s, where, which, candidate)
        return cand.withdraw_candidate(s, where, found.id, actor=actor(), reason=reason)

    gone = store().write(work)
    typer.echo(f"Withdrew candidate {gone.id}: {gone.title}")


@candidates_app.command("list")
def candidates_list(
    state: Annotated[str | None, typer.Option(help="Only candidates in this state.")] = None,
    place_key: PlaceOpt = None,
    cycle: CycleOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """List the cycle's candidates with their state and drafting warnings."""
    df = api.candidates(cycle, place=place_key, store=store())
    if state:
        df = df[df.state == candidate_rules.parse_state(state).value]
    if fmt == "table":
        df = df[["id", "title", "state", "proposed_by", "qualities", "warnings"]]
    show(df, fmt, empty="no candidates yet: add one with 'lpgp candidates add TITLE'")


@candidates_app.command("check")
def candidates_check(
    candidate: Annotated[
        str | None, typer.Argument(help="A candidate's id or title; default all of them.")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Check this wording without saving.")] = None,
    description: Annotated[str, typer.Option(help="Description to check with --title.")] = "",
    ask: Annotated[str, typer.Option(help="Ask to check with --title.")] = "",
    actions: Annotated[str, typer.Option(help="Actions to check with --title.")] = "",
    place_key: PlaceOpt = None,
    cycle: CycleOpt = None,
) -> None:
    """Run the drafting check on a wording, one candidate or every candidate."""
    if title is not None:
        _print_warnings(drafting_warnings(title, description, ask, actions))
        return
    where, which = scope(place_key, cycle)
    with store().read() as s:
        if candidate is None:
            items = cand.list_candidates(s, where, which)
        else:
            items = [cand.find_candidate(s, where, which, candidate)]
    for item in items:
        typer.echo(f"{item.id}: {item.title}")
        _print_warnings(item.warnings())


@candidates_app.command("state")
def candidates_state(
    candidate: Annotated[str, typer.Argument(help="The candidate's id or title.")],
    state: Annotated[
        str,
        typer.Argument(help="draft, shortlisted, on_ballot, agreed or not_taken_forward."),
    ],
    reason: Annotated[str | None, typer.Option(help="Why, for the audit log.")] = None,
    place_key: PlaceOpt = None,
    cycle: CycleOpt = None,
) -> None:
    """Move a candidate to another state."""
    where, which = scope(place_key, cycle)

    def work(s: Session) -> candidate_rules.Candidate:
        found = cand.find_candidate(s, where, which, candidate)
        return cand.set_state(s, where, found.id, state, actor=actor(), reason=reason)

    moved = store().write(work)
    typer.echo(f"Candidate {moved.id} is now {moved.state.value}.")
