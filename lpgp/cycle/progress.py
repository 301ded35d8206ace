"""Where a place is in its cycle: the eight steps, which are done, and what blocks the next.

:func:`~lpgp.cycle.progress_rules.assess` is a pure rule over a few counts (in
:mod:`lpgp.cycle.progress_rules`); :func:`counts` reads them from the store for one cycle (by
default the place's current one).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import Session

from lpgp.cycle.agreed.priority import delivered_cycle
from lpgp.cycle.board.place import get_cycle
from lpgp.errors import NotFound
from lpgp.model import Cycle, Place
from lpgp.store.schema import BoardMemberRow, PracticeRow
from lpgp.store.schema_delivery import ActionRow, AgreedListRow, MeetingRow, PriorityRow
from lpgp.store.schema_shortlist import CandidateRow, ScoreRow, ShortlistRow


def counts(session: Session, place: Place, cycle: Cycle | None = None) -> dict[str, int]:
    """What the place has so far in ``cycle`` (default: its current cycle), and, for steps 6
    to 8, in the cycle being delivered (the one whose list was confirmed last).

    Votes count by their state on the database's clock, so a vote past its closing time counts
    as closed even before anyone closes it by hand.
    """
    from lpgp.cycle.vote import vote as votes

    def n(query: Select[*tuple[Any, ...]]) -> int:
        return int(session.scalar(query) or 0)

    found = {
        "practices": n(
            select(func.count())
            .select_from(PracticeRow)
            .where(PracticeRow.place_id == place.id, PracticeRow.active)
        ),
        "board_members": n(
            select(func.count())
            .select_from(BoardMemberRow)
            .where(BoardMemberRow.place_id == place.id)
        ),
    }
    try:
        cycle = cycle or get_cycle(session, place)
    except NotFound:
        return found
    in_cycle = [v for v in votes.list_votes(session, place, cycle)]
    states = [votes.state(session, v) for v in in_cycle]
    agreed = select(AgreedListRow.id).where(
        AgreedListRow.place_id == place.id, AgreedListRow.cycle_id == cycle.id
    )
    priorities = select(PriorityRow.id).where(PriorityRow.list_id.in_(agreed))
    delivering = delivered_cycle(session, place)
    delivered = select(PriorityRow.id).where(
        PriorityRow.list_id.in_(
            select(AgreedListRow.id).where(
                AgreedListRow.place_id == place.id, AgreedListRow.cycle_id == delivering.id
            )
        )
    )
    found |= {
        "candidates": n(
            select(func.count()).select_from(CandidateRow).where(CandidateRow.cycle_id == cycle.id)
        ),
        "members_scored": n(
            select(func.count(distinct(ScoreRow.person_id))).where(ScoreRow.cycle_id == cycle.id)
        ),
        "shortlists": n(
            select(func.count()).select_from(ShortlistRow).where(ShortlistRow.cycle_id == cycle.id)
        ),
        "votes": len(in_cycle),
        "votes_closed": states.count(votes.VoteState.CLOSED),
        "ballots": sum(len(votes.voted_practices(session, v)) for v in in_cycle),
        "priorities": n(select(func.count()).select_from(priorities.subquery())),
        "delivering_priorities": n(select(func.count()).select_from(delivered.subquery())),
        "actions": n(
            select(func.count()).select_from(ActionRow).where(ActionRow.priority_id.in_(delivered))
        ),
        "meetings": n(
            select(func.count())
            .select_from(MeetingRow)
            .where(MeetingRow.place_id == place.id, MeetingRow.cycle_id == delivering.id)
        ),
    }
    return found
