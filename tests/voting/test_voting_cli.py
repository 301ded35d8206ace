"""``lpgp tally`` recounts a PrefLib file or a long-format table and prints the explanation."""

from __future__ import annotations

from pathlib import Path

DEBIAN = Path(__file__).parents[1] / "data" / "preflib" / "debian"


def test_tally_a_preflib_file(cli) -> None:
    code, out, _ = cli("tally", str(DEBIAN / "00002-00000006.soi"), "--method", "schulze")
    assert code == 0, out
    assert "Schulze method for 1 place among" in out
    assert "Elected: 'Stefano Zacchiroli'." in out


def test_tally_a_csv_with_weights_and_robustness(cli, tmp_path: Path) -> None:
    table = tmp_path / "ballots.csv"
    table.write_text(
        "Ballot,Candidate,Points,Weight\n"
        'Z99001,access,6,"12,000"\nZ99001,workforce,4,"12,000"\n'
        "Z99002,estates,10,3000\n"
    )
    code, out, err = cli(
        "tally",
        str(table),
        "--method",
        "points",
        "--seats",
        "2",
        "--budget",
        "10",
        "--robustness",
    )
    assert code == 0, err
    assert "1st 'access', 2nd 'workforce'" in out
    assert "Chance of making the list" in out


def test_tally_refuses_a_mismatched_file(cli) -> None:
    code, _, err = cli("tally", str(DEBIAN / "00002-00000001.soi"), "--method", "approval")
    assert code == 1
    assert "holds ranked ballots, but 'approval' counts approval ballots" in err
