"""Drafting checks for candidate priorities: plain, visible rules rather than a black box.

A good priority strengthens how practices are supported by working together, names the
influence general practice wants on the local system, turns into practical actions, and
matters to individual practices. A bare request for resources ("more GPs, more money, less
work") gives the system nothing to act on. Each check below is a list of word patterns any
reader can inspect (:data:`RESOURCE_PATTERNS`, :data:`JOINT_WORKING_CUES`,
:data:`INFLUENCE_CUES`, ...); the warning says which words tripped it and how to reword.

The rules are deliberately simple and can be wrong: a warning is advice for the board, never
a refusal.

>>> [w.code for w in drafting_warnings("More money for general practice")]
['resource_ask', 'no_ask', 'no_action', 'no_quality']
>>> drafting_warnings(
...     "More GP involvement in neighbourhood teams",
...     ask="A GP co-chair for every neighbourhood team, agreed at the place board",
...     actions="Each PCN nominates a GP lead; the board briefs them every quarter",
... )
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .errors import InvalidInput


class Quality(StrEnum):
    """The four qualities of a good priority."""

    JOINT_WORKING = "joint_working"
    INFLUENCE = "influence"
    PRACTICAL_ACTION = "practical_action"
    RESONATES = "resonates"

    @property
    def label(self) -> str:
        return QUALITY_LABELS[self]


QUALITY_LABELS = {
    Quality.JOINT_WORKING: "Strengthens how practices are supported by working together",
    Quality.INFLUENCE: "Names the influence general practice wants on the local system",
    Quality.PRACTICAL_ACTION: "Turns into practical actions",
    Quality.RESONATES: "Matters to individual practices",
}

WARNING_CODES = ("resource_ask", "no_ask", "no_action", "no_quality")


def parse_quality(text: str) -> Quality:
    """Read a quality from its id, a short alias or its label.

    >>> parse_quality("Joint working")
    <Quality.JOINT_WORKING: 'joint_working'>
    """
    key = re.sub(r"[^a-z]+", "_", text.strip().lower()).strip("_")
    aliases = {
        "joint": Quality.JOINT_WORKING,
        "influence_on_the_system": Quality.INFLUENCE,
        "action": Quality.PRACTICAL_ACTION,
        "actions": Quality.PRACTICAL_ACTION,
        "practical": Quality.PRACTICAL_ACTION,
        "practical_actions": Quality.PRACTICAL_ACTION,
        "resonance": Quality.RESONATES,
        "practices": Quality.RESONATES,
    }
    if key in aliases:
        return aliases[key]
    for quality in Quality:
        if key in (quality.value, re.sub(r"[^a-z]+", "_", quality.label.lower()).strip("_")):
            return quality
    allowed = ", ".join(q.value for q in Quality)
    raise InvalidInput(f"'{text}' is not one of the four qualities; use one of: {allowed}")


# A word or two may sit between the quantifier and the resource ("more salaried GPs").
_GAP = r"(?:[\w'-]+\s+){0,2}?"
_STAFF = r"(?:gps|doctors|clinicians|nurses|staff|partners|locums|workforce)"
_MONEY = r"(?:money|funding|funds|cash|resources?|investment|pay|budgets?|income)"
_LOAD = (
    r"(?:work|workloads?|paperwork|bureaucracy|admin|demand|targets|hours|pressure|"
    r"red tape|box[- ]ticking)"
)

#: Phrases that read as a request for resources. Each is (label shown to the user, pattern).
RESOURCE_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "more staff",
        rf"\b(?:more|extra|additional|enough)\s+{_GAP}{_STAFF}\b",
    ),
    (
        "more money",
        rf"\b(?:more|extra|additional|increased|higher|bigger|better|fairer|new|proper)\s+"
        rf"{_GAP}{_MONEY}\b",
    ),
    (
        "more money",
        rf"\b(?:increase|raise|boost|uplift|top up|double)\w*\s+{_GAP}{_MONEY}\b",
    ),
    ("more money", rf"\b{_MONEY}\s+(?:uplift|increase|rise|boost)\b"),
    (
        "more money",
        r"\b(?:fund|pay|resource)\w*\s+(?:us|practices|general practice)\s+"
        r"(?:properly|fully|fairly|better|more)\b",
    ),
    ("more money", r"\binvest\w*\s+(?:more\s+)?in\s+(?:general practice|practices|us)\b"),
    (
        "less work",
        rf"\b(?:less|lower|reduced?|reducing|reduction in|cut|cutting|fewer|lighter|lighten)\s+"
        rf"{_GAP}{_LOAD}\b",
    ),
)

#: Words showing the candidate is about practices working together.
JOINT_WORKING_CUES: tuple[str, ...] = (
    r"\bjoint(?:ly)?\b",
    r"\btogether\b",
    r"\bshared?\b",
    r"\bsharing\b",
    r"\bcollective(?:ly)?\b",
    r"\bcollaborat\w*",
    r"\bacross\s+(?:the\s+|our\s+|all\s+)?(?:practices|pcns|neighbourhoods|the place)\b",
    r"\bbetween\s+practices\b",
    r"\b(?:staff|locum|nurse|gp)\s+bank\b",
    r"\bhubs?\b",
    r"\bpool(?:ed|ing)?\b",
    r"\bat scale\b",
    r"\bmutual aid\b",
    r"\bbuddy\w*",
    r"\bpeer support\b",
)

#: Words showing the candidate names influence general practice wants on the system.
INFLUENCE_CUES: tuple[str, ...] = (
    r"\binfluence\w*",
    r"\bvoice\b",
    r"\bsay in\b",
    r"\bseats?\s+(?:at|on)\b",
    r"\binvolve(?:d|ment)?\b",
    r"\bleadership role\b",
    r"\blead(?:s|ing)?\s+(?:the|on|in)\b",
    r"\bco-?(?:design|produce|production|chair|own)\w*",
    r"\bshape\w*",
    r"\bplace(?:-|\s)based\b",
    r"\bplace board\b",
    r"\bpartnership board\b",
    r"\bneighbourhood teams?\b",
    r"\bdecid\w*",
    r"\bdecisions?\b",
    r"\bcontrol\w*",
    r"\bown hands\b",
    r"\bhands of\b",
    r"\btransfer\w*",
    r"\bdevolv\w*",
    r"\bhand(?:ed|ing)?\s+(?:over|back)\b",
    r"\bnegotiat\w*",
    r"\bagree\w*\s+with\b",
    r"\bsecondary care\b",
    r"\bhospitals?\b",
    r"\b(?:the|acute|community|hospital|mental health)\s+trusts?\b",
    r"\bshift of work\b",
    r"\bwork\s+(?:shifted|moved|passed|pushed)\b",
    r"\bstop\w*\s+(?:the\s+)?(?:system|icb|trust|hospital)s?\b",
)

#: Words addressing the local system, for a candidate whose ask field is empty.
ASK_CUES: tuple[str, ...] = (
    r"\b(?:ask|asks|asking|want|wants|call|calls|press|push|expect)\w*\b[^.]{0,80}\b(?:system|icb|"
    r"ics|place board|place-based|partnership|trusts?|hospitals?|council|commissioners?)\b",
)

#: Words showing what general practice itself would do.
ACTION_CUES: tuple[str, ...] = (
    r"\b(?:we|practices|pcns|the board|general practice|the federation)\s+will\b",
    r"\b(?:by|through)\s+(?:setting up|running|agreeing|building|creating|publishing|"
    r"training|sharing|pooling|meeting|nominating)\b",
)

#: Words showing the candidate touches individual practices' day-to-day life.
RESONANCE_CUES: tuple[str, ...] = (
    r"\b(?:every|each|individual|all|our|local)\s+practices?\b",
    r"\bpractice (?:staff|teams?|level|managers?)\b",
    r"\bday[- ]to[- ]day\b",
    r"\breceptionists?\b",
    r"\bpatients?\b",
)

MIN_WORDS = 3  # an ask or an action shorter than this says too little to act on


@dataclass(frozen=True)
class DraftingWarning:
    """One piece of drafting advice: a code for programs, a message saying why and how."""

    code: str
    message: str


def _text(*parts: str | None) -> str:
    return " ".join(" ".join((p or "").split()) for p in parts).lower().replace("’", "'")


def _first(patterns: Iterable[str], text: str) -> str | None:
    for pattern in patterns:
        found = re.search(pattern, text)
        if found:
            return found.group(0)
    return None


def resource_phrase(text: str) -> str | None:
    """The first resource phrase in ``text`` with its kind, if any (pure).

    >>> resource_phrase("We need extra salaried GPs")
    "more staff: 'extra salaried gps'"
    >>> resource_phrase("A say in how neighbourhood teams spend time") is None
    True
    """
    folded = _text(text)
    for label, pattern in RESOURCE_PATTERNS:
        found = re.search(pattern, folded)
        if found:
            return f"{label}: '{found.group(0)}'"
    return None


def detect_qualities(
    title: str, description: str = "", ask: str = "", actions: str = ""
) -> frozenset[Quality]:
    """Which of the four qualities the wording shows, by the cue lists above (pure).

    >>> found = detect_qualities("Shared visiting hub across the PCN", actions="We will run it")
    >>> sorted(q.value for q in found)
    ['joint_working', 'practical_action']
    """
    text = _text(title, description, ask, actions)
    found: set[Quality] = set()
    if _first(JOINT_WORKING_CUES, text):
        found.add(Quality.JOINT_WORKING)
    if _first(INFLUENCE_CUES, text):
        found.add(Quality.INFLUENCE)
    if _has_action(description, actions):
        found.add(Quality.PRACTICAL_ACTION)
    if _first(RESONANCE_CUES, text):
        found.add(Quality.RESONATES)
    return frozenset(found)


def _words(text: str | None) -> int:
    return len((text or "").split())


def _has_action(description: str, actions: str) -> bool:
    return _words(actions) >= MIN_WORDS or bool(_first(ACTION_CUES, _text(description)))


def drafting_warnings(
    title: str,
    description: str = "",
    ask: str = "",
    actions: str = "",
    *,
    qualities: Iterable[str] | None = None,
) -> list[DraftingWarning]:
    """Advice on a candidate's wording (pure): each warning has ``.code`` and ``.message``.

    Codes: ``resource_ask`` (reads as a request for more staff, money or less work without
    saying what joint working or influence it seeks), ``no_ask`` (names nothing it wants the
    local system to do), ``no_action`` (no practical action general practice would take),
    ``no_quality`` (claims none of the four qualities). Pass ``qualities`` (the ones the
    board claims for the candidate) to check those; without it the wording is read for them.

    >>> [w.code for w in drafting_warnings("Less workload for every practice")]
    ['resource_ask', 'no_ask', 'no_action']
    >>> [w.code for w in drafting_warnings(
    ...     "Move the system's resilience funding into practices' own hands",
    ...     ask="The ICB transfers its practice resilience budget to a fund the practices run",
    ...     actions="Practices agree the rules for the fund together and report on it yearly",
    ... )]
    []
    """
    text = _text(title, description, ask, actions)
    warnings: list[DraftingWarning] = []
    resource = resource_phrase(text)
    if resource and not (_first(JOINT_WORKING_CUES, text) or _first(INFLUENCE_CUES, text)):
        warnings.append(
            DraftingWarning(
                "resource_ask",
                f"This reads like a plain request for resources ({resource}) and does not "
                "say what joint working or influence on the system it is after; the system "
                "rarely moves for a bare resource ask. Reword it around what should change: "
                "who should hold the money, which decisions general practice wants a say in, "
                "or what practices would do together with it.",
            )
        )
    if _words(ask) < MIN_WORDS and not _first(ASK_CUES, text):
        warnings.append(
            DraftingWarning(
                "no_ask",
                "It does not name anything the local system should do. Add the specific ask: "
                "who in the system (ICB, trust, council, place board) should do what, e.g. "
                "'the place board gives general practice a seat on the discharge group'.",
            )
        )
    if not _has_action(description, actions):
        warnings.append(
            DraftingWarning(
                "no_action",
                "It has no practical action for general practice. Add one or two steps "
                "practices, PCNs or the board would take, e.g. 'each PCN nominates a lead "
                "and the board reviews progress every quarter'.",
            )
        )
    if qualities is not None:
        claimed = {parse_quality(q) for q in qualities}
    else:
        claimed = set(detect_qualities(title, description, ask, actions))
    if not claimed:
        warnings.append(
            DraftingWarning(
                "no_quality",
                "It shows none of the four qualities of a good priority (working together, "
                "influence on the system, practical action, mattering to individual "
                "practices). Say which it serves and how, or rethink it.",
            )
        )
    return warnings
