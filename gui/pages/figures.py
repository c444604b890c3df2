"""预算与执行数据: the framework's shared figures, by group, two to a row."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox

from core.document import Evaluation
from core.sections import figure_groups, figure_users
from core.text import visible
from gui.editing import WrapLabel, plain_label, with_hint, wrap_label
from gui.messages import tip
from gui.pages import Page


class FiguresPage(Page):
    def build(self, doc: Evaluation) -> None:
        fw = doc.framework
        self.layout_.addWidget(
            wrap_label(
                "这里填写的数据由多个指标共用，只需填写一次。金额单位为万元；可直接粘贴“1,273.37”“93.8%”这样的写法。",
                "note",
            )
        )
        users = figure_users(fw)
        for title, specs in figure_groups(fw):
            box = QGroupBox(visible(title))
            grid = QGridLayout(box)
            grid.setHorizontalSpacing(10)
            grid.setVerticalSpacing(8)
            for i, spec in enumerate(specs):
                row, col = divmod(i, 2)
                f = self.field(("figures", spec.key), spec.label, number=True)
                f.setMinimumWidth(120)
                if spec.key in users:
                    f.setToolTip(tip("用于指标：" + "、".join(users[spec.key])))
                label = WrapLabel(spec.label)
                grid.addWidget(label, row, col * 4, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(with_hint(f), row, col * 4 + 1)
                grid.addWidget(plain_label(spec.unit), row, col * 4 + 2, Qt.AlignmentFlag.AlignTop)
            grid.setColumnStretch(1, 1)
            grid.setColumnStretch(5, 1)
            grid.setColumnMinimumWidth(3, 24)
            self.layout_.addWidget(box)
