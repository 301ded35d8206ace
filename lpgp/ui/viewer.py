"""Who is using a notebook: the signed-in facilitator under ``lpgp serve``, or the analyst
running it in JupyterLab (or under test)."""

from __future__ import annotations

import getpass
import os

from lpgp.access import signin as visitors
from lpgp.access.signin import Visitor
from lpgp.cycle.board.place import get_place
from lpgp.errors import StateError
from lpgp.store import Store, default_store

ANALYST = "analyst"


def _in_voila() -> bool:
    return bool(os.environ.get("VOILA_KERNEL_ID") or os.environ.get("VOILA_PREHEAT") == "True")


def signed_in(place: str | int | None = None, *, store: Store | None = None) -> Visitor:
    """The person this page acts for; every change it makes is recorded under their name.

    Under Voilà the page waits for its request (a preheated kernel runs the notebook up to
    here before anyone opens it) and reads the facilitator's session from its cookie, so the
    place comes from the session, never from the address. Elsewhere the analyst's ``place``
    parameter applies.
    """
    store = store or default_store()
    if _in_voila():
        from lpgp.kernel_channel import wait_for_request

        wait_for_request()
        token = visitors.token_from_cookie_header(
            os.environ.get("HTTP_COOKIE"), visitors.cookie_secret()
        )
        with store.read() as session:
            who = visitors.visitor_for_token(session, token)
        if who is None or not who.is_facilitator:
            raise StateError("this page is for facilitators: sign in again")
        return who
    user = os.environ.get("LPGP_ACTOR") or getpass.getuser()
    with store.read() as session:
        return Visitor(get_place(session, place), ANALYST, user)
