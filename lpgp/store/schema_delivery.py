"""Tables of delivery: the agreed list, actions and their updates, asks of the system and what
the place-based board did with them, meetings, decisions and agenda items.

``candidate_id`` points at the shortlisted candidate a priority came from (none for a priority
the board added by hand); ``vote_id`` at the vote whose result the list was confirmed from.
Action updates and ask events are append-only: rows are added, never changed.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lpgp.store.schema import Base


def new_meeting_uid() -> str:
    """A calendar UID for a new meeting, unique across every store.

    >>> new_meeting_uid().startswith("meeting-") and new_meeting_uid().endswith("@lpgp")
    True
    """
    return f"meeting-{uuid.uuid4()}@lpgp"


class AgreedListRow(Base):
    """The board's confirmed list of priorities for one cycle: who confirmed it and when."""

    __tablename__ = "agreed_lists"
    __table_args__ = (UniqueConstraint("place_id", "cycle_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))
    vote_id: Mapped[int | None] = mapped_column(ForeignKey("votes.id"))
    result_order: Mapped[list] = mapped_column(JSON, default=list)
    departure_reason: Mapped[str | None] = mapped_column(Text)
    confirmed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    confirmed_by: Mapped[str] = mapped_column(String(200))


class PriorityRow(Base):
    """One agreed priority, in its place on the list, with its lead and ask of the system."""

    __tablename__ = "priorities"
    __table_args__ = (UniqueConstraint("list_id", "position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("agreed_lists.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    ask: Mapped[str] = mapped_column(Text)
    why_now: Mapped[str] = mapped_column(Text)
    measure: Mapped[str] = mapped_column(Text)
    lead_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    candidate_id: Mapped[int | None] = mapped_column(ForeignKey("candidates.id"))


class ActionRow(Base):
    """An action towards a priority; its status and due date come from its updates."""

    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priorities.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The action of an earlier cycle's list that this one continues, when carried over.
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"))


class ActionUpdateRow(Base):
    """A dated update of an action (append-only): its status then, a new due date, a note."""

    __tablename__ = "action_updates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    due: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(200))


class MeetingRow(Base):
    """A meeting of the leadership board or of the place-based partnership board."""

    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"))
    board: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    location: Mapped[str | None] = mapped_column(String(300))
    video_link: Mapped[str | None] = mapped_column(String(500))
    minutes_text: Mapped[str | None] = mapped_column(Text)
    # Set when the meeting is called off: it is kept, and its invite becomes a cancellation.
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The calendar UID every invite for this meeting carries. New meetings get a random one,
    # unique across stores; meetings from before migration 0011 keep the UID their invites
    # were already sent with (``meeting-<id>.<place slug>@lpgp``) so calendars update them.
    uid: Mapped[str] = mapped_column(String(200), unique=True, default=new_meeting_uid)


class AttendeeRow(Base):
    """A person invited to a meeting."""

    __tablename__ = "meeting_attendees"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))


class DecisionRow(Base):
    """A decision a meeting took, optionally about one priority."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priorities.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AskEventRow(Base):
    """What the place-based board did with a priority's ask (append-only)."""

    __tablename__ = "ask_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priorities.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    on: Mapped[date] = mapped_column(Date)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(200))


class AgendaItemRow(Base):
    """One item on a meeting's agenda, in its position."""

    __tablename__ = "agenda_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priorities.id"))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"))
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
