"""The indicator framework (指标体系框架) as data: tree, weights, rules, figures, report sections, grades.

The file format is described in docs/framework-format.md. `Framework.from_dict` validates everything and
raises FrameworkError with a Chinese message naming the indicator and the problem.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from core.numbers import ZERO, fmt
from core.rules import (
    MAX_PARAM,
    RULE_TYPES,
    UNITS,
    FrameworkError,
    InputSpec,
    RateRule,
    Rule,
    _bound,
    bounded_word,
)
from core.text import encodable_tree, json_problem

FORMAT = "jixiao-framework"
FORMAT_VERSION = 1
FIGURE_KINDS = ("money", "count", "percent")


@dataclass(frozen=True)
class FigureSpec:
    """A figure of the budget and execution data (预算与执行数据), entered once and used by key.

    `lo`/`hi` bound its possible values (None: no bound), `integer` asks for a whole number: a value outside is
    an error at the figure, and no indicator is scored from it."""

    key: str
    label: str
    kind: str
    unit: str
    group: str
    lo: Decimal | None = ZERO
    hi: Decimal | None = None
    integer: bool = False

    @property
    def short(self) -> str:
        """The label as named in a sentence ("其中：人员经费" → "人员经费")."""
        return self.label.removeprefix("其中：")


@dataclass(frozen=True)
class SectionSpec:
    """A part of the report's narrative. `insert` names generated content placed after its text."""

    key: str
    title: str
    level: int
    hint: str = ""
    insert: str = ""


@dataclass(eq=False)
class Indicator:
    """A node of the tree: 一级 / 二级 / 三级指标. Leaves carry a rule."""

    id: str
    name: str
    weight: Decimal
    level: int
    children: list[Indicator] = field(default_factory=list)
    rule: Rule | None = None
    bind: dict[str, tuple[str, ...]] = field(default_factory=dict)
    standard: str = ""
    explanation: str = ""
    inferred: bool = False
    note: str = ""
    # Set for leaves when the framework is loaded, so that scoring need not work them out on every score:
    typed_keys: tuple[str, ...] = field(
        default=(), repr=False
    )  # rule inputs typed here (not bound), in order
    figure_keys: tuple[str, ...] = field(default=(), repr=False)  # the shared figures bound to its inputs
    specs: dict[str, InputSpec] = field(default_factory=dict, repr=False)  # rule input key -> its declaration

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def inputs(self) -> list[InputSpec]:
        """The inputs of the rule that are entered on this indicator (not bound to shared figures)."""
        return [s for s in self.rule.inputs() if s.key not in self.bind] if self.rule else []


@dataclass(eq=False)
class Framework:
    id: str
    name: str
    year: int
    total: Decimal
    grades: list[tuple[str, Decimal]]
    figures: dict[str, FigureSpec]
    sums: list[tuple[str, tuple[str, ...]]]
    sections: list[SectionSpec]
    roots: list[Indicator]
    leaves: list[Indicator]
    by_id: dict[str, Indicator]
    source: dict
    # Facts of the tree worked out once at load (the tree does not change afterwards):
    root_of: dict[str, str] = field(
        default_factory=dict, repr=False
    )  # indicator id -> its 一级 indicator's id
    optional_figures: frozenset[str] = field(default=frozenset(), repr=False)
    """Figures bound only to optional inputs (a rate typed instead of computed, or the other way round):
    leaving them empty is normal."""

    def __post_init__(self) -> None:
        for r in self.roots:
            stack = [r]
            while stack:
                n = stack.pop()
                self.root_of[n.id] = r.id
                stack.extend(n.children)
        optional: dict[str, bool] = {}
        for leaf in self.leaves:
            for key, figs in leaf.bind.items():
                for f in figs:
                    optional[f] = optional.get(f, True) and leaf.specs[key].optional
        self.optional_figures = frozenset(f for f, opt in optional.items() if opt)

    def grade(self, total: Decimal) -> str:
        for name, low in self.grades:
            if total >= low:
                return name
        return self.grades[-1][0]

    def nodes(self) -> list[Indicator]:
        """Every node, depth first, in the framework's order."""
        out: list[Indicator] = []

        def walk(n: Indicator) -> None:
            out.append(n)
            for c in n.children:
                walk(c)

        for r in self.roots:
            walk(r)
        return out

    @classmethod
    def from_dict(cls, data: object) -> Framework:
        return _Builder().build(encodable_tree(data))  # lone surrogates made encodable at the door


def load_framework(path: str | Path) -> Framework:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FrameworkError(f"找不到指标框架文件：{path}") from None
    except json.JSONDecodeError as e:
        raise FrameworkError(f"指标框架文件 {path.name} 已损坏，无法读取：{json_problem(e)}") from None
    except UnicodeDecodeError:
        raise FrameworkError(f"指标框架文件 {path.name} 不是 UTF-8 文本，无法读取") from None
    return Framework.from_dict(data)


def _weight(raw: object, where: str) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise FrameworkError(f"{where}：分值应为数字")
    try:
        value = Decimal(str(raw))
    except Exception:
        raise FrameworkError(f"{where}：分值“{raw}”不是数字") from None
    if not value.is_finite() or value <= 0:
        raise FrameworkError(f"{where}：分值应大于 0")
    if value >= MAX_PARAM:
        raise FrameworkError(f"{where}：分值“{raw}”过大")
    return value


# Version 1 files did not state ranges. A figure named as a change (比上年增加, 增长率) may be negative; one named
# as a share of a whole (满意度, 利用率 …) cannot exceed 100%; any other figure cannot be negative.
SIGNED_WORDS = ("增加", "增长", "增减", "变动", "差额")


def _figure_bounds(f: dict, kind: str, label: str, where: str) -> tuple[Decimal | None, Decimal | None]:
    lo_default = None if any(w in label for w in SIGNED_WORDS) and kind != "count" else ZERO
    hi_default = Decimal(100) if kind == "percent" and bounded_word(label) else None
    lo, hi = _bound(f, "min", where, lo_default), _bound(f, "max", where, hi_default)
    if lo is not None and hi is not None and lo >= hi:
        raise FrameworkError(f"{where}：“min”应小于“max”")
    return lo, hi


def _v1_rule(rule: dict, cls: type[Rule]) -> dict:
    """A version 1 rate rule named as a share of a whole (满意度, 利用率 …) cannot exceed 100%."""
    label = rule.get("rate_label")
    if (
        issubclass(cls, RateRule)
        and "max_rate" not in rule
        and isinstance(label, str)
        and bounded_word(label)
    ):
        return {**rule, "max_rate": 100}
    return rule


def _str(d: dict, key: str, where: str, required: bool = True) -> str:
    value = d.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise FrameworkError(f"{where}：缺少“{key}”或它不是文字")
    return value


class _Builder:
    def build(self, data: object) -> Framework:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise FrameworkError('这不是指标框架文件（缺少 "format": "jixiao-framework"）')
        version = data.get("format_version")
        if version != FORMAT_VERSION:
            raise FrameworkError(f"指标框架格式版本为 {version}，本程序只认识版本 {FORMAT_VERSION}")
        where = "指标框架"
        fid, name = _str(data, "id", where), _str(data, "name", where)
        year = data.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2200:
            raise FrameworkError(f"{where}：“year”应为年份，例如 2020")
        total = _weight(data.get("total", 100), f"{where}总分")
        self.figures = self._figures(data.get("figure_groups", []))
        sums = self._sums(data.get("sums", []))
        sections = self._sections(data.get("sections", []))
        grades = self._grades(data.get("grades"))
        self.by_id: dict[str, Indicator] = {}
        self.leaves: list[Indicator] = []
        roots = self._nodes(data.get("indicators"), 1, "指标框架的一级指标", total)
        return Framework(
            fid, name, year, total, grades, self.figures, sums, sections, roots, self.leaves, self.by_id, data
        )

    def _figures(self, groups: object) -> dict[str, FigureSpec]:
        if not isinstance(groups, list):
            raise FrameworkError("指标框架：“figure_groups”应为列表")
        out: dict[str, FigureSpec] = {}
        for gi, g in enumerate(groups, 1):
            where = f"数据分组第 {gi} 组"
            if not isinstance(g, dict) or not isinstance(g.get("figures"), list):
                raise FrameworkError(f"{where}应有“title”和“figures”列表")
            title = _str(g, "title", where)
            for fi, f in enumerate(g["figures"], 1):
                w = f"数据分组“{title}”第 {fi} 项"
                if not isinstance(f, dict):
                    raise FrameworkError(f"{w}应为对象")
                key, label = _str(f, "key", w), _str(f, "label", w)
                if not key.isidentifier():
                    raise FrameworkError(f"{w}：key“{key}”应为英文标识（字母、数字、下划线）")
                if key in out:
                    raise FrameworkError(f"{w}：数据项 key“{key}”重复")
                kind = f.get("kind", "money")
                if kind not in FIGURE_KINDS:
                    raise FrameworkError(f"{w}：kind 应为 {'、'.join(FIGURE_KINDS)} 之一，现为“{kind}”")
                unit = f.get("unit", UNITS[kind])
                lo, hi = _figure_bounds(f, kind, label, w)
                out[key] = FigureSpec(
                    key,
                    label,
                    kind,
                    unit if isinstance(unit, str) else UNITS[kind],
                    title,
                    lo,
                    hi,
                    kind == "count",
                )
        return out

    def _sums(self, sums: object) -> list[tuple[str, tuple[str, ...]]]:
        if not isinstance(sums, list):
            raise FrameworkError("指标框架：“sums”应为列表")
        out = []
        for i, s in enumerate(sums, 1):
            where = f"合计关系第 {i} 条"
            if not isinstance(s, dict) or not isinstance(s.get("parts"), list) or not s["parts"]:
                raise FrameworkError(f'{where}应写成 {{"total": key, "parts": [key, …]}}')
            keys = [s.get("total"), *s["parts"]]
            for k in keys:
                if not isinstance(k, str) or k not in self.figures:
                    raise FrameworkError(f"{where}：数据项“{k}”未在 figure_groups 中定义")
            out.append((keys[0], tuple(keys[1:])))
        return out

    def _sections(self, sections: object) -> list[SectionSpec]:
        if not isinstance(sections, list):
            raise FrameworkError("指标框架：“sections”应为列表")
        out: list[SectionSpec] = []
        for i, s in enumerate(sections, 1):
            where = f"报告章节第 {i} 项"
            if not isinstance(s, dict):
                raise FrameworkError(f"{where}应为对象")
            key = _str(s, "key", where)
            if any(x.key == key for x in out):
                raise FrameworkError(f"{where}：key“{key}”重复")
            level = s.get("level", 1)
            if level not in (0, 1, 2, 3):
                raise FrameworkError(f"{where}：level 应为 0（无标题）、1、2 或 3")
            insert = s.get("insert", "")
            if insert not in ("", "targets", "scores"):
                raise FrameworkError(f"{where}：insert 应为 targets（表1）或 scores（评分情况）")
            out.append(
                SectionSpec(
                    key,
                    _str(s, "title", where, required=level != 0),
                    level,
                    _str(s, "hint", where, required=False),
                    insert,
                )
            )
        return out

    def _grades(self, grades: object) -> list[tuple[str, Decimal]]:
        if not isinstance(grades, list) or not grades:
            raise FrameworkError("指标框架：缺少等级划分“grades”")
        out: list[tuple[str, Decimal]] = []
        for i, g in enumerate(grades, 1):
            where = f"等级划分第 {i} 档"
            if not isinstance(g, dict):
                raise FrameworkError(f'{where}应写成 {{"name": "优", "min": 90}}')
            name = _str(g, "name", where)
            low = g.get("min")
            if isinstance(low, bool) or not isinstance(low, (int, float)) or low < 0:
                raise FrameworkError(f"{where}（{name}）：“min”应为不小于 0 的数字")
            low = Decimal(str(low))
            if out and low >= out[-1][1]:
                raise FrameworkError(f"{where}（{name}）：等级应按分数线从高到低排列")
            out.append((name, low))
        if out[-1][1] != 0:
            raise FrameworkError(f"等级划分：最低一档（{out[-1][0]}）的分数线应为 0")
        return out

    def _nodes(self, items: object, level: int, where: str, parent_weight: Decimal) -> list[Indicator]:
        if not isinstance(items, list) or not items:
            raise FrameworkError(f"{where}：缺少指标列表")
        out = []
        for i, item in enumerate(items, 1):
            if not isinstance(item, dict):
                raise FrameworkError(f"{where}第 {i} 项应为对象")
            name = _str(item, "name", f"{where}第 {i} 项")
            here = f"指标“{name}”"
            iid = _str(item, "id", here)
            if not iid.isidentifier():
                raise FrameworkError(f"{here}：id“{iid}”应为英文标识（字母、数字、下划线）")
            if iid in self.by_id:
                raise FrameworkError(f"{here}：id“{iid}”与指标“{self.by_id[iid].name}”重复")
            node = Indicator(
                iid,
                name,
                _weight(item.get("weight"), here),
                level,
                standard=_str(item, "standard", here, required=False),
                explanation=_str(item, "explanation", here, required=False),
                inferred=bool(item.get("inferred", False)),
                note=_str(item, "note", here, required=False),
            )
            self.by_id[iid] = node
            if "children" in item:
                if "rule" in item:
                    raise FrameworkError(f"{here}：有下级指标的指标不能再有评分规则")
                if level >= 3:
                    raise FrameworkError(f"{here}：指标最多三级")
                node.children = self._nodes(item["children"], level + 1, f"{here}的下级指标", node.weight)
            else:
                self._leaf(node, item, here)
            out.append(node)
        total = sum(n.weight for n in out)
        if total != parent_weight:
            raise FrameworkError(f"{where}分值合计 {fmt(total)}，应等于 {fmt(parent_weight)}")
        return out

    def _leaf(self, node: Indicator, item: dict, here: str) -> None:
        rule = item.get("rule")
        if not isinstance(rule, dict):
            raise FrameworkError(f"{here}：末级指标须有评分规则“rule”")
        cls = RULE_TYPES.get(rule["type"]) if isinstance(rule.get("type"), str) else None
        if cls is None:
            raise FrameworkError(
                f"{here}：不认识的评分规则类型“{rule.get('type')}”，可用：{'、'.join(RULE_TYPES)}"
            )
        node.rule = cls(_v1_rule(rule, cls), node.weight, here)
        keys = {s.key: s for s in node.rule.inputs()}
        bind = item.get("bind", {})
        if not isinstance(bind, dict):
            raise FrameworkError(f"{here}：“bind”应为对象")
        for input_key, figs in bind.items():
            if input_key not in keys:
                raise FrameworkError(f"{here}：bind 中的“{input_key}”不是该评分规则的输入项")
            figs = (figs,) if isinstance(figs, str) else figs
            if not isinstance(figs, (list, tuple)) or not figs:
                raise FrameworkError(f"{here}：bind“{input_key}”应为数据项 key 或 key 的列表")
            for f in figs:
                if not isinstance(f, str) or f not in self.figures:
                    raise FrameworkError(f"{here}：bind 引用的数据项“{f}”未在 figure_groups 中定义")
                if (self.figures[f].kind == "percent") != (keys[input_key].kind == "percent"):
                    raise FrameworkError(f"{here}：输入项“{input_key}”与数据项“{f}”的类型不一致")
            node.bind[input_key] = tuple(figs)
        node.typed_keys = tuple(s.key for s in node.inputs())
        node.figure_keys = tuple(f for figs in node.bind.values() for f in figs)
        node.specs = keys
        self.leaves.append(node)
