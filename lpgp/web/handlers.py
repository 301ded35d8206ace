"""lpgp's own Tornado routes: sign-in, code links, sign-out, the light pages of
:mod:`lpgp.web.pages` and their stylesheet. The pages' base, :class:`~lpgp.web.base.PageHandler`,
is in :mod:`lpgp.web.base`, which both modules import (so neither imports the other back).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any
from urllib.parse import urlsplit

import tornado.web
from tornado.log import access_log

from lpgp import codes
from lpgp.errors import StoreBusy
from lpgp.store import Store
from lpgp.web import pages
from lpgp.web import visitor as visitors
from lpgp.web.assets import STATIC_DIR
from lpgp.web.base import PageHandler, log, loggable_uri, send_security_headers
from lpgp.web.store_access import BUSY
from lpgp.web.throttle import MAX_DELAY, Throttle, Verdict
from lpgp.web.visitor import Visitor

# A code link's text is cut to this before it is looked up (a code is 35 characters).
MAX_LINK_TEXT = 200
NOT_RECOGNISED = "That code was not recognised. Check it and try again."


def log_request(handler: tornado.web.RequestHandler) -> None:
    """Tornado's access log line for every request, lpgp's and Voilà's (the application's
    ``log_function``), with the address as :func:`loggable_uri` gives it."""
    status = handler.get_status()
    if status < 400:
        write = access_log.info
    elif status < 500:
        write = access_log.warning
    else:
        write = access_log.error
    write(
        "%d %s %s (%s) %.2fms",
        status,
        handler.request.method,
        loggable_uri(handler.request.uri or "", status),
        handler.request.remote_ip,
        1000.0 * handler.request.request_time(),
    )


def safe_next(target: str | None, default: str = "/") -> str:
    """A redirect target only if it stays on this server (and fits in a header).

    >>> safe_next("/voila/render/home.ipynb")
    '/voila/render/home.ipynb'
    >>> safe_next("//evil.example/x"), safe_next("https://evil.example/"), safe_next("/\\r\\nX: y")
    ('/', '/', '/')
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if any(ord(c) < 32 or ord(c) == 127 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return default
    return target


class StartHandler(PageHandler):
    """``/``: send each visitor to their page, or to the sign-in form."""

    def get(self) -> None:
        who = self.visitor
        if who is None:
            self.redirect("/sign-in")
        elif who.kind == visitors.PRACTICE:
            self.redirect("/ballot")
        else:
            self.page("member.html", title="Your pages")


class SignInHandler(PageHandler):
    """The sign-in form; codes from links arrive at ``/c/CODE`` and are moved into a cookie."""

    def get(self) -> None:
        next_url = safe_next(self.get_argument("next", None), "")
        who = self.visitor
        if who is not None and not who.is_facilitator and next_url.startswith("/voila/"):
            self._facilitators_only(who)
            return
        self.page("sign_in.html", title="Sign in", next_url=next_url, visitor=None)

    def _facilitators_only(self, who: Visitor) -> None:
        """A board member (or practice) whom the facilitator pages sent here (they let only
        facilitators in, and send everyone else to sign in): say why, and where to go,
        rather than show the sign-in form again."""
        if who.kind == visitors.MEMBER:
            signed_in = f"You are signed in as {who.subject}, a board member."
            link = ("/score", "Go to your scoring sheet")
        else:
            signed_in = f"You are signed in as practice {who.subject}."
            link = ("/ballot", "Go to your ballot")
        self.message(
            "This page is for facilitators",
            f"These pages are for the board's facilitators. {signed_in}",
            "If you run the board's sessions, ask the board's chair to make you a facilitator.",
            status=403,
            link=link,
        )

    async def post(self) -> None:
        next_url = self.get_body_argument("next", "")
        if any(ord(c) < 32 or ord(c) == 127 for c in next_url):
            raise tornado.web.HTTPError(400)  # a line break or the like: malformed
        await self._sign_in(self.get_body_argument("code", ""), next_url)

    def _form(self, status: int, error: str, next_url: str) -> None:
        self.page(
            "sign_in.html",
            status=status,
            title="Sign in",
            error=error,
            next_url=safe_next(next_url, ""),
            visitor=None,
        )

    async def _sign_in(self, code: str, next_url: str, *, ask: bool = False) -> None:
        """Sign in with ``code``, through the throttle: a right code is answered at once, the
        answer to a wrong one is held (:mod:`.throttle`). With ``ask``, a browser signed in as
        someone else is asked before it is switched (a link can be planted by anyone)."""
        source = self.source
        code = code[:MAX_LINK_TEXT]
        attempt = self.throttle.start(source)
        if attempt is None:
            self._too_many(source)
            return
        try:
            owner = None
            if codes.normalise(code):
                owner = await self.read(lambda s: visitors.code_owner(s, code))
            verdict = await self.throttle.settle(attempt, owner is not None)
        except BaseException:
            self.throttle.wrong(attempt)
            raise
        finally:
            self.throttle.release(attempt)
        if verdict is Verdict.REFUSED:
            self._too_many(source)
            return
        if verdict is Verdict.WRONG:
            if attempt.hold:
                await asyncio.sleep(attempt.hold)
            self.throttle.wrong(attempt)
            log.info("wrong code from %s", source)
            self._form(400, NOT_RECOGNISED, next_url)
            return
        current = self.visitor
        if (
            ask
            and current is not None
            and owner is not None
            and not visitors.same_person(current, *owner[:3])
        ):
            self._ask(current, owner[3], code)
            return
        replacing = self.token()
        try:
            found = await self.save(lambda s: visitors.sign_in(s, code, replacing=replacing))
        except StoreBusy:
            self._form(503, BUSY, next_url)
            return
        if found is None:  # withdrawn between the lookup and the sign-in: rare, not a guess
            self._form(400, NOT_RECOGNISED, next_url)
            return
        visitor, token = found
        practice = visitor.kind == visitors.PRACTICE
        # A practice's ballot library casts with the code itself: it goes beside the session,
        # sealed for it (never readable in the cookie), never into an address.
        self.start(visitor, token, code if practice else None)
        self.redirect("/ballot" if practice else safe_next(next_url, "/"))

    def _too_many(self, source: str) -> None:
        log.info("sign-in refused: too many wrong codes held from %s", source)
        self.set_header("Retry-After", str(int(MAX_DELAY)))
        self._form(
            429, "Too many codes from your network at once. Wait a moment, then try again.", ""
        )

    def _ask(self, who: Visitor, wanted: str, code: str) -> None:
        current = who.subject if who.kind == visitors.MEMBER else f"practice {who.subject}"
        self.page(
            "switch.html",
            title=f"Continue as {wanted}?",
            current=current,
            wanted=wanted,
            code=code,
        )


class CodeLinkHandler(SignInHandler):
    """``/c/CODE``: a private link. The code goes into the session cookie and the browser is
    sent on to a clean address (``/ballot`` or ``/``), so the code is not left in the address
    bar or in the tab's back-and-forward history (the browser's list of visited addresses
    still records the link: docs/vote.md). Whatever a mail program adds around a link (a
    full stop, a bracket, ``>``, spaces) is ignored, and a browser already signed in as
    someone else is asked first. A link followed from another site takes one same-site step
    first, so the browser shows us the session it has."""

    def decode_argument(self, value: bytes, name: str | None = None) -> str:
        # Never Tornado's "Invalid unicode" error, whose log line would quote the link.
        return value.decode("utf-8", "replace")

    # The link's code comes from the address, which the sign-in form's own get() has none of.
    async def get(self, text: str) -> None:  # type: ignore[override]
        if (
            self.request.headers.get("Sec-Fetch-Site") == "cross-site"
            and self.get_cookie(visitors.COOKIE) is None
        ):
            # Clicked on another site (web mail): the browser withheld any SameSite=Strict
            # session it holds. One same-site step (a refresh from this page, which the
            # browser puts in place of this one in the tab's history) brings it along, so a
            # board member signed in here is asked before being switched.
            target = "/c/" + re.sub(r"[^A-Za-z0-9-]", "", text[:MAX_LINK_TEXT])
            self.page("link_hop.html", title="Opening your link", target=target, visitor=None)
            return
        await self._sign_in(text, "/", ask=True)


class SignOutHandler(PageHandler):
    """End the session and forget the cookie."""

    async def post(self) -> None:
        token = self.token()
        await self.save(lambda s: visitors.end_session(s, token))
        self.clear_cookie(visitors.COOKIE, path="/")
        self.clear_cookie(visitors.BALLOT_COOKIE, path="/")
        self.redirect("/sign-in")


class NotFoundHandler(PageHandler):
    """Anything lpgp does not serve."""

    async def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


class StaticHandler(tornado.web.StaticFileHandler):
    """The app's own stylesheet (and nothing else in the package)."""

    def set_default_headers(self) -> None:
        send_security_headers(self)


class FaviconHandler(StaticHandler):
    """``/favicon.ico``, which every browser asks for: a small icon kept for a day, rather than a
    not-found page built by the notebook server for each new visitor."""

    def get_cache_time(self, path: str, modified: Any, mime_type: str) -> int:
        return 86400


def routes(store: Store, throttle: Throttle, proxies: tuple = ()) -> list[tuple]:
    """lpgp's routes, to go in front of Voilà's."""
    ctx = {"store": store, "throttle": throttle, "proxies": proxies}
    return [
        (r"/", StartHandler, ctx),
        (r"/sign-in", SignInHandler, ctx),
        (r"/sign-out", SignOutHandler, ctx),
        (r"/c/(.*)", CodeLinkHandler, ctx),
        *[(path, handler, ctx) for path, handler in pages.ROUTES],
        (r"/lpgp-static/(lpgp\.css|app\.js)", StaticHandler, {"path": str(STATIC_DIR)}),
        (r"/(favicon\.ico)", FaviconHandler, {"path": str(STATIC_DIR)}),
    ]
