"""A practice's ballot, the rules (pure): a code letter and its private link, the mail-merge and
reminder files, a signed-in voter, the ballot form and what it says about the vote, reading a
choice as a practice typed it, and the receipt; :mod:`lpgp.cycle.vote.ballot` issues codes and
stores ballots.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from lpgp.cycle.vote import electorate_rules, vote_rules
from lpgp.errors import InvalidInput
from lpgp.io import csv_writer

LINK_PATH = "/c/"


@dataclass(frozen=True)
class CodeLetter:
    """One line of the mail-merge file: produced once, handed to the user, never stored."""

    ods_code: str
    practice: str
    email: str
    code: str
    link: str


def personal_link(base_url: str | None, code: str) -> str:
    """The private link that signs a practice in with its code.

    >>> personal_link("https://vote.example.org/", "ABC-DEF")
    'https://vote.example.org/c/ABC-DEF'
    """
    return f"{(base_url or '').rstrip('/')}{LINK_PATH}{code}" if base_url else ""


MAIL_MERGE_COLUMNS = ["ODS code", "Practice", "Email", "Ballot code", "Link"]


def mail_merge(letters: Iterable[CodeLetter], extra: dict[str, str] | None = None) -> Iterator[str]:
    """The mail-merge CSV, line by line, for streaming straight to the user.

    >>> rows = list(mail_merge([CodeLetter("Z99001", "Mill Lane", "pm@x.nhs.uk", "AB", "")]))
    >>> rows[1].strip()
    'Z99001,Mill Lane,pm@x.nhs.uk,AB,'
    """
    extra = extra or {}
    buffer = io.StringIO()
    writer = csv_writer.writer(buffer, lineterminator="\n")
    writer.writerow(MAIL_MERGE_COLUMNS + list(extra))
    yield buffer.getvalue()
    for x in letters:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([x.ods_code, x.practice, x.email, x.code, x.link, *extra.values()])
        yield buffer.getvalue()


@dataclass(frozen=True)
class Voter:
    """A practice signed in with a valid code for a vote. Lives only in memory."""

    vote: vote_rules.Vote
    practice_id: int
    ods_code: str
    practice: str
    position: int
    weight: Decimal  # exact, as the store keeps it
    band: str | None


@dataclass(frozen=True)
class BallotCandidate:
    key: str
    title: str
    description: str
    ask: str


@dataclass(frozen=True)
class BallotForm:
    """Everything the ballot page shows a practice."""

    vote_id: int
    title: str
    state: str
    message: str
    kind: str
    method: str
    method_name: str
    seats: int
    budget: int | None
    secret: bool
    opens_at: datetime
    closes_at: datetime
    practice: str
    ods_code: str
    weight_note: str
    candidates: tuple[BallotCandidate, ...]
    current: Any
    receipt: str | None


def state_message(vote: vote_rules.Vote, state: str) -> str:
    """What a practice is told about where the vote stands."""
    if state == vote_rules.VoteState.CLOSED:
        return f"This vote closed at {vote_rules.london_text(vote_rules.closing_time(vote))}."
    if state == vote_rules.VoteState.SCHEDULED:
        if vote.status == vote_rules.VoteState.OPEN:
            return (
                f"This vote is not open yet: it opens at {vote_rules.london_text(vote.opens_at)}."
            )
        return "This vote is not open yet: the facilitator has not opened it."
    return f"This vote is open until {vote_rules.london_text(vote_rules.closing_time(vote))}."


def weight_note(vote: vote_rules.Vote, weight: Decimal | float, band: str | None) -> str:
    """How much the practice's ballot counts, in words."""
    if vote.weighting == "equal":
        return "Every practice's ballot counts the same."
    if band:
        return f"Ballots are weighted by list-size band; your practice is in {band}."
    return f"Ballots are weighted by list size; yours counts as {weight:,.0f} patients."


def parse_choice(kind: str, text: str) -> Any:
    """Read a ballot typed as text: ranked ``B>A>C``, approval ``A,C``, points ``A=3,B=2``.
    The voting engine checks it afterwards.

    A ranked ballot cannot hold ties: ``A=B`` is refused, naming the candidates that share a
    place. An empty ballot is refused too rather than cast, because casting it would replace
    the practice's earlier ballot, if any, with an abstention.

    >>> parse_choice("ranked", "b > a"), parse_choice("approval", "A, C")
    (['B', 'A'], ['A', 'C'])
    >>> parse_choice("points", "A=3, B=2")
    {'A': 3, 'B': 2}
    >>> parse_choice("ranked", "B>A=C")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: ballot: 'A' and 'C' share rank 2; give each priority a place ...
    """
    from lpgp.errors import printable

    shown = printable(text.strip())
    text = text.strip().upper()
    if not text:
        raise InvalidInput(
            "ballot: it is empty; give your choices (like B>A>C, A,C or A=3,B=2). An empty "
            "ballot is not cast, so a ballot your practice cast before still counts"
        )
    if kind == "ranked":
        order: list[str] = []
        for place, part in enumerate(text.split(">"), start=1):
            keys = [k.strip() for k in part.split("=")]
            if len(keys) > 1 and all(keys):
                quoted = [f"'{printable(k)}'" for k in keys]
                tied = ", ".join(quoted[:-1]) + " and " + quoted[-1]
                raise InvalidInput(
                    f"ballot: {tied} share rank {place}; give each priority a place of its "
                    "own, like B>A>C (a ranked ballot cannot hold ties)"
                )
            if not all(keys):
                raise InvalidInput(
                    f"ballot: '{shown}' has an empty or broken place (number {place}); write "
                    "the candidate keys in order of preference, like B>A>C"
                )
            order.append(keys[0])
        return order
    if kind == "approval":
        approved = [k.strip() for k in text.split(",") if k.strip()]
        if not approved:
            raise InvalidInput(
                f"ballot: '{shown}' approves nothing; an empty ballot is not cast, so a ballot "
                "your practice cast before still counts"
            )
        return approved
    points: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, _, value = part.partition("=")
        try:
            points[key.strip()] = int(value)
        except ValueError:
            raise InvalidInput(
                f"ballot: '{printable(part)}' should be a candidate key and points, like A=3"
            ) from None
    if not any(points.values()):
        raise InvalidInput(
            f"ballot: '{shown}' gives no points; an empty ballot is not cast, so a ballot your "
            "practice cast before still counts"
        )
    return points


@dataclass(frozen=True)
class Receipt:
    """What a practice keeps after casting: the reference to find its ballot once the
    ballots are published, and whether this replaced an earlier ballot."""

    receipt: str
    vote_id: int
    replaced: bool
    closes_at: datetime

    def __str__(self) -> str:
        verb = "replaced your earlier ballot" if self.replaced else "was recorded"
        return (
            f"Your ballot {verb}. Receipt {self.receipt}: keep it to find your ballot in the "
            f"published list after the vote closes at {vote_rules.london_text(self.closes_at)}."
        )


REMINDER_COLUMNS = ["ODS code", "Practice", "PCN", "Email", "Closes"]


def reminder_csv(
    electors: Iterable[electorate_rules.Elector], emails: dict[int, str], closes: str
) -> str:
    """The practices that have not voted, as a CSV to send reminders from (no codes: codes
    are never kept).

    >>> e = electorate_rules.Elector(7, "Z99001", "Mill Lane", "North PCN", 5000, None, 1, None, 0)
    >>> print(reminder_csv([e], {7: "pm@x.nhs.uk"}, "Fri 12 Mar 2027, 17:00"), end="")
    ODS code,Practice,PCN,Email,Closes
    Z99001,Mill Lane,North PCN,pm@x.nhs.uk,"Fri 12 Mar 2027, 17:00"
    """
    buffer = io.StringIO()
    writer = csv_writer.writer(buffer, lineterminator="\n")
    writer.writerow(REMINDER_COLUMNS)
    for e in electors:
        writer.writerow([e.ods_code, e.name, e.pcn or "", emails.get(e.practice_id, ""), closes])
    return buffer.getvalue()
