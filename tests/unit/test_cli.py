"""The command line: answers without a window (no Qt import) and exits with the right code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROUTINES
from timer_app import __version__
from timer_app.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timer_app", *args], capture_output=True, text=True, timeout=60
    )


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"timer-app {__version__}"


def test_list_routines_prints_id_name_total(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list-routines"]) == 0
    lines = capsys.readouterr().out.splitlines()
    ir = next(line for line in lines if line.startswith("hip-ir-lying"))
    assert "21:10" in ir and "Hip internal rotation, lying" in ir and "(built-in)" in ir
    assert any(line.startswith("hip-er-lying") for line in lines)


def test_list_routines_into_a_closed_pipe_ends_quietly() -> None:
    # Like `timer-app --list-routines | head -0`: the reader is gone before the first line.
    read_end, write_end = os.pipe()
    os.close(read_end)
    process = subprocess.run(
        [sys.executable, "-m", "timer_app", "--list-routines"],
        stdout=write_end,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )
    os.close(write_end)
    assert (process.returncode, process.stderr) == (141, "")  # as `cat` ends: no traceback


def test_list_routines_includes_user_routines(
    isolated_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    user = isolated_dirs / "data" / "timer-app" / "routines"
    user.mkdir(parents=True)
    text = (ROUTINES / "quick-hip-check.toml").read_text().replace("quick-hip-check", "mine")
    (user / "mine.toml").write_text(text)
    assert main(["--list-routines"]) == 0
    assert any(
        line.startswith("mine ") and "(yours)" in line
        for line in capsys.readouterr().out.splitlines()
    )


def test_check_routine_ok(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(ROUTINES / "hip-ir-lying.toml")
    assert main(["--check-routine", path]) == 0
    assert capsys.readouterr().out.strip() == f"{path}: ok (hip-ir-lying, total 21:10, 31 steps)"


def test_check_routine_errors_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    text = (ROUTINES / "quick-hip-check.toml").read_text().replace("seconds = 60", "seconds = 0")
    bad.write_text(text)
    result = run_cli("--check-routine", str(bad))
    assert result.returncode == 1
    assert result.stderr.strip() == f"{bad}: main.phases[0].seconds: must be 1..3600, got 0"
    assert "Traceback" not in result.stderr


def test_cli_options_do_not_import_qt() -> None:
    code = (
        "import sys; from timer_app.cli import main; main(['--list-routines']); "
        "print('PySide6' in ' '.join(sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1] == "False"
