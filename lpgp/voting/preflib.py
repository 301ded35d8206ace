"""Read and write PrefLib files, so anyone can recount published ballots with other tools.

PrefLib (preflib.org) stores elections as text: ``#`` lines of metadata (including
``ALTERNATIVE NAME i: name``) and one line per distinct ballot, ``count: ballot``.

- ``.soi`` (strict orders, incomplete) and ``.toi`` (orders with ties, incomplete) hold ranked
  ballots: ``12: 3,1,2``. lpgp's ranked ballots cannot hold ties, so a ``.toi`` ballot may only
  tie candidates at its very end, where they mean the same as leaving them unranked.
- ``.cat`` (categorical) holds approval ballots as ``7: {1,3},{2,4}``: the first category is
  approved, the rest are not.

Candidates are named by their alternative names when these are distinct, else by number.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lpgp.errors import InvalidInput
from lpgp.voting.ballots import Kind

RANKED_SUFFIXES = (".soi", ".toi", ".soc", ".toc")


@dataclass(frozen=True)
class Election:
    """A PrefLib file's content: candidate ids, distinct ballots and how often each was cast."""

    title: str
    kind: Kind
    candidates: tuple[str, ...]
    ballots: tuple[Any, ...]
    counts: tuple[int, ...]
    metadata: dict[str, str] = field(default_factory=dict)

    def expanded(self) -> list[Any]:
        """Every ballot as cast (each distinct ballot repeated by its count)."""
        return [b for b, n in zip(self.ballots, self.counts, strict=True) for _ in range(n)]


_GROUP = re.compile(r"\{([^}]*)\}|([^,{}]+)")


def _groups(text: str, where: str) -> list[list[int]]:
    """Split ``1,{2,3},4`` into [[1], [2, 3], [4]]."""
    groups: list[list[int]] = []
    rest = text.strip()
    pos = 0
    while pos < len(rest):
        match = _GROUP.match(rest, pos)
        if match is None:
            raise InvalidInput(f"{where}: cannot read '{text.strip()}'")
        inner = match.group(1) if match.group(1) is not None else match.group(2)
        try:
            groups.append([int(x) for x in inner.split(",") if x.strip()])
        except ValueError:
            raise InvalidInput(f"{where}: '{inner}' is not a list of numbers") from None
        pos = match.end()
        if pos < len(rest):
            if rest[pos] != ",":
                raise InvalidInput(f"{where}: cannot read '{text.strip()}'")
            pos += 1
    return groups


def parse(text: str, suffix: str, source: str = "file") -> Election:
    """Read PrefLib text; ``suffix`` (``.soi``, ``.toi``, ``.cat``...) says which kind.

    >>> e = parse("# ALTERNATIVE NAME 1: a\\n# ALTERNATIVE NAME 2: b\\n3: 2,1\\n1: 1\\n", ".soi")
    >>> e.candidates, e.ballots, e.counts
    (('a', 'b'), (('b', 'a'), ('a',)), (3, 1))
    """
    suffix = suffix.lower()
    if suffix not in RANKED_SUFFIXES + (".cat",):
        raise InvalidInput(f"{source}: '{suffix}' is not a PrefLib file type lpgp reads")
    meta: dict[str, str] = {}
    names: dict[int, str] = {}
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            key = key.strip().upper()
            found = re.fullmatch(r"ALTERNATIVE NAME (\d+)", key)
            if found:
                names[int(found.group(1))] = value.strip()
            else:
                meta[key] = value.strip()
            continue
        lines.append((number, line))
    if not names:
        raise InvalidInput(f"{source}: no '# ALTERNATIVE NAME' lines, so no candidates")
    numbers = sorted(names)
    labels = [names[i] for i in numbers]
    if len(set(labels)) != len(labels) or not all(labels):
        labels = [str(i) for i in numbers]
    id_of = dict(zip(numbers, labels, strict=True))
    kind: Kind = "approval" if suffix == ".cat" else "ranked"
    ballots: list[Any] = []
    counts: list[int] = []
    for number, line in lines:
        where = f"{source}, line {number}"
        count_text, colon, body = line.partition(":")
        if not colon or not count_text.strip().isdigit():
            raise InvalidInput(f"{where}: expected 'count: ballot', found '{line}'")
        groups = _groups(body, where)
        for g in groups:
            for alt in g:
                if alt not in id_of:
                    raise InvalidInput(f"{where}: alternative {alt} has no name")
        if kind == "ranked":
            ballots.append(_ranked(groups, len(numbers), where, id_of))
        else:
            ballots.append(frozenset(id_of[a] for a in (groups[0] if groups else [])))
        counts.append(int(count_text))
    return Election(
        meta.get("TITLE", source), kind, tuple(labels), tuple(ballots), tuple(counts), meta
    )


def _ranked(groups: list[list[int]], m: int, where: str, id_of: dict[int, str]) -> tuple:
    order: list[int] = []
    for k, g in enumerate(groups):
        if len(g) > 1:
            remaining = m - len(order)
            if k != len(groups) - 1 or len(g) != remaining:
                raise InvalidInput(
                    f"{where}: alternatives {', '.join(map(str, g))} share a rank; lpgp's "
                    "ranked ballots can only leave candidates level at the very end"
                )
            break
        order += g
    if len(set(order)) != len(order):
        raise InvalidInput(f"{where}: an alternative is ranked twice")
    return tuple(id_of[a] for a in order)


def read(path: str | Path) -> Election:
    """Read a PrefLib ``.soi``, ``.toi``, ``.soc``, ``.toc`` or ``.cat`` file (a regular file of
    at most 10 MB, checked before it is read)."""
    from lpgp.io.input_file import read_input_bytes

    path = Path(path)
    data = read_input_bytes(path)
    return parse(data.decode("utf-8", errors="replace"), path.suffix, path.name)


def dumps(
    candidates: Sequence[Any],
    ballots: Iterable[Any],
    kind: Kind = "ranked",
    title: str = "",
    suffix: str | None = None,
) -> str:
    """PrefLib text for these ballots; identical ballots become one line with a count.

    >>> print(dumps(["a", "b"], [["b", "a"], ["b", "a"], ["a"]], title="Test"), end="")
    # FILE NAME: ballots.soi
    # TITLE: Test
    # DATA TYPE: soi
    # NUMBER ALTERNATIVES: 2
    # NUMBER VOTERS: 3
    # NUMBER UNIQUE ORDERS: 2
    # ALTERNATIVE NAME 1: a
    # ALTERNATIVE NAME 2: b
    2: 2,1
    1: 1
    """
    number = {c: i + 1 for i, c in enumerate(candidates)}
    if kind == "points":
        raise InvalidInput("points ballots have no PrefLib format; write them as a CSV table")
    suffix = (suffix or (".cat" if kind == "approval" else ".soi")).lower()
    if suffix not in ((".cat",) if kind == "approval" else (".soi", ".toi")):
        raise InvalidInput(f"'{suffix}' files cannot hold {kind} ballots")
    tally: Counter[tuple] = Counter()
    for b in ballots:
        if kind == "approval":
            tally[tuple(sorted(number[c] for c in b))] += 1
        else:
            tally[tuple(number[c] for c in b)] += 1
    rows = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
    data_type = suffix.lstrip(".")
    head = [
        f"# FILE NAME: ballots{suffix}",
        f"# TITLE: {title}",
        f"# DATA TYPE: {data_type}",
        f"# NUMBER ALTERNATIVES: {len(number)}",
        f"# NUMBER VOTERS: {sum(tally.values())}",
    ]
    if kind == "approval":
        head += [
            f"# NUMBER UNIQUE PREFERENCES: {len(tally)}",
            "# NUMBER CATEGORIES: 2",
            "# CATEGORY NAME 1: Yes",
            "# CATEGORY NAME 2: No",
        ]
    else:
        head.append(f"# NUMBER UNIQUE ORDERS: {len(tally)}")
    head += [f"# ALTERNATIVE NAME {i}: {c}" for c, i in number.items()]
    body = []
    for key, n in rows:
        if kind == "approval":
            rest = [i for i in number.values() if i not in key]
            body.append(f"{n}: {{{','.join(map(str, key))}}},{{{','.join(map(str, rest))}}}")
        else:
            body.append(f"{n}: {','.join(map(str, key))}")
    return "\n".join(head + body) + "\n"


def write(
    path: str | Path,
    candidates: Sequence[Any],
    ballots: Iterable[Any],
    kind: Kind = "ranked",
    title: str = "",
) -> Path:
    """Write ballots as a PrefLib file (``.soi``/``.toi`` ranked, ``.cat`` approval)."""
    path = Path(path)
    text = dumps(candidates, ballots, kind, title, path.suffix or None)
    text = text.replace("# FILE NAME: ballots" + path.suffix.lower(), f"# FILE NAME: {path.name}")
    path.write_text(text, encoding="utf-8")
    return path
