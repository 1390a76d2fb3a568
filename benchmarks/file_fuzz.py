"""Hostile files, fuzzed: settings files, exported notes, and files that are not files.

Run by ``make bench`` (through :mod:`benchmarks.reliability`, thousands of examples) and by
``make test`` (``tests/fuzz/``, a few hundred each), so the same code guards both:

* **settings files**: hypothesis writes TOML documents with the real keys (and unknown ones)
  holding values of every type and size (0, -5, nan, 1e9, "furlongs", deep tables...).
  :meth:`Settings.load` must never raise, every loaded field must pass its own check, and a
  save followed by a load must report no problem and keep the user's file aside if it had
  any.
* **notes round trip**: sessions whose notes start with ``=``, ``+``, ``-``, ``@``, tab or CR,
  or hold lone CRs, quotes, NULs and any other text, are exported and imported into a fresh
  store: no cell of the export may read as a formula, and every note must come back
  byte-exact.
* **special files**: a FIFO, a folder, ``/dev/zero`` and a deeply nested file are handed to
  every reader (routine, CSV import, settings, history store) under a watchdog: each must
  answer (with the app's own error) within a few seconds. A hang is counted, not waited on.

Each returns a dict like :func:`benchmarks.reliability.fuzz_routines` does: examples, outcomes,
``unexpected`` (any exception other than the app's own error types, any broken promise).
"""

from __future__ import annotations

import csv
import io
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, Tally, hypothesis_settings

# ----------------------------------------------------------------------- settings files
SETTINGS_MUTATIONS = ("one_bad_value", "many_values", "unknown_key", "random_document", "bytes")


def fuzz_settings(examples: int) -> dict[str, Any]:
    import tomli_w
    from hypothesis import given
    from hypothesis import strategies as st

    from timer_app.settings import _CHECKS, SettingError, Settings, setting_names

    folder = Path(tempfile.mkdtemp(prefix="settings-fuzz-"))
    tally = Tally()
    names = setting_names()
    scalars = st.one_of(
        st.integers(-(2**63), 2**63 - 1),
        st.sampled_from([0, -5, 1, 30, 31, 10**9, 79, 80, 300, 301, 600, 601]),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=30),
        st.sampled_from(["furlongs", "cm", "blocks", "in", "", "\x1b[2J", "<b>x</b>"]),
        st.booleans(),
    )
    values = st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=8,
    )
    counter = [0]

    def attempt(kind: str, raw: bytes) -> None:
        tally.kinds[kind] += 1
        counter[0] += 1
        path = folder / f"s{counter[0]}" / "settings.toml"
        path.parent.mkdir()
        path.write_bytes(raw)
        try:
            settings = Settings.load(path)
            for name in names:
                _CHECKS[name](getattr(settings, name))  # every field holds a valid value
            had_problems = bool(settings.problems)
            settings.save(path)
            again = Settings.load(path)
        except SettingError as exc:
            tally.bad(kind, f"a loaded value fails its check: {exc}")
            return
        except Exception as exc:  # the point: nothing may escape
            tally.outcomes[type(exc).__name__] += 1
            tally.bad(kind, f"{type(exc).__name__}: {exc}")
            return
        tally.outcomes["problems reported" if had_problems else "clean"] += 1
        if again.problems:
            tally.bad(kind, f"a saved file reloads with problems: {again.problems[:1]}")
        kept = [p for p in path.parent.iterdir() if ".invalid-" in p.name]
        if had_problems and [p.read_bytes() for p in kept] != [raw]:
            tally.bad(kind, "the user's file was not kept aside before the rewrite")

    def dumps(doc: dict[str, Any]) -> bytes:
        try:
            return str(tomli_w.dumps(doc)).encode()
        except (TypeError, ValueError):
            return repr(doc).encode()

    @hypothesis_settings(examples)
    @given(st.data())
    def example(data: Any) -> None:
        draw = data.draw
        kind = draw(st.sampled_from(SETTINGS_MUTATIONS))
        if kind == "one_bad_value":
            doc = {draw(st.sampled_from(names)): draw(values)}
        elif kind == "many_values":
            doc = draw(st.dictionaries(st.sampled_from(names), values, max_size=len(names)))
        elif kind == "unknown_key":
            doc = {draw(st.text(min_size=1, max_size=12)): draw(values)}
        elif kind == "random_document":
            doc = draw(st.dictionaries(st.text(min_size=1, max_size=10), values, max_size=5))
        else:
            attempt(kind, draw(st.binary(max_size=200)))
            return
        attempt(kind, dumps(doc))

    started = time.monotonic()
    example()
    return tally.summary(started)


# ------------------------------------------------------------------ notes round trip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def fuzz_notes(examples: int) -> dict[str, Any]:
    from hypothesis import given
    from hypothesis import strategies as st

    from timer_app.core.results import ResultEntry
    from timer_app.core.routine import Side
    from timer_app.core.routine_file import load_routine
    from timer_app.core.timeline import build_timeline
    from timer_app.storage.csv_io import export_csv, import_csv
    from timer_app.storage.history import History

    routine = load_routine(REPO / "routines" / "hip-ir-lying.toml")
    timeline = build_timeline(routine)
    folder = Path(tempfile.mkdtemp(prefix="notes-fuzz-"))
    tally = Tally()
    texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
    hostile = st.builds(
        lambda start, rest: start + rest,
        st.sampled_from([*FORMULA_STARTS, "'", "'=", "''", " ", '"', "\r\n", "\x00"]),
        texts,
    )
    counter = [0]

    @hypothesis_settings(examples)
    @given(st.lists(st.one_of(hostile, texts), min_size=1, max_size=4))
    def example(notes: list[str]) -> None:
        kind = "hostile start" if any(n.startswith(FORMULA_STARTS) for n in notes) else "text"
        tally.kinds[kind] += 1
        counter[0] += 1
        out = io.StringIO()
        try:
            with History(folder / f"a{counter[0]}.sqlite3") as source, source.batch():
                for note in notes:
                    sid = source.start_session(routine, timeline)
                    source.end_session(sid, "completed", 5.0, [])
                    source.save_results(sid, [ResultEntry(Side.LEFT, 7.5, 1, "blocks", note=note)])
            with History(folder / f"a{counter[0]}.sqlite3") as source:
                export_csv(source, out)
            text = out.getvalue()
            with History(folder / f"b{counter[0]}.sqlite3") as target:
                import_csv(target, io.StringIO(text, newline=""), "notes.csv")
                back = sorted(r.results[0].note for r in target.sessions())
        except Exception as exc:
            tally.outcomes[type(exc).__name__] += 1
            tally.bad(kind, f"{type(exc).__name__}: {exc}")
            return
        rows = list(csv.reader(io.StringIO(text, newline="")))
        formulas = [c for row in rows for c in row if c.startswith(FORMULA_STARTS)]
        if formulas:
            tally.bad(kind, f"a cell reads as a formula: {formulas[0]!r}")
        elif len(rows) != len(notes) + 1:
            tally.bad(kind, f"{len(notes)} sessions became {len(rows) - 1} rows")
        elif back != sorted(notes):
            tally.bad(kind, f"notes changed: {sorted(notes)!r} -> {back!r}")
        else:
            tally.outcomes["exact"] += 1

    started = time.monotonic()
    example()
    return tally.summary(started)


# ---------------------------------------------------------------------- special files
#: Each reader, run in a child process (a hang must not hang the benchmark), on one path.
READERS = {
    "routine": (
        "from timer_app.core.routine_file import RoutineError, load_routine\n"
        "try:\n    load_routine(PATH)\nexcept RoutineError:\n    pass\n"
    ),
    "csv import": (
        "from pathlib import Path\n"
        "from timer_app.core.safe_read import FileReadError\n"
        "from timer_app.storage.csv_io import CsvImportError, import_history\n"
        "from timer_app.storage.history import History\n"
        "with History(Path(TMP) / 'h.sqlite3') as h:\n"
        "    try:\n        import_history(h, PATH, 7.5)\n"
        "    except (CsvImportError, FileReadError):\n        pass\n"
    ),
    "settings": (
        "from pathlib import Path\nfrom timer_app.settings import Settings\n"
        "Settings.load(Path(PATH))\n"
    ),
    "history store": (
        "from pathlib import Path\nfrom timer_app.storage.history import History\n"
        "History(Path(PATH)).close()\n"
    ),
}
WATCHDOG_SECONDS = 20.0


def _special_paths(folder: Path) -> dict[str, str]:
    fifo = folder / "fifo"
    os.mkfifo(fifo)
    nested = folder / "nested.txt"
    nested.write_text("a = " + "[" * 500 + "]" * 500 + "\n")
    return {
        "FIFO": str(fifo),
        "folder": str(folder),
        "/dev/zero": "/dev/zero",
        "nested": str(nested),
    }


def special_files() -> dict[str, Any]:
    """Every reader on every special path, each in a child under a watchdog."""
    folder = Path(tempfile.mkdtemp(prefix="special-files-"))
    tally = Tally()
    started = time.monotonic()
    for what, path in _special_paths(folder).items():
        for reader, code in READERS.items():
            if reader == "history store" and what in ("/dev/zero", "nested"):
                continue  # a nested text file is just "not a database"; /dev/zero: a device
            kind = f"{reader} <- {what}"
            tally.kinds[kind] += 1
            script = f"PATH = {path!r}\nTMP = {str(folder)!r}\n" + code
            try:
                child = subprocess.run(
                    [sys.executable, "-c", script],
                    cwd=REPO,
                    env=dict(os.environ, PYTHONPATH=str(REPO)),
                    capture_output=True,
                    text=True,
                    timeout=WATCHDOG_SECONDS,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                tally.outcomes["hang"] += 1
                tally.bad(kind, f"no answer within {WATCHDOG_SECONDS:g} s")
                continue
            if child.returncode != 0 or "Traceback" in child.stderr:
                tally.outcomes["traceback"] += 1
                tally.bad(kind, child.stderr.strip().splitlines()[-1:] or "exit status")
            else:
                tally.outcomes["refused cleanly"] += 1
    return tally.summary(started)


def run(quick: bool = False) -> dict[str, Any]:
    examples = 30 if quick else 1200
    # Each refused settings file logs a warning per problem: thousands of lines of noise here.
    logging.getLogger("timer_app").setLevel(logging.ERROR)
    return {
        "settings_files": fuzz_settings(examples),
        "notes_round_trip": fuzz_notes(examples // 4),
        "special_files": special_files(),
    }


def describe(result: dict[str, Any]) -> str:
    """One line: examples, unexpected, seconds."""
    return f"{result['examples']} tried, {result['unexpected']} unexpected ({result['seconds']} s)"


if __name__ == "__main__":
    import json

    out = run(quick="--quick" in sys.argv)
    print(json.dumps(out, indent=1))
    sys.exit(0 if all(part["unexpected"] == 0 for part in out.values()) else 1)
