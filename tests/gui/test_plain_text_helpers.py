"""The start screen's text helpers do without PySide6's ``Qt`` namespace (start-up, see
timer_app/ui/enum_property.py) and give what Qt's own functions give: a tooltip a user hovers
reads the same, a label set by property name shows plain text."""

from __future__ import annotations

import random
import sys
import unicodedata

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui_Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from timer_app.ui.enum_property import set_enum_property
from timer_app.ui.plain_text import QT_SPACES, plain_label, plain_tooltip

TRICKY = [
    "Hip internal rotation, lying",
    "CARs warm-up, then per side three rounds.\n/usr/share/timer-app/routines/hip.toml",
    "<b>Big</b><img src='/etc/hosts'> & \"quotes\" 'too'",
    "one\ntwo",
    "one\n\ntwo",
    "one\n\n\n\ntwo",
    "\nleading",
    "trailing\n",
    "\n\n",
    "tab\there",
    "\t\tx\ty",
    "1234567\tx",
    "  two  spaces and a\xa0no-break",
    "em\u2003space, ideographic\u3000space, line\u2028separator",
    "file separator\x1c is no space to Qt",
    "carriage\r\nreturn",
    "é ✎ ⚠ → ×",
]


def qt_tooltip(text: str) -> str:
    return str(QtGui_Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpacePre))


@pytest.mark.parametrize("text", TRICKY)
def test_a_tooltip_is_escaped_as_qt_escapes_it(text: str) -> None:
    assert plain_tooltip(text) == qt_tooltip(text)


def test_tooltips_of_random_text_match_qt() -> None:
    pick = random.Random(16)  # seeded: the same texts every run
    alphabet = "ab <>&\t\n\r\xa0\u2003\u3000\u200b\x1c\"'é"
    texts = ["".join(pick.choices(alphabet, k=pick.randint(1, 30))) for _ in range(2000)]
    assert [t for t in texts if plain_tooltip(t) != qt_tooltip(t)] == []


def test_no_text_no_tooltip() -> None:
    assert plain_tooltip("") == ""


def test_the_space_list_is_qts_isspace() -> None:
    # QChar::isSpace: tab..carriage return, space, NEL, no-break space, and categories
    # Zs/Zl/Zp. Tab and line feed are handled apart (tab stops, line breaks).
    separators = {
        chr(code)
        for code in range(0x80, sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in ("Zs", "Zl", "Zp")
    }
    assert set(QT_SPACES) == {"\v", "\f", "\r", " ", "\x85"} | separators


def test_a_plain_label_shows_markup_as_written(qtbot: QtBot) -> None:
    label = plain_label("<b>Big</b>")
    qtbot.addWidget(label)
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == "<b>Big</b>"


def test_an_enum_property_is_set_by_its_keys(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    set_enum_property(label, "textInteractionFlags", "TextSelectableByMouse")
    assert label.textInteractionFlags() == Qt.TextInteractionFlag.TextSelectableByMouse
    set_enum_property(label, "alignment", "AlignRight|AlignVCenter")
    assert label.alignment() == Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@pytest.mark.parametrize(
    ("name", "key", "says"),
    [
        ("textFormt", "PlainText", "QLabel has no property 'textFormt'"),
        ("textFormat", "Plaintext", "QLabel.textFormat has no key 'Plaintext'"),
    ],
)
def test_a_misspelt_property_or_key_fails_at_once(
    qtbot: QtBot, name: str, key: str, says: str
) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    with pytest.raises(ValueError, match=says):
        set_enum_property(label, name, key)
    assert label.textFormat() == Qt.TextFormat.AutoText  # left as it was
