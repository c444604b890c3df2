"""Message boxes whose text is always plain: a file name or an error quoting what was typed is never markup."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGuiQt
from PySide6.QtWidgets import QMessageBox


def box(parent, kind: str, title: str, text: str, buttons=None) -> QMessageBox:
    """A message box ("critical", "warning", "information", "question"); 确定 unless `buttons` are given."""
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
    return QtGuiQt.convertFromPlainText(text) if text else ""
