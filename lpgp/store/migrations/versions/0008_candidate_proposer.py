"""who proposed each candidate

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 10:00:00

Candidates gain ``proposed_by``: the board member (or anyone else) who put the candidate
forward, as the chair types it. Existing candidates have none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proposed_by", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.drop_column("proposed_by")
