"""The command line never reports success for data it did not store, never replaces a file
with less than it was asked to export, and never shows a traceback or falls through to the
GUI on a bad argument. Run as a user would: a subprocess with its own folders, no display."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from timer_app.core.routine import Routine
from timer_app.core.timeline import Timeline

from .test_cli_csv import _run, _seed

BACKUP = "".join(f"line {n}\n" for n in range(2001))


@pytest.mark.parametrize("option", ["--check-routine", "--import-csv", "--export-csv", "--routine"])
def test_an_empty_file_name_is_an_error_not_the_gui(tmp_path: Path, option: str) -> None:
    done = _run(tmp_path / "data", option, "")
    assert done.returncode == 2
    assert f"argument {option}: needs a file name, got an empty one" in done.stderr
    assert "Traceback" not in done.stderr and "platform plugin" not in done.stderr


def test_export_refuses_over_a_backup_when_the_store_cannot_be_read(
    tmp_path: Path, routine: Routine, timeline: Timeline
) -> None:
    data = tmp_path / "data"
    _seed(data, routine, timeline)
    conn = sqlite3.connect(data / "timer-app" / "history.sqlite3")
    conn.execute("PRAGMA user_version = -1")
    conn.commit()
    conn.close()
    backup = tmp_path / "backup.csv"
    backup.write_text(BACKUP)

    done = _run(data, "--export-csv", str(backup))

    assert done.returncode == 1
    assert "backup.csv: not exported: your history could not be read" in done.stderr
    assert "Traceback" not in done.stderr
    assert backup.read_text() == BACKUP


def test_an_empty_history_never_replaces_a_backup(tmp_path: Path) -> None:
    # The damaged store was set aside by an earlier run: the new one is empty.
    backup = tmp_path / "backup.csv"
    backup.write_text(BACKUP)
    done = _run(tmp_path / "data", "--export-csv", str(backup))
    assert done.returncode == 1
    assert "backup.csv: not exported: the history has no sessions" in done.stderr
    assert backup.read_text() == BACKUP
    fresh = tmp_path / "new.csv"
    assert _run(tmp_path / "data", "--export-csv", str(fresh)).returncode == 0
    assert fresh.read_text().startswith("session_uuid,")  # a new file: the header alone


def test_import_is_refused_when_the_store_lives_in_memory(
    tmp_path: Path, routine: Routine, timeline: Timeline
) -> None:
    source = tmp_path / "from.csv"
    seeded = tmp_path / "seeded"
    _seed(seeded, routine, timeline)
    assert _run(seeded, "--export-csv", str(source)).returncode == 0
    data = tmp_path / "data"
    (data / "timer-app").mkdir(parents=True)
    os.mkfifo(data / "timer-app" / "history.sqlite3")  # cannot be opened: in memory

    done = _run(data, "--import-csv", str(source))

    assert done.returncode == 1
    assert "not imported: your history cannot be saved this time" in done.stderr
    assert "imported 1" not in done.stderr


def test_import_from_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "in.csv"
    os.mkfifo(fifo)
    done = _run(tmp_path / "data", "--import-csv", str(fifo))
    assert done.returncode == 1
    assert done.stderr.splitlines()[-2:] == [
        f"{fifo}: cannot be read: it is a pipe (FIFO)",
        "Nothing was imported.",
    ]


def test_export_to_stdout_closed_early_ends_quietly(
    tmp_path: Path, routine: Routine, timeline: Timeline
) -> None:
    data = tmp_path / "data"
    _seed(data, routine, timeline, sessions=100)  # far more than a pipe buffer holds
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env |= {"XDG_DATA_HOME": str(data), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    # Like `timer-app --export-csv - | head -c 10`: the reader goes away after a few bytes.
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [sys.executable, "-m", "timer_app", "--export-csv", "-"],
        env=env,
        stdout=write_end,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(write_end)
    assert len(os.read(read_end, 10)) == 10
    os.close(read_end)
    _, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr) == (141, "")  # as `cat` ends: SIGPIPE, no message


def test_export_onto_a_symlink_replaces_its_target_and_keeps_the_link(
    tmp_path: Path, routine: Routine, timeline: Timeline
) -> None:
    data = tmp_path / "data"
    _seed(data, routine, timeline)
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)

    done = _run(data, "--export-csv", str(link))

    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    assert real.read_text().startswith("session_uuid,")


def test_export_onto_a_fifo_nobody_reads_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    done = _run(tmp_path / "data", "--export-csv", str(fifo))
    assert done.returncode == 1
    assert f"{fifo}: it is a pipe (FIFO) that no program reads" in done.stderr
    assert fifo.is_fifo()


def test_check_routine_on_a_nested_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "nest.toml"
    path.write_text("a = " + "[" * 500 + "]" * 500 + "\n")
    done = _run(tmp_path / "data", "--check-routine", str(path))
    assert done.returncode == 1
    assert done.stderr == f"{path}: nested too deeply (at most 32 levels)\n"


def test_list_routines_never_prints_control_characters(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "timer-app" / "routines"
    folder.mkdir(parents=True)
    (folder / "bad\x1b[31m.toml").write_text("schema = 2\n")
    done = _run(tmp_path / "data", "--list-routines")
    assert "\x1b" not in done.stdout + done.stderr
    assert "bad\\x1b[31m.toml" in done.stderr
