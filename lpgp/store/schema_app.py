"""Tables of the workshop app: signed-in web sessions of board members and practices, and the
links between one person's board seats in different places.

A session row holds only a digest of the random token that the browser keeps in a signed,
HttpOnly cookie, so a copy of the database cannot be replayed as a sign-in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lpgp.store.schema import Base


class WebSessionRow(Base):
    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("board_members.id"))
    subject: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SeatLinkRow(Base):
    """Two board seats, in different places, that one person proved are theirs by holding both
    seats' sign-in codes at once. The link holds only while both seats keep the codes they had
    then (each code's digest is kept beside it): reissuing either code undoes it."""

    __tablename__ = "seat_links"
    __table_args__ = (UniqueConstraint("seat_id", "other_seat_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seat_id: Mapped[int] = mapped_column(ForeignKey("board_members.id"), index=True)
    seat_digest: Mapped[str] = mapped_column(String(64))
    other_seat_id: Mapped[int] = mapped_column(ForeignKey("board_members.id"), index=True)
    other_digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
