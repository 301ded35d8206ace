"""The append-only audit log: every change of state says who did what and when."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from . import clock
from .store.schema import AuditRow

_INSERT = insert(AuditRow.__table__)


def record(
    session: Session,
    place_id: int,
    actor: str,
    action: str,
    detail: dict[str, Any] | None = None,
    note: str | None = None,
) -> None:
    """Add one line to the audit log inside the caller's transaction.

    Written with one plain INSERT (the session flushes anything pending first, so the log
    keeps the order things happened in); a busy server writes one of these per ballot.
    """
    session.execute(
        _INSERT,
        {
            "place_id": place_id,
            "at": clock.now(),
            "actor": actor or "unknown",
            "action": action,
            "detail": detail or {},
            "note": note,
        },
    )


def entries(session: Session, place_id: int) -> list[AuditRow]:
    """The place's audit log, oldest first."""
    return list(
        session.scalars(select(AuditRow).where(AuditRow.place_id == place_id).order_by(AuditRow.id))
    )
