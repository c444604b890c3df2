"""Driving the window as a user: click a step, type into a field, press shortcuts."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def go(qtbot, window, title: str) -> None:
    """Click the step whose title is `title` in the list on the left."""
    for i, s in enumerate(window.section_list):
        if s.title == title:
            item = window.nav.item(i)
            window.nav.scrollToItem(item)
            rect = window.nav.visualItemRect(item)
            qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            assert window.nav.currentRow() == i
            return
    raise AssertionError(f"no step {title}")


def new_evaluation(qtbot, window, year: int | None = None) -> None:
    """On the start page: 新建评价 with the first framework (and the year, if given)."""
    window.show_start()
    if year is not None:
        window.start.year.setValue(year)
    qtbot.mouseClick(window.start.new_button, Qt.MouseButton.LeftButton)
    assert window.doc is not None and window.central.currentWidget() is window.editor


def field(window, *path):
    return window.fields[tuple(path)][0]


def retype(qtbot, widget, text: str) -> None:
    """Select everything in the field and type `text` (Latin-1 only; see type_chinese)."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(widget, text)
    else:
        qtbot.keyClick(widget, Qt.Key.Key_Delete)


def type_chinese(widget, text: str) -> None:
    """qtbot.keyClicks aborts on non-Latin-1 text: send one character at a time."""
    widget.setFocus()
    for ch in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
        )


def shortcut(qtbot, window, sequence: str) -> None:
    """Press a shortcut in the window's focused widget (e.g. "Ctrl+Z")."""
    from PySide6.QtGui import QKeySequence

    combo = QKeySequence(sequence)[0]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    target = window.focusWidget() or window
    qtbot.keyClick(target, combo.key(), combo.keyboardModifiers())


def total_text(window) -> str:
    return window.totals.total.text()
