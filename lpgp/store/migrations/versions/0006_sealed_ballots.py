"""sealed ballots and the store's key check

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 09:30:00

Secret ballots of open votes move out of ``vote_ballots`` into ``vote_sealed_ballots``,
encrypted under their vote's key; closed secret votes' ballots are rewritten in a random
order with fresh ids, so no row's place in the file follows the order ballots arrived in.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import context, op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "store_meta",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_store_meta")),
    )
    op.create_table(
        "vote_sealed_ballots",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(length=64), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_vote_sealed_ballots_place_id_places")
        ),
        sa.ForeignKeyConstraint(
            ["vote_id"], ["votes.id"], name=op.f("fk_vote_sealed_ballots_vote_id_votes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_sealed_ballots")),
        sa.UniqueConstraint("slot", "vote_id", name=op.f("uq_vote_sealed_ballots_slot")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("vote_sealed_ballots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vote_sealed_ballots_place_id"), ["place_id"], unique=False
        )
    if _protect_secret_ballots(op.get_bind()):
        # Tell lpgp.store.upgrade to scrub the freed pages once this transaction commits
        # (VACUUM cannot run inside one).
        context.config.attributes["scrub"] = True


_votes = sa.table(
    "votes",
    sa.column("id", sa.Integer),
    sa.column("secret", sa.Boolean),
    sa.column("status", sa.String),
    sa.column("closes_at", sa.DateTime(timezone=True)),
    sa.column("budget", sa.Integer),
)
_ballots = sa.table(
    "vote_ballots",
    sa.column("id", sa.String),
    sa.column("place_id", sa.Integer),
    sa.column("vote_id", sa.Integer),
    sa.column("slot", sa.String),
    sa.column("receipt", sa.String),
    sa.column("content", sa.JSON),
    sa.column("weight", sa.Float),
    sa.column("practice_id", sa.Integer),
)
_sealed = sa.table(
    "vote_sealed_ballots",
    sa.column("id", sa.String),
    sa.column("place_id", sa.Integer),
    sa.column("vote_id", sa.Integer),
    sa.column("slot", sa.String),
    sa.column("sealed", sa.LargeBinary),
)
_electors = sa.table("vote_electors", sa.column("vote_id", sa.Integer), sa.column("practice_id"))
_candidates = sa.table("vote_candidates", sa.column("vote_id", sa.Integer), sa.column("key"))


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _protect_secret_ballots(conn: sa.Connection) -> bool:
    """Seal the plain ballots of open secret votes, and rewrite closed secret votes' ballots
    in a random order with fresh ids and published slots; True if any row moved."""
    from lpgp import codes, seal

    votes = conn.execute(sa.select(_votes).where(_votes.c.secret.is_(True))).all()
    moved = False
    now = datetime.now(UTC)
    shuffle = secrets.SystemRandom().shuffle
    for vote in votes:
        rows = conn.execute(sa.select(_ballots).where(_ballots.c.vote_id == vote.id)).all()
        if not rows:
            continue
        key = codes.load_key()  # the key the ballots' slots were made under
        practices = conn.scalars(
            sa.select(_electors.c.practice_id).where(_electors.c.vote_id == vote.id)
        )
        who = {codes.derive(f"ballot-slot:{vote.id}:{p}", key=key): p for p in practices}
        closed = vote.status == "closed" or _utc(vote.closes_at) <= now
        conn.execute(sa.delete(_ballots).where(_ballots.c.vote_id == vote.id))
        if closed:
            fresh = [
                {
                    **row._asdict(),
                    "id": secrets.token_hex(16),
                    "slot": codes.derive(f"ballot-published:{vote.id}:{who[row.slot]}", key=key),
                    "practice_id": None,
                }
                for row in rows
            ]
            target = _ballots
        else:
            keys = list(
                conn.scalars(sa.select(_candidates.c.key).where(_candidates.c.vote_id == vote.id))
            )
            length = seal.padded_length(keys, vote.budget)
            vote_key = seal.vote_key(key, vote.id)
            fresh = [
                {
                    "id": secrets.token_hex(16),
                    "place_id": row.place_id,
                    "vote_id": vote.id,
                    "slot": row.slot,
                    "sealed": seal.seal(
                        vote_key,
                        {
                            "b": _content(row.content)["ballot"],
                            "r": row.receipt,
                            "w": str(row.weight),
                        },
                        length=length,
                        label=f"vote:{vote.id}:slot:{row.slot}",
                    ),
                }
                for row in rows
            ]
            target = _sealed
        shuffle(fresh)
        for row in fresh:  # one at a time, so the order written is the shuffled order
            conn.execute(sa.insert(target), row)
        moved = True
    return moved


def _content(value: str | dict[str, Any]) -> dict[str, Any]:
    """A ballot's JSON content, which a driver may hand back as text or already read."""
    return json.loads(value) if isinstance(value, str) else value


def downgrade() -> None:
    with op.batch_alter_table("vote_sealed_ballots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vote_sealed_ballots_place_id"))
    op.drop_table("vote_sealed_ballots")
    op.drop_table("store_meta")
