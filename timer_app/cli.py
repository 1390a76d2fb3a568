"""Command-line interface: options that work without a window, and the start of the GUI.

Qt is imported only when a window is actually needed, so ``--list-routines`` and
``--check-routine`` answer instantly and work on machines with no display.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from timer_app import APP_NAME, __version__

if TYPE_CHECKING:
    from timer_app.storage.history import History


#: Exit status when standard output was closed early (e.g. ``| head``), as a shell reports a
#: command ended by SIGPIPE.
BROKEN_PIPE_STATUS = 128 + 13


def _path_argument(text: str) -> str:
    """argparse type for FILE options: an empty name is an error, not "no option"."""
    if not text:
        raise argparse.ArgumentTypeError("needs a file name, got an empty one")
    return text


def printable(text: str) -> str:
    """``text`` with control characters shown as escapes, so nothing from a file can move
    the cursor or recolour the user's terminal."""
    return "".join(ch if ch.isprintable() or ch == "\t" else repr(ch)[1:-1] for ch in text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="timer-app",
        description=f"{APP_NAME}: a spoken timer for floor mobility sessions.",
    )
    parser.add_argument("--version", action="version", version=f"timer-app {__version__}")
    parser.add_argument(
        "--list-routines", action="store_true", help="print every routine: id, name, total time"
    )
    parser.add_argument(
        "--check-routine",
        metavar="FILE",
        type=_path_argument,
        help="validate a routine file and print its total",
    )
    parser.add_argument(
        "--routine",
        metavar="ID_OR_FILE",
        type=_path_argument,
        help="open with this routine selected",
    )
    parser.add_argument("--start", action="store_true", help="start the selected routine at once")
    parser.add_argument(
        "--export-csv",
        metavar="FILE",
        type=_path_argument,
        help="write the session history as CSV to FILE ('-' for standard output) and exit",
    )
    parser.add_argument(
        "--import-csv",
        metavar="FILE",
        type=_path_argument,
        help="add the sessions of a history CSV file (all or nothing, no duplicates) and exit",
    )
    parser.add_argument(
        "--which-drill",
        action="store_true",
        help="print which drill helps each side most: per routine, the mean gain within a "
        "session (after minus before), ranked",
    )
    parser.add_argument(
        "--report",
        metavar="FILE.pdf",
        type=_path_argument,
        help="write a report for your physiotherapist (PDF, 1-3 A4 pages; the chart also as "
        "FILE.png) and exit",
    )
    parser.add_argument(
        "--since",
        metavar="DATE",
        type=_since_date,
        help="with --report or --which-drill: only sessions from DATE (2026-11-01) on",
    )
    return parser


def _since_date(text: str) -> object:
    from timer_app.drill_cli import parse_since

    return parse_since(text)


def list_routines(out: object = None) -> int:
    from timer_app.core.cues import display_duration
    from timer_app.core.library import discover_routines
    from timer_app.core.timeline import build_timeline
    from timer_app.paths import builtin_routines_dir, user_routines_dir

    stream = out or sys.stdout
    status = 0
    for entry in discover_routines(builtin_routines_dir(), user_routines_dir()):
        if entry.routine is None:
            for line in entry.error.errors if entry.error is not None else ["cannot be loaded"]:
                shown = line if line.startswith(str(entry.path)) else f"{entry.path}: {line}"
                print(printable(shown), file=sys.stderr)
            status = 1
            continue
        total = build_timeline(entry.routine).total_seconds
        origin = (
            "built-in"
            if entry.builtin
            else ("yours, edited" if entry.overrides_builtin else "yours")
        )
        print(
            printable(
                f"{entry.id:<24} {display_duration(total):>8}  {entry.routine.name}  ({origin})"
            ),
            file=stream,  # type: ignore[arg-type]
        )
    return status


def check_routine(path: str) -> int:
    from timer_app.core.cues import display_duration
    from timer_app.core.routine_file import RoutineError, load_routine
    from timer_app.core.timeline import build_timeline

    try:
        routine = load_routine(Path(path))
    except RoutineError as exc:
        for line in exc.errors:
            print(printable(line.replace(Path(path).name + ":", path + ":", 1)), file=sys.stderr)
        return 1
    timeline = build_timeline(routine)
    print(
        f"{printable(path)}: ok ({routine.id}, total {display_duration(timeline.total_seconds)}, "
        f"{len(timeline.steps)} steps)"
    )
    return 0


def _open_history() -> History:
    from timer_app.paths import history_db_path
    from timer_app.storage.history import History

    # The notice below says it once; the store's own log line would repeat it on stderr.
    logging.getLogger("timer_app.storage.history").setLevel(logging.CRITICAL)
    history = History(history_db_path())
    if history.notice:
        print(f"timer-app: {printable(history.notice)}", file=sys.stderr)
    return history


def export_history_csv(target: str) -> int:
    """``--export-csv``: to stdout, or to a file replaced atomically (never half-written).
    Refused when the history could not be read: the export would hold less than the user has
    (and might replace their last good backup)."""
    import io
    import sqlite3

    from timer_app.core.safe_write import write_export
    from timer_app.storage.csv_io import export_csv
    from timer_app.storage.records import HistoryError

    with _open_history() as history:
        if not history.read_ok:
            print(
                f"{printable(target)}: not exported: your history could not be read (see above)",
                file=sys.stderr,
            )
            return 1
        buffer = io.StringIO()
        try:
            count = export_csv(history, buffer)
        except (sqlite3.Error, HistoryError) as exc:
            print(
                f"{printable(target)}: not exported: the history could not be read: {exc}",
                file=sys.stderr,
            )
            return 1
    if count == 0 and target != "-" and _has_content(target):
        # An empty history over a file with sessions in it is never what was meant (a store
        # just set aside, a new machine): keep the file, say how to replace it on purpose.
        print(
            f"{printable(target)}: not exported: the history has no sessions, and the file"
            " already holds data (remove it first to write an empty export)",
            file=sys.stderr,
        )
        return 1
    if target == "-":
        text = buffer.getvalue()
        # In slices: one huge write() that the reader abandons half-way can come back short
        # without an error, and the loss would go unnoticed (a reader that goes away raises
        # BrokenPipeError, which main() answers).
        for start in range(0, len(text), 1 << 16):
            sys.stdout.write(text[start : start + (1 << 16)])
            sys.stdout.flush()
    else:
        try:
            write_export(target, buffer.getvalue())
        except OSError as exc:
            print(f"{printable(str(exc))}\nNothing was exported.", file=sys.stderr)
            return 1
    where = "standard output" if target == "-" else target
    print(f"exported {count} session(s) to {printable(where)}", file=sys.stderr)
    return 0


def _has_content(target: str) -> bool:
    """Whether ``target`` is a regular file (a link followed) with something in it."""
    import os
    import stat

    try:
        info = os.stat(target)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size > 0


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot raise again."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def import_history_csv(source: str) -> int:
    """``--import-csv``: all or nothing; the error names the file, line and reason. Refused
    when the history lives in memory this run: "imported" must mean stored."""
    from timer_app.core.safe_read import FileReadError
    from timer_app.settings import Settings, settings_path
    from timer_app.storage.csv_io import CsvImportError, import_history
    from timer_app.storage.records import HistoryError

    settings = Settings.load(settings_path())
    for problem in settings.problems:
        print(f"timer-app: {printable(problem)}", file=sys.stderr)
    try:
        with _open_history() as history:
            if not history.on_disk:
                print(
                    f"{printable(source)}: not imported: your history cannot be saved this time"
                    " (see above).\nNothing was imported.",
                    file=sys.stderr,
                )
                return 1
            added = import_history(history, source, settings.block_height_cm)
    except (CsvImportError, FileReadError, HistoryError) as exc:
        print(f"{printable(str(exc))}\nNothing was imported.", file=sys.stderr)
        return 1
    print(f"{printable(source)}: imported {added} new session(s)", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    if not (sys.argv[1:] if argv is None else argv):
        # `timer-app` alone, as a launcher starts it: nothing to parse, so the parser (and the
        # gettext and locale look-ups its help texts make) is not built before the window:
        # ~10 ms of CPU that start-up (benchmarks/startup.py) no longer pays.
        from timer_app.ui.app import run_gui

        return int(run_gui())
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.since is not None and not (args.which_drill or args.report is not None):
        parser.error("--since works with --report or --which-drill")
    try:
        status = _run_command(args)
        sys.stdout.flush()  # here, not at exit, so a closed pipe is answered below
    except BrokenPipeError:
        # Any command piped into a reader that stops early (`| head`): the reader has what it
        # wanted, so end quietly, as `cat` would.
        _silence_stdout()
        return BROKEN_PIPE_STATUS
    if status is not None:
        return status
    from timer_app.ui.app import run_gui

    return int(run_gui(routine=args.routine, start=args.start))


def _run_command(args: argparse.Namespace) -> int | None:
    """Run the command-line option given, with its exit status; None: none, open the app."""
    if args.export_csv is not None:
        return export_history_csv(args.export_csv)
    if args.import_csv is not None:
        return import_history_csv(args.import_csv)
    if args.which_drill or args.report is not None:
        from timer_app import drill_cli

        if args.report is not None:
            return drill_cli.export_report(args.report, since=args.since)
        return drill_cli.which_drill(since=args.since)
    if args.list_routines:
        return list_routines()
    if args.check_routine is not None:
        return check_routine(args.check_routine)
    return None
