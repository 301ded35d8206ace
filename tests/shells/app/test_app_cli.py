"""The app's commands: member codes, and serve's messages when it cannot start."""

from __future__ import annotations

import re


def test_board_codes_issue_and_reissue(cli) -> None:
    assert cli("demo")[0] == 0
    code, out, _ = cli("board", "codes")
    assert code == 0
    lines = [line for line in out.splitlines() if ": " in line and "-" in line.split(": ")[-1]]
    assert len(lines) == 9
    assert "Dr Amara Okafor (facilitator): " in out
    code, out, _ = cli("board", "codes", "--missing-only")
    assert "already has a code" in out
    code, out, _ = cli("board", "codes", "--member", "Dr Tom Pritchard")
    assert re.search(r"Dr Tom Pritchard: [A-Z0-9-]{35}", out)


def test_serve_on_an_empty_store_says_what_to_do(cli) -> None:
    code, out, err = cli("serve", "--port", "1")
    assert code == 1
    assert "lpgp demo" in err and "Traceback" not in err + out


def test_serve_without_voila_gives_the_install_hint(cli, monkeypatch) -> None:
    import sys

    assert cli("demo")[0] == 0
    for name in [m for m in sys.modules if m == "lpgp.web.server" or m.startswith("voila")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "voila", None)
    monkeypatch.setitem(sys.modules, "voila.app", None)
    code, out, err = cli("serve")
    assert code == 1
    assert err.strip() == (
        "Error: The app needs extra packages: run  pip install -e .  (or make install) first. "
        "(voila is missing)"
    )
