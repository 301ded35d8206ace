"""A vote is named by id or title everywhere (commands, screens, analyst frames); a title two
votes share is refused, naming each by id and state, rather than one being picked silently."""

from __future__ import annotations

import pytest

import lpgp
from cycle.vote.conftest import Setup
from lpgp.cycle.vote import vote as votes
from lpgp.errors import InvalidInput, NotFound


def test_a_shared_title_is_refused_naming_each_vote(file_setup: Setup) -> None:
    first = file_setup.vote(title="Spring vote")
    second = file_setup.vote(title="Spring vote", open_it=False)
    with file_setup.store.read() as s:
        with pytest.raises(InvalidInput) as refused:
            votes.get_vote(s, file_setup.place, "Spring vote")
        assert str(refused.value) == (
            f"vote: 2 votes are called 'Spring vote' (id {first.id}, open; "
            f"id {second.id}, scheduled): give its id instead"
        )
        assert votes.get_vote(s, file_setup.place, second.id).id == second.id
        assert votes.get_vote(s, file_setup.place, str(first.id)).id == first.id
        with pytest.raises(NotFound, match="there is no vote 'Autumn vote'"):
            votes.get_vote(s, file_setup.place, "Autumn vote")
    with pytest.raises(InvalidInput, match="2 votes are called 'Spring vote'"):
        lpgp.turnout("Spring vote", store=file_setup.store)


def test_a_title_of_one_vote_finds_it(file_setup: Setup) -> None:
    only = file_setup.vote(title="Only vote")
    with file_setup.store.read() as s:
        assert votes.get_vote(s, file_setup.place, "Only vote").id == only.id
