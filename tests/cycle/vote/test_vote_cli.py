"""``lpgp vote``: the whole life of a vote from the command line, and the demo's votes."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest

import lpgp
from cycle.vote.conftest import london
from lpgp.store import default_store


@pytest.mark.slow  # a vote's whole life through the CLI
def test_a_vote_from_the_command_line(cli, tmp_path: Path) -> None:
    candidates = tmp_path / "candidates.csv"
    candidates.write_text(
        "\ufeffTitle,Description,Ask\n"
        "Same-day hub,One hub,Fund it\n"
        "Estates plan,Crowded buildings,A bid\n"
        "Shared workforce,Pooled staff,Host it\n",
        encoding="utf-8",
    )
    assert cli("init", "--place", "Testford")[0] == 0
    practices = tmp_path / "practices.csv"
    practices.write_text(
        "ODS code,Practice name,PCN,List size\n"
        + "".join(f"Z{10001 + i},Practice {i},North,{3000 + i * 500}\n" for i in range(5))
    )
    assert cli("practices", "import", str(practices))[0] == 0
    code, out, err = cli(
        "vote", "create", "--title", "Spring vote", "--method", "approval", "--seats", "1",
        "--opens", london(timedelta(hours=-1)), "--closes", london(timedelta(hours=3)),
        "--candidates", str(candidates), "--seed", "spring",
    )  # fmt: skip
    assert code == 0, err
    assert "Scheduled vote 1" in out and "Tie-break seed: spring" in out
    code, out, err = cli("vote", "codes", "1")
    assert code == 1 and "has not been opened yet" in err
    assert cli("vote", "open", "1")[0] == 0
    mail = tmp_path / "codes.csv"
    code, out, err = cli("vote", "codes", "1", "--out", str(mail), "--base-url", "https://v.x")
    assert code == 0, err
    letters = list(csv.DictReader(io.StringIO(mail.read_text())))
    assert len(letters) == 5 and letters[0]["Link"].startswith("https://v.x/c/")
    assert (mail.stat().st_mode & 0o077) == 0  # only its owner may read it
    code, out, err = cli("vote", "cast", letters[0]["Ballot code"], "A,B")
    assert code == 0 and "Receipt" in out, err
    code, out, err = cli("vote", "cast", letters[1]["Ballot code"], "A,Z")
    assert code == 1 and "'Z' is not a candidate" in err
    code, out, err = cli("vote", "cast", "AAA-BBB", "A")
    assert code == 1 and "not recognised" in err
    code, out, err = cli("vote", "results", "1")
    assert code == 1 and "still open" in err
    code, out, err = cli("vote", "status", "1")
    assert code == 0 and "open until" in out
    code, out, err = cli("vote", "remind", "1")
    assert code == 0 and out.count("Z1000") == 4
    assert cli("vote", "extend", "1", "--closes", london(timedelta(hours=6)))[0] == 0
    assert cli("vote", "close", "1")[0] == 0
    code, out, err = cli("vote", "cast", letters[2]["Ballot code"], "A")
    assert code == 1 and "This vote closed at" in err
    code, out, err = cli("vote", "results", "1")
    assert code == 0 and "Same-day hub" in out, err
    code, out, err = cli("vote", "export", "1", "--as", "preflib")
    assert code == 0 and "# DATA TYPE: cat" in out
    export = tmp_path / "ballots.cat"
    assert cli("vote", "export", "1", "--as", "preflib", "--out", str(export))[0] == 0
    code, out, err = cli("vote", "recount", str(export), "--method", "approval", "--seed", "spring")
    assert code == 0 and "Winners: A" in out
    code, out, err = cli("vote", "list")
    assert code == 0 and "closed" in out


def test_the_demo_has_a_closed_vote_with_results_and_an_open_one(cli) -> None:
    assert cli("demo")[0] == 0
    store = default_store()
    df = lpgp.votes(store=store)
    assert list(df.state) == ["closed", "open"]
    results = lpgp.results(int(df.id[0]), store=store)
    assert results.elected.notna().sum() == 5  # last year's five seats: the list being delivered
    turnout = lpgp.turnout(int(df.id[1]), store=store).attrs["total"]
    assert 0 < turnout["voted"] < turnout["eligible"]
    code, out, err = cli("vote", "results", str(df.id[0]))
    assert code == 0 and "band 1" in out
