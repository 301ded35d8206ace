"""A tied, out-of-range or empty ranking is refused with a clear message, from the command line
and on the ballot page, and nothing is written: the practice's earlier ballot still counts."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
import requests
import tornado.httpserver
import tornado.ioloop
import tornado.netutil
import tornado.web

from cycle.vote.conftest import TEXTS, Setup
from lpgp.cycle.vote import ballot, ballot_rules
from lpgp.errors import InvalidInput
from lpgp.web import visitor as visitors
from lpgp.web.ballot_form import BallotFormError, ballot_from_fields
from lpgp.web.handlers import routes
from lpgp.web.throttle import Throttle

TITLE = {t.key: t.title for t in TEXTS}


def _vote_rows(setup: Setup) -> dict[str, list]:
    return {k: v for k, v in setup.snapshot().items() if "vote" in k or k == "audit_log"}


# ---- parse_choice and the form reader -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A=B", "'A' and 'B' share rank 1"),
        ("C>A=B=D", "'A', 'B' and 'D' share rank 2"),
        ("", "it is empty"),
        ("   ", "it is empty"),
        ("A>>B", "empty or broken place (number 2)"),
        ("A>", "empty or broken place (number 2)"),
        ("A=", "empty or broken place (number 1)"),
    ],
)
def test_parse_choice_refuses_ties_and_empty_rankings(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        ballot_rules.parse_choice("ranked", text)


def test_parse_choice_refuses_empty_approval_and_points() -> None:
    with pytest.raises(InvalidInput, match="approves nothing"):
        ballot_rules.parse_choice("approval", " , ")
    with pytest.raises(InvalidInput, match="gives no points"):
        ballot_rules.parse_choice("points", "A=0, B=0")


def test_parse_choice_escapes_control_characters_in_its_message() -> None:
    for text in ("A=\x1b[2J", "A>>\x1b[2J"):
        with pytest.raises(InvalidInput) as caught:
            ballot_rules.parse_choice("ranked", text)
        assert "\x1b" not in str(caught.value) and "\\x1b" in str(caught.value)
    with pytest.raises(InvalidInput) as caught:
        from lpgp import voting

        voting.check_ballot("irv", ["A", "\x1b[2J\u202e"], ["A", "B"])
    assert str(caught.value) == "'\\x1b[2J\\u202e' is not a candidate"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"r-A": ["1"], "r-B": ["1"], "r-C": ["2"]}, "'Hub' and 'Plan' share rank 1"),
        ({"r-A": ["0"], "r-B": [""], "r-C": [""]}, "'Hub': rank 0 is not between 1 and 3"),
        ({"r-A": ["4"], "r-B": [""], "r-C": [""]}, "'Hub': rank 4 is not between 1 and 3"),
        ({"r-A": ["first"], "r-B": [""], "r-C": [""]}, "'first' is not a rank from 1 to 3"),
        ({"r-A": [""], "r-B": [""], "r-C": [""]}, "Your ballot is empty"),
    ],
)
def test_the_form_reader_refuses_ties_ranges_and_empty(fields: dict, message: str) -> None:
    titles = {"A": "Hub", "B": "Plan", "C": "Pool"}
    with pytest.raises(BallotFormError, match=re.escape(message)) as caught:
        ballot_from_fields("ranked", fields, titles)
    assert caught.value.problems


def test_the_form_reader_refuses_empty_approval_and_points() -> None:
    with pytest.raises(BallotFormError, match="Your ballot is empty"):
        ballot_from_fields("approval", {})
    with pytest.raises(BallotFormError, match="Your ballot is empty"):
        ballot_from_fields("points", {"p-A": ["0"], "p-B": [""]})


def test_the_engine_refuses_a_tie_instead_of_crashing() -> None:
    from lpgp import voting

    with pytest.raises(InvalidInput, match="'A' and 'B' share a place"):
        voting.check_ballot("schulze", [["A", "B"]], ["A", "B"])


# ---- the command line -------------------------------------------------------------------


def test_cli_refuses_a_tied_ranking_and_keeps_the_earlier_ballot(cli, file_setup) -> None:
    v = file_setup.vote(method="schulze")
    code = file_setup.codes(v)["Z10001"]
    assert cli("vote", "cast", code, "B>A")[0] == 0
    before = _vote_rows(file_setup)
    for text, message in [
        ("A=B", "'A' and 'B' share rank 1"),
        ("", "it is empty"),
        ("A>>B", "empty or broken place"),
        ("A>A", "'A' is ranked twice"),
    ]:
        status, out, err = cli("vote", "cast", code, text)
        assert status == 1 and message in err, (text, err)
        assert "Traceback" not in out + err
    assert _vote_rows(file_setup) == before


def test_the_lpgp_command_prints_no_traceback_for_a_tie(file_setup, file_store_url) -> None:
    v = file_setup.vote(method="irv")
    code = file_setup.codes(v)["Z10001"]
    done = subprocess.run(
        [sys.executable, "-m", "lpgp", "vote", "cast", code, "A=B"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "LPGP_DATABASE_URL": file_store_url},
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "'A' and 'B' share rank 1" in done.stderr


# ---- the ballot page --------------------------------------------------------------------


@pytest.fixture
def server(file_setup: Setup) -> Iterator[str]:
    """lpgp's own routes served in this process on a free loopback port."""
    app = tornado.web.Application(
        routes(file_setup.store, Throttle()),
        cookie_secret=visitors.cookie_secret(),
        xsrf_cookies=True,
        serve_traceback=False,
    )
    ready = threading.Event()
    held: dict = {}

    def run() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        loop = tornado.ioloop.IOLoop.current()
        (sock,) = tornado.netutil.bind_sockets(0, "127.0.0.1")
        http = tornado.httpserver.HTTPServer(app)
        http.add_sockets([sock])
        held.update(port=sock.getsockname()[1], loop=loop, http=http)
        ready.set()
        loop.start()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10)
    yield f"http://127.0.0.1:{held['port']}"
    held["loop"].add_callback(held["http"].stop)
    held["loop"].add_callback(held["loop"].stop)
    thread.join(10)


def _signed_in(url: str, code: str) -> requests.Session:
    web = requests.Session()
    page = web.get(f"{url}/sign-in", timeout=10).text
    token = page.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]
    answer = web.post(f"{url}/sign-in", data={"code": code, "_xsrf": token}, timeout=20)
    assert answer.status_code == 200 and "/ballot" in answer.url, answer.text
    return web


def _token(web: requests.Session, url: str) -> str:
    page = web.get(f"{url}/ballot", timeout=10).text
    return page.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]


def _selected(page: str, key: str) -> str | None:
    select = re.search(rf'name="r-{key}".*?</select>', page, re.S)
    assert select, key
    chosen = re.search(r'<option value="(\d+)" selected>', select.group(0))
    return chosen.group(1) if chosen else None


def test_ballot_page_refuses_a_tie_and_shows_the_form_as_entered(
    server: str, file_setup: Setup
) -> None:
    v = file_setup.vote(method="schulze")
    code = file_setup.codes(v)["Z10001"]
    file_setup.cast(code, ["B", "A"])
    web = _signed_in(server, code)
    token = _token(web, server)
    before = _vote_rows(file_setup)
    sent = {"_xsrf": token, "r-A": "1", "r-B": "1", "r-C": "2", "r-D": "", "r-E": "3"}
    answer = web.post(f"{server}/ballot", data=sent, timeout=20)
    page = answer.text
    assert answer.status_code == 400
    assert "There is a problem" in page and "Traceback" not in page
    assert f"&#39;{TITLE['A']}&#39; and &#39;{TITLE['B']}&#39; share rank 1" in page
    assert 'href="#c-A"' in page and 'id="c-A-error"' in page and 'id="c-B-error"' in page
    assert [_selected(page, k) for k in "ABCDE"] == ["1", "1", "2", None, "3"]
    assert _vote_rows(file_setup) == before


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        ({"r-A": "9"}, "rank 9 is not between 1 and 5"),
        ({"r-A": "-1", "r-B": "2"}, "rank -1 is not between 1 and 5"),
        ({"r-A": "", "r-B": ""}, "Your ballot is empty"),
        ({}, "Your ballot is empty"),
    ],
)
def test_ballot_page_refuses_ranks_out_of_range_and_an_empty_ballot(
    server: str, file_setup: Setup, sent: dict, message: str
) -> None:
    v = file_setup.vote(method="irv")
    code = file_setup.codes(v)["Z10001"]
    file_setup.cast(code, ["C"])
    web = _signed_in(server, code)
    token = _token(web, server)
    before = _vote_rows(file_setup)
    answer = web.post(f"{server}/ballot", data={"_xsrf": token, **sent}, timeout=20)
    assert answer.status_code == 400
    assert "There is a problem" in answer.text and message in answer.text
    assert _vote_rows(file_setup) == before
    with file_setup.store.read() as s:
        form = ballot.ballot_form(s, ballot.voter_for_code(s, code))
    assert form.current == ["C"]  # the earlier ballot still counts


def test_ballot_page_refuses_an_empty_approval_ballot_but_casts_a_real_one(
    server: str, file_setup: Setup
) -> None:
    v = file_setup.vote(method="approval")
    code = file_setup.codes(v)["Z10001"]
    file_setup.cast(code, ["A"])
    web = _signed_in(server, code)
    token = _token(web, server)
    before = _vote_rows(file_setup)
    answer = web.post(f"{server}/ballot", data={"_xsrf": token}, timeout=20)
    assert answer.status_code == 400 and "Your ballot is empty" in answer.text
    assert _vote_rows(file_setup) == before
    answer = web.post(f"{server}/ballot", data={"_xsrf": token, "choice": ["B", "C"]})
    assert answer.status_code == 200 and "Check your answers" in answer.text
    assert _vote_rows(file_setup) == before  # nothing cast until it is confirmed
    answer = web.post(
        f"{server}/ballot",
        data={"_xsrf": token, "step": "cast", "choice": ["B", "C"]},
        allow_redirects=False,
    )
    assert answer.status_code in (302, 303), answer.text
    with file_setup.store.read() as s:
        assert ballot.ballot_form(s, ballot.voter_for_code(s, code)).current == ["B", "C"]
