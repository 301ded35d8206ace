"""Exports replace files atomically: a failed write leaves the old file and no debris."""

from __future__ import annotations

from pathlib import Path

import pytest

from lpgp.cycle.exports import files


def test_write_replaces_the_old_file_and_leaves_no_temporary_files(tmp_path: Path):
    target = tmp_path / "deep" / "out.csv"
    files.write_atomic(target, "first")
    files.write_atomic(target, b"second")
    assert target.read_text() == "second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.csv"]


def test_a_failed_write_keeps_the_previous_file(tmp_path: Path, monkeypatch):
    target = tmp_path / "out.csv"
    files.write_atomic(target, "good")

    def broken(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", broken)
    with pytest.raises(OSError):
        files.write_atomic(target, "bad")
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
