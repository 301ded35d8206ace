"""Results (step 4, after close): a closed vote's count as the board reads it: the priorities
chosen, a chart and table of the count, the explanation with every candidate named by its
title, the head-to-head table for ranked ballots (and the cycle when there is one), the
robustness check, the breakdown by PCN, and the published ballots to download.

Only closed votes are listed, so this screen never shows a running vote's turnout beside
another vote's results. A closed vote never changes, so each is counted once per screen.
"""

from __future__ import annotations

import logging

import ipywidgets as widgets
import pandas as pd

from lpgp import chart, voting
from lpgp.access.signin import Visitor
from lpgp.analyst.vote import outcome_frame
from lpgp.cycle.vote import recount, recount_rules, vote_rules
from lpgp.cycle.vote import vote as votes
from lpgp.errors import LpgpError
from lpgp.store import Store
from lpgp.ui.download import CSV, TEXT, download_link, figure_img, slug
from lpgp.ui.format import EMPTY, count, number, people_table, percent, when
from lpgp.ui.screen import Screen, escape, screen_href

log = logging.getLogger("lpgp.ui")
PLACE_BY = {  # as a column heading reads: "Place by ..."
    "approval": "approval voting",
    "points": "points",
    "borda": "Borda count",
    "schulze": "Schulze",
    "irv": "instant runoff",
}


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def amount(value: float) -> str:
    """A count as the tables show it: whole numbers without decimals, others to one place.

    >>> amount(268360.0), amount(2.25), amount(None)
    ('268,360', '2.3', '–')
    """
    if value is None or pd.isna(value):
        return EMPTY
    return count(value) if float(value).is_integer() else number(value)


def explanation_html(text: str) -> str:
    """The engine's explanation as paragraphs, its indented lines as lists.

    >>> explanation_html("Ranking:\\n  1st: “Hub”\\n  2nd: “Estates”\\nElected: “Hub”.")
    '<p>Ranking:</p><ul class="lpgp-plain-list"><li>1st: “Hub”</li><li>2nd: “Estates”</li></ul><p>Elected: “Hub”.</p>'
    """  # noqa: E501
    out: list[str] = []
    items: list[str] = []
    for line in text.splitlines():
        if line.startswith("  "):
            items.append(f"<li>{escape(line.strip())}</li>")
            continue
        if items:
            out.append(f'<ul class="lpgp-plain-list">{"".join(items)}</ul>')
            items = []
        if line.strip():
            out.append(f"<p>{escape(line.strip())}</p>")
    if items:
        out.append(f'<ul class="lpgp-plain-list">{"".join(items)}</ul>')
    return "".join(out)


def cycle_sentence(cycle: tuple[str, ...], titles: dict[str, str]) -> str:
    """A cycle of head-to-head wins in words.

    >>> cycle_sentence(("A", "B", "C"), {"A": "Hub", "B": "Estates", "C": "Staff"})
    'There is a cycle: “Hub” beats “Estates”, “Estates” beats “Staff”, and “Staff” beats “Hub” head to head, so no priority beats every other one.'
    >>> cycle_sentence((), {})
    'There is no cycle of head-to-head wins.'
    """  # noqa: E501
    if not cycle:
        return "There is no cycle of head-to-head wins."
    names = [f"“{titles.get(k, k)}”" for k in cycle]
    steps = [f"{a} beats {b}" for a, b in zip(names, names[1:] + names[:1], strict=True)]
    return (
        f"There is a cycle: {', '.join(steps[:-1])}, and {steps[-1]} head to head, so no "
        "priority beats every other one."
    )


class ResultsScreen(Screen):
    """A closed vote's results."""

    title = "Results"
    styles = ("lpgp-decide", "lpgp-vote")

    def __init__(self, viewer: Visitor, store: Store | None = None) -> None:
        super().__init__(viewer, store)
        self._quiet = False
        self._counted: dict[int, str] = {}
        self.intro = widgets.HTML()
        self.picker = self.control(widgets.Dropdown(description="Closed vote"))
        self.picker.style.description_width = "initial"
        self.picker.layout.width = "100%"
        self.picker.observe(self._picked, names="value")
        self.report = widgets.HTML()
        self.body.children = [self.intro, self.picker, self.report]
        self.refresh()

    def _picked(self, change: dict) -> None:
        if not self._quiet:
            self.refresh()

    def refresh(self) -> None:
        place = self.viewer.place
        with self.store.read() as session:
            found = votes.list_votes(session, place)
            closed = [v for v in found if votes.state(session, v) == vote_rules.VoteState.CLOSED]
            sealed = [v for v in closed if v.secret and votes.has_sealed(session, v)]
        if sealed:  # closed by its time a moment ago: publish its ballots, as the server does
            self.store.write(votes.publish_closed)
        closed.sort(key=lambda v: (vote_rules.closing_time(v), v.id), reverse=True)
        options = [(f"{v.title} (closed {when(vote_rules.closing_time(v))})", v.id) for v in closed]
        ids = [v.id for v in closed]
        chosen = self.picker.value if self.picker.value in ids else (ids[0] if ids else None)
        if list(self.picker.options) != options or self.picker.value != chosen:
            self._quiet = True
            try:
                self.picker.options = options
                self.picker.value = chosen
            finally:
                self._quiet = False
        self.picker.layout.display = "" if options else "none"
        vote_link = escape(screen_href(self.viewer, "vote"))
        if not closed:
            self.intro.value = (
                "<p>No vote has closed yet. Results appear here once a vote closes; the "
                f'turnout of a running vote is on the <a href="{vote_link}">Practice vote</a> '
                "screen.</p>"
            )
            self.report.value = ""
            return
        self.intro.value = (
            "<p>The count of a closed vote. Results are shown only after a vote closes; the "
            f'turnout of a running vote is on the <a href="{vote_link}">Practice vote</a> '
            "screen.</p>"
        )
        vote = next(v for v in closed if v.id == chosen)
        if vote.id not in self._counted:
            self._counted[vote.id] = self._report(vote)
        self.report.value = self._counted[vote.id]

    def _report(self, vote: vote_rules.Vote) -> str:
        try:
            with self.store.read() as session:
                outcome = recount.results(session, vote)
                csv = recount.published_csv(session, vote)
                refusal = recount_rules.preflib_refusal(vote)
                pref = None if refusal else recount.preflib_text(session, vote)
        except LpgpError as exc:
            return f'<h2>{escape(vote.title)}</h2><p class="lpgp-status">{escape(exc)}.</p>'
        titles = {c.key: c.title for c in outcome.candidates}
        return (
            self._headline(outcome)
            + self._count(outcome)
            + self._explanation(outcome, titles)
            + self._head_to_head(outcome, titles)
            + self._robustness(outcome, titles)
            + self._by_pcn(outcome, titles)
            + self._downloads(outcome, csv, refusal, pref)
        )

    def _headline(self, outcome: recount_rules.Outcome) -> str:
        vote, t = outcome.vote, outcome.turnout
        method = voting.methods()[vote.method].name
        winners = "".join(f"<li>{escape(outcome.title_of(k))}</li>" for k in outcome.result.winners)
        places = f"{vote.seats} place{'s' if vote.seats != 1 else ''}"
        return (
            f'<h2 class="lpgp-vote-name">{escape(vote.title)}</h2>'
            f"<p>Closed {escape(when(vote_rules.closing_time(vote)))}. Counted by "
            f"{escape(method)} for {places}. {t.voted} of {t.eligible} practices voted "
            f"({percent(t.share)}), with {percent(t.patient_share)} of the registered "
            f"patients. {'Secret' if vote.secret else 'Named'} ballot.</p>"
            f"<p>{escape(outcome.weighting_note)}</p>"
            f'<h3>The priorities chosen</h3><ol class="lpgp-result-list">{winners}</ol>'
        )

    def _count(self, outcome: recount_rules.Outcome) -> str:
        frame = outcome_frame(outcome)
        label = recount_rules.score_label(outcome.vote.method)
        rows = pd.DataFrame(
            {
                "position": frame["position"],
                "title": frame["title"],
                "score": [amount(s) for s in frame["score"]],
                "elected": [
                    EMPTY if pd.isna(e) else f"Yes, {_ordinal(int(e))}" for e in frame["elected"]
                ],
            }
        )
        figures = recount_rules.charts(outcome)
        img = ""
        if "scores" in figures:
            scores = {
                outcome.title_of(k): float(v) for k, v in (outcome.result.scores or {}).items()
            }
            alt = chart.score_alt(
                scores,
                winners=[outcome.title_of(k) for k in outcome.result.winners],
                label=label,
            )
            img = figure_img(figures["scores"], alt)
        for drawn in figures.values():
            drawn.clf()
        return (
            "<h2>The count</h2>"
            "<p>Priorities the method could not separate share a place. The chosen "
            "priorities are in blue on the chart.</p>"
            + img
            + people_table(
                rows,
                {"position": "Place", "title": "Priority", "score": label, "elected": "Chosen"},
                caption="The count, by place",
            )
        )

    def _explanation(self, outcome: recount_rules.Outcome, titles: dict[str, str]) -> str:
        text = recount_rules.with_titles(str(outcome.result.explanation), titles)
        return "<h2>How the count went</h2>" + explanation_html(text)

    def _head_to_head(self, outcome: recount_rules.Outcome, titles: dict[str, str]) -> str:
        table = outcome.head_to_head
        if table is None:
            return ""
        shown = [str(k) for tier in outcome.result.ranking for k in tier]
        keys = [k for k in shown if k in table.index] + [
            str(k) for k in table.index if str(k) not in shown
        ]  # in the order of the count, so the chosen priorities come first
        grid = table.to_numpy(dtype=float)
        row_at = {str(k): i for i, k in enumerate(table.index)}
        column_at = {str(k): j for j, k in enumerate(table.columns)}
        rows = pd.DataFrame(
            [
                {
                    "row": titles.get(a, a),
                    **{
                        f"over {titles.get(b, b)}": EMPTY
                        if a == b
                        else amount(float(grid[row_at[a], column_at[b]]))
                        for b in keys
                    },
                }
                for a in keys
            ]
        )
        headings = {"row": "Priority"} | {
            f"over {titles.get(b, b)}": f"Over “{titles.get(b, b)}”" for b in keys
        }
        cycle = recount_rules.majority_cycle(table)
        weighted = " (weighted)" if outcome.vote.weighting != "equal" else ""
        return (
            "<h2>Head to head</h2>"
            f"<p>Each row shows how many ballots{weighted} put that priority above the "
            "priority in each column; a priority a ballot ranks is above every priority it "
            "leaves out. Rows and columns follow the order of the count.</p>"
            + people_table(rows, headings, caption="Head-to-head support")
            + f"<p>{escape(cycle_sentence(cycle, titles))}</p>"
        )

    def _robustness(self, outcome: recount_rules.Outcome, titles: dict[str, str]) -> str:
        robust = outcome.robustness
        side = robust.methods
        chances = dict(zip(robust.bootstrap["candidate"], robust.bootstrap["chance"], strict=True))
        methods = [c for c in side.columns if c not in ("candidate", "elected_by")]
        names = {m: PLACE_BY.get(m, voting.methods()[m].name) for m in methods}
        resamples = int(robust.bootstrap["resamples"].iloc[0]) if len(robust.bootstrap) else 0
        rows = pd.DataFrame(
            [
                {
                    "title": titles.get(r["candidate"], r["candidate"]),
                    **{m: _ordinal(int(r[m])) for m in methods},
                    "elected_by": f"{int(r['elected_by'])} of {len(methods)}",
                    "chance": percent(float(chances[r["candidate"]])),
                }
                for _, r in side.iterrows()
            ]
        )
        own = outcome.vote.method
        if own in methods:  # in the order of this vote's own count
            rows = rows.iloc[side[own].argsort(kind="stable").to_numpy()]
        method = voting.methods()[outcome.vote.method].name
        headings = (
            {"title": "Priority"}
            | {m: f"Place by {names[m]}" for m in methods}
            | {
                "elected_by": "Methods that choose it",
                "chance": "Chance of being chosen when the ballots are drawn again",
            }
        )
        return (
            "<h2>How robust the result is</h2>"
            f"<p>The same ballots counted by every method that suits them, side by side. Then "
            f"a check by chance: the ballots were drawn again at random {resamples:,} times "
            f"(as many ballots each time, some twice, some not at all) and each draw counted by "
            f"{escape(method)}; the percentage is how often each priority was chosen.</p>"
            + people_table(rows, headings, caption="Robustness check")
        )

    def _by_pcn(self, outcome: recount_rules.Outcome, titles: dict[str, str]) -> str:
        rows = pd.DataFrame(
            [
                {
                    "pcn": p.pcn,
                    "voted": p.voted,
                    "chosen": "; ".join(titles.get(k, k) for k in p.winners)
                    if not p.note
                    else p.note[0].upper() + p.note[1:],
                }
                for p in outcome.by_pcn
            ],
            columns=["pcn", "voted", "chosen"],
        )
        return (
            "<h2>By PCN</h2><p>Each PCN's ballots counted on their own by the same method. A "
            f"PCN where fewer than {recount_rules.MIN_PCN_VOTERS} practices voted is withheld, so "
            "that its own result cannot show how a practice voted.</p>"
            + people_table(
                rows,
                {
                    "pcn": "PCN",
                    "voted": "Practices voted",
                    "chosen": "Priorities its ballots choose",
                },
                caption="Results by PCN",
                empty="No PCN to show.",
            )
        )

    def _downloads(
        self, outcome: recount_rules.Outcome, csv: str, refusal: str | None, pref: str | None
    ) -> str:
        vote = outcome.vote
        name = slug(vote.title)
        links = [download_link(csv, f"{name}-ballots.csv", CSV, "Download the ballots (CSV)")]
        if pref is not None:
            suffix = recount_rules.preflib_suffix(vote)
            links.append(
                download_link(
                    pref, f"{name}{suffix}", TEXT, f"Download the ballots for PrefLib ({suffix})"
                )
            )
        keys = pd.DataFrame(
            [{"key": c.key, "title": c.title} for c in outcome.candidates],
            columns=["key", "title"],
        )
        who = (
            "without the practices' names"
            if vote.secret
            else "each with its practice, as a named ballot is"
        )
        return (
            "<h2>Published ballots</h2>"
            f"<p>Every counted ballot, shuffled, with its receipt and weight, {who}: anyone can "
            "recount them. In the files each priority is named by its letter:</p>"
            + people_table(
                keys, {"key": "Letter", "title": "Priority"}, caption="Letters in the files"
            )
            + f'<p class="lpgp-button-group">{"".join(links)}</p>'
            + (f"<p>{escape(refusal)}</p>" if refusal else "")
        )
