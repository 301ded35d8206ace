"""One Jinja2 environment for every HTML and Markdown export, with the filters they share."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

import jinja2

from lpgp.clock import LONDON
from lpgp.cycle.exports.text import md_escape, xml_safe


def percent(part: int, whole: int) -> str:
    """A share as a whole-number percentage, or a dash when there is nothing to share.

    >>> percent(29, 41), percent(0, 0)
    ('71%', '–')
    """
    if whole <= 0:
        return "–"
    return f"{round(100 * part / whole)}%"


def number(value: float) -> str:
    """A score without a needless ``.0``, to two decimal places at most.

    >>> number(12.0), number(3.456)
    ('12', '3.46')
    """
    rounded = round(float(value), 2)
    return f"{int(rounded)}" if rounded == int(rounded) else f"{rounded:g}"


def long_date(value: date | datetime | None) -> str:
    """A date as people write it in the NHS: ``Monday 26 October 2026``.

    >>> long_date(date(2026, 10, 26))
    'Monday 26 October 2026'
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return f"{value:%A} {value.day} {value:%B %Y}"


def short_date(value: date | None) -> str:
    """A compact date for tables: ``26 Oct 2026``.

    >>> short_date(date(2026, 10, 26))
    '26 Oct 2026'
    """
    return "" if value is None else f"{value.day} {value:%b %Y}"


def clock_time(value: datetime) -> str:
    """The London wall-clock time of an instant, 24-hour.

    >>> from datetime import UTC
    >>> clock_time(datetime(2026, 10, 19, 9, 0, tzinfo=UTC))
    '10:00'
    """
    return value.astimezone(LONDON).strftime("%H:%M")


@cache
def environment() -> jinja2.Environment:
    """The shared environment: HTML templates autoescape, Markdown ones use the ``md`` filter.

    >>> print(environment().filters["md"]("<b>"))
    \\<b\\>
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("lpgp.cycle.exports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "html.j2"], default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=md_escape,
        clean=lambda text: xml_safe(text or ""),
        percent=percent,
        long_date=long_date,
        short_date=short_date,
        clock=clock_time,
        number=number,
    )
    return env


def render(template: str, **context: object) -> str:
    """Render one of the package's templates with ``context``."""
    return environment().get_template(template).render(**context)
