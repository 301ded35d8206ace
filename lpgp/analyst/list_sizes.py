"""The place's list sizes month by month, as national refreshes and imports recorded them."""

from __future__ import annotations

import pandas as pd

from ..place import get_place
from ..practice import list_size_history
from ..store import Store

#: Column -> dtype; the frame has exactly these, also when it has no rows. Text is pandas'
#: ``string``, a day is ``datetime64[ns]`` at midnight, an instant ``datetime64[ns, UTC]``.
LIST_SIZES = {
    "ods_code": pd.StringDtype(),
    "practice": pd.StringDtype(),
    "as_of": "datetime64[ns]",
    "list_size": "Int64",
    "source": pd.StringDtype(),
    "recorded_at": "datetime64[ns, UTC]",
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
    from ._common import _store

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
    df = pd.DataFrame(rows, columns=list(LIST_SIZES))
    df["as_of"] = pd.to_datetime(df["as_of"])
    # SQLite hands back naive UTC, PostgreSQL aware times: both are instants in UTC.
    df["recorded_at"] = pd.to_datetime(df["recorded_at"], utc=True)
    return df.astype(LIST_SIZES)
