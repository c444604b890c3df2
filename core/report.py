"""The report (自评报告) as format-neutral blocks, built once per export: `build_report(doc, sheet) -> Report`.

Everything a reader sees is decided here, from the score sheet and the document: the cover, the headings and
their levels, the paragraphs (the user's and the generated ones of core.report_text), 表1, 表2 with the
framework's columns, the chart's data, the 附件 list, 附件1 and the workbook's 基本信息; what is 未评分 or 暂定;
whether the whole is a 草稿 and why. The renderers (core.export_pdf, core.export_docx, core.export_xlsx) only lay
these blocks out: they compute no number and choose no sentence, so the three formats cannot disagree.

All text here is plain text. Nothing from a draft or a framework is ever markup in any renderer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from core.checks import ERROR, Finding, check, export_is_draft
from core.document import COMPUTED, FACTS, TARGET_COLUMNS, Evaluation
from core.framework import Indicator
from core.numbers import HUNDRED, NumberError, fmt, fmt_pct, parse_number
from core.report_text import leaf_count, leaf_reason, level1_paragraphs, scores_opening
from core.scoring import OPEN, PROBLEM, NodeScore, ScoreSheet, score

NOT_SCORED = "未评分"
NOT_APPLICABLE = "不适用"
PENDING = "（暂定）"
LONG_REASON = 120  # characters; a longer reason in 附件1 gets a full-width row of its own


# ---------------------------------------------------------------------------------------------- blocks


@dataclass
class Cell:
    """One table cell. `text` is what every format prints; `value` is the number behind it (Excel writes it as
    a number, formatted by `kind`: score, pct, money or count). `rows`/`cols` span from this cell; the cells it
    covers are None in the table's rows."""

    text: str = ""
    value: Decimal | None = None
    kind: str = "text"
    align: str = "left"  # left | center
    rows: int = 1
    cols: int = 1


@dataclass(frozen=True)
class Column:
    """A table column: its heading and its width in characters of 10.5 pt (relative in PDF and Word)."""

    key: str
    label: str
    width: float
    align: str = "center"


@dataclass
class Row:
    """kind: body | group (a subtotal or group title, kept with the row below) | note (a full-width row kept
    with the row above) | total (合计 and 评价等级, kept together at the end)."""

    cells: list[Cell | None]
    kind: str = "body"
    node: str = ""  # the indicator a body row of 表1 / 表2 stands for (the window opens it)


@dataclass
class Table:
    key: str  # targets | scores | details | facts
    caption: str  # "表2 2020年度部门整体绩效评价评分表"
    sheet: str  # the workbook's sheet name
    columns: list[Column]
    rows: list[Row]
    subtitle: str = ""  # "部门名称：…" (the workbook's second line)
    unit: str = ""  # "单位：分"
    notes: list[str] = field(default_factory=list)  # lines under the table
    empty: bool = False  # nothing to show yet: the workbook's sheet says so, the report leaves it out


@dataclass
class Heading:
    """level 1 "一、" (黑体), 2 "（一）" (楷体), 3 "1." and 4 "（1）" (仿宋); all are in the outline."""

    text: str
    level: int


@dataclass
class Paragraph:
    """style: body (indented, justified) | closing (the 附件 list) | note (the 草稿 notice)."""

    text: str
    style: str = "body"


@dataclass
class Chart:
    """图1: a horizontal bar per indicator, its 得分率 (percent)."""

    caption: str
    bars: list[tuple[str, Decimal, str]]  # name, rate, the rate as printed


@dataclass
class CoverLine:
    """A line of the cover: label and value; `room` lines of blank space for a seal or a signature."""

    label: str
    value: str
    room: int = 1


@dataclass
class Annex:
    label: str  # 附件1
    title: str  # 深圳市…部门整体支出绩效自评评分表
    table: Table


Block = Heading | Paragraph | Table | Chart


@dataclass
class Report:
    title: str
    department: str
    year: str
    cover: list[CoverLine]
    body: list[Block]
    annexes: list[Annex]
    sheets: list[Table]  # the workbook's sheets in order: 基本信息, 表1, 表2, 附件1
    draft: bool
    draft_reasons: list[str]
    file_stem: str  # 部门 + 年度 + 部门整体绩效自评报告

    @property
    def draft_note(self) -> str:
        """The 草稿 notice every format prints (empty when final)."""
        if not self.draft:
            return ""
        return "草稿：" + "；".join(self.draft_reasons) + "。改正后重新导出即为正式版本，草稿不作为正式报送。"

    def tables(self) -> list[Table]:
        return [b for b in self.body if isinstance(b, Table)] + [a.table for a in self.annexes]


# ---------------------------------------------------------------------------------------------- building


def build_report(
    doc: Evaluation,
    sheet: ScoreSheet | None = None,
    findings: list[Finding] | None = None,
    draft: bool | None = None,
) -> Report:
    """The report of a document. `draft` None: 草稿 while an indicator is unscored or 审核 finds errors."""
    sheet = sheet if sheet is not None else score(doc)
    if findings is None:
        findings = check(doc, sheet)
    errors = [f for f in findings if f.severity == ERROR]
    reasons = []
    if sheet.open_count:
        reasons.append(f"尚有 {sheet.open_count} 项指标未评分（{_few(unscored(sheet))}）")
    if errors:
        reasons.append(f"审核发现 {len(errors)} 项错误（{_few([f.message for f in errors], 2)}）")
    is_draft = export_is_draft(sheet, findings) if draft is None else draft
    if is_draft and not reasons:
        reasons.append("导出时选择了草稿")
    department = doc.facts.get("department", "").strip()
    annex = Annex("附件1", f"{department}{doc.framework.spending}绩效自评评分表", details_table(doc, sheet))
    targets, scores = targets_table(doc, sheet), scores_table(doc, sheet)
    body = _body(doc, sheet, annex, targets, scores)
    return Report(
        title=doc.title,
        department=department,
        year=doc.year,
        cover=cover(doc),
        body=body,
        annexes=[annex],
        sheets=[facts_table(doc, sheet), targets, scores, annex.table],
        draft=is_draft,
        draft_reasons=reasons if is_draft else [],
        file_stem=file_stem(doc),
    )


def file_stem(doc: Evaluation) -> str:
    """部门 + 年度 + 部门整体绩效自评报告: the name of the 报送包's files."""
    return f"{doc.facts.get('department', '').strip()}{doc.year}年度{doc.framework.subject}绩效自评报告"


def unscored(sheet: ScoreSheet) -> list[str]:
    """The indicators still without a score, by name (a node whose rows are still to add is one of them)."""
    return [n.name for n in sheet.all_nodes() if not n.children and n.open_leaves]


def _few(items: list[str], n: int = 3) -> str:
    return "；".join(items[:n]) + (f" 等 {len(items)} 项" if len(items) > n else "")


# The cover's lines, by key: label, fact key, room. A framework may declare its own list as `cover` (keys of
# this vocabulary, or {"label", "fact", "room"}); the default is the seed's four lines and 填报日期.
COVER_FIELDS = {
    "department": ("部门名称（公章）", "department", 3),
    "leader": ("单位负责人（签章）", "leader", 3),
    "preparer": ("填报人", "preparer", 1),
    "phone": ("联系电话", "phone", 1),
    "date": ("填报日期", "report_date", 1),
}
DEFAULT_COVER = ("department", "leader", "preparer", "phone", "date")


def cover(doc: Evaluation) -> list[CoverLine]:
    out = []
    for item in getattr(doc.framework, "cover", None) or DEFAULT_COVER:
        if isinstance(item, str) and item in COVER_FIELDS:
            label, key, room = COVER_FIELDS[item]
        elif isinstance(item, dict) and isinstance(item.get("label"), str):
            label, key, room = item["label"], str(item.get("fact", "")), int(item.get("room", 1) or 1)
        else:
            continue
        out.append(CoverLine(label, doc.facts.get(key, "").strip(), room))
    return out


_SUBHEADING = re.compile(
    r"^\s*(\d{1,2}\s*[.．、]|[（(]\s*\d{1,2}\s*[)）]|[（(][一二三四五六七八九十]{1,3}[)）])\s*\S"
)


def subheading_level(line: str) -> int:
    """3 for "1. 资金管理情况", 4 for "(1) 政府采购情况": a short numbered line that is not a sentence; else 0."""
    line = line.strip()
    m = _SUBHEADING.match(line)
    if not m or len(line) > 40 or line[-1] in "。；;：:，,":
        return 0
    return 3 if m.group(1)[0].isdigit() else 4


def _text(text: str) -> list[Block]:
    """The user's text: one paragraph per line; short numbered lines are sub-headings."""
    out: list[Block] = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            level = subheading_level(line)
            out.append(Heading(line, level) if level else Paragraph(line))
    return out


def _body(doc: Evaluation, sheet: ScoreSheet, annex: Annex, targets: Table, scores: Table) -> list[Block]:
    body: list[Block] = []
    done = set()

    def scores_part() -> list[Block]:
        out: list[Block] = [scores]
        for heading, paragraphs in level1_paragraphs(doc, sheet):
            out.append(Heading(heading, 2))
            out += [Paragraph(p) for p in paragraphs]
        chart = score_chart(doc, sheet)
        return out + ([chart] if chart else [])

    for spec in doc.framework.sections:
        title = " ".join(doc.section_title(spec).split())
        if spec.level and title:
            body.append(Heading(title, spec.level))
        if spec.insert == "scores":
            body.append(Paragraph(scores_opening(doc, sheet)))
        body += _text(doc.narrative.get(spec.key, ""))
        if spec.insert == "targets" and "targets" not in done:
            body += [] if targets.empty else [targets]
        elif spec.insert == "scores" and "scores" not in done:
            body += scores_part()
        done.add(spec.insert)
    # a framework without a place for 表1: nothing is left out
    if "targets" not in done and not targets.empty:
        body.append(targets)
    if "scores" not in done:
        body += [
            Heading(f"{doc.framework.spending}绩效评价指标评分情况", 1),
            Paragraph(scores_opening(doc, sheet)),
        ]
        body += scores_part()
    body.append(Paragraph(f"附件：1. 《{annex.title}》", "closing"))
    return body


# ---------------------------------------------------------------------------------------------- 表1


def targets_table(doc: Evaluation, sheet: ScoreSheet) -> Table:
    """表1 绩效目标表: the rows the clerk typed, or, where the framework's scored rows are the targets
    (`targets_mode` "indicators"), those rows with their 指标值 and 完成值."""
    if doc.framework.targets_mode == "indicators":
        return _indicator_targets(doc, sheet)
    rows = doc.targets
    filled = [k for k in ("actual", "deviation") if any(r.get(k, "").strip() for r in rows)]
    keys = ["level1", "level2", "level3", "value", *filled]
    widths = {"level1": 12, "level2": 14, "level3": 24, "value": 36, "actual": 20, "deviation": 28}
    labels = dict(TARGET_COLUMNS)
    columns = [
        Column(k, labels[k], widths[k], "center" if k in ("level1", "level2") else "left") for k in keys
    ]
    body = [
        Row([Cell(r.get(k, "").strip(), align=c.align) for k, c in zip(keys, columns, strict=True)])
        for r in rows
    ]
    for col in (0, 1):  # runs of equal 一级, and of equal 二级 inside one 一级 run, are merged
        i = 0
        while i < len(rows):
            j = i
            key = [r.get(k, "").strip() for r in rows[i : i + 1] for k in keys[: col + 1]]
            while (
                j + 1 < len(body)
                and key[-1]
                and [rows[j + 1].get(k, "").strip() for k in keys[: col + 1]] == key
            ):
                j += 1
            _span(body, i, col, j - i + 1, 1)
            i = j + 1
    return _targets(doc, columns, body, "（尚未填写绩效目标）")


def _indicator_targets(doc: Evaluation, sheet: ScoreSheet) -> Table:
    """表1 from the scored rows that have a 指标值 (a row of the national 自评表, a 重庆 row): the columns of
    表2 that name a row (一级 / 二级 / 三级, or 指标名称), its 计量单位 where 表2 has one, 指标值 and 完成值
    as 表2 labels them."""
    declared = {c.key: c for c in table2_columns(doc.framework)}
    keys = [k for k in LEVEL_KEYS if k in declared] or ["name"]
    keys += [k for k in ("unit", "target", "actual") if k in declared or k != "unit"]
    labels = {"name": "指标名称", "target": "指标值", "actual": "完成值"}
    columns = [
        declared.get(k) or Column(k, labels[k], TABLE2_COLUMNS[k][1], "left" if k == "name" else "center")
        for k in keys
    ]
    paths = [p for p in _path_to_leaves(sheet.nodes) if "target" in p[-1].indicator.specs]
    body = [_row(doc, path, keys) for path in paths]
    _merge_runs(body, paths, keys)
    return _targets(doc, columns, body, "（尚未添加指标）")


def _targets(doc: Evaluation, columns: list[Column], body: list[Row], none: str) -> Table:
    n = len(columns)
    empty = not body
    if empty:  # the workbook's sheet says so (the PDF and Word leave 表1 out)
        body = [Row([Cell(none, align="center", cols=n)] + [None] * (n - 1))]
    return Table(
        "targets",
        f"表1 {doc.year}年度{doc.framework.subject}绩效目标表",
        "表1 绩效目标表",
        columns,
        body,
        subtitle=_subtitle(doc),
        empty=empty,
    )


def _span(rows: list[Row], r: int, c: int, height: int, width: int) -> None:
    """Merge `height` rows × `width` columns from (r, c): the first cell spans, the others become None."""
    if height == 1 and width == 1:
        return
    rows[r].cells[c].rows, rows[r].cells[c].cols = height, width
    for i in range(r, r + height):
        for j in range(c, c + width):
            if (i, j) != (r, c):
                rows[i].cells[j] = None


def _subtitle(doc: Evaluation) -> str:
    return f"部门名称：{doc.facts.get('department', '').strip()}"


# ---------------------------------------------------------------------------------------------- 表2

# The column vocabulary of 表2: key -> default heading, width. A framework declares its columns as
# `table_columns`: a preset name or a list of keys (or {"key", "label"} to rename one).
TABLE2_COLUMNS = {
    "level1": ("一级指标", 12),
    "level1_weight": ("参考分值", 9),
    "level2": ("二级指标", 13),
    "level2_weight": ("参考分值", 9),
    "level3": ("三级指标", 26),
    "level3_weight": ("参考分值", 9),
    "name": ("指标名称", 28),
    "unit": ("计量单位", 9),
    "target": ("指标值", 16),
    "actual": ("完成值", 16),
    "coefficient": ("得分系数", 9),
    "weight": ("分值", 8),
    "score": ("得分", 16),
    "core": ("是否核心指标", 9),
    "deviation": ("偏差原因分析及改进措施", 23),
}
TABLE2_PRESETS = {
    "futian": [
        "level1",
        "level1_weight",
        "level2",
        "level2_weight",
        "level3",
        "level3_weight",
        {"key": "score", "label": "评分结果"},
    ],
    "chongqing": [
        "name",
        "unit",
        {"key": "target", "label": "年初指标值"},
        {"key": "actual", "label": "全年完成值"},
        "coefficient",
        {"key": "weight", "label": "权重"},
        "score",
        "core",
    ],
    "national": [
        "level1",
        "level2",
        "level3",
        {"key": "target", "label": "年度指标值"},
        {"key": "actual", "label": "实际完成值"},
        "weight",
        "score",
        "deviation",
    ],
}
LEVEL_KEYS = ("level1", "level2", "level3")


def table2_columns(framework) -> list[Column]:
    """The framework's 表2 columns (`table_columns`), Futian's when it declares none or an unknown one."""
    declared = getattr(framework, "table_columns", None) or "futian"
    if isinstance(declared, str):
        declared = TABLE2_PRESETS.get(declared, TABLE2_PRESETS["futian"])
    out = []
    for item in declared:
        key, label = (item, None) if isinstance(item, str) else (item.get("key"), item.get("label"))
        if key in TABLE2_COLUMNS and all(c.key != key for c in out):
            default, width = TABLE2_COLUMNS[key]
            text_col = key in ("name", "level3", "target", "actual", "deviation")
            out.append(
                Column(
                    key,
                    label if isinstance(label, str) and label else default,
                    width,
                    "left" if text_col else "center",
                )
            )
    return out or table2_columns(None)


def _path_to_leaves(nodes: list[NodeScore], path: tuple = ()) -> list[tuple[NodeScore, ...]]:
    """Each leaf with its ancestors, for any tree (a leaf at level 1, 2 or 3, or deeper)."""
    out = []
    for n in nodes:
        if n.children:
            out += _path_to_leaves(n.children, path + (n,))
        else:
            out.append(path + (n,))
    return out


def _score_text(node: NodeScore) -> str:
    if (node.na and node.score is None) or (node.children and not node.applicable):
        return NOT_APPLICABLE
    if node.score is None or (node.children and node.open_leaves == leaf_count(node)):
        return NOT_SCORED
    return fmt(node.score) + (PENDING if node.open_leaves else "")


def _score_cell(node: NodeScore) -> Cell:
    text = _score_text(node)
    return Cell(text, node.score if text == fmt(node.score) else None, "score", "center")


def _leaf_count(node: NodeScore) -> int:
    return sum(_leaf_count(c) for c in node.children) if node.children else 1


def _total_cell(sheet: ScoreSheet) -> Cell:
    if sheet.complete:
        return Cell(fmt(sheet.total), sheet.total, "score", "center")
    return Cell(fmt(sheet.total) + PENDING, align="center")


def row_value(doc: Evaluation, node: NodeScore, key: str, unit: bool = True) -> str:
    """A row's own value for the columns 计量单位 / 指标值 / 完成值 / 是否核心指标 / 偏差原因: the draft's entry for
    the indicator (its field, or an input of that key), else the framework's attribute of that name. 偏差原因 is
    the reason the clerk wrote (a `target` row calls its reason 偏差原因分析及改进措施). 指标值 and 完成值 print
    as the row defines them (`shown_value`), with the unit unless the table has a column for it."""
    entry = doc.indicators.get(node.id) or {}
    inputs = entry.get("inputs") or {}
    if key == "deviation":
        return leaf_reason(doc, node)
    value = entry.get(key) or inputs.get(key) or getattr(node.indicator, key, "")
    if isinstance(value, bool):
        return "是" if value else "否"
    text = str(value).strip() if value is not None else ""
    if key in ("target", "actual"):
        return shown_value(text, node.indicator, inputs, key == "target", unit)
    return text


def shown_value(text: str, ind: Indicator, inputs: dict, target: bool, unit: bool = True) -> str:
    """A 指标值 (`target`) or 完成值 as the row defines it: "90" typed on a row with direction ≥ and unit % prints
    "≥90%"; the unit is not repeated ("100%"), and text that is not a number ("提升", "≥ 90%") stays as typed."""
    try:
        if parse_number(text) is None:
            return text
    except NumberError:
        return text
    rule = ind.rule
    direction = rule.direction_of(inputs) if target and rule is not None else ""
    suffix = str(inputs.get("unit", "")).strip() if unit else ""
    return direction + text + ("" if text.endswith(suffix) else suffix)


def _levels(path: tuple[NodeScore, ...]) -> list[NodeScore]:
    """The nodes shown in the 一级 / 二级 / 三级 columns: a leaf above level 3 stands in the levels below it too."""
    return [path[min(i, len(path) - 1)] if i < 2 else path[-1] for i in range(3)]


def _row(doc: Evaluation, path: tuple[NodeScore, ...], keys: list[str]) -> Row:
    """One leaf's row of 表1 or 表2 in the columns `keys`."""
    leaf = path[-1]
    levels = _levels(path)
    cells = []
    for k in keys:
        if k in LEVEL_KEYS:
            cells.append(Cell(levels[LEVEL_KEYS.index(k)].name, align="left" if k == "level3" else "center"))
        elif k.endswith("_weight"):
            node = levels[LEVEL_KEYS.index(k.removesuffix("_weight"))]
            cells.append(Cell(fmt(node.weight), node.weight, "score", "center"))
        elif k == "name":
            cells.append(Cell(leaf.name))
        elif k == "weight":
            cells.append(Cell(fmt(leaf.weight), leaf.weight, "score", "center"))
        elif k == "score":
            cells.append(_score_cell(leaf))
        elif k == "coefficient":
            rate = leaf.score_rate
            cells.append(
                Cell(fmt_pct(rate, NOT_SCORED), None if rate is None else rate / HUNDRED, "pct", "center")
            )
        else:
            text = row_value(doc, leaf, k, unit="unit" not in keys)
            cells.append(Cell(text, align="left" if k in ("target", "actual", "deviation") else "center"))
    return Row(cells, node=leaf.id)


def _merge_runs(rows: list[Row], paths: list[tuple[NodeScore, ...]], keys: list[str]) -> None:
    """Merge a run of rows under one 一级 (and one 二级) node: its name and its weight."""
    for depth, key in ((0, "level1"), (1, "level2")):
        if key not in keys:
            continue
        targets = [keys.index(key)] + ([keys.index(key + "_weight")] if key + "_weight" in keys else [])
        i = 0
        while i < len(paths):
            node = paths[i][min(depth, len(paths[i]) - 1)]
            j = i
            while j + 1 < len(paths) and paths[j + 1][min(depth, len(paths[j + 1]) - 1)] is node:
                j += 1
            for c in targets:
                _span(rows, i, c, j - i + 1, 1)
            i = j + 1


def scores_table(doc: Evaluation, sheet: ScoreSheet) -> Table:
    columns = table2_columns(doc.framework)
    keys = [c.key for c in columns]
    level_cols = [i for i, k in enumerate(keys) if k in LEVEL_KEYS]
    paths = _path_to_leaves(sheet.nodes)
    rows = [_row(doc, path, keys) for path in paths]
    _merge_runs(rows, paths, keys)
    total = doc.framework.total
    first = level_cols[0] if level_cols else 0
    sums = []
    for k in keys:
        if k.endswith("_weight") or k == "weight":
            sums.append(Cell(fmt(total), total, "score", "center"))
        elif k == "score":
            sums.append(_total_cell(sheet))
        elif k in LEVEL_KEYS and keys.index(k) != first:
            sums.append(Cell("-", align="center"))
        else:
            sums.append(Cell("", align="center"))
    sums[first if level_cols else 0] = Cell("合计", align="center")
    rows.append(Row(sums, "total"))
    score_col = keys.index("score") if "score" in keys else len(keys) - 1
    grade = Row([Cell("评价等级", align="center")] + [Cell("", align="center") for _ in keys[1:]], "total")
    grade.cells[score_col] = Cell(sheet.grade + ("" if sheet.complete else PENDING), align="center")
    if score_col > 1:
        _span([grade], 0, 0, 1, score_col)
    if not sheet.complete and score_col < len(keys) - 1:  # "差（暂定）" takes the columns after it as well
        _span([grade], 0, score_col, 1, len(keys) - score_col)
    rows.append(grade)
    notes = [] if sheet.complete else [f"还有 {sheet.open_count} 项指标未评分，总分和等级为暂定。"]
    notes += sheet.total_formula  # 不适用 rescaling, caps: why the total is not the column's sum
    return Table(
        "scores",
        f"表2 {doc.year}年度{doc.framework.subject}绩效评价评分表",
        "表2 评分表",
        columns,
        rows,
        subtitle=_subtitle(doc),
        unit="单位：分",
        notes=notes,
    )


def score_chart(doc: Evaluation, sheet: ScoreSheet) -> Chart | None:
    """图1: the 得分率 of each fully scored 二级 indicator (a 一级 leaf stands for itself)."""
    nodes = [c for n in sheet.nodes for c in (n.children or [n])]
    bars = [
        (n.name, n.score_rate, fmt_pct(n.score_rate))
        for n in nodes
        if n.score_rate is not None and not n.open_leaves
    ]
    return Chart(f"图1 {doc.year}年度各二级指标得分率", bars) if bars else None


# ---------------------------------------------------------------------------------------------- 附件1


def _shown(text: str, unit: str) -> str:
    try:
        value = parse_number(text)
    except NumberError:
        return f"“{text}”（无效）"
    if value is None:
        return "未填"
    return f"{fmt(value)}{'%' if unit == '%' else ' ' + unit if unit else ''}"


def figures_used(doc: Evaluation, ind: Indicator) -> list[str]:
    """The inputs a leaf was scored from, as "label value unit", shared figures included: each figure an input
    is bound to, once (a sum's every figure, e.g. 岳阳's 预算完成率 = (上年结转 + 年初预算数 + 本年追加预算 − 年末结余)
    ÷ (…), and last year's as 上年…). An optional figure left empty is left out while the leaf has something given
    (a typed rate instead, the other quarters); with nothing given, every figure it reads shows as 未填. A row's
    指标值 and 完成值 print as in 表2 (`shown_value`: direction and unit with the value), so its 计量单位 and 方向 are
    not repeated; other text and choices as typed."""
    if ind.rule is None or ind.rule.type_name == "judged":
        return []
    inputs = (doc.indicators.get(ind.id) or {}).get("inputs", {})
    given = {
        (where, key)
        for terms in ind.terms.values()
        for _, where, key in terms
        if (doc.figures if where == "figures" else doc.previous).get(key, "").strip()
    }
    anything = bool(given) or any(inputs.get(s.key, "").strip() for s in ind.inputs())
    out = []
    seen: set[tuple[str, str]] = set()
    for spec in ind.rule.inputs():
        terms = ind.terms.get(spec.key)
        if terms is None:
            text = inputs.get(spec.key, "").strip()
            label = spec.label.split("（")[0]
            if spec.key in ("unit", "direction") and "target" in ind.specs:
                continue
            if not text and spec.optional:
                continue
            if spec.key in ("target", "actual"):
                value = shown_value(text, ind, inputs, spec.key == "target") or "未填"
            else:
                value = _shown(text, spec.shown_unit) if spec.numeric else (text or "未填")
            out.append(f"{label} {value}")
            continue
        for _sign, where, key in terms:
            if (where, key) in seen or (spec.optional and anything and (where, key) not in given):
                continue
            seen.add((where, key))
            fig = doc.framework.figures[key]
            text = (doc.figures if where == "figures" else doc.previous).get(key, "")
            label = ("上年" if where == "previous" else "") + fig.label.removeprefix("其中：")
            out.append(f"{label} {_shown(text, fig.unit)}")
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
    return [
        DetailRow(n, n.indicator.standard, figures_used(doc, n.indicator), n.formula, leaf_reason(doc, n))
        for n in sheet.leaves()
    ]


DETAIL_COLUMNS = [
    Column("name", "指标", 20, "left"),
    Column("weight", "分值", 9),
    Column("standard", "评分标准", 27, "left"),
    Column("basis", "评分依据", 31, "left"),
    Column("score", "得分", 13),
    Column("lost", "扣分", 11),
    Column("reason", "扣分理由", 27, "left"),
]


def details_table(doc: Evaluation, sheet: ScoreSheet) -> Table:
    """附件1 评分表: every indicator; 一级 / 二级 rows with their subtotals, each leaf in full."""
    rows: list[Row] = []
    details = {d.node.id: d for d in detail_rows(doc, sheet)}

    def lost(node: NodeScore) -> Cell:
        # points off only when everything below is scored (otherwise unscored points would count as lost)
        if node.score is None or node.open_leaves:
            return Cell("", align="center")
        return Cell(fmt(node.lost) if node.lost else "", node.lost if node.lost else None, "score", "center")

    def walk(node: NodeScore) -> None:
        if node.children:
            rate = "" if node.open_leaves else f"得分率 {fmt_pct(node.score_rate)}"
            row = Row(
                [
                    Cell(node.name),
                    Cell(fmt(node.weight), node.weight, "score", "center"),
                    Cell(rate),
                    None,
                    _score_cell(node),
                    lost(node),
                    Cell(""),
                ],
                "group",
            )
            row.cells[2].cols = 2
            rows.append(row)
            for c in node.children:
                walk(c)
            return
        d = details.get(node.id)
        if d is None:  # a node whose rows the clerk adds, none added yet
            standard = node.indicator.standard or (node.indicator.rows.hint if node.indicator.rows else "")
            cells = [Cell(node.name), Cell(fmt(node.weight), node.weight, "score", "center"), Cell(standard)]
            cells += [
                Cell("尚未添加指标（本项的指标由填报人逐行添加）"),
                _score_cell(node),
                lost(node),
                Cell(""),
            ]
            rows.append(Row(cells))
            return
        basis = ["；".join(d.figures)] if d.figures else []
        basis += d.formula
        if node.status == PROBLEM:
            basis.append("问题：" + "；".join(node.problems))
        elif node.status == OPEN and node.missing:
            basis.append("未填：" + "、".join(node.missing))
        long = len(d.reason) > LONG_REASON
        rows.append(
            Row(
                [
                    Cell(node.name),
                    Cell(fmt(node.weight), node.weight, "score", "center"),
                    Cell(d.standard),
                    Cell("\n".join(basis)),
                    _score_cell(node),
                    lost(node),
                    Cell("见下行" if long else d.reason),
                ]
            )
        )
        if long:  # a long reason gets the full width of a row below
            note = Row([Cell(f"{node.name}扣分理由：{d.reason}", cols=len(DETAIL_COLUMNS))], "note")
            note.cells += [None] * (len(DETAIL_COLUMNS) - 1)
            rows.append(note)

    for n in sheet.nodes:
        walk(n)
    total = doc.framework.total
    grade = f"评价等级：{sheet.grade}" + ("" if sheet.complete else PENDING)
    done = sheet.complete
    score = _total_cell(sheet)
    if done:
        lost_total = Cell(fmt(total - sheet.total), total - sheet.total, "score", "center")
        cells = [Cell("", cols=2), None, score, lost_total, Cell(grade)]
    else:  # "0（暂定）" and "评价等级：差（暂定）" would break in their narrow columns: each takes two
        score.cols = 2
        cells = [Cell(grade, cols=2), None, score, None, Cell("")]
    rows.append(
        Row([Cell("合计", align="center"), Cell(fmt(total), total, "score", "center"), *cells], "total")
    )
    notes = [] if done else [f"还有 {sheet.open_count} 项指标未评分，得分、扣分和等级为暂定。"]
    notes += sheet.total_formula
    department = doc.facts.get("department", "").strip()
    return Table(
        "details",
        f"{department}{doc.framework.spending}绩效自评评分表",
        "附件1 自评评分表",
        DETAIL_COLUMNS,
        rows,
        subtitle=_subtitle(doc),
        unit="单位：分",
        notes=notes,
    )


# ---------------------------------------------------------------------------------------------- 基本信息


def facts_table(doc: Evaluation, sheet: ScoreSheet) -> Table:
    """基本信息 (the workbook's first sheet): the facts and every figure, numbers as numbers."""
    columns = [
        Column("label", "项目", 30, "left"),
        Column("value", "内容", 36, "left"),
        Column("unit", "单位", 11),
    ]
    rows: list[Row] = []

    def group(title: str) -> None:
        row = Row([Cell(title, cols=3), None, None], "group")
        rows.append(row)

    group("一、部门基本情况")
    for key, label in FACTS:
        row = Row([Cell(label), Cell(doc.facts.get(key, "").strip(), cols=2), None])
        rows.append(row)
    computed = _computed_figures(doc)
    numerals = "二三四五六七八九十"
    current = None
    for spec in doc.framework.figures.values():
        if spec.group != current:
            current = spec.group
            n = sum(1 for r in rows if r.kind == "group")
            group(f"{numerals[n - 1]}、{current}" if n <= len(numerals) else current)
        text = doc.figures.get(spec.key, "").strip()
        unit = "%" if spec.kind == "percent" else spec.unit
        try:
            value = parse_number(text)
        except NumberError:
            value = None
        if value is None and not text and spec.key in computed:
            value = computed[spec.key](sheet)  # a rate left empty: the one the rule computed, said so
            unit = COMPUTED
            cell = Cell("") if value is None else Cell(fmt_pct(value), value / HUNDRED, "pct")
        elif value is None:
            # empty (the value cell stays empty, so the sheet reads back as typed) or not a number (kept as typed)
            cell = Cell(text)
            unit = unit if text else ""
        elif spec.kind == "percent":
            cell = Cell(fmt_pct(value), value / HUNDRED, "pct")
        elif spec.kind == "count" and value == value.to_integral_value():
            cell = Cell(fmt(value), value, "count")
        else:
            cell = Cell(fmt(value), value, "money")
        rows.append(Row([Cell(spec.label), cell, Cell(unit, align="center")]))
    return Table(
        "facts",
        f"{doc.year}年度{doc.framework.spending}绩效自评基本信息",
        "基本信息",
        columns,
        rows,
        subtitle=_subtitle(doc),
    )


def _computed_figures(doc: Evaluation) -> dict:
    """Rates a rule computes when they are left empty (figures bound to an optional rate input, "rate" or
    "q1_rate"), each with how to find the computed value in a score sheet (the rule notes it in its `rates` as
    "computed" or "q1_computed")."""
    out = {}
    for leaf in doc.framework.leaves:
        if leaf.rule is None:
            continue
        for spec in leaf.rule.inputs():
            if spec.optional and spec.key.endswith("rate") and spec.kind == "percent":
                noted = spec.key.removesuffix("rate") + "computed"
                for key in leaf.bind.get(spec.key, ()):
                    out[key] = lambda sheet, i=leaf.id, noted=noted: (
                        sheet.by_id[i].rates.get(noted) if i in sheet.by_id else None
                    )
    return out
