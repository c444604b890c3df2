"""汇总与导出: the score table (表2) and the export buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
from core.numbers import fmt
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
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels(
            ["一级指标", "二级指标", "三级指标", "分值", "得分", "扣分", "状态"]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # read only: Tab goes on to the next control
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        head = self.table.horizontalHeader()
        for c, w in enumerate((90, 110, 220, 60, 60, 60, 80)):
            head.resizeSection(c, w)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        whole_table(self.table)
        self.table.cellDoubleClicked.connect(self._open)
        self.layout_.addWidget(self.table)
        self.comparison = Comparison()  # shown when the draft was started from last year's
        self.layout_.addWidget(self.comparison)
        self.leaf_ids: list[str] = []

    def focus(self, path: tuple) -> QWidget | None:
        return None  # the summary shows no field of the document

    def _open(self, row: int, _col: int) -> None:
        if 0 <= row < len(self.leaf_ids):
            self.editor.focus_path(("indicators", self.leaf_ids[row]))

    def refresh(self, sheet: ScoreSheet) -> None:
        from core.checks import ERROR, export_is_draft
        from core.report_text import table2_rows

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
        rows = table2_rows(sheet)
        self.table.clearSpans()
        self.table.setRowCount(len(rows))
        self.leaf_ids = [r.leaf.id for r in rows]
        for i, r in enumerate(rows):
            leaf = r.leaf
            cells = [
                f"{r.level1.name}\n{fmt(r.level1.score, '—')}/{fmt(r.level1.weight)}",
                f"{r.level2.name}\n{fmt(r.level2.score, '—')}/{fmt(r.level2.weight)}",
                leaf.name,
                fmt(leaf.weight),
                fmt(leaf.score, "—"),
                fmt(leaf.lost) if leaf.score is not None and leaf.lost else "",
                STATUS_WORDS[leaf.status],
            ]
            for c, text in enumerate(cells):
                item = self.table.item(i, c)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(i, c, item)
                item.setText(visible(text))
                if c >= 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            if r.level1_span > 1:
                self.table.setSpan(i, 0, r.level1_span, 1)
            if r.level2_span > 1:
                self.table.setSpan(i, 1, r.level2_span, 1)
        self.table.resizeRowsToContents()
        self.table.fit_height()
        self.comparison.update_for(self.editor.doc, sheet)
