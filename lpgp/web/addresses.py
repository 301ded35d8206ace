"""Malformed addresses: answered 400 with a plain page and one log line, never a traceback.

Voilà's template file route splits its path without checking it (``/voila/templates/%2e%2e/x``
raised ValueError, a null byte reached ``os.path``), and a line break in the sign-in form's
``next`` reached a ``Location`` header: each was a 500 with a traceback in the log. A rule in
front of every route answers any address holding a control character or a ``.``/``..``
segment, however encoded (:class:`Malformed`; browsers never send either), and the template
route only looks up paths shaped ``<template>/static/<file>`` (:class:`TemplateFileHandler`).
"""

from __future__ import annotations

import functools
import re
from typing import Any
from urllib.parse import unquote

import tornado.web
from jupyter_server.base.handlers import JupyterHandler
from tornado.httputil import HTTPServerRequest
from tornado.routing import Matcher
from voila.static_file_handler import TemplateStaticFileHandler

from lpgp.web.base import PageHandler, send_security_headers

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TEMPLATE_FILE = re.compile(r"[A-Za-z0-9_.-]+/static/[^/]+(/[^/]+)*")


def has_control(text: str) -> bool:
    """True if ``text`` holds a control character (a null byte, a line break, a tab...).

    >>> has_control("/ballot"), has_control("/a\\r\\nSet-Cookie: x"), has_control("x\\x00")
    (False, True, True)
    """
    return bool(_CONTROL.search(text))


def malformed_uri(uri: str) -> bool:
    """True if a request's address decodes to a control character (path or query) or has a
    ``.`` or ``..`` segment in its path.

    >>> malformed_uri("/sign-in?next=/voila/render/home.ipynb"), malformed_uri("/a..b/.c")
    (False, False)
    >>> malformed_uri("/sign-in?next=%0d%0aSet-Cookie:x=y"), malformed_uri("/voila/static/%00")
    (True, True)
    >>> malformed_uri("/voila/static/../x"), malformed_uri("/voila/templates/%2e%2e/x")
    (True, True)
    """
    path = unquote(uri.partition("?")[0])
    return has_control(unquote(uri)) or any(s in (".", "..") for s in path.split("/"))


def template_file_problem(path: str) -> int | None:
    """The status for a ``/voila/templates/`` path lpgp will not look up (400 if it has a
    control character or a dot segment, 404 if it is not ``<template>/static/<file>``), or
    None if it is fine.

    >>> template_file_problem("lab/static/index.css") is None
    True
    >>> template_file_problem("../x"), template_file_problem("lab/static/x\\x00.css")
    (400, 400)
    >>> template_file_problem("lab"), template_file_problem("lab/static/")
    (404, 404)
    >>> template_file_problem("lab/static//etc/passwd")
    404
    """
    if has_control(path) or any(s in (".", "..") for s in path.split("/")):
        return 400
    if not _TEMPLATE_FILE.fullmatch(path):
        return 404
    return None


class Malformed(Matcher):
    """Matches any request whose address holds a control character (:func:`malformed_uri`)."""

    def match(self, request: HTTPServerRequest) -> dict[str, Any] | None:
        return {} if malformed_uri(request.uri or "") else None


class MalformedHandler(PageHandler):
    """Answers a malformed address with 400 and a plain page, whatever the method."""

    async def prepare(self) -> None:
        raise tornado.web.HTTPError(400)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.message(
            "That address is not valid",
            "Check the address, or go back to the start.",
            status=status_code,
            link=("/", "Back to the start"),
            visitor=None,
        )


class TemplateFileHandler(TemplateStaticFileHandler):
    """Voilà's template files (``/voila/templates/<template>/static/<file>``), looking up only
    paths of that shape (:func:`template_file_problem`)."""

    def parse_url_path(self, path: str) -> str:
        problem = template_file_problem(path)
        if problem is not None:
            raise tornado.web.HTTPError(problem)
        return super().parse_url_path(path)


@functools.cache
def secured(handler: type[tornado.web.RequestHandler]) -> type[tornado.web.RequestHandler]:
    """``handler`` itself, or, for a plain Tornado file handler (Voilà's ``/voila/static/``,
    its themes and template files), a subclass that sends lpgp's security headers too.

    Jupyter's own handlers send them already (the ``headers`` setting); Tornado's
    ``StaticFileHandler`` sends none, so Voilà's scripts went out without ``nosniff``.

    >>> import tornado.web
    >>> secured(tornado.web.StaticFileHandler).__name__
    'SecuredStaticFileHandler'
    >>> secured(tornado.web.RequestHandler) is tornado.web.RequestHandler
    True
    """
    if not issubclass(handler, tornado.web.StaticFileHandler) or issubclass(
        handler, JupyterHandler
    ):
        return handler

    def set_default_headers(self: tornado.web.StaticFileHandler) -> None:
        handler.set_default_headers(self)
        send_security_headers(self)

    name = f"Secured{handler.__name__}"
    return type(name, (handler,), {"set_default_headers": set_default_headers})
