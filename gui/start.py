"""开始页: what the program opens on (as Office and WPS do): a new evaluation (framework and year), open a
draft, the recent drafts with their department, year, total, grade and when they were last saved, the example.

The lists are filled just after the window's first paint (`fill`): the frameworks are read then, and the
recent drafts are read and scored on a background thread (core.recent, gui.jobs), so that start-up builds no
document.
"""

from __future__ import annotations

import time

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.text import visible
from gui.messages import tip

RECENT_COLUMNS = ["草稿", "部门", "年度", "总分", "等级", "上次保存"]
LAST_YEAR_TIP = "带入上年草稿的部门、人员、表1 指标和报告文字，上年数据和得分留作对比；评分和扣分理由不带入"


def start_label(text: str, name: str = "", wrap: bool = False) -> QLabel:
    """A label of the start page, plain text (never markup) like gui.editing's plain_label and wrap_label. Its
    text format is set by name through Qt's property system, which needs no Python enum: the first frame builds
    nothing of PySide's `Qt` namespace (~100 enum classes, ~1,400 members, ~15 ms)."""
    label = QLabel(visible(text))
    label.setObjectName(name)
    label.setProperty("textFormat", "PlainText")
    # not selectable, unlike the cards' texts: nothing on this page is worth copying, and a selectable label
    # carries a text document of its own (~1 % of the first frame for the page's four notes)
    label.setWordWrap(wrap)
    return label


def recent_note(paths: list[str]) -> str:
    """What the note under the recent drafts says: how to open one, or that there are none yet."""
    return "双击一行或按 Enter 打开。" if paths else "还没有打开过的草稿。新建一个评价，或打开草稿。"


def last_year() -> int:
    """The year shown before the frameworks are read: the calendar year that has just ended (then the chosen
    framework's default year, Framework.default_year)."""
    return time.localtime().tm_year - 1  # not datetime: its module costs ~1 % of the first frame


def read_summaries(paths: list[str]):
    """The work of reading and scoring the recent drafts (on its own thread): one summary after another."""

    def work(task) -> None:
        from core.recent import summarize

        for path in paths:
            if task.cancelled:
                return
            task.results.append(summarize(path))  # list.append is atomic; the GUI thread reads it as it grows

    return work


class StartPage(QWidget):
    """Built before the first frame, so nothing here touches PySide's `Qt` namespace (see start_label): layouts
    with stretches rather than alignment flags; the rest waits for `fill`. Its widgets are made in their final
    parents: a widget moved into another parent after it was made is styled again (the style sheet), with all
    its children."""

    def __init__(self, window, parent: QWidget | None = None):
        super().__init__(parent)
        self.window = window
        self.setObjectName("startPage")
        self.frameworks: list = []  # paths, in the order of the list
        self.reader = None  # the task reading the recent drafts
        self.poller = None  # runs it (gui.jobs, imported with the first list: the first frame needs neither)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 28, 40, 28)
        outer.setSpacing(18)
        outer.addWidget(start_label("绩效自评助手", "startTitle"))
        outer.addWidget(
            start_label(
                "部门整体与项目支出绩效自评：逐项填写，实时评分，审核后导出 Excel 评分表、Word 和 PDF 自评报告。",
                "note",
                wrap=True,
            )
        )
        row = QHBoxLayout()
        row.setSpacing(18)
        outer.addLayout(row, 1)

        new = QFrame(self)
        new.setObjectName("card")
        nl = QVBoxLayout(new)
        nl.setContentsMargins(18, 14, 18, 16)
        nl.addWidget(start_label("新建评价", "cardTitle"))
        form = QFormLayout()
        form.setProperty("labelAlignment", "AlignRight")  # setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.framework = QComboBox()
        self.framework.setMinimumWidth(260)
        self.framework.setAccessibleName("指标框架")
        self.framework.currentIndexChanged.connect(self._framework_chosen)
        form.addRow(start_label("指标框架："), self.framework)
        self.framework_note = start_label("", "note", wrap=True)
        form.addRow("", self.framework_note)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(last_year())
        self.year.setAccessibleName("评价年度")
        self.year.setSuffix(" 年度")
        self.year.valueChanged.connect(self._year_chosen)
        self.year_typed = False  # the clerk chose a year: choosing another framework keeps it
        form.addRow(start_label("评价年度："), self.year)
        # a year outside the framework's years is said here
        self.year_note = start_label("", "yearNote", wrap=True)
        self.year_note.hide()
        form.addRow("", self.year_note)
        nl.addLayout(form)
        self.new_button = QPushButton("新建评价")
        self.new_button.setObjectName("primary")
        self.new_button.setAutoDefault(True)
        self.new_button.clicked.connect(self._new)
        line = QHBoxLayout()
        line.addWidget(self.new_button)
        line.addStretch(1)
        nl.addLayout(line)
        nl.addSpacing(10)
        self.more = QGridLayout()  # 打开草稿…, 打开示例 and 从上年草稿开始
        self.open_button = QPushButton("打开草稿…")
        self.open_button.setAutoDefault(True)
        self.open_button.clicked.connect(window.documents.open_dialog)
        self.example_button = QPushButton("打开示例")
        self.example_button.setAutoDefault(True)
        self.example_button.setToolTip("福田区 2020 年度部门整体支出绩效自评报告")
        self.example_button.clicked.connect(window.documents.open_example)
        self.last_year_button = QPushButton("从上年草稿开始…")
        self.last_year_button.setAutoDefault(True)
        self.last_year_button.clicked.connect(lambda: window.start_from_last_year())
        self.more.addWidget(self.open_button, 0, 0)
        self.more.addWidget(self.example_button, 0, 1)
        self.more.addWidget(self.last_year_button, 1, 0, 1, 2)
        nl.addLayout(self.more)
        nl.addStretch(1)
        row.addWidget(new, 2)

        recent = QFrame(self)
        recent.setObjectName("card")
        rl = QVBoxLayout(recent)
        rl.setContentsMargins(18, 14, 18, 16)
        rl.addWidget(start_label("最近的草稿", "cardTitle"))
        # the table of recent drafts takes this place with the first list (`recent_table`): its PySide classes
        # (QTableWidget, its header and item view, with their enums) cost ~2 % of the first frame, which shows
        # no rows yet
        rl.addStretch(1)
        self.recent_card = recent
        self.recent = None
        # the first frame says already whether there are recent drafts (their names and details come just after)
        self.recent_note = start_label(recent_note(window.documents.recent_files()), "note", wrap=True)
        rl.addWidget(self.recent_note)
        row.addWidget(recent, 3)

        self.back_button = QPushButton("返回当前文档")
        self.back_button.setAutoDefault(True)  # Enter on it presses it, as on the other buttons of the page
        self.back_button.clicked.connect(window.show_editor)
        self.back_button.hide()  # until there is a document to go back to (`fill`), not even in the first frame
        line = QHBoxLayout()
        line.addStretch(1)
        line.addWidget(self.back_button)
        outer.addLayout(line)
        self.paths: list[str] = []

    # ----- filling
    def fill(self) -> None:
        """Read the frameworks and the recent drafts (just after the first paint, and when shown again)."""
        self.last_year_button.setToolTip(tip(LAST_YEAR_TIP))  # a rich-text tooltip: made with Qt's namespace
        self._fill_frameworks()
        self._fill_recent()
        self.back_button.setVisible(self.window.doc is not None)

    def _fill_frameworks(self, refresh: bool = False) -> None:
        """The catalogue (core.catalogue): the shipped frameworks and the user's own, unreadable ones disabled."""
        from PySide6.QtCore import Qt

        from core.catalogue import catalogue

        if self.frameworks and not refresh:
            return
        self.framework.blockSignals(True)
        self.framework.clear()
        self.frameworks = []
        for entry in catalogue():
            self.framework.addItem(visible(entry.label))
            if entry.framework is None:
                self.framework.setItemData(
                    self.framework.count() - 1, tip(entry.error), Qt.ItemDataRole.ToolTipRole
                )
                self.framework.model().item(self.framework.count() - 1).setEnabled(False)
                self.frameworks.append(None)
                continue
            self.frameworks.append((entry.path, entry.framework))
        self.framework.blockSignals(False)
        first = next((i for i, f in enumerate(self.frameworks) if f), -1)
        self.framework.setCurrentIndex(first)
        self._framework_chosen(first)
        self.new_button.setEnabled(first >= 0)

    def _framework_chosen(self, index: int) -> None:
        """The framework's description under it, and its default year (last calendar year, moved into the
        years the framework applies to), unless the clerk has chosen a year."""
        chosen = self.frameworks[index] if 0 <= index < len(self.frameworks) else None
        note = chosen[1].description if chosen else ""
        self.framework_note.setText(visible(note))
        self.framework_note.setVisible(bool(note))
        if chosen and not self.year_typed:
            self.year.blockSignals(True)
            self.year.setValue(chosen[1].default_year())
            self.year.blockSignals(False)
        self._year_note()

    def _year_chosen(self, _year: int) -> None:
        self.year_typed = True
        self._year_note()

    def _year_note(self) -> None:
        """A year outside the chosen framework's years is said next to it: the evaluation may still be made
        (as `main.py new` does; 审核 reminds of it), the clerk decides."""
        chosen = self.frameworks[self.framework.currentIndex()] if self.frameworks else None
        fw, year = (chosen[1] if chosen else None), self.year.value()
        note = ""
        if fw is not None and not fw.applies_to(year):
            note = f"该指标框架适用于 {fw.years_text()}，不含 {year} 年度。仍可新建，请确认本年度可以使用。"
        self.year_note.setText(note)
        self.year_note.setVisible(bool(note))

    def recent_table(self):
        """The table of recent drafts, made with the first list, in the place its card keeps for it."""
        if self.recent is not None:
            return self.recent
        from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget

        table = QTableWidget(0, len(RECENT_COLUMNS), self.recent_card)
        table.setHorizontalHeaderLabels(RECENT_COLUMNS)
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAccessibleName("最近的草稿")
        head = table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.itemActivated.connect(lambda item: self._open_row(item.row()))  # double-click or Enter
        layout = self.recent_card.layout()
        layout.removeItem(layout.itemAt(1))  # the stretch that kept its place
        layout.insertWidget(1, table, 1)
        QWidget.setTabOrder(self.last_year_button, table)
        self.recent = table
        return table

    def _fill_recent(self) -> None:
        from PySide6.QtWidgets import QTableWidgetItem

        self.stop()
        self.paths = self.window.documents.recent_files()
        self.recent_table().setRowCount(len(self.paths))
        for r, path in enumerate(self.paths):
            from pathlib import Path

            name = QTableWidgetItem(visible(Path(path).name))
            name.setToolTip(tip(path))
            self.recent.setItem(r, 0, name)
            for c in range(1, len(RECENT_COLUMNS)):
                self.recent.setItem(r, c, QTableWidgetItem("…" if c == 1 else ""))
        self.recent_note.setText(recent_note(self.paths))
        if self.paths:
            self.recent.setCurrentCell(0, 0)  # the last file opened: Enter opens it
            from gui.jobs import Poller, Task

            if self.poller is None:
                self.poller = Poller(self)
            self.reader = Task(read_summaries(list(self.paths)), "最近的草稿")
            self.reader.results = []
            self.shown = 0
            self.poller.start(self.reader, self._summaries_read, lambda *_: self._summaries_read(self.reader))

    def _summaries_read(self, task) -> None:
        if task is None or task is not self.reader:
            return
        while self.shown < len(task.results):
            self._summary_read(self.shown, task.results[self.shown])
            self.shown += 1

    def _summary_read(self, row: int, s) -> None:
        from PySide6.QtCore import Qt

        if row >= len(self.paths) or self.paths[row] != s.path:
            return
        cells = [s.department or ("—" if not s.problem else s.problem), s.year, s.total, s.grade, s.saved]
        for c, text in enumerate(cells, 1):
            item = self.recent.item(row, c)
            item.setText(visible(text))
            if c >= 2:
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        if s.problem:
            for c in range(len(RECENT_COLUMNS)):
                self.recent.item(row, c).setForeground(Qt.GlobalColor.gray)
            self.recent.item(row, 1).setToolTip(tip(s.problem))

    def stop(self) -> None:
        if self.poller is not None:
            self.poller.stop_all()
        self.reader = None

    # ----- actions
    def _new(self) -> None:
        chosen = self.frameworks[self.framework.currentIndex()] if self.frameworks else None
        if chosen:
            self.window.documents.new_evaluation(chosen[1], self.year.value())

    def _open_row(self, row: int) -> None:
        if 0 <= row < len(self.paths):
            self.window.documents.open_path(self.paths[row])

    def focus_new(self) -> None:
        self.framework.setFocus()
