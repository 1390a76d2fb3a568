"""Smoke test of the benchmarks: each module imports and runs a tiny configuration, through
the same child-process runner as ``make bench``, and the report renders from the results.
No timing is asserted: these are benchmarks, not tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks import run_all

pytestmark = pytest.mark.bench

OWN = (
    "boundary_accuracy",
    "startup",
    "cpu_usage",
    "reliability",
    "voice_commands",
    "event_loop_stall",
)


@pytest.fixture(scope="module")
def quick_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("bench")
    return {name: run_all.run_one(name, {"quick": True}, folder) for name in OWN}


@pytest.mark.parametrize("name", OWN)
def test_module_runs_a_tiny_configuration(
    name: str, quick_results: dict[str, dict[str, Any]]
) -> None:
    result = quick_results[name]
    assert "error" not in result, result.get("error")
    assert result["name"] == name
    assert isinstance(result["met"], dict | bool)


def test_report_renders_every_section(
    quick_results: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    from benchmarks.common import machine_info

    results = dict(quick_results)
    results["cue_latency"] = {"name": "cue_latency", "error": "no PulseAudio here"}
    text = run_all.render(results, {**machine_info(), "display": ":99"}, 12.0)
    for heading in (
        "## Results",
        "## Phase-boundary accuracy",
        "## Start-up and memory",
        "## CPU while running",
        "## Cue latency",
        "## History at scale",
        "## Reliability",
        "## Voice commands",
        "## Errors in this run",
    ):
        assert heading in text
    assert "| Step-start error, idle (app) |" in text
    assert "SIGKILL loop" in text
    (tmp_path / "performance.md").write_text(text)


def test_common_helpers() -> None:
    from benchmarks.common import median_worst

    assert median_worst([1.0, -5.0, 2.0]) == {"median": 1.0, "worst": -5.0}
    assert median_worst([]) == {"median": None, "worst": None}
