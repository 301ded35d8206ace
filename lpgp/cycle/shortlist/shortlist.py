"""From the board's scores to a shortlist, in the store: the aggregate of a cycle's marks as
they stand, shown to the room only once scoring is locked, and the board's fixed shortlist
(:func:`fix_shortlist` records it in the caller's transaction). How a score is built, and the
aggregation itself, are the pure rules of :mod:`lpgp.cycle.shortlist.shortlist_rules`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from lpgp import audit, clock
from lpgp.cycle.board.person import list_board
from lpgp.cycle.candidates.candidate import get_candidate, list_candidates, set_state
from lpgp.cycle.candidates.candidate_rules import CandidateState
from lpgp.cycle.shortlist.scoring import (
    is_locked,
    list_criteria,
    list_interests,
    lock_scoring,
    score_records,
    scored_candidates,
)
from lpgp.cycle.shortlist.shortlist_rules import (
    Aggregate,
    Shortlist,
    ShortlistEntry,
    aggregate,
    departures,
    scores_on_show,
)
from lpgp.errors import InvalidInput, NotFound, StateError
from lpgp.model import Cycle, Place
from lpgp.store.schema_shortlist import ShortlistEntryRow, ShortlistRow


def summarise(
    session: Session, place: Place, cycle: Cycle, *, normalise: bool = False
) -> Aggregate:
    """The aggregate of the cycle's scores as they stand in the store."""
    candidates = {c.id: c.title for c in scored_candidates(session, place, cycle)}
    records = score_records(session, place, cycle)
    marks = pd.DataFrame(
        {
            "member": [r.member_id for r in records],
            "candidate": [r.candidate_id for r in records],
            "criterion": [r.criterion for r in records],
            "score": [np.nan if r.score is None else float(r.score) for r in records],
        }
    )
    names = {m.person_id: m.name for m in list_board(session, place)}
    agg = aggregate(
        marks,
        {c.key: c.weight for c in list_criteria(session, place, cycle)},
        candidates=candidates,
        members=list(names),
        interests=[(i.person_id, i.candidate_id) for i in list_interests(session, place, cycle)],
        normalise=normalise,
    )
    # The columns are the members' person ids until they are named here.
    agg.by_member.columns = [names.get(int(m), f"person {m}") for m in agg.by_member.columns]
    return agg


def shown_aggregate(
    session: Session, place: Place, cycle: Cycle, *, normalise: bool = False
) -> Aggregate | None:
    """The aggregate for the projector, or None while scoring is open (:func:`scores_on_show`)."""
    if not scores_on_show(is_locked(session, place, cycle)):
        return None
    return summarise(session, place, cycle, normalise=normalise)


def fix_shortlist(
    session: Session,
    place: Place,
    cycle: Cycle,
    candidate_ids: Iterable[int],
    *,
    reasons: Mapping[int, str] | None = None,
    note: str | None = None,
    actor: str | None = None,
) -> Shortlist:
    """Fix the shortlist: lock scoring, shortlist the chosen drafts, set the rest aside.

    Entries are kept in score order. Choosing a candidate over a higher-scoring one is a
    departure from score order and needs a reason in ``reasons`` (candidate id -> text).
    Run it inside one ``store.write`` so the whole decision lands or none of it does.
    """
    actor = audit.acting(actor)
    if get_shortlist(session, place, cycle) is not None:
        raise StateError(f"the shortlist for {cycle.name} is already fixed")
    chosen: list[int] = []
    for raw in candidate_ids:
        if isinstance(raw, bool) or not str(raw).strip().isdigit():
            raise NotFound(f"'{raw}' is not a candidate id")
        cid = int(str(raw).strip())
        if cid in chosen:
            raise InvalidInput(f"candidate {cid} is chosen twice")
        chosen.append(cid)
    if not chosen:
        raise InvalidInput("shortlist: choose at least one candidate")
    drafts = {c.id: c for c in list_candidates(session, place, cycle)}
    for cid in chosen:
        if cid not in drafts:
            raise NotFound(f"{cycle.name} has no candidate {cid}")
        if drafts[cid].state != CandidateState.DRAFT:
            raise StateError(f"candidate {cid} is {drafts[cid].state.value}, not a draft")
    given = {int(k): " ".join(str(v).split()) for k, v in (reasons or {}).items()}
    for cid in given:
        if cid not in chosen:
            raise InvalidInput(f"a reason is given for candidate {cid}, which is not chosen")

    summary = summarise(session, place, cycle).summary
    scores = dict(zip(summary["candidate_id"], summary["score"], strict=True))
    ranks = dict(zip(summary["candidate_id"], summary["rank"], strict=True))
    # A candidate withdrawn after it was scored cannot be chosen, so passing it over is no
    # departure from the score order.
    open_scores = {
        c: v for c, v in scores.items() if c in drafts and drafts[c].state == CandidateState.DRAFT
    }
    departed = departures(open_scores, chosen)
    missing = [cid for cid in departed if not given.get(cid)]
    if missing:
        lines = [
            f"'{drafts[cid].title}' is chosen over higher-scoring "
            + ", ".join(f"'{drafts[o].title}'" for o in departed[cid])
            for cid in missing
        ]
        raise InvalidInput(
            "reason: a choice that departs from the score order needs a reason: " + "; ".join(lines)
        )

    lock_scoring(session, place, cycle, actor=actor)
    now = clock.now()
    row = ShortlistRow(place_id=place.id, cycle_id=cycle.id, fixed_at=now, fixed_by=actor)
    row.note = " ".join(note.split()) if note else None
    session.add(row)
    session.flush()
    in_order = sorted(chosen, key=lambda c: ranks.get(c, math.inf))
    for position, cid in enumerate(in_order, start=1):
        score = scores.get(cid)
        session.add(
            ShortlistEntryRow(
                place_id=place.id,
                shortlist_id=row.id,
                candidate_id=cid,
                position=position,
                score_rank=int(ranks[cid]) if cid in ranks else None,
                score=None if score is None or math.isnan(score) else float(score),
                departure=cid in departed,
                reason=given.get(cid) or None,
            )
        )
        set_state(session, place, cid, CandidateState.SHORTLISTED, actor=actor)
    for cid, candidate in drafts.items():
        if cid not in chosen and candidate.state == CandidateState.DRAFT:
            set_state(
                session,
                place,
                cid,
                CandidateState.NOT_TAKEN_FORWARD,
                actor=actor,
                reason="not chosen for the shortlist",
            )
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "shortlist.fixed",
        {
            "cycle": cycle.name,
            "candidates": in_order,
            "departures": {str(c): others for c, others in departed.items()},
        },
        note=row.note,
    )
    return _shortlist(session, place, cycle, row)


def get_shortlist(session: Session, place: Place, cycle: Cycle) -> Shortlist | None:
    """The cycle's fixed shortlist, or None while it is not fixed."""
    row = session.scalar(
        select(ShortlistRow).where(
            ShortlistRow.place_id == place.id, ShortlistRow.cycle_id == cycle.id
        )
    )
    return None if row is None else _shortlist(session, place, cycle, row)


def _shortlist(session: Session, place: Place, cycle: Cycle, row: ShortlistRow) -> Shortlist:
    entries = []
    for e in session.scalars(
        select(ShortlistEntryRow)
        .where(ShortlistEntryRow.shortlist_id == row.id)
        .order_by(ShortlistEntryRow.position)
    ):
        c = get_candidate(session, place, e.candidate_id)
        entries.append(
            ShortlistEntry(
                position=e.position,
                candidate_id=c.id,
                title=c.title,
                description=c.description,
                ask=c.ask,
                actions=c.actions,
                score=e.score,
                score_rank=e.score_rank,
                departure=bool(e.departure),
                reason=e.reason,
            )
        )
    return Shortlist(cycle.id, row.fixed_at, row.fixed_by, row.note, tuple(entries))


def shortlisted(session: Session, place: Place, cycle: Cycle) -> list[ShortlistEntry]:
    """The fixed shortlist in order (id, title, description, ask...), for the vote to copy."""
    fixed = get_shortlist(session, place, cycle)
    if fixed is None:
        raise StateError(f"the shortlist for {cycle.name} has not been fixed yet")
    return list(fixed.entries)
