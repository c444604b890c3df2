"""Import, paste and last year in the window, driven through the real widgets: the preview dialog's mapping
combos and mode buttons, Ctrl+V in 表1 and in a figure field, 从上年草稿开始 on the start page, the mark on
carried report text, and the comparison on 汇总与导出."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel

from tests.conftest import EXAMPLE
from tests.gui.helpers import field, go, new_evaluation, type_chinese
from tests.import_books import budget_sheet, system_targets


def menu_action(window, menu_title: str, text: str):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().startswith(menu_title))
    return next(a for a in menu.actions() if a.text().startswith(text))


@pytest.fixture
def preview(monkeypatch):
    """Replaces the preview dialog's exec: `preview.drive(dialog)` (set by the test) works the real widgets,
    then the dialog is accepted (or rejected when drive returns False)."""
    from gui.importer import ImportDialog

    class Preview:
        drive = staticmethod(lambda dialog: True)
        shown: list = []

    p = Preview()

    def exec_(dialog):
        p.shown.append(dialog)
        ok = p.drive(dialog)
        return QDialog.DialogCode.Accepted if ok is not False else QDialog.DialogCode.Rejected

    monkeypatch.setattr(ImportDialog, "exec", exec_)
    return p


def choose(combo, text: str) -> None:
    combo.setCurrentIndex(combo.findText(text))


def test_import_targets_preview_mapping_mode_and_one_undo(qtbot, window, dialogs, preview, tmp_path):
    new_evaluation(qtbot, window, 2021)
    before = [dict(r) for r in window.doc.targets]
    dialogs.open_name = str(system_targets(tmp_path / "目标表.xlsx"))

    def drive(d):
        assert d.windowTitle() == "导入绩效目标表 — 目标表.xlsx"
        assert d.where.text() == "表头在第 3 行"
        assert [d.mapping.item(r, 1).text() for r in range(d.mapping.rowCount())] == [
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
            "计量单位",
            "分值",
        ]
        assert d.mapping.cellWidget(4, 2).currentText() == "计量单位（并入指标值）"
        assert d.mapping.cellWidget(5, 2).currentText() == "分值（不导入）"
        assert d.preview_box.title() == "将导入 5 行"
        assert d.preview.item(1, 4).text() == "35 个"
        assert d.problems_box.title() == "未能导入 6 处"
        assert d.problems.item(1).text() == "第 10 行“小计 50”：合计行，不导入"
        choose(d.mapping.cellWidget(4, 2), "不导入")  # the clerk: 计量单位 not wanted
        assert d.preview.item(1, 4).text() == "35"
        d.modes.button(1).click()  # 替换整个表1
        assert d.mode() == "replace" and d.ok.text() == "导入 5 行"
        return True

    preview.drive = drive
    menu_action(window, "导入", "绩效目标表").trigger()
    assert len(preview.shown) == 1
    assert [r["level3"] for r in window.doc.targets] == [
        "优化智慧城管系统",
        "设备维护数量",
        "信息安全可控",
        "工作计划完成及时",
        "公众满意度",
    ]
    page = window.current_page()
    assert window.section_list[window.nav.currentRow()].title == "绩效目标表"
    assert page.table.rowCount() == 5 and page.table.item(1, 3).text() == "35"
    assert window.undo.undoText() == "导入绩效目标表"
    window.undo_action.trigger()  # one step takes the whole import back
    assert window.doc.targets == before and page.table.rowCount() == len(before)
    window.redo_action.trigger()
    assert len(window.doc.targets) == 5


def test_import_figures_with_a_label_mapped_by_hand(qtbot, window, dialogs, preview, tmp_path):
    new_evaluation(qtbot, window, 2021)
    dialogs.open_name = str(budget_sheet(tmp_path / "决算.xlsx", yuan=True))

    def drive(d):
        labels = [d.mapping.item(r, 1).text() for r in range(d.mapping.rowCount())]
        row = labels.index("一般公共预算财政拨款")
        combo = d.mapping.cellWidget(row, 3)
        assert combo.currentText() == "不导入"
        choose(combo, "其中：财政拨款收入")
        assert d.mapping.item(row, 4).text() == "1,000 万元（由元换算）"  # 10,000,000 元
        assert (
            d.mapping.item(labels.index("年末结余结转"), 4)
            .text()
            .startswith("无法导入：单元格是 Excel 错误值 #N/A")
        )
        assert d.ok.text() == "导入 7 项"
        return True

    preview.drive = drive
    menu_action(window, "导入", "预算与执行数据").trigger()
    doc = window.doc
    assert doc.figures["income_fiscal"] == "1,000" and doc.figures["income_budget"] == "1,273.37"
    assert field(window, "figures", "income_budget").text() == "1,273.37"
    window.undo_action.trigger()
    assert not any(doc.figures.values()) and field(window, "figures", "income_budget").text() == ""


def test_a_bad_file_is_refused_and_nothing_changes(qtbot, window, dialogs, preview, tmp_path):
    new_evaluation(qtbot, window, 2021)
    (tmp_path / "x.xlsx").write_text("not a workbook")
    dialogs.open_name = str(tmp_path / "x.xlsx")
    menu_action(window, "导入", "绩效目标表").trigger()
    assert preview.shown == [] and not window.undo.canUndo()
    kind, title, text = dialogs.messages[-1]
    assert (kind, title) == ("critical", "无法导入")
    assert text.startswith("x.xlsx 不是 Excel 工作簿") and text.endswith("草稿没有改动。")


def test_ctrl_v_of_excel_cells_into_table1(qtbot, window, dialogs):
    new_evaluation(qtbot, window, 2021)
    go(qtbot, window, "绩效目标表")
    page = window.current_page()
    QGuiApplication.clipboard().setText(
        "产出指标\t数量指标\t设备维护数量\t35个\n\t\t优化系统数\t3\t\t\t多余\n"
    )
    page.table.setCurrentCell(0, 0)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.doc.targets[0]["level3"] == "设备维护数量" and window.doc.targets[1]["value"] == "3"
    assert page.table.rowCount() == 2 and page.table.item(1, 2).text() == "优化系统数"
    assert dialogs.messages[-1] == (
        "warning",
        "粘贴到表1",
        "以下 1 处没有粘贴：\n第 2 行 G 列“多余”：超出表1 的栏数，未粘贴",
    )
    window.undo_action.trigger()
    assert window.doc.targets == [] and page.table.rowCount() == 0


def test_ctrl_v_of_a_column_of_values_into_a_figure_group(qtbot, window, dialogs):
    new_evaluation(qtbot, window, 2021)
    go(qtbot, window, "预算与执行数据")
    q1 = field(window, "figures", "q1_spending")
    QGuiApplication.clipboard().setText("266.07\n２０.９%\n536.29\n")
    q1.setFocus()
    qtbot.keyClick(q1, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [window.doc.figures.get(k) for k in ("q1_spending", "q1_rate", "q2_spending")] == [
        "266.07",
        "20.9",
        "536.29",
    ]
    assert field(window, "figures", "q1_rate").text() == "20.9"
    assert window.undo.undoText() == "粘贴预算与执行数据"
    QGuiApplication.clipboard().setText("1,273.37")  # one value: the field pastes it itself
    box = field(window, "figures", "income_budget")
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert box.text() == "1,273.37" and window.doc.figures["income_budget"] == "1,273.37"


def start_from_example(qtbot, window, dialogs, monkeypatch, year=2021):
    dialogs.open_name = str(EXAMPLE)
    asked = []

    def get_int(parent, title, label, value, *a, **k):
        asked.append((label, value))
        return year, True

    monkeypatch.setattr(QInputDialog, "getInt", staticmethod(get_int))
    window.show_start()
    qtbot.mouseClick(window.start.last_year_button, Qt.MouseButton.LeftButton)
    return asked


def test_start_from_last_year_on_the_start_page(qtbot, window, dialogs, monkeypatch):
    asked = start_from_example(qtbot, window, dialogs, monkeypatch)
    assert asked == [("上年草稿是 2020 年度的。新的评价年度：", 2021)]
    doc = window.doc
    assert doc.year == "2021" and doc.figures == {} and doc.previous["income_budget"] == "1,273.37"
    kind, title, text = dialogs.messages[-1]
    assert (kind, title) == ("information", "已从上年草稿开始 2021 年度的自评")
    assert "表1 带入 13 行，保留指标值，实际完成值和偏差原因已清空" in text
    assert window.windowTitle() == "未命名[*] — 绩效自评助手" and window.isWindowModified()
    go(qtbot, window, "预算与执行数据")
    page = window.current_page()
    previous = {
        w.accessibleName(): w.text() for w in page.findChildren(QLabel) if w.objectName() == "previous"
    }
    assert previous["年初预算收入上年数"] == "上年：1,273.37 万元"
    assert previous["公众或服务对象满意度上年数"] == "上年：93.8%"
    assert previous["协助处理结案数上年数"] == "上年：57,400 宗"


def test_carried_text_is_marked_until_edited_or_confirmed(qtbot, window, dialogs, monkeypatch):
    start_from_example(qtbot, window, dialogs, monkeypatch)
    go(qtbot, window, "总体评价与整改")
    page = window.current_page()
    marks = page.marks
    assert set(marks) == set(window.doc.carried)
    assert all(m.isVisible() for m in marks.values())
    box = field(window, "narrative", "basic_functions")
    box.moveCursor(box.textCursor().MoveOperation.End)
    type_chinese(box, "。")
    assert not marks["basic_functions"].isVisible() and marks["basic_work"].isVisible()
    qtbot.mouseClick(marks["basic_work"].button, Qt.MouseButton.LeftButton)  # 确认沿用
    assert not marks["basic_work"].isVisible() and "basic_work" not in window.doc.carried
    window.undo_action.trigger()
    assert marks["basic_work"].isVisible()
    window.run_checks()
    messages = [f.message for f in window.findings]
    assert (
        "报告正文“（一）部门基本职能”仍是上年内容（上年内容，请更新）：请按本年情况修改，或确认沿用"
        not in messages
    )
    assert any(m.startswith("报告正文“（二）") and "仍是上年内容" in m for m in messages)


def test_summary_compares_with_last_year(qtbot, window, dialogs, monkeypatch):
    from core.drafts import load

    start_from_example(qtbot, window, dialogs, monkeypatch)
    example = load(EXAMPLE)
    doc = window.doc
    doc.figures.update(example.figures)
    for k, e in example.indicators.items():
        doc.indicators[k] = {**e, "inputs": dict(e["inputs"])}
    doc.indicators["budget_rationality"]["inputs"]["deduction"] = "1"
    doc.indicators["budget_rationality"]["reason"] = "测算依据不足"
    window.changed(check_now=True)
    go(qtbot, window, "汇总与导出")
    box = window.current_page().comparison
    assert box.isVisible() and box.title() == "与上年（2020 年度）比较"
    t = box.totals
    row = lambda r: [t.item(r, c).text() for c in range(4)]  # noqa: E731
    assert row(0) == ["总分", "92.96", "91.96", "-1"]
    assert row(1) == ["等级", "优", "优", ""]
    assert row(2) == ["部门决策", "24", "23", "-1"]
    assert row(3) == ["　预算编制", "10", "9", "-1"]
    assert box.changed_title.text() == "得分有变化的指标（1 项）"
    assert [box.changed.item(0, c).text() for c in range(4)] == ["预算编制合理性", "5", "4", "-1"]


def test_no_comparison_without_last_year(qtbot, window):
    new_evaluation(qtbot, window, 2021)
    go(qtbot, window, "汇总与导出")
    assert not window.current_page().comparison.isVisible()


def test_exporting_the_report_with_last_years_text_says_so(qtbot, window, dialogs, monkeypatch, tmp_path):
    start_from_example(qtbot, window, dialogs, monkeypatch)
    dialogs.save_name = str(tmp_path / "报告")
    window.export("pdf")
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=30000)
    assert (tmp_path / "报告.pdf").read_bytes()[:5] == b"%PDF-"
    kind, title, text = dialogs.messages[-1]  # said in the export's done dialog
    assert (kind, title) == ("information", "导出完成")
    assert "报告正文有 11 节仍是上年的文字" in text


def test_choosing_another_sheet_in_the_preview(qtbot, window, dialogs, preview, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["本工作簿由预算系统导出"])
    ws = wb.create_sheet("表1")
    ws.append(["指标名称", "年度指标值"])
    ws.append(["设备维护数量", "35个"])
    wb.save(tmp_path / "两页.xlsx")
    new_evaluation(qtbot, window, 2021)
    dialogs.open_name = str(tmp_path / "两页.xlsx")

    def drive(d):
        assert d.sheet.currentText() == "表1" and d.ok.isEnabled()
        d.sheet.setCurrentIndex(d.sheet.findText("说明"))
        assert not d.ok.isEnabled() and d.problems_box.title() == "无法导入"
        assert d.problems.item(0).text().startswith("在 工作表“说明” 的前 30 行中找不到绩效目标表的表头")
        d.sheet.setCurrentIndex(d.sheet.findText("表1"))
        assert d.ok.isEnabled() and d.preview.item(0, 3).text() == "设备维护数量"
        return False  # 取消

    preview.drive = drive
    menu_action(window, "导入", "绩效目标表").trigger()
    assert window.doc.targets == [] and not window.undo.canUndo()


def test_import_targets_into_the_scored_rows_of_a_national_framework(
    qtbot, window, dialogs, preview, tmp_path
):
    from tests.import_books import national_self_evaluation

    window.show_start()
    start = window.start
    start.framework.setCurrentIndex(
        next(i for i, f in enumerate(start.frameworks) if f and f[1].id == "national-project")
    )
    start.year.setValue(2024)
    qtbot.mouseClick(start.new_button, Qt.MouseButton.LeftButton)
    assert window.doc.framework.id == "national-project"
    dialogs.open_name = str(national_self_evaluation(tmp_path / "自评表.xlsx"))

    def drive(d):
        headers = [d.preview.horizontalHeaderItem(c).text() for c in range(d.preview.columnCount())]
        assert (
            headers[:4] == ["行", "一级指标", "二级指标", "三级指标"]
            and "分值" in headers
            and "年度指标值" in headers
        )
        assert d.mapping.cellWidget(5, 2).currentText() == "分值"
        assert any(
            "一级指标不在本指标框架的自填指标中" in d.problems.item(i).text()
            for i in range(d.problems.count())
        )
        return True

    preview.drive = drive
    menu_action(window, "导入", "绩效目标表").trigger()
    doc = window.doc
    assert [r["name"] for r in doc.rows["output"]] == ["设备维护数量", "优化系统数", "系统可用率"]
    assert window.sheet.by_id["satisfaction.r1"].score is not None
    assert window.undo.undoText() == "导入绩效目标表"
    window.undo_action.trigger()
    assert not any(doc.rows.values()) and doc.indicators == {}


def test_last_years_value_a_rule_reads_is_typed_beside_the_figure(qtbot, window):
    from tests.gui.helpers import retype

    window.show_start()
    start = window.start
    start.framework.setCurrentIndex(
        next(i for i, f in enumerate(start.frameworks) if f and f[1].id == "yueyang")
    )
    qtbot.mouseClick(start.new_button, Qt.MouseButton.LeftButton)
    go(qtbot, window, "预算与执行数据")
    prev = field(window, "previous", "sangong_actual")
    assert prev.accessibleName() == "上年“三公”经费实际支出数"
    assert ("previous", "sangong_budget") not in window.fields  # no rule reads last year's budget
    retype(qtbot, prev, "20")
    retype(qtbot, field(window, "figures", "sangong_actual"), "18")
    assert window.doc.previous == {"sangong_actual": "20"}
    leaf = window.sheet.by_id["sangong_change"]  # “三公经费”变动率 = (本年 − 上年) ÷ 上年
    assert leaf.score is not None and not leaf.missing and leaf.rate == -10
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert window.doc.previous.get("sangong_actual", "") == "" and prev.text() == ""


def test_a_framework_without_figures_has_nothing_to_import(qtbot, window, dialogs, preview):
    from core.document import Evaluation
    from tests.test_shapes import MIXED, framework

    window.set_document(Evaluation.new(framework(MIXED, figure_groups=[]), 2024))
    menu_action(window, "导入", "预算与执行数据").trigger()
    assert preview.shown == []
    assert dialogs.messages[-1] == (
        "information",
        "导入预算与执行数据",
        "本评价所用的指标框架没有预算与执行数据，无需导入。",
    )


def yueyang(qtbot, window, year: int = 2025) -> None:
    from tests.gui.test_shapes_window import start

    start(qtbot, window, "yueyang", year)


def last_years_book(path, years: bool = False):
    """A 预算与执行数据 sheet with this year's and last year's figures side by side (万元)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "预算与执行数据"
    ws.append(["项目", "2024年", "2025年决算数"] if years else ["项目", "本年数", "上年数"])
    rows = [("年初预算数", 1200, 1100), ("“三公”经费实际支出数", 80, 100)]
    for label, this, last in rows:
        ws.append([label, last, this] if years else [label, this, last])
    other = wb.create_sheet("说明")
    other.append(["年初预算数", 999])
    wb.save(path)
    return path


def shown_rows(d) -> list[tuple[str, str, str]]:
    m = d.mapping
    return [(m.item(r, 1).text(), m.item(r, 2).text(), m.item(r, 4).text()) for r in range(m.rowCount())]


def test_importing_last_years_column_fills_last_years_figures(qtbot, window, dialogs, preview, tmp_path):
    """项目 | 本年数 | 上年数: the preview showed this year's value on the 上年数 rows and 导入 left last year's out,
    so 岳阳's “三公经费”变动率 (which reads last year's 三公) stayed unscored."""
    yueyang(qtbot, window)
    dialogs.open_name = str(last_years_book(tmp_path / "决算.xlsx"))

    def drive(d):
        assert shown_rows(d) == [
            ("年初预算数", "1200", "1,200 万元"),
            ("年初预算数（上年数）", "1100", "1,100 万元（上年数）"),
            ("“三公”经费实际支出数", "80", "80 万元"),
            ("“三公”经费实际支出数（上年数）", "100", "100 万元（上年数）"),
        ]
        assert d.ok.text() == "导入 4 项"
        return True

    preview.drive = drive
    menu_action(window, "导入", "预算与执行数据").trigger()
    doc = window.doc
    assert doc.figures == {"budget_initial": "1,200", "sangong_actual": "80"}
    assert doc.previous == {"budget_initial": "1,100", "sangong_actual": "100"}
    assert window.statusBar().currentMessage().startswith("预算与执行数据填入 4 项（其中上年数 2 项）")
    page = window.current_page()
    assert window.section_list[window.nav.currentRow()].title == "预算与执行数据"
    assert field(window, "previous", "sangong_actual").text() == "100"  # the field a rule reads
    (budget_last,) = [w for w in page.findChildren(QLabel) if w.accessibleName() == "年初预算数上年数"]
    assert budget_last.text() == "上年：1,100 万元" and budget_last.isVisibleTo(page)
    leaf = window.sheet.by_id["sangong_change"]  # (80 − 100) ÷ 100 = −20%: 5 of 5
    assert (leaf.score, leaf.rate) == (5, -20)
    window.undo_action.trigger()  # one step takes both years back
    assert doc.previous.get("sangong_actual", "") == doc.figures.get("budget_initial", "") == ""
    assert field(window, "previous", "sangong_actual").text() == "" and not budget_last.isVisibleTo(page)


def test_columns_named_by_years_are_read_for_the_evaluated_year_in_the_window(
    qtbot, window, dialogs, preview, tmp_path
):
    """项目 | 2024年 | 2025年决算数 in a 2025 evaluation: the window imported 2024's figures as this year's."""
    yueyang(qtbot, window, 2025)
    dialogs.open_name = str(last_years_book(tmp_path / "对比.xlsx", years=True))
    expected = [
        ("年初预算数（上年数）", "1100", "1,100 万元（上年数）"),
        ("年初预算数", "1200", "1,200 万元"),
        ("“三公”经费实际支出数（上年数）", "100", "100 万元（上年数）"),
        ("“三公”经费实际支出数", "80", "80 万元"),
    ]

    def drive(d):
        assert sorted(shown_rows(d)) == sorted(expected)
        choose(d.sheet, "说明")
        assert shown_rows(d) == [("年初预算数", "999", "999 万元")]
        choose(d.sheet, "预算与执行数据")  # chosen again: read for the evaluated year as at first
        assert sorted(shown_rows(d)) == sorted(expected)
        return True

    preview.drive = drive
    menu_action(window, "导入", "预算与执行数据").trigger()
    assert window.doc.figures == {"budget_initial": "1,200", "sangong_actual": "80"}
    assert window.doc.previous == {"budget_initial": "1,100", "sangong_actual": "100"}


def test_pasting_columns_named_by_years_into_a_figure_group(qtbot, window):
    """Cells copied with their heading row (项目 | 2024年 | 2025年) into a 2025 evaluation: 2025's go to this
    year's fields, 2024's under them as last year's."""
    yueyang(qtbot, window, 2025)
    go(qtbot, window, "预算与执行数据")
    page = window.current_page()
    (budget_last,) = [w for w in page.findChildren(QLabel) if w.accessibleName() == "年初预算数上年数"]
    assert not budget_last.isVisibleTo(page)
    box = field(window, "figures", "budget_initial")
    QGuiApplication.clipboard().setText("项目\t2024年\t2025年\n年初预算数\t1100\t1200\n")
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert (window.doc.figures, window.doc.previous) == (
        {"budget_initial": "1,200"},
        {"budget_initial": "1,100"},
    )
    assert (
        box.text() == "1,200" and budget_last.text() == "上年：1,100 万元" and budget_last.isVisibleTo(page)
    )
