"""Sign-in rules without a server: member codes, sessions, throttling, proxies, progress."""

from __future__ import annotations

import pytest

from lpgp import audit
from lpgp.cycle import progress, progress_rules
from lpgp.cycle.board import member_code
from lpgp.cycle.board import place as places
from lpgp.demo import load_demo
from lpgp.web import visitor as visitors
from lpgp.web.handlers import safe_next
from lpgp.web.throttle import Throttle, client_address, delay_for, parse_proxies


@pytest.fixture
def demo(store):
    load_demo(store)
    with store.read() as s:
        return places.get_place(s, "haverbrook")


def test_member_code_signs_in_and_reissue_kills_old_code(store, demo) -> None:
    first = store.write(lambda s: member_code.issue_code(s, demo, "Dr Amara Okafor"))
    found = store.write(lambda s: visitors.sign_in_member(s, first.code.lower()))
    assert found is not None
    who, token = found
    assert who.is_facilitator and who.place == demo and who.actor == "member:Dr Amara Okafor"
    with store.read() as s:
        assert visitors.visitor_for_token(s, token) == who
    store.write(lambda s: member_code.issue_code(s, demo, "Dr Amara Okafor"))
    assert store.write(lambda s: visitors.sign_in_member(s, first.code)) is None
    with store.read() as s:
        actions = [e.action for e in audit.entries(s, demo.id)]
    assert "board.code_reissued" in actions and "web.signed_in" in actions


def test_ended_or_unknown_sessions_open_nothing(store, demo) -> None:
    issued = store.write(lambda s: member_code.issue_codes(s, demo))
    assert len(issued) == 9
    assert store.write(lambda s: member_code.issue_codes(s, demo, missing_only=True)) == []
    _, token = store.write(lambda s: visitors.sign_in_member(s, issued[0].code))
    store.write(lambda s: visitors.end_session(s, token))
    with store.read() as s:
        assert visitors.visitor_for_token(s, token) is None
        assert visitors.visitor_for_token(s, "made-up") is None
        assert visitors.visitor_for_token(s, None) is None


def test_every_members_session_brings_back_their_seat(store, demo) -> None:
    from lpgp.cycle.board.person import list_board

    issued = store.write(lambda s: member_code.issue_codes(s, demo))
    signed_in = [store.write(lambda s, i=i: visitors.sign_in_member(s, i.code)) for i in issued]
    with store.read() as s:
        board = {m.id: m for m in list_board(s, demo)}
        seen = [visitors.visitor_for_token(s, token) for _, token in signed_in]
    assert [v.member for v in seen] == [board[who.member.id] for who, _ in signed_in]
    assert {v.member.is_facilitator for v in seen} == {True, False}
    assert sum(v.member.is_chair for v in seen) == 1


def test_signed_cookie_header_round_trip() -> None:
    from tornado.web import create_signed_value

    secret = b"s" * 32
    value = create_signed_value(secret, visitors.COOKIE, "tok").decode()
    header = f'_xsrf=abc; {visitors.COOKIE}="{value}"'
    assert visitors.token_from_cookie_header(header, secret) == "tok"
    assert visitors.token_from_cookie_header(header, b"t" * 32) is None
    assert visitors.token_from_cookie_header("junk", secret) is None


class Clock:
    """A clock the test sets by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_delay_grows_and_is_capped_never_a_lockout() -> None:
    assert [delay_for(n) for n in range(7)] == [0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0]
    assert delay_for(1000) == 8.0
    clock = Clock()
    throttle = Throttle(window=60, clock=clock)
    for t in range(5):
        clock.now = t
        throttle.wrong(throttle.begin("10.0.0.9"))
    clock.now = 5
    assert throttle.begin("10.0.0.9").hold == 4.0
    assert throttle.begin("10.0.0.8").hold == 0.0
    clock.now = 100  # the window has passed: only the attempt still waiting counts
    assert throttle.begin("10.0.0.9").hold == 0.25


def test_right_codes_are_never_counted_against_the_room() -> None:
    clock = Clock()
    throttle = Throttle(clock=clock)
    for _ in range(6):
        throttle.wrong(throttle.begin("10.0.0.9"))
    for _ in range(60):  # the room's phones after six typos: each answered, none counted
        attempt = throttle.begin("10.0.0.9")
        assert attempt is not None
        throttle.right(attempt)
    assert throttle.pending("10.0.0.9") == (6, 0)
    clock.now = 15 * 60 + 1
    assert throttle.pending("10.0.0.9") == (0, 0)


def test_parallel_attempts_count_when_they_start_and_are_capped() -> None:
    throttle = Throttle(clock=Clock(), max_waiting=8)
    started = [throttle.begin("10.0.0.9") for _ in range(8)]
    assert [a.hold for a in started] == [0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    for attempt in started:  # each found wrong: its answer is being held
        throttle.holding(attempt)
    assert throttle.begin("10.0.0.9") is None  # refused before its code is looked up
    assert throttle.begin("10.0.0.8") is not None  # another address is not affected
    throttle.wrong(started[0])
    assert throttle.begin("10.0.0.9").hold == 8.0  # a slot freed, the next one is held


def test_forwarded_for_trusted_only_from_configured_proxies() -> None:
    proxies = parse_proxies("127.0.0.1, 10.1.0.0/16")
    assert client_address("203.0.113.5", "198.51.100.1", proxies) == "203.0.113.5"
    assert client_address("127.0.0.1", "198.51.100.1", proxies) == "198.51.100.1"
    assert client_address("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.1.2.3", proxies) == (
        "198.51.100.1"
    )
    assert client_address("127.0.0.1", "198.51.100.1", ()) == "127.0.0.1"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/voila/render/home.ipynb", "/voila/render/home.ipynb"),
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("", "/"),
    ],
)
def test_redirects_stay_on_this_server(target: str, expected: str) -> None:
    assert safe_next(target) == expected


def test_progress_names_the_blocker() -> None:
    statuses = progress_rules.assess(
        {"practices": 41, "board_members": 9, "candidates": 8, "members_scored": 6}
    )
    assert [s.done for s in statuses] == [True, True] + [False] * 6
    assert progress_rules.next_step(statuses).note == "3 members have not scored yet."
    assert progress_rules.assess({})[0].note == "Add the place's practices and board members."
    one = progress_rules.assess(
        {"practices": 1, "board_members": 2, "candidates": 1, "members_scored": 1}
    )
    assert one[2].note == "1 member has not scored yet."


def test_progress_counts_the_demo(store, demo) -> None:
    with store.read() as s:
        c = progress.counts(s, demo)
    assert c["practices"] == 41 and c["board_members"] == 9


def test_settling_the_heap_freezes_startup_objects_and_compiles_every_page() -> None:
    import gc

    from lpgp.web.base import TEMPLATES
    from lpgp.web.server import settle_heap

    try:
        frozen = settle_heap()
        assert frozen == gc.get_freeze_count() > 10_000  # this process holds the whole app
        assert {key[1] for key in TEMPLATES.cache} >= set(TEMPLATES.list_templates())
        gc.collect()
        assert gc.get_freeze_count() == frozen  # a full collection leaves them where they are
    finally:
        gc.unfreeze()


def test_a_room_of_right_codes_at_once_is_never_refused_but_guesses_are() -> None:
    import asyncio

    from lpgp.web.throttle import MAX_WAITING, Throttle

    throttle = Throttle(clock=lambda: 0.0)  # no wrong answer is released during the test
    answers: list[str] = []

    async def sign_in(right: bool) -> None:
        attempt = throttle.start("198.51.100.1")
        if attempt is None:
            answers.append("refused")
            return
        try:
            await asyncio.sleep(0)  # the lookup, on another thread in the server
            verdict = await throttle.settle(attempt, right)
        finally:
            throttle.release(attempt)
        answers.append({"right": "in", "wrong": "held", "refused": "refused"}[verdict.value])

    async def room() -> None:
        await asyncio.gather(*(sign_in(True) for _ in range(600)))

    asyncio.run(room())
    assert answers == ["in"] * 600
    answers.clear()

    async def guesses() -> None:
        await asyncio.gather(*(sign_in(False) for _ in range(40)))

    asyncio.run(guesses())
    assert answers.count("held") == MAX_WAITING and answers.count("refused") == 40 - MAX_WAITING


def test_attempts_are_settled_in_the_order_they_started_whatever_their_lookups_take() -> None:
    import asyncio

    from lpgp.web.throttle import Throttle

    throttle = Throttle(clock=lambda: 0.0, max_waiting=3)
    answers: dict[str, str] = {}

    async def sign_in(name: str, right: bool, lookup_turns: int) -> None:
        attempt = throttle.start("198.51.100.1")
        assert attempt is not None
        try:
            for _ in range(lookup_turns):  # a slower or faster lookup
                await asyncio.sleep(0)
            answers[name] = (await throttle.settle(attempt, right)).value
        finally:
            throttle.release(attempt)

    async def burst() -> None:
        # Three guesses whose lookups are slow, then a right code and a guess that are fast:
        # looked up one at a time, the last two would meet three held wrong answers.
        await asyncio.gather(
            *(sign_in(f"guess {i}", False, 20) for i in range(3)),
            sign_in("right code", True, 1),
            sign_in("late guess", False, 1),
        )

    asyncio.run(burst())
    assert answers == {
        "guess 0": "wrong",
        "guess 1": "wrong",
        "guess 2": "wrong",
        "right code": "refused",  # refused on what came before it, not on its own code
        "late guess": "refused",
    }
