"""The pages of the form, one per step of core.sections, built from the framework's declarations.

No page is written per indicator: an indicator page walks the framework's tree and builds one card per leaf
from its rule's inputs, standard, explanation and bound figures. Each page has `refresh(sheet)`, which
updates labels in place (cards whose NodeScore object is unchanged are skipped: scoring memoises leaves).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.document import FACTS, TARGET_COLUMNS
from core.framework import Indicator
from core.numbers import fmt
from core.scoring import DONE, OPEN, NodeScore, ScoreSheet
from core.sections import Section, text_sections
from gui.editing import LineField, TextField, WrapLabel, set_style_property, with_hint, wrap_label

STATUS_TEXT = {DONE: "已完成", OPEN: "未填完", "problem": "有问题"}


class Page(QWidget):
    def __init__(self, editor, section: Section):
        super().__init__()
        self.editor, self.section = editor, section
        self.setObjectName("page")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(24, 16, 24, 24)
        self.layout_.setSpacing(12)

    def field(self, path: tuple, label: str, number: bool = False) -> LineField:
        f = LineField(self.editor, path, label, number)
        self.editor.register(f)
        return f

    def text(self, path: tuple, label: str, lines: int = 3) -> TextField:
        f = TextField(self.editor, path, label, lines)
        self.editor.register(f)
        return f

    def refresh(self, sheet: ScoreSheet) -> None:
        pass

    def finish(self) -> None:
        self.layout_.addStretch(1)


class FactsPage(Page):
    def __init__(self, editor, section: Section):
        super().__init__(editor, section)
        self.layout_.addWidget(wrap_label("报告封面与落款上的信息。", "note"))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        for key, label in FACTS:
            f = self.field(("facts", key), label)
            f.setMaximumWidth(520)
            form.addRow(label + "：", f)
        self.layout_.addLayout(form)
        self.finish()


class FiguresPage(Page):
    """预算与执行数据: the framework's shared figures, by group, two to a row."""

    def __init__(self, editor, section: Section):
        super().__init__(editor, section)
        fw = editor.doc.framework
        self.layout_.addWidget(
            wrap_label(
                "这里填写的数据由多个指标共用，只需填写一次。金额单位为万元；可直接粘贴“1,273.37”“93.8%”这样的写法。",
                "note",
            )
        )
        used: dict[str, list[str]] = {}
        for leaf in fw.leaves:
            for figs in leaf.bind.values():
                for k in figs:
                    used.setdefault(k, []).append(leaf.name)
        groups: dict[str, list] = {}
        for spec in fw.figures.values():
            groups.setdefault(spec.group, []).append(spec)
        for title, specs in groups.items():
            box = QGroupBox(title)
            grid = QGridLayout(box)
            grid.setHorizontalSpacing(10)
            grid.setVerticalSpacing(8)
            for i, spec in enumerate(specs):
                row, col = divmod(i, 2)
                f = self.field(("figures", spec.key), spec.label, number=True)
                f.setMinimumWidth(120)
                if spec.key in used:
                    f.setToolTip("用于指标：" + "、".join(dict.fromkeys(used[spec.key])))
                label = WrapLabel(spec.label)
                grid.addWidget(label, row, col * 4, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(with_hint(f), row, col * 4 + 1)
                grid.addWidget(QLabel(spec.unit), row, col * 4 + 2, Qt.AlignmentFlag.AlignTop)
            grid.setColumnStretch(1, 1)
            grid.setColumnStretch(5, 1)
            grid.setColumnMinimumWidth(3, 24)
            self.layout_.addWidget(box)
        self.finish()


class TargetsPage(Page):
    """表1 部门整体支出绩效目标: rows of six columns; add, remove, move up and down."""

    def __init__(self, editor, section: Section):
        super().__init__(editor, section)
        self.layout_.addWidget(
            wrap_label(
                "按部门预算中的整体绩效目标逐行填写；偏差原因在实际完成值与指标值不一致时填写。", "note"
            )
        )
        bar = QHBoxLayout()
        self.buttons = {}
        for name, text in (("add", "添加一行"), ("remove", "删除所选行"), ("up", "上移"), ("down", "下移")):
            b = QPushButton(text)
            b.clicked.connect(lambda _=False, n=name: self.rows_action(n))
            bar.addWidget(b)
            self.buttons[name] = b
        bar.addStretch(1)
        self.layout_.addLayout(bar)
        self.table = QTableWidget(0, len(TARGET_COLUMNS))
        self.table.setHorizontalHeaderLabels([label for _, label in TARGET_COLUMNS])
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head = self.table.horizontalHeader()
        for c, w in enumerate((90, 110, 170, 200, 200, 160)):
            head.resizeSection(c, w)
        head.setSectionResizeMode(len(TARGET_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._item_changed)
        self.table.setMinimumHeight(420)
        self.layout_.addWidget(self.table, 1)
        self.load()
        editor.targets_page = self

    def load(self) -> None:
        doc = self.editor.doc
        self.table.blockSignals(True)
        self.table.setRowCount(len(doc.targets))
        for r, row in enumerate(doc.targets):
            for c, (key, _) in enumerate(TARGET_COLUMNS):
                item = QTableWidgetItem(row.get(key, ""))
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)

    def show_value(self, row: int, col_key: str, text: str) -> None:
        col = [k for k, _ in TARGET_COLUMNS].index(col_key)
        item = self.table.item(row, col)
        if item is not None and item.text() != text:
            self.table.blockSignals(True)
            item.setText(text)
            self.table.blockSignals(False)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        key, label = TARGET_COLUMNS[item.column()]
        self.editor.edit(("targets", item.row(), key), item.text(), f"表1 第 {item.row() + 1} 行{label}")

    def rows_action(self, name: str) -> None:
        rows = [dict(r) for r in self.editor.doc.targets]
        cur = self.table.currentRow()
        if name == "add":
            at = cur + 1 if cur >= 0 else len(rows)
            rows.insert(at, {k: "" for k, _ in TARGET_COLUMNS})
            self.editor.change_rows(rows, "添加表1行", at)
            self.table.editItem(self.table.item(at, 0))  # start typing in the new row at once
        elif cur < 0 or cur >= len(rows):
            return
        elif name == "remove":
            rows.pop(cur)
            self.editor.change_rows(rows, "删除表1行", min(cur, len(rows) - 1))
        elif name in ("up", "down"):
            to = cur - 1 if name == "up" else cur + 1
            if 0 <= to < len(rows):
                rows[cur], rows[to] = rows[to], rows[cur]
                self.editor.change_rows(rows, "移动表1行", to)

    def focus_row(self, row: int, col: int = 0) -> None:
        if 0 <= row < self.table.rowCount():
            self.table.setCurrentCell(row, col)
            self.table.setFocus()


class IndicatorCard(QFrame):
    """One leaf: weight, 评分标准, 指标解释, how it is scored, its inputs, formula, score, reason, override."""

    def __init__(self, page: Page, ind: Indicator):
        super().__init__()
        self.ind, self.node = ind, None
        self.setObjectName("card")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(6)
        head = QHBoxLayout()
        title = WrapLabel(
            f"{ind.name}<span style='color:#6b7280;font-weight:normal'>（{fmt(ind.weight)} 分）</span>"
        )
        title.setObjectName("cardTitle")
        head.addWidget(title, 1)
        self.score = QLabel()
        self.score.setObjectName("cardScore")
        head.addWidget(self.score, 0, Qt.AlignmentFlag.AlignTop)
        self.status = QLabel()
        self.status.setObjectName("chip")
        head.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(head)
        if ind.standard:
            lay.addWidget(wrap_label(f"<b>评分标准</b>　{ind.standard}", "standard"))
        if ind.explanation:
            lay.addWidget(wrap_label(f"<b>指标解释</b>　{ind.explanation}", "explanation"))
        how = f"<b>计分方法</b>　{ind.rule.title}：{ind.rule.describe()}"
        lay.addWidget(wrap_label(how, "explanation"))
        if ind.inferred or ind.note:
            note = ("评分细则为推定，请按本地区文件核对。" if ind.inferred else "") + ind.note
            lay.addWidget(wrap_label(f"注：{note}", "inferred"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        row = 0
        self.fields: dict[str, LineField] = {}
        for spec in ind.inputs():
            f = page.field(
                ("indicators", ind.id, "inputs", spec.key), f"{ind.name}：{spec.label}", number=True
            )
            f.setMaximumWidth(180)
            if spec.optional:
                f.setPlaceholderText("可不填")
            self.fields[spec.key] = f
            label = WrapLabel(spec.label)
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(with_hint(f), row, 1)
            grid.addWidget(QLabel(spec.shown_unit), row, 2, Qt.AlignmentFlag.AlignTop)
            row += 1
        grid.setColumnStretch(3, 1)
        grid.setColumnMinimumWidth(0, 200)
        lay.addLayout(grid)
        self.bound = None
        if ind.bind:
            self.bound = WrapLabel()
            self.bound.setObjectName("bound")
            self.bound.setTextFormat(Qt.TextFormat.RichText)
            self.bound.linkActivated.connect(
                lambda _: page.editor.focus_path(("figures", self._first_figure()))
            )
            lay.addWidget(self.bound)
        self.formula = wrap_label("", "formula")
        lay.addWidget(self.formula)
        self.problems = wrap_label("", "problem")
        lay.addWidget(self.problems)
        reason_row = QHBoxLayout()
        self.reason_label = QLabel("扣分理由")
        self.reason_label.setObjectName("fieldLabel")
        self.reason_label.setMinimumWidth(80)
        reason_row.addWidget(self.reason_label, 0, Qt.AlignmentFlag.AlignTop)
        self.reason = page.text(("indicators", ind.id, "reason"), f"{ind.name}：扣分理由", 2)
        self.reason.setPlaceholderText("有扣分时必须写明理由，例如：未按规定时间公开部门预算")
        reason_row.addWidget(self.reason, 1)
        lay.addLayout(reason_row)
        over = QHBoxLayout()
        over_label = QLabel("手工调整得分")
        over_label.setObjectName("fieldLabel")
        over.addWidget(over_label, 0, Qt.AlignmentFlag.AlignTop)
        self.override = page.field(
            ("indicators", ind.id, "override"), f"{ind.name}：手工调整得分", number=True
        )
        self.override.setPlaceholderText("不调整则留空")
        self.override.setMaximumWidth(120)
        over.addWidget(with_hint(self.override))
        self.override_label = QLabel("调整理由")
        self.override_label.setObjectName("fieldLabel")
        over.addWidget(self.override_label, 0, Qt.AlignmentFlag.AlignTop)
        self.override_reason = page.field(("indicators", ind.id, "override_reason"), f"{ind.name}：调整理由")
        self.override_reason.setPlaceholderText("手工调整时必填")
        over.addWidget(self.override_reason, 1, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(over)
        self.editor = page.editor

    def _first_figure(self) -> str:
        return next(iter(self.ind.bind.values()))[0]

    def refresh(self, node: NodeScore) -> None:
        if node is self.node:
            return
        self.node = node
        self.score.setText("" if node.score is None else f"得分 <b>{fmt(node.score)}</b>")
        self.status.setText(STATUS_TEXT[node.status])
        set_style_property(self.status, "status", node.status)
        lines = list(node.formula)
        if node.deductions:
            lines.append("扣分：" + "；".join(f"{label} 扣 {fmt(off)} 分" for label, off in node.deductions))
        if node.missing:
            lines.append("尚未填写：" + "、".join(node.missing))
        self.formula.setText("\n".join(lines))
        self.formula.setVisible(bool(lines))
        self.problems.setText("\n".join(node.problems))
        self.problems.setVisible(bool(node.problems))
        required = node.score is not None and node.lost > 0 and not node.overridden
        missing_reason = required and not node.reason
        self.reason_label.setText("扣分理由 *" if required else "扣分理由")
        self.reason_label.setToolTip("有扣分，必须填写扣分理由" if required else "")
        set_style_property(
            self.reason_label, "required", "missing" if missing_reason else "yes" if required else ""
        )
        set_style_property(self.reason, "bad", missing_reason)
        doc = self.editor.doc
        over_required = bool(doc.get(("indicators", self.ind.id, "override")).strip())
        missing_over = over_required and not doc.get(("indicators", self.ind.id, "override_reason")).strip()
        self.override_label.setText("调整理由 *" if over_required else "调整理由")
        set_style_property(
            self.override_label, "required", "missing" if missing_over else "yes" if over_required else ""
        )
        set_style_property(self.override_reason, "bad", missing_over)
        if self.bound is not None:
            from core.report_text import figures_used  # not needed for the first frame

            used = "；".join(figures_used(doc, self.ind)) or "—"
            self.bound.setText(f"<b>使用的共用数据</b>　{used}　<a href='figures'>到“预算与执行数据”修改</a>")


class IndicatorPage(Page):
    """One 一级 indicator: its 二级 headings with subtotals and a card per leaf.

    A large 一级 indicator (more than GROUP_AT leaves under several 二级 ones) shows one 二级 group at a time,
    chosen in a list, so that the page stays quick to build and to lay out as the user types."""

    GROUP_AT = 30

    def __init__(self, editor, section: Section):
        super().__init__(editor, section)
        root = editor.doc.framework.by_id[section.root]
        self.cards: dict[str, IndicatorCard] = {}
        self.headings: list[tuple[QLabel, Indicator]] = []
        self.layout_.addWidget(
            wrap_label(
                "逐项填写评分所需的数据或扣分；得分按评分标准自动计算。有扣分的指标须写明扣分理由。", "note"
            )
        )
        self.groups = [c for c in root.children if not c.is_leaf]
        self.picker = None
        if len(self.groups) == len(root.children) > 1 and _leaf_count(root) > self.GROUP_AT:
            row = QHBoxLayout()
            row.addWidget(QLabel("二级指标："))
            self.picker = QComboBox()
            self.picker.addItems(
                [f"{g.name}（{fmt(g.weight)} 分，{_leaf_count(g)} 项）" for g in self.groups]
            )
            self.picker.currentIndexChanged.connect(self.show_group)
            row.addWidget(self.picker)
            row.addStretch(1)
            self.layout_.addLayout(row)
            self.group_area = QVBoxLayout()
            self.layout_.addLayout(self.group_area)
            self.group_boxes: dict[int, QWidget] = {}
            self.show_group(0)
        else:
            self._add(root.children, self.layout_)
        self.finish()

    def show_group(self, index: int) -> None:
        if index not in self.group_boxes:
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(12)
            self._add([self.groups[index]], lay)
            self.group_boxes[index] = box
            self.group_area.addWidget(box)
            if self.editor.sheet is not None:
                self.refresh(self.editor.sheet)
        for i, box in self.group_boxes.items():
            box.setVisible(i == index)
        if self.picker.currentIndex() != index:
            self.picker.setCurrentIndex(index)

    def card_for(self, indicator_id: str) -> IndicatorCard | None:
        """The card of a leaf, its group shown first (for navigation)."""
        if self.picker is not None:
            for i, g in enumerate(self.groups):
                if any(n.id == indicator_id for n in _walk(g)):
                    self.show_group(i)
                    break
        return self.cards.get(indicator_id)

    def _add(self, nodes: list[Indicator], layout: QVBoxLayout) -> None:
        for ind in nodes:
            if ind.is_leaf:
                card = IndicatorCard(self, ind)
                self.cards[ind.id] = card
                layout.addWidget(card)
            else:
                h = QLabel()
                h.setObjectName("heading2")
                self.headings.append((h, ind))
                layout.addWidget(h)
                self._add(ind.children, layout)

    def refresh(self, sheet: ScoreSheet) -> None:
        for card in self.cards.values():
            card.refresh(sheet.by_id[card.ind.id])
        for label, ind in self.headings:
            node = sheet.by_id[ind.id]
            label.setText(
                f"{ind.name}　<span style='font-weight:normal;color:#4b5563'>"
                f"小计 {fmt(node.score, '—')} / {fmt(ind.weight)} 分</span>"
            )


def _walk(node: Indicator) -> list[Indicator]:
    out = [node]
    for c in node.children:
        out += _walk(c)
    return out


def _leaf_count(node: Indicator) -> int:
    return sum(1 for n in _walk(node) if n.is_leaf)


class NarrativePage(Page):
    """总体评价与整改: a text box per section of the report the framework declares."""

    def __init__(self, editor, section: Section):
        super().__init__(editor, section)
        doc = editor.doc
        self.layout_.addWidget(
            wrap_label(
                "报告正文按章节填写。表1 与评分表由程序根据前面的填报内容自动生成，放在相应章节之后。", "note"
            )
        )
        takes_text = {s.key for s in text_sections(doc.framework)}
        for spec in doc.framework.sections:
            title = doc.section_title(spec) or "开篇（评价依据与自评过程）"
            if spec.key not in takes_text:
                self.layout_.addWidget(wrap_label(title, "heading2", selectable=False))
                continue
            label = wrap_label(title, "heading3" if spec.level >= 2 else "heading2", selectable=False)
            self.layout_.addWidget(label)
            hint = spec.hint
            if spec.insert == "targets":
                hint += "（表1 由程序接在本节之后）"
            elif spec.insert == "scores":
                hint += "（表2 评分表与各指标说明由程序生成）"
            if hint:
                self.layout_.addWidget(wrap_label(hint.strip(), "note"))
            self.layout_.addWidget(self.text(("narrative", spec.key), title, 7))
        self.finish()


class SummaryPage(Page):
    """汇总与导出: the score table (表2) and the export buttons."""

    export = Signal(str)

    def __init__(self, editor, section: Section):
        super().__init__(editor, section)
        self.summary = wrap_label("", "summaryLine")
        self.layout_.addWidget(self.summary)
        bar = QHBoxLayout()
        for kind, text in (("xlsx", "导出 Excel…"), ("pdf", "导出 PDF…")):
            b = QPushButton(text)
            b.setObjectName("primary")
            b.clicked.connect(lambda _=False, k=kind: editor.export(k))
            bar.addWidget(b)
        bar.addStretch(1)
        self.layout_.addLayout(bar)
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels(
            ["一级指标", "二级指标", "三级指标", "分值", "得分", "扣分", "状态"]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        head = self.table.horizontalHeader()
        for c, w in enumerate((90, 110, 220, 60, 60, 60, 80)):
            head.resizeSection(c, w)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(480)
        self.table.cellDoubleClicked.connect(self._open)
        self.layout_.addWidget(self.table, 1)
        self.leaf_ids: list[str] = []

    def _open(self, row: int, _col: int) -> None:
        if 0 <= row < len(self.leaf_ids):
            self.editor.focus_path(("indicators", self.leaf_ids[row]))

    def refresh(self, sheet: ScoreSheet) -> None:
        from core.checks import ERROR, export_is_draft

        errors = sum(1 for f in self.editor.findings if f.severity == ERROR)
        draft = export_is_draft(sheet, self.editor.findings)
        self.summary.setText(
            f"总分 <b>{fmt(sheet.total)}</b> 分，等级 <b>{sheet.grade}</b>；"
            f"{sheet.leaf_count} 项指标中 {sheet.open_count} 项未评分、{sheet.problem_count} 项有问题"
            + (f"，审核发现错误 {errors} 条" if errors else "")
            + "。"
            + ("导出的文件将标注“草稿”。" if draft else "")
            + "　双击一行可转到该指标。"
        )
        from core.report_text import table2_rows

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
                STATUS_TEXT[leaf.status],
            ]
            for c, text in enumerate(cells):
                item = self.table.item(i, c)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(i, c, item)
                item.setText(text)
                if c >= 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            if r.level1_span > 1:
                self.table.setSpan(i, 0, r.level1_span, 1)
            if r.level2_span > 1:
                self.table.setSpan(i, 1, r.level2_span, 1)
        self.table.resizeRowsToContents()


PAGE_TYPES = {
    "facts": FactsPage,
    "targets": TargetsPage,
    "figures": FiguresPage,
    "narrative": NarrativePage,
    "summary": SummaryPage,
}


def make_page(editor, section: Section) -> Page:
    return (IndicatorPage if section.root else PAGE_TYPES[section.key])(editor, section)
