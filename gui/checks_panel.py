"""The 审核 panel: the findings of core.checks (错误 / 警告 / 提示); choosing one goes to its field.

The panel only shows findings; the window runs the checks (just after its first paint, then a moment after
each edit) and routes a chosen finding by its path.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDockWidget, QTreeWidget, QTreeWidgetItem

from gui.messages import tip

SEVERITY_COLOURS = {"错误": "#c62828", "警告": "#b7791f"}


class ChecksPanel(QDockWidget):
    chosen = Signal(object)  # the path of the chosen finding's field; () for the document as a whole

    def __init__(self, parent):
        super().__init__("审核", parent)
        self.setObjectName("checksDock")
        self.ready = False  # no findings yet: the checks run just after the window's first paint
        self.list = QTreeWidget()
        self.list.setHeaderLabels(["级别", "问题"])
        self.list.setRootIsDecorated(False)
        self.list.setColumnWidth(0, 60)
        self.list.setWordWrap(True)
        self.list.itemDoubleClicked.connect(self._chosen)
        self.setWidget(self.list)

    def show_findings(self, findings: list) -> None:
        self.ready = True
        self.list.clear()
        for f in findings:
            item = QTreeWidgetItem([f.severity, f.message])
            item.setData(0, Qt.ItemDataRole.UserRole, tuple(f.path))
            item.setToolTip(1, tip(f.message))
            colour = SEVERITY_COLOURS.get(f.severity)
            if colour:
                item.setForeground(0, QColor(colour))
            self.list.addTopLevelItem(item)
        errors = sum(1 for f in findings if f.severity == "错误")
        self.setWindowTitle(
            f"审核（{len(findings)} 条，其中错误 {errors} 条）" if findings else "审核（未发现问题）"
        )

    def _chosen(self, item: QTreeWidgetItem, _col: int) -> None:
        self.chosen.emit(tuple(item.data(0, Qt.ItemDataRole.UserRole) or ()))
