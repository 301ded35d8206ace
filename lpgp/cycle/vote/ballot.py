"""Ballot codes, the ballot a practice sees, casting, receipts and reminders.

Codes are kept only as HMAC digests under the server key (:mod:`lpgp.codes`) and looked up by
an index. Every code that does not lead to a ballot (mistyped, revoked, another vote's, never
issued) gets the same refusal, :data:`BAD_CODE`, so a guesser learns nothing.

Casting checks the vote's state by the database's clock and writes the ballot in the same
transaction, so a cast racing the close either lands first or is refused with the closing
time. A practice's ballot lives in a *slot*, ``codes.derive("ballot-slot:VOTE:PRACTICE")``:
whatever code it used, a new ballot replaces the old one, so a practice always has exactly one
counted ballot. A secret ballot is sealed until its vote closes, in a row with no practice, no
time and a random key (:mod:`lpgp.cycle.vote.ballot_box`); turnout goes to a separate table.

The ballot's value types and its pure rules (the form, reading a choice, the mail-merge and
reminder files) are in :mod:`lpgp.cycle.vote.ballot_rules`.
"""

from __future__ import annotations

import logging
import secrets
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from lpgp import audit, clock, codes, voting
from lpgp.cycle.vote import ballot_box, electorate, electorate_rules, vote_rules
from lpgp.cycle.vote import vote as votes
from lpgp.cycle.vote.ballot_rules import (
    BallotCandidate,
    BallotForm,
    CodeLetter,
    Receipt,
    Voter,
    personal_link,
    state_message,
    weight_note,
)
from lpgp.errors import InvalidInput, NotFound, StateError
from lpgp.model import Place, normalise_ods
from lpgp.store.schema import PracticeRow
from lpgp.store.schema_vote import VoteBallotRow, VoteCodeRow, VoteRow, VoteTurnoutRow

log = logging.getLogger(__name__)

BAD_CODE = (
    "That ballot code was not recognised. Check it against your letter or email; if it still "
    "does not work, ask the facilitator for a new one."
)
PURPOSE = "ballot"
RECEIPT_LENGTH = 9

# The statements a practice's visit runs on every request, built once: building a query
# (and its cache key) afresh each time was a large part of a light page's cost.
_CODES = VoteCodeRow.__table__.c
# A row with every column of the vote (so :func:`lpgp.cycle.vote.vote.to_vote` reads it as it reads
# a ``VoteRow``) and the code's own columns under ``code_`` names.
_CODE_AND_VOTE = (
    select(
        _CODES.vote_id.label("code_vote_id"),
        _CODES.practice_id.label("code_practice_id"),
        _CODES.revoked_at.label("code_revoked_at"),
        *VoteRow.__table__.c,
    )
    .join_from(VoteCodeRow.__table__, VoteRow.__table__, VoteRow.id == VoteCodeRow.vote_id)
    .where(_CODES.digest == bindparam("digest"))
)
_VOTE_LOCKED = (
    select(*VoteRow.__table__.c)
    .where(VoteRow.__table__.c.id == bindparam("vote_id"))
    .with_for_update(read=True)
)
_UPSERTS: dict[str, tuple[Any, Any]] = {}


def _upserts(dialect: str) -> tuple[Any, Any]:
    """The ballot upsert and the turnout insert for ``dialect``, built once each."""
    if dialect not in _UPSERTS:
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        ballots = VoteBallotRow.__table__
        new = insert(ballots)
        stmt = new.on_conflict_do_update(
            index_elements=["slot", "vote_id"],
            set_={"content": new.excluded.content, "receipt": new.excluded.receipt},
        ).returning(ballots.c.id, ballots.c.receipt)
        turnout = insert(VoteTurnoutRow.__table__).on_conflict_do_nothing(
            index_elements=["vote_id", "practice_id"]
        )
        _UPSERTS[dialect] = (stmt, turnout)
    return _UPSERTS[dialect]


# ---- codes ------------------------------------------------------------------------------


def _live_codes(
    session: Session, vote: vote_rules.Vote, practice_id: int | None = None
) -> list[VoteCodeRow]:
    query = select(VoteCodeRow).where(
        VoteCodeRow.place_id == vote.place_id,
        VoteCodeRow.vote_id == vote.id,
        VoteCodeRow.revoked_at.is_(None),
    )
    if practice_id is not None:
        query = query.where(VoteCodeRow.practice_id == practice_id)
    return list(session.scalars(query))


def _require_not_closed(session: Session, vote: vote_rules.Vote) -> vote_rules.Vote:
    """The vote as the store has it now, if codes may still change."""
    vote = votes.get_vote(session, vote.place_id, vote.id)
    if votes.state(session, vote) == vote_rules.VoteState.CLOSED:
        raise StateError(
            f"'{vote.title}' closed at {vote_rules.london_text(vote_rules.closing_time(vote))}: "
            "no more codes can be issued"
        )
    if vote.status != vote_rules.VoteState.OPEN:
        raise StateError(
            f"'{vote.title}' has not been opened yet: open it first (this freezes the "
            "electorate), then issue codes"
        )
    return vote


def _new_letter(
    session: Session, vote: vote_rules.Vote, e: electorate_rules.Elector, base_url: str | None
) -> CodeLetter:
    code = codes.new_code()
    session.add(
        VoteCodeRow(
            place_id=vote.place_id,
            vote_id=vote.id,
            practice_id=e.practice_id,
            digest=codes.digest(code, purpose=PURPOSE),
            issued_at=clock.now(),
        )
    )
    email = session.scalar(select(PracticeRow.email).where(PracticeRow.id == e.practice_id))
    return CodeLetter(e.ods_code, e.name, email or "", code, personal_link(base_url, code))


def issue_codes(
    session: Session,
    vote: vote_rules.Vote,
    *,
    base_url: str | None = None,
    actor: str | None = None,
) -> list[CodeLetter]:
    """Issue a code to every practice of the electorate that has none yet.

    The codes exist only in the returned letters: write them out once (:func:`mail_merge`).

    >>> letters = store.write(lambda s: issue_codes(s, vote, base_url=URL))  # doctest: +SKIP
    >>> sys.stdout.writelines(mail_merge(letters))  # doctest: +SKIP
    """
    actor = audit.acting(actor)
    vote = _require_not_closed(session, vote)
    have = {c.practice_id for c in _live_codes(session, vote)}
    letters = [
        _new_letter(session, vote, e, base_url)
        for e in electorate.electors(session, vote)
        if e.practice_id not in have
    ]
    session.flush()
    if letters:
        audit.record(
            session,
            vote.place_id,
            actor,
            "code.issued",
            {"vote": vote.id, "practices": [x.ods_code for x in letters]},
        )
    return letters


def _elector_by_ods(
    session: Session, vote: vote_rules.Vote, ods_code: str
) -> electorate_rules.Elector:
    code = normalise_ods(ods_code)
    for e in electorate.electors(session, vote):
        if e.ods_code == code:
            return e
    raise NotFound(f"{code} is not in the electorate of '{vote.title}'")


def revoke_code(
    session: Session, vote: vote_rules.Vote, ods_code: str, *, actor: str | None = None
) -> None:
    """Revoke a practice's code (lost, or sent to the wrong person); its ballot stays."""
    actor = audit.acting(actor)
    vote = _require_not_closed(session, vote)
    e = _elector_by_ods(session, vote, ods_code)
    live = _live_codes(session, vote, e.practice_id)
    if not live:
        raise StateError(f"{e.ods_code} has no code to revoke in '{vote.title}'")
    for row in live:
        row.revoked_at = clock.now()
    session.flush()
    audit.record(
        session, vote.place_id, actor, "code.revoked", {"vote": vote.id, "practice": e.ods_code}
    )


def reissue_code(
    session: Session,
    vote: vote_rules.Vote,
    ods_code: str,
    *,
    base_url: str | None = None,
    actor: str | None = None,
) -> CodeLetter:
    """Revoke a practice's code and issue a new one. A ballot already cast stays counted, and a
    ballot cast with the new code replaces it."""
    actor = audit.acting(actor)
    vote = _require_not_closed(session, vote)
    e = _elector_by_ods(session, vote, ods_code)
    for row in _live_codes(session, vote, e.practice_id):
        row.revoked_at = clock.now()
    letter = _new_letter(session, vote, e, base_url)
    session.flush()
    audit.record(
        session, vote.place_id, actor, "code.reissued", {"vote": vote.id, "practice": e.ods_code}
    )
    return letter


def code_holders(session: Session, vote: vote_rules.Vote) -> set[int]:
    """Ids of the practices that hold a code that still works in ``vote``."""
    return {c.practice_id for c in _live_codes(session, vote)}


def reissue_all_codes(
    session: Session,
    vote: vote_rules.Vote,
    *,
    base_url: str | None = None,
    actor: str | None = None,
) -> list[CodeLetter]:
    """Revoke every practice's code and issue each a new one, for when the file of codes was
    lost: the old codes stop working at once. Ballots already cast still count, and a ballot
    cast with a new code replaces its practice's earlier one.

    >>> letters = store.write(lambda s: reissue_all_codes(s, vote, base_url=URL))  # doctest: +SKIP
    """
    actor = audit.acting(actor)
    vote = _require_not_closed(session, vote)
    now = clock.now()
    for row in _live_codes(session, vote):
        row.revoked_at = now
    session.flush()
    letters = [_new_letter(session, vote, e, base_url) for e in electorate.electors(session, vote)]
    session.flush()
    audit.record(
        session,
        vote.place_id,
        actor,
        "code.reissued_all",
        {"vote": vote.id, "practices": [x.ods_code for x in letters]},
    )
    return letters


# ---- who is voting ----------------------------------------------------------------------


def voter_for_code(session: Session, code: str, *, vote_id: int | None = None) -> Voter:
    """The practice and vote a code belongs to. Any code that cannot vote, for whatever
    reason, raises the same :class:`NotFound` with the text :data:`BAD_CODE`.

    >>> with store.read() as s:  # doctest: +SKIP
    ...     form = ballot_form(s, voter_for_code(s, code))
    ...     [c.key for c in form.candidates], form.message
    (['C', 'D', 'A', 'B'], 'This vote is open until 17:00 on Fri 12 Mar 2027.')
    """
    found = None
    if codes.normalise(code or ""):
        digest = codes.digest(code, purpose=PURPOSE)
        found = session.execute(_CODE_AND_VOTE, {"digest": digest}).first()
    if found is None:
        raise NotFound(BAD_CODE)
    if found.code_revoked_at is not None or (vote_id is not None and found.code_vote_id != vote_id):
        raise NotFound(BAD_CODE)
    vote = votes.to_vote(found)
    e = _frozen(session, vote).electors.get(found.code_practice_id)
    if e is None:
        raise NotFound(BAD_CODE)
    return Voter(vote, e.practice_id, e.ods_code, e.name, e.position, e.weight, e.band)


@dataclass(frozen=True)
class _Frozen:
    electors: dict[int, electorate_rules.Elector]
    candidates: tuple[vote_rules.CandidateText, ...]


# What opening a vote froze (its electorate and candidate texts) never changes afterwards, so
# each process keeps it per database and vote rather than reading it on every page. Anything
# that can change (the vote's state and times, codes, ballots) is always read from the store.
_FROZEN: weakref.WeakKeyDictionary[object, dict[tuple, _Frozen]] = weakref.WeakKeyDictionary()
_FROZEN_VOTES = 64
# One reader fills a vote's entry; the others (a room's first pages, on several threads) wait
# for it rather than each reading the whole electorate.
_FILLING = threading.Lock()


def _frozen(session: Session, vote: vote_rules.Vote) -> _Frozen:
    """The vote's frozen electorate (by practice id) and candidate texts."""

    def read() -> _Frozen:
        found = electorate.electors(session, vote)
        texts = votes.candidates(session, vote)
        return _Frozen({e.practice_id: e for e in found}, tuple(texts))

    if vote.opened_at is None:  # not frozen yet
        return read()
    # Keyed by the connection pool: every engine with other options over the same database
    # (a write with its own lock wait, a read without a transaction) shares it.
    bind = session.get_bind()
    kept = _FROZEN.setdefault(getattr(bind, "pool", bind), {})
    key = (vote.place_id, vote.id, vote.opened_at)
    found = kept.get(key)
    if found is None:
        with _FILLING:
            found = kept.get(key)
            if found is None:
                if len(kept) >= _FROZEN_VOTES:
                    kept.clear()
                found = kept[key] = read()
    return found


def ballot_candidates(session: Session, voter: Voter) -> list[tuple[str, str]]:
    """The vote's candidates as (key, title), in the order the practice's ballot lists
    them (its own rotation); read once per process, as the ballot form's are."""
    texts = _frozen(session, voter.vote).candidates
    return [
        (texts[i].key, texts[i].title)
        for i in electorate_rules.rotation(voter.position, len(texts))
    ]


def ballot_form(session: Session, voter: Voter) -> BallotForm:
    """The ballot as this practice sees it: candidates in its own rotated order, with each
    one's description and ask, its current ballot (if any) and the closing time.

    ``voter`` comes from :func:`voter_for_code` in the same session, which has just read the
    vote's state and times."""
    vote = voter.vote
    texts = _frozen(session, vote).candidates
    order = electorate_rules.rotation(voter.position, len(texts))
    current = ballot_box.current(session, vote, voter.practice_id)
    st = votes.state(session, vote)
    return BallotForm(
        vote_id=vote.id,
        title=vote.title,
        state=st,
        message=state_message(vote, st),
        kind=voting.ballot_kind(vote.method),
        method=vote.method,
        method_name=voting.methods()[vote.method].name,
        seats=vote.seats,
        budget=vote.budget,
        secret=vote.secret,
        opens_at=vote.opens_at,
        closes_at=vote_rules.closing_time(vote),
        practice=voter.practice,
        ods_code=voter.ods_code,
        weight_note=weight_note(vote, voter.weight, voter.band),
        candidates=tuple(
            BallotCandidate(texts[i].key, texts[i].title, texts[i].description, texts[i].ask)
            for i in order
        ),
        current=current[0] if current else None,
        receipt=current[1] if current else None,
    )


# ---- casting ----------------------------------------------------------------------------


def new_receipt() -> str:
    """A short random reference, grouped for reading.

    >>> len(new_receipt())
    11
    """
    raw = "".join(secrets.choice(codes.ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(raw[i : i + 3] for i in range(0, RECEIPT_LENGTH, 3))


def require_open(session: Session, vote: vote_rules.Vote) -> None:
    """Refuse a change to ballots unless the vote is open now, by the database's clock."""
    st = votes.state(session, vote)
    if st == vote_rules.VoteState.CLOSED:
        raise StateError(
            f"This vote closed at {vote_rules.london_text(vote_rules.closing_time(vote))}: "
            "your ballot was not recorded."
        )
    if st != vote_rules.VoteState.OPEN:
        raise StateError(state_message(vote, st) + " Your ballot was not recorded.")


def cast(session: Session, code: str, ballot: Any, *, vote_id: int | None = None) -> Receipt:
    """Record (or replace) the ballot of the practice holding ``code``.

    The code, the vote's state by the database's clock, and the ballot (checked by the
    voting engine) are all checked inside this one transaction; any failure leaves the store
    as it was.

    >>> receipt = store.write(lambda s: cast(s, "K7P-...", ["B", "A"]))  # doctest: +SKIP
    >>> print(receipt)  # doctest: +SKIP
    Your ballot was recorded. Receipt 4HX-T9Q-2MC: keep it to find your ballot ...
    """
    voter = voter_for_code(session, code, vote_id=vote_id)
    # Lock the vote row where the database allows it, so a manual close cannot interleave.
    row = session.execute(_VOTE_LOCKED, {"vote_id": voter.vote.id}).one()
    vote = votes.to_vote(row)
    require_open(session, vote)
    keys = [c.key for c in _frozen(session, vote).candidates]
    normalised = voting.check_ballot(vote.method, ballot, keys, budget=vote.budget)
    content = {"ballot": _plain(normalised)}
    receipt, replaced = _store_ballot(session, vote, voter, content)
    session.flush()
    detail: dict[str, Any] = {"vote": vote.id, "practice": voter.ods_code}
    if not vote.secret:
        detail.update(ballot=content["ballot"], receipt=receipt)
    action = "ballot.replaced" if replaced else "ballot.cast"
    audit.record(session, vote.place_id, f"practice:{voter.ods_code}", action, detail)
    log.info("a ballot was recorded in vote %s", vote.id)
    return Receipt(receipt, vote.id, replaced, vote_rules.closing_time(vote))


def _store_ballot(
    session: Session, vote: vote_rules.Vote, voter: Voter, content: dict
) -> tuple[str, bool]:
    """Record the practice's ballot in its slot, replacing any earlier one; returns (receipt,
    replaced). Every cast gets a new receipt: the latest is the one that counts. A secret
    ballot is sealed (:mod:`lpgp.cycle.vote.ballot_box`); a named one is written in plain. Either
    way one upsert, without first reading the ballots, so that on PostgreSQL concurrent casts by
    different practices do not read what each other write (which SERIALIZABLE would refuse)."""
    upsert, turnout = _upserts(session.get_bind().dialect.name)
    receipt = new_receipt()
    if vote.secret:
        replaced = ballot_box.store_sealed(
            session, vote, voter.practice_id, content, receipt, voter.weight
        )
    else:
        new_id = secrets.token_hex(16)
        stored_id, receipt = session.execute(
            upsert,
            {
                "id": new_id,
                "place_id": vote.place_id,
                "vote_id": vote.id,
                "slot": ballot_box.slot(vote.id, voter.practice_id),
                "receipt": receipt,
                "content": content,
                "weight": voter.weight,
                "practice_id": voter.practice_id,
            },
        ).one()
        replaced = stored_id != new_id
    if not replaced:
        session.execute(
            turnout,
            {"vote_id": vote.id, "practice_id": voter.practice_id, "place_id": vote.place_id},
        )
    return receipt, replaced


def _plain(value: Any) -> Any:
    """A ballot in JSON-ready form (lists, dicts, strings and numbers)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(_plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        return value.item()  # numpy scalars
    return value


def void_ballot(
    session: Session,
    place: Place,
    vote: vote_rules.Vote,
    ods_code: str,
    *,
    reason: str,
    actor: str | None = None,
) -> None:
    """Void a practice's ballot before close (e.g. cast with a code that went astray); the
    practice can cast again with a new code."""
    actor = audit.acting(actor)
    if not reason.strip():
        raise InvalidInput("reason: say why the ballot is void")
    vote = votes.get_vote(session, place, vote)
    require_open(session, vote)
    e = _elector_by_ods(session, vote, ods_code)
    if not ballot_box.remove(session, vote, e.practice_id):
        raise StateError(f"{e.ods_code} has no ballot in '{vote.title}'")
    turnout = session.get(VoteTurnoutRow, (vote.id, e.practice_id))
    if turnout is not None:
        session.delete(turnout)
    session.flush()
    audit.record(
        session,
        vote.place_id,
        actor,
        "ballot.voided",
        {"vote": vote.id, "practice": e.ods_code, "reason": reason.strip()},
    )


# ---- reminders --------------------------------------------------------------------------


def not_yet_voted(session: Session, vote: vote_rules.Vote) -> list[electorate_rules.Elector]:
    """Practices of the electorate with no counted ballot, by ODS code."""
    voted = votes.voted_practices(session, vote)
    return [e for e in electorate.electors(session, vote) if e.practice_id not in voted]


def reminders(
    session: Session,
    vote: vote_rules.Vote,
    *,
    reissue: bool = False,
    base_url: str | None = None,
    actor: str | None = None,
) -> list[CodeLetter]:
    """Reminder letters for the practices that have not voted. Codes are never stored, so a
    reminder carries a new code only with ``reissue`` (the old code stops working)."""
    actor = audit.acting(actor)
    vote = _require_not_closed(session, vote)
    letters = []
    for e in not_yet_voted(session, vote):
        if reissue:
            letters.append(reissue_code(session, vote, e.ods_code, base_url=base_url, actor=actor))
        else:
            email = session.scalar(select(PracticeRow.email).where(PracticeRow.id == e.practice_id))
            letters.append(CodeLetter(e.ods_code, e.name, email or "", "", ""))
    return letters


def practice_emails(session: Session, practice_ids: Iterable[int]) -> dict[int, str]:
    """Each practice's email address on file (empty when it has none)."""
    ids = list(practice_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(PracticeRow.id, PracticeRow.email).where(PracticeRow.id.in_(ids))
    ).all()
    return {pid: email or "" for pid, email in rows}
