"""Import from Excel / CSV / the clipboard: what is read from files in the shapes real exports have, what is
listed as not read, what is refused (and that nothing changes then), and the round trip of our own export."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from core import tables
from core.document import Evaluation
from core.export import write
from core.importing import (
    Problem,
    figures_change,
    plan_figures,
    plan_targets,
    targets_change,
)
from core.tables import ImportFileError, Number, read_file, read_paste
from tests.import_books import budget_sheet, national_self_evaluation, system_targets, with_cached_values


def texts(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]


def row(l1, l2, l3, value, actual="", deviation=""):
    return {
        "level1": l1,
        "level2": l2,
        "level3": l3,
        "value": value,
        "actual": actual,
        "deviation": deviation,
    }


# ---------------------------------------------------------------------------------------------- 表1


def test_system_export_header_on_row_3_merged_cells_units_totals_and_notes(tmp_path):
    plan = plan_targets(read_file(system_targets(tmp_path / "目标表.xlsx")))
    assert plan.sheet.name == "绩效目标申报表" and plan.header_rows == (3, 3)
    assert [(c.letter, c.key) for c in plan.columns] == [
        ("A", "level1"),
        ("B", "level2"),
        ("C", "level3"),
        ("D", "value"),
        ("E", "unit"),
        ("F", "weight"),
    ]
    result = plan.read()
    assert [n for n, _r in result.rows] == [4, 5, 6, 8, 9]
    assert [r for _n, r in result.rows] == [
        row("产出指标", "数量指标", "优化智慧城管系统", "3 个"),  # number stored as text, unit column added
        row("产出指标", "数量指标", "设备维护数量", "35 个"),  # a real number
        row("产出指标", "质量指标", "信息安全可控", "重新进行网络布局，确保信息安全"),
        row("产出指标", "时效指标", "工作计划完成及时", "100%"),  # after a blank row: 一级 as above
        row("效益指标", "社会效益指标", "公众满意度", "≥90%"),  # full-width digits made plain
    ]
    assert texts(result.problems) == [
        "F 列“分值”：表1 没有“分值”栏，这一列未导入",
        "第 10 行“小计 50”：合计行，不导入",
        "第 11 行“合计 100”：合计行，不导入",
        "第 12 行“注：1. 本表由预算单位填报，经主管部门审核后报财政部门。”：表格下方的说明或落款，未导入",
        "第 13 行“2. 指标值应可衡量。”：表格下方的说明或落款，未导入",
        "第 14 行“填报人：李武”：表格下方的说明或落款，未导入",
    ]


@pytest.mark.parametrize("streamed", [False, True])
def test_national_table_split_heading_formulas_percent_cells_and_formula_text(
    tmp_path, monkeypatch, streamed
):
    if streamed:  # a sheet too large to be read whole first is parsed from the stream, formulas told alike
        monkeypatch.setattr(tables, "SMALL_SHEET", 0)
    path = national_self_evaluation(tmp_path / "自评表.xlsx")
    plan = plan_targets(read_file(path))
    assert plan.header_rows == (8, 9)
    keys = {c.heading: c.key for c in plan.columns}
    assert keys["年度指标值"] == "value" and keys["实际完成值"] == "actual"
    assert keys["偏差原因分析及改进措施"] == "deviation" and keys["得分"] == "score"
    result = plan.read()
    rows = dict(result.rows)
    assert rows[10] == row("产出指标", "数量指标", "设备维护数量", "35个", "36个")
    # full-width 3; formula has no result
    assert rows[11] == row("产出指标", "数量指标", "优化系统数", "3", "")
    assert rows[12] == row("产出指标", "质量指标", "系统可用率", "≥99%", "98.5%", "网络故障两次，已更换设备")
    assert rows[13] == row("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "93.8%")
    assert rows[15]["level1"] == "=cmd|' /C calc'!A0"  # text, never a formula
    assert 14 not in rows  # 总分
    assert (
        "第 11 行 E 列“=D11*1”：公式没有保存计算结果（文件可能由不计算公式的程序生成）：请在 Excel 中打开、保存后再导入"
        in texts(result.problems)
    )
    assert "第 14 行“总分 100 92”：合计行，不导入" in texts(result.problems)
    # the same workbook once Excel has saved it: the formula's cached value is read
    rows = dict(plan_targets(read_file(with_cached_values(path, {"E11": "3"}))).read().rows)
    assert rows[11]["actual"] == "3"


def test_no_header_is_refused_with_what_is_needed(tmp_path):
    wb = Workbook()
    wb.active.append(["名称", "数量"])
    wb.active.append(["甲", 1])
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(ImportFileError, match="找不到绩效目标表的表头：需要有“三级指标”"):
        plan_targets(read_file(tmp_path / "x.xlsx"))


def test_the_sheet_with_the_table_is_chosen_and_a_named_sheet_is_used(tmp_path):
    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["本工作簿包含绩效目标表"])
    ws = wb.create_sheet("表1")
    ws.append(["指标名称", "年度指标值"])
    ws.append(["设备维护数量", "35个"])
    wb.save(tmp_path / "x.xlsx")
    book = read_file(tmp_path / "x.xlsx")
    assert plan_targets(book).sheet.name == "表1"
    assert plan_targets(book).read().rows == [(2, row("", "", "设备维护数量", "35个"))]
    with pytest.raises(ImportFileError, match="工作表“说明”"):
        plan_targets(book, "说明")
    with pytest.raises(ImportFileError, match="没有名为“其他”的工作表"):
        plan_targets(book, "其他")


def test_changed_mapping_is_used(tmp_path):
    plan = plan_targets(read_file(system_targets(tmp_path / "t.xlsx")))
    plan.columns[4].key = ""  # 计量单位: not imported
    plan.columns[3].key = "actual"  # the file's 指标值 read as 实际完成值
    first = plan.read().rows[0][1]
    assert first["value"] == "" and first["actual"] == "3"


# ---------------------------------------------------------------------------------------------- figures


def test_budget_sheet_label_value_pairs(tmp_path, example):
    plan = plan_figures(read_file(budget_sheet(tmp_path / "b.xlsx")), example.framework)
    result = plan.read()
    assert result.values == {
        "income_budget": "1,273.37",
        "spending_total": "1,168.8",
        "spending_personnel": "355.05",  # full-width digits as text
        "q4_rate": "97.21",  # a percent cell
        "satisfaction": "93.8",  # "93.8%" as text
        "staff_authorised_inst": "10",  # "10人"
    }
    assert texts(result.problems) == [
        "第 9 行 A 列“一般公共预算财政拨款 1000”：没有对应的数据项，未导入（可在预览中指定它对应的数据项）",
        "第 10 行 B 列“#N/A”：“年末结余结转”单元格是 Excel 错误值 #N/A",
    ]
    assert result.notes == []
    plan.items[5].key = "income_fiscal"  # the clerk says what the unknown label is
    assert plan.read().values["income_fiscal"] == "1,000"


def test_money_in_yuan_is_converted_and_said(tmp_path, example):
    result = plan_figures(read_file(budget_sheet(tmp_path / "b.xlsx", yuan=True)), example.framework).read()
    assert result.values["income_budget"] == "1,273.37" and result.values["spending_personnel"] == "355.05"
    assert result.notes[0] == "第 4 行“年初预算收入”12733700 元 换算为 1,273.37 万元"


def test_labels_over_values_and_a_percent_for_money_is_refused(tmp_path, example):
    wb = Workbook()
    ws = wb.active
    ws.append(["年初预算收入", "本年支出合计", "公众或服务对象满意度", "基本支出"])
    ws.append(["1273.37", 1168.8, "93.8%", "50%"])
    wb.save(tmp_path / "x.xlsx")
    result = plan_figures(read_file(tmp_path / "x.xlsx"), example.framework).read()
    assert result.values == {"income_budget": "1,273.37", "spending_total": "1,168.8", "satisfaction": "93.8"}
    assert texts(result.problems) == ["第 2 行 D 列“50%”：“基本支出”是金额，不能填百分数"]


def test_a_number_no_label_took_in_a_figures_row_is_listed(tmp_path, example):
    """项目 | 预算数 | 决算数: 决算数 is read, the 预算数 beside it is listed (it was dropped without a word), as is a
    second number after a label / value pair; the clerk may map either to a figure."""
    wb = Workbook()
    ws = wb.active
    ws.append(["项目", "预算数", "决算数", "备注"])
    ws.append(["年初预算收入", 1300, 1273.37, "含追加"])
    ws.append(["本年支出合计", 1200, 1168.8])
    pairs = wb.create_sheet("对照")
    pairs.append(["年初预算收入", 1273.37, 1100.5])
    wb.save(tmp_path / "x.xlsx")
    plan = plan_figures(read_file(tmp_path / "x.xlsx"), example.framework)
    result = plan.read()
    assert result.values == {"income_budget": "1,273.37", "spending_total": "1,168.8"}
    why = "这一列不是本年数（或上年数），未导入（可在预览中指定它对应的数据项）"
    assert texts(result.problems) == [
        f"第 2 行 B 列“年初预算收入（预算数） 1300”：{why}",
        f"第 3 行 B 列“本年支出合计（预算数） 1200”：{why}",
    ]
    next(it for it in plan.items if it.label == "本年支出合计（预算数）").key = "adjusted_budget"
    assert plan.read().values["adjusted_budget"] == "1,200"
    result = plan_figures(read_file(tmp_path / "x.xlsx"), example.framework, "对照").read()
    assert texts(result.problems) == [f"第 1 行 C 列“年初预算收入（另一列） 1100.5”：{why}"]


def test_no_figures_found(tmp_path, example):
    wb = Workbook()
    wb.active.append(["甲", "乙"])
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(ImportFileError, match="找不到预算与执行数据"):
        plan_figures(read_file(tmp_path / "x.xlsx"), example.framework)


# ---------------------------------------------------------------------------------------------- round trip


def test_own_excel_export_imports_back_to_the_same_table1_and_figures(example, tmp_path):
    write(example, tmp_path / "评分表.xlsx")
    book = read_file(tmp_path / "评分表.xlsx")
    doc = Evaluation.new(example.framework)
    targets = plan_targets(book)
    assert targets.sheet.name == "表1 绩效目标表"
    targets_change(doc, [r for _n, r in targets.read().rows]).apply(doc)
    assert doc.targets == example.targets
    figures = plan_figures(book, example.framework)
    assert figures.sheet.name == "基本信息"
    result = figures.read()
    figures_change(doc, result.values).apply(doc)
    assert {k: v for k, v in doc.figures.items() if v} == {k: v for k, v in example.figures.items() if v}
    assert texts(result.problems) == [
        "第 7 行 A 列“评价年度 2020”：属于基本信息，不在预算与执行数据中，未导入"
    ]
    computed = [
        n for n in result.notes if "程序计算" in n
    ]  # the rates the export said 由程序计算: not typed ones
    assert [n.split("”")[0].split("“")[1] for n in computed] == ["一季度预算执行率", "二季度预算执行率"]
    assert "83.58%" in computed[0]


def test_round_trip_with_actuals_and_deviation_columns(example, tmp_path):
    example.targets[0]["actual"] = "3 个"
    example.targets[1]["deviation"] = "部分设备延期"
    write(example, tmp_path / "x.xlsx")
    doc = Evaluation.new(example.framework)
    targets_change(doc, [r for _n, r in plan_targets(read_file(tmp_path / "x.xlsx")).read().rows]).apply(doc)
    assert doc.targets == example.targets


# ---------------------------------------------------------------------------------------------- applying


def test_import_is_one_change_that_reverts_whole(example):
    before_targets = [dict(r) for r in example.targets]
    before_figures = dict(example.figures)
    new = [
        row("产出指标", "数量指标", "设备维护数量", "40 个"),
        row("产出指标", "数量指标", "新指标", "1 项"),
    ]
    change = targets_change(example, new)
    assert change.summary == ["表1 按指标名称对上 1 行（1 行有改动），新增 1 行，文件中没有的 12 行保留不变"]
    change.apply(example)
    assert example.targets[1]["value"] == "40 个" and example.targets[-1]["level3"] == "新指标"
    assert len(example.targets) == 14
    change.revert(example)
    assert example.targets == before_targets
    f = figures_change(example, {"income_budget": "1,300", "q1_rate": "20.9"})
    assert f.summary == [
        "预算与执行数据填入 2 项（其中 1 项改写了原有的值）",
        "  年初预算收入：1,300（原为 1,273.37）",
        "  一季度预算执行率：20.9",
    ]
    f.apply(example)
    assert example.figures["income_budget"] == "1,300"
    f.revert(example)
    assert example.figures == before_figures


def test_replace_and_append_modes(example):
    new = [row("产出指标", "数量指标", "设备维护数量", "40 个")]
    assert targets_change(example, new, "replace").targets[1] == new
    after = targets_change(example, new, "append").targets[1]
    assert len(after) == 14 and after[-1] == new[0]


# ---------------------------------------------------------------------------------------------- csv and paste

CSV_ROWS = [
    ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"],
    ["产出指标", "数量指标", "设备维护数量", "35个", "1,273.37"],
    ["", "", "优化系统数", '="0012"', "93.8%"],  # ="0012": digits kept as text by some systems
    ["", "", "名称\x00带\x1b控制符", "1", ""],
]


@pytest.mark.parametrize(
    "encoding, delimiter",
    [("gbk", ","), ("gb18030", "\t"), ("utf-8-sig", ";"), ("utf-8", ","), ("utf-16", "\t")],
)
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(CSV_ROWS)
    path = tmp_path / "表1.csv"
    path.write_bytes(buf.getvalue().encode(encoding))
    result = plan_targets(read_file(path)).read()
    assert [r for _n, r in result.rows] == [
        row("产出指标", "数量指标", "设备维护数量", "35个", "1,273.37"),
        row("产出指标", "数量指标", "优化系统数", "0012", "93.8%"),
        row("产出指标", "数量指标", "名称\x00带\x1b控制符", "1"),  # kept as data; exports remove them
    ]


def test_csv_with_excels_sep_line(tmp_path):
    path = tmp_path / "表1.csv"
    path.write_text("sep=;\n三级指标;指标值\n设备维护数量;1,273.37\n", encoding="utf-8")
    assert plan_targets(read_file(path)).read().rows == [(3, row("", "", "设备维护数量", "1,273.37"))]


def test_csv_that_is_not_text(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x81\x30\xff\xfe\x00" * 10)
    with pytest.raises(ImportFileError, match="编码无法识别"):
        read_file(path)


def test_paste_from_excel_keeps_quoted_cells_and_thousands():
    book = read_paste('年初预算收入\t1,273.37\n"其中：\n人员经费"\t355.05\r\n')
    assert book.sheets[0].rows == [(1, ["年初预算收入", "1,273.37"]), (2, ["其中：\n人员经费", "355.05"])]
    assert read_paste("1,273.37\n315.05").sheets[0].rows == [(1, ["1,273.37"]), (2, ["315.05"])]


# ---------------------------------------------------------------------------------------------- refusals


def test_refusals_say_what_is_wrong(tmp_path):
    cases = {
        "text.xlsx": (b"just some text, not a workbook\n", "不是 Excel 工作簿"),
        "old.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧版 Excel 97-2003"),
        "page.xls": (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页或 XML 格式"),
        "binary.dat": (b"\x00\x01\x02\x03" * 100, "既不是 Excel 工作簿"),
    }
    for name, (data, message) in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ImportFileError, match=message):
            read_file(tmp_path / name)
    with pytest.raises(ImportFileError, match="找不到文件"):
        read_file(tmp_path / "missing.xlsx")
    with pytest.raises(ImportFileError, match="是文件夹"):
        read_file(tmp_path)


def test_corrupt_and_foreign_zips(tmp_path, example):
    write(example, tmp_path / "good.xlsx")
    data = (tmp_path / "good.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFileError, match="已损坏"):
        read_file(tmp_path / "cut.xlsx")
    with zipfile.ZipFile(tmp_path / "doc.xlsx", "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ImportFileError, match="是 Word 文档"):
        read_file(tmp_path / "doc.xlsx")
    with zipfile.ZipFile(tmp_path / "bad.xlsx", "w") as z:  # the parts are there, their XML is not
        with zipfile.ZipFile(tmp_path / "good.xlsx") as good:
            for n in good.namelist():
                z.writestr(
                    n, good.read(n) if n != "xl/worksheets/sheet2.xml" else b"<worksheet><sheetData><row"
                )
    with pytest.raises(ImportFileError, match="已损坏"):
        read_file(tmp_path / "bad.xlsx")


def test_password_protected_workbook(tmp_path, example):
    from msoffcrypto.format.ooxml import OOXMLFile

    write(example, tmp_path / "plain.xlsx")
    with open(tmp_path / "plain.xlsx", "rb") as f, open(tmp_path / "加密.xlsx", "wb") as out:
        OOXMLFile(f).encrypt("密码123", out)
    with pytest.raises(ImportFileError, match="设置了打开密码"):
        read_file(tmp_path / "加密.xlsx")


def test_ten_thousand_rows_are_refused(tmp_path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("表1")
    ws.append(["一级指标", "二级指标", "三级指标", "指标值"])
    for i in range(10000):
        ws.append(["产出指标", "数量指标", f"指标{i}", i])
    wb.save(tmp_path / "big.xlsx")
    with pytest.raises(ImportFileError, match="超过 5,000 行"):
        plan_targets(read_file(tmp_path / "big.xlsx"))


def test_locked_file_on_windows_and_file_open_in_excel(tmp_path, monkeypatch):
    path = system_targets(tmp_path / "目标表.xlsx")
    (tmp_path / "~$目标表.xlsx").write_bytes(b"owner")
    book = read_file(path)
    assert book.notes == ["目标表.xlsx 正在 Excel 中打开：导入的是它最后一次保存的内容，未保存的修改不在其中"]

    def refuse(*_a, **_k):
        raise PermissionError(13, "sharing violation")

    monkeypatch.setattr("builtins.open", refuse)
    monkeypatch.setattr(tables, "WINDOWS", True)
    with pytest.raises(ImportFileError, match="正被其他程序使用（例如在 Excel 中打开着）"):
        read_file(path)

    def locked(*_a, **_k):  # opened, but Excel holds a lock on the bytes (ERROR_LOCK_VIOLATION)
        e = OSError(13, "lock violation")
        e.winerror = 33
        raise e

    monkeypatch.setattr(tables, "WINDOWS", False)
    monkeypatch.setattr("builtins.open", locked)
    with pytest.raises(ImportFileError, match="正被其他程序使用"):
        read_file(path)


def test_percent_cells_are_read_as_percents(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["三级指标", "指标值"])
    ws.append(["完成率", 0.5])
    ws["B2"].number_format = "0%"
    wb.save(tmp_path / "x.xlsx")
    assert read_file(tmp_path / "x.xlsx").sheets[0].rows[1][1][1] == Number(Decimal(50), True)
    assert plan_targets(read_file(tmp_path / "x.xlsx")).read().rows[0][1]["value"] == "50%"


def test_a_cell_over_its_fields_limit_is_listed_not_cut(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(f"三级指标,指标值,偏差原因\n{'长' * 1001},1,{'因' * 1001}\n", encoding="utf-8")
    result = plan_targets(read_file(path)).read()
    assert result.rows == [(2, row("", "", "", "1", "", "因" * 1001))]  # 偏差原因 holds 20,000
    assert texts(result.problems) == [
        f"第 2 行 A 列“{'长' * 40}…”：有 1,001 字，超过表1 这一栏的上限 1,000 字，未导入"
    ]


# ---------------------------------------------------------------------------------------------- paste


def test_paste_cells_into_table1_at_a_cell_extends_the_table(example):
    from core.importing import paste_targets

    pasted = paste_targets(example, "40 个\t41 个\n\t部分设备延期\n１２\t\t多余\t更多\n", 12, "value")
    change = pasted.change
    change.apply(example)
    assert example.targets[12]["value"] == "40 个" and example.targets[12]["actual"] == "41 个"
    assert example.targets[13] == row("", "", "", "", "部分设备延期")
    assert example.targets[14]["value"] == "12" and example.targets[14]["actual"] == ""
    assert change.summary == ["粘贴到表1 第 13 行起的 3 行（新增 2 行）"]
    assert example.targets[14]["deviation"] == "多余"
    assert texts(pasted.problems) == ["第 3 行 D 列“更多”：超出表1 的栏数，未粘贴"]
    change.revert(example)
    assert len(example.targets) == 13


def test_paste_with_a_heading_row_maps_columns_and_leaves_out_totals(example):
    from core.importing import paste_targets

    text = "三级指标\t指标值\t一级指标\n设备维护数量\t35个\t产出指标\n合计\t\t\n"
    pasted = paste_targets(example, text, 0)
    pasted.change.apply(example)
    assert example.targets[0] == row("产出指标", "", "设备维护数量", "35个")
    assert texts(pasted.problems) == ["第 3 行“合计”：合计行，不导入"]


def test_paste_values_into_a_figure_group_from_a_field(example):
    from core.importing import paste_figures

    keys = ["q1_spending", "q1_rate", "q2_spending", "q2_rate"]
    pasted = paste_figures(example, "300.5\n２０.９%\n1,000\n不是数\n5\n", keys, "q1_spending")
    assert texts(pasted.problems) == [
        "第 4 行 A 列“不是数”：“二季度预算执行率”“不是数”不是数字，请只填写数字，例如 1273.37 或 93.8%",
        "第 5 行 A 列“5”：超出本组的数据项，未粘贴",
    ]
    pasted.change.apply(example)
    assert [example.figures[k] for k in keys[:3]] == ["300.5", "20.9", "1,000"]
    assert pasted.change.label == "粘贴预算与执行数据"


def test_paste_label_value_pairs_into_figures(example):
    from core.importing import paste_figures

    pasted = paste_figures(example, "年初预算收入\t1,300\n本年支出合计\t1200\t万元\n", ["income_budget"])
    pasted.change.apply(example)
    assert example.figures["income_budget"] == "1,300" and example.figures["spending_total"] == "1,200"


# ---------------------------------------------------------------------------------------------- robustness

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from core.framework import load_framework  # noqa: E402
from core.tables import Book, Sheet, Unreadable  # noqa: E402
from tests.conftest import FRAMEWORK as FRAMEWORK_PATH  # noqa: E402

FRAMEWORK = load_framework(FRAMEWORK_PATH)

WORDS = [
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
    "实际完成值",
    "合计",
    "注：说明",
    "年初预算收入",
    "本年数",
    "其中：人员经费",
    "单位：元",
    "万元",
    "%",
    "1,273.37",
    "93.8%",
    "＝",
    "=1+1",
    "",
    " ",
    "\u202e",
    "\ud800",
]
CELL = st.one_of(
    st.none(),
    st.sampled_from(WORDS),
    st.text(max_size=6),
    st.builds(
        Number,
        st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1e6, max_value=1e6),
        st.booleans(),
    ),
    st.just(Unreadable("#DIV/0!", "单元格是 Excel 错误值 #DIV/0!")),
)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.lists(CELL, max_size=7), max_size=14),
    merges=st.lists(
        st.tuples(st.integers(1, 14), st.integers(1, 7), st.integers(0, 3), st.integers(0, 2)), max_size=4
    ),
)
def test_any_table_imports_or_is_refused_in_chinese(rows, merges):
    """Whatever a sheet holds, import gives rows and problems or an ImportFileError; never anything else."""
    sheet = Sheet("表", [(i, r) for i, r in enumerate(rows, 1) if any(v is not None for v in r)])
    sheet.merges = [(r, c, r + dr, c + dc) for r, c, dr, dc in merges]
    book = Book("x.xlsx", "xlsx", [sheet])
    framework = FRAMEWORK
    for plan in (lambda: plan_targets(book), lambda: plan_figures(book, framework)):
        try:
            result = plan().read()  # noqa: B023
        except ImportFileError as e:
            assert str(e)
            continue
        assert all(isinstance(str(p), str) for p in result.problems)
        values = getattr(result, "values", None) or {}
        for key, text in values.items():
            assert key in framework.figures and text


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".xlsx", ".csv", ".xls", ".txt", ".dat"]))
def test_any_bytes_read_or_refused(tmp_path_factory, data, suffix):  # a session-wide fixture: allowed
    path = tmp_path_factory.mktemp("f") / f"x{suffix}"
    path.write_bytes(data)
    try:
        book = read_file(path)
    except ImportFileError as e:
        assert str(e)
        return
    assert book.kind == "csv"


# ---------------------------------------------------------------------------------------------- scored rows


def national_doc():
    from core.catalogue import find

    return Evaluation.new(find("national-project"), 2024)


def test_split_target():
    from core.importing import split_target

    assert split_target("≥90%") == ("≥", "90", "%")
    assert split_target("不低于 95 %") == ("≥", "95", "%")
    assert split_target("＜＝３天") == ("≤", "3", "天")
    assert split_target("35个") == ("", "35", "个")
    assert split_target("1,273.37万元") == ("", "1,273.37", "万元")
    assert split_target("提升居民满意度") == ("", "", "")


def test_a_target_table_goes_into_the_scored_rows_of_a_national_framework(tmp_path):
    from core.importing import rows_change
    from core.scoring import score

    doc = national_doc()
    plan = plan_targets(
        read_file(national_self_evaluation(tmp_path / "自评表.xlsx")), framework=doc.framework
    )
    assert list(plan.keep) == [
        "level1",
        "level2",
        "level3",
        "value",
        "actual",
        "deviation",
        "weight",
        "unit",
        "nature",
        "direction",
    ]
    result = plan.read()
    assert "G 列“得分”：没有“得分”栏，这一列未导入" in texts(result.problems)
    pasted = rows_change(doc, result.rows)
    assert pasted.change.summary == ["产出指标：新增 3 行，更新 0 行", "满意度指标：新增 1 行，更新 0 行"]
    assert texts(pasted.problems) == [
        "第 15 行“=cmd|' /C calc'!A0”：一级指标不在本指标框架的自填指标中（产出指标、效益指标、满意度指标），这一行未导入"
    ]
    pasted.change.apply(doc)
    assert [(r["name"], r["weight"], r["group"]) for r in doc.rows["output"]] == [
        ("设备维护数量", "10", "数量指标"),
        ("优化系统数", "10", "数量指标"),
        ("系统可用率", "10", "质量指标"),
    ]
    quality = doc.indicators["output.r3"]
    assert quality["inputs"] == {
        "nature": "定量",
        "target": "99",
        "actual": "98.5",
        "direction": "≥",
        "unit": "%",
    }
    assert quality["reason"] == "网络故障两次，已更换设备"
    assert doc.indicators["output.r1"]["inputs"] == {
        "nature": "定量",
        "target": "35",
        "actual": "36",
        "unit": "个",
    }
    sheet = score(doc)
    assert str(sheet.by_id["output.r3"].score) == "9.95" and str(sheet.by_id["satisfaction.r1"].score) == "10"
    # again, as an update: the same rows are matched by name, nothing added
    again = rows_change(doc, result.rows)
    assert again.change.summary == ["产出指标：新增 0 行，更新 3 行", "满意度指标：新增 0 行，更新 1 行"]
    replaced = rows_change(doc, result.rows[:1], "replace")
    replaced.change.apply(doc)
    assert [r["name"] for r in doc.rows["output"]] == ["设备维护数量"] and "output.r3" not in doc.indicators
    assert len(doc.rows["satisfaction"]) == 1  # a node the file does not name keeps its rows
    replaced.change.revert(doc)
    assert len(doc.rows["output"]) == 3 and doc.indicators["output.r3"] == quality
    pasted.change.revert(doc)
    assert not any(doc.rows.values()) and doc.indicators == {}


def test_cli_import_into_scored_rows(tmp_path):
    import subprocess
    import sys

    from core.drafts import load, save
    from tests.conftest import ROOT

    draft = tmp_path / "d.json"
    save(national_doc(), draft)
    r = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "import",
            str(draft),
            "--targets",
            str(national_self_evaluation(tmp_path / "n.xlsx")),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    assert "读到绩效指标 5 行" in r.stdout and "产出指标：新增 3 行，更新 0 行" in r.stdout
    assert [x["name"] for x in load(draft).rows["output"]] == ["设备维护数量", "优化系统数", "系统可用率"]


# ---------------------------------------------------------------------------------------------- last year's figures


def test_last_years_column_and_labels_fill_previous_which_rules_read(tmp_path):
    """项目 | 本年数 | 上年数 (and “上年…” label / value pairs) fill the draft's previous: the 岳阳 “三公”经费变动率
    binds prev:sangong_actual and scores once last year's 三公 is imported."""
    import subprocess
    import sys

    from core.catalogue import find
    from core.drafts import load, save
    from core.scoring import score
    from tests.conftest import ROOT

    wb = Workbook()
    ws = wb.active
    ws.title = "决算数据"
    ws.append(["2025年度部门收支情况"])
    ws.merge_cells("A1:D1")
    ws.append(["单位：元"])
    ws.append(["项目", "本年数", "上年实际数", "备注"])
    ws.append(["年初预算数", 12000000, 11000000])
    ws.append(["“三公”经费实际支出数", 800000, "1,000,000"])
    ws.append(["上年结转", 500000, None])  # a figure whose own label says 上年: this year's
    ws.append(["编制数", 30, "三十"])
    pairs = wb.create_sheet("对照")
    pairs.append(["“三公”经费实际支出数", 80, "上年“三公”经费实际支出数", 100])
    wb.save(tmp_path / "b.xlsx")

    fw = find("yueyang")
    result = plan_figures(read_file(tmp_path / "b.xlsx"), fw).read()
    assert result.values == {
        "budget_initial": "1,200",
        "sangong_actual": "80",
        "carryover_begin": "50",
        "staff_authorised": "30",
    }
    assert result.previous == {"budget_initial": "1,100", "sangong_actual": "100"}
    assert texts(result.problems) == [
        "第 7 行 C 列“三十”：“编制数”的上年数“三十”不是数字，请只填写数字，例如 1273.37 或 93.8%"
    ]
    result = plan_figures(read_file(tmp_path / "b.xlsx"), fw, "对照").read()
    assert (result.values, result.previous) == ({"sangong_actual": "80"}, {"sangong_actual": "100"})

    doc = Evaluation.new(fw, 2025)
    change = figures_change(doc, result.values, result.previous)
    assert change.summary == [
        "预算与执行数据填入 2 项（其中上年数 1 项）",
        "  “三公”经费实际支出数：80",
        "  “三公”经费实际支出数（上年数）：100",
    ]
    change.apply(doc)
    assert doc.previous == {"sangong_actual": "100"}
    change.revert(doc)
    assert doc.previous.get("sangong_actual") == doc.figures.get("sangong_actual", "") == ""

    draft = tmp_path / "d.json"
    save(Evaluation.new(fw, 2025), draft)
    r = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "import", str(draft), "--figures", str(tmp_path / "b.xlsx")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    assert "读到预算与执行数据 4 项，上年数 2 项" in r.stdout and "  年初预算数（上年数）：1,100" in r.stdout
    doc = load(draft)
    assert doc.previous == {"budget_initial": "1,100", "sangong_actual": "100"}
    rate = next(n for n in score(doc).leaves() if "变动率" in n.name)
    assert (rate.score, rate.weight) == (5, 5)  # (80 − 100) ÷ 100 = −20% ≤ 0


def test_columns_headed_by_years_take_the_evaluated_years_values(tmp_path):
    """项目 | 2024年 | 2025年 for a 2025 evaluation: 2025's column is this year's, 2024's last year's (the first
    number of the row, 2024's, was imported as this year's)."""
    from core.catalogue import find

    wb = Workbook()
    ws = wb.active
    ws.append(["2025年度部门收支情况"])  # a title naming the year is no heading
    ws.append(["评价年度", "2025年"])  # nor is a 基本信息 pair
    ws.append(["项目", "2024年", "2025年决算数", "备注"])
    ws.append(["年初预算数", 1100, 1200])
    ws.append(["“三公”经费实际支出数", 100, 80, "压减"])
    wb.save(tmp_path / "y.xlsx")
    fw = find("yueyang")
    result = plan_figures(read_file(tmp_path / "y.xlsx"), fw, year="2025").read()
    assert result.values == {"budget_initial": "1,200", "sangong_actual": "80"}
    assert result.previous == {"budget_initial": "1,100", "sangong_actual": "100"}
    assert result.problems == []
    # headings naming other years than the evaluated one: read as a sheet without such headings
    other = plan_figures(read_file(tmp_path / "y.xlsx"), fw, year="2026").read()
    assert other.values["budget_initial"] == "1,100"  # the first number of the row, as without years …
    assert "第 4 行 C 列“年初预算数（另一列） 1200”" in texts(other.problems)[0]  # … and the other is listed
    # … and the preview says the years do not match: these may be another year's figures
    assert other.notes[0] == (
        "表头列出的年度（2024 年、2025 年）不含评价年度 2026 年：各数据项取其右侧的第一个数值，"
        "请核对是否为 2026 年度的数据"
    )
    assert not any("表头列出的年度" in n for n in result.notes)
