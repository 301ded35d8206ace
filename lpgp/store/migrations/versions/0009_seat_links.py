"""seat links: one person's board seats in several places

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 10:00:00

A facilitator who sits on the boards of several places proves, once, that the seats are theirs
by typing the other seat's sign-in code while signed in; the workshop app then offers those
places in its header. Each link keeps the digests of both codes, so reissuing either undoes it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seat_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seat_id", sa.Integer(), nullable=False),
        sa.Column("seat_digest", sa.String(length=64), nullable=False),
        sa.Column("other_seat_id", sa.Integer(), nullable=False),
        sa.Column("other_digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["seat_id"], ["board_members.id"], name=op.f("fk_seat_links_seat_id_board_members")
        ),
        sa.ForeignKeyConstraint(
            ["other_seat_id"],
            ["board_members.id"],
            name=op.f("fk_seat_links_other_seat_id_board_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seat_links")),
        sa.UniqueConstraint("seat_id", "other_seat_id", name=op.f("uq_seat_links_seat_id")),
    )
    with op.batch_alter_table("seat_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seat_links_seat_id"), ["seat_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_seat_links_other_seat_id"), ["other_seat_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("seat_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seat_links_other_seat_id"))
        batch_op.drop_index(batch_op.f("ix_seat_links_seat_id"))
    op.drop_table("seat_links")
