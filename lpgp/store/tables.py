"""Every table of the store, gathered so one metadata describes it (Alembic reads this).

Each capability keeps its tables in its own module under ``lpgp/store``; import it here.
"""

from __future__ import annotations

# Imported for their tables: each module adds its own to Base.metadata.
from lpgp.store import (
    schema_app,  # noqa: F401
    schema_delivery,  # noqa: F401
    schema_shortlist,  # noqa: F401
    schema_vote,  # noqa: F401
)
from lpgp.store.schema import Base  # the foundation's tables, and the base of all

metadata = Base.metadata
