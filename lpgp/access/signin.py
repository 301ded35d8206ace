"""Who is at the other end of a request: web sessions created by a code, kept in the store.

The browser holds a random token in a signed, HttpOnly cookie; the store keeps its digest, the
place, and who signed in. Ending a session (signing out) makes the cookie worthless.

A practice's browser also holds its ballot code, which the ballot library casts with, in a
second cookie: sealed with AES-GCM under a key derived from the server key and bound to the
session's token, so the cookie is opaque, and useless beside any other session. Form tokens
(``_xsrf``) are bound to the session too: an HMAC of its token (:func:`xsrf_secret`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import and_, bindparam, insert, select
from sqlalchemy.orm import Session

from lpgp import audit, clock, codes
from lpgp.cycle.board.member_code import member_for_code
from lpgp.cycle.board.person import SEAT_COLUMNS, seat_from_row
from lpgp.cycle.board.place import get_place
from lpgp.cycle.vote import ballot
from lpgp.errors import NotFound
from lpgp.model import BoardMember, Place
from lpgp.store.schema import BoardMemberRow, PersonRow, PlaceRow
from lpgp.store.schema_app import WebSessionRow

COOKIE = "lpgp_session"
BALLOT_COOKIE = "lpgp_ballot"
LIFETIME = timedelta(hours=12)
TOKEN_PURPOSE = "web-session"
XSRF_COOKIE = "_xsrf"
MEMBER = "member"
PRACTICE = "practice"

# Run on every request of a signed-in visitor (or at every sign-in): built once. A board
# member's session brings their board seat along in the same query (None if they have been
# taken off the board since signing in).
_SESSIONS = WebSessionRow.__table__.c
_PLACES = PlaceRow.__table__.c
_BY_TOKEN = (
    select(
        _SESSIONS.kind,
        _SESSIONS.subject,
        _SESSIONS.member_id,
        _SESSIONS.expires_at,
        _SESSIONS.ended_at,
        _PLACES.id.label("place_id"),
        _PLACES.slug,
        _PLACES.name,
        *SEAT_COLUMNS,
    )
    .join_from(WebSessionRow.__table__, PlaceRow.__table__, _PLACES.id == _SESSIONS.place_id)
    .outerjoin(
        BoardMemberRow,
        and_(BoardMemberRow.id == _SESSIONS.member_id, BoardMemberRow.place_id == _PLACES.id),
    )
    .outerjoin(PersonRow, PersonRow.id == BoardMemberRow.person_id)
    .where(_SESSIONS.token_digest == bindparam("digest"))
)
_NEW_SESSION = insert(WebSessionRow.__table__)


def cookie_secret() -> bytes:
    """A fixed secret for signing cookies, derived from the server key, so sessions survive a
    restart and every process (and kernel) sharing the key agrees."""
    return codes.derive("cookie-secret").encode()


_SEALERS: dict[str, AESGCM] = {}


def _sealer() -> AESGCM:
    """The AES-GCM key that seals ballot codes in cookies (derived from the server key; one
    object per key, built once)."""
    key = codes.derive("ballot-cookie")
    sealer = _SEALERS.get(key)
    if sealer is None:
        sealer = _SEALERS[key] = AESGCM(bytes.fromhex(key))
    return sealer


def seal_code(code: str, token: str) -> str:
    """The ballot code as an opaque cookie value, readable only by a server holding the key
    and only beside the session ``token`` it was sealed for.

    >>> sealed = seal_code("ABC-DEF", "token")  # doctest: +SKIP
    >>> "ABC" in sealed, open_code(sealed, "token"), open_code(sealed, "other")  # doctest: +SKIP
    (False, 'ABC-DEF', None)
    """
    nonce = os.urandom(12)
    box = _sealer().encrypt(nonce, code.encode(), f"{BALLOT_COOKIE}:{token}".encode())
    return base64.urlsafe_b64encode(nonce + box).decode().rstrip("=")


def open_code(value: str | None, token: str | None) -> str | None:
    """The ballot code sealed in ``value`` for session ``token``, or None if it was sealed
    for another session, with another key, or tampered with."""
    if not value or not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        plain = _sealer().decrypt(raw[:12], raw[12:], f"{BALLOT_COOKIE}:{token}".encode())
    except (ValueError, binascii.Error, InvalidTag):
        return None
    return plain.decode()


def xsrf_secret(token: str) -> bytes:
    """The form token of the session ``token``: 16 bytes of HMAC-SHA-256 under a key derived
    from the server key. Forms and the facilitator pages' own requests must carry it (masked,
    as Tornado does), so a token taken from one session is refused in any other."""
    key = codes.derive("xsrf").encode()
    return hmac.new(key, f"xsrf:{token}".encode(), hashlib.sha256).digest()[:16]


@dataclass(frozen=True)
class Visitor:
    """A signed-in person: a board member (maybe a facilitator) or a practice with a ballot."""

    place: Place
    kind: str
    subject: str
    member: BoardMember | None = None

    @property
    def is_facilitator(self) -> bool:
        """True for board members who may open the facilitator pages."""
        return self.member is not None and self.member.is_facilitator

    @property
    def actor(self) -> str:
        """How the audit log names this visitor.

        >>> Visitor(Place(1, "x", "X"), "practice", "Z99001").actor
        'practice:Z99001'
        """
        return f"{self.kind}:{self.subject}"


def start_session(
    session: Session, place: Place, kind: str, subject: str, member: BoardMember | None = None
) -> str:
    """Record a new web session and return the token for the browser's cookie."""
    token = secrets.token_urlsafe(32)
    now = _utc_now()
    session.execute(
        _NEW_SESSION,
        {
            "place_id": place.id,
            "token_digest": codes.digest(token, purpose=TOKEN_PURPOSE),
            "kind": kind,
            "member_id": member.id if member else None,
            "subject": subject,
            "created_at": now,
            "expires_at": now + LIFETIME,
            "ended_at": None,
        },
    )
    audit.record(session, place.id, f"{kind}:{subject}", "web.signed_in", {"kind": kind})
    return token


def sign_in_member(session: Session, code: str) -> tuple[Visitor, str] | None:
    """Start a session for the board member whose personal code this is, or None."""
    found = member_for_code(session, code)
    if found is None:
        return None
    place, member = found
    token = start_session(session, place, MEMBER, member.name, member)
    return Visitor(place, MEMBER, member.name, member), token


def sign_in_practice(session: Session, code: str) -> tuple[Visitor, str] | None:
    """Start a session for the practice whose ballot code this is, or None."""
    try:
        voter = ballot.voter_for_code(session, code)
    except NotFound:
        return None
    place = get_place(session, voter.vote.place_id)
    token = start_session(session, place, PRACTICE, voter.ods_code)
    return Visitor(place, PRACTICE, voter.ods_code), token


def sign_in(
    session: Session, code: str, replacing: str | None = None
) -> tuple[Visitor, str] | None:
    """Start a session for whoever ``code`` belongs to (a board member or a practice), or
    None; the browser's previous session (token ``replacing``), if any, ends with it."""
    found = sign_in_member(session, code) or sign_in_practice(session, code)
    if found is not None and replacing:
        end_session(session, replacing)
    return found


def code_owner(session: Session, code: str) -> tuple[Place, str, str, str] | None:
    """Whom ``code`` would sign in, without signing in: place, kind, subject and a name to
    show (None if it is nobody's)."""
    found = member_for_code(session, code)
    if found is not None:
        place, member = found
        return place, MEMBER, member.name, member.name
    try:
        voter = ballot.voter_for_code(session, code)
    except NotFound:
        return None
    place = get_place(session, voter.vote.place_id)
    return place, PRACTICE, voter.ods_code, f"practice {voter.practice} ({voter.ods_code})"


def _utc_now() -> datetime:
    # Stored in UTC: SQLite keeps no zone and hands back the wall-clock digits.
    return clock.now().astimezone(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def token_from_cookie_header(header: str | None, secret: bytes) -> str | None:
    """The session token inside a raw ``Cookie:`` header, if its signature is good."""
    from http.cookies import CookieError, SimpleCookie

    from tornado.web import decode_signed_value

    if not header:
        return None
    jar = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return None
    if COOKIE not in jar:
        return None
    value = decode_signed_value(secret, COOKIE, jar[COOKIE].value, max_age_days=1)
    return value.decode() if value else None


def visitor_for_token(session: Session, token: str | None) -> Visitor | None:
    """The visitor a cookie's token stands for, or None if it is unknown, ended or expired."""
    if not token:
        return None
    digest = codes.digest(token, purpose=TOKEN_PURPOSE)
    found = session.execute(_BY_TOKEN, {"digest": digest}).first()
    if found is None:
        return None
    row = found
    if row.ended_at is not None or _aware(row.expires_at) <= _utc_now():
        return None
    place = Place(id=row.place_id, slug=row.slug, name=row.name)
    member = None
    if row.member_id is not None:
        if row.seat_id is None:  # taken off the board since signing in
            return None
        member = seat_from_row(row)
    return Visitor(place, row.kind, row.subject, member)


def same_person(visitor: Visitor, place: Place, kind: str, subject: str) -> bool:
    """Whether a signed-in ``visitor`` is the one a code stands for (same place, kind and
    name or practice)."""
    return visitor.place.id == place.id and visitor.kind == kind and visitor.subject == subject


def end_session(session: Session, token: str | None) -> None:
    """Sign out: the session's cookie no longer opens anything."""
    if not token:
        return
    row = session.scalar(
        select(WebSessionRow).where(
            WebSessionRow.token_digest == codes.digest(token, purpose=TOKEN_PURPOSE)
        )
    )
    if row is not None and row.ended_at is None:
        row.ended_at = _utc_now()
        audit.record(session, row.place_id, f"{row.kind}:{row.subject}", "web.signed_out")
