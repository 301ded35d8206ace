"""Making user text safe for each format while keeping it exactly as typed.

Titles and notes come from people, so any of them may look like markup, a formula or a
control character. Each format gets the escaping it needs and nothing more.
"""

from __future__ import annotations

import re

from lpgp.io.csv_writer import FORMULA_START, looks_like_formula, safe_text

# Characters XML 1.0 (so Word and Excel files) cannot hold at all; tab, LF and CR are allowed.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&~!])")


def xml_safe(text: str) -> str:
    """Drop the few control characters an XML document cannot contain.

    >>> xml_safe("a\\x07b\\tc")
    'ab\\tc'
    """
    return _XML_ILLEGAL.sub("", text)


def md_escape(text: str | None) -> str:
    """Escape text for Markdown so it shows as typed, never as markup or HTML.

    >>> md_escape("<script> *x* | y")
    '\\\\<script\\\\> \\\\*x\\\\* \\\\| y'
    """
    if text is None:
        return ""
    flat = " ".join(xml_safe(text).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


def csv_safe(text: str) -> str:
    """Put a leading apostrophe on text a spreadsheet would run as a formula (the rule of
    :mod:`lpgp.io.csv_writer`, which every CSV lpgp writes goes through).

    >>> csv_safe("=cmd|' /C calc'!A0")
    "'=cmd|' /C calc'!A0"
    >>> csv_safe("Same-day access")
    'Same-day access'
    """
    return safe_text(text)


__all__ = ["FORMULA_START", "csv_safe", "looks_like_formula", "md_escape", "xml_safe"]
