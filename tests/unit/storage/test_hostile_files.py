"""A damaged or hostile store or CSV never escapes as a traceback, and what leaves the app
opens safely in a spreadsheet: formula cells neutralised, a lone CR quoted, notes exact."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timer_app.core.results import ResultEntry
from timer_app.core.routine import Routine, Side
from timer_app.core.timeline import Timeline
from timer_app.storage.csv_io import (
    COLUMNS,
    CsvImportError,
    export_csv,
    import_csv,
    neutralise,
    restore,
)
from timer_app.storage.history import History

HOSTILE_NOTES = [
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTAB first",
    "\rCR first",
    "lone\rCR inside",
    "'=already quoted by hand",
    "''=two apostrophes",
    "'twas fine",
    "  spaces around  ",
    "line one\r\nline two\n",
    '"quoted", and, commas',
    "",
]


def _store_with_notes(path: Path, routine: Routine, timeline: Timeline, notes: list[str]) -> None:
    with History(path) as history:
        for note in notes:
            sid = history.start_session(routine, timeline)
            history.end_session(sid, "completed", 10.0, [])
            history.save_results(sid, [ResultEntry(Side.LEFT, 7.5, 1, "blocks", note=note)])


def _export(history: History) -> str:
    out = io.StringIO()
    export_csv(history, out)
    return out.getvalue()


def test_formula_cells_are_neutralised_and_every_note_comes_back_byte_exact(
    tmp_path: Path, routine: Routine, timeline: Timeline
) -> None:
    _store_with_notes(tmp_path / "a.sqlite3", routine, timeline, HOSTILE_NOTES)
    with History(tmp_path / "a.sqlite3") as history:
        text = _export(history)

    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    cells = [row["left_after_note"] for row in rows]
    assert len(rows) == len(HOSTILE_NOTES)  # a lone CR did not split a row
    for cell in cells:  # as a spreadsheet reads them: no formula, no leading tab or CR
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert "'=cmd|' /C calc'!A0" in cells

    with History(tmp_path / "b.sqlite3") as fresh:
        assert import_csv(fresh, io.StringIO(text, newline=""), "x.csv") == len(HOSTILE_NOTES)
        back = sorted(r.results[0].note for r in fresh.sessions())
    assert back == sorted(HOSTILE_NOTES)


@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=30))
@settings(max_examples=300, deadline=None)
def test_neutralise_is_undone_by_restore(cell: str) -> None:
    safe = neutralise(cell)
    assert restore(safe) == cell
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))


def _import_rows(tmp_path: Path, **cells: str) -> str:
    row = {
        "started_at": "2026-01-01T07:00:00+00:00",
        "status": "completed",
        "routine_id": "x",
        "routine_name": "X",
    }
    row.update(cells)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row), lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    with History(tmp_path / "h.sqlite3") as history, pytest.raises(CsvImportError) as info:
        import_csv(history, io.StringIO(out.getvalue(), newline=""), "in.csv")
    with History(tmp_path / "h.sqlite3") as history:
        assert history.sessions() == []  # nothing stored on refusal
    return str(info.value)


def test_cells_nested_100000_deep_are_one_line(tmp_path: Path) -> None:
    message = _import_rows(tmp_path, log="[" * 100_000 + "]" * 100_000)
    assert message == "in.csv: line 2: log: nested too deeply (at most 32 levels)"
    message = _import_rows(tmp_path, routine_snapshot='{"a":' * 50 + "1" + "}" * 50)
    assert message == "in.csv: line 2: routine_snapshot: nested too deeply (at most 32 levels)"


def test_a_date_past_year_9999_in_utc_is_one_line(tmp_path: Path) -> None:
    message = _import_rows(tmp_path, started_at="9999-12-31T23:00:00-14:00")
    assert message == "in.csv: line 2: started_at: out of range: '9999-12-31T23:00:00-14:00'"


# -- a damaged store ---------------------------------------------------------------------


def _damage(path: Path, statement: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(statement)
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("statement", "why"),
    [
        ("PRAGMA user_version = -1", "its schema version is -1"),
        ("DROP TABLE results", "its table 'results' is missing"),
    ],
)
def test_a_damaged_schema_is_set_aside_with_a_notice(
    tmp_path: Path, routine: Routine, timeline: Timeline, statement: str, why: str
) -> None:
    path = tmp_path / "history.sqlite3"
    _store_with_notes(path, routine, timeline, ["kept"])
    _damage(path, statement)

    with History(path) as history:
        assert history.notice is not None and why in history.notice
        assert not history.read_ok and history.on_disk
        sid = history.start_session(routine, timeline)  # the new store works
        history.end_session(sid, "completed", 5.0, [])
    [aside] = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name and p.name.endswith("Z")]
    assert aside.stat().st_size > 0
    with History(path) as again:
        assert again.notice is None and again.read_ok
        assert len(again.sessions()) == 1


def test_a_fifo_in_place_of_the_store_is_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    os.mkfifo(path)
    with History(path) as history:
        assert not history.on_disk and not history.read_ok
        assert history.notice is not None and "is not a regular file" in history.notice
    assert path.is_fifo()  # left alone


def test_columns_are_documented_in_order() -> None:
    # neutralise() must not touch the header: every column name starts with a letter.
    assert all(name[0].isalpha() for name in COLUMNS)


def test_control_characters_leave_imported_routine_names(tmp_path: Path) -> None:
    text = (
        "started_at,status,routine_id,routine_name\n"
        '2026-01-01T07:00:00+00:00,completed,x,"Hip\x1b[2J IR\x07"\n'
    )
    with History(tmp_path / "h.sqlite3") as history:
        assert import_csv(history, io.StringIO(text, newline=""), "in.csv") == 1
        [record] = history.sessions()
    assert record.routine_name == "Hip[2J IR"
