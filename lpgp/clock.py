"""The one clock lpgp reads, so tests can set "now" and dates follow Europe/London.

Set ``LPGP_NOW`` (an ISO timestamp; naive means London time) or use :func:`frozen` to fix the
clock. Everything that asks "what is today?" asks this module.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from lpgp.errors import InvalidInput

LONDON = ZoneInfo("Europe/London")
_fixed: datetime | None = None


def _parse(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    return moment.astimezone(UTC)


def now() -> datetime:
    """The current instant, timezone-aware in UTC."""
    if _fixed is not None:
        return _fixed
    env = os.environ.get("LPGP_NOW")
    if env:
        return _parse(env)
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Europe/London.

    >>> with frozen("2026-10-25T00:30:00+00:00"):
    ...     today()
    datetime.date(2026, 10, 25)
    """
    return now().astimezone(LONDON).date()


@contextmanager
def frozen(moment: datetime | str) -> Iterator[datetime]:
    """Fix the clock at ``moment`` (a datetime, or ISO text; naive means London) for a block."""
    global _fixed
    fixed = _parse(moment) if isinstance(moment, str) else moment
    if fixed.tzinfo is None:
        fixed = fixed.replace(tzinfo=LONDON)
    previous, _fixed = _fixed, fixed.astimezone(UTC)
    try:
        yield _fixed
    finally:
        _fixed = previous


def london_to_utc(local: datetime) -> datetime:
    """Turn a wall-clock time in London into UTC, refusing times a clock change skips or repeats.

    >>> london_to_utc(datetime(2026, 10, 26, 10, 0))
    datetime.datetime(2026, 10, 26, 10, 0, tzinfo=datetime.timezone.utc)
    >>> london_to_utc(datetime(2026, 3, 29, 1, 30))
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: 29 Mar 2026 01:30 does not exist in London: the clocks go forward then
    """
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    first = local.replace(tzinfo=LONDON, fold=0)
    second = local.replace(tzinfo=LONDON, fold=1)
    label = local.strftime("%d %b %Y %H:%M")
    back = first.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None)
    if back != local:
        raise InvalidInput(f"{label} does not exist in London: the clocks go forward then")
    if first.utcoffset() != second.utcoffset():
        raise InvalidInput(
            f"{label} happens twice in London when the clocks go back: choose another time"
        )
    return first.astimezone(UTC)
