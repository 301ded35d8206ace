"""A page that fails shows a plain message, never a traceback (in-process server)."""

from __future__ import annotations

import tornado.testing
import tornado.web

from lpgp.store import Store
from lpgp.web.base import PageHandler
from lpgp.web.handlers import routes
from lpgp.web.throttle import Throttle


class Broken(PageHandler):
    def get(self) -> None:
        raise RuntimeError("secret internals /srv/lpgp/data")


class ErrorPageTest(tornado.testing.AsyncHTTPTestCase):
    def get_app(self) -> tornado.web.Application:
        self.store = Store("sqlite://")
        ctx = {"store": self.store, "throttle": Throttle()}
        return tornado.web.Application(
            [(r"/broken", Broken, ctx), *routes(self.store, Throttle())],
            cookie_secret="x" * 32,
            xsrf_cookies=True,
            serve_traceback=False,
        )

    def test_forced_error_shows_plain_page(self) -> None:
        answer = self.fetch("/broken")
        body = answer.body.decode()
        assert answer.code == 500
        assert "Sorry, something went wrong" in body
        assert "Traceback" not in body and "secret internals" not in body
        assert answer.headers["Referrer-Policy"] == "no-referrer"

    def test_post_without_token_is_refused(self) -> None:
        answer = self.fetch("/sign-in", method="POST", body="code=ABC")
        assert answer.code == 403
