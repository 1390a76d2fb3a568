"""The scale benchmark keeps working (a small run, so the suite stays fast)."""

from __future__ import annotations

from benchmarks.history_scale import run


def test_history_scale_benchmark_runs_on_a_small_history() -> None:
    numbers = run(days=60, repeat=1)
    assert numbers["sessions"] == 60
    for key in ("open_ms", "sessions_ms", "progress_commit_ms", "export_csv_ms"):
        assert numbers[key] >= 0
