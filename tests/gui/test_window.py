"""The filling window, driven as a user drives it: open the example, type, click, save, crash, restore, undo."""

import json
import subprocess
import sys

from PySide6.QtCore import Qt

from core.drafts import load, to_dict
from tests.conftest import EXAMPLE, ROOT
from tests.gui.helpers import field, go, new_evaluation, retype, shortcut, total_text, type_chinese


def open_example(window):
    action = next(
        a for a in window.menuBar().actions()[0].menu().actions() if a.text().startswith("打开示例")
    )
    action.trigger()


def same_document(a, b) -> bool:
    da, db = to_dict(a), to_dict(b)
    da.pop("saved_at"), db.pop("saved_at")
    return da == db


def test_example_shows_total_grade_and_subtotals(window):
    open_example(window)
    assert total_text(window) == "总分 92.96"
    assert window.totals.grade.text() == "等级 优"
    assert "部门决策 24" in window.totals.roots["decision"].text()
    assert "部门绩效 48.96" in window.totals.roots["performance"].text()
    assert window.totals.counts.text() == "未评 0 项"
    assert window.windowTitle() == "未命名[*] — 绩效自评助手"
    assert not window.isWindowModified()


def test_typing_satisfaction_96_gives_94_96(qtbot, window):
    open_example(window)
    go(qtbot, window, "预算与执行数据")
    f = field(window, "figures", "satisfaction")
    assert f.text() == "93.8"
    retype(qtbot, f, "96")
    assert window.doc.figures["satisfaction"] == "96"
    assert total_text(window) == "总分 94.96"
    assert "部门绩效 50.96" in window.totals.roots["performance"].text()
    assert window.isWindowModified()


def test_deduction_without_reason_is_marked_then_cleared_by_a_reason(qtbot, window):
    open_example(window)
    go(qtbot, window, "部门决策")
    card = window.current_page().cards["budget_compliance"]
    assert card.reason_label.text() == "扣分理由"
    retype(qtbot, card.fields["deduction"], "1")
    assert card.score.text() == "得分 4"
    assert card.reason_label.text() == "扣分理由 *"
    assert card.reason_label.property("required") == "missing"
    assert card.reason.property("bad") is True
    window.run_checks()  # (400 ms after the last keystroke) 审核 says why under the box, and only there
    assert card.reason.hint.text() == "“预算编制规范性”扣 1 分（得 4 分，满分 5 分），须填写扣分理由"
    assert not card.problems.isVisible()
    assert card.status.text() == "有问题"
    assert window.nav.item(3).data(Qt.ItemDataRole.UserRole) == "problem"
    assert total_text(window) == "总分 91.96"
    type_chinese(card.reason, "程序不规范")
    assert window.doc.indicators["budget_compliance"]["reason"] == "程序不规范"
    assert card.reason_label.property("required") == "yes"
    assert not card.problems.isVisible()
    assert card.status.text() == "已完成"


def test_bad_number_is_hinted_inline_and_kept_as_typed(qtbot, window):
    open_example(window)
    go(qtbot, window, "预算与执行数据")
    f = field(window, "figures", "procurement_actual")
    retype(qtbot, f, "5l3.28")
    assert window.doc.figures["procurement_actual"] == "5l3.28"
    assert f.hint.isVisible() and "不是数字" in f.hint.text()
    assert f.property("bad") is True
    assert window.nav.item(2).data(Qt.ItemDataRole.UserRole) == "problem"
    retype(qtbot, f, "513.28")
    assert not f.hint.isVisible()
    assert total_text(window) == "总分 92.96"


def test_full_width_and_thousands_are_accepted(qtbot, window):
    open_example(window)
    go(qtbot, window, "预算与执行数据")
    f = field(window, "figures", "satisfaction")
    retype(qtbot, f, "")
    type_chinese(f, "９６％")
    assert window.doc.figures["satisfaction"] == "９６％"
    assert not f.hint.isVisible()
    assert total_text(window) == "总分 94.96"


def test_save_reopen_identical(qtbot, window, make_window, dialogs, tmp_path):
    open_example(window)
    go(qtbot, window, "基本信息")
    type_chinese(field(window, "facts", "leader"), "张三")
    assert window.isWindowModified()
    dialogs.save_name = str(tmp_path / "福田")
    shortcut(qtbot, window, "Ctrl+S")
    saved = tmp_path / "福田.json"
    assert saved.is_file()
    assert window.windowTitle() == "福田.json[*] — 绩效自评助手" and not window.isWindowModified()
    assert load(saved).facts["leader"] == "张三"
    other = make_window()
    dialogs.open_name = str(saved)
    shortcut(qtbot, other, "Ctrl+O")
    assert other.documents.path == saved.resolve()
    assert same_document(other.doc, window.doc)
    assert total_text(other) == "总分 92.96"
    assert other.documents.recent_files()[0] == str(saved.resolve())


def test_save_failure_keeps_document_and_says_why(qtbot, window, dialogs, tmp_path):
    open_example(window)
    go(qtbot, window, "预算与执行数据")
    retype(qtbot, field(window, "figures", "satisfaction"), "96")
    assert not window.documents.save_to(tmp_path / "no such folder" / "x.json")
    kind, title, text = dialogs.messages[-1]
    assert kind == "critical" and title == "保存失败" and "文件夹不存在" in text
    assert window.doc.figures["satisfaction"] == "96" and window.isWindowModified()


def test_opening_a_bad_file_shows_the_chinese_reason(qtbot, window, dialogs, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "jixiao-draft", "version": 1, "facts": ', encoding="utf-8")
    dialogs.open_name = str(bad)
    shortcut(qtbot, window, "Ctrl+O")
    kind, title, text = dialogs.messages[-1]
    assert kind == "critical" and "无法打开 bad.json：草稿文件已损坏：内容不完整" in text
    assert window.documents.path is None


def test_crash_then_restore_in_a_new_window(qtbot, make_window, data_dir):
    from core import recovery

    first = make_window()
    open_example(first)
    go(qtbot, first, "预算与执行数据")
    retype(qtbot, field(first, "figures", "satisfaction"), "96")
    first.documents.autosave_timer.timeout.emit()  # the 60-second timer fires
    copies = list((data_dir / "recovery").glob("*.json"))
    assert len(copies) == 1
    assert json.loads(copies[0].read_text(encoding="utf-8"))["figures"]["satisfaction"] == "96"
    # crash: the window goes away without saving and without removing the copy
    second = make_window()
    assert second.doc is None and second.central.currentWidget() is second.start
    asked = []
    assert second.documents.offer_recovery(ask=lambda question, c: asked.append(question) or "restore")
    assert asked[0].startswith(
        "上次程序意外关闭，“未命名文档”（深圳市福田区数字化城管技术服务中心，2020 年度）有未保存的修改，最后一次修改于 "
    )
    assert second.doc.figures["satisfaction"] == "96"
    assert total_text(second) == "总分 94.96"
    assert second.isWindowModified()
    second.documents.save_to(data_dir.parent / "restored.json")
    assert recovery.copies() == []
    assert not second.isWindowModified()


def test_discarding_changes_removes_the_recovery_copy(qtbot, window, dialogs, data_dir):
    from PySide6.QtWidgets import QMessageBox

    open_example(window)
    go(qtbot, window, "预算与执行数据")
    retype(qtbot, field(window, "figures", "satisfaction"), "96")
    window.documents.autosave()
    assert len(list((data_dir / "recovery").iterdir())) == 1
    dialogs.answer = QMessageBox.StandardButton.Discard
    open_example(window)  # asks first: "不保存"
    assert dialogs.messages[-1][0] == "warning" and "未保存的修改" in dialogs.messages[-1][2]
    assert list((data_dir / "recovery").iterdir()) == []
    assert window.doc.figures["satisfaction"] == "93.8"


def test_cancel_keeps_unsaved_work(qtbot, window, dialogs):
    open_example(window)
    go(qtbot, window, "预算与执行数据")
    retype(qtbot, field(window, "figures", "satisfaction"), "96")
    open_example(window)  # the question is answered 取消
    assert window.doc.figures["satisfaction"] == "96"


def test_undo_and_redo_a_typed_figure(qtbot, window):
    open_example(window)
    go(qtbot, window, "预算与执行数据")
    f = field(window, "figures", "satisfaction")
    retype(qtbot, f, "96")
    assert window.undo.count() == 1  # typing in one field is one step
    shortcut(qtbot, window, "Ctrl+Z")
    assert f.text() == "93.8" and window.doc.figures["satisfaction"] == "93.8"
    assert total_text(window) == "总分 92.96"
    assert not window.isWindowModified()
    shortcut(qtbot, window, "Ctrl+Y")
    assert f.text() == "96" and total_text(window) == "总分 94.96"


def test_undo_goes_back_to_the_step_of_the_edit(qtbot, window):
    open_example(window)
    go(qtbot, window, "部门决策")
    retype(qtbot, window.current_page().cards["budget_compliance"].fields["deduction"], "2")
    go(qtbot, window, "汇总与导出")
    window.undo_action.trigger()
    assert window.section_list[window.nav.currentRow()].title == "部门决策"
    assert window.doc.get(("indicators", "budget_compliance", "inputs", "deduction")) == "0"


def test_override_needs_a_reason(qtbot, window):
    open_example(window)
    go(qtbot, window, "部门决策")
    card = window.current_page().cards["budget_rationality"]
    assert not card.override.isVisible()  # rarely used: closed, out of the Tab chain
    qtbot.mouseClick(card.override_toggle, Qt.MouseButton.LeftButton)
    assert card.override.isVisible() and window.focusWidget() is card.override
    retype(qtbot, card.override, "4")
    assert card.override_label.property("required") == "missing"
    window.run_checks()
    assert card.override_reason.hint.text() == "“预算编制合理性”手工调整为 4 分（计算得分 5），须写明调整理由"
    assert not card.problems.isVisible()
    type_chinese(card.override_reason, "专家评议")
    assert card.override_label.property("required") == "yes"
    assert card.score.text() == "得分 4"
    assert total_text(window) == "总分 91.96"


def test_targets_rows_add_move_remove_and_undo(qtbot, window):
    open_example(window)
    go(qtbot, window, "绩效目标表")
    page = window.current_page()
    n = len(window.doc.targets)
    assert page.table.rowCount() == n
    first = window.doc.targets[0]["level3"]
    page.table.setCurrentCell(0, 0)
    qtbot.mouseClick(page.buttons["down"], Qt.MouseButton.LeftButton)
    assert window.doc.targets[1]["level3"] == first and page.table.item(1, 2).text() == first
    qtbot.mouseClick(page.buttons["add"], Qt.MouseButton.LeftButton)
    assert len(window.doc.targets) == n + 1 and window.doc.targets[2]["level3"] == ""
    page.table.item(2, 2).setText("新增指标")  # what the cell editor commits
    assert window.doc.targets[2]["level3"] == "新增指标"
    qtbot.mouseClick(page.buttons["remove"], Qt.MouseButton.LeftButton)
    assert len(window.doc.targets) == n
    for _ in range(4):
        window.undo_action.trigger()
    assert window.doc.targets[0]["level3"] == first and len(window.doc.targets) == n
    assert page.table.item(0, 2).text() == first


def test_narrative_text_is_stored(qtbot, window):
    new_evaluation(qtbot, window)
    go(qtbot, window, "总体评价与整改")
    box = field(window, "narrative", "overall_plans")
    type_chinese(box, "继续")
    assert window.doc.narrative["overall_plans"] == "继续"


def test_summary_page_shows_table2_as_the_exports_do(qtbot, window):
    open_example(window)
    go(qtbot, window, "汇总与导出")
    page = window.current_page()
    table = page.table
    heads = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert heads == ["一级指标", "参考分值", "二级指标", "参考分值", "三级指标", "参考分值", "评分结果"]
    assert table.rowCount() == 23  # 21 leaves, 合计, 评价等级
    assert [table.item(0, c).text() for c in range(7)] == "部门决策 25 预算编制 10 预算编制合理性 5 5".split()
    assert table.rowSpan(0, 0) == 4 and table.rowSpan(0, 2) == 2  # merged as in the exports
    assert [table.item(21, c).text() for c in (0, 1, 6)] == ["合计", "100", "92.96"]
    assert table.item(22, 0).text() == "评价等级" and table.columnSpan(22, 0) == 6
    assert table.item(22, 6).text() == "优"
    assert "总分 92.96 分" in page.summary.text()
    table.cellDoubleClicked.emit(20, 4)
    assert window.section_list[window.nav.currentRow()].title == "部门绩效"
    table.cellDoubleClicked.emit(21, 0)  # 合计 opens nothing
    assert window.section_list[window.nav.currentRow()].title == "部门绩效"


def test_checks_bar_opens_on_click_and_a_single_click_goes_to_the_field(qtbot, window):
    open_example(window)
    panel = window.checks
    assert not panel.list.isVisible() and panel.bar.height() < 40  # one line
    assert panel.bar.text() == "▲ 审核：错误 1 项，警告 18 项，提示 1 项"
    qtbot.mouseClick(panel.bar, Qt.MouseButton.LeftButton)
    assert panel.list.isVisible() and panel.bar.text().startswith("▼ 审核：错误 1 项")
    items = [panel.list.topLevelItem(i) for i in range(panel.list.topLevelItemCount())]
    item = next(i for i in items if i.data(0, Qt.ItemDataRole.UserRole) == ("facts", "evaluation_date"))
    assert item.text(0) == "错误"
    rect = panel.list.visualItemRect(item)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.section_list[window.nav.currentRow()].title == "基本信息"
    assert window.focusWidget() is field(window, "facts", "evaluation_date")
    assert window.nav.item(0).data(Qt.ItemDataRole.UserRole) == "problem"
    assert window.settings.value("checks/open") in (True, "true")  # remembered
    qtbot.mouseClick(panel.bar, Qt.MouseButton.LeftButton)
    assert not panel.list.isVisible()


def test_the_first_frame_builds_no_document_and_the_start_page_is_filled_just_after_it(
    qtbot, data_dir, dialogs
):
    from PySide6.QtCore import QEvent, QObject

    from gui.window import MainWindow

    class Paints(QObject):
        seen: list = []

        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                self.seen.append(bool(obj.start.frameworks))
            return False

    w = MainWindow()
    qtbot.addWidget(w)
    paints = Paints()
    w.installEventFilter(paints)
    assert w.doc is None and w.central.currentWidget() is w.start and w.windowTitle() == "绩效自评助手"
    titles = [a.text() for a in w.menuBar().actions()]
    assert titles == ["文件(&F)", "编辑(&E)", "导入(&I)", "查看(&V)", "帮助(&H)"]  # in the first frame
    with qtbot.waitSignal(w.started, timeout=5000):
        w.show()
    assert paints.seen[0] is False  # the first frame did not wait for the frameworks
    # the menus' actions came just after it
    assert len(w.doc_actions) == 11 and w.save_action in w.doc_actions
    assert not any(a.isEnabled() for a in w.doc_actions)  # no save, export or steps without a document
    assert w.menuBar().actions()[0].menu().actions()[0].text() == "开始页(&H)"
    from core.catalogue import catalogue

    assert w.start.framework.count() == len(catalogue()) and w.start.recent.rowCount() == 0
    assert w.start.framework.currentText().startswith("福田区")  # the default framework first
    w.removeEventFilter(paints)


def test_a_draft_opened_at_start_is_checked_just_after_the_first_paint(qtbot, data_dir, dialogs):
    from gui.window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    assert w.documents.open_path(EXAMPLE)  # main.py FILE
    assert not w.checks.ready and w.checks.bar.text() == "▲ 审核"  # in the first frame: no findings yet
    with qtbot.waitSignal(w.started, timeout=5000):
        w.show()
    assert w.checks.bar.text().startswith("▲ 审核：错误 1 项") and "审核发现" in w.page_state.text()
    assert w.doc_actions and all(a.isEnabled() for a in w.doc_actions)  # made after the draft was shown
    w.checks.set_open(True)
    assert w.checks_action.isChecked()


def test_a_framework_of_1000_leaves_needs_no_new_widget_code(qtbot, window):
    from benchmarks.synthetic import make_document

    window.set_document(make_document(1000))
    assert len(window.section_list) == 3 + 10 + 2
    go(qtbot, window, "一级指标 3")
    page = window.current_page()
    assert page.picker.count() == 10  # 100 leaves: one 二级 group at a time
    assert len(page.cards) == 10
    page.picker.setCurrentIndex(4)
    assert len(page.cards) == 20
    card = next(
        c
        for c in page.cards.values()
        if c.ind.id.startswith("leaf_") and c.isVisible() and c.ind.rule.type_name == "judged"
    )
    before = total_text(window)
    retype(qtbot, card.fields["deduction"], "0")
    assert total_text(window) != before
    assert (
        window.focus_path(("indicators", "leaf_305", "reason"))
        is window.fields[("indicators", "leaf_305", "reason")][0]
    )
    assert (
        page.picker.currentIndex() == 0 and window.fields[("indicators", "leaf_305", "reason")][0].isVisible()
    )


def test_export_excel_of_the_example_is_marked_draft_and_the_dialog_says_why(
    qtbot, window, dialogs, tmp_path, monkeypatch
):
    from openpyxl import load_workbook
    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()))
    )
    open_example(window)
    dialogs.save_name = str(tmp_path / "out")
    dialogs.click = "打开所在文件夹"
    window.export("xlsx")
    assert window.jobs.busy and window.jobs.cancel_button.isVisible()  # off the GUI thread, with 取消
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=30000)
    book = load_workbook(tmp_path / "out.xlsx")
    assert any("草稿" in str(c.value) for row in book["表2 评分表"].iter_rows() for c in row)
    kind, title, text = dialogs.messages[-1]
    assert (kind, title) == ("information", "导出完成")
    assert text.startswith(f"已导出 Excel：\n{tmp_path / 'out.xlsx'}\n\n文件已标注“草稿”，因为：\n")
    assert "· 审核发现 1 项错误（评价日期“2020-04”早于评价年度 2020 年结束" in text  # the real reason
    assert opened == [str(tmp_path)]
    assert window.statusBar().currentMessage().endswith("out.xlsx（草稿）")


def test_screenshot_command(tmp_path):
    out = tmp_path / "shot.png"
    env = {
        "JIXIAO_DATA_DIR": str(tmp_path / "appdata"),
        "QT_QPA_PLATFORM": "offscreen",
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }
    r = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--screenshot", str(out), str(EXAMPLE)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (tmp_path / "appdata" / "recovery").exists()
    assert not (tmp_path / "appdata" / "settings.ini").exists()  # the user's settings are not touched
    r = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--screenshot", str(out), str(EXAMPLE), "--section", "图表"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 2 and r.stderr.startswith("错误：没有步骤“图表”，可用：facts、targets、figures")


def test_main_opens_a_draft_named_on_the_command_line_in_the_window(tmp_path):
    from main import opens_a_file

    assert opens_a_file([str(EXAMPLE)]) and opens_a_file(["新建文件夹/草稿.json"])
    (tmp_path / "草稿").write_text("{}", encoding="utf-8")
    assert opens_a_file([str(tmp_path / "草稿")])  # an existing file without a suffix
    assert (
        not opens_a_file(["score"]) and not opens_a_file(["score", "x.json"]) and not opens_a_file(["--help"])
    )


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(qtbot, window, dialogs, data_dir):
    from PySide6.QtWidgets import QMessageBox

    open_example(window)
    go(qtbot, window, "预算与执行数据")
    retype(qtbot, field(window, "figures", "satisfaction"), "96")
    assert not window.close()  # 取消
    assert window.isVisible() and dialogs.messages[-1][0] == "warning"
    dialogs.answer = QMessageBox.StandardButton.Discard
    assert window.close()
    assert (data_dir / "settings.ini").read_text(encoding="utf-8").count("geometry") == 1


def test_new_evaluation_via_ctrl_n_asks_framework_and_year_and_starts_blank(qtbot, window):
    from datetime import date

    open_example(window)
    shortcut(qtbot, window, "Ctrl+N")
    assert window.central.currentWidget() is window.start and window.start.framework.hasFocus()
    assert window.start.year.value() == date.today().year - 1  # the year that has just ended
    assert window.start.framework.currentText().startswith("福田区预算绩效评价共性指标体系框架")
    window.start.year.setValue(2023)
    qtbot.keyClick(window.start.new_button, Qt.Key.Key_Return)
    assert window.doc.figures == {} and window.doc.facts["year"] == "2023"
    assert total_text(window) == "总分 —" and window.totals.grade.text() == "等级 —"  # not 差
    assert window.totals.counts.text() == "未评 21 项"
    assert window.nav.item(2).text() == "预算与执行数据\n46 项未填，其中 25 项必填"
    assert window.windowTitle() == "未命名[*] — 绩效自评助手"


def test_the_year_of_a_new_evaluation_is_the_frameworks_and_a_year_outside_it_is_said(
    qtbot, make_window, data_dir
):
    """新建评价 proposes the chosen framework's default year (last calendar year, moved into the years it
    applies to); a year outside them is said next to the year, and the evaluation may still be made."""
    import json
    from datetime import date

    from tests.conftest import ROOT

    mine = json.loads((ROOT / "resources" / "frameworks" / "yueyang.json").read_text("utf-8"))
    mine.update(id="old-district", name="本区旧框架", years={"from": 2016, "to": 2019})
    (data_dir / "frameworks").mkdir(parents=True)
    (data_dir / "frameworks" / "old-district.json").write_text(json.dumps(mine, ensure_ascii=False), "utf-8")
    window = make_window()
    start = window.start
    last = date.today().year - 1
    assert start.year.value() == last and start.year_note.isHidden()  # 福田: 2020—2026
    start.framework.setCurrentIndex(start.framework.count() - 1)
    assert start.framework.currentText() == "本区旧框架（湖南省岳阳市，2016—2019 年）（自定义）"
    assert start.year.value() == 2019 and start.year_note.isHidden()  # its last year, not the calendar's
    start.year.setFocus()
    qtbot.keyClick(start.year, Qt.Key.Key_Up)  # 2020: outside the framework's years
    assert start.year.value() == 2020 and start.year_note.isVisible()
    assert (
        start.year_note.text()
        == "该指标框架适用于 2016—2019 年，不含 2020 年度。仍可新建，请确认本年度可以使用。"
    )
    start.framework.setCurrentIndex(0)  # the year chosen by hand stays: 福田 applies to 2020
    assert start.year.value() == 2020 and start.year_note.isHidden()
    start.framework.setCurrentIndex(start.framework.count() - 1)
    qtbot.mouseClick(start.new_button, Qt.MouseButton.LeftButton)  # the clerk may go on (审核 reminds)
    assert window.doc.framework.id == "old-district" and window.doc.year == "2020"
    window.run_checks()
    assert any(f.path == ("facts", "year") and "2016—2019" in f.message for f in window.findings)


def test_recent_files_menu_reopens(qtbot, window, make_window, tmp_path):
    open_example(window)
    window.documents.save_to(tmp_path / "a.json")
    window.recent_menu.aboutToShow.emit()
    actions = window.recent_menu.actions()
    assert actions[0].text().startswith("&1 a.json")
    other = make_window()
    other.recent_menu.aboutToShow.emit()
    other.recent_menu.actions()[0].trigger()
    assert other.documents.path == (tmp_path / "a.json").resolve() and total_text(other) == "总分 92.96"


def test_export_pdf(qtbot, window, dialogs, tmp_path):
    open_example(window)
    dialogs.save_name = str(tmp_path / "报告")
    window.export("pdf")
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=30000)
    assert (tmp_path / "报告.pdf").read_bytes()[:5] == b"%PDF-"


def test_restore_of_a_saved_file_keeps_its_name_and_the_first_save_asks_where(
    qtbot, make_window, tmp_path, data_dir, dialogs
):
    first = make_window()
    open_example(first)
    first.documents.save_to(tmp_path / "福田.json")
    go(qtbot, first, "基本信息")
    type_chinese(field(first, "facts", "leader"), "王")
    first.documents.autosave_timer.timeout.emit()
    second = make_window()
    assert second.documents.offer_recovery(ask=lambda q, c: "restore" if c.name == "福田.json" else "later")
    assert second.documents.path == (tmp_path / "福田.json").resolve()
    assert second.windowTitle() == "福田.json[*] — 绩效自评助手" and second.isWindowModified()
    assert second.doc.facts["leader"] == "王"
    assert load(tmp_path / "福田.json").facts["leader"] == ""  # the user's file was never touched
    dialogs.save_name = str(tmp_path / "福田.json")
    shortcut(qtbot, second, "Ctrl+S")
    assert dialogs.save_asked == [str((tmp_path / "福田.json").resolve())]  # asked, the full path proposed
    assert load(tmp_path / "福田.json").facts["leader"] == "王"
    shortcut(qtbot, second, "Ctrl+S")  # saved once: the next save writes without asking
    assert len(dialogs.save_asked) == 1
    assert list((data_dir / "recovery").iterdir()) == []


def test_enter_moves_to_the_next_field(qtbot, window):
    new_evaluation(qtbot, window)
    go(qtbot, window, "基本信息")
    first = field(window, "facts", "department")
    first.setFocus()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(first, Qt.Key.Key_Return)
    assert window.focusWidget() is field(window, "facts", "year")


def test_a_paste_over_the_length_limit_is_refused_with_the_field_and_the_limit(qtbot, window, dialogs):
    new_evaluation(qtbot, window)
    go(qtbot, window, "基本信息")
    line = field(window, "facts", "department")
    line.setText("部门")
    line.setText("字" * 1001)  # what a paste does
    assert dialogs.messages[-1] == (
        "warning",
        "文字太长",
        "基本信息“部门名称”有 1,001 字，超过上限 1,000 字，没有填入。请删减后再粘贴。",
    )
    assert window.doc.facts["department"] == "部门" and line.text() == "部门"
    go(qtbot, window, "总体评价与整改")
    box = field(window, "narrative", "overall_plans")
    box.setPlainText("甲" * 100_001)
    assert "有 100,001 字，超过上限 100,000 字" in dialogs.messages[-1][2]
    assert window.doc.narrative.get("overall_plans", "") == box.toPlainText() != "甲" * 100_001
    box.setPlainText("乙" * 100_000)  # at the limit: kept
    assert window.doc.narrative["overall_plans"] == "乙" * 100_000


def test_undo_in_a_text_box_takes_back_the_last_line_not_the_box(qtbot, window):
    new_evaluation(qtbot, window)
    go(qtbot, window, "总体评价与整改")
    box = field(window, "narrative", "overall_plans")
    type_chinese(box, "第一段文字。")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    type_chinese(box, "第二段")
    shortcut(qtbot, window, "Ctrl+Z")
    assert box.toPlainText() == "第一段文字。\n" and window.doc.narrative["overall_plans"] == "第一段文字。\n"
    assert window.focusWidget() is box and box.textCursor().position() == len("第一段文字。\n")
    shortcut(qtbot, window, "Ctrl+Z")
    assert box.toPlainText() == "第一段文字。"
    shortcut(qtbot, window, "Ctrl+Y")
    shortcut(qtbot, window, "Ctrl+Y")
    assert box.toPlainText() == "第一段文字。\n第二段"


def test_typing_merges_into_one_undo_step_per_word_and_pause(qtbot, window, monkeypatch):
    new_evaluation(qtbot, window)
    import gui.editing

    clock = [100.0]
    monkeypatch.setattr(gui.editing.time, "monotonic", lambda: clock[0])
    go(qtbot, window, "基本信息")
    f = field(window, "facts", "department")
    f.setFocus()
    qtbot.keyClicks(f, "city service")
    assert window.undo.count() == 2  # "city " and "service"
    clock[0] += 5  # a pause, then more of the same word
    qtbot.keyClicks(f, "s")
    assert window.undo.count() == 3
    for expected in ("city service", "city ", ""):
        shortcut(qtbot, window, "Ctrl+Z")
        assert f.text() == expected


def test_an_impossible_value_is_an_error_under_its_own_field(qtbot, window):
    open_example(window)
    go(qtbot, window, "预算与执行数据")
    f = field(window, "figures", "satisfaction")
    retype(qtbot, f, "150")
    qtbot.waitUntil(lambda: f.hint.isVisible(), timeout=3000)  # 审核 runs a moment after typing
    assert f.hint.text() == "数据“公众或服务对象满意度”不能超过 100%，现为 150%"
    assert f.property("bad") is True and f.hint.property("bad") is True
    assert window.sheet.by_id["satisfaction"].score is None  # never full marks with a warning
    retype(qtbot, f, "96")
    qtbot.waitUntil(lambda: not f.hint.isVisible(), timeout=3000)
    assert f.property("bad") is False and total_text(window) == "总分 94.96"
    go(qtbot, window, "基本信息")  # a page built after the check shows its errors at once
    date = field(window, "facts", "evaluation_date")
    assert date.hint.isVisible() and date.hint.text().startswith("评价日期“2020-04”早于评价年度 2020 年结束")


def test_invisible_formatting_characters_are_marked_in_fields_and_labels(qtbot, window):
    new_evaluation(qtbot, window)
    go(qtbot, window, "基本信息")
    f = field(window, "facts", "department")
    type_chinese(f, "李\u202e武")
    assert window.doc.facts["department"] == "李\u202e武"  # kept as typed
    assert f.hint.isVisible() and f.property("bad") is False
    assert (
        f.hint.text() == "含 1 个不可见的格式字符（如 ⟦U+202E⟧，导出时删去），第一个在第 2 字：李⟦U+202E⟧武"
    )
    from gui.editing import WrapLabel, plain_label

    assert plain_label("甲\u200b乙").text() == "甲⟦U+200B⟧乙" and WrapLabel("\u202e丙").text() == "⟦U+202E⟧丙"


def test_the_keyboard_alone_goes_through_the_steps(qtbot, window):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QLineEdit,
        QListWidget,
        QPlainTextEdit,
        QTreeWidget,
    )

    open_example(window)
    go(qtbot, window, "基本信息")
    last = field(window, "facts", "evaluation_date")
    last.setFocus()
    qtbot.keyClick(last, Qt.Key.Key_Tab)
    assert window.focusWidget() is window.next_button  # not into the step list
    qtbot.keyClick(window.next_button, Qt.Key.Key_Return)
    assert window.section_list[window.nav.currentRow()].title == "绩效目标表"
    shortcut(qtbot, window, "Ctrl+PgDown")
    assert window.section_list[window.nav.currentRow()].title == "预算与执行数据"
    assert window.focusWidget() is field(window, "figures", "income_budget")  # the first field of the step
    shortcut(qtbot, window, "Ctrl+PgDown")
    card = window.current_page().cards["budget_rationality"]
    assert window.focusWidget() is card.fields["deduction"]
    window.prev_button.setFocus()
    qtbot.keyClick(window.prev_button, Qt.Key.Key_Return)
    assert window.section_list[window.nav.currentRow()].title == "预算与执行数据"
    # every Tab stop of an indicator step is something visible one can act on; 手工调整 is not among them
    shortcut(qtbot, window, "Ctrl+PgDown")
    window.nav.setFocus()
    stops = []
    for _ in range(200):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        w = window.focusWidget()
        if w is window.nav:
            break
        stops.append(w)
    kinds = (QLineEdit, QPlainTextEdit, QAbstractButton, QComboBox, QListWidget, QTreeWidget)
    assert stops and all(isinstance(w, kinds) and w.isVisible() for w in stops), [type(w) for w in stops]
    assert card.override not in stops and card.override_toggle in stops
    assert stops.index(window.next_button) == stops.index(window.prev_button) - 1


def test_the_context_menu_of_a_field_undoes_the_document_with_one_wording(qtbot, window):
    from gui.editing import edit_menu

    open_example(window)
    go(qtbot, window, "预算与执行数据")
    f = field(window, "figures", "satisfaction")
    retype(qtbot, f, "96")
    texts = [a.text() for a in edit_menu(f).actions()]
    assert texts[:2] == ["撤销 修改“公众或服务对象满意度”", "重做"] and not any("撤消" in t for t in texts)
    next(a for a in edit_menu(f).actions() if a.text().startswith("撤销")).trigger()
    assert window.doc.figures["satisfaction"] == "93.8"


def test_remove_deletes_every_selected_row_and_tables_have_no_scroll_bar_of_their_own(qtbot, window):
    from PySide6.QtCore import QItemSelectionModel

    open_example(window)
    go(qtbot, window, "绩效目标表")
    table = window.current_page().table
    n = len(window.doc.targets)
    kept = [r["level3"] for i, r in enumerate(window.doc.targets) if i not in (1, 3)]
    table.setCurrentCell(1, 2)
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    table.selectionModel().select(table.model().index(3, 0), flags)
    qtbot.mouseClick(window.current_page().buttons["remove"], Qt.MouseButton.LeftButton)
    assert [r["level3"] for r in window.doc.targets] == kept and table.rowCount() == n - 2
    window.undo_action.trigger()  # one step
    assert len(window.doc.targets) == n
    for title in ("绩效目标表", "汇总与导出"):
        go(qtbot, window, title)
        t = window.current_page().table
        assert not t.verticalScrollBar().isVisible()
        rows = sum(t.rowHeight(r) for r in range(t.rowCount()))
        assert t.height() >= rows + t.horizontalHeader().height()  # the page's scroll bar is the only one


def test_the_recovery_copy_tells_the_time_of_the_last_edit_and_is_not_rewritten_without_one(
    qtbot, window, data_dir, monkeypatch
):
    import gui.documents
    from core import recovery

    clock = ["2024-03-01T09:15:00"]
    monkeypatch.setattr(gui.documents, "now", lambda: clock[0])
    open_example(window)
    go(qtbot, window, "预算与执行数据")
    retype(qtbot, field(window, "figures", "satisfaction"), "96")
    clock[0] = "2024-03-01T09:20:00"  # the timer fires minutes later
    window.documents.autosave()
    (copy,) = recovery.copies(alive=lambda pid: False)
    assert copy.edited_at == "2024-03-01T09:15:00"
    before = copy.path.stat().st_mtime_ns
    window.documents.autosave()  # nothing new: not written again
    assert copy.path.stat().st_mtime_ns == before


def test_every_field_keeps_its_hint_inside_the_window(qtbot, window):
    """A hint line outside any layout would open as a window of its own (at the screen's corner)."""
    from PySide6.QtWidgets import QApplication

    from tests.gui.test_plain_text import markup_document

    window.set_document(markup_document())  # errors, bad numbers and marks in every kind of field
    window.run_checks()
    for section in window.section_list:
        window.show_section(section.key)
        QApplication.processEvents()
    for fields in window.fields.values():
        for f in fields:
            assert f.hint.window() is window, f.path
    assert any(not f.hint.isHidden() for fs in window.fields.values() for f in fs)


def test_ctrl_pgdown_moves_one_step_whatever_has_the_focus(qtbot, window):
    from PySide6.QtTest import QTest

    def press(key):  # through the window system, as a real key press comes (the focus widget sees it first)
        QTest.keyClick(window.windowHandle(), key, Qt.KeyboardModifier.ControlModifier)

    open_example(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.nav.setFocus()  # the step list would take it as "page down" for itself
    press(Qt.Key.Key_PageDown)
    assert window.nav.currentRow() == 1
    window.current_page().table.setFocus()  # 表1, a table
    press(Qt.Key.Key_PageDown)
    assert window.nav.currentRow() == 2
    press(Qt.Key.Key_PageUp)
    assert window.nav.currentRow() == 1


def test_the_start_page_lists_recent_drafts_with_department_year_total_grade_and_when_saved(
    qtbot, window, make_window, tmp_path
):
    from datetime import datetime

    open_example(window)
    window.documents.save_to(tmp_path / "福田.json")
    window.documents.remember(tmp_path / "gone.json")  # a file moved away since
    other = make_window()
    table = other.start.recent
    qtbot.waitUntil(lambda: table.item(1, 5) is not None and table.item(1, 5).text() != "", timeout=10000)
    row = [table.item(1, c).text() for c in range(6)]
    saved = datetime.fromtimestamp((tmp_path / "福田.json").stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    assert row == ["福田.json", "深圳市福田区数字化城管技术服务中心", "2020", "92.96", "优", saved]
    assert table.item(0, 1).text() == "文件已不存在（可能已移动或删除）"
    assert table.currentRow() == 0  # the last draft opened: Enter opens it
    table.setCurrentCell(1, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert other.documents.path == (tmp_path / "福田.json").resolve() and total_text(other) == "总分 92.96"
