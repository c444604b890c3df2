"""The totals bar (总分、等级、各一级指标小计、未评与问题数): always in view, updated with every keystroke."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QWidget

from core.numbers import fmt
from core.scoring import ScoreSheet
from core.sections import shown_grade, shown_total
from gui.editing import plain_label
from gui.messages import tip as plain_tip


class TotalsBar(QFrame):
    def __init__(self):
        super().__init__()
        self.setObjectName("totals")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(20, 8, 20, 8)
        lay.setSpacing(22)
        self.total = plain_label(name="totalValue")
        self.grade = plain_label(name="gradeValue")
        lay.addWidget(self.total)
        lay.addWidget(self.grade)
        self.root_box = QWidget()
        lay.addWidget(self.root_box, 1)
        self.roots: dict[str, QLabel] = {}
        self.counts = plain_label(name="counts")
        lay.addWidget(self.counts)
        self.problems = plain_label(name="problemCount")
        lay.addWidget(self.problems)

    def set_framework(self, framework) -> None:
        """One subtotal label per 一级 indicator. Many of them must not widen the window: the row sits in a
        scroll area without scroll bars that clips it, and its tooltip lists them all."""
        old = self.root_box
        self.root_box = QScrollArea()
        self.root_box.setObjectName("rootBox")
        self.root_box.setFrameShape(QFrame.Shape.NoFrame)
        self.root_box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.root_box.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.root_box.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.root_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.layout().replaceWidget(old, self.root_box)
        old.setParent(None)
        old.deleteLater()
        inner = QWidget()
        inner.setObjectName("rootRow")
        box = QHBoxLayout(inner)
        box.setContentsMargins(8, 0, 0, 0)
        box.setSpacing(22)
        self.roots = {}
        for r in framework.roots:
            label = plain_label(name="subtotal")
            self.roots[r.id] = label
            box.addWidget(label)
        self.root_box.setWidget(inner)

    def refresh(self, sheet: ScoreSheet) -> None:
        # 不适用 rescaled, or capped by 执行率: said on the total when it changed it (a cap not reached is only
        # in the tooltip)
        adjusted = sheet.total != sheet.raw_total
        self.total.setText(f"总分 {shown_total(sheet)}" + ("（已调整）" if adjusted else ""))
        self.total.setToolTip(plain_tip("\n".join(sheet.total_formula)))
        self.grade.setText(f"等级 {shown_grade(sheet)}")
        for node in sheet.nodes:
            self.roots[node.id].setText(f"{node.name} {fmt(node.score, '—')} / {fmt(node.weight)}")
        tip = "\n".join(f"{n.name}：{fmt(n.score, '—')} / {fmt(n.weight)} 分" for n in sheet.nodes)
        tip = plain_tip(tip)
        if self.root_box.toolTip() != tip:
            self.root_box.setToolTip(tip)
        inner = self.root_box.widget()
        inner.adjustSize()
        self.root_box.setFixedHeight(inner.sizeHint().height())
        self.counts.setText(f"未评 {sheet.open_count} 项")
        self.problems.setText(f"有问题 {sheet.problem_count} 项" if sheet.problem_count else "")
        self.problems.setVisible(bool(sheet.problem_count))
