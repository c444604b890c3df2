"""The indicator framework (指标体系框架) as data: tree, weights, rules, figures, report sections, grades.

The file format is described in docs/framework-format.md. `Framework.from_dict` validates everything and
raises FrameworkError with a Chinese message naming the indicator and the problem.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from core.numbers import ZERO, fmt
from core.rules import (
    MAX_PARAM,
    RULE_TYPES,
    UNITS,
    Coefficient,
    FrameworkError,
    InputSpec,
    Problem,
    RateRule,
    Rule,
    _bound,
    _num,
    bounded_word,
    read_value,
)
from core.text import encodable_tree, first_too_long, json_problem

FORMAT = "jixiao-framework"
FORMAT_VERSION = 2
FIGURE_KINDS = ("money", "count", "percent")
NA_POLICIES = {"rescale": "不计入总分，按其余指标折算", "full": "按满分计"}
TARGETS_MODES = ("free", "indicators")
# what is evaluated (the report's title, tables and file names say it): its name, and its spending's name
SUBJECTS = {"部门整体": "部门整体支出", "项目支出": "项目支出"}
MAX_ROWS = 500  # rows a clerk may add under one node
FIRST_YEAR, LAST_YEAR = 1990, 2200  # the years an evaluation or a framework may name


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


@dataclass(frozen=True)
class TotalCaps:
    """Caps on the total by the rate of one indicator (预算执行率): `bands` (below, max), highest first; a rate
    below `below` caps the total at `max` (the lowest such cap applies)."""

    indicator: str
    label: str
    bands: tuple[tuple[Decimal, Decimal], ...]

    def cap(self, rate: Decimal) -> tuple[Decimal, Decimal] | None:
        """(below, max) of the band that caps a total at this rate, or None."""
        hits = [b for b in self.bands if rate < b[0]]
        return hits[-1] if hits else None


Term = tuple[int, str, str]
"""One figure a bound input reads: (sign +1/−1, "figures" or "previous", figure key)."""


@dataclass(frozen=True, eq=False)
class RowsSpec:
    """A node whose rows the clerk adds (自定义指标): the framework fixes the node's total weight and the rule
    each row is scored by; the clerk names and weights the rows in the draft (Evaluation.rows). With `groups`,
    each row is filed under one of them (二级 names, e.g. 数量指标 / 质量指标) and the groups become the 二级
    level of the tree."""

    rule: dict
    rule_type: type[Rule]
    groups: tuple[str, ...] = ()
    standard: str = ""
    explanation: str = ""
    hint: str = ""
    max_rows: int = MAX_ROWS


@dataclass(eq=False)
class Indicator:
    """A node of the tree: 一级 / 二级 / 三级指标. Leaves carry a rule.

    A leaf may sit at level 1, 2 or 3. A node with `rows` has the clerk's rows as its children (see
    Framework.tree); a row leaf has `row` set to (node id, row id) and may have `row_gaps`/`row_issues` (its
    name or weight missing or unreadable) that keep it from being scored."""

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
    rows: RowsSpec | None = None
    row: tuple[str, str] | None = None
    row_text: tuple[str, ...] = ()  # a row as typed: id, name, weight, group, note (see ROW_FIELDS)
    row_index: int = 0  # its place among the node's rows
    row_gaps: list = field(default_factory=list, repr=False)
    row_issues: list = field(default_factory=list, repr=False)
    # Set for leaves when the framework is loaded, so that scoring need not work them out on every score:
    # rule inputs typed here (not bound), in order
    typed_keys: tuple[str, ...] = field(default=(), repr=False)
    figure_keys: tuple[str, ...] = field(default=(), repr=False)  # this year's figures bound to its inputs
    # last year's figures ("prev:KEY") it reads
    previous_keys: tuple[str, ...] = field(default=(), repr=False)
    terms: dict[str, tuple[Term, ...]] = field(default_factory=dict, repr=False)  # bound input -> its terms
    specs: dict[str, InputSpec] = field(default_factory=dict, repr=False)  # rule input key -> its declaration

    @property
    def is_leaf(self) -> bool:
        return not self.children and self.rows is None

    def inputs(self) -> list[InputSpec]:
        """The inputs of the rule that are entered on this indicator (not bound to shared figures)."""
        return [s for s in self.rule.inputs() if s.key not in self.terms] if self.rule else []


@dataclass(eq=False)
class Tree:
    """The indicator tree of one evaluation: the framework's nodes, with the clerk's rows under the nodes that
    take rows. `rows_key` is what it was built from (Framework.tree reuses what did not change)."""

    roots: list[Indicator]
    leaves: list[Indicator]
    by_id: dict[str, Indicator]
    root_of: dict[str, str]
    rows_key: tuple = ()

    def nodes(self) -> list[Indicator]:
        """Every node, depth first, in order."""
        out: list[Indicator] = []
        stack = list(reversed(self.roots))
        while stack:
            n = stack.pop()
            out.append(n)
            stack.extend(reversed(n.children))
        return out


@dataclass(eq=False)
class Framework:
    id: str
    name: str
    years: tuple[int | None, int | None] | None  # the years it applies to (from, to), None: any year
    total: Decimal
    grades: list[tuple[str, Decimal]]
    figures: dict[str, FigureSpec]
    sums: list[tuple[str, tuple[str, ...]]]
    sections: list[SectionSpec]
    roots: list[Indicator]
    leaves: list[Indicator]
    by_id: dict[str, Indicator]
    source: dict  # the file's content (version 2), embedded in drafts
    region: str = ""
    description: str = ""
    origin: str = ""  # the file's "source" note: where the framework comes from
    not_applicable: str = ""  # "" (rows cannot be marked 不适用), "rescale" or "full"
    targets_mode: str = "free"  # 表1: "free" rows, or "indicators" (the scored rows are the targets)
    table_columns: str | list | None = None  # 表2's columns: preset name or list (core.report)
    caps: TotalCaps | None = None  # caps on the total by a rate (执行率 below 80% → at most 89 points …)
    cover: list | None = None  # the report cover's lines (vocabulary: core.report.COVER_FIELDS)
    subject: str = "部门整体"  # what is evaluated: a key of SUBJECTS ("2025 年度项目支出绩效自评报告")
    # Facts of the tree worked out once at load (the framework does not change afterwards):
    # indicator id -> its 一级 indicator's id
    root_of: dict[str, str] = field(default_factory=dict, repr=False)
    optional_figures: frozenset[str] = field(default=frozenset(), repr=False)
    """Figures bound only to optional inputs (a rate typed instead of computed, or the other way round):
    leaving them empty is normal."""
    row_nodes: list[Indicator] = field(default_factory=list, repr=False)  # nodes whose rows the clerk adds
    base: Tree | None = field(default=None, repr=False)  # the tree without rows

    def __post_init__(self) -> None:
        for r in self.roots:
            stack = [r]
            while stack:
                n = stack.pop()
                self.root_of[n.id] = r.id
                stack.extend(n.children)
                if n.rows is not None:
                    self.row_nodes.append(n)
        optional: dict[str, bool] = {}
        for leaf in self.leaves:
            for key, figs in leaf.bind.items():
                for f in figs:
                    optional[f] = optional.get(f, True) and leaf.specs[key].optional
        self.optional_figures = frozenset(f for f, opt in optional.items() if opt)
        self.base = Tree(self.roots, self.leaves, self.by_id, self.root_of)

    @property
    def spending(self) -> str:
        """ "部门整体支出" or "项目支出", as in "部门整体支出绩效自评评分表"."""
        return SUBJECTS[self.subject]

    def grade(self, total: Decimal) -> str:
        for name, low in self.grades:
            if total >= low:
                return name
        return self.grades[-1][0]

    def nodes(self) -> list[Indicator]:
        """Every node of the framework (without rows), depth first."""
        return self.base.nodes()

    def years_text(self) -> str:
        """ "2021—2026 年", "2021 年起", "不限年度"."""
        if self.years is None:
            return "不限年度"
        a, b = self.years
        if a == b:
            return f"{a} 年"
        return f"{a}—{b} 年" if a and b else f"{a} 年起" if a else f"{b} 年及以前"

    def applies_to(self, year: int) -> bool:
        if self.years is None:
            return True
        a, b = self.years
        return (a is None or year >= a) and (b is None or year <= b)

    def default_year(self, today: date | None = None) -> int:
        """Last calendar year (the year a clerk evaluates), moved into the framework's years if outside them."""
        year = (today or date.today()).year - 1
        if self.years is not None:
            a, b = self.years
            year = max(year, a) if a else year
            year = min(year, b) if b else year
        return year

    def tree(self, rows: dict[str, list[dict]], previous: Tree | None = None) -> Tree:
        """The tree of an evaluation whose clerk added `rows` (node id → rows as typed, each with id, name,
        weight and group). Indicators of rows that did not change since `previous` are reused, so their scores
        stay cached."""
        if not self.row_nodes:
            return self.base
        texts = {n.id: tuple(map(_row_text, rows.get(n.id, ()))) for n in self.row_nodes}
        key = tuple(texts.items())
        if previous is not None and previous.rows_key == key:
            return previous
        old = previous.by_id if previous is not None else {}
        by_id: dict[str, Indicator] = {}
        leaves: list[Indicator] = []
        root_of: dict[str, str] = {}

        def walk(n: Indicator, root: str) -> Indicator:
            if n.rows is not None:
                n = replace(n, children=_rows_children(n, texts[n.id], old))
            elif n.children:
                kids = [walk(c, root) for c in n.children]
                if any(k is not c for k, c in zip(kids, n.children, strict=True)):
                    n = replace(n, children=kids)
            by_id[n.id] = n
            root_of[n.id] = root
            if n.rows is not None:
                for c in n.children:
                    for x in [c, *c.children]:
                        by_id[x.id], root_of[x.id] = x, root
            return n

        roots = [walk(r, r.id) for r in self.roots]
        stack = list(reversed(roots))
        while stack:
            n = stack.pop()
            if n.is_leaf:
                leaves.append(n)
            stack.extend(reversed(n.children))
        return Tree(roots, leaves, by_id, root_of, key)

    @classmethod
    def from_dict(cls, data: object) -> Framework:
        data = encodable_tree(data)  # lone surrogates made encodable at the door
        if isinstance(data, dict) and data.get("format") == FORMAT and data.get("format_version") == 1:
            data = migrate_v1(data)
        over = first_too_long(data, TEXT_LIMITS, MAX_PROSE)
        if over:
            key, text, limit = over
            raise FrameworkError(
                f"指标框架中的{TEXT_NAMES.get(key, '文字')}“{text[:12]}…”有 {len(text):,} 字，超过上限 {limit:,} 字"
            )
        return _Builder().build(data)


# The longest text of each kind in a framework (characters; docs/framework-format.md): longer is refused. Names
# and labels (what goes into a table cell or a heading) are short; notes, standards and other prose may be long.
SHORT_TEXT = ("name", "label", "title", "unit", "rate_label", "numerator", "denominator", "budget_label")
SHORT_TEXT += ("spending_label", "count_label", "region", "group", "id", "key")
MAX_NAME, MAX_PROSE = 200, 5_000
TEXT_LIMITS = dict.fromkeys(SHORT_TEXT, MAX_NAME)
TEXT_NAMES = {
    "name": "名称",
    "label": "名称",
    "title": "标题",
    "standard": "评分标准",
    "explanation": "指标解释",
    "hint": "填写提示",
    "note": "说明",
    "unit": "单位",
    "rate_label": "比率名称",
}


ROW_FIELDS = ("id", "name", "weight", "group", "note")
ROW_LABELS = {"name": "指标名称", "weight": "分值", "group": "所属二级指标", "note": "备注"}


def _rows_children(node: Indicator, rows: tuple[tuple, ...], old: dict[str, Indicator]) -> list[Indicator]:
    """The clerk's rows of a node (as typed: ROW_FIELDS each) as leaves, under group nodes when the node has
    groups; a row unchanged since the `old` tree (same text, same place) keeps its Indicator."""
    spec = node.rows
    level = node.level + (2 if spec.groups else 1)
    leaves = []
    for i, text in enumerate(rows):
        kept = old.get(text[0])
        if (
            kept is not None
            and kept.row_text == text
            and kept.row == (node.id, text[0])
            and kept.row_index == i
        ):
            leaves.append(kept)
        else:
            leaves.append(_row_leaf(node, text, level, i))
    if not spec.groups:
        return leaves
    by_group: dict[str, list[Indicator]] = {g: [] for g in spec.groups}
    for x in leaves:
        by_group.get(x.row_text[3], by_group[spec.groups[0]]).append(x)
    groups = []
    for gi, g in enumerate(spec.groups):
        members = by_group[g]
        if members:
            gid = f"{node.id}.g{gi + 1}"
            weight = sum((m.weight for m in members), ZERO)
            groups.append(Indicator(gid, g, weight, node.level + 1, children=members))
    return groups


def _row_text(r: dict) -> tuple[str, ...]:
    """A row as typed, in ROW_FIELDS order."""
    get = r.get
    return (get("id", ""), get("name", ""), get("weight", ""), get("group", ""), get("note", ""))


def _row_leaf(node: Indicator, text: tuple[str, ...], level: int, index: int) -> Indicator:
    """One row as a leaf: scored by the node's row rule with the row's own weight."""
    spec = node.rows
    rid, name, weight_text, group, note = text
    gaps, issues = [], []
    if not name.strip():
        gaps.append(Problem("missing", "row:name", {"label": ROW_LABELS["name"]}))
    weight, problem = read_value(weight_text, "row:weight", ROW_LABELS["weight"], _ROW_WEIGHT, "分")
    if problem is not None:
        issues.append(problem)
    elif weight is None:
        gaps.append(Problem("missing", "row:weight", {"label": ROW_LABELS["weight"]}))
    elif weight == 0:
        issues.append(Problem("not_positive", "row:weight", {"label": ROW_LABELS["weight"]}))
    if spec.groups and group not in spec.groups:
        if group.strip():
            issues.append(
                Problem("row_group", "row:group", {"group": group, "groups": "、".join(spec.groups)})
            )
        else:
            gaps.append(Problem("missing", "row:group", {"label": ROW_LABELS["group"]}))
    w = weight if weight is not None and weight > 0 and not issues else Decimal(1)
    here = f"指标“{node.name}”的自定义指标“{name.strip() or rid}”"
    ind = Indicator(
        rid,
        name.strip(),
        w if weight is not None and weight > 0 else ZERO,
        level,
        standard=spec.standard,
        note=note.strip(),
        row=(node.id, rid),
        row_index=index,
        row_gaps=gaps,
        row_issues=issues,
    )
    ind.row_text = text
    try:
        ind.rule = spec.rule_type(spec.rule, w, here)
    except FrameworkError as e:  # a rule whose parameters do not fit this row's weight
        ind.rule = RULE_TYPES["judged"]({"type": "judged"}, w, here)
        issues.append(Problem("row_rule", "row:weight", {"error": str(e)}))
    ind.specs = {s.key: s for s in ind.rule.inputs()}
    ind.typed_keys = tuple(ind.specs)
    if not ind.standard:
        ind.standard = ind.rule.describe()
    return ind


_ROW_WEIGHT = InputSpec("row:weight", ROW_LABELS["weight"], "points", hi=MAX_PARAM - 1)


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


# ---- version 1 → 2 -------------------------------------------------------------------------------------

# Version 1 files did not state ranges. A figure named as a change (比上年增加, 增长率) may be negative; one named
# as a share of a whole (满意度, 利用率 …) cannot exceed 100%; any other figure cannot be negative.
SIGNED_WORDS = ("增加", "增长", "增减", "变动", "差额")


# Shipped frameworks whose id changed with version 2 (the year left the id): a draft of the old one finds its
# successor by id when it is carried to the next year.
RENAMED = {"futian-2020": "futian"}


def migrate_v1(data: dict) -> dict:
    """A version 1 framework as version 2, scoring the same: its `year` becomes `years` (that year only), the
    ranges version 1 implied are written out (see SIGNED_WORDS and rules.BOUNDED_RATE_WORDS), and
    `partial_counts_whole` becomes `"partial": "whole"`. Never edit: old drafts depend on it."""
    out = {k: v for k, v in data.items() if k != "year"}
    out["format_version"] = 2
    out["id"] = RENAMED.get(out.get("id"), out.get("id"))
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise FrameworkError("指标框架：“year”应为年份，例如 2020")
    out["years"] = {"from": year, "to": year}
    groups = data.get("figure_groups")
    if isinstance(groups, list):
        out["figure_groups"] = [_v1_group(g) for g in groups]
    out["indicators"] = _v1_nodes(data.get("indicators"))
    return out


def _v1_group(g: object) -> object:
    if not isinstance(g, dict) or not isinstance(g.get("figures"), list):
        return g
    figures = []
    for f in g["figures"]:
        if isinstance(f, dict) and isinstance(f.get("label"), str):
            f = dict(f)
            label, kind = f["label"], f.get("kind", "money")
            if kind != "count" and any(w in label for w in SIGNED_WORDS) and "min" not in f:
                f["min"] = None
            if kind == "percent" and bounded_word(label) and "max" not in f:
                f["max"] = 100
        figures.append(f)
    return {**g, "figures": figures}


def _v1_nodes(items: object) -> object:
    if not isinstance(items, list):
        return items
    out = []
    for item in items:
        if isinstance(item, dict):
            item = dict(item)
            if "children" in item:
                item["children"] = _v1_nodes(item["children"])
            rule = item.get("rule")
            if isinstance(rule, dict):
                rule = dict(rule)
                label = rule.get("rate_label")
                cls = RULE_TYPES.get(rule.get("type")) if isinstance(rule.get("type"), str) else None
                if cls and issubclass(cls, RateRule) and isinstance(label, str) and bounded_word(label):
                    rule.setdefault("max_rate", 100)
                if "partial_counts_whole" in rule:
                    rule["partial"] = "whole" if rule.pop("partial_counts_whole") else "pro_rata"
                item["rule"] = rule
        out.append(item)
    return out


def _table_columns(raw: object) -> str | list | None:
    """表2's columns as the report model reads them (core.report.table2_columns): a preset name, or a list of
    column keys, each possibly {"key": …, "label": …} to rename it."""
    if raw is None:
        return None
    from core.report import TABLE2_COLUMNS, TABLE2_PRESETS  # the report model owns the vocabulary

    where = "指标框架：“table_columns”"
    if isinstance(raw, str):
        if raw not in TABLE2_PRESETS:
            raise FrameworkError(f"{where}“{raw}”不是表2 的预设格式（可用：{'、'.join(TABLE2_PRESETS)}）")
        return raw
    if not isinstance(raw, list) or not raw:
        raise FrameworkError(f"{where}应为预设格式的名称，或表2 各列的列表")
    for item in raw:
        key = item.get("key") if isinstance(item, dict) else item
        if key not in TABLE2_COLUMNS:
            raise FrameworkError(f"{where}中的“{key}”不是表2 的列（可用：{'、'.join(TABLE2_COLUMNS)}）")
        if isinstance(item, dict) and not isinstance(item.get("label", ""), str):
            raise FrameworkError(f"{where}中“{key}”的 label 应为文字")
    return raw


def _cover(raw: object) -> list | None:
    """The cover's lines as the report model reads them (core.report.cover): keys of its vocabulary, or
    {"label": …, "fact": a key of 基本信息, "room": lines}."""
    if raw is None:
        return None
    from core.report import COVER_FIELDS  # the report model owns the vocabulary

    where = "指标框架：封面“cover”"
    if not isinstance(raw, list) or not raw:
        raise FrameworkError(f"{where}应为封面各行的列表")
    for item in raw:
        if isinstance(item, str):
            if item not in COVER_FIELDS:
                raise FrameworkError(f"{where}中的“{item}”不是封面的行（可用：{'、'.join(COVER_FIELDS)}）")
        elif not (
            isinstance(item, dict)
            and isinstance(item.get("label"), str)
            and isinstance(item.get("fact", ""), str)
            and isinstance(item.get("room", 1), int)
            and 1 <= item.get("room", 1) <= 5
        ):
            raise FrameworkError(f'{where}的一行应写成 {{"label": "…", "fact": "department", "room": 1}}')
    return raw


def _str(d: dict, key: str, where: str, required: bool = True) -> str:
    value = d.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise FrameworkError(f"{where}：缺少“{key}”或它不是文字")
    return value


def _years(raw: object) -> tuple[int | None, int | None] | None:
    if raw is None:
        return None
    where = "指标框架：“years”"
    if not isinstance(raw, dict) or set(raw) - {"from", "to"} or not raw:
        raise FrameworkError(f'{where}应写成 {{"from": 2021, "to": 2026}}（可只写其一；不限年度则不写）')
    ends = []
    for k in ("from", "to"):
        y = raw.get(k)
        if y is not None and (
            not isinstance(y, int) or isinstance(y, bool) or not FIRST_YEAR <= y <= LAST_YEAR
        ):
            raise FrameworkError(f"{where}的“{k}”应为年份，例如 2021")
        ends.append(y)
    if ends[0] and ends[1] and ends[0] > ends[1]:
        raise FrameworkError(f"{where}：起始年度 {ends[0]} 晚于结束年度 {ends[1]}")
    return ends[0], ends[1]


class _Builder:
    def build(self, data: object) -> Framework:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise FrameworkError("这不是指标框架文件（文件中没有指标框架的格式标记）")
        version = data.get("format_version")
        if version != FORMAT_VERSION:
            raise FrameworkError(f"指标框架格式版本为 {version}，本程序只认识版本 1 和 {FORMAT_VERSION}")
        where = "指标框架"
        fid, name = _str(data, "id", where), _str(data, "name", where)
        if not fid.replace("-", "_").isidentifier():
            raise FrameworkError(f"{where}：id“{fid}”应为英文标识（字母、数字、下划线、连字符）")
        years = _years(data.get("years"))
        total = _weight(data.get("total", 100), f"{where}总分")
        self.figures = self._figures(data.get("figure_groups", []))
        sums = self._sums(data.get("sums", []))
        sections = self._sections(data.get("sections", []))
        grades = self._grades(data.get("grades"))
        na = data.get("not_applicable", "")
        if na not in ("", *NA_POLICIES):
            raise FrameworkError(
                f"{where}：“not_applicable”应为 rescale（不计入总分并折算）或 full（按满分计）"
            )
        targets = data.get("targets", "free")
        if targets not in TARGETS_MODES:
            raise FrameworkError(
                f"{where}：“targets”应为 free（表1 自由填写）或 indicators（表1 即评分指标）"
            )
        columns = _table_columns(data.get("table_columns"))
        cover = _cover(data.get("cover"))
        subject = data.get("subject", "部门整体")
        if subject not in SUBJECTS:
            raise FrameworkError(f"{where}：“subject”应为 部门整体 或 项目支出（评价的对象）")
        self.by_id: dict[str, Indicator] = {}
        self.leaves: list[Indicator] = []
        roots = self._nodes(data.get("indicators"), 1, "指标框架的一级指标", total)
        caps = self._caps(data.get("caps"), total)
        return Framework(
            fid,
            name,
            years,
            total,
            grades,
            self.figures,
            sums,
            sections,
            roots,
            self.leaves,
            self.by_id,
            data,
            region=_str(data, "region", where, required=False),
            description=_str(data, "description", where, required=False),
            origin=_str(data, "source", where, required=False),
            not_applicable=na,
            targets_mode=targets,
            table_columns=columns,
            caps=caps,
            cover=cover,
            subject=subject,
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
                lo, hi = _bound(f, "min", w, ZERO), _bound(f, "max", w, None)
                if lo is not None and hi is not None and lo >= hi:
                    raise FrameworkError(f"{w}：“min”应小于“max”")
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
            kinds = [k for k in ("children", "rule", "rows") if k in item]
            if len(kinds) != 1:
                raise FrameworkError(
                    f"{here}：应有且只有“children”（下级指标）、“rule”（评分规则）或“rows”（由填报人添加的指标）之一"
                )
            if kinds == ["children"]:
                if level >= 3:
                    raise FrameworkError(f"{here}：指标最多三级")
                node.children = self._nodes(item["children"], level + 1, f"{here}的下级指标", node.weight)
            elif kinds == ["rows"]:
                node.rows = self._rows(item["rows"], level, here)
            else:
                self._leaf(node, item, here)
            out.append(node)
        total = sum(n.weight for n in out)
        if total != parent_weight:
            raise FrameworkError(f"{where}分值合计 {fmt(total)}，应等于 {fmt(parent_weight)}")
        return out

    def _caps(self, raw: object, total: Decimal) -> TotalCaps | None:
        if raw is None:
            return None
        where = "指标框架：总分上限“caps”"
        example = '{"indicator": "指标 id", "bands": [{"below": 80, "max": 89}, …]}'
        if not isinstance(raw, dict) or set(raw) - {"indicator", "bands"}:
            raise FrameworkError(f"{where}应写成 {example}")
        ind = self.by_id.get(raw.get("indicator")) if isinstance(raw.get("indicator"), str) else None
        if ind is None or not ind.is_leaf or not isinstance(ind.rule, (RateRule, Coefficient)):
            raise FrameworkError(f"{where}：“indicator”应为按比率计分的末级指标的 id（例如预算执行率）")
        bands = raw.get("bands")
        if not isinstance(bands, list) or not bands:
            raise FrameworkError(f"{where}应写成 {example}")
        out: list[tuple[Decimal, Decimal]] = []
        for i, b in enumerate(bands, 1):
            w = f"{where}第 {i} 档"
            if not isinstance(b, dict) or set(b) != {"below", "max"}:
                raise FrameworkError(f'{w}应写成 {{"below": 80, "max": 89}}')
            below, cap = _num(b, "below", w), _num(b, "max", w)
            if cap >= total:
                raise FrameworkError(f"{w}：上限 {fmt(cap)} 应低于总分 {fmt(total)}")
            if out and not (below < out[-1][0] and cap < out[-1][1]):
                raise FrameworkError(f"{w}：各档应按比率从高到低、上限从高到低排列")
            out.append((below, cap))
        label = ind.rule.rate_label if isinstance(ind.rule, RateRule) else ind.name
        return TotalCaps(ind.id, label, tuple(out))

    def _rule(self, rule: object, weight: Decimal, here: str) -> Rule:
        if not isinstance(rule, dict):
            raise FrameworkError(f"{here}：末级指标须有评分规则“rule”")
        cls = RULE_TYPES.get(rule["type"]) if isinstance(rule.get("type"), str) else None
        if cls is None:
            raise FrameworkError(
                f"{here}：不认识的评分规则类型“{rule.get('type')}”，可用：{'、'.join(RULE_TYPES)}"
            )
        return cls(rule, weight, here)

    def _rows(self, raw: object, level: int, here: str) -> RowsSpec:
        if not isinstance(raw, dict):
            raise FrameworkError(f'{here}：“rows”应写成 {{"rule": {{…}}, "groups": [二级指标名称, …]}}')
        unknown = set(raw) - {"rule", "groups", "standard", "explanation", "hint", "max_rows"}
        if unknown:
            raise FrameworkError(f"{here}：“rows”不认识 {'、'.join(sorted(unknown))}")
        rule = self._rule(raw.get("rule"), Decimal(1), f"{here}的自定义指标")  # parameters checked once here
        groups = raw.get("groups", [])
        if not isinstance(groups, list) or not all(isinstance(g, str) and g.strip() for g in groups):
            raise FrameworkError(f"{here}：“groups”应为二级指标名称的列表")
        if len(set(groups)) != len(groups):
            raise FrameworkError(f"{here}：“groups”中有重复的名称")
        if level + (2 if groups else 1) > 3:
            raise FrameworkError(
                f"{here}：指标最多三级，{'分组的' if groups else ''}自定义指标只能放在"
                f"{'一级' if groups else '一级或二级'}指标下"
            )
        max_rows = raw.get("max_rows", MAX_ROWS)
        if not isinstance(max_rows, int) or isinstance(max_rows, bool) or not 1 <= max_rows <= MAX_ROWS:
            raise FrameworkError(f"{here}：“max_rows”应为 1 到 {MAX_ROWS} 的整数")
        return RowsSpec(
            raw["rule"],
            type(rule),
            tuple(groups),
            _str(raw, "standard", here, required=False),
            _str(raw, "explanation", here, required=False),
            _str(raw, "hint", here, required=False),
            max_rows,
        )

    def _leaf(self, node: Indicator, item: dict, here: str) -> None:
        node.rule = self._rule(item.get("rule"), node.weight, here)
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
            terms = tuple(self._term(f, keys[input_key], here) for f in figs)
            node.terms[input_key] = terms
            this_year = tuple(k for _, where, k in terms if where == "figures")
            if this_year:
                node.bind[input_key] = this_year
        node.typed_keys = tuple(s.key for s in node.inputs())
        node.figure_keys = tuple(k for terms in node.terms.values() for _, w, k in terms if w == "figures")
        node.previous_keys = tuple(k for terms in node.terms.values() for _, w, k in terms if w == "previous")
        node.specs = keys
        if not node.standard:
            node.standard = node.rule.describe()
        self.leaves.append(node)

    def _term(self, raw: object, spec: InputSpec, here: str) -> Term:
        """ "key", "-key" (subtracted), "prev:key" (last year's value of the figure), "-prev:key"."""
        if not isinstance(raw, str):
            raise FrameworkError(f"{here}：bind 中应写数据项的 key，现为“{raw}”")
        text = raw.strip()
        sign = -1 if text.startswith("-") else 1
        text = text.removeprefix("-").strip()
        where = "previous" if text.startswith("prev:") else "figures"
        key = text.removeprefix("prev:").strip()
        if key not in self.figures:
            raise FrameworkError(f"{here}：bind 引用的数据项“{key}”未在 figure_groups 中定义")
        if (self.figures[key].kind == "percent") != (spec.kind == "percent"):
            raise FrameworkError(f"{here}：输入项“{spec.key}”与数据项“{key}”的类型不一致")
        return sign, where, key
