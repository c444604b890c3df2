"""Excel export: the seed's numbers read back from the file, layout, print settings, hostile text, safe writing."""

import os
import subprocess
import sys

import openpyxl
import pytest

from core.document import Evaluation
from core.export import write
from core.export_xlsx import MAX_CELL, clean
from core.files import FileWriteError
from core.report import NOT_SCORED
from tests.conftest import EXAMPLE, ROOT
from tests.helpers import refuse_temp_files

SHEETS = ["基本信息", "表1 绩效目标表", "表2 评分表", "附件1 自评评分表"]
# 表2 of the seed report: 三级指标 -> (参考分值, 评分结果)
SEED_LEAVES = {
    "预算编制合理性": (5, 5),
    "预算编制规范性": (5, 5),
    "绩效目标完整性": (8, 8),
    "绩效指标明确性": (7, 6),
    "政府采购执行情况": (2, 2),
    "财务合规性": (3, 3),
    "预决算信息公开": (3, 3),
    "项目实施程序": (2, 2),
    "项目监管": (2, 2),
    "资产管理安全性": (2, 2),
    "固定资产利用率": (1, 1),
    "财政供养人员控制率": (1, 1),
    "编外人员控制率": (1, 1),
    "管理制度健全性": (3, 3),
    "公用经费控制率": (6, 6),
    "预算执行率": (6, 5.46),
    "重点工作完成情况": (8, 8),
    "项目完成及时性": (6, 4.5),
    "社会效益、经济效益、生态效益及可持续影响等": (20, 18),
    "群众信访办理情况": (3, 3),
    "公众或服务对象满意度": (6, 4),
}
SEED_LEVEL1 = {"部门决策": (25, 24), "部门管理": (20, 20), "部门绩效": (55, 48.96)}
SEED_LEVEL2 = {
    "预算编制": (10, 10),
    "目标设置": (15, 14),
    "资金管理": (8, 8),
    "项目管理": (4, 4),
    "资产管理": (3, 3),
    "人员管理": (2, 2),
    "制度管理": (3, 3),
    "经济性": (6, 6),
    "效率性": (20, 17.96),
    "效果性": (20, 18),
    "公平性": (9, 7),
}


def export(doc, tmp_path, name="out.xlsx", **kw):
    path = tmp_path / name
    write(doc, path, **kw)
    return openpyxl.load_workbook(path)


def rows(ws, first=5):
    return [[c.value for c in row] for row in ws.iter_rows(min_row=first)]


def merged_span(ws, value, column):
    """Rows covered by the merged cell of `column` whose text is `value` (1 if not merged)."""
    for row in ws.iter_rows(min_col=column, max_col=column):
        cell = row[0]
        if cell.value == value:
            for m in ws.merged_cells.ranges:
                if cell.coordinate in m and m.min_col == m.max_col == column:
                    return m.max_row - m.min_row + 1
            return 1
    raise AssertionError(f"{value} not in column {column}")


@pytest.fixture
def seed_book(example, tmp_path):
    return export(example, tmp_path)


def test_sheets_titles_and_opening_sheet(seed_book):
    assert seed_book.sheetnames == SHEETS
    assert seed_book.active.title == "表2 评分表"
    assert seed_book["表2 评分表"]["A1"].value == "表2 2020年度部门整体绩效评价评分表"
    assert seed_book["表2 评分表"]["A2"].value == "部门名称：深圳市福田区数字化城管技术服务中心"
    assert seed_book["表1 绩效目标表"]["A1"].value == "表1 2020年度部门整体绩效目标表"
    # the same name as the PDF's and Word's 附件1, and as the report's closing line says
    assert (
        seed_book["附件1 自评评分表"]["A1"].value
        == "深圳市福田区数字化城管技术服务中心部门整体支出绩效自评评分表"
    )


def test_table2_has_every_seed_score_as_a_number(seed_book):
    ws = seed_book["表2 评分表"]
    assert [c.value for c in ws[4]] == [
        "一级指标",
        "参考分值",
        "二级指标",
        "参考分值",
        "三级指标",
        "参考分值",
        "评分结果",
    ]
    body = rows(ws)
    leaves = {r[4]: (r[5], r[6]) for r in body if r[4] not in (None, "-")}
    assert leaves == SEED_LEAVES
    level1 = {r[0]: r[1] for r in body if r[0] in SEED_LEVEL1}
    assert level1 == {k: w for k, (w, _) in SEED_LEVEL1.items()}
    level2 = {r[2]: r[3] for r in body if r[2] in SEED_LEVEL2}
    assert level2 == {k: w for k, (w, _) in SEED_LEVEL2.items()}
    total = next(r for r in body if r[0] == "合计")
    assert total == ["合计", 100, "-", 100, "-", 100, 92.96]
    grade = next(r for r in body if r[0] == "评价等级")
    assert grade[6] == "优"
    for row in ws.iter_rows(min_row=5, max_row=25):
        for c in (row[1], row[3], row[5], row[6]):
            if c.value is not None:
                assert c.data_type == "n" and c.number_format == "General"


def test_table2_merges_level1_and_level2_cells_like_the_seed(seed_book):
    ws = seed_book["表2 评分表"]
    assert {k: merged_span(ws, k, 1) for k in SEED_LEVEL1} == {"部门决策": 4, "部门管理": 10, "部门绩效": 7}
    spans = {k: merged_span(ws, k, 3) for k in SEED_LEVEL2}
    assert spans == {
        "预算编制": 2,
        "目标设置": 2,
        "资金管理": 3,
        "项目管理": 2,
        "资产管理": 2,
        "人员管理": 2,
        "制度管理": 1,
        "经济性": 1,
        "效率性": 3,
        "效果性": 1,
        "公平性": 2,
    }
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A5:A8", "B5:B8", "A9:A18", "B9:B18", "A19:A25", "B19:B25", "D20:D22"} <= merged


def test_detail_sheet_has_subtotals_rates_reasons(seed_book):
    ws = seed_book["附件1 自评评分表"]
    assert [c.value for c in ws[4]] == ["指标", "分值", "评分标准", "评分依据", "得分", "扣分", "扣分理由"]
    body = {r[0]: r for r in rows(ws)}
    for name, (weight, got) in {**SEED_LEVEL1, **SEED_LEVEL2, **SEED_LEAVES}.items():
        assert (body[name][1], body[name][4]) == (weight, got), name
    row = body["预算执行率"]
    assert row[5] == pytest.approx(0.54)
    assert "一季度累计支出 266.07 万元" in row[3]
    assert "二季度预算执行率 536.29 ÷ (1,273.37 × 50%) = 84.23%，扣 1 × (1 − 84.23%) = 0.16 分" in row[3]
    assert row[6].startswith("根据 2020 年决算报表")
    assert body["部门绩效"][2] == "得分率 89.02%"
    assert body["部门绩效"][5] == pytest.approx(6.04)
    total = body["合计"]
    assert (total[1], total[4], total[5], total[6]) == (100, 92.96, pytest.approx(7.04), "评价等级：优")
    score = next(c for c in ws["E"] if c.value == 5.46)
    assert score.number_format == "General"  # 5.46, 4.5 and 25 print as the report prints them, never "25.00"
    weight = next(c for c in ws["B"] if c.value == 25)
    assert weight.number_format == "General" and isinstance(weight.value, int)


def test_basic_info_numbers_are_numbers(seed_book):
    ws = seed_book["基本信息"]
    body = {r[0]: r for r in rows(ws)}
    assert body["部门名称"][1] == "深圳市福田区数字化城管技术服务中心"
    assert body["年初预算收入"][1:] == [1273.37, "万元"]
    assert body["公众或服务对象满意度"][1] == pytest.approx(0.938)
    assert body["协助处理结案数"][1:] == [57400, "宗"]
    # left empty because the rule computes it from spending: the rate it computed, said so
    assert (
        body["一季度预算执行率"][1] == pytest.approx(0.8358) and body["一季度预算执行率"][2] == "由程序计算"
    )
    cells = {c.value: c for c in ws["A"]}
    assert ws.cell(cells["公众或服务对象满意度"].row, 2).number_format == "0.00%"
    assert ws.cell(cells["年初预算收入"].row, 2).number_format == "#,##0.00"
    assert "一、部门基本情况" in cells and "二、收入与预算" in cells


def test_targets_sheet_merges_runs(seed_book):
    ws = seed_book["表1 绩效目标表"]
    assert [c.value for c in ws[4]] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
    ]  # nothing filled in 实际完成值
    assert merged_span(ws, "产出指标", 1) == 7
    assert merged_span(ws, "效益指标", 1) == 5
    assert merged_span(ws, "满意度指标", 1) == 1
    assert merged_span(ws, "社会效益指标", 2) == 2
    assert ws["D5"].value == "3 个" and ws["D5"].data_type == "s"


def test_print_settings(seed_book):
    orientation = {
        "基本信息": "portrait",
        "表1 绩效目标表": "portrait",
        "表2 评分表": "portrait",
        "附件1 自评评分表": "landscape",
    }
    for ws in seed_book:
        ps = ws.page_setup
        assert int(ps.paperSize) == int(ws.PAPERSIZE_A4) == 9
        assert ps.orientation == orientation[ws.title]
        assert (int(ps.fitToWidth), int(ps.fitToHeight)) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.print_title_rows == "$4:$4"
        assert ws.page_margins.left == 0.5
        assert "&P" in ws.oddFooter.center.text
        header = ws[4]
        assert all(c.border.left.style == "thin" and c.font.b for c in header)
        last = ws[ws.max_row]
        assert all(c.border.bottom.style == "thin" for c in last)


def test_widths_and_heights_fit_chinese_text(seed_book):
    ws = seed_book["附件1 自评评分表"]
    row = next(c.row for c in ws["A"] if c.value == "预算执行率")
    assert ws.row_dimensions[row].height >= 6 * 14.5  # six lines of 计算过程, wrapped
    assert ws.column_dimensions["C"].width == 27  # 评分标准: long text wraps at the column's width
    t2 = seed_book["表2 评分表"]
    # "管理制度健全性" is 7 wide characters: 14 half-widths, wider than 14 narrow ones would need
    assert t2.column_dimensions["E"].width >= 16
    for ws in seed_book:
        for row in ws.iter_rows(min_row=4):
            for c in row:
                if isinstance(c.value, str):
                    assert c.alignment.wrap_text, (ws.title, c.coordinate)
        ranges = list(ws.merged_cells.ranges)  # overlapping merges make Excel ask to repair the file
        for i, a in enumerate(ranges):
            for b in ranges[i + 1 :]:
                assert a.isdisjoint(b), (ws.title, a, b)


def test_no_formula_anywhere_and_nothing_hidden_under_merges(seed_book):
    for ws in seed_book:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f"
        for m in ws.merged_cells.ranges:
            hidden = [ws.cell(r, c).value for r, c in m.cells if (r, c) != (m.min_row, m.min_col)]
            assert hidden == [None] * len(hidden), (ws.title, m)


def test_workbook_in_memory_reads_like_the_file(example):
    from core.export_xlsx import build
    from core.report import build_report

    ws = build(build_report(example))["表2 评分表"]
    assert ws.max_row == 27
    assert [r[6] for r in ws.iter_rows(min_row=26, max_row=26, values_only=True)] == [92.96]


def test_very_long_text_and_title_stay_within_excel_limits(example, tmp_path):
    example.set(("indicators", "effects", "reason"), "很长的理由。" * 2000)
    example.set(("facts", "year"), "二〇二〇" * 60)
    wb = export(example, tmp_path)
    ws = wb["附件1 自评评分表"]
    name = "社会效益、经济效益、生态效益及可持续影响等"
    row = next(c.row for c in ws["A"] if c.value == name)
    assert ws.cell(row, 7).value == "见下行"  # a long reason gets a full-width row below, as in the PDF
    assert ws.cell(row + 1, 1).value == f"{name}扣分理由：" + "很长的理由。" * 2000
    assert ws.row_dimensions[row + 1].height == 409
    for ws in wb:
        assert all(d.width <= 255 for d in ws.column_dimensions.values())


def test_text_beyond_excel_cell_limit_is_cut_and_the_user_told_which_cell(example, tmp_path):
    # fields are limited below Excel's cell size (core.document), so only a text put in directly gets here
    example.entry("effects")["reason"] = "理" * 40000
    path = tmp_path / "long.xlsx"
    written = write(example, path)
    ws = openpyxl.load_workbook(path)["附件1 自评评分表"]
    name = "社会效益、经济效益、生态效益及可持续影响等"
    cell = next(c for c in ws["A"] if isinstance(c.value, str) and c.value.startswith(f"{name}扣分理由：理"))
    assert len(cell.value) == MAX_CELL and cell.value.endswith("…")
    assert written.notes == [
        f"Excel“附件1 自评评分表”工作表 A{cell.row} 单元格的文字有 40,026 字，超过 Excel 单元格上限 32,767 字，"
        "已截断；全文见 PDF 和 Word 报告"
    ]


HOSTILE = {
    "=1+1": "=1+1",
    '=HYPERLINK("http://x")': '=HYPERLINK("http://x")',
    "第一行\x0b第二行": "第一行\n第二行",
    "a\x00b\x01c\x1fd": "abcd",
    "tab\there\r\nnext": "tab here\nnext",
    "+SUM(A1)": "+SUM(A1)",
    "bad\ud800surrogate": "bad\ufffdsurrogate",
    "李\u202e武\u200b": "李武",  # bidi and invisible characters: never reversed or hidden text in Excel
}


def test_clean():
    for typed, shown in HOSTILE.items():
        assert clean(typed) == shown
    assert len(clean("字" * 40000)) == 40000  # cut (and said) only where a cell is written


def test_hostile_text_stays_text(example, tmp_path):
    example.set(("indicators", "target_clarity", "reason"), "=1+1")
    example.set(("indicators", "effects", "reason"), '=HYPERLINK("http://x")')
    example.set(("facts", "department"), '=HYPERLINK("http://x")')
    example.set(("facts", "leader"), "第一行\x0b第二行")
    example.set(("facts", "preparer"), "a\x00b\x01c\x1fd")
    example.set(("figures", "satisfaction"), "=1+1")  # not a number: kept as typed text
    example.set(("targets", 0, "actual"), "=1+1")
    example.set(("targets", 0, "deviation"), "tab\there\r\nnext")
    wb = export(example, tmp_path)
    detail = {r[0]: r for r in rows(wb["附件1 自评评分表"])}
    assert detail["绩效指标明确性"][6] == "=1+1"
    assert detail["社会效益、经济效益、生态效益及可持续影响等"][6] == '=HYPERLINK("http://x")'
    basic = {r[0]: r for r in rows(wb["基本信息"])}
    assert basic["部门名称"][1] == '=HYPERLINK("http://x")'
    assert basic["单位负责人"][1] == "第一行\n第二行"
    assert basic["填报人"][1] == "abcd"
    assert basic["公众或服务对象满意度"][1:] == ["=1+1", "%"]
    targets = wb["表1 绩效目标表"]
    assert [c.value for c in targets[4]][4:] == ["实际完成值", "偏差原因"]
    assert (targets["E5"].value, targets["F5"].value) == ("=1+1", "tab here\nnext")
    assert targets.page_setup.orientation == "landscape"  # six columns do not fit a portrait page
    assert wb["表2 评分表"]["A2"].value == '部门名称：=HYPERLINK("http://x")'
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)


def test_draft_note_on_every_sheet(example, tmp_path):
    wb = export(example, tmp_path)  # the seed's 评价日期 is an error: a draft, and the note says why
    for ws in wb:
        assert ws["A3"].value.startswith("草稿：审核发现 1 项错误（评价日期“2020-04”早于评价年度 2020 年结束")
        assert ws["A3"].font.color.rgb.endswith("C00000")
        assert ws.oddHeader.center.text == "草稿"
        assert ws.print_title_rows == "$4:$4"
    example.facts["evaluation_date"] = "2021-04"
    final = export(example, tmp_path, "final.xlsx")
    for ws in final:
        assert ws["A3"].value is None
        assert not ws.oddHeader.center.text


def test_empty_document_exports_with_open_marks(example, tmp_path):
    doc = Evaluation.new(example.framework)
    wb = export(doc, tmp_path)
    body = rows(wb["表2 评分表"])
    assert {r[4]: r[6] for r in body if r[4] in SEED_LEAVES} == {k: NOT_SCORED for k in SEED_LEAVES}
    assert next(r for r in body if r[0] == "合计")[6] == "0（暂定）"
    assert any(isinstance(r[0], str) and r[0].startswith("还有 21 项指标未评分") for r in body)
    assert wb["表1 绩效目标表"]["A5"].value == "（尚未填写绩效目标）"
    detail = {r[0]: r for r in rows(wb["附件1 自评评分表"])}
    assert detail["公众或服务对象满意度"][4] == NOT_SCORED
    assert "未填：" in detail["公众或服务对象满意度"][3]
    assert detail["部门绩效"][4:6] == [NOT_SCORED, None]  # nothing scored: no points counted as taken off
    # each takes two columns, so as not to break in a narrow one: the grade under 评分标准 and 评分依据, the
    # provisional total under 得分 and 扣分
    assert detail["合计"][2:] == ["评价等级：差（暂定）", None, "0（暂定）", None, None]
    sheet = wb["附件1 自评评分表"]
    at = next(c.row for c in sheet["A"] if c.value == "合计")
    assert {f"C{at}:D{at}", f"E{at}:F{at}"} <= {str(r) for r in sheet.merged_cells.ranges}


def test_chinese_path_with_spaces(example, tmp_path):
    folder = tmp_path / "导出 文件夹"
    folder.mkdir()
    wb = export(example, folder, "2020 年度 评分表.xlsx")
    assert wb.sheetnames == SHEETS
    assert os.listdir(folder) == ["2020 年度 评分表.xlsx"]


def test_locked_target_gives_chinese_error_and_leaves_no_file(example, tmp_path, monkeypatch):
    target = tmp_path / "评分表.xlsx"
    target.write_bytes(b"the old file, open in Excel")

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(FileWriteError, match="无法写入 评分表.xlsx：文件可能正被其他程序打开"):
        write(example, target)
    assert os.listdir(tmp_path) == ["评分表.xlsx"]
    assert target.read_bytes() == b"the old file, open in Excel"


def test_unwritable_or_missing_folder(example, tmp_path, monkeypatch):
    with pytest.raises(FileWriteError, match="文件夹不存在"):
        write(example, tmp_path / "没有这个文件夹" / "a.xlsx")

    refuse_temp_files(monkeypatch)
    with pytest.raises(FileWriteError, match="没有权限在文件夹 .* 中写入文件"):
        write(example, tmp_path / "a.xlsx")
    assert os.listdir(tmp_path) == []


def run_cli(*args, tmp_path):
    env = dict(os.environ, JIXIAO_DATA_DIR=str(tmp_path / "data"), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


def test_cli_export(tmp_path):
    out = tmp_path / "评分 表.xlsx"
    r = run_cli("export", str(EXAMPLE), "--xlsx", str(out), tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    assert f"已导出 Excel：{out}" in r.stdout
    wb = openpyxl.load_workbook(out)
    total = next(r for r in wb["表2 评分表"].iter_rows(values_only=True) if r[0] == "合计")
    assert total[6] == 92.96
    # the seed's evaluation date is an error: a draft
    assert wb["表2 评分表"]["A3"].value.startswith("草稿：")


def test_cli_export_bad_file(tmp_path):
    bad = tmp_path / "坏.json"
    bad.write_text("{不是 JSON", encoding="utf-8")
    r = run_cli("export", str(bad), "--xlsx", "out.xlsx", tmp_path=tmp_path)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：无法打开 坏.json") and "Traceback" not in r.stderr
    assert not (tmp_path / "out.xlsx").exists()


def test_synthetic_thousand_leaves(tmp_path):
    from benchmarks.synthetic import make_document

    doc = make_document(1000)
    wb = export(doc, tmp_path)
    ws = wb["表2 评分表"]
    leaves = [r for r in rows(ws) if isinstance(r[4], str) and r[4].startswith("三级指标")]
    assert len(leaves) == 1000
    assert merged_span(ws, "一级指标 0", 1) == 100
    assert merged_span(ws, "二级指标 0-0", 3) == 10
