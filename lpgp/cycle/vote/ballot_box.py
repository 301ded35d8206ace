"""Where ballots are kept: sealed while a secret vote is open, in plain once it closes.

A named vote's ballots are plain rows of ``vote_ballots`` from the start, each with its
practice. A secret vote's ballots are, while it is open, only rows of
``vote_sealed_ballots``: a random id, the practice's *slot* (an HMAC of vote and practice
under the server key) and one ciphertext of the choice, receipt and weight
(:mod:`lpgp.seal`), all of one length. Where a row sits in the file, and when it was written,
therefore says which practice wrote it (turnout and the audit log say who voted when) but
nothing of what it says.

When the vote closes (:func:`publish`), its sealed ballots are opened once and written to
``vote_ballots`` in plain, in a random order, with fresh random ids and a *published slot*
(a second HMAC, unrelated to the first without the key), and the sealed rows are deleted (on
SQLite with ``secure_delete``, so their bytes are zeroed). From then on the count, the
exports and a recount need no key, and nothing in a copy of the store taken before the close
leads to a published ballot.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, exists, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from lpgp import codes, seal
from lpgp.store.schema_vote import (
    VoteBallotRow,
    VoteCandidateRow,
    VoteElectorRow,
    VoteSealedBallotRow,
)

if TYPE_CHECKING:
    from lpgp.cycle.vote.vote_rules import Vote

_SEALED = VoteSealedBallotRow.__table__
_PLAIN = VoteBallotRow.__table__
_SEALED_UPSERTS: dict[str, Any] = {}
_SEALED_IN_SLOT = select(_SEALED.c.sealed).where(
    _SEALED.c.place_id == bindparam("place_id"),
    _SEALED.c.vote_id == bindparam("vote_id"),
    _SEALED.c.slot == bindparam("slot"),
)
_PLAIN_IN_SLOT = select(_PLAIN.c.content, _PLAIN.c.receipt).where(
    _PLAIN.c.place_id == bindparam("place_id"),
    _PLAIN.c.vote_id == bindparam("vote_id"),
    _PLAIN.c.slot == bindparam("slot"),
)
# Pad lengths by (database, vote): a vote's candidates never change once it is open.
_PAD: dict[tuple[str, int, int], int] = {}


@dataclass(frozen=True)
class Ballot:
    """A ballot's content as the count reads it (sealed ones opened in memory)."""

    receipt: str
    content: dict
    weight: Any
    slot: str
    practice_id: int | None


def slot(vote_id: int, practice_id: int) -> str:
    """Where a practice's ballot lives while its vote is open."""
    return codes.derive(f"ballot-slot:{vote_id}:{practice_id}")


def published_slot(vote_id: int, practice_id: int) -> str:
    """Where a practice's secret ballot lives once published: unrelated to :func:`slot`
    without the server key, so an earlier copy of the store leads nowhere."""
    return codes.derive(f"ballot-published:{vote_id}:{practice_id}")


def _label(vote_id: int, at: str) -> str:
    return f"vote:{vote_id}:slot:{at}"


def _weight(text: str) -> Any:
    """A weight read back from a sealed ballot, in the type the ballots table stores."""
    python_type = _PLAIN.c.weight.type.python_type
    if python_type is float:
        return float(text)
    if python_type is Decimal:
        return Decimal(text)
    return python_type(text)


def _pad_length(session: Session, vote: Vote) -> int:
    bind = session.get_bind()
    key = (str(getattr(bind, "url", "")), vote.place_id, vote.id)
    if key not in _PAD:
        keys = list(
            session.scalars(
                select(VoteCandidateRow.key).where(
                    VoteCandidateRow.place_id == vote.place_id, VoteCandidateRow.vote_id == vote.id
                )
            )
        )
        _PAD[key] = seal.padded_length(keys, vote.budget)
    return _PAD[key]


def _vote_key(vote_id: int) -> bytes:
    return seal.vote_key(codes.load_key(), vote_id)


def _sealed_upsert(dialect: str) -> Any:
    if dialect not in _SEALED_UPSERTS:
        make = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = make(_SEALED)
        _SEALED_UPSERTS[dialect] = stmt.on_conflict_do_update(
            index_elements=["slot", "vote_id"], set_={"sealed": stmt.excluded.sealed}
        ).returning(_SEALED.c.id)
    return _SEALED_UPSERTS[dialect]


def store_sealed(
    session: Session, vote: Vote, practice_id: int, content: dict, receipt: str, weight: Any
) -> bool:
    """Seal a secret ballot into its practice's slot, replacing any earlier one; True if it
    replaced one. One upsert and no read of the table, so concurrent casts by different
    practices never read what each other write (which SERIALIZABLE would refuse)."""
    at = slot(vote.id, practice_id)
    box = seal.seal(
        _vote_key(vote.id),
        {"b": content["ballot"], "r": receipt, "w": str(weight)},
        length=_pad_length(session, vote),
        label=_label(vote.id, at),
    )
    new_id = secrets.token_hex(16)
    stored_id = session.execute(
        _sealed_upsert(session.get_bind().dialect.name),
        {"id": new_id, "place_id": vote.place_id, "vote_id": vote.id, "slot": at, "sealed": box},
    ).scalar_one()
    return stored_id != new_id


def current(session: Session, vote: Vote, practice_id: int) -> tuple[Any, str] | None:
    """A practice's counted ballot and its receipt, wherever it is kept, or None."""
    params = {"place_id": vote.place_id, "vote_id": vote.id}
    if vote.secret:
        box = session.scalar(_SEALED_IN_SLOT, {**params, "slot": slot(vote.id, practice_id)})
        if box is not None:
            opened = seal.unseal(
                _vote_key(vote.id), box, label=_label(vote.id, slot(vote.id, practice_id))
            )
            return opened["b"], opened["r"]
        at = published_slot(vote.id, practice_id)
    else:
        at = slot(vote.id, practice_id)
    row = session.execute(_PLAIN_IN_SLOT, {**params, "slot": at}).first()
    return (row.content["ballot"], row.receipt) if row else None


def remove(session: Session, vote: Vote, practice_id: int) -> bool:
    """Delete a practice's ballot before close (voiding it); True if there was one."""
    if vote.secret:
        table, at = _SEALED, slot(vote.id, practice_id)
    else:
        table, at = _PLAIN, slot(vote.id, practice_id)
    gone = session.connection().execute(
        delete(table).where(
            table.c.place_id == vote.place_id, table.c.vote_id == vote.id, table.c.slot == at
        )
    )
    return bool(gone.rowcount)


def _practice_by_slot(session: Session, vote: Vote) -> dict[str, int]:
    practices = session.scalars(
        select(VoteElectorRow.practice_id).where(
            VoteElectorRow.place_id == vote.place_id, VoteElectorRow.vote_id == vote.id
        )
    )
    return {slot(vote.id, p): p for p in practices}


def _opened(session: Session, vote: Vote) -> list[tuple[int, dict]]:
    """The vote's sealed ballots, opened: (practice id, content) each."""
    rows = session.execute(
        select(_SEALED.c.slot, _SEALED.c.sealed).where(
            _SEALED.c.place_id == vote.place_id, _SEALED.c.vote_id == vote.id
        )
    ).all()
    if not rows:
        return []
    key = _vote_key(vote.id)
    who = _practice_by_slot(session, vote)
    return [(who[r.slot], seal.unseal(key, r.sealed, label=_label(vote.id, r.slot))) for r in rows]


def has_sealed(session: Session, vote: Vote) -> bool:
    """True while some of the vote's ballots are still sealed."""
    return bool(
        session.scalar(
            select(
                exists().where(_SEALED.c.place_id == vote.place_id, _SEALED.c.vote_id == vote.id)
            )
        )
    )


def sealed_ballots(session: Session, vote: Vote) -> list[Ballot]:
    """A closed vote's ballots that are still sealed (closed by time, not yet published),
    opened in memory for the count; needs the server key."""
    return [
        Ballot(o["r"], {"ballot": o["b"]}, _weight(o["w"]), published_slot(vote.id, p), None)
        for p, o in _opened(session, vote)
    ]


def publish(session: Session, vote: Vote) -> int:
    """Write a closed secret vote's sealed ballots out in plain, in a random order with fresh
    ids, and delete the sealed rows; returns how many ballots were published.

    Runs in the caller's transaction (the close), so the plain and the sealed rows never
    exist side by side in a committed state.
    """
    opened = _opened(session, vote)
    if not opened:
        return 0
    rows = [
        {
            "id": secrets.token_hex(16),
            "place_id": vote.place_id,
            "vote_id": vote.id,
            "slot": published_slot(vote.id, practice_id),
            "receipt": content["r"],
            "content": {"ballot": content["b"]},
            "weight": _weight(content["w"]),
            "practice_id": None,
        }
        for practice_id, content in opened
    ]
    secrets.SystemRandom().shuffle(rows)
    session.execute(delete(_SEALED).where(_SEALED.c.vote_id == vote.id))
    for row in rows:  # one at a time, so the order written is the shuffled order
        session.execute(insert(_PLAIN), row)
    return len(rows)
