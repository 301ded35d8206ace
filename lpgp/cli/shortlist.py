"""Step shortlist, the board's scoring and the shortlist it fixes: ``lpgp scores`` (criteria,
set, import, declare, interests, progress, summary, lock, unlock, chart) and ``lpgp shortlist``
(fix, show)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from sqlalchemy.orm import Session

from lpgp.analyst import shortlist as api
from lpgp.cli.common import CycleOpt, FormatOpt, PlaceOpt, actor, app, scope, show, store
from lpgp.cycle.board.person import get_board_member
from lpgp.cycle.candidates import candidate as cand
from lpgp.cycle.candidates import candidate_rules
from lpgp.cycle.shortlist import scoring, scoring_rules
from lpgp.cycle.shortlist.score_sheet import parse_score_sheet
from lpgp.cycle.shortlist.shortlist import fix_shortlist, get_shortlist, summarise
from lpgp.cycle.shortlist.shortlist_rules import Shortlist, ShortlistEntry
from lpgp.errors import InvalidInput
from lpgp.io.input_file import LIMIT_TEXT
from lpgp.io.sheets import read_sheet
from lpgp.model import BoardMember

scores_app = typer.Typer(
    help="The board's scores: criteria, marks, interests, the summary.", no_args_is_help=True
)
shortlist_app = typer.Typer(help="The shortlist put to the practices.", no_args_is_help=True)
app.add_typer(scores_app, name="scores")
app.add_typer(shortlist_app, name="shortlist")


def _pairs(items: list[str], what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"'{item}' should look like {what}")
        out[key.strip()] = value.strip()
    return out


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
    where, which = scope(place_key, cycle)
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
    where, which = scope(place_key, cycle)
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
    where, which = scope(place_key, cycle)
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
    where, which = scope(place_key, cycle)

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
    where, which = scope(place_key, cycle)
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
    where, which = scope(place_key, cycle)
    changed = store().write(lambda s: scoring.lock_scoring(s, where, which, actor=actor()))
    typer.echo("Scoring is now locked." if changed else "Scoring was already locked.")


@scores_app.command("unlock")
def scores_unlock(place_key: PlaceOpt = None, cycle: CycleOpt = None) -> None:
    """Reopen locked scoring; not possible once the shortlist is fixed."""
    where, which = scope(place_key, cycle)
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

    where, which = scope(place_key, cycle)
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
    where, which = scope(place_key, cycle)
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
    where, which = scope(place_key, cycle)
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
