"""After close: results, published ballots, PrefLib exports recounted by another library."""

from __future__ import annotations

import csv
import io
import random

import pytest
from paths import DATA
from pref_voting.iterative_methods import instant_runoff
from pref_voting.margin_based_methods import beat_path
from pref_voting.profiles import Profile

import lpgp
from cycle.vote.conftest import TEXTS
from lpgp import voting
from lpgp.cycle.vote import ballot, recount, recount_rules
from lpgp.cycle.vote import vote as votes
from lpgp.errors import InvalidInput, StateError

DEBIAN = DATA / "preflib" / "debian"
KEYS = list("ABCDE")


def _closed(setup, method, ballots_by_ods, **kw):
    v = setup.vote(method=method, **kw)
    issued = setup.codes(v)
    receipts = {ods: setup.cast(issued[ods], b).receipt for ods, b in ballots_by_ods.items()}
    setup.store.write(lambda s: votes.close_vote(s, setup.place, v))
    return v, receipts


def _full_rankings(seed: int, n: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    return {f"Z{10001 + i}": rng.sample(KEYS, len(KEYS)) for i in range(n)}


@pytest.mark.parametrize("method, peer", [("schulze", beat_path), ("irv", instant_runoff)])
def test_a_preflib_export_recounted_by_pref_voting_gives_the_same_winner(
    mem_setup, tmp_path, method, peer
) -> None:
    # The first ballots (from a fixed seed) whose count needs no tie-break by either library.
    for seed in range(100):
        rankings = _full_rankings(seed, 11)
        ours = voting.tally(method, list(rankings.values()), candidates=KEYS)
        if (
            not ours.tie_breaks
            and len(peer(Profile([[KEYS.index(k) for k in r] for r in rankings.values()]))) == 1
        ):
            break
    v, _ = _closed(mem_setup, method, rankings, seats=1)
    with mem_setup.store.read() as s:
        outcome = recount.results(s, v)
        text = recount.preflib_text(s, v)
    assert outcome.result.tie_breaks == ()
    path = tmp_path / "ballots.soi"
    path.write_text(text)
    profile = Profile.read(str(path), file_format="preflib")
    assert profile.num_voters == 11
    theirs = [KEYS[c] for c in peer(profile)]
    assert theirs == list(outcome.result.winners)
    assert recount.count_file(path, method, seed=v.seed).winners == outcome.result.winners


def test_published_csv_can_be_recounted_by_hand_and_receipts_find_ballots(mem_setup) -> None:
    rng = random.Random(5)
    cast = {f"Z{10001 + i}": sorted(rng.sample(KEYS, rng.randint(1, 3))) for i in range(10)}
    v, receipts = _closed(mem_setup, "approval", cast, seats=2)
    with mem_setup.store.read() as s:
        first = recount.published_csv(s, v)
        second = recount.published_csv(s, v)
    df = lpgp.results(v.id, store=mem_setup.store)
    rows = list(csv.DictReader(io.StringIO(first)))
    assert list(rows[0]) == ["Receipt", "Weight", *KEYS]  # secret: no practice columns
    by_receipt = {r["Receipt"]: r for r in rows}
    for ods, receipt in receipts.items():
        approved = sorted(k for k in KEYS if by_receipt[receipt][k] == "1")
        assert approved == cast[ods]
    totals = {k: sum(int(r[k]) for r in rows) for k in KEYS}
    assert dict(zip(df.key, df.score, strict=True)) == totals
    top = sorted(KEYS, key=lambda k: -totals[k])[:2]
    assert set(df[df.elected.notna()].key) == set(top)
    assert first != second or len(rows) < 3  # freshly shuffled each time


def test_named_ballots_are_visible_and_secret_ones_never_by_practice(mem_setup) -> None:
    named, _ = _closed(mem_setup, "approval", {"Z10001": ["A"], "Z10002": ["B", "C"]},
                       secret=False, title="Named")  # fmt: skip
    secret, _ = _closed(mem_setup, "approval", {"Z10001": ["A"]}, title="Secret")
    df = lpgp.ballots(named.id, store=mem_setup.store)
    assert list(df.ods_code) == ["Z10001", "Z10002"]
    assert list(df.ballot) == [["A"], ["B", "C"]]
    with pytest.raises(StateError, match="secret ballot"):
        lpgp.ballots(secret.id, store=mem_setup.store)
    with mem_setup.store.read() as s:
        assert "ODS code" in recount.published_csv(s, named).splitlines()[0]


def test_nothing_is_counted_or_published_before_close(mem_setup) -> None:
    v = mem_setup.vote()
    mem_setup.cast(mem_setup.codes(v)["Z10001"], ["A"])
    with pytest.raises(StateError, match="still open"):
        lpgp.results(v.id, store=mem_setup.store)
    with pytest.raises(StateError), mem_setup.store.read() as s:
        recount.published_csv(s, v)
    turnout = lpgp.turnout(v.id, store=mem_setup.store)
    assert turnout.attrs["total"]["voted"] == 1 and turnout.voted.sum() == 1


def test_the_pcn_breakdown_is_withheld_where_fewer_than_three_voted(mem_setup) -> None:
    # PCNs cycle North, South, East, West over Z10001..Z10012.
    cast = {"Z10001": ["A"], "Z10005": ["A"], "Z10009": ["B"], "Z10002": ["C"], "Z10006": ["C"]}
    v, _ = _closed(mem_setup, "approval", cast, seats=1)
    with mem_setup.store.read() as s:
        outcome = recount.results(s, v)
    by = {p.pcn: p for p in outcome.by_pcn}
    assert by["North PCN"].voted == 3 and by["North PCN"].winners == ("A",)
    assert by["South PCN"].winners == () and "fewer than 3" in by["South PCN"].note
    assert set(by) == {"North PCN", "South PCN"}


def test_weighted_and_points_votes_are_published_as_csv_only(mem_setup) -> None:
    weighted, _ = _closed(mem_setup, "schulze", {"Z10001": KEYS}, weighting="list_size",
                          title="Weighted")  # fmt: skip
    points, _ = _closed(mem_setup, "points", {"Z10001": {"A": 6, "B": 4}}, budget=10,
                        title="Points")  # fmt: skip
    with mem_setup.store.read() as s:
        with pytest.raises(InvalidInput, match="cannot hold weights"):
            recount.preflib_text(s, weighted)
        with pytest.raises(InvalidInput, match="no format"):
            recount.preflib_text(s, points)
        rows = list(csv.reader(io.StringIO(recount.published_csv(s, points))))
    assert rows[1][2:] == ["6", "4", "0", "0", "0"]


def _runoff_by_hand(rankings: list[list[str]]) -> list[dict[str, int]]:
    """Instant runoff counted the plain way: first preferences among those still in, the
    last one out each round (these ballots have no tie for last)."""
    rounds, left = [], list(KEYS)
    while len(left) > 1:
        counts = {k: sum(next(c for c in r if c in left) == k for r in rankings) for k in left}
        rounds.append(counts)
        lowest = sorted(counts.values())
        assert lowest[0] < lowest[1], "a tie for last: choose other ballots"
        if max(counts.values()) * 2 > len(rankings):
            break
        left.remove(min(counts, key=counts.get))
    return rounds


def test_charts_suit_the_method_and_draw_the_count(mem_setup) -> None:
    rankings = _full_rankings(3, 9)
    schulze, _ = _closed(mem_setup, "schulze", rankings, title="S")
    irv, _ = _closed(mem_setup, "irv", rankings, title="I")
    with mem_setup.store.read() as s:
        by_schulze = recount.results(s, schulze)
        by_irv = recount.results(s, irv)
        schulze_charts = recount_rules.charts(by_schulze)
        irv_charts = recount_rules.charts(by_irv)
    assert set(schulze_charts) == {"scores", "pairwise"}
    assert set(irv_charts) == {"scores", "rounds"}

    # Head to head: how many ballots rank the row's candidate above the column's.
    ballots = list(rankings.values())
    above = [[sum(r.index(a) < r.index(b) for r in ballots) if a != b else 0 for b in KEYS]
             for a in KEYS]  # fmt: skip
    (grid,) = schulze_charts["pairwise"].axes[0].get_images()
    assert grid.get_array().tolist() == above
    titles = {t.key: t.title for t in TEXTS}
    for ticks in (schulze_charts["pairwise"].axes[0].get_yticklabels(),
                  schulze_charts["pairwise"].axes[0].get_xticklabels()):  # fmt: skip
        assert [t.get_text().replace("\n", " ") for t in ticks] == [titles[k] for k in KEYS]

    # Instant runoff: one group of bars per round, a bar per candidate still in.
    rounds = _runoff_by_hand(ballots)
    drawn = [p.get_width() for p in irv_charts["rounds"].axes[0].patches]
    assert drawn == [n for counts in rounds for n in counts.values()]
    named = [t.get_text() for t in irv_charts["rounds"].axes[0].get_yticklabels()]
    assert named == [titles[k] for k in rounds[0]]  # each candidate by its title

    # Scores: a bar per candidate, named by title, lowest at the bottom, as the count says.
    for outcome, figure in ((by_schulze, schulze_charts), (by_irv, irv_charts)):
        ax = figure["scores"].axes[0]
        shown = {
            label.get_text(): bar.get_width()
            for label, bar in zip(ax.get_yticklabels(), ax.patches, strict=True)
        }
        assert shown == {titles[k]: v for k, v in outcome.result.scores.items()}
        widths = [bar.get_width() for bar in ax.patches]
        assert widths == sorted(widths)


def test_a_real_published_election_can_be_counted(tmp_path) -> None:
    # Debian Project Leader 2007 (PrefLib 00002-00000005): declared winner Sam Hocevar.
    result = recount.count_file(DEBIAN / "00002-00000005.soi", "schulze")
    assert result.winners == ("Sam Hocevar",)
    with pytest.raises(InvalidInput, match="does not count"):
        recount.count_file(DEBIAN / "00002-00000005.soi", "approval")


def test_the_receipt_a_practice_gets_is_its_published_ballot(mem_setup) -> None:
    v = mem_setup.vote(method="borda")
    code = mem_setup.codes(v)["Z10003"]
    receipt = mem_setup.cast(code, ["C", "A"]).receipt
    mem_setup.store.write(lambda s: votes.close_vote(s, mem_setup.place, v))
    with mem_setup.store.read() as s:
        published = recount.published_ballots(s, v)
        form = ballot.ballot_form(s, ballot.voter_for_code(s, code))
    assert [b.ballot for b in published if b.receipt == receipt] == [["C", "A"]]
    assert form.state == "closed" and form.receipt == receipt
