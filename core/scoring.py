"""Scoring (评分): a pure function from an evaluation document to its score sheet.

Never raises for unfilled or bad input: such an indicator is "open" (未填) or has a problem, and the sheet
counts them. Leaf scores are rounded half-up to 0.01 by their rule; subtotals and the total are exact sums.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.document import Evaluation
from core.framework import Indicator
from core.numbers import HUNDRED, ZERO, NumberError, fmt, parse_number, q2
from core.rules import Line, render

DONE, OPEN, PROBLEM = "done", "open", "problem"


@dataclass(eq=False)
class NodeScore:
    """The result for one indicator. For leaves: the formula used, deductions, problems."""

    indicator: Indicator
    score: Decimal | None = None
    computed: Decimal | None = None  # the rule's score before a hand override
    rate: Decimal | None = None  # the rate the rule scored (percent), if any
    formula_lines: list[Line] = field(default_factory=list, repr=False)  # printed when first read
    deduction_lines: list[tuple[Line, Decimal]] = field(default_factory=list, repr=False)  # likewise
    missing: list[str] = field(default_factory=list)  # labels of inputs still empty
    problems: list[str] = field(default_factory=list)  # Chinese messages
    reason: str = ""
    overridden: bool = False
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
    def lost(self) -> Decimal:
        """Points taken off (扣分)."""
        return ZERO if self.score is None else self.weight - self.score

    @property
    def score_rate(self) -> Decimal | None:
        """得分率 in percent, rounded to 0.01."""
        return None if self.score is None else q2(self.score / self.weight * HUNDRED)

    @property
    def status(self) -> str:
        if self.problems:
            return PROBLEM
        return OPEN if self.score is None or self.open_leaves else DONE


@dataclass(eq=False)
class ScoreSheet:
    nodes: list[NodeScore]  # the 一级 indicators, each with its children
    by_id: dict[str, NodeScore]
    total: Decimal
    grade: str
    leaf_count: int
    open_count: int  # leaves without a score yet
    problem_count: int  # leaves with a problem (bad input, missing reason)

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


def _value(text: str, label: str, problems: list[str]) -> Decimal | None:
    try:
        return parse_number(text)
    except NumberError as e:
        problems.append(f"{label}：{e}")
        return None


def _typed(doc: Evaluation, ind: Indicator, entry: dict) -> tuple:
    """Everything a leaf's score depends on, as typed: if it is unchanged, so is the score."""
    inputs = entry.get("inputs", {})
    figures = doc.figures
    return (
        tuple([inputs.get(k, "") for k in ind.typed_keys]),
        tuple([figures.get(f, "") for f in ind.figure_keys]),
        entry.get("reason", ""),
        entry.get("override", ""),
        entry.get("override_reason", ""),
    )


def score_leaf(doc: Evaluation, ind: Indicator) -> NodeScore:
    """Score one leaf. Memoised on the indicator by its typed inputs, so a keystroke rescores one leaf."""
    entry = doc.indicators.get(ind.id) or {}
    typed = _typed(doc, ind, entry)
    if ind.memo is not None and ind.memo[0] == typed:
        return ind.memo[1]
    node = _score_leaf(doc, ind, entry)
    node.open_leaves = int(node.score is None)
    ind.memo = (typed, node)
    return node


def _score_leaf(doc: Evaluation, ind: Indicator, entry: dict) -> NodeScore:
    inputs = entry.get("inputs", {})
    figures = doc.figures
    problems: list[str] = []

    def get(key: str) -> Decimal | None:
        bound = ind.bind.get(key)
        if bound is None:
            return _value(inputs.get(key, ""), ind.labels[key], problems)
        total = ZERO
        for f in bound:
            v = _value(figures.get(f, ""), doc.framework.figures[f].label, problems)
            if v is None:
                return None
            total += v
        return total

    r = ind.rule.evaluate(get)
    problems += r.errors
    node = NodeScore(
        ind,
        rate=r.rate,
        formula_lines=r.formula,
        deduction_lines=r.deductions,
        missing=r.missing,
        problems=problems,
        reason=entry.get("reason", "").strip(),
    )
    if problems:
        return node
    node.computed = r.score
    node.score = r.score
    override = entry.get("override", "").strip()
    if override:
        value = _value(override, "手工调整得分", node.problems)
        if value is not None and not ZERO <= value <= ind.weight:
            node.problems.append(f"手工调整得分应在 0 到 {fmt(ind.weight)} 分之间，现为 {fmt(value)}")
        elif value is not None:
            node.score, node.overridden = q2(value), True
            node.formula_lines.append(
                ("手工调整为 {} 分（计算得分 {}）", (node.score, "—" if r.score is None else r.score))
            )
            if not entry.get("override_reason", "").strip():
                node.problems.append("手工调整得分须写明理由")
    if node.score is not None and node.score < ind.weight and not node.reason and not node.overridden:
        node.problems.append(f"扣 {fmt(node.lost)} 分，须填写扣分理由")
    return node


def score(doc: Evaluation) -> ScoreSheet:
    by_id: dict[str, NodeScore] = {}
    counts = [0, 0, 0]  # leaves, open, problems

    def walk(ind: Indicator) -> NodeScore:
        if ind.is_leaf:
            node = score_leaf(doc, ind)
            counts[0] += 1
            counts[1] += node.open_leaves
            if node.problems:
                counts[2] += 1
        else:
            node = NodeScore(ind, children=[walk(c) for c in ind.children])
            node.score = sum((c.score for c in node.children if c.score is not None), ZERO)
            node.open_leaves = sum(c.open_leaves for c in node.children)
            if any(c.problems for c in node.children):
                node.problems = [f"{sum(1 for c in node.children if c.problems)} 项下级指标有问题"]
        by_id[ind.id] = node
        return node

    roots = [walk(r) for r in doc.framework.roots]
    total = sum((n.score for n in roots if n.score is not None), ZERO)
    return ScoreSheet(roots, by_id, total, doc.framework.grade(total), *counts)
