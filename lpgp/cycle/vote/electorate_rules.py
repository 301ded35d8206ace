"""A vote's electorate, the rules (pure): an elector as the vote froze it, and the bands of
similar list sizes a secret vote weighted by list size counts in; :mod:`lpgp.cycle.vote.electorate`
freezes the electorate into the store when the vote opens.

For a *secret* vote weighted by list size, a ballot's weight is the mean list size of a band
of at least three practices (:func:`list_size_bands`), because an exact list size would name
the practice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lpgp.errors import InvalidInput

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
    banded: dict[int, Band] = {}  # position -> its band; the groups cover every position
    for number, group in enumerate(groups, start=1):
        values = [sizes[i] for i in group]
        band = Band(number, min(values), max(values), round(sum(values) / len(values)), len(group))
        for i in group:
            banded[i] = band
    return [banded[i] for i in range(n)]


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


def rotation(position: int, count: int) -> list[int]:
    """The order a practice sees ``count`` candidates in: shifted by its place in the
    electorate, so each candidate comes first for about as many practices as any other.

    >>> rotation(0, 3), rotation(4, 3)
    ([0, 1, 2], [1, 2, 0])
    """
    shift = position % count if count else 0
    return [(i + shift) % count for i in range(count)]
