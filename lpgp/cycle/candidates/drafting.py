"""Drafting checks for candidate priorities: plain, visible rules rather than a black box.

A good priority strengthens how practices are supported by working together, names the
influence general practice wants on the local system, turns into practical actions, and
matters to individual practices. A bare request for resources ("more GPs, more money, less
work") gives the system nothing to act on.

Each check is a list of words any reader can inspect. Words are compared by their dictionary
form (``simplemma``, an English lemmatiser that ships its data), so "GP posts", "budgets",
"funded" and "brought down" count like "GP post", "budget", "fund" and "bring down":

- a **resource ask** is a resource word (:data:`STAFF_WORDS`, :data:`MONEY_WORDS`,
  :data:`CAPACITY_WORDS`) within a few words of a "more" word (:data:`MORE_WORDS`), or a
  workload word (:data:`LOAD_WORDS`) near a "less" word (:data:`LESS_WORDS`), in either
  order and in the same sentence; a negation ("without extra staff") or a clause saying how
  general practice will get there ("by running placements") cancels it;
- a resource ask is excused when the candidate names joint working
  (:data:`JOINT_WORKING_CUES`) or influence on the system (:data:`INFLUENCE_CUES`).

The warning quotes the words that tripped it as they were typed. The rules are deliberately
simple and can be wrong: a warning is advice for the board, never a refusal.

>>> [w.code for w in drafting_warnings("More money for general practice")]
['resource_ask', 'no_ask', 'no_action', 'no_quality']
>>> print(drafting_warnings("More GP posts")[0].message[:58])
This reads like a resource ask: 'More', 'GP posts' (more s
>>> drafting_warnings(
...     "More GP involvement in neighbourhood teams",
...     ask="A GP co-chair for every neighbourhood team, agreed at the place board",
...     actions="Each PCN nominates a GP lead; the board briefs them every quarter",
... )
[]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from lpgp.enums import parse_enum


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
    return parse_enum(Quality, text, field="quality", aliases=aliases)


# --- Word lists -------------------------------------------------------------------------
# Entries are dictionary forms, lower case. "a b" is a phrase of consecutive words; in the
# cue lists "a ... b" lets up to four words sit between, and "ab*" is any word starting "ab".

#: People general practice could ask for ("more GPs", "extra practice nurses").
STAFF_WORDS: tuple[str, ...] = (
    "gp",
    "salaried",  # "salaried posts": doctors, not salary
    "doctor",
    "clinician",
    "nurse",
    "staff",
    "staffing",
    "partner",
    "locum",
    "workforce",
    "headcount",
    "pharmacist",
    "paramedic",
    "physiotherapist",
    "receptionist",
    "practitioner",
    "prescriber",
    "therapist",
    "trainer",
    "physician associate",
    "care coordinator",
)
#: Words that, after a staff word, still name staff ("GP posts", "locum cover").
STAFF_HEADS: tuple[str, ...] = (
    "post",
    "role",
    "vacancy",
    "number",
    "level",
    "time",
    "hour",
    "cover",
)
#: Words that may stand before a staff word ("salaried GPs", "practice nurse workforce").
STAFF_MODIFIERS: tuple[str, ...] = (
    "practice",
    "clinical",
    "nursing",
    "reception",
    "admin",
)
#: Money ("bigger budgets", "funded properly", "a pay rise").
MONEY_WORDS: tuple[str, ...] = (
    "money",
    "funding",
    "fund",
    "cash",
    "resource",
    "resourcing",
    "investment",
    "invest",
    "pay",
    "payment",
    "salary",
    "wage",
    "budget",
    "income",
    "finance",
    "financing",
    "grant",
    "fee",
    "pound",
    "£",
    "million",
    "tariff",
    "reimbursement",
    "remuneration",
    "global sum",
)
#: Clinical time ("more appointments", "extra sessions").
CAPACITY_WORDS: tuple[str, ...] = ("capacity", "appointment", "session", "slot")
#: Workload ("less paperwork", "fewer targets", "demand brought down").
LOAD_WORDS: tuple[str, ...] = (
    "work",
    "workload",
    "paperwork",
    "bureaucracy",
    "admin",
    "administration",
    "demand",
    "target",
    "hour",
    "pressure",
    "burden",
    "load",
    "form",
    "reporting",
    "requirement",
    "inspection",
    "red tape",
    "box tick",
)
#: Words asking for more of a resource, before or after it ("funding increased").
MORE_WORDS: tuple[str, ...] = (
    "more",
    "extra",
    "additional",
    "increase",
    "raise",
    "rise",
    "boost",
    "uplift",
    "top up",
    "go up",
    "double",
    "triple",
    "grow",
    "expand",
    "expansion",
    "bolster",
    "inject",
    "injection",
    "bigger",
    "biggest",
    "larger",
    "higher",
    "greater",
    "longer",
    "better",
    "fair",
    "fairer",
    "fairly",
    "proper",
    "properly",
    "fully",
    "generous",
    "generously",
    "adequate",
    "adequately",
    "sufficient",
    "sufficiently",
    "enough",
    "new",
)
#: "More" words that count only right before the resource ("new money", not "new ways").
MORE_WORDS_ADJACENT: tuple[str, ...] = ("new",)
#: Words asking for less work, before or after it ("workloads reduced").
LESS_WORDS: tuple[str, ...] = (
    "less",
    "lower",
    "fewer",
    "reduce",
    "reduction",
    "cut",
    "cut back",
    "scale back",
    "bring down",
    "lighten",
    "lighter",
    "ease",
    "scrap",
    "remove",
    "removal",
    "relieve",
    "slash",
    "trim",
    "shrink",
    "halve",
    "cap",
    "abolish",
    "streamline",
    "no more",
    "end to",
    "get rid",
)
#: Phrases that ask for money on their own ("invest in general practice").
RESOURCE_PHRASES: tuple[str, ...] = (
    "invest in general practice",
    "invest in practice",
    "invest in us",
    "investment in general practice",
    "investment in practice",
)
#: Words that cancel a nearby "more" or "less" ("without extra staff", "no extra funding").
NEGATIONS: tuple[str, ...] = ("no", "not", "without", "never", "nor", "instead")

#: Words showing the candidate is about practices working together.
JOINT_WORKING_CUES: tuple[str, ...] = (
    "joint",
    "jointly",
    "together",
    "share",
    "sharing",
    "collective*",
    "collaborat*",
    "join up",
    "joined up",
    "across ... practice",
    "across ... pcn",
    "across ... network",
    "across ... neighbourhood",
    "across ... locality",
    "across ... place",
    "between ... practice",
    "each other",
    "one another",
    "as one",
    "staff bank",
    "locum bank",
    "nurse bank",
    "gp bank",
    "hub",
    "pool",
    "at scale",
    "mutual aid",
    "buddy*",
    "peer support",
    "pcn wide",
    "network wide",
    "place wide",
)
#: Phrases that look like joint working but are not: a cue starting inside one is ignored.
JOINT_WORKING_EXCEPTIONS: tuple[str, ...] = (
    "share of",
    "fair share",
    "fairer share",
    "bigger share",
    "greater share",
    "together with",
)

#: Words showing the candidate names influence general practice wants on the system.
INFLUENCE_CUES: tuple[str, ...] = (
    "influence*",
    "voice",
    "say in",
    "say on",
    "say over",
    "seat",
    "sit on",
    "involve*",
    "represent*",
    "on behalf of",
    "leadership role",
    "lead the",
    "lead on",
    "lead in",
    "chair*",
    "co design",
    "co produce",
    "co production",
    "co chair",
    "co own",
    "co lead",
    "codesign*",
    "coproduc*",
    "shape*",
    "place based",
    "place board",
    "place level",
    "partnership board",
    "neighbourhood team",
    "steering group",
    "decid*",
    "decision",
    "control*",
    "own hands",
    "hands of",
    "transfer*",
    "devolv*",
    "delegat*",
    "hand ... over",
    "hand ... back",
    "negotiat*",
    "agree* with",
    "specification",
    "govern*",
    "accountab*",
    "oversee*",
    "oversight",
    "veto",
    "sign off",
    "route ... through",
    "route ... via",
    "channel ... through",
    "hold ... budget",
    "hold ... fund",
    "hold ... money",
    "secondary care",
    "hospital",
    "the trust",
    "acute trust",
    "community trust",
    "hospital trust",
    "mental health trust",
    "shift of work",
    "work shift",
    "work move",
    "work pass",
    "work push",
    "stop the system",
    "stop the icb",
    "stop the trust",
    "stop the hospital",
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
NEAR = 4  # at most this many words between a "more"/"less" word and its resource
_CUE_GAP = 4  # at most this many words inside "a ... b" in a cue
_KEY = 4  # prefix cues ("decid*") are looked up by their first four letters

RESOURCE_KINDS = {
    "staff": "more staff",
    "money": "more money",
    "capacity": "more capacity",
    "load": "less work",
}

# After a singular staff word, these words show it is the thing asked for ("an extra GP for
# every practice"), not a modifier ("more GP involvement").
_FUNCTION_WORDS = frozenset(
    "a all an and are as at be by can could each every for from if in into is its must next "
    "on or our per please should so than that the their they this to we when where which "
    "while who will with would".split()
)


@dataclass(frozen=True)
class DraftingWarning:
    """One piece of drafting advice: a code for programs, a message saying why and how."""

    code: str
    message: str


@dataclass(frozen=True)
class ResourceHit:
    """One resource ask found in a wording: its kind and the words as typed."""

    kind: str
    words: tuple[str, ...]

    @property
    def label(self) -> str:
        """The kind in words, e.g. "more staff"."""
        return RESOURCE_KINDS[self.kind]


# --- Reading words ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    text: str  # as typed
    forms: frozenset[str]  # the word, lower case, and its dictionary forms
    keys: frozenset[str]  # the forms and their first letters, to look phrases up by
    clause: tuple[int, int]  # (field, sentence): words pair up only inside one
    break_after: bool  # punctuation (a comma, a colon) follows it
    source: str  # the field it came from
    start: int
    end: int


@lru_cache(maxsize=1)
def _lemmatiser() -> Callable[..., str]:
    # Imported on first use: loading it costs a quarter of a second that `import lpgp`
    # should not pay.
    from simplemma import lemmatize

    return lemmatize


@lru_cache(maxsize=16384)
def _forms(word: str) -> frozenset[str]:
    """A word in lower case with its dictionary forms, plus plain English suffixes taken off
    for words the dictionary does not know ("gps", "pcns", "doubling")."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    forms = {word, _lemmatiser()(word, lang="en", low_memory=True).lower()}
    if len(word) > 3 and word.endswith("ies"):
        forms.add(word[:-3] + "y")
    elif len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        forms.add(word[:-1])
    for suffix in ("ing", "ed"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3:
            forms.update((stem, stem + "e"))
            if stem[-1] == stem[-2]:
                forms.add(stem[:-1])
    return frozenset(forms)


_WORD = re.compile(r"£|[^\W_]+(?:['’][^\W_]+)?")
_CLAUSE_END = re.compile(r"[.!?;\n]")


@lru_cache(maxsize=256)
def _tokens(text: str, field: int = 0) -> tuple[_Token, ...]:
    """The words of one field, each tagged with the field's number and its sentence's."""
    found = list(_WORD.finditer(text))
    out: list[_Token] = []
    clause = 0
    for i, match in enumerate(found):
        gap = text[match.end() : found[i + 1].start()] if i + 1 < len(found) else ""
        mark = gap.strip()
        forms = _forms(match.group(0))
        out.append(
            _Token(
                match.group(0),
                forms,
                forms | {form[:_KEY] for form in forms},
                (field, clause),
                bool(mark) and mark not in ("-", "'", "’"),
                text,
                match.start(),
                match.end(),
            )
        )
        if _CLAUSE_END.search(gap):
            clause += 1
    return tuple(out)


@lru_cache(maxsize=256)
def _all_tokens(fields: tuple[str | None, ...]) -> tuple[_Token, ...]:
    """The tokens of several fields; no sentence runs from one field into the next."""
    return tuple(t for n, field in enumerate(fields) for t in _tokens(field or "", n))


def _typed(tokens: Sequence[_Token], start: int, end: int) -> str:
    """Tokens ``start`` to ``end`` as the user typed them ("top-up", "GP posts")."""
    first, last = tokens[start], tokens[end - 1]
    return " ".join(first.source[first.start : last.end].split())


# --- Matching phrases -------------------------------------------------------------------


@dataclass(frozen=True)
class _Phrase:
    text: str
    parts: tuple[tuple[str, bool, bool], ...]  # (word, prefix match, gap allowed before)


@lru_cache(maxsize=512)
def _phrase(text: str) -> _Phrase:
    parts: list[tuple[str, bool, bool]] = []
    gap = False
    for word in text.split():
        if word == "...":
            gap = True
            continue
        parts.append((word.rstrip("*"), word.endswith("*"), gap))
        gap = False
    return _Phrase(text, tuple(parts))


def _fits(word: str, prefix: bool, token: _Token) -> bool:
    if prefix:
        return any(form.startswith(word) for form in token.forms)
    return word in token.forms


def _match_at(phrase: _Phrase, tokens: Sequence[_Token], i: int) -> int | None:
    """The end (exclusive) of ``phrase`` matched from token ``i``, or None."""
    clause = tokens[i].clause
    j = i
    for n, (word, prefix, gap) in enumerate(phrase.parts):
        reach = range(j, min(j + (_CUE_GAP + 1 if gap else 1), len(tokens))) if n else [i]
        for k in reach:
            if tokens[k].clause != clause:
                return None
            if _fits(word, prefix, tokens[k]):
                j = k + 1
                break
        else:
            return None
    return j


@lru_cache(maxsize=64)
def _index(
    phrases: tuple[str, ...],
) -> tuple[dict[str, tuple[_Phrase, ...]], frozenset[str], tuple[_Phrase, ...]]:
    """Phrases by their first word (a prefix cue by its first letters), and short prefixes."""
    index: dict[str, list[_Phrase]] = {}
    short: list[_Phrase] = []
    for text in phrases:
        phrase = _phrase(text)
        word, prefix, _ = phrase.parts[0]
        if prefix and len(word) < _KEY:
            short.append(phrase)
        else:
            index.setdefault(word[:_KEY] if prefix else word, []).append(phrase)
    return {w: tuple(p) for w, p in index.items()}, frozenset(index), tuple(short)


def _spans(phrases: tuple[str, ...], tokens: Sequence[_Token]) -> list[tuple[int, int]]:
    """Every (start, end) token span where one of ``phrases`` matches."""
    index, keys, short = _index(phrases)
    out = []
    for i, token in enumerate(tokens):
        found = token.keys & keys
        if not (found or short):
            continue
        candidates = [p for key in found for p in index[key]]
        for phrase in dict.fromkeys((*candidates, *short)):
            end = _match_at(phrase, tokens, i)
            if end is not None:
                out.append((i, end))
    return out


def _cue_found(
    cues: tuple[str, ...], tokens: Sequence[_Token], exceptions: tuple[str, ...] = ()
) -> str | None:
    """The first cue found in ``tokens``, as typed, unless it starts inside an exception."""
    excluded = {k for start, end in _spans(exceptions, tokens) for k in range(start, end)}
    for start, end in sorted(_spans(cues, tokens)):
        if start not in excluded:
            return _typed(tokens, start, end)
    return None


def _joint_working(tokens: Sequence[_Token]) -> str | None:
    return _cue_found(JOINT_WORKING_CUES, tokens, JOINT_WORKING_EXCEPTIONS)


def _influence(tokens: Sequence[_Token]) -> str | None:
    return _cue_found(INFLUENCE_CUES, tokens)


# --- Resource asks ----------------------------------------------------------------------


def _words_of(entries: Iterable[str]) -> frozenset[str]:
    return frozenset(e for e in entries if " " not in e)


_STAFF = _words_of(STAFF_WORDS)
_HEADS = _words_of(STAFF_HEADS)
_MODIFIERS = _words_of(STAFF_MODIFIERS) | _STAFF
_CAPACITY = _words_of(CAPACITY_WORDS)
_MONEY = _words_of(MONEY_WORDS)
_LOAD = _words_of(LOAD_WORDS)
_NEGATIONS = frozenset(NEGATIONS)
_NOT_LOAD = frozenset({"working"})  # "joint working" is not workload


def _single(tokens: Sequence[_Token], words: frozenset[str]) -> list[tuple[int, int]]:
    return [(i, i + 1) for i, t in enumerate(tokens) if t.forms & words]


def _phrases_only(entries: Iterable[str]) -> tuple[str, ...]:
    return tuple(e for e in entries if " " in e)


_STAFF_PHRASES = _phrases_only(STAFF_WORDS)
_MONEY_PHRASES = _phrases_only(MONEY_WORDS)
_LOAD_PHRASES = _phrases_only(LOAD_WORDS)
_MORE = _words_of(MORE_WORDS)
_MORE_PHRASES = _phrases_only(MORE_WORDS)
_LESS = _words_of(LESS_WORDS)
_LESS_PHRASES = _phrases_only(LESS_WORDS)
_ADJACENT = _words_of(MORE_WORDS_ADJACENT)
_CONCEPTS = _STAFF | _MONEY | _CAPACITY | _LOAD | _MORE | _LESS


def _staff_items(tokens: Sequence[_Token]) -> list[tuple[int, int, str]]:
    """Runs of words naming staff or clinical time ("practice nurse workforce", "GP posts").

    A singular staff word counts only where it ends the run: before punctuation, the end of
    the sentence or a small word ("an extra GP for every practice"), not as a modifier
    ("more GP involvement")."""
    staff = {k for s, e in _spans(_STAFF_PHRASES, tokens) for k in range(s, e)}
    staff |= {i for i, t in enumerate(tokens) if t.forms & _STAFF}
    capacity = {i for i, t in enumerate(tokens) if t.forms & _CAPACITY}
    heads = {i for i, t in enumerate(tokens) if t.forms & _HEADS}
    modifiers = {i for i, t in enumerate(tokens) if t.forms & _MODIFIERS}
    usable = staff | capacity | heads | modifiers
    nouns = staff | capacity | heads
    items = []
    i = 0
    while i < len(tokens):
        if i not in usable:
            i += 1
            continue
        j = i
        while (
            j + 1 < len(tokens)
            and j + 1 in usable
            and tokens[j + 1].clause == tokens[i].clause
            and not tokens[j].break_after
        ):
            j += 1
        # Trim trailing modifiers ("GP practice" names a practice, not a GP).
        end = j
        while end >= i and end not in nouns:
            end -= 1
        run = range(i, end + 1)
        if end >= i and any(k in staff or k in capacity for k in run):
            last = tokens[end]
            plural = last.text.lower().endswith("s") and last.text.lower()[:-1] in last.forms
            follows = tokens[end + 1] if end + 1 < len(tokens) else None
            heads_it = (
                end in heads
                or plural
                or follows is None
                or follows.clause != last.clause
                or last.break_after
                or bool(follows.forms & _FUNCTION_WORDS)
            )
            if heads_it:
                kind = "capacity" if end in capacity else "staff"
                start = next(k for k in run if k in staff or k in capacity)
                while start > i and start - 1 in modifiers:
                    start -= 1
                items.append((start, end + 1, kind))
        i = j + 1
    return items


def _negated(tokens: Sequence[_Token], lo: int, hi: int, skip: range) -> bool:
    """A negation between two words or just before them ("without extra staff")."""
    return any(
        tokens[k].forms & _NEGATIONS
        for k in range(max(0, lo - 2), hi)
        if k not in skip and tokens[k].clause == tokens[hi - 1].clause
    )


def _how_clauses(tokens: Sequence[_Token]) -> set[tuple[int, int]]:
    """Clauses that say how general practice will do it: "by running", "through training"."""
    out = set()
    for a, b in zip(tokens, tokens[1:], strict=False):
        if (
            a.clause == b.clause
            and a.forms & {"by", "through"}
            and b.text.lower().endswith("ing")
            and not b.forms & _CONCEPTS
        ):
            out.add(a.clause)
    return out


def _resource_hits(tokens: Sequence[_Token]) -> list[ResourceHit]:
    items = _staff_items(tokens)
    # A word inside a staff phrase is part of it: "salaried GPs" asks for GPs, not salary.
    taken = {k for s, e, _ in items for k in range(s, e)}
    money = [(s, e) for s, e in _single(tokens, _MONEY) if s not in taken]
    items += [(s, e, "money") for s, e in money + _spans(_MONEY_PHRASES, tokens)]
    load = [
        (s, e)
        for s, e in _single(tokens, _LOAD)
        if s not in taken and tokens[s].text.lower() not in _NOT_LOAD
    ]
    items += [(s, e, "load") for s, e in load + _spans(_LOAD_PHRASES, tokens)]
    by_clause: dict[tuple[str, tuple[int, int]], list[tuple[int, int]]] = {}
    for polarity, spans in (
        ("more", _single(tokens, _MORE) + _spans(_MORE_PHRASES, tokens)),
        ("less", _single(tokens, _LESS) + _spans(_LESS_PHRASES, tokens)),
    ):
        for span in spans:
            by_clause.setdefault((polarity, tokens[span[0]].clause), []).append(span)
    skip = _how_clauses(tokens)

    found: list[tuple[int, int, int, int, str]] = []
    for start, end, kind in items:
        clause = tokens[start].clause
        if clause in skip:
            continue
        best: tuple[int, int, int] | None = None
        for q_start, q_end in by_clause.get(("less" if kind == "load" else "more", clause), []):
            if q_start < end and start < q_end:
                continue
            gap = q_start - end if q_start >= end else start - q_end
            limit = 0 if tokens[q_start].forms & _ADJACENT and q_end - q_start == 1 else NEAR
            if gap > limit or (limit == 0 and q_start >= end):
                continue
            lo, hi = min(start, q_start), max(end, q_end)
            if _negated(tokens, lo, hi, range(q_start, q_end)):
                continue
            if best is None or gap < best[0]:
                best = (gap, q_start, q_end)
        if best is not None:
            found.append((best[1], best[2], start, end, kind))
    for start, end in _spans(RESOURCE_PHRASES, tokens):
        if tokens[start].clause not in skip:
            found.append((start, end, start, end, "money"))

    hits = []
    for q_start, q_end, start, end, kind in sorted(found, key=lambda f: min(f[0], f[2])):
        spans = sorted({(q_start, q_end), (start, end)})
        words = tuple(_typed(tokens, s, e) for s, e in spans)
        hits.append(ResourceHit(kind, words))
    return hits


def resource_hits(*fields: str) -> list[ResourceHit]:
    """Every resource ask in the wording, with its kind and the words that tripped it (pure).

    Each field is read on its own: words in the title do not pair with words in the ask.

    >>> [(h.label, h.words) for h in resource_hits("Funding for general practice increased")]
    [('more money', ('Funding', 'increased'))]
    >>> [h.words for h in resource_hits("More GP posts, and the workload brought down")]
    [('More', 'GP posts'), ('workload', 'brought down')]
    >>> resource_hits("Better continuity without extra staff")
    []
    """
    return _resource_hits(_all_tokens(tuple(fields)))


def _quoted(hits: Sequence[ResourceHit], limit: int = 8) -> str:
    words: list[str] = []
    for hit in hits:
        for word in hit.words:
            if word.lower() not in {w.lower() for w in words}:
                words.append(word)
    shown = ", ".join(f"'{w}'" for w in words[:limit])
    return shown + (" and more" if len(words) > limit else "")


def _kinds(hits: Sequence[ResourceHit]) -> str:
    return ", ".join(dict.fromkeys(h.label for h in hits))


def resource_phrase(text: str) -> str | None:
    """The resource ask in ``text``, its kind and the words that tripped it, if any (pure).

    >>> resource_phrase("We need extra salaried GPs")
    "more staff: 'extra', 'salaried GPs'"
    >>> resource_phrase("A say in how neighbourhood teams spend time") is None
    True
    """
    hits = resource_hits(text)
    return f"{_kinds(hits)}: {_quoted(hits)}" if hits else None


# --- The checks -------------------------------------------------------------------------


def _text(*parts: str | None) -> str:
    return " ".join(" ".join((p or "").split()) for p in parts).lower().replace("’", "'")


def _first(patterns: Iterable[str], text: str) -> str | None:
    for pattern in patterns:
        found = re.search(pattern, text)
        if found:
            return found.group(0)
    return None


def detect_qualities(
    title: str, description: str = "", ask: str = "", actions: str = ""
) -> frozenset[Quality]:
    """Which of the four qualities the wording shows, by the cue lists above (pure).

    >>> found = detect_qualities("Shared visiting hub across the PCN", actions="We will run it")
    >>> sorted(q.value for q in found)
    ['joint_working', 'practical_action']
    """
    tokens = _all_tokens((title, description, ask, actions))
    return _qualities(
        _text(title, description, ask, actions),
        description,
        actions,
        joint=bool(_joint_working(tokens)),
        influence=bool(_influence(tokens)),
    )


def _qualities(
    text: str,
    description: str,
    actions: str,
    *,
    joint: bool,
    influence: bool,
) -> frozenset[Quality]:
    found: set[Quality] = set()
    if joint:
        found.add(Quality.JOINT_WORKING)
    if influence:
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

    Codes, for programs: ``resource_ask`` (reads as a request for more staff, money or less
    work without saying what joint working or influence it seeks), ``no_ask`` (names nothing
    it wants the local system to do), ``no_action`` (no practical action general practice
    would take), ``no_quality`` (claims none of the four qualities). The messages are for
    people: sentences that quote the words that tripped the check and say how to reword.
    Pass ``qualities`` (the ones the board claims for the candidate) to check those; without
    it the wording is read for them.

    >>> [w.code for w in drafting_warnings("Less workload for every practice")]
    ['resource_ask', 'no_ask', 'no_action']
    >>> print(drafting_warnings("Workloads reduced")[0].message[:67])
    This reads like a resource ask: 'Workloads', 'reduced' (less work).
    >>> [w.code for w in drafting_warnings(
    ...     "Move the system's resilience funding into practices' own hands",
    ...     ask="The ICB transfers its practice resilience budget to a fund the practices run",
    ...     actions="Practices agree the rules for the fund together and report on it yearly",
    ... )]
    []
    """
    text = _text(title, description, ask, actions)
    tokens = _all_tokens((title, description, ask, actions))
    warnings: list[DraftingWarning] = []
    hits = _resource_hits(tokens)
    joint = bool(_joint_working(tokens))
    influence = bool(_influence(tokens))
    if hits and not (joint or influence):
        warnings.append(
            DraftingWarning(
                "resource_ask",
                f"This reads like a resource ask: {_quoted(hits)} ({_kinds(hits)}). It does "
                "not say what joint working or influence on the system it is after, and the "
                "system rarely moves for a bare resource ask. Reword it around what should "
                "change: who should hold the money, which decisions general practice wants a "
                "say in, or what practices would do together with it.",
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
        claimed = set(_qualities(text, description, actions, joint=joint, influence=influence))
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
