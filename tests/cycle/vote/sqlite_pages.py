"""A small reader of a SQLite file's pages, as an attacker holding a copy would use it: every
B-tree cell with its physical place, in the main file and in each frame of the write-ahead log.

Within a B-tree page SQLite writes each new cell below the ones already there, so a cell's
offset says when it arrived relative to its neighbours; the log holds whole pages in the order
they were committed. Nothing here uses SQLite's own code to read rows.
"""

from __future__ import annotations

import sqlite3
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

LEAF_TYPES = {0x0A, 0x0D}  # index leaf (WITHOUT ROWID tables are indexes), table leaf
INTERIOR_TYPES = {0x02, 0x05}
WAL_HEADER, FRAME_HEADER = 32, 24


@dataclass(frozen=True)
class Cell:
    source: int  # 0 for the main file, 1 + frame number for a log frame
    page: int
    offset: int
    data: bytes


def page_size(db: bytes) -> int:
    size = struct.unpack(">H", db[16:18])[0]
    return 65536 if size == 1 else size


def _cells(page: bytes, number: int, size: int, source: int) -> list[Cell]:
    head = 100 if number == 1 else 0
    kind = page[head]
    if kind not in LEAF_TYPES | INTERIOR_TYPES:
        return []
    count = struct.unpack(">H", page[head + 3 : head + 5])[0]
    pointers_at = head + (12 if kind in INTERIOR_TYPES else 8)
    offsets = sorted(
        struct.unpack(">H", page[pointers_at + 2 * i : pointers_at + 2 * i + 2])[0]
        for i in range(count)
    )
    if not offsets:
        return []
    bounds = [*offsets[1:], size]
    out = []
    for start, end in zip(offsets, bounds, strict=True):
        if not 0 < start < size:
            continue
        # The cell as its own header measures it (payload size, then the payload, which may
        # run on into overflow pages), never the free space after it.
        at = start + (4 if kind == 0x02 else 0)
        length, used = varint(page, at)
        out.append(Cell(source, number, start, page[start : min(end, at + used + length)]))
    return out


def varint(data: bytes, at: int) -> tuple[int, int]:
    """SQLite's variable-length integer at ``at``: (value, bytes used)."""
    value = 0
    for i in range(9):
        byte = data[at + i]
        if i == 8:
            return (value << 8) | byte, 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, i + 1
    raise AssertionError("unreachable")


def _children(page: bytes, number: int) -> list[int]:
    head = 100 if number == 1 else 0
    if page[head] not in INTERIOR_TYPES:
        return []
    count = struct.unpack(">H", page[head + 3 : head + 5])[0]
    right = struct.unpack(">I", page[head + 8 : head + 12])[0]
    pointers = [
        struct.unpack(">H", page[head + 12 + 2 * i : head + 14 + 2 * i])[0] for i in range(count)
    ]
    return [struct.unpack(">I", page[p : p + 4])[0] for p in pointers] + [right]


def wal_frames(wal: bytes, size: int) -> list[tuple[int, bytes]]:
    """(page number, page) for every frame of a write-ahead log, in commit order."""
    frames = []
    at = WAL_HEADER
    while at + FRAME_HEADER + size <= len(wal):
        number = struct.unpack(">I", wal[at : at + 4])[0]
        frames.append((number, wal[at + FRAME_HEADER : at + FRAME_HEADER + size]))
        at += FRAME_HEADER + size
    return frames


def tree_pages(db: bytes, wal: bytes, tables: list[str]) -> set[int]:
    """The pages of the named tables' B-trees (and their indexes), read from the latest
    version of each page, as far as the copy shows them."""
    size = page_size(db)
    latest = {n + 1: db[n * size : (n + 1) * size] for n in range(len(db) // size)}
    for number, page in wal_frames(wal, size):
        latest[number] = page
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.sqlite"
        copy.write_bytes(db)
        if wal:
            Path(f"{copy}-wal").write_bytes(wal)
        conn = sqlite3.connect(copy)
        marks = ",".join("?" * len(tables))
        roots = [
            r[0]
            for r in conn.execute(
                f"SELECT rootpage FROM sqlite_master WHERE tbl_name IN ({marks}) AND rootpage > 0",
                tables,
            )
        ]
        conn.close()
    found: set[int] = set()
    todo = list(roots)
    while todo:
        number = todo.pop()
        if number in found or number not in latest:
            continue
        found.add(number)
        todo.extend(_children(latest[number], number))
    return found


def all_cells(db: bytes, wal: bytes, pages: set[int] | None = None) -> list[Cell]:
    """Every cell of every B-tree page in the file and in every log frame (optionally only
    of ``pages``), each with its physical place."""
    size = page_size(db)
    out = []
    for n in range(len(db) // size):
        if pages is None or n + 1 in pages:
            out += _cells(db[n * size : (n + 1) * size], n + 1, size, 0)
    for i, (number, page) in enumerate(wal_frames(wal, size)):
        if pages is None or number in pages:
            out += _cells(page, number, size, 1 + i)
    return out


def latest_cells(db: bytes, wal: bytes, pages: set[int]) -> list[Cell]:
    """The cells of ``pages`` as the copy's newest version of each page holds them."""
    size = page_size(db)
    latest = {n + 1: (0, db[n * size : (n + 1) * size]) for n in range(len(db) // size)}
    for i, (number, page) in enumerate(wal_frames(wal, size)):
        latest[number] = (1 + i, page)
    out = []
    for number in sorted(pages):
        if number in latest:
            source, page = latest[number]
            out += _cells(page, number, size, source)
    return out
