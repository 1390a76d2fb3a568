"""The history window over a real store on tmp_path: table, sorting, filter, edit, delete with
undo, the chart's plotted data, and CSV export/import through the buttons."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import REPO, ROUTINES
from timer_app.core.results import ResultEntry
from timer_app.core.routine import Routine, Side
from timer_app.core.routine_file import load_routine, routine_to_dict
from timer_app.settings import Settings
from timer_app.storage.history import History
from timer_app.storage.records import SessionRecord
from timer_app.ui.history_model import Column
from timer_app.ui.history_view import HistoryWindow
from timer_app.ui.results_dialog import ResultsDialog

IR = load_routine(ROUTINES / "hip-ir-lying.toml")
ER = load_routine(ROUTINES / "hip-er-lying.toml")
DAY0 = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)


def make_record(
    routine: Routine,
    day: int,
    left: float | None,
    right: float | None,
    *,
    pending: bool = False,
    pain: int | None = None,
    note: str = "",
    status: str = "completed",
    before: tuple[float, float] | None = None,
) -> SessionRecord:
    """A session ``day`` days after DAY0 with results in blocks (7.5 cm each)."""
    results = []
    for side, value in ((Side.LEFT, left), (Side.RIGHT, right)):
        if value is not None:
            results.append(ResultEntry(side, value * 7.5, value, "blocks", "after", pain, note))
    if before is not None:
        for side, value in zip((Side.LEFT, Side.RIGHT), before, strict=True):
            results.append(ResultEntry(side, value * 7.5, value, "blocks", "before"))
    started = DAY0 + timedelta(days=day)
    return SessionRecord(
        id=0,
        routine_id=routine.id,
        routine_name=routine.name,
        started_at=started,
        status=status,
        planned_seconds=1500,
        snapshot=routine_to_dict(routine),
        ended_at=started + timedelta(minutes=25),
        done_seconds=1500 if status == "completed" else 600,
        results=tuple(results),
        results_pending=pending,
    )


def seed(history: History, records: Sequence[SessionRecord]) -> list[int]:
    with history.batch():
        return [history.insert_record(r) for r in records]


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    store = History(tmp_path / "history.sqlite3")
    yield store
    store.close()


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def open_window(
    qtbot: QtBot, history: History, settings: Settings
) -> Iterator[Callable[[], HistoryWindow]]:
    windows: list[HistoryWindow] = []

    def make() -> HistoryWindow:
        window = HistoryWindow(history, settings)
        qtbot.addWidget(window)
        # Active, as when the user opens it: Del and Ctrl+Z are window shortcuts.
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


def cell(window: HistoryWindow, row: int, column: Column, role: int = 0) -> Any:
    return window.proxy.index(row, column).data(role or Qt.ItemDataRole.DisplayRole)


def column_texts(window: HistoryWindow, column: Column) -> list[str]:
    return [cell(window, row, column) for row in range(window.proxy.rowCount())]


def click_header(qtbot: QtBot, window: HistoryWindow, column: Column) -> None:
    header = window.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_table_shows_sessions_newest_first_in_the_users_unit(
    history: History, open_window: Callable[[], HistoryWindow]
) -> None:
    seed(
        history,
        [
            make_record(IR, 0, 3, 4, pain=2, note="stiff"),
            make_record(IR, 1, 3.5, 3.5, before=(3, 3)),
            make_record(ER, 2, None, None, pending=True, status="stopped"),
        ],
    )
    window = open_window()
    assert window.proxy.rowCount() == 3
    assert column_texts(window, Column.DATE) == [
        (DAY0 + timedelta(days=d)).astimezone().strftime("%Y-%m-%d %H:%M") for d in (2, 1, 0)
    ]
    assert column_texts(window, Column.ROUTINE) == [ER.name, IR.name, IR.name]
    # A cut-off routine name can be read in full by hovering it.
    tip = window.proxy.index(0, Column.ROUTINE).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == f"{ER.name} ({ER.id})"
    assert column_texts(window, Column.LEFT) == ["…", "3.50", "3.00"]
    assert column_texts(window, Column.RIGHT) == ["…", "3.50", "4.00"]
    assert column_texts(window, Column.ASYMMETRY) == ["", "0.00", "+1.00"]
    assert column_texts(window, Column.ASYMMETRY_PERCENT) == ["", "0 %", "+25 %"]
    assert column_texts(window, Column.PAIN) == ["", "", "2"]
    assert column_texts(window, Column.NOTE) == ["", "", "stiff"]
    assert column_texts(window, Column.STATUS) == ["results pending", "completed", "completed"]
    assert column_texts(window, Column.DONE) == ["10:00", "25:00", "25:00"]
    header = window.model.headerData(Column.LEFT, Qt.Orientation.Horizontal)
    assert header == "Left\n(blocks)"
    # cm in the tooltip, and the gain since "before" where there is one.
    tip = cell(window, 1, Column.LEFT, Qt.ItemDataRole.ToolTipRole)
    assert "26.2 cm" in tip
    assert "gain: +0.5" in tip
    # The first row is selected, so Enter and Del work straight away; pending says so.
    assert window.selected_record() is not None
    assert window.edit_button.text() == "&Fill in results…"


def test_values_follow_the_unit(
    qtbot: QtBot, history: History, settings: Settings, open_window: Callable[[], HistoryWindow]
) -> None:
    seed(history, [make_record(IR, 0, 4, 3)])
    window = open_window()
    with qtbot.waitSignal(window.settings_changed):
        window.unit_combo.setCurrentIndex(window.unit_combo.findData("cm"))
    assert column_texts(window, Column.LEFT) == ["30.00"]
    assert column_texts(window, Column.ASYMMETRY) == ["−7.50"]
    assert window.model.headerData(Column.RIGHT, Qt.Orientation.Horizontal) == "Right\n(cm)"
    assert settings.result_unit == "cm"
    _x, y = window.chart.left_curve.getData()
    assert list(y) == [30.0]


def test_sorting_by_clicking_headers_keeps_missing_values_last(
    qtbot: QtBot, history: History, open_window: Callable[[], HistoryWindow]
) -> None:
    seed(
        history,
        [
            make_record(IR, 0, 2, 4),
            make_record(IR, 1, 5, 4),
            make_record(IR, 2, None, None, pending=True),
            make_record(IR, 3, 3.5, 3),
        ],
    )
    window = open_window()
    click_header(qtbot, window, Column.LEFT)
    assert column_texts(window, Column.LEFT) == ["2.00", "3.50", "5.00", "…"]
    click_header(qtbot, window, Column.LEFT)
    assert column_texts(window, Column.LEFT) == ["5.00", "3.50", "2.00", "…"]
    click_header(qtbot, window, Column.ASYMMETRY_PERCENT)
    assert column_texts(window, Column.ASYMMETRY_PERCENT) == ["−20 %", "−14 %", "+50 %", ""]
    click_header(qtbot, window, Column.DATE)
    first_day = (DAY0).astimezone().strftime("%Y-%m-%d %H:%M")
    assert cell(window, 0, Column.DATE) == first_day


def test_filter_by_routine_and_chart_follows(
    qtbot: QtBot, history: History, open_window: Callable[[], HistoryWindow]
) -> None:
    seed(history, [make_record(IR, 0, 3, 4), make_record(ER, 1, 2, 2), make_record(IR, 2, 4, 4)])
    window = open_window()
    items = [window.routine_filter.itemText(i) for i in range(window.routine_filter.count())]
    assert items == ["All routines", ER.name, IR.name]
    window.routine_filter.setFocus()
    qtbot.keyClick(window.routine_filter, Qt.Key.Key_Down)  # -> ER
    qtbot.keyClick(window.routine_filter, Qt.Key.Key_Down)  # -> IR
    assert column_texts(window, Column.ROUTINE) == [IR.name, IR.name]
    assert "Hip internal rotation" in window.chart.height_plot.titleLabel.text
    _x, y = window.chart.left_curve.getData()
    assert list(y) == [3.0, 4.0]
    qtbot.keyClick(window.routine_filter, Qt.Key.Key_Up)  # -> ER
    assert column_texts(window, Column.ROUTINE) == [ER.name]
    _x, y = window.chart.right_curve.getData()
    assert list(y) == [2.0]


def test_delete_then_undo_with_the_bar_and_with_ctrl_z(
    qtbot: QtBot,
    history: History,
    open_window: Callable[[], HistoryWindow],
    screenshot: Callable[[QWidget, str], Path],
) -> None:
    ids = seed(history, [make_record(IR, 0, 3, 4), make_record(IR, 1, 4, 4, note="good day")])
    window = open_window()
    window.table.setFocus()
    assert window.selected_id() == ids[1]
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert [r.id for r in history.sessions()] == [ids[0]]
    assert column_texts(window, Column.NOTE) == [""]
    assert window.undo_bar.isVisible()
    assert "Deleted the session of" in window.undo_label.text()
    screenshot(window, "history_undo_bar")
    qtbot.mouseClick(window.undo_button, Qt.MouseButton.LeftButton)
    assert [r.id for r in history.sessions()] == [ids[1], ids[0]]
    assert history.get(ids[1]).results[0].note == "good day"
    assert not window.undo_bar.isVisible()
    assert window.selected_id() == ids[1]

    qtbot.mouseClick(window.delete_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.delete_button, Qt.MouseButton.LeftButton)
    assert history.sessions() == []
    assert window.proxy.rowCount() == 0
    assert not window.delete_button.isEnabled()
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.undo_bar.isVisible()  # one more to bring back
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert sorted(r.id for r in history.sessions()) == ids
    assert not window.undo_bar.isVisible()


def test_edit_passes_existing_results_and_saves_the_new_ones(
    qtbot: QtBot,
    history: History,
    open_window: Callable[[], HistoryWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (sid,) = seed(history, [make_record(IR, 0, 3, 4, before=(2.5, 3.5))])
    window = open_window()
    calls: list[dict[str, Any]] = []
    new = [ResultEntry(Side.LEFT, 30.0, 30, "cm"), ResultEntry(Side.RIGHT, 31.0, 31, "cm")]

    def fake_ask(parent: QWidget | None, **kwargs: Any) -> list[ResultEntry]:
        calls.append(kwargs)
        kwargs["settings"].result_unit = "cm"
        return new

    monkeypatch.setattr(ResultsDialog, "ask", fake_ask)
    window.table.setFocus()
    with qtbot.waitSignals([window.settings_changed, window.history_changed]):
        qtbot.keyClick(window.table, Qt.Key.Key_Return)
    (call,) = calls
    assert call["sides"] == [Side.LEFT, Side.RIGHT]
    assert call["when"] == "after"
    assert [e.entered_value for e in call["initial"]] == [3, 4]
    assert [e.entered_value for e in call["before"]] == [2.5, 3.5]
    stored = history.get(sid)
    assert stored.result(Side.LEFT) == new[0]
    assert stored.result(Side.LEFT, "before") is not None  # "before" values kept
    assert column_texts(window, Column.LEFT) == ["30.00"]  # shown in the unit just used
    assert window.model.headerData(Column.LEFT, Qt.Orientation.Horizontal) == "Left\n(cm)"


def test_fill_in_pending_results_with_the_real_prompt(
    qtbot: QtBot, history: History, open_window: Callable[[], HistoryWindow]
) -> None:
    (sid,) = seed(history, [make_record(IR, 0, None, None, pending=True)])
    window = open_window()
    assert [r.id for r in history.pending()] == [sid]

    def type_results() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ResultsDialog)
        left = dialog.findChild(QLineEdit, "height_left")
        qtbot.keyClicks(left, "3")
        qtbot.keyClick(left, Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.focusWidget(), "3.5")
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)

    QTimer.singleShot(0, type_results)
    qtbot.mouseClick(window.edit_button, Qt.MouseButton.LeftButton)
    assert history.pending() == []
    assert [e.entered_value for e in history.get(sid).results] == [3.0, 3.5]
    assert column_texts(window, Column.STATUS) == ["completed"]
    assert window.edit_button.text() == "&Edit results…"


def sixty_sessions() -> list[SessionRecord]:
    """Two months of sessions: the left side catches up with the right, with ups and downs."""
    rng = np.random.default_rng(5)
    records = []
    for day in range(60):
        left = round((2.0 + day * 0.03 + rng.normal(0, 0.2)) * 4) / 4
        right = round((3.5 + day * 0.01 + rng.normal(0, 0.15)) * 4) / 4
        records.append(make_record(IR, day, left, right, pain=int(rng.integers(0, 3))))
    return records


def test_chart_plots_left_right_asymmetry_and_personal_bests(
    qtbot: QtBot,
    history: History,
    open_window: Callable[[], HistoryWindow],
    screenshot: Callable[[QWidget, str], Path],
) -> None:
    records = sixty_sessions()
    seed(history, [*records, make_record(ER, 3, 1, 1)])
    window = open_window()
    window.routine_filter.setCurrentIndex(window.routine_filter.findData(IR.id))
    x_expected = np.array([r.started_at.timestamp() for r in records])
    left = np.array([r.result(Side.LEFT).value_cm / 7.5 for r in records])  # type: ignore[union-attr]
    right = np.array([r.result(Side.RIGHT).value_cm / 7.5 for r in records])  # type: ignore[union-attr]
    x, y = window.chart.left_curve.getData()
    np.testing.assert_allclose(x, x_expected)
    np.testing.assert_allclose(y, left)
    x, y = window.chart.right_curve.getData()
    np.testing.assert_allclose(y, right)
    x, y = window.chart.asym_curve.getData()
    np.testing.assert_allclose(x, x_expected)
    np.testing.assert_allclose(y, right - left)
    # Personal bests: every session that beat all the earlier ones on that side.
    best_x, best_y = window.chart.left_best.getData()
    expected = [i for i in range(1, 60) if left[i] > left[:i].max()]
    np.testing.assert_allclose(best_x, x_expected[expected])
    np.testing.assert_allclose(best_y, left[expected])
    assert best_y[-1] == left.max()
    title = window.chart.height_plot.titleLabel.text
    assert "60 sessions" in title
    assert "best:" not in title  # the test screen is small: the stars alone show the bests
    window.resize(1280, 800)  # a laptop's screen: the title has room for the bests too
    qtbot.waitUntil(lambda: "best:" in window.chart.height_plot.titleLabel.text)
    title = window.chart.height_plot.titleLabel.text
    assert f"best: left {left.max():g} blocks, right {right.max():g} blocks" in title
    screenshot(window, "history_window")


def test_csv_export_then_import_into_another_store(
    qtbot: QtBot,
    tmp_path: Path,
    history: History,
    settings: Settings,
    open_window: Callable[[], HistoryWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed(history, [make_record(IR, 0, 3, 4, note="a, b"), make_record(ER, 1, 2, 2.5)])
    window = open_window()
    target = tmp_path / "out" / "history.csv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV files (*.csv)")
    )
    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    assert target.exists()
    assert "Exported" in window.status_label.text()

    other = History(tmp_path / "other.sqlite3")
    try:
        second = HistoryWindow(other, settings)
        qtbot.addWidget(second)
        second.show()
        monkeypatch.setattr(
            QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), "CSV files (*.csv)")
        )
        qtbot.mouseClick(second.import_button, Qt.MouseButton.LeftButton)
        assert second.proxy.rowCount() == 2
        assert column_texts(second, Column.NOTE) == ["", "a, b"]
        assert "Imported 2 sessions" in second.status_label.text()
        # Importing the same file again adds nothing.
        qtbot.mouseClick(second.import_button, Qt.MouseButton.LeftButton)
        assert second.proxy.rowCount() == 2
        assert "Nothing new" in second.status_label.text()
        second.close()
    finally:
        other.close()


def test_malformed_csv_is_refused_naming_the_line(
    qtbot: QtBot,
    tmp_path: Path,
    history: History,
    open_window: Callable[[], HistoryWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed(history, [make_record(IR, 0, 3, 4)])
    window = open_window()
    good = tmp_path / "good.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(good), ""))
    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    lines = good.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    broken = lines[1].split(",")
    broken[header.index("started_at")] = "not a date"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([lines[0], ",".join(broken), *lines[2:]]) + "\n", encoding="utf-8")

    history.delete_session(history.sessions()[0].id)
    window.reload()
    warnings: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "timer_app.ui.history_csv.warn",
        lambda parent, title, text: warnings.append((title, text)),
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    qtbot.mouseClick(window.import_button, Qt.MouseButton.LeftButton)
    ((title, text),) = warnings
    assert title == "Import failed"
    assert "Nothing was imported from bad.csv" in text
    assert "Line 2" in text
    assert "started_at" in text
    assert history.sessions() == []


def test_cancelled_file_dialogs_do_nothing(
    qtbot: QtBot,
    history: History,
    open_window: Callable[[], HistoryWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.import_button, Qt.MouseButton.LeftButton)
    assert window.status_label.text() == ""
    assert window.proxy.rowCount() == 0
    assert "no results recorded yet" in window.chart.height_plot.titleLabel.text


def test_pyqtgraph_is_imported_only_when_the_window_is_built(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from PySide6.QtWidgets import QApplication
        import timer_app.ui.history_view as view
        assert "pyqtgraph" not in sys.modules, "imported with the module"
        from timer_app.settings import Settings
        from timer_app.storage.history import History
        app = QApplication([])
        store = History(Path({str(tmp_path / "h.db")!r}))
        window = view.HistoryWindow(store, Settings())
        assert "pyqtgraph" in sys.modules
        window.close()
        print("ok")
        """
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_shown_again_it_reads_new_sessions_and_escape_closes(
    qtbot: QtBot, history: History, open_window: Callable[[], HistoryWindow]
) -> None:
    seed(history, [make_record(IR, 0, 3, 4)])
    window = open_window()
    qtbot.keyClick(window.table, Qt.Key.Key_Escape)
    assert not window.isVisible()
    seed(history, [make_record(IR, 1, 3.5, 4)])
    window.show()
    assert column_texts(window, Column.LEFT) == ["3.50", "3.00"]


def test_preload_chart_imports_pyqtgraph_on_request() -> None:
    code = (
        "import sys, timer_app.ui.history_view as v; assert 'pyqtgraph' not in sys.modules;"
        " v.preload_chart(); print('pyqtgraph' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "True", result.stderr


def test_import_of_a_file_in_blocks_uses_the_users_block_height_like_the_cli(
    qtbot: QtBot,
    tmp_path: Path,
    history: History,
    settings: Settings,
    open_window: Callable[[], HistoryWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A hand-made file gives heights only in blocks: 2 blocks of the user's 8 cm are 16 cm
    in the window, as ``--import-csv`` stores them (one import_history for both)."""
    settings.block_height_cm = 8.0
    hand_made = tmp_path / "blocks.csv"
    hand_made.write_text(
        "started_at,status,routine_id,routine_name,left_after_entered,left_after_unit\n"
        "2026-01-01T08:00:00Z,completed,r,R,2,blocks\n",
        encoding="utf-8",
    )
    window = open_window()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(hand_made), ""))
    qtbot.mouseClick(window.import_button, Qt.MouseButton.LeftButton)

    [record] = history.sessions()
    left = record.result(Side.LEFT)
    assert left is not None
    assert left.value_cm == 16.0
    assert left.entered_value == 2.0


def test_routine_names_are_shown_in_full_where_the_window_has_room(
    open_window: Callable[[], HistoryWindow], history: History, qtbot: QtBot
) -> None:
    """On a big screen the window is wide: the routine column takes the room its longest
    name needs (the note keeps some); in a narrow window it keeps its width and elides."""
    longest = load_routine(ROUTINES / "hip-er-weaker-side.toml")
    seed(history, [make_record(IR, 0, 3, 4), make_record(longest, 1, 3, 4)])
    window = open_window()
    table = window.table
    narrow = table.columnWidth(Column.ROUTINE)
    needed = table.fontMetrics().horizontalAdvance(longest.name)
    assert narrow < needed  # 800 px wide: the name is elided, the other columns fit
    window.resize(1900, 700)  # the test screen is 800x600: as much as a wide one gives
    qtbot.waitUntil(lambda: table.columnWidth(Column.ROUTINE) > needed)
    window.resize(790, 500)
    assert table.columnWidth(Column.ROUTINE) > needed  # the user's room is not taken back


def test_a_1280_screen_shows_the_routine_name_in_full_and_room_for_a_note(
    open_window: Callable[[], HistoryWindow], history: History, qtbot: QtBot
) -> None:
    """At 1280x800 (the window 1272 px wide) the routine's name is not cut, and the note
    still shows ~15 letters; the height columns' units sit on a second header line."""
    seed(history, [make_record(IR, 0, 3, 4)])
    window = open_window()
    table = window.table
    metrics = table.fontMetrics()
    window.resize(1272, 768)
    needed = metrics.horizontalAdvance(IR.name) + 12
    qtbot.waitUntil(lambda: table.columnWidth(Column.ROUTINE) >= needed)
    assert table.columnWidth(Column.NOTE) >= metrics.horizontalAdvance("n" * 15)
    assert window.model.headerData(Column.ASYMMETRY, Qt.Orientation.Horizontal) == "R − L\n(blocks)"
