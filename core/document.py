"""The evaluation document (自评文档): what the clerk types, kept exactly as typed.

Every value is a string as the user typed it ("1,273.37", "93.8%"); scoring parses it. So nothing typed is
ever lost, even text that is not yet a valid number. The framework the document is filled against travels
with it (see core.drafts).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields

from core import JixiaoError
from core.framework import ROW_LABELS, Framework, SectionSpec, Tree
from core.text import encodable

# said beside a rate the rule computed (Excel 基本信息); an import reads such a value as not typed
COMPUTED = "由程序计算"

FACTS: list[tuple[str, str]] = [
    ("department", "部门名称"),
    ("year", "评价年度"),
    ("leader", "单位负责人"),
    ("preparer", "填报人"),
    ("phone", "联系电话"),
    ("evaluation_date", "评价日期"),
]
TARGET_COLUMNS: list[tuple[str, str]] = [
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("level3", "三级指标"),
    ("value", "指标值"),
    ("actual", "实际完成值"),
    ("deviation", "偏差原因"),
]
ENTRY_FIELDS = ("reason", "override", "override_reason", "na")
ENTRY_LABELS = {
    "reason": "扣分理由",
    "override": "手工调整得分",
    "override_reason": "调整理由",
    "na": "不适用",
}
NA_MARK = "1"  # an entry's "na" when the clerk marks the indicator 不适用

# The longest text a field holds (characters; docs/draft-format.md). Longer text is refused where it enters
# (typing, paste, opening a draft, imports) with a message naming the field and the limit; nothing is cut.
MAX_SECTION = 100_000  # one section of the report's text
MAX_NOTE = 20_000  # 扣分理由 and 偏差原因: text in one table cell (Excel holds 32,767)
MAX_LINE = 1_000  # every other field: names, dates, figures, inputs, 表1 cells


class TextTooLong(JixiaoError):
    """A text over its field's length limit; the message names the field and the limit."""


class TooManyRows(JixiaoError):
    """A row beyond the most a node takes (its `max_rows`, at most core.framework.MAX_ROWS): a draft holding more
    could not be opened again. The message names the node and the limit."""


def max_length(path: tuple) -> int:
    if path[0] in ("narrative", "carried"):
        return MAX_SECTION
    if path[0] == "targets" and path[2] == "deviation" or path[0] == "indicators" and path[2] == "reason":
        return MAX_NOTE
    return MAX_LINE


def empty_entry() -> dict:
    """Per-indicator data: inputs by key, the reason for points taken off, and a hand override."""
    return {"inputs": {}, "reason": "", "override": "", "override_reason": "", "na": ""}


@dataclass(eq=False)
class Evaluation:
    framework: Framework
    facts: dict[str, str] = field(default_factory=dict)
    figures: dict[str, str] = field(default_factory=dict)
    targets: list[dict[str, str]] = field(default_factory=list)
    indicators: dict[str, dict] = field(default_factory=dict)
    narrative: dict[str, str] = field(default_factory=dict)
    # Last year (core.carry): last year's figures by key (rules may bind them as "prev:KEY"), the report text
    # carried as starting text (section key → the text as carried; a section whose text still equals it is
    # "上年内容，请更新"), and last year's results for the comparison (see docs/draft-format.md).
    previous: dict[str, str] = field(default_factory=dict)
    carried: dict[str, str] = field(default_factory=dict)
    last_year: dict = field(default_factory=dict)
    # The clerk's rows under the nodes that take them (Framework.row_nodes): node id → rows, each a dict of
    # ROW_FIELDS as typed ("id" is made by add_row and never typed).
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    # scoring's ScoreCache (core.scoring): not part of the document
    cache: object = field(default=None, repr=False)
    _tree: Tree | None = field(default=None, repr=False)

    @classmethod
    def new(cls, framework: Framework, year: int | str | None = None) -> Evaluation:
        """A blank evaluation of `year` (default: last calendar year, within the framework's years)."""
        return cls(framework, facts={"year": str(year if year is not None else framework.default_year())})

    def __deepcopy__(self, memo: dict) -> Evaluation:
        """A copy of what is typed (and of the framework, unless `memo` shares it); the score cache and the tree
        are derived, so the copy starts without them."""
        out = Evaluation(copy.deepcopy(self.framework, memo))
        memo[id(self)] = out
        for f in fields(self):
            if f.name not in ("framework", "cache", "_tree"):
                setattr(out, f.name, copy.deepcopy(getattr(self, f.name), memo))
        return out

    @property
    def tree(self) -> Tree:
        """The indicator tree: the framework's, with the clerk's rows (rebuilt only when the rows change)."""
        self._tree = self.framework.tree(self.rows, self._tree)
        return self._tree

    def new_row(self, node_id: str, **fields: str) -> dict[str, str]:
        """A row for a node that takes rows, with an id no row of that node has (not added)."""
        taken = {r.get("id", "") for r in self.rows.get(node_id, [])}
        n = len(taken) + 1
        while f"{node_id}.r{n}" in taken:
            n += 1
        row = {"id": f"{node_id}.r{n}", "name": "", "weight": "", "group": "", "note": ""}
        row.update({k: self.allowed(("rows", node_id, 0, k), encodable(v)) for k, v in fields.items()})
        return row

    def rows_full(self, node_id: str) -> str:
        """ "" while a node takes another row, else why not: “产出指标已有 500 行，这是本项可添加的上限” (the window
        greys its add buttons and says so; imports list the rows left out)."""
        node = self.framework.by_id[node_id]
        limit = node.rows.max_rows
        return (
            f"{node.name}已有 {limit} 行，这是本项可添加的上限"
            if len(self.rows.get(node_id, [])) >= limit
            else ""
        )

    def add_row(self, node_id: str, at: int | None = None, **fields: str) -> dict[str, str]:
        """A new row under a node that takes rows, with an id of its own; returns it. TooManyRows when the node
        already has the most it takes."""
        full = self.rows_full(node_id)
        if full:
            raise TooManyRows(full)
        row = self.new_row(node_id, **fields)
        rows = self.rows.setdefault(node_id, [])
        rows.insert(len(rows) if at is None else at, row)
        return row

    def set_rows(self, node_id: str, rows: list[dict[str, str]]) -> None:
        """Replace a node's rows (add, remove, reorder: one undo step in the window); TooManyRows beyond the limit."""
        node = self.framework.by_id[node_id]
        if len(rows) > node.rows.max_rows:
            raise TooManyRows(f"{node.name}最多可有 {node.rows.max_rows} 行（现为 {len(rows)} 行）")
        self.rows[node_id] = [dict(r) for r in rows]

    def entry(self, indicator_id: str) -> dict:
        """The entry of one indicator, created on first use."""
        e = self.indicators.get(indicator_id)
        if e is None:
            e = self.indicators[indicator_id] = empty_entry()
        return e

    # Generic access by path, used by forms and undo: ("figures", key), ("facts", key),
    # ("narrative", key), ("targets", row, column), ("indicators", id, "inputs", key),
    # ("indicators", id, "reason" | "override" | "override_reason"), ("carried", key) (setting "" clears the mark).
    def get(self, path: tuple) -> str:
        kind = path[0]
        if kind in ("figures", "facts", "narrative", "carried", "previous"):
            return getattr(self, kind).get(path[1], "")
        if kind == "rows":
            rows = self.rows.get(path[1], [])
            return rows[path[2]].get(path[3], "") if len(path) == 4 and path[2] < len(rows) else ""
        if kind == "targets":
            return self.targets[path[1]].get(path[2], "")
        if kind == "indicators":
            e = self.indicators.get(path[1]) or empty_entry()
            return e["inputs"].get(path[3], "") if path[2] == "inputs" else e.get(path[2], "")
        raise KeyError(path)

    def set(self, path: tuple, value: str) -> None:
        """Set one field: lone surrogates become U+FFFD (core.text); TextTooLong over the field's limit."""
        value = self.allowed(path, encodable(value))
        kind = path[0]
        if kind in ("figures", "facts", "narrative", "previous"):
            getattr(self, kind)[path[1]] = value
        elif kind == "rows" and len(path) == 4 and path[3] in ROW_LABELS:
            self.rows[path[1]][path[2]][path[3]] = value
        elif kind == "carried":
            if value:
                self.carried[path[1]] = value
            else:
                self.carried.pop(path[1], None)
        elif kind == "targets":
            self.targets[path[1]][path[2]] = value
        elif kind == "indicators" and path[2] == "inputs":
            self.entry(path[1])["inputs"][path[3]] = value
        elif kind == "indicators" and path[2] in ENTRY_FIELDS:
            self.entry(path[1])[path[2]] = value
        else:
            raise KeyError(path)

    def allowed(self, path: tuple, value: str) -> str:
        """`value` if the field at `path` may hold it, else TextTooLong naming the field and the limit."""
        limit = max_length(path)
        if len(value) > limit:
            raise TextTooLong(f"{self.label(path)}有 {len(value):,} 字，超过上限 {limit:,} 字")
        return value

    def label(self, path: tuple) -> str:
        """The field at `path` as the user knows it, e.g. 表1 第 2 行的“偏差原因”, 指标“预算编制”的扣分理由."""
        kind, fw = path[0], self.framework
        if kind == "facts":
            return f"基本信息“{dict(FACTS).get(path[1], path[1])}”"
        if kind in ("figures", "previous"):
            spec = fw.figures.get(path[1])
            return f"{'上年' if kind == 'previous' else ''}数据“{spec.label if spec else path[1]}”"
        if kind == "rows":
            node = fw.by_id.get(path[1])
            where = f"指标“{node.name if node else path[1]}”"
            if len(path) < 4:
                return f"{where}的自定义指标"
            return f"{where}的自定义指标第 {path[2] + 1} 行的“{ROW_LABELS.get(path[3], path[3])}”"
        if kind in ("narrative", "carried"):
            spec = next((s for s in fw.sections if s.key == path[1]), None)
            return f"报告正文“{self.section_title(spec) if spec else path[1]}”"
        if kind == "targets":
            return f"表1 第 {path[1] + 1} 行的“{dict(TARGET_COLUMNS).get(path[2], path[2])}”"
        ind = self.tree.by_id.get(path[1])
        name = f"指标“{ind.name if ind else path[1]}”"
        if path[2] == "inputs":
            spec = next((s for s in ind.inputs() if s.key == path[3]), None) if ind else None
            return f"{name}的“{spec.label if spec else path[3]}”"
        return f"{name}的{ENTRY_LABELS.get(path[2], path[2])}"

    def texts(self):
        """Every field the document holds, as (path, text), in the order of the draft file."""
        for kind in ("facts", "figures", "previous"):
            for key, value in getattr(self, kind).items():
                yield (kind, key), value
        for node_id, rows in self.rows.items():
            for i, row in enumerate(rows):
                for key in ROW_LABELS:
                    yield ("rows", node_id, i, key), row.get(key, "")
        for i, row in enumerate(self.targets):
            for key, value in row.items():
                yield ("targets", i, key), value
        for iid, e in self.indicators.items():
            for key, value in e["inputs"].items():
                yield ("indicators", iid, "inputs", key), value
            for key in ENTRY_FIELDS:
                yield ("indicators", iid, key), e[key]
        for key, value in self.narrative.items():
            yield ("narrative", key), value

    def carried_unedited(self) -> list[str]:
        """Keys of the report sections that still hold last year's text, unedited and not confirmed."""
        return [k for k, text in self.carried.items() if text.strip() and self.narrative.get(k, "") == text]

    @property
    def year(self) -> str:
        """The evaluated year as typed (set when the evaluation is made; a draft without one: the first year of
        its framework, if it says)."""
        return self.facts.get("year", "").strip() or str((self.framework.years or ("",))[0] or "")

    @property
    def title(self) -> str:
        return f"{self.year} 年度{self.framework.subject}绩效自评报告"

    def section_title(self, section: SectionSpec) -> str:
        """A report heading; "{year}" in the framework's title becomes the evaluated year."""
        return section.title.replace("{year}", self.year)
