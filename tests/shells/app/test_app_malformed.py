"""Malformed addresses against a real ``lpgp serve``: each is answered 400 (or 404 where the
address is well formed but names nothing), signed in or out, and the server's log holds no
traceback."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from shells.app.conftest import Server, start_server

pytestmark = pytest.mark.slow

# Sent exactly as written (no client tidies them up first).
MALFORMED = {
    "/voila/templates/%2e%2e/x": 400,
    "/voila/templates/..": 400,
    "/voila/templates/lab/static/../../x": 400,
    "/voila/templates/lab/static/%2e%2e/%2e%2e/x": 400,
    "/voila/templates/lab/static/..%2f..%2fx": 400,
    "/voila/templates/lab/static/./index.css": 400,
    "/voila/templates/%00": 400,
    "/voila/templates/lab/static/%00x": 400,
    "/voila/templates/lab/static/x%00.css": 400,
    "/voila/templates/lab/static/x%0d%0a.css": 400,
    "/voila/templates/lab/static/%ff%fe": 400,
    "/voila/templates/lab/static/%c0%ae%c0%ae/x": 400,
    "/voila/templates/": 404,
    "/voila/templates/lab": 404,
    "/voila/templates/lab/static/": 404,
    "/voila/templates/lab/nope/x.css": 404,
    "/voila/templates/lab/static//etc/passwd": 404,
    "/voila/templates/lab/static/%2fetc%2fpasswd": 404,
    "/voila/templates/lab/static/%5c..%5c..%5cx": 404,
    "/voila/templates/nope/static/x.css": 404,
    "/voila/static/%00": 400,
    "/voila/static/../x": 400,
    "/voila/static/%ff": 400,
    "/voila/labextensions/%00": 400,
    "/voila/labextensions/..%2f..%2fx": 400,
    "/voila/api/themes/%00": 400,
    "/voila/api/themes/..%2fx": 400,
    "/voila/render/%00.ipynb": 400,
    "/voila/render/home.ipynb%00": 400,
    "/lpgp-static/%00": 400,
    "/lpgp-static/../lpgp.css": 400,
    "/api/kernels/%00": 400,
    "/c/%00": 400,
    "/c/ABC%0d%0aX:y": 400,
    "/sign-in?next=%0d%0aSet-Cookie:x=y": 400,
    "/sign-in?next=/%0d%0aX:y": 400,
    "/sign-in?next=/a%0ab": 400,
    "/sign-in?next=%00": 400,
    "/sign-in?next=/%ff": 400,
    "/sign-in?%00=x": 400,
    "/ballot?cast=%0a": 400,
    "/%2e%2e/data/lpgp.sqlite": 400,
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    tmp = tmp_path_factory.mktemp("serve")
    for server in start_server(tmp, pool_size=0):
        yield server, tmp / "serve.log"


def status_of(server: Server, path: str, cookie: str = "") -> int:
    """The status for ``path`` sent byte for byte as written."""
    where = urlsplit(server.url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=20)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        if cookie:
            connection.putheader("Cookie", cookie)
        connection.endheaders()
        answer = connection.getresponse()
        body = answer.read().decode("utf-8", "replace")
        assert "Traceback" not in body
        return answer.status
    finally:
        connection.close()


def cookie_header(web: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in web.cookies)


def sign_in_with_next(server: Server, code: str, next_url: str) -> requests.Response:
    web = requests.Session()
    page = web.get(f"{server.url}/sign-in", timeout=10)
    token = page.text.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]
    return web.post(
        f"{server.url}/sign-in",
        data={"code": code, "next": next_url, "_xsrf": token},
        allow_redirects=False,
        timeout=20,
    )


def test_malformed_addresses_are_answered_400_without_a_traceback(
    served: tuple[Server, Path],
) -> None:
    server, log = served
    facilitator = cookie_header(server.signed_in("facilitator"))
    practice = cookie_header(server.signed_in("practice"))
    wrong = {}
    for path, expected in MALFORMED.items():
        for cookie in ("", facilitator, practice):
            got = status_of(server, path, cookie)
            if got != expected:
                wrong[(path, bool(cookie))] = got
    assert wrong == {}
    text = log.read_text(errors="replace")
    assert "Traceback" not in text
    assert "Uncaught exception" not in text


@pytest.mark.parametrize("next_url", ["/a\r\nb", "/\nSet-Cookie: a=b", "/a\rb", "/x\n/"])
@pytest.mark.parametrize("code_name", ["facilitator", "member", None])
def test_a_line_break_in_sign_ins_next_is_answered_400(
    served: tuple[Server, Path], next_url: str, code_name: str | None
) -> None:
    server, log = served
    code = server.codes[code_name] if code_name else "WRONG-CODE-1"
    answer = sign_in_with_next(server, code, next_url)
    assert answer.status_code == 400
    assert "Set-Cookie: a=b" not in str(answer.headers)
    assert "Traceback" not in log.read_text(errors="replace")


# Tornado takes control characters other than line breaks out of form fields, and spaces
# from either end: these are ordinary addresses by then.
@pytest.mark.parametrize(
    "next_url", ["/voila/render/home.ipynb", "/é", "/\u2028", "/%0d%0a", "/\x00", "/\t", "\r\n"]
)
def test_well_formed_next_addresses_still_work(served: tuple[Server, Path], next_url: str) -> None:
    server, log = served
    answer = sign_in_with_next(server, server.codes["facilitator"], next_url)
    assert answer.status_code == 302
    assert "Traceback" not in log.read_text(errors="replace")
