"""Sealing secret ballots while their vote is open, and the tags that keep a closed secret
ballot's PCN for the count.

A secret ballot is stored, while its vote is open, only as one AES-GCM ciphertext of its
choice, receipt and weight, under a key derived from the server key for that vote alone, and
padded to one length for the whole vote: a copy of the store shows how many ballots there
are and in what order they were written, and nothing of what any of them says. When the vote
closes they are opened once and written out in plain, in a random order, with fresh ids and
a new slot (:func:`lpgp.cycle.vote.ballot_box.publish`).

>>> key = vote_key(b"k" * 32, 7)
>>> box = seal(key, {"b": ["A", "B"], "r": "ABC-DEF-GHJ", "w": "1"}, length=256, label="x")
>>> len(box), unseal(key, box, label="x")["b"]
(284, ['A', 'B'])
"""

from __future__ import annotations

import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from lpgp.errors import ConfigError

NONCE_BYTES = 12
TAG_BYTES = 16
BLOCK = 256
# Fixed room per candidate in a ballot's plain text: its key in quotes, a separator, brackets
# for a tied level, and points up to seven digits.
_PER_CANDIDATE = 16
# The receipt, the weight and the JSON around them.
_ENVELOPE = 96


def vote_key(server_key: bytes, vote_id: int) -> bytes:
    """The 256-bit key that seals one vote's ballots, derived from the server key (HKDF with
    SHA-256), so no two votes share a key and the server key itself never encrypts anything.

    >>> vote_key(b"k" * 32, 1) == vote_key(b"k" * 32, 1) != vote_key(b"k" * 32, 2)
    True
    """
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"lpgp ballot seal",
        info=f"vote:{vote_id}".encode(),
    ).derive(server_key)


def padded_length(keys: list[str], budget: int | None = None) -> int:
    """The one plain-text length every sealed ballot of a vote is padded to: room for the
    longest ballot its candidates allow, rounded up to a whole :data:`BLOCK`.

    >>> padded_length(["A", "B", "C"])
    256
    >>> padded_length([f"candidate-{i:02d}" for i in range(30)])
    1280
    """
    room = _ENVELOPE + sum(len(json.dumps(k)) + _PER_CANDIDATE for k in keys)
    room += len(str(budget or 0)) * len(keys)
    return -(-room // BLOCK) * BLOCK


def seal(key: bytes, content: dict[str, Any], *, length: int, label: str) -> bytes:
    """``content`` as JSON, padded with spaces to ``length`` bytes, encrypted under ``key``
    with a fresh random nonce; ``label`` (the ballot's vote and slot) is authenticated too,
    so a sealed ballot cannot be moved to another slot unnoticed.

    >>> key = vote_key(b"k" * 32, 1)
    >>> len(seal(key, {"b": []}, length=256, label="a")) == NONCE_BYTES + 256 + TAG_BYTES
    True
    """
    plain = json.dumps(content, separators=(",", ":")).encode()
    if len(plain) > length:
        raise ValueError(f"a sealed ballot needs {len(plain)} bytes but its vote allows {length}")
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plain.ljust(length), label.encode())


def unseal(key: bytes, box: bytes, *, label: str) -> dict[str, Any]:
    """Open a sealed ballot; a wrong key or a box moved from elsewhere is refused.

    >>> key = vote_key(b"k" * 32, 1)
    >>> unseal(key, seal(key, {"b": 1}, length=256, label="a"), label="a")
    {'b': 1}
    >>> unseal(vote_key(b"j" * 32, 1), seal(key, {}, length=256, label="a"), label="a")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    lpgp.errors.ConfigError: a sealed ballot could not be opened: the server key is not ...
    """
    try:
        plain = AESGCM(key).decrypt(box[:NONCE_BYTES], box[NONCE_BYTES:], label.encode())
    except InvalidTag:
        raise ConfigError(
            "a sealed ballot could not be opened: the server key is not the one it was sealed with"
        ) from None
    return json.loads(plain)
