"""The shipped listing of the built-in routines: the committed file is what the code makes of the
routine files in the repository, and a launch uses it only while the built-in files are exactly
those and the user has no routine files; any other case, or any bad listing file, means the
files are parsed, never a crash and never a different listing."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import ROUTINES
from tests.helpers.hostile_json import write_hostile
from timer_app.core import shipped_listing
from timer_app.core.library import discover_routines, listed
from timer_app.core.listing import ListedRoutine

BROKEN = 'schema = 1\nid = "broken"\nname = "Broken"\n[main]\nrounds = 0\n'


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the built-in routines and a user folder that does not exist yet."""
    builtin = tmp_path / "builtin"
    shutil.copytree(ROUTINES, builtin)
    return builtin, tmp_path / "user"


def parsed(folders: tuple[Path, Path]) -> list[ListedRoutine]:
    """What the start screen lists after reading every file, as the app does without a cache."""
    return [listed(entry) for entry in discover_routines(*folders)]


def test_the_committed_listing_is_what_the_routine_files_give() -> None:
    made = shipped_listing.generate(ROUTINES)
    committed = shipped_listing.LISTING_FILE.read_text(encoding="utf-8")
    assert committed == made, (
        f"{shipped_listing.LISTING_FILE.name} is not what the built-in routines in routines/ "
        "give with this code: run `make shipped-listing` and commit the file"
    )


def test_the_shipped_listing_gives_what_parsing_gives(folders: tuple[Path, Path]) -> None:
    listing = shipped_listing.read(*folders)
    assert listing is not None
    assert listing == parsed(folders)
    # Paths in this folder: the file holds names relative to the built-in folder, so it
    # holds wherever the app is installed.
    assert {Path(item.path).parent for item in listing} == {folders[0]}
    routines = _listing_data()["routines"]
    assert isinstance(routines, list)
    assert all("/" not in row["path"] and "\\" not in row["path"] for row in routines)


def test_an_empty_user_folder_is_no_user_routine(folders: tuple[Path, Path]) -> None:
    folders[1].mkdir()
    (folders[1] / "notes.txt").write_text("not a routine")
    assert shipped_listing.read(*folders) == parsed(folders)


@pytest.mark.parametrize("what", ["a routine", "a broken file", "a copy of a built-in"])
def test_a_user_routine_means_parse(folders: tuple[Path, Path], what: str) -> None:
    builtin, user = folders
    user.mkdir()
    if what == "a routine":
        quick = (ROUTINES / "quick-hip-check.toml").read_text()
        (user / "mine.toml").write_text(quick.replace('id = "quick-hip-check"', 'id = "mine"'))
    elif what == "a broken file":
        (user / "broken.toml").write_text(BROKEN)
    else:
        shutil.copy(builtin / "hip-ir-lying.toml", user / "hip-ir-lying.toml")
    assert shipped_listing.read(*folders) is None


def test_a_user_folder_that_is_a_file_means_parse(folders: tuple[Path, Path]) -> None:
    folders[1].write_text("not a folder")  # the library lists an error for it
    assert shipped_listing.read(*folders) is None


@pytest.mark.parametrize(
    "change",
    [
        "one byte",
        "one byte more",
        "one byte less",
        "added",
        "added broken",
        "removed",
        "renamed",
        "replaced by a folder",
        "folder missing",
    ],
)
def test_built_in_files_other_than_those_listed_mean_parse(
    folders: tuple[Path, Path], change: str
) -> None:
    builtin = folders[0]
    hip = builtin / "hip-ir-lying.toml"
    data = hip.read_bytes()
    if change == "one byte":  # same size, one character different
        index = data.index(b"rounds = 3") + len("rounds = ")
        hip.write_bytes(data[:index] + b"2" + data[index + 1 :])
    elif change == "one byte more":
        hip.write_bytes(data + b"\n")
    elif change == "one byte less":
        hip.write_bytes(data[:-1])
    elif change == "added":
        quick = (ROUTINES / "quick-hip-check.toml").read_text()
        (builtin / "extra.toml").write_text(quick.replace('id = "quick-hip-check"', 'id = "x"'))
    elif change == "added broken":
        (builtin / "broken.toml").write_text(BROKEN)
    elif change == "removed":
        hip.unlink()
    elif change == "renamed":
        hip.rename(builtin / "hip-ir-lying-2.toml")
    elif change == "replaced by a folder":
        hip.unlink()
        hip.mkdir()
    else:
        shutil.rmtree(builtin)
    assert shipped_listing.read(*folders) is None


def test_no_built_in_folder_means_parse(folders: tuple[Path, Path]) -> None:
    assert shipped_listing.read(None, folders[1]) is None


def _listing_data() -> dict[str, object]:
    data: dict[str, object] = json.loads(shipped_listing.LISTING_FILE.read_text())
    return data


def _hostile(kind: str, file: Path) -> None:
    if kind == "missing":
        return
    if write_hostile(
        kind,
        file,
        shipped_listing.MAX_LISTING_BYTES,
        "format",
        {"format": 1, "files": {}, "routines": []},
    ):
        return
    else:
        data = _listing_data()
        files, routines = data["files"], data["routines"]
        assert isinstance(files, list) and isinstance(routines, list)
        if kind == "other format":
            data["format"] = 2
        elif kind == "bad routine row":
            routines[0]["rows"] = [["only one"]]
        elif kind == "missing field":
            del routines[0]["name"]
        elif kind == "wrong type":
            routines[0]["total_seconds"] = "12:00"
        elif kind == "absolute path":
            routines[0]["path"] = str(ROUTINES / routines[0]["path"])
        elif kind == "a row missing":
            del routines[-1]
        elif kind == "rows swapped":
            routines[0], routines[1] = routines[1], routines[0]
        elif kind == "a file twice":
            files.append(files[0])
            routines.append(routines[0])
        elif kind == "bad file stamp":
            files[0][1] = str(files[0][1])
        else:
            raise AssertionError(kind)
        file.write_text(json.dumps(data))


@pytest.mark.parametrize(
    "kind",
    [
        "missing",
        "garbage",
        "not utf-8",
        "empty",
        "deep nesting",
        "too large",
        "a folder",
        "a FIFO",
        "wrong shape",
        "other format",
        "bad routine row",
        "missing field",
        "wrong type",
        "absolute path",
        "a row missing",
        "rows swapped",
        "a file twice",
        "bad file stamp",
    ],
)
def test_a_bad_listing_file_means_parse_quietly(
    folders: tuple[Path, Path], tmp_path: Path, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    file = tmp_path / "shipped_listing.json"
    _hostile(kind, file)
    result: list[object] = []
    reader = threading.Thread(target=lambda: result.append(shipped_listing.read(*folders, file)))
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "reading the listing hung"
    assert result == [None]
    assert caplog.records == []  # nothing for the user to see: the files are simply parsed


def test_the_listing_file_as_is_is_accepted_from_elsewhere(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    # The test above refuses changed copies; the same text, copied, is read (so what they
    # refuse is the change, not the place).
    file = tmp_path / "shipped_listing.json"
    shutil.copy(shipped_listing.LISTING_FILE, file)
    assert shipped_listing.read(*folders, file) == parsed(folders)
    file.write_text(json.dumps(_listing_data()))  # other whitespace: still the same data
    assert shipped_listing.read(*folders, file) == parsed(folders)


def test_a_built_in_routine_with_errors_is_never_shipped(tmp_path: Path) -> None:
    builtin = tmp_path / "builtin"
    shutil.copytree(ROUTINES, builtin)
    (builtin / "broken.toml").write_text(BROKEN)
    with pytest.raises(ValueError, match="broken"):
        shipped_listing.generate(builtin)


def test_check_says_to_run_make_when_out_of_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "shipped_listing.json"
    monkeypatch.setattr(shipped_listing, "LISTING_FILE", file)
    assert shipped_listing.main(["--check"]) == 1
    assert "make shipped-listing" in capsys.readouterr().err
    assert shipped_listing.main(["--write"]) == 0
    assert shipped_listing.main(["--check"]) == 0
    assert file.read_text() == shipped_listing.generate(ROUTINES)


def test_the_digests_are_sha256() -> None:
    import hashlib

    data = (ROUTINES / "hip-ir-lying.toml").read_bytes()
    stamps = shipped_listing.file_stamps(ROUTINES)
    assert stamps is not None
    assert ("hip-ir-lying.toml", len(data), hashlib.sha256(data).hexdigest()) in stamps
