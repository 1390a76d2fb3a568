"""Reading and writing a user's files with limits: a FIFO, device, folder, huge or deeply
nested file is refused at once with one line naming it; an export never replaces a special
file or a symlink, and never waits on a FIFO nobody reads."""

from __future__ import annotations

import os
import select
import threading
from pathlib import Path

import pytest

from timer_app.core.safe_read import FileReadError, nesting_depth, read_text
from timer_app.core.safe_write import ExportTargetError, write_export


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    # No writer exists: a plain open() would wait for ever (pytest-timeout would catch it).
    with pytest.raises(FileReadError, match=r"pipe.toml: cannot be read: it is a pipe \(FIFO\)"):
        read_text(fifo, 1000, "pipe.toml")


@pytest.mark.parametrize(
    ("path", "kind"), [("/dev/zero", "a device"), ("/dev/null", "a device"), ("/", "a folder")]
)
def test_devices_and_folders_are_refused(path: str, kind: str) -> None:
    with pytest.raises(FileReadError, match=f"cannot be read: it is {kind}"):
        read_text(path, 1000)


def test_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_text("x" * 1001)
    with pytest.raises(FileReadError, match=r"big.csv: the file is too large \(1001 bytes"):
        read_text(big, 1000, "big.csv")
    assert read_text(big, 1001) == "x" * 1001


def test_bad_utf8_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"a\nb\n\xff\n")
    with pytest.raises(FileReadError, match=r"bad.csv: line 3: not UTF-8 text"):
        read_text(bad, 1000, "bad.csv")


def test_a_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfa,b\n")
    assert read_text(path, 1000) == "a,b\n"


def test_empty_name_is_refused() -> None:
    with pytest.raises(FileReadError, match="no file name given"):
        read_text("", 1000)


def test_nesting_depth_counts_without_recursion() -> None:
    deep: list[object] = []
    for _ in range(100_000):  # far past Python's recursion limit
        deep = [deep]
    assert nesting_depth(deep) == 33
    assert nesting_depth({"a": [1, {"b": []}]}) == 4
    assert nesting_depth(5) == 0


# -- writing an export -----------------------------------------------------------------------


def test_an_export_replaces_the_file_a_symlink_points_to_and_keeps_the_link(
    tmp_path: Path,
) -> None:
    real = tmp_path / "backups" / "history.csv"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)

    write_export(link, "new\n")

    assert link.is_symlink() and link.resolve() == real
    assert real.read_text() == "new\n"


def test_an_export_to_a_fifo_nobody_reads_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    with pytest.raises(ExportTargetError, match=r"out.csv: it is a pipe .FIFO. that no program"):
        write_export(fifo, "a,b\n")
    assert fifo.is_fifo()


def test_an_export_to_a_fifo_with_a_reader_streams_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader_open = threading.Event()

    def read() -> None:
        # Like `cat out.csv` started first: the reader is there before the export opens it.
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        reader_open.set()
        chunks = []
        try:
            while True:
                # Before any writer connects Linux reports nothing (not EOF): wait for data.
                ready, _, _ = select.select([fd], [], [], 10)
                assert ready, "no data within 10 s"
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            os.close(fd)
        received.append(b"".join(chunks))

    thread = threading.Thread(target=read)
    thread.start()
    assert reader_open.wait(10)
    text = "x" * 200_000 + "\n"  # more than a pipe buffer holds
    write_export(fifo, text)
    thread.join(10)
    assert received == [text.encode()]
    assert fifo.is_fifo()  # still the FIFO, not a regular file put in its place


def test_an_export_to_dev_null_leaves_the_device_alone() -> None:
    write_export("/dev/null", "a,b\n")
    assert Path("/dev/null").is_char_device()


def test_an_export_onto_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportTargetError, match="cannot write: it is a folder"):
        write_export(tmp_path, "a\n")


def test_an_export_to_a_regular_file_leaves_no_temporary_file(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out.csv"
    target.write_text("old\n")
    write_export(target, "new\n")
    assert target.read_text() == "new\n"
    assert [p.name for p in folder.iterdir()] == ["out.csv"]
