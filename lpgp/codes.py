"""Private codes for ballots and board members, and the server key that protects them.

A code is 26 characters from an alphabet with no look-alikes (no 0/O, 1/I/L, U), shown in
groups of four or five for typing: 130 bits of randomness. The store keeps only
HMAC-SHA-256(server key, code), so a copy of the database alone cannot recover or check a code.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from lpgp import config
from lpgp.errors import ConfigError

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # 30 symbols, no 0 O 1 I L U
LENGTH = 27  # 27 * log2(30) = 132.5 bits


def new_code() -> str:
    """A fresh random code, grouped for reading aloud or typing.

    >>> len(normalise(new_code())) == LENGTH
    True
    """
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 3] for i in range(0, LENGTH, 3))


def normalise(code: str) -> str:
    """Fold what a person typed: case, spaces and dashes do not matter.

    >>> normalise(" abc-def ghj ")
    'ABCDEFGHJ'
    """
    return "".join(ch for ch in code.upper() if ch.isalnum())


_KEYS: dict[Path, tuple[tuple[int, int, int], bytes]] = {}
_DEFAULT_PATHS: dict[tuple[str | None, str | None, str], Path] = {}


def _default_key_path() -> Path:
    """``config.server_key_file()``, worked out once per setting (resolving a path on every
    request was a visible part of a light page's cost)."""
    setting = (
        os.environ.get("LPGP_SERVER_KEY_FILE"),
        os.environ.get("LPGP_DATA_DIR"),
        os.getcwd(),
    )
    path = _DEFAULT_PATHS.get(setting)
    if path is None:
        path = _DEFAULT_PATHS[setting] = config.server_key_file()
    return path


KEY_CHECK = "server_key_check"


def load_key(path: Path | None = None) -> bytes:
    """The server key. It is never made here: a store gets its key when it is first created
    (:func:`create_key`, called by :func:`lpgp.store.check_key`), and a missing key is an
    error, so no process ever works under a key of its own by mistake.

    Kept in memory per process while the file is unchanged (same inode, size and time), so
    a busy server does not read the file on every request.
    """
    path = path or _default_key_path()
    try:
        stat = path.stat()
    except OSError:
        raise ConfigError(
            f"no server key at {path}: this store's codes and secret ballots can only be used "
            "with the key they were made under. Restore the key file from where you keep its "
            "copy, or point LPGP_SERVER_KEY_FILE at it (see docs/deploy.md)"
        ) from None
    seen = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    cached = _KEYS.get(path)
    if cached is not None and cached[0] == seen:
        return cached[1]
    try:
        data = path.read_bytes().strip()
    except OSError as exc:
        raise ConfigError(f"cannot read the server key at {path}: {exc}") from exc
    if len(data) < 32:
        raise ConfigError(f"the server key at {path} is too short (damaged?)")
    _KEYS[path] = (seen, data)
    return data


def create_key(path: Path | None = None) -> bytes:
    """Make a new server key (32 random bytes as hex, readable by its owner only) unless one
    is already there, and return the key now at ``path``."""
    path = path or _default_key_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_hex(32).encode())
    except FileExistsError:
        pass  # another process made it first: use theirs
    except OSError as exc:
        raise ConfigError(f"cannot create the server key at {path}: {exc}") from exc
    return load_key(path)


def key_check(key: bytes) -> str:
    """A value the store keeps to recognise its key, from which the key cannot be found.

    >>> key_check(b"k" * 32) == key_check(b"k" * 32) != key_check(b"j" * 32)
    True
    """
    return hmac.new(key, b"lpgp server key check", hashlib.sha256).hexdigest()[:32]


def digest(code: str, *, purpose: str, key: bytes | None = None) -> str:
    """HMAC-SHA-256 of a normalised code under the server key, as hex.

    ``purpose`` separates kinds of code (``"ballot"``, ``"member"``), so one can never pass
    for the other.

    >>> key = b"k" * 32
    >>> digest("abc", purpose="ballot", key=key) == digest("A-B-C", purpose="ballot", key=key)
    True
    """
    key = key if key is not None else load_key()
    message = f"{purpose}:{normalise(code)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def derive(label: str, *, key: bytes | None = None) -> str:
    """A secret value derived from the server key and a label, never stored anywhere."""
    key = key if key is not None else load_key()
    return hmac.new(key, f"derive:{label}".encode(), hashlib.sha256).hexdigest()
