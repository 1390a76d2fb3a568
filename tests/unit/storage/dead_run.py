"""A run of the app that dies: a child process opens the store, writes, and is gone without
closing anything (``os._exit``), as after a crash or ``kill -9``. The operating system drops
its run lock; nothing else is cleaned up."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import REPO

PRELUDE = """
import os, sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tests.unit.storage.conftest import ROUTINES, WallClock
from timer_app.core.routine import Side
from timer_app.core.routine_file import load_routine
from timer_app.core.timeline import build_timeline
from timer_app.storage.history import History

db_path = Path(sys.argv[1])
routine = load_routine(ROUTINES / "hip-ir-lying.toml")
timeline = build_timeline(routine)
"""


def dead_run(db_path: Path, body: str) -> int:
    """Run ``body`` (Python, with ``db_path``, ``routine``, ``timeline``, ``History``,
    ``Side`` and ``WallClock`` at hand; it sets ``sid``) in a child process that then dies
    with the store open. Returns ``sid``."""
    script = PRELUDE + textwrap.dedent(body) + "\nprint(sid, flush=True)\nos._exit(0)\n"
    done = subprocess.run(
        [sys.executable, "-c", script, str(db_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout)
