"""Drafting checks: a table of phrasings on both sides of the "resource ask" line."""

from __future__ import annotations

import pytest

import lpgp
from lpgp.drafting import WARNING_CODES, Quality, detect_qualities, parse_quality
from lpgp.errors import InvalidInput

# Titles that only ask for resources: each must trip the resource-ask warning.
RESOURCE_ASKS = [
    "More GPs",
    "More money for general practice",
    "Less work for practices",
    "We need more salaried doctors in every surgery",
    "Fund general practice properly",
    "Increase core funding for practices by ten per cent",
    "Extra nurses for our practices",
    "Reduce the workload on GP partners",
    "Cut the paperwork",
    "A funding uplift for general practice this year",
    "Fewer targets and less bureaucracy",
    "Invest more in general practice",
    "Better pay for practice staff",
    "Additional clinical staff for the winter",
    "Higher budgets for every PCN",
    "Lower demand on GP appointments",
    "Recurrent money to recruit more GPs",
    "Enough locums to cover the summer",
]

# Titles that mention money, staff, "more" or less work but ask for joint working or
# influence: none may trip the resource-ask warning.
NOT_RESOURCE_ASKS = [
    "More GP involvement in neighbourhood teams",
    "Move the system's resilience funding into practices' own hands",
    "A shared staff bank so practices can find more nurses",
    "Extra funding held jointly by the PCNs to buy a visiting service",
    "A seat on the place board that decides how new money is spent",
    "Reduce the work shifted from hospitals to practices",
    "Less duplicated paperwork by agreeing one referral form with the acute trust",
    "More say for practices in the primary care budget",
    "Bring more of the community nursing budget under practice control",
    "More joint working between practices on home visits",
    "Recruit hard-to-find staff together through a PCN-wide bank",
    "A public campaign explaining the new roles in general practice",
    "Use the extra winter money to run a hub across practices",
    "A GP leadership role in neighbourhood teams, with protected time paid for",
    "Practices decide together how additional roles funding is spent",
    "Cut the work passed to practices from outpatient clinics",
    "Fewer inappropriate requests from hospitals to practices",
    "Pool our extra pharmacist hours at scale",
]


@pytest.mark.parametrize("title", RESOURCE_ASKS)
def test_pure_resource_asks_warn(title: str) -> None:
    warnings = lpgp.drafting_warnings(title)
    resource = [w for w in warnings if w.code == "resource_ask"]
    assert resource, f"{title!r} should read as a resource ask"
    assert "joint working or influence" in resource[0].message
    assert "Reword" in resource[0].message


@pytest.mark.parametrize("title", NOT_RESOURCE_ASKS)
def test_asks_for_joint_working_or_influence_do_not_warn(title: str) -> None:
    codes = [w.code for w in lpgp.drafting_warnings(title)]
    assert "resource_ask" not in codes, f"{title!r} asks for more than resources"


# Whole candidates: (title, description, ask, actions, expected codes in order).
WHOLE = [
    (
        "More GP involvement in neighbourhood teams",
        "",
        "A GP co-chair for every neighbourhood team, agreed at the place board",
        "Each PCN nominates a GP lead and the board briefs them every quarter",
        [],
    ),
    (
        "More money",
        "",
        "The ICB gives general practice two million pounds more",
        "Practices will spend it on locum cover",
        ["resource_ask"],
    ),
    (
        "Shared visiting service",
        "Practices across the PCN share one home visiting team.",
        "",
        "Set up a rota and a shared clinical record template",
        ["no_ask"],
    ),
    (
        "Shared visiting service",
        "We will ask the ICB to fund the team's first year.",
        "",
        "",
        [],
    ),
    (
        "A seat at the discharge table",
        "",
        "The trust invites a GP to its weekly discharge meeting",
        "",
        ["no_action"],
    ),
    ("Better communication", "", "", "", ["no_ask", "no_action", "no_quality"]),
    ("More money for general practice", "", "", "", WARNING_CODES),
]


@pytest.mark.parametrize(("title", "description", "ask", "actions", "expected"), WHOLE)
def test_whole_candidates(title, description, ask, actions, expected) -> None:
    warnings = lpgp.drafting_warnings(title, description, ask, actions)
    assert [w.code for w in warnings] == list(expected)
    assert all(w.message.endswith(".") for w in warnings)


def test_claimed_qualities_replace_the_reading_of_the_text() -> None:
    codes = [w.code for w in lpgp.drafting_warnings("Better communication", qualities=[])]
    assert "no_quality" in codes
    codes = [
        w.code for w in lpgp.drafting_warnings("Better communication", qualities=["resonates"])
    ]
    assert "no_quality" not in codes


def test_qualities_are_read_from_the_wording() -> None:
    found = detect_qualities(
        "Shared document hub",
        "Every practice sends its letters to one team",
        "The ICB funds the set-up and we have a say in its contract",
        "Agree one coding policy",
    )
    assert found == set(Quality)


def test_unknown_quality_is_refused() -> None:
    assert parse_quality("Joint working") is Quality.JOINT_WORKING
    with pytest.raises(InvalidInput, match="not one of the four qualities"):
        parse_quality("cheapness")


def test_the_table_is_big_enough() -> None:
    assert len(RESOURCE_ASKS) + len(NOT_RESOURCE_ASKS) + len(WHOLE) >= 30
