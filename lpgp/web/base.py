"""The base of lpgp's own pages: the templates, the security headers, and :class:`PageHandler`
(the visitor, the store, templates, errors as plain pages), which the sign-in handlers
(:mod:`lpgp.web.handlers`) and the member and practice pages (:mod:`lpgp.web.pages`) build on.

Every page is rendered on the server from the same library and store the facilitator pages
use; forms carry Tornado's XSRF token, bound to the session; no page ever shows a traceback,
and no log line ever holds a code (:func:`loggable_uri`).
"""

from __future__ import annotations

import hmac
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import unquote

import jinja2
import tornado.web
from sqlalchemy.orm import Session
from tornado.log import app_log, gen_log

from lpgp.errors import LpgpError, StoreBusy
from lpgp.store import Store
from lpgp.web import visitor as visitors
from lpgp.web.assets import stylesheet_url
from lpgp.web.store_access import BUSY, access_to
from lpgp.web.throttle import Throttle, client_address, trusted
from lpgp.web.visitor import Visitor

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


def send_security_headers(handler: tornado.web.RequestHandler) -> None:
    """Put :data:`SECURITY_HEADERS` on ``handler``'s answer (Jupyter's own handlers send them
    from the ``headers`` setting; lpgp's pages and every plain file handler call this)."""
    for name, value in SECURITY_HEADERS.items():
        handler.set_header(name, value)


PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
log = logging.getLogger("lpgp.web")
T = TypeVar("T")


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
        send_security_headers(self)
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

    def set_cookie(self, name: str, value: str | bytes, *args: Any, **kwargs: Any) -> None:
        """Every cookie lpgp sets is ``Secure`` when the browser came over HTTPS (the other
        arguments as Tornado takes them)."""
        if self.is_https:
            kwargs["secure"] = True
        super().set_cookie(name, value, *args, **kwargs)

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
        return self._visitor if isinstance(self._visitor, Visitor) else None

    def signed_in(self) -> Visitor:
        """The visitor, on a page whose :meth:`prepare` lets no one else in."""
        who = self.visitor
        if who is None:
            raise tornado.web.HTTPError(403)
        return who

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
        app_log.error("Uncaught exception %s", self._request_summary(), exc_info=value)
