"""Document-model objects built by hand, so renderers are tested without a store."""

from __future__ import annotations

from datetime import UTC, date, datetime

from lpgp.cycle.exports.model import (
    ActionLog,
    ActionLogRow,
    AgendaEntry,
    AgendaPack,
    AgreedPriority,
    Audience,
    CandidateLine,
    Meeting,
    PcnTurnout,
    ResultBar,
    SummaryDoc,
    Turnout,
    VoteSummary,
)

# Markup, a spreadsheet formula, an emoji and Welsh letters: all must come through as text.
NASTY = "<script>alert('x')</script> =cmd|' /C calc'!A0 🩺 Gŵyl ŷ"
PLAIN = "Same-day access hubs in every PCN"
FORMULA = "=cmd|' /C calc'!A0"


def summary_doc(audience: Audience = Audience.PRACTICES) -> SummaryDoc:
    return SummaryDoc(
        place="Haverbrook",
        cycle="2027/28 priorities",
        audience=audience,
        produced_on=date(2027, 1, 4),
        priorities=(
            AgreedPriority(1, NASTY, "Dr Amara Okafor", "A shared estates plan", "Leases end"),
            AgreedPriority(2, PLAIN, "Dr Tom Pritchard", "Hub funding for two years", "Winter"),
        ),
        candidates=(
            CandidateLine(NASTY, shortlisted=True, chosen=True),
            CandidateLine(PLAIN, shortlisted=True, chosen=True),
            CandidateLine("Community pharmacy referrals", shortlisted=True),
            CandidateLine("More GPs", note="Reads like a resource ask"),
        ),
        vote=VoteSummary(
            method="Approval voting",
            explanation="Each practice ticked every shortlisted priority it supports.",
            seats=2,
            score_label="Practices approving",
            results=(
                ResultBar(NASTY, 31, True),
                ResultBar(PLAIN, 27, True),
                ResultBar("Community pharmacy referrals", 12),
            ),
            turnout=Turnout(
                practices_voted=33,
                practices_eligible=41,
                patients_voted=251_000,
                patients_eligible=310_500,
                by_pcn=(PcnTurnout("Haverbrook North PCN", 6, 7),),
            ),
            tie_breaks=("No ties needed breaking.",),
        ),
    )


ACTIONS = (
    ActionLogRow(
        NASTY,
        "Map every lease end date",
        "Priya Shah",
        date(2027, 2, 1),
        "On track",
        "Green",
        date(2027, 1, 2),
        "Half the leases mapped",
    ),
    ActionLogRow(
        NASTY,
        "+44 numbers list",
        FORMULA,
        date(2026, 12, 1),
        "On track",
        "Red",
        date(2026, 11, 30),
        "\tStarted late",
    ),
    ActionLogRow(
        PLAIN,
        "@hub rota",
        "Owen Hale",
        date(2027, 3, 1),
        "At risk",
        "Amber",
        date(2027, 1, 3),
        "-2 staff short\tthis month",
    ),
    ActionLogRow(PLAIN, "\rOpen the second hub", "Owen Hale", None, "Done", "Complete"),
)


def action_log() -> ActionLog:
    return ActionLog("Haverbrook", "2027/28 priorities", date(2027, 1, 4), ACTIONS, (NASTY, PLAIN))


# A stored meeting's calendar UID, as the store gives a new meeting (a random uuid4).
UID = "meeting-5d0c1c1e-2a4b-4c39-8f0e-6b7a3f1d9e42@lpgp"


def meeting(start: datetime | None = None, sequence: int = 0) -> Meeting:
    return Meeting(
        key="12",
        title=f"Leadership board: {NASTY}",
        body="leadership",
        start=start or datetime(2027, 1, 11, 10, 0, tzinfo=UTC),
        minutes=120,
        location="Haverbrook Health Centre, room 2",
        attendees=("Dr Amara Okafor", "Dr Tom Pritchard"),
        items=(
            AgendaEntry(
                NASTY,
                50,
                "Innovation, change and improvement",
                True,
                "Dr Amara Okafor",
                NASTY,
                ACTIONS[:2],
            ),
            AgendaEntry(
                PLAIN,
                45,
                "Innovation, change and improvement",
                True,
                "Dr Tom Pritchard",
                PLAIN,
                ACTIONS[2:],
            ),
            AgendaEntry("Contract updates", 25, "Business as usual", False),
        ),
        sequence=sequence,
        uid=UID,
    )


def agenda_pack() -> AgendaPack:
    return AgendaPack("Haverbrook", "2027/28 priorities", meeting(), date(2027, 1, 4))
