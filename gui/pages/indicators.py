"""One step per 一级 indicator: its 二级 headings with subtotals and one card per leaf.

No card is written per indicator: a card is built from the leaf's rule inputs, standard, explanation and
bound figures. A card whose NodeScore object is unchanged is skipped on refresh (scoring memoises leaves).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.document import Evaluation
from core.framework import Indicator
from core.numbers import fmt
from core.scoring import NodeScore, ScoreSheet
from core.sections import group_of, leaf_count, required_marks
from core.text import visible
from gui.editing import (
    LineField,
    WrapLabel,
    captioned,
    plain_label,
    set_style_property,
    with_hint,
    wrap_label,
)
from gui.messages import tip
from gui.pages import Page
from gui.status import STATUS_WORDS


def reason_hint(ind: Indicator) -> str:
    name = f"“{ind.name}”" if ind.name else "本行指标"  # a row the clerk has not named yet
    return f"有扣分时写明理由：{name}哪一点未达到评分标准，依据是什么"


class IndicatorCard(QFrame):
    """One leaf: weight, 评分标准, 指标解释, how it is scored, its inputs, formula, score, reason, override.
    Made in its place (`parent`): a widget given another parent is styled again with all its children, which
    made opening a step of 20 rows twice as slow."""

    def __init__(self, page: Page, ind: Indicator, row_block=None, parent: QWidget | None = None):
        from gui.pages.rows import NaBox, input_widget, row_fields

        super().__init__(parent)
        self.ind, self.node = ind, None
        self.editor = page.editor
        self.widgets: list = []  # the fields this card registered (forgotten when the clerk's rows are rebuilt)
        own_before = len(page.own_fields)
        self.setObjectName("card")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 10, 16, 10)
        lay.setSpacing(5)
        head = QHBoxLayout()
        if row_block is not None:  # a row the clerk added: its name and weight are typed
            head.addWidget(row_fields(page, self, ind, row_block), 1)
        else:
            title = WrapLabel(ind.name)
            title.setObjectName("cardTitle")
            head.addWidget(title)
            head.addWidget(
                plain_label(f"（{fmt(ind.weight)} 分）", "cardWeight"), 0, Qt.AlignmentFlag.AlignTop
            )
            head.addStretch(1)
        self.score = plain_label(name="cardScore")
        head.addWidget(self.score, 0, Qt.AlignmentFlag.AlignTop)
        self.status = plain_label(name="chip")
        head.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(head)
        if ind.standard and row_block is None:  # the clerk's rows share one standard, shown above them
            lay.addWidget(captioned("评分标准", ind.standard, "standard"))
        # what is typed comes right after the standard: on a small screen the first card shows its first input
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        self.fields: dict[str, LineField] = {}
        self.parts: dict[str, list[QWidget]] = {}  # an input's label, field and unit (hidden together)
        specs = ind.inputs()
        per_row = 2 if len(specs) > 3 else 1  # a row of the national or 重庆 table: two inputs a line
        for i, spec in enumerate(specs):
            f = input_widget(page, ind, spec)
            f.setMaximumWidth(180 if spec.kind not in ("text", "choice") else 320)
            self.fields[spec.key] = f
            row, col = divmod(i, per_row)
            parts = [WrapLabel(spec.label), with_hint(f), plain_label(spec.shown_unit)]
            self.parts[spec.key] = parts
            grid.addWidget(parts[0], row, col * 4, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(parts[1], row, col * 4 + 1)
            grid.addWidget(parts[2], row, col * 4 + 2, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(per_row * 4 - 1, 1)
        grid.setColumnMinimumWidth(0, 200 if per_row == 1 else 120)
        if per_row == 2:
            grid.setColumnMinimumWidth(3, 24)
            grid.setColumnMinimumWidth(4, 120)
        lay.addLayout(grid)
        self.bound = None
        if ind.bind:
            bound = captioned("使用的共用数据", "", "bound")
            self.bound = bound.text_label
            link = QLabel("<a href='figures'>到“预算与执行数据”修改</a>")  # the program's words only
            link.setTextFormat(Qt.TextFormat.RichText)
            link.linkActivated.connect(
                lambda _: self.editor.focus_path(("figures", next(iter(self.ind.bind.values()))[0]))
            )
            bound.layout().addWidget(link, 0, Qt.AlignmentFlag.AlignTop)
            lay.addWidget(bound)
        self.formula = wrap_label("", "formula")
        lay.addWidget(self.formula)
        self.problems = wrap_label("", "problem")
        lay.addWidget(self.problems)
        self.na = None
        policy = page.editor.doc.framework.not_applicable
        if policy:
            self.na = page._own(NaBox(page.editor, ind, policy))
            lay.addWidget(self.na, 0, Qt.AlignmentFlag.AlignLeft)
        reason_row = QHBoxLayout()
        self.reason_word = ind.rule.reason_label
        self.reason_label = plain_label(self.reason_word, "fieldLabel")
        self.reason_label.setMinimumWidth(80)
        reason_row.addWidget(self.reason_label, 0, Qt.AlignmentFlag.AlignTop)
        self.reason = page.text(("indicators", ind.id, "reason"), f"{ind.name}：{self.reason_word}", 3)
        self.reason.setPlaceholderText(reason_hint(ind))
        reason_row.addWidget(with_hint(self.reason), 1)
        lay.addLayout(reason_row)
        if ind.standard != ind.rule.describe():  # a standard made from the rule already says how
            lay.addWidget(captioned("计分方法", f"{ind.rule.title}：{ind.rule.describe()}", "explanation"))
        if ind.explanation:
            lay.addWidget(captioned("指标解释", ind.explanation, "explanation"))
        if ind.inferred:
            inferred = wrap_label("注：评分细则为推定，请按本地区文件核对。", "inferred")
            inferred.setToolTip(tip(ind.note))  # why it was inferred: for whoever checks the framework
            lay.addWidget(inferred)
        # 手工调整得分 is rarely used: closed (and out of the Tab chain) until opened, or while it holds a value
        self.override_toggle = QPushButton("手工调整得分…")
        self.override_toggle.setObjectName("linkButton")
        self.override_toggle.setCheckable(True)
        self.override_toggle.toggled.connect(self._override_opened)
        lay.addWidget(self.override_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        self.override_box = QWidget()
        over = QHBoxLayout(self.override_box)
        over.setContentsMargins(0, 0, 0, 0)
        over.addWidget(plain_label("手工调整得分", "fieldLabel"), 0, Qt.AlignmentFlag.AlignTop)
        self.override = page.field(
            ("indicators", ind.id, "override"), f"{ind.name}：手工调整得分", number=True
        )
        self.override.setPlaceholderText("不调整则留空")
        self.override.setMaximumWidth(120)
        over.addWidget(with_hint(self.override))
        self.override_label = plain_label("调整理由", "fieldLabel")
        over.addWidget(self.override_label, 0, Qt.AlignmentFlag.AlignTop)
        self.override_reason = page.field(("indicators", ind.id, "override_reason"), f"{ind.name}：调整理由")
        self.override_reason.setPlaceholderText("手工调整时必填")
        over.addWidget(with_hint(self.override_reason), 1, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.override_box)
        held = any(page.editor.doc.get(f.path).strip() for f in (self.override, self.override_reason))
        self.override_box.setVisible(held)
        self.override_toggle.setChecked(held)
        self.widgets += page.own_fields[own_before:]

    def _show_inputs_for(self, doc: Evaluation) -> bool:
        """A row of the national table shows what its 指标性质 needs: 方向 for 定量, 完成档次 and 得分 for 定性.
        Whether a field was shown or hidden (the Tab chain is then made again, once for the page)."""
        if "nature" not in self.fields:
            return False
        nature = doc.get(("indicators", self.ind.id, "inputs", "nature"))
        hide = {"定量": ("band", "score"), "定性": ("direction",)}.get(nature, ())
        changed = False
        for key, parts in self.parts.items():
            shown = key not in hide
            if parts[1].isVisibleTo(self) != shown:
                changed = True
                for w in parts:
                    w.setVisible(shown)
        return changed

    def _override_opened(self, opened: bool) -> None:
        self.override_box.setVisible(opened)
        if self.editor.current_page() is not None:
            self.editor.chain_tabs()
        self.override_toggle.setText("收起手工调整" if opened else "手工调整得分…")
        if opened and self.isVisible():
            self.override.setFocus()

    def open_override(self) -> None:
        """Show the hand override (when going to one of its fields)."""
        self.override_toggle.setChecked(True)

    def refresh(self, node: NodeScore) -> bool:
        """Show a new score of the leaf. Whether fields were shown or hidden (see _show_inputs_for)."""
        if node is self.node:
            return False
        self.node, self.ind = node, node.indicator
        shown_changed = self._show_inputs_for(self.editor.doc)
        self.score.setText("" if node.score is None else f"得分 {fmt(node.score)}")
        if self.reason.placeholderText() != reason_hint(self.ind):  # a row's name typed since
            self.reason.setPlaceholderText(reason_hint(self.ind))
            self.reason.viewport().update()  # Qt does not repaint an empty box for a new placeholder
        self.status.setText(STATUS_WORDS[node.status])
        set_style_property(self.status, "status", node.status)
        lines = list(node.formula)
        if node.deductions:
            lines.append("扣分：" + "；".join(f"{label} 扣 {fmt(off)} 分" for label, off in node.deductions))
        if node.missing:
            lines.append("尚未填写：" + "、".join(node.missing))
        self.formula.setText("\n".join(lines))
        self.formula.setVisible(bool(lines))
        problems = [p.text for p in node.issues if p.figure or not self._has_field(p.key)]
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        doc = self.editor.doc
        reason, override = required_marks(doc, node)
        word = "不适用理由" if node.na else self.reason_word
        self.reason_label.setText(f"{word} *" if reason else word)
        why = node.asks_reason.text if node.asks_reason is not None else "有扣分，必须填写扣分理由"
        self.reason_label.setToolTip(why if reason else "")
        set_style_property(self.reason_label, "required", reason)
        set_style_property(self.reason, "bad", reason == "missing")
        self.override_label.setText("调整理由 *" if override else "调整理由")
        set_style_property(self.override_label, "required", override)
        set_style_property(self.override_reason, "bad", override == "missing")
        if self.bound is not None:
            from core.report import figures_used  # not needed for the first frame

            used = "；".join(figures_used(doc, self.ind)) or "—"
            self.bound.setText(used)
        return shown_changed

    def _has_field(self, key: str) -> bool:
        """Whether a problem's input key is typed on this card: 审核 then says it under that field (which turns
        red), so the card does not say it a second time above the reason."""
        return (
            key in ("reason", "override", "override_reason") or key in self.fields or key.startswith("row:")
        )


def heading(name: str, layout: QVBoxLayout) -> QLabel:
    """A 二级 heading with its subtotal beside it (returned, set on refresh)."""
    row = QHBoxLayout()
    row.addWidget(plain_label(name, "heading2"), 0, Qt.AlignmentFlag.AlignBottom)
    subtotal = plain_label("", "subtotalNote")
    row.addWidget(subtotal, 1, Qt.AlignmentFlag.AlignBottom)
    layout.addLayout(row)
    return subtotal


class IndicatorPage(Page):
    """A large 一级 indicator (more than GROUP_AT leaves under several 二级 ones) shows one 二级 group at a
    time, chosen in a list, so that the page stays quick to build and to lay out as the user types."""

    GROUP_AT = 30

    def build(self, doc: Evaluation) -> None:
        self.root = root = doc.tree.by_id[self.section.root]
        self.cards: dict[str, IndicatorCard] = {}
        self.blocks: list = []  # the clerk's rows under the nodes that take them (gui.pages.rows.RowsBlock)
        self.headings: list[tuple[QLabel, Indicator]] = []
        self.layout_.addWidget(
            wrap_label(
                "逐项填写评分所需的数据或扣分；得分按评分标准自动计算。有扣分的指标须写明扣分理由。", "note"
            )
        )
        self.groups = [c for c in root.children if not c.is_leaf and c.rows is None]
        self.picker = None
        if root.is_leaf or root.rows is not None:  # a 一级 leaf, or a 一级 node whose rows the clerk adds
            self._add([root], self.layout_)
        elif len(self.groups) == len(root.children) > 1 and leaf_count(root) > self.GROUP_AT:
            row = QHBoxLayout()
            row.addWidget(QLabel("二级指标："))
            self.picker = QComboBox()
            self.picker.addItems(
                [visible(f"{g.name}（{fmt(g.weight)} 分，{leaf_count(g)} 项）") for g in self.groups]
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

    def load(self, doc: Evaluation) -> None:
        if self.built:  # the document's rows were replaced (an import, or its undo): rebuild them first
            for block in self.blocks:
                node = doc.tree.by_id[block.node_id]
                if block.structure(node) != block.shape:
                    block.build(node)
        super().load(doc)

    def show_group(self, index: int) -> None:
        if index not in self.group_boxes:
            box = QWidget(self)
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
        self.editor.chain_tabs()

    def card_for(self, indicator_id: str) -> IndicatorCard | None:
        """The card of a leaf, its group (or its page of rows) shown first."""
        if self.picker is not None:
            index = group_of(self.root, indicator_id)
            if index is not None:
                self.show_group(index)
        if indicator_id not in self.cards:
            any(block.reveal(indicator_id) for block in self.blocks)
        return self.cards.get(indicator_id)

    def focus(self, path: tuple) -> QWidget | None:
        if path[0] == "rows" and len(path) > 2:  # a row's own field: the row's page shown first
            rows = self.editor.doc.rows.get(path[1], [])
            if path[2] < len(rows):
                self.card_for(rows[path[2]].get("id", ""))
            return super().focus(path)
        card = self.card_for(path[1]) if len(path) > 1 else None
        if card is not None and len(path) > 2 and path[2] in ("override", "override_reason"):
            card.open_override()
        widget = super().focus(path)
        if widget is None and card is not None:
            widget = next(iter(card.fields.values()), card.reason)
            widget.setFocus()
        return widget

    def _add(self, nodes: list[Indicator], layout: QVBoxLayout) -> None:
        from gui.pages.rows import RowsBlock

        for ind in nodes:
            if ind.rows is not None:
                if ind is not self.root:
                    self.headings.append((heading(ind.name, layout), ind))
                block = RowsBlock(self, ind, layout.parentWidget())
                self.blocks.append(block)
                layout.addWidget(block)
            elif ind.is_leaf:
                card = IndicatorCard(self, ind, parent=layout.parentWidget())
                self.cards[ind.id] = card
                layout.addWidget(card)
            else:
                self.headings.append((heading(ind.name, layout), ind))
                self._add(ind.children, layout)

    def refresh(self, sheet: ScoreSheet) -> None:
        for block in self.blocks:  # first: rows added, removed or regrouped rebuild their cards
            block.refresh(sheet)
        shown_changed = [card.refresh(sheet.by_id[card.ind.id]) for card in self.cards.values()]
        if any(shown_changed) and self.editor.current_page() is self:
            self.editor.chain_tabs()
        for label, ind in self.headings:
            node = sheet.by_id[ind.id]
            label.setText(f"小计 {fmt(node.score, '—')} / {fmt(ind.weight)} 分")
