"""The pages of the form, one per step of core.sections, built from the framework's declarations.

Every page has one interface, used by the window and nothing else:
- `load(doc)`: show the document. The first call builds the page from the document's framework; later calls
  put the document's values into the page's fields (after an import, or when 表1's rows were replaced).
- `refresh(sheet)`: update what depends on the scores (labels are changed in place; unchanged cards skipped).
- `focus(path)`: put the cursor in the field that shows a document path; returns that widget (or None).
A page reaches the window (`editor`) only to register its fields and to send edits.
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from core.document import Evaluation
from core.scoring import ScoreSheet
from core.sections import FACTS_KEY, FIGURES_KEY, NARRATIVE_KEY, SUMMARY_KEY, TARGETS_KEY, Section
from gui.editing import LineField, TextField


class Page(QWidget):
    def __init__(self, editor, section: Section):
        super().__init__()
        self.editor, self.section = editor, section
        self.setObjectName("page")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(24, 16, 24, 24)
        self.layout_.setSpacing(12)
        self.own_fields: list = []
        self.built = False

    # ----- the interface
    def load(self, doc: Evaluation) -> None:
        if not self.built:
            self.built = True
            self.build(doc)
            self.layout_.addStretch(1)
            return
        for f in self.own_fields:
            f.show_value(doc.get(f.path))

    def refresh(self, sheet: ScoreSheet) -> None:
        pass

    def focus(self, path: tuple) -> QWidget | None:
        widget = next((f for f in self.own_fields if f.path == path), None)
        if widget is not None:
            widget.setFocus()
        return widget

    def keyPressEvent(self, event) -> None:
        """Enter on a button of the page presses it (添加一行, 上一页, 手工调整得分…), as Space does and as Enter
        does on 上一步 / 下一步: a button ignores Enter unless it is a dialog's default, so it comes here."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication, QPushButton

        button = QApplication.focusWidget()
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and isinstance(button, QPushButton) and self.isAncestorOf(button) and button.isEnabled():
            button.click()
            return
        super().keyPressEvent(event)

    # ----- for the page kinds
    def build(self, doc: Evaluation) -> None:
        raise NotImplementedError

    def field(self, path: tuple, label: str, number: bool = False) -> LineField:
        return self._own(LineField(self.editor, path, label, number))

    def text(self, path: tuple, label: str, lines: int = 3) -> TextField:
        return self._own(TextField(self.editor, path, label, lines))

    def _own(self, f):
        self.editor.register(f)
        self.own_fields.append(f)
        return f

    def forget(self, widgets: list) -> None:
        """Fields of a part of the page that is being rebuilt (the clerk's rows): no longer shown or updated."""
        gone = set(map(id, widgets))
        self.own_fields = [f for f in self.own_fields if id(f) not in gone]
        for f in widgets:
            shown = self.editor.fields.get(f.path, [])
            if f in shown:
                shown.remove(f)


def whole_table(table) -> None:
    """A table as tall as its rows, so that the page has one scroll bar, not one inside another."""
    from PySide6.QtCore import Qt

    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def fit(*_):
        height = table.horizontalHeader().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(r) for r in range(table.rowCount()))
        if table.horizontalScrollBar().isVisible():
            height += table.horizontalScrollBar().height()
        table.setFixedHeight(max(height, table.horizontalHeader().height() + 60))

    table.verticalHeader().sectionResized.connect(fit)
    table.model().rowsInserted.connect(fit)
    table.model().rowsRemoved.connect(fit)
    table.fit_height = fit
    fit()


def make_page(editor, section: Section) -> Page:
    """The page of a step (not yet loaded)."""
    from gui.pages.facts import FactsPage
    from gui.pages.figures import FiguresPage
    from gui.pages.indicators import IndicatorPage
    from gui.pages.narrative import NarrativePage
    from gui.pages.summary import SummaryPage
    from gui.pages.targets import TargetsPage

    if section.root:
        return IndicatorPage(editor, section)
    kinds = {
        FACTS_KEY: FactsPage,
        TARGETS_KEY: TargetsPage,
        FIGURES_KEY: FiguresPage,
        NARRATIVE_KEY: NarrativePage,
        SUMMARY_KEY: SummaryPage,
    }
    return kinds[section.key](editor, section)
