"""What an indicator step needs beyond number fields: a choice (指标性质, 方向, 完成档次, 是否核心指标), the 不适用
mark, and the rows the clerk adds under a node that takes them (重庆's own indicators, the national 自评表's
rows): each row is a card with its name, weight, group and note, moved up or down or removed; rows are added
per group. Adding, removing and moving rows is one undo step each (SetNodeRows); typing in a row's fields
goes through the window's edits like every field.
"""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from core.framework import NA_POLICIES, Indicator
from core.numbers import fmt
from core.rules import InputSpec
from core.scoring import ScoreSheet
from core.text import visible
from gui.editing import Marked, captioned, plain_label, set_style_property, with_hint, wrap_label


class ChoiceField(Marked, QComboBox):
    """A choice bound to a path: an empty first item (not chosen), then the options. A value from a file that is
    not one of them is shown as it is (the rule reports it)."""

    def __init__(self, editor, path: tuple, label: str, options: tuple[str, ...]):
        super().__init__()
        self.editor, self.path, self.label = editor, path, label
        self._marks(False)
        self.setAccessibleName(label)
        self.addItems(["", *options])
        self.show_value(editor.doc.get(path))
        self.currentTextChanged.connect(lambda text: editor.edit(self.path, text, self.label))

    def current(self) -> str:
        return self.currentText()

    def show_value(self, text: str) -> None:
        if self.currentText() != text:
            self.blockSignals(True)
            if self.findText(text) < 0:
                self.addItem(visible(text))
            self.setCurrentIndex(max(0, self.findText(visible(text))))
            self.blockSignals(False)
        self.validate()


class NaBox(QCheckBox):
    """不适用: marks an indicator as not applicable ("1" in its entry), counted as the framework says."""

    def __init__(self, editor, ind: Indicator, policy: str):
        super().__init__(f"不适用（{NA_POLICIES[policy]}）")
        self.editor, self.path = editor, ("indicators", ind.id, "na")
        self.label = f"{ind.name}：不适用"
        self.setAccessibleName(self.label)
        self.show_value(editor.doc.get(self.path))
        self.toggled.connect(lambda on: editor.edit(self.path, "1" if on else "", self.label))

    def show_value(self, text: str) -> None:
        if self.isChecked() != bool(text.strip()):
            self.blockSignals(True)
            self.setChecked(bool(text.strip()))
            self.blockSignals(False)

    def set_finding(self, text: str) -> None:
        self.setToolTip(text)


def input_widget(page, ind: Indicator, spec: InputSpec):
    """The field for one rule input: a choice, a text, or a number."""
    path = ("indicators", ind.id, "inputs", spec.key)
    label = f"{ind.name}：{spec.label}"
    if spec.kind == "choice":
        return page._own(ChoiceField(page.editor, path, label, spec.options))
    f = page.field(path, label, number=spec.numeric)
    if spec.optional:
        f.setPlaceholderText("可不填")
    return f


class SetNodeRows(QUndoCommand):
    """Replace the rows the clerk added under a node (add, remove, move): the rows before and after kept whole."""

    def __init__(self, page, node_id: str, after: list[dict], label: str, focus: tuple | None):
        super().__init__(label)
        self.page, self.node_id, self.focus = page, node_id, focus
        self.before = copy.deepcopy(page.editor.doc.rows.get(node_id, []))
        self.after = copy.deepcopy(after)

    def redo(self) -> None:
        self._set(self.after)

    def undo(self) -> None:
        self._set(self.before)

    def _set(self, rows: list[dict]) -> None:
        editor = self.page.editor
        editor.doc.set_rows(self.node_id, copy.deepcopy(rows))
        editor.documents.touch()
        editor.show_section(self.page.section.key)
        editor.changed()  # rescored; the page rebuilds the node's rows (RowsBlock.refresh)
        if self.focus is not None and len(rows) > self.focus[2]:
            editor.focus_path(self.focus)


class RowsBlock(QWidget):
    """The rows of one node: a card each (under group headings when the node has groups), add buttons, and the
    weights typed so far against the node's weight. Rebuilt when the rows or their groups change."""

    def __init__(self, page, node: Indicator):
        super().__init__()
        self.page, self.node_id, self.spec = page, node.id, node.rows
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(10)
        self.head = wrap_label(
            self.spec.hint or f"本项的指标由填报人逐行添加，分值合计 {fmt(node.weight)} 分。", "note"
        )
        self.layout_.addWidget(self.head)
        if self.spec.explanation:
            self.layout_.addWidget(captioned("填写说明", self.spec.explanation, "explanation"))
        standard = (
            self.spec.standard or node.rows.rule_type(node.rows.rule, node.weight, node.name).describe()
        )
        self.layout_.addWidget(captioned("评分标准", standard, "standard"))
        self.body = QWidget()
        self.layout_.addWidget(self.body)
        self.shape: tuple | None = None
        self.cards: dict[str, object] = {}
        self.build(node)

    def structure(self, node) -> tuple:
        return tuple((c.id, tuple(x.id for x in c.children)) for c in node.children)

    def build(self, node: Indicator) -> None:
        """(Re)build the cards from the tree node (the framework's node with the clerk's rows)."""
        from gui.pages.indicators import IndicatorCard, heading

        self.page.forget([w for card in self.cards.values() for w in card.widgets])
        for old in self.cards.values():
            self.page.cards.pop(old.ind.id, None)
        self.cards = {}
        self.body.deleteLater()
        self.body = QWidget()
        lay = QVBoxLayout(self.body)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(10)
        self.layout_.addWidget(self.body)
        self.shape = self.structure(node)
        groups = self.spec.groups
        by_group = {g: [] for g in groups} if groups else {"": []}
        for child in node.children:
            if groups:
                by_group[child.name] = list(child.children)
            else:
                by_group[""].append(child)
        self.group_labels = {}
        for group, rows in by_group.items():
            if groups:
                self.group_labels[f"{node.id}.g{groups.index(group) + 1}"] = heading(group, lay)
            for leaf in rows:
                card = IndicatorCard(self.page, leaf, row_block=self)
                self.cards[leaf.id] = card
                self.page.cards[leaf.id] = card
                lay.addWidget(card)
            add = QPushButton(f"添加一行到“{group}”" if group else "添加一行指标")
            add.clicked.connect(lambda _=False, g=group: self.add_row(g))
            lay.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
        self.sum_label = plain_label("", "subtotalNote")
        lay.addWidget(self.sum_label)
        self.page.editor.chain_tabs()

    def rows(self) -> list[dict]:
        return copy.deepcopy(self.page.editor.doc.rows.get(self.node_id, []))

    def add_row(self, group: str) -> None:
        rows = self.rows()
        new = self.page.editor.doc.new_row(self.node_id, group=group)
        at = max((i for i, r in enumerate(rows) if r.get("group") == group), default=len(rows) - 1) + 1
        rows.insert(at, new)
        focus = ("rows", self.node_id, at, "name")
        self.page.editor.undo.push(SetNodeRows(self.page, self.node_id, rows, "添加指标行", focus))

    def remove_row(self, index: int) -> None:
        rows = self.rows()
        name = rows[index].get("name", "").strip() or f"第 {index + 1} 行"
        rows.pop(index)
        self.page.editor.undo.push(SetNodeRows(self.page, self.node_id, rows, f"删除指标行“{name}”", None))

    def move_row(self, index: int, step: int) -> None:
        rows = self.rows()
        to = index + step
        if not 0 <= to < len(rows):
            return
        rows[index], rows[to] = rows[to], rows[index]
        focus = ("rows", self.node_id, to, "name")
        self.page.editor.undo.push(SetNodeRows(self.page, self.node_id, rows, "移动指标行", focus))

    def refresh(self, sheet: ScoreSheet) -> None:
        node = sheet.by_id[self.node_id]
        if self.structure(node.indicator) != self.shape:
            self.build(node.indicator)
        for card in self.cards.values():
            card.refresh(sheet.by_id[card.ind.id])
        for gid, label in self.group_labels.items():
            g = sheet.by_id.get(gid)
            label.setText(f"小计 {fmt(g.score, '—')} / {fmt(g.weight)} 分" if g is not None else "")
        leaves = _leaves(node.indicator)
        typed = sum((leaf.weight for leaf in leaves), start=node.weight * 0)
        self.sum_label.setText(f"各行分值合计 {fmt(typed)} 分，应为 {fmt(node.weight)} 分")
        set_style_property(
            self.sum_label, "bad", bool(leaves) and typed != node.weight
        )  # red once rows are typed


def _leaves(ind: Indicator) -> list[Indicator]:
    return [x for c in ind.children for x in (c.children or [c])]


def row_fields(page, card, ind: Indicator, block: RowsBlock) -> QWidget:
    """The row's own fields at the top of its card: name, weight, group, note; up, down, remove."""
    node_id, i = ind.row[0], ind.row_index
    box = QWidget()
    lay = QHBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(8)
    name = page.field(("rows", node_id, i, "name"), f"第 {i + 1} 行的指标名称")
    name.setPlaceholderText("指标名称")
    weight = page.field(("rows", node_id, i, "weight"), f"第 {i + 1} 行的分值", number=True)
    weight.setPlaceholderText("分值")
    weight.setMaximumWidth(90)
    top = Qt.AlignmentFlag.AlignTop  # a hint under one field leaves the others where they are
    lay.addWidget(with_hint(name), 3, top)
    lay.addWidget(with_hint(weight), 0, top)
    lay.addWidget(plain_label("分"), 0, Qt.AlignmentFlag.AlignTop)
    card.widgets += [name, weight]
    if block.spec.groups:
        group = page._own(
            ChoiceField(
                page.editor, ("rows", node_id, i, "group"), f"第 {i + 1} 行所属二级指标", block.spec.groups
            )
        )
        lay.addWidget(with_hint(group), 1, top)
        card.widgets.append(group)
    note = page.field(("rows", node_id, i, "note"), f"第 {i + 1} 行的备注")
    note.setPlaceholderText("备注（可不填）")
    lay.addWidget(with_hint(note), 2, top)
    card.widgets.append(note)
    for text, tip, act in (
        ("↑", "上移", lambda: block.move_row(i, -1)),
        ("↓", "下移", lambda: block.move_row(i, 1)),
        ("删除", "删除这一行", lambda: block.remove_row(i)),
    ):
        b = QPushButton(text)
        b.setToolTip(tip)
        b.setAccessibleName(f"{tip}（第 {i + 1} 行）")
        b.clicked.connect(act)
        lay.addWidget(b, 0, Qt.AlignmentFlag.AlignTop)
    return box
