"""The analyst's way in: functions that return pandas DataFrames from the store.

Each takes an optional ``place`` (slug, name or id; default the only place) and ``store``
(default the one ``LPGP_DATABASE_URL`` names). Nothing here writes.
"""

from __future__ import annotations

import dataclasses
from enum import Enum

import pandas as pd

from . import place as _places
from . import practice as _practices
from .person import list_board, list_people
from .store import Store, default_store


def _store(store: Store | str | None) -> Store:
    if isinstance(store, Store):
        return store
    return default_store(store)


def _value(v: object) -> object:
    return v.value if isinstance(v, Enum) else v


def _frame(items: list, columns: list[str]) -> pd.DataFrame:
    """Dataclasses as a DataFrame, enum fields (roles, statuses) as their plain ids."""
    rows = [{k: _value(v) for k, v in dataclasses.asdict(i).items()} for i in items]
    return pd.DataFrame(rows, columns=columns)


def places(*, store: Store | str | None = None) -> pd.DataFrame:
    """Every place in the store.

    >>> import lpgp  # doctest: +SKIP
    >>> lpgp.places()  # doctest: +SKIP
    """
    with _store(store).read() as s:
        return _frame(_places.list_places(s), ["id", "slug", "name"])


def practices(
    place: str | int | None = None, *, active_only: bool = False, store: Store | str | None = None
) -> pd.DataFrame:
    """The place's practices: ODS code, name, PCN, list size (and its date), email, active.

    >>> df = lpgp.practices("demo")  # doctest: +SKIP
    >>> df.groupby("pcn").list_size.sum()  # doctest: +SKIP
    """
    with _store(store).read() as s:
        where = _places.get_place(s, place)
        items = _practices.list_practices(s, where, active_only=active_only)
    df = _frame(
        items,
        ["ods_code", "name", "pcn", "list_size", "list_size_as_of", "email", "active", "id"],
    )
    df["list_size"] = df["list_size"].astype("Int64")
    return df.drop(columns=["id"]).reset_index(drop=True)


def people(place: str | int | None = None, *, store: Store | str | None = None) -> pd.DataFrame:
    """Everyone the place knows (board members, action owners, leads)."""
    with _store(store).read() as s:
        items = list_people(s, _places.get_place(s, place))
    cols = ["id", "name", "role", "pcn", "practice", "email", "active_from", "active_to"]
    return _frame(items, cols)


def board(place: str | int | None = None, *, store: Store | str | None = None) -> pd.DataFrame:
    """The leadership board: name, role, chair and facilitator flags."""
    with _store(store).read() as s:
        items = list_board(s, _places.get_place(s, place))
    return _frame(items, ["person_id", "name", "role", "is_chair", "is_facilitator"])


def cycles(place: str | int | None = None, *, store: Store | str | None = None) -> pd.DataFrame:
    """The place's cycles, oldest first, with which one is current."""
    with _store(store).read() as s:
        items = _places.list_cycles(s, _places.get_place(s, place))
    return _frame(items, ["id", "name", "is_current"])
