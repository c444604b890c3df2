"""Scoring rule types (评分规则). Each declares the inputs it needs so that forms can be built from it.

A rule is built once from the framework's parameters (and validated there); `evaluate` turns the inputs of
one evaluation into a score with the formula used and the points taken off. Rates are percents (93.8 = 93.8%),
rounded half-up to 0.01 as the report prints them, and the rounded rate is the one scored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from core import JixiaoError
from core.numbers import HUNDRED, MAX_ABS, ZERO, ceil_int, fmt, fmt_pct, q2

UNITS = {"money": "万元", "count": "个", "percent": "%", "points": "分"}
MAX_PARAM = Decimal(10**6)  # weights and rule parameters stay below this, so products of them stay exact
MAX_RATIO = (
    MAX_ABS / HUNDRED
)  # a computed rate (percent) stays below MAX_ABS, so rounding it to 0.01 is exact


class FrameworkError(JixiaoError):
    """The framework file is wrong; the message names the indicator and the problem."""


@dataclass(frozen=True)
class InputSpec:
    """One figure a rule needs: key, label shown to the user, unit, kind (money, count, percent, points)."""

    key: str
    label: str
    kind: str
    unit: str = ""
    optional: bool = False

    @property
    def shown_unit(self) -> str:
        return self.unit or UNITS.get(self.kind, "")


Line = tuple[str, tuple]
"""A formula line not printed yet: a template with {} fields and the values for them."""


def render(line: Line) -> str:
    """Print a formula line: Decimals as the report prints them (fmt), other values as they are."""
    template, values = line
    return template.format(*[fmt(v) if isinstance(v, Decimal) else v for v in values])


@dataclass
class RuleResult:
    """A rule's score. The texts of the formula and of the deductions are kept as templates and values:
    printing them costs more than scoring, and most are never shown (scoring.NodeScore prints them when
    first read). A template is a constant; labels and numbers go in as values."""

    score: Decimal | None = None
    rate: Decimal | None = None
    formula: list[Line] = field(default_factory=list)
    deductions: list[tuple[Line, Decimal]] = field(default_factory=list)  # (what, points off)
    missing: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def say(self, template: str, *values: object) -> None:
        """Add a formula line."""
        self.formula.append((template, values))

    def deduct(self, points: Decimal, template: str, *values: object) -> None:
        """Add a deduction: the points off, and what they are off for."""
        self.deductions.append(((template, values), points))


Getter = Callable[[str], Decimal | None]


def _num(params: dict, key: str, where: str, default: Any = None, positive: bool = False) -> Decimal:
    raw = params.get(key, default)
    if raw is None or isinstance(raw, bool) or not isinstance(raw, (int, float, str, Decimal)):
        raise FrameworkError(f"{where}：评分规则参数“{key}”应为数字")
    try:
        value = Decimal(str(raw))
    except Exception:
        raise FrameworkError(f"{where}：评分规则参数“{key}”应为数字，现为“{raw}”") from None
    if not value.is_finite() or value < 0 or (positive and value == 0):
        raise FrameworkError(f"{where}：评分规则参数“{key}”应为{'正数' if positive else '不小于 0 的数'}")
    if value >= MAX_PARAM:
        raise FrameworkError(f"{where}：评分规则参数“{key}”的值“{raw}”过大")
    return value


def _text(params: dict, key: str, where: str, default: str | None = None) -> str:
    raw = params.get(key, default)
    if not isinstance(raw, str) or not raw.strip():
        raise FrameworkError(f"{where}：评分规则参数“{key}”应为非空文字")
    return raw


class Rule:
    """Base of all rule types. Subclasses set `type_name`, `title`, and implement inputs/evaluate."""

    type_name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    params_allowed: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, params: dict, weight: Decimal, where: str):
        unknown = set(params) - self.params_allowed - {"type"}
        if unknown:
            raise FrameworkError(f"{where}：评分规则“{self.title}”不认识参数 {'、'.join(sorted(unknown))}")
        self.weight = weight
        self.where = where
        self._inputs: list[InputSpec] | None = None

    def inputs(self) -> list[InputSpec]:
        """The inputs this rule needs, in form order (computed once)."""
        if self._inputs is None:
            self._inputs = self._declare()
        return self._inputs

    def _declare(self) -> list[InputSpec]:
        raise NotImplementedError

    def evaluate(self, get: Getter) -> RuleResult:
        raise NotImplementedError

    def describe(self) -> str:
        """One line in Chinese saying how the score is computed (shown next to the 评分标准)."""
        raise NotImplementedError


class Judged(Rule):
    """评议打分: full marks, or points taken off with a written reason."""

    type_name = "judged"
    title = "评议打分"

    def _declare(self) -> list[InputSpec]:
        return [InputSpec("deduction", "扣分（满分填 0）", "points")]

    def evaluate(self, get: Getter) -> RuleResult:
        r = RuleResult()
        d = get("deduction")
        if d is None:
            r.missing.append("扣分")
        elif d < 0 or d > self.weight:
            r.errors.append(f"扣分应在 0 到 {fmt(self.weight)} 分之间，现为 {fmt(d)}")
        else:
            d = q2(d)
            r.score = self.weight - d
            r.say("{} − {} = {} 分", self.weight, d, r.score)
            if d:
                r.deduct(d, "评议扣分")
        return r

    def describe(self) -> str:
        return "按评分标准评议：达到标准得满分，否则酌情扣分并写明理由"


class RateRule(Rule):
    """A rule scored on a rate: typed as given, or computed as numerator ÷ denominator."""

    rate_params: ClassVar[frozenset[str]] = frozenset(
        {"rate_label", "numerator", "denominator", "unit", "kind", "given_rate"}
    )

    def __init__(self, params: dict, weight: Decimal, where: str):
        super().__init__(params, weight, where)
        self.rate_label = _text(params, "rate_label", where, "比率")
        self.numerator = params.get("numerator")
        self.denominator = params.get("denominator")
        if (self.numerator is None) != (self.denominator is None):
            raise FrameworkError(f"{where}：“numerator”和“denominator”须同时给出")
        if self.numerator is not None:
            _text(params, "numerator", where)
            _text(params, "denominator", where)
        self.kind = params.get("kind", "money")
        if self.kind not in ("money", "count"):
            raise FrameworkError(f"{where}：参数“kind”应为 money 或 count")
        self.unit = params.get("unit", UNITS[self.kind])
        self.given_rate = bool(params.get("given_rate", True))
        if self.numerator is None and not self.given_rate:
            raise FrameworkError(f"{where}：既不能直接填写比率，又没有分子分母，无法评分")

    def _declare(self) -> list[InputSpec]:
        specs = []
        if self.numerator is not None:
            specs += [
                InputSpec("numerator", self.numerator, self.kind, self.unit, optional=self.given_rate),
                InputSpec("denominator", self.denominator, self.kind, self.unit, optional=self.given_rate),
            ]
        if self.given_rate:
            label = self.rate_label if self.numerator is None else f"{self.rate_label}（直接填写时优先）"
            specs.append(InputSpec("rate", label, "percent", optional=self.numerator is not None))
        return specs

    def rate(self, get: Getter, r: RuleResult) -> Decimal | None:
        if self.given_rate:
            given = get("rate")
            if given is not None:
                if given < 0:
                    r.errors.append(f"{self.rate_label}不能为负数")
                    return None
                rate = q2(given)
                r.say("{}按填报值 {}%", self.rate_label, rate)
                return rate
        if self.numerator is None:
            r.missing.append(self.rate_label)
            return None
        num, den = get("numerator"), get("denominator")
        if num is None or den is None:
            if num is None:
                r.missing.append(self.numerator)
            if den is None:
                r.missing.append(self.denominator)
            return None
        if num < 0 or den < 0:
            r.errors.append(f"{self.numerator}和{self.denominator}不能为负数")
            return None
        if den == 0:
            if num == 0:
                r.say("{}、{}均为 0，视为达标", self.numerator, self.denominator)
                return self.both_zero_rate()
            r.errors.append(f"{self.denominator}为 0，无法计算{self.rate_label}")
            return None
        if num >= den * MAX_RATIO:  # checked before dividing: a tiny denominator would overflow
            r.errors.append(
                f"{self.numerator}与{self.denominator}相差悬殊，无法计算{self.rate_label}，请检查数值和单位"
            )
            return None
        rate = q2(num / den * HUNDRED)
        r.say("{} = {} ÷ {} = {}%", self.rate_label, num, den, rate)
        return rate

    def both_zero_rate(self) -> Decimal:
        return HUNDRED

    def evaluate(self, get: Getter) -> RuleResult:
        r = RuleResult()
        r.rate = self.rate(get, r)
        if r.rate is not None:
            r.score = self.score_rate(r.rate, r)
        return r

    def score_rate(self, rate: Decimal, r: RuleResult) -> Decimal:
        """The score for a known rate; adds the formula lines and deductions to r."""
        raise NotImplementedError

    def lost(self, rate: Decimal, score: Decimal, r: RuleResult) -> Decimal:
        """Record the points below the weight as one deduction named by the rate; return the score."""
        if score < self.weight:
            r.deduct(self.weight - score, "{} {}%", self.rate_label, rate)
        return score

    def ratio_text(self) -> str:
        if self.numerator is None:
            return self.rate_label
        return f"{self.rate_label}（{self.numerator} ÷ {self.denominator}）"


class Proportional(RateRule):
    """按比例得分: weight × rate, the rate capped at `cap` percent (100 by default)."""

    type_name = "proportional"
    title = "按比例得分"
    params_allowed = RateRule.rate_params | {"cap"}

    def __init__(self, params: dict, weight: Decimal, where: str):
        super().__init__(params, weight, where)
        self.cap = _num(params, "cap", where, 100, positive=True)

    def score_rate(self, rate: Decimal, r: RuleResult) -> Decimal:
        used = min(rate, self.cap)
        score = q2(self.weight * used / HUNDRED)
        capped = f"（超过 {fmt_pct(self.cap)} 按 {fmt_pct(self.cap)} 计）" if rate > self.cap else ""
        r.say("得分 = {} × {}%{} = {} 分", self.weight, used, capped, score)
        return self.lost(rate, score, r)

    def describe(self) -> str:
        return f"得分 = 分值 × {self.ratio_text()}，{self.rate_label}最高按 {fmt_pct(self.cap)} 计"


class CountRatio(Proportional):
    """完成比例: weight × completed ÷ planned, both counts; the rate is always computed."""

    type_name = "count_ratio"
    title = "完成比例"

    def __init__(self, params: dict, weight: Decimal, where: str):
        params = {"kind": "count", "given_rate": False, **params}
        super().__init__(params, weight, where)
        if self.numerator is None:
            raise FrameworkError(f"{where}：完成比例须给出“numerator”（完成数）和“denominator”（计划数）")


class Limit(RateRule):
    """控制率: within the limit full marks; beyond it `per_point` points off per percentage point, down to 0.

    `direction` "over" (default) deducts above the limit (控制率); "under" deducts below it (a target rate).
    With `partial_counts_whole` a part of a point counts as a whole point.
    """

    type_name = "limit"
    title = "控制率（超出扣分）"
    params_allowed = RateRule.rate_params | {"limit", "per_point", "direction", "partial_counts_whole"}

    def __init__(self, params: dict, weight: Decimal, where: str):
        super().__init__(params, weight, where)
        self.limit = _num(params, "limit", where, 100)
        self.per_point = _num(params, "per_point", where, positive=True)
        self.direction = params.get("direction", "over")
        if self.direction not in ("over", "under"):
            raise FrameworkError(f"{where}：参数“direction”应为 over 或 under")
        self.whole = bool(params.get("partial_counts_whole", False))

    def both_zero_rate(self) -> Decimal:
        return ZERO if self.direction == "over" else HUNDRED

    def score_rate(self, rate: Decimal, r: RuleResult) -> Decimal:
        beyond = rate - self.limit if self.direction == "over" else self.limit - rate
        word = "超出" if self.direction == "over" else "低于"
        if beyond <= 0:
            r.say("{}% 未{} {}%，得满分 {} 分", rate, word, self.limit, self.weight)
            return self.weight
        points = ceil_int(beyond) if self.whole else beyond
        off = min(self.weight, q2(points * self.per_point))
        whole = "（不足 1 个百分点按 1 个计）" if self.whole and points != beyond else ""
        r.say(
            "{} {}% {} 个百分点{}，扣 {} × {} = {} 分，得 {} 分",
            word,
            self.limit,
            beyond,
            whole,
            points,
            self.per_point,
            off,
            self.weight - off,
        )
        r.deduct(off, "{} {}%，{} {}%", self.rate_label, rate, word, self.limit)
        return self.weight - off

    def describe(self) -> str:
        word = "≤" if self.direction == "over" else "≥"
        beyond = "每超出" if self.direction == "over" else "每低于"
        whole = "，不足 1 个百分点按 1 个计" if self.whole else ""
        return (
            f"{self.ratio_text()} {word} {fmt_pct(self.limit)} 得满分；"
            f"{beyond} 1 个百分点扣 {fmt(self.per_point)} 分{whole}，扣完为止"
        )


class Tiers(RateRule):
    """分档得分: the first tier whose minimum the rate reaches gives the score; below all tiers 0."""

    type_name = "tiers"
    title = "分档得分"
    params_allowed = RateRule.rate_params | {"tiers"}

    def __init__(self, params: dict, weight: Decimal, where: str):
        super().__init__(params, weight, where)
        tiers = params.get("tiers")
        if not isinstance(tiers, list) or not tiers:
            raise FrameworkError(f"{where}：分档得分须给出“tiers”档次列表")
        self.tiers: list[tuple[Decimal, Decimal]] = []
        for i, t in enumerate(tiers, 1):
            if not isinstance(t, dict):
                raise FrameworkError(f'{where}：第 {i} 档应写成 {{"min": 数字, "score": 数字}}')
            low, score = _num(t, "min", f"{where}第 {i} 档"), _num(t, "score", f"{where}第 {i} 档")
            if score > weight:
                raise FrameworkError(f"{where}：第 {i} 档得分 {fmt(score)} 超过分值 {fmt(weight)}")
            if self.tiers and not (low < self.tiers[-1][0] and score <= self.tiers[-1][1]):
                raise FrameworkError(f"{where}：档次应按下限从高到低排列，且得分不升高（第 {i} 档）")
            self.tiers.append((low, score))

    def score_rate(self, rate: Decimal, r: RuleResult) -> Decimal:
        for low, score in self.tiers:
            if rate >= low:
                r.say("{}% ≥ {}%，得 {} 分", rate, low, score)
                return self.lost(rate, score, r)
        r.say("{}% 低于最低档 {}%，得 0 分", rate, self.tiers[-1][0])
        return self.lost(rate, ZERO, r)

    def describe(self) -> str:
        bands = "；".join(f"≥ {fmt_pct(low)} 得 {fmt(score)} 分" for low, score in self.tiers)
        return f"按{self.ratio_text()}分档：{bands}；低于最低档得 0 分"


class WeightedParts(Rule):
    """分项加权 (预算执行率): parts (quarters) and their average, each weighted.

    Each part's rate is typed as given or computed as cumulative spending ÷ (budget × target progress);
    the average is the mean of the parts' rates. Each deduction = weight × (1 − rate), rate capped at 100%,
    rounded to 0.01; score = weight − Σ deductions.
    """

    type_name = "weighted_parts"
    title = "分项加权"
    params_allowed = frozenset({"parts", "average", "budget_label", "spending_label", "rate_label"})

    def __init__(self, params: dict, weight: Decimal, where: str):
        super().__init__(params, weight, where)
        self.budget_label = _text(params, "budget_label", where, "调整预算数")
        self.spending_label = _text(params, "spending_label", where, "累计支出")
        self.rate_label = _text(params, "rate_label", where, "执行率")
        parts = params.get("parts")
        if not isinstance(parts, list) or not parts:
            raise FrameworkError(f"{where}：分项加权须给出“parts”分项列表")
        self.parts: list[tuple[str, str, Decimal, Decimal]] = []
        for i, p in enumerate(parts, 1):
            w = f"{where}第 {i} 个分项"
            if not isinstance(p, dict):
                raise FrameworkError(f"{w}应为对象")
            key, label = _text(p, "key", w), _text(p, "label", w)
            if not key.isidentifier() or any(key == k for k, *_ in self.parts):
                raise FrameworkError(f"{w}：key“{key}”应为不重复的英文标识")
            target = _num(p, "target", w, positive=True)
            if target > HUNDRED:
                raise FrameworkError(f"{w}：目标进度 target 不能超过 100")
            self.parts.append((key, label, _num(p, "weight", w), target))
        avg = params.get("average")
        self.average: tuple[str, Decimal] | None = None
        if avg is not None:
            if not isinstance(avg, dict):
                raise FrameworkError(f"{where}：“average”应为对象")
            self.average = (_text(avg, "label", f"{where}平均项"), _num(avg, "weight", f"{where}平均项"))
        total = sum(w for _, _, w, _ in self.parts) + (self.average[1] if self.average else ZERO)
        if total != weight:
            raise FrameworkError(f"{where}：各分项权重合计 {fmt(total)}，应等于指标分值 {fmt(weight)}")

    def _declare(self) -> list[InputSpec]:
        specs = [InputSpec("budget", self.budget_label, "money", optional=True)]
        for key, label, _, target in self.parts:
            specs.append(
                InputSpec(f"{key}_spending", f"{label}{self.spending_label}", "money", optional=True)
            )
            specs.append(
                InputSpec(
                    f"{key}_rate",
                    f"{label}{self.rate_label}（目标进度 {fmt_pct(target)}）",
                    "percent",
                    optional=True,
                )
            )
        return specs

    def evaluate(self, get: Getter) -> RuleResult:
        r = RuleResult()
        rates: list[Decimal] = []
        total_off = ZERO
        budget = get("budget")
        for key, label, weight, target in self.parts:
            rate = get(f"{key}_rate")
            if rate is not None:
                rate = q2(rate)
                how: Line = ("按填报值 {}%", (rate,))
            else:
                spent = get(f"{key}_spending")
                if spent is None or budget is None:
                    r.missing.append(
                        f"{label}{self.rate_label}（或{label}{self.spending_label}与{self.budget_label}）"
                    )
                    continue
                if budget <= 0:
                    r.errors.append(f"{self.budget_label}应大于 0")
                    continue
                due = budget * target / HUNDRED
                if abs(spent) >= due * MAX_RATIO:  # checked before dividing: a tiny budget would overflow
                    r.errors.append(
                        f"{label}{self.spending_label}与{self.budget_label}相差悬殊，无法计算{self.rate_label}，请检查数值和单位"
                    )
                    continue
                rate = q2(spent / due * HUNDRED)
                how = ("{} ÷ ({} × {}%) = {}%", (spent, budget, target, rate))
            if rate < 0:
                r.errors.append(f"{label}{self.rate_label}不能为负数")
                continue
            rates.append(rate)
            off = self._part(r, label, weight, rate, how)
            total_off += off
        if r.missing or r.errors:
            return r
        if self.average:
            label, weight = self.average
            avg = q2(sum(rates) / len(rates))
            how = ("(" + " + ".join("{}%" for _ in rates) + ") ÷ {} = {}%", (*rates, len(rates), avg))
            total_off += self._part(r, label, weight, avg, how)
            r.rate = avg
        r.score = max(ZERO, self.weight - total_off)
        r.say("得分 = {} − {} = {} 分", self.weight, total_off, r.score)
        return r

    def _part(self, r: RuleResult, label: str, weight: Decimal, rate: Decimal, how: Line) -> Decimal:
        """Score one part; `how` is the line saying how its rate was found, printed inside this part's line."""
        capped = min(rate, HUNDRED)
        off = q2(weight * (HUNDRED - capped) / HUNDRED)
        how_template, how_values = how
        r.say(
            "{}{} " + how_template + "，扣 {} × (1 − {}%) = {} 分",
            label,
            self.rate_label,
            *how_values,
            weight,
            capped,
            off,
        )
        if off:
            r.deduct(off, "{}{} {}%", label, self.rate_label, rate)
        return off

    def describe(self) -> str:
        parts = "、".join(f"{label}（{fmt(w)} 分）" for _, label, w, _ in self.parts)
        avg = f"及{self.average[0]}（{fmt(self.average[1])} 分）" if self.average else ""
        return (
            f"{parts}{avg}分别计分：每项扣分 = 权重 × (1 − {self.rate_label})，四舍五入到 0.01 分；"
            f"{self.rate_label} = {self.spending_label} ÷ ({self.budget_label} × 目标进度)，或直接填写"
        )


RULE_TYPES: dict[str, type[Rule]] = {
    cls.type_name: cls for cls in (Judged, Proportional, CountRatio, Limit, Tiers, WeightedParts)
}
