"""The scale benchmark keeps working on a small history: every number the report prints is
there, and the store it built lists and round-trips every session (the run asserts those)."""

from __future__ import annotations

import pytest

from benchmarks.history_scale import run

pytestmark = pytest.mark.bench


def test_history_scale_benchmark_runs_on_a_small_history() -> None:
    numbers = run(days=60, repeat=1)
    assert numbers["sessions"] == 60
    for key in ("open_ms", "sessions_ms", "progress_commit_ms", "export_csv_ms", "import_csv_ms"):
        assert isinstance(numbers[key], float), key
    assert numbers["csv_mb"] > 0
