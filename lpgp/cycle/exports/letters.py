"""Printable ballot letters: one A4 page per practice with its ballot code, its private link
and a QR code of the link, made in memory at the moment the codes are issued.

Codes exist only once (the store keeps their digests), so the letters are returned as bytes
for the caller to hand over; nothing here writes a file. The page loads nothing from outside:
the QR code is inline SVG drawn by ``segno``, the fonts are the machine's own, and any address
WeasyPrint might try to fetch is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import segno

from lpgp.clock import LONDON
from lpgp.cycle.exports.templating import render
from lpgp.cycle.vote.ballot_rules import CodeLetter
from lpgp.errors import ConfigError, InvalidInput
from lpgp.palette import QR_DARK, QR_LIGHT

SIGN_IN_PATH = "/sign-in"
TEMPLATE = "ballot_letters.html.j2"


def qr_svg(link: str, label: str = "QR code of the private link") -> str:
    """The QR code of ``link`` as inline SVG (error correction M, a quiet zone of four
    modules), sized by its container.

    >>> svg = qr_svg("https://vote.example.org/c/ABC-DEF")
    >>> svg.startswith('<svg viewBox="0 0 ') and "<title>QR code of the private link" in svg
    True
    """
    code = segno.make(link, error="m", micro=False, boost_error=False)
    return code.svg_inline(omitsize=True, title=label, border=4, dark=QR_DARK, light=QR_LIGHT)


def sign_in_url(base_url: str) -> str:
    """The page where a practice types its code.

    >>> sign_in_url("https://vote.example.org/")
    'https://vote.example.org/sign-in'
    """
    return base_url.rstrip("/") + SIGN_IN_PATH


def _check(letters: Sequence[CodeLetter], base_url: str) -> None:
    if not letters:
        raise InvalidInput("there are no ballot letters to print")
    if not base_url.startswith(("https://", "http://")):
        raise InvalidInput(
            f"the web address for personal links ('{base_url}') must start with https://"
        )
    for x in letters:
        if not x.code or not x.link:
            raise InvalidInput(
                f"{x.ods_code} has no ballot code or link to print: letters are made only when "
                "codes are issued (with --base-url)"
            )


def closing_words(moment: datetime) -> str:
    """When the vote closes, as the letter prints it: the day and 24-hour time in London.

    >>> from datetime import UTC
    >>> closing_words(datetime(2026, 10, 25, 0, 59, tzinfo=UTC))  # still BST
    'Sun 25 Oct 2026, 01:59'
    """
    local = moment.astimezone(LONDON)
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"


def letters_html(
    letters: Sequence[CodeLetter], *, title: str, closes_at: datetime, base_url: str
) -> str:
    """The letters as one HTML document, a ``<section>`` (one printed page) per practice.

    >>> from datetime import UTC
    >>> x = CodeLetter("Z99001", "Mill Lane", "", "ABC-DEF", "https://v.example/c/ABC-DEF")
    >>> page = letters_html([x], title="Spring vote",
    ...     closes_at=datetime(2027, 3, 12, 17, tzinfo=UTC), base_url="https://v.example")
    >>> "Fri 12 Mar 2027, 17:00" in page and page.count('class="letter"')
    1
    """
    _check(letters, base_url)
    return render(
        TEMPLATE,
        letters=list(letters),
        title=title,
        closes=closing_words(closes_at),
        sign_in=sign_in_url(base_url),
        qr_codes=[qr_svg(x.link) for x in letters],
    )


def check_renderer() -> None:
    """Make sure the PDF renderer loads here, before any code is issued for a letter.

    >>> check_renderer()
    """
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        raise ConfigError(f"PDF letters cannot be made on this machine: {exc}") from None


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict:
    """WeasyPrint's URL fetcher for the letters: nothing is ever loaded."""
    raise InvalidInput(f"ballot letters load nothing from outside (asked for {url})")


def letters_pdf(
    letters: Sequence[CodeLetter], *, title: str, closes_at: datetime, base_url: str
) -> bytes:
    """The letters as a tagged PDF, one A4 page per practice, in the order given.

    ``base_url`` is the address the links were made with (the sign-in page is under it).
    Every letter needs a code and a link: reminders without new codes cannot be printed.

    >>> from datetime import UTC
    >>> x = CodeLetter("Z99001", "Mill Lane", "", "ABC-DEF", "https://v.example/c/ABC-DEF")
    >>> letters_pdf([x], title="Spring vote", closes_at=datetime(2027, 3, 12, 17, tzinfo=UTC),
    ...             base_url="https://v.example")[:5]
    b'%PDF-'
    """
    from weasyprint import HTML

    page = letters_html(letters, title=title, closes_at=closes_at, base_url=base_url)
    return HTML(string=page, url_fetcher=_refuse).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
