"""Demo step: Haverbrook's practice votes.

Last year's vote ("2026/27 priorities", secret, ranked, counted by Schulze, five seats) closed
four months ago; its winners, in order, are the agreed list being delivered (see
:mod:`lpgp.demo.delivery`). This year's vote on the fixed shortlist (or, where no shortlist is
fixed, on the texts below) opened two days ago and about half the practices have voted; it is
named, so each practice's choices will be public after it closes. Dates follow
``clock.today()``. The codes issued here are thrown away, as real codes would be once mailed:
reissue one with ``lpgp vote codes VOTE --reissue ODS`` to try the ballot page.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from lpgp import clock
from lpgp.cycle.board import place as places
from lpgp.cycle.candidates.candidate import add_candidate
from lpgp.cycle.candidates.candidate_rules import CandidateInput
from lpgp.cycle.shortlist.shortlist import fix_shortlist
from lpgp.cycle.vote import ballot, vote_rules
from lpgp.cycle.vote import vote as votes
from lpgp.errors import LpgpError

if TYPE_CHECKING:
    from lpgp.demo import DemoContext

ACTOR = "demo"

LAST_YEAR_CYCLE = "2026/27 priorities"
LAST_YEAR_VOTE = "2026/27 practice vote"
# Last year's candidates: the first five won and are the list being delivered now.
LAST_YEAR = (
    vote_rules.CandidateText(
        "A",
        "Same-day care hub for the whole place",
        "An evening hub that any practice can book a patient into once its own same-day "
        "slots are gone.",
        "Fund a same-day hub open into the evening that every practice can book into when its "
        "own same-day slots are full",
    ),
    vote_rules.CandidateText(
        "B",
        "Urgent home visiting service",
        "A paramedic and advanced practitioner team that makes urgent visits on the day.",
        "Community services to run a paramedic and advanced practitioner team for urgent "
        "on-the-day home visits, reporting back to the patient's practice",
    ),
    vote_rules.CandidateText(
        "C",
        "Shared supervision for new roles",
        "Clinical supervisors shared across PCNs for pharmacists, paramedics and physios.",
        "Let PCNs pool their additional-roles money to employ shared clinical supervisors",
    ),
    vote_rules.CandidateText(
        "D",
        "Stop work moving from hospital to practices",
        "Hospital clinicians order and chase their own tests, fit notes and discharge "
        "prescriptions.",
        "The acute trust to follow the interface agreement: its clinicians order and chase "
        "their own tests, issue fit notes and prescribe at discharge",
    ),
    vote_rules.CandidateText(
        "E",
        "Room for PCN teams",
        "Clinical rooms in public buildings for the PCNs' growing teams.",
        "The council and the ICB to offer clinical rooms in public buildings to PCNs",
    ),
    vote_rules.CandidateText(
        "F",
        "Frailty care planned once, shared by all",
        "One care plan for a frail patient that the practice, community team and hospital "
        "all read and update.",
        "The community trust gives practices read and write access to its frailty records.",
    ),
    vote_rules.CandidateText(
        "G",
        "Practice managers in the room",
        "Practice managers take part when the place board plans anything that lands in "
        "practices.",
        "The place board reserves a seat for a practice manager nominated by this board.",
    ),
)

THIS_YEAR = (
    vote_rules.CandidateText(
        "A",
        "A resilience fund run by practices",
        "Money for struggling practices held by the federation, so help arrives within weeks.",
        "The ICB moves its practice resilience budget into a federation-held fund.",
    ),
    vote_rules.CandidateText(
        "B",
        "A GP co-lead for every neighbourhood team",
        "Every integrated neighbourhood team has a GP who helps lead it.",
        "The place board funds protected time for one GP co-lead per team.",
    ),
    vote_rules.CandidateText(
        "C",
        "Test results handled by whoever ordered them",
        "Stop results of hospital-ordered tests landing in practice inboxes.",
        "The acute trust makes the requesting clinician responsible for results and follow-up.",
    ),
    vote_rules.CandidateText(
        "D",
        "A shared bank for hard-to-find staff",
        "One bank of practice nurses and pharmacists that every practice can draw on.",
        "The ICB pays for the bank's coordinator for its first two years.",
    ),
)


def _london(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0))


def _ranked(rng: random.Random, keys: list[str], taste: list[float]) -> list[str]:
    """A ranking drawn around a shared taste, so the result is clear but not unanimous."""
    noisy = {k: taste[i] + rng.gauss(0, 1.2) for i, k in enumerate(keys)}
    order = sorted(keys, key=lambda k: -noisy[k])
    return order[: rng.choice([3, 4, 5, 5, 5])]


def _last_year(ctx: DemoContext, rng: random.Random) -> None:
    """Last year's cycle: its candidates, and the vote on them that closed four months ago."""
    today = clock.today()
    opened = today - timedelta(days=130)
    closed = today - timedelta(days=120)
    with clock.frozen(_london(opened - timedelta(days=20), 10)):
        cycle = places.create_cycle(
            ctx.session, ctx.place, LAST_YEAR_CYCLE, current=False, actor=ACTOR
        )
        texts = []
        for text in LAST_YEAR:
            made = add_candidate(
                ctx.session,
                ctx.place,
                cycle,
                CandidateInput(text.title, text.description, text.ask),
                actor=ACTOR,
            )
            texts.append(replace(text, candidate_id=made.id))
        # The board put all seven to the practices.
        fix_shortlist(
            ctx.session,
            ctx.place,
            cycle,
            [t.candidate_id for t in texts if t.candidate_id is not None],
            note="All seven candidates go to the practices' vote.",
            actor=ACTOR,
        )
    with clock.frozen(_london(opened - timedelta(days=3), 10)):
        v = votes.create_vote(
            ctx.session, ctx.place, title=LAST_YEAR_VOTE, method="schulze", seats=5,
            opens=_london(opened, 9), closes=_london(closed, 17), candidates=texts,
            cycle=cycle, weighting="list_size", secret=True, seed="haverbrook-2026",
            actor=ACTOR,
        )  # fmt: skip
    with clock.frozen(_london(opened, 9)):
        v = votes.open_vote(ctx.session, ctx.place, v, actor=ACTOR)
        letters = ballot.issue_codes(ctx.session, v, actor=ACTOR)
    keys = [c.key for c in LAST_YEAR]
    taste = [2.4, 1.9, 1.1, 2.1, 0.9, -0.6, -0.9]
    voters = [x for x in letters if rng.random() < 0.85]
    for i, letter in enumerate(voters):
        moment = _london(opened, 9) + timedelta(hours=3 + i * 3)
        with clock.frozen(moment):
            ballot.cast(ctx.session, letter.code, _ranked(rng, keys, taste))
    # Closed by its time: its ballots are published, as a server would have done.
    votes.publish_closed(ctx.session)


def _this_year(ctx: DemoContext, rng: random.Random) -> None:
    today = clock.today()
    opened = today - timedelta(days=2)
    closes = today + timedelta(days=5)
    kw: dict = {"candidates": list(THIS_YEAR)}
    try:
        from lpgp.cycle.shortlist import shortlist

        if shortlist.get_shortlist(ctx.session, ctx.place, ctx.cycle) is not None:
            kw = {}
    except (ImportError, LpgpError):
        pass
    with clock.frozen(_london(opened - timedelta(days=5), 11)):
        v = votes.create_vote(
            ctx.session, ctx.place, title="2027/28 practice vote", method="approval", seats=3,
            opens=_london(opened, 9), closes=_london(closes, 17), cycle=ctx.cycle,
            secret=False, seed="haverbrook-2027", actor=ACTOR, **kw,
        )  # fmt: skip
    with clock.frozen(_london(opened, 9)):
        v = votes.open_vote(ctx.session, ctx.place, v, actor=ACTOR)
        letters = ballot.issue_codes(ctx.session, v, actor=ACTOR)
    keys = [c.key for c in votes.candidates(ctx.session, v)]
    appeal = [max(0.2, 0.7 - 0.12 * i) for i in range(len(keys))]  # earlier, more liked
    voters = [x for x in letters if rng.random() < 0.5]
    now = clock.now()
    for i, letter in enumerate(voters):
        moment = min(now, _london(opened, 9).replace(tzinfo=clock.LONDON) + timedelta(hours=i))
        choice = [k for k, p in zip(keys, appeal, strict=True) if rng.random() < p] or keys[:1]
        with clock.frozen(moment):
            ballot.cast(ctx.session, letter.code, choice)


def add_votes(ctx: DemoContext) -> None:
    """Add last year's closed vote and this year's open one."""
    rng = random.Random(2027)
    _last_year(ctx, rng)
    _this_year(ctx, rng)
