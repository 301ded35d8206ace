"""Sign-in as the web pages see it. The sessions, codes and cookies themselves are a service of
the library, :mod:`lpgp.access.signin`, which the workshop app's screens use too; this module names
what the pages use from it."""

from __future__ import annotations

from lpgp.access.signin import (
    BALLOT_COOKIE,
    COOKIE,
    LIFETIME,
    MEMBER,
    PRACTICE,
    TOKEN_PURPOSE,
    XSRF_COOKIE,
    Visitor,
    code_owner,
    cookie_secret,
    end_session,
    open_code,
    same_person,
    seal_code,
    sign_in,
    sign_in_member,
    sign_in_practice,
    start_session,
    token_from_cookie_header,
    visitor_for_token,
    xsrf_secret,
)

__all__ = [
    "BALLOT_COOKIE",
    "COOKIE",
    "LIFETIME",
    "MEMBER",
    "PRACTICE",
    "TOKEN_PURPOSE",
    "XSRF_COOKIE",
    "Visitor",
    "code_owner",
    "cookie_secret",
    "end_session",
    "open_code",
    "same_person",
    "seal_code",
    "sign_in",
    "sign_in_member",
    "sign_in_practice",
    "start_session",
    "token_from_cookie_header",
    "visitor_for_token",
    "xsrf_secret",
]
