"""汇总与导出: the score table (表2) and the export buttons."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from core.document import Evaluation
from core.scoring import ScoreSheet
from core.sections import shown_grade, shown_total
from core.text import visible
from gui.editing import wrap_label
from gui.lastyear import Comparison
from gui.pages import Page, whole_table
from gui.status import STATUS_WORDS


class SummaryPage(Page):
    def build(self, doc: Evaluation) -> None:
        self.summary = wrap_label("", "summaryLine")
        self.layout_.addWidget(self.summary)
        bar = QHBoxLayout()
        self.export_buttons = []
        for kind, text in (
            ("bundle", "导出报送包…"),
            ("xlsx", "导出 Excel…"),
            ("docx", "导出 Word…"),
            ("pdf", "导出 PDF…"),
        ):
            b = QPushButton(text)
            if kind == "bundle":
                b.setObjectName("primary")
            b.clicked.connect(lambda _=False, k=kind: self.editor.export(k))
            bar.addWidget(b)
            self.export_buttons.append(b)
        bar.addStretch(1)
        self.layout_.addLayout(bar)
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # read only: Tab goes on to the next control
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        whole_table(self.table)
        self.widths = Proportional(self.table)
        self.table.cellDoubleClicked.connect(self._open)
        self.layout_.addWidget(self.table)
        self.notes = wrap_label("", "tableNote")  # 暂定, 不适用 rescaling, caps: why the total is what it is
        self.layout_.addWidget(self.notes)
        self.comparison = Comparison()  # shown when the draft was started from last year's
        self.layout_.addWidget(self.comparison)
        self.leaf_ids: list[str] = []
        self.columns: list = []

    def focus(self, path: tuple) -> QWidget | None:
        return None  # the summary shows no field of the document

    def _open(self, row: int, _col: int) -> None:
        if 0 <= row < len(self.leaf_ids) and self.leaf_ids[row]:  # not 合计 or 评价等级
            self.editor.focus_path(("indicators", self.leaf_ids[row]))

    def refresh(self, sheet: ScoreSheet) -> None:
        from core.checks import ERROR, export_is_draft
        from core.report import scores_table

        errors = sum(1 for f in self.editor.findings if f.severity == ERROR)
        draft = export_is_draft(sheet, self.editor.findings)
        self.summary.setText(
            f"总分 {shown_total(sheet)} 分，等级 {shown_grade(sheet)}；"
            f"{sheet.leaf_count} 项指标中 {sheet.open_count} 项未评分、{sheet.problem_count} 项有问题"
            + (f"，审核发现错误 {errors} 条" if errors else "")
            + "。"
            + ("导出的文件将标注“草稿”。" if draft else "")
            + "　双击一行可转到该指标。"
        )
        self.show_table(scores_table(self.editor.doc, sheet), sheet)
        self.comparison.update_for(self.editor.doc, sheet)

    def show_table(self, table, sheet: ScoreSheet) -> None:
        """表2 as the exports print it (the report model's table: the framework's columns, merged 一级 / 二级 cells,
        合计 and 评价等级); a row's status and problems in its tooltip."""
        if table.columns != self.columns:
            self.columns = table.columns
            self.table.setColumnCount(len(table.columns))
            self.table.setHorizontalHeaderLabels([c.label for c in table.columns])
            self.widths.widths = [c.width for c in table.columns]
        self.table.clearSpans()
        self.table.setRowCount(len(table.rows))
        self.leaf_ids = [r.node for r in table.rows]
        bold = self.table.font()
        bold.setBold(True)
        for i, row in enumerate(table.rows):
            node = sheet.by_id.get(row.node)
            tip = ""
            if node is not None:
                tip = "；".join([STATUS_WORDS[node.status], *node.problems])
            for c in range(len(table.columns)):
                item = self.table.item(i, c)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(i, c, item)
                cell = row.cells[c] if c < len(row.cells) else None
                item.setText(visible(cell.text) if cell is not None else "")
                item.setToolTip(tip)
                item.setFont(bold if row.kind in ("group", "total") else self.table.font())
                align = Qt.AlignmentFlag.AlignCenter
                if cell is not None and cell.align == "left":
                    align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                item.setTextAlignment(align)
                if cell is not None and (cell.rows > 1 or cell.cols > 1):
                    self.table.setSpan(i, c, cell.rows, cell.cols)
        self.notes.setText(visible("\n".join(table.notes)))
        self.notes.setVisible(bool(table.notes))
        # a column of short values (scores, weights, rates, units) at least as wide as its widest value
        metrics = self.table.fontMetrics()
        self.widths.least = [
            max(
                (metrics.horizontalAdvance(c.text) for r in table.rows if (c := r.cells[i]) and c.cols == 1),
                default=0,
            )
            if column.key in SHORT or column.key.endswith("_weight")
            else 0
            for i, column in enumerate(table.columns)
        ]
        self.widths.apply()


SHORT = ("weight", "score", "coefficient", "unit", "core")  # 表2 columns of short values (core.report)


class Proportional(QObject):
    """A table's columns as wide as the report model says, relative to each other (Column.width), filling the
    width the table has, a column no narrower than `least` (pixels of its content); a heading too long for its
    column takes two lines."""

    def __init__(self, table: QTableWidget):
        super().__init__(table)
        self.table, self.widths, self.least = table, [], []
        head = table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        head.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        table.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Resize and self.widths:
            self.apply()
        return False

    def apply(self) -> None:
        table, head, pad = self.table, self.table.horizontalHeader(), 12
        room = table.width() - 2 * table.frameWidth()
        least = [w + pad if w else 0 for w in self.least] or [0] * len(self.widths)
        fixed: set[int] = set()
        while True:  # columns below their least width get it; the others share the rest by their widths
            free = room - sum(least[c] for c in fixed)
            share = sum(w for c, w in enumerate(self.widths) if c not in fixed) or 1
            sizes = [least[c] if c in fixed else w * free / share for c, w in enumerate(self.widths)]
            narrow = {c for c, size in enumerate(sizes) if size < least[c]} - fixed
            if not narrow:
                break
            fixed |= narrow
        metrics, lines = head.fontMetrics(), 1
        for c, size in enumerate(sizes):
            size = max(round(size), 1)
            head.resizeSection(c, size)
            label = table.horizontalHeaderItem(c)
            if label is not None:
                lines = max(lines, min(3, -(-(metrics.horizontalAdvance(label.text()) + pad) // size)))
        head.setFixedHeight(lines * metrics.height() + pad)
        table.resizeRowsToContents()
        table.fit_height()
