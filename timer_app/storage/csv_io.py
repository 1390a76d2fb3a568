"""CSV export and import of the history (columns documented in docs/history-csv.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from timer_app.storage.history import History


def export_csv(history: History, out: TextIO) -> int:
    """See :func:`timer_app.storage.history.export_csv`."""
    raise NotImplementedError


def import_csv(history: History, src: TextIO, source_name: str) -> int:
    """See :func:`timer_app.storage.history.import_csv`."""
    raise NotImplementedError
