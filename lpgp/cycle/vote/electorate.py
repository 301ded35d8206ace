"""A vote's electorate: the eligible practices, frozen when the vote opens.

Freezing copies each active practice's name, PCN, list size and its as-of date into the vote,
so a practice list imported during the vote changes nothing in it. The weight each ballot
carries is fixed at the same moment: 1 per practice, or the list size; for a *secret* vote
weighted by list size, the weight is the mean list size of a band of at least three practices
(:func:`~lpgp.cycle.vote.electorate_rules.list_size_bands`, a pure rule), because an exact list size
would name the practice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from lpgp.cycle.vote.electorate_rules import Elector, Frozen, list_size_bands
from lpgp.errors import InvalidInput
from lpgp.store.schema import PcnRow, PracticeRow
from lpgp.store.schema_vote import VoteElectorRow

if TYPE_CHECKING:
    from lpgp.cycle.vote.vote_rules import Vote


def freeze(session: Session, vote: Vote) -> Frozen:
    """Copy the place's active practices into the vote with their weights."""
    rows = session.execute(
        select(PracticeRow, PcnRow.name)
        .outerjoin(PcnRow, PracticeRow.pcn_id == PcnRow.id)
        .where(PracticeRow.place_id == vote.place_id, PracticeRow.active)
        .order_by(PracticeRow.ods_code)
    ).all()
    if not rows:
        raise InvalidInput("electorate: the place has no active practices to vote")
    weights: list[float] = [1.0] * len(rows)
    bands: list[str | None] = [None] * len(rows)
    if vote.weighting == "list_size":
        sizes = [p.list_size or 0 for p, _ in rows]
        missing = [p.ods_code for p, _ in rows if not p.list_size]
        if missing:
            raise InvalidInput(
                "weighting: these practices have no list size, so the vote cannot be weighted "
                f"by list size: {', '.join(missing)}"
            )
        if vote.secret:
            found = list_size_bands(sizes)
            weights = [float(b.weight) for b in found]
            bands = [b.label for b in found]
        else:
            weights = [float(s) for s in sizes]
    for position, ((p, pcn), weight, band) in enumerate(zip(rows, weights, bands, strict=True)):
        session.add(
            VoteElectorRow(
                place_id=vote.place_id,
                vote_id=vote.id,
                practice_id=p.id,
                ods_code=p.ods_code,
                name=p.name,
                pcn=pcn,
                list_size=p.list_size,
                list_size_as_of=p.list_size_as_of,
                weight=weight,
                band=band,
                position=position,
            )
        )
    session.flush()
    dates = sorted({p.list_size_as_of for p, _ in rows if p.list_size_as_of})
    return Frozen(len(rows), dates[0].isoformat() if dates else None)


def _elector(r: VoteElectorRow) -> Elector:
    return Elector(
        r.practice_id,
        r.ods_code,
        r.name,
        r.pcn,
        r.list_size,
        r.list_size_as_of,
        r.weight,
        r.band,
        r.position,
    )


def electors(session: Session, vote: Vote) -> list[Elector]:
    """The frozen electorate, by ODS code (empty before the vote opens)."""
    rows = session.scalars(
        select(VoteElectorRow)
        .where(VoteElectorRow.place_id == vote.place_id, VoteElectorRow.vote_id == vote.id)
        .order_by(VoteElectorRow.position)
    )
    return [_elector(r) for r in rows]


def elector(session: Session, vote: Vote, practice_id: int) -> Elector | None:
    """One practice of the frozen electorate, or None if it is not in it."""
    row = session.scalar(
        select(VoteElectorRow).where(
            VoteElectorRow.place_id == vote.place_id,
            VoteElectorRow.vote_id == vote.id,
            VoteElectorRow.practice_id == practice_id,
        )
    )
    return _elector(row) if row else None
