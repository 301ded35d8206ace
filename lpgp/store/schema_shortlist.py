"""Tables of candidates, scoring and the shortlist (steps 2 and 3 of a cycle).

A score row means the member has marked that cell; ``value`` NULL is "can't judge". No row
means not scored yet, which is never read as zero.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from lpgp.store.schema import Base


class CandidateRow(Base):
    """A candidate priority drafted by the board for one cycle."""

    __tablename__ = "candidates"
    __table_args__ = (UniqueConstraint("cycle_id", "title"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    ask: Mapped[str] = mapped_column(Text, default="")
    actions: Mapped[str] = mapped_column(Text, default="")
    qualities: Mapped[list] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(30), default="draft")
    proposed_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CriterionRow(Base):
    """One scoring criterion of a cycle and its weight (weights are normalised when used)."""

    __tablename__ = "score_criteria"
    __table_args__ = (UniqueConstraint("cycle_id", "key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    weight: Mapped[float] = mapped_column(Float)
    position: Mapped[int] = mapped_column(Integer)


class ScoreRow(Base):
    """One member's mark for one candidate on one criterion: 0-5, or NULL for can't judge."""

    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("candidate_id", "person_id", "criterion_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("score_criteria.id"))
    value: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(200))


class InterestRow(Base):
    """A member's declared interest in a candidate (e.g. one their own PCN leads)."""

    __tablename__ = "declared_interests"
    __table_args__ = (UniqueConstraint("candidate_id", "person_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    reason: Mapped[str] = mapped_column(Text)
    declared_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ScoringLockRow(Base):
    """Present once the board has locked scoring for a cycle: scores can no longer change."""

    __tablename__ = "scoring_locks"
    __table_args__ = (UniqueConstraint("cycle_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))
    locked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    locked_by: Mapped[str] = mapped_column(String(200))


class ShortlistRow(Base):
    """The board's decision fixing a cycle's shortlist: who fixed it and when."""

    __tablename__ = "shortlists"
    __table_args__ = (UniqueConstraint("cycle_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))
    fixed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    fixed_by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class ShortlistEntryRow(Base):
    """One candidate on a fixed shortlist, its place in score order and any departure reason."""

    __tablename__ = "shortlist_entries"
    __table_args__ = (UniqueConstraint("shortlist_id", "candidate_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    shortlist_id: Mapped[int] = mapped_column(ForeignKey("shortlists.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"))
    position: Mapped[int] = mapped_column(Integer)
    score_rank: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    departure: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text)
