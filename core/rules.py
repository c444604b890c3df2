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
# a computed rate (percent) stays below MAX_ABS, so rounding it to 0.01 is exact
MAX_RATIO = MAX_ABS / HUNDRED

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
    "choice": "{label}“{value}”不是可选的值（{options}）",
    "reason_below": "{rate} {rate_value}% 低于 {below}%，须说明原因",
    "not_met": "{actual_label} {actual} 未达到{target_label} {target}（{direction}），须说明偏差原因",
    "deviation": "{actual_label} {actual} 偏离{target_label} {target} 达 {off}%（{over}% 及以上为偏离），须说明偏差原因",
    "band_range": "选择“{band}”时得分应在 {lo} 到 {hi} 分之间{edge}，现为 {value} 分",
    "contradicts": "{text}，请核对",
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
    options: tuple[str, ...] = ()  # kind "choice": the values to choose from

    @property
    def numeric(self) -> bool:
        """Typed as a number (kinds money, count, percent, points); "text" and "choice" are kept as text."""
        return self.kind not in ("text", "choice")

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
    needs_reason: Problem | None = None  # why a reason must be written even where no points are lost

    def say(self, template: str, *values: object) -> None:
        """Add a formula line."""
        self.formula.append((template, values))

    def deduct(self, points: Decimal, template: str, *values: object) -> None:
        """Add a deduction: the points off, and what they are off for. None for 0 points (a rate just short of
        the mark scores full after rounding to 0.01): nothing is said to be 扣 0 分."""
        if points:
            self.deductions.append(((template, values), points))

    def miss(self, key: str, label: str) -> None:
        self.missing.append(Problem("missing", key, {"label": label}))

    def error(self, code: str, key: str = "", **values: object) -> None:
        self.problems.append(Problem(code, key, values))

    def note(self, severity: str, code: str, key: str = "", **values: object) -> None:
        self.notes.append(Problem(code, key, values, severity))


Getter = Callable[[str], Decimal | None]
"""Reads a rule's input as a number (None: empty or unreadable, the problem recorded by the caller). It also has
`text(key)`: the input as typed, stripped; and `terms(key)`: for an input bound to several figures, their
(sign, label, value) for the formula, else None."""


def _side(get: Getter | None, key: str, value: Decimal) -> tuple[str, tuple]:
    """One side of a division in the formula: "{}" with the value, or "(甲 {} + 乙 {} − 丙 {})" for an input bound
    to several figures (sums and differences of figures are data: see bind in docs/framework-format.md)."""
    terms = getattr(get, "terms", lambda key: None)(key)
    if not terms or len(terms) < 2:
        return "{}", (value,)
    parts, values = [], []
    for i, (sign, label, v) in enumerate(terms):
        parts.append(("−" if sign < 0 else "") if i == 0 else (" − " if sign < 0 else " + "))
        parts[-1] += "{} {}"
        values += [label, v]
    return "(" + "".join(parts) + ")", tuple(values)


def choice(get: Getter, spec: InputSpec, r: RuleResult) -> str | None:
    """A "choice" input: its value, "" when empty (recorded as missing unless optional), None when not one of the
    options (recorded as a problem)."""
    value = get.text(spec.key)  # type: ignore[attr-defined]
    if not value:
        if not spec.optional:
            r.miss(spec.key, spec.short)
        return ""
    if value not in spec.options:
        r.error("choice", spec.key, label=spec.short, value=value, options="、".join(spec.options))
        return None
    return value


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
        """One line in Chinese saying how the score is computed, made from the rule's parameters: shown next to
        the 评分标准, and used as the 评分标准 where the framework gives none."""
        return self._describe() + self.duties()

    def _describe(self) -> str:
        raise NotImplementedError

    def duties(self) -> str:
        """What the rule asks the clerk to explain besides points lost (appended to the description)."""
        return ""

    def direction_of(self, inputs: dict[str, str]) -> str:
        """The direction (≥, ≤ or =) a row's 指标值 is scored with, from the rule and the row's inputs as typed;
        "" where the rule has none (the report prints it before the 指标值)."""
        return ""


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
            r.deduct(d, "评议扣分")
        return r

    def _describe(self) -> str:
        return "按评分标准评议：达到标准得满分，否则酌情扣分并写明理由"


class RateRule(Rule):
    """A rule scored on a rate: typed as given, or computed as numerator ÷ denominator.

    `min_rate` / `max_rate` bound the possible rate (default 0 and none): a typed or computed rate outside them
    is an error, not a score."""

    rate_params: ClassVar[frozenset[str]] = frozenset(
        {
            "rate_label",
            "numerator",
            "denominator",
            "unit",
            "kind",
            "given_rate",
            "min_rate",
            "max_rate",
            "reason_below",
        }
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
        self.reason_below = _bound(params, "reason_below", where, None)
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
                computed = self.divide(num, den, r, quiet=given is not None, get=get)
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

    def divide(
        self, num: Decimal, den: Decimal, r: RuleResult, quiet: bool = False, get: Getter | None = None
    ) -> Decimal | None:
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
            top, top_values = _side(get, "numerator", num)
            bottom, bottom_values = _side(get, "denominator", den)
            r.say(
                "{} = " + top + " ÷ " + bottom + " = {}%", self.rate_label, *top_values, *bottom_values, rate
            )
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
            if self.reason_below is not None and r.rate < self.reason_below:
                r.needs_reason = Problem(
                    "reason_below",
                    "reason",
                    {"rate": self.rate_label, "rate_value": r.rate, "below": self.reason_below},
                )
        return r

    def score_rate(self, rate: Decimal, r: RuleResult) -> Decimal:
        """The score for a known rate; adds the formula lines and deductions to r."""
        raise NotImplementedError

    def lost(self, rate: Decimal, score: Decimal, r: RuleResult) -> Decimal:
        """Record the points below the weight as one deduction named by the rate; return the score."""
        if score < self.weight:
            r.deduct(self.weight - score, "{} {}%", self.rate_label, rate)
        return score

    def duties(self) -> str:
        if self.reason_below is None:
            return ""
        return f"；{self.rate_label}低于 {fmt_pct(self.reason_below)} 的，须说明原因"

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
        if self.cap > HUNDRED:  # a rate above 100% would score more than the weight
            raise FrameworkError(
                f"{where}：参数“cap”应在 0 到 100 之间（比率最高按多少计），现为 {fmt(self.cap)}"
            )

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

    def _describe(self) -> str:
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

    def _describe(self) -> str:
        word = "≤" if self.direction == "over" else "≥"
        beyond = "每超出" if self.direction == "over" else "每低于"
        step = "1 个百分点" if self.step == 1 else f"{fmt(self.step)} 个百分点"
        part = {"pro_rata": "", "whole": f"，不足 {step}按 {step}计", "ignore": f"，不足 {step}的部分不扣分"}
        return (
            f"{self.ratio_text()} {word} {fmt_pct(self.limit)} 得满分；"
            f"{beyond} {step}扣 {fmt(self.per_point)} 分{part[self.partial]}，扣完为止"
        )


class Tiers(RateRule):
    """分档得分: tiers of the rate, each with a score; outside every tier 0.

    Higher is better: `{"min": 95, "score": 6}` tiers, highest first; the first tier whose minimum the rate reaches
    gives its score. Lower is better: `{"max": 0, "score": 5}` tiers, lowest first; the first tier whose maximum
    the rate does not exceed gives its score (upper edges inclusive: "0–10%（含）"). `abs`: tier |rate| (a
    deviation either way, "±10% 以内")."""

    type_name = "tiers"
    title = "分档得分"
    params_allowed = RateRule.rate_params | {"tiers", "abs"}

    def __init__(self, params: dict, weight: Decimal, where: str):
        super().__init__(params, weight, where)
        tiers = params.get("tiers")
        if not isinstance(tiers, list) or not tiers:
            raise FrameworkError(f"{where}：分档得分须给出“tiers”档次列表")
        self.abs = bool(params.get("abs", False))
        self.upper = isinstance(tiers[0], dict) and "max" in tiers[0]
        edge = "max" if self.upper else "min"
        self.tiers: list[tuple[Decimal, Decimal]] = []
        for i, t in enumerate(tiers, 1):
            w = f"{where}第 {i} 档"
            if not isinstance(t, dict) or edge not in t or ("min" in t and "max" in t):
                raise FrameworkError(
                    f'{where}：第 {i} 档应写成 {{"{edge}": 数字, "score": 数字}}（各档都用 min，或都用 max）'
                )
            bound, score = _bound(t, edge, w, None), _num(t, "score", w)
            if bound is None:
                raise FrameworkError(f"{w}：“{edge}”应为数字")
            if score > weight:
                raise FrameworkError(f"{where}：第 {i} 档得分 {fmt(score)} 超过分值 {fmt(weight)}")
            if self.tiers:
                last_bound, last_score = self.tiers[-1]
                ordered = bound > last_bound if self.upper else bound < last_bound
                if not (ordered and score <= last_score):
                    order = "上限从低到高" if self.upper else "下限从高到低"
                    raise FrameworkError(f"{where}：档次应按{order}排列，且得分不升高（第 {i} 档）")
            self.tiers.append((bound, score))

    def both_zero_rate(self) -> Decimal:
        # 0 ÷ 0: nothing to control (no 追加, no 结余) for tiers where lower is better; the target met otherwise
        return ZERO if self.upper else HUNDRED

    def score_rate(self, rate: Decimal, r: RuleResult) -> Decimal:
        value = abs(rate) if self.abs else rate
        shown = f"|{fmt(rate)}%| = {fmt(value)}%" if self.abs and rate < 0 else f"{fmt(value)}%"
        for bound, score in self.tiers:
            if (value <= bound) if self.upper else (value >= bound):
                r.say("{} {} {}%，得 {} 分", shown, "≤" if self.upper else "≥", bound, score)
                return self.lost(rate, score, r)
        last = self.tiers[-1][0]
        r.say(
            "{} {}最{}档 {}%，得 0 分",
            shown,
            "高于" if self.upper else "低于",
            "高" if self.upper else "低",
            last,
        )
        return self.lost(rate, ZERO, r)

    def _describe(self) -> str:
        what = f"|{self.ratio_text()}|" if self.abs else self.ratio_text()
        sign = "≤" if self.upper else "≥"
        bands = "；".join(f"{sign} {fmt_pct(b)} 得 {fmt(score)} 分" for b, score in self.tiers)
        beyond = f"高于 {fmt_pct(self.tiers[-1][0])} " if self.upper else "低于最低档"
        return f"按{what}分档（{'含上限' if self.upper else '含下限'}）：{bands}；{beyond}得 0 分"


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
        r.deduct(off, "{}{} {}%", label, self.rate_label, rate)
        return off

    def _describe(self) -> str:
        parts = "、".join(f"{label}（{fmt(w)} 分）" for _, label, w, _ in self.parts)
        avg = f"及{self.average[0]}（{fmt(self.average[1])} 分）" if self.average else ""
        return (
            f"{parts}{avg}分别计分：每项扣分 = 权重 × (1 − {self.rate_label})，四舍五入到 0.01 分；"
            f"{self.rate_label} = {self.spending_label} ÷ ({self.budget_label} × 目标进度)，或直接填写"
        )


DIRECTIONS = {"≥": "不低于", "≤": "不高于", "=": "等于"}
NATURES = ("定量", "定性")
BANDS = ("达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差")


def _fixed(params: dict, key: str, options: tuple[str, ...] | dict, where: str) -> str:
    """A parameter that fixes what would otherwise be chosen per row ("" when not fixed)."""
    value = params.get(key, "")
    if value and value not in options:
        raise FrameworkError(f"{where}：参数“{key}”应为 {'、'.join(options)} 之一")
    return value


def _met(direction: str, actual: Decimal, target: Decimal) -> bool:
    return (
        actual >= target if direction == "≥" else actual <= target if direction == "≤" else actual == target
    )


class Target(Rule):
    """自评表指标行 (the national 项目支出/部门整体绩效自评表 row): 年度指标值 against 实际完成值.

    定量: met (≥, ≤ or = as the row's direction) → full marks; not met → 实际/指标 × 分值 for ≥, 指标/实际 ×
    分值 for ≤, the smaller over the larger for =; never above the weight. Optional `deviation`
    `{"over": 30, "points": 2}`: a 完成值 that departs from the 指标值 by `over`% or more in the row's favourable
    direction (either way for =) loses `points` (一体化平台: "超过…30%及以上…减2分"). A row not met, or
    deviating by `over`% or more, needs a 偏差原因.
    定性: three bands (达成 / 部分达成并具有一定效果 / 未达成且效果较差) with lower edges `bands` (percent of the
    weight, default [80, 60]: 100–80%（含）, 80–60%（含）, below 60%); the clerk picks the band and the score
    within it. `nature` and `direction` fix what is otherwise chosen per row."""

    type_name = "target"
    title = "指标完成情况"
    reason_label = "偏差原因分析及改进措施"
    params_allowed = frozenset({"nature", "direction", "bands", "deviation"})

    def __init__(self, params: dict, weight: Decimal, where: str):
        super().__init__(params, weight, where)
        self.nature = _fixed(params, "nature", NATURES, where)
        self.direction = _fixed(params, "direction", DIRECTIONS, where)
        bands = params.get("bands", [80, 60])
        if not isinstance(bands, list) or len(bands) != 2:
            raise FrameworkError(f"{where}：参数“bands”应为两个分数线（占分值的百分比），例如 [80, 60]")
        hi, lo = (_num({"b": b}, "b", f"{where}的 bands") for b in bands)
        if not HUNDRED > hi > lo > 0:
            raise FrameworkError(f"{where}：参数“bands”应从高到低，且在 0 与 100 之间，例如 [80, 60]")
        self.bands = (hi, lo)
        dev = params.get("deviation")
        self.deviation: tuple[Decimal, Decimal] | None = None
        if dev is not None:
            if not isinstance(dev, dict) or set(dev) != {"over", "points"}:
                raise FrameworkError(f'{where}：参数“deviation”应写成 {{"over": 30, "points": 2}}')
            self.deviation = (_num(dev, "over", where, positive=True), _num(dev, "points", where))

    def _declare(self) -> list[InputSpec]:
        specs = [InputSpec("unit", "计量单位", "text", optional=True)]
        if not self.nature:
            specs.append(InputSpec("nature", "指标性质", "choice", options=NATURES))
        if self.nature != "定性" and not self.direction:
            specs.append(
                InputSpec("direction", "方向（定量）", "choice", optional=True, options=tuple(DIRECTIONS))
            )
        specs += [
            InputSpec("target", "年度指标值", "text", lo=None),
            InputSpec("actual", "实际完成值", "text", lo=None),
        ]
        if self.nature != "定量":
            specs += [
                InputSpec("band", "完成档次（定性）", "choice", optional=True, options=BANDS),
                InputSpec("score", "得分（定性，在所选档次内）", "points", optional=True, hi=self.weight),
            ]
        return specs

    def direction_of(self, inputs: dict[str, str]) -> str:
        if (self.nature or inputs.get("nature", "").strip()) != "定量":
            return ""
        direction = self.direction or inputs.get("direction", "").strip() or "≥"  # as _quantitative reads it
        return direction if direction in DIRECTIONS else ""

    def evaluate(self, get: Getter) -> RuleResult:
        r = RuleResult()
        specs = {s.key: s for s in self.inputs()}
        nature = self.nature or choice(get, specs["nature"], r)
        if nature == "定量":
            self._quantitative(get, specs, r)
        elif nature == "定性":
            self._qualitative(get, specs, r)
        return r

    def _quantitative(self, get: Getter, specs: dict[str, InputSpec], r: RuleResult) -> None:
        direction = (
            self.direction or choice(get, specs["direction"], r) or ("≥" if "direction" in specs else "")
        )
        target, actual = get("target"), get("actual")
        for key, value in (("target", target), ("actual", actual)):
            if value is None and not get.text(key):  # type: ignore[attr-defined]
                r.miss(key, specs[key].short)
        if target is None or actual is None or r.problems or r.missing:
            return
        names = {
            "actual_label": "实际完成值",
            "target_label": "年度指标值",
            "actual": actual,
            "target": target,
        }
        met = r.met = _met(direction, actual, target)
        if met:
            score = self.weight
            r.say("实际完成值 {} {} 年度指标值 {}，达成，得满分 {} 分", actual, direction, target, score)
        else:
            if direction == "≥":
                ratio = actual / target if target > 0 else ZERO
                how = "实际完成值 ÷ 年度指标值"
            elif direction == "≤":
                ratio = target / actual if actual > 0 and target >= 0 else ZERO
                how = "年度指标值 ÷ 实际完成值"
            else:
                small, large = sorted((abs(actual), abs(target)))
                ratio = small / large if large else ZERO
                how = "较小值 ÷ 较大值"
            ratio = max(ZERO, min(ratio, Decimal(1)))
            score = q2(self.weight * ratio)
            r.rates["completion"] = q2(ratio * HUNDRED)
            r.say(
                "未达成（应{}年度指标值 {}）：得分 = {} × {}%（{}）= {} 分",
                DIRECTIONS[direction],
                target,
                self.weight,
                r.rates["completion"],
                how,
                score,
            )
            r.deduct(self.weight - score, "实际完成值 {} 未达到年度指标值 {}", actual, target)
            r.needs_reason = Problem(
                "not_met", "reason", {**names, "direction": f"应{DIRECTIONS[direction]}指标值"}
            )
        off = _deviation(direction, actual, target)
        if off is not None:
            r.rates["deviation"] = off
        if self.deviation and off is not None and off >= self.deviation[0]:
            over, points = self.deviation
            cut = min(points, score)
            score -= cut
            r.say("完成值偏离指标值 {}%（{}% 及以上为偏离），扣 {} 分，得 {} 分", off, over, cut, score)
            r.deduct(cut, "完成值偏离指标值 {}%", off)
            r.needs_reason = r.needs_reason or Problem(
                "deviation", "reason", {**names, "off": off, "over": over}
            )
        r.score = score

    def _qualitative(self, get: Getter, specs: dict[str, InputSpec], r: RuleResult) -> None:
        band = choice(get, specs["band"], r)
        value = get("score")
        if not band:
            if band == "":
                r.miss("band", specs["band"].short)
            return
        hi_edge, lo_edge = self.bands
        index = BANDS.index(band)
        lo = (hi_edge, lo_edge, ZERO)[index] * self.weight / HUNDRED
        hi = (HUNDRED, hi_edge, lo_edge)[index] * self.weight / HUNDRED
        if value is None:
            if not get.text("score"):  # type: ignore[attr-defined]
                r.miss("score", specs["score"].short)
            return
        value = q2(value)
        inside = lo <= value <= hi if index == 0 else lo <= value < hi if index == 1 else value < hi
        if not inside:
            edge = "（不含上限）" if index else ""
            r.error("band_range", "score", band=band, lo=q2(lo), hi=q2(hi), edge=edge, value=value)
            return
        r.met = index == 0
        r.score = value
        r.say(
            "{}（{}%—{}% 分值）：评定 {} 分",
            band,
            q2(lo / self.weight * HUNDRED),
            q2(hi / self.weight * HUNDRED),
            value,
        )
        if value < self.weight:
            r.deduct(self.weight - value, "{}", band)
        if index:
            r.needs_reason = Problem(
                "not_met",
                "reason",
                {
                    "actual_label": "完成档次",
                    "actual": band,
                    "target_label": "年度指标",
                    "target": "",
                    "direction": "定性",
                },
            )

    def _describe(self) -> str:
        hi, lo = (fmt(b) for b in self.bands)
        quant = (
            "定量指标达成得满分；未达成的，正向（≥）指标按 实际完成值 ÷ 年度指标值 × 分值、反向（≤）指标按 年度指标值 ÷ "
            "实际完成值 × 分值计分，最高不超过分值"
        )
        if self.deviation:
            quant += f"；完成值偏离指标值 {fmt(self.deviation[0])}% 及以上的，扣 {fmt(self.deviation[1])} 分"
        qual = (
            f"定性指标按达成年度指标、部分达成年度指标并具有一定效果、未达成年度指标且效果较差三档，分别在分值的 "
            f"100%—{hi}%（含）、{hi}%—{lo}%（含）、{lo}%—0 之间评定"
        )
        parts = [quant] if self.nature == "定量" else [qual] if self.nature == "定性" else [quant, qual]
        return "；".join(parts) + "；未达成或偏离的须说明偏差原因"


def _deviation(direction: str, actual: Decimal, target: Decimal) -> Decimal | None:
    """How far (percent of the 指标值) a 完成值 went beyond it in the row's favourable direction (either way
    for =); None when it did not or the 指标值 is 0."""
    if target == 0:
        return None
    off = (actual - target) / abs(target) * HUNDRED
    off = off if direction == "≥" else -off if direction == "≤" else abs(off)
    return q2(off) if off > 0 else None


class Coefficient(Rule):
    """得分系数 × 权重 (重庆): the clerk types 得分系数 (0–100%) for the row; score = 系数 × 权重. The row's 计量单位,
    年初指标值, 全年完成值 and 是否核心指标 are kept for the table; with a direction (≥, ≤, =) given, a
    coefficient that contradicts them (100% for a row not met, below 100% for one met) is a 警告."""

    type_name = "coefficient"
    title = "得分系数法"
    params_allowed = frozenset({"direction"})

    def __init__(self, params: dict, weight: Decimal, where: str):
        super().__init__(params, weight, where)
        self.direction = _fixed(params, "direction", DIRECTIONS, where)

    def _declare(self) -> list[InputSpec]:
        specs = [
            InputSpec("unit", "计量单位", "text", optional=True),
            InputSpec("target", "年初指标值", "text", optional=True, lo=None),
            InputSpec("actual", "全年完成值", "text", optional=True, lo=None),
        ]
        if not self.direction:
            specs.append(InputSpec("direction", "方向", "choice", optional=True, options=tuple(DIRECTIONS)))
        return specs + [
            InputSpec("coefficient", "得分系数", "percent", hi=HUNDRED),
            InputSpec("core", "是否核心指标", "choice", optional=True, options=("是", "否")),
        ]

    def direction_of(self, inputs: dict[str, str]) -> str:
        direction = self.direction or inputs.get("direction", "").strip()
        return direction if direction in DIRECTIONS else ""

    def evaluate(self, get: Getter) -> RuleResult:
        r = RuleResult()
        specs = {s.key: s for s in self.inputs()}
        for key in ("direction", "core"):
            if key in specs:
                choice(get, specs[key], r)
        coefficient = get("coefficient")
        if coefficient is None:
            if not get.text("coefficient"):  # type: ignore[attr-defined]
                r.miss("coefficient", "得分系数")
            return r
        if r.problems:
            return r
        c = r.rates["coefficient"] = q2(coefficient)
        r.rate = c
        r.score = q2(self.weight * c / HUNDRED)
        r.say("得分 = {} × {}% = {} 分", self.weight, c, r.score)
        if r.score < self.weight:
            r.deduct(self.weight - r.score, "得分系数 {}%", c)
        direction = self.direction or get.text("direction")  # type: ignore[attr-defined]
        target, actual = _number(get.text("target")), _number(get.text("actual"))  # type: ignore[attr-defined]
        if direction in DIRECTIONS and target is not None and actual is not None:
            r.met = _met(direction, actual, target)
            shown = {"target": get.text("target"), "actual": get.text("actual")}  # type: ignore[attr-defined]
            if r.met is False and c == HUNDRED:
                text = f"得分系数 100%，而全年完成值 {shown['actual']} 未达到年初指标值 {shown['target']}（应{DIRECTIONS[direction]}）"
                r.note(WARNING, "contradicts", "coefficient", text=text)
            elif r.met and c < HUNDRED:
                text = (
                    f"全年完成值 {shown['actual']} 已达到年初指标值 {shown['target']}，得分系数却为 {fmt(c)}%"
                )
                r.note(WARNING, "contradicts", "coefficient", text=text)
        return r

    def _describe(self) -> str:
        return "得分 = 得分系数 × 权重；得分系数按指标完成情况在 0—100% 之间确定"


def _number(text: str) -> Decimal | None:
    try:
        return parse_number(text)
    except NumberError:
        return None


class PerCount(Rule):
    """每出现一例扣分: `per` points off for each case found (不符合要求的情况), down to 0."""

    type_name = "per_count"
    title = "按次扣分"
    params_allowed = frozenset({"per", "count_label", "unit"})

    def __init__(self, params: dict, weight: Decimal, where: str):
        super().__init__(params, weight, where)
        self.per = _num(params, "per", where, positive=True)
        self.count_label = _text(params, "count_label", where, "不符合要求的情况")
        self.unit = _text(params, "unit", where, "例")

    def _declare(self) -> list[InputSpec]:
        return [InputSpec("count", f"{self.count_label}（没有填 0）", "count", self.unit, integer=True)]

    def evaluate(self, get: Getter) -> RuleResult:
        r = RuleResult()
        n = get("count")
        if n is None:
            r.miss("count", self.count_label)
            return r
        off = min(self.weight, q2(n * self.per))
        r.score = self.weight - off
        r.say(
            "{} {} {}，扣 {} × {} = {} 分，得 {} 分",
            self.count_label,
            n,
            self.unit,
            n,
            self.per,
            off,
            r.score,
        )
        r.deduct(off, "{} {} {}", self.count_label, n, self.unit)
        return r

    def _describe(self) -> str:
        return f"每出现一{self.unit}{self.count_label}扣 {fmt(self.per)} 分，扣完为止"


class Checklist(Rule):
    """逐项计分: items each worth points (管理制度健全性 ①…1分 ②…1分 ③…1分); the clerk answers 是 or 否 for
    each; the score is the points of the items answered 是. The items' points add up to the weight."""

    type_name = "checklist"
    title = "逐项计分"
    params_allowed = frozenset({"items"})

    def __init__(self, params: dict, weight: Decimal, where: str):
        super().__init__(params, weight, where)
        items = params.get("items")
        if not isinstance(items, list) or not items:
            raise FrameworkError(f'{where}：逐项计分须给出“items”：[{{"label": "…", "points": 1}}, …]')
        self.items: list[tuple[str, Decimal]] = []
        for i, item in enumerate(items, 1):
            w = f"{where}第 {i} 项"
            if not isinstance(item, dict):
                raise FrameworkError(f"{w}应为对象")
            self.items.append((_text(item, "label", w), _num(item, "points", w, positive=True)))
        total = sum((p for _, p in self.items), ZERO)
        if total != weight:
            raise FrameworkError(f"{where}：各项分值合计 {fmt(total)}，应等于指标分值 {fmt(weight)}")

    def _declare(self) -> list[InputSpec]:
        return [
            InputSpec(f"item{i}", f"{label}（{fmt(p)} 分）", "choice", options=("是", "否"))
            for i, (label, p) in enumerate(self.items, 1)
        ]

    def evaluate(self, get: Getter) -> RuleResult:
        r = RuleResult()
        answers = [choice(get, spec, r) for spec in self.inputs()]
        if r.missing or r.problems:
            return r
        score = ZERO
        for (label, points), answer in zip(self.items, answers, strict=True):
            if answer == "是":
                score += points
            else:
                r.deduct(points, "未做到：{}", label)
        r.score = score
        r.say("做到 {} 项中的 {} 项，得 {} 分", len(self.items), answers.count("是"), score)
        return r

    def _describe(self) -> str:
        items = "；".join(f"{label}，{fmt(p)} 分" for label, p in self.items)
        return f"逐项计分：{items}"


RULE_TYPES: dict[str, type[Rule]] = {
    cls.type_name: cls
    for cls in (
        Judged,
        Proportional,
        CountRatio,
        Limit,
        Tiers,
        WeightedParts,
        Target,
        Coefficient,
        PerCount,
        Checklist,
    )
}
