"""Frameworks whose scored rows are the targets (重庆, the national 自评表): 表1 built from those rows in every
format, 指标值 and 完成值 printed as the row defines them (direction, value, unit), and figures the rules compute
shown with their values in 基本信息."""

import re
import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook

from core.catalogue import find
from core.document import Evaluation
from core.drafts import load
from core.export import export_bundle
from core.report import build_report
from tests.conftest import ROOT
from tests.helpers import fill_all

CHONGQING = ROOT / "resources" / "examples" / "chongqing-2021.json"


def texts(table) -> list[list[str | None]]:
    return [[c.text if c else None for c in r.cells] for r in table.rows]


def national(**inputs) -> Evaluation:
    """The national preset filled; the first 产出 row's inputs as given."""
    doc = Evaluation.new(find("national-project"), 2025)
    doc.facts["department"] = "测试局"
    fill_all(doc)
    row = doc.rows["output"][0]["id"]
    for key, value in inputs.items():
        doc.set(("indicators", row, "inputs", key), value)
    return doc


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def bundle_texts(doc, folder, sheet_name="表1 绩效目标表") -> tuple[list, str, str]:
    """What each file of the 报送包 shows: the rows of a sheet of the workbook (from its heading), the Word text,
    the PDF text (white space removed from these two)."""
    xlsx, docx, pdf = export_bundle(doc, folder)
    ws = load_workbook(xlsx)[sheet_name]
    sheet = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    word = Document(str(docx))
    parts = [p.text for p in word.paragraphs]
    parts += [c.text for t in word.tables for r in t.rows for c in r.cells]
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return sheet, squeeze("".join(parts)), squeeze(text)


def test_table1_of_the_chongqing_example_is_its_scored_rows_in_every_format(tmp_path):
    doc = load(CHONGQING)
    report = build_report(doc)
    table = report.sheets[1]
    assert [c.label for c in table.columns] == ["指标名称", "计量单位", "年初指标值", "全年完成值"]
    rows = texts(table)
    assert len(rows) == 21  # every row with a 指标值 column (预算执行率 has none)
    assert rows[0] == ["财政供养人员控制率", "%", "≤100%", "92%"]
    assert rows[17] == ["播发稿件数量", "篇", "≥2200", "2859"]  # the unit in its own column
    assert rows[19] == ["媒体传播影响力", "", "提升", "提升"]  # text stays as typed
    assert table in report.body  # under 二、绩效目标完成情况, in the PDF and Word too
    sheet, word, pdf = bundle_texts(doc, tmp_path)
    assert sheet[0] == ["指标名称", "计量单位", "年初指标值", "全年完成值"]
    assert sheet[1] == ["财政供养人员控制率", "%", "≤100%", "92%"]
    assert not any("尚未填写" in str(v) for r in sheet for v in r)
    for text in (word, pdf):
        assert "表12021年度部门整体绩效目标表" in text
        assert "财政供养人员控制率%≤100%92%" in text


def test_table1_of_the_national_form_has_its_levels_and_the_values_as_the_rows_define_them(tmp_path):
    doc = national(target="90", actual="92.5", unit="%")
    table = build_report(doc).sheets[1]
    assert [c.label for c in table.columns] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
    ]
    rows = texts(table)
    assert rows[0] == ["产出指标", "数量指标", "产出指标指标 1", "≥90%", "92.5%"]
    assert rows[1] == [None, "质量指标", "产出指标指标 2", "≥10项", "10项"]  # 产出指标 merged down
    assert table.rows[0].cells[0].rows == 3
    sheet, word, pdf = bundle_texts(doc, tmp_path)
    assert sheet[1] == ["产出指标", "数量指标", "产出指标指标 1", "≥90%", "92.5%"]
    for text in (word, pdf):
        assert "产出指标指标1≥90%92.5%" in text


def test_a_blank_form_says_its_rows_are_missing_and_exports(tmp_path):
    doc = Evaluation.new(find("national-project"), 2025)
    report = build_report(doc)
    table = report.sheets[1]
    assert table.empty and texts(table) == [["（尚未添加指标）", None, None, None, None]]
    assert table not in report.body  # the PDF and Word leave an empty 表1 out
    written = export_bundle(doc, tmp_path)
    assert [p.suffix for p in written] == [".xlsx", ".docx", ".pdf"]
    ws = load_workbook(written[0])["表1 绩效目标表"]
    assert ws["A5"].value == "（尚未添加指标）"


@pytest.mark.parametrize(
    "inputs, target, actual",
    [
        ({"target": "90", "actual": "85", "unit": "%"}, "≥90%", "85%"),
        ({"target": "3", "actual": "2", "unit": "次", "direction": "≤"}, "≤3次", "2次"),
        ({"target": "100%", "actual": "100%", "unit": "%", "direction": "="}, "=100%", "100%"),
        ({"target": "≥ 95%", "actual": "96%", "unit": "%"}, "≥ 95%", "96%"),  # typed with its sign
        ({"target": "1,200", "actual": "1,250", "unit": "万元"}, "≥1,200万元", "1,250万元"),
        ({"target": "10", "actual": "10", "unit": ""}, "≥10", "10"),
    ],
)
def test_table2_prints_target_and_actual_with_direction_and_unit(inputs, target, actual):
    doc = national(**inputs)
    table = build_report(doc).sheets[2]
    keys = [c.key for c in table.columns]
    row = table.rows[0]
    assert (row.cells[keys.index("target")].text, row.cells[keys.index("actual")].text) == (target, actual)


def test_a_qualitative_row_prints_its_values_as_typed():
    doc = national(nature="定性", target="有效提升", actual="明显提升", band="达成年度指标", score="16.67")
    table = build_report(doc).sheets[2]
    assert texts(table)[0][3:5] == ["有效提升", "明显提升"]


def test_the_annex_shows_a_rows_values_as_table2_does_never_as_invalid_numbers():
    report = build_report(load(CHONGQING))
    rows = {r.cells[0].text: r for r in report.annexes[0].table.rows if r.cells[0]}
    basis = rows["财政供养人员控制率"].cells[3].text
    assert basis.startswith("年初指标值 ≤100%；全年完成值 92%；得分系数 100%；是否核心指标 否")
    assert "无效" not in "".join(r.cells[3].text for r in report.annexes[0].table.rows if r.cells[3])


def test_a_rate_the_rule_computed_shows_its_value_in_every_format(tmp_path):
    """基本信息 said 由程序计算 beside an empty cell for the seed's Q1 rate: the workbook shows 83.58% and says it
    was computed; the PDF and Word (which have no 基本信息) print the same value where they use it (附件1's
    评分依据, the generated text), and never 由程序计算 with no value."""
    doc = load(ROOT / "resources" / "examples" / "futian-2020.json")
    sheet, word, pdf = bundle_texts(doc, tmp_path, "基本信息")
    row = next(r for r in sheet if r[0] == "一季度预算执行率")
    assert row[1] == pytest.approx(0.8358) and row[2] == "由程序计算"
    for text in (word, pdf):
        assert "一季度执行率83.58%" in text and "一季度预算执行率83.58%，扣0.16分" in text
        assert "由程序计算" not in text
    # 附件1 (the PDF's text runs across its cells)
    assert "一季度预算执行率266.07÷(1,273.37×25%)=83.58%" in word


def test_a_deduction_below_a_cent_is_said_as_computed_and_none_is_said_for_a_true_zero():
    """A row weighted 3.333 scored 3.33 read “一是培训人次指标扣 0 分” in the report (and 扣 0 分 on its card and in
    `score`); a row 99.95% of its target scores 5 of 5 after rounding and listed “… 扣 0 分” among its deductions."""
    from core.cli import sheet_text
    from core.numbers import fmt
    from core.report_text import level1_paragraphs
    from core.scoring import score

    doc = Evaluation.new(find("national-project"), 2025)
    small = doc.add_row("output", name="培训人次", weight="3.333", group="数量指标")
    short = doc.add_row("output", name="覆盖率", weight="5", group="数量指标")
    for row, actual in ((small, "99.9"), (short, "99.95")):
        for k, v in {
            "nature": "定量",
            "direction": "≥",
            "target": "100",
            "actual": actual,
            "unit": "%",
        }.items():
            doc.set(("indicators", row["id"], "inputs", k), v)
        doc.set(("indicators", row["id"], "reason"), "略有差距")
    sheet = score(doc)
    a, b = sheet.by_id[small["id"]], sheet.by_id[short["id"]]
    assert (fmt(a.score), fmt(a.lost)) == ("3.33", "0.003")
    assert a.deductions == [("实际完成值 99.9 未达到年度指标值 100", a.lost)]  # the card's 扣分 line
    assert (fmt(b.score), fmt(b.lost), b.deductions) == ("5", "0", [])
    assert level1_paragraphs(doc, sheet)[0][1][1:] == [
        "一是培训人次指标扣 0.003 分（实际完成值 99.9 未达到年度指标值 100）。略有差距。"
    ]
    assert "培训人次  3.33  3.33  99.91%  扣 0.003 分" in sheet_text("", sheet)
