"""The one gate every imported file passes before it is read: it must exist, be a regular file
(not a folder), be readable, and be no larger than :data:`MAX_IMPORT_BYTES`.

The size is checked before anything is read, so a wrong or hostile file is refused at once
instead of taking minutes and gigabytes (a 50 MB practice list took over four minutes and
800 MB). Ten megabytes holds a practice list, a people list or a ballot file many times over:
England's whole list-size extract for every practice is about 2 MB.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from lpgp.errors import InvalidInput, printable

MAX_IMPORT_MB = 10
MAX_IMPORT_BYTES = MAX_IMPORT_MB * 1_000_000
LIMIT_TEXT = f"{MAX_IMPORT_MB} MB"


def _size_text(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def check_size(name: str, size: int) -> None:
    """Refuse a file (or a file inside an archive) larger than the import limit.

    >>> check_size("big.csv", 52_400_000)
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: big.csv: the file is 52.4 MB; files to import may be at most 10 MB
    """
    if size > MAX_IMPORT_BYTES:
        raise InvalidInput(
            f"{printable(name)}: the file is {_size_text(size)}; files to import may be at most "
            f"{LIMIT_TEXT}"
        )


def check_input_file(path: str | Path) -> Path:
    """``path`` if it names a regular file within the import limit, else a clear refusal.

    >>> check_input_file("/")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: /: is a folder, not a file; give the path of the file to import
    """
    path = Path(path)
    shown = printable(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InvalidInput(f"{shown}: no such file") from None
    except OSError as exc:
        raise InvalidInput(f"{shown}: cannot be opened ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput(f"{shown}: is a folder, not a file; give the path of the file to import")
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"{shown}: is not a regular file; give the path of the file to import")
    check_size(str(path), info.st_size)
    if not os.access(path, os.R_OK):
        raise InvalidInput(f"{shown}: cannot be read (permission denied)")
    return path


def read_input_bytes(path: str | Path) -> bytes:
    """The bytes of a file to import, after :func:`check_input_file`; a file that grows past
    the limit while being read is refused too.

    >>> read_input_bytes(__file__).startswith(b'"')
    True
    """
    path = check_input_file(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise InvalidInput(f"{printable(path)}: cannot be read ({exc.strerror or exc})") from None
    check_size(str(path), len(data))
    return data
