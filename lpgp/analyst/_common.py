"""What every analyst function shares: the one way to the store, and the calling convention.

The convention: the thing a function is about (a cycle, a vote, a meeting) is its first
argument and may be given by position, by id or by title; ``place`` and ``store`` are always
keywords. Functions that used to take ``place`` (and ``store``) by position still do for one
release, with a :class:`DeprecationWarning` that names the keyword (:func:`keywords_from`).
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from lpgp.store import Store, existing_store

P = ParamSpec("P")
R = TypeVar("R")


def _store(store: Store | str | None) -> Store:
    """The store every read goes through: the one given, the one at a URL, or the default
    (``LPGP_DATABASE_URL``). A URL must name an existing store at this lpgp's schema: a typo
    is refused rather than made into an empty store, and a read never migrates a store
    (:class:`~lpgp.errors.StoreOutOfDate` names the command that does)."""
    if isinstance(store, Store):
        return store
    return existing_store(store)


def keywords_from(*names: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Accept, for one more release, ``names`` given by position after the function's own
    positional parameters, warning which keyword to use instead.

    >>> @keywords_from("place")
    ... def cycles(*, place=None):
    ...     return place
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     cycles("haverbrook")
    'haverbrook'
    >>> print(seen[0].message)
    cycles(): pass place= by keyword; giving it by position stops working in the next release
    """

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        kept = sum(
            1
            for p in inspect.signature(fn).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        )

        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if len(args) > kept:
                extra = args[kept:]
                if len(extra) > len(names):
                    raise TypeError(
                        f"{fn.__name__}() takes at most {kept} positional argument"
                        f"{'' if kept == 1 else 's'}; give {', '.join(names)} by keyword"
                    )
                given = names[: len(extra)]
                for name, value in zip(given, extra, strict=True):
                    if name in kwargs:
                        raise TypeError(f"{fn.__name__}() got multiple values for '{name}'")
                    kwargs[name] = value
                words = ", ".join(f"{n}=" for n in given)
                warnings.warn(
                    f"{fn.__name__}(): pass {words} by keyword; giving "
                    f"{'it' if len(given) == 1 else 'them'} by position stops working in the "
                    "next release",
                    DeprecationWarning,
                    stacklevel=2,
                )
                # The names moved from ``args`` into ``kwargs``: the call no longer has P's shape.
                loose: Callable[..., R] = fn
                return loose(*args[:kept], **kwargs)
            return fn(*args, **kwargs)

        return wrapper

    return decorate


def one_of(what: str, key: str, matches: list[tuple[int, str]]) -> None:
    """Refuse a title that names more than one thing, listing them so one can be picked by id.

    >>> one_of("vote", "Spring vote", [(3, "closed"), (7, "open")])
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: vote: 2 votes are called 'Spring vote' (id 3, closed; id 7, open): give its id instead
    """  # noqa: E501
    if len(matches) > 1:
        from lpgp.errors import InvalidInput

        listed = "; ".join(f"id {i}, {words}" for i, words in matches)
        raise InvalidInput(
            f"{what}: {len(matches)} {what}s are called '{key}' ({listed}): give its id instead"
        )


def is_id(key: object) -> bool:
    """Whether a key names a thing by its id (an int, or text that is only digits).

    >>> is_id(3), is_id("3"), is_id("Spring vote")
    (True, True, False)
    """
    return isinstance(key, int) or (isinstance(key, str) and key.strip().isdigit())
