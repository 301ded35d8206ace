"""The README's instructions work as a newcomer reads them: the delivery commands run as written,
in order, on a fresh store; the columns it says each import needs are the ones the importers
ask for; and the monthly refresh from a spreadsheet does what it says.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from lpgp.cycle.actions.action_list import parse_actions
from lpgp.cycle.agendas.agenda_list import parse_agenda
from lpgp.cycle.agreed.priority_list import parse_priorities
from lpgp.cycle.board.people_list import parse_people
from lpgp.cycle.board.practice_list import parse_practices
from lpgp.cycle.shortlist.score_sheet import parse_score_sheet
from lpgp.cycle.shortlist.scoring_rules import DEFAULT_CRITERIA
from lpgp.cycle.vote.vote_candidates import parse_candidates
from lpgp.errors import ImportRejected
from lpgp.io.sheets import table_from_records

README = (Path(__file__).parents[1] / "README.md").read_text("utf-8")


def section(title: str) -> str:
    """The text of one ``## title`` section of the README."""
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.S | re.M)
    assert found, title
    return found[1]


def commands(block: str) -> list[list[str]]:
    """The commands of a ```bash block, one a line, comments dropped."""
    return [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]


def bash_blocks(text: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", text, re.S)


def lpgp(argv: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    """Run one README command as a user would, in ``folder``, on the store in its data/."""
    assert argv[0] == "lpgp", argv
    env = {**os.environ, "LPGP_DATA_DIR": str(folder / "data"), "COLUMNS": "100"}
    for name in ("LPGP_DATABASE_URL", "LPGP_NOW", "LPGP_PLACE", "LPGP_SERVER_KEY_FILE"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "lpgp", *argv[1:]],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow  # a dozen lpgp processes, one after another
def test_the_delivery_commands_run_as_written_in_order_on_a_fresh_store(tmp_path: Path):
    delivering = section("Delivering the agreed list")
    # The set-up the section names: the lines of "Your own place" that need no file.
    own = commands(bash_blocks(section("Your own place"))[0])
    setup = [c for c in own if c[:2] in (["lpgp", "init"], ["lpgp", "cycles"])]
    assert [c[1] for c in setup] == ["init", "cycles"]
    named = [shlex.split(code) for code in re.findall(r"`(lpgp [^`]+)`", delivering)]
    assert all(c in named for c in setup)
    # The files, as the section shows them.
    files = re.findall(r"^`([\w.]+\.csv)`[^\n]*\n\n```csv\n(.*?)```", delivering, re.S | re.M)
    assert [name for name, _ in files] == ["agreed.csv", "actions.csv"]
    for name, content in files:
        (tmp_path / name).write_text(content, encoding="utf-8")
    steps = commands(bash_blocks(delivering)[0])
    assert len(steps) == 12
    said = []
    for argv in setup + steps:
        done = lpgp(argv, tmp_path)
        assert done.returncode == 0, (argv, done.stdout, done.stderr)
        said.append(done.stdout)
    out = "\n".join(said)
    # What each step should say, worked out from the two files by hand.
    for line in (
        "Confirmed 2 priorities for '2027/28 priorities':",
        "  1. Same-day hub for the whole place (lead: Dr A Person)",
        "actions.csv: 3 actions are ready to import; nothing was written",
        "actions.csv: added 3 actions",
        "Action 2: at risk, due 2027-02-26, RAG amber",
        "Added meeting 1: Place partnership board, Tue 17 Nov 2026 10:00 (London), 90 minutes",
        "Logged: ask agreed on 2026-11-17",
        "Added meeting 2: GP board, Tue 08 Jun 2027 14:00 (London), 120 minutes",
        "Wrote agenda.pdf",
    ):
        assert line in out.splitlines(), line
    pages = PdfReader(tmp_path / "agenda.pdf").pages
    first = " ".join(pages[0].extract_text().split())
    assert "GP board" in first and "Anytown · 2027/28 priorities" in first
    assert "Priority 1: Same-day hub for the whole place" in first
    assert sorted(p.name for p in (tmp_path / "invites").iterdir()) == [
        "2026-11-17-place-partnership-board.ics",
        "2027-06-08-gp-board.ics",
        "2027-28-priorities.ics",
    ]


def _needed(row: str) -> list[str]:
    """The column names a row of the README's table puts in bold."""
    columns = row.split(" | ")[1]
    return re.findall(r"\*\*([^*]+)\*\*", columns)


def test_the_readme_names_the_columns_each_import_needs():
    table = section("Your own place").split("### The columns each file needs", 1)[1]
    rows = {
        re.match(r"\| ([\w ]+) \(", line)[1]: line
        for line in table.splitlines()
        if line.startswith("| ") and "(`lpgp" in line
    }
    assert sorted(rows) == sorted(
        [
            "Practices",
            "People",
            "Scores",
            "Vote candidates",
            "Agreed list",
            "Actions",
            "Agenda items",
            "Ballots",
        ]
    )
    # A file with none of the columns: each importer lists every column it needs.
    empty = table_from_records("x.csv", [["Something else"], ["x"]])
    readers = {
        "Practices": lambda: parse_practices(empty, as_of=date(2026, 11, 1)),
        "People": lambda: parse_people(empty),
        "Scores": lambda: parse_score_sheet(empty, {}, {}, DEFAULT_CRITERIA),
        "Vote candidates": lambda: parse_candidates(empty),
        "Agreed list": lambda: parse_priorities(empty),
        "Actions": lambda: parse_actions(empty, [], []),
        "Agenda items": lambda: parse_agenda(empty, [], []),
    }
    for name, read in readers.items():
        with pytest.raises(ImportRejected) as refused:
            read()
        asked = [
            re.search(r"expected one of: ([^,)]+)", p.reason)[1]
            for p in refused.value.problems
            if p.reason.startswith("no column for")
        ]
        assert asked == _needed(rows[name]), name
    # Hand-worked for the README's own example values.
    assert _needed(rows["Actions"]) == ["Priority", "Action", "Owner", "Due"]
    assert _needed(rows["Ballots"]) == ["Ballot", "Candidate", "Rank", "Approved", "Points"]


def test_a_ballot_table_with_the_readmes_other_headings_is_counted(tmp_path: Path):
    # Two ballots put A first and one puts B first: A beats B 2 to 1 head to head, so by
    # winning votes the path A->B is 2 strong and B has no winning link back (0).
    table = tmp_path / "ballots.csv"
    table.write_text(
        "Ballot id,Candidate id,Rank\n1,A,1\n1,B,2\n2,A,1\n2,B,2\n3,B,1\n3,A,2\n", "utf-8"
    )
    done = lpgp(["lpgp", "tally", str(table), "--method", "schulze"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Elected: 'A'." in done.stdout.splitlines(), done.stdout
    assert "'A' beats 1 candidate by strongest paths: 'B' 2 to 0." in done.stdout.splitlines()


@pytest.mark.slow  # five lpgp processes
def test_the_monthly_refresh_from_a_spreadsheet_does_what_the_readme_says(tmp_path: Path):
    refresh = section("Monthly refresh from your own spreadsheet")
    steps = commands(bash_blocks(refresh)[0])
    assert [argv[-1] for argv in steps] == ["--dry-run", "2026-11-01"]
    assert all(argv[:4] == ["lpgp", "practices", "import", "practices.xlsx"] for argv in steps)
    assert lpgp(["lpgp", "init", "--place", "Anytown"], tmp_path).returncode == 0
    october = "ODS code,Name,List size\nZ99001,Mill Lane,5000\nZ99002,Dale,4000\nZ99003,Hill,3000\n"
    (tmp_path / "october.csv").write_text(october, "utf-8")
    first = ["lpgp", "practices", "import", "october.csv", "--as-of", "2026-10-01"]
    assert lpgp(first, tmp_path).returncode == 0
    # November: Mill Lane's size moves, Dale's is left blank, Hill has gone, and one row brings
    # its own extract date.
    november = (
        "ODS code,Name,List size,Extract date\nZ99001,Mill Lane,5100,\nZ99002,Dale,,\n"
        "Z99004,New Town,2000,2026-10-15\n"
    )
    from openpyxl import Workbook

    book = Workbook()
    for line in november.splitlines():
        book.active.append(line.split(","))
    book.save(tmp_path / "practices.xlsx")
    for argv in steps:
        done = lpgp(argv, tmp_path)
        assert done.returncode == 0, (argv, done.stderr)
    listed = lpgp(["lpgp", "practices", "list", "--all", "--format", "csv"], tmp_path).stdout
    rows = {line.split(",")[0]: line.split(",") for line in listed.splitlines()[1:]}
    header = listed.splitlines()[0].split(",")
    size, when, active = (header.index(c) for c in ("list_size", "list_size_as_of", "active"))
    assert {code: (r[size], r[when], r[active]) for code, r in rows.items()} == {
        "Z99001": ("5100", "2026-11-01", "True"),
        "Z99002": ("4000", "2026-10-01", "True"),  # no size in November: October's kept
        "Z99003": ("3000", "2026-10-01", "False"),  # missing from the file: deactivated
        "Z99004": ("2000", "2026-10-15", "True"),  # its own date wins over --as-of
    }


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, re.S)


# Runs the README's analyst block one statement at a time, as an analyst would type it, and
# says what each gave: a frame's rows, or the value.
_ANALYST = """
import ast, sys, warnings
warnings.simplefilter("error", DeprecationWarning)  # the README shows no deprecated call
import pandas as pd
block = sys.stdin.read()
names = {}
for node in ast.parse(block).body:
    code = ast.get_source_segment(block, node)
    if isinstance(node, ast.Expr):
        value = eval(compile(ast.Expression(node.value), "<README>", "eval"), names)
        shown = f"{len(value)} rows" if isinstance(value, pd.DataFrame | pd.Series) else repr(value)
        print(f"{code.split('  #')[0].strip()} -> {shown}")
    else:
        exec(compile(ast.Module([node], []), "<README>", "exec"), names)
"""


@pytest.mark.slow  # builds the demo place
def test_the_analysts_block_runs_on_the_demo(tmp_path: Path):
    block = python_blocks(section("For analysts"))[0]
    assert block.startswith("import lpgp\n")
    data = tmp_path / "data"
    env = {**os.environ, "LPGP_DATA_DIR": str(data), "COLUMNS": "100"}
    env["LPGP_DATABASE_URL"] = f"sqlite:///{data / 'lpgp.sqlite'}"
    for name in ("LPGP_NOW", "LPGP_PLACE", "LPGP_SERVER_KEY_FILE"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "lpgp", "demo"], cwd=tmp_path, env=env, capture_output=True
    )
    assert done.returncode == 0, done.stderr
    ran = subprocess.run(
        [sys.executable, "-c", _ANALYST],
        input=block,
        cwd=tmp_path,  # the block's own store URL, sqlite:///data/lpgp.sqlite, is relative
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr
    said = dict(line.rsplit(" -> ", 1) for line in ran.stdout.splitlines())
    # Every line of the block gave something (41 practices in 6 PCNs and none; vote 1 closed).
    assert said["lpgp.practices()"] == "41 rows"
    assert said['lpgp.practices().groupby("pcn", dropna=False).list_size.sum()'] == "7 rows"
    assert said["lpgp.turnout(1)"] == "7 rows"
    assert said["lpgp.practice_turnout(1)"] == "41 rows"
    assert said['lpgp.agenda("General practice leadership board").attrs["warning"]'] == "None"
    assert said['lpgp.practices(place="haverbrook", store="sqlite:///data/lpgp.sqlite")'] == (
        "41 rows"
    )
    assert "'eligible': 41" in said['lpgp.turnout(1).attrs["total"]']
    empty = [code for code, shown in said.items() if shown == "0 rows"]
    assert empty == []
    lines = [line for line in block.splitlines() if line.strip() and line != "import lpgp"]
    assert len(said) == len(lines)
