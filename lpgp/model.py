"""Domain values of the foundation: places, PCNs, practices, people, the board and cycles.

They are frozen dataclasses: what the library hands out and what pure rules take in. The store
keeps its own tables (``lpgp.store.schema``) and turns rows into these at the boundary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from lpgp.enums import parse_enum
from lpgp.errors import InvalidInput, control_characters, printable

ODS_CODE = re.compile(r"^[A-Z][0-9]{5}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Role(StrEnum):
    """What a person does; board members and action owners are both people."""

    PCN_CLINICAL_DIRECTOR = "pcn_clinical_director"
    LMC_CHAIR = "lmc_chair"
    FEDERATION_LEAD = "federation_lead"
    PRACTICE_MANAGER = "practice_manager"
    NURSE = "nurse"
    PROJECT_MANAGER = "project_manager"
    OTHER = "other"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.PCN_CLINICAL_DIRECTOR: "PCN clinical director",
    Role.LMC_CHAIR: "LMC chair",
    Role.FEDERATION_LEAD: "GP federation lead",
    Role.PRACTICE_MANAGER: "Practice manager",
    Role.NURSE: "Nurse",
    Role.PROJECT_MANAGER: "Project manager",
    Role.OTHER: "Other",
}


def parse_role(text: str) -> Role:
    """Read a role from its id or its label, forgiving case, spaces and punctuation.

    >>> parse_role("PCN Clinical Director")
    <Role.PCN_CLINICAL_DIRECTOR: 'pcn_clinical_director'>
    >>> parse_role("cd")
    <Role.PCN_CLINICAL_DIRECTOR: 'pcn_clinical_director'>
    """
    aliases = {
        "cd": Role.PCN_CLINICAL_DIRECTOR,
        "clinical_director": Role.PCN_CLINICAL_DIRECTOR,
        "pcn_cd": Role.PCN_CLINICAL_DIRECTOR,
        "lmc": Role.LMC_CHAIR,
        "gp_federation_lead": Role.FEDERATION_LEAD,
        "federation": Role.FEDERATION_LEAD,
        "pm": Role.PRACTICE_MANAGER,
        "manager": Role.PRACTICE_MANAGER,
        "pcn_project_manager": Role.PROJECT_MANAGER,
    }
    return parse_enum(Role, text, field="role", aliases=aliases)


def normalise_ods(text: str) -> str:
    """Upper-case and strip an ODS code, then check it is one letter and five digits.

    >>> normalise_ods(" z99001 ")
    'Z99001'
    >>> normalise_ods("Z9901")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: 'Z9901' is not an ODS code (a letter and five digits, e.g. Z99001)
    """
    code = text.strip().upper()
    if not ODS_CODE.match(code):
        raise InvalidInput(
            f"'{text.strip()}' is not an ODS code (a letter and five digits, e.g. Z99001)"
        )
    return code


def check_text(text: str | None, field: str) -> None:
    """Refuse a name or text holding a control character (Unicode category Cc, such as the
    ESC of a terminal escape sequence; tabs and line breaks are allowed) or a bidirectional
    control (U+202A-U+202E, U+2066-U+2069), naming the field and the characters, escaped.

    >>> check_text("Mill Lane", "practice name")
    >>> check_text("Mill\x1b[2J", "practice name")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: practice name: 'Mill\\x1b[2J' contains a control or ...
    """
    if not text:
        return
    found = [c for c in control_characters(text) if c not in ("\\x09", "\\x0a", "\\x0d")]
    if found:
        raise InvalidInput(
            f"{field}: '{printable(text)}' contains a control or text-direction character "
            f"({', '.join(dict.fromkeys(found))}), which lpgp does not accept: type it again "
            "without it"
        )


@dataclass(frozen=True)
class Place:
    """A local authority area inside an ICS: the unit every query is scoped to."""

    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class Pcn:
    """A Primary Care Network within a place."""

    id: int
    place_id: int
    name: str
    code: str | None = None


@dataclass(frozen=True)
class Practice:
    """A GP practice: one ballot in a practice vote."""

    id: int
    place_id: int
    ods_code: str
    name: str
    pcn: str | None
    list_size: int | None
    list_size_as_of: date | None
    email: str | None
    active: bool = True


@dataclass(frozen=True)
class Person:
    """Anyone lpgp names: board members, action owners, leads."""

    id: int
    place_id: int
    name: str
    role: Role
    pcn: str | None = None
    practice: str | None = None
    email: str | None = None
    active_from: date | None = None
    active_to: date | None = None


@dataclass(frozen=True)
class BoardMember:
    """A person on a place's leadership board; one may chair, several may facilitate."""

    id: int
    place_id: int
    person_id: int
    name: str
    role: Role
    is_chair: bool = False
    is_facilitator: bool = False


@dataclass(frozen=True)
class Cycle:
    """One round of choosing and delivering priorities, e.g. "2027/28 priorities"."""

    id: int
    place_id: int
    name: str
    is_current: bool = True
