"""Each rule type at its edges: 0%, 100%, over 100%, tier boundaries, rounding at .005."""

from decimal import Decimal

import pytest

from core.numbers import fmt
from core.scoring import OPEN, PROBLEM
from tests.helpers import leaf_score

PROP = {"type": "proportional", "rate_label": "执行率", "numerator": "实际", "denominator": "计划"}


@pytest.mark.parametrize(
    "num,den,score,rate",
    [
        ("0", "100", "0", "0"),
        ("100", "100", "10", "100"),
        ("150", "100", "10", "150"),
        ("75", "100", "7.5", "75"),
        ("1", "3", "3.33", "33.33"),
    ],
)
def test_proportional(num, den, score, rate):
    n = leaf_score(PROP, numerator=num, denominator=den)
    assert (fmt(n.score), fmt(n.rate)) == (score, rate)


def test_proportional_given_rate_wins_and_is_named_in_the_formula():
    n = leaf_score(PROP, numerator="1", denominator="2", rate="80%")
    assert fmt(n.score) == "8" and n.formula[0] == "执行率按填报值 80%"


def test_proportional_rounds_half_up_at_005():
    # the rate rounds first (12.345% -> 12.35%), then the score: 1 × 0.5% = 0.005 -> 0.01, 1 × 0.49% -> 0
    assert fmt(leaf_score(PROP, weight=1, rate="12.345").rate) == "12.35"
    # 0.005 -> 0.01 (half-up, not banker's)
    assert fmt(leaf_score(PROP, weight=1, rate="0.5").score) == "0.01"
    assert fmt(leaf_score(PROP, weight=1, rate="0.494").score) == "0"


def test_ratio_edge_cases():
    assert leaf_score(PROP, numerator="0", denominator="0").formula[0] == "实际、计划均为 0，视为达标"
    n = leaf_score(PROP, numerator="5", denominator="0")
    assert n.status == PROBLEM and n.problems == ["计划为 0，无法计算执行率"]
    n = leaf_score(PROP, numerator="5")
    assert n.status == OPEN and n.missing == ["计划"] and n.score is None


def test_count_ratio():
    rule = {"type": "count_ratio", "rate_label": "完成率", "numerator": "完成数", "denominator": "计划数"}
    assert fmt(leaf_score(rule, weight=6, numerator="6", denominator="8").score) == "4.5"
    assert fmt(leaf_score(rule, weight=6, numerator="9", denominator="8").score) == "6"
    assert fmt(leaf_score(rule, weight=6, numerator="0", denominator="8").score) == "0"
    assert [s.key for s in leaf_score(rule).indicator.rule.inputs()] == ["numerator", "denominator"]


LIMIT = {"type": "limit", "rate_label": "控制率", "numerator": "实际", "denominator": "预算", "per_point": 1}


@pytest.mark.parametrize(
    "rate,score",
    [
        ("0", "10"),
        ("100", "10"),
        ("100.5", "9.5"),
        ("103", "7"),
        ("109.99", "0.01"),
        ("110", "0"),
        ("250", "0"),
    ],
)
def test_limit_over(rate, score):
    assert fmt(leaf_score(LIMIT, rate=rate).score) == score


def test_limit_under_with_part_points_counting_whole():
    rule = {
        "type": "limit",
        "rate_label": "满意度",
        "direction": "under",
        "limit": 95,
        "per_point": 1,
        "partial": "whole",
    }
    assert fmt(leaf_score(rule, weight=6, rate="93.8").score) == "4"  # 1.2 points short -> 2 whole points
    assert fmt(leaf_score(rule, weight=6, rate="95").score) == "6"
    assert fmt(leaf_score(rule, weight=6, rate="80").score) == "0"


TIERS = {
    "type": "tiers",
    "rate_label": "满意度",
    "max_rate": 100,
    "tiers": [{"min": 95, "score": 6}, {"min": 90, "score": 4}, {"min": 85, "score": 2}],
}


@pytest.mark.parametrize(
    "rate,score",
    [
        ("100", "6"),
        ("95", "6"),
        ("94.99", "4"),
        ("90", "4"),
        ("89.995", "4"),
        ("89.994", "2"),
        ("85", "2"),
        ("84.99", "0"),
        ("0", "0"),
    ],
)
def test_tiers_boundaries(rate, score):
    # the rate is rounded to 0.01 first: 89.995% prints and scores as 90%
    assert fmt(leaf_score(TIERS, weight=6, rate=rate).score) == score


def test_impossible_rates_are_errors_on_their_field_not_scores():
    # a 满意度 (a share of a whole) above 100% or below 0 cannot be; it is not scored at all
    for rate, text in (("120", "满意度不能超过 100%，现为 120%"), ("-5", "满意度不能为负数，现为 -5%")):
        n = leaf_score(TIERS, weight=6, rate=rate)
        assert n.status == PROBLEM and n.score is None and n.problems == [text]
        assert [(p.code, p.key) for p in n.issues] == [("above" if rate == "120" else "negative", "rate")]
    # a rate declared as possibly negative (a 变动率) is scored
    rule = {**LIMIT, "rate_label": "变动率", "limit": 0, "per_point": 0.5, "min_rate": None}
    assert fmt(leaf_score(rule, weight=5, rate="-12").score) == "5"
    assert fmt(leaf_score(rule, weight=5, rate="3").score) == "3.5"


WEIGHTED = {
    "type": "weighted_parts",
    "rate_label": "执行率",
    "parts": [
        {"key": "h1", "label": "上半年", "weight": 1, "target": 50},
        {"key": "h2", "label": "全年", "weight": 1, "target": 100},
    ],
    "average": {"label": "平均", "weight": 2},
}


def test_weighted_parts_computed_and_given():
    n = leaf_score(WEIGHTED, weight=4, budget="1000", h1_spending="400", h2_rate="110")
    # h1: 400 / (1000 × 50%) = 80% -> -0.2; h2: 110% capped -> 0; average (80 + 110)/2 = 95% -> -0.1
    assert [fmt(p) for _, p in n.deductions] == ["0.2", "0.1"]
    assert fmt(n.score) == "3.7" and fmt(n.rate) == "95"


def test_weighted_parts_rounds_each_deduction():
    n = leaf_score(WEIGHTED, weight=4, h1_rate="99.5", h2_rate="99.49")  # 0.005 -> 0.01; 0.0051 -> 0.01
    assert [fmt(p) for _, p in n.deductions] == ["0.01", "0.01", "0.01"]  # average 99.495 -> 99.5% -> 0.01


def test_weighted_parts_missing_and_bad_budget():
    n = leaf_score(WEIGHTED, weight=4, h1_rate="90")
    assert n.status == OPEN and n.missing == ["全年执行率（或全年累计支出与调整预算数）"]
    n = leaf_score(WEIGHTED, weight=4, budget="0", h1_spending="1", h2_rate="90")
    assert n.problems == ["调整预算数应大于 0"]


def test_judged():
    rule = {"type": "judged"}
    assert fmt(leaf_score(rule, weight=7, deduction="0").score) == "7"
    assert fmt(leaf_score(rule, weight=7, deduction="1").score) == "6"
    assert fmt(leaf_score(rule, weight=7, deduction="7").score) == "0"
    assert leaf_score(rule, weight=7, deduction="8").problems == ["扣分不能超过 7 分，现为 8 分"]
    assert leaf_score(rule, weight=7, deduction="-1").problems == ["扣分不能为负数，现为 -1 分"]
    assert leaf_score(rule, weight=7).missing == ["扣分"]


def test_bad_number_is_a_problem_not_an_exception():
    n = leaf_score(PROP, numerator="12元", denominator="100")
    assert n.status == PROBLEM and n.score is None
    assert n.problems == ["实际：“12元”不是数字，请只填写数字，例如 1273.37 或 93.8%"]


def test_problems_are_records_routed_by_key_not_by_text():
    # labels that contain each other ("预算" in "调整预算") cannot mislead: the problem names its input
    rule = {"type": "proportional", "rate_label": "执行率", "numerator": "预算", "denominator": "调整预算"}
    n = leaf_score(rule, numerator="5", denominator="0")
    assert [(p.code, p.key, p.values["den"]) for p in n.issues] == [
        ("zero_denominator", "denominator", "调整预算")
    ]
    assert n.problems == ["调整预算为 0，无法计算执行率"]
    n = leaf_score(rule, numerator="-5", denominator="10")
    assert [(p.code, p.key) for p in n.issues] == [("negative", "numerator")]
    assert n.problems == ["预算不能为负数，现为 -5 万元"]
    n = leaf_score(rule, denominator="10")
    assert [(p.code, p.key) for p in n.gaps] == [("missing", "numerator")] and n.missing == ["预算"]


def test_rates_the_rule_computed_are_on_its_result():
    n = leaf_score(PROP, numerator="3", denominator="4", rate="80")
    assert n.rates == {"computed": 75, "given": 80} and fmt(n.score) == "8"
    assert [(p.severity, p.code, p.key) for p in n.notes] == [("警告", "rate_differs", "rate")]
    assert n.notes[0].text == "执行率填报 80% 与按 3 ÷ 4 计算的 75% 不一致，请核对或写明依据"
    n = leaf_score(WEIGHTED, weight=4, budget="1000", h1_spending="400", h1_rate="85", h2_rate="110")
    assert n.rates == {"h1_computed": 80, "h1": 85, "h2": 110, "average": Decimal("97.5")}


def test_a_bound_figure_out_of_range_stops_the_score_and_names_the_figure():
    rule = {**PROP, "rate_label": "利用率", "max_rate": 100}
    n = leaf_score(rule, bind={"numerator": "a", "denominator": "b"}, figures={"a": "-3", "b": "10"})
    assert n.score is None and n.status == PROBLEM
    assert [(p.code, p.key, p.figure) for p in n.issues] == [("negative", "numerator", "a")]
    assert n.problems == ["数据“甲”不能为负数，现为 -3 万元"]
    n = leaf_score(rule, bind={"numerator": "a", "denominator": "b"}, figures={"a": "12", "b": "10"})
    assert n.score is None and [(p.code, p.key) for p in n.issues] == [("rate_above", "numerator")]
    assert n.problems == ["实际 12 万元 大于 计划 10 万元，利用率 120%，利用率不可能超过 100%，请核对"]
