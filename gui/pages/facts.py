"""基本信息: the facts of the cover and the signature."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout

from core.document import FACTS, Evaluation
from gui.editing import plain_label, with_hint, wrap_label
from gui.pages import Page


class FactsPage(Page):
    def build(self, doc: Evaluation) -> None:
        self.layout_.addWidget(wrap_label("报告封面与落款上的信息。", "note"))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        for key, label in FACTS:
            f = self.field(("facts", key), label)
            f.setMaximumWidth(520)
            form.addRow(plain_label(label + "："), with_hint(f))
        self.layout_.addLayout(form)
