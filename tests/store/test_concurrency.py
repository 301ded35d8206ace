"""Separate processes writing to one SQLite file at once: nothing lost, nothing corrupted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from paths import ROOT
from sqlalchemy import text

from lpgp.analyst import board as api
from lpgp.cycle.board import place as places
from lpgp.store import Store

WRITER = r"""
import sys
from lpgp.cycle.board import place as places
from lpgp.model import Role
from lpgp.cycle.board.person import PersonInput, upsert_person
from lpgp.cycle.board.practice import PracticeInput, import_practices
from lpgp.store import Store

url, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = Store(url)
for i in range(n):
    def work(s, i=i):
        place = places.get_place(s, "testshire")
        upsert_person(s, place, PersonInput(f"{tag} person {i}", Role.OTHER))
        # every writer also re-imports the shared practice list with its own size for Z99001
        import_practices(
            s, place, [PracticeInput("Z99001", "Shared Surgery", None, 1000 + i)],
            deactivate_missing=False,
        )
    store.write(work)
print("done", tag)
"""


@pytest.mark.slow  # separate processes
def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    store = Store(url)
    store.write(lambda s: places.create_place(s, "Testshire"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, tag, "40"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("alpha", "beta")
    ]
    outputs = [p.communicate(timeout=180) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert out.startswith("done")
    names = set(api.people(place="testshire", store=store).name)
    expected = {f"{tag} person {i}" for tag in ("alpha", "beta") for i in range(40)}
    assert names == expected
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        audits = conn.execute(text("select count(*) from audit_log")).scalar()
    assert audits == 1 + 2 * 40 * 2  # the place, then a person and an import per write
    assert api.practices(place="testshire", store=store).list_size.iloc[0] == 1039
