"""The acceptance journey of the workshop app, in Debian's Chromium against a real
``lpgp serve`` over a fresh store: after ``lpgp init --place ... --chair ...`` (the only
command) everything happens in the browser. The chair adds people and the board, imports a
practice file written here, starts a cycle and drafts six candidates (one a resource ask, whose
warning shows); three members score on their phone pages; the chair locks scoring, fixes a
shortlist, creates and opens a secret Schulze vote and downloads the codes and the letters;
ten practices vote on their phone pages (one is refused a shared rank, one changes its ballot);
the chair watches turnout, closes the vote and reads the result. Then delivery (part 2): the
chair confirms the list from the result, adds five actions and updates two (one is red on a
second server whose clock, ``LPGP_NOW``, is ten days on), logs an ask, adds a meeting, proposes
its agenda within its length and the 80% rule, lengthens an item below the rule and reads the
advice, downloads the summary PDF, the action log, the agenda pack and the invites (each opened
by its own reader), starts a new cycle with last year's actions and agenda still in view, and
carries one action over to the new list. The store is only read, to check the outcome. A
screenshot of every step at 1366x768 goes to artifacts/journey."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from system_tools import need_chromium, need_program

from lpgp import clock
from lpgp.cycle.board import place as places
from lpgp.cycle.board.member_code import code_holders
from lpgp.cycle.board.person import list_board, list_people
from lpgp.cycle.board.practice import list_practices
from lpgp.cycle.candidates.candidate import list_candidates
from lpgp.cycle.shortlist.scoring import is_locked, score_records
from lpgp.cycle.shortlist.shortlist import get_shortlist
from lpgp.cycle.vote import vote as votes
from lpgp.cycle.vote import vote_rules
from shells.app.conftest import ROOT, Server, server_env, serving, with_store
from shells.app.test_app_browser import ARGS, CHROMIUM, WCAG

pytestmark = [pytest.mark.slow, pytest.mark.browser]
playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

APP = "/voila/render/app.ipynb"
SHOTS = ROOT / "artifacts" / "journey"
VIEW = {"width": 1366, "height": 768}
PLACE = "Fernleigh"
CHAIR = "Dr Rosa Quill"
CYCLE = "2029/30 priorities"
TITLE = "Fernleigh practice vote 2029"
PEOPLE = [  # name, role, email: the three members who score
    ("Dr Idris Penhallow", "PCN clinical director", "idris.penhallow@nhs.example"),
    ("Maddie Ostrander", "Practice manager", "maddie.ostrander@nhs.example"),
    ("Dr Yusra Clement", "GP federation lead", "yusra.clement@nhs.example"),
]
# Eleven fictional practices in three PCNs (ten of them vote).
PRACTICES = [
    ("Z90001", "Harrowgate Lane Surgery", "Fernleigh North PCN", 8420),
    ("Z90002", "Copperbeech Medical Practice", "Fernleigh North PCN", 6115),
    ("Z90003", "The Tannery Health Centre", "Fernleigh North PCN", 11980),
    ("Z90004", "Quayside Family Practice", "Fernleigh North PCN", 4730),
    ("Z90005", "Wrenfield Surgery", "Fernleigh South PCN", 9305),
    ("Z90006", "Bramble Court Medical Centre", "Fernleigh South PCN", 7260),
    ("Z90007", "Old Forge Surgery", "Fernleigh South PCN", 5590),
    ("Z90008", "Millrace Health Partnership", "Fernleigh South PCN", 13410),
    ("Z90009", "Lantern Hill Practice", "Fernleigh Rural PCN", 3880),
    ("Z90010", "Saltmarsh Surgery", "Fernleigh Rural PCN", 4420),
    ("Z90011", "Heatherside Medical Group", "Fernleigh Rural PCN", 6975),
]
QUALITIES = {
    "joint": "Strengthens how practices are supported by working together",
    "influence": "Names the influence general practice wants on the local system",
    "action": "Turns into practical actions",
    "matters": "Matters to individual practices",
}
# title, description, ask, actions, qualities claimed; the last is the resource ask.
CANDIDATES = [
    (
        "One shared phone system for every practice",
        "Practices pick one telephony supplier together and share the contract.",
        "The ICB backs a single phone contract that practices hold together",
        "Practice managers choose the supplier by June; the board checks call waits each quarter",
        ("joint", "action"),
    ),
    (
        "Discharge letters that arrive complete",
        "Hospital letters often reach practices without the actions they need.",
        "The trust agrees a discharge standard with general practice",
        "The LMC drafts the standard and audits twenty letters a month",
        ("influence", "action"),
    ),
    (
        "A GP voice in neighbourhood team design",
        "Neighbourhood teams are being planned without general practice at the table.",
        "The place board gives general practice a seat in neighbourhood planning",
        "The board names two GPs to attend and report back each month",
        ("influence", "matters"),
    ),
    (
        "Shared cover for practice nurse leave",
        "Small practices cannot cover a nurse on leave.",
        "The training hub funds a shared nurse rota across each PCN",
        "PCN managers run the rota and publish gaps weekly",
        ("joint", "action"),
    ),
    (
        "Clear public messages about the practice team",
        "Patients do not know who else works in a practice.",
        "The ICB runs one campaign with practices about the wider team",
        "Practices share posters and a website page by autumn",
        ("joint", "matters"),
    ),
    (
        "Extra cash for more salaried doctors",
        "",
        "The ICB gives surgeries extra money for more doctors",
        "Surgeries advertise the new posts",
        (),
    ),
]
TITLES = [c[0] for c in CANDIDATES]
# Each member's mark (every criterion alike) for the six candidates, in order: the means fall
# 4.7, 4.3, 3.3, 2.3, 1.7, 0.7, so the score order is the drafting order.
MARKS = {
    PEOPLE[0][0]: (5, 4, 3, 3, 2, 1),
    PEOPLE[1][0]: (5, 5, 3, 2, 2, 0),
    PEOPLE[2][0]: (4, 4, 4, 2, 1, 1),
}
SHORTLIST = TITLES[:4]


def ranks(*order: str) -> dict[str, str]:
    """A ranked ballot as the phone form takes it: every shortlisted title, ranked or not."""
    return {t: str(order.index(t) + 1) if t in order else "" for t in SHORTLIST}


S1, S2, S3, S4 = SHORTLIST
BALLOTS = [ranks(S1, S2, S3)] * 6 + [ranks(S2, S1, S4)] * 2 + [ranks(S3, S2)] + [ranks(S4, S3)]
CHANGED = ranks(S1, S2, S3, S4)  # what the last practice changes its ballot to
DUPLICATE = 1  # the practice that first gives two priorities rank 1
CHANGER = 9  # the practice that changes its ballot after casting


# --- the server, over a fresh store made by `lpgp init` -----------------------------------------


@contextmanager
def fresh_server(tmp: Path) -> Iterator[tuple[Server, str]]:
    """``lpgp init`` on an empty store (the only command), then ``lpgp serve`` over it, with the
    environment :func:`tests.shells.app.conftest.start_server` gives its server; yields the server
    and the chair's sign-in code as init printed it."""
    env = server_env(tmp)
    init = subprocess.run(
        [sys.executable, "-m", "lpgp", "init", "--place", PLACE, "--chair", CHAIR],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert init.returncode == 0, init.stderr
    found = re.findall(rf"^Sign-in code for {CHAIR}: ([0-9A-Z-]+)$", init.stdout, re.M)
    assert len(found) == 1, init.stdout
    with serving(tmp, env, pool_size=1) as (url, process):
        yield Server(url, process, env["LPGP_DATABASE_URL"], env), found[0]


# --- small helpers ------------------------------------------------------------------------------


def kind(name: str) -> str:
    """What a step shows, whoever it is for: "practice-03-ballot" and "practice-01-ballot" are
    one kind of page, as are "scoring-sheet-penhallow" and "scoring-sheet-clement"."""
    name = re.sub(r"^practice-\d+-", "practice-", name)
    name = re.sub(r"^(scoring-[a-z]+)-[a-z]+$", r"\1", name)
    return re.sub(r"-\d+$", "", name)


class Shots:
    """Numbered 1366x768 screenshots of the journey's steps, in artifacts/journey; the first
    time each kind of page is reached, axe-core checks it for WCAG 2.2 A/AA violations with
    the page's own Content-Security-Policy in force (no context here bypasses it)."""

    def __init__(self) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        for old in SHOTS.glob("*.png"):
            old.unlink()
        self.n = 0
        self.checked: set[str] = set()
        self.problems: list[str] = []

    def __call__(self, page, name: str, target=None) -> None:
        if target is not None:
            target.scroll_into_view_if_needed()
        self.n += 1
        page.screenshot(path=str(SHOTS / f"{self.n:02d}-{name}.png"))
        if kind(name) not in self.checked:
            self.checked.add(kind(name))
            self.problems += [f"{name}: {p}" for p in axe_violations(page)]


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}) {v['nodes'][0]['html'][:120]}"
        for v in results.response["violations"]
    ]


def button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def said(page, text: str):
    """Wait for the green panel to say ``text``; return it."""
    panel = page.locator(".lpgp-status--ok", has_text=text)
    expect(panel).to_be_visible(timeout=60_000)
    return panel


def choose_file(page, path: Path) -> None:
    """Choose ``path`` with the screen's "Choose file" button, as a person would."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Choose file").click()
    chooser.value.set_files(str(path))
    expect(page.get_by_text(f"Chosen file: {path.name}")).to_be_visible()


def download(page, name: str) -> tuple[str, bytes]:
    """Click the download link called ``name``; the file's suggested name and bytes."""
    with page.expect_download() as waiting:
        page.get_by_role("link", name=name).click()
    saved = waiting.value
    return saved.suggested_filename, Path(saved.path()).read_bytes()


def cells(row) -> list[str]:
    return row.get_by_role("cell").all_inner_texts()


def practice_file(path: Path) -> None:
    """The practice list as a spreadsheet exports it (BOM, CRLF, list sizes with commas)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["ODS code", "Practice name", "PCN", "List size", "Email"])
    for code, name, pcn, size in PRACTICES:
        email = f"{code.lower()}.admin@nhs.example"
        writer.writerow([code, name, pcn, f"{size:,}", email])
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")


def outcome(server: Server) -> dict:
    """What the journey left in the store (read only)."""

    def read(s) -> dict:
        place = places.get_place(s, "fernleigh")
        cycle = places.get_cycle(s, place, CYCLE)
        board = list_board(s, place)
        records = score_records(s, place, cycle)
        shortlist = get_shortlist(s, place, cycle)
        (vote,) = votes.list_votes(s, place)
        counted = votes.counted_ballots(s, vote)
        return {
            "people": sorted(p.name for p in list_people(s, place)),
            "board": sorted((m.name, m.is_chair) for m in board),
            "code holders": len(code_holders(s, place)),
            "practices": sorted(p.ods_code for p in list_practices(s, place) if p.active),
            "cycle": cycle.name,
            "candidates": [c.title for c in list_candidates(s, place, cycle)],
            "scorers": dict(Counter(r.member for r in records if r.score is not None)),
            "locked": is_locked(s, place, cycle),
            "shortlist": [e.title for e in shortlist.entries] if shortlist else None,
            "vote": (vote.title, vote.method, vote.secret, vote.seats, votes.state(s, vote)),
            "turnout": (votes.turnout(s, vote).voted, votes.turnout(s, vote).eligible),
            "ballots": {b.receipt: b.content for b in counted},
            "keys": {c.key: c.title for c in votes.candidates(s, vote)},
        }

    return with_store(server, read)


# --- the journey ---------------------------------------------------------------------------------


def test_the_workshop_journey_in_the_browser(tmp_path: Path) -> None:
    need_chromium()  # or skip (fail in CI)
    expect.set_options(timeout=60_000)  # a screen's first visit builds it in the kernel
    started = time.monotonic()
    shot = Shots()
    practices_csv = tmp_path / "practices.csv"
    practice_file(practices_csv)
    with fresh_server(tmp_path) as (server, chair_code), playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        context = browser.new_context(viewport=VIEW, accept_downloads=True)
        chair = context.new_page()
        chair.set_default_timeout(90_000)
        dialogs: list[str] = []
        chair.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        url = server.url

        # Sign in with the code init printed; the app opens on a place with no cycle yet.
        chair.goto(f"{url}/sign-in")
        chair.get_by_label("Your code").fill(chair_code)
        shot(chair, "chair-sign-in")
        chair.get_by_role("button", name="Sign in").click()
        expect(chair.get_by_role("heading", name=f"Hello, {CHAIR}")).to_be_visible()
        shot(chair, "chair-signed-in")
        chair.get_by_role("link", name="Workshop app").click()
        expect(chair.get_by_role("heading", name="The cycle at a glance")).to_be_visible()
        expect(chair.get_by_text(f"{PLACE} has no cycle yet")).to_be_visible()
        shot(chair, "home-new-place")

        # People: three added with the form.
        chair.goto(f"{url}{APP}#people")
        expect(chair.get_by_role("heading", name="Add or edit a person")).to_be_visible()
        people = chair.get_by_role("region", name="People")
        expect(people.get_by_role("row", name=CHAIR)).to_be_visible()
        for i, (name, role, email) in enumerate(PEOPLE):
            chair.get_by_label("Full name").fill(name)
            chair.get_by_label("Role", exact=True).select_option(label=role)
            chair.get_by_label("Email").fill(email)
            button(chair, "Add person").click()
            said(chair, f"Added {name} ({role}).")
            expect(people.get_by_role("row", name=name)).to_be_visible()
            assert cells(people.get_by_role("row", name=name))[:2] == [name, role]
            shot(chair, f"people-added-{i + 1}", chair.locator(".lpgp-status--ok"))
        shot(chair, "people-list", people)

        # The board: each person seated, then given a sign-in code, shown once.
        chair.goto(f"{url}{APP}#board")
        expect(chair.get_by_role("heading", name="Add a member")).to_be_visible()
        board = chair.get_by_role("region", name="Board members")
        member_codes: dict[str, str] = {}
        for i, (name, role, _) in enumerate(PEOPLE):
            chair.get_by_label("Person to add").select_option(label=f"{name} ({role})")
            button(chair, "Add to the board").click()
            said(chair, f"Added {name} as a board member.")
            assert cells(board.get_by_role("row", name=name)) == [
                name,
                role,
                "No",
                "No",
                "Not issued yet",
            ]
            expect(chair.get_by_text(f"{name} has no sign-in code yet.")).to_be_visible()
            button(chair, "Issue a sign-in code").click()
            said(chair, f"Issued a sign-in code to {name}: it is shown below, once.")
            slip = chair.get_by_role("region", name=f"Sign-in code for {name}")
            member_codes[name] = slip.locator(".lpgp-code-slip__code").inner_text().strip()
            assert re.fullmatch(r"[0-9A-Z]{3}(-[0-9A-Z]{3}){8}", member_codes[name])
            expect(board.get_by_role("row", name=name).get_by_text("Issued")).to_be_visible()
            shot(chair, f"board-code-{i + 1}", slip)
        expect(chair.get_by_text(f"4 members. Chair: {CHAIR}.")).to_be_visible()
        shot(chair, "board-members", board)

        # Practices: the file previewed, then imported.
        expect(chair.get_by_text("No practices yet")).to_be_visible()
        choose_file(chair, practices_csv)
        button(chair, "Preview import").click()
        said(
            chair,
            "Preview of practices.csv, nothing written yet: 11 practices in the file: 11 added, "
            "0 unchanged.",
        )
        plan = chair.get_by_role("region", name="What the import would do")
        assert cells(plan.get_by_role("row", name="Z90003"))[:3] == [
            "Added",
            "Z90003",
            "The Tannery Health Centre",
        ]
        shot(chair, "practices-preview", plan)
        button(chair, "Import practices").click()
        said(chair, "Imported practices.csv: 11 practices in the file: 11 added, 0 unchanged.")
        expect(
            chair.get_by_text("11 practices in 3 PCNs, 82,085 registered patients.")
        ).to_be_visible()
        listed = chair.get_by_role("region", name="Practices")
        assert cells(listed.get_by_role("row", name="Z90008"))[:4] == [
            "Z90008",
            "Millrace Health Partnership",
            "Fernleigh South PCN",
            "13,410",
        ]
        shot(chair, "practices-imported", listed)

        # A cycle.
        chair.goto(f"{url}{APP}#home")
        chair.get_by_label("Cycle name").fill(CYCLE)
        button(chair, "Start a new cycle").click()
        said(chair, f"Started the cycle '{CYCLE}': it is now the current one.")
        expect(chair.get_by_text(f"{PLACE} is deciding {CYCLE} (steps 1 to 5).")).to_be_visible()
        shot(chair, "cycle-started", chair.locator(".lpgp-status--ok"))

        # Six candidates, with the drafting advice beside the form as the chair types.
        chair.goto(f"{url}{APP}#candidates")
        expect(chair.get_by_role("heading", name="Draft or edit a candidate")).to_be_visible()
        expect(chair.get_by_text(f"Cycle: {CYCLE}")).to_be_visible()
        advice = chair.locator(".lpgp-cand-advice")
        table = chair.get_by_role("region", name="Candidates")
        for i, (title, description, ask, actions, claimed) in enumerate(CANDIDATES):
            chair.get_by_label("Title", exact=True).fill(title)
            chair.get_by_label("Description", exact=True).fill(description)
            chair.get_by_label("Ask of the system").fill(ask)
            chair.get_by_label("Practical actions", exact=True).fill(actions)
            chair.get_by_label("Proposed by").fill(PEOPLE[i % 3][0])
            for quality in claimed:
                chair.get_by_label(QUALITIES[quality]).check()
            if claimed:
                expect(
                    advice.get_by_text("No advice: it reads as a priority the system can act on.")
                ).to_be_visible()
            else:  # the resource ask: the warning quotes the words that tripped it
                expect(
                    advice.get_by_text("This reads like a resource ask: 'Extra', 'cash'")
                ).to_be_visible()
                assert "resource_ask" not in advice.inner_text()
                shot(chair, "candidate-resource-ask-advice", advice)
            button(chair, "Add candidate").click()
            said(chair, f"Added candidate '{title}'.")
            expect(table.get_by_role("row", name=title)).to_be_visible()
        warned = table.get_by_role("row", name=TITLES[5])
        expect(warned.get_by_text("This reads like a resource ask")).to_be_visible()
        assert cells(table.get_by_role("row", name=TITLES[0]))[1:4] == [
            "Draft",
            PEOPLE[0][0],
            "Joint working; Practical actions",
        ]
        shot(chair, "candidates-drafted", table)

        # The projector shows scoring progress while three members score on their phones.
        chair.goto(f"{url}{APP}#shortlist")
        expect(chair.get_by_role("heading", name="Criteria and weights")).to_be_visible()
        expect(chair.get_by_text("4 members have not scored yet.")).to_be_visible()
        shot(chair, "shortlist-before-scoring")
        for name, marks in MARKS.items():
            phone = browser.new_context(viewport=VIEW)
            sheet = phone.new_page()
            sheet.set_default_timeout(60_000)
            sheet.goto(f"{url}/c/{member_codes[name]}")
            expect(sheet.get_by_role("heading", name=f"Hello, {name}")).to_be_visible()
            sheet.get_by_role("link", name="Your scoring sheet").click()
            expect(sheet.get_by_role("heading", name="Your scoring sheet")).to_be_visible()
            shot(sheet, f"scoring-sheet-{name.split()[-1].lower()}")
            for title, mark in zip(TITLES, marks, strict=True):
                card = sheet.locator("fieldset").filter(has=sheet.locator("legend", has_text=title))
                boxes = card.locator("select")
                assert boxes.count() == 5
                for box in boxes.all():
                    box.select_option(str(mark))
            shot(sheet, f"scoring-filled-{name.split()[-1].lower()}")
            sheet.get_by_role("button", name="Save my scores").click()
            expect(sheet.get_by_role("heading", name="Your scores are saved")).to_be_visible()
            expect(sheet.get_by_text("30 of 30 boxes filled in.")).to_be_visible()
            shot(sheet, f"scoring-saved-{name.split()[-1].lower()}")
            phone.close()
        progress = chair.get_by_role("region", name="Scoring progress by member")
        for name in MARKS:  # the projector follows by itself
            expect(progress.get_by_role("row", name=name).get_by_role("cell").first).to_have_text(
                "Done", timeout=30_000
            )
        expect(chair.get_by_text("1 member has not scored yet.")).to_be_visible()
        shot(chair, "shortlist-scoring-progress", progress)

        # Lock scoring, read the aggregate, fix the shortlist (the top four, in score order).
        chair.get_by_label("No one can change a score after locking: I am sure").check()
        button(chair, "Lock scoring").click()
        said(chair, "Locked scoring: no one can change a score now.")
        scores = chair.get_by_role("region", name="The board's scores in score order")
        top = cells(scores.get_by_role("row", name=TITLES[0]))
        assert top[1:4] == ["1", TITLES[0], "4.7"]
        assert cells(scores.get_by_role("row", name=TITLES[5]))[1:4] == ["6", TITLES[5], "0.7"]
        shot(chair, "shortlist-locked-scores", scores)
        for rank, title in enumerate(SHORTLIST, start=1):
            chair.get_by_label(re.compile(rf"^{rank}\. {re.escape(title)} \(mean ")).check()
        chair.get_by_label("Note on the decision (optional)").fill("Agreed at the May workshop")
        shot(chair, "shortlist-chosen", button(chair, "Fix the shortlist"))
        button(chair, "Fix the shortlist").click()
        said(chair, "Fixed the shortlist: 4 candidates go to the practices' vote.")
        fixed = chair.get_by_role("region", name="The fixed shortlist")
        assert [cells(fixed.get_by_role("row", name=t))[:2] for t in SHORTLIST] == [
            [str(n), t] for n, t in enumerate(SHORTLIST, start=1)
        ]
        shot(chair, "shortlist-fixed", fixed)

        # A secret Schulze vote for two places, created and opened; the codes issued.
        chair.goto(f"{url}{APP}#vote")
        expect(chair.get_by_role("heading", name="Create a vote")).to_be_visible()
        for title in SHORTLIST:
            expect(chair.locator("ol.lpgp-plain-list li", has_text=title)).to_be_visible()
        today = datetime.now(clock.LONDON).date()
        chair.get_by_label("Title", exact=True).fill(TITLE)
        chair.get_by_label(
            "Schulze (Condorcet): Each practice puts the priorities in order"
        ).check()
        chair.get_by_label("Seats: how many priorities the list holds").fill("2")
        chair.get_by_label("Secret: Nobody, the chair included").check()
        chair.get_by_label("One practice, one vote").check()
        chair.get_by_label("Opening date", exact=True).fill((today - timedelta(days=1)).isoformat())
        chair.get_by_label("Opening time (London)", exact=True).fill("09:00")
        chair.get_by_label("Closing date", exact=True).fill((today + timedelta(days=7)).isoformat())
        chair.get_by_label("Closing time (London)", exact=True).fill("17:00")
        shot(chair, "vote-create-form", button(chair, "Create the vote"))
        button(chair, "Create the vote").click()
        said(chair, f"Created “{TITLE}”")
        summary = chair.locator(".lpgp-vote-summary")
        expect(summary.get_by_text("Not opened yet")).to_be_visible()
        assert "Schulze" in summary.inner_text()
        shot(chair, "vote-created", summary)
        button(chair, "Open the vote").click()
        said(chair, f"Opened “{TITLE}” with 11 practices in its electorate")
        expect(summary.get_by_text("Open", exact=True)).to_be_visible()
        turnout = chair.locator(".lpgp-vote-turnout")
        expect(turnout.get_by_text("0 of 11 practices have voted (0%)")).to_be_visible()
        shot(chair, "vote-opened", summary)
        button(chair, "Issue codes").click()
        said(chair, "Issued 11 codes: save the two files below now.")
        files = chair.get_by_role("region", name="Codes just issued")
        shot(chair, "vote-codes-issued", files)
        name, data = download(chair, "Download the mail-merge file (CSV)")
        assert name.endswith("-codes.csv")
        letters = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert sorted(x["ODS code"] for x in letters) == [p[0] for p in PRACTICES]
        assert all(x["Link"] == f"{url}/c/{x['Ballot code']}" for x in letters)
        name, pdf = download(chair, "Download the letters to print (PDF)")
        assert name.endswith("-codes.pdf")
        from pypdf import PdfReader

        pages = PdfReader(io.BytesIO(pdf)).pages
        assert len(pages) == len(PRACTICES)  # one page per practice
        for page, line in zip(pages, letters, strict=True):
            text = page.extract_text()
            assert line["Ballot code"] in text and line["Practice"] in text, text
        shot(chair, "vote-files-downloaded", files)

        # Ten practices vote on their phone pages, each with its own link.
        receipts: dict[int, list[str]] = {}
        for n, (line, ballot) in enumerate(zip(letters, BALLOTS, strict=False)):
            phone = browser.new_context(viewport=VIEW)
            form = phone.new_page()
            form.set_default_timeout(60_000)
            tag = f"practice-{n + 1:02d}"
            form.goto(line["Link"])
            expect(form.get_by_role("heading", name=TITLE)).to_be_visible()
            expect(form.get_by_text(f"Ballot for {line['Practice']}")).to_be_visible()
            if n == DUPLICATE:  # two priorities given rank 1: a clear error, entries kept
                form.get_by_label(S1, exact=True).select_option("1")
                form.get_by_label(S2, exact=True).select_option("1")
                form.get_by_role("button", name="Continue").click()
                error = form.get_by_role("alert").filter(has_text="There is a problem")
                expect(error).to_contain_text("share rank 1: give each priority a rank of its own")
                assert f"'{S1}'" in error.inner_text() and f"'{S2}'" in error.inner_text()
                assert form.get_by_label(S2, exact=True).input_value() == "1"
                shot(form, f"{tag}-duplicate-rank-error", error)
            for title, rank in ballot.items():
                form.get_by_label(title, exact=True).select_option(rank)
            shot(form, f"{tag}-ballot")
            form.get_by_role("button", name="Continue").click()
            expect(form.get_by_role("heading", name="Check your answers")).to_be_visible()
            shot(form, f"{tag}-check-answers")
            form.get_by_role("button", name="Cast our ballot").click()
            expect(form.get_by_role("heading", name="Your ballot is recorded")).to_be_visible()
            receipts[n] = [form.locator(".lpgp-receipt").first.inner_text().strip()]
            shot(form, f"{tag}-recorded")
            if n == CHANGER:  # back to the ballot, changed, checked and cast again
                form.goto(f"{url}/ballot")
                assert form.get_by_label(S4, exact=True).input_value() == "1"
                for title, rank in CHANGED.items():
                    form.get_by_label(title, exact=True).select_option(rank)
                shot(form, f"{tag}-changing")
                form.get_by_role("button", name="Continue").click()
                expect(form.get_by_role("heading", name="Check your answers")).to_be_visible()
                shot(form, f"{tag}-check-changed")
                form.get_by_role("button", name="Cast our ballot").click()
                expect(form.get_by_role("heading", name="Your ballot is recorded")).to_be_visible()
                receipts[n].append(form.locator(".lpgp-receipt").first.inner_text().strip())
                assert receipts[n][1] != receipts[n][0]
                shot(form, f"{tag}-changed-recorded")
            phone.close()

        # The chair watches turnout, closes the vote after its confirmation, reads the result.
        expect(turnout.get_by_text("10 of 11 practices have voted (91%)")).to_be_visible(
            timeout=30_000
        )
        shot(chair, "vote-turnout", turnout)
        button(chair, "Close the vote now…").click()
        expect(
            chair.get_by_text(f"Close “{TITLE}” now? 10 of 11 practices have voted.")
        ).to_be_visible()
        shot(chair, "vote-close-confirm", button(chair, "Yes, close the vote now"))
        button(chair, "Yes, close the vote now").click()
        said(chair, f"Closed “{TITLE}” at")
        expect(summary.get_by_text("Closed", exact=True)).to_be_visible()
        shot(chair, "vote-closed", chair.locator(".lpgp-status--ok"))

        chair.get_by_role("link", name="Results", exact=True).last.click()
        expect(chair.get_by_role("heading", name="How the count went")).to_be_visible()
        assert chair.locator("ol.lpgp-result-list li").all_inner_texts() == [S1, S2]
        expect(chair.get_by_text("10 of 11 practices voted (91%)")).to_be_visible()
        shot(chair, "results-top", chair.get_by_role("heading", name="The priorities chosen"))
        report = chair.locator(".lpgp-screen").inner_text()
        explained = report.split("How the count went", 1)[1].split("Head to head", 1)[0]
        assert f"Elected, in order: 1st “{S1}”, 2nd “{S2}”." in explained, explained
        assert all(f"“{title}”" in explained for title in SHORTLIST), explained
        assert not re.search(r"['“][A-D]['”]", explained), explained
        assert "Traceback" not in report and "schulze" not in report
        shot(chair, "results-explanation", chair.get_by_role("heading", name="How the count went"))

        delivered = deliver(chair, server, chair_code, shot, tmp_path)
        assert dialogs == []
        context.close()
        browser.close()

        # The store holds what the browser did.
        found = outcome(server)
        after = delivery_outcome(server)
    assert found["people"] == sorted([CHAIR, *(p[0] for p in PEOPLE)])
    assert found["board"] == sorted([(CHAIR, True), *((p[0], False) for p in PEOPLE)])
    assert found["code holders"] == 4
    assert found["practices"] == [p[0] for p in PRACTICES]
    assert found["cycle"] == CYCLE and found["candidates"] == TITLES
    assert found["scorers"] == {name: 30 for name in MARKS}
    assert found["locked"] and found["shortlist"] == SHORTLIST
    assert found["vote"] == (TITLE, "schulze", True, 2, vote_rules.CLOSED)
    assert found["turnout"] == (10, 11)
    ballots = found["ballots"]
    assert len(ballots) == 10
    old, new = receipts[CHANGER]
    assert old not in ballots and new in ballots  # the changed ballot counts once, as changed
    key = {title: k for k, title in found["keys"].items()}
    assert ballots[new]["ballot"] == [key[S1], key[S2], key[S3], key[S4]]
    assert {r[0] for n, r in receipts.items() if n != CHANGER} <= set(ballots)
    check_delivery(after, delivered)
    assert shot.problems == [], "axe-core found WCAG 2.2 A/AA violations"
    assert len(shot.checked) >= 30  # every kind of page the journey reaches
    # Measured, not asserted (a busy CI machine is slower): the README gives the figure.
    elapsed = time.monotonic() - started
    print(
        f"\nworkshop journey: {elapsed:.1f} s, {shot.n} screenshots in {SHOTS}, "
        f"{len(shot.checked)} kinds of page checked by axe-core"
    )


# --- part 2: from the vote to delivery --------------------------------------------------------

NEXT_CYCLE = "2030/31 priorities"
LEADS = (CHAIR, PEOPLE[0][0])
# (priority on the list, title, owner, due in days from today)
ACTIONS = [
    (1, "Map the practices' same-day demand", PEOPLE[1][0], 30),
    (1, "Draft the hub's booking rules", PEOPLE[0][0], 3),
    (1, "Agree the hub's opening hours", CHAIR, 45),
    (2, "Write the second priority's plan", PEOPLE[2][0], 20),
    (2, "Meet the trust's medical director", CHAIR, 60),
]
LATE = ACTIONS[1][1]  # on track, due in three days: red once the clock passes its due date
SLIPPING = ACTIONS[3][1]  # updated to at risk
CARRIED = ACTIONS[2][1]  # carried over to the next cycle's list


def pick(select, text: str) -> None:
    """Choose the dropdown's option that contains ``text`` (labels carry roles, dates...)."""
    expect(select.locator("option", has_text=text).first).to_be_attached()
    options = [t.replace("\xa0", " ") for t in select.locator("option").all_inner_texts()]
    select.select_option(index=next(i for i, t in enumerate(options) if text in t))


def deliver(chair, server: Server, chair_code: str, shot: Shots, tmp: Path) -> dict:
    """Steps 5 to 8 from the closed vote, in the browser; returns what the test then checks."""
    from docx import Document
    from icalendar import Calendar
    from openpyxl import load_workbook

    url = server.url
    today = clock.today()
    got: dict = {}

    # Step 5: the list confirmed from the result, winners prefilled in order.
    chair.goto(f"{url}{APP}#agreed")
    expect(chair.get_by_role("heading", name="Confirm the list")).to_be_visible()
    assert chair.get_by_label("Title (winner 1)").input_value() == S1
    assert chair.get_by_label("Title (winner 2)").input_value() == S2
    for number, lead in enumerate(LEADS, start=1):
        pick(chair.get_by_label(f"Lead (winner {number})"), lead)
        chair.get_by_label(f"Why now (winner {number})").fill(f"Practices asked for it in {2029}")
        chair.get_by_label(f"Measure of success (winner {number})").fill(f"Measure {number}")
    shot(chair, "agreed-form", chair.get_by_role("heading", name="Confirm the list"))
    button(chair, "Confirm the list").click()
    said(chair, f"Confirmed 2 priorities for {CYCLE}: it is now the list being delivered.")
    shot(chair, "agreed-confirmed", chair.locator(".lpgp-status--ok"))

    # Step 6: five actions added with the form, two updated.
    chair.goto(f"{url}{APP}#actions")
    expect(chair.get_by_role("heading", name="Add an action")).to_be_visible()
    for priority, title, owner, due_in in ACTIONS:
        pick(chair.get_by_label("Priority", exact=True), f"{priority}. ")
        chair.get_by_label("Title", exact=True).fill(title)
        pick(chair.get_by_label("Owner", exact=True), owner)
        chair.get_by_label("Due date", exact=True).fill(
            f"{today + timedelta(days=due_in):%Y-%m-%d}"
        )
        button(chair, "Add action").click()
        said(chair, f"Added '{title}'")
    shot(chair, "actions-added", chair.get_by_role("heading", name="Add an action"))
    for title, status in ((LATE, "On track"), (SLIPPING, "At risk")):
        pick(chair.get_by_label("Action to update"), title)
        chair.get_by_label("Status now").select_option(label=status)
        chair.get_by_label("Note: what has happened").fill(f"{status} as of this week")
        button(chair, "Save the update").click()
        said(chair, title)
    history = chair.get_by_role("region", name=f"History of the action {SLIPPING}")
    expect(history.get_by_text("At risk as of this week")).to_be_visible()
    shot(chair, "actions-updated", history)

    # The late action turns red once the clock passes its due date (a second server whose
    # clock, LPGP_NOW, is ten days on, over the same store).
    later = tmp / "later"
    later.mkdir()
    moment = datetime.now(clock.LONDON).replace(tzinfo=None) + timedelta(days=10)
    env = {
        **server.env,
        "LPGP_NOW": moment.isoformat(timespec="seconds"),
        "JUPYTER_RUNTIME_DIR": str(later / "runtime"),
    }
    with serving(later, env, pool_size=0) as (later_url, _):
        tab = chair.context.new_page()
        tab.goto(f"{later_url}/sign-in")
        tab.get_by_label("Your code").fill(chair_code)
        tab.get_by_role("button", name="Sign in").click()
        expect(tab.get_by_role("heading", name=f"Hello, {CHAIR}")).to_be_visible()
        tab.goto(f"{later_url}{APP}#actions")
        row = tab.get_by_role("row", name=LATE)
        expect(row.get_by_text("Red", exact=True)).to_be_visible()
        expect(row.get_by_text("Overdue", exact=False)).to_be_visible()
        shot(tab, "actions-later-red", row)
        tab.close()

    # An ask logged: raised with the place-based board, not at a meeting.
    chair.goto(f"{url}{APP}#asks")
    expect(chair.get_by_label("What the board did")).to_be_visible()
    pick(chair.get_by_label("Priority", exact=True), S1)
    pick(chair.get_by_label("What the board did"), "Raised")
    chair.get_by_label("Note (optional)").fill("Put to the ICB's primary care lead by email")
    button(chair, "Record in the log").click()
    said(chair, f"Recorded: the ask of '{S1}' was")
    shot(chair, "asks-logged", chair.locator(".lpgp-status--ok"))

    # Step 7: a meeting, its agenda proposed within its length and the 80% rule, then one
    # item retimed below the rule, with the advice on what to cut.
    got["meeting"] = agendas(chair, url, shot, today)

    # Step 8: each export downloaded in the browser and opened by its own reader.
    chair.goto(f"{url}{APP}#exports")
    expect(button(chair, "Make the priority summary")).to_be_visible()
    button(chair, "Make the priority summary").click()
    name, data = download(chair, "Download the priority summary (PDF)")
    (tmp / name).write_bytes(data)
    pdftotext = need_program("pdftotext", "poppler-utils")
    text = subprocess.run(
        [pdftotext, str(tmp / name), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"{CYCLE}: our agreed priorities" in text and S1 in text and S2 in text
    button(chair, "Make the action log").click()
    name, data = download(chair, "Download the action log (XLSX)")
    book = load_workbook(io.BytesIO(data))
    logged = {c.value for row in book["All actions"].iter_rows() for c in row}
    assert {title for _, title, *_ in ACTIONS} <= logged
    pick(chair.get_by_label("Meeting", exact=True), got["meeting"])
    button(chair, "Make the agenda pack").click()
    name, data = download(chair, "Download the agenda pack (Word)")
    pack = Document(io.BytesIO(data))
    words = "\n".join(
        [p.text for p in pack.paragraphs]
        + [c.text for t in pack.tables for r in t.rows for c in r.cells]
    )
    assert got["meeting"] in words and PLACE in words
    button(chair, "Make the invites").click()
    name, data = download(chair, "Download the invites (ICS)")
    events = Calendar.from_ical(data).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [got["meeting"]]
    shot(chair, "exports-downloaded", button(chair, "Make the invites"))

    # A new cycle: last year's actions and agendas stay in view.
    chair.goto(f"{url}{APP}#home")
    chair.get_by_label("Cycle name").fill(NEXT_CYCLE)
    button(chair, "Start a new cycle").click()
    said(chair, f"Started the cycle '{NEXT_CYCLE}'")
    expect(chair.get_by_text(f"It is delivering {CYCLE}")).to_be_visible()
    shot(chair, "home-two-cycles", chair.get_by_text(f"It is delivering {CYCLE}"))
    chair.goto(f"{url}{APP}#actions")
    for _, title, *_ in ACTIONS:
        expect(chair.get_by_role("row", name=title)).to_be_visible()
    chair.goto(f"{url}{APP}#agendas")
    expect(chair.get_by_text(got["meeting"]).first).to_be_visible()

    # The new cycle's list (drawn up by the board: it has no vote yet), then one of last
    # year's unfinished actions carried over to it.
    chair.goto(f"{url}{APP}#agreed")
    expect(chair.get_by_text(f"{NEXT_CYCLE} has no practice vote.")).to_be_visible()
    button(chair, "Add a priority the board drew up").click()
    pick(chair.get_by_label("Lead (added 1)"), CHAIR)
    chair.get_by_label("Title (added 1)").fill("Keep the hub open all year")
    chair.get_by_label("Ask of the system (added 1)").fill("The ICB funds the hub's second year")
    chair.get_by_label("Why now (added 1)").fill("Its first year's money ends in March")
    chair.get_by_label("Measure of success (added 1)").fill("The hub open every weekday")
    button(chair, "Confirm the list").click()
    said(chair, f"Confirmed 1 priority for {NEXT_CYCLE}")
    expect(chair.get_by_role("heading", name="Unfinished actions of earlier lists")).to_be_visible()
    chair.get_by_label(CARRIED, exact=False).check()
    pick(chair.get_by_label("Carry over to"), "1. Keep the hub open all year")
    button(chair, "Carry over the chosen actions").click()
    said(chair, "Carried 1 action over to 'Keep the hub open all year'.")
    shot(chair, "agreed-carried", chair.locator(".lpgp-status--ok"))
    # Last year's list is a pick away on the tracker, the carried action still in it.
    chair.goto(f"{url}{APP}#actions")
    expect(chair.get_by_role("row", name=CARRIED)).to_be_visible()
    pick(chair.get_by_label("Cycle", exact=True), CYCLE)
    for _, title, *_ in ACTIONS:
        expect(chair.get_by_role("row", name=title)).to_be_visible()
    moved = chair.get_by_role("row", name=CARRIED)
    expect(moved.get_by_text("Carried over to the next list")).to_be_visible()
    shot(chair, "actions-last-cycle", chair.get_by_role("row", name=CARRIED))
    return got


def agendas(chair, url: str, shot: Shots, today) -> str:
    """Step 7: add a meeting, propose its agenda (within its length and the 80% rule), then
    lengthen the first item until the meeting falls below the rule and read the advice."""
    title = "Fernleigh leadership board"
    chair.goto(f"{url}{APP}#agendas")
    meeting = chair.get_by_label("Meeting", exact=True)
    expect(meeting).to_be_visible()
    meeting.select_option(label="New meeting")
    chair.get_by_label("Board", exact=True).select_option(label="General practice leadership board")
    chair.get_by_label("Title", exact=True).fill(title)
    chair.get_by_label("Date", exact=True).fill(f"{today + timedelta(days=14):%Y-%m-%d}")
    chair.get_by_label("Start time (London)").fill("14:00")
    chair.get_by_label("Meeting length in minutes").fill("120")
    for name in LEADS:
        chair.get_by_label(name, exact=True).check()
    button(chair, "Add meeting").click()
    said(chair, f"Added {title} on")
    shot(chair, "agendas-meeting-added", chair.locator(".lpgp-status--ok"))

    system = chair.get_by_label("Items the system brings (one a line: title, then minutes)")
    system.fill("ICB update on the hub's funding: 15")
    button(chair, "Propose an agenda").click()
    proposed = said(chair, "Proposed").inner_text()
    found = re.search(r"taking (\d+) minutes of 120 minutes: (\d+)% innovation", proposed)
    assert found, proposed
    assert int(found[1]) <= 120 and int(found[2]) >= 80, proposed  # its length, the rule
    split = chair.locator(".lpgp-agenda-split")
    expect(split.get_by_text("meets the 80% rule")).to_be_visible()
    shot(chair, "agendas-proposed", split)

    pick(chair.get_by_label("Agenda item"), "1. ")
    chair.get_by_label("New length in minutes").fill("45")
    button(chair, "Change its length").click()
    said(chair, "now takes 45 minutes")
    warning = split.locator(".lpgp-warning", has_text="Below 80%.")
    expect(warning).to_be_visible()
    assert "To meet it:" in warning.inner_text()
    shot(chair, "agendas-below-80", warning)
    return title


def delivery_outcome(server: Server) -> dict:
    """What part 2 left in the store (read only)."""
    from lpgp.cycle.actions.carry_over import carried
    from lpgp.cycle.actions.tracker import list_actions
    from lpgp.cycle.agendas.ask import ask_log
    from lpgp.cycle.agendas.meeting import list_meetings
    from lpgp.cycle.agreed.priority import get_list

    def read(s) -> dict:
        place = places.get_place(s, "fernleigh")
        agreed = get_list(s, place, CYCLE)
        (vote,) = votes.list_votes(s, place)
        return {
            "list": [(p.title, p.lead, p.candidate_id is not None) for p in agreed.priorities],
            "from vote": agreed.vote_id == vote.id,
            "actions": {a.title: (a.owner, a.status.value) for a in list_actions(s, place, CYCLE)},
            "next": [(a.title, a.owner) for a in list_actions(s, place, NEXT_CYCLE)],
            "carried": len(carried(s, place)),
            "asks": [(e.outcome.value, e.note) for e in ask_log(s, place, CYCLE)],
            "meetings": [m.title for m in list_meetings(s, place, CYCLE)],
            "current": places.get_cycle(s, place).name,
        }

    return with_store(server, read)


def check_delivery(found: dict, got: dict) -> None:
    """The store holds what part 2 did in the browser."""
    assert found["list"] == [(S1, LEADS[0], True), (S2, LEADS[1], True)]
    assert found["from vote"]
    assert {t: o for t, (o, _) in found["actions"].items()} == {
        title: owner for _, title, owner, _ in ACTIONS
    }
    assert found["actions"][SLIPPING][1] == "at_risk"
    assert found["actions"][LATE][1] == "on_track"
    assert found["next"] == [(CARRIED, CHAIR)]
    assert found["carried"] == 1
    assert found["asks"] == [("raised", "Put to the ICB's primary care lead by email")]
    assert found["meetings"] == [got["meeting"]]
    assert found["current"] == NEXT_CYCLE
