"""Over plain HTTP against a real ``lpgp serve``: what a signed-out visitor can reach, sign-in,
code links, CSRF, headers, place isolation, and that no kernel starts for strangers."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from shells.app.conftest import Server, start_server

pytestmark = pytest.mark.slow

SIGNED_OUT_PATHS = [
    "/api/contents",
    "/api/contents/home.ipynb",
    "/api/kernels",
    "/api/sessions",
    "/api/terminals",
    "/files/",
    "/files/data/lpgp.sqlite",
    "/lab",
    "/tree",
    "/voila/tree",
    "/voila/tree/",
    "/voila/render/home.ipynb",
    "/voila/render/results.ipynb",
    "/voila/render/..%2f..%2fdata%2flpgp.sqlite",
    "/voila/render/..%2fpyproject.toml",
    "/voila/files/lpgp.sqlite",
    "/voila/files/data/lpgp.sqlite",
    "/voila/files/data/server.key",
    "/voila/files/..%2fdata%2fserver.key",
    "/voila/files/..%2flpgp%2fdemo%2fpractices.csv",
    "/voila/files/..%2flpgp%2fconfig.py",
    "/voila/files/home.ipynb",
    "/voila/api/contents",
    "/voila/api/contents/home.ipynb",
    "/voila/static/..%2f..%2f..%2fdata%2fserver.key",
    "/lpgp-static/..%2f..%2fconfig.py",
    "/lpgp-static/lpgp.py",
    "/login",
    "/..%2fdata%2flpgp.sqlite",
    "/data/lpgp.sqlite",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(tmp_path_factory.mktemp("serve"), pool_size=0)


@pytest.mark.parametrize("path", SIGNED_OUT_PATHS)
def test_signed_out_reaches_nothing(server: Server, path: str) -> None:
    answer = requests.get(server.url + path, allow_redirects=False, timeout=10)
    if answer.status_code in (301, 302):
        assert answer.headers["Location"].startswith(("/sign-in", server.url + "/sign-in"))
    else:
        assert answer.status_code in (400, 403, 404), (path, answer.status_code)
    secret = (Path(server.env["LPGP_SERVER_KEY_FILE"])).read_text()
    assert secret not in answer.text
    assert "SQLite format" not in answer.text
    assert "Traceback" not in answer.text


def test_no_kernel_starts_for_signed_out_visitors(server: Server) -> None:
    before = server.kernels()
    for path in ["/voila/render/home.ipynb", "/voila/render/results.ipynb", "/api/kernels"]:
        requests.get(server.url + path, timeout=10)
        requests.post(server.url + path, timeout=10)
    assert server.kernels() == before == 0


# lpgp's own pages allow no script at all, nothing from elsewhere, and no framing.
PAGE_CSP = {
    "default-src": "'none'",
    "style-src": "'self'",
    "img-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
}
# Every answer, page or not, signed in or not.
EVERY_ANSWER = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
LPGP_PAGES = ["/sign-in", "/", "/nowhere", "/ballot", "/score"]  # no wrong code: it is throttled


def policy(answer: requests.Response) -> dict[str, str]:
    """The answer's Content-Security-Policy, directive by directive."""
    directives = (
        d.strip().split(None, 1) for d in answer.headers["Content-Security-Policy"].split(";")
    )
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives if d}


def test_lpgps_pages_send_the_security_headers(server: Server) -> None:
    signed_in = server.signed_in("member")
    for web in (requests.Session(), signed_in):
        for path in LPGP_PAGES:
            answer = web.get(server.url + path, allow_redirects=False, timeout=10)
            for name, value in EVERY_ANSWER.items():
                assert answer.headers.get(name) == value, (path, name)
            assert policy(answer) == PAGE_CSP, path
            assert answer.headers.get("Cache-Control") == "no-store", path


def test_the_facilitator_pages_cannot_be_framed_by_another_site(server: Server) -> None:
    """Voilà's pages carry Jupyter's own policy (``frame-ancestors 'self'``) beside lpgp's
    headers; neither address here runs a notebook."""
    signed_out = requests.get(
        f"{server.url}/voila/render/home.ipynb", allow_redirects=False, timeout=30
    )
    assert signed_out.status_code == 302
    facilitator = server.signed_in("facilitator")
    missing = facilitator.get(f"{server.url}/voila/render/nosuch.ipynb", timeout=30)
    assert missing.status_code == 404
    for answer in (signed_out, missing):
        for name, value in EVERY_ANSWER.items():
            assert answer.headers.get(name) == value, (answer.url, name)
        assert policy(answer)["frame-ancestors"] in ("'none'", "'self'"), answer.url
    assert server.kernels() == 0


def test_files_send_nosniff_and_no_referrer(server: Server) -> None:
    # lpgp's own files, and Voilà's (served with Tornado's StaticFileHandler, which sends no
    # header of its own): a file, and a file that is not there.
    for path, status in [
        ("/favicon.ico", {200}),
        ("/lpgp-static/lpgp.css", {200}),
        ("/voila/static/voila.js", {200}),
        ("/voila/static/no.js", {403, 404}),
    ]:
        answer = requests.get(server.url + path, timeout=10)
        assert answer.status_code in status, path
        for name, value in EVERY_ANSWER.items():
            assert answer.headers.get(name) == value, (path, name)


def test_the_anti_forgery_cookie_is_same_site(server: Server) -> None:
    raw = requests.get(f"{server.url}/sign-in", timeout=10)
    (header,) = [h for h in raw.raw.headers.getlist("Set-Cookie") if h.startswith("_xsrf=")]
    parts = [part.strip() for part in header.split(";")[1:]]
    assert "SameSite=Lax" in parts, header


def test_session_cookies_are_httponly_and_samesite(server: Server) -> None:
    """A board member's session is ``Strict``; a practice's (from a link clicked in web mail)
    ``Lax``, as is its sealed ballot cookie. Neither is readable by a script. (``Secure`` is
    checked behind an HTTPS proxy in test_app_links.py.)"""
    raw = requests.get(f"{server.url}/sign-in", timeout=10)
    token = raw.text.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]
    member = requests.post(
        f"{server.url}/sign-in",
        data={"code": server.codes["member"], "_xsrf": token},
        cookies=raw.cookies,
        allow_redirects=False,
        timeout=10,
    )
    practice = requests.get(
        f"{server.url}/c/{server.codes['practice']}", allow_redirects=False, timeout=20
    )
    for answer, samesite, names in (
        (member, "Strict", ["lpgp_session"]),
        (practice, "Lax", ["lpgp_session", "lpgp_ballot"]),
    ):
        cookies = {
            header.split("=", 1)[0]: [part.strip() for part in header.split(";")[1:]]
            for header in answer.raw.headers.getlist("Set-Cookie")
        }
        for name in names:
            assert "HttpOnly" in cookies[name], name
            assert f"SameSite={samesite}" in cookies[name], name
            assert "Secure" not in cookies[name], name  # plain HTTP here: a Secure cookie is lost


def test_stylesheet_is_fetched_once_per_release(server: Server) -> None:
    import hashlib
    import re

    page = requests.get(server.url + "/sign-in", timeout=10)
    link = re.search(r'<link rel="stylesheet" href="([^"]+)"', page.text).group(1)
    path, _, version = link.partition("?v=")
    assert path == "/lpgp-static/lpgp.css"
    css = requests.get(server.url + link, timeout=10)
    assert css.status_code == 200
    assert version == hashlib.sha256(css.content).hexdigest()[:16]  # a new file, a new address
    assert "max-age=" in css.headers.get("Cache-Control", "")
    assert int(css.headers["Cache-Control"].split("max-age=")[1].split(",")[0]) >= 86400 * 365
    unversioned = requests.get(server.url + path, timeout=10)
    assert "max-age" not in unversioned.headers.get("Cache-Control", "")


def test_favicon_is_a_small_cached_icon(server: Server) -> None:
    import io

    from PIL import Image

    answer = requests.get(server.url + "/favicon.ico", timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert "max-age=86400" in answer.headers["Cache-Control"]
    assert answer.headers.get("X-Content-Type-Options") == "nosniff"
    assert Image.open(io.BytesIO(answer.content)).format == "ICO"


def test_a_whole_room_can_connect_at_once(server: Server) -> None:
    """While the server is busy (here: stopped), the operating system holds a room's
    connections for it instead of dropping those beyond Tornado's default of 128, which
    made a dropped phone retry a second later."""
    import selectors
    import signal
    import socket

    room = 300
    address = ("127.0.0.1", int(server.url.rsplit(":", 1)[1]))
    waiting = selectors.DefaultSelector()
    phones = []
    connected = 0
    os.kill(server.process.pid, signal.SIGSTOP)
    try:
        for _ in range(room):
            phone = socket.socket()
            phone.setblocking(False)
            phone.connect_ex(address)
            phones.append(phone)
            waiting.register(phone, selectors.EVENT_WRITE)
        deadline = time.monotonic() + 0.8  # a dropped connection is retried after 1 s
        while connected < room and time.monotonic() < deadline:
            for key, _ in waiting.select(timeout=0.1):
                waiting.unregister(key.fileobj)
                if key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                    connected += 1
    finally:
        os.kill(server.process.pid, signal.SIGCONT)
        for phone in phones:
            phone.close()
        waiting.close()
    assert connected == room
    assert requests.get(f"{server.url}/sign-in", timeout=10).status_code == 200


def test_post_without_csrf_token_is_refused(server: Server) -> None:
    answer = requests.post(
        f"{server.url}/sign-in", data={"code": server.codes["member"]}, timeout=10
    )
    assert answer.status_code == 403
    assert "lpgp_session" not in answer.cookies


def test_sign_in_sets_strict_httponly_cookie(server: Server) -> None:
    web = server.signed_in("member")
    cookie = next(c for c in web.cookies if c.name == "lpgp_session")
    assert cookie.has_nonstandard_attr("HttpOnly")
    page = web.get(f"{server.url}/", timeout=10)
    assert "Hello, Dr Tom Pritchard" in page.text
    raw = requests.get(f"{server.url}/sign-in", timeout=10)
    token = raw.text.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]
    answer = requests.post(
        f"{server.url}/sign-in",
        data={"code": server.codes["member"], "_xsrf": token},
        cookies=raw.cookies,
        allow_redirects=False,
        timeout=10,
    )
    header = answer.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Strict" in header


def test_member_without_facilitator_role_cannot_open_notebooks(server: Server) -> None:
    web = server.signed_in("member")
    answer = web.get(f"{server.url}/voila/render/home.ipynb", allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    assert web.get(f"{server.url}/api/kernels", timeout=10).status_code in (403, 404)


def test_code_in_link_moves_into_cookie_and_clean_url(server: Server) -> None:
    web = requests.Session()
    code = server.codes["member"]
    answer = web.get(f"{server.url}/c/{code}", allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/"
    assert code not in answer.headers["Location"]
    page = web.get(f"{server.url}/", timeout=10)
    assert "Dr Tom Pritchard" in page.text and code not in page.text


def test_wrong_code_refused_and_slowed_but_right_code_still_works(server: Server) -> None:
    web = requests.Session()
    timings = []
    for _ in range(4):
        page = web.get(f"{server.url}/sign-in", timeout=10)
        token = page.text.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]
        answer = web.post(
            f"{server.url}/sign-in", data={"code": "AAA-BBB-CCC", "_xsrf": token}, timeout=20
        )
        assert answer.status_code == 400
        assert "not recognised" in answer.text
        timings.append(answer.elapsed.total_seconds())
    assert timings[-1] > timings[0] + 0.4
    assert server.signed_in("member").get(f"{server.url}/", timeout=30).ok


def test_facilitator_sees_only_their_own_place(server: Server) -> None:
    other = server.signed_in("other_facilitator")
    page = other.get(f"{server.url}/", timeout=10)
    assert "Otherfield" in page.text and "Haverbrook" not in page.text
    mine = server.signed_in("facilitator")
    assert "Haverbrook" in mine.get(f"{server.url}/", timeout=10).text


def test_sign_out_ends_the_session(server: Server) -> None:
    web = server.signed_in("member")
    page = web.get(f"{server.url}/", timeout=10)
    token = page.text.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]
    old = dict(web.cookies)
    web.post(f"{server.url}/sign-out", data={"_xsrf": token}, timeout=10)
    again = requests.get(f"{server.url}/", cookies=old, allow_redirects=False, timeout=10)
    assert again.headers["Location"] == "/sign-in"


def _xsrf(web: requests.Session, url: str) -> str:
    return web.get(url, timeout=10).text.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]


def _audit_actors(server: Server, action: str) -> list[str]:
    from lpgp import audit
    from lpgp.store import Store

    store = Store(server.store_url, migrate=False)
    try:
        with store.read() as s:
            from lpgp.cycle.board.place import list_places

            return [
                e.actor
                for p in list_places(s)
                for e in audit.entries(s, p.id)
                if e.action == action
            ]
    finally:
        store.dispose()


def test_scores_are_recorded_under_the_members_name(server: Server) -> None:
    web = server.signed_in("other_member")
    token = _xsrf(web, f"{server.url}/score")
    page = web.get(f"{server.url}/score", timeout=10).text
    field = page.split('name="s-', 1)[1].split('"', 1)[0]
    bad = web.post(f"{server.url}/score", data={"_xsrf": token, f"s-{field}": "9"}, timeout=10)
    assert bad.status_code == 400 and "There is a problem" in bad.text
    good = web.post(f"{server.url}/score", data={"_xsrf": token, f"s-{field}": "3"}, timeout=10)
    assert "Your scores are saved" in good.text
    assert "member:Nia Other" in _audit_actors(server, "scores.recorded")


def test_ballot_error_state_and_practice_cannot_open_member_pages(server: Server) -> None:
    web = requests.Session()
    web.get(f"{server.url}/c/{server.codes['practice']}", timeout=10)
    token = _xsrf(web, f"{server.url}/ballot")
    answer = web.post(
        f"{server.url}/ballot", data={"_xsrf": token, "choice": "NOT-A-CANDIDATE"}, timeout=10
    )
    assert answer.status_code == 400
    assert "There is a problem" in answer.text and "Traceback" not in answer.text
    assert web.get(f"{server.url}/score", timeout=10).status_code == 403


def test_signed_in_errors_show_no_traceback(server: Server) -> None:
    web = server.signed_in("facilitator")
    for path in ["/voila/render/nosuch.ipynb", "/voila/render/../pyproject.toml"]:
        answer = web.get(server.url + path, timeout=30)
        assert answer.status_code in (403, 404), path
        assert "Traceback" not in answer.text and 'File "' not in answer.text
    assert server.kernels() == 0
