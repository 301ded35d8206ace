"""Practices and PCNs of a place: listing, importing (with a diff) and deactivating.

A practice is never deleted: one that leaves the list is marked inactive, so past votes still
name it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .errors import NotFound
from .model import Place, Practice, check_text, normalise_ods
from .store.schema import PcnRow, PracticeRow


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


def ensure_pcn(session: Session, place: Place, name: str, code: str | None = None) -> PcnRow:
    """The place's PCN called ``name``, added if new (its code filled in when given)."""
    row = session.scalar(select(PcnRow).where(PcnRow.place_id == place.id, PcnRow.name == name))
    if row is None:
        row = PcnRow(place_id=place.id, name=name, code=code)
        session.add(row)
        session.flush()
    elif code and row.code != code:
        row.code = code
    return row


def _practice(row: PracticeRow, pcn_name: str | None) -> Practice:
    return Practice(
        id=row.id,
        place_id=row.place_id,
        ods_code=row.ods_code,
        name=row.name,
        pcn=pcn_name,
        list_size=row.list_size,
        list_size_as_of=row.list_size_as_of,
        email=row.email,
        active=row.active,
    )


def list_practices(session: Session, place: Place, *, active_only: bool = False) -> list[Practice]:
    """The place's practices, by ODS code."""
    query = (
        select(PracticeRow, PcnRow.name)
        .outerjoin(PcnRow, PracticeRow.pcn_id == PcnRow.id)
        .where(PracticeRow.place_id == place.id)
        .order_by(PracticeRow.ods_code)
    )
    if active_only:
        query = query.where(PracticeRow.active)
    return [_practice(row, pcn) for row, pcn in session.execute(query)]


def get_practice(session: Session, place: Place, ods_code: str) -> Practice:
    """One practice of the place by ODS code."""
    code = normalise_ods(ods_code)
    for p in list_practices(session, place):
        if p.ods_code == code:
            return p
    raise NotFound(f"{place.name} has no practice {code}")


def import_practices(
    session: Session,
    place: Place,
    incoming: list[PracticeInput],
    *,
    dry_run: bool = False,
    deactivate_missing: bool = True,
    actor: str | None = None,
    source: str = "",
) -> ImportReport:
    """Add, update, reactivate and deactivate practices to match ``incoming``.

    Runs inside the caller's transaction; with ``dry_run`` it reports without writing.
    """
    actor = audit.acting(actor)
    for item in incoming:
        check_text(item.name, f"{item.ods_code}: practice name")
        check_text(item.pcn, f"{item.ods_code}: PCN")
    existing = list_practices(session, place)
    report = plan_import(existing, incoming, deactivate_missing=deactivate_missing)
    if dry_run:
        return ImportReport(**{**report.__dict__, "dry_run": True})
    rows = {
        r.ods_code: r
        for r in session.scalars(select(PracticeRow).where(PracticeRow.place_id == place.id))
    }
    for item in incoming:
        pcn_id = ensure_pcn(session, place, item.pcn, item.pcn_code).id if item.pcn else None
        row = rows.get(item.ods_code)
        if row is None:
            row = PracticeRow(place_id=place.id, ods_code=item.ods_code)
            session.add(row)
        row.name = item.name
        row.pcn_id = pcn_id
        if item.list_size is not None:
            row.list_size = item.list_size
            row.list_size_as_of = item.list_size_as_of
        if item.email is not None:
            row.email = item.email
        if item.postcode is not None:
            row.postcode = item.postcode
        row.active = True
    for code in report.deactivated:
        rows[code].active = False
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "practices.imported",
        {
            "source": source,
            "added": list(report.added),
            "changed": [c.ods_code for c in report.changed],
            "deactivated": list(report.deactivated),
            "reactivated": list(report.reactivated),
        },
    )
    return report


def deactivate_practice(
    session: Session, place: Place, ods_code: str, *, actor: str | None = None
) -> None:
    """Mark a practice inactive (it stays in the store and in past votes)."""
    actor = audit.acting(actor)
    code = normalise_ods(ods_code)
    row = session.scalar(
        select(PracticeRow).where(PracticeRow.place_id == place.id, PracticeRow.ods_code == code)
    )
    if row is None:
        raise NotFound(f"{place.name} has no practice {code}")
    row.active = False
    audit.record(session, place.id, actor, "practice.deactivated", {"ods_code": code})
