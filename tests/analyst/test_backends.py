"""The frames read the same from PostgreSQL as from SQLite: the demo, built on each with the
clock fixed, gives equal frames (PostgreSQL hands back aware times, SQLite naive UTC)."""

from __future__ import annotations

import pandas as pd
import pytest

import lpgp
from analyst.conftest import NOW
from lpgp.demo import load_demo
from lpgp.demo.vote import LAST_YEAR_VOTE
from lpgp.store import Store

THIS_YEAR_VOTE = "2027/28 practice vote"
FRAMES = [
    ("practices", ()),
    ("people", ()),
    ("board", ()),
    ("cycles", ()),
    ("candidates", ()),
    ("scores", ()),
    ("score_summary", ()),
    ("interests", ()),
    ("votes", ()),
    ("turnout", (THIS_YEAR_VOTE,)),
    ("practice_turnout", (THIS_YEAR_VOTE,)),
    ("practice_turnout", (LAST_YEAR_VOTE,)),
    ("results", (LAST_YEAR_VOTE,)),
    ("priorities", ()),
    ("actions", ()),
    ("action_updates", ()),
    ("asks", ()),
    ("ask_events", ()),
    ("meetings", ()),
    ("decisions", ()),
    ("agenda", ("Haverbrook place partnership board",)),
]


@pytest.mark.postgres
def test_the_frames_read_the_same_on_postgresql(
    pg_url: str, demo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LPGP_NOW", NOW)
    postgres = Store(pg_url)
    load_demo(postgres)
    try:
        for name, args in FRAMES:
            sqlite = getattr(lpgp, name)(*args)
            pd.testing.assert_frame_equal(getattr(lpgp, name)(*args, store=postgres), sqlite)
        ours = lpgp.published_ballots(LAST_YEAR_VOTE, store=postgres)
        theirs = lpgp.published_ballots(LAST_YEAR_VOTE)
        assert sorted(ours.weight) == sorted(theirs.weight)  # receipts are random
    finally:
        postgres.dispose()
