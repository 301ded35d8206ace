"""A vote's electorate: the eligible practices, frozen when the vote opens.

Freezing copies each active practice's name, PCN, list size and its as-of date into the vote,
so a practice list imported during the vote changes nothing in it. The weight each ballot
carries is fixed at the same moment: 1 per practice, or the list size; for a *secret* vote
weighted by list size, the weight is the mean list size of a band of at least three practices
(:func:`list_size_bands`), because an exact list size would name the practice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import InvalidInput
from .store.schema import PcnRow, PracticeRow
from .store.schema_vote import VoteElectorRow

if TYPE_CHECKING:
    from .vote_rules import Vote

MIN_BAND = 3
MAX_BANDS = 5


@dataclass(frozen=True)
class Band:
    """A list-size band: the practices in it all carry ``weight`` (the band's mean size)."""

    number: int
    low: int
    high: int
    weight: int
    members: int

    @property
    def label(self) -> str:
        """How the ballot and the results describe it.

        >>> Band(2, 4100, 7950, 6020, 4).label
        'band 2: 4,100 to 7,950 patients, counted as 6,020'
        """
        return (
            f"band {self.number}: {self.low:,} to {self.high:,} patients, "
            f"counted as {self.weight:,}"
        )


def list_size_bands(
    sizes: Sequence[int], *, min_members: int = MIN_BAND, max_bands: int = MAX_BANDS
) -> list[Band]:
    """Split list sizes into contiguous bands of at least ``min_members`` practices each;
    returns each practice's band, in the order given. Equal sizes always share a band.

    >>> [b.number for b in list_size_bands([9000, 2000, 3000, 8000, 2500, 7000])]
    [2, 1, 1, 2, 1, 2]
    >>> list_size_bands([9000, 2000, 3000, 8000, 2500, 7000])[0].weight
    8000
    """
    n = len(sizes)
    if n < min_members:
        raise InvalidInput(
            f"weighting: a secret vote weighted by list size needs at least {min_members} "
            f"practices, so that no band names a single practice"
        )
    order = sorted(range(n), key=lambda i: sizes[i])
    wanted = max(1, min(max_bands, n // min_members))
    groups: list[list[int]] = []
    start = 0
    for b in range(wanted):
        end = round((b + 1) * n / wanted)
        while 0 < end < n and sizes[order[end]] == sizes[order[end - 1]]:
            end += 1  # keep equal sizes together
        if end > start:
            groups.append(order[start:end])
        start = max(start, end)
    while len(groups) > 1:
        small = [i for i, g in enumerate(groups) if len(g) < min_members]
        if not small:
            break
        i = small[0]
        if i == 0:
            j = 1
        elif i == len(groups) - 1:
            j = i - 1
        else:
            j = i - 1 if len(groups[i - 1]) <= len(groups[i + 1]) else i + 1
        low, high = min(i, j), max(i, j)
        groups[low : high + 1] = [groups[low] + groups[high]]  # neighbours: bands stay contiguous
    result: list[Band | None] = [None] * n
    for number, group in enumerate(groups, start=1):
        values = [sizes[i] for i in group]
        band = Band(number, min(values), max(values), round(sum(values) / len(values)), len(group))
        for i in group:
            result[i] = band
    return result  # type: ignore[return-value]


@dataclass(frozen=True)
class Elector:
    """One practice in a frozen electorate."""

    practice_id: int
    ods_code: str
    name: str
    pcn: str | None
    list_size: int | None
    list_size_as_of: date | None
    weight: Decimal  # exact, as the store keeps it
    band: str | None
    position: int


@dataclass(frozen=True)
class Frozen:
    """What opening froze: how many practices, and the list sizes' as-of date."""

    size: int
    as_of: str | None


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


def rotation(position: int, count: int) -> list[int]:
    """The order a practice sees ``count`` candidates in: shifted by its place in the
    electorate, so each candidate comes first for about as many practices as any other.

    >>> rotation(0, 3), rotation(4, 3)
    ([0, 1, 2], [1, 2, 0])
    """
    shift = position % count if count else 0
    return [(i + shift) % count for i in range(count)]
