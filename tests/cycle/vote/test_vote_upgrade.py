"""A store made before ballots were sealed (migration head 0005), with open and closed secret
votes in it, is upgraded: the open votes' ballots sealed, the closed ones' rewritten in a
random order with fresh ids, and no readable old copy left in the store's files."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import secrets
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from cycle.vote.conftest import Setup, practices
from lpgp import codes, config
from lpgp.cycle.vote import ballot, electorate, recount, vote_rules
from lpgp.cycle.vote import vote as votes
from lpgp.store import Store
from lpgp.store.db import _script_config
from lpgp.store.schema_vote import VoteBallotRow, VoteSealedBallotRow

CHOICES = [["A"], ["B", "C"], ["A", "D", "E"], ["C"], ["B", "E"], ["D"]]


def _old_store(url: str) -> Store:
    store = Store(url, migrate=False)
    codes.create_key()  # the previous version made its key when first needed
    cfg = _script_config()
    cfg.attributes["engine"] = store.engine
    command.upgrade(cfg, "0005")
    return store


def _old_setup(store: Store) -> Setup:
    """Twelve practices in a store at 0005. Their list sizes are left out: today's import
    would also record them in a table (``practice_list_sizes``) that 0005 has not got, and
    these votes count one practice, one vote."""
    from lpgp.cycle.board import place as places
    from lpgp.cycle.board.practice import import_practices

    def work(s):
        place = places.create_place(s, "Testford")
        sizeless = [dataclasses.replace(p, list_size=None) for p in practices(12)]
        import_practices(s, place, sizeless)
        return place

    return Setup(store, store.write(work))


def _old_slot(vote_id: int, practice_id: int) -> str:
    """The slot the previous version gave a practice's ballot, as it documented it: an
    HMAC-SHA-256 under the server key of "derive:ballot-slot:<vote>:<practice>", in hex."""
    key = config.server_key_file().read_bytes().strip()
    label = f"derive:ballot-slot:{vote_id}:{practice_id}".encode()
    return hmac.new(key, label, hashlib.sha256).hexdigest()


def _cast_the_old_way(store: Store, vote: vote_rules.Vote) -> dict[int, tuple[str, list[str]]]:
    """Plain ballot rows as the previous version wrote them, in casting order."""
    cast = {}
    with store.read() as s:
        voters = electorate.electors(s, vote)[: len(CHOICES)]
    with store.engine.begin() as conn:
        for e, choice in zip(voters, CHOICES, strict=True):
            receipt = ballot.new_receipt()
            conn.execute(
                text(
                    "INSERT INTO vote_ballots (id, place_id, vote_id, slot, receipt, content, "
                    "weight, practice_id) VALUES (:id, :place, :vote, :slot, :receipt, :content, "
                    "1.0, :practice)"
                ),
                {
                    "id": secrets.token_hex(16),
                    "place": vote.place_id,
                    "vote": vote.id,
                    "slot": _old_slot(vote.id, e.practice_id),
                    "receipt": receipt,
                    "content": json.dumps({"ballot": choice}),
                    "practice": None if vote.secret else e.practice_id,
                },
            )
            conn.execute(
                text(
                    "INSERT INTO vote_turnout (vote_id, practice_id, place_id) "
                    "VALUES (:vote, :practice, :place)"
                ),
                {"vote": vote.id, "practice": e.practice_id, "place": vote.place_id},
            )
            cast[e.practice_id] = (receipt, choice)
    return cast


def _file_bytes(url: str) -> bytes:
    path = Path(make_url(url).database)
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _pg_raw(url: str) -> bytes:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    found = b""
    with engine.connect() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
        for table in ("vote_ballots", "vote_sealed_ballots"):
            blocks = int(conn.scalar(text(f"SELECT pg_relation_size('{table}') / 8192")))
            for block in range(blocks):
                page = conn.scalar(text("SELECT get_raw_page(:t, :b)"), {"t": table, "b": block})
                found += bytes(page)
    engine.dispose()
    return found


@pytest.mark.parametrize("backend", ["sqlite-file", "postgresql"])
def test_an_old_store_is_sealed_on_upgrade(backend: str, request, tmp_path: Path) -> None:
    if backend == "sqlite-file":
        url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    else:
        url = request.getfixturevalue("pg_url")
    old = _old_store(url)
    setup = _old_setup(old)
    open_vote = setup.vote(method="approval", title="Still open")
    shut_vote = setup.vote(method="approval", title="Closed before")
    named_vote = setup.vote(method="approval", title="Named", secret=False)
    letters = old.write(lambda s: ballot.issue_codes(s, open_vote))
    open_cast = _cast_the_old_way(old, open_vote)
    shut_cast = _cast_the_old_way(old, shut_vote)
    named_cast = _cast_the_old_way(old, named_vote)
    with old.engine.begin() as conn:  # closed by the previous version
        conn.execute(
            text("UPDATE votes SET status = 'closed', closed_at = opened_at WHERE id = :v"),
            {"v": shut_vote.id},
        )
    with old.read() as s:
        shut_ids = set(s.scalars(select(VoteBallotRow.id).where(VoteBallotRow.vote_id == 2)))
    old.dispose()

    store = Store(url)  # upgrades to the newest schema
    # No readable copy of the open vote's plain rows is left anywhere in the store's files.
    raw = _file_bytes(url) if backend == "sqlite-file" else _pg_raw(url)
    assert [r for r, _ in open_cast.values() if r.encode() in raw] == []
    with store.read() as s:
        plain = s.execute(
            select(VoteBallotRow.id, VoteBallotRow.vote_id, VoteBallotRow.practice_id)
        ).all()
        sealed = s.execute(select(VoteSealedBallotRow.sealed)).all()
    # The open vote's ballots are sealed, all of one length, and nothing of them is plain.
    assert {b.vote_id for b in plain} == {shut_vote.id, named_vote.id}
    assert len(sealed) == len(CHOICES) and len({len(b.sealed) for b in sealed}) == 1
    # The closed vote's ballots have new ids; the named vote's are as they were.
    assert not shut_ids & {b.id for b in plain if b.vote_id == shut_vote.id}
    assert {b.practice_id for b in plain if b.vote_id == named_vote.id} == set(named_cast)
    # Each practice still finds its ballot and receipt; the counts are what was cast.
    by_ods = {x.ods_code: x.code for x in letters}
    with store.read() as s:
        for e in electorate.electors(s, open_vote)[: len(CHOICES)]:
            form = ballot.ballot_form(s, ballot.voter_for_code(s, by_ods[e.ods_code]))
            assert (form.receipt, form.current) == open_cast[e.practice_id]
        shut = recount.published_ballots(s, shut_vote)
    assert sorted((b.receipt, b.ballot) for b in shut) == sorted(shut_cast.values())
    store.write(lambda s: votes.close_vote(s, setup.place, open_vote))
    with store.read() as s:
        now_shut = recount.published_ballots(s, open_vote)
    assert sorted((b.receipt, b.ballot) for b in now_shut) == sorted(open_cast.values())
    store.dispose()


def test_new_store_files_and_backups_are_readable_by_their_owner_only(file_setup) -> None:
    from lpgp import backup

    path = Path(make_url(file_setup.store.url).database)
    v = file_setup.vote()
    file_setup.cast(file_setup.codes(v)["Z10001"], ["A"])
    done = backup.backup(file_setup.store, path.parent / "copy.sqlite")
    for made in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), done.path):
        assert made.stat().st_mode & 0o077 == 0, f"{made.name} is readable by others"
