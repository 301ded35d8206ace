"""The app's stylesheet, addressed by a hash of its content.

Pages link ``/lpgp-static/lpgp.css?v=HASH``: Tornado serves a versioned file with a long cache
lifetime, so a phone fetches the stylesheet once instead of asking again on every page (a
render-blocking round trip each time), and a new release changes the address.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
STYLESHEET = "lpgp.css"


@functools.cache
def stylesheet_url() -> str:
    """The stylesheet's address, with a version taken from its content.

    >>> stylesheet_url().startswith("/lpgp-static/lpgp.css?v=")
    True
    """
    digest = hashlib.sha256((STATIC_DIR / STYLESHEET).read_bytes()).hexdigest()[:16]
    return f"/lpgp-static/{STYLESHEET}?v={digest}"
