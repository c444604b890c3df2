"""From last year's draft to this year's, the comparison with last year, and the command line for both and for
import."""

import copy
import json
import subprocess
import sys
from decimal import Decimal

import pytest

from core.carry import CarryError, compare, framework_changes, next_year
from core.checks import WARNING, check
from core.document import Evaluation
from core.drafts import dumps, load, loads
from core.framework import Framework
from core.scoring import score
from tests.conftest import EXAMPLE, ROOT
from tests.import_books import budget_sheet, system_targets


def test_next_year_carries_what_stays_and_nothing_of_last_years_scores(example):
    carried = next_year(example, 2021)
    doc = carried.doc
    assert doc.facts == {
        "department": "深圳市福田区数字化城管技术服务中心",
        "preparer": "李武",
        "phone": "0755-83142432",
        "year": "2021",
    }
    assert doc.framework is example.framework
    assert len(doc.targets) == len(example.targets)
    for new, old in zip(doc.targets, example.targets, strict=True):
        assert new == {**old, "actual": "", "deviation": ""}
    assert doc.narrative == {k: v for k, v in example.narrative.items() if v.strip()}
    assert doc.carried_unedited() == list(doc.narrative)
    # no figures, inputs, deductions or reasons of last year
    assert doc.figures == {} and doc.indicators == {}
    assert doc.previous == {k: v for k, v in example.figures.items() if v}
    assert doc.previous["income_budget"] == "1,273.37"
    assert doc.last_year["total"] == "92.96" and doc.last_year["grade"] == "优"
    assert doc.last_year["year"] == "2020"
    sheet = score(doc)
    assert sheet.total == 0 and sheet.open_count == sheet.leaf_count
    assert carried.changes == []
    assert carried.report[-1] == "上年得分 92.96 分、等级 优 留作对比；上年的评分、扣分理由不带入本年"


def test_year_must_be_later(example):
    with pytest.raises(CarryError, match="应晚于它（现为 2020）"):
        next_year(example, "2020")
    with pytest.raises(CarryError, match="不是年份"):
        next_year(example, "明年")
    assert next_year(example, "2025年").doc.year == "2025"


def test_carried_text_is_marked_until_edited_or_confirmed_and_survives_saving(example):
    doc = loads(dumps(next_year(example, 2021).doc))
    assert doc.carried_unedited()[0] == "opening"
    findings = {f.message: f for f in check(doc) if f.path == ("narrative", "opening")}
    mark = findings["报告正文“开篇”仍是上年内容（上年内容，请更新）：请按本年情况修改，或确认沿用"]
    assert mark.severity == WARNING
    doc.set(("narrative", "opening"), doc.narrative["opening"] + "（2021 年更新）")
    assert "opening" not in doc.carried_unedited()
    doc.set(("narrative", "opening"), doc.carried["opening"])  # undone: last year's text again, marked again
    assert "opening" in doc.carried_unedited()
    doc.set(("carried", "basic_functions"), "")  # 确认沿用
    assert "basic_functions" not in doc.carried_unedited() and "basic_functions" not in doc.carried
    again = loads(dumps(doc))
    assert (
        again.carried == doc.carried and again.previous == doc.previous and again.last_year == doc.last_year
    )


def test_a_draft_without_last_year_saves_as_before(example):
    data = json.loads(dumps(example))
    assert not {"previous", "carried", "last_year"} & set(data)


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"last_year": []}, "上年评分结果的格式不对"),
        ({"last_year": {"nodes": [{"id": "a", "level": 7}]}}, "上年评分结果第 1 项的级次应为 1、2 或 3"),
        ({"carried": {"opening": 5.5}}, "上年报告正文“开篇”应为文字"),
        ({"previous": "1,273"}, "上年数据的格式不对"),
    ],
)
def test_damaged_last_year_parts_are_refused(example, bad, message):
    data = {**json.loads(dumps(example)), **bad}
    with pytest.raises(Exception, match=message):
        loads(json.dumps(data, ensure_ascii=False))


def test_framework_changes_list_weights_rules_and_indicators(example):
    src = copy.deepcopy(example.framework.source)
    budget = src["indicators"][0]["children"][0]["children"]
    budget[0]["weight"], budget[1]["weight"] = 4, 6
    budget[1]["name"] = "预算编制规范"
    leaf = src["indicators"][2]["children"][1]["children"][0]  # 预算执行率 or whatever is there
    leaf["rule"] = {"type": "judged"}
    leaf.pop("bind", None)
    src["grades"][0]["min"] = 95
    new = Framework.from_dict(src)
    changes = framework_changes(example.framework, new)
    assert changes[:3] == [
        "“预算编制合理性”分值 5 → 4",
        "“预算编制规范性”改名为“预算编制规范”",
        "“预算编制规范”分值 5 → 6",
    ]
    assert any(
        c.startswith(f"“{leaf['name']}”评分规则改变：")
        and c.endswith("→ 评议打分：按评分标准评议：达到标准得满分，否则酌情扣分并写明理由")
        for c in changes
    )
    assert changes[-1] == "等级划分：优 ≥ 90、良 ≥ 80、中 ≥ 60、差 ≥ 0 → 优 ≥ 95、良 ≥ 80、中 ≥ 60、差 ≥ 0"
    carried = next_year(example, 2021, new)
    assert carried.changes == changes
    assert carried.report[-1] == f"指标框架：使用“{new.name}”（与上年相比有 {len(changes)} 处变化）"


def test_compare_with_last_year(example):
    doc = next_year(example, 2021).doc
    for leaf_id, entry in example.indicators.items():  # this year the same inputs, one deduction more
        doc.indicators[leaf_id] = copy.deepcopy(entry)
    doc.figures = dict(example.figures)
    doc.set(("indicators", "budget_rationality", "inputs", "deduction"), "1")
    doc.set(("indicators", "budget_rationality", "reason"), "测算依据不足")
    cmp = compare(doc)
    assert cmp.year == "2020"
    assert (cmp.total.before, cmp.total.now, cmp.total.change) == (
        Decimal("92.96"),
        Decimal("91.96"),
        Decimal("-1"),
    )
    assert cmp.grade == ("优", "优")
    first = cmp.groups[0]
    assert (first.name, first.before, first.now) == ("部门决策", Decimal(24), Decimal(23))
    assert [(c.name, c.before, c.now, c.change) for c in cmp.changed] == [
        ("预算编制合理性", Decimal(5), Decimal(4), Decimal(-1))
    ]


def test_compare_without_last_year(example):
    assert compare(example) is None


# ---------------------------------------------------------------------------------------------- command line


def run(*args):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True, text=True, cwd=ROOT
    )


def test_cli_new_from_last_year(tmp_path):
    out = tmp_path / "2021.json"
    r = run("new", "--from", EXAMPLE, "--year", "2021", out)
    assert r.returncode == 0, r.stderr
    assert f"已从 {EXAMPLE} 开始 2021 年度的自评：{out}" in r.stdout
    doc = load(out)
    assert doc.year == "2021" and doc.last_year["total"] == "92.96"
    r = run("new", "--from", EXAMPLE, "--year", "2021", out)
    assert r.returncode == 2 and "已存在，不覆盖" in r.stderr
    r = run("new", "--from", EXAMPLE, "--year", "2019", tmp_path / "x.json")
    assert (
        r.returncode == 2
        and r.stderr.strip() == "错误：上年草稿是 2020 年度的，新的评价年度应晚于它（现为 2019）"
    )
    assert not (tmp_path / "x.json").exists()


def test_cli_import_targets_and_figures(tmp_path):
    draft = tmp_path / "d.json"
    draft.write_bytes(EXAMPLE.read_bytes())
    r = run(
        "import",
        draft,
        "--targets",
        system_targets(tmp_path / "t.xlsx"),
        "--replace",
        "--figures",
        budget_sheet(tmp_path / "b.xlsx", yuan=True),
    )
    assert r.returncode == 0, r.stderr
    assert "读取 t.xlsx（工作表“绩效目标申报表”，表头在第 3 行）" in r.stdout
    assert "读到表1 5 行" in r.stdout
    assert "  第 11 行“合计 100”：合计行，不导入" in r.stdout
    assert "表1 替换为文件中的 5 行（原有 13 行）" in r.stdout
    assert "注意：第 4 行“年初预算收入”12733700 元 换算为 1,273.37 万元" in r.stdout
    assert (tmp_path / "d.json.bak").read_bytes() == EXAMPLE.read_bytes()
    doc = load(draft)
    assert [r["level3"] for r in doc.targets][:2] == ["优化智慧城管系统", "设备维护数量"]
    assert len(doc.targets) == 5 and doc.figures["spending_personnel"] == "355.05"


def test_cli_import_bad_file_or_nothing_readable_changes_nothing(tmp_path):
    draft = tmp_path / "d.json"
    draft.write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "x.xlsx").write_text("不是工作簿")
    r = run("import", draft, "--targets", tmp_path / "x.xlsx")
    assert r.returncode == 2 and r.stderr.startswith("错误：x.xlsx 不是 Excel 工作簿")
    (tmp_path / "empty.csv").write_text("三级指标,指标值\n\n合计,\n", encoding="utf-8")
    r = run("import", draft, "--targets", tmp_path / "empty.csv")
    assert r.returncode == 2 and "文件中没有可导入的内容，草稿未改动" in r.stderr
    assert "第 3 行“合计”：合计行，不导入" in r.stdout
    assert draft.read_bytes() == EXAMPLE.read_bytes() and not (tmp_path / "d.json.bak").exists()
    r = run("import", draft)
    assert r.returncode == 2 and "用法：main.py import" in r.stderr


def test_cli_export_says_when_report_text_is_still_last_years(tmp_path):
    draft = tmp_path / "2021.json"
    assert run("new", "--from", EXAMPLE, "--year", "2021", draft).returncode == 0
    r = run("export", draft, "--xlsx", tmp_path / "x.xlsx")
    assert r.returncode == 0, r.stderr
    assert "仍是上年内容" not in r.stdout  # the Excel tables hold no report text
    r = run("export", draft, "--pdf", tmp_path / "x.pdf")
    assert r.returncode == 0, r.stderr
    note = "注意：报告正文有 11 节仍是上年内容（上年内容，请更新），未经修改或确认沿用，将照样导出"
    assert note in r.stdout


# ---------------------------------------------------------------------------------------------- rows and successors

NATIONAL = [
    {
        "id": "output",
        "name": "产出指标",
        "weight": 90,
        "rows": {"rule": {"type": "target"}, "groups": ["数量指标", "质量指标"]},
    },
    {"id": "exec", "name": "预算执行率", "weight": 10, "rule": {"type": "judged"}},
]


def national_last_year():
    from tests.test_shapes import framework

    fw = framework(NATIONAL)
    doc = Evaluation.new(fw, 2024)
    doc.add_row("output", name="培训人次", weight="50", group="数量指标")
    doc.add_row("output", name="验收合格率", weight="40", group="质量指标")
    inputs = {
        "output.r1": {"nature": "定量", "direction": "≥", "target": "300", "unit": "人次", "actual": "280"},
        "output.r2": {"nature": "定量", "direction": "≥", "target": "95", "unit": "%", "actual": "98"},
        "exec": {"deduction": "1"},
    }
    for iid, values in inputs.items():
        for k, v in values.items():
            doc.set(("indicators", iid, "inputs", k), v)
    doc.set(("indicators", "output.r1", "reason"), "疫情影响")
    doc.set(("indicators", "exec", "reason"), "执行偏慢")
    doc.set(("indicators", "output.r2", "na"), "1")
    return doc


def test_the_clerks_rows_and_their_targets_are_carried_not_their_results():
    last = national_last_year()
    carried = next_year(last, 2025)
    doc = carried.doc
    assert doc.rows == last.rows
    assert doc.indicators["output.r1"]["inputs"] == {
        "nature": "定量",
        "direction": "≥",
        "target": "300",
        "unit": "人次",
    }
    assert doc.indicators["output.r1"]["reason"] == "" and doc.indicators["output.r2"]["na"] == ""
    assert "exec" not in doc.indicators  # a deduction is this year's
    assert "带入自定义指标 2 行（名称、分值、所属二级指标）" in carried.report
    assert "2 项指标保留年度指标值（及计量单位、指标性质、方向），实际完成值和得分已清空" in carried.report
    assert "上年有 1 项指标标为不适用，本年未带入：如仍不适用，请重新标记" in carried.report
    sheet = score(doc)
    assert sheet.open_count == sheet.leaf_count  # nothing scored yet
    again = loads(dumps(doc))
    assert again.rows == doc.rows and again.indicators == doc.indicators


def test_an_installed_framework_of_the_same_id_is_the_successor(example):
    from core.carry import installed_frameworks, successor

    installed = installed_frameworks()
    assert successor(example.framework, 2021, installed) in (example.framework, *installed)
    src = copy.deepcopy(example.framework.source)
    src["grades"][0]["min"] = 95
    newer = Framework.from_dict(src)
    assert successor(example.framework, 2021, [newer]) is newer
    assert successor(example.framework, 2031, [newer]) is example.framework  # not for that year
    other = Framework.from_dict({**copy.deepcopy(src), "id": "other"})
    assert successor(example.framework, 2021, [other]) is example.framework
    carried = next_year(example, 2031)
    assert (
        carried.report[-1]
        == f"注意：指标框架“{example.framework.name}”适用于 {example.framework.years_text()}，不含 2031 年，请核对"
    )


def test_cli_new_from_last_year_into_a_named_framework(tmp_path):
    r = run("new", "--from", EXAMPLE, "--year", "2021", "--framework", "futian", tmp_path / "c.json")
    assert r.returncode == 0, r.stderr
    doc = load(tmp_path / "c.json")
    assert doc.framework.id == "futian" and doc.last_year["total"] == "92.96"
    r = run("new", "--from", EXAMPLE, "--year", "2020", tmp_path / "d.json")
    assert r.returncode == 2 and "应晚于它" in r.stderr
