"""Demo step: Haverbrook's board drafts eight candidates, scores them and fixes a shortlist.

Some candidates are drafted badly on purpose so every drafting warning shows; the board splits
over the document hub (a disagreement flag); one member declares an interest; the shortlist
of five leaves out the hub for the public campaign, with the reason recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lpgp.cycle.board.person import list_board
from lpgp.cycle.candidates.candidate import add_candidate
from lpgp.cycle.candidates.candidate_rules import CandidateInput
from lpgp.cycle.shortlist.scoring import declare_interest, record_scores
from lpgp.cycle.shortlist.scoring_rules import CANT_JUDGE, DEFAULT_CRITERIA
from lpgp.cycle.shortlist.shortlist import fix_shortlist, summarise

ACTOR = "demo"

# (title, description, ask, actions, qualities, base marks per default criterion)
CANDIDATES: tuple[tuple[str, str, str, str, tuple[str, ...], tuple[int, ...]], ...] = (
    (
        "A resilience offer run by practices",
        "Move the money the system spends on propping up struggling practices into a fund "
        "that general practice runs, so help arrives in weeks rather than months.",
        "The ICB transfers its practice resilience budget to a fund held by the federation "
        "and overseen by this board.",
        "Agree the fund's rules with every practice; offer a peer support visit within ten "
        "working days of a request; report how the fund was used each quarter.",
        ("joint_working", "influence", "practical_action", "resonates"),
        (4, 5, 4, 5, 3),
    ),
    (
        "GP leadership in neighbourhood teams",
        "More GP involvement in the integrated neighbourhood teams as they take shape.",
        "The place board agrees that every neighbourhood team has a GP co-lead with "
        "protected time.",
        "Each PCN nominates a GP co-lead; the board runs a quarterly network for them.",
        ("influence", "practical_action"),
        (3, 5, 4, 3, 3),
    ),
    (
        "Stop hospital work landing in practices",
        "Practical steps to cut the work shifted from hospital clinics to practices.",
        "The acute trust makes the clinician who orders a test responsible for telling the "
        "patient the result and arranging follow-up.",
        "Practices log each inappropriate transfer on one shared form; the LMC takes a "
        "monthly summary to the trust's medical director.",
        ("influence", "practical_action", "resonates"),
        (2, 4, 4, 5, 3),
    ),
    (
        "A shared bank for hard-to-find staff",
        "Practices recruit and share practice nurses and pharmacists through one bank "
        "across the place, starting from the Moorland Villages pilot.",
        "The ICB pays for the bank's coordinator for its first two years.",
        "The federation runs the bank; practices agree common rates and one induction.",
        ("joint_working", "practical_action", "resonates"),
        (5, 2, 4, 4, 3),
    ),
    (
        "Tell the public what today's practice team does",
        "A campaign so patients know what physician associates, pharmacists and care "
        "coordinators do, and why the GP is not always the right person to see.",
        "The council and the ICB run the campaign on their own channels and pay for print.",
        "Practices share short staff stories; each PCN hosts an open week.",
        ("practical_action", "resonates"),
        (3, 2, 4, 3, 3),
    ),
    (
        "More GPs and more money",
        "Practices are stretched; general practice needs more funding and more doctors.",
        "",
        "",
        (),
        (1, 1, 1, 3, 1),
    ),
    (
        "Shared document hub",
        "Practices in each PCN send incoming letters to one hub that codes and files them "
        "the same way for everyone.",
        "",
        "Agree one coding policy; the federation hosts the hub team.",
        ("joint_working", "practical_action"),
        (4, 2, 4, 3, 3),  # overridden below: the board splits over it
    ),
    (
        "A voice on the place partnership board",
        "General practice should be heard where the place's decisions are made.",
        "The place partnership board gives general practice two voting seats.",
        "",
        (),
        (1, 5, 2, 2, 3),
    ),
)

HUB = "Shared document hub"
HUB_FANS = (5, 5, 5, 5, 4)
HUB_SCEPTICS = (1, 1, 2, 1, 1)
LENIENCY = (0, 1, -1, 0, 0, 1, -1, 0, 0)  # some members mark high, some low
INTEREST = ("Dr Sanjay Mehta", "A shared bank for hard-to-find staff")
INTEREST_REASON = "The bank grows out of a pilot my own PCN runs."
CAMPAIGN = "Tell the public what today's practice team does"
DEPARTURE_REASON = (
    "The hub split the board and needs more work with practices before a vote; the campaign "
    "had steady support and costs practices little."
)
SHORTLIST_SIZE = 5

if TYPE_CHECKING:
    from lpgp.demo import DemoContext


def _marks(title: str, base: tuple[int, ...], member: int, name: str) -> dict[str, object]:
    if title == HUB:
        base = HUB_FANS if member % 2 == 0 else HUB_SCEPTICS
    if title == INTEREST[1] and name == INTEREST[0]:
        base = (5, 5, 5, 5, 5)
    marks: dict[str, object] = {}
    for criterion, mark in zip(DEFAULT_CRITERIA, base, strict=True):
        marks[criterion.key] = max(0, min(5, mark + LENIENCY[member % len(LENIENCY)]))
    if name == "Julie Brennan" and title in (CANDIDATES[1][0], CANDIDATES[7][0]):
        marks["influence"] = CANT_JUDGE
    return marks


def add_shortlist(ctx: DemoContext) -> None:
    """Draft the candidates, score them as every board member, declare one interest, fix."""
    session, place, cycle = ctx.session, ctx.place, ctx.cycle
    ids: dict[str, int] = {}
    for title, description, ask, actions, qualities, _ in CANDIDATES:
        item = CandidateInput.of(title, description, ask, actions, qualities)
        ids[title] = add_candidate(session, place, cycle, item, actor=ACTOR).id
    members = list_board(session, place)
    for number, member in enumerate(members):
        sheet = {
            ids[title]: _marks(title, base, number, member.name) for title, *_, base in CANDIDATES
        }
        record_scores(session, place, cycle, member.person_id, sheet, actor=member.name)
    who = next(m for m in members if m.name == INTEREST[0])
    declare_interest(
        session, place, cycle, who.person_id, ids[INTEREST[1]], INTEREST_REASON, actor=who.name
    )
    order = list(summarise(session, place, cycle).summary["title"])
    chosen = [t for t in order if t != HUB][: SHORTLIST_SIZE - 1] + [CAMPAIGN]
    chosen = list(dict.fromkeys(t for t in order if t in chosen))
    fix_shortlist(
        session,
        place,
        cycle,
        [ids[t] for t in chosen],
        reasons={ids[CAMPAIGN]: DEPARTURE_REASON},
        note="Agreed at the board's scoring workshop.",
        actor=members[0].name,
    )
