"""Reading one of a fixed set of choices (a status, a role, a RAG rating...) from what a person
typed, the same forgiving way for every one of the package's enums.

A choice is recognised by its id (``on_track``), by its label as the screens show it ("On
track"), or by one of the enum's aliases ("complete" for done); case, spaces, hyphens and
other punctuation do not matter. Anything else is refused with the field's name and every
choice it could have been.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

from lpgp.errors import InvalidInput, printable

E = TypeVar("E", bound=Enum)

_NOT_LETTERS = re.compile(r"[^a-z0-9]+")


def enum_key(text: object) -> str:
    """``text`` lower-cased with each run of other characters as one ``_``, as choices are
    compared.

    >>> enum_key(" Not yet-started! ")
    'not_yet_started'
    """
    return _NOT_LETTERS.sub("_", str(text).strip().lower()).strip("_")


def _label(member: Enum) -> str | None:
    label = getattr(member, "label", None)
    return label if isinstance(label, str) else None


def choices(enum_cls: type[Enum]) -> str:
    """The choices of ``enum_cls`` as a message lists them: by label where every member has
    one, else by id; separated by semicolons when a label holds a comma.

    >>> from enum import StrEnum
    >>> class Rag(StrEnum):
    ...     RED = "red"
    ...     AMBER = "amber"
    ...     GREEN = "green"
    >>> choices(Rag)
    'red, amber, green'
    """
    labels = [_label(m) for m in enum_cls]
    shown = [str(m.value) for m in enum_cls] if None in labels else [str(x) for x in labels]
    return ("; " if any("," in s for s in shown) else ", ").join(shown)


def parse_enum(
    enum_cls: type[E], text: object, *, field: str, aliases: Mapping[str, E] | None = None
) -> E:
    """The member of ``enum_cls`` that ``text`` names: by id, by label or by one of
    ``aliases`` (keys compared as :func:`enum_key` compares them); a member is returned as it
    is. Otherwise :class:`~lpgp.errors.InvalidInput` names ``field`` and the choices.

    >>> from enum import StrEnum
    >>> class Rag(StrEnum):
    ...     RED = "red"
    ...     AMBER = "amber"
    ...     GREEN = "green"
    >>> parse_enum(Rag, " Red ", field="RAG rating")
    <Rag.RED: 'red'>
    >>> parse_enum(Rag, "orange", field="RAG rating", aliases={"orange": Rag.AMBER})
    <Rag.AMBER: 'amber'>
    >>> parse_enum(Rag, "blue", field="RAG rating")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: 'blue' is not a RAG rating; use one of: red, amber, green
    """
    if isinstance(text, enum_cls):
        return text
    key = enum_key(text)
    if key:
        for member in enum_cls:
            label = _label(member)
            if key == enum_key(member.value) or (label is not None and key == enum_key(label)):
                return member
        for alias, member in (aliases or {}).items():
            if key == enum_key(alias):
                return member
    article = "an" if field[:1].lower() in ("a", "e", "i", "o", "u") else "a"
    raise InvalidInput(
        f"'{printable(text)}' is not {article} {field}; use one of: {choices(enum_cls)}"
    )
