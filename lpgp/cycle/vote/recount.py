"""After close: the count, the published ballots anyone can recount, and PrefLib exports.

Nothing here shows a tally before the vote has closed. Published ballots are shuffled and
carry their receipts (and, for named votes, the practice); a secret vote's breakdown by PCN is
worked out on the fly with the server key, aggregated, and withheld for any PCN where fewer
than three practices voted.

The rules (the count itself, the breakdown withheld by PCN, the count in words) are pure, in
:mod:`lpgp.cycle.vote.recount_rules`.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from lpgp import voting
from lpgp.cycle.vote import ballot_box, electorate, vote_rules
from lpgp.cycle.vote import vote as votes
from lpgp.cycle.vote.recount_rules import (
    WITHHELD,
    Announcement,
    Outcome,
    PcnResult,
    PublishedBallot,
    ReceiptLookup,
    _count,
    _head_to_head,
    ballot_cells,
    ballot_in_words,
    preflib_suffix,
    published_by_receipt,
    suppress_small,
    turnout_sentence,
)
from lpgp.errors import InvalidInput, StateError
from lpgp.io import csv_writer
from lpgp.voting import preflib


def pcn_of_ballots(
    session: Session, vote: vote_rules.Vote, rows: list[vote_rules.CountedBallot]
) -> list[str]:
    """Each ballot's PCN. For a secret vote this needs the server key (the slot is an HMAC of
    vote and practice), and the answer is never stored."""
    slot = ballot_box.published_slot if vote.secret else ballot_box.slot
    by_slot = {
        slot(vote.id, e.practice_id): (e.pcn or vote_rules.NO_PCN)
        for e in electorate.electors(session, vote)
    }
    return [by_slot.get(r.slot, vote_rules.NO_PCN) for r in rows]


def _by_pcn(
    session: Session, vote: vote_rules.Vote, rows: list[vote_rules.CountedBallot], keys: list[str]
) -> tuple[PcnResult, ...]:
    groups: dict[str, list[vote_rules.CountedBallot]] = {}
    for row, pcn in zip(rows, pcn_of_ballots(session, vote, rows), strict=True):
        groups.setdefault(pcn, []).append(row)
    shown = suppress_small({k: len(v) for k, v in groups.items()})
    out = []
    for pcn in sorted(groups):
        members = groups[pcn]
        if not shown[pcn]:
            out.append(PcnResult(pcn, len(members), (), WITHHELD))
            continue
        result = _count(vote, members, keys)
        out.append(PcnResult(pcn, len(members), tuple(result.winners), ""))
    return tuple(out)


def weighting_note(vote: vote_rules.Vote, session: Session) -> str:
    """How ballots were weighted, in words (bands named for a secret weighted vote)."""
    if vote.weighting == "equal":
        return "One practice, one vote."
    if not vote.secret:
        return "Each ballot weighted by the practice's registered list size."
    bands = sorted({e.band for e in electorate.electors(session, vote) if e.band})
    return "Each ballot weighted by its practice's list-size band: " + "; ".join(bands) + "."


def results(session: Session, vote: vote_rules.Vote) -> Outcome:
    """The count of a closed vote: winners, ranking, evidence, tie-breaks, robustness and
    explanation from the voting engine, with turnout and the breakdown by PCN.

    >>> with store.read() as s:  # doctest: +SKIP
    ...     print(results(s, vote).result.explanation)
    """
    vote = votes.get_vote(session, vote.place_id, vote.id)
    votes.require_closed(session, vote)
    texts = votes.candidates(session, vote)
    keys = [c.key for c in texts]
    rows = votes.counted_ballots(session, vote)
    if not rows:
        raise StateError(f"'{vote.title}' closed with no ballots cast: there is nothing to count")
    weights = None if vote.weighting == "equal" else [r.weight for r in rows]
    result = _count(vote, rows, keys)
    robust = voting.robustness(
        vote.method,
        [r.content["ballot"] for r in rows],
        candidates=keys,
        seats=vote.seats,
        weights=weights,
        seed=vote.seed,
        budget=vote.budget,
    )
    return Outcome(
        vote=vote,
        candidates=tuple(texts),
        result=result,
        robustness=robust,
        turnout=votes.turnout(session, vote),
        by_pcn=_by_pcn(session, vote, rows, keys),
        weighting_note=weighting_note(vote, session),
        head_to_head=_head_to_head(vote, rows, keys),
    )


# ---- publication --------------------------------------------------------------------------


def published_ballots(session: Session, vote: vote_rules.Vote) -> list[PublishedBallot]:
    """Every counted ballot of a closed vote, freshly shuffled."""
    vote = votes.get_vote(session, vote.place_id, vote.id)
    votes.require_closed(session, vote)
    names = {e.practice_id: e for e in electorate.electors(session, vote)}
    out = []
    for row in votes.counted_ballots(session, vote):
        e = names.get(row.practice_id) if row.practice_id else None
        out.append(
            PublishedBallot(
                row.receipt,
                row.weight,
                row.content["ballot"],
                e.ods_code if e else None,
                e.name if e else None,
            )
        )
    secrets.SystemRandom().shuffle(out)
    return out


def published_csv(session: Session, vote: vote_rules.Vote) -> str:
    """The published ballots as CSV: receipt, weight, (practice,) then one column per
    candidate key, so a spreadsheet can recount them."""
    vote = votes.get_vote(session, vote.place_id, vote.id)
    keys = [c.key for c in votes.candidates(session, vote)]
    kind = voting.ballot_kind(vote.method)
    buffer = io.StringIO()
    writer = csv_writer.writer(buffer, lineterminator="\n")
    named = [] if vote.secret else ["ODS code", "Practice"]
    writer.writerow(["Receipt", "Weight", *named, *keys])
    for b in published_ballots(session, vote):
        who = [] if vote.secret else [b.ods_code, b.practice]
        writer.writerow([b.receipt, f"{b.weight:g}", *who, *ballot_cells(kind, b.ballot, keys)])
    return buffer.getvalue()


def preflib_text(session: Session, vote: vote_rules.Vote) -> str:
    """A closed vote's ballots in PrefLib format, candidates named by their keys, so other
    tools (pref_voting, preflib-tools) can recount them. Weighted votes are refused: PrefLib
    files cannot carry weights, and the CSV export does."""
    vote = votes.get_vote(session, vote.place_id, vote.id)
    suffix = preflib_suffix(vote)
    if vote.weighting != "equal":
        raise InvalidInput(
            f"'{vote.title}' was weighted by list size and PrefLib files cannot hold weights: "
            "publish the ballots as CSV (lpgp vote export --as csv)"
        )
    keys = [c.key for c in votes.candidates(session, vote)]
    kind = voting.ballot_kind(vote.method)
    ballots = [b.ballot for b in published_ballots(session, vote)]
    return preflib.dumps(keys, ballots, kind, title=vote.title, suffix=suffix)


def count_file(path: str | Path, method: str, *, seats: int = 1, seed: str = "") -> Any:
    """Count a PrefLib file (a published lpgp vote, or any real election such as PrefLib's
    Debian votes) by a method from the registry.

    >>> r = count_file("debian/00002-00000001.soi", "schulze")  # doctest: +SKIP
    >>> r.winners  # doctest: +SKIP
    ('Bdale Garbee',)
    """
    election = preflib.read(path)
    if election.kind != voting.ballot_kind(method):
        raise InvalidInput(
            f"{Path(path).name} holds {election.kind} ballots, which '{method}' does not count"
        )
    return voting.tally(
        method, election.expanded(), candidates=list(election.candidates), seats=seats, seed=seed
    )


# ---- what a practice sees after close ------------------------------------------------------


def announcement(session: Session, vote: vote_rules.Vote) -> Announcement:
    """The winners and turnout of a closed vote (no robustness, no breakdown by PCN: a
    light page may show this to every practice at once). A vote nobody voted in has no
    winners."""
    vote = votes.get_vote(session, vote.place_id, vote.id)
    votes.require_closed(session, vote)
    texts = votes.candidates(session, vote)
    titles = {c.key: c.title for c in texts}
    rows = votes.counted_ballots(session, vote)
    winners: tuple[str, ...] = ()
    if rows:
        result = _count(vote, rows, [c.key for c in texts])
        winners = tuple(titles.get(k, k) for k in result.winners)
    turnout = votes.turnout(session, vote)
    return Announcement(
        vote.title,
        winners,
        turnout_sentence(turnout.voted, turnout.eligible, turnout.patient_share),
        vote.seats,
    )


def look_up_receipt(session: Session, vote: vote_rules.Vote, typed: str) -> ReceiptLookup:
    """Find a receipt among a closed vote's published ballots (:func:`published_ballots`)."""
    vote = votes.get_vote(session, vote.place_id, vote.id)
    found = published_by_receipt(published_ballots(session, vote), typed)
    if found is None:
        return ReceiptLookup(typed)
    titles = {c.key: c.title for c in votes.candidates(session, vote)}
    return ReceiptLookup(
        typed,
        found.receipt,
        ballot_in_words(voting.ballot_kind(vote.method), found.ballot, titles),
        None if vote.weighting == "equal" else f"{float(found.weight):,.0f}",
        f"{found.practice} ({found.ods_code})" if found.practice else None,
    )
