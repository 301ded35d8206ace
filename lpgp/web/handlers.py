"""lpgp's own Tornado routes: sign-in, code links, the light pages and their stylesheet.

Every page is rendered on the server from the same library and store the facilitator pages
use; forms carry Tornado's XSRF token, bound to the session; no page ever shows a traceback,
and no log line ever holds a code (:func:`loggable_uri`).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

import jinja2
import tornado.web
from sqlalchemy.orm import Session
from tornado.log import access_log, app_log, gen_log

from .. import codes
from ..errors import LpgpError, StoreBusy
from ..store import Store
from . import visitor as visitors
from .assets import STATIC_DIR, stylesheet_url
from .store_access import BUSY, access_to
from .throttle import MAX_DELAY, Throttle, Verdict, client_address, trusted
from .visitor import Visitor

HERE = Path(__file__).resolve().parent
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,
    auto_reload=False,
    trim_blocks=True,
    lstrip_blocks=True,
)
TEMPLATES.globals["stylesheet_url"] = stylesheet_url
SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
log = logging.getLogger("lpgp.web")
T = TypeVar("T")
# A code link's text is cut to this before it is looked up (a code is 35 characters).
MAX_LINK_TEXT = 200
NOT_RECOGNISED = "That code was not recognised. Check it and try again."
_CODE_LIKE = re.compile(r"[A-Za-z0-9]*[0-9][A-Za-z0-9]*")


def loggable_uri(uri: str, status: int = 200) -> str:
    """A request's address as the server log may show it: never a code, nor a part of one.

    A code link's path (``/c/...``, however it is encoded) and every query string are left
    out; in an address that was not found, so is any part of the path that mixes digits and
    letters (a code pasted in the wrong place).

    >>> loggable_uri("/c/6FQ-SAW-DQJ."), loggable_uri("/%63//6FQ"), loggable_uri("/C/x")
    ('/c/[code]', '/c/[code]', '/c/[code]')
    >>> loggable_uri("/ballot?cast=1"), loggable_uri("/sign-in?next=/c/ABC")
    ('/ballot?[query]', '/sign-in?[query]')
    >>> loggable_uri("/6FQ-SAW-DQJ/x", 404), loggable_uri("/voila/render/home.ipynb", 404)
    ('/[hidden]/x', '/voila/render/home.ipynb')
    """
    path, mark, _ = uri.partition("?")
    plain = path
    for _ in range(3):  # however many times it was percent-encoded
        plain = unquote(plain)
    folded = re.sub(r"/+", "/", plain.replace("\\", "/")).lower()
    if folded == "/c" or folded.startswith("/c/"):
        path = "/c/[code]"
    elif status == 404:
        path = "/".join(
            "[hidden]" if sum(map(str.isalnum, part)) >= 6 and _CODE_LIKE.search(part) else part
            for part in plain.split("/")
        )
    return path + ("?[query]" if mark else "")


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


class PageHandler(tornado.web.RequestHandler):
    """Base of lpgp's pages: security headers, the visitor, templates, errors as plain pages."""

    def initialize(self, store: Store, throttle: Throttle, proxies: tuple = ()) -> None:
        self.store = store
        self.throttle = throttle
        self.proxies = proxies
        self._visitor: Visitor | None | bool = False
        self._started: str | None = None

    async def read(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` on a worker thread: the event loop, which serves every page,
        never waits on the database (:mod:`.store_access`). A request's lookups need no
        common snapshot: what a page shows is checked again inside any write it leads to."""
        return await access_to(self.store).read(work)

    async def save(self, work: Callable[[Session], T]) -> T:
        """``store.write(work)`` on a worker thread; raises :class:`StoreBusy`, with nothing
        written, when another process holds the store's locks for more than a few seconds."""
        return await access_to(self.store).write(work)

    async def prepare(self) -> None:
        """Look up who is signed in (on a worker thread) before the page's method runs."""
        token = self.token()
        if token is None:
            self._visitor = None
        else:
            self._visitor = await self.read(lambda s: visitors.visitor_for_token(s, token))

    def set_default_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.set_header(name, value)
        self.set_header("Content-Security-Policy", PAGE_CSP)
        self.set_header("Cache-Control", "no-store")

    @property
    def source(self) -> str:
        """The client's address, reading X-Forwarded-For only from trusted proxies."""
        return client_address(
            self.request.remote_ip or "", self.request.headers.get("X-Forwarded-For"), self.proxies
        )

    @property
    def is_https(self) -> bool:
        """True when the visitor's browser reached us over HTTPS: directly, or through a
        trusted proxy that says so (``X-Forwarded-Proto: https``)."""
        if self.request.protocol == "https":
            return True
        if not trusted(self.request.remote_ip or "", self.proxies):
            return False
        proto = self.request.headers.get("X-Forwarded-Proto", "")
        return proto.split(",")[0].strip().lower() == "https"

    def set_cookie(self, name: str, value: str | bytes, **kwargs: Any) -> None:
        """Every cookie lpgp sets is ``Secure`` when the browser came over HTTPS."""
        if self.is_https:
            kwargs["secure"] = True
        super().set_cookie(name, value, **kwargs)

    def token(self) -> str | None:
        """The session token from the signed cookie (or the one started by this request)."""
        if self._started:
            return self._started
        value = self.get_signed_cookie(visitors.COOKIE, max_age_days=1)
        return value.decode() if value else None

    def ballot_code(self) -> str:
        """The practice's ballot code, unsealed from its cookie for this session ("" if none)."""
        return visitors.open_code(self.get_cookie(visitors.BALLOT_COOKIE), self.token()) or ""

    @property
    def visitor(self) -> Visitor | None:
        """Who is signed in, as :meth:`prepare` found (None before it has run)."""
        return self._visitor or None  # type: ignore[return-value]

    def start(self, visitor: Visitor, token: str, code: str | None = None) -> None:
        """Give the browser its new session (and, for a practice, its sealed ballot code) and
        a form token bound to it.

        A practice's cookies are ``SameSite=Lax``: its private link is often clicked in web
        mail, and a browser sends no ``Strict`` cookie on a navigation that another site
        started, even after our redirect to ``/ballot``. A board member's session, which opens
        the facilitator pages, stays ``Strict``."""
        samesite = "Lax" if visitor.kind == visitors.PRACTICE else "Strict"
        self.keep(visitors.COOKIE, token, samesite)
        self._started = token
        if code is not None:
            sealed = visitors.seal_code(code, token)
            self.set_cookie(
                visitors.BALLOT_COOKIE, sealed, httponly=True, samesite=samesite, path="/"
            )
        else:
            self.clear_cookie(visitors.BALLOT_COOKIE, path="/")
        for name in ("_xsrf_token", "_raw_xsrf_token"):
            self.__dict__.pop(name, None)
        self.xsrf_token  # noqa: B018 (sets the new session's _xsrf cookie)

    def keep(self, name: str, value: str, samesite: str = "Strict") -> None:
        """Set a signed, HttpOnly session cookie (``Secure`` over HTTPS)."""
        self.set_signed_cookie(
            name, value, expires_days=None, httponly=True, samesite=samesite, path="/"
        )

    def page(self, template: str, status: int = 200, **values: Any) -> None:
        visitor = values.pop("visitor", self.visitor)
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(
            TEMPLATES.get_template(template).render(
                visitor=visitor,
                place_name=visitor.place.name if visitor else None,
                xsrf_form_html=self.xsrf_form_html,
                **values,
            )
        )

    def message(self, title: str, *lines: str, status: int = 200, **values: Any) -> None:
        values.setdefault("link", None)
        self.page("message.html", status=status, title=title, lines=lines, **values)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, StoreBusy):
            self.message("The system is busy", BUSY, status=503, visitor=None)
            return
        if isinstance(exc, LpgpError):
            self.message("That did not work", str(exc), status=400, visitor=None)
            return
        titles = {
            403: "You cannot do that",
            404: "Page not found",
            405: "You cannot do that",
        }
        title = titles.get(status_code, "Sorry, something went wrong")
        lines = (
            ["If you typed the address, check it. Otherwise go back to the start."]
            if status_code == 404
            else ["Go back to the start and try again."]
        )
        self.message(
            title, *lines, status=status_code, link=("/", "Back to the start"), visitor=None
        )

    def _get_raw_xsrf_token(self) -> tuple[int | None, bytes, float]:
        """Tornado's form token, except that a signed-in browser's is bound to its session
        (:func:`visitors.xsrf_secret`); the ``_xsrf`` cookie is set to it when it holds
        anything else, so the facilitator pages' requests carry it too."""
        token = self.token()
        if token is None:
            return super()._get_raw_xsrf_token()
        if not hasattr(self, "_raw_xsrf_token"):
            bound = visitors.xsrf_secret(token)
            version = None
            cookie = self.get_cookie(visitors.XSRF_COOKIE)
            if cookie:
                seen_version, seen, _ = self._decode_xsrf_token(cookie)
                if seen is not None and hmac.compare_digest(seen, bound):
                    version = seen_version
            self._raw_xsrf_token = (version, bound, time.time())
        return self._raw_xsrf_token

    def check_xsrf_cookie(self) -> None:
        """A signed-in browser's form must carry its own session's token; a browser without
        a session, the token in its ``_xsrf`` cookie (Tornado's own check)."""
        token = self.token()
        if token is None:
            try:
                super().check_xsrf_cookie()
            except tornado.web.HTTPError as exc:
                raise tornado.web.HTTPError(403, "form token missing or wrong") from exc
            return
        given = (
            self.get_argument("_xsrf", None)
            or self.request.headers.get("X-Xsrftoken")
            or self.request.headers.get("X-Csrftoken")
        )
        raw = self._decode_xsrf_token(given)[1] if given else None
        if not raw or not hmac.compare_digest(raw, visitors.xsrf_secret(token)):
            raise tornado.web.HTTPError(403, "form token missing or wrong")

    def _request_summary(self) -> str:
        return (
            f"{self.request.method} {loggable_uri(self.request.uri or '', self.get_status())} "
            f"({self.request.remote_ip})"
        )

    def log_exception(
        self,
        typ: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Tornado's, without the raw request (its address may hold a code)."""
        if isinstance(value, tornado.web.HTTPError):
            if value.log_message:
                gen_log.warning(
                    "%d %s: %s", value.status_code, self._request_summary(), value.get_message()
                )
            return
        app_log.error("Uncaught exception %s", self._request_summary(), exc_info=(typ, value, tb))


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
        switching = ask and self.visitor is not None and owner is not None
        if switching and not visitors.same_person(self.visitor, *owner[:3]):
            self._ask(owner[3], code)
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

    def _ask(self, wanted: str, code: str) -> None:
        who = self.visitor
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

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


class StaticHandler(tornado.web.StaticFileHandler):
    """The app's own stylesheet (and nothing else in the package)."""

    def set_default_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.set_header(name, value)


class FaviconHandler(StaticHandler):
    """``/favicon.ico``, which every browser asks for: a small icon kept for a day, rather than a
    not-found page built by the notebook server for each new visitor."""

    def get_cache_time(self, path: str, modified: Any, mime_type: str) -> int:
        return 86400


def routes(store: Store, throttle: Throttle, proxies: tuple = ()) -> list[tuple]:
    """lpgp's routes, to go in front of Voilà's."""
    ctx = {"store": store, "throttle": throttle, "proxies": proxies}
    from . import pages

    return [
        (r"/", StartHandler, ctx),
        (r"/sign-in", SignInHandler, ctx),
        (r"/sign-out", SignOutHandler, ctx),
        (r"/c/(.*)", CodeLinkHandler, ctx),
        *[(path, handler, ctx) for path, handler in pages.ROUTES],
        (r"/lpgp-static/(lpgp\.css|app\.js)", StaticHandler, {"path": str(STATIC_DIR)}),
        (r"/(favicon\.ico)", FaviconHandler, {"path": str(STATIC_DIR)}),
    ]
