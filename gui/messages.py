"""Message boxes whose text is always plain: a file name or an error quoting what was typed is never markup.

Qt is imported where a box or a tooltip is made: the modules of the first frame import this one, and the
first frame builds nothing of PySide's `Qt` namespace (see gui.start.start_label).
"""

from __future__ import annotations


def box(parent, kind: str, title: str, text: str, buttons=None):
    """A message box ("critical", "warning", "information", "question"); 确定 unless `buttons` are given."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    icons = {
        "critical": QMessageBox.Icon.Critical,
        "warning": QMessageBox.Icon.Warning,
        "information": QMessageBox.Icon.Information,
        "question": QMessageBox.Icon.Question,
    }
    if buttons is None:
        buttons = QMessageBox.StandardButton.Ok
    b = QMessageBox(icons[kind], title, text, buttons, parent)
    b.setTextFormat(Qt.TextFormat.PlainText)
    return b


def message(parent, kind: str, title: str, text: str) -> None:
    """Show a message ("critical", "warning", "information") and wait for 确定."""
    box(parent, kind, title, text).exec()


def tip(text: str) -> str:
    """A tooltip that shows `text` literally (Qt takes a tooltip that looks like markup for rich text)."""
    from PySide6.QtGui import Qt

    return Qt.convertFromPlainText(text) if text else ""
