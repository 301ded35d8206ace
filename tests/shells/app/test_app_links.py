"""Private links, the throttle and the session's cookies, as an attacker meets them: over
plain HTTP against a real ``lpgp serve`` that trusts 127.0.0.1 as its HTTPS proxy.

Each test speaks for its own client address (``X-Forwarded-For`` from that trusted proxy), so
one test's wrong codes never slow another's.
"""

from __future__ import annotations

import base64
import http.client
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from lpgp import codes
from shells.app.conftest import Server, start_server

pytestmark = pytest.mark.slow
DEBRIS = [".", ")", "/", ">", "%3E", "%20", " ", ").", "%3E.", "%FF"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    tmp = tmp_path_factory.mktemp("links")
    for server in start_server(tmp, extra_env={"LPGP_TRUSTED_PROXIES": "127.0.0.1"}):
        yield server, tmp / "serve.log"


@pytest.fixture(scope="module")
def server(served: tuple[Server, Path]) -> Server:
    return served[0]


def client(address: str) -> requests.Session:
    """A browser at ``address``, as the trusted proxy reports it."""
    web = requests.Session()
    web.headers["X-Forwarded-For"] = address
    return web


def form_token(page: str) -> str:
    return page.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]


def pieces(code: str, size: int = 6) -> set[str]:
    """Every run of ``size`` characters of the code, as shown and without its dashes, in
    capitals and in small letters."""
    out = set()
    for form in (code, codes.normalise(code)):
        for text in (form, form.lower()):
            out |= {text[i : i + size] for i in range(len(text) - size + 1)}
    return out


def test_links_with_mail_debris_open_the_ballot_and_the_log_keeps_no_code(
    served: tuple[Server, Path],
) -> None:
    server, log = served
    code = server.codes["practice"]
    for n, debris in enumerate(DEBRIS):
        web = client(f"198.51.100.{n + 1}")
        page = web.get(f"{server.url}/c/{code}{debris}", timeout=20)
        assert page.status_code == 200, debris
        assert urlsplit(page.url).path == "/ballot", debris
        assert "Ballot for" in page.text, debris
    lower = client("198.51.100.50").get(f"{server.url}/c/{code.lower()}.", timeout=20)
    assert urlsplit(lower.url).path == "/ballot"

    wrong = [code[:-1] + ("2" if code[-1] != "2" else "3"), codes.new_code(), "NOT-A-CODE-12345"]
    for n, bad in enumerate(wrong):
        answer = client(f"198.51.100.{100 + n}").get(f"{server.url}/c/{bad}.", timeout=20)
        assert answer.status_code == 400
        assert "not recognised" in answer.text
    member = server.codes["member"]
    assert client("198.51.100.99").get(f"{server.url}/c/{member})", timeout=20).ok

    text = log.read_text()
    assert text.count("GET /c/[code]") >= len(wrong)  # the wrong links were logged, redacted
    for secret in [code, member, *wrong]:
        leaked = sorted(p for p in pieces(secret) if p in text)
        assert leaked == [], secret


def test_a_right_code_is_never_held_after_wrong_ones(server: Server) -> None:
    address = "203.0.113.10"
    answers: list[int] = []

    def guess(n: int) -> None:
        answers.append(client(address).get(f"{server.url}/c/WRONG-{n}", timeout=30).status_code)

    # Six wrong codes at once: counted as they start, so they are held 0 to 4 s (before,
    # all six were answered at once and counted only as they failed).
    guesses = [threading.Thread(target=guess, args=(n,)) for n in range(6)]
    for thread in guesses:
        thread.start()
    for thread in guesses:
        thread.join()
    assert answers == [400] * 6
    for _ in range(2):  # the next wrong code would be held 8 s: a right one is not held at all
        started = time.perf_counter()
        answer = client(address).get(
            f"{server.url}/c/{server.codes['member']}", allow_redirects=False, timeout=30
        )
        assert answer.status_code == 302
        assert time.perf_counter() - started < 1.0


def test_parallel_guesses_beyond_the_limit_are_refused_unheard(server: Server) -> None:
    address = "203.0.113.20"
    results: list[tuple[int, float, str | None]] = []
    gate = threading.Barrier(40)

    def guess(n: int) -> None:
        web = client(address)
        gate.wait()
        started = time.perf_counter()
        answer = web.get(f"{server.url}/c/GUESS-{n:04d}", timeout=60)
        took = time.perf_counter() - started
        results.append((answer.status_code, took, answer.headers.get("Retry-After")))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    heard = [r for r in results if r[0] == 400]
    refused = [r for r in results if r[0] == 429]
    assert len(heard) + len(refused) == 40
    # At most eight wait at once; a few more get in as the shortest holds end.
    assert len(heard) <= 14 and len(refused) >= 26
    assert all(r[2] == "8" for r in refused)
    assert max(took for _, took, _ in refused) < 4  # refused at once, not held
    assert max(took for _, took, _ in heard) >= 7.5  # the later wrong ones were held 8 s


def _set_cookies(headers: http.client.HTTPMessage) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in headers.get_all("Set-Cookie") or []}


def _open_link(server: Server, code: str, *, source: str, proto: str) -> dict[str, str]:
    host, port = urlsplit(server.url).hostname, urlsplit(server.url).port
    conn = http.client.HTTPConnection(host, port, timeout=20, source_address=(source, 0))
    try:
        conn.request("GET", f"/c/{code}", headers={"X-Forwarded-Proto": proto})
        answer = conn.getresponse()
        answer.read()
        assert answer.status == 302
        return _set_cookies(answer.headers)
    finally:
        conn.close()


def test_cookies_are_secure_behind_the_trusted_proxy_only(server: Server) -> None:
    code = server.codes["practice"]
    proxied = _open_link(server, code, source="127.0.0.1", proto="https")
    assert set(proxied) >= {"lpgp_session", "lpgp_ballot", "_xsrf"}
    for name, header in proxied.items():
        assert "; Secure" in header, name
    assert "SameSite=Lax" in proxied["lpgp_session"] and "HttpOnly" in proxied["lpgp_ballot"]
    direct = _open_link(server, code, source="127.0.0.2", proto="https")  # not the proxy
    for name, header in direct.items():
        assert "Secure" not in header, name


def test_the_ballot_cookie_does_not_hold_the_code(server: Server) -> None:
    code = server.codes["practice"]
    web = client("203.0.113.30")
    assert web.get(f"{server.url}/c/{code}", timeout=20).ok
    forms = {code, codes.normalise(code), code.lower(), codes.normalise(code).lower()}
    for cookie in web.cookies:
        value = cookie.value.strip('"')
        decoded = [value]
        for part in re.split(r"[|:]", value):
            try:
                decoded.append(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode())
            except (ValueError, UnicodeDecodeError):
                continue
        for text in decoded:
            assert not any(f in text for f in forms), cookie.name
            assert not pieces(code) & {text[i : i + 6] for i in range(len(text))}, cookie.name

    # The sealed code is bound to its session: beside another practice session it is no use.
    other = client("203.0.113.31")
    assert other.get(f"{server.url}/c/{code}", timeout=20).ok
    swapped = requests.Session()
    swapped.cookies.set("lpgp_session", other.cookies["lpgp_session"])
    swapped.cookies.set("lpgp_ballot", web.cookies["lpgp_ballot"])
    answer = swapped.get(f"{server.url}/ballot", timeout=20)
    assert "Ballot for" not in answer.text
    assert "Ballot for" in web.get(f"{server.url}/ballot", timeout=20).text


def test_a_form_token_from_one_session_is_refused_in_another(server: Server) -> None:
    one = client("203.0.113.40")
    one.get(f"{server.url}/c/{server.codes['other_member']}", timeout=20)
    token = form_token(one.get(f"{server.url}/score", timeout=20).text)
    two = client("203.0.113.41")
    two.get(f"{server.url}/c/{server.codes['other_member']}", timeout=20)
    field = two.get(f"{server.url}/score", timeout=20).text.split('name="s-', 1)[1].split('"')[0]
    # Session two posts with session one's token, and session one's _xsrf cookie beside it
    # (as a planted cookie would be): Tornado alone accepts the pair, lpgp refuses it.
    two.cookies.set("_xsrf", one.cookies["_xsrf"])
    stolen = two.post(f"{server.url}/score", data={"_xsrf": token, f"s-{field}": "3"}, timeout=20)
    assert stolen.status_code == 403
    own = form_token(two.get(f"{server.url}/score", timeout=20).text)
    saved = two.post(f"{server.url}/score", data={"_xsrf": own, f"s-{field}": "3"}, timeout=20)
    assert "Your scores are saved" in saved.text


def test_a_link_while_signed_in_as_someone_else_asks_first(server: Server) -> None:
    web = client("203.0.113.50")
    assert web.get(f"{server.url}/c/{server.codes['member']}", timeout=20).ok
    before = web.cookies["lpgp_session"]
    link = f"{server.url}/c/{server.codes['practice']}"
    asked = web.get(link, allow_redirects=False, timeout=20)
    assert asked.status_code == 200
    assert "You are signed in as <strong>Dr Tom Pritchard</strong>" in asked.text
    assert "Continue as practice" in asked.text and server.codes["practice_ods"] in asked.text
    assert "lpgp_session" not in asked.headers.get("Set-Cookie", "")
    assert "Hello, Dr Tom Pritchard" in web.get(f"{server.url}/", timeout=20).text

    page = asked.text
    code = page.split('name="code" value="', 1)[1].split('"', 1)[0]
    moved = web.post(
        f"{server.url}/sign-in",
        data={"_xsrf": form_token(page), "code": code, "next": "/"},
        allow_redirects=False,
        timeout=20,
    )
    assert moved.status_code == 302 and moved.headers["Location"] == "/ballot"
    assert "Ballot for" in web.get(f"{server.url}/ballot", timeout=20).text
    old = requests.get(
        f"{server.url}/", cookies={"lpgp_session": before}, allow_redirects=False, timeout=20
    )
    assert old.headers["Location"] == "/sign-in"  # the member's session ended with the switch
    again = web.get(link, allow_redirects=False, timeout=20)  # the same practice: no question
    assert again.status_code == 302 and again.headers["Location"] == "/ballot"
