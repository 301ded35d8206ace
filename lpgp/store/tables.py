"""Every table of the store, gathered so one metadata describes it (Alembic reads this).

Each capability keeps its tables in its own module under ``lpgp/store``; import it here.
"""

from __future__ import annotations

from lpgp.store.schema import Base

metadata = Base.metadata
