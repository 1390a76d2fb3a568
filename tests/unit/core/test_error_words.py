"""Routine problems in the user's words: 1-based named phases, values quoted as written."""

from __future__ import annotations

import tomllib

from timer_app.core.error_words import in_user_terms

DATA = tomllib.loads(
    """
[main]
rounds = 0
[[main.phases]]
kind = "passive"
seconds = -5
[[main.phases]]
kind = "pail"
name = "Press down"
seconds = 20
[[main.phases]]
kind = "stretch"
"""
)


def test_phases_are_numbered_from_one_with_their_names() -> None:
    assert (
        in_user_terms("a.toml: main.phases[0].seconds: must be 1..3600, got -5", DATA)
        == 'a.toml: phase 1 (Passive hold), seconds: must be 1..3600, got "-5"'
    )
    assert in_user_terms("a.toml: main.phases[1].ramp.to: must be 1..100, got 150", DATA) == (
        'a.toml: phase 2 (Press down), ramp.to: must be 1..100, got "150"'
    )
    assert in_user_terms(
        "a.toml: main.phases[2].kind: must be one of 'pail', got 'stretch'", DATA
    ) == ("a.toml: phase 3 (stretch), kind: must be one of 'pail', got \"stretch\"")


def test_a_phase_beyond_the_data_still_gets_its_number() -> None:
    assert in_user_terms("a.toml: main.phases[7]: must be a table, got a list", None) == (
        "a.toml: phase 8: must be a table, got a list"
    )


def test_program_paths_become_plain_words_and_counts_stay_counts() -> None:
    assert in_user_terms("a.toml: main.rounds: must be 1..20, got 0") == (
        'a.toml: rounds: must be 1..20, got "0"'
    )
    assert in_user_terms("a.toml: warmup.reps: must be 1..20, got 0") == (
        'a.toml: warm-up, reps: must be 1..20, got "0"'
    )
    assert in_user_terms("a.toml: name: must be at most 200 characters, got 250") == (
        "a.toml: name: must be at most 200 characters, got 250"
    )
    assert in_user_terms("a.toml: main.phases: must have at most 50 phases, got 51") == (
        "a.toml: phases: must have at most 50 phases, got 51"
    )
