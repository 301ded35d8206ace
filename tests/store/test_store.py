"""The store: migrations, scoping by place, one transaction per change, on every backend."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from lpgp.analyst import board as api
from lpgp.cycle.board import place as places
from lpgp.cycle.board.person import upsert_person
from lpgp.cycle.board.person_rules import PersonInput
from lpgp.cycle.board.practice import import_practices
from lpgp.cycle.board.practice_rules import PracticeInput
from lpgp.errors import InvalidInput, NotFound
from lpgp.model import Role
from lpgp.store import Store, current_revision, heads
from lpgp.store.schema import AuditRow, PracticeRow
from lpgp.store.tables import metadata


def test_migrations_have_a_single_head() -> None:
    assert len(heads()) == 1


def test_migrated_schema_matches_the_models(store: Store) -> None:
    assert current_revision(store) == heads()[0]
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_opening_twice_does_not_migrate_again(store_url: str) -> None:
    if store_url == "sqlite://":
        pytest.skip("a memory store lives in one engine only")
    first = Store(store_url)
    rev = current_revision(first)
    second = Store(store_url)
    assert current_revision(second) == rev
    first.dispose()
    second.dispose()


def _two_places(store: Store):
    def work(s):
        a = places.create_place(s, "Alderley")
        b = places.create_place(s, "Brindle")
        import_practices(s, a, [PracticeInput("Z99001", "A one", "North PCN", 5000)])
        import_practices(s, b, [PracticeInput("Z99002", "B one", "South PCN", 7000)])
        upsert_person(s, a, PersonInput("Dr A", Role.LMC_CHAIR))
        upsert_person(s, b, PersonInput("Dr B", Role.NURSE))
        places.create_cycle(s, a, "2027/28 priorities")
        return a, b

    return store.write(work)


def test_queries_for_one_place_never_return_another_places_rows(store: Store) -> None:
    a, b = _two_places(store)
    assert list(api.practices(place=a.slug, store=store).ods_code) == ["Z99001"]
    assert list(api.practices(place=b.slug, store=store).ods_code) == ["Z99002"]
    assert list(api.people(place=b.slug, store=store).name) == ["Dr B"]
    assert list(api.cycles(place=b.slug, store=store).name) == []
    with store.read() as s, pytest.raises(NotFound):
        places.get_cycle(s, b)
    with store.read() as s, pytest.raises(InvalidInput, match="more than one place"):
        places.get_place(s)


def test_a_failed_change_writes_nothing(store: Store) -> None:
    a, _ = _two_places(store)

    def work(s):
        import_practices(s, a, [PracticeInput("Z99003", "New one", None, 100)])
        raise RuntimeError("boom half-way")

    with pytest.raises(RuntimeError):
        store.write(work)
    with store.read() as s:
        codes = s.scalars(select(PracticeRow.ods_code).order_by(PracticeRow.ods_code)).all()
        audits = s.scalar(select(func.count()).select_from(AuditRow))
    assert codes == ["Z99001", "Z99002"]
    assert audits == 7  # 2 places, 2 imports, 2 people, 1 cycle: none from the failed change


def test_removing_a_practice_deactivates_it(store: Store) -> None:
    a, _ = _two_places(store)
    report = store.write(
        lambda s: import_practices(s, a, [PracticeInput("Z99009", "Other", None, 10)])
    )
    assert report.deactivated == ("Z99001",)
    df = api.practices(place=a.slug, store=store)
    assert dict(zip(df.ods_code, df.active, strict=True)) == {"Z99001": False, "Z99009": True}


def test_a_glance_refuses_to_write(store: Store) -> None:
    """A glance may run outside a transaction, so nothing written through it could be undone:
    it refuses every write, and the store is as it was."""
    from sqlalchemy import insert

    from lpgp.errors import StateError
    from lpgp.store.schema import PlaceRow

    before = api.places(store=store)
    refused = pytest.raises(StateError, match="cannot change")
    with refused, store.read(snapshot=False) as session:
        session.execute(insert(PlaceRow.__table__).values(slug="x", name="X"))
    refused = pytest.raises(StateError, match="cannot change")
    with refused, store.read(snapshot=False) as session:
        session.add(PlaceRow(slug="y", name="Y"))
        session.flush()
    with store.read(snapshot=False) as session:
        assert session.scalar(select(func.count()).select_from(PlaceRow)) == len(before)
    assert api.places(store=store).equals(before)


def test_a_glance_on_postgresql_holds_no_transaction(pg_url: str) -> None:
    """``read(snapshot=False)`` (the web pages' reads) sends no BEGIN: each statement is its own
    transaction, so ``now()`` moves on between statements; an ordinary read's does not."""
    from sqlalchemy import text

    store = Store(pg_url)
    try:
        same_moment = text("SELECT now() = statement_timestamp()")
        for snapshot, expected in ((True, False), (False, True)):
            with store.read(snapshot=snapshot) as session:
                first = session.scalar(text("SELECT statement_timestamp()"))
                # The database's clock past the first statement: the next one starts later.
                while session.scalar(text("SELECT clock_timestamp()")) <= first:
                    pass
                assert session.scalar(same_moment) is expected, snapshot
    finally:
        store.dispose()
