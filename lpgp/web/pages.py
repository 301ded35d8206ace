"""The light pages for the crowd: a practice's ballot and a board member's scoring sheet.

Each is a plain HTML form rendered on the server, usable without JavaScript.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import tornado.web
from sqlalchemy.orm import Session

from lpgp.cycle.board.place import get_cycle
from lpgp.cycle.shortlist import scoring, scoring_rules
from lpgp.cycle.shortlist.scoring_rules import Cell, ScoreKey, ScoringSheet
from lpgp.cycle.vote import ballot, recount, vote_rules
from lpgp.cycle.vote.ballot_rules import BallotForm
from lpgp.cycle.vote.recount_rules import Announcement, ReceiptLookup
from lpgp.errors import LpgpError, StateError, StoreBusy
from lpgp.model import BoardMember
from lpgp.web import visitor as visitors
from lpgp.web.ballot_form import (
    Answers,
    BallotFormError,
    FormProblem,
    ballot_from_fields,
    check_answers,
    fields_as_entered,
    fields_from_ballot,
)
from lpgp.web.base import PageHandler, log
from lpgp.web.store_access import BUSY
from lpgp.web.visitor import Visitor


class MemberPage(PageHandler):
    """Pages only a signed-in board member may open."""

    async def prepare(self) -> None:
        await super().prepare()
        who = self.visitor
        if who is None:
            self.redirect("/sign-in?next=" + tornado.escape.url_escape(self.request.path))
        elif who.kind != visitors.MEMBER:
            raise tornado.web.HTTPError(403)

    def member(self) -> tuple[Visitor, BoardMember]:
        """The signed-in board member and their seat."""
        who = self.signed_in()
        if who.member is None:
            raise tornado.web.HTTPError(403)
        return who, who.member


class ScoringSheetHandler(MemberPage):
    """``/score``: the member's scoring sheet; saving changes the member's marks as one
    transaction, recorded under their name."""

    async def _sheet(self) -> ScoringSheet:
        who, member = self.member()

        def read(session: Session) -> ScoringSheet:
            cycle = get_cycle(session, who.place)
            return scoring.scoring_sheet(session, who.place, cycle, member.person_id)

        return await self.read(read)

    async def _show(
        self,
        status: int = 200,
        entered: dict[tuple[int, str], str] | None = None,
        **values: Any,
    ) -> None:
        """The sheet; with ``entered`` (marks sent but not saved), showing those marks."""
        sheet = await self._sheet()
        if entered is not None:
            sheet = dataclasses.replace(sheet, scores=_marks_as_entered(sheet.scores, entered))
        total = len(sheet.candidates) * len(sheet.criteria)
        empty = scoring_rules.empty_boxes(
            [c.id for c in sheet.candidates], [k.key for k in sheet.criteria], sheet.scores
        )
        still_empty = sum(len(keys) for keys in empty.values())
        self.page(
            "score.html",
            status=status,
            title="Your scoring sheet",
            sheet=sheet,
            cant_judge=scoring_rules.CANT_JUDGE,
            marked=total - still_empty,
            total=total,
            empty=empty,
            empty_line=scoring_rules.empty_line(still_empty, total),
            **values,
        )

    async def get(self) -> None:
        await self._show(saved=self.get_argument("saved", "") == "1")

    async def post(self) -> None:
        who, member = self.member()
        marks = {}
        for name, values in self.request.body_arguments.items():
            parts = name.split("-", 2)
            if len(parts) == 3 and parts[0] == "s" and parts[1].isdigit():
                marks[(int(parts[1]), parts[2])] = values[-1].decode("utf-8", "replace")

        def work(session: Session) -> None:
            cycle = get_cycle(session, who.place)
            scoring.record_scores(
                session, who.place, cycle, member.person_id, marks, actor=who.actor
            )

        try:
            await self.save(work)
        except StoreBusy:
            log.info("scores from %s not saved: the store was busy", who.subject)
            await self._show(status=503, error=BUSY, entered=marks)
            return
        except LpgpError as exc:
            await self._show(status=400, error=str(exc))
            return
        self.redirect("/score?saved=1")


class PracticePage(PageHandler):
    """Pages only a practice signed in with its ballot code may open."""

    async def prepare(self) -> None:
        await super().prepare()
        who = self.visitor
        if who is None:
            self.redirect("/sign-in")
        elif who.kind != visitors.PRACTICE:
            raise tornado.web.HTTPError(403)


class BallotHandler(PracticePage):
    """``/ballot``: the practice's ballot, its current choices, changes until close, and
    its receipt; after close, the result and a receipt lookup.

    Sending the form (``step=check``, or no step) shows "Check your answers": the choice as
    read, with the entries in hidden fields and nothing stored. From there ``step=cast``
    casts them (one transaction in the ballot library) and ``step=change`` shows the form
    again as entered. ``step=lookup`` finds a receipt among a closed vote's published
    ballots."""

    def _code(self) -> str:
        return self.ballot_code()

    async def _page_data(
        self, typed: str | None = None
    ) -> tuple[BallotForm, Announcement | None, ReceiptLookup | None]:
        """The practice's form and, once the vote has closed, its result and (``typed``) the
        published ballot with that receipt; one read."""
        code = self._code()

        def read(s: Session) -> tuple[BallotForm, Announcement | None, ReceiptLookup | None]:
            voter = ballot.voter_for_code(s, code)
            form = ballot.ballot_form(s, voter)
            if form.state != vote_rules.VoteState.CLOSED:
                return form, None, None
            found = None if typed is None else recount.look_up_receipt(s, voter.vote, typed)
            return form, recount.announcement(s, voter.vote), found

        return await self.read(read)

    async def _show(
        self,
        status: int = 200,
        refused: tuple[dict[str, list[str]], LpgpError | None] | None = None,
        typed: str | None = None,
        **values: Any,
    ) -> None:
        """The ballot page; with ``refused`` (the fields sent, and why they were not cast,
        if they were refused), the form as the practice filled it in, with an error summary
        linking to each field at fault."""
        form, result, lookup = await self._page_data(typed)
        chosen = fields_from_ballot(form.kind, form.current)
        problems: list[FormProblem] = []
        if refused is not None:
            fields, exc = refused
            chosen = fields_as_entered(form.kind, fields)
            problems = [] if exc is None else _problems(form, fields, exc)
        field_errors: dict[str, str] = {}
        for problem in problems:
            for key in problem.keys:
                field_errors.setdefault(key, problem.message)
        self.page(
            "ballot.html",
            status=status,
            title=form.title,
            form=form,
            chosen=chosen,
            problems=problems,
            field_errors=field_errors,
            result=result,
            lookup=lookup,
            **values,
        )

    def _check(self, form: Any, answers: Answers, status: int = 200, error: str = "") -> None:
        self.page(
            "check.html",
            status=status,
            title="Check your answers",
            form=form,
            answers=answers,
            error=error,
        )

    async def get(self) -> None:
        await self._show(cast=self.get_argument("cast", "") == "1")

    async def post(self) -> None:
        fields = {
            k: [v.decode("utf-8", "replace") for v in vs]
            for k, vs in self.request.body_arguments.items()
            if k != "_xsrf"
        }
        step = (fields.pop("step", None) or [""])[-1]
        if step == "lookup":
            await self._show(typed=(fields.get("receipt") or [""])[-1][:100])
        elif step == "cast":
            await self._cast(fields)
        elif step == "change":
            await self._show(refused=(fields, None))
        else:
            await self._review(fields)

    async def _review(self, fields: dict[str, list[str]]) -> None:
        """Check your answers: the choice as read, nothing stored."""
        form, _, _ = await self._page_data()
        try:
            if form.state != vote_rules.VoteState.OPEN:
                raise StateError(form.message + " Your ballot was not recorded.")
            answers = check_answers(
                form.method, fields, [(c.key, c.title) for c in form.candidates], form.budget
            )
        except LpgpError as exc:
            log.info("ballot from %s refused: %s", self.signed_in().subject, exc)
            await self._show(status=400, refused=(fields, exc))
            return
        self._check(form, answers)

    async def _cast(self, fields: dict[str, list[str]]) -> None:
        """Cast the choice the practice has checked and confirmed."""
        code, who = self._code(), self.signed_in()

        def rules(s: Session) -> tuple[str, int | None, list[tuple[str, str]]]:
            voter = ballot.voter_for_code(s, code)
            return voter.vote.method, voter.vote.budget, ballot.ballot_candidates(s, voter)

        method, budget, candidates = await self.read(rules)
        try:
            answers = check_answers(method, fields, candidates, budget)
            await self.save(lambda s: ballot.cast(s, code, answers.ballot))
        except StoreBusy:
            log.info("ballot from %s not cast: the store was busy", who.subject)
            form, _, _ = await self._page_data()
            self._check(form, answers, status=503, error=BUSY)
            return
        except LpgpError as exc:
            log.info("ballot from %s refused: %s", who.subject, exc)
            await self._show(status=400, refused=(fields, exc))
            return
        self.redirect("/ballot?cast=1")


def _marks_as_entered(
    saved: Mapping[ScoreKey, Cell], entered: Mapping[ScoreKey, str]
) -> dict[ScoreKey, Cell]:
    """A member's marks as the sheet they sent shows them, over the marks saved before.

    >>> _marks_as_entered({(1, "a"): 3, (1, "b"): 2}, {(1, "a"): "5", (1, "b"): ""})
    {(1, 'a'): 5}
    >>> _marks_as_entered({}, {(2, "a"): "can't judge"})
    {(2, 'a'): "can't judge"}
    """
    marks = dict(saved)
    for key, text in entered.items():
        text = text.strip()
        if not text:
            marks.pop(key, None)
        else:
            marks[key] = int(text) if text.isdigit() else text
    return marks


def _problems(form: Any, fields: dict[str, list[str]], exc: LpgpError) -> list[FormProblem]:
    """Why a cast was refused, problem by problem, naming candidates by their titles."""
    if not isinstance(exc, BallotFormError):
        return [FormProblem((), str(exc))]
    titles = {c.key: c.title for c in form.candidates}
    try:
        ballot_from_fields(form.kind, fields, titles)
    except BallotFormError as named:
        return named.problems
    return exc.problems


ROUTES = [
    (r"/score", ScoringSheetHandler),
    (r"/ballot", BallotHandler),
]
