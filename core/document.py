"""The evaluation document (自评文档): what the clerk types, kept exactly as typed.

Every value is a string as the user typed it ("1,273.37", "93.8%"); scoring parses it. So nothing typed is
ever lost, even text that is not yet a valid number. The framework the document is filled against travels
with it (see core.drafts).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.framework import Framework, SectionSpec

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
ENTRY_FIELDS = ("reason", "override", "override_reason")


def empty_entry() -> dict:
    """Per-indicator data: inputs by key, the reason for points taken off, and a hand override."""
    return {"inputs": {}, "reason": "", "override": "", "override_reason": ""}


@dataclass(eq=False)
class Evaluation:
    framework: Framework
    facts: dict[str, str] = field(default_factory=dict)
    figures: dict[str, str] = field(default_factory=dict)
    targets: list[dict[str, str]] = field(default_factory=list)
    indicators: dict[str, dict] = field(default_factory=dict)
    narrative: dict[str, str] = field(default_factory=dict)

    @classmethod
    def new(cls, framework: Framework) -> Evaluation:
        return cls(framework, facts={"year": str(framework.year)})

    def entry(self, indicator_id: str) -> dict:
        """The entry of one indicator, created on first use."""
        e = self.indicators.get(indicator_id)
        if e is None:
            e = self.indicators[indicator_id] = empty_entry()
        return e

    # Generic access by path, used by forms and undo: ("figures", key), ("facts", key),
    # ("narrative", key), ("targets", row, column), ("indicators", id, "inputs", key),
    # ("indicators", id, "reason" | "override" | "override_reason").
    def get(self, path: tuple) -> str:
        kind = path[0]
        if kind in ("figures", "facts", "narrative"):
            return getattr(self, kind).get(path[1], "")
        if kind == "targets":
            return self.targets[path[1]].get(path[2], "")
        if kind == "indicators":
            e = self.indicators.get(path[1]) or empty_entry()
            return e["inputs"].get(path[3], "") if path[2] == "inputs" else e.get(path[2], "")
        raise KeyError(path)

    def set(self, path: tuple, value: str) -> None:
        kind = path[0]
        if kind in ("figures", "facts", "narrative"):
            getattr(self, kind)[path[1]] = value
        elif kind == "targets":
            self.targets[path[1]][path[2]] = value
        elif kind == "indicators" and path[2] == "inputs":
            self.entry(path[1])["inputs"][path[3]] = value
        elif kind == "indicators" and path[2] in ENTRY_FIELDS:
            self.entry(path[1])[path[2]] = value
        else:
            raise KeyError(path)

    @property
    def year(self) -> str:
        return self.facts.get("year", "").strip() or str(self.framework.year)

    @property
    def title(self) -> str:
        return f"{self.year} 年度部门整体绩效自评报告"

    def section_title(self, section: SectionSpec) -> str:
        """A report heading; "{year}" in the framework's title becomes the evaluated year."""
        return section.title.replace("{year}", self.year)
