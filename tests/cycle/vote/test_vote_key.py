"""The server key: a store records a check value of it; a wrong key is refused when the store
is opened, a missing one whenever it is needed, and neither is ever replaced by a new key."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from sqlalchemy import delete

from cycle.vote.conftest import make_setup
from lpgp import codes, config
from lpgp.cycle.board import place as places
from lpgp.cycle.vote import ballot
from lpgp.errors import ConfigError
from lpgp.store import Store
from lpgp.store.schema import StoreMetaRow


def test_a_store_opened_with_another_key_is_refused(file_store_url: str) -> None:
    make_setup(Store(file_store_url), 3).store.dispose()
    path = config.server_key_file()
    path.write_text("b" * 64)
    with pytest.raises(ConfigError, match="is not this store's key"):
        Store(file_store_url)
    assert path.read_text() == "b" * 64


def test_a_missing_key_is_never_made_again_for_a_store_that_had_one(file_store_url: str) -> None:
    setup = make_setup(Store(file_store_url), 3)
    v = setup.vote()
    setup.store.dispose()
    config.server_key_file().unlink()
    store = Store(file_store_url)  # reading what needs no key still works
    with store.read() as s:
        assert [p.name for p in places.list_places(s)] == ["Testford"]
    with pytest.raises(ConfigError, match="no server key at .*Restore the key file"):
        store.write(lambda s: ballot.issue_codes(s, v))
    assert not config.server_key_file().exists()


def test_an_older_store_with_codes_and_no_key_is_refused(file_store_url: str) -> None:
    setup = make_setup(Store(file_store_url), 3)
    setup.codes(setup.vote())
    setup.store.write(lambda s: s.execute(delete(StoreMetaRow)))  # as before the check existed
    setup.store.dispose()
    config.server_key_file().unlink()
    with pytest.raises(ConfigError, match="no server key"):
        Store(file_store_url)
    assert not config.server_key_file().exists()


def test_an_older_store_records_the_key_it_has(file_store_url: str) -> None:
    setup = make_setup(Store(file_store_url), 3)
    setup.store.write(lambda s: s.execute(delete(StoreMetaRow)))
    setup.store.dispose()
    store = Store(file_store_url)
    with store.read() as s:
        recorded = s.get(StoreMetaRow, codes.KEY_CHECK).value
    key = config.server_key_file().read_bytes().strip()
    # As documented (lpgp.codes.key_check): an HMAC-SHA-256 of a fixed text, 32 hex digits.
    assert recorded == hmac.new(key, b"lpgp server key check", hashlib.sha256).hexdigest()[:32]


def test_the_cli_says_the_key_is_missing_without_a_traceback(cli) -> None:
    assert cli("init", "--place", "Testford")[0] == 0
    assert cli("people", "add", "Dr Ada Field", "--role", "LMC chair")[0] == 0
    assert cli("board", "add", "Dr Ada Field")[0] == 0
    config.server_key_file().unlink()
    status, out, err = cli("board", "codes")
    assert status != 0 and "no server key" in err and "Traceback" not in out + err
