"""Switching place: a facilitator of place A cannot switch to place B unless they proved, with
B's sign-in code, that a facilitator's seat there is theirs; the link ends when either code is
reissued. Also migration 0009 (seat links) from the previous head with data in it."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from migrations import migrate_to
from sqlalchemy import inspect, select, text

from lpgp.access import signin
from lpgp.access.place_access import link_seat, switch_place, switchable_places
from lpgp.cycle.board import member_code
from lpgp.cycle.board import place as places
from lpgp.cycle.board.person import (
    add_board_member,
    remove_board_member,
    set_facilitator,
    upsert_person,
)
from lpgp.cycle.board.person_rules import PersonInput
from lpgp.errors import InvalidInput, StateError
from lpgp.model import Role
from lpgp.store import Store, current_revision
from lpgp.store.schema_app import SeatLinkRow, WebSessionRow
from lpgp.store.tables import metadata


def _seat(s, where, name: str, *, facilitator: bool = True, chair: bool = False) -> str:
    upsert_person(s, where, PersonInput(name, Role.LMC_CHAIR), actor="test")
    add_board_member(s, where, name, chair=chair, facilitator=facilitator, actor="test")
    return member_code.issue_code(s, where, name, actor="test").code


@pytest.fixture
def two(store):
    """Places A and B; Dr Ada Field facilitates both (two seats, two codes); B also has its
    own facilitator Dr Ben Rao, and Sam Hale, a member of B who does not facilitate."""

    def work(s):
        a = places.create_place(s, "Aford", actor="test")
        b = places.create_place(s, "Beeton", actor="test")
        codes = {
            "ada_a": _seat(s, a, "Dr Ada Field", chair=True),
            "ada_b": _seat(s, b, "Dr Ada Field"),
            "ben_b": _seat(s, b, "Dr Ben Rao", chair=True),
            "sam_b": _seat(s, b, "Sam Hale", facilitator=False),
        }
        return a, b, codes

    return store.write(work)


def _sign_in(store, code: str) -> tuple[signin.Visitor, str]:
    return store.write(lambda s: signin.sign_in_member(s, code))


def _links(store) -> int:
    with store.read() as s:
        return len(s.scalars(select(SeatLinkRow.id)).all())


def test_a_facilitator_of_a_cannot_switch_to_b(store, two) -> None:
    a, b, codes = two
    ada, token = _sign_in(store, codes["ada_a"])
    with store.read() as s:
        # The same name facilitates in B, but nothing proves it is the same person.
        assert switchable_places(s, ada) == [a]
    with pytest.raises(StateError, match="You are not a facilitator of Beeton"):
        store.write(lambda s: switch_place(s, token, b.slug, actor=ada.actor))
    with store.read() as s:
        assert signin.visitor_for_token(s, token).place == a


def test_link_by_code_then_switch_and_back(store, two) -> None:
    a, b, codes = two
    ada, token = _sign_in(store, codes["ada_a"])
    for code, message in [
        ("", "sign-in code for the other place: type the code"),
        ("AAA-BBB-CCC", "sign-in code for the other place: that code was not recognised"),
        (codes["ada_a"], "sign-in code for the other place: that is a code for Aford"),
        (codes["sam_b"], "sign-in code for the other place: Sam Hale is on the Beeton board but"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            store.write(lambda s, c=code: link_seat(s, ada, c, actor=ada.actor))
        assert str(refused.value).startswith(message)
    assert _links(store) == 0

    assert store.write(lambda s: link_seat(s, ada, codes["ada_b"], actor=ada.actor)) == b
    assert store.write(lambda s: link_seat(s, ada, codes["ada_b"], actor=ada.actor)) == b
    assert _links(store) == 1  # linking twice keeps one link
    with store.read() as s:
        assert switchable_places(s, ada) == [a, b]

    there = store.write(lambda s: switch_place(s, token, b.slug, actor=ada.actor))
    assert (there.place, there.subject, there.is_facilitator) == (b, "Dr Ada Field", True)
    with store.read() as s:
        assert signin.visitor_for_token(s, token) == there  # the same cookie, now in B
        assert switchable_places(s, there) == [b, a]
    back = store.write(lambda s: switch_place(s, token, a.id, actor=there.actor))
    assert back == ada


def test_reissuing_either_code_undoes_the_link(store, two) -> None:
    a, b, codes = two
    ada, token = _sign_in(store, codes["ada_a"])
    store.write(lambda s: link_seat(s, ada, codes["ada_b"], actor=ada.actor))
    # Another facilitator of B reissues Dr Ada Field's code there: the link no longer holds.
    store.write(lambda s: member_code.issue_code(s, b, "Dr Ada Field", actor="member:Dr Ben Rao"))
    with store.read() as s:
        assert switchable_places(s, ada) == [a]
    with pytest.raises(StateError, match="You are not a facilitator of Beeton"):
        store.write(lambda s: switch_place(s, token, b.slug, actor=ada.actor))


def test_a_seat_that_stops_facilitating_or_leaves_is_not_offered(store, two) -> None:
    a, b, codes = two
    ada, token = _sign_in(store, codes["ada_a"])
    store.write(lambda s: link_seat(s, ada, codes["ada_b"], actor=ada.actor))
    store.write(lambda s: set_facilitator(s, b, "Dr Ada Field", False, actor="test"))
    with store.read() as s:
        assert switchable_places(s, ada) == [a]
    store.write(lambda s: remove_board_member(s, b, "Dr Ada Field", actor="test"))
    assert _links(store) == 0
    with store.read() as s:
        assert switchable_places(s, ada) == [a]
        assert s.scalars(select(WebSessionRow.place_id)).all() == [a.id]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, file_store_url: str) -> str:
    return file_store_url if request.param == "sqlite" else request.getfixturevalue("pg_url")


@pytest.mark.slow  # migrates a filled store
def test_migration_0009_adds_seat_links_to_a_store_with_data(url: str) -> None:
    from lpgp import codes
    from lpgp.demo import load_demo

    codes.create_key()
    store = Store(url)
    load_demo(store)
    migrate_to(store, "0008", "downgrade")
    assert current_revision(store) == "0008"
    assert "seat_links" not in inspect(store.engine).get_table_names()
    with store.engine.connect() as conn:
        people = conn.execute(text("SELECT count(*) FROM board_members")).scalar_one()
    migrate_to(store, "0009")
    assert current_revision(store) == "0009"
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert [d for d in diff if "seat_links" in repr(d)] == []
        assert conn.execute(text("SELECT count(*) FROM board_members")).scalar_one() == people

    # The new table works: a demo facilitator links a seat in a second place.
    def work(s):
        demo = places.get_place(s, "haverbrook")
        other = places.create_place(s, "Otherfield", actor="test")
        return (
            demo,
            _seat(s, other, "Dr Amara Okafor", chair=True),
            member_code.issue_code(s, demo, "Dr Amara Okafor", actor="test").code,
        )

    demo, other_code, own = store.write(work)
    who, _ = _sign_in(store, own)
    store.write(lambda s: link_seat(s, who, other_code, actor="test"))
    assert _links(store) == 1
    migrate_to(store, "0008", "downgrade")
    assert "seat_links" not in inspect(store.engine).get_table_names()
    store.dispose()
