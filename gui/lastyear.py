"""Last year in the window: 从上年草稿开始, “上年: 1,273.37” beside this year's figures, the mark “上年内容，请更新”
on report text carried from last year, and the comparison with last year on 汇总与导出 (core.carry)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.carry import CARRIED_MARK, compare
from core.numbers import fmt, parse_number
from core.text import visible
from gui.editing import place_hint, plain_label, wrap_label
from gui.messages import message

DRAFT_FILTER = "绩效自评草稿 (*.json);;所有文件 (*)"


def previous_text(doc, spec) -> str:
    """ "上年：1,273.37 万元" for a figure that has a value from last year, else ""."""
    text = doc.previous.get(spec.key, "").strip()
    if not text:
        return ""
    try:
        value = parse_number(text)
    except ValueError:
        value = None
    shown = fmt(value) if value is not None else text
    unit = "%" if spec.kind == "percent" else f" {spec.unit}"
    return visible(f"上年：{shown}{unit if value is not None else ''}")


def previous_keys(framework) -> set[str]:
    """The figures whose last-year value a rule reads ("prev:KEY")."""
    return {k for leaf in framework.leaves for k in leaf.previous_keys}


def with_previous(
    widget: QWidget, doc, spec, page=None, needed: set[str] | frozenset = frozenset()
) -> QWidget:
    """The field's widget with last year's value under it: a field of its own where a rule reads last year's
    value (`needed`, typed by the clerk or carried), else the carried or imported value as text (on a `page`,
    a label hidden while there is none, in `page.previous_labels`)."""
    text = previous_text(doc, spec)
    if not text and spec.key not in needed and page is None:
        return widget
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(2)
    lay.addWidget(widget)
    if spec.key in needed and page is not None:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(plain_label("上年：", "previous"))
        f = page.field(("previous", spec.key), f"上年{spec.label}", number=True)
        f.setMaximumWidth(160)
        row.addWidget(f)
        row.addWidget(plain_label("%" if spec.kind == "percent" else spec.unit, "previous"))
        row.addStretch(1)
        lay.addLayout(row)
        place_hint(f, lay)
        return box
    label = plain_label(text, "previous")
    label.setAccessibleName(f"{spec.label}上年数")
    label.setVisible(bool(text))  # until last year's value comes (an import): page.show_previous
    lay.addWidget(label)
    if page is not None:
        page.previous_labels[spec.key] = label
    return box


# ---------------------------------------------------------------------------------------------- starting


def start_from_last_year(window, path: str | None = None, year: int | None = None) -> bool:
    """新建 → 从上年草稿开始: last year's draft, the new year, then the new evaluation (unsaved) and what was
    carried. Nothing is written until the clerk saves."""
    from core.carry import CarryError, installed_frameworks, next_year, successor
    from core.drafts import DraftError, load

    docs = window.documents
    if not docs.maybe_discard():
        return False
    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, "选择上年的草稿", docs.last_folder(), DRAFT_FILTER)
        if not path:
            return False
    try:
        last = load(path)
    except DraftError as e:
        message(window, "critical", "无法打开上年草稿", str(e))
        return False
    if year is None:
        try:
            suggested = int(last.year) + 1
        except ValueError:
            suggested = 2000
        year, ok = QInputDialog.getInt(
            window,
            "从上年草稿开始",
            f"上年草稿是 {visible(last.year)} 年度的。新的评价年度：",
            suggested,
            1990,
            2200,
        )
        if not ok:
            return False
    try:
        carried = next_year(last, year, successor(last.framework, year, installed_frameworks()))
    except CarryError as e:
        message(window, "warning", "从上年草稿开始", str(e))
        return False
    window.set_document(carried.doc, None, None, restored=True)  # unsaved: saving asks where
    lines = list(carried.report)
    if carried.changes:
        lines += ["", "指标框架与上年相比的变化："] + [f"  {c}" for c in carried.changes]
    message(window, "information", f"已从上年草稿开始 {year} 年度的自评", "\n".join(lines) + "\n\n请保存。")
    return True


# ---------------------------------------------------------------------------------------------- carried text


class CarriedMark(QFrame):
    """Over a report section carried from last year: “上年内容，请更新” and 确认沿用, shown while unedited."""

    def __init__(self, editor, key: str, title: str):
        super().__init__()
        self.editor, self.key = editor, key
        self.setObjectName("carriedMark")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 6)
        lay.addWidget(
            wrap_label(f"{CARRIED_MARK}：这一节是上年报告的文字，请按本年情况修改；仍然适用时点“确认沿用”。"),
            1,
        )
        self.button = QPushButton("确认沿用")
        self.button.setAccessibleName(f"确认沿用“{title}”")
        self.button.clicked.connect(lambda: editor.edit(("carried", key), "", f"确认沿用上年的“{title}”"))
        lay.addWidget(self.button)

    def update_for(self, doc) -> None:
        self.setVisible(self.key in doc.carried_unedited())


# ---------------------------------------------------------------------------------------------- comparison


def _signed(d: Decimal | None) -> str:
    if d is None:
        return ""
    return "±0" if d == 0 else ("+" if d > 0 else "") + fmt(d)


def _cell(text: str, bold: bool = False, center: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(visible(text))
    if center:
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    if bold:
        f = QFont()
        f.setBold(True)
        item.setFont(f)
    return item


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    t.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    head = t.horizontalHeader()
    head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for c in range(1, len(headers)):
        head.setSectionResizeMode(c, QHeaderView.ResizeMode.Fixed)
        t.setColumnWidth(c, 90)
    return t


def _fit(t: QTableWidget) -> None:
    """As tall as its rows: the page scrolls, not the table."""
    t.resizeRowsToContents()
    h = t.horizontalHeader().height() + sum(t.rowHeight(r) for r in range(t.rowCount())) + 2 * t.frameWidth()
    t.setFixedHeight(h + 2)


class Comparison(QGroupBox):
    """总分, 等级 and each 一级 / 二级 subtotal beside last year's; the indicators whose score changed."""

    def __init__(self):
        super().__init__("与上年比较")
        self.setMaximumWidth(760)
        lay = QVBoxLayout(self)
        self.totals = _table(["", "上年", "本年", "变化"])
        self.totals.setAccessibleName("与上年比较")
        lay.addWidget(self.totals)
        self.changed_title = plain_label("", "heading3")
        lay.addWidget(self.changed_title)
        self.changed = _table(["指标", "上年得分", "本年得分", "变化"])
        self.changed.setAccessibleName("得分有变化的指标")
        lay.addWidget(self.changed)

    def update_for(self, doc, sheet) -> None:
        cmp = compare(doc, sheet)
        self.setVisible(cmp is not None)
        if cmp is None:
            return
        self.setTitle(visible(f"与上年（{cmp.year} 年度）比较"))
        rows = [("总分", cmp.total.before, cmp.total.now, 0)]
        rows += [("　" * (g.level - 1) + g.name, g.before, g.now, g.level) for g in cmp.groups]
        t = self.totals
        t.setRowCount(len(rows) + 1)
        for r, (name, before, now, level) in enumerate(rows):
            for c, text in enumerate(
                (
                    name,
                    fmt(before, "—"),
                    fmt(now, "—"),
                    _signed(now - before if before is not None and now is not None else None),
                )
            ):
                t.setItem(r if r == 0 else r + 1, c, _cell(text, bold=level <= 1, center=c > 0))
        for c, text in enumerate(("等级", cmp.grade[0] or "—", cmp.grade[1], "")):
            t.setItem(1, c, _cell(text, bold=True, center=c > 0))
        _fit(t)
        n = len(cmp.changed)
        self.changed_title.setText(
            f"得分有变化的指标（{n} 项）" if n else "本年已评分的指标中，没有得分与上年不同的"
        )
        self.changed.setVisible(bool(n))
        self.changed.setRowCount(n)
        for r, c in enumerate(cmp.changed):
            before = fmt(c.before, "—") if c.before is not None else "（上年无此指标）"
            for col, text in enumerate((c.name, before, fmt(c.now, "—"), _signed(c.change))):
                self.changed.setItem(r, col, _cell(text, center=col > 0))
        _fit(self.changed)
