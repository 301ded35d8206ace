"""Commands for candidate priorities, the board's scoring and the shortlist."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from sqlalchemy.orm import Session

from lpgp.analyst import shortlist as api
from lpgp.cli.common import FormatOpt, PlaceOpt, actor, app, place, show, store
from lpgp.cycle.board.person import get_board_member
from lpgp.cycle.board.place import get_cycle
from lpgp.cycle.candidates import candidate as cand
from lpgp.cycle.candidates import candidate_rules
from lpgp.cycle.candidates.drafting import DraftingWarning, drafting_warnings
from lpgp.cycle.shortlist import scoring, scoring_rules
from lpgp.cycle.shortlist.score_sheet import parse_score_sheet
from lpgp.cycle.shortlist.shortlist import fix_shortlist, get_shortlist, summarise
from lpgp.cycle.shortlist.shortlist_rules import Shortlist, ShortlistEntry
from lpgp.errors import InvalidInput
from lpgp.io.input_file import LIMIT_TEXT
from lpgp.io.sheets import read_sheet
from lpgp.model import BoardMember, Cycle, Place

candidates_app = typer.Typer(help="Candidate priorities the board drafts.", no_args_is_help=True)
scores_app = typer.Typer(
    help="The board's scores: criteria, marks, interests, the summary.", no_args_is_help=True
)
shortlist_app = typer.Typer(help="The shortlist put to the practices.", no_args_is_help=True)
app.add_typer(candidates_app, name="candidates")
app.add_typer(scores_app, name="scores")
app.add_typer(shortlist_app, name="shortlist")

CycleOpt = Annotated[
    str | None, typer.Option("--cycle", help="Which cycle (name or id); default the current one.")
]


def _scope(place_key: str | None, cycle_key: str | None) -> tuple[Place, Cycle]:
    where = place(place_key)
    with store().read() as s:
        return where, get_cycle(s, where, cycle_key)


def _print_warnings(warnings: list[DraftingWarning]) -> None:
    if not warnings:
        typer.echo("  Drafting check: no warnings.")
    for w in warnings:
        typer.echo(f"  Warning ({w.code}): {w.message}")


def _pairs(items: list[str], what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"'{item}' should look like {what}")
        out[key.strip()] = value.strip()
    return out


# --- candidates -----------------------------------------------------------------------------


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
    where, which = _scope(place_key, cycle)
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
    where, which = _scope(place_key, cycle)

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
    where, which = _scope(place_key, cycle)

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
    where, which = _scope(place_key, cycle)
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
    where, which = _scope(place_key, cycle)

    def work(s: Session) -> candidate_rules.Candidate:
        found = cand.find_candidate(s, where, which, candidate)
        return cand.set_state(s, where, found.id, state, actor=actor(), reason=reason)

    moved = store().write(work)
    typer.echo(f"Candidate {moved.id} is now {moved.state.value}.")


# --- scores ---------------------------------------------------------------------------------


@scores_app.command("criteria")
def scores_criteria(
    weight: Annotated[
        list[str] | None,
        typer.Option("--weight", help="Set a weight, e.g. --weight feasibility=0.5 (repeat)."),
    ] = None,
    place_key: PlaceOpt = None,
    cycle: CycleOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Show the scoring criteria and their weights, or change weights with --weight."""
    where, which = _scope(place_key, cycle)
    if weight:
        weights = dict(scoring_rules.parse_weight(w) for w in weight)
        store().write(lambda s: scoring.set_weights(s, where, which, weights, actor=actor()))
    show(api.criteria(which.id, place=where.id, store=store()), fmt)


@scores_app.command("set")
def scores_set(
    member: Annotated[str, typer.Argument(help="The board member (name or person id).")],
    candidate: Annotated[str, typer.Argument(help="The candidate (id or title).")],
    marks: Annotated[
        list[str],
        typer.Argument(help='criterion=score pairs: 0-5, "can\'t judge", or blank to clear.'),
    ],
    place_key: PlaceOpt = None,
    cycle: CycleOpt = None,
) -> None:
    """Record one member's scores for one candidate (all or nothing)."""
    where, which = _scope(place_key, cycle)
    pairs = _pairs(marks, "criterion=score, e.g. feasibility=4")

    def work(s: Session) -> tuple[BoardMember, candidate_rules.Candidate]:
        who = get_board_member(s, where, member)
        found = cand.find_candidate(s, where, which, candidate)
        cells = {(found.id, k): v for k, v in pairs.items()}
        scoring.record_scores(s, where, which, who.person_id, cells, actor=actor())
        return who, found

    who, found = store().write(work)
    typer.echo(f"Recorded {len(pairs)} score(s) from {who.name} for '{found.title}'.")


@scores_app.command("import")
def scores_import(
    file: Annotated[
        Path,
        typer.Argument(
            help=f"CSV or XLSX: Member, Candidate, a column per criterion (at most {LIMIT_TEXT})."
        ),
    ],
    place_key: PlaceOpt = None,
    cycle: CycleOpt = None,
) -> None:
    """Import board members' scores from a spreadsheet; any bad row refuses the whole file."""
    where, which = _scope(place_key, cycle)
    sheet = read_sheet(file)
    with store().read() as s:
        members, candidates = scoring.sheet_names(s, where, which)
        criteria = scoring.list_criteria(s, where, which)
    cells = parse_score_sheet(sheet, members, candidates, criteria)
    count = store().write(lambda s: scoring.record_many(s, where, which, cells, actor=actor()))
    typer.echo(f"Imported {count} score(s) from {len(cells)} member(s).")


@scores_app.command("declare")
def scores_declare(
    member: Annotated[str, typer.Argument(help="The board member (name or person id).")],
    candidate: Annotated[str, typer.Argument(help="The candidate (id or title).")],
    reason: Annotated[str, typer.Option(help="Why, e.g. 'my PCN leads this'.")],
    place_key: PlaceOpt = None,
    cycle: CycleOpt = None,
) -> None:
    """Record a member's declared interest in a candidate."""
    where, which = _scope(place_key, cycle)

    def work(s: Session) -> scoring_rules.Interest:
        who = get_board_member(s, where, member)
        found = cand.find_candidate(s, where, which, candidate)
        return scoring.declare_interest(
            s, where, which, who.person_id, found.id, reason, actor=actor()
        )

    made = store().write(work)
    typer.echo(f"Recorded {made.member}'s interest in candidate {made.candidate_id}.")


@scores_app.command("interests")
def scores_interests(
    place_key: PlaceOpt = None, cycle: CycleOpt = None, fmt: FormatOpt = "table"
) -> None:
    """List the interests board members have declared in the cycle's candidates."""
    show(api.interests(cycle, place=place_key, store=store()), fmt, empty="no interests declared")


@scores_app.command("progress")
def scores_progress(place_key: PlaceOpt = None, cycle: CycleOpt = None) -> None:
    """Show who has and has not scored yet."""
    where, which = _scope(place_key, cycle)
    with store().read() as s:
        progress = scoring.scoring_progress(s, where, which)
    for m in progress.members:
        typer.echo(f"  {m.name}: {m.status} ({m.marked} of {m.total})")
    typer.echo(progress.message() + (" (scoring is locked)" if progress.locked else ""))
    warning = progress.too_few_warning()
    if warning:
        typer.echo(f"Warning: {warning}")


@scores_app.command("summary")
def scores_summary(
    normalise: Annotated[
        bool, typer.Option("--normalise", help="Turn each member's marks into z-scores first.")
    ] = False,
    place_key: PlaceOpt = None,
    cycle: CycleOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """The aggregate in score order: mean, median, spread, coverage, disagreement, interests."""
    df = api.score_summary(cycle, place=place_key, normalise=normalise, store=store())
    if fmt == "table":
        df = df[
            [
                "rank",
                "candidate_id",
                "title",
                "score",
                "median",
                "sd",
                "range",
                "members_scored",
                "cant_judge",
                "disagreement",
                "score_without_conflicted",
                "interest_changes_order",
            ]
        ].round(2)
    show(df, fmt, empty="no candidates to score yet")


@scores_app.command("lock")
def scores_lock(place_key: PlaceOpt = None, cycle: CycleOpt = None) -> None:
    """Lock scoring: no score can change after this."""
    where, which = _scope(place_key, cycle)
    changed = store().write(lambda s: scoring.lock_scoring(s, where, which, actor=actor()))
    typer.echo("Scoring is now locked." if changed else "Scoring was already locked.")


@scores_app.command("unlock")
def scores_unlock(place_key: PlaceOpt = None, cycle: CycleOpt = None) -> None:
    """Reopen locked scoring; not possible once the shortlist is fixed."""
    where, which = _scope(place_key, cycle)
    changed = store().write(lambda s: scoring.unlock_scoring(s, where, which, actor=actor()))
    typer.echo("Scoring is open again." if changed else "Scoring was not locked.")


@scores_app.command("chart")
def scores_chart(
    out: Annotated[Path, typer.Option(help="Folder to write the two PNG charts into.")],
    normalise: Annotated[
        bool, typer.Option("--normalise", help="Chart z-scores instead of raw scores.")
    ] = False,
    place_key: PlaceOpt = None,
    cycle: CycleOpt = None,
) -> None:
    """Write the heat map and the ranked bar chart as PNG files."""
    from lpgp.cycle.shortlist.score_chart import heat_map, ranked_bars

    where, which = _scope(place_key, cycle)
    with store().read() as s:
        agg = summarise(s, where, which, normalise=normalise)
    out.mkdir(parents=True, exist_ok=True)
    for name, figure in (("heat_map.png", heat_map(agg)), ("ranked.png", ranked_bars(agg))):
        figure.savefig(out / name, dpi=120)
        typer.echo(f"Wrote {out / name}")


# --- shortlist ------------------------------------------------------------------------------


@shortlist_app.command("fix")
def shortlist_fix(
    candidates: Annotated[
        list[str], typer.Argument(help="Ids or titles of the chosen candidates.")
    ],
    reason: Annotated[
        list[str] | None,
        typer.Option(
            "--reason", help="ID=why, for a choice that departs from score order (repeat)."
        ),
    ] = None,
    note: Annotated[str | None, typer.Option(help="A note on the decision.")] = None,
    place_key: PlaceOpt = None,
    cycle: CycleOpt = None,
) -> None:
    """Fix the shortlist in one step: lock scoring, shortlist the chosen, set the rest aside."""
    where, which = _scope(place_key, cycle)
    given = _pairs(reason or [], "ID=reason")

    def work(s: Session) -> Shortlist:
        ids = [cand.find_candidate(s, where, which, c).id for c in candidates]
        reasons = {cand.find_candidate(s, where, which, k).id: v for k, v in given.items()}
        return fix_shortlist(s, where, which, ids, reasons=reasons, note=note, actor=actor())

    fixed = store().write(work)
    typer.echo(f"Shortlist fixed by {fixed.fixed_by}:")
    _print_shortlist(fixed.entries)


def _print_shortlist(entries: Iterable[ShortlistEntry]) -> None:
    for e in entries:
        flag = f"  (chosen out of score order: {e.reason})" if e.departure else ""
        typer.echo(f"  {e.position}. [{e.candidate_id}] {e.title}{flag}")


@shortlist_app.command("show")
def shortlist_show(
    place_key: PlaceOpt = None, cycle: CycleOpt = None, fmt: FormatOpt = "table"
) -> None:
    """Show the fixed shortlist, who fixed it and when."""
    where, which = _scope(place_key, cycle)
    with store().read() as s:
        fixed = get_shortlist(s, where, which)
    if fixed is None:
        typer.echo(f"The shortlist for {which.name} has not been fixed yet.")
        return
    if fmt == "csv":
        rows = [
            {
                "position": e.position,
                "candidate_id": e.candidate_id,
                "title": e.title,
                "score": e.score,
                "score_rank": e.score_rank,
                "departure": e.departure,
                "reason": e.reason,
            }
            for e in fixed.entries
        ]
        show(pd.DataFrame(rows), fmt)
        return
    typer.echo(f"Fixed by {fixed.fixed_by} at {fixed.fixed_at:%Y-%m-%d %H:%M} UTC")
    if fixed.note:
        typer.echo(f"Note: {fixed.note}")
    _print_shortlist(fixed.entries)
