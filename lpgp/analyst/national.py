"""The monthly refresh from the national files, for analysts: the diff as a DataFrame.

The readers, the plan and the transaction live in the board step
(:mod:`lpgp.cycle.board.national`); this module is the analyst's door to them.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from lpgp.analyst._common import _store
from lpgp.cycle.board.national import (
    NationalFilesWarning,
    read_national,
    refresh_place,
    selection,
)
from lpgp.store import Store

__all__ = ["national_refresh"]


def national_refresh(
    sizes: str | Path,
    pcns: str | Path,
    practices: str | Path,
    *,
    sub_icb: list[str] | str | None = None,
    pcn: list[str] | str | None = None,
    codes: str | Path | list[str] | None = None,
    apply: bool = False,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """Compare (and with ``apply=True``, refresh) the place's practices with the national files.

    Returns the diff, one row per change: ods_code, name, change, list_size_before (the
    place's now) and list_size_after (what the refresh records, <NA> if none) as Int64, and
    before_text/after_text, the words the command line shows. Its ``attrs`` hold the extract
    date, the list-size layout read, the selection, a summary, ``warning`` (why it cannot be
    applied, if so) and ``warnings`` (worth a look, but applied all the same: files from
    different months, bad rows set aside for practices outside the place), each also raised
    as a :class:`NationalFilesWarning`.

    >>> import lpgp  # doctest: +SKIP
    >>> diff = lpgp.national_refresh("gp-reg-pat-prac-all.csv", "ePCN.xlsx", "epraccur.csv",
    ...                              sub_icb="Z9A")  # doctest: +SKIP
    >>> (diff.list_size_after - diff.list_size_before).sum()  # doctest: +SKIP
    """
    files = read_national(sizes, pcns, practices)
    chosen = selection(sub_icb, pcn, codes)
    _, plan = refresh_place(_store(store), place, files, chosen, apply=apply, actor="analyst")
    for text in plan.warnings:
        warnings.warn(text, NationalFilesWarning, stacklevel=2)
    df = plan.diff()
    df.attrs.update(
        extract_date=plan.extract_date,
        sizes_layout=plan.sizes_layout,
        selection=plan.selection,
        summary=plan.summary(),
        warning=plan.warning,
        warnings=list(plan.warnings),
    )
    return df
