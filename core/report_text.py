"""Rows and texts the exports share, built from the score sheet so that no export can disagree with it.

表2 评分表 (rows with the spans of their 一级 and 二级 cells) and 附件1 评分明细 (each leaf with its standard,
the figures used, the rate, the score, the points taken off and the reason).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.document import Evaluation
from core.framework import Indicator
from core.numbers import NumberError, fmt, parse_number
from core.scoring import NodeScore, ScoreSheet


@dataclass
class Table2Row:
    """One 三级 row of 表2. `level1_span` / `level2_span` are the rows a merged cell covers, on its first row
    (0 on the rows it covers)."""

    level1: NodeScore
    level2: NodeScore
    leaf: NodeScore
    level1_span: int
    level2_span: int


def table2_rows(sheet: ScoreSheet) -> list[Table2Row]:
    rows: list[Table2Row] = []
    for l1 in sheet.nodes:
        l1_leaves = sum(len(l2.children) or 1 for l2 in l1.children)
        for i, l2 in enumerate(l1.children):
            for j, leaf in enumerate(l2.children or [l2]):
                rows.append(Table2Row(l1, l2, leaf, l1_leaves if i == 0 and j == 0 else 0,
                                      (len(l2.children) or 1) if j == 0 else 0))
    return rows


def _shown(text: str, unit: str) -> str:
    try:
        value = parse_number(text)
    except NumberError:
        return f"“{text}”（无效）"
    if value is None:
        return "未填"
    return f"{fmt(value)}{'%' if unit == '%' else ' ' + unit if unit else ''}"


def figures_used(doc: Evaluation, ind: Indicator) -> list[str]:
    """The inputs a leaf was scored from, as "label value unit", shared figures included."""
    if ind.rule is None or ind.rule.type_name == "judged":
        return []
    entry = doc.indicators.get(ind.id) or {}
    out = []
    for spec in ind.rule.inputs():
        bound = ind.bind.get(spec.key)
        if bound is None:
            text = entry.get("inputs", {}).get(spec.key, "")
            if text.strip() or not spec.optional:
                out.append(f"{spec.label.split('（')[0]} {_shown(text, spec.shown_unit)}")
            continue
        for key in bound:
            fig = doc.framework.figures[key]
            text = doc.figures.get(key, "")
            if text.strip() or not spec.optional:
                out.append(f"{fig.label.removeprefix('其中：')} {_shown(text, fig.unit)}")
    return out


@dataclass
class DetailRow:
    """附件1: one 三级 indicator in full."""

    node: NodeScore
    standard: str
    figures: list[str]
    formula: list[str]
    reason: str


def detail_rows(doc: Evaluation, sheet: ScoreSheet) -> list[DetailRow]:
    out = []
    for node in sheet.leaves():
        entry = doc.indicators.get(node.id) or {}
        reason = node.reason
        if node.overridden:
            reason = "；".join(x for x in (reason, "手工调整：" + entry.get("override_reason", "").strip()) if x)
        out.append(DetailRow(node, node.indicator.standard, figures_used(doc, node.indicator), node.formula, reason))
    return out
