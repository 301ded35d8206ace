"""The store's one metadata holds every table the migrations make, however lpgp is imported.

Each capability's tables live in their own module and join the metadata when it is imported;
``lpgp.store.tables`` imports them all. If it did not, a memory store made in a process that
had not happened to import, say, the shortlist's tables could not resolve a vote's foreign key
to a candidate. So this runs in a fresh process, and the expected tables come from the Alembic
migrations, not from the metadata under test.
"""

from __future__ import annotations

import json
import subprocess
import sys

import sqlalchemy as sa
from migrations import migrate_to

from lpgp.store import Store


def _fresh(code: str) -> object:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(done.stdout)


def test_the_metadata_has_every_migrated_table_in_a_fresh_process(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    store = Store(url, migrate=False)
    migrate_to(store, "head")
    store.dispose()
    migrated = set(sa.inspect(sa.create_engine(url)).get_table_names()) - {"alembic_version"}
    assert {"practices", "candidates", "votes", "actions", "web_sessions"} <= migrated

    in_metadata = _fresh(
        "import json; from lpgp.store.tables import metadata; "
        "print(json.dumps(sorted(metadata.tables)))"
    )
    assert set(in_metadata) == migrated
