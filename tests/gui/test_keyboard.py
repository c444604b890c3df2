"""What a clerk using only the keyboard meets (found walking every shipped framework in a real window): Enter on a
button of a page presses it, 新建评价 puts the cursor in the first field, a hint under a figure leaves the
figure beside it level with its label."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.gui.helpers import field, go, retype, type_chinese
from tests.gui.test_shapes_window import start


def test_new_evaluation_by_keyboard_puts_the_cursor_in_the_department_name(qtbot, window):
    window.show_start()
    window.start.new_button.setFocus()
    qtbot.keyClick(window.start.new_button, Qt.Key.Key_Return)
    name = field(window, "facts", "department")
    assert window.focusWidget() is name
    type_chinese(window.focusWidget(), "区教育局")
    assert window.doc.get(("facts", "department")) == "区教育局"


def test_enter_on_a_button_of_a_page_presses_it(qtbot, window):
    """重庆's 绩效指标: Enter on 添加一行指标 adds a row (the cursor in its name), Enter on ↓ … and on 手工调整得分…"""
    start(qtbot, window, "chongqing")
    go(qtbot, window, "绩效指标")
    page = window.pages["indicator:indicators"]
    add = next(b for b in page.findChildren(QPushButton) if b.text() == "添加一行指标")
    add.setFocus()
    qtbot.keyClick(add, Qt.Key.Key_Return)
    assert len(window.doc.rows["indicators"]) == 1
    assert window.focusWidget() is field(window, "rows", "indicators", 0, "name")
    card = page.cards["indicators.r1"]
    card.override_toggle.setFocus()
    qtbot.keyClick(card.override_toggle, Qt.Key.Key_Enter)
    assert card.override_box.isVisibleTo(card)
    # Enter in a field still does what it did: nothing is added
    name = field(window, "rows", "indicators", 0, "name")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert len(window.doc.rows["indicators"]) == 1


def test_a_hint_under_a_figure_leaves_the_figure_beside_it_where_it_was(qtbot, window):
    """Two figures side by side: the reason a value is wrong, written under one of them, made their row taller and
    moved the fields off their labels (the row's fields were centred in it)."""
    start(qtbot, window, "futian")
    go(qtbot, window, "预算与执行数据")
    qtbot.wait(20)  # laid out
    left, right = (
        field(window, "figures", "income_budget"),
        field(window, "figures", "income_budget_increase"),
    )

    def tops():
        return [f.mapTo(window, f.rect().topLeft()).y() for f in (left, right)]

    before = tops()
    assert before[0] == before[1]  # one row of the grid
    retype(qtbot, right, "12wan")
    qtbot.wait(20)
    assert right.hint.isVisible() and "不是数字" in right.hint.text()
    assert all(abs(a - b) <= 1 for a, b in zip(tops(), before, strict=True))
