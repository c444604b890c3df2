"""导入 and paste from Excel / WPS: the preview dialog (the mapping the clerk can change, what will be imported,
what could not be read), and the undo command that applies a core.importing.Change as one step.

Everything read from a file is shown as plain text with invisible characters marked (core.text.visible).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from core.importing import (
    EXTRA_LABELS,
    IGNORE,
    MODES,
    Change,
    ImportFileError,
    figure_text,
    figures_change,
    paste_figures,
    paste_targets,
    plan_figures,
    plan_targets,
    rows_change,
    targets_change,
)
from core.sections import FIGURES_KEY, TARGETS_KEY, section_of
from core.tables import cell_text, read_file
from core.text import visible
from gui.editing import plain_label, wrap_label
from gui.messages import message

FILE_FILTER = "Excel 工作簿或 CSV 文件 (*.xlsx *.xlsm *.csv *.txt);;所有文件 (*)"
KINDS = {"targets": "绩效目标表", "figures": "预算与执行数据"}
PREVIEW_ROWS = 500
SHOWN_PROBLEMS = 20


class ApplyChange(QUndoCommand):
    """An import or a paste: applied and taken back whole (one undo step)."""

    def __init__(self, window, change: Change):
        super().__init__(change.label)
        self.window, self.change = window, change

    def redo(self) -> None:
        self.change.apply(self.window.doc)
        self._show()

    def undo(self) -> None:
        self.change.revert(self.window.doc)
        self._show()

    def _show(self) -> None:
        w, doc = self.window, self.window.doc
        key = TARGETS_KEY if self.change.targets is not None else FIGURES_KEY
        if self.change.rows is not None:  # the clerk's rows: the step of the first node that has any
            node = next((n for n, rows in doc.rows.items() if rows), None) or next(
                iter(self.change.rows[0]), ""
            )
            key = section_of(("indicators", node), doc.framework) or key
            for page in w.pages.values():
                page.load(doc)
        w.show_section(key)
        if self.change.targets is not None and TARGETS_KEY in w.pages:
            w.pages[TARGETS_KEY].load(doc)
        for path, _before, _after in self.change.values:
            for f in w.fields.get(path, ()):
                f.show_value(doc.get(path))
        if key == FIGURES_KEY and key in w.pages:  # last year's values shown as text under the fields
            w.pages[key].load(doc)
        w.changed()


def apply(window, change: Change) -> None:
    if change.empty:
        window.statusBar().showMessage("没有需要改动的内容", 6000)
        return
    window.undo.push(ApplyChange(window, change))
    window.statusBar().showMessage(f"{change.summary[0]}。可用 Ctrl+Z 撤销", 10000)


def _item(text: str, align_center: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(visible(text))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if align_center:
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    return item


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setWordWrap(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def fit_screen(dialog, parent, width: int, height: int) -> None:
    """A dialog at its usual size, or smaller where the screen is (1366×768 at 125 % leaves 1093×574 logical
    pixels above the taskbar): its buttons are never below the screen's edge."""
    from gui.window import FRAME

    avail = parent.screen().availableGeometry()
    dialog.resize(min(width, avail.width() - FRAME[0]), min(height, avail.height() - FRAME[1]))


class ImportDialog(QDialog):
    """The preview of an import. `plan` is a core.importing TargetPlan or FigurePlan; the clerk may change what
    a column (or a label) means and, for 表1, how the rows are applied. `change()` is the import."""

    def __init__(self, window, kind: str, plan):
        super().__init__(window)
        self.window, self.kind, self.plan = window, kind, plan
        self.doc = window.doc
        self.as_rows = kind == "targets" and self.doc.framework.targets_mode == "indicators"
        self.setWindowTitle(f"导入{KINDS[kind]} — {visible(plan.book.name)}")
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.sheet = QComboBox()
        self.sheet.setAccessibleName("工作表")
        self.where = plain_label()
        if plan.book.kind == "xlsx":
            top.addWidget(plain_label("工作表："))
            top.addWidget(self.sheet)
            for s in plan.book.sheets:
                self.sheet.addItem(visible(s.name), s.name)
            self.sheet.setCurrentIndex(self.sheet.findData(plan.sheet.name))
            self.sheet.currentIndexChanged.connect(self._sheet_chosen)
        top.addWidget(self.where, 1)
        lay.addLayout(top)
        for note in plan.book.notes:
            lay.addWidget(wrap_label(visible(note), "note"))
        self.mapping_box = QGroupBox(
            "各列的含义（可修改）" if kind == "targets" else "找到的数据（可修改对应的数据项）"
        )
        ml = QVBoxLayout(self.mapping_box)
        if kind == "targets":
            self.mapping = _table(["列", "文件中的表头", "导入为"])
        else:
            self.mapping = _table(["行", "表中名称", "数值", "导入为", "将填入"])
        ml.addWidget(self.mapping)
        middle = QHBoxLayout()  # 表1: the columns' meaning on the left, the rows they give on the right
        middle.addWidget(self.mapping_box, 2)
        lay.addLayout(middle, 3)
        if kind == "targets":
            self.mapping_box.setMinimumWidth(420)
            self.mapping_box.setMaximumWidth(480)
            self.preview_box = QGroupBox()
            pl = QVBoxLayout(self.preview_box)
            self.preview = _table(["行", *plan.keep.values()])
            pl.addWidget(self.preview)
            middle.addWidget(self.preview_box, 5)
        self.problems_box = QGroupBox()
        bl = QVBoxLayout(self.problems_box)
        self.problems = QListWidget()
        self.problems.setAccessibleName("未能导入的内容")
        bl.addWidget(self.problems)
        lay.addWidget(self.problems_box, 1)
        self.modes = QButtonGroup(self)
        if kind == "targets":
            row = QHBoxLayout()
            row.addWidget(plain_label("导入方式："))
            for i, (mode, label) in enumerate(MODES.items()):
                b = QRadioButton(label)
                b.setProperty("mode", mode)
                self.modes.addButton(b, i)
                row.addWidget(b)
            self.modes.button(0).setChecked(True)
            self.modes.buttonClicked.connect(lambda _b: self.refresh())
            row.addStretch(1)
            lay.addLayout(row)
            lay.addWidget(
                wrap_label(
                    "按指标名称更新：一级、二级、三级指标名称相同的行填入文件中的内容，其余行添加到末尾，"
                    "表1 中原有的行保留；替换：表1 只留文件中的行。导入后可用“撤销”（Ctrl+Z）整体退回。",
                    "note",
                )
            )
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.read = None
        self._show_mapping()
        self.refresh()
        fit_screen(self, window, 1180, 720)

    # ----- the plan shown
    def _sheet_chosen(self, index: int) -> None:
        name = self.sheet.itemData(index)
        try:
            if self.kind == "targets":
                self.plan = plan_targets(self.plan.book, name, self.doc.framework)
            else:
                self.plan = plan_figures(self.plan.book, self.doc.framework, name, self.doc.year)
        except ImportFileError as e:
            self.read = None
            self.mapping.setRowCount(0)
            if self.kind == "targets":
                self.preview.setRowCount(0)
            self.where.setText("")
            self.problems_box.setTitle("无法导入")
            self.problems.clear()
            self.problems.addItem(visible(str(e)))
            self.ok.setEnabled(False)
            return
        self._show_mapping()
        self.refresh()

    def _combo(self, choices: dict[str, str], key: str, on_change) -> QComboBox:
        box = QComboBox()
        for k, label in choices.items():
            box.addItem(label, k)
        box.setCurrentIndex(max(0, box.findData(key)))
        box.currentIndexChanged.connect(lambda _i: on_change(box.currentData()))
        return box

    def _show_mapping(self) -> None:
        m = self.mapping
        m.setRowCount(0)
        if self.kind == "targets":
            self.where.setText(f"表头在第 {self.plan.header_rows[0]} 行")
            choices = {IGNORE: "不导入", **self.plan.keep}
            if "unit" not in choices:  # 表1 has no 计量单位: it is added to a numeric 指标值 / 实际完成值
                choices["unit"] = "计量单位（并入指标值）"
            for col in self.plan.columns:
                if col.key and col.key not in choices:
                    choices[col.key] = f"{EXTRA_LABELS.get(col.key, col.key)}（不导入）"
            m.setRowCount(len(self.plan.columns))
            for r, col in enumerate(self.plan.columns):
                m.setItem(r, 0, _item(col.letter, True))
                m.setItem(r, 1, _item(col.heading))
                box = self._combo(choices, col.key, lambda key, col=col: self._remap(col, key))
                box.setAccessibleName(f"{col.letter} 列导入为")
                m.setCellWidget(r, 2, box)
            m.setColumnWidth(0, 36)
            m.setColumnWidth(1, 140)
        else:
            self.where.setText("")
            choices = {IGNORE: "不导入", **{k: s.label for k, s in self.doc.framework.figures.items()}}
            m.setRowCount(len(self.plan.items))
            for r, it in enumerate(self.plan.items):
                m.setItem(r, 0, _item(str(it.row), True))
                last = it.previous and not it.label.strip().startswith("上年")  # from a 上年数 column
                m.setItem(r, 1, _item(it.label + ("（上年数）" if last else "")))
                m.setItem(r, 2, _item(cell_text(it.value)))
                box = self._combo(choices, it.key, lambda key, it=it: self._remap(it, key))
                box.setAccessibleName(f"第 {it.row} 行导入为")
                m.setCellWidget(r, 3, box)
                m.setItem(r, 4, _item(""))
            for c, w in enumerate((50, 240, 120, 220)):
                m.setColumnWidth(c, w)

    def _remap(self, target, key: str) -> None:
        target.key = key
        self.refresh()

    def refresh(self) -> None:
        """Read the plan again (after a change of mapping) and show the result and what was not read."""
        self.read = self.plan.read()
        problems = self.read.problems
        if self.kind == "targets":
            rows = self.read.rows
            keys = list(self.plan.keep)
            if self.as_rows:  # the framework's scored rows are the targets: where each row goes
                self.pasted = rows_change(self.doc, rows, self.mode())
                problems = sorted(problems + self.pasted.problems, key=lambda p: (p.row, p.column))
            self.preview_box.setTitle(
                f"将导入 {len(rows)} 行"
                + (f"（只显示前 {PREVIEW_ROWS} 行）" if len(rows) > PREVIEW_ROWS else "")
            )
            self.preview.setRowCount(min(len(rows), PREVIEW_ROWS))
            for r, (number, values) in enumerate(rows[:PREVIEW_ROWS]):
                self.preview.setItem(r, 0, _item(str(number), True))
                for c, k in enumerate(keys, 1):
                    self.preview.setItem(r, c, _item(values.get(k, "")))
            self.preview.resizeColumnsToContents()
            for c in range(1, self.preview.columnCount()):
                self.preview.setColumnWidth(c, min(max(self.preview.columnWidth(c), 90), 240))
            self.preview.setColumnWidth(0, 50)
            count = len(rows)
        else:
            figures = self.doc.framework.figures
            for r, it in enumerate(self.plan.items):
                text, why = ("", "") if not it.key else figure_text(it.value, figures[it.key], it.unit)
                read = self.read
                values, rows = (
                    (read.previous, read.previous_rows) if it.previous else (read.values, read.rows)
                )
                shown = values.get(it.key) if it.key and rows.get(it.key) == it.row else ""
                if shown:
                    spec = figures[it.key]
                    shown += "%" if spec.kind == "percent" else f" {spec.unit}"
                    if it.unit in ("元", "千元", "亿元") and spec.unit == "万元":
                        shown += f"（由{it.unit}换算）"
                    shown += "（上年数）" if it.previous else ""
                cell = self.mapping.item(r, 4)
                cell.setText(visible(shown or (why and f"无法导入：{why}") or ("" if text else "—")))
            count = len(self.read.values) + len(self.read.previous)
        self.problems_box.setTitle(f"未能导入 {len(problems)} 处" if problems else "没有未能导入的内容")
        self.problems.clear()
        for p in problems:
            self.problems.addItem(visible(str(p)))
        for n in self.read.notes:
            self.problems.addItem(visible(f"注意：{n}"))
        self.ok.setEnabled(count > 0)
        self.ok.setText(f"导入 {count} {'行' if self.kind == 'targets' else '项'}")

    # ----- the result
    def mode(self) -> str:
        b = self.modes.checkedButton()
        return b.property("mode") if b is not None else "update"

    def change(self) -> Change:
        if self.as_rows:
            return rows_change(self.doc, self.read.rows, self.mode()).change
        if self.kind == "targets":
            return targets_change(self.doc, [r for _n, r in self.read.rows], self.mode())
        return figures_change(self.doc, self.read.values, self.read.previous)


def run_import(window, kind: str, path: str | None = None) -> None:
    """导入 → 绩效目标表 / 预算与执行数据: choose a file, preview, import as one undoable step."""
    if window.doc is None:
        return
    if kind == "figures" and not window.doc.framework.figures:
        message(
            window, "information", "导入预算与执行数据", "本评价所用的指标框架没有预算与执行数据，无需导入。"
        )
        return
    if path is None:
        path, _ = QFileDialog.getOpenFileName(
            window, f"导入{KINDS[kind]}", window.documents.last_folder(), FILE_FILTER
        )
        if not path:
            return
    try:
        book = read_file(path)
        fw = window.doc.framework
        year = window.doc.year  # where the headings name years, the evaluated year's column is this year's
        plan = plan_targets(book, framework=fw) if kind == "targets" else plan_figures(book, fw, year=year)
    except ImportFileError as e:
        message(window, "critical", "无法导入", f"{e}\n\n草稿没有改动。")
        return
    dialog = ImportDialog(window, kind, plan)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        apply(window, dialog.change())


# ---------------------------------------------------------------------------------------------- paste


def clipboard_text() -> str:
    return QGuiApplication.clipboard().text()


def is_cells(text: str) -> bool:
    """Text that holds more than one cell (what Excel copies for a range)."""
    return "\t" in text or "\n" in text.rstrip("\r\n")


def report(window, title: str, problems: list, notes: list[str]) -> None:
    if not problems and not notes:
        return
    lines = [f"注意：{n}" for n in notes] + [str(p) for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        lines.append(f"……另有 {len(problems) - SHOWN_PROBLEMS} 处")
    head = f"以下 {len(problems)} 处没有粘贴：" if problems else ""
    message(window, "warning", title, "\n".join(x for x in (head, *lines) if x))


def paste_into_targets(window, row: int, column: str, text: str | None = None) -> None:
    text = clipboard_text() if text is None else text
    if not text.strip():
        window.statusBar().showMessage("剪贴板中没有可粘贴的内容", 6000)
        return
    pasted = paste_targets(window.doc, text, row, column)
    apply(window, pasted.change)
    report(window, "粘贴到表1", pasted.problems, pasted.notes)


def paste_into_figures(window, keys: list[str], start: str | None, text: str | None = None) -> None:
    text = clipboard_text() if text is None else text
    if not text.strip():
        window.statusBar().showMessage("剪贴板中没有可粘贴的内容", 6000)
        return
    pasted = paste_figures(window.doc, text, keys, start)
    apply(window, pasted.change)
    report(window, "粘贴预算与执行数据", pasted.problems, pasted.notes)


class PasteKeys(QObject):
    """Ctrl+V on a widget calls `handle()`; when it returns False the widget pastes as usual."""

    def __init__(self, widget, handle):
        super().__init__(widget)
        self.handle = handle
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and event.matches(
            QKeySequence.StandardKey.Paste
        ):
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # keep Ctrl+V for this widget, not the window's shortcuts
                return False
            return bool(self.handle())
        return False
