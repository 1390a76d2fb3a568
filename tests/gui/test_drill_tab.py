"""The history window's *Which drill works* tab over a stored month of two drills: the
verdict, the ranked table, the bars, the unit, the report export, and how it looks at
1280x800 and 800x480 (screenshots in tests/artifacts/screenshots)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from tests import drill_history
from tests.gui.layout_checks import clipped_texts, overlapping_siblings
from timer_app.settings import Settings
from timer_app.storage.history import History
from timer_app.ui.history_view import HistoryWindow

#: Dates shown are local time: pin it to UTC, so the expected text is fixed.
pytestmark = pytest.mark.usefixtures("utc_local_time")


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[HistoryWindow]:
    history = History(tmp_path / "history.sqlite3")
    drill_history.seed(history)
    view = HistoryWindow(history, Settings())
    view.drill_tab.clock = lambda: drill_history.END
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    yield view
    view.close()
    history.close()


def open_tab(window: HistoryWindow) -> None:
    window.tabs.setCurrentWidget(window.drill_tab)


def table_rows(window: HistoryWindow) -> list[list[str]]:
    table = window.drill_tab.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_the_tab_ranks_the_drills_and_names_the_best_for_each_side(
    window: HistoryWindow,
) -> None:
    open_tab(window)
    rows = table_rows(window)
    assert [row[1] for row in rows] == [
        "Trailing-leg hip internal rotation, kneeling",
        "Hip internal rotation, lying",
        "Sleeper hip rotations, internal and external",
        "Quick hip IR check",
    ]
    assert rows[1] == [
        "2",
        "Hip internal rotation, lying",
        "14",
        "+0.50",  # every figure with two decimals: a column's numbers line up
        "+1.00",
        "+1.30",
        "0.00",
        "+0.15",
    ]
    assert rows[0][3:5] == ["+2.00*", "+2.00*"]
    verdict = window.drill_tab.verdict_label.text().splitlines()
    assert verdict[0].startswith("Left side: Sleeper hip rotations, internal and external helps")
    assert verdict[1].startswith("Right side: Hip internal rotation, lying helps most")
    notes = window.drill_tab.notes_label.text()
    assert "Trailing-leg hip internal rotation, kneeling: the gain rests on 2 sessions" in notes
    bars = window.drill_tab.bars
    assert [row.gain_values for row in bars.rows][:3] == [(2.0, 2.0), (0.5, 1.0), (1.0, 0.25)]
    assert bars.accessibleDescription().startswith(
        "Trailing-leg hip internal rotation, kneeling: left +2.00*, right +2.00*; "
        "Hip internal rotation, lying: left +0.50, right +1.00;"
    )


def test_changing_the_unit_changes_the_comparison(window: HistoryWindow) -> None:
    open_tab(window)
    window.unit_combo.setCurrentIndex(window.unit_combo.findData("cm"))
    assert table_rows(window)[1][3:5] == ["+3.75", "+7.50"]
    assert "+7.5 cm a session" in window.drill_tab.verdict_label.text()
    assert window.drill_tab.notes_label.text().startswith("Heights in centimetres.")


def test_a_deleted_session_leaves_the_comparison(qtbot: QtBot, window: HistoryWindow) -> None:
    window.routine_filter.setCurrentIndex(window.routine_filter.findData("trailing-leg-ir"))
    window.delete_selected()
    open_tab(window)
    trailing = next(r for r in table_rows(window) if r[1].startswith("Trailing"))
    assert trailing[2] == "1"


def test_export_report_writes_the_pdf_the_user_chose(
    window: HistoryWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "for physio"  # no suffix: .pdf is added
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), "PDF files (*.pdf)")
    )
    open_tab(window)
    window.drill_tab.export_button.click()
    pdf = tmp_path / "for physio.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "Pages:           2" in info.stdout
    assert (tmp_path / "for physio.png").is_file()
    assert window.status_label.text() == (
        f"Saved the report (2 pages) to {pdf} and its chart to {tmp_path / 'for physio.png'}."
    )


@pytest.mark.parametrize("size", [QSize(1280, 800), QSize(800, 480)], ids=["1280x800", "800x480"])
def test_comparison_screenshots_nothing_clipped(
    qtbot: QtBot, window: HistoryWindow, size: QSize, screenshot: Callable[..., Path]
) -> None:
    window.resize(size)
    open_tab(window)
    qtbot.waitUntil(lambda: window.size() == size)
    path = screenshot(window, f"drill-tab-{size.width()}x{size.height()}")
    assert path.is_file()
    tab = window.drill_tab
    # The tab's content scrolls as one column; check it, not the scroll area's frame.
    assert clipped_texts(tab.content) == []
    assert overlapping_siblings(tab.content) == []
    assert tab.bars.height() >= tab.bars.minimumHeight()
    table = tab.table
    assert table.height() >= table.minimumHeight()
    # Every routine's row is in view without scrolling the table itself.
    last = table.visualItemRect(table.item(table.rowCount() - 1, 0))
    assert table.viewport().rect().contains(last)
    if size.height() < 600:
        # The bars are a scroll away: scrolling to them shows them whole.
        tab.scroll_area.ensureWidgetVisible(tab.bars)
        qtbot.wait(10)
        screenshot(window, f"drill-tab-{size.width()}x{size.height()}-bars")
        top_left = tab.bars.mapTo(tab.scroll_area.viewport(), tab.bars.rect().topLeft())
        assert tab.scroll_area.viewport().rect().contains(top_left)
