"""Reliability figures: SIGKILL loop survived, malformed routine and CSV files refused cleanly.

* **kill -9 loop**: the writer of ``tests/e2e/test_kill_writer.py`` (starts sessions, saves
  progress and results, confirms each committed call on stdout) is killed with SIGKILL at
  random moments, on three store files in turn (one kill in five right after the spawn, so the
  creation and migration of a store get interrupted too). After every kill the file must pass
  ``PRAGMA integrity_check`` and hold every result, progress and end the writer confirmed; at
  the end each store reopens through :class:`History` without being set aside.
* **malformed routine files**: hypothesis mutates the shipped routine files (byte flips,
  truncations, values of the wrong type, unknown keys, random TOML values, random documents)
  and feeds them to ``load_routine`` / ``parse_routine_text``. Only ``RoutineError`` may
  come out.
* **malformed CSV files**: hypothesis mutates a valid export (byte flips, truncations, cells
  of the wrong type, random rows, unknown, missing or doubled columns) and imports it into a
  store with sessions in it. Only ``CsvImportError`` may come out, and a refused import must
  leave the store byte-for-byte unchanged (every table compared).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, Tally, hypothesis_settings

ROUTINES = REPO / "routines"
KILLS = 120
EXAMPLES = 1200
LANES = 3


# ------------------------------------------------------------------------ kill -9 loop
def _check_lane(path: Path, lines: list[str]) -> str | None:
    """None if ``path`` is intact and holds everything its writer confirmed, else why not."""
    from tests.e2e.test_kill_writer import _values

    if not path.exists():
        return None if not any(line.startswith("started") for line in lines) else "file gone"
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            return "integrity_check failed"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "sessions" not in tables:
            return None if not lines else "no sessions table after confirmed writes"
        results = {
            (sid, side): (cm, note, pain)
            for sid, side, cm, note, pain in conn.execute(
                "SELECT session_id, side, value_cm, note, pain FROM results"
            )
        }
        sessions = {
            sid: (status, step)
            for sid, status, step in conn.execute("SELECT id, status, step_index FROM sessions")
        }
    finally:
        conn.close()
    for line in lines:
        word = line.split()
        if word[0] == "notice":
            return f"store set aside: {line.strip()}"
        if word[0] == "started" and int(word[1]) not in sessions:
            return f"lost {line.strip()}"
        if word[0] == "progress" and sessions[int(word[1])][1] < int(word[2]):
            return f"lost {line.strip()}"
        if word[0] == "confirmed":
            sid = int(word[1])
            left, right = _values(sid)
            if results.get((sid, "left")) != (left, f"session {sid}", None) or results.get(
                (sid, "right")
            ) != (right, "", sid % 11):
                return f"lost {line.strip()}"
        if word[0] == "ended" and sessions[int(word[1])][0] != "completed":
            return f"lost {line.strip()}"
    return None


def kill_loop(kills: int, seed: int = 7) -> dict[str, Any]:
    from tests.e2e.test_kill_writer import _run_and_kill, kill_moment
    from timer_app.storage.history import History

    rng = random.Random(seed)
    survived = 0
    confirmed = 0
    failure = None
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kill-bench-") as folder:
        paths = [Path(folder) / f"lane{n}" / "history.sqlite3" for n in range(LANES)]
        lines: dict[Path, list[str]] = {path: [] for path in paths}
        for kill in range(kills):
            path = paths[kill % LANES]
            new = _run_and_kill(path, *kill_moment(rng, kill))
            lines[path] += new
            confirmed += sum(1 for line in new if line.startswith("confirmed"))
            failure = _check_lane(path, lines[path])
            if failure:
                failure = f"after kill {kill + 1}: {failure}"
                break
            survived += 1
        reopen_notices = []
        for path in paths:
            if path.exists():
                with History(path) as history:
                    if history.notice:
                        reopen_notices.append(history.notice)
    return {
        "kills": kills,
        "survived": survived,
        "confirmed_results": confirmed,
        "failure": failure,
        "reopen_notices": reopen_notices,
        "seconds": round(time.monotonic() - started, 1),
    }


# ------------------------------------------------------------------- routine fuzz helpers
def _flip_bytes(data: bytes, draw: Any, st: Any) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        pos = draw(st.integers(0, len(out) - 1))
        out[pos] = draw(st.integers(0, 255))
    return bytes(out)


def _toml_values(st: Any) -> Any:
    from datetime import UTC, date, datetime

    scalars = st.one_of(
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=30),
        st.booleans(),
        st.dates(min_value=date(1, 1, 1)),
        st.datetimes(timezones=st.just(UTC)).filter(lambda d: isinstance(d, datetime)),
    )
    keys = st.text(min_size=1, max_size=12)
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)
        ),
        max_leaves=10,
    )


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path in a parsed TOML document (list indices included)."""
    found: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((*prefix, key))
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.append((*prefix, index))
            found.extend(_paths(item, (*prefix, index)))
    return found


def _container(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        doc = doc[key]
    return doc


# ---------------------------------------------------------------------- routine fuzzing
ROUTINE_MUTATIONS = (
    "deep_nesting",
    "control_chars",
    "byte_flip",
    "truncate",
    "wrong_type",
    "unknown_key",
    "delete_key",
    "random_document",
    "line_shuffle",
)


def fuzz_routines(examples: int) -> dict[str, Any]:
    import tomllib

    import tomli_w
    from hypothesis import given
    from hypothesis import strategies as st

    from timer_app.core.routine_file import RoutineError, load_routine, parse_routine_text

    bases = [p.read_bytes() for p in sorted(ROUTINES.glob("*.toml"))]
    docs = [tomllib.loads(b.decode()) for b in bases]
    tally = Tally()
    folder = Path(tempfile.mkdtemp(prefix="routine-fuzz-"))
    target = folder / "fuzzed.toml"

    def attempt(kind: str, data: bytes | None = None, text: str | None = None) -> None:
        tally.kinds[kind] += 1
        try:
            if data is not None:
                target.write_bytes(data)
                load_routine(target)
            else:
                assert text is not None
                parse_routine_text(text, "fuzzed.toml")
            tally.outcomes["accepted"] += 1
        except RoutineError:
            tally.outcomes["RoutineError"] += 1
        except Exception as exc:  # the point: anything else is a bug
            tally.outcomes[type(exc).__name__] += 1
            tally.bad(kind, f"{type(exc).__name__}: {exc}")

    @hypothesis_settings(examples)
    @given(st.data())
    def example(data: Any) -> None:
        draw = data.draw
        which = draw(st.integers(0, len(bases) - 1))
        base, doc = bases[which], json.loads(json.dumps(docs[which]))
        kind = draw(st.sampled_from(ROUTINE_MUTATIONS))
        if kind == "deep_nesting":  # a small file that once exhausted the stack
            depth = draw(st.integers(30, 5000))
            key = draw(st.sampled_from(["a", "main", "name", "warmup"]))
            opener, closer = draw(st.sampled_from([("[", "]"), ("{x=", "}")]))
            attempt(kind, data=f"{key} = {opener * depth}1{closer * depth}\n".encode())
        elif kind == "control_chars":  # names must reach the screen without them
            name = draw(st.text(st.characters(max_codepoint=0x20AF), min_size=1, max_size=20))
            doc["name"] = name
            text = _dumps(tomli_w, doc)
            tally.kinds[kind] += 1
            try:
                routine = parse_routine_text(text, "fuzzed.toml")
            except RoutineError:
                tally.outcomes["RoutineError"] += 1
                return
            except Exception as exc:
                tally.outcomes[type(exc).__name__] += 1
                tally.bad(kind, f"{type(exc).__name__}: {exc}")
                return
            tally.outcomes["accepted"] += 1
            kept = [c for c in routine.name if _is_control(c)]
            if kept:
                tally.bad(kind, f"control characters kept in the name: {routine.name!r}")
        elif kind == "byte_flip":
            attempt(kind, data=_flip_bytes(base, draw, st))
        elif kind == "truncate":
            attempt(kind, data=base[: draw(st.integers(0, len(base)))])
        elif kind == "line_shuffle":
            lines = base.decode().splitlines()
            attempt(kind, text="\n".join(draw(st.permutations(lines))))
        elif kind == "random_document":
            value = draw(st.dictionaries(st.text(min_size=1, max_size=10), _toml_values(st)))
            if draw(st.booleans()):
                value.update(schema=1, id="x", name="x")
            attempt(kind, text=_dumps(tomli_w, value))
        else:
            paths = _paths(doc)
            path = draw(st.sampled_from(paths))
            holder = _container(doc, path)
            if kind == "wrong_type":
                holder[path[-1]] = draw(_toml_values(st))
            elif kind == "delete_key":
                del holder[path[-1]]
            else:  # unknown_key: into the table at (or holding) the path
                table = holder if isinstance(holder, dict) else doc
                table[draw(st.text(min_size=1, max_size=12))] = draw(_toml_values(st))
            attempt(kind, text=_dumps(tomli_w, doc))

    started = time.monotonic()
    example()
    return tally.summary(started)


def _is_control(char: str) -> bool:
    """A character that must not reach a label or terminal from a name: C0/C1 controls,
    DEL, and the bidirectional overrides and isolates."""
    code = ord(char)
    return (
        code < 0x20 or 0x7F <= code <= 0x9F or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069
    )


def _dumps(tomli_w: Any, value: Any) -> str:
    """TOML text for ``value``; values TOML cannot hold (None, NaN keys...) become text."""
    try:
        return str(tomli_w.dumps(value))
    except (TypeError, ValueError):
        return json.dumps(value, default=str)  # not TOML at all: also a malformed file


# -------------------------------------------------------------------------- CSV fuzzing
CSV_MUTATIONS = (
    "deep_json",
    "extreme_date",
    "byte_flip",
    "truncate",
    "wrong_type",
    "random_rows",
    "unknown_column",
    "drop_column",
    "double_column",
    "duplicate_row",
)


def _store_digest(path: Path) -> str:
    """A digest of every table's rows, read through a separate connection."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for line in conn.iterdump():
            digest.update(line.encode())
        return digest.hexdigest()
    finally:
        conn.close()


def _base_csv(folder: Path) -> str:
    from benchmarks.history_scale import build
    from timer_app.storage.csv_io import export_csv
    from timer_app.storage.history import History

    source = folder / "source.sqlite3"
    build(source, 6)
    out = io.StringIO()
    with History(source) as history:
        export_csv(history, out)
    return out.getvalue()


def fuzz_csv(examples: int) -> dict[str, Any]:
    from hypothesis import given
    from hypothesis import strategies as st

    from timer_app.storage.csv_io import CsvImportError, import_csv
    from timer_app.storage.history import History

    folder = Path(tempfile.mkdtemp(prefix="csv-fuzz-"))
    text = _base_csv(folder)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    store_path = folder / "target.sqlite3"
    store = History(store_path)
    # Some sessions already in it, so duplicates and "unchanged" mean something.
    import_csv(store, io.StringIO(_csv_text([header, *body[:2]])), "seed.csv")
    tally = Tally()
    cells = st.one_of(
        st.text(max_size=20),
        st.integers().map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.sampled_from(["", "null", "[]", "{}", '{"a": 1}', "NaN", "-1", "1e309", "left"]),
        st.datetimes().map(lambda d: d.isoformat()),
    )

    def attempt(kind: str, data: bytes) -> None:
        tally.kinds[kind] += 1
        before = _store_digest(store_path)
        try:
            src = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
            added = import_csv(store, src, "fuzzed.csv")
            tally.outcomes["accepted" if added else "accepted, nothing new"] += 1
        except CsvImportError:
            tally.outcomes["CsvImportError"] += 1
            if _store_digest(store_path) != before:
                tally.bad(kind, "the store changed after a refused import")
        except Exception as exc:  # the point: anything else is a bug
            tally.outcomes[type(exc).__name__] += 1
            tally.bad(kind, f"{type(exc).__name__}: {exc}")

    @hypothesis_settings(examples)
    @given(st.data())
    def example(data: Any) -> None:
        draw = data.draw
        kind = draw(st.sampled_from(CSV_MUTATIONS))
        table = [list(header), *(list(r) for r in body)]
        if kind == "byte_flip":
            attempt(kind, _flip_bytes(text.encode(), draw, st))
            return
        if kind == "truncate":
            raw = text.encode()
            attempt(kind, raw[: draw(st.integers(0, len(raw)))])
            return
        if kind == "deep_json":  # JSON cells once escaped as RecursionError
            depth = draw(st.integers(30, 100_000))
            column = header.index(draw(st.sampled_from(["routine_snapshot", "log"])))
            opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
            table[draw(st.integers(1, len(table) - 1))][column] = (
                opener * depth + "1" + closer * depth
            )
        elif kind == "extreme_date":  # dates once escaped as OverflowError
            column = header.index(draw(st.sampled_from(["started_at", "ended_at"])))
            table[draw(st.integers(1, len(table) - 1))][column] = draw(
                st.sampled_from(
                    [
                        "9999-12-31T23:00:00-14:00",
                        "0001-01-01T00:00:00+14:00",
                        "9999-12-31T23:59:59-00:01",
                        "0001-01-01T00:30:00+01:00",
                    ]
                )
            )
        elif kind == "wrong_type":
            for _ in range(draw(st.integers(1, 3))):
                row = draw(st.integers(1, len(table) - 1))
                col = draw(st.integers(0, len(header) - 1))
                table[row][col] = draw(cells)
        elif kind == "random_rows":
            width = st.integers(0, len(header) + 2)
            for _ in range(draw(st.integers(1, 3))):
                row = draw(st.lists(cells, min_size=len(header), max_size=len(header)))
                if draw(st.booleans()):
                    row = draw(st.lists(cells, max_size=draw(width)))
                table.insert(draw(st.integers(1, len(table))), row)
        elif kind == "unknown_column":
            for row in table:
                row.append(draw(cells) if row is not table[0] else draw(st.text(max_size=10)))
        elif kind in ("drop_column", "double_column"):
            col = draw(st.integers(0, len(header) - 1))
            for row in table:
                if kind == "drop_column":
                    del row[col]
                else:
                    row.append(row[col])
        else:  # duplicate_row
            table.append(list(table[draw(st.integers(1, len(table) - 1))]))
        attempt(kind, _csv_text(table).encode())

    started = time.monotonic()
    try:
        example()
    finally:
        store.close()
    return tally.summary(started)


def _csv_text(table: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue()


# ------------------------------------------------------------- references to None lost
NONE_PROBE = r"""
import json, sys, time
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])
from timer_app.core.routine_file import load_routine
from timer_app.core.timeline import build_timeline
from tests.helpers.speaker import RecordingSpeaker
from timer_app.ui.session_controller import SessionController
from timer_app.ui.session_view import SessionView
from tests.helpers.wake_lock import FakeWakeLock

timeline = build_timeline(load_routine(sys.argv[1]))
controller = SessionController(timeline, RecordingSpeaker(), FakeWakeLock())
view = SessionView()
view.resize(1280, 800)
view.attach(controller)
view.show()
for _ in range(20):
    app.processEvents()
start_refs, started = sys.getrefcount(None), time.monotonic()
controller.start()
loop = QEventLoop()
QTimer.singleShot(int(float(sys.argv[2]) * 1000), loop.quit)
loop.exec()
seconds = time.monotonic() - started
print(json.dumps({"start": start_refs, "end": sys.getrefcount(None), "seconds": seconds}))
"""


def none_references(seconds: float, routine: str = "hip-ir-lying") -> dict[str, Any]:
    """How fast a session on screen (controller + session view) loses references to None.

    PySide6 6.12 with Python 3.11 forgets to take a reference to None when a void method
    (``setText``, ``setStyleSheet``, ``update``...) returns; when the count reaches zero the
    interpreter aborts with "Fatal Python error: none_dealloc". Python 3.12+ makes None
    immortal, so the loss is harmless there."""
    import os
    import subprocess

    env = dict(os.environ, PYTHONPATH=str(REPO))
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    child = subprocess.run(
        [sys.executable, "-c", NONE_PROBE, str(ROUTINES / f"{routine}.toml"), str(seconds)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
        env=env,
    )
    if child.returncode != 0:
        return {"error": child.stderr.strip()[-400:], "routine": routine}
    data = json.loads(child.stdout.strip().splitlines()[-1])
    rate = (data["start"] - data["end"]) / data["seconds"]
    return {
        "routine": routine,
        "seconds": round(data["seconds"], 1),
        "refs_at_session_start": data["start"],
        "lost_per_second": round(rate, 1),
        "minutes_to_abort": round(data["start"] / rate / 60, 1) if rate > 0 else None,
        "python": sys.version.split()[0],
    }


# ----------------------------------------------------------------------------------- run
def run(quick: bool = False) -> dict[str, Any]:
    from benchmarks import file_fuzz

    kills = kill_loop(6 if quick else KILLS)
    routines = fuzz_routines(30 if quick else EXAMPLES)
    csvs = fuzz_csv(30 if quick else EXAMPLES)
    hostile = file_fuzz.run(quick)
    nones = none_references(2.0 if quick else 20.0)
    return {
        "name": "reliability",
        "kill_loop": kills,
        "routine_files": routines,
        "csv_files": csvs,
        **hostile,
        "none_references": nones,
        "met": {
            "none_references": sys.version_info >= (3, 12)
            or nones.get("lost_per_second", 1.0) < 0.5,
            "kill_loop": kills["failure"] is None
            and not kills["reopen_notices"]
            and kills["survived"] == kills["kills"],
            "routine_files": routines["unexpected"] == 0,
            "csv_files": csvs["unexpected"] == 0,
            **{key: part["unexpected"] == 0 for key, part in hostile.items()},
        },
    }


#: The hostile-file checks of :mod:`benchmarks.file_fuzz`, as named in summaries.
HOSTILE_LABELS = {
    "settings_files": "Malformed settings files (fall back per key, file kept aside)",
    "notes_round_trip": "Exported notes: no formula cell, byte-exact back (hostile starts, CR)",
    "special_files": "FIFO, folder, device, nested file to every reader (no hang, no traceback)",
}


def summary_lines(result: dict[str, Any]) -> list[str]:
    k, r, c = result["kill_loop"], result["routine_files"], result["csv_files"]
    lines = [
        f"SIGKILL loop: {k['survived']}/{k['kills']} kills survived with integrity intact, "
        f"{k['confirmed_results']} confirmed results all found ({k['seconds']} s)"
        + (f"; FAILED {k['failure']}" if k["failure"] else ""),
        f"Malformed routine files: {r['examples']} tried, {r['unexpected']} unexpected "
        f"exceptions; outcomes {r['outcomes']}",
        f"Malformed CSV files: {c['examples']} tried, {c['unexpected']} unexpected "
        f"exceptions or store changes; outcomes {c['outcomes']}",
    ]
    lines += [f"  unexpected: {u}" for u in r["unexpected_first"] + c["unexpected_first"]]
    for key, label in HOSTILE_LABELS.items():
        if key in result:
            part = result[key]
            lines.append(f"{label}: {part['examples']} tried, {part['unexpected']} unexpected")
            lines += [f"  unexpected: {u}" for u in part["unexpected_first"]]
    n = result["none_references"]
    minutes = n.get("minutes_to_abort")
    fate = f"abort after ~{minutes} min" if minutes is not None else "no abort (none lost)"
    lines.append(
        f"References to None lost while a session is on screen: {n.get('lost_per_second')}/s"
        f" from {n.get('refs_at_session_start')} -> {fate}"
        + (f" ERROR {n['error']}" if "error" in n else "")
    )
    lines.append(f"  targets met: {result['met']}")
    return lines


if __name__ == "__main__":
    from benchmarks.common import main_for

    main_for(run, summary_lines, needs_x=False)
