"""审核 (consistency checks): what a reviewer would catch before the report is submitted.

`check(doc, sheet)` returns findings in three severities — 错误 (must be fixed before a final export), 警告
(needs checking or a written explanation), 提示 (may be ignored) — each with a Chinese message naming the field
and its values, and the Evaluation path of that field (() for the framework). Pure; no Qt. The list of checks,
their severities and the reasons are in docs/checks.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from core.document import FACTS
from core.framework import FIRST_YEAR, LAST_YEAR, Indicator
from core.numbers import ZERO, NumberError, fmt, parse_number, q2
from core.rules import ERROR, HINT, WARNING, read_value
from core.scoring import ScoreSheet, score

SEVERITIES = (ERROR, WARNING, HINT)
SEVERITY_NOTES = {ERROR: "正式导出前必须改正", WARNING: "请核对，必要时写明说明", HINT: "供参考，可忽略"}

# Facts a report cannot go out without (评价年度 falls back to the framework's year).
REQUIRED_FACTS = ("department", "leader", "preparer", "phone", "evaluation_date")
# 年初结余结转 + 本年收入 − 本年支出 ≈ 年末结余结转, checked when the framework has these figure keys.
CARRYOVER = ("carryover_begin", "income_total", "spending_total", "carryover_end")


@dataclass(frozen=True)
class Finding:
    severity: str
    message: str
    path: tuple = ()


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


def export_is_draft(sheet, findings: list[Finding]) -> bool:
    """An export is marked 草稿 while an indicator is still unscored or 审核 finds errors (window and CLI alike)."""
    return not sheet.complete or has_errors(findings)


def counts_text(findings: list[Finding]) -> str:
    """ "错误 1 项，警告 15 项，提示 1 项"."""
    return "，".join(f"{s} {sum(1 for f in findings if f.severity == s)} 项" for s in SEVERITIES)


def check(doc, sheet: ScoreSheet | None = None) -> list[Finding]:
    """All findings for a document, errors first, then warnings, then hints (each in document order)."""
    if sheet is None:
        sheet = score(doc)
    out: list[Finding] = []
    _framework(doc, out)
    _facts(doc, out)
    values = _figures(doc, out)
    _sums(doc, values, out)
    _carryover(doc, values, out)
    _leaves(doc, sheet, out)
    _targets(doc, out)
    _narrative(doc, values, out)
    _carried(doc, out)
    seen: set[tuple] = set()
    unique = []
    for f in out:  # one finding per field and message (a figure shared by several leaves is reported once)
        if (f.path, f.message) not in seen:
            seen.add((f.path, f.message))
            unique.append(f)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(unique, key=lambda f: order[f.severity])


# ---- framework -------------------------------------------------------------------------------------------


def _framework(doc, out: list[Finding]) -> None:
    """Weights add up (validated on load; checked again because a framework can be edited in memory)."""
    fw = doc.framework
    stack: list[tuple[Indicator | None, list[Indicator]]] = [(None, fw.roots)]
    while stack:
        parent, children = stack.pop()
        weight = fw.total if parent is None else parent.weight
        total = sum([c.weight for c in children], ZERO)
        if total != weight:
            name = "一级指标" if parent is None else f"“{parent.name}”下级指标"
            out.append(Finding(ERROR, f"指标框架：{name}的分值合计 {fmt(total)} 分，应等于 {fmt(weight)} 分"))
        stack.extend((c, c.children) for c in reversed(children) if c.children)


# ---- facts, figures, sums --------------------------------------------------------------------------------

FACT_LABELS = dict(FACTS)


def _facts(doc, out: list[Finding]) -> None:
    for key in REQUIRED_FACTS:
        if not doc.facts.get(key, "").strip():
            out.append(Finding(WARNING, f"基本信息“{FACT_LABELS[key]}”尚未填写", ("facts", key)))
    fw = doc.framework
    year_text = doc.facts.get("year", "").strip()
    year = _int(year_text)
    if year_text and year is None:  # the report's title would say it, and 评价日期 could not be checked
        digits = _int(year_text.translate(_CN_DIGITS))
        likely = f"（可能应为“{digits}”）" if digits is not None else ""
        out.append(
            Finding(
                ERROR,
                f"评价年度应为四位年份，如 {fw.default_year()}（现为“{year_text}”{likely}）；"
                "年份无法识别时，评价日期也无法核对",
                ("facts", "year"),
            )
        )
    elif year is not None and not fw.applies_to(year):
        out.append(
            Finding(
                HINT,
                f"评价年度 {year} 不在指标框架的适用年度（{fw.years_text()}）内，请确认所用框架适用于该年度",
                ("facts", "year"),
            )
        )
    if year is not None:
        _evaluation_date(doc, year, out)


_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def _int(text: str) -> int | None:
    """A year written with four digits ("2020", "2020 年度", full-width), from FIRST_YEAR to LAST_YEAR."""
    text = unicodedata.normalize("NFKC", text).strip().removesuffix("年度").removesuffix("年").strip()
    year = int(text) if re.fullmatch(r"\d{4}", text) else None
    return year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else None


_DATE = re.compile(
    r"(\d{4})\s*(?:[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{1,2}))?|年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?)"
)


def parse_date(text: str) -> tuple[int, int, int | None] | None:
    """ "2021-04", "2021-04-15", "2021年4月", "2021年4月15日" (also / and .) → (year, month, day); else None."""
    m = _DATE.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if not m:
        return None
    y, mo = int(m[1]), int(m[2] or m[4])
    d = m[3] or m[5]
    day = int(d) if d else None
    if not 1 <= mo <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    return y, mo, day


def _evaluation_date(doc, year: int, out: list[Finding]) -> None:
    text = doc.facts.get("evaluation_date", "").strip()
    if not text:
        return  # reported as an empty fact
    path = ("facts", "evaluation_date")
    date = parse_date(text)
    if date is None:
        out.append(
            Finding(
                WARNING,
                f"评价日期“{text}”无法识别，请写成 {year + 1}-04、{year + 1}-04-15 或 {year + 1}年4月15日",
                path,
            )
        )
    elif date[0] <= year:
        likely = unicodedata.normalize("NFKC", text).replace(str(date[0]), str(year + 1), 1)
        out.append(
            Finding(
                ERROR,
                f"评价日期“{text}”早于评价年度 {year} 年结束：{year} 年度的自评应在年度结束后"
                f"（{year + 1} 年或以后）进行，请核对（可能应为“{likely}”）",
                path,
            )
        )
    elif date[0] > year + 2:
        out.append(Finding(HINT, f"评价日期“{text}”距评价年度 {year} 年已较远，请核对年份", path))


def _unit(spec) -> str:
    return spec.unit or ""


def _figures(doc, out: list[Finding]) -> dict[str, Decimal]:
    """Parse every figure once: an unreadable number, or one outside the figure's possible range (a negative
    amount, a part count, 满意度 above 100%), is an error at the figure. Last year's figures likewise."""
    values: dict[str, Decimal] = {}
    for key, spec in doc.framework.figures.items():
        value, problem = read_value(
            doc.figures.get(key, ""), key, f"数据“{spec.short}”", spec, spec.unit, key
        )
        if problem is not None:
            out.append(Finding(ERROR, problem.text, ("figures", key)))
        elif value is not None:
            values[key] = value
        if doc.previous.get(key, "").strip():
            _, problem = read_value(doc.previous[key], key, f"上年数据“{spec.short}”", spec, spec.unit, key)
            if problem is not None:
                out.append(Finding(ERROR, problem.text, ("previous", key)))
    return values


def _sums(doc, values: dict[str, Decimal], out: list[Finding]) -> None:
    figs = doc.framework.figures
    summed = set()
    for total_key, parts in doc.framework.sums:
        summed.add(total_key)
        keys = (total_key, *parts)
        if any(k not in values for k in keys):
            continue
        total, parts_sum = values[total_key], sum((values[k] for k in parts), ZERO)
        if q2(total) != q2(parts_sum):
            spec = figs[total_key]
            terms = " + ".join(f"{figs[k].short} {fmt(values[k])}" for k in parts)
            out.append(
                Finding(
                    ERROR,
                    f"{spec.short} {fmt(total)} {_unit(spec)} ≠ {terms} = {fmt(parts_sum)} {_unit(spec)}"
                    f"（相差 {fmt(total - parts_sum)}），请核对",
                    ("figures", total_key),
                )
            )
    # "其中：…" figures are parts of the nearest figure above them in the same group that is not a "其中".
    whole = None
    for key, spec in figs.items():
        if not spec.label.startswith("其中："):
            whole = key if spec.kind != "percent" else None
            continue
        if (
            whole is None
            or whole in summed
            or figs[whole].group != spec.group
            or figs[whole].kind != spec.kind
            or key not in values
            or whole not in values
        ):
            continue
        if values[key] > values[whole]:
            w = figs[whole]
            out.append(
                Finding(
                    ERROR,
                    f"{spec.label} {fmt(values[key])} {_unit(spec)} 超过{w.short} "
                    f"{fmt(values[whole])} {_unit(w)}，部分不能大于合计",
                    ("figures", key),
                )
            )


def _carryover(doc, values: dict[str, Decimal], out: list[Finding]) -> None:
    figs = doc.framework.figures
    if any(k not in figs or k not in values for k in CARRYOVER):
        return
    begin, income, spending, end = (values[k] for k in CARRYOVER)
    expected = begin + income - spending
    if q2(expected) == q2(end):
        return
    b, i, s, e = (figs[k] for k in CARRYOVER)
    unit = _unit(e)
    out.append(
        Finding(
            HINT,
            f"{b.short} {fmt(begin)} + {i.short} {fmt(income)} − {s.short} {fmt(spending)} = "
            f"{fmt(expected)} {unit}，与{e.short} {fmt(end)} {unit}相差 {fmt(expected - end)} {unit}。"
            f"结余结转通常只计财政拨款结转，年度未用完的预算也可能已被收回，差额有合理原因时可忽略，"
            f"否则请核对各项数据",
            ("figures", CARRYOVER[3]),
        )
    )


# ---- indicators ------------------------------------------------------------------------------------------


def _path(doc, ind: Indicator, key: str) -> tuple:
    """Where the user types what a problem's key names: an entry field, a typed input, the first bound figure
    (the first empty one), or a field of the clerk's row."""
    if key in ("reason", "override", "override_reason", "na"):
        return ("indicators", ind.id, key)
    if key.startswith("row:") and ind.row:
        return ("rows", ind.row[0], ind.row_index, key.removeprefix("row:"))
    terms = ind.terms.get(key)
    if terms is None:
        return ("indicators", ind.id, "inputs", key if key in ind.specs else ind.rule.inputs()[0].key)
    empty = [(w, f) for _, w, f in terms if not getattr(doc, w).get(f, "").strip()]
    where, f = (empty or [(w, f) for _, w, f in terms])[0]
    return (where, f)


def _leaves(doc, sheet: ScoreSheet, out: list[Finding]) -> None:
    """Each leaf's findings, derived from its NodeScore alone: kept in the score cache with it, so a keystroke
    re-checks one leaf, as it rescores one. Then the nodes whose rows the clerk adds."""
    cache = sheet.cache
    by_id = sheet.by_id
    for ind in doc.tree.leaves:
        node = by_id.get(ind.id)
        if node is None:
            continue
        if cache is None:
            out.extend(_leaf(doc, ind, node))
        else:
            out.extend(cache.derived("checks", node, lambda: _leaf(doc, ind, node)))  # noqa: B023 (called at once)
    for spec in doc.framework.row_nodes:
        node = by_id.get(spec.id)
        if node is None:
            continue
        if node.gaps:
            out.append(
                Finding(
                    WARNING,
                    f"“{spec.name}”尚未添加指标：本项的指标由填报人逐行添加，分值合计 {fmt(spec.weight)} 分",
                    ("rows", spec.id),
                )
            )
        for p in node.issues:
            if p.code == "rows_weight":  # about the rows together: said at their sum, not under one row
                out.append(Finding(ERROR, p.text, ("rows", spec.id)))


def _name(ind: Indicator) -> str:
    if ind.row and not ind.name:
        return f"“自定义指标第 {ind.row_index + 1} 行”"
    return f"“{ind.name}”"


def _leaf(doc, ind: Indicator, node) -> list[Finding]:
    """Scoring's problems and the rule's notes, each at its field; a problem of a shared figure is left to
    the figure (reported once there)."""
    out: list[Finding] = []
    name = _name(ind)
    if node.gaps and not node.issues:  # an unreadable input also counts as missing: report it once
        out.append(
            Finding(WARNING, f"{name}尚未填写：{'、'.join(node.missing)}", _path(doc, ind, node.gaps[0].key))
        )
    for p in node.issues:
        if p.figure:
            continue
        if p.code == "needs_reason":
            message = (
                f"{name}扣 {fmt(node.lost)} 分（得 {fmt(node.score)} 分，满分 {fmt(ind.weight)} 分），"
                f"须填写{ind.rule.reason_label}"
            )
        elif p.code == "override_reason":
            message = (
                f"{name}手工调整为 {fmt(node.score)} 分（计算得分 {fmt(node.computed, '—')}），须写明调整理由"
            )
        else:
            message = f"{name}：{p.text}"
        out.append(Finding(ERROR, message, _path(doc, ind, p.key)))
    for p in node.notes:
        if not p.figure:
            out.append(Finding(p.severity, f"{name}：{p.text}", _path(doc, ind, p.key)))
    return out


# ---- 表1 and narrative -----------------------------------------------------------------------------------


def _targets(doc, out: list[Finding]) -> None:
    for i, row in enumerate(doc.targets):
        if not any(v.strip() for v in row.values()):
            continue
        n = row.get("level3", "").strip() or row.get("level2", "").strip()
        where = f"表1 第 {i + 1} 行" + (f"“{n}”" if n else "")
        if not row.get("level3", "").strip():
            out.append(Finding(WARNING, f"{where}缺少三级指标名称", ("targets", i, "level3")))
        if not row.get("value", "").strip():
            out.append(Finding(WARNING, f"{where}缺少指标值", ("targets", i, "value")))
        if not row.get("actual", "").strip():
            out.append(
                Finding(WARNING, f"{where}尚未填写实际完成值（正式导出时必填）", ("targets", i, "actual"))
            )


def _carried(doc, out: list[Finding]) -> None:
    """Report text carried from last year's draft (core.carry) and neither edited nor confirmed."""
    titles = {s.key: (doc.section_title(s) if s.title else "开篇") for s in doc.framework.sections}
    for key in doc.carried_unedited():
        out.append(
            Finding(
                WARNING,
                f"报告正文“{titles.get(key, key)}”仍是上年内容（上年内容，请更新）：请按本年情况修改，或确认沿用",
                ("narrative", key),
            )
        )


_SELF_DATE = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月[^。；\n]{0,30}?(?:开展|进行|组织)[^。；\n]{0,30}?(\d{4})\s*年度?[^。；\n]{0,20}?自评"
)
_YUAN = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(万?)元")


def _narrative(doc, values: dict[str, Decimal], out: list[Finding]) -> None:
    sections = doc.framework.sections
    figs = doc.framework.figures
    wan = {}  # value → label of a 万元 figure, to catch "370.71 元" written for 370.71 万元
    for key, v in values.items():
        spec = figs[key]
        if spec.kind == "money" and spec.unit == "万元" and v:
            wan.setdefault(q2(v), spec.short)
    for i, sec in enumerate(sections):
        text = doc.narrative.get(sec.key, "")
        title = doc.section_title(sec) if sec.title else "开篇"
        path = ("narrative", sec.key)
        if not text.strip():
            container = i + 1 < len(sections) and sections[i + 1].level > sec.level > 0
            if not container and sec.insert != "scores":
                out.append(Finding(WARNING, f"报告正文“{title}”尚未填写", path))
            continue
        if "自评" in text:
            for m in _SELF_DATE.finditer(text):
                if int(m[1]) <= int(m[3]):
                    out.append(
                        Finding(
                            WARNING,
                            f"报告正文“{title}”写到“{m[1]}年{m[2]}月”开展 {m[3]} 年度自评：自评应在"
                            f"该年度结束之后，请核对年份",
                            path,
                        )
                    )
        if "元" in text and wan:
            for m in _YUAN.finditer(text):
                if m[2]:
                    continue
                try:
                    v = parse_number(m[1])
                except NumberError:
                    continue
                if v is not None and q2(v) in wan:
                    out.append(
                        Finding(
                            WARNING,
                            f"报告正文“{title}”写作“{m[0]}”，而{wan[q2(v)]}为 {fmt(v)} 万元，请核对单位",
                            path,
                        )
                    )
