"""lpgp's own Tornado routes: sign-in, code links, the light pages and their stylesheet.

Every page is rendered on the server from the same library and store the facilitator pages
use; forms carry Tornado's XSRF token; no page ever shows a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import jinja2
import tornado.web
from sqlalchemy.orm import Session

from ..errors import LpgpError
from ..store import Store
from . import visitor as visitors
from .assets import STATIC_DIR, stylesheet_url
from .throttle import Throttle, client_address
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
        self._reading = contextlib.ExitStack()
        self._session: Session | None = None

    def reader(self) -> Session:
        """One read session for the whole request (the visitor and the page's data), ended
        when the request finishes or before it writes (:meth:`save`). Its lookups need no
        common snapshot: what a page shows is checked again inside any write it leads to."""
        if self._session is None:
            self._session = self._reading.enter_context(self.store.read(snapshot=False))
        return self._session

    def save(self, work: Callable[[Session], T]) -> T:
        """``store.write(work)``, after ending the request's read session (an in-memory
        store has one connection, and a write should see the latest data anyway)."""
        self.on_finish()
        return self.store.write(work)

    def on_finish(self) -> None:
        self._session = None
        self._reading.close()

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

    def token(self) -> str | None:
        value = self.get_signed_cookie(visitors.COOKIE, max_age_days=1)
        return value.decode() if value else None

    @property
    def visitor(self) -> Visitor | None:
        if self._visitor is False:
            self._visitor = visitors.visitor_for_token(self.reader(), self.token())
        return self._visitor  # type: ignore[return-value]

    def start(self, token: str) -> None:
        self.keep(visitors.COOKIE, token)

    def keep(self, name: str, value: str) -> None:
        """Set a signed, HttpOnly, SameSite=Strict session cookie."""
        self.set_signed_cookie(
            name,
            value,
            expires_days=None,
            httponly=True,
            samesite="Strict",
            secure=self.request.protocol == "https",
            path="/",
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

    def check_xsrf_cookie(self) -> None:
        try:
            super().check_xsrf_cookie()
        except tornado.web.HTTPError as exc:
            raise tornado.web.HTTPError(403, "form token missing or wrong") from exc


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
        self.page(
            "sign_in.html",
            title="Sign in",
            next_url=safe_next(self.get_argument("next", None), ""),
            visitor=None,
        )

    async def post(self) -> None:
        next_url = self.get_body_argument("next", "")
        if any(ord(c) < 32 or ord(c) == 127 for c in next_url):
            raise tornado.web.HTTPError(400)  # a line break or the like: malformed
        await self._sign_in(self.get_body_argument("code", ""), next_url)

    async def _sign_in(self, code: str, next_url: str) -> None:
        source = self.source
        wait = self.throttle.delay(source)
        if wait:
            await asyncio.sleep(wait)
        found = None
        if code.strip():
            found = self.save(
                lambda s: visitors.sign_in_member(s, code) or visitors.sign_in_practice(s, code)
            )
        if found is None:
            self.throttle.failed(source)
            log.info("wrong code from %s", source)
            self.page(
                "sign_in.html",
                status=400,
                title="Sign in",
                error="That code was not recognised. Check it and try again.",
                next_url=safe_next(next_url, ""),
                visitor=None,
            )
            return
        visitor, token = found
        self.start(token)
        if visitor.kind == visitors.PRACTICE:
            # The ballot library casts with the code itself: keep it beside the session,
            # signed and out of reach of scripts, never in an address.
            self.keep(visitors.BALLOT_COOKIE, code)
            self.redirect("/ballot")
            return
        self.clear_cookie(visitors.BALLOT_COOKIE, path="/")
        self.redirect(safe_next(next_url, "/"))


class CodeLinkHandler(SignInHandler):
    """``/c/CODE``: a private link. The code goes into the session cookie and the browser is
    sent on to a clean address, so it never stays in the address bar or the history."""

    async def get(self, code: str) -> None:  # type: ignore[override]
        await self._sign_in(code, "/")


class SignOutHandler(PageHandler):
    """End the session and forget the cookie."""

    def post(self) -> None:
        token = self.token()
        self.save(lambda s: visitors.end_session(s, token))
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
        (r"/c/([A-Za-z0-9-]{1,80})", CodeLinkHandler, ctx),
        *[(path, handler, ctx) for path, handler in pages.ROUTES],
        (r"/lpgp-static/(lpgp\.css)", StaticHandler, {"path": str(STATIC_DIR)}),
        (r"/(favicon\.ico)", FaviconHandler, {"path": str(STATIC_DIR)}),
    ]
