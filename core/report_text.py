"""The sentences of the report model (core.report), built from the score sheet so that nothing can disagree
with it: section 四's opening and its paragraphs per 一级 indicator (scores_opening, level1_paragraphs), and a
leaf's reason joined with the reason of a hand override (leaf_reason)."""

from __future__ import annotations

from core.document import Evaluation
from core.numbers import fmt, fmt_pct
from core.scoring import NodeScore, ScoreSheet

# Section 四 (评分情况): sentences generated from the score sheet, in the seed report's wording. Every number
# comes from the sheet, so the text cannot disagree with 表2.

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int, counting: bool = False) -> str:
    """1 → 一, 10 → 十, 21 → 二十一 (up to 99; larger numbers stay in digits); counting: 2 → 两 (两个方面)."""
    if counting and n == 2:
        return "两"
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _DIGITS[tens]) + "十" if tens else "") + (_DIGITS[ones] if ones else "")


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text[-1] in "。！？；.!?" else text + "。"


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else "、".join(names[:-1]) + "和" + names[-1]


def leaf_count(node: NodeScore) -> int:
    return sum(leaf_count(c) for c in node.children) if node.children else 1


def join_sentences(parts: list[str], sep: str = "；") -> str:
    """Texts joined by one mark: "理由。" and "手工调整：…" give "理由；手工调整：…", never "。；"."""
    parts = [p.strip() for p in parts if p and p.strip()]
    return sep.join([p.rstrip("。；;.，, ") for p in parts[:-1]] + parts[-1:])


def leaf_reason(doc: Evaluation, node: NodeScore) -> str:
    """The reason the user gave for a leaf's points off, with the reason of a hand override."""
    reason = node.reason
    if node.overridden:
        entry = doc.indicators.get(node.id) or {}
        why = entry.get("override_reason", "").strip()
        reason = join_sentences([reason, "手工调整：" + why if why else ""])
    return reason


def scores_opening(doc: Evaluation, sheet: ScoreSheet) -> str:
    """The first sentence of section 四."""
    pending = "" if sheet.complete else f"（尚有 {sheet.open_count} 项末级指标未评分，得分与等级为暂定）"
    return (
        f"参照《{doc.framework.name}》进行自评，结合工作实际，逐项对照，认真梳理，"
        f"本次{doc.framework.subject}绩效评价得分为"
        f"{fmt(sheet.total)}分{pending}，整体评价为“{sheet.grade}”，详见表2（具体评分情况见附件1）。"
        + "".join(_sentence(line) for line in sheet.total_formula)  # 不适用 rescaling, caps on the total
    )


def _deduction(doc: Evaluation, leaf: NodeScore) -> str:
    """ "预算执行率指标扣 0.54 分（一季度预算执行率 83.58%，扣 0.16 分；…）。reason" """
    if leaf.overridden:
        detail = f"计算得分 {fmt(leaf.computed, '—')} 分，手工调整为 {fmt(leaf.score)} 分"
    elif len(leaf.deductions) > 1 and sum(d for _, d in leaf.deductions) == leaf.lost:
        detail = "；".join(f"{label}，扣 {fmt(d)} 分" for label, d in leaf.deductions)
    elif len(leaf.deductions) == 1 and leaf.deductions[0][0] != "评议扣分":
        detail = leaf.deductions[0][0]
    else:
        detail = ""
    text = (
        f"{leaf.name}指标扣 {fmt(leaf.lost)} 分"
        + (f"（{detail}）" if detail else "")
        + "。"
        + _sentence(leaf.reason)
    )
    if leaf.overridden:
        entry = doc.indicators.get(leaf.id) or {}
        text += (
            "手工调整理由：" + _sentence(entry.get("override_reason", ""))
            if entry.get("override_reason")
            else ""
        )
    return text


def level1_paragraphs(doc: Evaluation, sheet: ScoreSheet) -> list[tuple[str, list[str]]]:
    """For each 一级 indicator: its heading "（一）“部门决策”指标评分情况" and its paragraphs, e.g. "本指标总分 55 分，
    得分 48.96 分，得分率 89.02%，主要用于评价…四个方面，共设置了 8 个末级指标。主要扣分情况如下：", "一是…"."""
    out = []
    for i, node in enumerate(sheet.nodes, 1):
        names = [c.name for c in node.children]
        aspects = (
            f"主要用于评价{_listed(names)}{cn_number(len(names), counting=True)}个方面，" if names else ""
        )
        leaves = _leaves(node)
        lost = [n for n in leaves if n.score is not None and n.lost > 0]
        pending = [n.name for n in leaves if n.score is None and not n.na]
        na = [n.name for n in leaves if n.na]
        if not pending:
            scored = f"得分 {fmt(node.score)} 分，得分率 {fmt_pct(node.score_rate)}，"
        elif len(pending) < len(leaves):
            scored = f"已评分部分得分 {fmt(node.score)} 分（暂定），"
        else:
            scored = "尚未评分，"
        first = f"本指标总分 {fmt(node.weight)} 分，{scored}{aspects}共设置了 {len(leaves)} 个末级指标。"
        paragraphs = [first]
        if na:
            how = "按满分计" if doc.framework.not_applicable == "full" else "不计入得分"
            paragraphs[0] += f"其中 {len(na)} 个末级指标不适用（{'、'.join(na)}），{how}。"
        if pending:
            paragraphs[0] += f"其中 {len(pending)} 个末级指标尚未评分（{'、'.join(pending)}），得分为暂定。"
        if lost:
            paragraphs[0] += "主要扣分情况如下："
            paragraphs += [f"{cn_number(k)}是{_deduction(doc, n)}" for k, n in enumerate(lost, 1)]
        elif len(pending) < len(leaves):
            paragraphs[0] += "已评分的末级指标未扣分。" if pending else "本指标未扣分。"
        out.append((f"（{cn_number(i)}）“{node.name}”指标评分情况", paragraphs))
    return out


def _leaves(node: NodeScore) -> list[NodeScore]:
    return [x for c in node.children for x in _leaves(c)] if node.children else [node]
