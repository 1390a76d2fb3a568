"""``timer-app --which-drill``: the comparison table from a stored month, in the user's unit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests import drill_history
from timer_app.cli import main
from timer_app.paths import history_db_path
from timer_app.settings import Settings, settings_path
from timer_app.storage.history import History


@pytest.fixture
def stored_month(isolated_dirs: Path) -> None:
    history_db_path().parent.mkdir(parents=True, exist_ok=True)
    with History(history_db_path()) as history:
        drill_history.seed(history)


def _line(out: str, routine_id: str) -> list[str]:
    return next(line for line in out.splitlines() if f" {routine_id} " in line).split()


@pytest.mark.usefixtures("stored_month")
def test_prints_one_line_per_routine_best_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--which-drill"]) == 0
    out = capsys.readouterr().out
    assert "heights in blocks" in out.splitlines()[0]
    ir = _line(out, "hip-ir-lying")
    sleeper = _line(out, "sleeper-hip-rotation")
    assert ir[:2] == ["2", "hip-ir-lying"] and ir[6:9] == ["14", "+0.50", "+1.00"]
    assert sleeper[:2] == ["3", "sleeper-hip-rotation"]
    assert "Left side: Sleeper hip rotations, internal and external helps most" in out
    assert "Right side: Hip internal rotation, lying helps most" in out
    assert "trailing-leg-ir: the gain rests on 2 sessions: fewer than 3" in out


@pytest.mark.usefixtures("stored_month")
def test_uses_the_users_unit(capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings()
    settings.result_unit = "cm"
    settings.save(settings_path())
    assert main(["--which-drill"]) == 0
    out = capsys.readouterr().out
    assert "heights in centimetres" in out.splitlines()[0]
    assert _line(out, "hip-ir-lying")[6:9] == ["14", "+3.75", "+7.50"]


@pytest.mark.usefixtures("stored_month")
def test_since_keeps_later_sessions_only(capsys: pytest.CaptureFixture[str]) -> None:
    # From day 20 on: sleeper on days 20, 22, 24, 26; IR on 21, 23, 25, 27; one trailing.
    assert main(["--which-drill", "--since", "2026-10-25"]) == 0
    out = capsys.readouterr().out
    assert _line(out, "sleeper-hip-rotation")[8] == "4"
    assert "quick-hip-check" not in out


def test_no_history_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--which-drill"]) == 0
    assert "No sessions recorded yet." in capsys.readouterr().out


def test_bad_since_is_one_clear_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "timer_app", "--which-drill", "--since", "last week"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "timer-app: error: argument --since: expected a date like 2026-11-01, got 'last week'"
    )
    assert "Traceback" not in result.stderr


@pytest.mark.usefixtures("stored_month")
def test_which_drill_does_not_import_qt() -> None:
    code = (
        "import sys; from timer_app.cli import main; main(['--which-drill']); "
        "print('PySide6' in ' '.join(sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_an_unreadable_history_is_refused_not_shown_empty(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A folder where the history file should be: the store cannot be opened.
    history_db_path().mkdir(parents=True)
    assert main(["--which-drill"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines()[-1] == (
        "timer-app: no comparison: your history could not be read (see above)"
    )
