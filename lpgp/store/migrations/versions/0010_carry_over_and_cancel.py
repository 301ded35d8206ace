"""carried-over actions and cancelled meetings

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-09 10:00:00

A board delivers one cycle's list while it decides the next. When the next list is confirmed,
an unfinished action of the old list can be carried over to a priority of the new one: the new
action points at the one it continues (``actions.carried_from_id``), and the old one stays with
its cycle. A meeting can be cancelled rather than deleted (``meetings.cancelled_at``), so its
invite goes out again as a cancellation.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("carried_from_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_actions_carried_from_id_actions"), "actions", ["carried_from_id"], ["id"]
        )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("cancelled_at")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_actions_carried_from_id_actions"), type_="foreignkey"
        )
        batch_op.drop_column("carried_from_id")
