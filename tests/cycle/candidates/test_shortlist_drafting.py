"""Drafting checks: a table of phrasings on both sides of the "resource ask" line."""

from __future__ import annotations

import pytest

import lpgp
from lpgp.cycle.candidates.drafting import WARNING_CODES, Quality, detect_qualities, parse_quality
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
    "More appointments funded for winter",
    "Extra capacity for practices",
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
    "Extra appointments run jointly from one hub for the whole PCN",
    "Stop the ICB pushing more work onto practices without agreement",
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
    with pytest.raises(InvalidInput, match="is not a quality; use one of: Strengthens how"):
        parse_quality("cheapness")


def test_the_table_is_big_enough() -> None:
    assert len(RESOURCE_ASKS) + len(NOT_RESOURCE_ASKS) + len(WHOLE) >= 30


# Phrasings the word patterns never saw: inflected, reordered, words between the
# quantifier and the resource. Each must warn, and the warning must quote the words that
# tripped it as they were typed.
UNSEEN_RESOURCE_ASKS = [
    ("More GP posts for the town", ["More", "GP posts"]),
    ("A bigger slice of the local money for practices", ["bigger", "money"]),
    ("Funding for general practice increased year on year", ["Funding", "increased"]),
    ("Practices funded more generously", ["funded", "more"]),
    ("Nurses: we need many more of them", ["Nurses", "more"]),
    ("Workloads reduced for every partner", ["Workloads", "reduced"]),
    ("Less of the daily admin burden", ["Less", "admin"]),
    ("Cutting the number of targets practices have to hit", ["Cutting", "targets"]),
    ("Higher pay for salaried doctors and practice nurses", ["Higher", "pay"]),
    ("Our practices need a pay rise", ["pay", "rise"]),
    ("Raising the global sum by a tenth", ["Raising", "global sum"]),
    ("More appointments every week in each surgery", ["More", "appointments"]),
    ("Boosted budgets for all the PCNs", ["Boosted", "budgets"]),
    ("Every practice given two extra doctors", ["extra", "doctors"]),
    ("An increase in the number of clinicians", ["increase", "clinicians"]),
    ("Greater investment in our surgeries", ["Greater", "investment"]),
    ("Extra sessions paid at a proper rate", ["Extra", "sessions"]),
    ("Fewer forms to fill in", ["Fewer", "forms"]),
    ("Lighten the load on practice managers", ["Lighten", "load"]),
    ("Doubling the practice nurse workforce", ["Doubling", "practice nurse workforce"]),
    ("A top-up to core funding for every practice", ["top-up", "funding"]),
    ("Reduced reporting requirements for practices", ["Reduced", "reporting"]),
    ("Recruit and retain more GP partners", ["more", "GP partners"]),
    ("Better-paid practice staff", ["Better", "paid"]),
    ("Higher staffing levels in surgeries", ["Higher", "staffing levels"]),
    ("Demand on GPs brought down", ["Demand", "brought down"]),
    ("Scrap the box-ticking", ["Scrap", "box-ticking"]),
    ("We want the ICB to pay practices more", ["pay", "more"]),
    ("Resourcing practices adequately", ["Resourcing", "adequately"]),
    ("Extra pharmacists and physician associates for each network", ["Extra", "pharmacists"]),
    # "share" here is a portion, not working together: it must not excuse the ask.
    ("A fair share of the money for practices", ["fair", "money"]),
    # "together with" means "and", not joint working.
    ("More GPs, together with more nurses", ["More", "GPs"]),
    ("Get the ICB to hire additional receptionists", ["additional", "receptionists"]),
    ("Fewer hours on paperwork for partners", ["Fewer", "hours"]),
    ("Practices need to be paid properly", ["paid", "properly"]),
    ("Lots more money, please", ["more", "money"]),
    ("Our income to rise in line with inflation", ["income", "rise"]),
    ("Less pressure on reception teams", ["Less", "pressure"]),
    ("An extra GP for every practice", ["extra", "GP"]),
    ("No more box ticking for the ICB", ["No more", "box ticking"]),
    ("Practices should get paid a lot more", ["paid", "more"]),
    ("Many more nurses across every surgery", ["more", "nurses"]),
    ("Give us more doctors", ["more", "doctors"]),
    ("Our budgets must go up", ["budgets", "go up"]),
    ("A sizeable increase in core funding", ["increase", "funding"]),
    ("Extra cash for winter", ["Extra", "cash"]),
    ("GP numbers increased by a third", ["GP numbers", "increased"]),
    ("More clinical pharmacists in each surgery", ["More", "clinical pharmacists"]),
    ("Bureaucracy slashed", ["Bureaucracy", "slashed"]),
    ("Less time spent on QOF reporting", ["Less", "reporting"]),
    ("Higher wages for receptionists", ["Higher", "wages"]),
    ("An uplift in the global sum", ["uplift", "global sum"]),
    ("Recruit additional advanced nurse practitioners", ["additional", "nurse practitioners"]),
    ("The ICB should fund more locum sessions", ["more", "locum sessions"]),
    ("Additional investment in premises", ["Additional", "investment"]),
    ("Reduce the number of forms GPs fill in", ["Reduce", "forms"]),
    ("Lower targets for every practice", ["Lower", "targets"]),
    ("More paramedics for home visits", ["More", "paramedics"]),
    ("Bigger practice budgets next year", ["Bigger", "budgets"]),
    ("More of everything: staff, money and time", ["More", "staff"]),
    ("We want lighter workloads", ["lighter", "workloads"]),
    ("Please send more money our way", ["more", "money"]),
    ("Practice funding should be much higher", ["funding", "higher"]),
    ("We are owed a bigger share of the budget", ["bigger", "budget"]),
    ("Hire extra care coordinators", ["extra", "care coordinators"]),
    ("Fewer inspections and audits", ["Fewer", "inspections"]),
    ("Top up the practice nurse pay", ["Top up", "pay"]),
    ("GPs to be paid more for visits", ["paid", "more"]),
    ("Cut red tape for partners", ["Cut", "red tape"]),
    ("Boosting the number of salaried posts", ["Boosting", "salaried posts"]),
    ("Increased capacity for same-day care", ["Increased", "capacity"]),
    ("More money, more staff, less work", ["More", "money", "staff", "less", "work"]),
    ("Reduce our admin load", ["Reduce", "admin"]),
    ("Funding that rises every year", ["Funding", "rises"]),
]

# Asks that mention money, staff, "more" or less work but name joint working, the influence
# general practice wants, or the practical action it will take: none may warn.
UNSEEN_GOOD_ASKS = [
    "The ICB routes enhanced access funding through the PCNs, and practices help write the "
    "service specification",
    "Practices jointly hold the winter pressures budget and decide how it is spent",
    "Pooling the additional roles staff so every practice gets some pharmacist time",
    "The place board delegates the community nursing budget to a committee led by GPs",
    "More GP time in care homes, run as one rota across the PCN",
    "Extra money for diabetes care, spent on a service the PCNs design with the trust",
    "The ICB hands the extra resilience funding over to practices to run",
    "Higher fees for care home rounds, negotiated by the LMC for every practice",
    "A say over how the ICB spends the extra primary care money",
    "Less paperwork after discharge: one letter template agreed with the acute trust",
    "Fewer unfunded requests from the community trust, logged by each practice",
    "Practices represented on the group that allocates the place's extra estates money",
    "More nurses trained together through a preceptorship the PCNs run",
    "Extra capacity shared between neighbouring practices in flu season",
    "Less admin through practices sharing one workflow team",
    "Our collective voice on how new neighbourhood money is spent",
    "An agreement with the ICB that any new work comes with the funding to do it",
    "Practice managers co-designing the winter plan, including more clinic slots",
    "Additional appointments commissioned from the hub and booked straight from every practice",
    "Hospital discharge work cut by a standard the acute trust signs up to",
    "Extra premises money allocated by a panel where practices hold half the seats",
    "Practices bid as one for the extra workforce funding",
    "Locum rates set across the place so practices stop outbidding each other for extra "
    "sessions",
    "Train more practice nurses by running student placements in every surgery",
    "Bring in more salaried GPs by sharing one recruitment campaign between practices",
    "Increased funding for the care home service, with GPs sitting on its steering group",
    "A bigger budget for social prescribing that the council and PCNs commission jointly",
    "More GP influence over the discharge pathway",
    "Cut the workload that hospital consultants hand back to practices",
    "Extra pay for practice staff who cover sister practices in a mutual aid scheme",
    "Any uplift in the primary care budget is decided at the place board with GPs present",
    "Fund the visiting service properly, with the specification co-produced with practices",
    "Half the extra winter money controlled by practices through their PCNs",
    "Free up more GP sessions by moving repeat prescribing to the practice pharmacists",
    "Reduce the work GPs redo after hospital discharges",
    "More GPs involved in planning the neighbourhood teams",
    "The ICB lets PCNs hold the extra winter funding and choose what to buy with it",
    "GPs chair the group that spends the additional discharge money",
    "Share one extra pharmacist between three small practices",
    "More money for care homes, spent through a contract the PCNs shape with the council",
    "Fewer letters bounced back from outpatients, by agreeing a rule with the hospital",
    "An agreed budget that practices run jointly for locum cover",
    "Practices collaborate on one bid for additional estates funding",
    "Extra appointments offered from a hub that practices run together",
    "The trust stops sending more blood test follow-ups to practices",
    "More influence for practices over how new PCN roles are used",
    "Cut paperwork by using one shared template for fit notes",
    "A seat for general practice on the ICB's finance committee",
    "The LMC negotiates higher rates for care home cover with the ICB",
    "Delegate the enhanced services budget to the place board with GP members",
    "Bring more GPs into neighbourhood teams as clinical leads",
    "Double the GP trainers by running a joint training practice network",
    "Additional roles staff employed collectively by the federation",
    "Less duplicated work by pooling admin across the PCN",
    "Increase the funding practices control for same-day care",
    "Extra money to practices only through a scheme the PCNs co-design",
    "The council and practices jointly commission a falls service",
    "Extra funding for a frailty service that practices lead on",
    "A GP seat on the board that allocates the additional winter money",
    "Less admin through a PCN-wide shared inbox",
    "More say for practice managers in the ICB's estates plans",
    "Increase practice nurse numbers by running a shared training post across the PCN",
    "Extra capacity at weekends run jointly by neighbouring practices",
    "More money moved into practices' control through the place board",
    "Reduce unfunded work from hospitals by agreeing clear rules with the trust",
    "A bigger budget for the federation, governed by the practices it serves",
    "Additional sessions shared across the network's practices",
    "Fewer duplicate requests thanks to one booking process agreed with the community trust",
    "More GP input into how the ICB sets the enhanced services budget",
    "The ICB transfers half of the additional roles money to practices",
    "Higher pay for locums agreed collectively so practices stop competing",
]

# Wordings with resource words that are not asks for resources at all.
NOT_ASKS = [
    # The quantifier and the money sit in different sentences.
    "Practices report more use. Funding for the app stops in March.",
    # Negated: the candidate says it needs no more resources.
    "Better continuity without extra staff or money",
    "Keep the service going with no extra funding",
    # A staff word used as a modifier is not a request for staff.
    "More GP leadership",
]


def _resource_warning(*fields: str):
    found = [w for w in lpgp.drafting_warnings(*fields) if w.code == "resource_ask"]
    return found[0] if found else None


@pytest.mark.parametrize(("title", "words"), UNSEEN_RESOURCE_ASKS)
def test_unseen_resource_asks_warn_and_name_their_words(title: str, words: list[str]) -> None:
    warning = _resource_warning(title)
    assert warning is not None, f"{title!r} should read as a resource ask"
    assert warning.message.startswith("This reads like a resource ask: ")
    for word in words:
        assert f"'{word}'" in warning.message, f"{word!r} missing from: {warning.message}"


@pytest.mark.parametrize("title", UNSEEN_GOOD_ASKS)
def test_unseen_good_asks_do_not_warn(title: str) -> None:
    warning = _resource_warning(title)
    assert warning is None, f"{title!r} is a specific ask, but: {warning.message}"


@pytest.mark.parametrize("title", NOT_ASKS)
def test_wordings_that_ask_for_nothing_do_not_warn(title: str) -> None:
    assert _resource_warning(title) is None


def test_the_good_asks_raise_no_false_warnings_at_all() -> None:
    """Zero false warnings across the whole good table, counted in one place."""
    flagged = [t for t in UNSEEN_GOOD_ASKS + NOT_RESOURCE_ASKS if _resource_warning(t)]
    assert flagged == []
    assert len(UNSEEN_RESOURCE_ASKS) >= 40 and len(UNSEEN_GOOD_ASKS) >= 35


@pytest.mark.xfail(strict=True, reason="any mention of a trust or hospital counts as influence")
def test_a_trust_named_only_for_comparison_does_not_excuse_the_ask() -> None:
    assert _resource_warning("Salaries for practice nurses raised to match the trusts")


def test_the_warning_quotes_the_words_as_typed() -> None:
    warning = _resource_warning("More GP posts, please")
    assert warning is not None
    assert warning.message.startswith("This reads like a resource ask: 'More', 'GP posts' ")


def test_a_resource_ask_in_the_ask_field_is_still_found() -> None:
    warning = _resource_warning("Workforce", "", "The ICB gives practices more nurses")
    assert warning is not None and "'more', 'nurses'" in warning.message


def test_words_in_different_fields_do_not_pair_up() -> None:
    # "more" ends the title and "funding" starts the description: two separate thoughts.
    assert _resource_warning("Patients want more", "Funding for the app ends in March") is None


def test_warnings_are_sentences_not_codes() -> None:
    for warning in lpgp.drafting_warnings("Raising the global sum by a tenth"):
        assert warning.message[0].isupper() and warning.message.endswith(".")
        assert warning.code not in warning.message
        assert "_" not in warning.message


def test_the_demo_candidates_warn_only_where_meant() -> None:
    from lpgp.demo.shortlist import CANDIDATES

    flagged = [c[0] for c in CANDIDATES if _resource_warning(c[0], c[1], c[2], c[3])]
    assert flagged == ["More GPs and more money"]


def test_the_check_is_fast_enough_for_live_advice() -> None:
    """Each keystroke is a new title, so the timing includes reading it afresh."""
    import time

    fields = (
        "Move the money the system spends on propping up struggling practices into a fund "
        "that general practice runs, so help arrives in weeks rather than months.",
        "The ICB transfers its practice resilience budget to a fund held by the federation.",
        "Agree the fund's rules with every practice; report how it was used each quarter.",
    )
    lpgp.drafting_warnings("A first check loads the lemmatiser's dictionary", *fields)
    typed = "A resilience offer run by practices, with less paperwork for every partner"
    start = time.perf_counter()
    for n in range(1, len(typed) + 1):
        lpgp.drafting_warnings(typed[:n], *fields)
    per_check = (time.perf_counter() - start) / len(typed)
    assert per_check < 0.05, f"{per_check * 1000:.1f} ms per check"
