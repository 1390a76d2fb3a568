"""Routine files that used to stop or hang the app: deeply nested arrays, FIFOs, control
characters, an unreadable routines folder. Each is now one clear line; nothing vanishes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from timer_app.core.library import discover_routines
from timer_app.core.routine_file import RoutineError, load_routine, parse_routine_text

VALID = """
schema = 1
id = "mine"
name = "Mine"

[main]
[[main.phases]]
kind = "passive"
seconds = 60
instruction = "Relax."
"""


def test_a_1kb_file_nested_500_deep_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "nest.toml"
    path.write_text("a = " + "[" * 500 + "]" * 500 + "\n")
    assert path.stat().st_size < 1100
    with pytest.raises(RoutineError) as info:
        load_routine(path)
    assert info.value.errors == ["nest.toml: nested too deeply (at most 32 levels)"]


def test_moderate_nesting_under_the_recursion_limit_is_refused_too() -> None:
    text = VALID + "[extra]\nx = " + "[" * 200 + "]" * 200 + "\n"
    with pytest.raises(RoutineError, match="nested too deeply"):
        parse_routine_text(text, "deep.toml")


def test_a_fifo_routine_file_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    with pytest.raises(RoutineError, match=r"pipe.toml: cannot be read: it is a pipe"):
        load_routine(fifo)


def test_a_fifo_in_the_routines_folder_is_listed_as_an_error(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text(VALID)
    os.mkfifo(tmp_path / "pipe.toml")
    entries = discover_routines(None, tmp_path)
    assert [(e.path.name, e.routine is not None) for e in entries] == [
        ("mine.toml", True),
        ("pipe.toml", False),
    ]
    assert "it is a pipe" in str(entries[1].error)


def test_a_routines_folder_that_is_a_file_is_reported_not_silently_empty(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "routines"
    folder.write_text("oops")
    [entry] = discover_routines(None, folder)
    assert entry.routine is None
    assert str(entry.error) == f"{folder}: the routines folder cannot be read: it is not a folder"


def test_a_missing_routines_folder_is_simply_empty(tmp_path: Path) -> None:
    assert discover_routines(None, tmp_path / "none-yet") == []


def test_control_characters_are_removed_from_names_on_load() -> None:
    text = VALID.replace('name = "Mine"', 'name = "Mi\\u0000ne\\u001b[31m red\\u202e"').replace(
        'instruction = "Relax."', 'instruction = "Line one\\nLine two\\u0007"'
    )
    routine = parse_routine_text(text, "ctl.toml")
    assert routine.name == "Mine[31m red"
    assert routine.main.phases[0].instruction == "Line one\nLine two"


def test_a_name_made_only_of_control_characters_is_an_error() -> None:
    text = VALID.replace('name = "Mine"', 'name = "\\u0000\\u001b"')
    with pytest.raises(RoutineError, match=r"ctl.toml: name: must not be empty"):
        parse_routine_text(text, "ctl.toml")


def test_an_unknown_key_with_control_characters_is_shown_escaped() -> None:
    text = VALID + '"evil\\u001b[2J" = 1\n'
    with pytest.raises(RoutineError) as info:
        parse_routine_text(text, "ctl.toml")
    assert "\x1b" not in str(info.value)
    assert "'evil\\x1b[2J': unknown key" in str(info.value)
