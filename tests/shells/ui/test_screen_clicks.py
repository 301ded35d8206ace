"""One click, one action: a double click on a screen's button does its work once, and a click
after the person changed a field is a new action however soon it comes.

The kernel takes a browser's clicks one after the other, so the second click of a double click
arrives just after the first one's work ended; these tests click the way the kernel sees it,
with the screen's clock moved rather than waited for.
"""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from lpgp.access.signin import Visitor
from lpgp.model import Place
from lpgp.store import Store
from lpgp.ui import screen as screens


class Counter(screens.Screen):
    title = "Counter"

    def __init__(self, store: Store) -> None:
        super().__init__(Visitor(Place(1, "haverbrook", "Haverbrook"), "member", "Dr A"), store)
        self.name = self.control(widgets.Text(description="Name"))
        self.button = self.control(widgets.Button(description="Add"))
        self.done: list[str] = []

    def refresh(self) -> None:
        pass

    def click(self) -> None:
        self.run(self.button, lambda: self.done.append(self.name.value) or "Added.")


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(screens.time, "monotonic", lambda: now[0])
    return now


@pytest.fixture
def counter(tmp_path) -> Counter:
    store = Store(f"sqlite:///{tmp_path / 'clicks.sqlite'}")
    yield Counter(store)
    store.dispose()


def test_a_double_click_does_its_work_once(counter: Counter, clock) -> None:
    counter.name.value = "Hub"
    counter.click()
    clock[0] += 0.2
    counter.click()
    assert counter.done == ["Hub"]
    assert counter.button.description == "Add"  # the label is back, not "Working…"


def test_the_same_click_a_moment_later_is_a_new_action(counter: Counter, clock) -> None:
    counter.click()
    clock[0] += screens.REPEAT_SECONDS
    counter.click()
    assert counter.done == ["", ""]


def test_a_click_after_a_field_changed_is_a_new_action_however_soon(
    counter: Counter, clock
) -> None:
    counter.name.value = "Hub"
    counter.click()
    counter.name.value = "Estates"
    clock[0] += 0.1
    counter.click()
    assert counter.done == ["Hub", "Estates"]
