"""Scoring (评分): a pure function from an evaluation document to its score sheet.

Never raises for unfilled or bad input: such an indicator is "open" (未填) or has a problem, and the sheet
counts them. Leaf scores are rounded half-up to 0.01 by their rule; subtotals and the total are exact sums.
A keystroke rescores one leaf: results are kept in the document's `ScoreCache`, keyed on everything they
depend on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.document import Evaluation
from core.framework import Indicator
from core.numbers import HUNDRED, ZERO, fmt, q2
from core.rules import WARNING, InputSpec, Line, Problem, read_value, render

DONE, OPEN, PROBLEM = "done", "open", "problem"


@dataclass(eq=False)
class NodeScore:
    """The result for one indicator. For leaves: the formula used, deductions, problems.

    `issues` are the problems that stop or question the score (errors, as records: code, key, values);
    `gaps` the inputs still empty; `notes` what 审核 should ask about (warnings and hints from the rule);
    `rates` every rate the rule computed; `met` whether the figures say the target was met (None: unknown)."""

    indicator: Indicator
    score: Decimal | None = None
    computed: Decimal | None = None  # the rule's score before a hand override
    rate: Decimal | None = None  # the rate the rule scored (percent), if any
    formula_lines: list[Line] = field(default_factory=list, repr=False)  # printed when first read
    deduction_lines: list[tuple[Line, Decimal]] = field(default_factory=list, repr=False)  # likewise
    gaps: list[Problem] = field(default_factory=list)
    issues: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    rates: dict[str, Decimal] = field(default_factory=dict)
    met: bool | None = None
    asks_reason: Problem | None = None  # why the rule asks for a reason even without points lost (not met …)
    reason: str = ""
    overridden: bool = False
    na: bool = False  # marked 不适用 by the clerk (scored by the framework's policy)
    dropped: Decimal = ZERO  # weight left out of the total below this node (不适用, policy "rescale")
    children: list[NodeScore] = field(default_factory=list)
    open_leaves: int = 0
    _formula: list[str] | None = field(default=None, repr=False)
    _deductions: list[tuple[str, Decimal]] | None = field(default=None, repr=False)

    # A NodeScore does not change once scored, so its texts are printed on first read and kept.
    @property
    def formula(self) -> list[str]:
        """The formula used, one line each."""
        if self._formula is None:
            self._formula = [render(line) for line in self.formula_lines]
        return self._formula

    @property
    def deductions(self) -> list[tuple[str, Decimal]]:
        """The points taken off: (what for, points)."""
        if self._deductions is None:
            self._deductions = [(render(line), points) for line, points in self.deduction_lines]
        return self._deductions

    @property
    def problems(self) -> list[str]:
        """The issues as Chinese sentences."""
        return [p.text for p in self.issues]

    @property
    def missing(self) -> list[str]:
        """Labels of the inputs still empty."""
        return [p.text for p in self.gaps]

    @property
    def id(self) -> str:
        return self.indicator.id

    @property
    def name(self) -> str:
        return self.indicator.name

    @property
    def level(self) -> int:
        return self.indicator.level

    @property
    def weight(self) -> Decimal:
        return self.indicator.weight

    @property
    def applicable(self) -> Decimal:
        """The weight that counts: the weight, less what is 不适用 and left out below it."""
        return self.weight - self.dropped

    @property
    def lost(self) -> Decimal:
        """Points taken off (扣分)."""
        return ZERO if self.score is None else self.applicable - self.score

    @property
    def score_rate(self) -> Decimal | None:
        """得分率 in percent, rounded to 0.01 (of the weight that counts)."""
        if self.score is None or not self.applicable:
            return None
        return q2(self.score / self.applicable * HUNDRED)

    @property
    def status(self) -> str:
        if self.issues:
            return PROBLEM
        return OPEN if (self.score is None and not self.na) or self.open_leaves else DONE


@dataclass(eq=False)
class ScoreSheet:
    nodes: list[NodeScore]  # the 一级 indicators, each with its children
    by_id: dict[str, NodeScore]
    total: Decimal  # the final total: the sum of the 一级 scores, rescaled and capped as the framework says
    grade: str
    leaf_count: int
    open_count: int  # leaves without a score yet
    problem_count: int  # leaves with a problem (bad input, missing reason)
    cache: ScoreCache | None = field(default=None, repr=False)  # the cache it was scored with
    raw_total: Decimal = ZERO  # the sum of the 一级 scores
    total_lines: list[Line] = field(default_factory=list, repr=False)  # how the total was made from raw_total

    @property
    def total_formula(self) -> list[str]:
        """How the total differs from the sum of the 一级 scores (不适用 rescaling, caps), one line each."""
        return [render(line) for line in self.total_lines]

    @property
    def complete(self) -> bool:
        return self.open_count == 0

    def all_nodes(self) -> list[NodeScore]:
        out: list[NodeScore] = []

        def walk(n: NodeScore) -> None:
            out.append(n)
            for c in n.children:
                walk(c)

        for n in self.nodes:
            walk(n)
        return out

    def leaves(self) -> list[NodeScore]:
        return [n for n in self.all_nodes() if n.indicator.is_leaf]


class ScoreCache:
    """Results of earlier scorings of one document, reused while nothing they depend on has changed.

    The one cache of scoring results; scoring owns it and keeps it on the document (`Evaluation.cache`). A
    leaf's NodeScore is stored with a key made of everything the result depends on: the indicator
    object (its bindings; the cache is keyed on the object), its weight and rule, the inputs typed on it, the figures it reads, its reason and its
    override. A NodeScore is never changed once made, so whatever another module derives from one (审核's
    findings for a leaf) is kept here too, with the NodeScore it was made from (`derived`)."""

    def __init__(self) -> None:
        self.leaves: dict[Indicator, tuple[tuple, NodeScore]] = {}
        self._derived: dict[tuple[str, str], tuple[NodeScore, object]] = {}

    def derived(self, name: str, node: NodeScore, make):
        """What `make()` derives from a leaf's result, made again only when the result is a new one."""
        key = (name, node.id)
        kept = self._derived.get(key)
        if kept is None or kept[0] is not node:
            kept = self._derived[key] = (node, make())
        return kept[1]

    def clear(self) -> None:
        self.leaves.clear()
        self._derived.clear()


def _key(doc: Evaluation, ind: Indicator, entry: dict) -> tuple:
    """Everything a leaf's result depends on besides the indicator object itself (the cache's key): its
    weight and rule, what is typed on it, the figures (this year's and last year's) it reads, its reason,
    override and 不适用 mark, and the framework's 不适用 policy. If this is unchanged, so is the result."""
    figures = doc.figures
    return (
        ind.weight,
        ind.rule,
        doc.framework.not_applicable,
        tuple(entry.get("inputs", {}).items()) if entry else (),
        tuple([figures.get(f, "") for f in ind.figure_keys]) if ind.figure_keys else (),
        tuple([doc.previous.get(f, "") for f in ind.previous_keys]) if ind.previous_keys else (),
        (
            entry.get("reason", ""),
            entry.get("override", ""),
            entry.get("override_reason", ""),
            entry.get("na", ""),
        )
        if entry
        else (),
    )


def score_leaf(doc: Evaluation, ind: Indicator, cache: ScoreCache | None = None) -> NodeScore:
    """Score one leaf; with a cache, an unchanged leaf gives back its earlier result."""
    entry = doc.indicators.get(ind.id)
    if cache is None:
        return _score_leaf(doc, ind, entry or {})
    key = _key(doc, ind, entry)
    kept = cache.leaves.get(ind)
    if kept is not None and kept[0] == key:
        return kept[1]
    node = _score_leaf(doc, ind, entry or {})
    cache.leaves[ind] = (key, node)
    return node


def _score_leaf(doc: Evaluation, ind: Indicator, entry: dict) -> NodeScore:
    reason = entry.get("reason", "").strip()
    if ind.row_gaps or ind.row_issues:  # a row without a usable name, weight or group: not scored yet
        return NodeScore(
            ind, gaps=list(ind.row_gaps), issues=list(ind.row_issues), reason=reason, open_leaves=1
        )
    if entry.get("na", "").strip():
        return _not_applicable(doc, ind, reason)
    inputs = entry.get("inputs", {})
    figures = doc.figures
    specs = doc.framework.figures
    issues: list[Problem] = []

    def get(key: str) -> Decimal | None:
        terms = ind.terms.get(key)
        if terms is None:
            spec = ind.specs[key]
            value, problem = read_value(inputs.get(key, ""), key, spec.short, spec, spec.shown_unit)
            if problem:
                issues.append(problem)
            return value
        total = ZERO
        for sign, where, f in terms:
            fig = specs[f]
            if where == "figures":
                value, problem = read_value(figures.get(f, ""), key, f"数据“{fig.short}”", fig, fig.unit, f)
            else:
                label = f"上年数据“{fig.short}”"
                value, problem = read_value(doc.previous.get(f, ""), key, label, fig, fig.unit, "prev:" + f)
            if problem:
                issues.append(problem)
            if value is None:
                return None
            total += value if sign > 0 else -value
        return total

    def terms(key: str) -> list[tuple[int, str, Decimal]] | None:
        """The figures an input is bound to, for the formula: (sign, label, value); None if any is unreadable."""
        out = []
        for sign, where, f in ind.terms.get(key, ()):
            text = (figures if where == "figures" else doc.previous).get(f, "")
            value, _ = read_value(text, key, "", specs[f], "", f)
            if value is None:
                return None
            out.append((sign, ("上年" if where == "previous" else "") + specs[f].short, value))
        return out

    get.text = lambda key: inputs.get(key, "").strip()  # type: ignore[attr-defined]
    get.terms = terms  # type: ignore[attr-defined]
    r = ind.rule.evaluate(get)
    issues += r.problems
    node = NodeScore(
        ind,
        rate=r.rate,
        formula_lines=r.formula,
        deduction_lines=r.deductions,
        gaps=r.missing,
        issues=issues,
        notes=r.notes,
        rates=r.rates,
        met=r.met,
        asks_reason=r.needs_reason,
        reason=reason,
    )
    if not issues:
        node.computed = node.score = r.score
        _override(node, entry, ind)
        if node.score is not None and not node.reason and not node.overridden:
            # a reason the rule asks for (not met, deviating, 执行率 below 90%)
            if r.needs_reason is not None:
                issues.append(r.needs_reason)
            elif node.score < ind.weight:
                issues.append(
                    Problem("needs_reason", "reason", {"lost": node.lost, "reason": ind.rule.reason_label})
                )
    node.open_leaves = int(node.score is None)
    return node


def _not_applicable(doc: Evaluation, ind: Indicator, reason: str) -> NodeScore:
    """A leaf the clerk marked 不适用: full marks, or left out of the total (the framework says which)."""
    policy = doc.framework.not_applicable
    node = NodeScore(ind, na=True, reason=reason, asks_reason=Problem("na_reason", "reason"))
    if not policy:
        node.issues.append(Problem("na_not_allowed", "na"))
        node.open_leaves = 1
        return node
    if policy == "full":
        node.score = node.computed = ind.weight
        node.formula_lines.append(("不适用，按满分计 {} 分", (ind.weight,)))
    else:
        node.dropped = ind.weight
        node.formula_lines.append(("不适用，{} 分不计入总分，总分按其余指标折算", (ind.weight,)))
    if not reason:
        node.issues.append(Problem("na_reason", "reason"))
    return node


_OVERRIDE = InputSpec("override", "手工调整得分", "points")


def _override(node: NodeScore, entry: dict, ind: Indicator) -> None:
    """A hand override (手工调整得分) of the computed score, which needs its own reason."""
    text = entry.get("override", "").strip()
    if not text:
        return
    value, problem = read_value(text, "override", _OVERRIDE.label, _OVERRIDE, "分")
    if problem is not None and problem.code == "negative":
        value = problem.values["value"]
    if value is not None and value > ind.weight or problem is not None and problem.code == "negative":
        problem = Problem("override_range", "override", {"hi": ind.weight, "value": value})
    if problem is not None:
        node.issues.append(problem)
        return
    if value is None:
        return
    node.score, node.overridden = q2(value), True
    node.formula_lines.append(
        ("手工调整为 {} 分（计算得分 {}）", (node.score, "—" if node.computed is None else node.computed))
    )
    if node.met is False and node.score == ind.weight:
        text = f"手工调整为满分 {fmt(node.score)} 分，而填报的完成值未达到指标值"
        node.notes = [*node.notes, Problem("contradicts", "override", {"text": text}, WARNING)]
    elif node.met and node.score < ind.weight:
        text = f"填报的完成值已达到指标值，手工调整得分却为 {fmt(node.score)} 分（满分 {fmt(ind.weight)} 分）"
        node.notes = [*node.notes, Problem("contradicts", "override", {"text": text}, WARNING)]
    if not entry.get("override_reason", "").strip():
        node.issues.append(Problem("override_reason", "override_reason"))


def score(doc: Evaluation) -> ScoreSheet:
    cache = doc.cache
    if cache is None:
        cache = doc.cache = ScoreCache()
    by_id: dict[str, NodeScore] = {}
    counts = [0, 0, 0]  # leaves, open, problems

    def walk(ind: Indicator) -> NodeScore:
        if ind.is_leaf:
            node = score_leaf(doc, ind, cache)
            counts[0] += 1
            counts[1] += node.open_leaves
            if node.issues:
                counts[2] += 1
        else:
            node = NodeScore(ind, children=[walk(c) for c in ind.children])
            node.score = sum((c.score for c in node.children if c.score is not None), ZERO)
            node.open_leaves = sum(c.open_leaves for c in node.children)
            node.dropped = sum((c.dropped for c in node.children), ZERO)
            bad = sum(1 for c in node.children if c.issues)
            if bad:
                node.issues = [Problem("children", "", {"count": bad})]
            if ind.rows is not None:
                _rows_node(node, counts)
        by_id[ind.id] = node
        return node

    roots = [walk(r) for r in doc.tree.roots]
    raw = sum((n.score for n in roots if n.score is not None), ZERO)
    total, lines = _total(doc, roots, raw, by_id)
    return ScoreSheet(
        roots,
        by_id,
        total,
        doc.framework.grade(total),
        *counts,
        cache=cache,
        raw_total=raw,
        total_lines=lines,
    )


def _rows_node(node: NodeScore, counts: list[int]) -> None:
    """A node whose rows the clerk adds: open while it has none; its rows' weights must add up to its own."""
    ind = node.indicator
    leaves = [x for c in ind.children for x in (c.children or [c])]
    if not leaves:
        node.score = None
        node.gaps = [Problem("missing", "rows", {"label": "自定义指标（请逐行添加）"})]
        node.open_leaves += 1
        counts[0] += 1  # an indicator to fill, as a leaf is (else a scored sheet would read as blank)
        counts[1] += 1
        return
    if any(x.row_gaps or x.row_issues for x in leaves):
        return  # each such row says what is wrong with it
    total = sum((x.weight for x in leaves), ZERO)
    if total != ind.weight:
        node.issues.append(
            Problem("rows_weight", "rows", {"total": total, "weight": ind.weight, "name": ind.name})
        )
        counts[2] += 1


def _total(
    doc: Evaluation, roots: list[NodeScore], raw: Decimal, by_id: dict[str, NodeScore]
) -> tuple[Decimal, list[Line]]:
    """The total from the sum of the 一级 scores: rescaled when 不适用 weight is left out, then capped by the
    framework's caps (执行率 below 80% → at most 89 points …)."""
    fw = doc.framework
    lines: list[Line] = []
    dropped = sum((n.dropped for n in roots), ZERO)
    total = raw
    if dropped and dropped < fw.total:
        counted = fw.total - dropped
        total = q2(raw / counted * fw.total)
        lines.append(
            (
                "不适用指标共 {} 分不计入，按其余 {} 分折算：{} ÷ {} × {} = {} 分",
                (dropped, counted, raw, counted, fw.total, total),
            )
        )
    caps = fw.caps
    node = by_id.get(caps.indicator) if caps else None
    band = (
        caps.cap(node.rate) if node is not None and node.rate is not None and node.score is not None else None
    )
    if band is not None:
        below, cap = band
        if total > cap:
            lines.append(
                (
                    "{} {}% 低于 {}%，自评总分不超过 {} 分：{} 分按 {} 分计",
                    (caps.label, node.rate, below, cap, total, cap),
                )
            )
            total = cap
        else:
            lines.append(
                ("{} {}% 低于 {}%，自评总分不超过 {} 分（未超过）", (caps.label, node.rate, below, cap))
            )
    return total, lines
