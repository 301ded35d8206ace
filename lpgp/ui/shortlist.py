"""Shortlist (step 3): criteria and weights, declared interests, scoring progress live on the
projector, locking, the board's scores as charts and a table once scoring is locked, and
fixing the shortlist with a reason for every departure from the score order."""

from __future__ import annotations

import base64
import io
import json
import math
from collections.abc import Callable

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from lpgp.access.signin import Visitor
from lpgp.cycle.board.person import list_board
from lpgp.cycle.board.place import get_cycle
from lpgp.cycle.candidates.candidate import list_candidates
from lpgp.cycle.candidates.candidate_rules import Candidate, CandidateState
from lpgp.cycle.shortlist import scoring, scoring_rules
from lpgp.cycle.shortlist.score_chart import heat_map, heat_map_alt, ranked_bars, ranked_bars_alt
from lpgp.cycle.shortlist.scoring_rules import Interest, ScoringProgress
from lpgp.cycle.shortlist.shortlist import fix_shortlist, get_shortlist, shown_aggregate
from lpgp.cycle.shortlist.shortlist_rules import Aggregate, Shortlist, departures
from lpgp.errors import InvalidInput
from lpgp.model import BoardMember
from lpgp.store import Store
from lpgp.ui.format import EMPTY, Html, actor, number, people_table, when, words, yes_no
from lpgp.ui.screen import Screen, escape

SURE = "No one can change a score after locking: I am sure"


def _img(figure: Figure, alt: str) -> str:
    """A matplotlib figure as a PNG <img> with alt text (a data: address, nothing on disk)."""
    data = io.BytesIO()
    figure.savefig(data, format="png", dpi=80)
    encoded = base64.b64encode(data.getvalue()).decode()
    return f'<img class="lpgp-sl-chart" src="data:image/png;base64,{encoded}" alt="{escape(alt)}">'


def _chip(text: str, colour: str) -> Html:
    return Html(f'<span class="lpgp-chip lpgp-chip--{colour}">{escape(text)}</span>')


def _same(value: object) -> object:
    """A cell that is already HTML (:class:`Html`), as it is."""
    return value


def _show(display: bool, *items: widgets.Widget) -> None:
    for item in items:
        item.layout.display = "" if display else "none"


class ShortlistScreen(Screen):
    """Everything step 3 needs on one screen, refreshed every few seconds."""

    title = "Shortlist"
    styles = ("lpgp-decide",)
    outcomes_under_buttons = True

    def __init__(self, viewer: Visitor, store: Store | None = None) -> None:
        super().__init__(viewer, store)
        self.spots = {name: widgets.VBox() for name in ("lock", "fix", "criteria", "interest")}
        self.cycle_line = widgets.HTML()
        self.progress = widgets.HTML()
        # Locking.
        self.lock_line = widgets.HTML()
        self.sure = self.control(widgets.Checkbox(description=SURE, indent=False))
        self.sure.layout.width = "100%"
        self.lock = self.control(widgets.Button(description="Lock scoring", button_style="danger"))
        self.unlock = self.control(widgets.Button(description="Unlock scoring"))
        self.lock.on_click(lambda b: self._near("lock", b, self._lock))
        self.unlock.on_click(lambda b: self._near("lock", b, self._unlock))
        # Criteria and weights.
        self.criteria_note = widgets.HTML()
        self.criteria_rows = widgets.VBox()
        self.criteria_rows.add_class("lpgp-sl-criteria")
        self.save_criteria = self.control(
            widgets.Button(description="Save criteria and weights", button_style="primary")
        )
        self.save_criteria.on_click(lambda b: self._near("criteria", b, self._save_criteria))
        self._criteria_key: object = None
        self._criteria_fields: list[tuple[str | None, widgets.Text, widgets.Text]] = []
        # Declared interests.
        self.interests = widgets.HTML()
        self.member = self.control(widgets.Dropdown(description="Member"))
        self.interest_candidate = self.control(widgets.Dropdown(description="Candidate"))
        self.interest_text = self.control(widgets.Text(description="What the interest is"))
        for box in (self.member, self.interest_candidate, self.interest_text):
            box.style.description_width = "initial"
            box.layout.width = "100%"
        self.declare = self.control(
            widgets.Button(description="Record interest", button_style="primary")
        )
        self.declare.on_click(lambda b: self._near("interest", b, self._declare))
        # The board's scores and the shortlist.
        self.scores = widgets.HTML()
        self._chart_key: str | None = None
        self._charts = ""
        self.fix_intro = widgets.HTML()
        self.choices = widgets.VBox()
        self.choices.add_class("lpgp-sl-choices")
        self._choice_key: object = None
        self._choice_fields: dict[int, tuple[widgets.Checkbox, widgets.Text]] = {}
        self._scores_now: dict[int, float] = {}
        self.note = self.control(widgets.Text(description="Note on the decision (optional)"))
        self.note.style.description_width = "initial"
        self.note.layout.width = "100%"
        self.fix = self.control(
            widgets.Button(description="Fix the shortlist", button_style="primary")
        )
        self.fix.on_click(lambda b: self._near("fix", b, self._fix))
        self.fixed = widgets.HTML()
        self.fix_form = widgets.VBox([self.fix_intro, self.choices, self.note, self.fix])
        self.body.children = [
            self.cycle_line,
            widgets.HTML("<h2>Scoring progress</h2>"),
            self.progress,
            self.lock_line,
            self.sure,
            widgets.HBox([self.lock, self.unlock]),
            self.spots["lock"],
            widgets.HTML("<h2>The board's scores</h2>"),
            self.scores,
            widgets.HTML("<h2>Fix the shortlist</h2>"),
            self.fix_form,
            self.spots["fix"],
            self.fixed,
            widgets.HTML("<h2>Criteria and weights</h2>"),
            self.criteria_note,
            self.criteria_rows,
            self.save_criteria,
            self.spots["criteria"],
            widgets.HTML("<h2>Declared interests</h2>"),
            self.interests,
            self.member,
            self.interest_candidate,
            self.interest_text,
            self.declare,
            self.spots["interest"],
        ]
        self.keep_fresh()

    # --- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        place = self.viewer.place
        with self.store.read() as session:
            cycle = get_cycle(session, place)
            progress = scoring.scoring_progress(session, place, cycle)
            criteria = scoring.list_criteria(session, place, cycle)
            closed = scoring.criteria_closed(session, place, cycle)
            interests = scoring.list_interests(session, place, cycle)
            candidates = list_candidates(session, place, cycle)
            board = list_board(session, place)
            agg = shown_aggregate(session, place, cycle)
            fixed = get_shortlist(session, place, cycle)
        state = "locked" if progress.locked else "open"
        self.cycle_line.value = (
            f"<p>Cycle: <strong>{escape(cycle.name)}</strong>. Scoring is "
            f"<strong>{state}</strong>.</p>"
        )
        self._progress(progress)
        self._locking(progress.locked, fixed is not None)
        self._criteria(criteria, closed)
        titles = {c.id: c.title for c in candidates}
        self._interests(interests, titles, board, candidates)
        self._scores(agg, interests)
        drafts = {c.id for c in candidates if c.state == CandidateState.DRAFT}
        self._shortlist(agg, fixed, progress, drafts)

    def _progress(self, progress: scoring_rules.ScoringProgress) -> None:
        order = {"not started": 0, "part scored": 1, "done": 2}
        members = sorted(progress.members, key=lambda m: order[m.status])
        chips = {"not started": "red", "part scored": "amber", "done": "green"}
        people = pd.DataFrame(
            [
                {
                    "status": _chip(words(m.status.replace(" ", "_")), chips[m.status]),
                    "name": m.name,
                    "candidates": f"{m.candidates_done} of {m.candidates_total}",
                    "marks": f"{m.marked} of {m.total}",
                }
                for m in members
            ],
            columns=["status", "name", "candidates", "marks"],
        )
        per = pd.DataFrame(
            [
                {
                    "title": c.title,
                    "done": f"{c.members_done} of {len(progress.members)}",
                    "started": f"{c.members_started} of {len(progress.members)}",
                }
                for c in progress.candidates
            ],
            columns=["title", "done", "started"],
        )
        warning = progress.too_few_warning()
        warn = (
            f'<div class="lpgp-warning" role="note"><p>{escape(warning)}</p></div>'
            if warning
            else ""
        )
        self.progress.value = (
            f'<p class="lpgp-sl-summary">{escape(progress.message().capitalize())}.</p>'
            f"{warn}<h3>Board members</h3>"
            + people_table(
                people,
                {
                    "status": "Status",
                    "name": "Member",
                    "candidates": "Candidates fully scored",
                    "marks": "Marks given",
                },
                {"status": _same},
                caption="Scoring progress by member",
                empty="No board members yet.",
            )
            + "<h3>Candidates</h3>"
            + people_table(
                per,
                {
                    "title": "Candidate",
                    "done": "Members who scored it fully",
                    "started": "Members who started it",
                },
                caption="Scoring progress by candidate",
                empty="No candidates to score yet.",
            )
        )

    def _locking(self, locked: bool, fixed: bool) -> None:
        if fixed:
            text = "The shortlist is fixed, so scoring stays locked."
        elif locked:
            text = (
                "Scoring is locked: no one can change a score. Unlock it if it was locked "
                "by mistake."
            )
        else:
            text = (
                "Lock scoring when every member has finished: the board's scores appear "
                "below once it is locked."
            )
        self.lock_line.value = f"<p>{escape(text)}</p>"
        _show(not locked, self.sure, self.lock)
        _show(locked and not fixed, self.unlock)

    def _criteria(self, criteria: list[scoring_rules.Criterion], closed: str | None) -> None:
        key = (tuple(criteria), closed is None)
        if key == self._criteria_key:
            return
        self._criteria_key = key
        total = sum(c.weight for c in criteria) or 1.0
        if closed:
            self.criteria_note.value = f"<p>{escape(closed)}</p>" + people_table(
                pd.DataFrame(
                    [
                        {"label": c.label, "weight": c.weight, "share": c.weight / total}
                        for c in criteria
                    ]
                ),
                {"label": "Criterion", "weight": "Weight", "share": "Share of the score"},
                {"share": lambda v: f"{round(v * 100)}%"},
                caption="Criteria and weights",
            )
            self._replace_fields(self._criteria_fields, [])
            self._criteria_fields = []
            self.criteria_rows.children = []
            _show(False, self.save_criteria)
            return
        self.criteria_note.value = (
            "<p>Change a criterion's words or weight, or add one in the empty row, until the "
            "first mark is recorded; weights are shares of their total, so 2 counts twice as "
            "much as 1, and 0 leaves a criterion out.</p>"
        )
        fields: list[tuple[str | None, widgets.Text, widgets.Text]] = []
        rows = []
        for n, c in enumerate([*criteria, None], start=1):
            name = f"criterion {n}" if c else "a new criterion"
            label = widgets.Text(value=c.label if c else "", description=f"Label of {name}")
            weight = widgets.Text(
                value=f"{c.weight:g}" if c else "", description=f"Weight of {name}"
            )
            label.layout.width = "70%"
            weight.layout.width = "28%"
            for box in (label, weight):
                box.style.description_width = "initial"
            fields.append((c.key if c else None, label, weight))
            rows.append(widgets.HBox([label, weight]))
        self._replace_fields(
            [w for _, a, b in self._criteria_fields for w in (a, b)],
            [w for _, a, b in fields for w in (a, b)],
        )
        self._criteria_fields = fields
        self.criteria_rows.children = rows
        _show(True, self.save_criteria)

    def _replace_fields(self, old: list[widgets.Widget], new: list[widgets.Widget]) -> None:
        """Swap dynamically made controls in the list that freezing covers."""
        gone = {id(w) for w in old}
        self._controls = [w for w in self._controls if id(w) not in gone]
        for widget in new:
            self.control(widget)

    def _interests(
        self,
        interests: list[Interest],
        titles: dict[int, str],
        board: list[BoardMember],
        candidates: list[Candidate],
    ) -> None:
        rows = pd.DataFrame(
            [
                {
                    "member": i.member,
                    "candidate": titles.get(i.candidate_id, EMPTY),
                    "reason": i.reason,
                }
                for i in interests
            ],
            columns=["member", "candidate", "reason"],
        )
        self.interests.value = people_table(
            rows,
            {"member": "Member", "candidate": "Candidate", "reason": "What the interest is"},
            caption="Declared interests",
            empty="No interests declared yet.",
        )
        members = [("Choose a member", 0), *((m.name, m.person_id) for m in board)]
        if list(self.member.options) != members:
            keep = self.member.value if self.member.value in dict(members).values() else 0
            self.member.options = members
            self.member.value = keep
        open_ones = [
            (c.title, c.id) for c in candidates if c.state != CandidateState.NOT_TAKEN_FORWARD
        ]
        options = [("Choose a candidate", 0), *open_ones]
        if list(self.interest_candidate.options) != options:
            current = self.interest_candidate.value
            keep = current if current in dict(options).values() else 0
            self.interest_candidate.options = options
            self.interest_candidate.value = keep

    def _scores(self, agg: Aggregate | None, interests: list[Interest]) -> None:
        if agg is None:
            self.scores.value = (
                "<p>The board's scores appear here once scoring is locked, so no one's marks "
                "sway members who are still scoring.</p>"
            )
            return
        key = json.dumps(
            [
                agg.summary.to_json(),
                agg.by_member.to_json(),
                [(i.member, i.reason) for i in interests],
            ]
        )
        if key != self._chart_key:
            self._chart_key = key
            self._charts = self._draw(agg, interests)
        self.scores.value = self._charts

    def _draw(self, agg: Aggregate, interests: list[Interest]) -> str:
        declared: dict[int, list[str]] = {}
        for i in interests:
            declared.setdefault(i.candidate_id, []).append(f"{i.member} ({i.reason})")
        summary = agg.summary
        rows = pd.DataFrame(
            [
                {
                    "board": _chip("Split", "amber")
                    if bool(r["disagreement"])
                    else _chip("Agrees", "grey"),
                    "rank": int(r["rank"]),
                    "title": r["title"],
                    "score": number(r["score"]),
                    "spread": EMPTY
                    if math.isnan(float(r["low"]))
                    else f"{number(r['low'])} to {number(r['high'])}",
                    "scored": f"{int(r['members_scored'])} of {int(r['members_total'])}",
                    "interests": "; ".join(declared.get(int(r["candidate_id"]), [])) or "None",
                    "without": EMPTY
                    if int(r["conflicted"]) == 0
                    else number(r["score_without_conflicted"])
                    + (" (order changes)" if bool(r["interest_changes_order"]) else ""),
                }
                for r in summary.to_dict("records")
            ],
            columns=["board", "rank", "title", "score", "spread", "scored", "interests", "without"],
        )
        table = people_table(
            rows,
            {
                "board": "Board",
                "rank": "Rank",
                "title": "Candidate",
                "score": "Mean score (0 to 5)",
                "spread": "Lowest to highest member",
                "scored": "Members scored",
                "interests": "Declared interests",
                "without": "Mean without interested members",
            },
            {"board": _same},
            caption="The board's scores in score order",
            empty="No scores yet.",
        )
        if summary.empty:
            return table
        split = int(summary["disagreement"].sum())
        lead = (
            f"<p>{split} candidate{'s' if split != 1 else ''} split the board (marked "
            f"“Split”: members' scores differ by a standard deviation of "
            f"{agg.threshold:g} or more).</p>"
            if split
            else "<p>The board broadly agrees on every candidate.</p>"
        )
        return (
            lead
            + table
            + _img(ranked_bars(agg), ranked_bars_alt(agg))
            + _img(heat_map(agg), heat_map_alt(agg))
        )

    def _shortlist(
        self,
        agg: Aggregate | None,
        fixed: Shortlist | None,
        progress: ScoringProgress,
        drafts: set[int],
    ) -> None:
        if fixed is not None:
            _show(False, self.fix_form)
            rows = pd.DataFrame(
                [
                    {
                        "position": e.position,
                        "title": e.title,
                        "score": e.score,
                        "rank": e.score_rank,
                        "departure": yes_no(e.departure),
                        "reason": e.reason or EMPTY,
                    }
                    for e in fixed.entries
                ]
            )
            self.fixed.value = (
                f"<p>Fixed by {escape(actor(fixed.fixed_by))} on {escape(when(fixed.fixed_at))}."
                + (f" Note: {escape(fixed.note)}" if fixed.note else "")
                + "</p>"
                + people_table(
                    rows,
                    {
                        "position": "Position",
                        "title": "Candidate",
                        "score": "Mean score",
                        "rank": "Score rank",
                        "departure": "Out of score order",
                        "reason": "Reason",
                    },
                    caption="The fixed shortlist",
                )
            )
            return
        self.fixed.value = ""
        if agg is None:
            _show(False, self.fix_form)
            self.fixed.value = "<p>Lock scoring first: then choose the shortlist here.</p>"
            return
        _show(True, self.fix_form)
        warning = progress.too_few_warning()
        self.fix_intro.value = (
            "<p>Tick the candidates to put to the practices; they are listed in score order. "
            "Choosing one over a higher-scoring candidate needs a reason, asked for as you "
            "tick.</p>"
            + (
                f'<div class="lpgp-warning" role="note"><p>{escape(warning)}</p></div>'
                if warning
                else ""
            )
        )
        summary = agg.summary  # the candidates being scored, in score order
        drafted = summary[summary["candidate_id"].isin(drafts)]
        # NaN (not scored) never equals itself: key it as None, or every refresh would
        # redraw the choices and drop the chair's ticks.
        key = tuple(
            (int(c), None if math.isnan(float(v)) else round(float(v), 6))
            for c, v in zip(drafted["candidate_id"], drafted["score"], strict=True)
        )
        if key == self._choice_key:
            return
        self._choice_key = key
        self._scores_now = {
            int(c): float(s) for c, s in zip(drafted["candidate_id"], drafted["score"], strict=True)
        }
        old = [w for box, reason in self._choice_fields.values() for w in (box, reason)]
        fields: dict[int, tuple[widgets.Checkbox, widgets.Text]] = {}
        boxes = []
        for r in drafted.to_dict("records"):
            box = widgets.Checkbox(
                description=f"{int(r['rank'])}. {r['title']} (mean {number(r['score'])})",
                indent=False,
            )
            box.layout.width = "100%"
            reason = widgets.Text(description=f"Reason for choosing '{r['title']}'")
            reason.style.description_width = "initial"
            reason.layout.width = "100%"
            reason.layout.display = "none"
            box.observe(lambda change: self._departures(), names="value")
            fields[int(r["candidate_id"])] = (box, reason)
            boxes.append(widgets.VBox([box, reason]))
        self._replace_fields(old, [w for pair in fields.values() for w in pair])
        self._choice_fields = fields
        self.choices.children = boxes

    def _chosen(self) -> list[int]:
        return [cid for cid, (box, _) in self._choice_fields.items() if box.value]

    def _departures(self) -> None:
        """Show a reason box beside each ticked candidate chosen over a higher-scoring one."""
        departed = departures(self._scores_now, self._chosen())
        for cid, (_, reason) in self._choice_fields.items():
            reason.layout.display = "" if cid in departed else "none"

    # --- actions ---------------------------------------------------------------------------

    def _near(self, spot: str, button: widgets.Button, work: Callable[[], str | None]) -> None:
        """Run an action with its outcome shown under its own button."""
        for name, place in self.spots.items():
            place.children = (self.status,) if name == spot else ()
        self.run(button, work)

    def _lock(self) -> str:
        if not self.sure.value:
            raise InvalidInput(f"“{SURE}”: tick it to confirm, then lock scoring")
        place, actor = self.viewer.place, self.viewer.actor
        changed = self.store.write(
            lambda s: scoring.lock_scoring(s, place, get_cycle(s, place), actor=actor)
        )
        self.sure.value = False
        return (
            "Locked scoring: no one can change a score now."
            if changed
            else ("Scoring was already locked.")
        )

    def _unlock(self) -> str:
        place, actor = self.viewer.place, self.viewer.actor
        changed = self.store.write(
            lambda s: scoring.unlock_scoring(s, place, get_cycle(s, place), actor=actor)
        )
        return (
            "Unlocked scoring: members can change their scores again."
            if changed
            else ("Scoring was not locked.")
        )

    def _save_criteria(self) -> str:
        items = scoring_rules.criteria_from_form(
            [(key, label.value, weight.value) for key, label, weight in self._criteria_fields]
        )
        place, actor = self.viewer.place, self.viewer.actor
        saved = self.store.write(
            lambda s: scoring.set_criteria(s, place, get_cycle(s, place), items, actor=actor)
        )
        self._criteria_key = None  # redraw the rows from what was saved
        return f"Saved {len(saved)} criteria and their weights."

    def _declare(self) -> str:
        if not self.member.value:
            raise InvalidInput("member: choose the board member who has the interest")
        if not self.interest_candidate.value:
            raise InvalidInput("candidate: choose the candidate the interest is in")
        place, actor = self.viewer.place, self.viewer.actor
        member, candidate = int(self.member.value), int(self.interest_candidate.value)
        reason = self.interest_text.value
        made = self.store.write(
            lambda s: scoring.declare_interest(
                s, place, get_cycle(s, place), member, candidate, reason, actor=actor
            )
        )
        self.interest_text.value = ""
        title = dict((v, k) for k, v in self.interest_candidate.options).get(candidate, "")
        return f"Recorded {made.member}'s interest in '{title}'."

    def _fix(self) -> str:
        chosen = self._chosen()
        departed = departures(self._scores_now, chosen)
        reasons = {
            cid: self._choice_fields[cid][1].value
            for cid in departed
            if self._choice_fields[cid][1].value.strip()
        }
        note = self.note.value.strip() or None
        place, actor = self.viewer.place, self.viewer.actor
        fixed = self.store.write(
            lambda s: fix_shortlist(
                s, place, get_cycle(s, place), chosen, reasons=reasons, note=note, actor=actor
            )
        )
        n = len(fixed.entries)
        many = f"{n} candidates go" if n != 1 else "1 candidate goes"
        return f"Fixed the shortlist: {many} to the practices' vote."
