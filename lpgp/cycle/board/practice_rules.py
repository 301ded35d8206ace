"""Practices, the rules (pure): a practice as a file or a form describes it, and the diff an
import of a practice list would make; :mod:`lpgp.cycle.board.practice` stores the practices and
PCNs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from lpgp.model import Practice


@dataclass(frozen=True)
class PracticeInput:
    """A practice as a file or a form describes it, already validated."""

    ods_code: str
    name: str
    pcn: str | None = None
    list_size: int | None = None
    list_size_as_of: date | None = None
    email: str | None = None
    pcn_code: str | None = None
    postcode: str | None = None


@dataclass(frozen=True)
class Change:
    """One practice whose details differ, field by field (old, new)."""

    ods_code: str
    fields: dict[str, tuple[object, object]]


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    added: tuple[str, ...] = ()
    changed: tuple[Change, ...] = ()
    deactivated: tuple[str, ...] = ()
    reactivated: tuple[str, ...] = ()
    unchanged: int = 0
    dry_run: bool = False
    notes: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        """One line a person can read.

        >>> ImportReport(added=("Z99001",), unchanged=3).summary()
        'added 1, changed 0, deactivated 0, reactivated 0, unchanged 3'
        """
        text = (
            f"added {len(self.added)}, changed {len(self.changed)}, "
            f"deactivated {len(self.deactivated)}, reactivated {len(self.reactivated)}, "
            f"unchanged {self.unchanged}"
        )
        return ("dry run, nothing written: would have " + text) if self.dry_run else text


COMPARED = ("name", "pcn", "list_size", "list_size_as_of", "email")


def plan_import(
    existing: list[Practice], incoming: list[PracticeInput], *, deactivate_missing: bool = True
) -> ImportReport:
    """Compare a place's practices with an incoming list: a pure rule, no store.

    >>> old = [Practice(1, 1, "Z99001", "Mill Lane", None, 5000, None, None)]
    >>> new = [PracticeInput("Z99001", "Mill Lane Surgery", list_size=5000)]
    >>> plan_import(old, new).changed[0].fields
    {'name': ('Mill Lane', 'Mill Lane Surgery')}
    """
    by_code = {p.ods_code: p for p in existing}
    added, changed, reactivated = [], [], []
    unchanged = 0
    for item in incoming:
        old = by_code.get(item.ods_code)
        if old is None:
            added.append(item.ods_code)
            continue
        diffs = {}
        for name in COMPARED:
            before, after = getattr(old, name), getattr(item, name)
            if name == "list_size_as_of" and item.list_size is None:
                continue
            if name in ("list_size", "email") and after is None:
                continue
            if before != after:
                diffs[name] = (before, after)
        if not old.active:
            reactivated.append(item.ods_code)
        if diffs:
            changed.append(Change(item.ods_code, diffs))
        elif old.active:
            unchanged += 1
    incoming_codes = {i.ods_code for i in incoming}
    deactivated = (
        [p.ods_code for p in existing if p.active and p.ods_code not in incoming_codes]
        if deactivate_missing
        else []
    )
    return ImportReport(
        added=tuple(added),
        changed=tuple(changed),
        deactivated=tuple(sorted(deactivated)),
        reactivated=tuple(reactivated),
        unchanged=unchanged,
    )


@dataclass(frozen=True)
class ListSizeRecord:
    """One practice's list size on one date, as the history keeps it."""

    ods_code: str
    practice: str
    as_of: date
    list_size: int
    source: str
    recorded_at: datetime
