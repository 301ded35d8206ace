"""The priority summary in HTML, Markdown, PDF and Word, all drawn from one :class:`SummaryDoc`.

HTML and Markdown come from two templates fed by the same context (:func:`summary_context`);
the PDF is the HTML printed by WeasyPrint as a tagged PDF; the Word file walks the same context.
"""

from __future__ import annotations

import base64
from typing import Any

from lpgp.cycle.exports import word
from lpgp.cycle.exports.chart import chart_alt, result_chart
from lpgp.cycle.exports.model import Audience, SummaryDoc, VoteSummary
from lpgp.cycle.exports.templating import long_date, number, percent, render

# Before the board confirms a list, the summary says the priorities are still being chosen:
# it never calls a list agreed while its vote is open.
CHOOSING = (
    "General practice in {place} is still choosing its priorities ({cycle}). The board has "
    "not confirmed a list yet: here are the candidates and the vote so far."
)
INTRO = {
    Audience.PRACTICES: (
        "These are the priorities general practice in {place} chose together ({cycle}). "
        "They say what we want from our local health system and what we will do to get it."
    ),
    Audience.PLACE_BOARD: (
        "General practice in {place} has agreed these priorities ({cycle}). Each one names "
        "a lead and what we ask of the place-based partnership, and why it matters now."
    ),
}


def summary_context(doc: SummaryDoc, chart_src: str | None = None) -> dict[str, Any]:
    """What every format of the summary shows, worked out once.

    >>> from datetime import date
    >>> doc = SummaryDoc("Haverbrook", "2027/28", Audience.PRACTICES, date(2027, 1, 4))
    >>> ctx = summary_context(doc)
    >>> ctx["audience_label"], ctx["show_candidates"]
    ('for practices', True)
    """
    vote = doc.vote
    results = sorted(vote.results, key=lambda b: -b.score) if vote else []
    return {
        "doc": doc,
        "vote": vote,
        "results": results,
        "intro": (INTRO[doc.audience] if doc.priorities else CHOOSING).format(
            place=doc.place, cycle=doc.cycle
        ),
        "heading": heading(doc),
        "agreed": bool(doc.priorities),
        "audience_label": doc.audience.label,
        "show_candidates": doc.audience is Audience.PRACTICES,
        "shortlisted": sum(1 for c in doc.candidates if c.shortlisted),
        "chart_src": chart_src,
        "chart_alt": chart_alt(vote) if vote and vote.results else "",
    }


def heading(doc: SummaryDoc) -> str:
    """The summary's title: agreed priorities only once the board has confirmed its list.

    >>> from datetime import date
    >>> doc = SummaryDoc("Haverbrook", "2027/28 priorities", Audience.PRACTICES, date(2027, 1, 4))
    >>> heading(doc)
    '2027/28 priorities: priorities being chosen'
    """
    if doc.priorities:
        return f"{doc.cycle}: our agreed priorities"
    return f"{doc.cycle}: priorities being chosen"


def _charted(doc: SummaryDoc) -> VoteSummary | None:
    """The vote the summary draws a chart of: its vote, if that has results."""
    return doc.vote if doc.vote and doc.vote.results else None


def render_html(doc: SummaryDoc) -> str:
    """The summary as one self-contained, accessible HTML page (the chart is inlined as SVG).

    >>> from datetime import date
    >>> from lpgp.cycle.exports.model import Audience
    >>> doc = SummaryDoc("Haverbrook", "2027/28", Audience.PRACTICES, date(2027, 1, 4))
    >>> '<html lang="en-GB">' in render_html(doc)
    True
    """
    src = None
    vote = _charted(doc)
    if vote:
        svg = base64.b64encode(result_chart(vote, "svg")).decode("ascii")
        src = f"data:image/svg+xml;base64,{svg}"
    return render("summary.html.j2", **summary_context(doc, src))


def render_markdown(doc: SummaryDoc, chart_name: str | None = None) -> str:
    """The summary as Markdown; ``chart_name`` is the PNG file the image line points at.

    >>> from datetime import date
    >>> from lpgp.cycle.exports.model import Audience
    >>> doc = SummaryDoc("Haverbrook", "2027/28", Audience.PRACTICES, date(2027, 1, 4))
    >>> render_markdown(doc).splitlines()[0]
    '# 2027/28: priorities being chosen'
    """
    src = chart_name if _charted(doc) else None
    return render("summary.md.j2", **summary_context(doc, src))


def render_pdf(doc: SummaryDoc) -> bytes:
    """The HTML summary printed to a tagged PDF (PDF/UA-1) by WeasyPrint.

    >>> from datetime import date
    >>> from lpgp.cycle.exports.model import Audience
    >>> doc = SummaryDoc("Haverbrook", "2027/28", Audience.PRACTICES, date(2027, 1, 4))
    >>> render_pdf(doc)[:5]
    b'%PDF-'
    """
    return html_to_pdf(render_html(doc))


def html_to_pdf(html: str) -> bytes:
    """Print HTML to PDF with structure tags, so screen readers can follow the PDF."""
    from weasyprint import HTML

    return HTML(string=html, base_url=".").write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def render_docx(doc: SummaryDoc) -> bytes:
    """The summary as a Word document with real headings, header rows and an alt-texted chart.

    >>> from datetime import date
    >>> from lpgp.cycle.exports.model import Audience
    >>> doc = SummaryDoc("Haverbrook", "2027/28", Audience.PRACTICES, date(2027, 1, 4))
    >>> render_docx(doc)[:2]  # a .docx is a zip file
    b'PK'
    """
    ctx = summary_context(doc)
    document = word.new_document(f"{doc.title} – priority summary", ctx["intro"])
    word.heading(document, ctx["heading"], 0)
    word.paragraph(
        document, f"{doc.place} general practice leadership board, {ctx['audience_label']}."
    )
    word.paragraph(document, ctx["intro"])
    if doc.priorities:
        word.paragraph(document, "", bold_prefix="At a glance")
        for p in doc.priorities:
            word.numbered(document, p.title + (f" (lead: {p.lead})" if p.lead else ""))
    word.heading(document, "Our priorities", 1)
    if not doc.priorities:
        word.paragraph(document, "The board has not confirmed its list yet.")
    for p in doc.priorities:
        word.heading(document, f"{p.rank}. {p.title}", 2)
        tbc = "To be confirmed"
        word.paragraph(document, p.lead or tbc, bold_prefix="Lead:")
        word.paragraph(document, p.ask or tbc, bold_prefix="What we ask of the system:")
        word.paragraph(document, p.why_now or tbc, bold_prefix="Why now:")
        if p.measure:
            word.paragraph(document, p.measure, bold_prefix="How we will know it worked:")
        if p.ask_status:
            word.paragraph(document, p.ask_status, bold_prefix="Where the ask stands:")
    word.heading(document, "How they were chosen", 1)
    if ctx["show_candidates"] and doc.candidates:
        word.paragraph(
            document,
            f"The board drafted {len(doc.candidates)} candidate priorities and agreed a "
            f"shortlist of {ctx['shortlisted']} for practices to vote on.",
        )
        agreed = ctx["agreed"]
        word.table(
            document,
            ["Candidate", "Shortlisted"] + (["On the agreed list"] if agreed else []),
            [
                [c.title + (f" ({c.note})" if c.note else ""), "Yes" if c.shortlisted else "No"]
                + (["Yes" if c.chosen else "No"] if agreed else [])
                for c in doc.candidates
            ],
            widths_cm=[11, 3, 3] if agreed else [13, 4],
        )
    vote = doc.vote
    if vote is None:
        word.paragraph(document, "The practice vote has not closed yet.")
        return word.to_bytes(document)
    word.heading(document, "The vote", 2)
    seats = "priority" if vote.seats == 1 else "priorities"
    word.paragraph(document, f"choosing {vote.seats} {seats}.", bold_prefix=f"{vote.method},")
    word.paragraph(document, vote.explanation)
    if vote.open_until:
        word.paragraph(
            document,
            "The result will follow when it closes.",
            bold_prefix=f"Voting is open until {vote.open_until}.",
        )
    if vote.turnout:
        t = vote.turnout
        word.heading(document, "Who voted", 2)
        word.table(
            document,
            ["Measure", "Voted", "Could vote", "Turnout"],
            [
                [
                    "Practices",
                    str(t.practices_voted),
                    str(t.practices_eligible),
                    percent(t.practices_voted, t.practices_eligible),
                ],
                [
                    "Registered patients",
                    f"{t.patients_voted:,}",
                    f"{t.patients_eligible:,}",
                    percent(t.patients_voted, t.patients_eligible),
                ],
            ],
        )
        if t.by_pcn:
            word.table(
                document,
                ["PCN", "Practices voted", "Practices", "Turnout"],
                [
                    [r.pcn, str(r.voted), str(r.eligible), percent(r.voted, r.eligible)]
                    for r in t.by_pcn
                ],
            )
    if vote.results:
        word.heading(document, "The result", 2)
        word.picture(document, result_chart(vote, "png"), ctx["chart_alt"])
        word.table(
            document,
            ["Candidate", vote.score_label, "Elected by the vote"],
            [[b.title, number(b.score), "Yes" if b.chosen else "No"] for b in ctx["results"]],
            widths_cm=[11, 3, 3],
        )
    if vote.tie_breaks:
        word.heading(document, "Ties", 2)
        for line in vote.tie_breaks:
            word.bullet(document, line)
    word.paragraph(
        document,
        f"Produced on {long_date(doc.produced_on)} by the {doc.place} general practice "
        "leadership board.",
    )
    return word.to_bytes(document)
