"""SQLAlchemy tables of the foundation. Each capability keeps its tables in its own module
beside this one; all of them hang off :data:`Base` so one metadata describes the store.

Every table but ``places`` carries ``place_id``: every query is scoped to one place.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    # Every row class maps one table, so its __table__ is a Table (SQLAlchemy types it as the
    # wider FromClause, which Core's insert() and delete() do not take).
    __table__: ClassVar[Table]


class PlaceRow(Base):
    __tablename__ = "places"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PcnRow(Base):
    __tablename__ = "pcns"
    __table_args__ = (UniqueConstraint("place_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str | None] = mapped_column(String(20))


class PracticeRow(Base):
    __tablename__ = "practices"
    __table_args__ = (UniqueConstraint("place_id", "ods_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    ods_code: Mapped[str] = mapped_column(String(6))
    name: Mapped[str] = mapped_column(String(200))
    pcn_id: Mapped[int | None] = mapped_column(ForeignKey("pcns.id"))
    list_size: Mapped[int | None] = mapped_column(Integer)
    list_size_as_of: Mapped[date | None] = mapped_column(Date)
    email: Mapped[str | None] = mapped_column(String(320))
    postcode: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class PracticeListSizeRow(Base):
    """A practice's registered list size as it stood on one date, kept each time a national
    refresh or an import applies one, so list sizes can be followed month by month."""

    __tablename__ = "practice_list_sizes"
    __table_args__ = (UniqueConstraint("practice_id", "as_of"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    as_of: Mapped[date] = mapped_column(Date)
    list_size: Mapped[int] = mapped_column(Integer)
    # Where the figure came from: "national", "import", or "before history" for the list size
    # a practice already had when history began to be kept (migration 0011).
    source: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class PersonRow(Base):
    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("place_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    pcn_id: Mapped[int | None] = mapped_column(ForeignKey("pcns.id"))
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("practices.id"))
    email: Mapped[str | None] = mapped_column(String(320))
    active_from: Mapped[date | None] = mapped_column(Date)
    active_to: Mapped[date | None] = mapped_column(Date)


class BoardMemberRow(Base):
    __tablename__ = "board_members"
    __table_args__ = (UniqueConstraint("place_id", "person_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    is_chair: Mapped[bool] = mapped_column(Boolean, default=False)
    is_facilitator: Mapped[bool] = mapped_column(Boolean, default=False)
    code_digest: Mapped[str | None] = mapped_column(String(64), unique=True)


class CycleRow(Base):
    __tablename__ = "cycles"
    __table_args__ = (UniqueConstraint("place_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AuditRow(Base):
    """Append-only log of changes of state: who did what, when."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(80))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)


class StoreMetaRow(Base):
    """Facts about the store itself, such as the check value of its server key."""

    __tablename__ = "store_meta"
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
