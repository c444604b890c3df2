"""The 审核 panel: a one-line bar with the counts of 错误 / 警告 / 提示 that opens on click into the list of
findings (core.checks); a click on a finding (or Enter) goes to its field.

The panel only shows findings; the window runs the checks (just after its first paint, then a moment after
each edit) and routes a chosen finding by its path. Closed, it takes one line, so that a small screen keeps
its height for the form.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout

from core.text import visible
from gui.editing import WrappingRows
from gui.messages import tip

SEVERITY_COLOURS = {"错误": "#c62828", "警告": "#b7791f"}
LIST_HEIGHT = 170


class ChecksPanel(QFrame):
    chosen = Signal(object)  # the path of the chosen finding's field; () for the document as a whole
    toggled = Signal(bool)  # opened or closed

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("checksPanel")
        self.ready = False  # no findings yet: the checks run just after the window's first paint
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.bar = QPushButton("审核")
        self.bar.setObjectName("checksBar")
        self.bar.setCheckable(True)
        self.bar.setAutoDefault(True)  # Enter on the bar opens or closes the list, as Space does
        self.bar.setToolTip("单击展开或收起审核结果")
        self.bar.toggled.connect(self.set_open)
        lay.addWidget(self.bar)
        self.list = QTreeWidget()
        self.list.setHeaderLabels(["级别", "问题"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(False)
        self.list.setColumnWidth(0, 60)
        self.list.setWordWrap(True)
        self.list.header().setStretchLastSection(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setFixedHeight(LIST_HEIGHT)
        self.list.setItemDelegate(WrappingRows(self.list, 12))
        self.list.header().sectionResized.connect(lambda *_: self.list.doItemsLayout())  # lines wrap anew
        self.list.itemClicked.connect(self._chosen)
        self.list.itemActivated.connect(self._chosen)  # Enter on a finding
        self.list.hide()
        lay.addWidget(self.list)
        self.counts = ""

    def is_open(self) -> bool:
        return self.bar.isChecked()

    def set_open(self, open_: bool) -> None:
        if self.bar.isChecked() != open_:
            self.bar.setChecked(open_)  # comes back here through toggled
            return
        self.list.setVisible(open_)
        if open_:
            self.list.doItemsLayout()  # the rows were measured while the list was hidden
        self._title()
        self.toggled.emit(open_)

    def show_findings(self, findings: list) -> None:
        from core.checks import counts_text

        self.ready = True
        self.list.clear()
        for f in findings:
            item = QTreeWidgetItem([f.severity, visible(f.message)])
            item.setData(0, Qt.ItemDataRole.UserRole, tuple(f.path))
            item.setToolTip(1, tip(f.message))
            colour = SEVERITY_COLOURS.get(f.severity)
            if colour:
                item.setForeground(0, QColor(colour))
            self.list.addTopLevelItem(item)
        if self.list.isVisible():
            self.list.doItemsLayout()
        self.counts = counts_text(findings) if findings else "未发现问题"
        errors = any(f.severity == "错误" for f in findings)
        if self.bar.property("errors") != errors:
            self.bar.setProperty("errors", errors)
            self.bar.style().unpolish(self.bar)
            self.bar.style().polish(self.bar)
        self._title()

    def _title(self) -> None:
        arrow = "▼" if self.is_open() else "▲"
        counts = f"：{self.counts}" if self.counts else ""
        hint = "（单击项目可转到该处）" if self.is_open() and self.list.topLevelItemCount() else ""
        self.bar.setText(f"{arrow} 审核{counts}{hint}")

    def _chosen(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        self.chosen.emit(tuple(item.data(0, Qt.ItemDataRole.UserRole) or ()))
