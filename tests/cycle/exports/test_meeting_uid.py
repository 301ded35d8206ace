"""A meeting's calendar UID: unique across stores, the same in every file made for the meeting,
and, for a meeting from before migration 0011, the UID its invites already went out with.

The old formula, ``meeting-<id>.<place slug>@lpgp``, gives the first meeting of any store's
place "Testshire" the UID ``meeting-1.testshire@lpgp``: that is the collision these tests rule
out for new meetings and keep for old ones.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from icalendar import Calendar
from sqlalchemy import inspect, text

import lpgp
from cycle.exports.store_data import TODAY, build
from lpgp import clock
from lpgp.analyst import exports as api
from lpgp.cycle.agendas import meeting, meeting_rules
from lpgp.cycle.board.place import get_place
from lpgp.store import Store, current_revision
from lpgp.store.db import _script_config

OLD_FORMULA = "meeting-1.testshire@lpgp"  # what both stores' first meeting used to get
RANDOM_UID = re.compile(
    r"meeting-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}@lpgp"
)


def _uids(data: bytes) -> dict[str, str]:
    """Each event's UID by its title, as the icalendar library reads the file."""
    return {
        str(e["SUMMARY"]).removeprefix("Cancelled: "): str(e["UID"])
        for e in Calendar.from_ical(data).walk("VEVENT")
    }


def _stored(store: Store) -> dict[str, str]:
    with store.read() as s:
        return {m.title: m.uid for m in meeting.list_meetings(s, get_place(s, None))}


def test_two_fresh_stores_give_their_first_meetings_different_uids(tmp_path: Path):
    uids = []
    for name in ("one", "two"):
        store = Store(f"sqlite:///{tmp_path / name}.sqlite")
        with clock.frozen(TODAY):
            ids = build(store)
            data = api.invites_file(ids["board"], store=store).data
        assert ids["board"] == 1  # the same id in the same place: the old formula's collision
        (uid,) = _uids(data).values()
        uids.append(uid)
        store.dispose()
    assert uids[0] != uids[1]
    for uid in uids:
        assert RANDOM_UID.fullmatch(uid), uid
        assert uid != OLD_FORMULA


def test_a_meetings_uid_is_the_same_in_every_file_made_for_it(file_store_url: str, tmp_path):
    store = Store(file_store_url)
    with clock.frozen(TODAY):
        ids = build(store)
        stored = _stored(store)
        board = stored["Leadership board"]
        assert RANDOM_UID.fullmatch(board) and len(set(stored.values())) == 2
        seen = [
            _uids(p.read_bytes())["Leadership board"]
            for p in lpgp.export_invites(tmp_path / "folder", store=store)
            if "place-based" not in p.name
        ]
        seen.append(
            _uids(lpgp.export_invites(tmp_path / "one.ics", store=store)[0].read_bytes())[
                "Leadership board"
            ]
        )
        for key in ("all", "next", ids["board"]):
            seen.append(_uids(api.invites_file(key, store=store).data)["Leadership board"])
        # Moved to another day, then cancelled: a new SEQUENCE each time, never a new UID.
        store.write(
            lambda s: meeting.edit_meeting(
                s, get_place(s, None), ids["board"], start=datetime(2027, 1, 12, 14, 0), actor="t"
            )
        )
        seen.append(_uids(api.invites_file(ids["board"], store=store).data)["Leadership board"])
        store.write(
            lambda s: meeting.cancel_meeting(s, get_place(s, None), ids["board"], actor="t")
        )
        gone = api.invites_file(ids["board"], store=store).data
        seen.append(_uids(gone)["Leadership board"])
    assert len(seen) == 8 and set(seen) == {board}
    (event,) = Calendar.from_ical(gone).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 4
    store.dispose()


def _migrate(store: Store, revision: str, how: str = "upgrade") -> None:
    cfg = _script_config()
    cfg.attributes["engine"] = store.engine
    getattr(command, how)(cfg, revision)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, file_store_url: str) -> str:
    return file_store_url if request.param == "sqlite" else request.getfixturevalue("pg_url")


def test_a_meeting_from_before_0011_keeps_the_uid_its_invites_went_out_with(url: str):
    store = Store(url)
    with clock.frozen(TODAY):
        build(store)  # meetings 1 and 2 of Testshire
    _migrate(store, "0010", "downgrade")
    assert current_revision(store) == "0010"
    assert "uid" not in {c["name"] for c in inspect(store.engine).get_columns("meetings")}
    # A meeting added by lpgp as it was at 0010, with no UID column to fill.
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO meetings (place_id, cycle_id, board, title, starts_at, "
                "duration_minutes) SELECT place_id, cycle_id, 'leadership', 'Old board', "
                "starts_at, 60 FROM meetings WHERE id = 1"
            )
        )
        old_id = conn.execute(text("SELECT max(id) FROM meetings")).scalar_one()
    assert old_id == 3
    _migrate(store, "head")
    stored = _stored(store)
    assert stored == {
        "Leadership board": "meeting-1.testshire@lpgp",
        "Place-based partnership board": "meeting-2.testshire@lpgp",
        "Old board": "meeting-3.testshire@lpgp",
    }
    with clock.frozen(TODAY):
        data = api.invites_file("all", store=store).data
        assert _uids(data) == stored  # the files say what the store keeps
        added = store.write(
            lambda s: meeting.add_meeting(
                s,
                get_place(s, None),
                meeting_rules.MeetingInput(
                    meeting_rules.Board.LEADERSHIP, "New board", datetime(2027, 2, 1, 10, 0), 60
                ),
                actor="t",
            )
        )
    assert added.id == 4 and RANDOM_UID.fullmatch(added.uid), added.uid
    store.dispose()
