"""Step vote, the practices' vote: ``lpgp vote`` sets up, opens, extends and closes a vote;
issues codes; casts; counts; publishes."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from sqlalchemy.orm import Session

from lpgp import voting
from lpgp.analyst import vote as api_vote
from lpgp.cli.common import FormatOpt, PlaceOpt, actor, app, place, show, store
from lpgp.cycle.board import place as places
from lpgp.cycle.vote import ballot as ballots
from lpgp.cycle.vote import ballot_rules, recount, recount_rules, vote_rules
from lpgp.cycle.vote import vote as votes
from lpgp.cycle.vote.vote_candidates import read_candidates
from lpgp.errors import InvalidInput, StateError
from lpgp.io.input_file import LIMIT_TEXT
from lpgp.model import check_text

vote_app = typer.Typer(help="Practice votes: set-up, codes, casting, turnout and results.")
app.add_typer(vote_app, name="vote", no_args_is_help=True)

VoteArg = Annotated[str, typer.Argument(help="The vote's id or title.")]
OutOpt = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write to this file instead of the screen.")
]
BaseUrlOpt = Annotated[
    str | None,
    typer.Option("--base-url", envvar="LPGP_BASE_URL", help="Web address for personal links."),
]


def _get(key: str, place_key: str | None) -> vote_rules.Vote:
    where = place(place_key)
    with store().read() as s:
        vote = votes.get_vote(s, where, key)
        due = (
            vote.secret
            and votes.state(s, vote) == vote_rules.VoteState.CLOSED
            and votes.has_sealed(s, vote)
        )
    if due:  # closed by its time while no server was running: publish its ballots now
        store().write(votes.publish_closed)
    return vote


def _private(out: Path) -> int:
    """Open ``out`` for writing from the start; only its owner may read it, even if it was
    there before with wider permissions."""
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return fd


def _check_writable(out: Path, option: str) -> None:
    """Refuse a file that cannot be written, before any code is issued into it."""
    folder = out.parent
    if out.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK):
        raise InvalidInput(
            f"{option}: cannot write '{out}'; choose a file in a folder you can write"
        )


def _emit(lines: Iterable[str], out: Path | None) -> None:
    """Stream text to the screen or to a new file only the user can read."""
    if out is None:
        for line in lines:
            sys.stdout.write(line)
        sys.stdout.flush()
        return
    with os.fdopen(_private(out), "w", encoding="utf-8", newline="") as handle:
        for line in lines:
            handle.write(line)
    typer.echo(f"Wrote {out}", err=True)


@vote_app.command("create")
def create(
    title: Annotated[str, typer.Option("--title", help="What the vote is called.")],
    method: Annotated[str, typer.Option("--method", help="Counting method id (see 'methods').")],
    seats: Annotated[int, typer.Option("--seats", help="How many priorities the list holds.")],
    opens: Annotated[
        str, typer.Option("--opens", help="Opening time in London, e.g. 2027-03-01 09:00.")
    ],
    closes: Annotated[str, typer.Option("--closes", help="Closing time in London.")],
    candidates_file: Annotated[
        Path | None,
        typer.Option(
            "--candidates",
            help=f"CSV/XLSX of candidates, at most {LIMIT_TEXT} (default: the shortlist).",
        ),
    ] = None,
    cycle: Annotated[str | None, typer.Option("--cycle", help="Cycle (default: current).")] = None,
    weighting: Annotated[
        str, typer.Option("--weighting", help="'equal' (one practice one vote) or 'list_size'.")
    ] = "equal",
    named: Annotated[
        bool, typer.Option("--named/--secret", help="Named ballots are public after close.")
    ] = False,
    budget: Annotated[int | None, typer.Option("--budget", help="Points per ballot.")] = None,
    seed: Annotated[
        str | None, typer.Option("--seed", help="Tie-break seed (default: random).")
    ] = None,
    place_key: PlaceOpt = None,
) -> None:
    """Schedule a vote on the shortlist (or on candidates from a file)."""
    check_text(title, "title")
    texts = read_candidates(candidates_file) if candidates_file else None
    where = place(place_key)

    def work(s: Session) -> vote_rules.Vote:
        has_cycle = cycle or places.list_cycles(s, where)
        chosen = places.get_cycle(s, where, cycle) if has_cycle else None
        return votes.create_vote(
            s, where, title=title, method=method, seats=seats, opens=opens, closes=closes,
            candidates=texts, cycle=chosen, weighting=weighting, secret=not named,
            budget=budget, seed=seed, actor=actor(),
        )  # fmt: skip

    v = store().write(work)
    typer.echo(
        f"Scheduled vote {v.id} '{v.title}' ({v.ballot} ballot, {v.method}, {v.seats} seats): "
        f"opens {vote_rules.london_text(v.opens_at)}, "
        f"closes {vote_rules.london_text(v.closes_at)}. "
        f"Tie-break seed: {v.seed}"
    )


@vote_app.command("methods")
def methods() -> None:
    """List the counting methods a vote can use."""
    for method in voting.methods().values():
        typer.echo(f"{method.id:<10}{method.kind:<10}{method.name}: {method.summary}")


@vote_app.command("list")
def list_(
    cycle: Annotated[str | None, typer.Option("--cycle", help="Only this cycle.")] = None,
    fmt: FormatOpt = "table",
    place_key: PlaceOpt = None,
) -> None:
    """List the place's votes and where each stands."""
    show(
        api_vote.votes(cycle, place=place_key, store=store()), fmt, "no votes yet: lpgp vote create"
    )


@vote_app.command("open")
def open_(key: VoteArg, place_key: PlaceOpt = None) -> None:
    """Open a vote: freeze its electorate and candidate texts."""
    where = place(place_key)
    v = store().write(lambda s: votes.open_vote(s, where, key, actor=actor()))
    with store().read() as s:
        size = votes.turnout(s, v).eligible
    typer.echo(
        f"Opened '{v.title}' with {size} practices; ballots accepted from "
        f"{vote_rules.london_text(v.opens_at)} to {vote_rules.london_text(v.closes_at)}. "
        "Next: lpgp vote codes"
    )


@vote_app.command("extend")
def extend(
    key: VoteArg,
    closes: Annotated[str, typer.Option("--closes", help="New closing time in London.")],
    place_key: PlaceOpt = None,
) -> None:
    """Move the closing time later (only before the vote closes)."""
    where = place(place_key)
    v = store().write(lambda s: votes.extend_vote(s, where, key, closes, actor=actor()))
    typer.echo(f"'{v.title}' now closes at {vote_rules.london_text(v.closes_at)}.")


@vote_app.command("close")
def close(key: VoteArg, place_key: PlaceOpt = None) -> None:
    """Close a vote now; nothing can change after this."""
    where = place(place_key)
    v = store().write(lambda s: votes.close_vote(s, where, key, actor=actor()))
    store().write(votes.publish_closed)  # a secret vote's ballots, out of their seals
    typer.echo(f"Closed '{v.title}' at {vote_rules.london_text(vote_rules.closing_time(v))}.")


@vote_app.command("cancel")
def cancel(key: VoteArg, place_key: PlaceOpt = None) -> None:
    """Cancel a vote that has not been opened (an opened vote can only be closed)."""
    where = place(place_key)
    v = store().write(lambda s: votes.cancel_vote(s, where, key, actor=actor()))
    typer.echo(f"Cancelled vote {v.id} '{v.title}': it has been removed.")


@vote_app.command("codes")
def codes_(
    key: VoteArg,
    reissue: Annotated[
        str | None, typer.Option("--reissue", help="Revoke this practice's code; issue a new one.")
    ] = None,
    revoke: Annotated[
        str | None, typer.Option("--revoke", help="Revoke this practice's code.")
    ] = None,
    reissue_all: Annotated[
        bool,
        typer.Option(
            "--reissue-all",
            help="Revoke every practice's code and issue new ones (the old codes stop working).",
        ),
    ] = False,
    base_url: BaseUrlOpt = None,
    out: OutOpt = None,
    letters_file: Annotated[
        Path | None,
        typer.Option(
            "--letters",
            help="Also write printable letters, one A4 page per practice, to this PDF file.",
        ),
    ] = None,
    place_key: PlaceOpt = None,
) -> None:
    """Issue ballot codes and write the mail-merge file (shown once, never stored)."""
    if reissue_all and (reissue or revoke):
        raise InvalidInput("--reissue-all goes alone, not with --reissue or --revoke")
    if letters_file is not None:
        _letters_ready(letters_file, out, base_url, revoke)
    if out is not None:
        _check_writable(out, "--out")
    v = _get(key, place_key)
    if revoke:
        store().write(lambda s: ballots.revoke_code(s, v, revoke, actor=actor()))
        typer.echo(f"Revoked the code of {revoke.upper()}; its ballot, if any, still counts.")
        return
    if reissue_all:
        letters = store().write(
            lambda s: ballots.reissue_all_codes(s, v, base_url=base_url, actor=actor())
        )
    elif reissue:
        letters = [
            store().write(
                lambda s: ballots.reissue_code(s, v, reissue, base_url=base_url, actor=actor())
            )
        ]
    else:
        letters = store().write(
            lambda s: ballots.issue_codes(s, v, base_url=base_url, actor=actor())
        )
        if not letters:
            typer.echo("Every practice already has a code (use --reissue ODS for a new one).")
            if letters_file is not None:
                typer.echo(f"No letters were written to {letters_file}.")
            return
    if out is not None or letters_file is None:
        _emit(ballot_rules.mail_merge(letters), out)
    if letters_file is not None:
        _write_letters(letters_file, letters, v, base_url or "", csv_written=out is not None)


def _letters_ready(
    letters_file: Path, out: Path | None, base_url: str | None, revoke: str | None
) -> None:
    """Refuse ``--letters`` that could not be written, before any code is issued."""
    from lpgp.cycle.exports import letters as printed

    if revoke:
        raise InvalidInput("--letters goes with issuing codes or --reissue, not --revoke")
    if not base_url:
        raise InvalidInput(
            "--letters needs --base-url (or LPGP_BASE_URL): each letter carries the practice's "
            "private link and its QR code"
        )
    if out is not None and out.resolve() == letters_file.resolve():
        raise InvalidInput("--letters and --out must be different files")
    _check_writable(letters_file, "--letters")
    printed.check_renderer()


def _write_letters(
    letters_file: Path,
    letters: list[ballot_rules.CodeLetter],
    v: vote_rules.Vote,
    base_url: str,
    *,
    csv_written: bool,
) -> None:
    """Print the letters to a PDF only the user can read. The codes now exist nowhere else
    (unless the CSV was written too), so if the PDF cannot be made they go to the screen."""
    from lpgp.cycle.exports import letters as printed

    try:
        pdf = printed.letters_pdf(
            letters, title=v.title, closes_at=vote_rules.closing_time(v), base_url=base_url
        )
        with os.fdopen(_private(letters_file), "wb") as handle:
            handle.write(pdf)
    except Exception as exc:
        if not csv_written:
            _emit(ballot_rules.mail_merge(letters), None)
        kept = "the codes are in the CSV" if csv_written else "the codes are printed above"
        raise StateError(
            f"the letters could not be written to {letters_file} ({exc}); {kept}, and exist "
            "nowhere else"
        ) from None
    n = len(letters)
    typer.echo(
        f"Wrote {n} ballot letter{'s' if n != 1 else ''} to {letters_file} (only you can read "
        "it; the codes are not kept anywhere else).",
        err=True,
    )


@vote_app.command("cast")
def cast(
    code: Annotated[str, typer.Argument(help="The practice's ballot code.")],
    choice: Annotated[
        str,
        typer.Argument(help="Ranked 'B>A>C', approval 'A,C' or points 'A=3,B=2' (candidate keys)."),
    ],
) -> None:
    """Cast (or replace) a practice's ballot with its code."""

    def work(s: Session) -> ballot_rules.Receipt:
        voter = ballots.voter_for_code(s, code)
        parsed = ballot_rules.parse_choice(voting.ballot_kind(voter.vote.method), choice)
        return ballots.cast(s, code, parsed)

    typer.echo(str(store().write(work)))


@vote_app.command("void")
def void(
    key: VoteArg,
    practice: Annotated[str, typer.Argument(help="ODS code of the practice.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the ballot is void.")],
    place_key: PlaceOpt = None,
) -> None:
    """Void a practice's ballot while the vote is open (it may vote again)."""
    where = place(place_key)
    v = _get(key, place_key)
    store().write(
        lambda s: ballots.void_ballot(s, where, v, practice, reason=reason, actor=actor())
    )
    typer.echo(f"Voided the ballot of {practice.upper()} in '{v.title}'.")


@vote_app.command("status")
def status(key: VoteArg, fmt: FormatOpt = "table", place_key: PlaceOpt = None) -> None:
    """Where a vote stands, and its turnout by PCN."""
    v = _get(key, place_key)
    with store().read() as s:
        st = votes.state(s, v)
    typer.echo(f"'{v.title}': {ballot_rules.state_message(v, st)} Tie-break seed: {v.seed}")
    by_pcn = api_vote.turnout(v.id, place=place_key, store=store())
    total = pd.DataFrame([{"pcn": "All practices", **by_pcn.attrs["total"]}])
    shown = pd.concat([by_pcn.astype({"pcn": object}).fillna({"pcn": vote_rules.NO_PCN}), total])
    show(shown.reset_index(drop=True), fmt)


@vote_app.command("remind")
def remind(
    key: VoteArg,
    reissue: Annotated[
        bool, typer.Option("--reissue", help="Give each a new code (old codes stop working).")
    ] = False,
    base_url: BaseUrlOpt = None,
    out: OutOpt = None,
    place_key: PlaceOpt = None,
) -> None:
    """The practices that have not voted yet, as a reminder mail-merge file."""
    v = _get(key, place_key)
    letters = store().write(
        lambda s: ballots.reminders(s, v, reissue=reissue, base_url=base_url, actor=actor())
    )
    if not letters:
        typer.echo("Every practice has voted.")
        return
    closes = vote_rules.london_text(vote_rules.closing_time(v))
    _emit(ballot_rules.mail_merge(letters, {"Closes": closes}), out)


@vote_app.command("results")
def results(key: VoteArg, fmt: FormatOpt = "table", place_key: PlaceOpt = None) -> None:
    """The count of a closed vote: ranking, winners and the explanation."""
    df = api_vote.results(key, place=place_key, store=store())
    show(df, fmt)
    if fmt == "table":
        typer.echo(f"\n{df.attrs['turnout']}. {df.attrs['weighting']}\n")
        typer.echo(str(df.attrs["explanation"]))
        robust = df.attrs["robustness"]
        typer.echo("\nPlace under each method suited to these ballots, and chance of election")
        typer.echo("when the ballots are drawn again (bootstrap):")
        table = robust.methods.merge(robust.bootstrap[["candidate", "chance"]], on="candidate")
        typer.echo(table.to_string(index=False))
        typer.echo("\nBy PCN:")
        for pcn, voted, winners, note in df.attrs["by_pcn"]:
            typer.echo(f"  {pcn}: {voted} voted; " + (note or "elected " + ", ".join(winners)))


@vote_app.command("export")
def export(
    key: VoteArg,
    what: Annotated[
        str, typer.Option("--as", help="'csv' (ballots with receipts) or 'preflib'.")
    ] = "csv",
    out: OutOpt = None,
    place_key: PlaceOpt = None,
) -> None:
    """Publish a closed vote's ballots, shuffled, for anyone to recount."""
    v = _get(key, place_key)
    with store().read() as s:
        if what == "csv":
            text = recount.published_csv(s, v)
        elif what == "preflib":
            text = recount.preflib_text(s, v)
            if out is not None and out.suffix.lower() != recount_rules.preflib_suffix(v):
                out = out.with_suffix(recount_rules.preflib_suffix(v))
        else:
            raise typer.BadParameter(f"unknown export '{what}': use csv or preflib")
    _emit([text], out)


@vote_app.command("recount")
def recount_file(
    file: Annotated[
        Path, typer.Argument(help=f"A PrefLib file (.soi, .toi or .cat), at most {LIMIT_TEXT}.")
    ],
    method: Annotated[str, typer.Option("--method", help="Counting method id.")],
    seats: Annotated[int, typer.Option("--seats", help="How many winners.")] = 1,
    seed: Annotated[str, typer.Option("--seed", help="The vote's tie-break seed.")] = "",
) -> None:
    """Count published ballots (or any PrefLib election) yourself."""
    result = recount.count_file(file, method, seats=seats, seed=seed)
    typer.echo(f"Winners: {', '.join(map(str, result.winners))}")
    typer.echo(str(result.explanation))
