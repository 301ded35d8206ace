"""The append-only audit log: every change of state says who did what and when."""

from __future__ import annotations

import warnings
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from lpgp import clock
from lpgp.store.schema import AuditRow

_INSERT = insert(AuditRow.__table__)


CLI = "cli"  # how the audit log names the command line


def acting(actor: str | None) -> str:
    """Who a service that writes records as acting: ``actor`` itself.

    Leaving it out still means the command line, with a :class:`DeprecationWarning`: every
    service that writes will require it from the next release, because a browser action
    logged as the command line misleads whoever reads the log.

    >>> acting("member:Dr Ada Obi")
    'member:Dr Ada Obi'
    """
    if actor is None:
        warnings.warn(
            "pass actor= (who is doing this, e.g. 'cli' or a member's 'member:Name'): "
            "services that write will require it in the next release",
            DeprecationWarning,
            stacklevel=3,
        )
        return CLI
    return actor


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
