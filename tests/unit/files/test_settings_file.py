"""The settings file: each bad value falls back on its own, is named in one line (file, key,
value), and the user's file is copied aside before the app first rewrites it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from timer_app.settings import Settings


def load(tmp_path: Path, text: str) -> tuple[Path, Settings]:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path, Settings.load(path)


@pytest.mark.parametrize(
    ("line", "key", "shown"),
    [
        ("lead_in_seconds = 1000000000", "lead_in_seconds", "1000000000"),
        ("block_height_cm = 0", "block_height_cm", "0"),
        ("block_height_cm = -5", "block_height_cm", "-5"),
        ("block_height_cm = nan", "block_height_cm", "nan"),
        ("block_height_cm = inf", "block_height_cm", "inf"),
        ('result_unit = "furlongs"', "result_unit", "'furlongs'"),
        ("speech_rate = 5000", "speech_rate", "5000"),
        ("volume = 3.5", "volume", "3.5"),
        ('muted = "yes"', "muted", "'yes'"),
        ("routine_overrides = 4", "routine_overrides", "4"),
        ("window_sizes = { main = [0, 800] }", "window_sizes", "{'main': [0, 800]}"),
        ('start_full_screen = "no"', "start_full_screen", "'no'"),
    ],
)
def test_a_bad_value_falls_back_alone_and_is_named(
    tmp_path: Path, line: str, key: str, shown: str
) -> None:
    path, settings = load(tmp_path, f'{line}\nlast_routine_id = "mine"\n')
    assert getattr(settings, key) == getattr(Settings(), key)
    assert settings.last_routine_id == "mine"  # the good key next to it is kept
    [problem] = settings.problems
    assert problem.startswith(f"{path}: {key}: ")
    assert f"got {shown}; using " in problem
    assert "\n" not in problem


def test_every_saved_setting_has_a_check(tmp_path: Path) -> None:
    # A field added without a check would be reported "unknown" after its first save.
    path = tmp_path / "settings.toml"
    Settings(window_sizes={"main": [1280, 800]}, start_full_screen=True).save(path)
    loaded = Settings.load(path)
    assert loaded.problems == []
    assert (loaded.window_sizes, loaded.start_full_screen) == ({"main": [1280, 800]}, True)


def test_good_values_load_without_problems(tmp_path: Path) -> None:
    _, settings = load(
        tmp_path, 'block_height_cm = 10\nresult_unit = "cm"\nlead_in_seconds = 0\nvolume = 1\n'
    )
    assert (settings.block_height_cm, settings.result_unit, settings.lead_in_seconds) == (
        10.0,
        "cm",
        0,
    )
    assert settings.problems == []
    assert settings.problems_text() == ""


def test_unreadable_toml_gives_defaults_and_one_line(tmp_path: Path) -> None:
    path, settings = load(tmp_path, "muted = \n")
    assert settings == Settings()
    [problem] = settings.problems
    assert problem.startswith(f"{path}: not valid TOML")


def test_deep_nesting_and_a_fifo_are_refused_quietly(tmp_path: Path) -> None:
    _, settings = load(tmp_path, "x = " + "[" * 500 + "]" * 500)
    assert settings.problems == [
        f"{tmp_path / 'settings.toml'}: nested too deeply; using the defaults"
    ]
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    assert "it is a pipe" in Settings.load(fifo).problems[0]


def test_a_missing_file_is_no_problem(tmp_path: Path) -> None:
    assert Settings.load(tmp_path / "none.toml").problems == []


def test_the_users_file_is_copied_aside_before_the_first_rewrite(tmp_path: Path) -> None:
    original = 'block_height_cm = 0  # my block\nresult_unit = "cm"\n'
    path, settings = load(tmp_path, original)
    assert settings.keep_aside is not None
    kept = settings.keep_aside
    assert f"Your file will be kept as {kept.name}" in settings.problems_text()

    settings.muted = True
    settings.save(path)
    settings.save(path)  # a second save does not copy again (the copy is the user's file)

    assert kept.read_text() == original
    again = Settings.load(path)
    assert again.problems == []
    assert (again.muted, again.result_unit, again.block_height_cm) == (True, "cm", 7.5)
    assert "problems" not in path.read_text() and "keep_aside" not in path.read_text()


def test_a_clean_file_is_never_copied(tmp_path: Path) -> None:
    path, settings = load(tmp_path, "muted = true\n")
    settings.save(path)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("settings")) == [
        "settings.toml"
    ]


def test_a_linked_settings_file_is_saved_through_the_link(tmp_path: Path) -> None:
    # A dotfiles folder links ~/.config/timer-app/settings.toml to its own copy.
    real = tmp_path / "dotfiles" / "settings.toml"
    real.parent.mkdir()
    real.write_text("muted = true\n")
    link = tmp_path / "settings.toml"
    link.symlink_to(real)
    settings = Settings.load(link)
    settings.volume = 0.5
    settings.save(link)
    assert link.is_symlink()
    assert Settings.load(real).volume == 0.5
