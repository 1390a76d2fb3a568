"""CSV export and import of the history. The columns are documented in docs/history-csv.md.

One row per session, oldest first, so a spreadsheet shows left against right side by side.
Each result has its value in cm (canonical) and as entered (value and unit). The session's
routine snapshot and log are JSON columns at the end, so a file exported here imports back
to the same data. ``session_uuid`` is the stable key: re-importing a file adds nothing twice.

Import is all or nothing: every row is checked first, and the first problem is raised as a
:class:`CsvImportError` naming the file, the line and the reason; only a file without problems
is written, in one transaction. :func:`import_history` is the one entry the command line and the
history window both use, so a file gives the same centimetres from either.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from timer_app.core.results import ResultEntry, When
from timer_app.core.routine import Side
from timer_app.core.routine_file import clean_text
from timer_app.core.safe_read import MAX_NESTING, nesting_depth, read_text
from timer_app.core.units import DEFAULT_BLOCK_HEIGHT_CM, UNITS, Unit, to_cm
from timer_app.storage.records import SessionRecord, SessionStatus

if TYPE_CHECKING:
    from timer_app.storage.history import History

T = TypeVar("T")


class CsvImportError(ValueError):
    """A CSV file could not be imported. The message names the file, the line and the
    reason, e.g. ``old.csv: line 7: started_at: not a date: '2024-13-01'``; nothing was
    imported."""

    def __init__(self, source: str, line: int, reason: str) -> None:
        super().__init__(f"{source}: line {line}: {reason}")
        self.source = source
        self.line = line
        self.reason = reason


#: The four results a session can have, in column order.
RESULT_SLOTS = (("left", "after"), ("right", "after"), ("left", "before"), ("right", "before"))
RESULT_FIELDS = ("cm", "entered", "unit", "pain", "note")

SESSION_COLUMNS = (
    "session_uuid",
    "started_at",
    "ended_at",
    "status",
    "routine_id",
    "routine_name",
    "planned_seconds",
    "done_seconds",
)
RESULT_COLUMNS = tuple(
    f"{side}_{when}_{name}" for side, when in RESULT_SLOTS for name in RESULT_FIELDS
)
TAIL_COLUMNS = (
    "results_pending",
    "step_index",
    "step_elapsed",
    "extra_round_side",
    "routine_snapshot",
    "log",
)
COLUMNS = SESSION_COLUMNS + RESULT_COLUMNS + TAIL_COLUMNS
#: Columns a hand-made file must have; the others may be left out.
REQUIRED_COLUMNS = ("started_at", "status", "routine_id", "routine_name")

# Keys from files without a session_uuid column are derived from the content, so importing
# the same hand-made file twice still adds nothing twice.
_UUID_NAMESPACE = uuid.UUID("6f1c1f8e-3f57-4a53-9d0e-6a1e3c1b7d21")
_UUID_PATTERN = re.compile(r"^[A-Za-z0-9-]{1,64}$")

#: A history CSV of 20 years with logs is ~20 MB; far more is not one of ours (and would be
#: held in memory whole while it is checked).
MAX_CSV_BYTES = 128 * 1024 * 1024

# A long session's log can exceed csv's default 128 KiB field limit.
csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))


# -- export ---------------------------------------------------------------------------------


def _number(value: float) -> str:
    """Shortest text that reads back to the same float; whole numbers without ".0"."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _time(value: datetime | None) -> str:
    return "" if value is None else value.astimezone(UTC).isoformat(timespec="seconds")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


#: A spreadsheet reads a cell starting with one of these as a formula (or, for tab and CR,
#: may trim it): ``=cmd|' /C calc'!A0`` in a note must stay text. Such a cell is exported
#: with a leading apostrophe, the spreadsheet convention for "this is text".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTED_STARTS = (*FORMULA_STARTS, "'")


def neutralise(cell: str) -> str:
    """``cell`` safe to open in a spreadsheet: an apostrophe before a formula start (and
    before an apostrophe that precedes one, so :func:`restore` gives back any text)."""
    if cell.startswith(FORMULA_STARTS) or (cell.startswith("'") and cell[1:2] in _QUOTED_STARTS):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """The inverse of :func:`neutralise` (what import applies to every cell)."""
    if cell.startswith("'") and cell[1:2] in _QUOTED_STARTS and cell[1:2]:
        return cell[1:]
    return cell


def session_row(record: SessionRecord) -> dict[str, str]:
    """One session as CSV cells (column name to text)."""
    row = {
        "session_uuid": record.uuid,
        "started_at": _time(record.started_at),
        "ended_at": _time(record.ended_at),
        "status": str(record.status),
        "routine_id": record.routine_id,
        "routine_name": record.routine_name,
        "planned_seconds": _number(record.planned_seconds),
        "done_seconds": _number(record.done_seconds),
        "results_pending": "1" if record.results_pending else "0",
        "step_index": str(record.step_index),
        "step_elapsed": _number(record.step_elapsed),
        "extra_round_side": record.extra_round_side.value if record.extra_round_side else "",
        "routine_snapshot": record.snapshot_json(),
        "log": record.log_json(),
    }
    for side, when in RESULT_SLOTS:
        entry = record.result(Side(side), when)
        prefix = f"{side}_{when}_"
        row[prefix + "cm"] = "" if entry is None else _number(entry.value_cm)
        row[prefix + "entered"] = "" if entry is None else _number(entry.entered_value)
        row[prefix + "unit"] = "" if entry is None else entry.unit
        row[prefix + "pain"] = "" if entry is None or entry.pain is None else str(entry.pain)
        row[prefix + "note"] = "" if entry is None else entry.note
    return row


def export_csv(history: History, out: TextIO) -> int:
    """Write every session (with its results) as CSV; return the number of data rows.
    Discarded sessions are left out. Columns are documented in docs/history-csv.md.
    Cells a spreadsheet would take for formulas are neutralised (:func:`neutralise`)."""
    writer = csv.writer(out, lineterminator="\n")
    # The csv module quotes a cell with a line feed but not one with a lone CR (our line
    # terminator is "\n"), and a bare CR would end the row for a reader: rows with a CR
    # are written with every cell quoted.
    quoting_writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    count = 0
    for record in reversed(history.sessions()):
        row = session_row(record)
        cells = [neutralise(row[column]) for column in COLUMNS]
        (quoting_writer if any("\r" in cell for cell in cells) else writer).writerow(cells)
        count += 1
    return count


# -- import ---------------------------------------------------------------------------------


class _RowError(Exception):
    """A problem in one cell; the caller adds the file and line."""


def _cell(row: dict[str, str], column: str) -> str:
    return row.get(column, "").strip()


def _required(row: dict[str, str], column: str) -> str:
    value = _cell(row, column)
    if not value:
        raise _RowError(f"{column}: is required")
    return value


def _parse_time(column: str, text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
        # A time without an offset (e.g. retyped in a spreadsheet) is taken as UTC.
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except ValueError:
        raise _RowError(
            f"{column}: not a date and time: {text!r} (expected e.g. 2026-11-26T07:30:00+00:00)"
        ) from None
    except OverflowError:  # e.g. 9999-12-31T23:00:00-14:00 is past the year 9999 in UTC
        raise _RowError(f"{column}: out of range: {text!r}") from None


def _parse_number(column: str, text: str, default: float | None = None) -> float:
    if not text:
        if default is None:
            raise _RowError(f"{column}: is required")
        return default
    try:
        value = float(text)
    except ValueError:
        raise _RowError(f"{column}: not a number: {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise _RowError(f"{column}: must be a number 0 or more, got {text!r}")
    return value


def _parse_int(column: str, text: str, low: int, high: int, default: int | None) -> int | None:
    if not text:
        return default
    if not re.fullmatch(r"[0-9]+", text) or not low <= int(text) <= high:
        raise _RowError(f"{column}: must be a whole number {low}-{high}, got {text!r}")
    return int(text)


def _parse_json(column: str, text: str, kind: type[T], empty: T) -> T:
    if not text:
        return empty
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _RowError(f"{column}: not valid JSON ({exc.msg} at character {exc.pos})") from None
    except RecursionError:
        raise _RowError(f"{column}: nested too deeply (at most {MAX_NESTING} levels)") from None
    if nesting_depth(value) > MAX_NESTING:
        raise _RowError(f"{column}: nested too deeply (at most {MAX_NESTING} levels)")
    if not isinstance(value, kind):
        raise _RowError(f"{column}: must be a JSON {'object' if kind is dict else 'list'}")
    return value


def _parse_result(
    row: dict[str, str], side: str, when: str, block_height_cm: float
) -> ResultEntry | None:
    prefix = f"{side}_{when}_"
    # A note comes back exactly as written (spaces included); the other cells are trimmed.
    cells = {
        name: row.get(prefix + name, "") if name == "note" else _cell(row, prefix + name)
        for name in RESULT_FIELDS
    }
    if not any(value.strip() for value in cells.values()):
        return None
    unit_text = cells["unit"] or Unit.CM.value
    if unit_text not in UNITS:
        raise _RowError(f"{prefix}unit: must be blocks, cm or in, got {unit_text!r}")
    unit = Unit(unit_text)
    if not cells["cm"] and not cells["entered"]:
        raise _RowError(f"{prefix}cm: is required when the result has other cells filled in")
    if cells["cm"]:
        cm = _parse_number(prefix + "cm", cells["cm"])
        entered = _parse_number(prefix + "entered", cells["entered"]) if cells["entered"] else cm
    else:
        entered = _parse_number(prefix + "entered", cells["entered"])
        cm = to_cm(entered, unit, block_height_cm)
    try:
        return ResultEntry(
            side=Side(side),
            value_cm=cm,
            entered_value=entered,
            unit=unit,
            when=When(when),
            pain=_parse_int(prefix + "pain", cells["pain"], 0, 10, None),
            note=cells["note"],
        )
    except ValueError as exc:
        raise _RowError(f"{prefix}{exc}") from None


def _visible_name(text: str) -> str:
    name = clean_text(text, multiline=False).strip()
    if not name:
        raise _RowError(f"routine_name: has no visible characters: {text!r}")
    return name


def _parse_session(
    row: dict[str, str], block_height_cm: float, snapshots: dict[str, dict[str, Any]]
) -> SessionRecord:
    started = _parse_time("started_at", _required(row, "started_at"))
    ended_text = _cell(row, "ended_at")
    ended = _parse_time("ended_at", ended_text) if ended_text else None
    if ended is not None and ended < started:
        raise _RowError(f"ended_at: {ended_text!r} is before started_at")
    status_text = _required(row, "status")
    try:
        status = SessionStatus(status_text)
    except ValueError:
        allowed = ", ".join(s.value for s in SessionStatus)
        raise _RowError(f"status: must be one of {allowed}, got {status_text!r}") from None
    if status is SessionStatus.RUNNING:
        # Running in another run or on another machine: here it can only be an interrupted one.
        status = SessionStatus.INTERRUPTED
    routine_id = _required(row, "routine_id")
    key = _cell(row, "session_uuid")
    if not key:
        key = str(uuid.uuid5(_UUID_NAMESPACE, f"{routine_id}|{started.isoformat()}"))
    elif not _UUID_PATTERN.match(key):
        raise _RowError(f"session_uuid: must be 1-64 letters, digits or '-', got {key!r}")
    extra_text = _cell(row, "extra_round_side")
    if extra_text and extra_text not in ("left", "right"):
        raise _RowError(f"extra_round_side: unknown side {extra_text!r} (expected left or right)")
    pending_text = _cell(row, "results_pending").lower()
    if pending_text not in ("", "0", "1", "true", "false"):
        raise _RowError(f"results_pending: must be 0 or 1, got {pending_text!r}")
    results = tuple(
        entry
        for side, when in RESULT_SLOTS
        if (entry := _parse_result(row, side, when, block_height_cm)) is not None
    )
    step_index = _parse_int("step_index", _cell(row, "step_index"), 0, 100_000, 0)
    # Thousands of rows repeat a few snapshots: decode each distinct text once (shared,
    # read-only, like the store's own records).
    snapshot_text = _cell(row, "routine_snapshot")
    snapshot = snapshots.get(snapshot_text)
    if snapshot is None:
        snapshot = _parse_json("routine_snapshot", snapshot_text, dict, {})
        snapshots[snapshot_text] = snapshot
    session_log: list[Any] = _parse_json("log", _cell(row, "log"), list, [])
    return SessionRecord(
        id=0,
        uuid=key,
        routine_id=routine_id,
        # As routine files' names are: no control characters reach a label or terminal.
        routine_name=_visible_name(_required(row, "routine_name")),
        snapshot=snapshot,
        started_at=started,
        ended_at=ended,
        status=status.value,
        planned_seconds=_parse_number("planned_seconds", _cell(row, "planned_seconds"), 0.0),
        done_seconds=_parse_number("done_seconds", _cell(row, "done_seconds"), 0.0),
        step_index=step_index or 0,
        step_elapsed=_parse_number("step_elapsed", _cell(row, "step_elapsed"), 0.0),
        extra_round_side=Side(extra_text) if extra_text else None,
        log=session_log,
        results=results,
        results_pending=pending_text in ("1", "true"),
    )


def _records(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Rows with the line each starts on (a quoted note may span several lines)."""
    line = 1
    for row in reader:
        yield line, row
        line = reader.line_num + 1  # type: ignore[attr-defined]


def read_csv(
    src: TextIO, source_name: str, block_height_cm: float = DEFAULT_BLOCK_HEIGHT_CM
) -> list[SessionRecord]:
    """Parse and check a whole file; raise CsvImportError for the first problem."""
    reader = csv.reader(src)
    rows = _records(reader)
    try:
        header: list[str] | None = None
        records: list[SessionRecord] = []
        lines_by_uuid: dict[str, int] = {}
        snapshots: dict[str, dict[str, Any]] = {}
        for line, cells in rows:
            if header is None:
                header = _check_header(source_name, line, cells)
                continue
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue  # blank line
            if len(cells) != len(header):
                raise CsvImportError(
                    source_name,
                    line,
                    f"expected {len(header)} fields like the header, got {len(cells)}",
                )
            try:
                row = dict(zip(header, map(restore, cells), strict=True))
                record = _parse_session(row, block_height_cm, snapshots)
            except _RowError as exc:
                raise CsvImportError(source_name, line, str(exc)) from None
            if record.uuid in lines_by_uuid:
                raise CsvImportError(
                    source_name,
                    line,
                    f"session_uuid {record.uuid!r} is also on line {lines_by_uuid[record.uuid]}",
                )
            lines_by_uuid[record.uuid] = line
            records.append(record)
    except csv.Error as exc:
        raise CsvImportError(source_name, reader.line_num, f"not valid CSV: {exc}") from None
    except UnicodeDecodeError as exc:
        raise CsvImportError(source_name, reader.line_num + 1, f"not UTF-8 text: {exc}") from None
    if header is None:
        raise CsvImportError(source_name, 1, "the file is empty (no header row)")
    return records


def _check_header(source_name: str, line: int, cells: list[str]) -> list[str]:
    names = [cell.strip() for cell in cells]
    if names:
        names[0] = names[0].removeprefix("\ufeff")  # a byte-order mark from a spreadsheet
    known = set(COLUMNS)
    for name in names:
        if name not in known:
            raise CsvImportError(
                source_name, line, f"unknown column {name!r} (see docs/history-csv.md)"
            )
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise CsvImportError(source_name, line, f"column {duplicates[0]!r} appears twice")
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise CsvImportError(source_name, line, f"missing column(s): {', '.join(missing)}")
    return names


def import_csv(
    history: History,
    src: TextIO,
    source_name: str,
    block_height_cm: float = DEFAULT_BLOCK_HEIGHT_CM,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Import a CSV written by :func:`export_csv`, all or nothing; return the number of
    sessions added (already present ones, by uuid, are skipped). Raises
    :class:`CsvImportError` naming the file, line and reason. ``block_height_cm`` converts
    results given only in blocks (a hand-made file without the ``_cm`` cells)."""
    records = read_csv(src, source_name, block_height_cm)
    added = 0
    with history.batch():
        for record in records:
            if history.has_uuid(record.uuid):
                continue
            history.insert_record(record)
            added += 1
            if on_progress is not None:
                on_progress(added)
    return added


def import_history(
    history: History,
    path: str | Path,
    block_height_cm: float,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Import the CSV file at ``path``: what ``--import-csv`` and the history window's
    Import both call, so the same file gives the same numbers. ``block_height_cm`` is the
    user's block setting (for results given only in blocks). Returns the sessions added.

    The file is read with limits (a regular file of at most :data:`MAX_CSV_BYTES`, UTF-8; a
    FIFO or device is refused without waiting on it). Raises :class:`CsvImportError` (a bad
    cell, named by file and line; the message uses the file's name as given), or
    :class:`~timer_app.core.safe_read.FileReadError` when the file cannot be read; nothing is
    imported then. A byte-order mark (a file re-saved by a spreadsheet) is skipped.
    """
    text = read_text(path, MAX_CSV_BYTES, str(path))
    return import_csv(
        history, io.StringIO(text, newline=""), str(path), block_height_cm, on_progress
    )
