"""Practice vote (step 4): create a vote on the fixed shortlist, open it, issue the ballot codes
(offered once, as a mail-merge file and as printable letters, then gone), watch turnout live,
look after codes and ballots while it runs, extend it, and close it.

Every rule lives in the library (:mod:`lpgp.cycle.vote.vote_rules`, :mod:`lpgp.cycle.vote.vote`,
:mod:`lpgp.cycle.vote.ballot`, :mod:`lpgp.cycle.exports.letters`); this screen gathers what the
chair typed, calls it, and shows where the vote truly stands by the database's clock.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

import ipywidgets as widgets
import pandas as pd
from sqlalchemy.orm import Session

from lpgp import chart, clock, voting
from lpgp.access.signin import Visitor
from lpgp.cycle.board.place import get_cycle
from lpgp.cycle.vote import ballot, ballot_rules, electorate, electorate_rules, vote_rules
from lpgp.cycle.vote import vote as votes
from lpgp.errors import InvalidInput, LpgpError, NotFound, StateError
from lpgp.store import Store
from lpgp.ui.download import CSV, PDF, download_link, figure_img, slug
from lpgp.ui.format import EMPTY, Html, count, people_table, percent, when
from lpgp.ui.screen import Screen, escape, screen_href

log = logging.getLogger("lpgp.ui")

CREATE_FIELDS = {
    "title": "Title",
    "method": "Counting method",
    "seats": "Seats",
    "budget": "Points each practice shares out",
    "weighting": "Weighting",
    "opens": "Opens",
    "closes": "Closes",
    "candidates": "Candidates",
    "cycle": "Cycle",
    "electorate": "Electorate",
}
EXTEND_FIELDS = {"closes": "New closing time"}
STATE_CHIPS = {"Open": "green", "Closed": "grey", "Opens later": "blue", "Not opened yet": "amber"}
CHOOSE = ""


@contextmanager
def named_fields(labels: dict[str, str]) -> Iterator[None]:
    """Let a refusal name the field as the form labels it: the library's ``closes: ...``
    becomes ``Closes: ...``.

    >>> try:
    ...     with named_fields({"closes": "Closes"}):
    ...         raise InvalidInput("closes: the closing time must be after the opening time")
    ... except InvalidInput as exc:
    ...     print(exc)
    Closes: the closing time must be after the opening time
    """
    try:
        yield
    except (InvalidInput, StateError, NotFound) as exc:
        name, sep, rest = str(exc).partition(": ")
        if sep and name in labels and type(exc) in (InvalidInput, StateError, NotFound):
            raise type(exc)(f"{labels[name]}: {rest}") from None
        raise


def london_moment(day: date | None, at: time | None, label: str) -> datetime:
    """A date and a time picked on the form, as the London wall-clock time they name.

    >>> london_moment(date(2027, 3, 1), time(9, 0), "Opens")
    datetime.datetime(2027, 3, 1, 9, 0)
    >>> london_moment(None, time(9, 0), "Closes")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: Closes: choose a date
    """
    if day is None:
        raise InvalidInput(f"{label}: choose a date")
    if at is None:
        raise InvalidInput(f"{label}: choose a time")
    return datetime.combine(day, at.replace(second=0, microsecond=0))


def shown_back(day: date | None, at: time | None, verb: str) -> str:
    """What a date and time picked on the form mean, in the words the screens use.

    >>> shown_back(date(2026, 12, 7), time(18, 0), "Opens")
    'Opens Mon 7 Dec 2026, 18:00 (London time).'
    >>> shown_back(None, time(18, 0), "Closes")
    'Closes: choose a date and a time.'
    """
    if day is None or at is None:
        return f"{verb}: choose a date and a time."
    try:
        moment = clock.london_to_utc(datetime.combine(day, at.replace(second=0, microsecond=0)))
    except InvalidInput as exc:
        return f"{verb}: {exc}."
    return f"{verb} {when(moment)} (London time)."


def address_from(env: Mapping[str, str]) -> str | None:
    """This server's address for the practices' private links, from the environment:
    ``LPGP_BASE_URL`` if set (as it must be behind a proxy), else the address the chair's
    page was opened at (from the request Voilà hands the kernel).

    >>> address_from({"SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8866"})
    'http://127.0.0.1:8866'
    >>> address_from({"LPGP_BASE_URL": "https://vote.example.org/", "SERVER_NAME": "x"})
    'https://vote.example.org'
    >>> address_from({}) is None
    True
    """
    configured = env.get("LPGP_BASE_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    url = env.get("VOILA_REQUEST_URL")
    if url:
        parts = urlsplit(url)
        if parts.scheme and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    host, port = env.get("SERVER_NAME", ""), env.get("SERVER_PORT", "")
    if not host:
        return None
    scheme = "https" if port == "443" else "http"
    return f"{scheme}://{host}" if port in ("", "80", "443") else f"{scheme}://{host}:{port}"


def base_url() -> str | None:
    """This server's address for private links (:func:`address_from` this process's
    environment)."""
    return address_from(os.environ)


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _chip(label: str) -> Html:
    colour = STATE_CHIPS.get(label, "grey")
    return Html(f'<span class="lpgp-chip lpgp-chip--{colour}">{escape(label)}</span>')


def _show(display: bool, *items: widgets.Widget) -> None:
    for item in items:
        item.layout.display = "" if display else "none"


def _wide(widget: widgets.Widget) -> widgets.Widget:
    widget.style.description_width = "initial"
    widget.layout.width = "100%"
    return widget


@dataclass
class _Seen:
    """What the store holds for the screen, read in one transaction."""

    votes: list[vote_rules.Vote]
    states: dict[int, vote_rules.VoteState]
    cycle: str | None = None
    shortlist: list[str] = field(default_factory=list)
    shortlist_problem: str = ""
    vote: vote_rules.Vote | None = None
    turnout: vote_rules.Turnout | None = None
    electors: list[electorate_rules.Elector] = field(default_factory=list)
    holders: set[int] = field(default_factory=set)
    voted: set[int] = field(default_factory=set)
    emails: dict[int, str] = field(default_factory=dict)


class VoteScreen(Screen):
    """Everything the chair does with a practice vote, from creating it to closing it;
    turnout refreshes itself every few seconds."""

    title = "Practice vote"
    styles = ("lpgp-decide", "lpgp-vote")
    outcomes_under_buttons = True

    def __init__(self, viewer: Visitor, store: Store | None = None) -> None:
        super().__init__(viewer, store)
        self._quiet = False
        self._confirming = ""
        self._allowed: dict[str, bool] = {}
        self._prefilled: int | None = None
        self._turnout_key: object = None
        self._turnout_html = ""
        self._seen: _Seen | None = None
        self.spots = {
            name: widgets.VBox()
            for name in (
                "done",
                "codes",
                "one",
                "void",
                "extend",
                "close",
                "create",
            )
        }
        self.votes_table = widgets.HTML()
        self.picker = self.control(_wide(widgets.Dropdown(description="Vote to manage")))
        self.picker.observe(self._picked, names="value")
        self.summary = widgets.HTML()
        self.closed_note = widgets.HTML()
        # Opening and cancelling a vote that has not opened.
        self.open_text = widgets.HTML()
        self.open_button = self._button("Open the vote", "primary", "done", self._open)
        self.open_box = widgets.VBox([self.open_text, self.open_button])
        self.cancel_text = widgets.HTML()
        self.cancel_ask = self._button("Cancel this vote…", "", None, None)
        self.cancel_ask.on_click(lambda b: self._confirm("cancel"))
        self.cancel_sure = widgets.HTML()
        self.cancel_yes = self._button("Yes, cancel the vote", "danger", "done", self._cancel)
        self.cancel_no = self._button("Keep the vote", "", None, None)
        self.cancel_no.on_click(lambda b: self._confirm(""))
        self.cancel_confirm = widgets.VBox(
            [self.cancel_sure, widgets.HBox([self.cancel_yes, self.cancel_no])]
        )
        self.cancel_confirm.add_class("lpgp-vote-confirm")
        self.cancel_box = widgets.VBox([self.cancel_text, self.cancel_ask, self.cancel_confirm])
        # Turnout.
        self.turnout = widgets.HTML()
        self.turnout_box = widgets.VBox([widgets.HTML("<h2>Turnout</h2>"), self.turnout])
        # Codes.
        self.codes_text = widgets.HTML()
        self.issue = self._button("Issue codes", "primary", "codes", self._issue)
        self.files = widgets.HTML()
        self.reissue_ask = self._button("Reissue all codes…", "", None, None)
        self.reissue_ask.on_click(lambda b: self._confirm("reissue"))
        self.reissue_sure = widgets.HTML()
        self.reissue_yes = self._button(
            "Yes, reissue all codes", "danger", "codes", self._reissue_all
        )
        self.reissue_no = self._button("Keep the current codes", "", None, None)
        self.reissue_no.on_click(lambda b: self._confirm(""))
        self.reissue_confirm = widgets.VBox(
            [self.reissue_sure, widgets.HBox([self.reissue_yes, self.reissue_no])]
        )
        self.reissue_confirm.add_class("lpgp-vote-confirm")
        self.practice = self.control(_wide(widgets.Dropdown(description="Practice")))
        self.reissue_one = self._button("Reissue this practice's code", "", "one", self._reissue)
        self.revoke_one = self._button("Revoke this practice's code", "", "one", self._revoke)
        self.one_box = widgets.VBox(
            [
                widgets.HTML(
                    "<h3>One practice's code</h3><p>Reissue a code that was lost or sent to "
                    "the wrong person (the old one stops working), or revoke it. A ballot "
                    "already cast still counts either way.</p>"
                ),
                self.practice,
                widgets.HBox([self.reissue_one, self.revoke_one]),
                self.spots["one"],
            ]
        )
        self.codes_box = widgets.VBox(
            [
                widgets.HTML("<h2>Ballot codes</h2>"),
                self.codes_text,
                self.issue,
                self.spots["codes"],
                self.files,
                self.reissue_ask,
                self.reissue_confirm,
                self.one_box,
            ]
        )
        # Voiding a ballot.
        self.void_practice = self.control(
            _wide(widgets.Dropdown(description="Practice whose ballot to void"))
        )
        self.void_reason = self.control(_wide(widgets.Text(description="Reason")))
        self.void = self._button("Void this ballot", "danger", "void", self._void)
        self.void_box = widgets.VBox(
            [
                widgets.HTML(
                    "<h2>Void a ballot</h2><p>Void a ballot cast with a code that went astray. "
                    "The reason is kept in the audit log; the practice can vote again.</p>"
                ),
                self.void_practice,
                self.void_reason,
                self.void,
                self.spots["void"],
            ]
        )
        # Reminders.
        self.reminders = widgets.HTML()
        self.reminders_box = widgets.VBox(
            [widgets.HTML("<h2>Practices that have not voted</h2>"), self.reminders]
        )
        # Extending.
        self.extend_day = self.control(widgets.DatePicker(description="New closing date"))
        self.extend_time = self.control(widgets.TimePicker(description="New closing time (London)"))
        self.extend_shown = widgets.HTML()
        for w in (self.extend_day, self.extend_time):
            w.style.description_width = "initial"
            w.observe(lambda c: self._show_extend(), names="value")
        self.extend = self._button("Extend the closing time", "", "extend", self._extend)
        self.extend_box = widgets.VBox(
            [
                widgets.HTML(
                    "<h2>Extend the closing time</h2><p>Give practices longer: the new "
                    "closing time must be later than the current one.</p>"
                ),
                widgets.HBox([self.extend_day, self.extend_time]),
                self.extend_shown,
                self.extend,
                self.spots["extend"],
            ]
        )
        # Closing.
        self.close_text = widgets.HTML()
        self.close_ask = self._button("Close the vote now…", "danger", None, None)
        self.close_ask.on_click(lambda b: self._confirm("close"))
        self.close_sure = widgets.HTML()
        self.close_yes = self._button("Yes, close the vote now", "danger", "done", self._close)
        self.close_no = self._button("Keep it open", "", None, None)
        self.close_no.on_click(lambda b: self._confirm(""))
        self.close_confirm = widgets.VBox(
            [self.close_sure, widgets.HBox([self.close_yes, self.close_no])]
        )
        self.close_confirm.add_class("lpgp-vote-confirm")
        self.close_box = widgets.VBox(
            [
                widgets.HTML("<h2>Close the vote</h2>"),
                self.close_text,
                self.close_ask,
                self.close_confirm,
            ]
        )
        self.manage = widgets.VBox(
            [
                self.summary,
                self.closed_note,
                self.spots["done"],
                self.open_box,
                self.cancel_box,
                self.codes_box,
                self.turnout_box,
                self.reminders_box,
                self.extend_box,
                self.close_box,
                self.void_box,
            ]
        )
        self.create_box = self._create_form()
        self.body.children = [
            widgets.HTML(
                "<p>Manage a vote from opening to closing here; to start a new one, use "
                "“Create a vote” at the foot of this screen.</p><h2>Votes</h2>"
            ),
            self.votes_table,
            self.picker,
            self.manage,
            self.create_box,
        ]
        self.keep_fresh()

    # --- building ---------------------------------------------------------------------------

    def _button(
        self,
        label: str,
        style: str,
        spot: str | None,
        work: Callable[[], str] | None,
    ) -> widgets.Button:
        button = self.control(widgets.Button(description=label, button_style=style))
        button.layout.width = "auto"
        if work is not None and spot is not None:
            button.on_click(lambda b: self._near(spot, b, work))
        return button

    def _create_form(self) -> widgets.VBox:
        today = clock.today()
        self.new_title = self.control(_wide(widgets.Text(description="Title")))
        self.new_method = self.control(
            widgets.RadioButtons(
                options=[
                    (f"{m.name}: {vote_rules.method_plain(m.id)}", m.id)
                    for m in voting.methods().values()
                ],
                value="schulze",
                description="Counting method",
            )
        )
        self.new_budget = self.control(
            _wide(widgets.IntText(value=10, description="Points each practice shares out"))
        )
        self.new_method.observe(lambda c: self._show_budget(), names="value")
        self.new_seats = self.control(
            _wide(widgets.IntText(value=3, description="Seats: how many priorities the list holds"))
        )
        self.new_weighting = self.control(
            widgets.RadioButtons(
                options=[
                    (f"One practice, one vote: {vote_rules.WEIGHTING_PLAIN['equal']}", "equal"),
                    (f"By list size: {vote_rules.WEIGHTING_PLAIN['list_size']}", "list_size"),
                ],
                value="equal",
                description="Weighting",
            )
        )
        self.new_ballot = self.control(
            widgets.RadioButtons(
                options=[
                    (f"Secret: {vote_rules.BALLOT_PLAIN['secret']}", "secret"),
                    (f"Named: {vote_rules.BALLOT_PLAIN['named']}", "named"),
                ],
                value="secret",
                description="Ballot",
            )
        )
        for radio in (self.new_method, self.new_weighting, self.new_ballot):
            radio.style.description_width = "initial"
            radio.layout.width = "100%"
        self.opens_day = self.control(widgets.DatePicker(value=today, description="Opening date"))
        self.opens_time = self.control(
            widgets.TimePicker(value=time(9, 0), description="Opening time (London)")
        )
        self.closes_day = self.control(
            widgets.DatePicker(value=today + timedelta(days=7), description="Closing date")
        )
        self.closes_time = self.control(
            widgets.TimePicker(value=time(17, 0), description="Closing time (London)")
        )
        self.times_shown = widgets.HTML()
        for w in (self.opens_day, self.opens_time, self.closes_day, self.closes_time):
            w.style.description_width = "initial"
            w.observe(lambda c: self._show_times(), names="value")
        self.candidates = widgets.HTML()
        self.create = self._button("Create the vote", "primary", "create", self._create)
        self.create_form = widgets.VBox(
            [
                self.new_title,
                self.new_method,
                self.new_budget,
                self.new_seats,
                self.new_weighting,
                self.new_ballot,
                widgets.HBox([self.opens_day, self.opens_time]),
                widgets.HBox([self.closes_day, self.closes_time]),
                self.times_shown,
                self.create,
            ]
        )
        self._show_budget()
        self._show_times()
        return widgets.VBox(
            [
                widgets.HTML("<h2>Create a vote</h2>"),
                self.candidates,
                self.create_form,
                self.spots["create"],
            ]
        )

    def _show_budget(self) -> None:
        _show(self.new_method.value == "points", self.new_budget)

    def _show_times(self) -> None:
        self.times_shown.value = (
            f'<p class="lpgp-vote-when">{escape(shown_back(self.opens_day.value, self.opens_time.value, "Opens"))} '  # noqa: E501
            f"{escape(shown_back(self.closes_day.value, self.closes_time.value, 'Closes'))}</p>"
        )

    def _show_extend(self) -> None:
        text = shown_back(self.extend_day.value, self.extend_time.value, "Would close")
        self.extend_shown.value = f'<p class="lpgp-vote-when">{escape(text)}</p>'

    # --- reading ----------------------------------------------------------------------------

    def reset(self) -> None:
        """Shown again: the files of codes issued earlier are gone for good."""
        self.files.value = ""
        self._confirm("")
        super().reset()

    def _read(self) -> _Seen:
        place = self.viewer.place
        with self.store.read() as session:
            found = votes.list_votes(session, place)
            seen = _Seen(found, {v.id: votes.state(session, v) for v in found})
            self._read_shortlist(session, seen)
            chosen = self._chosen_id(found, seen.states)
            if chosen is None:
                return seen
            vote = next(v for v in found if v.id == chosen)
            seen.vote = vote
            if vote.opened_at is not None:
                seen.turnout = votes.turnout(session, vote)
                seen.electors = electorate.electors(session, vote)
                seen.holders = ballot.code_holders(session, vote)
                seen.voted = votes.voted_practices(session, vote)
                seen.emails = ballot.practice_emails(
                    session, [e.practice_id for e in seen.electors]
                )
        return seen

    def _read_shortlist(self, session: Session, seen: _Seen) -> None:
        from lpgp.cycle.shortlist.shortlist import shortlisted

        try:
            cycle = get_cycle(session, self.viewer.place)
        except NotFound as exc:
            seen.shortlist_problem = str(exc)
            return
        seen.cycle = cycle.name
        seen.shortlist = [e.title for e in shortlisted(session, self.viewer.place, cycle)]
        if not seen.shortlist:
            seen.shortlist_problem = (
                f"The shortlist of {cycle.name} is not fixed yet: fix it on the Shortlist "
                "screen, then create the vote here."
            )

    def _chosen_id(
        self, found: list[vote_rules.Vote], states: dict[int, vote_rules.VoteState]
    ) -> int | None:
        """The vote on show: the one picked if it still exists, else the newest that has not
        closed, else the newest."""
        ids = {v.id for v in found}
        if self.picker.value in ids:
            return self.picker.value
        running = [v.id for v in found if states[v.id] != vote_rules.VoteState.CLOSED]
        if running:
            return running[-1]
        return found[-1].id if found else None

    def refresh(self) -> None:
        seen = self._read()
        self._seen = seen
        self._votes_table(seen)
        self._picker(seen)
        self._candidates(seen)
        vote = seen.vote
        _show(vote is not None, self.manage)
        if vote is None:
            return
        state = seen.states[vote.id]
        self._summary(vote, state)
        opened = vote.opened_at is not None
        closed = state == vote_rules.VoteState.CLOSED
        running = opened and not closed
        _show(not opened and not closed, self.open_box)
        _show(not opened, self.cancel_box)
        _show(opened, self.turnout_box)
        _show(running, self.codes_box, self.reminders_box, self.close_box)
        _show(state == vote_rules.VoteState.OPEN, self.void_box)
        _show(not closed, self.extend_box)
        if closed:
            self.files.value = ""
        self._allowed = {
            "cancel": not opened,
            "reissue": running and bool(seen.holders),
            "close": running,
        }
        self._confirm(self._confirming)
        if vote.id != self._prefilled:
            self._prefill_extend(vote)
        if not opened:
            self._opening(vote)
        t = seen.turnout  # read for every opened vote
        if opened and t is not None:
            self._turnout(t)
        if running and t is not None:
            self._codes(seen)
            self._reminders(seen, vote)
            self._closing(vote, t)
        if state == vote_rules.VoteState.OPEN:
            self._voiders(seen)

    def _votes_table(self, seen: _Seen) -> None:
        rows = pd.DataFrame(
            [
                {
                    "title": v.title,
                    "state": _chip(vote_rules.state_label(v, seen.states[v.id])),
                    "method": voting.methods()[v.method].name,
                    "seats": v.seats,
                    "weighting": "By list size" if v.weighting == "list_size" else "One each",
                    "ballot": "Secret" if v.secret else "Named",
                    "opens": when(v.opens_at),
                    "closes": when(vote_rules.closing_time(v)),
                }
                for v in reversed(seen.votes)
            ],
            columns=["title", "state", "method", "seats", "weighting", "ballot", "opens", "closes"],
        )
        self.votes_table.value = people_table(
            rows,
            {
                "title": "Vote",
                "state": "State",
                "method": "Counting method",
                "seats": "Seats",
                "weighting": "Weighting",
                "ballot": "Ballot",
                "opens": "Opens",
                "closes": "Closes",
            },
            {"state": lambda v: v},
            caption="Votes, newest first",
            empty="No vote has been created yet: create one below.",
        )

    def _picker(self, seen: _Seen) -> None:
        options = [(f"{v.title} (opens {when(v.opens_at)})", v.id) for v in reversed(seen.votes)]
        chosen = seen.vote.id if seen.vote else None
        if list(self.picker.options) != options or self.picker.value != chosen:
            self._quiet = True
            try:
                self.picker.options = options
                self.picker.value = chosen
            finally:
                self._quiet = False
        _show(bool(options), self.picker)

    def _picked(self, change: dict) -> None:
        if self._quiet:
            return
        self.files.value = ""
        self._confirming = ""
        self.say("")
        for spot in self.spots.values():
            spot.children = ()
        self.refresh()

    def _prefill_extend(self, vote: vote_rules.Vote) -> None:
        """Start the extension fields at the vote's current closing time."""
        self._prefilled = vote.id
        local = vote_rules.closing_time(vote).astimezone(clock.LONDON)
        self.extend_day.value = local.date()
        self.extend_time.value = local.time().replace(second=0, microsecond=0, tzinfo=None)

    def _vote_or_none(self) -> vote_rules.Vote | None:
        if self.picker.value is None:
            return None
        with self.store.read() as session:
            return votes.get_vote(session, self.viewer.place, self.picker.value)

    def _candidates(self, seen: _Seen) -> None:
        if seen.shortlist_problem:
            self.candidates.value = f"<p>{escape(seen.shortlist_problem)}</p>"
            _show(False, self.create_form)
            return
        items = "".join(f"<li>{escape(t)}</li>" for t in seen.shortlist)
        self.candidates.value = (
            f"<p>The candidates are the fixed shortlist of {escape(seen.cycle)}, in its order "
            f"(each practice sees them in its own rotated order):</p>"
            f'<ol class="lpgp-plain-list">{items}</ol>'
        )
        _show(True, self.create_form)

    def _summary(self, vote: vote_rules.Vote, state: vote_rules.VoteState) -> None:
        label = vote_rules.state_label(vote, state)
        method = voting.methods()[vote.method]
        weighting = "By list size" if vote.weighting == "list_size" else "One practice, one vote"
        rows = [
            ("State", _chip(label)),
            ("Counting method", f"{method.name}. {vote_rules.method_plain(vote.method)}"),
            ("Seats", f"{_plural(vote.seats, 'priority', 'priorities')} on the final list"),
            ("Weighting", f"{weighting}. {vote_rules.WEIGHTING_PLAIN[vote.weighting]}"),
            (
                "Ballot",
                f"{'Secret' if vote.secret else 'Named'}. {vote_rules.BALLOT_PLAIN[vote.ballot]}",
            ),
            ("Opens", when(vote.opens_at)),
            ("Closes", when(vote_rules.closing_time(vote))),
            ("Tie-break seed", vote.seed),
        ]
        if vote.budget is not None:
            rows.insert(3, ("Points per practice", count(vote.budget)))
        items = "".join(
            '<div class="lpgp-summary-list__row">'
            f"<dt>{escape(k)}</dt><dd>{v.__html__() if isinstance(v, Html) else escape(v)}</dd>"
            "</div>"
            for k, v in rows
        )
        self.summary.value = (
            f'<h2 class="lpgp-vote-name">{escape(vote.title)}</h2>'
            f'<dl class="lpgp-summary-list lpgp-vote-summary">{items}</dl>'
        )
        note = ""
        if state == vote_rules.VoteState.CLOSED:
            note = (
                f"<p>This vote closed at {escape(when(vote_rules.closing_time(vote)))}: "
                f'nothing can change now. Its results are on the <a href="'
                f'{escape(screen_href(self.viewer, "results"))}">Results</a> screen.</p>'
            )
        elif vote.opened_at is not None:
            note = (
                "<p>This vote has been opened, so it cannot be cancelled: its electorate is "
                "frozen and practices may already hold codes or have voted. Close it "
                "instead.</p>"
            )
        elif state == vote_rules.VoteState.SCHEDULED and vote.opens_at <= clock.now():
            note = (
                "<p>Its opening time has passed but it has not been opened: no practice can "
                "vote until you open it.</p>"
            )
        self.closed_note.value = note

    def _opening(self, vote: vote_rules.Vote) -> None:
        start = (
            "Practices can vote as soon as it is open."
            if vote.opens_at <= clock.now()
            else f"Practices can vote from {when(vote.opens_at)}."
        )
        self.open_text.value = (
            f"<h2>Open the vote</h2><p>{escape(vote_rules.OPENING_PLAIN)} {escape(start)} "
            "Then issue the ballot codes.</p>"
        )
        self.cancel_text.value = (
            "<h2>Cancel the vote</h2><p>A vote that has not been opened can be cancelled: it is "
            "removed, and the audit log keeps a record of it.</p>"
        )
        self.cancel_sure.value = (
            f'<p class="lpgp-warning">Cancel “{escape(vote.title)}”? It is removed for good; '
            "create a new vote if you need one.</p>"
        )

    def _turnout(self, t: vote_rules.Turnout) -> None:
        rows = sorted(
            ((p.pcn, p.voted, p.eligible) for p in t.by_pcn),
            key=lambda r: (r[1] / r[2] if r[2] else 0.0, r[0]),
        )
        key = (t.voted, t.eligible, t.patients_voted, tuple(rows))
        if key != self._turnout_key:
            self._turnout_key = key
            self._turnout_html = self._draw_turnout(t, rows)
        self.turnout.value = self._turnout_html

    def _draw_turnout(self, t: vote_rules.Turnout, rows: list[tuple[str, int, int]]) -> str:
        lead = (
            f'<p class="lpgp-vote-turnout" role="status" aria-live="polite">'
            f"{t.voted} of {_plural(t.eligible, 'practice')} "
            f"{'has' if t.voted == 1 else 'have'} voted ({percent(t.share)}). Their lists "
            f"cover {percent(t.patient_share)} of the registered patients.</p>"
        )
        by_pcn = {p.pcn: p for p in t.by_pcn}
        table = pd.DataFrame(
            [
                {
                    "pcn": name,
                    "voted": f"{voted} of {eligible}",
                    "share": percent(voted / eligible if eligible else 0.0),
                    "patients": percent(
                        by_pcn[name].patients_voted / by_pcn[name].patients_eligible
                        if by_pcn[name].patients_eligible
                        else 0.0
                    ),
                }
                for name, voted, eligible in rows
            ],
            columns=["pcn", "voted", "share", "patients"],
        )
        figure = chart.turnout_bars(rows)
        return (
            lead
            + "<p>By PCN, lowest turnout first.</p>"
            + figure_img(figure, chart.turnout_alt(rows))
            + people_table(
                table,
                {
                    "pcn": "PCN",
                    "voted": "Practices voted",
                    "share": "Share of practices",
                    "patients": "Share of registered patients",
                },
                caption="Turnout by PCN",
            )
        )

    def _codes(self, seen: _Seen) -> None:
        electors, holders = seen.electors, seen.holders
        missing = sum(1 for e in electors if e.practice_id not in holders)
        if not holders:
            text = (
                f"No codes have been issued yet. “Issue codes” makes one code for each of the "
                f"{_plural(len(electors), 'practice')} and offers them once, as a mail-merge "
                "file and as printable letters. The codes are not kept anywhere: save both "
                "files when they appear."
            )
        elif missing:
            text = (
                f"{len(holders)} of {_plural(len(electors), 'practice')} hold a working code; "
                f"{_plural(missing, 'practice')} {'has' if missing == 1 else 'have'} none. "
                "“Issue codes” makes codes for those only."
            )
        else:
            text = (
                f"Every one of the {_plural(len(electors), 'practice')} holds a working code. "
                "The codes cannot be shown again: if the file of codes is lost, reissue them "
                "all."
            )
        self.codes_text.value = f"<p>{escape(text)}</p>"
        _show(missing > 0, self.issue)
        _show(bool(holders), self.one_box)
        _show(bool(holders), self.reissue_ask)
        self.reissue_sure.value = (
            '<p class="lpgp-warning">Reissue every code? Every practice\'s current code stops '
            "working at once, including the codes already sent: each practice needs its new "
            "letter to vote or to change its ballot. Ballots already cast still count.</p>"
        )
        options = [("Choose a practice", CHOOSE)] + [
            (f"{e.name} ({e.ods_code})", e.ods_code) for e in electors
        ]
        self._options(self.practice, options)

    def _options(self, dropdown: widgets.Dropdown, options: list[tuple[str, str]]) -> None:
        """Change a drop-down's options only when they change, keeping the choice."""
        if list(dropdown.options) == options:
            return
        keep = dropdown.value if dropdown.value in {v for _, v in options} else CHOOSE
        dropdown.options = options
        dropdown.value = keep

    def _voiders(self, seen: _Seen) -> None:
        options = [("Choose a practice", CHOOSE)] + [
            (f"{e.name} ({e.ods_code})", e.ods_code)
            for e in seen.electors
            if e.practice_id in seen.voted
        ]
        self._options(self.void_practice, options)

    def _reminders(self, seen: _Seen, vote: vote_rules.Vote) -> None:
        waiting = [e for e in seen.electors if e.practice_id not in seen.voted]
        if not waiting:
            self.reminders.value = "<p>Every practice has voted.</p>"
            return
        closes = when(vote_rules.closing_time(vote))
        rows = pd.DataFrame(
            [
                {"name": e.name, "ods": e.ods_code, "pcn": e.pcn or EMPTY}
                for e in sorted(waiting, key=lambda e: (e.pcn or "", e.name))
            ],
            columns=["name", "ods", "pcn"],
        )
        csv = ballot_rules.reminder_csv(waiting, seen.emails, closes)
        self.reminders.value = (
            f"<p>{_plural(len(waiting), 'practice')} {'has' if len(waiting) == 1 else 'have'} "
            f"not voted yet. The file lists them with their email addresses and the closing "
            "time, for a reminder (it holds no codes).</p><p>"
            + download_link(
                csv,
                f"{slug(vote.title)}-reminders.csv",
                CSV,
                "Download the reminder list (CSV)",
            )
            + '</p><details class="lpgp-vote-details"><summary>Show the '
            + _plural(len(waiting), "practice")
            + "</summary>"
            + people_table(
                rows,
                {"name": "Practice", "ods": "ODS code", "pcn": "PCN"},
                caption="Practices that have not voted",
            )
            + "</details>"
        )

    def _closing(self, vote: vote_rules.Vote, t: vote_rules.Turnout) -> None:
        self.close_text.value = (
            f"<p>The vote closes by itself at {escape(when(vote_rules.closing_time(vote)))}. Close "
            "it now only if the board has agreed to.</p>"
        )
        self.close_sure.value = (
            f'<p class="lpgp-warning">Close “{escape(vote.title)}” now? {t.voted} of '
            f"{_plural(t.eligible, 'practice')} {'has' if t.voted == 1 else 'have'} voted. "
            "Nothing can change after closing: no more ballots and no changed ballots, and "
            "the count is made from the ballots cast.</p>"
        )

    def _confirm(self, which: str) -> None:
        """Show one confirmation step (or none): its question and buttons take the place of
        the button that asked for it, for as long as the step is allowed."""
        if which and not self._allowed.get(which):
            which = ""
        self._confirming = which
        pairs = {
            "cancel": (self.cancel_ask, self.cancel_confirm),
            "reissue": (self.reissue_ask, self.reissue_confirm),
            "close": (self.close_ask, self.close_confirm),
        }
        for name, (ask, box) in pairs.items():
            _show(which == name, box)
            _show(which != name and bool(self._allowed.get(name)), ask)

    # --- actions ----------------------------------------------------------------------------

    def _near(self, spot: str, button: widgets.Button, work: Callable[[], str]) -> None:
        """Run an action with its outcome shown under its own button."""
        for name, place in self.spots.items():
            place.children = (self.status,) if name == spot else ()
        self.run(button, work)

    def _vote(self) -> vote_rules.Vote:
        vote = self._vote_or_none()
        if vote is None:
            raise InvalidInput("Vote to manage: choose a vote first")
        return vote

    def _create(self) -> str:
        title = self.new_title.value
        method = self.new_method.value
        with named_fields(CREATE_FIELDS):
            opens = london_moment(self.opens_day.value, self.opens_time.value, "Opens")
            closes = london_moment(self.closes_day.value, self.closes_time.value, "Closes")
            budget = self.new_budget.value if method == "points" else None
            place, actor = self.viewer.place, self.viewer.actor
            made = self.store.write(
                lambda s: votes.create_vote(
                    s,
                    place,
                    title=title,
                    method=method,
                    seats=self.new_seats.value,
                    opens=opens,
                    closes=closes,
                    cycle=get_cycle(s, place),
                    weighting=self.new_weighting.value,
                    secret=self.new_ballot.value == "secret",
                    budget=budget,
                    actor=actor,
                )
            )
        self.new_title.value = ""
        self._select(made.id)
        return (
            f"Created “{made.title}”: it opens {when(made.opens_at)} and closes "
            f"{when(made.closes_at)}. Open it when you are ready; that freezes the electorate."
        )

    def _select(self, vote_id: int | None) -> None:
        """Put a vote on show after an action (the refresh that follows redraws it)."""
        self._quiet = True
        try:
            options = list(self.picker.options)
            if vote_id is not None and vote_id not in [v for _, v in options]:
                self.picker.options = [*options, ("", vote_id)]
            self.picker.value = vote_id
        finally:
            self._quiet = False
        self.files.value = ""
        self._confirming = ""

    def _open(self) -> str:
        vote = self._vote()
        place, actor = self.viewer.place, self.viewer.actor
        opened = self.store.write(lambda s: votes.open_vote(s, place, vote.id, actor=actor))
        with self.store.read() as session:
            size = len(electorate.electors(session, opened))
            live = votes.state(session, opened) == vote_rules.VoteState.OPEN
        start = (
            "Practices can vote now" if live else f"Practices can vote from {when(opened.opens_at)}"
        )
        return (
            f"Opened “{opened.title}” with {_plural(size, 'practice')} in its electorate, now "
            f"frozen. {start}: issue the ballot codes next."
        )

    def _cancel(self) -> str:
        vote = self._vote()
        place, actor = self.viewer.place, self.viewer.actor
        gone = self.store.write(lambda s: votes.cancel_vote(s, place, vote.id, actor=actor))
        self._select(None)
        return f"Cancelled “{gone.title}”: it has been removed."

    def _letters_html(
        self, vote: vote_rules.Vote, letters: list[ballot_rules.CodeLetter], what: str
    ) -> str:
        """The two files of freshly issued codes as download links, made in memory."""
        from lpgp.cycle.exports import letters as printed

        name = slug(vote.title)
        csv = "".join(ballot_rules.mail_merge(letters))
        links = [
            download_link(csv, f"{name}-{what}.csv", CSV, "Download the mail-merge file (CSV)")
        ]
        note = ""
        base = base_url()
        try:
            printed.check_renderer()
            if not base:
                raise InvalidInput("this page does not know the server's web address")
            pdf = printed.letters_pdf(
                letters, title=vote.title, closes_at=vote_rules.closing_time(vote), base_url=base
            )
            links.append(
                download_link(pdf, f"{name}-{what}.pdf", PDF, "Download the letters to print (PDF)")
            )
        except LpgpError as exc:
            note = f"<p>The letters could not be made here ({escape(exc)}): the CSV file holds every code.</p>"  # noqa: E501
        except Exception:  # any failure: the codes must still reach the chair
            log.exception("ballot letters failed")
            note = "<p>The letters could not be made here: the CSV file holds every code.</p>"
        n = len(letters)
        return (
            '<div class="lpgp-panel lpgp-panel--warning lpgp-vote-files" role="region" '
            'aria-label="Codes just issued">'
            f"<h3>{_plural(n, 'code')} just issued</h3>"
            "<p><strong>Save these files now: they cannot be shown again.</strong> The codes "
            "are not kept anywhere, so once you leave this screen the only copies are the "
            "files you saved. Send each practice its own letter or line, then delete the "
            "files.</p>"
            f'<p class="lpgp-button-group">{"".join(links)}</p>{note}</div>'
        )

    def _issue(self) -> str:
        vote = self._vote()
        actor, base = self.viewer.actor, base_url()
        letters = self.store.write(
            lambda s: ballot.issue_codes(s, vote, base_url=base, actor=actor)
        )
        if not letters:
            return "Every practice already holds a code: nothing was issued."
        self.files.value = self._letters_html(vote, letters, "codes")
        return f"Issued {_plural(len(letters), 'code')}: save the two files below now."

    def _reissue_all(self) -> str:
        vote = self._vote()
        actor, base = self.viewer.actor, base_url()
        letters = self.store.write(
            lambda s: ballot.reissue_all_codes(s, vote, base_url=base, actor=actor)
        )
        self._confirming = ""
        self.files.value = self._letters_html(vote, letters, "new-codes")
        return (
            f"Reissued all {_plural(len(letters), 'code')}: the old codes no longer work. Save "
            "the two files below now."
        )

    def _picked_practice(self, dropdown: widgets.Dropdown, label: str) -> str:
        if not dropdown.value:
            raise InvalidInput(f"{label}: choose a practice")
        return dropdown.value

    def _reissue(self) -> str:
        vote = self._vote()
        ods = self._picked_practice(self.practice, "Practice")
        actor, base = self.viewer.actor, base_url()
        letter = self.store.write(
            lambda s: ballot.reissue_code(s, vote, ods, base_url=base, actor=actor)
        )
        self.files.value = self._letters_html(vote, [letter], f"code-{ods.lower()}")
        return (
            f"Reissued the code of {letter.practice} ({letter.ods_code}): its old code no "
            "longer works. Save the files below now."
        )

    def _revoke(self) -> str:
        vote = self._vote()
        ods = self._picked_practice(self.practice, "Practice")
        actor = self.viewer.actor
        self.store.write(lambda s: ballot.revoke_code(s, vote, ods, actor=actor))
        return (
            f"Revoked the code of {ods}: it no longer works. A ballot it cast still counts; "
            "issue codes to give the practice a new one."
        )

    def _void(self) -> str:
        vote = self._vote()
        ods = self._picked_practice(self.void_practice, "Practice whose ballot to void")
        reason = self.void_reason.value
        place, actor = self.viewer.place, self.viewer.actor
        with named_fields({"reason": "Reason"}):
            self.store.write(
                lambda s: ballot.void_ballot(s, place, vote, ods, reason=reason, actor=actor)
            )
        self.void_reason.value = ""
        return (
            f"Voided the ballot of {ods}: it no longer counts, and the reason is in the audit "
            "log. If its code went astray, reissue the practice's code too."
        )

    def _extend(self) -> str:
        vote = self._vote()
        with named_fields(EXTEND_FIELDS):
            closes = london_moment(
                self.extend_day.value, self.extend_time.value, "New closing time"
            )
            place, actor = self.viewer.place, self.viewer.actor
            done = self.store.write(
                lambda s: votes.extend_vote(s, place, vote.id, closes, actor=actor)
            )
        self._prefilled = None
        return f"Extended “{done.title}”: it now closes {when(done.closes_at)}."

    def _close(self) -> str:
        vote = self._vote()
        place, actor = self.viewer.place, self.viewer.actor
        done = self.store.write(lambda s: votes.close_vote(s, place, vote.id, actor=actor))
        self.store.write(votes.publish_closed)  # a secret vote's ballots, out of their seals
        self._confirming = ""
        self.files.value = ""
        return (
            f"Closed “{done.title}” at {when(vote_rules.closing_time(done))}: nothing can change "
            "now. Its results are on the Results screen."
        )
