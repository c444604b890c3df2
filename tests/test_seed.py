"""The acceptance case: the 2020 Futian report, scored from its own figures (domain.md, "Expected result")."""

import json
import subprocess
import sys
from decimal import Decimal

from core.numbers import fmt, fmt_pct
from core.scoring import score
from tests.conftest import EXAMPLE, ROOT

LEAVES = {
    "预算编制合理性": "5",
    "预算编制规范性": "5",
    "绩效目标完整性": "8",
    "绩效指标明确性": "6",
    "政府采购执行情况": "2",
    "财务合规性": "3",
    "预决算信息公开": "3",
    "项目实施程序": "2",
    "项目监管": "2",
    "资产管理安全性": "2",
    "固定资产利用率": "1",
    "财政供养人员控制率": "1",
    "编外人员控制率": "1",
    "管理制度健全性": "3",
    "公用经费控制率": "6",
    "预算执行率": "5.46",
    "重点工作完成情况": "8",
    "项目完成及时性": "4.5",
    "社会效益、经济效益、生态效益及可持续影响等": "18",
    "群众信访办理情况": "3",
    "公众或服务对象满意度": "4",
}
LEVEL2 = {
    "预算编制": "10",
    "目标设置": "14",
    "资金管理": "8",
    "项目管理": "4",
    "资产管理": "3",
    "人员管理": "2",
    "制度管理": "3",
    "经济性": "6",
    "效率性": "17.96",
    "效果性": "18",
    "公平性": "7",
}
LEVEL1 = {"部门决策": ("24", "96%"), "部门管理": ("20", "100%"), "部门绩效": ("48.96", "89.02%")}


def test_every_score_of_the_seed(example):
    sheet = score(example)
    by_name = {n.name: n for n in sheet.all_nodes()}
    assert {n.name: fmt(n.score) for n in sheet.leaves()} == LEAVES
    assert {k: fmt(by_name[k].score) for k in LEVEL2} == LEVEL2
    assert {k: (fmt(by_name[k].score), fmt_pct(by_name[k].score_rate)) for k in LEVEL1} == LEVEL1
    assert sheet.total == Decimal("92.96")
    assert sheet.grade == "优"
    assert sheet.complete and sheet.open_count == 0 and sheet.problem_count == 0


def test_budget_execution_deductions_as_the_report_gives_them(example):
    node = score(example).by_id["budget_execution"]
    assert [(label, fmt(points)) for label, points in node.deductions] == [
        ("一季度预算执行率 83.58%", "0.16"),
        ("二季度预算执行率 84.23%", "0.16"),
        ("三季度预算执行率 98.67%", "0.01"),
        ("四季度预算执行率 97.21%", "0.03"),
        ("全年平均预算执行率 90.92%", "0.18"),
    ]
    assert (
        node.formula[0]
        == "一季度预算执行率 266.07 ÷ (1,273.37 × 25%) = 83.58%，扣 1 × (1 − 83.58%) = 0.16 分"
    )
    assert node.formula[-1] == "得分 = 6 − 0.54 = 5.46 分"


def test_formulas_of_the_computed_rates(example):
    sheet = score(example)
    assert sheet.by_id["public_expense_control"].formula[0] == "公用经费控制率 = 15.66 ÷ 24.15 = 64.84%"
    assert sheet.by_id["project_timeliness"].formula == [
        "项目完成率 = 6 ÷ 8 = 75%",
        "得分 = 6 × 75% = 4.5 分",
    ]
    assert sheet.by_id["satisfaction"].formula == ["满意度按填报值 93.8%", "93.8% ≥ 90%，得 4 分"]


def test_satisfaction_96_gives_94_96(example):
    example.figures["satisfaction"] = "96%"
    sheet = score(example)
    assert fmt(sheet.total) == "94.96" and sheet.grade == "优"


def run_cli(*args):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, cwd=ROOT, timeout=60
    )


def test_cli_score_prints_the_table():
    r = run_cli("score", str(EXAMPLE))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "深圳市福田区数字化城管技术服务中心 2020 年度部门整体绩效自评报告"
    assert any(line.split()[:5] == ["一级", "部门绩效", "55", "48.96", "89.02%"] for line in lines)
    assert any(line.split()[:5] == ["三级", "预算执行率", "6", "5.46", "91%"] for line in lines)
    assert "总分 92.96，等级 优（已全部填写）" in lines


def test_cli_score_json():
    r = run_cli("score", str(EXAMPLE), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["total"] == 92.96 and data["grade"] == "优"
    assert len(data["indicators"]) == 3 + 11 + 21
    first = data["indicators"][0]
    assert (first["name"], first["level"], first["weight"], first["score"]) == ("部门决策", 1, 25, 24)
    leaves = {i["name"]: i["score"] for i in data["indicators"] if i["level"] == 3}
    assert leaves == {k: float(v) if "." in v else int(v) for k, v in LEAVES.items()}


def test_cli_bad_input_exits_2_with_one_chinese_line(tmp_path):
    bad = tmp_path / "坏文件.json"
    bad.write_text('{"format": "jixiao-draft", "version": 1, "framework": ', encoding="utf-8")
    for args in (["score", str(bad)], ["score"], ["frobnicate"], ["score", str(tmp_path / "无.json")]):
        r = run_cli(*args)
        assert r.returncode == 2
        assert r.stdout == ""
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
        assert r.stderr.startswith("错误：")
    assert "已损坏" in run_cli("score", str(bad)).stderr


def test_cli_version():
    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("绩效自评助手 ")


def test_rescoring_after_edits_follows_every_change(example):
    assert fmt(score(example).total) == "92.96"
    example.figures["satisfaction"] = "96%"
    assert fmt(score(example).total) == "94.96"
    example.set(("indicators", "effects", "inputs", "deduction"), "")
    sheet = score(example)
    assert fmt(sheet.total) == "76.96" and sheet.open_count == 1 and not sheet.complete
    assert sheet.by_id["effects"].missing == ["扣分"]
    example.figures["satisfaction"] = "93.8"
    example.set(("indicators", "effects", "inputs", "deduction"), "2")
    assert fmt(score(example).total) == "92.96"
