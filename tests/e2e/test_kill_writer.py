"""kill -9 the history writer at random moments, many times: nothing confirmed is ever lost.

The writer (this file run as a script) starts sessions, saves progress and results through
:class:`History`, and prints a line after each call returns (the commit is done), flushing
at once. The test kills it with SIGKILL at a random moment, starts it again on the same file,
and repeats. The moments are counted in the writer's own lines (kill after its n-th
confirmation, plus a few random milliseconds), not in seconds: a loaded machine only slows
the writer down, it does not move the kills away from the writes, so the test runs in the
parallel pass of `make test` (20 kills); `benchmarks/reliability.py` runs the long loop
(`make bench`). Afterwards
the database passes ``PRAGMA integrity_check``, was never set aside, and holds every result,
progress and end the writer confirmed.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

LANES = 3  # files, killed in turn, so the creation of a new file gets interrupted too


def _values(session_id: int) -> tuple[float, float]:
    """The results the writer saves for a session, derived from its id so they can be
    checked; ``.25`` and ``.5`` steps so they differ between sessions."""
    return 10.0 + (session_id % 40) * 0.25, 20.0 + (session_id % 30) * 0.5


def writer(path: Path) -> None:
    """Write sessions for ever, printing a confirmation after each committed call."""
    from timer_app.core.results import ResultEntry
    from timer_app.core.routine import Side
    from timer_app.core.routine_file import load_routine
    from timer_app.core.timeline import build_timeline
    from timer_app.storage.history import History

    routines = Path(__file__).resolve().parents[2] / "routines"
    routine = load_routine(routines / "hip-ir-lying.toml")
    timeline = build_timeline(routine)
    history = History(path)
    out = sys.stdout
    if history.notice:
        print(f"notice {history.notice}", file=out, flush=True)
    print("ready", file=out, flush=True)
    log: list[dict[str, object]] = []
    while True:
        sid = history.start_session(routine, timeline)
        print(f"started {sid}", file=out, flush=True)
        for step in range(1, 4):
            log.append({"t": step * 10.0, "event": "step", "step": step, "detail": {}})
            history.update_progress(sid, step, 0.5, step * 10.0, log)
            print(f"progress {sid} {step}", file=out, flush=True)
        left, right = _values(sid)
        history.save_results(
            sid,
            [
                ResultEntry(Side.LEFT, left, left, "cm", note=f"session {sid}"),
                ResultEntry(Side.RIGHT, right, right, "cm", pain=sid % 11),
            ],
        )
        print(f"confirmed {sid}", file=out, flush=True)
        history.end_session(sid, "completed", 40.0, log)
        print(f"ended {sid}", file=out, flush=True)
        log.clear()


def _run_and_kill(path: Path, lines_first: int | None, delay: float) -> list[str]:
    """Run the writer and SIGKILL it ``delay`` seconds after its ``lines_first``-th line
    (``ready`` counts; None: ``delay`` seconds after it was spawned, while the store may still
    be opening); return the whole lines it printed."""
    child = subprocess.Popen(
        [sys.executable, __file__, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )
    assert child.stdout is not None
    head = b""
    if lines_first is not None:
        # os.read, not readline: no hidden buffer may swallow lines communicate() needs.
        while head.count(b"\n") < lines_first:
            chunk = os.read(child.stdout.fileno(), 65536)
            if not chunk:
                break
            head += chunk
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    out, err = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL, f"writer ended by itself: {err.decode()}"
    # Only whole lines count: a line cut by the kill was never "shown".
    text = (head + out).decode()
    return [line for line in text.splitlines(keepends=True) if line.endswith("\n")]


#: Lines the writer prints per session: started, three progress, confirmed, ended.
SESSION_LINES = 6


def kill_moment(rng: random.Random, kill: int) -> tuple[int | None, float]:
    """When to kill the ``kill``-th writer, as ``_run_and_kill``'s (lines_first, delay).

    One kill in five from the spawn (it may land while the store opens or migrates), the
    others after one of the writer's lines (up to three sessions in) and a random part of a
    write: every kind of write gets interrupted, on a slow machine too."""
    if kill % 5 == 0:
        return None, rng.uniform(0.0, 0.3)
    return rng.randint(1, 1 + 3 * SESSION_LINES), rng.uniform(0.0, 0.004)


KILLS = 20


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing_confirmed(tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("KILL_SEED", "5")))
    paths = [tmp_path / f"lane{n}" / "history.sqlite3" for n in range(LANES)]
    lines: dict[Path, list[str]] = {path: [] for path in paths}
    started = time.monotonic()
    for kill in range(KILLS):
        path = paths[kill % LANES]
        lines[path] += _run_and_kill(path, *kill_moment(rng, kill))
    elapsed = time.monotonic() - started

    confirmed_total = 0
    for path in paths:
        words = [line.split() for line in lines[path]]
        assert not [w for w in words if w[0] == "notice"], "the store was set aside"
        assert sum(1 for w in words if w[0] == "ready") > 0
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        results = {
            (sid, side): (cm, note, pain)
            for sid, side, cm, note, pain in conn.execute(
                "SELECT session_id, side, value_cm, note, pain FROM results"
            )
        }
        sessions = {
            sid: (status, step)
            for sid, status, step in conn.execute("SELECT id, status, step_index FROM sessions")
        }
        conn.close()
        for word in words:
            if word[0] == "started":
                assert int(word[1]) in sessions
            elif word[0] == "progress":
                _status, step = sessions[int(word[1])]
                assert step >= int(word[2])
            elif word[0] == "confirmed":
                sid = int(word[1])
                left, right = _values(sid)
                assert results[(sid, "left")] == (left, f"session {sid}", None)
                assert results[(sid, "right")] == (right, "", sid % 11)
                confirmed_total += 1
            elif word[0] == "ended":
                assert sessions[int(word[1])][0] == "completed"
        # A clean reopen through the app's own door: no notice, the dead run's session offered.
        from timer_app.storage.history import History

        with History(path) as history:
            assert history.notice is None
            assert len(history.interrupted()) <= KILLS
        # The dead runs' lock files were swept away.
        assert list(path.with_name(f"{path.name}.runs").glob("*.lock")) == []
    # The test only means something if the kills landed among confirmed writes.
    assert confirmed_total >= KILLS // 4, f"only {confirmed_total} results confirmed"
    print(f"{KILLS} kills in {elapsed:.1f} s, {confirmed_total} results confirmed and found")


if __name__ == "__main__":
    writer(Path(sys.argv[1]))
