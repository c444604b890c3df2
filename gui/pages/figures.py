"""预算与执行数据: the framework's shared figures, by group, two to a row."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QPushButton

from core.document import Evaluation
from core.sections import figure_groups, figure_users
from core.text import visible
from gui.editing import WrapLabel, plain_label, with_hint, wrap_label
from gui.importer import PasteKeys, clipboard_text, is_cells, paste_into_figures
from gui.lastyear import previous_keys, previous_text, with_previous
from gui.messages import tip
from gui.pages import Page


class FiguresPage(Page):
    def load(self, doc: Evaluation) -> None:
        super().load(doc)
        # last year's values, as text: after an import or undo
        for key, label in self.previous_labels.items():
            text = previous_text(doc, doc.framework.figures[key])
            label.setText(text)
            label.setVisible(bool(text))

    def build(self, doc: Evaluation) -> None:
        self.previous_labels: dict = {}
        fw = doc.framework
        self.layout_.addWidget(
            wrap_label(
                "这里填写的数据由多个指标共用，只需填写一次。金额单位为万元；可直接粘贴“1,273.37”“93.8%”这样的写法。",
                "note",
            )
        )
        users = figure_users(fw)
        needed = previous_keys(fw)  # last year's values a rule reads: typed here (or carried)
        for title, specs in figure_groups(fw):
            box = QGroupBox(visible(title))
            grid = QGridLayout(box)
            grid.setHorizontalSpacing(10)
            grid.setVerticalSpacing(8)
            keys = [spec.key for spec in specs]
            for i, spec in enumerate(specs):
                row, col = divmod(i, 2)
                f = self.field(("figures", spec.key), spec.label, number=True)
                f.setMinimumWidth(120)
                if spec.key in users:
                    f.setToolTip(tip("用于指标：" + "、".join(users[spec.key])))
                # Ctrl+V of several cells copied in Excel fills this field and the next ones of the group
                PasteKeys(f, lambda keys=keys, key=spec.key: self.paste(keys, key))
                label = WrapLabel(spec.label)
                grid.addWidget(label, row, col * 4, Qt.AlignmentFlag.AlignTop)
                cell = with_previous(with_hint(f), doc, spec, self, needed)
                # aligned to the top: a hint beside the field keeps the row level
                grid.addWidget(cell, row, col * 4 + 1, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(plain_label(spec.unit), row, col * 4 + 2, Qt.AlignmentFlag.AlignTop)
            grid.setColumnStretch(1, 1)
            grid.setColumnStretch(5, 1)
            grid.setColumnMinimumWidth(3, 24)
            paste = QPushButton("从 Excel 粘贴")
            paste.setToolTip(
                tip("在 Excel 或 WPS 中复制“名称 | 数值”两列，或按本组顺序排列的一列数值，粘贴到本组")
            )
            paste.clicked.connect(lambda _=False, keys=keys: self.paste(keys, keys[0], always=True))
            grid.addWidget(paste, grid.rowCount(), 0, 1, 2, Qt.AlignmentFlag.AlignLeft)
            self.layout_.addWidget(box)

    def paste(self, keys: list[str], start: str, always: bool = False) -> bool:
        """Cells from the clipboard into this group (one undo step); a single value is pasted by the field."""
        text = clipboard_text()
        if not always and not is_cells(text):
            return False
        paste_into_figures(self.editor, keys, start, text)
        return True
