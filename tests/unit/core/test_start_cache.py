"""The start screen's cache: used only while the routine files are exactly as they were when it
was written; any bad, foreign or stale cache file means the files are parsed, never a crash and
never an old listing."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import ROUTINES
from tests.helpers.hostile_json import write_hostile
from timer_app.core import start_cache
from timer_app.core.library import discover_routines, listed
from timer_app.core.listing import ListedRoutine
from timer_app.core.start_cache import StartCache

BROKEN = 'schema = 1\nid = "broken"\nname = "Broken"\n[main]\nrounds = 0\n'


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    builtin, user = tmp_path / "builtin", tmp_path / "user"
    shutil.copytree(ROUTINES, builtin)
    user.mkdir()
    own = (ROUTINES / "quick-hip-check.toml").read_text()
    (user / "mine.toml").write_text(own.replace('id = "quick-hip-check"', 'id = "mine"'))
    (user / "broken.toml").write_text(BROKEN)
    return builtin, user


def parsed(folders: tuple[Path, Path]) -> list[ListedRoutine]:
    """What the start screen lists after reading every file, as the app does without a cache."""
    return [listed(entry) for entry in discover_routines(*folders)]


def cache_for(folders: tuple[Path, Path], tmp_path: Path) -> StartCache:
    return StartCache(tmp_path / "cache" / "start-screen.json", *folders)


def written(folders: tuple[Path, Path], tmp_path: Path) -> StartCache:
    """A cache as the app leaves it: stamped, then the files read, then stored."""
    cache = cache_for(folders, tmp_path)
    stamp = cache.stamp()
    cache.write(stamp, parsed(folders))
    return cache


def test_a_written_cache_gives_back_what_parsing_gives(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    written(folders, tmp_path)
    listing = cache_for(folders, tmp_path).read()  # a new launch
    assert listing == parsed(folders)
    assert listing is not None
    assert {item.id for item in listing} >= {"hip-ir-lying", "mine", "broken"}
    broken = next(item for item in listing if item.id == "broken")
    assert not broken.loads and broken.error and "broken.toml" in broken.error  # its error too


def test_no_cache_file_means_parse(folders: tuple[Path, Path], tmp_path: Path) -> None:
    assert cache_for(folders, tmp_path).read() is None


@pytest.mark.parametrize(
    "change",
    [
        "edit same size",
        "edit other size",
        "touch only",
        "add",
        "delete",
        "replace by rename",
        "builtin edit",
    ],
)
def test_any_change_to_a_routine_file_means_parse(
    folders: tuple[Path, Path], tmp_path: Path, change: str
) -> None:
    written(folders, tmp_path)
    builtin, user = folders
    mine = user / "mine.toml"
    info = mine.stat()
    if change == "edit same size":
        text = mine.read_text()
        mine.write_text(text.replace("rounds = 1", "rounds = 2"))
        assert mine.stat().st_size == info.st_size
        # A second later (set, not waited for: timestamps may be coarser than this test).
        os.utime(mine, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    elif change == "edit other size":
        mine.write_text(mine.read_text().replace('name = "', 'name = "My '))
    elif change == "touch only":
        os.utime(mine, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
    elif change == "add":
        (user / "more.toml").write_text(BROKEN.replace("broken", "more"))
    elif change == "delete":
        mine.unlink()
    elif change == "replace by rename":  # an editor's atomic save: same size, same mtime
        copy = user / "copy.tmp"
        shutil.copy2(mine, copy)
        os.replace(copy, mine)
    else:
        hip = builtin / "hip-ir-lying.toml"
        hip.write_text(hip.read_text() + "\n")
    assert cache_for(folders, tmp_path).read() is None
    # ...and once parsed and stored again, the new state is what is cached.
    written(folders, tmp_path)
    assert cache_for(folders, tmp_path).read() == parsed(folders)


def test_an_upgrade_of_the_app_means_parse(
    folders: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written(folders, tmp_path)
    monkeypatch.setattr(start_cache, "__version__", "99.0")
    assert cache_for(folders, tmp_path).read() is None


def test_other_folders_mean_parse(folders: tuple[Path, Path], tmp_path: Path) -> None:
    written(folders, tmp_path)
    other = tmp_path / "other-user"
    shutil.copytree(folders[1], other)
    assert StartCache(tmp_path / "cache" / "start-screen.json", folders[0], other).read() is None


def _valid_text(folders: tuple[Path, Path], tmp_path: Path) -> dict[str, object]:
    cache = written(folders, tmp_path)
    data: dict[str, object] = json.loads(cache.file.read_text())
    return data


def _hostile(kind: str, file: Path, folders: tuple[Path, Path], tmp_path: Path) -> None:
    if write_hostile(
        kind, file, start_cache.MAX_CACHE_BYTES, "stamp", {"stamp": [], "routines": {}}
    ):
        return
    if kind in ("bad routine row", "missing field", "wrong type"):
        data = _valid_text(folders, tmp_path)
        routines = data["routines"]
        assert isinstance(routines, list)
        if kind == "bad routine row":
            routines[0]["rows"] = [["only one"]]
        elif kind == "missing field":
            del routines[0]["name"]
        else:
            routines[0]["total_seconds"] = "12:00"
        file.write_text(json.dumps(data))
    else:
        raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind",
    [
        "garbage",
        "not utf-8",
        "empty",
        "deep nesting",
        "too large",
        "a folder",
        "a FIFO",
        "wrong shape",
        "bad routine row",
        "missing field",
        "wrong type",
    ],
)
def test_a_bad_cache_file_means_parse_without_hanging(
    folders: tuple[Path, Path], tmp_path: Path, kind: str
) -> None:
    cache = cache_for(folders, tmp_path)
    cache.file.parent.mkdir(parents=True, exist_ok=True)
    _hostile(kind, cache.file, folders, tmp_path)
    result: list[object] = []
    reader = threading.Thread(target=lambda: result.append(cache_for(folders, tmp_path).read()))
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "reading the cache hung"
    assert result == [None]


def test_a_routines_folder_that_cannot_be_listed_means_parse(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    old = written(folders, tmp_path).file.read_text()
    user = folders[1]
    shutil.rmtree(user)
    user.write_text("not a folder")  # listing it fails (as an unreadable folder does)
    cache = cache_for(folders, tmp_path)
    assert cache.stamp() is None
    assert cache.read() is None
    cache.write(None, parsed(folders))  # nothing to stamp: nothing stored
    assert cache.file.read_text() == old


def test_a_dangling_link_in_a_routines_folder_means_parse(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    written(folders, tmp_path)
    (folders[1] / "gone.toml").symlink_to(tmp_path / "nowhere.toml")
    assert cache_for(folders, tmp_path).read() is None


def test_a_cache_that_cannot_be_written_is_skipped_quietly(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    cache = StartCache(blocked / "start-screen.json", *folders)
    cache.write(cache.stamp(), parsed(folders))  # no exception
    assert cache.read() is None


def test_an_unchanged_listing_is_not_written_again(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    written(folders, tmp_path)
    cache = cache_for(folders, tmp_path)
    listing = cache.read()
    assert listing is not None
    before = cache.file.stat()
    cache.write(cache.stamp(), listing)
    after = cache.file.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_missing_routine_folders_are_cached_as_empty(tmp_path: Path) -> None:
    folders = (tmp_path / "no-builtin", tmp_path / "no-user")
    cache = cache_for(folders, tmp_path)
    cache.write(cache.stamp(), [])
    assert cache_for(folders, tmp_path).read() == []
    folders[1].mkdir()
    (folders[1] / "new.toml").write_text(BROKEN)
    assert cache_for(folders, tmp_path).read() is None
