"""Fuzzing in ``make test``: a few hundred hostile routine files, CSV files, settings files
and exported notes each (the same code ``make bench`` runs with thousands, in
``benchmarks/reliability.py`` and ``benchmarks/file_fuzz.py``). Nothing but the app's own
error types may come out; a refused import leaves the store unchanged; a settings file with
bad values falls back per key and is kept aside; notes come back byte-exact with no cell a
spreadsheet would run as a formula; FIFOs, folders and devices are refused, never waited on.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from benchmarks import file_fuzz, reliability

#: Examples per fuzzer: enough to meet every mutation kind many times, the whole file < 30 s.
EXAMPLES = 250


@pytest.fixture(autouse=True)
def quiet_settings_log(caplog: pytest.LogCaptureFixture) -> None:
    # A refused settings file logs one warning per problem: thousands of captured lines.
    caplog.set_level(logging.ERROR, logger="timer_app")


def _clean(result: dict[str, Any]) -> None:
    assert result["unexpected"] == 0, result["unexpected_first"]


def test_routine_files() -> None:
    result = reliability.fuzz_routines(EXAMPLES)
    _clean(result)
    assert set(result["by_mutation"]) == set(reliability.ROUTINE_MUTATIONS)
    assert set(result["outcomes"]) == {"RoutineError", "accepted"}


def test_csv_files() -> None:
    result = reliability.fuzz_csv(EXAMPLES)
    _clean(result)
    assert set(result["by_mutation"]) == set(reliability.CSV_MUTATIONS)


def test_settings_files() -> None:
    result = file_fuzz.fuzz_settings(EXAMPLES)
    _clean(result)
    assert result["outcomes"].get("problems reported", 0) > EXAMPLES // 2


def test_exported_notes() -> None:
    result = file_fuzz.fuzz_notes(EXAMPLES // 3)
    _clean(result)
    assert result["outcomes"] == {"exact": result["examples"]}


def test_special_files_answer_at_once() -> None:
    result = file_fuzz.special_files()
    _clean(result)
    assert result["outcomes"] == {"refused cleanly": 14}
