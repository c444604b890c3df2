"""The rule library beyond the seed's rules: the national 自评表 row (定量 / 定性), 得分系数 × 权重, per-N-points
steps with a partial-step policy, tiers in both directions, counts and checklists, rates from sums and
differences of figures, reasons a rule asks for, caps on the total. Each with its 评分标准 made from its
parameters, and load errors naming the indicator."""

import copy

import pytest

from core.document import Evaluation
from core.framework import Framework
from core.numbers import fmt
from core.rules import FrameworkError
from core.scoring import OPEN, PROBLEM, score
from tests.helpers import leaf_score

TARGET = {"type": "target"}


def quant(target, actual, direction="≥", weight=10, rule=TARGET, reason="", **more):
    inputs = {"nature": "定量", "direction": direction, "target": target, "actual": actual, **more}
    n = leaf_score(rule, weight=weight, **inputs)
    return n


@pytest.mark.parametrize(
    "direction,target,actual,score,met",
    [
        ("≥", "2200", "2859", "10", True),  # 播发稿件数量 2200 篇 → 2859 篇
        ("≥", "100", "72.74", "7.27", False),  # 72.74 ÷ 100 × 10
        ("≥", "95%", "95%", "10", True),
        ("≤", "3", "0", "10", True),  # 预算调整率 3% → 0
        ("≤", "100", "125", "8", False),  # 100 ÷ 125 × 10
        ("≤", "0", "5", "0", False),
        ("=", "12", "10", "8.33", False),  # the smaller over the larger
        ("=", "12", "12", "10", True),
    ],
)
def test_quantitative_rows(direction, target, actual, score, met):
    n = quant(target, actual, direction)
    assert (fmt(n.score), n.met) == (score, met)


def test_a_row_not_met_needs_a_deviation_reason_and_says_why():
    n = leaf_score(TARGET, nature="定量", direction="≥", target="100", actual="72.74")  # with a reason typed
    assert n.status != PROBLEM and n.formula == [
        "未达成（应不低于年度指标值 100）：得分 = 10 × 72.74%（实际完成值 ÷ 年度指标值）= 7.27 分"
    ]
    from core.scoring import score as score_doc
    from tests.helpers import one_leaf_framework

    doc = Evaluation.new(one_leaf_framework(TARGET, 10), 2020)
    for k, v in {"nature": "定量", "direction": "≥", "target": "100", "actual": "72.74"}.items():
        doc.set(("indicators", "x", "inputs", k), v)
    node = score_doc(doc).by_id["x"]
    assert node.problems == ["实际完成值 72.74 未达到年度指标值 100（应不低于指标值），须说明偏差原因"]
    assert node.issues[0].key == "reason" and node.indicator.rule.reason_label == "偏差原因分析及改进措施"


def test_deviation_penalty_and_its_reason():
    rule = {"type": "target", "nature": "定量", "deviation": {"over": 30, "points": 2}}
    n = leaf_score(rule, direction="≥", target="10", actual="13")  # 30% above: deviating, −2
    assert (fmt(n.score), n.met, fmt(n.rates["deviation"])) == ("8", True, "30")
    assert n.formula[-1] == "完成值偏离指标值 30%（30% 及以上为偏离），扣 2 分，得 8 分"
    n = leaf_score(rule, direction="≥", target="10", actual="12.9")
    assert fmt(n.score) == "10"
    n = leaf_score(rule, direction="≤", target="10", actual="7")  # 30% below for a ≤ row
    assert fmt(n.score) == "8"


def test_qualitative_rows_pick_a_band_and_a_score_inside_it():
    rule = {"type": "target", "nature": "定性"}
    assert fmt(leaf_score(rule, band="达成年度指标", score="9").score) == "9"
    assert fmt(leaf_score(rule, band="达成年度指标", score="8").score) == "8"  # 80% included
    n = leaf_score(rule, band="达成年度指标", score="7.5")
    assert n.status == PROBLEM and n.problems == ["选择“达成年度指标”时得分应在 8 到 10 分之间，现为 7.5 分"]
    n = leaf_score(rule, band="部分达成年度指标并具有一定效果", score="8")
    assert n.problems == [
        "选择“部分达成年度指标并具有一定效果”时得分应在 6 到 8 分之间（不含上限），现为 8 分"
    ]
    assert fmt(leaf_score(rule, band="未达成年度指标且效果较差", score="3").score) == "3"
    n = leaf_score(rule, band="完成了")
    assert n.problems[0].startswith("完成档次“完成了”不是可选的值（达成年度指标、")
    assert leaf_score(rule).status == OPEN and leaf_score(rule).missing == ["完成档次"]
    older = {"type": "target", "nature": "定性", "bands": [80, 50]}  # older rules: 100–80 / 80–50 / 50–0
    assert fmt(leaf_score(older, band="部分达成年度指标并具有一定效果", score="5").score) == "5"


def test_the_clerk_chooses_nature_and_direction_when_the_framework_does_not():
    n = leaf_score(TARGET, target="100", actual="90")
    assert n.status == OPEN and n.missing == ["指标性质"]
    n = leaf_score(TARGET, nature="定量", target="100", actual="90")  # direction left empty: ≥
    assert fmt(n.score) == "9"
    n = leaf_score(TARGET, nature="定量", target="≥95%", actual="96")
    assert n.problems == ["年度指标值：“≥95%”不是数字，请只填写数字，例如 1273.37 或 93.8%"]


def test_coefficient_times_weight_and_the_score_that_contradicts_its_figures():
    rule = {"type": "coefficient"}
    n = leaf_score(rule, weight=10, coefficient="76")
    assert (fmt(n.score), n.formula) == ("7.6", ["得分 = 10 × 76% = 7.6 分"])
    n = leaf_score(rule, weight=2, coefficient="100", target="100%", actual="72.74%", direction="≥")
    assert fmt(n.score) == "2" and n.met is False
    assert [(p.severity, p.key, p.text) for p in n.notes] == [
        (
            "警告",
            "coefficient",
            "得分系数 100%，而全年完成值 72.74% 未达到年初指标值 100%（应不低于），请核对",
        )
    ]
    n = leaf_score(rule, weight=2, coefficient="90", target="90%", actual="100%", direction="≥")
    assert [p.text for p in n.notes] == ["全年完成值 100% 已达到年初指标值 90%，得分系数却为 90%，请核对"]
    assert (
        leaf_score(rule, weight=2, coefficient="100", target="100%", actual="92%", direction="≤").notes == []
    )
    assert leaf_score(rule, weight=2, coefficient="120").problems == ["得分系数不能超过 100%，现为 120%"]


@pytest.mark.parametrize(
    "partial,rate,score",
    [
        ("ignore", "93", "8"),  # 7 points below 100: one whole step of 5 → −2, the part ignored
        ("ignore", "89", "6"),  # 11 below: 2 whole steps → −4
        ("whole", "93", "6"),  # 7 below: 2 steps counting the part → −4
        ("pro_rata", "93", "7.2"),  # 7 / 5 × 2 = 2.8
        ("ignore", "100", "10"),
    ],
)
def test_per_n_points_steps_with_the_partial_step_policy(partial, rate, score):
    rule = {
        "type": "limit",
        "rate_label": "预算完成率",
        "direction": "under",
        "limit": 100,
        "step": 5,
        "per_point": 2,
        "partial": partial,
    }
    assert fmt(leaf_score(rule, rate=rate).score) == score


def test_tiers_lower_is_better_with_inclusive_upper_edges():
    rule = {
        "type": "tiers",
        "rate_label": "预算控制率",
        "tiers": [
            {"max": 0, "score": 5},
            {"max": 10, "score": 4},
            {"max": 20, "score": 3},
            {"max": 30, "score": 2},
        ],
    }
    got = [fmt(leaf_score(rule, weight=5, rate=r).score) for r in ("0", "0.01", "10", "10.01", "30", "30.01")]
    assert got == ["5", "4", "4", "3", "2", "0"]
    n = leaf_score(rule, weight=5, rate="10")
    assert n.indicator.standard == (
        "按预算控制率分档（含上限）：≤ 0% 得 5 分；≤ 10% 得 4 分；≤ 20% 得 3 分；≤ 30% 得 2 分；高于 30% 得 0 分"
    )
    ab = {"type": "tiers", "rate_label": "成本控制率", "abs": True, "min_rate": None,
          "tiers": [{"max": 10, "score": 5}, {"max": 15, "score": 3}, {"max": 20, "score": 1}]}  # fmt: skip
    assert [fmt(leaf_score(ab, weight=5, rate=r).score) for r in ("-9", "12", "-18", "-25")] == [
        "5",
        "3",
        "1",
        "0",
    ]


def test_per_count_and_checklist():
    rule = {"type": "per_count", "per": 1, "count_label": "不符合要求的情况"}
    assert [fmt(leaf_score(rule, weight=5, count=c).score) for c in ("0", "2", "9")] == ["5", "3", "0"]
    assert leaf_score(rule, weight=5, count="1.5").problems == ["不符合要求的情况应为整数，现为 1.5 例"]
    check = {
        "type": "checklist",
        "items": [
            {"label": "已制定或具有预算资金管理办法", "points": 1},
            {"label": "相关管理制度合法、合规、完整", "points": 1},
            {"label": "相关管理制度得到有效执行", "points": 1},
        ],
    }
    n = leaf_score(check, weight=3, item1="是", item2="是", item3="否")
    assert fmt(n.score) == "2" and n.deductions == [("未做到：相关管理制度得到有效执行", 1)]
    assert leaf_score(check, weight=3, item1="是").missing == [
        "相关管理制度合法、合规、完整",
        "相关管理制度得到有效执行",
    ]


def test_rates_from_sums_and_differences_of_figures_show_their_terms():
    data = {
        "format": "jixiao-framework",
        "format_version": 2,
        "id": "t",
        "name": "测试",
        "grades": [{"name": "优", "min": 90}, {"name": "差", "min": 0}],
        "figure_groups": [
            {
                "title": "预算",
                "figures": [
                    {"key": "carry", "label": "上年结转", "kind": "money"},
                    {"key": "initial", "label": "年初预算", "kind": "money"},
                    {"key": "added", "label": "本年追加预算", "kind": "money"},
                    {"key": "left", "label": "年末结余", "kind": "money"},
                ],
            }
        ],
        "indicators": [
            {
                "id": "done",
                "name": "预算完成率",
                "weight": 100,
                "rule": {
                    "type": "limit",
                    "rate_label": "预算完成率",
                    "numerator": "预算完成数",
                    "denominator": "预算数",
                    "direction": "under",
                    "limit": 100,
                    "step": 5,
                    "per_point": 2,
                    "partial": "ignore",
                },
                "bind": {"numerator": ["carry", "initial", "added", "-left"], "denominator": ["carry", "initial", "added"]},
            }
        ],
    }  # fmt: skip
    doc = Evaluation.new(Framework.from_dict(data), 2025)
    doc.figures = {"carry": "11.47", "initial": "1,273.37", "added": "0", "left": "116.04"}
    node = score(doc).by_id["done"]
    assert node.formula[0] == (
        "预算完成率 = (上年结转 11.47 + 年初预算 1,273.37 + 本年追加预算 0 − 年末结余 116.04) ÷ "
        "(上年结转 11.47 + 年初预算 1,273.37 + 本年追加预算 0) = 90.97%"
    )
    assert fmt(node.score) == "98"  # 9.03 points below 100: one whole step of 5 → −2


def test_execution_rate_below_90_needs_a_reason():
    rule = {"type": "proportional", "rate_label": "预算执行率", "numerator": "全年执行数", "denominator": "全年预算数",
            "reason_below": 90}  # fmt: skip
    from tests.helpers import one_leaf_framework

    doc = Evaluation.new(one_leaf_framework(rule), 2020)
    doc.set(("indicators", "x", "inputs", "rate"), "95")
    doc.set(("indicators", "x", "reason"), "")
    assert score(doc).by_id["x"].problems == ["扣 0.5 分，须填写扣分理由"]
    doc.set(("indicators", "x", "inputs", "rate"), "76")
    assert score(doc).by_id["x"].problems == ["预算执行率 76% 低于 90%，须说明原因"]
    assert one_leaf_framework(rule).leaves[0].standard.endswith("；预算执行率低于 90% 的，须说明原因")


CAPPED = {
    "format": "jixiao-framework",
    "format_version": 2,
    "id": "capped",
    "name": "执行率封顶",
    "grades": [{"name": "优", "min": 90}, {"name": "良", "min": 80}, {"name": "中", "min": 60}, {"name": "差", "min": 0}],
    "caps": {"indicator": "exec", "bands": [{"below": 80, "max": 89}, {"below": 70, "max": 79},
                                             {"below": 60, "max": 69}, {"below": 50, "max": 59}]},
    "indicators": [
        {"id": "exec", "name": "预算执行率", "weight": 10, "rule": {"type": "proportional", "rate_label": "预算执行率"}},
        {"id": "rest", "name": "其他", "weight": 90, "rule": {"type": "judged"}},
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    "rate,total,grade,line",
    [
        ("95", "99.5", "优", None),
        ("76", "89", "良", "预算执行率 76% 低于 80%，自评总分不超过 89 分：97.6 分按 89 分计"),
        ("65", "79", "中", "预算执行率 65% 低于 70%，自评总分不超过 79 分：96.5 分按 79 分计"),
        ("40", "59", "差", "预算执行率 40% 低于 50%，自评总分不超过 59 分：94 分按 59 分计"),
    ],
)
def test_caps_on_the_total_by_execution_rate(rate, total, grade, line):
    doc = Evaluation.new(Framework.from_dict(copy.deepcopy(CAPPED)), 2025)
    doc.set(("indicators", "exec", "inputs", "rate"), rate)
    doc.set(("indicators", "rest", "inputs", "deduction"), "0")
    doc.set(("indicators", "exec", "reason"), "执行偏慢")
    sheet = score(doc)
    assert (fmt(sheet.total), sheet.grade) == (total, grade)
    assert sheet.total_formula == ([line] if line else [])


@pytest.mark.parametrize(
    "change,message",
    [
        (lambda d: d["caps"].update(indicator="rest"), "“indicator”应为按比率计分的末级指标的 id"),
        (lambda d: d["caps"]["bands"].reverse(), "第 2 档：各档应按比率从高到低、上限从高到低排列"),
        (
            lambda d: d["indicators"][1].update(rule={"type": "target", "bands": [60, 80]}),
            "指标“其他”：参数“bands”应从高到低，且在 0 与 100 之间，例如 [80, 60]",
        ),
        (
            lambda d: d["indicators"][1].update(
                rule={"type": "checklist", "items": [{"label": "甲", "points": 1}]}
            ),
            "指标“其他”：各项分值合计 1，应等于指标分值 90",
        ),
        (
            lambda d: d["indicators"][1].update(
                rule={"type": "tiers", "tiers": [{"max": 10, "score": 5}, {"min": 5, "score": 1}]}
            ),
            "指标“其他”：第 2 档应写成",
        ),
        (
            lambda d: d["indicators"][1].update(
                rule={"type": "limit", "per_point": 1, "partial": "sometimes"}
            ),
            "指标“其他”：参数“partial”应为 pro_rata（按比例）、whole（按一档计）或 ignore（不计）",
        ),
    ],
)
def test_load_errors_name_the_indicator(change, message):
    data = copy.deepcopy(CAPPED)
    change(data)
    with pytest.raises(FrameworkError) as e:
        Framework.from_dict(data)
    assert message in str(e.value)


def test_every_rule_describes_itself_from_its_parameters():
    from core.rules import RULE_TYPES

    samples = {
        "judged": {},
        "proportional": {"rate_label": "执行率"},
        "count_ratio": {"numerator": "完成数", "denominator": "计划数"},
        "limit": {"per_point": 1},
        "tiers": {"tiers": [{"min": 90, "score": 5}]},
        "weighted_parts": {"parts": [{"key": "q", "label": "全年", "weight": 10, "target": 100}]},
        "target": {},
        "coefficient": {},
        "per_count": {"per": 1},
        "checklist": {"items": [{"label": "甲", "points": 10}]},
    }
    assert set(samples) == set(RULE_TYPES)
    for name, params in samples.items():
        rule = RULE_TYPES[name]({"type": name, **params}, __import__("decimal").Decimal(10), "指标“样例”")
        text = rule.describe()
        assert text and "{" not in text and "None" not in text, (name, text)
