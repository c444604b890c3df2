"""表1 部门整体支出绩效目标: rows of six columns; add, remove, move up and down."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from core.document import TARGET_COLUMNS, Evaluation
from gui.editing import invisible_note, wrap_label
from gui.importer import PasteKeys, clipboard_text, is_cells, paste_into_targets, run_import
from gui.messages import tip
from gui.pages import Page, whole_table

COLUMN_KEYS = [k for k, _ in TARGET_COLUMNS]


class TargetsTable(QTableWidget):
    """表1's table: Tab in the last cell of the last row starts a new row, as in a Word or WPS table (Qt would go
    back to the first cell, and the next row typed would overwrite the first)."""

    def __init__(self, columns: int, past_end):
        super().__init__(0, columns)
        self.past_end = past_end

    def moveCursor(self, action, modifiers):
        last = (self.rowCount() - 1, self.columnCount() - 1)
        if (
            action == QAbstractItemView.CursorAction.MoveNext
            and (self.currentRow(), self.currentColumn()) == last
        ):
            self.past_end()
            # the new row is already current, so Qt starts no editor there: start it once the old one is closed
            QTimer.singleShot(0, self._edit_current)
            return self.model().index(self.rowCount() - 1, 0)
        return super().moveCursor(action, modifiers)

    def _edit_current(self) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
            self.edit(self.currentIndex())


class CellsPaste(QStyledItemDelegate):
    """Ctrl+V in a cell being typed in (a click opens one): cells copied in Excel fill the table from this cell
    on, as Ctrl+V on the table does (the cell's editor would put every line into this one cell)."""

    def __init__(self, table, paste):
        super().__init__(table)
        self.paste = paste

    def createEditor(self, parent, option, index):
        editor = super().createEditor(parent, option, index)
        PasteKeys(editor, lambda: self._cells(editor))
        return editor

    def _cells(self, editor) -> bool:
        if not is_cells(clipboard_text()):
            return False  # one value: the cell pastes it itself
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.RevertModelCache)
        return self.paste()


class TargetsPage(Page):
    def build(self, doc: Evaluation) -> None:
        self.layout_.addWidget(
            wrap_label(
                "按部门预算中的整体绩效目标逐行填写；偏差原因在实际完成值与指标值不一致时填写。", "note"
            )
        )
        bar = QHBoxLayout()
        self.buttons = {}
        for name, text in (("add", "添加一行"), ("remove", "删除所选行"), ("up", "上移"), ("down", "下移")):
            b = QPushButton(text)
            b.clicked.connect(lambda _=False, n=name: self.rows_action(n))
            bar.addWidget(b)
            self.buttons[name] = b
        bar.addStretch(1)
        for name, text in (("paste", "从 Excel 粘贴"), ("import", "导入…")):
            b = QPushButton(text)
            bar.addWidget(b)
            self.buttons[name] = b
        self.buttons["paste"].setToolTip(
            "在 Excel 或 WPS 中选中单元格复制，粘贴到当前单元格起（也可按 Ctrl+V）"
        )
        self.buttons["paste"].clicked.connect(self.paste)
        self.buttons["import"].clicked.connect(lambda: run_import(self.editor, "targets"))
        self.layout_.addLayout(bar)
        self.table = TargetsTable(len(TARGET_COLUMNS), lambda: self.rows_action("add", edit=False))
        self.table.setHorizontalHeaderLabels([label for _, label in TARGET_COLUMNS])
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head = self.table.horizontalHeader()
        for c, w in enumerate((90, 110, 170, 200, 200, 160)):
            head.resizeSection(c, w)
        head.setSectionResizeMode(len(TARGET_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._item_changed)
        PasteKeys(self.table, self.paste)
        self.table.setItemDelegate(CellsPaste(self.table, self.paste))
        whole_table(self.table)
        self.layout_.addWidget(self.table)
        self._show_rows(doc)

    def load(self, doc: Evaluation) -> None:
        if not self.built:
            super().load(doc)
        else:
            self._show_rows(doc)

    def _show_rows(self, doc: Evaluation) -> None:
        """The document's rows in the table; cells whose text is already shown are left alone (a cell that is
        being committed is not replaced under its own signal)."""
        self.table.blockSignals(True)
        self.table.setRowCount(len(doc.targets))
        for r, row in enumerate(doc.targets):
            for c, key in enumerate(COLUMN_KEYS):
                text = row.get(key, "")
                item = self.table.item(r, c)
                if item is None:
                    item = QTableWidgetItem(text)
                    self.table.setItem(r, c, item)
                elif item.text() != text:
                    item.setText(text)
                note = invisible_note(text)  # the cell is edited as typed: marked in its tooltip and colour
                if item.toolTip() != tip(note):
                    item.setToolTip(tip(note))
                    item.setBackground(QColor("#fff4e0") if note else QColor(Qt.GlobalColor.transparent))
        self.table.blockSignals(False)

    def focus(self, path: tuple) -> QWidget | None:
        if len(path) < 2:
            self.table.setFocus()
            return self.table
        col = COLUMN_KEYS.index(path[2]) if len(path) > 2 and path[2] in COLUMN_KEYS else 0
        self.focus_row(path[1], col)
        return self.table

    def _item_changed(self, item: QTableWidgetItem) -> None:
        key, label = TARGET_COLUMNS[item.column()]
        self.editor.edit(("targets", item.row(), key), item.text(), f"表1 第 {item.row() + 1} 行{label}")

    def rows_action(self, name: str, edit: bool = True) -> None:
        rows = [dict(r) for r in self.editor.doc.targets]
        cur = self.table.currentRow()
        if name == "add":
            at = cur + 1 if cur >= 0 else len(rows)
            rows.insert(at, {k: "" for k in COLUMN_KEYS})
            self.editor.change_rows(rows, "添加表1行", at)
            if edit:
                self.table.editItem(self.table.item(at, 0))  # start typing in the new row at once
        elif cur < 0 or cur >= len(rows):
            return
        elif name == "remove":  # every selected row (or the current one)
            chosen = sorted({i.row() for i in self.table.selectedIndexes()} | {cur}, reverse=True)
            for r in chosen:
                rows.pop(r)
            label = "删除表1行" if len(chosen) == 1 else f"删除表1的 {len(chosen)} 行"
            self.editor.change_rows(rows, label, min(chosen[-1], len(rows) - 1))
        elif name in ("up", "down"):
            to = cur - 1 if name == "up" else cur + 1
            if 0 <= to < len(rows):
                rows[cur], rows[to] = rows[to], rows[cur]
                self.editor.change_rows(rows, "移动表1行", to)

    def paste(self) -> bool:
        """Cells copied in Excel / WPS, pasted from the current cell on (one undo step)."""
        row, col = self.table.currentRow(), self.table.currentColumn()
        paste_into_targets(self.editor, max(row, 0), COLUMN_KEYS[max(col, 0)])
        return True

    def focus_row(self, row: int, col: int = 0) -> None:
        if 0 <= row < self.table.rowCount():
            self.table.setCurrentCell(row, col)
            self.table.setFocus()
