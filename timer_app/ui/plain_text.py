"""Showing text from the user's files exactly as written: never as rich text.

A QLabel, message box or tooltip guesses "rich text" when its text looks like HTML, so a
routine named ``<img src=/home/me/photo.png>`` would load a local image, and markup in a
shared routine file would change fonts or add links. Every label and message the app builds
goes through these helpers, which set the plain-text format (or escape, where Qt offers no
format switch, as for tooltips).

The start screen's labels and tooltips are made before the first paint without PySide6's
``Qt`` namespace: its first use creates its ~150 enum classes, ~20 ms of start-up
(benchmarks/startup.py; tests/gui/test_startup_imports.py checks it is not created then).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtWidgets import QLabel, QWidget

from timer_app.ui.enum_property import set_enum_property

if TYPE_CHECKING:
    # Made by PySide6 on first use (~2 ms with its enums): message boxes come after start-up.
    from PySide6.QtWidgets import QMessageBox

#: QChar::isSpace, less tab and line feed (handled apart): carriage return, vertical tab, form
#: feed, space, NEL and the Unicode separators (categories Zs, Zl and Zp; a test checks this
#: against unicodedata). Not str.isspace, which also counts U+001C..U+001F.
QT_SPACES = (
    "\v\f\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + ("\u2028\u2029\u202f\u205f\u3000")
)
#: What Qt.convertFromPlainText writes for each character HTML would read as markup or
#: collapse (a space: a no-break space, so the text keeps its layout).
_ESCAPES = str.maketrans(
    {"<": "&lt;", ">": "&gt;", "&": "&amp;"} | dict.fromkeys(QT_SPACES, "\xa0")
)
#: A tab: no-break spaces up to the next multiple of this column (as Qt does).
_TAB_STOP = 8


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that shows ``text`` (and anything set later) literally."""
    label = QLabel(parent)
    set_enum_property(label, "textFormat", "PlainText")
    label.setText(text)
    return label


def plain_tooltip(text: str) -> str:
    """``text`` escaped as HTML, so a tooltip shows it literally (line breaks kept): what
    ``Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpacePre)`` returns (a test
    compares the two), written here because the start screen's tooltips are made before the
    first paint, when the ``Qt`` namespace is not to be created."""
    if not text:
        return ""
    rich = ["<p>"]
    # Lines and the runs of line breaks between them (re.split keeps the separators).
    for index, part in enumerate(re.split("(\n+)", text)):
        if index % 2:
            # One line break stays in the paragraph; more end it and start a new one, with
            # a blank line for each beyond the second.
            breaks = len(part)
            rich.append("<br>\n" if breaks == 1 else "</p>\n" + "<br>\n" * (breaks - 2) + "<p>")
        elif "\t" in part:
            rich.append(_with_tabs(part))
        else:
            rich.append(part.translate(_ESCAPES))
    if not text.endswith("\n"):
        rich.append("</p>")
    return "".join(rich)


def _with_tabs(line: str) -> str:
    """One line escaped, its tabs as no-break spaces to the next tab stop (Qt's columns:
    a tab moves to the stop and then counts one more)."""
    out: list[str] = []
    column = 0
    for char in line:
        if char == "\t":
            width = _TAB_STOP - column % _TAB_STOP
            out.append("\xa0" * width)
            column += width
        else:
            out.append(char.translate(_ESCAPES))
        column += 1
    return "".join(out)


def message_box(
    parent: QWidget | None,
    title: str,
    text: str,
    icon: QMessageBox.Icon | None = None,
) -> QMessageBox:
    """A message box whose text is shown literally (it may name a user's file); a warning
    unless ``icon`` says otherwise."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if icon is None else icon)
    box.setWindowTitle(title)
    box.setTextFormat(QtCore.Qt.TextFormat.PlainText)
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
    box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setObjectName("notice")
    box.open()
    return box
