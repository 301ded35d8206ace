"""Cross-check against the peer library pref_voting on thousands of random tie-free profiles.

Profiles are random complete rankings (no ties within ballots) with an odd number of voters.
Only profiles without ties in the count are compared: pref_voting finds a single winner and
lpgp broke no tie (the peer drops everyone tied for last in a runoff round at once, lpgp breaks
such a tie by its stated chain).
"""

from __future__ import annotations

import numpy as np
import pytest
from pref_voting.iterative_methods import instant_runoff
from pref_voting.margin_based_methods import beat_path
from pref_voting.profiles import Profile
from pref_voting.profiles_with_ties import ProfileWithTies
from pref_voting.scoring_methods import borda

from lpgp import voting

PEERS = {
    "schulze": beat_path,
    # pref_voting's "marginal" Borda (sum of margins) ranks complete ballots exactly as
    # positional Borda does, and spares the test a long numba compilation.
    "borda": lambda profile: borda(profile, algorithm="marginal"),
    "irv": instant_runoff,
}


@pytest.mark.parametrize("method", list(PEERS))
def test_winners_agree_with_pref_voting(method: str) -> None:
    rng = np.random.default_rng(20270301)
    compared = 0
    for _ in range(1500):
        m = int(rng.integers(3, 7))
        n = int(rng.integers(2, 20)) * 2 + 1
        rankings = [rng.permutation(m).tolist() for _ in range(n)]
        peer = PEERS[method](Profile(rankings))
        if len(peer) != 1:
            continue
        ours = voting.tally(method, rankings, candidates=list(range(m)))
        if ours.tie_breaks:  # e.g. a tie for last place in a runoff round
            continue
        assert ours.winners == (peer[0],), rankings
        compared += 1
    assert compared > 700


def test_truncated_ballots_schulze_matches_winning_votes() -> None:
    # With unfinished ballots, winning votes and margins can differ: compare with the peer's
    # Schulze measured by support (winning votes), unranked candidates below ranked ones.
    rng = np.random.default_rng(7)
    compared = 0
    for _ in range(400):
        m = int(rng.integers(3, 6))
        n = int(rng.integers(3, 15))
        rankings = [rng.permutation(m)[: int(rng.integers(1, m + 1))].tolist() for _ in range(n)]
        prof = ProfileWithTies(
            [{c: i + 1 for i, c in enumerate(r)} for r in rankings], candidates=list(range(m))
        )
        prof.use_extended_strict_preference()
        peer = beat_path(prof, strength_function=prof.support)
        if len(peer) != 1:
            continue
        assert voting.tally("schulze", rankings, candidates=list(range(m))).winners == (peer[0],)
        compared += 1
    assert compared > 200
