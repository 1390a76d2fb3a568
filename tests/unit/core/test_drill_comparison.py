"""The drill comparison on a generated month whose gains are known (no clock, no sleeps:
"now" is a fixed date)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.drill_history import BLOCK_CM, END, LEFT_TREND_PER_DAY, START, month_of_sessions, record
from timer_app.core.drill_comparison import compare_drills
from timer_app.core.drill_table import drill_rows, format_table, verdict
from timer_app.core.routine import Side


def blocks(value_cm: float | None) -> float:
    assert value_cm is not None
    return value_cm / BLOCK_CM


def test_ranked_best_first_by_mean_gain_of_both_sides() -> None:
    comparison = compare_drills(month_of_sessions(), END)
    assert [d.routine_id for d in comparison.drills] == [
        "trailing-leg-ir",  # +2 blocks, but on two sessions only
        "hip-ir-lying",  # (0.5 + 1.0) / 2
        "sleeper-hip-rotation",  # (1.0 + 0.25) / 2
        "quick-hip-check",  # never measured before: last
    ]
    ir = comparison.drills[1]
    assert blocks(ir.mean_gain_cm) == pytest.approx(0.75)
    assert blocks(comparison.drills[2].mean_gain_cm) == pytest.approx(0.625)
    assert comparison.drills[3].mean_gain_cm is None


def test_per_side_gains_and_session_counts() -> None:
    drills = {d.routine_id: d for d in compare_drills(month_of_sessions(), END).drills}
    sleeper = drills["sleeper-hip-rotation"]
    assert sleeper.sessions == 14
    assert sleeper.left.paired_sessions == sleeper.right.paired_sessions == 14
    assert blocks(sleeper.left.mean_gain_cm) == pytest.approx(1.0)
    assert blocks(sleeper.right.mean_gain_cm) == pytest.approx(0.25)
    assert drills["trailing-leg-ir"].sessions == 2
    assert not drills["trailing-leg-ir"].is_reliable
    assert drills["quick-hip-check"].sessions == 0


def test_each_side_learns_which_drill_helps_it_more() -> None:
    comparison = compare_drills(month_of_sessions(), END)
    # The 2-session drill has the biggest gain, but a reliable drill wins the verdict.
    best_left = comparison.best_for(Side.LEFT)
    best_right = comparison.best_for(Side.RIGHT)
    assert best_left is not None and best_left.routine_id == "sleeper-hip-rotation"
    assert best_right is not None and best_right.routine_id == "hip-ir-lying"
    lines = verdict(comparison, "blocks", BLOCK_CM)
    assert lines == [
        "Left side: Sleeper hip rotations, internal and external helps most, +1 block a "
        "session on average (14 sessions).",
        "Right side: Hip internal rotation, lying helps most, +1 block a session on average "
        "(14 sessions).",
    ]


def test_lasting_progress_is_the_before_trend_over_four_weeks() -> None:
    drills = {d.routine_id: d for d in compare_drills(month_of_sessions(), END).drills}
    sleeper = drills["sleeper-hip-rotation"]
    # Sleeper sessions on days 0, 2, ... 26 all fall in the 28-day window: the fitted rise
    # from day 0 to day 26 of 0.05 block a day.
    assert blocks(sleeper.left.before_change_cm) == pytest.approx(26 * LEFT_TREND_PER_DAY)
    assert blocks(sleeper.right.before_change_cm) == pytest.approx(0.0, abs=1e-9)
    # Two weeks later, only the sessions of the last 4 weeks count.
    later = compare_drills(month_of_sessions(), END + timedelta(days=14))
    moved = next(d for d in later.drills if d.routine_id == "sleeper-hip-rotation")
    assert moved.left.before_sessions == 7
    assert blocks(moved.left.before_change_cm) == pytest.approx(12 * LEFT_TREND_PER_DAY)


def test_gap_is_right_minus_left_at_the_latest_session() -> None:
    drills = {d.routine_id: d for d in compare_drills(month_of_sessions(), END).drills}
    ir = drills["hip-ir-lying"]
    # Last IR session is day 27: left 3 + 1.35 + 0.5, right 5.
    assert blocks(ir.gap_cm) == pytest.approx(5.0 - (3.0 + 27 * LEFT_TREND_PER_DAY + 0.5))


def test_sessions_after_as_of_are_ignored() -> None:
    comparison = compare_drills(month_of_sessions(), START + timedelta(days=3, hours=1))
    drills = {d.routine_id: d for d in comparison.drills}
    assert drills["sleeper-hip-rotation"].sessions == 2
    assert drills["hip-ir-lying"].sessions == 2


def test_one_side_only_measured_counts_for_that_side() -> None:
    one_sided = record("hip-ir-lying", START, (3, 4), (4, 4))
    lopsided = one_sided.__class__(
        **{**one_sided.__dict__, "results": tuple(r for r in one_sided.results if r.side == "left")}
    )
    (drill,) = compare_drills([lopsided], END).drills
    assert drill.sessions == 1
    assert drill.left.paired_sessions == 1 and drill.right.paired_sessions == 0
    assert drill.right.mean_gain_cm is None
    assert drill.gap_cm is None


def test_table_rows_in_the_users_unit_flag_few_sessions() -> None:
    rows = {
        r.routine_id: r for r in drill_rows(compare_drills(month_of_sessions(), END), "cm", 7.5)
    }
    assert (rows["sleeper-hip-rotation"].gain_left, rows["sleeper-hip-rotation"].gain_right) == (
        "+7.50",  # two decimals in every unit: a column's numbers line up
        "+1.88",
    )
    assert rows["trailing-leg-ir"].gain_left == "+15.00*"
    assert rows["trailing-leg-ir"].caveat == (
        "the gain rests on 2 sessions: fewer than 3, too few to trust yet"
    )
    assert rows["quick-hip-check"].gain_left == "–"
    assert rows["quick-hip-check"].rank == ""
    assert rows["hip-ir-lying"].caveat == ""


def test_plain_text_table_one_routine_per_line() -> None:
    text = format_table(compare_drills(month_of_sessions(), END), "blocks", BLOCK_CM)
    lines = text.splitlines()
    assert "heights in blocks" in lines[0]
    ir = next(line for line in lines if " hip-ir-lying " in line)
    assert ir.split()[:2] == ["2", "hip-ir-lying"]
    assert "Hip internal rotation, lying" in ir
    assert ir.split()[7:9] == ["+0.50", "+1.00"]  # sessions 14, then the gains
    assert "* rests on fewer than 3 sessions: too few to trust yet." in lines
    assert (
        "trailing-leg-ir: the gain rests on 2 sessions: fewer than 3, too few to trust yet."
        in lines
    )


def test_no_sessions_says_so() -> None:
    comparison = compare_drills([], END)
    assert (
        format_table(comparison, "blocks", BLOCK_CM).splitlines()[1] == "No sessions recorded yet."
    )
    assert verdict(comparison, "blocks", BLOCK_CM)[0].startswith("No session is measured")


def test_a_side_short_of_sessions_is_named_plainly() -> None:
    sessions = [record("hip-ir-lying", START + timedelta(days=d), (3, 4), (4, 5)) for d in range(4)]
    # The right side measured before and after in one session only.
    lopsided = [
        s.__class__(
            **{
                **s.__dict__,
                "results": tuple(
                    r for r in s.results if r.side == "left" or r.when == "after" or i == 0
                ),
            }
        )
        for i, s in enumerate(sessions)
    ]
    (drill,) = compare_drills(lopsided, END).drills
    assert (drill.left.paired_sessions, drill.right.paired_sessions) == (4, 1)
    (row,) = drill_rows(compare_drills(lopsided, END), "blocks", BLOCK_CM)
    assert row.caveat == "the right gain rests on 1 session, too few to trust yet"
    assert (row.gain_left, row.gain_right) == ("+1.00", "+1.00*")
    left_only = [
        s.__class__(**{**s.__dict__, "results": tuple(r for r in s.results if r.side == "left")})
        for s in sessions
    ]
    (row,) = drill_rows(compare_drills(left_only, END), "blocks", BLOCK_CM)
    assert row.caveat == "the right side was never measured before and after"
