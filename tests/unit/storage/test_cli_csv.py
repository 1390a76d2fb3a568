"""``timer-app --export-csv`` and ``--import-csv`` run as a user would: a subprocess with its
own data folder and no display."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from timer_app.core.results import ResultEntry
from timer_app.core.routine import Routine, Side
from timer_app.core.timeline import Timeline
from timer_app.storage.history import History


def _run(data_home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["XDG_DATA_HOME"] = str(data_home)
    env["XDG_CONFIG_HOME"] = str(data_home.parent / "config")
    env["QT_QPA_PLATFORM"] = "offscreen-is-not-allowed"  # any Qt use would fail loudly
    return subprocess.run(
        [sys.executable, "-m", "timer_app", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _seed(data_home: Path, routine: Routine, timeline: Timeline, sessions: int = 1) -> None:
    with History(data_home / "timer-app" / "history.sqlite3") as history, history.batch():
        for _ in range(sessions - 1):
            done = history.start_session(routine, timeline)
            history.end_session(done, "completed", 10.0, [])
        sid = history.start_session(routine, timeline)
        history.end_session(sid, "completed", 1210.0, [])
        history.save_results(
            sid,
            [
                ResultEntry(Side.LEFT, 22.5, 3, "blocks", note="ok, good"),
                ResultEntry(Side.RIGHT, 30.0, 30, "cm", pain=1),
            ],
        )


def test_export_to_stdout_without_a_display(
    tmp_path: Path, routine: Routine, timeline: Timeline
) -> None:
    data = tmp_path / "data"
    _seed(data, routine, timeline)

    done = _run(data, "--export-csv", "-")

    assert done.returncode == 0, done.stderr
    [row] = list(csv.DictReader(io.StringIO(done.stdout)))
    assert (row["routine_id"], row["left_after_cm"], row["left_after_note"]) == (
        "hip-ir-lying",
        "22.5",
        "ok, good",
    )
    assert "exported 1 session(s)" in done.stderr


def test_export_to_a_file_then_import_into_another_history(
    tmp_path: Path, routine: Routine, timeline: Timeline
) -> None:
    data = tmp_path / "data"
    _seed(data, routine, timeline)
    exported = tmp_path / "out" / "history.csv"
    exported.parent.mkdir()

    assert _run(data, "--export-csv", str(exported)).returncode == 0
    other = tmp_path / "other-data"
    first = _run(other, "--import-csv", str(exported))
    again = _run(other, "--import-csv", str(exported))

    assert first.returncode == 0, first.stderr
    assert "imported 1 new session(s)" in first.stderr
    assert "imported 0 new session(s)" in again.stderr
    with History(other / "timer-app" / "history.sqlite3") as history:
        [record] = history.sessions()
    assert record.result(Side.RIGHT) == ResultEntry(Side.RIGHT, 30.0, 30, "cm", pain=1)


def test_a_malformed_file_is_refused_with_line_and_reason(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "started_at,status,routine_id,routine_name,left_after_cm\n"
        "2026-01-01T08:00:00Z,completed,r,R,20\n"
        "yesterday,completed,r,R,21\n",
        encoding="utf-8",
    )
    data = tmp_path / "data"

    done = _run(data, "--import-csv", str(bad))

    assert done.returncode == 1
    assert f"{bad}: line 3: started_at: not a date and time: 'yesterday'" in done.stderr
    assert "Nothing was imported." in done.stderr
    with History(data / "timer-app" / "history.sqlite3") as history:
        assert history.sessions() == []


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    done = _run(tmp_path / "data", "--import-csv", str(tmp_path / "nope.csv"))
    assert done.returncode == 1
    assert "nope.csv: cannot be read: No such file or directory" in done.stderr


def test_export_never_imports_qt(tmp_path: Path) -> None:
    code = (
        "import sys; from timer_app.cli import main; rc = main(['--export-csv', '-']); "
        "qt = [m for m in sys.modules if m.startswith('PySide6')]; "
        "sys.exit(f'Qt imported: {qt}' if qt else rc)"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_a_file_in_blocks_is_imported_with_the_users_block_height(tmp_path: Path) -> None:
    """Same file, same numbers as the history window: 2 blocks of the user's 8 cm = 16 cm."""
    data = tmp_path / "data"
    config = tmp_path / "config" / "timer-app"
    config.mkdir(parents=True)
    (config / "settings.toml").write_text("block_height_cm = 8.0\n", encoding="utf-8")
    hand_made = tmp_path / "blocks.csv"
    hand_made.write_text(
        "started_at,status,routine_id,routine_name,left_after_entered,left_after_unit\n"
        "2026-01-01T08:00:00Z,completed,r,R,2,blocks\n",
        encoding="utf-8",
    )

    done = _run(data, "--import-csv", str(hand_made))

    assert done.returncode == 0, done.stderr
    with History(data / "timer-app" / "history.sqlite3") as history:
        [record] = history.sessions()
    left = record.result(Side.LEFT)
    assert left is not None and left.value_cm == 16.0
