"""Files and names given to the command line: a folder, a file too large, a control character
in a name or a header. Each gets a clear message, no traceback, nothing written, and no
control character reaches the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tracemalloc
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lpgp import voting
from lpgp.errors import InvalidInput, printable
from lpgp.io.input_file import MAX_IMPORT_BYTES, check_input_file
from lpgp.io.sheets import read_sheet
from lpgp.model import check_text
from lpgp.store import Store

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
PRACTICES = "ODS code,Practice name,PCN,List size\nZ10001,Mill Lane,North,4000\n"


def _unsafe(text: str) -> bool:
    return any(unicodedata.category(c) == "Cc" or c in BIDI for c in text)


def _rows(url: str) -> dict[str, list]:
    from sqlalchemy import inspect, text

    store = Store(url)
    try:
        with store.engine.connect() as conn:
            return {
                name: sorted(map(repr, conn.execute(text(f'SELECT * FROM "{name}"')).all()))
                for name in inspect(conn).get_table_names()
            }
    finally:
        store.dispose()


def _lpgp(*args: str, env_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lpgp", *args],
        capture_output=True,
        env={**os.environ, "LPGP_DATABASE_URL": env_url},
        timeout=120,
    )


@given(st.text())
def test_printable_never_lets_a_control_character_through(text: str) -> None:
    assert not _unsafe(printable(text))
    if not _unsafe(text):
        assert printable(text) == text


@given(st.text())
def test_check_text_refuses_exactly_the_control_characters(text: str) -> None:
    unsafe = _unsafe(text.replace("\t", "").replace("\n", "").replace("\r", ""))
    if unsafe:
        with pytest.raises(InvalidInput) as caught:
            check_text(text, "name")
        assert not _unsafe(str(caught.value))
    else:
        check_text(text, "name")


# ---- a folder, a special file or a file too large -------------------------------------


FOLDER_COMMANDS = [
    ["practices", "import", "{dir}"],
    ["people", "import", "{dir}"],
    ["tally", "{dir}"],
    ["tally", "{dir}/x.soi"],
    ["vote", "recount", "{dir}/x.soi", "--method", "irv"],
    ["vote", "create", "--title", "T", "--method", "irv", "--seats", "1", "--opens",
     "2030-01-01 09:00", "--closes", "2030-01-02 09:00", "--candidates", "{dir}"],
    ["priorities", "confirm", "{dir}"],
    ["actions", "import", "{dir}"],
    ["scores", "import", "{dir}"],
    ["practices", "from-national", "--sizes", "{dir}", "--pcns", "{dir}", "--practices", "{dir}"],
]  # fmt: skip


@pytest.mark.parametrize("args", FOLDER_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_folder_given_as_a_file_is_refused_plainly(cli, tmp_path: Path, args: list) -> None:
    folder = tmp_path / "a-folder"
    (folder / "x.soi").mkdir(parents=True)
    assert cli("init", "--place", "Testford")[0] == 0
    assert cli("cycles", "new", "2027/28")[0] == 0
    before = _rows(os.environ["LPGP_DATABASE_URL"])
    code, out, err = cli(*[a.format(dir=folder) for a in args])
    assert code == 1, (out, err)
    assert "is a folder, not a file" in err
    assert _rows(os.environ["LPGP_DATABASE_URL"]) == before


@pytest.mark.slow  # every command, in a subprocess each
def test_the_command_shows_no_traceback_for_a_folder_or_a_fifo(
    tmp_path: Path, file_store_url: str
) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for args, message in [
        (["practices", "import", str(tmp_path)], b"is a folder, not a file"),
        (["tally", str(tmp_path)], b"is a folder, not a file"),
        (["people", "import", str(fifo)], b"is not a regular file"),
    ]:
        done = _lpgp(*args, env_url=file_store_url)
        assert done.returncode == 1 and message in done.stderr, done.stderr
        assert b"Traceback" not in done.stderr


def test_a_file_over_the_limit_is_refused_before_it_is_read(cli, tmp_path: Path) -> None:
    big = tmp_path / "practices.csv"
    with big.open("wb") as handle:
        handle.write(PRACTICES.encode())
        handle.truncate(50_000_000)  # 50 MB, sparse: costs no disk
    assert cli("init", "--place", "Testford")[0] == 0
    before = _rows(os.environ["LPGP_DATABASE_URL"])
    tracemalloc.start()
    started = time.perf_counter()
    code, _, err = cli("practices", "import", str(big))
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert code == 1 and "the file is 50.0 MB; files to import may be at most 10 MB" in err
    assert elapsed < 5 and peak < 5_000_000  # nothing of the file was read
    assert _rows(os.environ["LPGP_DATABASE_URL"]) == before
    at_limit = tmp_path / "ok.csv"
    with at_limit.open("wb") as handle:
        handle.write(PRACTICES.encode())
    assert check_input_file(at_limit) == at_limit
    os.truncate(at_limit, MAX_IMPORT_BYTES + 1)
    with pytest.raises(InvalidInput, match="at most 10 MB"):
        read_sheet(at_limit)


def test_the_limit_is_stated_in_help(cli) -> None:
    for args in (["practices", "import"], ["people", "import"], ["tally"]):
        code, out, _ = cli(*args, "--help")
        assert code == 0 and "10 MB" in " ".join(out.split()), out


# ---- control characters -------------------------------------------------------------------


@pytest.mark.slow  # every importer, through the CLI
def test_escape_sequences_in_a_header_are_never_echoed(tmp_path: Path, file_store_url) -> None:
    bad = tmp_path / "practices.csv"
    bad.write_bytes(b"ODS code,\x1b]0;pwned\x07Name\x1b[31m\nZ10001,Mill Lane\n")
    assert _lpgp("init", "--place", "Testford", env_url=file_store_url).returncode == 0
    done = _lpgp("practices", "import", str(bad), env_url=file_store_url)
    assert done.returncode == 1
    assert b"\x1b" not in done.stderr and b"\x07" not in done.stderr
    assert b"row 1" in done.stderr and b"\\x1b]0;pwned\\x07Name\\x1b[31m" in done.stderr
    assert b"Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("name", "shown"),
    [("Mill\x1b[2JLane", "\\x1b"), ("Mill\u202eenaL", "\\u202e"), ("Mill\x00", "\\x00")],
)
def test_control_characters_in_a_practice_file_are_refused_with_row_and_column(
    cli, tmp_path: Path, name: str, shown: str
) -> None:
    bad = tmp_path / "practices.csv"
    bad.write_text(PRACTICES + f"Z10002,{name},North,3000\n", encoding="utf-8")
    assert cli("init", "--place", "Testford")[0] == 0
    before = _rows(os.environ["LPGP_DATABASE_URL"])
    code, _, err = cli("practices", "import", str(bad))
    assert code == 1
    assert "row 3, column 'Practice name'" in err and shown in err
    assert not _unsafe(err.replace("\n", ""))
    assert _rows(os.environ["LPGP_DATABASE_URL"]) == before


def test_control_characters_in_names_are_refused_everywhere(cli, tmp_path: Path) -> None:
    assert cli("init", "--place", "Test\x1b[2Jford")[0] == 1
    assert cli("init", "--place", "Testford")[0] == 0
    assert cli("cycles", "new", "2027/28")[0] == 0
    before = _rows(os.environ["LPGP_DATABASE_URL"])
    people = tmp_path / "people.csv"
    people.write_text("Name,Role\nDr A\u2066Person,Nurse\n", encoding="utf-8")
    attempts = [
        ["people", "add", "Dr \x1b[31mRed", "--role", "Nurse"],
        ["people", "add", "Dr Ok", "--role", "Nurse", "--pcn", "North\u202e"],
        ["people", "import", str(people)],
        ["cycles", "new", "2027\x07"],
        ["candidates", "add", "Hub\x1b[0m"],
    ]
    for args in attempts:
        code, out, err = cli(*args)
        assert code == 1 and "control or text-direction character" in err, (args, out, err)
        assert not _unsafe(err.replace("\n", ""))
    assert _rows(os.environ["LPGP_DATABASE_URL"]) == before


def test_control_characters_in_ballot_file_candidates_are_refused(cli, tmp_path: Path) -> None:
    ballots = tmp_path / "ballots.soi"
    ballots.write_text("# ALTERNATIVE NAME 1: A\x1b[2J\n# ALTERNATIVE NAME 2: B\n3: 1,2\n")
    code, _, err = cli("tally", str(ballots), "--method", "irv")
    assert code == 1 and "'A\\x1b[2J' contains a control" in err
    with pytest.raises(InvalidInput, match="control or text-direction"):
        voting.tally("irv", [["A"]], candidates=["A", "B\u2067"])
