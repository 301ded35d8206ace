"""Tables of the practice vote: the vote, its frozen candidates and electorate, ballot codes,
turnout and ballots.

Secrecy is a property of the layout, not only of the code that reads it:

- ``vote_turnout`` says which practices voted and nothing about how.
- ``vote_ballots`` says how, and nothing about who: its key is random, it has no timestamp,
  and on SQLite it is a ``WITHOUT ROWID`` table, so neither the key nor the storage order
  follows the order ballots arrived in. A ballot is found again through ``slot``, an HMAC of
  (vote, practice) under the server key, which a copy of the database cannot recompute.
  ``practice_id`` is filled in only for named ballots.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from lpgp.store.schema import Base
from lpgp.store.types import ExactWeight


class VoteRow(Base):
    __tablename__ = "votes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"))
    title: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(40))
    seats: Mapped[int] = mapped_column(Integer)
    weighting: Mapped[str] = mapped_column(String(20))
    secret: Mapped[bool] = mapped_column(Boolean)
    budget: Mapped[int | None] = mapped_column(Integer)
    opens_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seed: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class VoteCandidateRow(Base):
    """A candidate's ballot text as the vote shows it; copied in, never edited after opening."""

    __tablename__ = "vote_candidates"
    __table_args__ = (UniqueConstraint("vote_id", "key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    ask: Mapped[str] = mapped_column(Text, default="")
    candidate_id: Mapped[int | None] = mapped_column(ForeignKey("candidates.id"))


class VoteElectorRow(Base):
    """One eligible practice as it stood when the vote opened."""

    __tablename__ = "vote_electors"
    __table_args__ = (UniqueConstraint("vote_id", "practice_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id"), index=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"))
    ods_code: Mapped[str] = mapped_column(String(6))
    name: Mapped[str] = mapped_column(String(200))
    pcn: Mapped[str | None] = mapped_column(String(200))
    list_size: Mapped[int | None] = mapped_column(Integer)
    list_size_as_of: Mapped[date | None] = mapped_column(Date)
    weight: Mapped[Decimal] = mapped_column(ExactWeight)
    band: Mapped[str | None] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)


class VoteCodeRow(Base):
    """A ballot code, kept only as its HMAC digest; revoked codes stay, marked."""

    __tablename__ = "vote_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id"), index=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class VoteTurnoutRow(Base):
    """That a practice has voted in a vote; never how, never when."""

    __tablename__ = "vote_turnout"
    __table_args__ = {"sqlite_with_rowid": False}
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id"), primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)


class VoteBallotRow(Base):
    """One counted ballot: random key, no time, found again only through ``slot``."""

    __tablename__ = "vote_ballots"
    __table_args__ = (
        UniqueConstraint("slot", "vote_id"),
        UniqueConstraint("receipt", "vote_id"),
        {"sqlite_with_rowid": False},
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id"))
    slot: Mapped[str] = mapped_column(String(64))
    receipt: Mapped[str] = mapped_column(String(20))
    content: Mapped[dict] = mapped_column(JSON)
    weight: Mapped[Decimal] = mapped_column(ExactWeight)
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("practices.id"))


class VoteSealedBallotRow(Base):
    """A secret ballot while its vote is open: content, receipt and weight sealed together
    (AES-GCM under the vote's key, padded to one length), so neither the row's place in the
    file nor its length says anything; rewritten into ``vote_ballots`` in a random order,
    in plain and with fresh ids, when the vote closes (:mod:`lpgp.seal`)."""

    __tablename__ = "vote_sealed_ballots"
    __table_args__ = (UniqueConstraint("slot", "vote_id"), {"sqlite_with_rowid": False})
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id"))
    slot: Mapped[str] = mapped_column(String(64))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
