"""The programs from Debian's packages that some tests drive (Chromium, pdftotext, pg_restore):
where one is missing the test is skipped on a developer's machine, but fails in CI (``CI`` or
``LPGP_REQUIRE_POSTGRES`` set), so a broken CI image cannot pass by skipping them.

``make system-deps`` installs them all.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

#: Debian's Chromium: the browser tests never download one.
CHROMIUM = Path("/usr/bin/chromium")


def required() -> bool:
    """True where a missing program fails the run (CI) instead of skipping its tests."""
    return bool(os.environ.get("CI") or os.environ.get("LPGP_REQUIRE_POSTGRES"))


def missing(message: str) -> NoReturn:
    """Skip the test for want of a program, or fail it where programs are :func:`required`."""
    if required():
        pytest.fail(f"{message}; CI needs it (CI or LPGP_REQUIRE_POSTGRES is set)")
    pytest.skip(message)


def need_chromium() -> Path:
    """Debian's Chromium, or skip (fail in CI)."""
    if not CHROMIUM.exists():
        missing("Debian's chromium is not installed (make system-deps)")
    return CHROMIUM


def need_program(name: str, package: str) -> str:
    """The path of the program ``name`` from the Debian ``package``, or skip (fail in CI)."""
    found = shutil.which(name)
    if found is None:
        missing(f"{name} is not installed (make system-deps installs {package})")
    return found
