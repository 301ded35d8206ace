"""The candidates, scores and shortlist commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import TESTS

pytestmark = pytest.mark.slow  # CLI stories of a few dozen commands

DATA = TESTS / "data" / "shortlist"


def _png_size(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as image:
        assert image.format == "PNG"
        return image.size


def _place(cli) -> None:
    assert cli("init", "--place", "Testshire")[0] == 0
    assert cli("cycles", "new", "2027/28 priorities")[0] == 0
    people = DATA / "people.csv"
    assert cli("people", "import", str(people))[0] == 0
    for name in ("Dr Ada", "Dr Ben"):
        assert cli("board", "add", name)[0] == 0


def test_candidates_scores_and_shortlist(cli, tmp_path: Path) -> None:
    _place(cli)
    code, out, _ = cli("candidates", "add", "More GPs")
    assert code == 0
    assert "Warning (resource_ask)" in out
    code, out, _ = cli(
        "candidates",
        "add",
        "Shared visiting hub",
        "--description",
        "Practices across the PCN share one visiting team.",
        "--ask",
        "The ICB funds the hub's first year",
        "--actions",
        "Agree one rota for every practice",
        "--quality",
        "joint working",
    )
    assert code == 0, out
    assert "no warnings" in out
    code, _, err = cli("candidates", "edit", "2", "--title", " ")
    assert code == 1 and "needs a title" in err
    code, out, _ = cli("candidates", "edit", "Shared visiting hub", "--ask", "")
    assert "Warning (no_ask)" in out
    code, out, _ = cli("candidates", "edit", "2", "--ask", "The ICB funds the hub's first year")
    assert "no warnings" in out
    code, out, _ = cli("candidates", "list", "--format", "csv")
    assert out.splitlines()[0].startswith("id,title,state")
    assert len(out.splitlines()) == 3

    code, _, err = cli("scores", "set", "Dr Ada", "2", "influence=7")
    assert code == 1 and "7 is not a score" in err
    code, _, err = cli("scores", "set", "Dr Nobody", "2", "influence=3")
    assert code == 1 and "no person 'Dr Nobody'" in err
    code, _, err = cli("scores", "set", "Dr Ada", "99", "influence=3")
    assert code == 1 and "no candidate 99" in err
    code, _, err = cli("scores", "criteria", "--weight", "feasibility=-2")
    assert code == 1 and "below 0" in err
    assert cli("scores", "set", "Dr Ada", "2", "influence=4", "feasibility=can't judge")[0] == 0
    code, out, _ = cli("scores", "progress")
    assert "1 member has not scored yet; 1 is part way through" in out

    code, out, err = cli("scores", "import", str(DATA / "scores.csv"))
    assert code == 0, err
    assert "Imported 20 score(s) from 2 member(s)" in out
    code, out, err = cli("scores", "import", str(DATA / "bad_scores.csv"))
    assert code == 1
    assert "row 3, column 'Feasibility': 7 is not a score" in err
    assert "row 4, column 'Member': 'Dr Zed' is not on the board" in err

    code, out, _ = cli("scores", "summary", "--format", "csv")
    header = out.splitlines()[0].split(",")
    assert header[:3] == ["rank", "candidate_id", "title"]
    assert out.splitlines()[1].split(",")[2] == "Shared visiting hub"
    code, out, _ = cli("scores", "chart", "--out", str(tmp_path / "charts"))
    assert code == 0
    # At 120 dpi: the heat map 8 x 4.1 in (two candidates, two members), the bars 12 x 4 in.
    assert _png_size(tmp_path / "charts" / "heat_map.png") == (960, 492)
    assert _png_size(tmp_path / "charts" / "ranked.png") == (1440, 480)
    assert out.splitlines() == [
        f"Wrote {tmp_path / 'charts' / n}" for n in ("heat_map.png", "ranked.png")
    ]

    assert "Scoring is now locked." in cli("scores", "lock")[1]
    code, _, err = cli("scores", "set", "Dr Ada", "1", "influence=3")
    assert code == 1 and "locked" in err
    assert "Scoring is open again." in cli("scores", "unlock")[1]
    code, _, err = cli("shortlist", "fix", "1")
    assert code == 1 and "needs a reason" in err
    code, out, err = cli("shortlist", "fix", "1", "--reason", "1=The board wants to test it")
    assert code == 0, err
    assert "chosen out of score order: The board wants to test it" in out
    code, out, _ = cli("shortlist", "show")
    assert "1. [1] More GPs" in out
    code, out, _ = cli("candidates", "list", "--state", "not taken forward")
    assert "Shared visiting hub" in out
    code, _, err = cli("scores", "set", "Dr Ada", "1", "influence=3")
    assert code == 1 and "locked" in err
    code, _, err = cli("scores", "unlock")
    assert code == 1 and "scoring stays locked" in err


def test_proposer_withdraw_interests_and_thin_scoring(cli) -> None:
    _place(cli)
    code, out, _ = cli("candidates", "add", "Shared visiting hub", "--proposed-by", "Dr Ben")
    assert code == 0, out
    assert cli("candidates", "add", "GP seat on the discharge group")[0] == 0
    code, out, _ = cli("candidates", "list", "--format", "csv")
    assert out.splitlines()[1].startswith("1,Shared visiting hub,draft,")
    assert out.splitlines()[1].endswith(",Dr Ben")
    code, out, _ = cli("candidates", "withdraw", "GP seat on the discharge group")
    assert (code, out.strip()) == (0, "Withdrew candidate 2: GP seat on the discharge group")
    code, _, err = cli("candidates", "withdraw", "2")
    assert code == 1 and "only a draft can be withdrawn" in err
    code, out, _ = cli("scores", "declare", "Dr Ben", "1", "--reason", "My PCN runs it")
    assert code == 0, out
    code, out, _ = cli("scores", "interests", "--format", "csv")
    assert out.splitlines()[1].endswith(",Dr Ben,1,Shared visiting hub,My PCN runs it")
    code, out, _ = cli("scores", "progress")
    assert "Warning: Only 0 of 2 board members have scored" in out
