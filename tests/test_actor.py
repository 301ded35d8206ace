"""Who did what: every service that writes names its actor, and lpgp's own callers (the
command line, the screens, the phone pages, the demo) always say who it is."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import pytest

import lpgp
from lpgp import audit
from lpgp.cycle.board import place as places
from lpgp.store import Store

PACKAGE = Path(lpgp.__file__).parent


def _writing_services() -> set[str]:
    """Functions whose body resolves their actor with audit.acting (the services that write)."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "acting"
                for call in ast.walk(node)
            ):
                found.add(node.name)
    return found


def test_every_writing_service_resolves_its_actor() -> None:
    services = _writing_services()
    assert len(services) >= 40  # people, board, candidates, scoring, votes, delivery, ...
    assert {"create_vote", "record_scores", "fix_shortlist", "add_action"} <= services


def test_lpgp_itself_always_says_who_is_acting() -> None:
    """A browser action logged as the command line misleads the audit log, so no call inside
    the package leaves the actor to its default."""
    services = _writing_services() - {"refresh"}  # screens' own refresh() shares the name
    missing = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in services and not any(k.arg in ("actor", None) for k in node.keywords):
                missing.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {name}")
    assert missing == []


def test_leaving_the_actor_out_still_works_but_warns_and_names_the_command_line() -> None:
    store = Store("sqlite://")
    with pytest.warns(DeprecationWarning, match="pass actor="):
        place = store.write(lambda s: places.create_place(s, "Northfield"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # naming the actor warns of nothing
        store.write(lambda s: places.create_cycle(s, place, "2027/28", actor="member:Dr Ada Obi"))
    with store.read() as s:
        logged = [(e.actor, e.action) for e in audit.entries(s, place.id)]
    assert ("cli", "place.created") in logged
    assert ("member:Dr Ada Obi", "cycle.created") in logged
