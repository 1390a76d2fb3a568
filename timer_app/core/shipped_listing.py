"""The start screen's listing of the built-in routines, shipped with the app, so that the very
first launch draws the start screen before parsing any routine file.

A later launch draws the start screen from its cache (:mod:`timer_app.core.start_cache`); the
very first one has no cache, and parsing the built-in routine files and building the routine
model for them was a tenth of its work before the first paint (906 M instructions against 593
M for a bare window, 1.53x: over issue 16's 1.5x; with this listing 812 M, 1.37x; measured by
benchmarks/startup_instructions.py). The rows those
files give (:class:`~timer_app.core.listing.ListedRoutine`) are the same on every machine, so
they are made once, from the files in the repository, by ``make shipped-listing``
(``python -m timer_app.core.shipped_listing --write``) and shipped in the package as
``shipped_listing.json``, with each built-in file's name, size and SHA-256.

A launch with no usable start cache uses it only when the user has no routine files (the user
routine folder is missing or has no ``.toml`` in it: no user file can replace or join a
built-in) and the built-in folder holds exactly the files it was made from, byte for byte. Any
difference (a file edited, added or removed; a folder that cannot be read; a listing file that
is missing, not a regular file, too large, not UTF-8 or not exactly what :func:`generate`
writes) means the files are parsed as before, so it can only save time, never show something
else than parsing would (a checkout whose line endings git converted parses, for one). Paths
are stored relative to the built-in folder, so the listing holds wherever the app is installed.
That the committed listing is the one the current code makes from the current files is
checked by tests/unit/core/test_shipped_listing.py.

This module imports no Qt, nothing of the routine model, and no TOML parser: it runs before the
first paint (:func:`generate` imports the model, to write the listing).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from timer_app.core.listing import ListedRoutine
from timer_app.core.safe_read import FileReadError, read_bytes, read_text

#: Bumped whenever what is stored changes meaning.
LISTING_FORMAT = 1
#: The listing shipped in the package, beside this module.
LISTING_FILE = Path(__file__).resolve().parent / "shipped_listing.json"
#: A listing of a few built-in routines is some 10 KiB; anything far larger is not ours.
MAX_LISTING_BYTES = 1024 * 1024
#: The largest routine file read (``timer_app.core.routine_file.MAX_FILE_BYTES``).
MAX_ROUTINE_BYTES = 1024 * 1024

#: (name, size, SHA-256 in hex) of a built-in routine file.
FileStamp = tuple[str, int, str]


def _sha256() -> Any:
    """The SHA-256 constructor, without loading OpenSSL if it can: importing ``hashlib``
    loads it (12 M instructions, 2 % of a bare window's start-up); CPython's own SHA-256
    module gives the same digests for a fraction of that."""
    try:
        from _sha256 import sha256  # Python 3.11

        return sha256
    except ImportError:
        pass
    try:
        from _sha2 import sha256  # Python 3.12 on

        return sha256
    except ImportError:
        pass
    from hashlib import sha256

    return sha256


def _toml_files(folder: Path) -> list[Path] | None:
    """The routine files in ``folder`` in the order ``timer_app.core.library`` reads them,
    [] for no folder; None if it cannot be listed (then the library lists an error)."""
    try:
        return sorted(path for path in folder.iterdir() if path.suffix == ".toml")
    except FileNotFoundError:
        return []
    except OSError:
        return None


def _user_has_no_routines(user_dir: Path | None) -> bool:
    return user_dir is None or _toml_files(user_dir) == []


def file_stamps(builtin_dir: Path, sizes: dict[str, int] | None = None) -> list[FileStamp] | None:
    """Name, size and SHA-256 of each routine file in ``builtin_dir``; None if one cannot be
    read. With ``sizes`` (name to expected size), None as soon as a file's name or size
    differs from it, before reading a larger file than expected."""
    paths = _toml_files(builtin_dir)
    if paths is None:
        return None
    if sizes is not None and [path.name for path in paths] != sorted(sizes):
        return None
    sha256 = _sha256()
    stamps: list[FileStamp] = []
    for path in paths:
        most = sizes[path.name] if sizes is not None else MAX_ROUTINE_BYTES
        try:
            data = read_bytes(path, most)
        except FileReadError:
            return None
        if sizes is not None and len(data) != most:
            return None
        stamps.append((path.name, len(data), sha256(data).hexdigest()))
    return stamps


def _parse(text: str) -> tuple[list[FileStamp], list[dict[str, Any]]] | None:
    """The files and rows of a listing file's ``text``; None if it is not one."""
    import json

    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or set(data) != {"format", "files", "routines"}:
        return None
    files, rows = data["files"], data["routines"]
    if data["format"] != LISTING_FORMAT or not isinstance(files, list):
        return None
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        return None
    stamps: list[FileStamp] = []
    for item in files:
        if not (
            isinstance(item, list)
            and len(item) == 3
            and isinstance(item[0], str)
            and type(item[1]) is int
            and isinstance(item[2], str)
        ):
            return None
        stamps.append((item[0], item[1], item[2]))
    return stamps, rows


def read(
    builtin_dir: Path | None, user_dir: Path | None, file: Path = LISTING_FILE
) -> list[ListedRoutine] | None:
    """The start screen's listing for these folders from the shipped listing ``file``, if the
    user has no routine files and the built-in ones are those it was made from; else None
    (and the files must be parsed). Never raises for a bad listing file."""
    if builtin_dir is None or not _user_has_no_routines(user_dir):
        return None
    try:
        text = read_text(file, MAX_LISTING_BYTES)
    except FileReadError:
        return None
    parsed = _parse(text)
    if parsed is None:
        return None
    files, rows = parsed
    names = [name for name, _size, _digest in files]
    # One row per file, in file order: every built-in loads, and no user file joins them.
    if names != sorted(set(names)) or [row.get("path") for row in rows] != names:
        return None
    if file_stamps(builtin_dir, {name: size for name, size, _digest in files}) != files:
        return None
    try:
        return [
            ListedRoutine.from_json({**row, "path": str(builtin_dir / name)})
            for name, row in zip(names, rows, strict=True)
        ]
    except ValueError:
        return None


def generate(builtin_dir: Path) -> str:
    """The listing file's text for the routine files in ``builtin_dir``, as parsing them
    lists them. ValueError if a file has errors (a built-in routine must load)."""
    import json

    from timer_app.core.library import discover_routines, listed

    stamps = file_stamps(builtin_dir)
    if stamps is None:
        raise ValueError(f"{builtin_dir}: the built-in routine files cannot all be read")
    rows = []
    for entry in discover_routines(builtin_dir, None):
        if entry.error is not None:
            raise ValueError(f"a built-in routine has errors: {entry.error}")
        row = listed(entry).to_json()
        row["path"] = entry.path.relative_to(builtin_dir).as_posix()
        rows.append(row)

    # JSON, one line per file and per routine (a routine edited changes its two lines).
    def lines(items: list[Any]) -> str:
        return ",\n".join("  " + json.dumps(item, ensure_ascii=False) for item in items)

    files = lines([list(stamp) for stamp in stamps])
    return (
        f'{{\n "format": {LISTING_FORMAT},\n "files": [\n{files}\n ],\n'
        f' "routines": [\n{lines(rows)}\n ]\n}}\n'
    )


def main(argv: list[str] | None = None) -> int:
    """``--write``: (re)write the shipped listing from the repository's built-in routines;
    ``--check``: exit 1 if it is not what they give."""
    import argparse

    from timer_app.paths import builtin_routines_dir

    parser = argparse.ArgumentParser(prog="python -m timer_app.core.shipped_listing")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--write", action="store_true", help="write " + str(LISTING_FILE))
    what.add_argument("--check", action="store_true", help="check it is up to date")
    args = parser.parse_args(argv)
    text = generate(builtin_routines_dir())
    if args.check:
        try:
            current = LISTING_FILE.read_text(encoding="utf-8")
        except OSError:
            current = ""
        if current != text:
            print(f"{LISTING_FILE} is out of date: run `make shipped-listing`", file=sys.stderr)
            return 1
        return 0
    if not LISTING_FILE.exists() or LISTING_FILE.read_text(encoding="utf-8") != text:
        LISTING_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {LISTING_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
