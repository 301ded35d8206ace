"""Read a file of ballots for a recount: a PrefLib file or a long-format CSV/XLSX table.

A long-format table has one row per mark: a ballot id, a candidate and its rank, ``approved``
(yes/no) or points, with an optional weight column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from lpgp.errors import InvalidInput
from lpgp.io.sheets import read_sheet
from lpgp.voting import ballot_kind, preflib


@dataclass(frozen=True)
class BallotFile:
    """Candidates in shortlist order (or file order), and the ballots as tally() takes them."""

    source: str
    candidates: tuple[Any, ...]
    ballots: Any


def read_ballot_file(
    path: str | Path, method_id: str, candidates: list[str] | None = None
) -> BallotFile:
    """Read ``path`` for counting by ``method_id``; ``candidates`` overrides the file's order."""
    path = Path(path)
    kind = ballot_kind(method_id)
    if path.suffix.lower() in preflib.RANKED_SUFFIXES + (".cat",):
        election = preflib.read(path)
        if election.kind != kind:
            raise InvalidInput(
                f"{path.name}: holds {election.kind} ballots, "
                f"but '{method_id}' counts {kind} ballots"
            )
        return BallotFile(path.name, tuple(candidates or election.candidates), election.expanded())
    sheet = read_sheet(path)
    frame = pd.DataFrame([values for _, values in sheet.rows], columns=list(sheet.headers))
    weight = next((c for c in frame.columns if c.strip().lower() == "weight"), None)
    if weight is not None:
        frame[weight] = [
            _number(v, path.name, row)
            for (row, _), v in zip(sheet.rows, frame[weight], strict=True)
        ]
    if candidates is None:
        column = next(
            (c for c in frame.columns if c.strip().lower() in ("candidate", "candidate id")), None
        )
        if column is None:
            raise InvalidInput(f"{path.name}: no 'candidate' column")
        candidates = list(dict.fromkeys(v for v in frame[column] if v))
    return BallotFile(path.name, tuple(candidates), frame)


def _number(text: str, source: str, row: int) -> float:
    try:
        value = float(text.replace(",", "").strip())
    except ValueError:
        raise InvalidInput(f"{source}: row {row}: weight '{text}' is not a number") from None
    return int(value) if value.is_integer() else value
