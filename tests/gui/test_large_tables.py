"""A national-style table of hundreds of rows in the window (490 under 产出指标, near the 500 a draft holds under a
node): a node's rows a page at a time (each group on pages of 20 rows, chosen in a list or with 上一页 / 下一页),
only the page shown built; going to a row on a page not shown (审核, undo, adding a row) shows its page first."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from benchmarks.synthetic import make_national
from core.numbers import fmt
from tests.gui.helpers import field, go, retype, shortcut


@pytest.fixture
def national(qtbot, window):
    # 490 rows under 产出指标 (a draft holds at most 500 under a node)
    window.set_document(make_national(880))
    go(qtbot, window, "产出指标")
    return window.pages["indicator:output"]


def shown_rows(page) -> list[str]:
    return [card.ind.id for card in page.cards.values()]


def chongqing_rows(qtbot, window, count: int, weight: str):
    """重庆's 绩效指标 step with `count` rows (no groups): its page and its block of rows."""
    from core.catalogue import find
    from core.document import Evaluation

    doc = Evaluation.new(find("chongqing"), 2025)
    for i in range(count):
        doc.add_row("indicators", name=f"指标{i + 1}", weight=weight)
    window.set_document(doc)
    go(qtbot, window, "绩效指标")
    page = window.pages["indicator:indicators"]
    (block,) = page.blocks
    return page, block


def button(block, text: str) -> QPushButton:
    return next(b for b in block.findChildren(QPushButton) if b.text() == text and b.isVisibleTo(block))


def test_a_step_with_hundreds_of_rows_shows_one_page_of_them(qtbot, window, national):
    (block,) = national.blocks
    rows = window.doc.rows["output"]
    assert len(rows) == 490  # 123, 123, 122 and 122 in the four groups
    titles = [block.page_list.itemText(i) for i in range(block.page_list.count())]
    assert titles[:8] == [
        "数量指标 第 1–20 行（共 123 行）",
        "数量指标 第 21–40 行（共 123 行）",
        "数量指标 第 41–60 行（共 123 行）",
        "数量指标 第 61–80 行（共 123 行）",
        "数量指标 第 81–100 行（共 123 行）",
        "数量指标 第 101–120 行（共 123 行）",
        "数量指标 第 121–123 行（共 123 行）",
        "质量指标 第 1–20 行（共 123 行）",
    ]
    assert len(titles) == 28 and block.pager.isVisible()
    # only the rows of the page shown have cards: the first 20 rows of 数量指标 (every fourth row of the draft)
    assert shown_rows(national) == [r["id"] for r in rows[0:80:4]]
    assert len(window.fields) < 500  # not the 10,000 fields of every row
    # typing in a row of the page: the total follows
    card = national.cards[rows[4]["id"]]
    before = window.totals.total.text()
    retype(qtbot, card.fields["actual"], "50")
    assert window.sheet.by_id[rows[4]["id"]].score < window.sheet.by_id[rows[0]["id"]].score
    assert window.totals.total.text() != before
    # 下一页 (at the bottom): rows 21–40, the cursor in the name of row 21
    qtbot.mouseClick(button(block, "下一页"), Qt.MouseButton.LeftButton)
    assert block.page_list.currentText() == "数量指标 第 21–40 行（共 123 行）"
    assert shown_rows(national) == [r["id"] for r in rows[80:160:4]]
    assert window.focusWidget() is field(window, "rows", "output", 80, "name")
    # the list: the last page of 数量指标 ends with its add button; the group's subtotal is over all its rows
    block.page_list.setCurrentIndex(6)
    block.page_list.activated.emit(6)
    assert len(national.cards) == 3 and button(block, "添加一行到“数量指标”")
    subtotal = window.sheet.by_id["output.g1"]
    assert block.group_labels["output.g1"].text() == f"小计 {fmt(subtotal.score)} / {fmt(subtotal.weight)} 分"
    assert button(block, "下一页").isEnabled()  # 质量指标 comes next


def test_a_finding_on_a_row_of_a_page_not_shown_goes_to_its_field(qtbot, window, national):
    rows = window.doc.rows["output"]
    target = 401  # 质量指标, its 101st row: page 6 of 质量指标
    window.doc.set(("rows", "output", target, "weight"), "0")  # a number, but not a weight: 审核 says so
    window.changed(check_now=True)
    finding = next(f for f in window.findings if f.path == ("rows", "output", target, "weight"))
    assert rows[target]["id"] not in national.cards
    window.checks.set_open(True)
    items = [window.checks.list.topLevelItem(i) for i in range(window.checks.list.topLevelItemCount())]
    item = next(i for i in items if i.text(1) == finding.message)
    window.checks.list.scrollToItem(item)
    rect = window.checks.list.visualItemRect(item)
    qtbot.mouseClick(window.checks.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    (block,) = national.blocks
    assert block.page_list.currentText() == "质量指标 第 101–120 行（共 123 行）"
    weight = field(window, "rows", "output", target, "weight")
    assert window.focusWidget() is weight and weight.property("bad") is True
    assert finding.message in weight.hint.text()  # the error is written under the field


def test_undo_goes_back_to_the_page_of_the_edit(qtbot, window, national):
    (block,) = national.blocks
    rows = window.doc.rows["output"]
    retype(qtbot, field(window, "rows", "output", 8, "name"), "peixun")
    assert rows[8]["name"] == "peixun"
    block.page_list.setCurrentIndex(9)
    block.page_list.activated.emit(9)  # 质量指标 第 41–60 行
    assert rows[8]["id"] not in national.cards
    shortcut(qtbot, window, "Ctrl+Z")
    assert window.doc.rows["output"][8]["name"] == "数量指标9"
    assert block.page_list.currentIndex() == 0
    name = field(window, "rows", "output", 8, "name")
    assert name.text() == "数量指标9" and window.focusWidget() is name
    shortcut(qtbot, window, "Ctrl+Y")
    assert name.text() == "peixun"


def test_rows_added_and_removed_on_pages_with_undo(qtbot, window, national):
    (block,) = national.blocks
    rows = window.doc.rows["output"]
    # 添加一行 to 数量指标 from its last page: the new row is its 124th, on that page, the cursor in its name
    block.page_list.setCurrentIndex(6)
    block.page_list.activated.emit(6)
    assert block.page_list.currentText() == "数量指标 第 121–123 行（共 123 行）"
    qtbot.mouseClick(button(block, "添加一行到“数量指标”"), Qt.MouseButton.LeftButton)
    at = next(i for i, r in enumerate(window.doc.rows["output"]) if r["id"] == "output.r491")
    assert at == 489  # after the last row of 数量指标 (488), not at the end of the draft
    assert block.page_list.currentText() == "数量指标 第 121–124 行（共 124 行）"
    assert window.focusWidget() is field(window, "rows", "output", at, "name")
    window.undo.undo()
    assert len(window.doc.rows["output"]) == 490 and "output.r491" not in national.cards
    # a row removed on a page, its removal undone from another page: its page is shown again
    block.page_list.setCurrentIndex(2)
    block.page_list.activated.emit(2)
    removed = rows[200]
    remove = next(b for b in national.cards[removed["id"]].findChildren(QPushButton) if b.text() == "删除")
    qtbot.wait(50)  # the page is laid out
    window.scrolls["indicator:output"].ensureWidgetVisible(remove)  # scrolled to, as a clerk would
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert removed["id"] not in [r["id"] for r in window.doc.rows["output"]]
    # the cursor in the row after it on the page (the draft's next row, 201, is of another group)
    assert window.focusWidget() is field(window, "rows", "output", 203, "name")
    assert window.doc.rows["output"][203] == rows[204]
    block.page_list.setCurrentIndex(0)
    block.page_list.activated.emit(0)
    window.undo.undo()
    assert window.doc.rows["output"][200] == removed
    assert block.page_list.currentText() == "数量指标 第 41–60 行（共 123 行）"
    assert window.focusWidget() is field(window, "rows", "output", 200, "name")


def test_a_row_moves_among_the_rows_of_its_group(qtbot, window, national):
    """↑ / ↓ swap a row with the one above or below it as shown (in its group), not with the draft's
    neighbour, which may belong to another group."""
    rows = list(window.doc.rows["output"])
    assert [r["group"] for r in rows[:5]] == ["数量指标", "质量指标", "时效指标", "成本指标", "数量指标"]
    first, second = national.cards[rows[0]["id"]], national.cards[rows[4]["id"]]
    # the first of its group
    assert not first.move_buttons[0].isEnabled() and first.move_buttons[1].isEnabled()
    up = next(b for b in second.findChildren(QPushButton) if b.text() == "↑")
    up.click()
    moved = window.doc.rows["output"]
    assert (moved[0]["id"], moved[4]["id"]) == (rows[4]["id"], rows[0]["id"]) and moved[1:4] == rows[1:4]
    assert shown_rows(national)[:2] == [rows[4]["id"], rows[0]["id"]]
    assert window.focusWidget() is field(window, "rows", "output", 0, "name")  # the cursor moved with it
    window.undo.undo()
    assert window.doc.rows["output"] == rows
    assert window.focusWidget() is field(window, "rows", "output", 4, "name")


def test_the_31st_row_brings_pages_and_its_undo_takes_them_away(qtbot, window):
    """重庆's own indicators (rows without groups): 30 rows are shown together; adding the 31st splits them into
    pages of 20, the new row's page shown with the cursor in its name; undo shows all 30 again."""
    page, block = chongqing_rows(qtbot, window, 30, "3")
    assert not block.pager.isVisible() and len(page.cards) == 30
    qtbot.mouseClick(button(block, "添加一行指标"), Qt.MouseButton.LeftButton)
    assert block.pager.isVisible()
    assert [block.page_list.itemText(i) for i in range(block.page_list.count())] == [
        "第 1–20 行（共 31 行）",
        "第 21–31 行（共 31 行）",
    ]
    assert block.page_list.currentIndex() == 1 and len(page.cards) == 11
    assert window.focusWidget() is field(window, "rows", "indicators", 30, "name")
    assert not button(block, "下一页").isEnabled() and button(block, "上一页").isEnabled()
    shortcut(qtbot, window, "Ctrl+Z")
    assert len(window.doc.rows["indicators"]) == 30
    assert not block.pager.isVisible() and len(page.cards) == 30


def test_no_row_beyond_the_most_a_draft_holds(qtbot, window):
    """A draft holds at most 500 rows under a node (core.framework.MAX_ROWS; a draft with more is refused when
    opened): at 500 the add button is greyed and the step says why; removing one makes room again."""
    page, block = chongqing_rows(qtbot, window, 500, "0.18")
    block.page_list.setCurrentIndex(24)
    block.page_list.activated.emit(24)
    assert block.page_list.currentText() == "第 481–500 行（共 500 行）"
    add = button(block, "添加一行指标")
    assert not add.isEnabled()
    notes = [w.text() for w in block.findChildren(QLabel) if w.isVisibleTo(block)]
    assert "绩效指标已有 500 行，这是本项可添加的上限。" in notes  # the words of core.document.rows_full
    block.add_row("")  # (as a paste or a script might)
    assert len(window.doc.rows["indicators"]) == 500
    remove = next(b for b in page.cards["indicators.r500"].findChildren(QPushButton) if b.text() == "删除")
    remove.click()
    assert len(window.doc.rows["indicators"]) == 499 and button(block, "添加一行指标").isEnabled()
