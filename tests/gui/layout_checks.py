"""Geometry checks a user would notice: text cut off, widgets on top of each other, a window
past the screen edge. Used by the GUI tests and by the screen-size screenshot run."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtGui import Qt as QtGuiNs
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollBar,
    QWidget,
)

#: Widgets whose children are their own business (Qt's or pyqtgraph's internals).
_OPAQUE = (QComboBox, QAbstractSpinBox, QAbstractScrollArea, QScrollBar, QLineEdit)


def label_clipped(label: QLabel) -> str:
    """Why ``label``'s text does not fit its rectangle (per its font's metrics), or ""."""
    text = label.text()
    if not text or not label.isVisible() or QtGuiNs.mightBeRichText(text):
        return ""
    if label.buddy() is not None:  # "&Note": the & underlines the N, it is not drawn
        text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    rect = label.contentsRect()
    margin = label.margin() * 2
    metrics = QFontMetricsF(label.font())
    if label.wordWrap():
        flags = int(Qt.TextFlag.TextWordWrap)
        needed = metrics.boundingRect(QRectF(0, 0, rect.width() - margin, 100000), flags, text)
        if needed.height() > rect.height() + 1 or needed.width() > rect.width() + 1:
            return (
                f"{label.objectName() or type(label).__name__} {text!r}: needs "
                f"{needed.width():.0f}x{needed.height():.0f}, has {rect.width()}x{rect.height()}"
            )
        return ""
    lines = text.split("\n")
    width = max(metrics.horizontalAdvance(line) for line in lines)
    height = metrics.lineSpacing() * (len(lines) - 1) + metrics.height()
    if width > rect.width() - margin + 1 or height > rect.height() + 1:
        return (
            f"{label.objectName() or type(label).__name__} {text!r}: needs "
            f"{width:.0f}x{height:.0f}, has {rect.width()}x{rect.height()}"
        )
    return ""


def button_clipped(button: QAbstractButton) -> str:
    """Why ``button``'s label does not fit inside it, or ""."""
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    if not text or not button.isVisible():
        return ""
    metrics = QFontMetricsF(button.font())
    lines = text.split("\n")
    width = max(metrics.horizontalAdvance(line) for line in lines)
    height = metrics.lineSpacing() * (len(lines) - 1) + metrics.height()
    # A push button has a frame (the session's are 2 px); a check box has its box.
    frame = (6, 4) if isinstance(button, QPushButton) else (20, 0)
    if width > button.width() - frame[0] or height > button.height() - frame[1]:
        return (
            f"button {text!r}: needs {width:.0f}x{height:.0f}, "
            f"has {button.width()}x{button.height()}"
        )
    return ""


def clipped_texts(root: QWidget) -> list[str]:
    """Every visible label or button under ``root`` whose text is cut."""
    problems = []
    for label in root.findChildren(QLabel):
        if _checked(label, root):
            problems.append(label_clipped(label))
    for button in root.findChildren(QAbstractButton):
        if _checked(button, root):
            problems.append(button_clipped(button))
    return [p for p in problems if p]


def _checked(widget: QWidget, root: QWidget) -> bool:
    if not widget.isVisibleTo(root) or widget.width() <= 0:
        return False
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, _OPAQUE) and not _is_scroll_viewport_content(widget, parent):
            return False
        parent = parent.parentWidget()
    return True


def _is_scroll_viewport_content(widget: QWidget, area: QWidget) -> bool:
    """Widgets inside a QScrollArea's content are ours; a combo's popup parts are not."""
    from PySide6.QtWidgets import QScrollArea

    return isinstance(area, QScrollArea)


def overlapping_siblings(root: QWidget) -> list[str]:
    """Pairs of visible sibling widgets under ``root`` that cover each other."""
    problems = []
    stack = [root]
    while stack:
        parent = stack.pop()
        if isinstance(parent, _OPAQUE) and parent is not root:
            content = getattr(parent, "widget", None)
            inner = content() if callable(content) else None
            if isinstance(inner, QWidget):
                stack.append(inner)
            continue
        children = [
            c
            for c in parent.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if c.isVisibleTo(root)
            and not c.isWindow()
            and c.width() > 0
            and c.height() > 0
            # Overlays (a caption, a question) cover the screen on purpose, for a moment.
            and not c.property("overlay")
        ]
        for i, first in enumerate(children):
            for second in children[i + 1 :]:
                if _overlaps(first.geometry(), second.geometry()):
                    problems.append(f"{_name(first)} overlaps {_name(second)}")
        stack.extend(children)
    return problems


def _overlaps(a: QRect, b: QRect) -> bool:
    common = a.intersected(b)
    return common.width() > 1 and common.height() > 1


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
    return f"{type(widget).__name__}({widget.objectName() or text[:20]!r})"


def outside(rect: QRect, area: QRect) -> str:
    """ "" if ``rect`` lies inside ``area``, else a description of how it sticks out."""
    if area.contains(rect):
        return ""
    return (
        f"{rect.width()}x{rect.height()}+{rect.x()}+{rect.y()} is not inside "
        f"{area.width()}x{area.height()}+{area.x()}+{area.y()}"
    )
