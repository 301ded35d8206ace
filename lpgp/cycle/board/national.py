"""Build or refresh a place's practices from the national files, in one transaction.

The readers and the pure planner live in :mod:`lpgp.cycle.board.national_files` and
:mod:`lpgp.cycle.board.national_rules`; this module joins them to the store. A refresh plans inside
the same transaction that writes, so what is written is exactly what was shown. A practice closed in
the ODS file is deactivated, never deleted. Votes freeze their electorate when they open, so a
refresh never changes a vote already open. Every list size a refresh writes is also kept in the
practice's list-size history under the source "national"
(:func:`lpgp.cycle.board.practice.list_size_history`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from lpgp import audit
from lpgp.cycle.board.national_files import (
    ListSizes,
    OdsPractices,
    PcnMembership,
    read_codes,
    read_list_sizes,
    read_ods_practices,
    read_pcn_membership,
)
from lpgp.cycle.board.national_rules import NationalPlan, Selection, plan_national
from lpgp.cycle.board.place import get_place
from lpgp.cycle.board.practice import deactivate_practice, import_practices, list_practices
from lpgp.errors import StateError
from lpgp.model import Place
from lpgp.store import Store
from lpgp.store.schema import PcnRow

HISTORY_SOURCE = "national"


class NationalFilesWarning(UserWarning):
    """The national files were read and can be applied, but something about them is worth a
    look (files from different months, bad rows set aside for practices outside the place)."""


@dataclass(frozen=True)
class NationalFiles:
    """The three national files of one month, read and validated."""

    sizes: ListSizes
    pcns: PcnMembership
    practices: OdsPractices

    def describe(self) -> list[str]:
        """What was read from each file, one line each."""
        return [self.sizes.describe(), self.pcns.describe(), self.practices.describe()]

    def sources(self) -> str:
        return ", ".join((self.sizes.source, self.pcns.source, self.practices.source))


def read_national(sizes: str | Path, pcns: str | Path, practices: str | Path) -> NationalFiles:
    """Read all three files; any one in the wrong layout refuses the lot, naming it."""
    return NationalFiles(
        read_list_sizes(sizes), read_pcn_membership(pcns), read_ods_practices(practices)
    )


def selection(
    sub_icb: list[str] | tuple[str, ...] | str | None = None,
    pcn: list[str] | tuple[str, ...] | str | None = None,
    codes: str | Path | list[str] | tuple[str, ...] | None = None,
) -> Selection:
    """A :class:`Selection` from Sub-ICB codes, PCN codes, or ODS codes (a list or a file)."""

    def many(value: list[str] | tuple[str, ...] | str | None) -> tuple[str, ...]:
        return (value,) if isinstance(value, str) else tuple(value or ())

    if isinstance(codes, str | Path):
        listed: tuple[str, ...] = read_codes(codes)
    else:
        listed = tuple(codes or ())
    return Selection.of(many(sub_icb), many(pcn), listed)


def refresh(
    session: Session,
    place: Place,
    files: NationalFiles,
    chosen: Selection,
    *,
    apply: bool = False,
    actor: str | None = None,
) -> NationalPlan:
    """Plan the refresh against the place's practices and, with ``apply``, write it.

    Runs inside the caller's transaction: without ``apply`` it only reads.
    """
    actor = audit.acting(actor)
    existing = list_practices(session, place)
    pcn_names = {
        row.code: row.name
        for row in session.scalars(select(PcnRow).where(PcnRow.place_id == place.id))
        if row.code is not None
    }
    plan = plan_national(files.sizes, files.pcns, files.practices, chosen, existing, pcn_names)
    if not apply:
        return plan
    if plan.warning:
        raise StateError(plan.warning)
    import_practices(
        session,
        place,
        list(plan.incoming),
        deactivate_missing=False,
        actor=actor,
        source=files.sources(),
        list_size_source=HISTORY_SOURCE,
    )
    for code in plan.deactivate:
        deactivate_practice(session, place, code, actor=actor)
    audit.record(
        session,
        place.id,
        actor,
        "practices.national_refresh",
        {
            "extract_date": plan.extract_date.isoformat(),
            "sizes_layout": plan.sizes_layout,
            "selection": plan.selection,
            "files": files.sources(),
            "changes": [[f.ods_code, f.change] for f in plan.findings],
            "warnings": list(plan.warnings),
        },
    )
    return plan


def refresh_place(
    store: Store,
    place: str | int | None,
    files: NationalFiles,
    chosen: Selection,
    *,
    apply: bool = False,
    actor: str | None = None,
) -> tuple[Place, NationalPlan]:
    """:func:`refresh` for the named place: one transaction with ``apply``, else a read."""
    actor = audit.acting(actor)

    def work(session: Session) -> tuple[Place, NationalPlan]:
        where = get_place(session, place)
        return where, refresh(session, where, files, chosen, apply=apply, actor=actor)

    if apply:
        return store.write(work)
    with store.read() as session:
        return work(session)
