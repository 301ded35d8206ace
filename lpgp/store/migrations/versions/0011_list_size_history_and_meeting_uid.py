"""list-size history and a meeting UID unique across stores

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 20:00:00

``practice_list_sizes`` keeps each practice's list size month by month, as national refreshes
and imports apply them; it starts with the list size each practice has now (source "before
history"). ``meetings.uid`` holds the calendar UID of a meeting's invites: existing meetings
keep the one their invites were made with (``meeting-<id>.<place slug>@lpgp``), so a calendar
that already has one updates it rather than adding a second; new meetings get a random one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practice_list_sizes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("list_size", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_practice_list_sizes_place_id_places")
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practices.id"],
            name=op.f("fk_practice_list_sizes_practice_id_practices"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_list_sizes")),
        sa.UniqueConstraint(
            "practice_id", "as_of", name=op.f("uq_practice_list_sizes_practice_id")
        ),
    )
    with op.batch_alter_table("practice_list_sizes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_list_sizes_place_id"), ["place_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_practice_list_sizes_practice_id"), ["practice_id"], unique=False
        )
    op.execute(
        "INSERT INTO practice_list_sizes (place_id, practice_id, as_of, list_size, source) "
        "SELECT place_id, id, list_size_as_of, list_size, 'before history' FROM practices "
        "WHERE list_size IS NOT NULL AND list_size_as_of IS NOT NULL"
    )

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uid", sa.String(length=200), nullable=True))
    op.execute(
        "UPDATE meetings SET uid = 'meeting-' || CAST(id AS VARCHAR(20)) || '.' || "
        "(SELECT slug FROM places WHERE places.id = meetings.place_id) || '@lpgp'"
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.alter_column("uid", existing_type=sa.String(length=200), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_meetings_uid"), ["uid"])


def downgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_meetings_uid"), type_="unique")
        batch_op.drop_column("uid")
    with op.batch_alter_table("practice_list_sizes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_list_sizes_practice_id"))
        batch_op.drop_index(batch_op.f("ix_practice_list_sizes_place_id"))
    op.drop_table("practice_list_sizes")
