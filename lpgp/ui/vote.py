"""The vote's screens: set-up (codes and the mail-merge file) and results (live turnout,
closing by hand, the count once closed)."""

from __future__ import annotations

import base64
import os
from urllib.parse import urlsplit

import ipywidgets as widgets

from .. import api_vote, ballot
from .. import vote as votes
from .screen import Screen, escape, table_html


def _choices(viewer, store) -> list[tuple[str, int]]:  # noqa: ANN001
    df = api_vote.votes(place=viewer.place.id, store=store)
    return [(f"{r.title} ({r.state})", int(r.id)) for r in df.itertuples()]


def _default(viewer, store) -> int | None:  # noqa: ANN001
    df = api_vote.votes(place=viewer.place.id, store=store)
    if df.empty:
        return None
    running = df[df.state != votes.CLOSED]
    return int((running if len(running) else df).iloc[-1].id)


class _VoteScreen(Screen):
    def __init__(self, viewer, store=None) -> None:  # noqa: ANN001
        super().__init__(viewer, store)
        self.picker = self.control(
            widgets.Dropdown(
                options=_choices(viewer, self.store),
                value=_default(viewer, self.store),
                description="Vote",
            )
        )
        self.picker.observe(lambda change: self.reset(), names="value")

    def _vote(self) -> votes.Vote:
        with self.store.read() as session:
            return votes.get_vote(session, self.viewer.place, self.picker.value)


class ResultsScreen(_VoteScreen):
    """Turnout that updates itself, a Close button, and the results once closed."""

    title = "Results"

    def __init__(self, viewer, store=None) -> None:  # noqa: ANN001
        super().__init__(viewer, store)
        self.turnout = widgets.HTML()
        self.results = widgets.HTML()
        self.sure = self.control(
            widgets.Checkbox(description="Nothing can change after closing: I am sure")
        )
        self.close = self.control(
            widgets.Button(description="Close the vote now", button_style="danger")
        )
        self.close.on_click(lambda b: self.run(b, self._close))
        self.body.children = [
            self.picker,
            widgets.HTML("<h2>Turnout</h2>"),
            self.turnout,
            widgets.HBox([self.sure, self.close]),
            self.results,
        ]
        if self.picker.value is None:
            self.body.children = [widgets.HTML("<p>No vote has been set up yet.</p>")]
            return
        self.keep_fresh()

    def _close(self) -> str:
        if not self.sure.value:
            return "Tick the box to confirm, then close the vote."
        vote = self._vote()
        self.store.write(
            lambda s: votes.close_vote(s, self.viewer.place, vote.id, actor=self.viewer.actor)
        )
        self.sure.value = False
        self.picker.options = _choices(self.viewer, self.store)
        self.picker.value = vote.id
        return f"'{vote.title}' is closed."

    def refresh(self) -> None:
        if self.picker.value is None:
            return
        place, store, vote_id = self.viewer.place.id, self.store, self.picker.value
        df = api_vote.turnout(vote_id, place=place, store=store)
        shown = df[["pcn", "eligible", "voted"]].rename(
            columns={"pcn": "PCN", "eligible": "Practices eligible", "voted": "Practices voted"}
        )
        shown["Registered patients covered"] = [f"{share:.0%}" for share in df["share_of_patients"]]
        total = df.iloc[-1]
        lead = (
            f'<p class="lpgp-status" role="status" aria-live="polite">'
            f"{int(total.voted)} of {int(total.eligible)} practices have voted.</p>"
        )
        self.turnout.value = lead + table_html(shown, "Turnout by PCN")
        with store.read() as session:
            state = votes.state(session, votes.get_vote(session, self.viewer.place, vote_id))
        closed = state == votes.CLOSED
        self.close.layout.display = "none" if closed else None
        self.sure.layout.display = "none" if closed else None
        if not closed:
            self.results.value = "<p>Results appear here once the vote has closed.</p>"
            return
        result = api_vote.results(vote_id, place=place, store=store)
        explanation = result.attrs.get("explanation", "")
        self.results.value = (
            "<h2>Results</h2>"
            + table_html(result[["position", "title", "score", "elected"]], "Results")
            + (f"<p>{escape(explanation)}</p>" if isinstance(explanation, str) else "")
        )


def _base_url() -> str | None:
    """This server's address, from the request that opened the page under Voilà."""
    url = os.environ.get("VOILA_REQUEST_URL")
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class VoteSetupScreen(_VoteScreen):
    """The votes and their settings; issue codes and hand over the mail-merge file."""

    title = "Vote set-up"

    def __init__(self, viewer, store=None) -> None:  # noqa: ANN001
        super().__init__(viewer, store)
        self.table = widgets.HTML()
        self.file = widgets.HTML()
        self.issue = self.control(
            widgets.Button(
                description="Issue codes to practices " "without one", button_style="primary"
            )
        )
        self.issue.layout.width = "auto"
        self.issue.on_click(lambda b: self.run(b, self._issue))
        self.body.children = [self.table, self.picker, self.issue, self.file]
        self.refresh()

    def refresh(self) -> None:
        df = api_vote.votes(place=self.viewer.place.id, store=self.store)
        cols = ["title", "state", "method", "seats", "weighting", "ballot", "closes_at"]
        self.table.value = table_html(df[cols], "Votes", "No vote has been set up yet.")

    def _issue(self) -> str:
        vote = self._vote()
        letters = self.store.write(
            lambda s: ballot.issue_codes(s, vote, base_url=_base_url(), actor=self.viewer.actor)
        )
        if not letters:
            return "Every practice already has a code."
        data = base64.b64encode("".join(ballot.mail_merge(letters)).encode()).decode()
        self.file.value = (
            f'<p><a class="lpgp-button" download="ballot-codes.csv" '
            f'href="data:text/csv;base64,{data}">Download the mail-merge file</a></p>'
            "<p>The codes are only in this file: send each practice its line, then delete it."
            "</p>"
        )
        return f"Issued {len(letters)} codes."
