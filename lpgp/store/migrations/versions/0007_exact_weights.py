"""exact ballot weights

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 11:00:00

``vote_electors.weight`` and ``vote_ballots.weight`` were binary floats; they become exact:
``NUMERIC(15, 6)`` on PostgreSQL and the decimal's text on SQLite, whose NUMERIC is a float
(:class:`lpgp.store.types.ExactWeight`). Each stored float becomes the shortest decimal that
prints it, which is the weight as it was given. SQLite rebuilds both tables in batch mode;
``vote_ballots`` stays ``WITHOUT ROWID``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = {"vote_electors": {}, "vote_ballots": {"sqlite_with_rowid": False}}


def _exact() -> sa.types.TypeEngine:
    if op.get_bind().dialect.name == "sqlite":
        return sa.String(length=32)
    return sa.Numeric(precision=15, scale=6)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, kwargs in TABLES.items():
        if sqlite:
            # SQLite writes a REAL as text with 15 significant digits, the shortest decimal
            # for every weight lpgp ever stored (list sizes, band means, 1.0).
            with op.batch_alter_table(table, recreate="always", table_kwargs=kwargs) as batch:
                batch.alter_column(
                    "weight", existing_type=sa.Float(), type_=_exact(), existing_nullable=False
                )
            # A whole number reads back from a REAL as '2500.0': keep it as the integer it is.
            op.execute(
                sa.text(
                    f"UPDATE {table} SET weight = substr(weight, 1, length(weight) - 2) "
                    "WHERE weight LIKE '%.0'"
                )
            )
        else:
            op.alter_column(
                table,
                "weight",
                existing_type=sa.Float(),
                type_=_exact(),
                existing_nullable=False,
                postgresql_using="weight::numeric(15, 6)",
            )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, kwargs in TABLES.items():
        if sqlite:
            with op.batch_alter_table(table, recreate="always", table_kwargs=kwargs) as batch:
                batch.alter_column(
                    "weight", existing_type=_exact(), type_=sa.Float(), existing_nullable=False
                )
        else:
            op.alter_column(
                table,
                "weight",
                existing_type=_exact(),
                type_=sa.Float(),
                existing_nullable=False,
                postgresql_using="weight::double precision",
            )
