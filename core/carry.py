"""From last year's draft to this year's (从上年草稿开始), and this year's scores beside last year's.

`next_year(last, year)` starts a new evaluation: department and people carried; the framework (or the one given,
e.g. its successor), with the list of what changed in weights and rules; 表1's rows as a starting list with
their 年度指标值 kept and 实际完成值 / 偏差原因 emptied; the report text as starting text, marked
"上年内容，请更新" while unedited (`Evaluation.carried`); last year's figures as previous-year values
(`Evaluation.previous`) and last year's results (`Evaluation.last_year`) for the comparison. Nothing of last
year's scores, deductions or reasons is carried as this year's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core import JixiaoError
from core.document import Evaluation
from core.framework import FIRST_YEAR, LAST_YEAR, Framework, Indicator
from core.numbers import fmt
from core.scoring import ScoreSheet, score
from core.tables import number_text

CARRIED_MARK = "上年内容，请更新"
CARRIED_FACTS = ("department", "leader", "preparer", "phone")
# 表1 columns that define a target (kept); every other column (实际完成值, 偏差原因 …) is this year's to fill.
TARGET_KEEP = ("level1", "level2", "level3", "value", "unit", "nature", "direction", "weight")
# Rule inputs that define a target (the national 自评表 row: 年度指标值, 计量单位, 指标性质, 方向): carried; every
# other input (实际完成值, 完成档次, a score, a deduction …) is this year's.
CARRIED_INPUTS = ("target", "unit", "nature", "direction")


class CarryError(JixiaoError):
    pass


@dataclass
class Carried:
    doc: Evaluation
    report: list[str] = field(default_factory=list)  # what was carried and what was not, one line each
    changes: list[str] = field(default_factory=list)  # what changed between last year's framework and this


def summary(doc: Evaluation, sheet: ScoreSheet | None = None) -> dict:
    """A draft's results as kept for next year's comparison: total, grade, every indicator's score."""
    sheet = sheet if sheet is not None else score(doc)

    def text(d: Decimal | None) -> str:
        return "" if d is None else number_text(d)

    return {
        "year": doc.year,
        "framework": doc.framework.id,
        "total": text(sheet.total),
        "grade": sheet.grade if sheet.complete else f"{sheet.grade}（暂定）",
        "nodes": [
            {"id": n.id, "name": n.name, "level": n.level, "weight": text(n.weight), "score": text(n.score)}
            for n in sheet.all_nodes()
        ],
    }


def parse_year(text: str | int, last: Evaluation | None = None) -> int:
    try:
        year = int(str(text).strip().removesuffix("年"))
    except ValueError:
        raise CarryError(f"年度“{text}”不是年份，请写成例如 2025") from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CarryError(f"年度 {year} 不在 {FIRST_YEAR} 到 {LAST_YEAR} 之间")
    if last is not None:
        try:
            before = int(last.year)
        except ValueError:
            before = None
        if before is not None and year <= before:
            raise CarryError(f"上年草稿是 {before} 年度的，新的评价年度应晚于它（现为 {year}）")
    return year


def next_year(last: Evaluation, year: str | int, framework: Framework | None = None) -> Carried:
    """A new evaluation for `year` that starts from `last`. Raises CarryError (Chinese) on a bad year."""
    y = parse_year(year, last)
    fw = framework or last.framework
    doc = Evaluation(fw)
    out = Carried(doc)
    doc.facts = {k: last.facts[k] for k in CARRIED_FACTS if last.facts.get(k, "").strip()}
    doc.facts["year"] = str(y)
    out.report.append(f"评价年度 {y}；带入部门名称和人员（{len(doc.facts) - 1} 项），评价日期请重新填写")
    rows = [r for r in last.targets if any(v.strip() for v in r.values())]
    doc.targets = [{k: (v if k in TARGET_KEEP else "") for k, v in r.items()} for r in rows]
    if rows:
        out.report.append(f"表1 带入 {len(rows)} 行，保留指标值，实际完成值和偏差原因已清空")
    keys = {s.key: s for s in fw.sections}
    for k, text in last.narrative.items():
        if not text.strip():
            continue
        if k in keys:
            doc.narrative[k] = doc.carried[k] = text
        else:
            out.report.append(f"上年报告正文“{k}”一节在本年的指标框架中没有，未带入")
    if doc.carried:
        out.report.append(
            f"报告正文带入 {len(doc.carried)} 节，标为“{CARRIED_MARK}”，修改或确认沿用后标记消失"
        )
    _carry_rows(last, doc, out)
    for k, text in last.figures.items():
        if text.strip():
            if k in fw.figures:
                doc.previous[k] = text
            else:
                out.report.append(f"上年数据“{k}”在本年的指标框架中没有，未作为上年数带入")
    if doc.previous:
        out.report.append(f"上年的 {len(doc.previous)} 项预算与执行数据作为“上年数”显示在本年数据旁")
    doc.last_year = summary(last)
    out.report.append(
        f"上年得分 {doc.last_year['total']} 分、等级 {doc.last_year['grade']} 留作对比；"
        "上年的评分、扣分理由不带入本年"
    )
    out.changes = framework_changes(last.framework, fw)
    if fw is not last.framework:
        out.report.append(
            f"指标框架：使用“{fw.name}”"
            + (f"（与上年相比有 {len(out.changes)} 处变化）" if out.changes else "（评分规则与上年相同）")
        )
    if not fw.applies_to(y):
        out.report.append(f"注意：指标框架“{fw.name}”适用于 {fw.years_text()}，不含 {y} 年，请核对")
    return out


def _carry_rows(last: Evaluation, doc: Evaluation, out: Carried) -> None:
    """The clerk's own indicator rows (name, weight, group) and what defines each target (年度指标值, 计量单位,
    指标性质, 方向); never 实际完成值, a score, a reason or a 不适用 mark."""
    nodes = {n.id: n for n in doc.framework.row_nodes}
    rows = {k: [dict(r) for r in v] for k, v in last.rows.items() if k in nodes and v}
    for k, v in rows.items():  # this year's framework may take fewer rows under a node than last year's
        limit = nodes[k].rows.max_rows
        if len(v) > limit:
            out.report.append(
                f"上年“{nodes[k].name}”有 {len(v)} 行，本年的指标框架最多 {limit} 行：只带入前 {limit} 行"
            )
            del v[limit:]
    doc.rows = rows
    if rows:
        out.report.append(
            f"带入自定义指标 {sum(len(v) for v in rows.values())} 行（名称、分值、所属二级指标）"
        )
    ids = {n.id for n in doc.tree.nodes()}
    kept = 0
    for iid, e in last.indicators.items():
        inputs = {k: v for k, v in e["inputs"].items() if k in CARRIED_INPUTS and v.strip()}
        if inputs and iid in ids:
            doc.entry(iid)["inputs"].update(inputs)
            kept += 1
    if kept:
        out.report.append(
            f"{kept} 项指标保留年度指标值（及计量单位、指标性质、方向），实际完成值和得分已清空"
        )
    na = sum(1 for e in last.indicators.values() if e.get("na"))
    if na:
        out.report.append(f"上年有 {na} 项指标标为不适用，本年未带入：如仍不适用，请重新标记")


def installed_frameworks() -> list[Framework]:
    """The frameworks of the catalogue (shipped and user-added) that can be read."""
    from core.catalogue import catalogue

    return [e.framework for e in catalogue() if e.framework is not None]


def successor(framework: Framework, year: int, installed: list[Framework]) -> Framework:
    """The framework to carry a draft into `year` with: an installed one of the same id that applies to the
    year (the maintained version of last year's), else last year's own."""
    for fw in installed:
        if fw.id == framework.id and fw.applies_to(year) and fw.source != framework.source:
            return fw
    return framework


# ---------------------------------------------------------------------------------------------- framework changes


def _rule_text(ind: Indicator) -> str:
    if ind.rule is None:
        return ""
    bind = "；".join(f"{k} ← {'+'.join(v)}" for k, v in sorted(ind.bind.items()))
    return f"{ind.rule.title}：{ind.rule.describe()}" + (f"（数据：{bind}）" if bind else "")


def framework_changes(old: Framework, new: Framework) -> list[str]:
    """What changed between two frameworks, in weights, rules, indicators, figures and grades (Chinese lines)."""
    if old is new or old.source == new.source:
        return []
    out: list[str] = []
    if old.total != new.total:
        out.append(f"总分 {fmt(old.total)} → {fmt(new.total)}")
    before = {n.id: n for n in old.nodes()}
    after = {n.id: n for n in new.nodes()}
    for n in new.nodes():
        o = before.get(n.id)
        if o is None:
            out.append(f"新增指标“{n.name}”（分值 {fmt(n.weight)}）")
            continue
        if o.name != n.name:
            out.append(f"“{o.name}”改名为“{n.name}”")
        if o.weight != n.weight:
            out.append(f"“{n.name}”分值 {fmt(o.weight)} → {fmt(n.weight)}")
        if _rule_text(o) != _rule_text(n):
            out.append(f"“{n.name}”评分规则改变：{_rule_text(o) or '（无）'} → {_rule_text(n) or '（无）'}")
    out += [f"删除指标“{o.name}”（原分值 {fmt(o.weight)}）" for i, o in before.items() if i not in after]
    out += [f"新增数据项“{s.label}”" for k, s in new.figures.items() if k not in old.figures]
    out += [f"删除数据项“{s.label}”" for k, s in old.figures.items() if k not in new.figures]
    if old.grades != new.grades:

        def bands(f: Framework) -> str:
            return "、".join(f"{g} ≥ {fmt(low)}" for g, low in f.grades)

        out.append(f"等级划分：{bands(old)} → {bands(new)}")
    return out


# ---------------------------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class Compared:
    name: str
    level: int  # 0: the total
    before: Decimal | None
    now: Decimal | None

    @property
    def change(self) -> Decimal | None:
        return None if self.before is None or self.now is None else self.now - self.before


@dataclass
class Comparison:
    year: str  # last year
    total: Compared
    grade: tuple[str, str]  # last year's, this year's
    groups: list[Compared]  # each 一级 / 二级 indicator of this year's framework
    changed: list[Compared]  # the scored indicators whose score changed (or that are new this year)


def _dec(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def compare(doc: Evaluation, sheet: ScoreSheet | None = None) -> Comparison | None:
    """This year's results beside last year's; None when the draft keeps no results from last year."""
    last = doc.last_year
    if not last or not last.get("nodes"):
        return None
    sheet = sheet if sheet is not None else score(doc)
    by_id = {n["id"]: n for n in last["nodes"]}
    by_name = {(n["level"], n["name"]): n for n in last["nodes"]}

    def before(node) -> dict | None:
        n = by_id.get(node.id)
        if n is not None and n["name"] == node.name:
            return n
        return by_name.get((node.level, node.name)) or n

    groups, changed = [], []
    for node in sheet.all_nodes():
        b = before(node)
        c = Compared(node.name, node.level, _dec(b["score"]) if b else None, node.score)
        if not node.indicator.is_leaf:
            groups.append(c)
        elif b is None or c.change:
            changed.append(c)
    grade = sheet.grade if sheet.complete else f"{sheet.grade}（暂定）"
    return Comparison(
        last.get("year", ""),
        Compared("总分", 0, _dec(last.get("total", "")), sheet.total),
        (last.get("grade", ""), grade),
        groups,
        changed,
    )
