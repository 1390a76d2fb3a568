"""Showing text from the user's files exactly as written: never as rich text.

A QLabel, message box or tooltip guesses "rich text" when its text looks like HTML, so a
routine named ``<img src=/home/me/photo.png>`` would load a local image, and markup in a
shared routine file would change fonts or add links. Every label and message the app builds
goes through these helpers, which set :attr:`Qt.TextFormat.PlainText` (or escape, where
Qt offers no format switch, as for tooltips).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui_Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that shows ``text`` (and anything set later) literally."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def plain_tooltip(text: str) -> str:
    """``text`` escaped as HTML, so a tooltip shows it literally (line breaks kept)."""
    if not text:
        return ""
    return str(QtGui_Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpacePre))


def message_box(
    parent: QWidget | None,
    title: str,
    text: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> QMessageBox:
    """A message box whose text is shown literally (it may name a user's file)."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    return box


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """:meth:`QMessageBox.warning`, with the text shown literally; waits for OK."""
    box = message_box(parent, title, text)
    try:
        box.exec()
    finally:
        box.deleteLater()


def notify(parent: QWidget, title: str, text: str) -> QMessageBox:
    """A warning shown without waiting (window-modal), e.g. at start-up while the app goes
    on to start a session; returns the box (it deletes itself once closed)."""
    box = message_box(parent, title, text)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setObjectName("notice")
    box.open()
    return box
