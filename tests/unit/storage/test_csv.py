"""CSV export and import: documented columns, a lossless round trip, malformed files refused."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from timer_app.core.results import ResultEntry
from timer_app.core.routine import Routine, Side
from timer_app.core.timeline import Timeline
from timer_app.storage.csv_io import COLUMNS, CsvImportError, export_csv, import_csv
from timer_app.storage.history import History
from timer_app.storage.records import SessionRecord

from .conftest import WallClock

DOC = Path(__file__).resolve().parents[3] / "docs" / "history-csv.md"


def _fill(history: History, routine: Routine, timeline: Timeline, wall: WallClock) -> None:
    """A varied history: results in every unit, notes with commas, quotes and new lines,
    before and after values, pending results, a stopped and an interrupted session."""
    a = history.start_session(routine, timeline)
    history.update_progress(a, 30, 0.0, 1210.0, [{"t": 0.0, "event": "started", "step": 0}])
    wall.advance(minutes=21)
    history.end_session(a, "completed", 1210.0, [{"t": 0.0, "event": "started", "step": 0}])
    history.save_results(
        a,
        [
            ResultEntry(Side.LEFT, 22.5, 3, "blocks", pain=0, note='felt "tight", then ok'),
            ResultEntry(Side.RIGHT, 26.25, 3.5, "blocks", note="line one\nline two"),
            ResultEntry(Side.LEFT, 15.0, 2, "blocks", when="before"),
            ResultEntry(Side.RIGHT, 25.4, 10, "in", when="before", pain=3, note="genou ½ é"),
        ],
    )
    wall.advance(days=1)
    b = history.start_session(routine, timeline, extra_round_side=Side.LEFT)
    history.end_session(b, "stopped", 95.5, [])
    history.save_results(b, [], pending=True)
    wall.advance(days=1)
    c = history.start_session(routine, timeline)
    history.update_progress(c, 4, 12.25, 250.0, [{"t": 1.5, "event": "paused", "step": 4}])
    wall.advance(days=1)
    d = history.start_session(routine, timeline)
    history.discard(d)


def _export(history: History) -> str:
    out = io.StringIO()
    export_csv(history, out)
    return out.getvalue()


def _comparable(record: SessionRecord) -> tuple[object, ...]:
    """Everything but the row id (which the importing store assigns)."""
    return (
        record.uuid,
        record.routine_id,
        record.routine_name,
        record.snapshot,
        record.started_at,
        record.ended_at,
        record.planned_seconds,
        record.done_seconds,
        record.step_index,
        record.step_elapsed,
        record.extra_round_side,
        record.log,
        record.results,
        record.results_pending,
    )


def test_round_trip_gives_back_the_same_sessions(
    history: History, routine: Routine, timeline: Timeline, wall: WallClock, tmp_path: Path
) -> None:
    _fill(history, routine, timeline, wall)
    text = _export(history)

    with History(tmp_path / "other.sqlite3") as other:
        assert import_csv(other, io.StringIO(text), "export.csv") == 3
        mine = history.sessions()
        theirs = other.sessions()
        assert [_comparable(r) for r in theirs] == [_comparable(r) for r in mine]
        # A session that was running elsewhere can only be an interrupted one here.
        assert [r.status for r in theirs] == ["interrupted", "stopped", "completed"]
        assert other.interrupted() == []
        assert [r.uuid for r in other.pending()] == [r.uuid for r in history.pending()]
        assert theirs[2].routine() == routine
        # And the file exported from the copy is the same file, bar that status.
        assert _export(other) == text.replace(",running,", ",interrupted,")


def test_reimporting_adds_no_duplicates(
    history: History, routine: Routine, timeline: Timeline, wall: WallClock
) -> None:
    _fill(history, routine, timeline, wall)
    before = history.sessions()
    text = _export(history)

    assert import_csv(history, io.StringIO(text), "export.csv") == 0
    assert history.sessions() == before


def test_export_has_the_documented_columns_values_in_cm_and_as_entered(
    history: History, routine: Routine, timeline: Timeline, wall: WallClock
) -> None:
    _fill(history, routine, timeline, wall)
    rows = list(csv.DictReader(io.StringIO(_export(history))))

    assert list(rows[0]) == list(COLUMNS)
    first = rows[0]  # oldest first
    assert first["started_at"] == "2026-03-01T07:30:00+00:00"
    assert first["ended_at"] == "2026-03-01T07:51:00+00:00"
    assert (first["left_after_cm"], first["left_after_entered"], first["left_after_unit"]) == (
        "22.5",
        "3",
        "blocks",
    )
    assert first["right_before_cm"] == "25.4"
    assert first["right_before_unit"] == "in"
    assert first["right_after_note"] == "line one\nline two"
    assert [row["status"] for row in rows] == ["completed", "stopped", "running"]
    for column in COLUMNS:
        assert f"`{column}`" in DOC.read_text(encoding="utf-8"), f"{column} not documented"


def test_export_of_an_empty_history_is_just_the_header(history: History) -> None:
    assert _export(history) == ",".join(COLUMNS) + "\n"


HEADER = "started_at,status,routine_id,routine_name,left_after_cm,right_after_entered,right_after_unit,extra_round_side"  # noqa: E501


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        ("2026-13-01T08:00:00,completed,r,R,20,3,blocks,", 3, "started_at: not a date and time"),
        ("2026-01-01T08:00:00,completed,r,R,twenty,3,blocks,", 3, "left_after_cm: not a number"),
        ("2026-01-01T08:00:00,completed,r,R,20,3,blocks", 3, "expected 8 fields"),
        ("2026-01-01T08:00:00,completed,r,R,20,3,blocks,,extra", 3, "expected 8 fields"),
        ("2026-01-01T08:00:00,completed,r,R,20,3,blocks,middle", 3, "unknown side 'middle'"),
        ("2026-01-01T08:00:00,completed,r,R,20,3,feet,", 3, "right_after_unit: must be"),
        ("2026-01-01T08:00:00,completed,r,R,-4,3,blocks,", 3, "left_after_cm: must be a number"),
        ("2026-01-01T08:00:00,completed,r,R,250,3,blocks,", 3, "value_cm: must be at most 200"),
        ("2026-01-01T08:00:00,finished,r,R,20,3,blocks,", 3, "status: must be one of"),
        (",completed,r,R,20,3,blocks,", 3, "started_at: is required"),
    ],
)
def test_a_malformed_line_is_refused_with_its_line_and_reason_importing_nothing(
    history: History, body: str, line: int, reason: str
) -> None:
    good = "2026-01-01T07:00:00+00:00,completed,r,R,20,3,blocks,left"
    text = f"{HEADER}\n{good}\n{body}\n{good.replace('07:00', '07:30')}\n"

    with pytest.raises(CsvImportError) as caught:
        import_csv(history, io.StringIO(text), "mine.csv")
    assert caught.value.line == line
    assert str(caught.value).startswith(f"mine.csv: line {line}: ")
    assert reason in str(caught.value)
    assert history.sessions() == []


def test_line_numbers_count_notes_spanning_several_lines(history: History) -> None:
    header = "started_at,status,routine_id,routine_name,left_after_cm,left_after_note"
    text = (
        f"{header}\n"
        '2026-01-01T07:00:00Z,completed,r,R,20,"first\nsecond\nthird"\n'
        "2026-01-02T07:00:00Z,completed,r,R,abc,\n"
    )
    with pytest.raises(CsvImportError, match=r"mine\.csv: line 5: left_after_cm: not a number"):
        import_csv(history, io.StringIO(text), "mine.csv")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "line 1: the file is empty"),
        ("started_at,status,routine_id,colour\n", "line 1: unknown column 'colour'"),
        ("started_at,status,routine_id\n", "line 1: missing column(s): routine_name"),
        (
            "started_at,status,status,routine_id,routine_name\n",
            "line 1: column 'status' appears twice",
        ),
    ],
)
def test_a_bad_header_is_refused(history: History, text: str, reason: str) -> None:
    with pytest.raises(CsvImportError, match="^" + re.escape(f"x.csv: {reason}")):
        import_csv(history, io.StringIO(text), "x.csv")


def test_a_duplicate_session_in_one_file_is_refused(
    history: History, routine: Routine, timeline: Timeline, wall: WallClock
) -> None:
    history.start_session(routine, timeline)
    lines = _export(history).splitlines()
    text = "\n".join([lines[0], lines[1], lines[1]]) + "\n"
    with History(history.path.with_name("other.sqlite3")) as other:
        with pytest.raises(CsvImportError, match=r"line 3: session_uuid .* is also on line 2"):
            import_csv(other, io.StringIO(text), "dup.csv")
        assert other.sessions() == []


def test_a_hand_made_file_imports_once_with_values_converted(history: History) -> None:
    text = (
        "\ufeffstarted_at,status,routine_id,routine_name,left_after_entered,left_after_unit,"
        "right_after_cm,right_after_pain\n"
        "2025-06-01 08:00,completed,hip-ir-lying,Hip IR,4,blocks,31.5,2\n"
        "\n"
        "2025-06-02T08:00:00+02:00,stopped,hip-ir-lying,Hip IR,10,in,,\n"
    )
    assert import_csv(history, io.StringIO(text), "old.csv", block_height_cm=8.0) == 2
    assert import_csv(history, io.StringIO(text), "old.csv", block_height_cm=8.0) == 0

    second, first = history.sessions()
    assert first.started_at.isoformat() == "2025-06-01T08:00:00+00:00"  # no offset: UTC
    assert second.started_at.isoformat() == "2025-06-02T06:00:00+00:00"
    assert first.results == (
        ResultEntry(Side.LEFT, 32.0, 4, "blocks"),
        ResultEntry(Side.RIGHT, 31.5, 31.5, "cm", pain=2),
    )
    assert second.results == (ResultEntry(Side.LEFT, 25.4, 10, "in"),)


def test_a_database_failure_during_import_leaves_nothing_behind(
    history: History, routine: Routine, timeline: Timeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        "started_at,status,routine_id,routine_name\n"
        "2025-06-01T08:00:00Z,completed,r,R\n"
        "2025-06-02T08:00:00Z,completed,r,R\n"
    )
    calls = 0
    real_insert = History.insert_record

    def failing_insert(self: History, record: SessionRecord, keep_id: bool = False) -> int:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError("disk full")
        return real_insert(self, record, keep_id)

    monkeypatch.setattr(History, "insert_record", failing_insert)
    with pytest.raises(OSError, match="disk full"):
        import_csv(history, io.StringIO(text), "x.csv")
    assert history.sessions() == []
