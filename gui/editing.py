"""Editing widgets bound to document paths, and the undo commands every edit goes through.

A field knows its path (see core.document.Evaluation.get/set) and calls `editor.edit(path, text, field)`; the
editor pushes a SetText command, which calls Evaluation.set and tells the window what changed. Typing in one
field merges into undo steps per word, line or pause. Number fields show the Chinese hint of core.numbers inline under the field.
"""

from __future__ import annotations

import copy
import time

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from core.numbers import NumberError, parse_number
from core.text import pattern, visible

MERGE_ID = 1


PAUSE_SECONDS = 1.5  # typing after a pause this long starts a new undo step
SEPARATORS = frozenset(" \t\n，。；：！？、,.;:!?）)》」』”’")


def change(before: str, after: str) -> tuple[int, str, str]:
    """Where two texts differ: (position, text removed, text inserted)."""
    start = 0
    end = min(len(before), len(after))
    while start < end and before[start] == after[start]:
        start += 1
    tail = 0
    while tail < end - start and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    return start, before[start : len(before) - tail], after[start : len(after) - tail]


def utf16(text: str, index: int) -> int:
    """A position in a Python string as Qt counts it (UTF-16 code units: a character beyond U+FFFF is two)."""
    return len(text[:index].encode("utf-16-le")) // 2


class SetText(QUndoCommand):
    """Set one value of the document. Typing merges into undo steps the way a word processor does: a new step
    starts at a new word (a letter typed after a space or punctuation), a new line, a pause or another field. So Ctrl+Z takes back the last word or line, never the whole box."""

    def __init__(self, editor, path: tuple, old: str, new: str, label: str, now: float | None = None):
        super().__init__(f"修改“{label}”")
        self.editor, self.path, self.old, self.new = editor, path, old, new
        self.first = True
        self.last = time.monotonic() if now is None else now

    def id(self) -> int:
        return MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetText) or other.path != self.path:
            return False
        if other.last - self.last > PAUSE_SECONDS:
            return False
        at, removed, inserted = change(self.new, other.new)
        if "\n" in removed or "\n" in inserted:
            return False
        if inserted and at > 0 and self.new[at - 1] in SEPARATORS and inserted[0] not in SEPARATORS:
            return False  # a new word begins
        self.new, self.last = other.new, other.last
        return True

    def redo(self) -> None:
        self.editor.apply(self.path, self.new, navigate=not self.first)
        self.first = False

    def undo(self) -> None:
        self.editor.apply(self.path, self.old, navigate=True)


class SetRows(QUndoCommand):
    """Replace 表1's rows (add, remove, move): the rows before and after are kept whole."""

    def __init__(self, editor, before: list[dict], after: list[dict], label: str, focus_row: int):
        super().__init__(label)
        self.editor, self.before, self.after = editor, copy.deepcopy(before), copy.deepcopy(after)
        self.focus_row = focus_row

    def redo(self) -> None:
        self.editor.set_rows(copy.deepcopy(self.after), self.focus_row)

    def undo(self) -> None:
        self.editor.set_rows(copy.deepcopy(self.before), self.focus_row)


UNDO_KEYS = (QKeySequence("Ctrl+Z"), QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z"))


def leave_undo_to_window(event: QEvent) -> bool:
    """Text widgets keep their own undo history; Ctrl+Z / Ctrl+Y must reach the document's undo stack instead."""
    if event.type() == QEvent.Type.ShortcutOverride:
        seq = QKeySequence(event.keyCombination())
        if any(seq.matches(k) == QKeySequence.SequenceMatch.ExactMatch for k in UNDO_KEYS):
            event.ignore()
            return True
    return False


def number_hint(text: str) -> str:
    """The Chinese hint for text that is not a number ("" when it is one or is empty)."""
    try:
        parse_number(text)
    except NumberError as e:
        return str(e)
    return ""


def invisible_note(text: str) -> str:
    """What a field says when its text holds invisible formatting characters (bidi controls, zero widths…):
    they are kept in the draft, marked in the window, and removed from exports (core.text)."""
    found = [m.start() for m in pattern("INVISIBLE").finditer(text)]
    if not found:
        return ""
    first = text[found[0]]
    return (
        f"含 {len(found)} 个不可见的格式字符（如 ⟦U+{ord(first):04X}⟧，导出时删去），"
        f"第一个在第 {found[0] + 1} 字：{visible(text[max(0, found[0] - 8) : found[0] + 9])}"
    )


def edit_menu(field):
    """The field's context menu with the document's 撤销 / 重做 in place of Qt's own (one undo history, one
    wording)."""
    menu = field.createStandardContextMenu()
    own = menu.actions()[:2]  # Qt's 撤消 and 重做 of the widget's own history
    for action in (field.editor.undo_action, field.editor.redo_action):
        menu.insertAction(own[0], action)
    for action in own:
        menu.removeAction(action)
    return menu


class Marked:
    """What a field says under itself, in its hint line: why its text is not a number (at once, as it is
    typed), an 错误 that 审核 found at its path (`set_finding`), invisible characters in it."""

    def contextMenuEvent(self, event) -> None:
        menu = edit_menu(self)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def _marks(self, number: bool) -> None:
        self.number = number
        self.finding = ""
        self._hint: WrapLabel | None = None
        self.hint_layout: QVBoxLayout | None = None  # where the hint goes (with_hint)

    @property
    def hint(self) -> QLabel:
        """The line under the field, made when it is first needed: most fields never say anything, and a page
        of a thousand fields is quicker to build without a thousand hidden labels."""
        if self._hint is None:
            self._hint = WrapLabel()
            self._hint.setObjectName("hint")
            self._hint.hide()
            if self.hint_layout is not None:
                self.hint_layout.addWidget(self._hint)
        return self._hint

    def current(self) -> str:
        raise NotImplementedError

    def set_finding(self, text: str) -> None:
        if text != self.finding:
            self.finding = text
            self.validate()

    def validate(self) -> None:
        text = self.current()
        bad = (number_hint(text) if self.number else "") or self.finding
        hint = "\n".join(x for x in (bad, invisible_note(text)) if x)
        set_style_property(self, "bad", bool(bad))
        if not hint and self._hint is None:
            return
        label = self.hint
        if hint != label.text():
            label.setText(hint)
            label.setVisible(bool(hint))
        set_style_property(label, "bad", bool(bad))


class LineField(Marked, QLineEdit):
    """A one-line text or number field bound to a path. Numbers keep their raw text in the document."""

    def __init__(self, editor, path: tuple, label: str, number: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor, self.path, self.label = editor, path, label
        self._marks(number)
        self.setAccessibleName(label)
        self.setText(editor.doc.get(path))
        # textChanged, not textEdited: the line edit's own context-menu undo must reach the document too
        # (a value shown by show_value equals the document's, so edit() ignores it)
        self.textChanged.connect(lambda text: editor.edit(self.path, text, self.label))
        self.returnPressed.connect(self.next_field)
        self.validate()

    def current(self) -> str:
        return self.text()

    def next_field(self) -> None:
        """Enter: on to the next field, past the buttons of the page (从 Excel 粘贴, 手工调整得分…, where Enter
        does nothing and what is typed next would be lost); after the page's last field, 下一步."""
        page = self.parentWidget()
        while page is not None and page.objectName() != "page":
            page = page.parentWidget()
        self.focusNextPrevChild(True)
        for _ in range(100):
            w = QApplication.focusWidget()
            if w is self or not (
                isinstance(w, QAbstractButton) and page is not None and page.isAncestorOf(w)
            ):
                return
            w.focusNextPrevChild(True)

    def event(self, e: QEvent) -> bool:
        return True if leave_undo_to_window(e) else super().event(e)

    def show_value(self, text: str) -> None:
        if self.text() != text:
            at, _, inserted = change(self.text(), text)
            self.setText(text)
            self.setCursorPosition(utf16(text, at + len(inserted)))  # where the change was (after an undo)
        self.validate()


class TextField(Marked, QPlainTextEdit):
    """A multi-line text bound to a path (reasons, narrative sections). It grows with its text from `lines`
    lines up to MAX_LINES (then it scrolls)."""

    MAX_LINES = 40

    def __init__(self, editor, path: tuple, label: str, lines: int = 3, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor, self.path, self.label = editor, path, label
        self._marks(False)
        self.min_lines = lines
        self.setAccessibleName(label)
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)  # undo is the document's (Ctrl+Z), not the box's own
        self.setPlainText(editor.doc.get(path))
        self._fit()
        self.textChanged.connect(self._changed)
        self.validate()

    def current(self) -> str:
        return self.toPlainText()

    def event(self, e: QEvent) -> bool:
        return True if leave_undo_to_window(e) else super().event(e)

    def _changed(self) -> None:
        self.editor.edit(self.path, self.toPlainText(), self.label)
        self._fit()

    def resizeEvent(self, e) -> None:
        super().resizeEvent(e)
        if e.oldSize().width() != e.size().width():
            self._fit()  # wrapped lines change with the width

    def _fit(self) -> None:
        lines = int(self.document().size().height())  # lines as laid out (wrapped) in a plain text edit
        lines = min(max(lines, self.min_lines), self.MAX_LINES)
        height = self.fontMetrics().lineSpacing() * lines + 16
        if height != self.height():
            self.setFixedHeight(height)

    def show_value(self, text: str) -> None:
        if self.toPlainText() != text:
            at, _, inserted = change(self.toPlainText(), text)
            self.blockSignals(True)
            self.setPlainText(text)
            self.blockSignals(False)
            cursor = self.textCursor()
            cursor.setPosition(utf16(text, at + len(inserted)))  # where the change was (after an undo, say)
            self.setTextCursor(cursor)
            self._fit()
        self.validate()


def set_style_property(widget: QWidget, name: str, value) -> None:
    """Set a property the style sheet selects on (e.g. [status="done"]) and restyle the widget. A widget not yet
    polished takes it up when it is first shown, so restyling it now would be work done twice (and asking for
    the style object early costs start-up time)."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def with_hint(field) -> QWidget:
    """A field with its hint line under it (the line made when the field first has something to say)."""
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(2)
    lay.addWidget(field)
    place_hint(field, lay)
    return box


def place_hint(field, layout: QVBoxLayout) -> None:
    """Where a field's hint line goes when it has one (at the end of `layout`)."""
    field.hint_layout = layout
    if field._hint is not None:
        layout.addWidget(field._hint)


class PlainLabel(QLabel):
    """A label whose text is shown as it is: never as markup, invisible characters marked (⟦U+202E⟧)."""

    def __init__(self, text: str = ""):
        super().__init__(visible(text))
        self.setTextFormat(Qt.TextFormat.PlainText)

    def setText(self, text: str) -> None:
        text = visible(text)
        if text != self.text():
            super().setText(text)


class WrapLabel(PlainLabel):
    """A word-wrapped label that remembers its height per width. Qt lays out wrapped text again for every
    label of a page whenever any of them changes; with a thousand indicators that costs a frame many times
    over, so the answer is kept until the text, font or style changes."""

    def __init__(self, text: str = ""):
        super().__init__(text)
        self.setWordWrap(True)
        self._hfw: dict[int, int] = {}

    def setText(self, text: str) -> None:
        text = visible(text)
        if text != self.text():
            self._hfw.clear()
            QLabel.setText(self, text)

    def heightForWidth(self, width: int) -> int:
        h = self._hfw.get(width)
        if h is None:
            h = self._hfw[width] = super().heightForWidth(width)
        return h

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._hfw.clear()
        super().changeEvent(event)


def plain_label(text: str = "", name: str = "") -> QLabel:
    """A one-line label whose text is shown as it is (never as markup)."""
    label = PlainLabel(text)
    if name:
        label.setObjectName(name)
    return label


def captioned(caption: str, text: str, name: str) -> QWidget:
    """A bold caption (the program's word) before a wrapped plain text from the framework or the document."""
    box = QWidget()
    box.setObjectName(name)
    lay = QHBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(8)
    head = plain_label(caption, "caption")
    lay.addWidget(head, 0, Qt.AlignmentFlag.AlignTop)
    body = wrap_label(text, name)
    lay.addWidget(body, 1)
    box.text_label = body
    return box


def wrap_label(text: str, name: str = "", selectable: bool = True) -> QLabel:
    label = WrapLabel(text)
    if name:
        label.setObjectName(name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class WrappingRows(QStyledItemDelegate):
    """Rows of a list or tree as tall as their text wrapped at the width they have, so that a long line wraps
    instead of ending in "…" (Qt measures a row's text as if it had all the width it wants).
    `reserve` is what the row takes besides the text (icon, padding)."""

    def __init__(self, view, reserve: int):
        super().__init__(view)
        self.view, self.reserve = view, reserve

    def sizeHint(self, option, index):
        size = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        header = getattr(self.view, "header", None)
        width = (
            header().sectionSize(index.column()) if header else self.view.viewport().width()
        ) - self.reserve
        if width <= 0 or not text:
            return size
        metrics = option.fontMetrics
        flags = int(Qt.TextFlag.TextWordWrap)
        wrapped = metrics.boundingRect(0, 0, width, 1_000_000, flags, text).height()
        natural = metrics.boundingRect(0, 0, 1_000_000, 1_000_000, flags, text).height()
        size.setHeight(size.height() + max(0, wrapped - natural))
        return size
