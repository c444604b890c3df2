"""The filling order (填报步骤) of an evaluation and how far each step is: a Qt-free engine the window draws.

Steps, in order: 基本信息, 绩效目标表 (表1), 预算与执行数据, one step per 一级 indicator of the framework,
总体评价与整改 (the narrative), 汇总与导出. Each step's state is "done", "open" (inputs missing) or "problem",
with a Chinese line such as "21 项指标中还有 3 项未填". `section_of(path, framework)` says which step shows
a document path, so a finding or an undo can take the user to the right place.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.document import FACTS, TARGET_COLUMNS, Evaluation
from core.framework import Framework, SectionSpec
from core.numbers import NumberError, fmt, parse_number
from core.scoring import DONE, OPEN, PROBLEM, ScoreSheet

FACTS_KEY, TARGETS_KEY, FIGURES_KEY, NARRATIVE_KEY, SUMMARY_KEY = (
    "facts",
    "targets",
    "figures",
    "narrative",
    "summary",
)
INDICATOR_PREFIX = "indicator:"
TARGET_REQUIRED = ("level3", "value", "actual")  # 表1 columns a row needs; 偏差原因 only when there is one


@dataclass(frozen=True)
class Section:
    """One step of the form. `root` is the 一级 indicator id for indicator steps, else ""."""

    key: str
    title: str
    root: str = ""


@dataclass(frozen=True)
class SectionState:
    status: str  # DONE, OPEN or PROBLEM
    summary: str  # one Chinese line, e.g. "21 项指标中还有 3 项未填"
    findings: int = 0  # findings of the checks (审核) that point into the step
    errors: int = 0  # of which 错误

    @property
    def findings_text(self) -> str:
        if not self.findings:
            return ""
        return f"审核发现 {self.findings} 条" + (f"（错误 {self.errors} 条）" if self.errors else "")


def sections(framework: Framework) -> list[Section]:
    """The steps of a framework's evaluation. 绩效目标表 is a step of its own only where 表1 is typed freely (where
    the scored rows are the targets, they are filled on the indicator steps); 预算与执行数据 only where there are
    figures; 总体评价与整改 only where the framework has report sections that take text."""
    out = [Section(FACTS_KEY, "基本信息")]
    if framework.targets_mode == "free":
        out.append(Section(TARGETS_KEY, "绩效目标表"))
    if framework.figures:
        out.append(Section(FIGURES_KEY, "预算与执行数据"))
    out += [Section(INDICATOR_PREFIX + r.id, r.name, r.id) for r in framework.roots]
    if text_sections(framework):
        out.append(Section(NARRATIVE_KEY, "总体评价与整改"))
    out.append(Section(SUMMARY_KEY, "汇总与导出"))
    return out


def text_sections(framework: Framework) -> list[SectionSpec]:
    """Narrative sections that take text: a level-1 heading directly followed by its sub-sections is a heading only."""
    specs = framework.sections
    return [
        s
        for i, s in enumerate(specs)
        if not (0 < s.level and i + 1 < len(specs) and specs[i + 1].level > s.level)
    ]


def figure_users(framework: Framework) -> dict[str, list[str]]:
    """For each shared figure, the names of the indicators that use it (once each, in framework order)."""
    used: dict[str, dict[str, None]] = {}
    for leaf in framework.leaves:
        for figs in leaf.bind.values():
            for k in figs:
                used.setdefault(k, {})[leaf.name] = None
    return {k: list(names) for k, names in used.items()}


def figure_groups(framework: Framework) -> list[tuple[str, list]]:
    """The shared figures by their group, in the framework's order: (group title, [FigureSpec])."""
    groups: dict[str, list] = {}
    for spec in framework.figures.values():
        groups.setdefault(spec.group, []).append(spec)
    return list(groups.items())


@dataclass(frozen=True)
class NarrativePart:
    """One heading of the report's text step: a text box under it, or only a heading over its sub-sections."""

    key: str
    title: str
    level: int
    takes_text: bool
    hint: str


def narrative_parts(doc: Evaluation) -> list[NarrativePart]:
    takes_text = {s.key for s in text_sections(doc.framework)}
    out = []
    for spec in doc.framework.sections:
        hint = spec.hint
        if spec.insert == "targets":
            hint += "（表1 由程序接在本节之后）"
        elif spec.insert == "scores":
            hint += "（表2 评分表与各指标说明由程序生成）"
        title = doc.section_title(spec) or "开篇（评价依据与自评过程）"
        out.append(NarrativePart(spec.key, title, spec.level, spec.key in takes_text, hint.strip()))
    return out


def leaf_count(node) -> int:
    """How many leaves (三级指标) are under an indicator."""
    return len(_leaves(node))


def group_of(node, indicator_id: str) -> int | None:
    """Which child of `node` holds an indicator (its index), for showing one 二级 group at a time."""
    for i, child in enumerate(node.children):
        stack = [child]
        while stack:
            n = stack.pop()
            if n.id == indicator_id:
                return i
            stack.extend(n.children)
    return None


ROWS_AT = 30  # a node with more rows than this shows them a page at a time
ROWS_PER_PAGE = 20


@dataclass(frozen=True)
class RowChunk:
    """Rows of one group of a node that takes rows, as shown together: `rows` (leaves) are the group's rows
    `start` + 1 … `start` + len(rows) of `total`; `group` is "" when the node has no groups. The group's
    "add a row" belongs after its last chunk (`last`)."""

    group: str
    rows: tuple
    start: int
    total: int
    last: bool


@dataclass(frozen=True)
class RowPage:
    """What one page of a node's rows shows: its chunks (every group's, when the rows fit on one page) and
    the page's name in the list of pages."""

    chunks: tuple[RowChunk, ...]
    title: str

    def holds(self, row_id: str) -> bool:
        return any(leaf.id == row_id for c in self.chunks for leaf in c.rows)


def row_pages(
    node, groups: tuple[str, ...], at: int = ROWS_AT, per_page: int = ROWS_PER_PAGE
) -> list[RowPage]:
    """The pages of the rows the clerk added under `node` (a node of the evaluation's tree, Evaluation.tree,
    with `groups` its groups, possibly empty). Up to `at` rows: one page with every group. More: each group
    on pages of `per_page` rows ("数量指标 第 21–40 行（共 112 行）"); a group without rows has a page of its
    own, where its first row is added."""
    if groups:
        members = {c.name: tuple(c.children) for c in node.children}
        by_group = [(g, members.get(g, ())) for g in groups]
    else:
        by_group = [("", tuple(node.children))]
    count = sum(len(rows) for _, rows in by_group)
    if count <= at:
        chunks = tuple(RowChunk(g, rows, 0, len(rows), True) for g, rows in by_group)
        return [RowPage(chunks, f"全部 {count} 行")]
    pages = []
    for g, rows in by_group:
        starts = range(0, len(rows), per_page) if rows else [0]
        for start in starts:
            part = rows[start : start + per_page]
            last = start + per_page >= len(rows)
            if len(rows) > per_page:
                title = f"{g} 第 {start + 1}–{start + len(part)} 行（共 {len(rows)} 行）".lstrip()
            else:
                title = f"{g}（{len(rows)} 行）" if rows else f"{g}（还没有行）"
            pages.append(RowPage((RowChunk(g, part, start, len(rows), last),), title))
    return pages


def required_marks(doc: Evaluation, node) -> tuple[str, str]:
    """For a leaf's card: whether 扣分理由 and 调整理由 are required: "" (not), "yes" (and written) or
    "missing" (required and empty). A reason is required when points are taken off without a hand override,
    or when the rule asks for one (a row not met, 执行率 below 90%, marked 不适用); an override's reason when an
    override is typed."""
    required = (
        node.score is not None and node.lost > 0 and not node.overridden
    ) or node.asks_reason is not None
    reason = ("missing" if not node.reason else "yes") if required else ""
    override = bool(doc.get(("indicators", node.id, "override")).strip())
    over = (
        ("missing" if not doc.get(("indicators", node.id, "override_reason")).strip() else "yes")
        if override
        else ""
    )
    return reason, over


def root_of(framework: Framework, indicator_id: str) -> str | None:
    """The 一级 indicator an indicator belongs to (a clerk's row "NODE.rN" or group "NODE.gN": its node's)."""
    return framework.root_of.get(indicator_id) or framework.root_of.get(indicator_id.split(".")[0])


def section_of(path: tuple, framework: Framework) -> str | None:
    """The step that shows a document path (None for a path of the framework itself, e.g. ())."""
    if not path:
        return None
    kind = path[0]
    if kind in ("indicators", "rows") and len(path) > 1:
        root = root_of(framework, path[1])
        return INDICATOR_PREFIX + root if root else None
    return {
        "facts": FACTS_KEY,
        "targets": TARGETS_KEY,
        "figures": FIGURES_KEY,
        "previous": FIGURES_KEY,  # last year's value of a figure, shown beside it
        "narrative": NARRATIVE_KEY,
        "carried": NARRATIVE_KEY,  # the mark “上年内容，请更新” of a section
    }.get(kind)


def _leaves(node) -> list:
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        if n.children:
            stack.extend(n.children)
        else:
            out.append(n)
    return out


def _bad_number(text: str) -> bool:
    try:
        parse_number(text)
    except NumberError:
        return True
    return False


def left(total: int, empty: int, unit: str = "项", what: str = "未填") -> str:
    """How many of `total` are still empty, as a step says it: "46 项未填" when none is filled yet."""
    if empty >= total:
        return f"{total} {unit}{what}"
    return f"{total} {unit}中还有 {empty} {unit.removesuffix('指标')}{what}"


def scored_any(sheet: ScoreSheet) -> bool:
    """Whether at least one indicator has a score (before that, a total and a grade mean nothing)."""
    return sheet.open_count < sheet.leaf_count


def shown_total(sheet: ScoreSheet) -> str:
    """The total as the window and the start page show it: "—" until an indicator is scored."""
    return fmt(sheet.total) if scored_any(sheet) else "—"


def shown_grade(sheet: ScoreSheet) -> str:
    """The grade as the window and the start page show it: "—" (not the lowest grade) until an indicator
    is scored."""
    return sheet.grade if scored_any(sheet) else "—"


def states(doc: Evaluation, sheet: ScoreSheet, findings: list | None = None) -> list[SectionState]:
    """The state of every step, in order (findings are sorted to their steps once)."""
    by_key: dict[str | None, list] = {}
    for f in findings or []:
        by_key.setdefault(section_of(f.path, doc.framework), []).append(f)
    errors = sum(1 for f in findings or [] if f.severity == "错误")
    return [_state(s, doc, sheet, by_key.get(s.key, []), errors) for s in sections(doc.framework)]


def state(section: Section, doc: Evaluation, sheet: ScoreSheet, findings: list | None = None) -> SectionState:
    """How far one step is. Errors among `findings` (core.checks) that point into the step make it a problem."""
    return _state(
        section,
        doc,
        sheet,
        [f for f in findings or [] if section_of(f.path, doc.framework) == section.key],
        sum(1 for f in findings or [] if f.severity == "错误"),
    )


def _state(
    section: Section, doc: Evaluation, sheet: ScoreSheet, found: list, errors_anywhere: int = 0
) -> SectionState:
    status, summary = _own_state(section, doc, sheet)
    if section.key == SUMMARY_KEY:
        if status == DONE and errors_anywhere:  # every indicator scored, yet the exports would be 草稿
            return SectionState(OPEN, f"全部指标已评分；审核错误 {errors_anywhere} 条，导出将标为“草稿”")
        return SectionState(status, summary)
    errors = sum(1 for f in found if f.severity == "错误")
    return SectionState(PROBLEM if errors else status, summary, len(found), errors)


def _own_state(section: Section, doc: Evaluation, sheet: ScoreSheet) -> tuple[str, str]:
    key = section.key
    if key == FACTS_KEY:
        empty = [label for k, label in FACTS if not doc.facts.get(k, "").strip()]
        return (OPEN, left(len(FACTS), len(empty))) if empty else (DONE, "已填完")
    if key == TARGETS_KEY:
        if not doc.targets:
            return OPEN, "还没有绩效目标"
        labels = dict(TARGET_COLUMNS)
        incomplete = [r for r in doc.targets if any(not r.get(c, "").strip() for c in TARGET_REQUIRED)]
        if incomplete:
            cols = [labels[c] for c in TARGET_REQUIRED if any(not r.get(c, "").strip() for r in incomplete)]
            return OPEN, f"{len(incomplete)} 行未填完（{'、'.join(cols)}）"
        return DONE, f"共 {len(doc.targets)} 行，已填完"
    if key == FIGURES_KEY:
        specs = doc.framework.figures
        bad = [k for k in specs if _bad_number(doc.figures.get(k, ""))]
        blank = [k for k in specs if not doc.figures.get(k, "").strip()]
        empty = [k for k in blank if k not in doc.framework.optional_figures]
        if bad:
            return PROBLEM, f"{len(bad)} 项不是有效数字"
        if empty:  # every empty field counted; how many of them must be filled said when not all
            need = f"，其中 {len(empty)} 项必填" if len(empty) < len(blank) else ""
            return OPEN, left(len(specs), len(blank)) + need
        return DONE, "必填项已填完" if blank else "已填完"
    if section.root:
        node = sheet.by_id[section.root]
        leaves = _leaves(node)
        problems = sum(1 for n in leaves if n.problems)
        parts = []
        rowless = sum(1 for n in leaves if n.indicator.rows is not None)  # nodes whose rows are still to add
        if rowless:
            parts.append("还没有添加指标" if rowless == len(leaves) else f"{rowless} 处还没有添加指标")
        if node.open_leaves > rowless:
            parts.append(left(len(leaves) - rowless, node.open_leaves - rowless, "项指标"))
        if problems:
            parts.append(f"{problems} 项有问题")
        status = PROBLEM if problems else OPEN if node.open_leaves else DONE
        return status, "；".join(parts) or f"{len(leaves)} 项指标已评完"
    if key == NARRATIVE_KEY:
        # sections to write: 四、评分情况 is generated from the scores (its own text is optional)
        specs = [s for s in text_sections(doc.framework) if s.insert != "scores"]
        empty = [s for s in specs if not doc.narrative.get(s.key, "").strip()]
        if empty:
            return OPEN, left(len(specs), len(empty), "节", "未写")
        carried = doc.carried_unedited()  # text from last year's draft, neither edited nor confirmed
        return (OPEN, f"{len(carried)} 节仍是上年内容，请更新") if carried else (DONE, "已写完")
    if key == SUMMARY_KEY:
        if sheet.problem_count:
            return PROBLEM, f"{sheet.problem_count} 项指标有问题"
        if sheet.open_count:
            if not scored_any(sheet):
                return OPEN, f"{sheet.leaf_count} 项指标均未评分"
            return OPEN, f"{sheet.leaf_count} 项指标中还有 {sheet.open_count} 项未评分"
        return DONE, "全部指标已评分，可以导出"
    raise KeyError(key)
