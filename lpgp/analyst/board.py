"""Step 1, the board: places, practices, people, the leadership board and cycles as DataFrames.

``place`` is a slug, name or id (default: the store's only place) and ``store`` a
:class:`~lpgp.store.Store` or URL (default: ``LPGP_DATABASE_URL``); both are keywords.
Nothing here writes.

The examples run against the demo place, Haverbrook (``lpgp demo``).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from lpgp.analyst._common import _store, keywords_from
from lpgp.analyst._frames import BOOL, DAY, INT, NULLABLE_INT, TEXT, Schema, frame, plain
from lpgp.cycle.board import place as _places
from lpgp.cycle.board.person import list_board, list_people
from lpgp.store import Store
from lpgp.store.schema import PcnRow, PracticeRow

PLACES: Schema = {"id": INT, "slug": TEXT, "name": TEXT}
PRACTICES: Schema = {
    "ods_code": TEXT,
    "name": TEXT,
    "pcn": TEXT,
    "list_size": NULLABLE_INT,
    "list_size_as_of": DAY,
    "email": TEXT,
    "active": BOOL,
    "pcn_code": TEXT,
    "postcode": TEXT,
}
PEOPLE: Schema = {
    "id": INT,
    "name": TEXT,
    "role": TEXT,
    "pcn": TEXT,
    "practice": TEXT,
    "email": TEXT,
    "active_from": DAY,
    "active_to": DAY,
}
BOARD: Schema = {
    "person_id": INT,
    "name": TEXT,
    "role": TEXT,
    "is_chair": BOOL,
    "is_facilitator": BOOL,
}
CYCLES: Schema = {"id": INT, "name": TEXT, "is_current": BOOL}


def places(*, store: Store | str | None = None) -> pd.DataFrame:
    """Every place in the store, by name.

    >>> import lpgp
    >>> lpgp.places()
       id        slug        name
    0   1  haverbrook  Haverbrook
    """
    with _store(store).read() as s:
        items = _places.list_places(s)
    return frame(({c: getattr(p, c) for c in PLACES} for p in items), PLACES)


@keywords_from("place")
def practices(
    *,
    place: str | int | None = None,
    active_only: bool = False,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """The place's practices by ODS code: name, PCN (``<NA>`` for a practice in none) and the
    PCN's code, list size and the date it is as of, email, whether active, and postcode.

    The store keeps no sub-ICB code for a practice, so there is no column for one.

    >>> import lpgp
    >>> df = lpgp.practices()
    >>> df[["ods_code", "pcn", "list_size", "list_size_as_of"]].head(3)
      ods_code                     pcn  list_size list_size_as_of
    0   Z99001  Haverbrook Central PCN       9651      2026-10-01
    1   Z99002  Haverbrook Central PCN      20012      2026-10-01
    2   Z99003  Haverbrook Central PCN      13876      2026-10-01
    >>> df.groupby("pcn", dropna=False).list_size.agg(["count", "sum"])
                             count    sum
    pcn
    Eastfield PCN                7  76078
    Haverbrook Central PCN       7  99432
    Moorland Villages PCN        6  71566
    Northgate PCN                6  63259
    Riverside and Docks PCN      7  89346
    Southbank PCN                7  97564
    <NA>                         1   3870
    """
    with _store(store).read() as s:
        where = _places.get_place(s, place)
        query = (
            select(PracticeRow, PcnRow.name, PcnRow.code)
            .outerjoin(PcnRow, PracticeRow.pcn_id == PcnRow.id)
            .where(PracticeRow.place_id == where.id)
            .order_by(PracticeRow.ods_code)
        )
        if active_only:
            query = query.where(PracticeRow.active)
        rows = [
            {
                "ods_code": r.ods_code,
                "name": r.name,
                "pcn": pcn,
                "list_size": r.list_size,
                "list_size_as_of": r.list_size_as_of,
                "email": r.email,
                "active": bool(r.active),
                "pcn_code": code,
                "postcode": r.postcode,
            }
            for r, pcn, code in s.execute(query)
        ]
    return frame(rows, PRACTICES)


@keywords_from("place")
def people(*, place: str | int | None = None, store: Store | str | None = None) -> pd.DataFrame:
    """Everyone the place knows (board members, action owners, leads), by name.

    >>> import lpgp
    >>> lpgp.people()[["id", "name", "role"]].head(3)
       id                name                   role
    0  13       Chloe Fenwick        project_manager
    1   1     Dr Amara Okafor  pcn_clinical_director
    2   5  Dr Fiona Lindqvist  pcn_clinical_director
    >>> lpgp.people().role.value_counts()
    role
    pcn_clinical_director    6
    project_manager          4
    federation_lead          1
    lmc_chair                1
    practice_manager         1
    Name: count, dtype: Int64
    """
    with _store(store).read() as s:
        items = list_people(s, _places.get_place(s, place))
    return frame(({c: plain(getattr(p, c)) for c in PEOPLE} for p in items), PEOPLE)


@keywords_from("place")
def board(*, place: str | int | None = None, store: Store | str | None = None) -> pd.DataFrame:
    """The leadership board, the chair first: each member's person id, name, role, and
    whether they chair or facilitate.

    >>> import lpgp
    >>> lpgp.board()[["person_id", "name", "is_chair", "is_facilitator"]].head(3)
       person_id                name  is_chair  is_facilitator
    0          1     Dr Amara Okafor      True            True
    1          5  Dr Fiona Lindqvist     False           False
    2          3   Dr Helen Ashworth     False           False
    """
    with _store(store).read() as s:
        items = list_board(s, _places.get_place(s, place))
    return frame(({c: plain(getattr(m, c)) for c in BOARD} for m in items), BOARD)


@keywords_from("place")
def cycles(*, place: str | int | None = None, store: Store | str | None = None) -> pd.DataFrame:
    """The place's cycles in the order they were started, with which one is current.

    >>> import lpgp
    >>> lpgp.cycles()
       id                name  is_current
    0   1  2027/28 priorities        True
    1   2  2026/27 priorities       False
    """
    with _store(store).read() as s:
        items = _places.list_cycles(s, _places.get_place(s, place))
    return frame(({c: getattr(x, c) for c in CYCLES} for x in items), CYCLES)
