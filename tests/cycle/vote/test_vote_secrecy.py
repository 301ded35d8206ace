"""Secrecy: with every table (and SQLite's rowids), the audit log and the server log, but
without the server key, nobody can tell which practice cast which secret ballot.

Practices cast in a known order, each a ballot no other practice casts, so a link would show.
The attacker tries what a person holding the database would: shared values between a
practice's rows and a ballot's row, and every ordering the file offers (rowid, keys, storage
order) against the order of casting seen in turnout and the audit log.
"""

from __future__ import annotations

import itertools
import json
import logging
import random
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from cycle.vote.conftest import make_setup
from lpgp import audit
from lpgp.cycle.vote import ballot
from lpgp.cycle.vote import vote as votes

CASTERS = 20


def _dump(path: Path) -> dict[str, list[dict]]:
    """Every row of every table, with the rowid wherever SQLite has one."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    out = {}
    for name in tables:
        try:
            rows = conn.execute(f'SELECT rowid AS "__rowid__", * FROM "{name}"').fetchall()
        except sqlite3.OperationalError:  # a WITHOUT ROWID table: storage order is by key
            rows = conn.execute(f'SELECT * FROM "{name}"').fetchall()
        out[name] = [dict(r) for r in rows]
    conn.close()
    return out


def _values(row: dict) -> set[str]:
    found = set()
    for value in row.values():
        if value is None:
            continue
        text = str(value)
        found.add(text)
        found.update(part for part in text.replace('"', " ").replace(",", " ").split() if part)
    return found


def test_no_one_with_the_database_and_logs_can_link_a_practice_to_its_ballot(
    file_store_url: str, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    from lpgp.store import Store

    store = Store(file_store_url)
    setup = make_setup(store, CASTERS + 4)
    v = setup.vote(method="schulze")
    issued = setup.codes(v)
    orders = [list(p) for p in itertools.permutations("ABCDE")]
    cast_order = list(issued)[:CASTERS]
    random.Random(7).shuffle(cast_order)  # arrival order differs from practice order
    truth: dict[str, tuple] = {}
    for i, ods in enumerate(cast_order):
        setup.cast(issued[ods], orders[i])
        truth[ods] = tuple(orders[i])
    for i, ods in enumerate(cast_order[::3]):  # some change their minds, in another order
        setup.cast(issued[ods], orders[100 + i])
        truth[ods] = tuple(orders[100 + i])
    setup.store.write(lambda s: votes.close_vote(s, setup.place, v))
    assert setup.store.write(votes.publish_closed) == [v.id]
    with store.read() as s:
        audit_log = [(e.id, e.at, e.actor, e.action, e.detail) for e in audit.entries(s, 1)]
    store.dispose()

    tables = _dump(Path(make_url(file_store_url).database))
    server_log = "\n".join(r.getMessage() for r in caplog.records)
    ballots = tables["vote_ballots"]
    assert len(ballots) == CASTERS
    content = {b["receipt"]: tuple(json.loads(b["content"])["ballot"]) for b in ballots}

    # 1. No value in a ballot's row appears among one practice's records but not all.
    practice_rows: dict[int, set[str]] = {}
    for p in tables["practices"]:
        practice_rows[p["id"]] = _values(p)
    for table in ("vote_electors", "vote_codes", "vote_turnout"):
        for row in tables[table]:
            practice_rows[row["practice_id"]] |= _values(row)
    by_ods = {p["ods_code"]: p["id"] for p in tables["practices"]}
    for _, at, _actor, _action, detail in audit_log:
        if "practice" in detail:
            practice_rows[by_ods[detail["practice"]]] |= _values({"a": at, "d": detail})
    common = set.intersection(*practice_rows.values())
    for b in ballots:
        shared = {pid for pid, values in practice_rows.items() if (_values(b) - common) & values}
        assert shared == set(), f"ballot {b['receipt']} shares a value with practices {shared}"
    for b in ballots:
        for value in (b["id"], b["receipt"], b["slot"]):
            assert value not in server_log
        assert all(str(value) not in repr(audit_log) for value in (b["id"], b["receipt"]))

    # 2. Orderings: line ballots up against the order of casting and count the hits.
    observed_orders = {
        "turnout table": [
            next(p["ods_code"] for p in tables["practices"] if p["id"] == t["practice_id"])
            for t in tables["vote_turnout"]
        ],
        "first casts in the audit log": list(
            dict.fromkeys(d["practice"] for _, _, _, a, d in audit_log if a.startswith("ballot"))
        ),
    }
    ballot_orders = {"storage order": ballots}
    for column in ("id", "receipt", "slot", "weight"):
        ballot_orders[f"sorted by {column}"] = sorted(ballots, key=lambda b, c=column: b[c])
    assert "__rowid__" not in ballots[0]  # SQLite keeps no arrival order for ballots
    for who_name, who in observed_orders.items():
        for how_name, how in ballot_orders.items():
            hits = sum(
                truth[ods] == content[b["receipt"]] for ods, b in zip(who, how, strict=False)
            )
            # A random pairing of 20 hits about once on average; 8 or more, about once in 100,000.
            assert hits < 8, f"{how_name} lines up with {who_name}: {hits} of {CASTERS}"

    # 3. Nothing else names a ballot: the other tables never carry ballot content or ids.
    for name, rows in tables.items():
        if name == "vote_ballots":
            continue
        text = repr(rows)
        for b in ballots:
            assert b["receipt"] not in text and b["slot"] not in text
    assert ballot.BAD_CODE not in server_log
