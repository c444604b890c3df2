"""Scoring rule types (评分规则). Each declares the inputs it needs so that forms can be built from it.

A rule is built once from the framework's parameters (and validated there); `evaluate` turns the inputs of
one evaluation into a score with the formula used and the points taken off. Rates are percents (93.8 = 93.8%),
rounded half-up to 0.01 as the report prints them, and the rounded rate is the one scored.

What a rule finds wrong or worth a second look is a `Problem`: a code, the input it concerns and the values,
with the Chinese sentence made from them. Scoring, 审核 and the window route problems by code and key, never by
their text; a rate a rule computed is on its result (`RuleResult.rates`), so nobody computes it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from core import JixiaoError
from core.numbers import (
    HUNDRED,
    MAX_ABS,
    ZERO,
    NumberError,
    ceil_int,
    floor_int,
    fmt,
    fmt_pct,
    parse_number,
    q2,
)

UNITS = {"money": "万元", "count": "个", "percent": "%", "points": "分"}
MAX_PARAM = Decimal(10**6)  # weights and rule parameters stay below this, so products of them stay exact
MAX_RATIO = (
    MAX_ABS / HUNDRED
)  # a computed rate (percent) stays below MAX_ABS, so rounding it to 0.01 is exact

ERROR, WARNING, HINT = "错误", "警告", "提示"


class FrameworkError(JixiaoError):
    """The framework file is wrong; the message names the indicator and the problem."""


# The sentence of each problem code. Fields come from the problem's values: Decimals print as the report prints
# them; "X_u" is value X with the unit of the problem ("93.8%", "8 分", "1,273.37 万元").
MESSAGES: dict[str, str] = {
    "missing": "{label}",
    "unreadable": "{label}：{error}",
    "negative": "{label}不能为负数，现为 {value_u}",
    "below": "{label}不能低于 {lo_u}，现为 {value_u}",
    "above": "{label}不能超过 {hi_u}，现为 {value_u}",
    "not_integer": "{label}应为整数，现为 {value_u}",
    "zero_denominator": "{den}为 0，无法计算{rate}",
    "too_far": "{num}与{den}相差悬殊，无法计算{rate}，请检查数值和单位",
    "rate_above": "{num} {num_value_u} 大于 {den} {den_value_u}，{rate} {computed}%，{rate}不可能超过 {hi}%，请核对",
    "rate_over_whole": "{num} {num_value_u} 大于 {den} {den_value_u}，{rate} {computed}%，超过 100%{capped}，请核对",
    "rate_differs": "{rate}填报 {given}% 与按 {num_value} ÷ {den_value} 计算的 {computed}% 不一致，请核对或写明依据",
    "part_differs": "{part}{rate}填报 {given}% 与按支出计算的 {computed}%（{spent} ÷ ({budget} × {target}%)）不一致；"
    "若填报值取自财政系统，请在扣分理由中注明来源",
    "not_positive": "{label}应大于 0",
    "needs_reason": "扣 {lost} 分，须填写{reason}",
    "override_range": "手工调整得分应在 0 到 {hi} 分之间，现为 {value}",
    "override_reason": "手工调整得分须写明理由",
    "children": "{count} 项下级指标有问题",
    "na_not_allowed": "本指标框架不允许把指标标为不适用",
    "na_reason": "标为不适用，须写明理由",
    "rows_weight": "“{name}”下各行分值合计 {total} 分，应等于 {weight} 分",
    "row_group": "所属二级指标“{group}”不在可选范围内（{groups}）",
    "row_rule": "{error}",
}


def unit_suffix(unit: str) -> str:
    """How a unit follows a number: "93.8%", "8 分"."""
    return unit if unit == "%" else f" {unit}" if unit else ""


@dataclass(frozen=True, eq=False)
class Problem:
    """Something wrong (or worth a second look) with an indicator's inputs.

    `code` names the kind (a key of MESSAGES); `key` is the rule input it concerns ("numerator", "q1_rate"), an
    entry field ("reason", "override", "override_reason"), or "" for the indicator as a whole; `values` are the
    facts the sentence is made from. `figure` is set when the value came from a shared figure (the problem is
    then the figure's, and 审核 reports it there once). `severity` is ERROR for what stops scoring.
    """

    code: str
    key: str = ""
    values: dict = field(default_factory=dict)
    severity: str = ERROR
    figure: str = ""

    @property
    def text(self) -> str:
        shown = {k: fmt(v) if isinstance(v, Decimal) else v for k, v in self.values.items()}
        suffix = unit_suffix(self.values.get("unit", ""))
        for k, v in list(shown.items()):
            shown[k + "_u"] = f"{v}{suffix}"
        return MESSAGES[self.code].format_map(shown)


@dataclass(frozen=True)
class InputSpec:
    """One figure a rule needs: key, label shown to the user, unit, kind (money, count, percent, points).

    `lo`/`hi` bound the possible values (None: no bound); `integer` asks for whole numbers. A typed value outside
    them is an error on its field, never scored."""

    key: str
    label: str
    kind: str
    unit: str = ""
    optional: bool = False
    lo: Decimal | None = ZERO
    hi: Decimal | None = None
    integer: bool = False

    @property
    def shown_unit(self) -> str:
        return self.unit or UNITS.get(self.kind, "")

    @property
    def short(self) -> str:
        """The label without its parenthetical note: "扣分（满分填 0）" → "扣分"."""
        return self.label.split("（")[0].strip() or self.label


def read_value(
    text: str, key: str, label: str, spec, unit: str, figure: str = ""
) -> tuple[Decimal | None, Problem | None]:
    """Parse a typed number and check it against its possible range (spec.lo, spec.hi, spec.integer).

    Returns (value, None), (None, None) when empty, or (None, problem)."""
    try:
        value = parse_number(text)
    except NumberError as e:
        return None, Problem("unreadable", key, {"label": label, "error": str(e)}, figure=figure)
    if value is None:
        return None, None
    lo, hi = spec.lo, spec.hi
    if (lo is None or value >= lo) and (hi is None or value <= hi):
        if not spec.integer or value == value.to_integral_value():
            return value, None
        code = "not_integer"
    elif hi is not None and value > hi:
        code = "above"
    else:
        code = "negative" if lo == 0 else "below"
    values = {"label": label, "value": value, "unit": unit}
    if lo is not None:
        values["lo"] = lo
    if hi is not None:
        values["hi"] = hi
    return None, Problem(code, key, values, figure=figure)


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
    first read). A template is a constant; labels and numbers go in as values.

    `problems` stop the score (errors); `notes` are warnings and hints for 审核; `missing` names the inputs
    still empty; `rates` holds every rate the rule computed (by name), `met` whether the figures say the target
    was met (None when the rule cannot tell)."""

    score: Decimal | None = None
    rate: Decimal | None = None
    formula: list[Line] = field(default_factory=list)
    deductions: list[tuple[Line, Decimal]] = field(default_factory=list)  # (what, points off)
    missing: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    rates: dict[str, Decimal] = field(default_factory=dict)
    met: bool | None = None

    def say(self, template: str, *values: object) -> None:
        """Add a formula line."""
        self.formula.append((template, values))

    def deduct(self, points: Decimal, template: str, *values: object) -> None:
        """Add a deduction: the points off, and what they are off for."""
        self.deductions.append(((template, values), points))

    def miss(self, key: str, label: str) -> None:
        self.missing.append(Problem("missing", key, {"label": label}))

    def error(self, code: str, key: str = "", **values: object) -> None:
        self.problems.append(Problem(code, key, values))

    def note(self, severity: str, code: str, key: str = "", **values: object) -> None:
        self.notes.append(Problem(code, key, values, severity))


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


def _bound(params: dict, key: str, where: str, default: Decimal | None) -> Decimal | None:
    """An optional bound: absent → default, null → no bound, else a number (may be negative)."""
    if key not in params:
        return default
    raw = params[key]
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise FrameworkError(f"{where}：参数“{key}”应为数字或 null（不设限）")
    try:
        value = Decimal(str(raw))
    except Exception:
        raise FrameworkError(f"{where}：参数“{key}”应为数字，现为“{raw}”") from None
    if not value.is_finite() or abs(value) >= MAX_PARAM:
        raise FrameworkError(f"{where}：参数“{key}”的值“{raw}”无效或过大")
    return value


def _text(params: dict, key: str, where: str, default: str | None = None) -> str:
    raw = params.get(key, default)
    if not isinstance(raw, str) or not raw.strip():
        raise FrameworkError(f"{where}：评分规则参数“{key}”应为非空文字")
    return raw


def differs(given: Decimal, computed: Decimal) -> bool:
    """A typed rate disagrees with the computed one at the precision it was typed ("83.6" agrees with 83.58)."""
    step = Decimal(1).scaleb(-max(0, min(2, -given.as_tuple().exponent)))  # type: ignore[operator]
    return given.quantize(step, rounding=ROUND_HALF_UP) != computed.quantize(step, rounding=ROUND_HALF_UP)


# A rate whose name says it is a share of a whole (part ÷ whole) cannot exceed 100%. Version 1 frameworks
# did not say so: their rates and figures named like this get "max": 100 (see core.framework).
BOUNDED_RATE_WORDS = ("满意度", "结案率", "办结率", "受理率", "利用率", "合格率", "覆盖率", "知晓率")


def bounded_word(label: str) -> str:
    return next((w for w in BOUNDED_RATE_WORDS if w in label), "")


class Rule:
    """Base of all rule types. Subclasses set `type_name`, `title`, and implement inputs/evaluate."""

    type_name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    params_allowed: ClassVar[frozenset[str]] = frozenset()
    reason_label: ClassVar[str] = "扣分理由"  # what the entry's reason is called for this rule

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
        return [InputSpec("deduction", "扣分（满分填 0）", "points", hi=self.weight)]

    def evaluate(self, get: Getter) -> RuleResult:
        r = RuleResult()
        d = get("deduction")
        if d is None:
            r.miss("deduction", "扣分")
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
    """A rule scored on a rate: typed as given, or computed as numerator ÷ denominator.

    `min_rate` / `max_rate` bound the possible rate (default 0 and none): a typed or computed rate outside them
    is an error, not a score."""

    rate_params: ClassVar[frozenset[str]] = frozenset(
        {"rate_label", "numerator", "denominator", "unit", "kind", "given_rate", "min_rate", "max_rate"}
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
        self.rate_lo = _bound(params, "min_rate", where, ZERO)
        self.rate_hi = _bound(params, "max_rate", where, None)
        if self.rate_lo is not None and self.rate_hi is not None and self.rate_lo >= self.rate_hi:
            raise FrameworkError(f"{where}：参数“min_rate”应小于“max_rate”")

    def _declare(self) -> list[InputSpec]:
        specs = []
        if self.numerator is not None:
            whole = self.kind == "count"
            specs += [
                InputSpec("numerator", self.numerator, self.kind, self.unit, self.given_rate, integer=whole),
                InputSpec(
                    "denominator", self.denominator, self.kind, self.unit, self.given_rate, integer=whole
                ),
            ]
        if self.given_rate:
            label = self.rate_label if self.numerator is None else f"{self.rate_label}（直接填写时优先）"
            specs.append(
                InputSpec(
                    "rate",
                    label,
                    "percent",
                    optional=self.numerator is not None,
                    lo=self.rate_lo,
                    hi=self.rate_hi,
                )
            )
        return specs

    def rate(self, get: Getter, r: RuleResult) -> Decimal | None:
        """The rate to score: the typed one if given, else numerator ÷ denominator (both noted in r.rates)."""
        given = get("rate") if self.given_rate else None
        computed = None
        if self.numerator is not None:
            num, den = get("numerator"), get("denominator")
            if num is not None and den is not None:
                computed = self.divide(num, den, r, quiet=given is not None)
                if given is not None and computed is not None and differs(given, computed):
                    r.note(
                        WARNING,
                        "rate_differs",
                        "rate",
                        rate=self.rate_label,
                        given=given,
                        computed=computed,
                        num_value=num,
                        den_value=den,
                    )
            elif given is None:
                if num is None:
                    r.miss("numerator", self.numerator)
                if den is None:
                    r.miss("denominator", self.denominator)
        elif given is None:
            r.miss("rate", self.rate_label)
        if given is None:
            return computed
        rate = r.rates["given"] = q2(given)
        r.say("{}按填报值 {}%", self.rate_label, rate)
        return rate

    def divide(self, num: Decimal, den: Decimal, r: RuleResult, quiet: bool = False) -> Decimal | None:
        """numerator ÷ denominator in percent, rounded; problems and the formula line go to r (quiet: only
        what makes the inputs impossible, for a rate that is typed as well)."""
        names = {"num": self.numerator, "den": self.denominator, "rate": self.rate_label}
        if den == 0:
            if num == 0:
                if not quiet:
                    r.say("{}、{}均为 0，视为达标", self.numerator, self.denominator)
                return self.both_zero_rate()
            if not quiet:
                r.error("zero_denominator", "denominator", **names)
            return None
        if abs(num) >= abs(den) * MAX_RATIO:  # checked before dividing: a tiny denominator would overflow
            if not quiet:
                r.error("too_far", "numerator", **names)
            return None
        rate = r.rates["computed"] = q2(num / den * HUNDRED)
        values = {**names, "num_value": num, "den_value": den, "computed": rate, "unit": self.unit}
        if self.rate_hi is not None and rate > self.rate_hi:
            r.error("rate_above", "numerator", hi=self.rate_hi, **values)
            return None
        if num > den:
            self.over_whole(values, r)
        if not quiet:
            r.say("{} = {} ÷ {} = {}%", self.rate_label, num, den, rate)
        return rate

    def over_whole(self, values: dict, r: RuleResult) -> None:
        """A computed rate above 100% (the numerator larger than the denominator): a note where unusual."""

    def both_zero_rate(self) -> Decimal:
        return HUNDRED

    def evaluate(self, get: Getter) -> RuleResult:
        r = RuleResult()
        r.rate = self.rate(get, r)
        if r.rate is not None and not r.problems:
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

    def over_whole(self, values: dict, r: RuleResult) -> None:
        # possible (spending ahead of plan, more done than planned) but unusual; scored at the cap
        capped = f"（计分时按 {fmt_pct(self.cap)} 计）" if values["computed"] > self.cap else ""
        r.note(WARNING, "rate_over_whole", "numerator", capped=capped, **values)

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


PARTIAL = {"pro_rata": "按比例计", "whole": "按一档计", "ignore": "不计"}


class Limit(RateRule):
    """控制率 / 每 N 个百分点扣分: within the limit full marks; beyond it `per_point` points off for every `step`
    percentage points (1 by default), down to 0.

    `direction` "over" (default) deducts above the limit (控制率); "under" deducts below it (a target rate).
    `partial` says what a part of a step counts: "pro_rata" (default: its share), "whole" (a whole step) or
    "ignore" (nothing).
    """

    type_name = "limit"
    title = "超限扣分"
    params_allowed = RateRule.rate_params | {"limit", "per_point", "step", "direction", "partial"}

    def __init__(self, params: dict, weight: Decimal, where: str):
        super().__init__(params, weight, where)
        self.limit = _num(params, "limit", where, 100)
        self.per_point = _num(params, "per_point", where, positive=True)
        self.step = _num(params, "step", where, 1, positive=True)
        self.direction = params.get("direction", "over")
        if self.direction not in ("over", "under"):
            raise FrameworkError(f"{where}：参数“direction”应为 over（超出扣分）或 under（低于扣分）")
        self.partial = params.get("partial", "pro_rata")
        if self.partial not in PARTIAL:
            raise FrameworkError(
                f"{where}：参数“partial”应为 pro_rata（按比例）、whole（按一档计）或 ignore（不计）"
            )

    def both_zero_rate(self) -> Decimal:
        return ZERO if self.direction == "over" else HUNDRED

    def score_rate(self, rate: Decimal, r: RuleResult) -> Decimal:
        beyond = rate - self.limit if self.direction == "over" else self.limit - rate
        word = "超出" if self.direction == "over" else "低于"
        if beyond <= 0:
            r.say("{}% 未{} {}%，得满分 {} 分", rate, word, self.limit, self.weight)
            return self.weight
        steps = beyond / self.step
        counted = (
            ceil_int(steps)
            if self.partial == "whole"
            else floor_int(steps)
            if self.partial == "ignore"
            else steps
        )
        off = min(self.weight, q2(counted * self.per_point))
        if self.step == 1 and counted == steps:
            r.say(
                "{} {}% {} 个百分点，扣 {} × {} = {} 分，得 {} 分",
                word,
                self.limit,
                beyond,
                beyond,
                self.per_point,
                off,
                self.weight - off,
            )
        else:
            part = f"，不足一档{PARTIAL[self.partial]}" if counted != steps else ""
            r.say(
                "{} {}% {} 个百分点，合 {} 档（每 {} 个百分点一档{}），扣 {} × {} = {} 分，得 {} 分",
                word,
                self.limit,
                beyond,
                q2(steps),
                self.step,
                part,
                q2(counted),
                self.per_point,
                off,
                self.weight - off,
            )
        r.deduct(off, "{} {}%，{} {}%", self.rate_label, rate, word, self.limit)
        return self.weight - off

    def describe(self) -> str:
        word = "≤" if self.direction == "over" else "≥"
        beyond = "每超出" if self.direction == "over" else "每低于"
        step = "1 个百分点" if self.step == 1 else f"{fmt(self.step)} 个百分点"
        part = {"pro_rata": "", "whole": f"，不足 {step}按 {step}计", "ignore": f"，不足 {step}的部分不扣分"}
        return (
            f"{self.ratio_text()} {word} {fmt_pct(self.limit)} 得满分；"
            f"{beyond} {step}扣 {fmt(self.per_point)} 分{part[self.partial]}，扣完为止"
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
            given, spent = get(f"{key}_rate"), get(f"{key}_spending")
            computed = how = None
            if spent is not None and budget is not None:
                computed, how = self._computed(r, key, label, spent, budget, target, quiet=given is not None)
            if given is not None:
                rate = r.rates[key] = q2(given)
                if computed is not None and differs(given, computed):
                    r.note(
                        WARNING,
                        "part_differs",
                        f"{key}_rate",
                        part=label,
                        rate=self.rate_label,
                        given=given,
                        computed=computed,
                        spent=spent,
                        budget=budget,
                        target=target,
                    )
                how = ("按填报值 {}%", (rate,))
            elif computed is not None:
                rate = computed
            else:
                if spent is None or budget is None:
                    r.miss(
                        f"{key}_rate",
                        f"{label}{self.rate_label}（或{label}{self.spending_label}与{self.budget_label}）",
                    )
                continue
            rates.append(rate)
            total_off += self._part(r, label, weight, rate, how)
        if r.missing or r.problems:
            return r
        if self.average:
            label, weight = self.average
            avg = r.rates["average"] = q2(sum(rates) / len(rates))
            how = ("(" + " + ".join("{}%" for _ in rates) + ") ÷ {} = {}%", (*rates, len(rates), avg))
            total_off += self._part(r, label, weight, avg, how)
            r.rate = avg
        r.score = max(ZERO, self.weight - total_off)
        r.say("得分 = {} − {} = {} 分", self.weight, total_off, r.score)
        return r

    def _computed(self, r, key, label, spent, budget, target, quiet) -> tuple[Decimal | None, Line | None]:
        """A part's rate from spending: spent ÷ (budget × target progress), noted in r.rates[key + "_computed"]."""
        if budget <= 0:
            if not quiet:
                r.error("not_positive", "budget", label=self.budget_label)
            return None, None
        due = budget * target / HUNDRED
        if abs(spent) >= due * MAX_RATIO:  # checked before dividing: a tiny budget would overflow
            if not quiet:
                r.error(
                    "too_far",
                    f"{key}_spending",
                    num=f"{label}{self.spending_label}",
                    den=self.budget_label,
                    rate=self.rate_label,
                )
            return None, None
        rate = r.rates[key + "_computed"] = q2(spent / due * HUNDRED)
        return rate, ("{} ÷ ({} × {}%) = {}%", (spent, budget, target, rate))

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
