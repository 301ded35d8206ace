"""The analyst functions' old home, kept only so that existing imports (``from lpgp import
api``, ``from .api import _store``) work; they now live in :mod:`lpgp.analyst`.

This module goes once :mod:`lpgp.national` and :mod:`lpgp.export.api` take ``_store`` from
:mod:`lpgp.analyst._common`.
"""

from __future__ import annotations

from .analyst._common import _store
from .analyst._frames import records as _frame
from .analyst.board import board, cycles, people, places, practices

__all__ = ["_frame", "_store", "board", "cycles", "people", "places", "practices"]
