"""The store's server key: made with the store, recognised by a check value, never replaced.

The key itself lives outside the database (``LPGP_SERVER_KEY_FILE``, by default
``server.key`` in the data folder); the store keeps only :func:`lpgp.codes.key_check` of it.
A store opened with another key is refused at once. A store opened with no key may still be
read (practices, priorities, results of closed votes), but anything that needs the key (a
code, a sealed ballot, a session) is refused with a message saying how to restore it. A key
is made only for a store that has nothing protected by one yet.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol, TypeVar

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from lpgp import codes, config
from lpgp.errors import ConfigError
from lpgp.store.schema import BoardMemberRow, StoreMetaRow
from lpgp.store.schema_app import WebSessionRow
from lpgp.store.schema_vote import VoteCodeRow, VoteSealedBallotRow

T = TypeVar("T")


class Store(Protocol):
    """What the key check needs of :class:`lpgp.store.Store` (named so, so that this module
    need not import :mod:`lpgp.store.db`, which imports it)."""

    def read(self, *, snapshot: bool = ...) -> AbstractContextManager[Session]: ...

    def write(self, work: Callable[[Session], T]) -> T: ...


def _protected(session: Session) -> bool:
    """True if the store holds anything made under a server key."""
    return bool(
        session.scalar(
            select(
                exists(select(VoteCodeRow.id))
                | exists(select(VoteSealedBallotRow.id))
                | exists(select(WebSessionRow.id))
                | exists(select(BoardMemberRow.id).where(BoardMemberRow.code_digest.is_not(None)))
            )
        )
    )


def check_key(store: Store) -> None:
    """Make sure the server key in use is this store's, recording it for a store that has
    none recorded yet. Raises :class:`~lpgp.errors.ConfigError` for a key that is not the
    store's, or for a store whose codes were made under a key that is missing."""
    path = config.server_key_file()
    with store.read() as session:
        recorded = session.scalar(
            select(StoreMetaRow.value).where(StoreMetaRow.name == codes.KEY_CHECK)
        )
        protected = recorded is None and _protected(session)
    if recorded is not None:
        if path.exists() and codes.key_check(codes.load_key(path)) != recorded:
            raise ConfigError(
                f"the server key at {path} is not this store's key: its codes and secret "
                "ballots were made under another. Point LPGP_SERVER_KEY_FILE at the store's own "
                "key file (see docs/deploy.md); lpgp never replaces a store's key"
            )
        return
    if path.exists():
        key = codes.load_key(path)
    elif protected:
        codes.load_key(path)  # raises: this store's codes were made under a key now missing
        raise AssertionError("unreachable")  # pragma: no cover
    else:
        key = codes.create_key(path)
    check = codes.key_check(key)

    def record(session: Session) -> str:
        found = session.get(StoreMetaRow, codes.KEY_CHECK)
        if found is None:
            session.add(StoreMetaRow(name=codes.KEY_CHECK, value=check))
            return check
        return found.value

    if store.write(record) != check:
        raise ConfigError(
            f"the server key at {path} is not this store's key (another process recorded a "
            "different one)"
        )
