"""Routine files: built-ins load, every kind of bad file gives one clear RoutineError."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROUTINES
from timer_app.core.routine import PhaseKind, Side, SidesMode
from timer_app.core.routine_file import (
    RoutineError,
    load_routine,
    parse_routine_text,
    routine_to_toml,
    save_routine,
)
from timer_app.core.timeline import build_timeline

VALID = """
schema = 1
id = "mine"
name = "Mine"

[main]
rounds = 2
[[main.phases]]
kind = "passive"
seconds = 60
[[main.phases]]
kind = "pail"
seconds = 20
[[main.phases]]
kind = "rail"
seconds = 15
"""


def errors_of(text: str, name: str = "my.toml") -> list[str]:
    with pytest.raises(RoutineError) as info:
        parse_routine_text(text, name)
    return info.value.errors


@pytest.mark.parametrize("path", sorted(ROUTINES.glob("*.toml")), ids=lambda p: p.name)
def test_every_builtin_routine_loads(path: Path) -> None:
    routine = load_routine(path)
    assert routine.id == path.stem
    assert build_timeline(routine).total_seconds > 0


def test_hip_ir_lying_is_the_drill() -> None:
    routine = load_routine(ROUTINES / "hip-ir-lying.toml")
    assert routine.warmup is not None
    assert routine.main.rounds == 3
    assert routine.main.sides is SidesMode.BOTH
    kinds = [p.kind for p in routine.main.phases]
    assert kinds == [PhaseKind.PASSIVE, PhaseKind.PAIL, PhaseKind.RAIL]
    secs = {p.kind: p.seconds for p in routine.main.phases}
    assert secs == {PhaseKind.PASSIVE: 120, PhaseKind.PAIL: 20, PhaseKind.RAIL: 15}
    pail = routine.main.phases[1]
    assert pail.ramp is not None
    assert (pail.ramp.start_percent, pail.ramp.end_percent) == (10, 100)
    assert routine.measurement is not None and routine.measurement.after


def test_hip_er_lying_measures_before_and_after() -> None:
    routine = load_routine(ROUTINES / "hip-er-lying.toml")
    assert routine.measurement is not None
    assert routine.measurement.before and routine.measurement.after
    assert "external" in routine.name.lower()


def test_valid_minimal_file_gets_defaults() -> None:
    routine = parse_routine_text(VALID, "my.toml")
    assert routine.main.side_order == (Side.LEFT, Side.RIGHT)
    pail = routine.main.phases[1]
    assert pail.ramp is not None and pail.ramp.seconds == 10


def test_error_names_file_key_path_and_rule() -> None:
    text = VALID.replace("seconds = 15", "seconds = 0")
    assert errors_of(text) == ["my.toml: main.phases[2].seconds: must be 1..3600, got 0"]


def test_all_errors_reported_together() -> None:
    text = VALID.replace("rounds = 2", "rounds = 99").replace('kind = "rail"', 'kind = "rali"')
    errors = errors_of(text)
    assert "my.toml: main.rounds: must be 1..20, got 99" in errors
    assert any(e.startswith("my.toml: main.phases[2].kind: must be one of") for e in errors)


def test_unknown_key_is_an_error() -> None:
    text = VALID.replace("seconds = 60", "secnds = 60")
    errors = errors_of(text)
    assert any("main.phases[0].secnds: unknown key" in e for e in errors)
    assert any("main.phases[0].seconds: is required" in e for e in errors)


def test_wrong_types() -> None:
    errors = errors_of(VALID.replace("rounds = 2", 'rounds = "two"'))
    assert errors == ["my.toml: main.rounds: must be a whole number 1..20, got 'two'"]
    errors = errors_of(VALID.replace("seconds = 60", "seconds = 60.5"))
    assert errors == ["my.toml: main.phases[0].seconds: must be a whole number 1..3600, got 60.5"]
    errors = errors_of(VALID.replace("seconds = 60", "seconds = true"))
    assert "got true" in errors[0]


def test_ramp_rules() -> None:
    errors = errors_of(VALID.replace("seconds = 20", "seconds = 20\nramp = { from = 90, to = 50 }"))
    assert "my.toml: main.phases[1].ramp.from: must be less than to (50), got 90" in errors
    errors = errors_of(VALID.replace("seconds = 60", "seconds = 60\nramp = { from = 10 }"))
    assert any("main.phases[0].ramp: is only allowed on a pail phase" in e for e in errors)


def test_schema_missing_or_future() -> None:
    assert any("schema: is required" in e for e in errors_of(VALID.replace("schema = 1", "")))
    assert errors_of(VALID.replace("schema = 1", "schema = 2")) == [
        "my.toml: schema: must be 1, got 2"
    ]


def test_bad_id() -> None:
    errors = errors_of(VALID.replace('id = "mine"', 'id = "My Routine!"'))
    assert errors[0].startswith("my.toml: id: must be lowercase letters")


def test_malformed_toml() -> None:
    errors = errors_of("schema = 1\nname = 'unterminated\n")
    assert len(errors) == 1 and errors[0].startswith("my.toml: not valid TOML:")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_text("   \n")
    with pytest.raises(RoutineError, match=r"empty.toml: the file is empty"):
        load_routine(path)


def test_huge_file_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_text(VALID + "#" * (1024 * 1024 + 10))
    with pytest.raises(RoutineError, match=r"huge.toml: the file is too large"):
        load_routine(path)


def test_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(VALID.replace("Mine", "M\xe9").encode("latin-1"))
    with pytest.raises(RoutineError, match=r"latin.toml: line 4: not UTF-8 text"):
        load_routine(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RoutineError, match=r"nope.toml: cannot be read"):
        load_routine(tmp_path / "nope.toml")


def test_main_must_be_a_table() -> None:
    text = 'schema = 1\nid = "x"\nname = "X"\nmain = 3\n'
    assert errors_of(text) == ["my.toml: main: must be a table, got 3"]


@pytest.mark.parametrize("path", sorted(ROUTINES.glob("*.toml")), ids=lambda p: p.name)
def test_write_and_read_back_equal(path: Path, tmp_path: Path) -> None:
    routine = load_routine(path)
    out = tmp_path / path.name
    save_routine(routine, out)
    assert load_routine(out) == routine
    assert routine_to_toml(routine).startswith("# Mobility Timer routine")


def test_save_leaves_no_temp_files(tmp_path: Path) -> None:
    routine = parse_routine_text(VALID, "my.toml")
    folder = tmp_path / "routines"
    save_routine(routine, folder / "mine.toml")
    assert [p.name for p in folder.iterdir()] == ["mine.toml"]
