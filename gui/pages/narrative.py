"""总体评价与整改: a text box per section of the report the framework declares."""

from __future__ import annotations

from core.document import Evaluation
from core.scoring import ScoreSheet
from core.sections import narrative_parts
from gui.editing import with_hint, wrap_label
from gui.lastyear import CarriedMark
from gui.pages import Page


class NarrativePage(Page):
    def build(self, doc: Evaluation) -> None:
        self.marks: dict[str, CarriedMark] = {}
        self.layout_.addWidget(
            wrap_label(
                "报告正文按章节填写。表1 与评分表由程序根据前面的填报内容自动生成，放在相应章节之后。", "note"
            )
        )
        for part in narrative_parts(doc):
            name = "heading3" if part.level >= 2 and part.takes_text else "heading2"
            self.layout_.addWidget(wrap_label(part.title, name, selectable=False))
            if not part.takes_text:
                continue
            if part.hint:
                self.layout_.addWidget(wrap_label(part.hint, "note"))
            if part.key in doc.carried:  # text from last year's draft: marked until edited or confirmed
                mark = self.marks[part.key] = CarriedMark(self.editor, part.key, part.title)
                self.layout_.addWidget(mark)
            self.layout_.addWidget(with_hint(self.text(("narrative", part.key), part.title, 12)))

    def refresh(self, sheet: ScoreSheet) -> None:
        for mark in self.marks.values():
            mark.update_for(self.editor.doc)
