"""Column schemas for the analyst's DataFrames, so every frame has the same columns and dtypes
whether it holds rows or none.

The dtypes, one rule each:

- text is pandas' ``string`` dtype (missing is ``<NA>``), the same under pandas 2 and 3;
- a day (a due date, a list size's date) is ``datetime64[ns]`` at midnight, without a zone;
- an instant (when something was recorded, when a vote closes) is ``datetime64[ns, UTC]``;
  columns ending ``_local`` (and an agenda's ``starts``) are London wall-clock times, naive;
- whole numbers that may be missing are ``Int64``; those that never are, ``int64``;
- yes/no is ``bool``;
- a status with an order (RAG, an action's status, a vote's state, an ask's outcome, a
  candidate's state) is an *ordered* Categorical with every category, present or not, so
  ``sort_values`` puts what needs attention first and ``value_counts`` shows the zeros.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any, Final, Literal

import pandas as pd

TEXT = pd.StringDtype()
DAY: Final = "datetime64[ns]"
LOCAL_TIME: Final = "datetime64[ns]"
INSTANT: Final = "datetime64[ns, UTC]"
INT: Final = "int64"
NULLABLE_INT: Final = "Int64"
FLOAT: Final = "float64"
BOOL: Final = "bool"
OBJECT: Final = "object"

#: The dtypes named above, by their pandas names (literal, so pandas' stubs check each use).
NamedDtype = Literal[
    "datetime64[ns]", "datetime64[ns, UTC]", "int64", "Int64", "float64", "bool", "object"
]
Dtype = pd.CategoricalDtype | pd.StringDtype | NamedDtype
Schema = Mapping[str, Dtype]


def ordered(values: Iterable[object]) -> pd.CategoricalDtype:
    """An ordered Categorical dtype of these values (enum members give their plain ids).

    >>> ordered(["red", "amber", "green"])
    CategoricalDtype(categories=['red', 'amber', 'green'], ordered=True, categories_dtype=...)
    """
    return pd.CategoricalDtype([plain(v) for v in values], ordered=True)


def plain(value: object) -> object:
    """An enum member as its plain id; anything else as it is."""
    return value.value if isinstance(value, Enum) else value


def _cast(column: pd.Series, dtype: Dtype, name: str) -> pd.Series:
    if isinstance(dtype, pd.CategoricalDtype):
        values = column.map(plain)
        unknown = set(values.dropna()) - set(dtype.categories)
        if unknown:
            raise ValueError(
                f"{name}: {sorted(map(str, unknown))} not among {list(dtype.categories)}"
            )
        return values.astype(dtype)
    if dtype == INSTANT:
        # SQLite hands back naive UTC; PostgreSQL aware times: both are instants in UTC.
        return pd.to_datetime(column, utc=True).astype(INSTANT)
    if dtype == DAY:
        return pd.to_datetime(column).astype(DAY)
    if dtype == BOOL and column.isna().any():
        raise ValueError(f"{name}: a yes/no column with a missing value")
    if dtype == OBJECT:
        return column.astype(object)
    if dtype == TEXT:
        return column.map(plain).astype(TEXT)
    return column.astype(dtype)


def frame(rows: Iterable[Mapping[str, Any]], schema: Schema) -> pd.DataFrame:
    """Rows (one mapping per row, keyed by column) as a DataFrame with exactly ``schema``'s
    columns and dtypes, also when there are no rows.

    >>> schema = {"title": TEXT, "due": DAY, "rag": ordered(["red", "amber", "green"])}
    >>> frame([], schema).dtypes.astype(str).tolist()
    ['string', 'datetime64[ns]', 'category']
    >>> from datetime import date
    >>> frame([{"title": "Hub", "due": date(2027, 5, 4), "rag": "amber"}], schema)
      title        due    rag
    0   Hub 2027-05-04  amber
    """
    rows = list(rows)
    columns = list(schema)
    if rows and set(rows[0]) != set(columns):
        raise ValueError(
            f"rows have columns {sorted(rows[0])}, the schema {sorted(columns)}"
        )  # a programming error: the schema and the rows have drifted apart
    df = pd.DataFrame(rows, columns=columns)
    for name, dtype in schema.items():
        df[name] = _cast(df[name], dtype, name)
    return df
