"""What the light pages keep in memory per process must never outlive what it copies: a new
server key, or another store holding a vote with the same id."""

from __future__ import annotations

import hashlib
import hmac
import os

from cycle.vote.conftest import TEXTS, make_setup
from lpgp import codes, config
from lpgp.cycle.vote import ballot
from lpgp.store import Store


def test_a_replaced_server_key_is_read_again(tmp_path, monkeypatch) -> None:
    path = tmp_path / "server.key"
    monkeypatch.setenv("LPGP_SERVER_KEY_FILE", str(path))
    path.write_bytes(b"a" * 64)
    first = codes.digest("ABC", purpose="ballot")
    replacement = tmp_path / "new.key"
    replacement.write_bytes(b"b" * 64)
    os.replace(replacement, config.server_key_file())
    expected = hmac.new(b"b" * 64, b"ballot:ABC", hashlib.sha256).hexdigest()
    assert codes.digest("ABC", purpose="ballot") == expected != first


def test_two_stores_with_the_same_vote_id_keep_their_own_candidates() -> None:
    shown = []
    for texts in (TEXTS[:3], TEXTS[2:]):
        setup = make_setup(Store("sqlite://"), n=4)
        vote = setup.vote(candidates=texts)
        code = next(iter(setup.codes(vote).values()))
        with setup.store.read() as s:
            form = ballot.ballot_form(s, ballot.voter_for_code(s, code))
        shown.append((vote.id, sorted(c.key for c in form.candidates)))
        setup.store.dispose()
    assert shown[0][0] == shown[1][0]
    assert [keys for _, keys in shown] == [
        sorted(t.key for t in TEXTS[:3]),
        sorted(t.key for t in TEXTS[2:]),
    ]
