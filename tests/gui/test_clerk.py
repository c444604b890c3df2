"""What a clerk ran into filling a year by keyboard under a real X server (the QA pass): each test pins one
defect as the clerk met it, through the widgets."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.helpers import field, go, new_evaluation


def focused():
    return QApplication.focusWidget()


def test_enter_in_the_last_figure_of_a_group_goes_to_the_next_group_not_to_its_paste_button(qtbot, window):
    new_evaluation(qtbot, window)
    go(qtbot, window, "预算与执行数据")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    last = field(window, "figures", "q4_rate")  # the last field of 分季度预算执行
    last.setFocus()
    qtbot.keyClick(last, Qt.Key.Key_Return)
    assert focused() is field(window, "figures", "procurement_planned")  # the first of the next group
    qtbot.keyClicks(focused(), "513.28")
    assert window.doc.figures["procurement_planned"] == "513.28"  # what is typed next is not lost
    # the last field of the step: Enter goes on to 下一步 (where Enter goes to the next step)
    final = field(window, "figures", "satisfaction")
    final.setFocus()
    qtbot.keyClick(final, Qt.Key.Key_Return)
    assert focused() is window.next_button


def test_tab_in_the_last_cell_of_table_1_starts_a_new_row_instead_of_overwriting_the_first(qtbot, window):
    new_evaluation(qtbot, window)
    go(qtbot, window, "绩效目标表")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    page = window.current_page()
    qtbot.mouseClick(page.buttons["add"], Qt.MouseButton.LeftButton)
    for text in ("Output", "Quantity", "Cases", ">=5", "5.74", ""):  # typed cell by cell, Tab between
        editor = focused()
        if text:
            qtbot.keyClicks(editor, text)
        qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert len(window.doc.targets) == 2  # a new row, as in a Word or WPS table
    assert (page.table.currentRow(), page.table.currentColumn()) == (1, 0)
    qtbot.waitUntil(lambda: focused() is not page.table)  # its first cell open for typing, as after every Tab
    qtbot.keyClicks(focused(), "Effect")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert window.doc.targets[0]["level1"] == "Output"  # the first row is as typed
    assert window.doc.targets[1]["level1"] == "Effect"
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert len(window.doc.targets) == 1  # the row added by Tab is an undo step of its own


def test_a_blank_evaluation_says_how_many_sections_and_figures_are_empty(qtbot, window):
    new_evaluation(qtbot, window)
    steps = {s.title: window.nav.item(i).text() for i, s in enumerate(window.section_list)}
    assert "11 节未写" in steps["总体评价与整改"]  # not "12 节中还有 11 节未写": none is written
    go(qtbot, window, "预算与执行数据")
    for key, text in (("income_budget", "1,273.37"), ("q1_spending", "266.07")):
        field(window, "figures", key).setText(text)
    line = window.nav.item(window.nav.currentRow()).text()
    assert "46 项中还有 44 项未填" in line and "其中 24 项必填" in line  # every empty field counted


def test_ctrl_v_of_excel_cells_in_a_cell_opened_by_a_click_fills_the_cells_below(qtbot, window, dialogs):
    from PySide6.QtGui import QGuiApplication

    new_evaluation(qtbot, window)
    go(qtbot, window, "绩效目标表")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    page = window.current_page()
    for _ in range(3):
        qtbot.mouseClick(page.buttons["add"], Qt.MouseButton.LeftButton)
    table = page.table
    rect = table.visualRect(table.model().index(0, 4))  # 实际完成值 of the first row
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: table.state() == table.State.EditingState)  # a click opens the cell for typing
    QGuiApplication.clipboard().setText("5.74\r\n100%\r\n93.17%\r\n")  # a column copied in Excel
    qtbot.keyClick(focused(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [r["actual"] for r in window.doc.targets] == ["5.74", "100%", "93.17%"]  # not "5.74 100% 93.17%"
    assert [table.item(r, 4).text() for r in range(3)] == ["5.74", "100%", "93.17%"]
    QGuiApplication.clipboard().setText("35")  # one value: pasted into the open cell as usual
    rect = table.visualRect(table.model().index(2, 3))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: table.state() == table.State.EditingState)
    qtbot.keyClick(focused(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert window.doc.targets[2]["value"] == "35"


PREVIEW_PROBE = """
import sys
sys.path.insert(0, sys.argv[1])
from PySide6.QtWidgets import QApplication
from core.document import Evaluation
from core.framework import load_framework
from core.importing import plan_targets
from core.tables import read_file
from gui.app import make_app
from gui.importer import ImportDialog
from gui.window import MainWindow
from tests.import_books import system_targets
app = make_app()
w = MainWindow()
w.show()
w.set_document(Evaluation.new(load_framework(sys.argv[1] + "/resources/frameworks/futian-2020.json"), 2025))
book = read_file(str(system_targets(__import__("pathlib").Path(sys.argv[2]))))
d = ImportDialog(w, "targets", plan_targets(book, framework=w.doc.framework))
d.show()
for _ in range(5):
    app.processEvents()
a, g = w.screen().availableGeometry(), d.geometry()
b = d.ok.mapToGlobal(d.ok.rect().bottomRight())
print(a.width(), a.height(), g.width(), g.height(), g.x(), g.y(), b.x(), b.y())
"""


def test_the_import_preview_fits_a_1366x768_laptop_at_125_percent_with_its_import_button(tmp_path):
    """The preview was 1180×720: at 125 % (1093×614 logical pixels) its 导入 button and the choice of how to
    apply were below the screen's edge."""
    import json
    import subprocess
    import sys

    from gui.window import FRAME
    from tests.conftest import ROOT

    config = tmp_path / "screen.json"
    screen = {"name": "s", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96}
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    env = {
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "QT_SCALE_FACTOR": "1.25",
        "JIXIAO_DATA_DIR": str(tmp_path / "appdata"),
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    args = [sys.executable, "-c", PREVIEW_PROBE, str(ROOT), str(tmp_path / "t.xlsx")]
    r = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    aw, ah, w, h, x, y, bx, by = map(int, r.stdout.split())
    assert w + FRAME[0] <= aw and h + FRAME[1] <= ah, r.stdout  # with a title bar and borders, on the screen
    assert 0 <= x and 0 <= y and bx < aw and by < ah, r.stdout  # the 导入 button on the screen


def test_the_keyboard_focus_is_visible_on_buttons(qtbot, window):
    """With the keyboard alone one must see where the focus is: the style sheet had taken away the focus frame
    of the buttons (Tab onto 新建评价, 下一步 or 导出报送包 left no mark on the screen)."""
    window.show_start()
    start = window.start
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    unmarked = []
    for widget in (start.new_button, start.open_button, start.year):
        start.example_button.setFocus()
        QApplication.processEvents()
        before = widget.grab().toImage()
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        QApplication.processEvents()
        assert widget.hasFocus()
        if widget.grab().toImage() == before:
            unmarked.append(
                widget.accessibleName() or getattr(widget, "text", lambda: "")() or type(widget).__name__
            )
    new_evaluation(qtbot, window)
    for widget in (window.next_button, window.checks.bar):
        window.prev_button.setFocus()
        QApplication.processEvents()
        before = widget.grab().toImage()
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        QApplication.processEvents()
        if widget.grab().toImage() == before:
            unmarked.append(widget.text())
    assert unmarked == []


def test_the_weights_of_rows_still_being_added_are_said_at_their_sum_not_under_a_row(qtbot, window):
    """重庆: after the first row (10 of 90 points) the 错误 “各行分值合计 10 分，应等于 90 分” was written under that
    row's 分值 box, five lines in a box 90 px wide, pushing the row's name field down."""
    from PySide6.QtWidgets import QPushButton

    from tests.gui.test_shapes_window import start

    start(qtbot, window, "chongqing")
    go(qtbot, window, "绩效指标")
    page = window.current_page()
    (block,) = page.blocks
    add = next(b for b in block.findChildren(QPushButton) if b.text() == "添加一行指标")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    name, weight = (
        field(window, "rows", "indicators", 0, "name"),
        field(window, "rows", "indicators", 0, "weight"),
    )
    name.setText("News")
    weight.setText("10")
    window.run_checks()
    QApplication.processEvents()
    found = [f for f in window.findings if "各行分值合计 10 分" in f.message]
    assert found and found[0].severity == "错误", [
        f.message for f in window.findings
    ]  # still an 错误 of 审核 (the final export says so)
    assert weight.hint.isHidden() and weight.property("bad") is not True  # nothing written under the row
    assert name.mapTo(block, name.rect().topLeft()).y() == weight.mapTo(block, weight.rect().topLeft()).y()
    # at the sum: the finding's own words (core's), in red
    assert block.sum_label.text() == found[0].message and block.sum_label.property("bad") is True
    assert found[0].message == "“绩效指标”下各行分值合计 10 分，应等于 90 分"
    window.focus_path(found[0].path)  # a click on the finding goes to the step of the rows
    assert window.section_list[window.nav.currentRow()].title == "绩效指标"
    weight.setText("90")  # it read “各行分值合计 90 分，应为 90 分”, as if 90 were wrong
    assert block.sum_label.text() == "各行分值合计 90 分，与本项分值一致"
    assert block.sum_label.property("bad") is not True
    weight.setText("")  # the row says what it lacks; the sum says where it stands, not as a finding
    assert (
        block.sum_label.text() == "各行分值合计 0 分，本项 90 分"
        and block.sum_label.property("bad") is not True
    )


def test_a_blank_chongqing_evaluation_reads_as_blank_not_as_one_unfilled_indicator(qtbot, window):
    from PySide6.QtWidgets import QPushButton

    from tests.gui.test_shapes_window import start

    start(qtbot, window, "chongqing")
    # 预算执行率 is a 一级 leaf: unscored it read "预算执行率  / 10" (a gap where the score goes)
    assert window.totals.roots["execution"].text() == "预算执行率 — / 10"
    steps = {s.title: window.nav.item(i).text() for i, s in enumerate(window.section_list)}
    assert steps["绩效指标"] == "绩效指标\n还没有添加指标"  # not "1 项指标未填": there is no row yet
    assert steps["汇总与导出"] == "汇总与导出\n2 项指标均未评分"  # 预算执行率 and the rows to add
    go(qtbot, window, "绩效指标")
    (block,) = window.current_page().blocks
    add = next(b for b in block.findChildren(QPushButton) if b.text() == "添加一行指标")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    card = next(iter(window.current_page().cards.values()))
    assert "“”" not in card.reason.placeholderText()  # the row has no name yet
    field(window, "rows", "indicators", 0, "name").setText("News")
    assert "“News”哪一点未达到评分标准" in card.reason.placeholderText()


def test_quitting_without_saving_ends_without_an_unexpected_error_or_a_recovery_copy(
    qtbot, dialogs, data_dir
):
    """Ctrl+Q, 不保存: while the window was being destroyed its undo stack, cleared, said it was clean again and the
    title was set on the deleted window: “意外错误” in the log (and a message box where one could still be shown)."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QMessageBox

    from gui.window import MainWindow

    window = MainWindow()  # not the fixture's: this one is deleted here
    window.show()
    qtbot.waitUntil(lambda: window.has_started, timeout=5000)
    new_evaluation(qtbot, window)
    field(window, "facts", "department").setText("Test")
    assert window.documents.dirty
    dialogs.answer = QMessageBox.StandardButton.Discard
    assert window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    log = data_dir / "logs" / "jixiao.log"
    assert not log.exists() or "意外错误" not in log.read_text(encoding="utf-8")
    assert not list((data_dir / "recovery").glob("*"))  # nothing the clerk chose not to keep


def test_saving_a_new_evaluation_proposes_a_name_with_its_year(qtbot, window, dialogs, tmp_path):
    """Ctrl+S on a new evaluation proposed “深圳市福田区城市管理和综合执法局.json”: next year's draft was offered the
    same name, and accepting it replaced last year's draft."""
    from tests.gui.helpers import shortcut

    new_evaluation(qtbot, window, 2025)
    field(window, "facts", "department").setText("Test")
    dialogs.save_name = ""  # the dialog is cancelled: only what it proposed matters
    shortcut(qtbot, window, "Ctrl+S")
    assert dialogs.save_asked and dialogs.save_asked[-1].endswith("Test2025年度绩效自评.json")


def test_the_summary_table_lists_an_indicator_at_level_1_too(qtbot, window):
    """The 重庆 example's 汇总与导出 listed its 21 rows but not 预算执行率 (10 points, a 一级 leaf): the table the
    clerk checks before exporting left out a tenth of the score."""
    from tests.conftest import ROOT

    window.documents.open_path(ROOT / "resources" / "examples" / "chongqing-2021.json")
    go(qtbot, window, "汇总与导出")
    table = window.current_page().table
    names = [table.item(r, 0).text() for r in range(table.rowCount())]  # 指标名称 (重庆's 表2 columns)
    assert len(names) == 24 and names[0] == "预算执行率" and names[-2:] == ["合计", "评价等级"]
    row = [table.item(0, c).text() for c in range(table.columnCount())]
    assert row[5:7] == ["10", "7.6"]  # 权重, 得分
