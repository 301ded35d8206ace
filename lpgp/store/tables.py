"""Every table of the store, gathered so one metadata describes it (Alembic reads this).

Each capability keeps its tables in its own module under ``lpgp/store``; import it here.
"""

from __future__ import annotations

from . import (
    schema,  # noqa: F401  (foundation tables)
    schema_app,  # noqa: F401
    schema_delivery,  # noqa: F401
    schema_shortlist,  # noqa: F401
    schema_vote,  # noqa: F401
)
from .schema import Base

metadata = Base.metadata
