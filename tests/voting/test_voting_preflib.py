"""PrefLib files: the Debian elections recounted with Schulze, and files written and read back.

tests/data/preflib/debian/SOURCE.md describes the files (PrefLib dataset 00002, unmodified)
and the declared winners. PrefLib's .soi cannot hold Debian's equal ranks, so in 2003 and 2006
plain Schulze on the file differs from the declared winner; those two are checked as plain
Schulze counts against pref_voting instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pref_voting.margin_based_methods import beat_path
from pref_voting.profiles_with_ties import ProfileWithTies

from lpgp import voting
from lpgp.errors import InvalidInput
from lpgp.voting import preflib

DEBIAN = Path(__file__).parents[1] / "data" / "preflib" / "debian"

DECLARED = {
    "00002-00000001.soi": "Bdale Garbee",
    "00002-00000003.soi": "Branden Robinson",
    "00002-00000005.soi": "Sam Hocevar",
    "00002-00000006.soi": "Stefano Zacchiroli",
    "00002-00000007.soi": "Stefano Zacchiroli",
    "00002-00000008.soi": "Swirl",
}
PLAIN = ["00002-00000002.soi", "00002-00000004.soi"]


def _count(name: str):
    election = preflib.read(DEBIAN / name)
    assert sum(election.counts) == int(election.metadata["NUMBER VOTERS"])
    assert len(election.ballots) == int(election.metadata["NUMBER UNIQUE ORDERS"])
    return election, voting.tally("schulze", election.expanded(), candidates=election.candidates)


@pytest.mark.parametrize(("name", "winner"), DECLARED.items())
def test_debian_declared_winners(name: str, winner: str) -> None:
    _, result = _count(name)
    assert result.winners == (winner,)


@pytest.mark.parametrize("name", PLAIN)
def test_debian_plain_schulze_matches_pref_voting(name: str) -> None:
    election, result = _count(name)
    prof = ProfileWithTies(
        [{c: i + 1 for i, c in enumerate(b)} for b in election.ballots],
        rcounts=list(election.counts),
        candidates=list(election.candidates),
    )
    prof.use_extended_strict_preference()
    assert [*result.winners] == beat_path(prof, strength_function=prof.support)


def test_counts_as_weights_give_the_same_ranking() -> None:
    election = preflib.read(DEBIAN / "00002-00000006.soi")
    weighted = voting.tally(
        "schulze", election.ballots, candidates=election.candidates, weights=election.counts
    )
    _, expanded = _count("00002-00000006.soi")
    assert weighted.ranking == expanded.ranking


@pytest.mark.parametrize("suffix", [".soi", ".toi"])
def test_ranked_round_trip(tmp_path: Path, suffix: str) -> None:
    ballots = [("b", "a"), ("b", "a"), ("c",), ()]
    path = preflib.write(tmp_path / f"vote{suffix}", ["a", "b", "c"], ballots, title="Test")
    back = preflib.read(path)
    assert back.candidates == ("a", "b", "c")
    assert sorted(back.expanded()) == sorted(ballots)
    assert f"# FILE NAME: vote{suffix}" in path.read_text()


def test_approval_round_trip(tmp_path: Path) -> None:
    ballots = [frozenset({"a", "c"}), frozenset({"a", "c"}), frozenset(), frozenset({"b"})]
    path = preflib.write(tmp_path / "vote.cat", ["a", "b", "c"], ballots, kind="approval")
    text = path.read_text()
    assert "2: {1,3},{2}" in text and "1: {},{1,2,3}" in text
    back = preflib.read(path)
    assert back.kind == "approval"
    assert sorted(back.expanded(), key=sorted) == sorted(ballots, key=sorted)


def test_toi_ties_only_at_the_end() -> None:
    head = "# ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 2: b\n# ALTERNATIVE NAME 3: c\n"
    ok = preflib.parse(head + "2: 1,{2,3}\n", ".toi")
    assert ok.ballots == (("a",),)
    with pytest.raises(InvalidInput, match="line 4: alternatives 1, 2 share a rank"):
        preflib.parse(head + "2: {1,2},3\n", ".toi")
    with pytest.raises(InvalidInput, match="alternative 9 has no name"):
        preflib.parse(head + "1: 9\n", ".soi")
    with pytest.raises(InvalidInput, match="expected 'count: ballot'"):
        preflib.parse(head + "1,2\n", ".soi")
