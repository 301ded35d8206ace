"""Step 5 in Debian's Chromium against a real ``lpgp serve``: the chair confirms this year's
list from the closed vote's result (a departure needs a reason), edits a confirmed priority and
carries last year's unfinished actions over, all in the browser. Each control is driven with
good input, one bad input (the error names the field and the store is unchanged) and a double
click (one record); axe-core checks each state, and screenshots go to artifacts/screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from lpgp.cycle.actions.carry_over import carried
from lpgp.cycle.actions.tracker import list_actions
from lpgp.cycle.agreed.priority import list_priorities
from lpgp.cycle.board import place as places
from lpgp.cycle.vote import vote as votes
from lpgp.store.schema import AuditRow
from lpgp.store.schema_delivery import AgreedListRow
from shells.app.conftest import Server, start_server
from shells.app.conftest import with_store as _with_store
from shells.app.test_app_browser import accessible, signed_in_tab
from shells.app.test_app_screens_decide import button, refused, said

pytestmark = [pytest.mark.slow, pytest.mark.browser]
playwright = pytest.importorskip("playwright.sync_api")
LAST_YEAR = "2026/27 priorities"
THIS_YEAR = "2027/28 priorities"
OPERATING_MODEL = "Draft the hub's operating model with the federation"


def snapshot(server: Server) -> dict[str, Any]:
    """The rows these controls change, in a form to compare."""

    def work(session) -> dict[str, Any]:
        place = places.get_place(session, "haverbrook")
        return {
            "lists": [
                (r.cycle_id, r.vote_id, r.departure_reason)
                for r in session.scalars(select(AgreedListRow).order_by(AgreedListRow.id))
            ],
            "priorities": {
                cycle: [
                    (p.title, p.lead, p.ask, p.why_now, p.measure, p.candidate_id)
                    for p in list_priorities(session, place, cycle)
                ]
                for cycle in (LAST_YEAR, THIS_YEAR)
            },
            "carried": carried(session, place),
            "edits": len(
                list(
                    session.scalars(select(AuditRow.id).where(AuditRow.action == "priority.edited"))
                )
            ),
        }

    return _with_store(server, work)


def _winners(session) -> list[tuple[str, int | None]]:
    """This year's vote's winners in order, from the count itself (not the screen)."""
    from lpgp.cycle.vote import recount

    place = places.get_place(session, "haverbrook")
    vote = next(v for v in votes.list_votes(session, place) if v.title == "2027/28 practice vote")
    outcome = recount.results(session, vote)
    ids = {c.key: (c.title, c.candidate_id) for c in outcome.candidates}
    return [ids[k] for k in outcome.result.winners]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    for running in start_server(tmp_path_factory.mktemp("serve"), pool_size=1):

        def close(s) -> None:
            demo = places.get_place(s, "haverbrook")
            open_vote = next(v for v in votes.list_votes(s, demo) if votes.state(s, v) == "open")
            votes.close_vote(s, demo, open_vote, actor="test")

        _with_store(running, close)
        yield running


@pytest.fixture(scope="module")
def page(server: Server) -> Iterator:
    """One signed-in tab for the whole module, on the app's one kernel."""
    with signed_in_tab(server) as tab:
        yield tab


def test_confirm_the_list_from_the_closed_vote(page, server: Server) -> None:
    winners = _with_store(server, _winners)
    page.goto(f"{server.url}/voila/render/app.ipynb#agreed")
    page.get_by_role("heading", name="Confirm the list").wait_for()
    # The list being delivered is last year's, confirmed from its own vote.
    page.get_by_text(f"The list for {LAST_YEAR}, confirmed from the vote’s result").wait_for()
    # The form starts from the result: the winners in order, by title.
    for number, (title, _) in enumerate(winners, start=1):
        assert page.get_by_label(f"Title (winner {number})").input_value() == title
    page.get_by_text("The list follows the vote’s result: no reason is needed.").wait_for()
    accessible(page, "agreed-confirm-form")

    # Bad input: no lead chosen. The error names the field; nothing is written.
    before = snapshot(server)
    button(page, "Confirm the list").click()
    assert refused(page, "lead").startswith("lead of priority 1: choose a member of the board")
    assert snapshot(server) == before
    accessible(page, "agreed-confirm-error")

    leads = ("Dr Tom Pritchard", "Dr Helen Ashworth", "Dr Sanjay Mehta")
    for number, lead in enumerate(leads, start=1):
        page.get_by_label(f"Lead (winner {number})").select_option(label=lead)
        page.get_by_label(f"Why now (winner {number})").fill(f"Reason {number} it matters now")
        page.get_by_label(f"Measure of success (winner {number})").fill(f"Measure {number}")
    # Swapping the first two winners and leaving the third off departs from the result: it
    # needs a reason.
    page.get_by_label("Place on the list (winner 3)").select_option(label="Leave off")
    page.get_by_text("The list follows the vote’s result: no reason is needed.").wait_for()
    page.get_by_label("Place on the list (winner 1)").select_option(label="2")
    page.get_by_label("Place on the list (winner 2)").select_option(label="1")
    page.get_by_text("The list departs from the vote’s result").wait_for()
    button(page, "Confirm the list").click()
    assert "record a reason" in refused(page, "departs from the vote's result")
    assert snapshot(server) == before

    reason = "The third needs a year of groundwork with the trust first."
    page.get_by_label("Reason for departing from the result").fill(reason)
    button(page, "Confirm the list").dblclick()
    said(page, f"Confirmed 2 priorities for {THIS_YEAR}: it is now the list being delivered.")
    after = snapshot(server)
    assert len(after["lists"]) == len(before["lists"]) + 1  # one list, for all the clicks
    assert after["lists"][-1][2] == reason
    confirmed = after["priorities"][THIS_YEAR]
    assert confirmed == [
        (winners[1][0], leads[1], confirmed[0][2], "Reason 2 it matters now", "Measure 2",
         winners[1][1]),
        (winners[0][0], leads[0], confirmed[1][2], "Reason 1 it matters now", "Measure 1",
         winners[0][1]),
    ]  # fmt: skip
    assert after["priorities"][LAST_YEAR] == before["priorities"][LAST_YEAR]
    # The screen now shows this year's list, with last year's a pick away.
    page.get_by_text(f"The list for {THIS_YEAR}, confirmed from the vote’s result").wait_for()
    picker = page.get_by_label("Cycle", exact=True)
    shown = [t.replace("\xa0", " ") for t in picker.locator("option").all_inner_texts()]
    assert shown == [
        f"{THIS_YEAR} (being delivered)",
        f"{LAST_YEAR} (earlier)",
    ]
    page.get_by_text(f"The list for {THIS_YEAR} is confirmed.").wait_for()
    accessible(page, "agreed-confirmed")
    picker.select_option(label=f"{LAST_YEAR} (earlier)")
    page.get_by_text(f"The list for {LAST_YEAR}, confirmed from the vote’s result").wait_for()
    picker.select_option(label=f"{THIS_YEAR} (being delivered)")
    page.get_by_text(f"The list for {THIS_YEAR}, confirmed from the vote’s result").wait_for()


def test_edit_a_confirmed_priority(page, server: Server) -> None:
    page.goto(f"{server.url}/voila/render/app.ipynb#agreed")
    page.get_by_role("heading", name="Edit a priority").wait_for()
    first = snapshot(server)["priorities"][THIS_YEAR][0]
    page.get_by_label("Priority to edit").select_option(label=f"1. {first[0]}")
    assert page.get_by_label("Measure of success", exact=True).input_value() == first[4]

    before = snapshot(server)
    page.get_by_label("Measure of success", exact=True).fill("   ")
    button(page, "Save changes").click()
    assert refused(page, "measure of success").startswith(
        "measure of success: a priority needs a measure of success"
    )
    assert snapshot(server) == before

    page.get_by_label("Measure of success", exact=True).fill("Same-day requests seen that day")
    button(page, "Save changes").dblclick()
    said(page, f"Saved changes to priority 1, '{first[0]}'.")
    after = snapshot(server)
    assert after["edits"] == before["edits"] + 1
    assert after["priorities"][THIS_YEAR][0][4] == "Same-day requests seen that day"
    row = page.get_by_role("region", name="Agreed list").get_by_role("row").nth(1)
    assert "Same-day requests seen that day" in row.inner_text()
    accessible(page, "agreed-edited")


def test_carry_last_years_unfinished_actions_over(page, server: Server) -> None:
    page.goto(f"{server.url}/voila/render/app.ipynb#agreed")
    page.get_by_role("heading", name="Unfinished actions of earlier lists").wait_for()
    accessible(page, "agreed-carry")
    # Done actions are not offered.
    assert (
        page.get_by_label("Map same-day demand and capacity by practice", exact=False).count() == 0
    )

    before = snapshot(server)
    button(page, "Carry over the chosen actions").click()
    assert refused(page, "actions to carry over").startswith(
        "actions to carry over: tick at least one action"
    )
    assert snapshot(server) == before

    page.get_by_label(OPERATING_MODEL, exact=False).check()
    target = snapshot(server)["priorities"][THIS_YEAR][1][0]
    page.get_by_label("Carry over to").select_option(label=f"2. {target}")
    button(page, "Carry over the chosen actions").dblclick()
    said(page, f"Carried 1 action over to '{target}'.")
    after = snapshot(server)
    assert len(after["carried"]) == len(before["carried"]) + 1
    page.get_by_text("carried over as action").wait_for()

    def actions(session) -> tuple[list[str], list[str]]:
        place = places.get_place(session, "haverbrook")
        return (
            [a.title for a in list_actions(session, place, LAST_YEAR)],
            [a.title for a in list_actions(session, place, THIS_YEAR)],
        )

    old, new = _with_store(server, actions)
    assert OPERATING_MODEL in old  # it stays with its cycle
    assert new == [OPERATING_MODEL]


def test_a_list_the_board_drew_up_without_a_vote(page, server: Server) -> None:
    _with_store(
        server,
        lambda s: places.create_cycle(
            s, places.get_place(s, "haverbrook"), "2028/29 priorities", actor="test"
        ),
    )
    page.goto(f"{server.url}/voila/render/app.ipynb#agreed")
    page.reload()  # the cycle was started behind the screen's back
    page.get_by_text("2028/29 priorities has no practice vote.").wait_for()
    button(page, "Add a priority the board drew up").dblclick()
    page.get_by_label("Title (added 1)").wait_for()
    assert page.get_by_label("Title (added 2)").count() == 0  # one row for the double click
    accessible(page, "agreed-by-hand")

    before = snapshot(server)
    page.get_by_label("Lead (added 1)").select_option(label="Dr Tom Pritchard")
    button(page, "Confirm the list").click()
    assert refused(page, "priority 1").startswith("priority 1 needs a title")
    assert snapshot(server) == before

    page.get_by_label("Title (added 1)").fill("One phone system for every practice")
    page.get_by_label("Ask of the system (added 1)").fill("The ICB buys one cloud phone system")
    page.get_by_label("Why now (added 1)").fill("Three contracts end this spring")
    page.get_by_label("Measure of success (added 1)").fill("Calls answered within two minutes")
    button(page, "Confirm the list").dblclick()
    said(page, "Confirmed 1 priority for 2028/29 priorities")
    after = snapshot(server)
    assert len(after["lists"]) == len(before["lists"]) + 1
    assert after["lists"][-1][1] is None  # from no vote
