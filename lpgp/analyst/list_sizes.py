"""The place's list sizes month by month, as national refreshes and imports recorded them."""

from __future__ import annotations

import pandas as pd

from lpgp.analyst._frames import DAY, INSTANT, NULLABLE_INT, TEXT, Schema, frame
from lpgp.cycle.board.place import get_place
from lpgp.cycle.board.practice import list_size_history
from lpgp.store import Store

#: Column -> dtype; the frame has exactly these, also when it has no rows (the rule for each
#: dtype is in lpgp.analyst._frames).
LIST_SIZES: Schema = {
    "ods_code": TEXT,
    "practice": TEXT,
    "as_of": DAY,
    "list_size": NULLABLE_INT,
    "source": TEXT,
    "recorded_at": INSTANT,
}


def list_sizes(*, place: str | int | None = None, store: Store | str | None = None) -> pd.DataFrame:
    """Each practice's list size on each date it was recorded: ods_code, practice (its name),
    as_of (the date the figure is for), list_size, source ("national" from a refresh,
    "import" from a practice list, "before history" for the size a practice already had when
    the history began) and recorded_at (when it was written, UTC). One row per practice and
    date, oldest first; a later figure for the same date replaces the earlier one.

    >>> from lpgp.analyst.list_sizes import list_sizes
    >>> df = list_sizes()
    >>> df[["ods_code", "as_of", "list_size", "source"]].head(3)
      ods_code      as_of  list_size  source
    0   Z99001 2026-10-01       9651  import
    1   Z99002 2026-10-01      20012  import
    2   Z99003 2026-10-01      13876  import
    >>> df.groupby("as_of").list_size.sum()  # the place's registered patients, date by date
    as_of
    2026-10-01    501115
    Name: list_size, dtype: Int64
    """
    from lpgp.analyst._common import _store

    with _store(store).read() as s:
        records = list_size_history(s, get_place(s, place))
    rows = [
        {
            "ods_code": r.ods_code,
            "practice": r.practice,
            "as_of": r.as_of,
            "list_size": r.list_size,
            "source": r.source,
            "recorded_at": r.recorded_at,
        }
        for r in records
    ]
    return frame(rows, LIST_SIZES)
