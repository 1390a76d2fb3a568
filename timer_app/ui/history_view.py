"""The history window: every session in a sortable table, a chart of left against right per
routine, editing and deleting results (with Undo), and CSV export/import.

Opened from the main window's menu or the H key. pyqtgraph (and numpy) are imported only
when the window is built, never when this module is imported, so start-up stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from timer_app.core import units
from timer_app.settings import Settings
from timer_app.storage.history import History
from timer_app.storage.records import SessionRecord
from timer_app.ui import history_csv
from timer_app.ui.drill_tab import DrillComparisonTab
from timer_app.ui.history_model import (
    Column,
    HistoryProxy,
    HistoryTableModel,
    sides_of,
    when_to_edit,
)
from timer_app.ui.history_writes import HistoryWrites
from timer_app.ui.plain_text import plain_label, warn
from timer_app.ui.read_only_table import style_read_only_table
from timer_app.ui.results_prompter import DialogPrompter
from timer_app.ui.screen_fit import BIG_WINDOW_SHARE, fit_to_screen

if TYPE_CHECKING:
    from timer_app.ui.chart import HistoryChart

#: The width the note column keeps before the routine column widens into a big window's room.
#: A routine's name is in every row and a note in few (its tooltip shows it whole), so at
#: 1280x800 the name comes first: "Hip internal rotation, lying" in full, the note ~15 letters.
NOTE_ROOM = 120
#: The window's margins and the table's vertical scroll bar, roughly (for the room left).
WINDOW_CHROME = 60

UNDO_BAR_STYLE = (
    "QFrame#undo_bar { background: #fff3c4; border: 1px solid #c8a400; border-radius: 4px; }"
    " QFrame#undo_bar QLabel { color: #1a1a1a; }"
)


def preload_chart() -> None:
    """Import the chart's plotting library (pyqtgraph, ~0.2 s) ahead of the first open.

    Optional: the window imports it anyway when built. A caller that wants the first open
    as fast as later ones (measured in benchmarks/history_open.py) may call this from an
    idle moment after start-up, never while a session runs (it blocks the GUI thread)."""
    import timer_app.ui.chart  # noqa: F401


def _describe(record: SessionRecord) -> str:
    when = record.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
    return f"{when} ({record.routine_name})"


class HistoryWindow(QWidget):
    """A top-level window over a :class:`History`; it re-reads the store each time it is
    shown again. Emits ``history_changed`` after any edit, delete, undo or import, so the
    main window can refresh what depends on past results, and ``settings_changed`` when the
    user changed the result unit or block thickness (the caller saves the settings file)."""

    history_changed = Signal()
    settings_changed = Signal()

    def __init__(self, history: History, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("HistoryWindow")
        self.setWindowTitle("History: Mobility Timer")
        self._history = history
        self._settings = settings
        self._writes = HistoryWrites(history, self, parent=self)
        self._deleted: list[SessionRecord] = []
        self._chart_routine: str | None = None
        # Set when the sessions changed, so the chart redraws even for the same routine.
        self._chart_stale = True

        self.model = HistoryTableModel(settings.result_unit, settings.block_height_cm)
        self.proxy = HistoryProxy()
        self.proxy.setSourceModel(self.model)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(self._build_toolbar())
        layout.addWidget(self._build_undo_bar())
        self.status_label = plain_label()
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        layout.addWidget(self.status_label)

        self.table = self._build_table()
        # Imported here, not at module level: pyqtgraph costs ~0.2 s and only this window
        # needs it.
        from timer_app.ui.chart import HistoryChart

        self.chart: HistoryChart = HistoryChart()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.chart)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("history_tabs")
        self.tabs.addTab(self.splitter, "Sessions")
        self.drill_tab = DrillComparisonTab()
        self.tabs.addTab(self.drill_tab, "Which drill &works")
        layout.addWidget(self.tabs, 1)
        # The comparison is computed when its tab is shown, and again after any change.
        self._drills_stale = True
        self.tabs.currentChanged.connect(lambda _index: self._refresh_drills())
        self.model.modelReset.connect(self._drills_changed)
        self.drill_tab.export_requested.connect(self.export_report)

        undo = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        undo.activated.connect(self.undo_delete)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected)
        for key in (QKeySequence(QKeySequence.StandardKey.Close), QKeySequence("Escape")):
            QShortcut(key, self).activated.connect(self.close)
        self._shown_before = False

        fit_to_screen(self, QSize(1280, 800), settings.window_sizes, "history", BIG_WINDOW_SHARE)
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        # Shown again by the main window (not un-minimised): sessions may have been added
        # since, so read the store again.
        if self._shown_before and not event.spontaneous():
            self.reload()
        self._shown_before = True
        super().showEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._widen_routine_column()

    def _widen_routine_column(self) -> None:
        """Routine names in full where the window has room for them (a big screen), as long
        as the note keeps :data:`NOTE_ROOM`; never narrower than it is (the user's width)."""
        table = self.table
        metrics = table.fontMetrics()
        names = [name for _id, name in self._history.routine_ids()]
        wanted = max((metrics.horizontalAdvance(name) for name in names), default=0) + 28
        others = sum(
            table.columnWidth(column)
            for column in Column
            if column not in (Column.ROUTINE, Column.NOTE)
        )
        # The window's width, less its margins and the vertical scroll bar (the table is
        # not laid out yet when this first runs).
        room = self.width() - WINDOW_CHROME - others - NOTE_ROOM
        width = min(wanted, room)
        if width > table.columnWidth(Column.ROUTINE):
            table.setColumnWidth(Column.ROUTINE, width)

    # -- construction ------------------------------------------------------------------------

    def _build_toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        label = plain_label("&Routine")
        self.routine_filter = QComboBox()
        self.routine_filter.setObjectName("routine_filter")
        # Room for a routine's name, but not its whole length: the window must fit a
        # 800 px wide screen (the full name is in the drop-down list).
        self.routine_filter.setMinimumContentsLength(16)
        self.routine_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        label.setBuddy(self.routine_filter)
        self.routine_filter.currentIndexChanged.connect(self._on_filter_changed)
        unit_label = plain_label("&Show in")
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("unit")
        for unit in units.Unit:
            self.unit_combo.addItem(unit.choice, unit.value)
        self.unit_combo.setCurrentIndex(
            max(0, self.unit_combo.findData(self._settings.result_unit))
        )
        unit_label.setBuddy(self.unit_combo)
        self.unit_combo.currentIndexChanged.connect(self._on_unit_changed)

        self.edit_button = QPushButton("&Edit results…")
        self.edit_button.setObjectName("edit")
        self.edit_button.setToolTip("Change or fill in the selected session's results (Enter)")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setObjectName("delete")
        self.delete_button.setToolTip("Delete the selected session (Del); Ctrl+Z undoes it")
        self.delete_button.clicked.connect(self.delete_selected)
        self.export_button = QPushButton("E&xport CSV…")
        self.export_button.setObjectName("export")
        self.export_button.clicked.connect(self.export_csv)
        self.import_button = QPushButton("&Import CSV…")
        self.import_button.setObjectName("import")
        self.import_button.clicked.connect(self.import_csv)

        bar.addWidget(label)
        bar.addWidget(self.routine_filter)
        bar.addSpacing(8)
        bar.addWidget(unit_label)
        bar.addWidget(self.unit_combo)
        bar.addStretch(1)
        for button in (self.edit_button, self.delete_button):
            bar.addWidget(button)
        bar.addSpacing(8)
        for button in (self.export_button, self.import_button):
            bar.addWidget(button)
        return bar

    def _build_undo_bar(self) -> QFrame:
        self.undo_bar = QFrame()
        self.undo_bar.setObjectName("undo_bar")
        self.undo_bar.setStyleSheet(UNDO_BAR_STYLE)
        row = QHBoxLayout(self.undo_bar)
        row.setContentsMargins(10, 4, 10, 4)
        self.undo_label = plain_label()
        self.undo_label.setObjectName("undo_label")
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setObjectName("undo")
        self.undo_button.setToolTip("Bring the session back (Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo_delete)
        dismiss = QPushButton("Dismiss")
        dismiss.setObjectName("dismiss")
        dismiss.clicked.connect(self.undo_bar.hide)
        row.addWidget(self.undo_label, 1)
        row.addWidget(self.undo_button)
        row.addWidget(dismiss)
        self.undo_bar.hide()
        return self.undo_bar

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("history_table")
        style_read_only_table(table)
        table.setModel(self.proxy)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = table.horizontalHeader()
        # Fixed widths from the font, not resizeColumnsToContents(): measuring 7,300 rows
        # would cost more than the whole window is allowed to take to open.
        # A height column's header is two lines ("Right" over "(blocks)"): its width is
        # the widest of its unit lines and its numbers, whichever unit is shown later.
        height_sample = max(
            [f"({label})" for label in units.UNIT_LABELS.values()] + ["+12.34", "R − L"],
            key=table.fontMetrics().horizontalAdvance,
        )
        samples = {
            Column.DATE: "2026-11-26 07:15",
            Column.ROUTINE: "Hip internal rotation, ly",
            Column.DONE: "1:02:03",
            Column.LEFT: height_sample,
            Column.RIGHT: height_sample,
            Column.ASYMMETRY: height_sample,
            Column.ASYMMETRY_PERCENT: "R − L %",
            Column.PAIN: "Pain",
            Column.STATUS: "results pending",
        }
        metrics = table.fontMetrics()
        for column, text in samples.items():
            table.setColumnWidth(column, metrics.horizontalAdvance(text) + 28)
        header.setSectionResizeMode(Column.NOTE, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(Column.DATE, Qt.SortOrder.DescendingOrder)
        table.setSortingEnabled(True)
        table.activated.connect(lambda _index: self.edit_selected())
        table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        return table

    # -- reading the store -------------------------------------------------------------------

    def reload(self, select_id: int | None = None) -> None:
        """Re-read every session from the store, keeping the filter, sort and selection."""
        keep = select_id if select_id is not None else self.selected_id()
        self.model.set_records(self._history.sessions())
        header = self.table.horizontalHeader()
        column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        # The store lists newest first, which is the default order: sort only if changed.
        if (column, order) != (Column.DATE, Qt.SortOrder.DescendingOrder):
            self.model.sort(column, order)
        self._refresh_filter_items()
        self._widen_routine_column()
        self._chart_stale = True
        self._select(keep)  # redraws the chart through currentRowChanged...
        self._refresh_chart()  # ...or here, if the current row did not change
        self._refresh_buttons()

    def _refresh_filter_items(self) -> None:
        current = self.routine_filter.currentData()
        self.routine_filter.blockSignals(True)
        self.routine_filter.clear()
        self.routine_filter.addItem("All routines", None)
        for routine_id, name in self._history.routine_ids():
            self.routine_filter.addItem(name, routine_id)
        index = self.routine_filter.findData(current) if current is not None else 0
        self.routine_filter.setCurrentIndex(max(0, index))
        self.routine_filter.blockSignals(False)
        self.proxy.set_routine(self.routine_filter.currentData())

    def selected_id(self) -> int | None:
        """Id of the selected session, or None."""
        record = self.selected_record()
        return None if record is None else record.id

    def selected_record(self) -> SessionRecord | None:
        """The selected session, or None."""
        index = self.table.selectionModel().currentIndex()
        rows = self.table.selectionModel().selectedRows()
        if rows:
            index = rows[0]
        if not index.isValid():
            return None
        return self.model.record(self.proxy.mapToSource(index).row())

    def _select(self, session_id: int | None) -> None:
        row = None if session_id is None else self.model.row_of(session_id)
        if row is None:
            # Nothing to keep: select the first row so the keyboard works at once.
            target = self.proxy.index(0, 0)
        else:
            target = self.proxy.mapFromSource(self.model.index(row, 0))
        if target.isValid():
            self.table.selectionModel().setCurrentIndex(
                target,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(target)

    # -- chart -------------------------------------------------------------------------------

    def _chart_routine_id(self) -> str | None:
        """The routine charted: the filter's, else the selected session's, else the latest."""
        if self.proxy.routine_id is not None:
            return self.proxy.routine_id
        record = self.selected_record()
        if record is not None:
            return record.routine_id
        records = self.model.records()
        return max(records, key=lambda r: r.started_at).routine_id if records else None

    def _refresh_chart(self, force: bool = False) -> None:
        from timer_app.ui.history_series import chart_series

        routine_id = self._chart_routine_id()
        if routine_id == self._chart_routine and not (force or self._chart_stale):
            return
        self._chart_routine = routine_id
        self._chart_stale = False
        records = [r for r in self.model.records() if r.routine_id == routine_id]
        name = records[0].routine_name if records else "No sessions yet"
        if records:
            name = max(records, key=lambda r: r.started_at).routine_name
        series = chart_series(records, self.model_unit, self._settings.block_height_cm)
        self.chart.show_series(series, name)

    @property
    def model_unit(self) -> str:
        """The unit values are shown in."""
        return str(self.unit_combo.currentData())

    # -- reacting to the user ----------------------------------------------------------------

    def _on_filter_changed(self) -> None:
        self.proxy.set_routine(self.routine_filter.currentData())
        if not self.table.selectionModel().selectedRows():
            self._select(None)
        self._refresh_chart()
        self._refresh_buttons()

    def _on_unit_changed(self) -> None:
        self._settings.result_unit = self.model_unit
        self.model.set_unit(self.model_unit, self._settings.block_height_cm)
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        self._refresh_chart(force=True)
        self._drills_changed()
        self.settings_changed.emit()

    def _on_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._refresh_chart()
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        record = self.selected_record()
        self.edit_button.setEnabled(record is not None)
        self.delete_button.setEnabled(record is not None)
        pending = record is not None and (record.results_pending or not record.results)
        self.edit_button.setText("&Fill in results…" if pending else "&Edit results…")

    def edit_selected(self) -> None:
        """Edit (or fill in) the selected session's results with the results prompt."""
        record = self.selected_record()
        if record is None:
            return
        when = when_to_edit(record)
        before = [e for e in record.results if e.when == "before"] if when == "after" else []
        current = [e for e in record.results if e.when == when]
        kept = [e for e in record.results if e.when != when]
        # The prompt stores the unit and block thickness the user just typed with.
        prompter = DialogPrompter(self, self._settings, self.settings_changed.emit)
        entries = prompter.ask(
            sides=sides_of(record),
            when=when,
            routine_name=record.routine_name,
            before=before or None,
            initial=current or None,
        )
        if entries is None:
            return
        # A refused write keeps the results and offers to try again or export them.
        if not self._writes.save_results(record.id, record.routine_name, [*kept, *entries]):
            return
        self._sync_unit_combo()
        self.reload(select_id=record.id)
        self._status(f"Saved the results of {_describe(record)}.")
        self.history_changed.emit()

    def _sync_unit_combo(self) -> None:
        # The prompt remembers the unit the user typed in; show the table in it too.
        index = self.unit_combo.findData(self._settings.result_unit)
        if index >= 0 and index != self.unit_combo.currentIndex():
            self.unit_combo.setCurrentIndex(index)
        else:
            self.model.set_unit(self.model_unit, self._settings.block_height_cm)

    def delete_selected(self) -> None:
        """Delete the selected session; the undo bar and Ctrl+Z bring it back."""
        record = self.selected_record()
        if record is None:
            return
        row = self.table.selectionModel().currentIndex().row()
        gone: list[SessionRecord] = []
        try:
            done = self._writes.write(lambda h: gone.append(h.delete_session(record.id)), False)
        except KeyError as exc:  # already gone (another window, an import)
            self._warn("Not deleted", str(exc))
            return
        if not done:
            self._warn("Not deleted", self._writes.last_error)
            return
        deleted = gone[0]
        self._deleted.append(deleted)
        self.model.set_records(self._history.sessions())
        self._resort()
        self._refresh_filter_items()
        # Select the session that took its place, so Del can be pressed again.
        next_index = self.proxy.index(min(row, self.proxy.rowCount() - 1), 0)
        self._chart_stale = True
        self._select(None if not next_index.isValid() else self._id_at(next_index))
        self._refresh_chart()
        self._refresh_buttons()
        self.undo_label.setText(f"Deleted the session of {_describe(deleted)}.")
        self.undo_bar.show()
        self._status("")
        self.history_changed.emit()

    def undo_delete(self) -> None:
        """Bring back the last deleted session (Ctrl+Z)."""
        if not self._deleted:
            return
        record = self._deleted[-1]
        restored: list[int] = []
        try:
            done = self._writes.write(lambda h: restored.append(h.restore_session(record)), False)
        except ValueError as exc:
            self._warn("Could not undo", str(exc))
            return
        if not done:  # kept in the undo list: Ctrl+Z can try again
            self._warn("Could not undo", self._writes.last_error)
            return
        self._deleted.pop()
        self.reload(select_id=restored[0])
        if self._deleted:
            self.undo_label.setText(f"Deleted the session of {_describe(self._deleted[-1])}.")
        else:
            self.undo_bar.hide()
        self._status(f"Restored the session of {_describe(record)}.")
        self.history_changed.emit()

    def _id_at(self, proxy_index: QModelIndex) -> int:
        return self.model.record(self.proxy.mapToSource(proxy_index).row()).id

    def _resort(self) -> None:
        header = self.table.horizontalHeader()
        column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        if (column, order) != (Column.DATE, Qt.SortOrder.DescendingOrder):
            self.model.sort(column, order)

    # -- CSV -----------------------------------------------------------------------------------

    # -- which drill works ----------------------------------------------------------------------

    def _drills_changed(self) -> None:
        self._drills_stale = True
        self._refresh_drills()

    def _refresh_drills(self) -> None:
        """Recompute the drill comparison if its tab is shown and the sessions or unit
        changed since (20 years of sessions take a moment: not on every reload)."""
        if not self._drills_stale or self.tabs.currentWidget() is not self.drill_tab:
            return
        self._drills_stale = False
        self.drill_tab.show_sessions(
            self.model.records(), self.model_unit, self._settings.block_height_cm
        )

    def export_report(self) -> None:
        """Ask where, then write the physio report (PDF, and the chart as PNG)."""
        from timer_app.ui.report_export import export_report_with_dialog

        message = export_report_with_dialog(
            self,
            self.model.records(),
            self.model_unit,
            self._settings.block_height_cm,
            now=self.drill_tab.clock(),
        )
        if message:
            self._status(message)

    def export_csv(self) -> None:
        """Ask where, then write every session as CSV (atomically)."""
        message = history_csv.export_with_dialog(self, self._history)
        if message:
            self._status(message)

    def import_csv(self) -> None:
        """Ask for a CSV file exported here and add its sessions (all or nothing)."""
        outcome = history_csv.import_with_dialog(
            self, self._history, self._settings.block_height_cm
        )
        if outcome is None:
            return
        added, message = outcome
        self.reload()
        self._status(message)
        if added:
            self.history_changed.emit()

    def _status(self, text: str) -> None:
        """Say what just happened under the toolbar ("" hides the line)."""
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    def _warn(self, title: str, text: str) -> None:
        warn(self, title, text)
