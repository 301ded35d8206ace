"""One way to read a choice (a status, a role, a RAG rating) from what a person typed."""

from __future__ import annotations

from enum import StrEnum

import pytest

from lpgp.enums import choices, enum_key, parse_enum
from lpgp.errors import InvalidInput


class Light(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class Step(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    DONE = "done"

    @property
    def label(self) -> str:
        return {"not_started": "Not started", "on_track": "On track", "done": "Done"}[self]


class Kind(StrEnum):
    INNOVATION = "innovation_change_improvement"
    BUSINESS = "business_as_usual"

    @property
    def label(self) -> str:
        return {"innovation_change_improvement": "Innovation, change and improvement"}.get(
            self, "Business as usual"
        )


@pytest.mark.parametrize(
    ("text", "member"),
    [
        ("on_track", Step.ON_TRACK),  # its id
        ("On track", Step.ON_TRACK),  # its label
        ("  ON-TRACK ", Step.ON_TRACK),  # case, spaces and punctuation do not matter
        ("not started", Step.NOT_STARTED),
        ("complete", Step.DONE),  # an alias
        ("Completed!", Step.DONE),  # an alias compares like the rest
        (Step.DONE, Step.DONE),  # a member is returned as it is
    ],
)
def test_a_choice_is_read_by_id_label_or_alias(text: object, member: Step) -> None:
    aliases = {"complete": Step.DONE, "completed": Step.DONE}
    assert parse_enum(Step, text, field="status", aliases=aliases) is member


def test_a_refusal_names_the_field_and_every_choice() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_enum(Step, "sideways", field="status")
    assert str(caught.value) == (
        "'sideways' is not a status; use one of: Not started, On track, Done"
    )


def test_choices_without_labels_are_listed_by_id_with_the_right_article() -> None:
    with pytest.raises(InvalidInput, match="'blue' is not an outcome; use one of: red, amber"):
        parse_enum(Light, "blue", field="outcome")


def test_labels_holding_commas_are_listed_with_semicolons() -> None:
    assert choices(Kind) == "Innovation, change and improvement; Business as usual"
    assert parse_enum(Kind, "innovation, change and improvement", field="kind") is Kind.INNOVATION


@pytest.mark.parametrize("text", ["", "   ", "--", None])
def test_nothing_is_not_a_choice(text: object) -> None:
    with pytest.raises(InvalidInput, match="is not a status"):
        parse_enum(Light, text, field="status")


def test_a_refusal_escapes_control_characters() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_enum(Light, "\x1b[2Jred", field="RAG rating")
    assert "\x1b" not in str(caught.value) and "\\x1b[2Jred" in str(caught.value)


def test_keys() -> None:
    assert enum_key(" Not yet-started! ") == "not_yet_started"
    assert enum_key("Item 2") == "item_2"


def _package_parsers() -> list[tuple[object, type, str]]:
    from lpgp.analyst.exports import _audience
    from lpgp.cycle.actions.tracker_rules import Rag, Status, parse_rag, parse_status
    from lpgp.cycle.agendas.agenda_rules import Kind, parse_kind
    from lpgp.cycle.agendas.ask_rules import Outcome, parse_outcome
    from lpgp.cycle.agendas.meeting_rules import Board, parse_board
    from lpgp.cycle.candidates.candidate_rules import CandidateState, parse_state
    from lpgp.cycle.candidates.drafting import Quality, parse_quality
    from lpgp.cycle.exports.model import Audience
    from lpgp.model import Role, parse_role

    return [
        (parse_role, Role, "is not a role"),
        (parse_quality, Quality, "is not a quality"),
        (parse_kind, Kind, "is not a kind of agenda item"),
        (parse_board, Board, "is not a board"),
        (parse_status, Status, "is not a status"),
        (parse_rag, Rag, "is not a RAG rating"),
        (parse_state, CandidateState, "is not a candidate state"),
        (parse_outcome, Outcome, "is not an outcome of an ask"),
        (_audience, Audience, "is not an audience"),
    ]


@pytest.mark.parametrize(("parse", "enum_cls", "refusal"), _package_parsers())
def test_every_parser_of_the_package_reads_ids_and_labels_the_same_way(
    parse, enum_cls: type, refusal: str
) -> None:
    for member in enum_cls:
        assert parse(member.value) is member
        assert parse(f"  {member.value.replace('_', ' ').upper()} ") is member
        if hasattr(member, "label"):
            assert parse(member.label) is member
    with pytest.raises(InvalidInput) as caught:
        parse("no such thing")
    assert str(caught.value).startswith(f"'no such thing' {refusal}; use one of: ")
    assert str(caught.value).endswith(choices(enum_cls))
