"""Helpers for the README's generated blocks (run by `make readme`, checked by `make test`)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*commands: list[str], env: dict[str, str] | None = None) -> str:
    """Run ``lpgp`` commands in a throwaway data folder and return what a user would see."""
    with tempfile.TemporaryDirectory() as tmp:
        full_env = {
            **os.environ,
            "LPGP_DATA_DIR": tmp,
            "COLUMNS": "100",
            "TERM": "dumb",
            "NO_COLOR": "1",
            **(env or {}),
        }
        full_env.pop("LPGP_DATABASE_URL", None)
        out = []
        for argv in commands:
            proc = subprocess.run(
                [sys.executable, "-m", "lpgp", *argv],
                env=full_env,
                cwd=tmp,
                capture_output=True,
                text=True,
                check=False,
            )
            out.append("$ lpgp " + " ".join(argv))
            out.append((proc.stdout + proc.stderr).rstrip())
        # The throwaway folder stands in for the project's data/ folder.
        return "\n".join(out).replace("/" + tmp.lstrip("/"), "data")
