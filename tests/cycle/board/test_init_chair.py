"""``lpgp init --place NAME --chair "Full Name"``: the place, its chair and facilitator, and a
sign-in code shown once, in one transaction."""

from __future__ import annotations

import re

import pytest

from lpgp.cycle.board import member_code
from lpgp.errors import LpgpError
from lpgp.store import default_store

CODE = re.compile(r"Sign-in code for (.+): ([0-9A-Z]{3}(?:-[0-9A-Z]{3}){8})$", re.M)


def _code(out: str) -> tuple[str, str]:
    found = CODE.findall(out)
    assert len(found) == 1, out
    return found[0]


def _signs_in(code: str) -> tuple[str, str, bool, bool]:
    """Who the code signs in: (place, member, chair?, facilitator?)."""
    with default_store().read() as s:
        found = member_code.member_for_code(s, code)
    assert found is not None, "the printed code does not sign anyone in"
    place, member = found
    return place.name, member.name, member.is_chair, member.is_facilitator


def test_init_creates_the_place_its_chair_and_a_code_shown_once(cli) -> None:
    code, out, err = cli("init", "--place", "Testford", "--chair", "  Dr  Ada   Obi ")
    assert code == 0, err
    assert "Created place 'Testford'" in out
    assert "Dr Ada Obi is the chair of the Testford board and a facilitator." in out
    name, sign_in = _code(out)
    assert name == "Dr Ada Obi"
    assert out.count(sign_in) == 1
    assert "cannot be shown again" in out
    assert _signs_in(sign_in) == ("Testford", "Dr Ada Obi", True, True)
    code, out, err = cli("board", "list")
    assert code == 0 and "Dr Ada Obi" in out
    code, out, err = cli("people", "list")
    assert code == 0 and "Dr Ada Obi" in out


def test_chair_without_place_uses_the_only_place(cli) -> None:
    code, out, err = cli("init", "--place", "Testford", "--chair", "Dr Ada Obi")
    assert code == 0, err
    _, first = _code(out)
    code, out, err = cli("init", "--chair", "Dr Ben Cole")
    assert code == 0, err
    assert "Created place" not in out
    _, second = _code(out)
    assert _signs_in(second) == ("Testford", "Dr Ben Cole", True, True)
    # The chair moved; the first chair is still on the board, still a facilitator, and their
    # own code still works.
    assert _signs_in(first) == ("Testford", "Dr Ada Obi", False, True)


def test_the_same_person_again_gets_a_new_code_and_the_old_one_stops(cli) -> None:
    code, out, err = cli("init", "--place", "Testford", "--chair", "Dr Ada Obi")
    _, old = _code(out)
    code, out, err = cli("init", "--chair", "dr ada obi")
    assert code == 0, err
    name, new = _code(out)
    assert name == "Dr Ada Obi" and new != old
    with default_store().read() as s:
        assert member_code.member_for_code(s, old) is None
    assert _signs_in(new) == ("Testford", "Dr Ada Obi", True, True)
    code, out, err = cli("people", "list")
    assert out.count("Dr Ada Obi") == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "the chair needs a name"),
        ("   ", "the chair needs a name"),
        ("Dr Ada\x1b[2J", "contains a control character (\\x1b)"),
        ("Dr Ada\nObi", "contains a control character (\\x0a)"),
        ("Dr\tAda", "contains a control character (\\x09)"),
        ("Dr Ada\u202eObi", "contains a control character (\\u202e)"),
        ("42", "is a number"),
        ("A" * 201, "longer than 200 characters"),
    ],
)
def test_a_bad_name_is_refused_and_nothing_is_written(cli, name: str, message: str) -> None:
    code, out, err = cli("init", "--place", "Testford", "--chair", name)
    assert code != 0
    assert message in err
    assert "Traceback" not in err + out
    # Refused before anything was made: not even the store exists.
    code, out, err = cli("places", "list")
    assert code == 1 and "there is no lpgp store at" in err


def test_chair_needs_exactly_one_place_without_place(cli) -> None:
    code, out, err = cli("init", "--chair", "Dr Ada Obi")
    assert code == 1 and "the store has no place yet" in err
    assert cli("init", "--place", "Northby")[0] == 0
    assert cli("init", "--place", "Southby")[0] == 0
    code, out, err = cli("init", "--chair", "Dr Ada Obi")
    assert code == 1 and "more than one place" in err
    assert "no people yet" in cli("people", "list", "--place", "northby")[1]


def test_place_and_chair_are_one_transaction(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    # An existing place: the new place fails, so no person is added either.
    assert cli("init", "--place", "Testford")[0] == 0
    code, out, err = cli("init", "--place", "Testford", "--chair", "Dr Ada Obi")
    assert code == 1 and "already exists" in err
    assert "no people yet" in cli("people", "list")[1]

    # The code fails after the place, person and seat were written: none of them stays.
    def fail(*args, **kwargs):
        raise LpgpError("the code could not be issued")

    monkeypatch.setattr(member_code, "issue_code", fail)
    code, out, err = cli("init", "--place", "Northby", "--chair", "Dr Ada Obi")
    assert code == 1 and "the code could not be issued" in err
    code, out, err = cli("places", "list")
    assert "Northby" not in out and "Testford" in out
    assert "no people yet" in cli("people", "list", "--place", "testford")[1]
