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
    """Replace the rows the clerk added under a node (add, remove, move): the rows before and after kept whole.
    Both ways the node's step is shown with the cursor in the name of the row concerned (the row id `focus`
    after the change, `back` after its undo; None: the cursor stays), on whichever page of rows holds it."""

    def __init__(
        self, page, node_id: str, after: list[dict], label: str, focus: str | None, back: str | None
    ):
        super().__init__(label)
        self.page, self.node_id, self.focus, self.back = page, node_id, focus, back
        self.before = copy.deepcopy(page.editor.doc.rows.get(node_id, []))
        self.after = copy.deepcopy(after)

    def redo(self) -> None:
        self._set(self.after, self.focus)

    def undo(self) -> None:
        self._set(self.before, self.back)

    def _set(self, rows: list[dict], focus: str | None) -> None:
        editor = self.page.editor
        editor.doc.set_rows(self.node_id, copy.deepcopy(rows))
        editor.documents.touch()
        editor.show_section(self.page.section.key)
        editor.changed()  # rescored; the page rebuilds the node's rows (RowsBlock.refresh)
        at = next((i for i, r in enumerate(rows) if r.get("id") == focus), None)
        if at is not None:
            editor.focus_path(("rows", self.node_id, at, "name"))


class RowsBlock(QWidget):
    """The rows of one node: a card each (under group headings when the node has groups), add buttons, and the
    weights typed so far against the node's weight. Rebuilt when the rows or their groups change.

    A node with many rows (a national-style table of hundreds) shows them a page at a time
    (core.sections.row_pages: each group on pages of 20 rows), chosen in a list above the rows or with
    上一页 / 下一页; only the page shown has cards, so opening the step and typing stay quick. Going to a row
    (审核, undo, adding one) shows its page first (`reveal`)."""

    def __init__(self, page, node: Indicator, parent: QWidget):
        super().__init__(parent)
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
        # the list of pages, 上一页, 下一页: shown when there is more than one page
        self.pager = QWidget(self)
        bar = QHBoxLayout(self.pager)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(plain_label("显示："))
        self.page_list = QComboBox()
        self.page_list.setAccessibleName(f"“{node.name}”的指标行：选择显示哪一页")
        self.page_list.activated.connect(lambda i: self.show_page(i))
        bar.addWidget(self.page_list)
        self.page_buttons = self._page_buttons(bar)
        bar.addStretch(1)
        self.layout_.addWidget(self.pager)
        self.body = QWidget(self)
        self.layout_.addWidget(self.body)
        self.pages: list = []
        self.index = 0  # the page shown
        self.shape: tuple | None = None
        self.cards: dict[str, object] = {}
        self.build(node)

    def _page_buttons(self, bar: QHBoxLayout) -> tuple[QPushButton, QPushButton]:
        """上一页 / 下一页 (above the rows and below them): the page before or after, the cursor in its first row."""
        buttons = []
        for text, step in (("上一页", -1), ("下一页", 1)):
            b = QPushButton(text)
            b.clicked.connect(lambda _=False, step=step: self.show_page(self.index + step, focus=True))
            bar.addWidget(b)
            buttons.append(b)
        return buttons[0], buttons[1]

    def structure(self, node) -> tuple:
        return tuple((c.id, tuple(x.id for x in c.children)) for c in node.children)

    def build(self, node: Indicator) -> None:
        """(Re)build the cards of the page shown from the tree node (the framework's node with the clerk's
        rows); the pages are made again (rows added, removed, moved or regrouped)."""
        from core.sections import row_pages
        from gui.pages.indicators import IndicatorCard, heading

        self.page.forget([w for card in self.cards.values() for w in card.widgets])
        for old in self.cards.values():
            self.page.cards.pop(old.ind.id, None)
        self.cards = {}
        self.shape = self.structure(node)
        self.pages = row_pages(node, self.spec.groups)
        self.index = min(self.index, len(self.pages) - 1)
        self._show_pager()
        self.body.hide()  # out of the Tab chain made below, before it is deleted
        self.body.deleteLater()
        self.body = QWidget(self)
        lay = QVBoxLayout(self.body)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(10)
        self.layout_.addWidget(self.body)
        groups = self.spec.groups
        self.group_labels = {}
        full = self._full()
        for chunk in self.pages[self.index].chunks:
            if groups:
                self.group_labels[self._group_id(chunk.group)] = heading(chunk.group, lay)
            for k, leaf in enumerate(chunk.rows):
                card = IndicatorCard(self.page, leaf, row_block=self, parent=self.body)
                at = chunk.start + k  # the row's place in its group
                card.move_buttons[0].setEnabled(at > 0)
                card.move_buttons[1].setEnabled(at < chunk.total - 1)
                self.cards[leaf.id] = card
                self.page.cards[leaf.id] = card
                lay.addWidget(card)
            if chunk.last:
                add = QPushButton(f"添加一行到“{chunk.group}”" if chunk.group else "添加一行指标")
                add.clicked.connect(lambda _=False, g=chunk.group: self.add_row(g))
                add.setEnabled(not full)
                lay.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
        # a draft holds at most max_rows rows under a node (core's limit): one more could not be reopened
        if full:
            lay.addWidget(wrap_label(full + "。", "problem"))
        if len(self.pages) > 1:
            bottom = QHBoxLayout()
            self.bottom_buttons = self._page_buttons(bottom)
            bottom.addStretch(1)
            lay.addLayout(bottom)
            self._enable_buttons(self.bottom_buttons)
        self.sum_label = plain_label("", "subtotalNote")
        lay.addWidget(self.sum_label)
        if self.isVisible():  # rows rebuilt on screen: shown now, not on the next turn of the event loop (as
            # a layout would), as focus may go there; a page being built shows them with itself, styled once
            self.body.show()
        self.page.editor.chain_tabs()

    def _show_pager(self) -> None:
        self.pager.setVisible(len(self.pages) > 1)
        self.page_list.blockSignals(True)
        titles = [visible(p.title) for p in self.pages]
        if [self.page_list.itemText(i) for i in range(self.page_list.count())] != titles:
            self.page_list.clear()
            self.page_list.addItems(titles)
        self.page_list.setCurrentIndex(self.index)
        self.page_list.blockSignals(False)
        self._enable_buttons(self.page_buttons)

    def _enable_buttons(self, buttons: tuple[QPushButton, QPushButton]) -> None:
        buttons[0].setEnabled(self.index > 0)
        buttons[1].setEnabled(self.index < len(self.pages) - 1)

    def show_page(self, index: int, focus: bool = False) -> None:
        """Show another page of rows; with `focus`, the cursor in its first row's name (or its add button)."""
        if not 0 <= index < len(self.pages):
            return
        if index != self.index:
            self.index = index
            self.build(self.page.editor.doc.tree.by_id[self.node_id])
            if self.page.editor.sheet is not None:
                self.page.refresh(self.page.editor.sheet)
        if focus:
            rows = [leaf for c in self.pages[index].chunks for leaf in c.rows]
            if rows:
                self.page.editor.focus_path(("rows", self.node_id, rows[0].row_index, "name"))
            else:
                add = [b for b in self.body.findChildren(QPushButton) if b.text().startswith("添加一行")]
                if add:
                    add[0].setFocus(Qt.FocusReason.TabFocusReason)

    def reveal(self, indicator_id: str) -> bool:
        """Show the page that holds a row (or a group: its first page). Whether this block has it."""
        for i, p in enumerate(self.pages):
            if p.holds(indicator_id) or any(self._group_id(c.group) == indicator_id for c in p.chunks):
                self.show_page(i)
                return True
        return False

    def _group_id(self, group: str) -> str:
        """The tree's id of a group of rows (core.framework: NODE.gN)."""
        return f"{self.node_id}.g{self.spec.groups.index(group) + 1}" if group else self.node_id

    def rows(self) -> list[dict]:
        return copy.deepcopy(self.page.editor.doc.rows.get(self.node_id, []))

    def _full(self) -> str:
        """Why no row can be added (core.document: the node has the most rows a draft holds), or ""."""
        return self.page.editor.doc.rows_full(self.node_id)

    def add_row(self, group: str) -> None:
        """A new row after the group's last one (the cursor in its name)."""
        if self._full():
            return
        rows = self.rows()
        new = self.page.editor.doc.new_row(self.node_id, group=group)
        same = self._same_group(rows, group)
        at = same[-1] + 1 if same else len(rows)
        rows.insert(at, new)
        self._push(rows, "添加指标行", new["id"], rows[same[-1]]["id"] if same else None)

    def remove_row(self, index: int) -> None:
        """Remove a row; the cursor goes to the row that takes its place on the page (the next of its group,
        or the one before it)."""
        rows = self.rows()
        name = rows[index].get("name", "").strip() or f"第 {index + 1} 行"
        same = self._same_group(rows, rows[index].get("group", ""))
        place = same.index(index)
        neighbour = same[place + 1] if place + 1 < len(same) else same[place - 1] if place else None
        focus = rows[neighbour]["id"] if neighbour is not None else None
        gone = rows.pop(index)
        self._push(rows, f"删除指标行“{name}”", focus, gone["id"])

    def move_row(self, index: int, step: int) -> None:
        """↑ / ↓: swap a row with the one before or after it in its group (as the rows are shown)."""
        rows = self.rows()
        same = self._same_group(rows, rows[index].get("group", ""))
        place = same.index(index) + step
        if not 0 <= place < len(same):
            return
        to = same[place]
        rows[index], rows[to] = rows[to], rows[index]
        self._push(rows, "移动指标行", rows[to]["id"], rows[to]["id"])

    def _same_group(self, rows: list[dict], group: str) -> list[int]:
        """Indices of the rows shown in the same group as `group` (all rows when the node has no groups; a row
        whose group is not one of the node's is shown under the first)."""
        groups = self.spec.groups
        if not groups:
            return list(range(len(rows)))
        shown = group if group in groups else groups[0]
        return [
            i
            for i, r in enumerate(rows)
            if (r.get("group") if r.get("group") in groups else groups[0]) == shown
        ]

    def _push(self, rows: list[dict], label: str, focus: str | None, back: str | None) -> None:
        self.page.editor.undo.push(SetNodeRows(self.page, self.node_id, rows, label, focus, back))

    def refresh(self, sheet: ScoreSheet) -> None:
        """Rebuild when the rows changed, update the subtotals (the page refreshes the cards, after this)."""
        node = sheet.by_id[self.node_id]
        if self.structure(node.indicator) != self.shape:
            self.build(node.indicator)
        for gid, label in self.group_labels.items():
            g = sheet.by_id.get(gid)
            label.setText(f"小计 {fmt(g.score, '—')} / {fmt(g.weight)} 分" if g is not None else "")
        leaves = _leaves(node.indicator)
        typed = sum((leaf.weight for leaf in leaves), start=node.weight * 0)
        # the weights not adding up is core's finding, said in its words; otherwise where the sum stands
        wrong = next((p.text for p in node.issues if p.code == "rows_weight"), "")
        if wrong or not leaves:
            text = wrong
        elif typed == node.weight:
            text = f"各行分值合计 {fmt(typed)} 分，与本项分值一致"
        else:  # a row still lacks its weight (the row says so): no finding yet
            text = f"各行分值合计 {fmt(typed)} 分，本项 {fmt(node.weight)} 分"
        self.sum_label.setText(text)
        set_style_property(self.sum_label, "bad", bool(wrong))


def _leaves(ind: Indicator) -> list[Indicator]:
    return [x for c in ind.children for x in (c.children or [c])]


def row_fields(page, card, ind: Indicator, block: RowsBlock) -> QWidget:
    """The row's own fields at the top of its card: name, weight, group, note; up, down, remove."""
    node_id, i = ind.row[0], ind.row_index
    box = QWidget(card)  # made in its card: see IndicatorCard
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
    buttons = []
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
        buttons.append(b)
    # greyed at the first and last row of the group (RowsBlock.build)
    card.move_buttons = (buttons[0], buttons[1])
    return box
