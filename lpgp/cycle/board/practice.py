"""Practices and PCNs of a place: listing, importing (with a diff) and deactivating.

A practice is never deleted: one that leaves the list is marked inactive, so past votes still
name it. Every list size an import sets is also kept in the practice's list-size history, one
figure per practice and date, with where it came from (:func:`list_size_history`).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lpgp import audit, clock
from lpgp.cycle.board.practice_rules import ImportReport, ListSizeRecord, PracticeInput, plan_import
from lpgp.errors import NotFound
from lpgp.model import Place, Practice, check_text, normalise_ods
from lpgp.store.schema import PcnRow, PracticeListSizeRow, PracticeRow

IMPORT_SOURCE = "import"


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
    list_size_source: str = IMPORT_SOURCE,
) -> ImportReport:
    """Add, update, reactivate and deactivate practices to match ``incoming``.

    Each list size set is also recorded in the practice's history under ``list_size_source``
    ("import", "national"...), dated by its ``list_size_as_of`` (today's date if it has none).
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
        rows[item.ods_code] = row
    for code in report.deactivated:
        rows[code].active = False
    session.flush()
    sized = [
        (rows[i.ods_code], i.list_size, i.list_size_as_of or clock.today())
        for i in incoming
        if i.list_size is not None
    ]
    record_list_sizes(session, place, sized, list_size_source)
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


def record_list_sizes(
    session: Session,
    place: Place,
    sizes: list[tuple[PracticeRow, int, date]],
    source: str,
) -> None:
    """Keep each (practice, list size, date) in the list-size history: one figure per practice
    and date, so a second one for the same date replaces the first (and says where it came
    from). Runs inside the caller's transaction, so a refused import leaves no history."""
    if not sizes:
        return
    kept = {
        (r.practice_id, r.as_of): r
        for r in session.scalars(
            select(PracticeListSizeRow).where(
                PracticeListSizeRow.place_id == place.id,
                PracticeListSizeRow.practice_id.in_({row.id for row, _, _ in sizes}),
            )
        )
    }
    for row, size, as_of in sizes:
        old = kept.get((row.id, as_of))
        if old is None:
            kept[(row.id, as_of)] = new = PracticeListSizeRow(
                place_id=place.id, practice_id=row.id, as_of=as_of, list_size=size, source=source
            )
            session.add(new)
        elif (old.list_size, old.source) != (size, source):
            old.list_size, old.source, old.recorded_at = size, source, func.now()
    session.flush()


def list_size_history(session: Session, place: Place) -> list[ListSizeRecord]:
    """Every list size the place's practices have had, by ODS code then date (oldest first)."""
    query = (
        select(PracticeListSizeRow, PracticeRow.ods_code, PracticeRow.name)
        .join(PracticeRow, PracticeListSizeRow.practice_id == PracticeRow.id)
        .where(PracticeListSizeRow.place_id == place.id, PracticeRow.place_id == place.id)
        .order_by(PracticeRow.ods_code, PracticeListSizeRow.as_of)
    )
    return [
        ListSizeRecord(code, name, r.as_of, r.list_size, r.source, r.recorded_at)
        for r, code, name in session.execute(query)
    ]


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
