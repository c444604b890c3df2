"""审核: every check on the seed and on edited copies, with the exact messages and field paths a user sees."""

from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from core.checks import ERROR, HINT, WARNING, Finding, check, counts_text, has_errors, parse_date
from core.cli import run
from core.document import Evaluation
from core.drafts import load, save
from core.scoring import score
from tests.conftest import EXAMPLE


def by_path(findings, path):
    return [f for f in findings if f.path == path]


def one(findings, path, severity=None):
    found = by_path(findings, path)
    assert len(found) == 1, found
    if severity:
        assert found[0].severity == severity, found[0]
    return found[0].message


@pytest.fixture
def fixed(example):
    """The seed with everything a reviewer would flag put right."""
    doc = example
    doc.facts["evaluation_date"] = "2021-04"
    doc.facts["leader"] = "张三"
    doc.figures["q3_rate"] = doc.figures["q4_rate"] = ""
    doc.figures["carryover_end"] = "116.04"
    doc.narrative["opening"] = doc.narrative["opening"].replace("2020年4月", "2021年4月")
    doc.narrative["basic_execution"] = doc.narrative["basic_execution"].replace("370.71 元", "370.71 万元")
    for row in doc.targets:
        row["actual"] = "已完成"
    return doc


def test_seed_findings(example):
    findings = check(example)
    assert counts_text(findings) == "错误 1 项，警告 18 项，提示 1 项"
    assert has_errors(findings)
    assert [f.severity for f in findings] == [ERROR] + [WARNING] * 18 + [HINT]
    assert findings[0] == Finding(
        ERROR,
        "评价日期“2020-04”早于评价年度 2020 年结束：2020 年度的自评应在年度结束后"
        "（2021 年或以后）进行，请核对（可能应为“2021-04”）",
        ("facts", "evaluation_date"),
    )
    assert one(findings, ("facts", "leader"), WARNING) == "基本信息“单位负责人”尚未填写"
    assert one(findings, ("figures", "q3_rate"), WARNING) == (
        "“预算执行率”：三季度预算执行率填报 98.67% 与按支出计算的 90.92%（868.3 ÷ (1,273.37 × 75%)）不一致；"
        "若填报值取自财政系统，请在扣分理由中注明来源"
    )
    assert by_path(findings, ("figures", "q4_rate"))[0].message.startswith(
        "“预算执行率”：四季度预算执行率填报 97.21% 与按支出计算的 91.79%"
    )
    actual = [f for f in findings if f.path[:1] == ("targets",)]
    assert [f.path for f in actual] == [("targets", i, "actual") for i in range(13)]
    assert actual[0].message == "表1 第 1 行“优化智慧城管系统”尚未填写实际完成值（正式导出时必填）"
    assert one(findings, ("narrative", "opening"), WARNING) == (
        "报告正文“开篇”写到“2020年4月”开展 2020 年度自评：自评应在该年度结束之后，请核对年份"
    )
    assert one(findings, ("narrative", "basic_execution"), WARNING) == (
        "报告正文“（四）2020年部门预算执行情况”写作“370.71 元”，而基本支出为 370.71 万元，请核对单位"
    )
    assert one(findings, ("figures", "carryover_end"), HINT) == (
        "年初结余结转 11.47 + 本年收入合计 1,273.37 − 本年支出合计 1,168.8 = 116.04 万元，与年末结余结转 11.54 万元"
        "相差 104.5 万元。结余结转通常只计财政拨款结转，年度未用完的预算也可能已被收回，差额有合理原因时可忽略，否则请核对各项数据"
    )


def test_fixed_seed_is_clean(fixed):
    assert check(fixed) == []
    assert check(fixed, score(fixed)) == []


def test_every_path_is_a_field_of_the_document(example):
    blank = Evaluation.new(example.framework)
    blank.targets = [dict(r, actual="") for r in example.targets]
    for doc in (example, blank):
        for f in check(doc):
            assert f.path == () or isinstance(doc.get(f.path), str), f


def test_sums_that_do_not_add_up(fixed):
    fixed.figures["spending_basic"] = "370"
    findings = check(fixed)
    assert one(findings, ("figures", "spending_basic"), ERROR) == (
        "基本支出 370 万元 ≠ 人员经费 355.05 + 日常公用经费 15.66 = 370.71 万元（相差 -0.71），请核对"
    )
    assert one(findings, ("figures", "spending_total"), ERROR) == (
        "本年支出合计 1,168.8 万元 ≠ 基本支出 370 + 项目支出 798.09 = 1,168.09 万元（相差 0.71），请核对"
    )
    fixed.figures["spending_basic"] = "370.710"  # the same amount, typed differently
    assert check(fixed) == []


def test_part_larger_than_its_whole(fixed):
    fixed.figures["income_fiscal"] = "1,300"
    assert one(check(fixed), ("figures", "income_fiscal"), ERROR) == (
        "其中：财政拨款收入 1,300 万元 超过本年收入合计 1,273.37 万元，部分不能大于合计"
    )


def test_carryover_that_adds_up_gives_no_hint(fixed):
    assert by_path(check(fixed), ("figures", "carryover_end")) == []
    fixed.figures["carryover_begin"] = ""  # incomplete: nothing to compare
    fixed.figures["carryover_end"] = "11.54"
    assert by_path(check(fixed), ("figures", "carryover_end")) == []


@pytest.mark.parametrize(
    "text",
    [
        "2021-04",
        "2021-04-15",
        "2021年4月",
        "2021年4月15日",
        "２０２１年４月",
        "2021/4/15",
        " 2021 年 4 月 15 日 ",
    ],
)
def test_dates_after_the_year_pass(fixed, text):
    fixed.facts["evaluation_date"] = text
    assert check(fixed) == []


def test_date_checks(fixed):
    path = ("facts", "evaluation_date")
    fixed.facts["evaluation_date"] = "2020年12月31日"
    assert one(check(fixed), path, ERROR) == (
        "评价日期“2020年12月31日”早于评价年度 2020 年结束：2020 年度的自评应在"
        "年度结束后（2021 年或以后）进行，请核对（可能应为“2021年12月31日”）"
    )
    fixed.facts["evaluation_date"] = "明年四月"
    assert (
        one(check(fixed), path, WARNING)
        == "评价日期“明年四月”无法识别，请写成 2021-04、2021-04-15 或 2021年4月15日"
    )
    fixed.facts["evaluation_date"] = "2021-13"
    assert one(check(fixed), path, WARNING).startswith("评价日期“2021-13”无法识别")
    fixed.facts["evaluation_date"] = "2025-04"
    assert one(check(fixed), path, HINT) == "评价日期“2025-04”距评价年度 2020 年已较远，请核对年份"
    fixed.facts["evaluation_date"] = ""
    assert one(check(fixed), path, WARNING) == "基本信息“评价日期”尚未填写"
    fixed.facts["year"] = "2021"  # the evaluated year comes from the facts
    fixed.facts["evaluation_date"] = "2021-04"
    findings = check(fixed)
    assert one(findings, path, ERROR).startswith("评价日期“2021-04”早于评价年度 2021 年结束")
    assert by_path(findings, ("facts", "year")) == []  # Futian's framework applies to 2020–2026
    fixed.facts["year"], fixed.facts["evaluation_date"] = "2027", "2028-04"
    assert check(fixed) == [
        Finding(
            HINT,
            "评价年度 2027 不在指标框架的适用年度（2020—2026 年）内，请确认所用框架适用于该年度",
            ("facts", "year"),
        )
    ]


@pytest.mark.parametrize(
    ("typed", "likely"),
    [("二〇二〇年", "（可能应为“2020”）"), ("去年", ""), ("20200", ""), ("0202", ""), ("2020-2021", "")],
)
def test_a_year_that_is_not_a_four_digit_year_is_an_error_at_its_field(fixed, typed, likely):
    """“二〇二〇年” in 评价年度 was a mere 警告 and silently switched off the 评价日期 check (“2020-04” passed)."""
    fixed.facts["year"] = typed
    fixed.facts["evaluation_date"] = "2020-04"
    year = fixed.framework.default_year()
    findings = check(fixed)
    assert one(findings, ("facts", "year"), ERROR) == (
        f"评价年度应为四位年份，如 {year}（现为“{typed}”{likely}）；年份无法识别时，评价日期也无法核对"
    )
    assert year == min(date.today().year - 1, 2026)  # last calendar year, within Futian's 2020–2026
    assert fixed.facts["year"] == typed  # kept as typed
    assert has_errors(findings)
    fixed.facts["year"] = " ２０２０ 年度 "  # full-width digits and 年度 are read
    assert one(check(fixed), ("facts", "evaluation_date"), ERROR).startswith(
        "评价日期“2020-04”早于评价年度 2020"
    )


def test_parse_date():
    assert parse_date("2021年4月") == (2021, 4, None)
    assert parse_date("2021.04.15") == (2021, 4, 15)
    assert parse_date("2021-4-32") is None
    assert parse_date("四月") is None


def test_new_document_lists_every_open_leaf(example):
    doc = Evaluation.new(example.framework)
    findings = check(doc)
    leaves = [f for f in findings if f.message.startswith("“")]
    assert len(leaves) == 21 and all(f.severity == WARNING for f in leaves)
    assert (
        one(findings, ("indicators", "budget_rationality", "inputs", "deduction"))
        == "“预算编制合理性”尚未填写：扣分"
    )
    assert (
        one(findings, ("figures", "procurement_actual"))
        == "“政府采购执行情况”尚未填写：实际政府采购金额、政府采购预算数"
    )
    assert one(findings, ("figures", "satisfaction")) == "“公众或服务对象满意度”尚未填写：满意度"
    assert one(findings, ("figures", "q1_rate")).startswith(
        "“预算执行率”尚未填写：一季度预算执行率（或一季度累计支出"
    )
    for key in ("department", "leader", "preparer", "phone", "evaluation_date"):
        assert by_path(findings, ("facts", key))
    narrative = [f.path for f in findings if f.path[:1] == ("narrative",)]
    # headings with sub-chapters and the generated 评分情况 need no text of their own
    assert narrative == [
        ("narrative", k)
        for k in (
            "opening",
            "basic_functions",
            "basic_work",
            "basic_budget",
            "basic_execution",
            "performance_goals",
            "performance_work",
            "performance_results",
            "overall_experience",
            "overall_problems",
            "overall_plans",
        )
    ]
    assert not has_errors(findings)


def test_open_leaf_points_at_its_first_empty_figure(fixed):
    fixed.figures["procurement_planned"] = ""
    assert one(check(fixed), ("figures", "procurement_planned"), WARNING) == (
        "“政府采购执行情况”尚未填写：政府采购预算数"
    )


def test_unreadable_numbers(fixed):
    fixed.figures["satisfaction"] = "九十三"
    findings = check(fixed)
    assert one(findings, ("figures", "satisfaction"), ERROR) == (
        "数据“公众或服务对象满意度”：“九十三”不是数字，请只填写数字，例如 1273.37 或 93.8%"
    )
    fixed.figures["satisfaction"] = "93.8"
    fixed.set(("indicators", "effects", "inputs", "deduction"), "2分")
    assert one(check(fixed), ("indicators", "effects", "inputs", "deduction"), ERROR) == (
        "“社会效益、经济效益、生态效益及可持续影响等”：扣分：“2分”不是数字，请只填写数字，例如 1273.37 或 93.8%"
    )


def test_out_of_range_input_points_at_it(fixed):
    fixed.set(("indicators", "effects", "inputs", "deduction"), "25")
    assert one(check(fixed), ("indicators", "effects", "inputs", "deduction"), ERROR) == (
        "“社会效益、经济效益、生态效益及可持续影响等”：扣分不能超过 20 分，现为 25 分"
    )
    fixed.set(("indicators", "effects", "inputs", "deduction"), "2")
    fixed.figures["daily_public_budget"] = "0"
    assert one(check(fixed), ("figures", "daily_public_budget"), ERROR) == (
        "“公用经费控制率”：日常公用经费调整预算数为 0，无法计算公用经费控制率"
    )


def test_points_off_without_reason(fixed):
    fixed.set(("indicators", "target_clarity", "reason"), " ")
    findings = check(fixed)
    assert findings == [
        Finding(
            ERROR,
            "“绩效指标明确性”扣 1 分（得 6 分，满分 7 分），须填写扣分理由",
            ("indicators", "target_clarity", "reason"),
        )
    ]


def test_override_without_reason(fixed):
    fixed.set(("indicators", "project_timeliness", "override"), "5")
    findings = check(fixed)
    assert findings == [
        Finding(
            ERROR,
            "“项目完成及时性”手工调整为 5 分（计算得分 4.5），须写明调整理由",
            ("indicators", "project_timeliness", "override_reason"),
        )
    ]
    fixed.set(("indicators", "project_timeliness", "override_reason"), "经财政局复核")
    assert check(fixed) == []
    fixed.set(("indicators", "project_timeliness", "override"), "7")
    assert one(check(fixed), ("indicators", "project_timeliness", "override"), ERROR) == (
        "“项目完成及时性”：手工调整得分应在 0 到 6 分之间，现为 7"
    )


def test_rates_that_cannot_exceed_100(fixed):
    fixed.figures["satisfaction"] = "103"
    assert one(check(fixed), ("figures", "satisfaction"), ERROR) == (
        "数据“公众或服务对象满意度”不能超过 100%，现为 103%"
    )
    fixed.figures["satisfaction"] = "93.8"
    fixed.figures["fixed_assets_in_use"] = "400"
    assert one(check(fixed), ("figures", "fixed_assets_in_use"), ERROR) == (
        "“固定资产利用率”：在用固定资产总额 400 万元 大于 固定资产总额 381.81 万元，固定资产利用率 104.76%，"
        "固定资产利用率不可能超过 100%，请核对"
    )
    fixed.figures["fixed_assets_in_use"] = "381.81"
    fixed.figures["petitions_received"], fixed.figures["petitions_handled"] = "3", "5"
    assert one(check(fixed), ("figures", "petitions_handled"), ERROR).startswith(
        "“群众信访办理情况”：按时办结信访件数 5 件 大于 收到群众信访件数 3 件，信访办结率 166.67%，信访办结率不可能超过 100%"
    )


def test_completion_over_100_is_a_warning(fixed):
    fixed.figures["projects_completed"] = "9"
    fixed.set(("indicators", "project_timeliness", "reason"), "")
    assert one(check(fixed), ("figures", "projects_completed"), WARNING) == (
        "“项目完成及时性”：按期完成项目数 9 个 大于 计划实施项目数 8 个，项目完成率 112.5%，超过 100%（计分时按 100% 计），请核对"
    )


def test_control_rate_over_100_is_left_to_its_rule(fixed):
    fixed.figures["spending_daily_public"] = fixed.figures["spending_personnel"] = "30"  # 控制率 124.22%
    fixed.figures["spending_basic"] = "60"
    fixed.figures["spending_project"] = "1,108.8"
    findings = check(fixed)
    assert findings == [
        Finding(
            ERROR,
            "“公用经费控制率”扣 6 分（得 0 分，满分 6 分），须填写扣分理由",
            ("indicators", "public_expense_control", "reason"),
        )
    ]


def test_counts_are_whole_numbers(fixed):
    fixed.figures["projects_planned"] = "8.5"
    assert one(check(fixed), ("figures", "projects_planned"), ERROR) == (
        "数据“计划实施项目数”应为整数，现为 8.5 个"
    )


def test_typed_rate_disagreeing_with_computed(fixed):
    fixed.figures["q1_rate"] = "83"
    assert one(check(fixed), ("figures", "q1_rate"), WARNING) == (
        "“预算执行率”：一季度预算执行率填报 83% 与按支出计算的 83.58%（266.07 ÷ (1,273.37 × 25%)）不一致；"
        "若填报值取自财政系统，请在扣分理由中注明来源"
    )
    for agreeing in ("83.58", "83.6", "84", "83.58%"):  # agrees at the precision typed
        fixed.figures["q1_rate"] = agreeing
        assert by_path(check(fixed), ("figures", "q1_rate")) == [], agreeing
    fixed.figures["q1_rate"] = ""
    fixed.set(("indicators", "procurement", "inputs", "rate"), "90")
    fixed.set(("indicators", "procurement", "reason"), "部分采购延期")
    assert one(check(fixed), ("indicators", "procurement", "inputs", "rate"), WARNING) == (
        "“政府采购执行情况”：政府采购执行率填报 90% 与按 513.28 ÷ 513.28 计算的 100% 不一致，请核对或写明依据"
    )


def test_edited_framework_weights(fixed):
    before = score(fixed).by_id["effects"]
    assert check(fixed) == [] and score(fixed).by_id["effects"] is before  # unchanged: the cached result
    fixed.framework.by_id["effects"].weight = Decimal(19)
    try:
        # the score cache is keyed on the weight too: the 20-point leaf's result is not reused
        findings = check(fixed)
        assert Finding(ERROR, "指标框架：“效果性”下级指标的分值合计 19 分，应等于 20 分") in findings
        assert score(fixed).by_id["effects"] is not before
    finally:
        fixed.framework.by_id["effects"].weight = Decimal(20)
    assert check(fixed) == []


def test_empty_target_rows_are_ignored_and_incomplete_rows_named(fixed):
    fixed.targets.append({k: "" for k in fixed.targets[0]})
    fixed.targets.append(
        {"level1": "产出指标", "level2": "", "level3": "", "value": "", "actual": "", "deviation": ""}
    )
    findings = check(fixed)
    assert [f.path for f in findings] == [
        ("targets", 14, "level3"),
        ("targets", 14, "value"),
        ("targets", 14, "actual"),
    ]
    assert findings[0].message == "表1 第 15 行缺少三级指标名称"


def test_cli_check(capsys, tmp_path, fixed):
    assert run(["check", str(EXAMPLE)]) == 1
    out = capsys.readouterr().out
    assert "错误 1 项（正式导出前必须改正）：\n  1. 评价日期“2020-04”早于评价年度 2020 年结束" in out
    assert out.rstrip().endswith("错误 1 项，警告 18 项，提示 1 项")
    path = tmp_path / "好的 草稿.json"
    save(fixed, path)
    assert run(["check", str(path)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("未发现问题。\n\n错误 0 项，警告 0 项，提示 0 项")
    fixed.figures["q1_rate"] = "83"
    save(fixed, path)
    assert run(["check", str(path)]) == 0  # warnings only
    bad = tmp_path / "坏.json"
    bad.write_text("{", encoding="utf-8")
    assert run(["check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：无法打开 坏.json：草稿文件已损坏") and err.count("\n") == 1
    assert run(["check"]) == 2
    assert capsys.readouterr().err == "错误：用法：main.py check 文件\n"


@pytest.mark.parametrize("with_errors", [True, False])
def test_export_marks_drafts_with_errors(capsys, tmp_path, fixed, with_errors):
    """The real export: the workbook carries the 草稿 note exactly when 审核 finds errors."""
    if with_errors:
        fixed.facts["evaluation_date"] = "2020-04"
    path = tmp_path / "d.json"
    save(fixed, path)
    assert run(["export", str(path), "--xlsx", str(tmp_path / "o.xlsx")]) == 0
    out = capsys.readouterr().out
    note = openpyxl.load_workbook(tmp_path / "o.xlsx")["表2 评分表"]["A3"].value  # the real file's 草稿 row
    assert (note or "").startswith("草稿：审核发现 1 项错误") == with_errors
    assert ("导出的文件标为“草稿”" in out) == with_errors
    assert out.endswith(f"已导出 Excel：{tmp_path / 'o.xlsx'}\n")
    if with_errors:
        assert out.startswith(
            "注意：审核发现 1 项错误，导出的文件标为“草稿”；改正后重新导出即为正式版本：\n"
            "  评价日期“2020-04”早于评价年度 2020 年结束"
        )


def test_check_is_pure(example):
    before = (dict(example.facts), dict(example.figures), [dict(r) for r in example.targets])
    check(example)
    assert before == (dict(example.facts), dict(example.figures), [dict(r) for r in example.targets])
    assert load(EXAMPLE).facts == example.facts


def test_export_is_draft_while_errors_remain_or_an_indicator_is_unscored(example):
    from core.checks import export_is_draft

    assert export_is_draft(score(example), check(example))  # the seed's 评价日期 2020-04
    example.facts["evaluation_date"] = "2021-04"
    assert not export_is_draft(score(example), check(example))
    example.set(("indicators", "effects", "inputs", "deduction"), "")  # unscored: a warning, still a draft
    sheet = score(example)
    assert not has_errors(check(example, sheet)) and export_is_draft(sheet, check(example, sheet))


@pytest.mark.parametrize(
    "key,text,message",
    [
        ("satisfaction", "150", "数据“公众或服务对象满意度”不能超过 100%，现为 150%"),
        ("satisfaction", "-5", "数据“公众或服务对象满意度”不能为负数，现为 -5%"),
        ("procurement_actual", "-513.28", "数据“实际政府采购金额”不能为负数，现为 -513.28 万元"),
    ],
)
def test_impossible_figure_is_an_error_at_it_and_never_scored(fixed, key, text, message):
    fixed.figures[key] = text
    sheet = score(fixed)
    findings = check(fixed, sheet)
    assert one(findings, ("figures", key), ERROR) == message
    assert [f for f in findings if f.path != ("figures", key)] == []  # once, at the figure
    leaf = next(leaf for leaf in fixed.framework.leaves if key in leaf.figure_keys)
    node = sheet.by_id[leaf.id]
    assert node.score is None and node.status == "problem" and node.problems == [message]


def test_figure_declared_signed_may_be_negative(fixed):
    fixed.figures["income_budget_increase"] = "-12.5"  # 比上年增加: a decrease is a negative increase
    assert check(fixed) == []
