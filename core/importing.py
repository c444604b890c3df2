"""Importing 表1 (绩效目标表) rows and 预算与执行数据 figures from a table (core.tables) into a draft.

A plan finds the header row by the column names it knows and proposes what each column (or, for figures, each
label) means; the caller may change that; reading the plan gives the rows or values and a list of everything
that could not be read, each with its row, column, value and the reason. Nothing is dropped without being
listed, except blank rows. Applying gives one `Change` to the document, which the window undoes as one step.
Numbers are read as core.numbers reads what a clerk types ("1,273.37", "93.8%", full-width digits).
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from core.document import COMPUTED, FACTS, TARGET_COLUMNS, Evaluation, max_length
from core.framework import FigureSpec, Framework, Indicator
from core.numbers import NumberError, parse_number
from core.tables import Book, ImportFileError, Number, Sheet, Unreadable, cell_text, number_text, read_paste

HEADER_SCAN = 30  # the header must be within the first 30 non-empty rows of a sheet
IGNORE = ""  # the key of a column (or label) that is not imported


def column_letter(col: int) -> str:
    out = ""
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


@dataclass(frozen=True)
class Problem:
    """Something in the file that was not imported, and why. row 0 / column "" mean the sheet or the row."""

    row: int
    column: str
    value: str
    why: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else ""
        if self.column:
            where += f" {self.column} 列"
        value = self.value.replace("\n", " ")
        value = f"“{value[:40]}{'…' if len(value) > 40 else ''}”" if value else ""
        return f"{where.strip()}{value}：{self.why}" if where or value else self.why


_SPACE = re.compile(r"\s+")
_QUOTES = re.compile(r"[\"'“”‘’*]")
_NUMBERING = re.compile(r"^(\(?[0-9一二三四五六七八九十]+[)、.．]|\([0-9一二三四五六七八九十]+\))")
_OF_WHICH = re.compile(r"^其中[:：]?")
_BRACKETED = re.compile(r"\([^()]*\)$")


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """A header or label as compared: NFKC, no spaces, no quotes, no leading numbering, no trailing (unit)."""
    s = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    s = _BRACKETED.sub("", _OF_WHICH.sub("", _NUMBERING.sub("", _QUOTES.sub("", s))))
    return s.rstrip(":：").lower()


def _unit_of(text: str) -> str:
    """The unit a label or header states in brackets: "收入（元）" → "元"."""
    m = re.search(r"\(([^()]*)\)$", re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))
    return m.group(1).removeprefix("单位:").removeprefix("单位：") if m else ""


# ---------------------------------------------------------------------------------------------- 表1 columns

# What a column heading may say, for each column of 表1 and for the columns it knows but 表1 does not keep.
TARGET_HEADINGS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "level3": ("三级指标", "指标名称", "绩效指标", "具体指标", "指标内容", "指标"),
    "value": (
        "指标值",
        "年度指标值",
        "年初指标值",
        "年度目标值",
        "目标值",
        "指标目标值",
        "绩效目标值",
        "预期指标值",
        "年度预期指标值",
        "计划指标值",
        "预期目标",
        "年度绩效目标值",
    ),
    "actual": (
        "实际完成值",
        "完成值",
        "实际值",
        "全年实际值",
        "全年实际完成值",
        "年度实际完成值",
        "实际完成情况",
        "完成情况",
        "实际完成数",
    ),
    "deviation": (
        "偏差原因",
        "偏差原因分析",
        "偏差原因分析及改进措施",
        "偏差原因及改进措施",
        "未完成原因",
        "未完成原因及改进措施",
        "偏差说明",
    ),
    "unit": ("计量单位", "单位"),
    "weight": ("分值", "权重", "参考分值", "指标分值", "权重分值"),
    "score": ("得分", "评分结果", "自评得分", "实际得分", "得分率"),
    "nature": ("指标性质",),
    "direction": ("指标方向", "运算符号", "比较方式", "指标值方向"),
    "seq": ("序号", "编号"),
}
EXTRA_LABELS = {
    "unit": "计量单位",
    "weight": "分值",
    "score": "得分",
    "nature": "指标性质",
    "direction": "指标方向",
    "seq": "序号",
}
_HEADING_KEYS = {norm(h): k for k, hs in TARGET_HEADINGS.items() for h in hs}
_PREFIXES = sorted(
    ((norm(h), k) for k, hs in TARGET_HEADINGS.items() for h in hs if len(h) >= 3), key=lambda x: -len(x[0])
)
NOTE_STARTS = set("注说备附填制单负审财联数")  # the first characters NOTE can match (a quick test per row)
TOTAL_WORDS = ("合计", "小计", "总计", "共计", "总分", "合计得分")
NOTE = re.compile(
    r"^(注[:：\d\s．.、]|注$|说明[:：]|备注[:：]|附注|填报人|填表人|制表人?|单位负责人|负责人|审核人|财务负责人|"
    r"联系电话|联系人|填报日期|填表日期|数据来源|单位[:：]|单位盖章)"
)


def target_columns() -> dict[str, str]:
    """The columns 表1 keeps (key → label), in the document's order."""
    return dict(TARGET_COLUMNS)


def heading_key(text: str) -> str:
    """The key a column heading names, or IGNORE."""
    s = norm(text)
    if not s:
        return IGNORE
    key = _HEADING_KEYS.get(s)
    if key is None:
        key = next((k for h, k in _PREFIXES if s.startswith(h)), IGNORE)
    return key


@dataclass
class Column:
    index: int  # 1-based
    heading: str  # as the file says
    key: str  # what it is imported as (a 表1 column key, "unit", or IGNORE)

    @property
    def letter(self) -> str:
        return column_letter(self.index)


def _merged_fill(
    sheet: Sheet, rows: range | None = None, cols: set[int] | None = None
) -> dict[tuple[int, int], object]:
    """The value of each cell hidden under a merge (its range's top-left value), for the rows and columns asked."""
    values: dict[int, list] = {n: cells for n, cells in sheet.rows}
    out = {}
    for r1, c1, r2, c2 in sheet.merges:
        cells = values.get(r1)
        top = cells[c1 - 1] if cells and c1 <= len(cells) else None
        if top is None:
            continue
        for r in range(r1, r2 + 1):
            if rows is not None and r not in rows:
                continue
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1) and (cols is None or c in cols):
                    out[(r, c)] = top
    return out


def _row_texts(cells: list, number: int, filled: dict) -> dict[int, str]:
    width = max([len(cells)] + [c for (r, c) in filled if r == number])
    out = {}
    for c in range(1, width + 1):
        v = cells[c - 1] if c <= len(cells) else None
        if v is None:
            v = filled.get((number, c))
        if isinstance(v, str):
            out[c] = v
    return out


def _header_keys(texts: dict[int, str]) -> dict[int, str]:
    found: dict[int, str] = {}
    for c, text in sorted(texts.items()):
        key = heading_key(text)
        if key and key not in found.values():
            found[c] = key
    return found


IMPORTED = set(dict(TARGET_COLUMNS)) | {"unit"}


def _header_score(keys: dict[int, str]) -> int:
    got = set(keys.values())
    if "level3" not in got or not got & {"value", "actual"}:
        return 0
    return len(got & IMPORTED)


@dataclass
class TargetPlan:
    """Where 表1 is in a book and what its columns mean. Change `columns[i].key` and call read() again."""

    book: Book
    sheet: Sheet
    header_rows: tuple[int, int]  # first and last row of the heading (two rows when a heading is split)
    columns: list[Column]
    sheets: list[str]  # the sheets that hold a 表1 (for a choice)
    # what a row keeps (key → label): 表1's columns, or, where the framework's scored rows are the targets,
    # what such a row holds (分值, 计量单位, 指标性质, 方向 too)
    keep: dict[str, str] = field(default_factory=lambda: dict(TARGET_COLUMNS))

    def read(self) -> TargetRead:
        return _read_targets(self)


@dataclass
class TargetRead:
    rows: list[tuple[int, dict[str, str]]]  # (row in the file, the 表1 row)
    problems: list[Problem]
    notes: list[str] = field(default_factory=list)


def _find_header(sheet: Sheet) -> tuple[int, tuple[int, int], dict[int, str], dict[int, str]] | None:
    """(score, (first, last) heading rows, {col: key}, {col: heading}) of the best heading in a sheet."""
    scan = sheet.rows[:HEADER_SCAN]
    if not scan:
        return None
    filled = _merged_fill(sheet, range(scan[0][0], scan[-1][0] + 2))
    texts = [(n, _row_texts(cells, n, filled)) for n, cells in scan]
    best = None
    for i, (_n, t) in enumerate(texts):
        keys = _header_keys(t)
        s = _header_score(keys)
        if s and (best is None or s > best[0]):
            best = (s, i, keys)
    if best is None:
        return None
    _s, i, keys = best
    headings = {c: texts[i][1][c] for c in keys}
    first = last = texts[i][0]
    # a heading split over two rows (绩效指标 over 一级/二级/三级, or the other way round): take the other row's
    # names for the columns this row leaves open
    for j in (i - 1, i + 1):
        if 0 <= j < len(texts) and abs(texts[j][0] - texts[i][0]) == 1:
            more = {
                c: k for c, k in _header_keys(texts[j][1]).items() if c not in keys and k not in keys.values()
            }
            if more:
                keys.update(more)
                headings.update({c: texts[j][1][c] for c in more})
                first, last = min(first, texts[j][0]), max(last, texts[j][0])
    # a heading merged down over this row starts above it
    first = min([first] + [r1 for r1, _c1, r2, _c2 in sheet.merges if r1 < first <= r2])
    # columns with a heading this program does not know: shown, not imported
    for c, text in texts[i][1].items():
        headings.setdefault(c, text)
    return _header_score(keys), (first, last), keys, headings


ROW_COLUMNS = {
    **dict(TARGET_COLUMNS),
    "value": "年度指标值",
    "weight": "分值",
    "unit": "计量单位",
    "nature": "指标性质",
    "direction": "指标方向",
}


def plan_targets(book: Book, sheet: str | None = None, framework: Framework | None = None) -> TargetPlan:
    """Find 表1 in a book: the sheet (the named one, else the best), its heading and the proposed mapping. With
    a framework whose scored rows are the targets, the rows keep what such a row holds (see rows_change)."""
    found = []
    for s in book.sheets:
        if sheet is not None and s.name != sheet:
            continue
        h = _find_header(s)
        if h:
            found.append((h[0] - (10 if s.hidden else 0), s, h))
    if sheet is not None and not any(s.name == sheet for s in book.sheets):
        raise ImportFileError(f"{book.name} 中没有名为“{sheet}”的工作表")
    if not found:
        where = f"工作表“{sheet}”" if sheet else book.name
        raise ImportFileError(
            f"在 {where} 的前 {HEADER_SCAN} 行中找不到绩效目标表的表头：需要有“三级指标”（或“指标名称”）"
            "和“指标值”（或“年度指标值”“实际完成值”）等列名"
        )
    found.sort(key=lambda x: -x[0])  # stable: the first sheet wins a tie
    _score, best, (_s, rows, keys, headings) = found[0]
    if best.too_long:
        raise ImportFileError(
            f"工作表“{best.name}”超过 {5000:,} 行，不像绩效目标表，未导入：请只保留要导入的部分后再试"
        )
    columns = [Column(c, headings[c], keys.get(c, IGNORE)) for c in sorted(headings)]
    plan = TargetPlan(book, best, rows, columns, [x[1].name for x in found])
    if framework is not None and framework.targets_mode == "indicators":
        plan.keep = dict(ROW_COLUMNS)
    return plan


_WIDE = re.compile("[０-９％．]")
_WIDE_MAP = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "％": "%", "．": "."})


def _text(value: object) -> str:
    """A cell as 表1 keeps it; full-width digits become ASCII (the rest of the text is left as written)."""
    text = (value if isinstance(value, str) else cell_text(value)).strip()
    return text.translate(_WIDE_MAP) if _WIDE.search(text) else text


def _joined(values: dict[str, str], others: list | None) -> str:
    """A row's texts as one line, for the list of what was not imported."""
    return " ".join([*values.values(), *(t for _c, t in others or ())])


def _is_total(texts) -> bool:
    return any(len(t) <= 12 and ("计" in t or "总" in t) and norm(t) in TOTAL_WORDS for t in texts)


GROUP_KEYS = frozenset(("level1", "level2", "seq"))


def _read_targets(plan: TargetPlan) -> TargetRead:
    keys = {c.index: c.key for c in plan.columns if c.key}
    head_texts = {c.heading.strip() for c in plan.columns if c.key}
    doc_keys = plan.keep
    level_cols = {c for c, k in keys.items() if k in ("level1", "level2")}
    sheet = plan.sheet
    filled = _merged_fill(sheet, None, level_cols)
    wide = {(r1, c1) for r1, c1, r2, c2 in sheet.merges if c2 - c1 >= 2 and r1 == r2}
    problems: list[Problem] = []
    rows: list[tuple[int, dict[str, str]]] = []
    notes: list[str] = []
    for c, k in keys.items():
        if k not in doc_keys and k not in ("unit", "seq"):
            label = EXTRA_LABELS.get(k, k)
            owner = "表1 " if "weight" not in doc_keys else ""
            problems.append(Problem(0, column_letter(c), label, f"{owner}没有“{label}”栏，这一列未导入"))

    limits = {k: max_length(("targets", 0, k)) for k in keys.values()}
    current = {"level1": "", "level2": ""}
    after_table = False
    for number, cells in sheet.rows:
        if number <= plan.header_rows[1]:
            continue
        values: dict[str, str] = {}
        bad: list[Problem] | None = None  # made only for the rare row that needs them (fewer allocations)
        others: list[tuple[int, str]] | None = None
        first = ""
        for c, v in enumerate(cells, 1):
            if v is None:
                continue
            if v.__class__ is str:  # most cells: inlined _text
                text = v.strip()
                if not text.isascii() and _WIDE.search(text):
                    text = text.translate(_WIDE_MAP)
            elif isinstance(v, Unreadable):
                if c in keys:
                    bad = bad or []
                    bad.append(Problem(number, column_letter(c), v.text, v.why))
                continue
            else:
                text = _text(v)
            if not text:
                continue
            first = first or text
            k = keys.get(c)
            if k is None:
                others = others or []
                others.append((c, text))
            elif len(text) > limits[k]:
                why = f"有 {len(text):,} 字，超过表1 这一栏的上限 {limits[k]:,} 字，未导入"
                bad = bad or []
                bad.append(Problem(number, column_letter(c), text, why))
            else:
                values.setdefault(k, text)
        count = len(values) + (len(others) if others else 0)
        if not count and not bad:
            continue  # blank row
        for c in level_cols:  # under a merged 一级 / 二级 cell
            if keys[c] not in values:
                v = filled.get((number, c))
                if v is not None:
                    values[keys[c]] = _text(v)
        single = count == 1 and not bad
        if (
            after_table
            or first[:1] in NOTE_STARTS
            and NOTE.match(unicodedata.normalize("NFKC", first[:8]))
            or (single and any((number, c) in wide for c in range(1, len(cells) + 1)))
        ):
            after_table = True
            problems.append(Problem(number, "", first, "表格下方的说明或落款，未导入"))
            continue
        if _is_total(values.values()) or others and _is_total([t for _c, t in others]):
            problems.append(Problem(number, "", _joined(values, others), "合计行，不导入"))
            continue
        if len(head_texts.intersection(values.values())) >= 2:
            problems.append(Problem(number, "", _joined(values, others), "重复的表头行，不导入"))
            continue
        if bad:
            problems.extend(bad)
        if values.keys() <= GROUP_KEYS:
            # a group row: 产出指标 / 数量指标 over the rows below
            if values.get("level1") or values.get("level2"):
                if values.get("level1") and values["level1"] != current["level1"]:
                    current = {"level1": values["level1"], "level2": ""}
                if values.get("level2"):
                    current["level2"] = values["level2"]
                continue
        # an empty 一级 / 二级 cell means "as above" (exports that unmerge cells leave them empty)
        if not values.get("level1"):
            values["level1"] = current["level1"]
            values.setdefault("level2", current["level2"])
        elif values["level1"] != current["level1"]:
            current = {"level1": values["level1"], "level2": ""}
        if not values.get("level2"):
            values["level2"] = current["level2"]
        current["level2"] = values["level2"]
        # 表1 has no 计量单位: a unit goes into the values
        unit = values.pop("unit", "") if "unit" not in doc_keys else ""
        if unit:
            for k in ("value", "actual"):
                if values.get(k) and not values[k].endswith(unit) and _numeric(values[k]):
                    values[k] = f"{values[k]} {unit}" if unit != "%" else values[k] + "%"
        row = {k: values.get(k, "") for k in doc_keys}
        if not any(row.values()):
            continue
        for c, t in others or ():
            problems.append(Problem(number, column_letter(c), t, "这一列没有对应的表1栏目，未导入"))
        rows.append((number, row))
    if plan.sheet.wide:
        notes.append(f"工作表“{sheet.name}”第 200 列以后的内容未读取")
    problems.sort(key=lambda p: (p.row, p.column))
    return TargetRead(rows, problems, notes)


def _numeric(text: str) -> bool:
    """A number, possibly after a comparison sign (≥90, > 95)."""
    try:
        return parse_number(text.lstrip("≥≤><=＞＜ ")) is not None
    except NumberError:
        return False


# ---------------------------------------------------------------------------------------------- figures

_UNIT_WORDS = {"万元", "元", "千元", "亿元", "人", "个", "项", "件", "宗", "次", "%", "户", "台", "辆", "套"}
_TO_WAN = {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": Decimal(1), "亿元": Decimal(10000)}
_VALUE_HEADINGS = (
    "本年数",
    "本年",
    "本期数",
    "本年金额",
    "金额",
    "决算数",
    "本年决算数",
    "数值",
    "内容",
    "实际数",
    "本年实际数",
    "执行数",
    "数据",
)
# a column of last year's values beside this year's (项目 | 本年数 | 上年数): read into the draft's `previous`
_PREVIOUS_HEADINGS = (
    "上年数",
    "上年",
    "上年实际数",
    "上年完成值",
    "上年决算数",
    "上年金额",
    "上年执行数",
    "上年同期数",
)
_SHEET_UNIT = re.compile(r"(金额)?单位[:：]\s*(万元|元|千元|亿元)$")


@dataclass
class FigureItem:
    row: int
    label_col: int
    label: str  # as the file says
    value_col: int  # 0: no value found
    value: object  # the cell
    key: str  # the figure it goes to, or IGNORE
    unit: str = ""  # a unit the file states for it (元, 万元 …)
    previous: bool = False  # last year's value of the figure (a 上年数 column, or a label “上年…”)


@dataclass
class FigurePlan:
    book: Book
    sheet: Sheet
    items: list[FigureItem]
    sheets: list[str]
    framework: Framework
    note: str = ""  # the headings name years, but not the evaluated one (year_mismatch)

    def read(self) -> FigureRead:
        return _read_figures(self)


@dataclass
class FigureRead:
    values: dict[str, str]  # figure key → text as stored in the draft
    problems: list[Problem]
    notes: list[str] = field(default_factory=list)  # conversions done (元 → 万元)
    rows: dict[str, int] = field(default_factory=dict)  # figure key → the row it was read from
    previous: dict[str, str] = field(default_factory=dict)  # last year's values (上年数), as `values`
    previous_rows: dict[str, int] = field(default_factory=dict)


def figure_index(framework: Framework) -> dict[str, str]:
    """Normalised label (and key) → figure key."""
    out: dict[str, str] = {}
    for spec in framework.figures.values():
        out.setdefault(norm(spec.label), spec.key)
        out.setdefault(spec.key.lower(), spec.key)
    return out


_FACT_LABELS = {norm(label) for _k, label in FACTS}
STRAY = "另一列"  # the unit of a number in a figure's row that no label took (预算数 beside 决算数 …)


def _label_key(text: str, index: dict[str, str]) -> tuple[str, bool]:
    """(figure key or IGNORE, whether it is last year's): a figure's label, or “上年” / “上年度” before one."""
    s = norm(text)
    key = index.get(s, IGNORE)
    if not key and s.startswith("上年"):
        key = index.get(s.removeprefix("上年度"), IGNORE) or index.get(s.removeprefix("上年"), IGNORE)
        return key, bool(key)
    return key, False


def _is_value(v: object) -> bool:
    if isinstance(v, (Number, Unreadable)):
        return True
    return isinstance(v, str) and _numeric(v.strip())


_YEAR_HEAD = re.compile(r"(\d{4})年?度?(.*)")


def _is_label(text: str, index: dict[str, str]) -> bool:
    """A figure's or a 基本信息 item's name (评价年度 | 2025 is a pair, not a heading naming years)."""
    return bool(_label_key(text, index)[0]) or norm(text) in _FACT_LABELS


def _year_heads(texts: dict[int, str], heads: set[str]) -> dict[int, int]:
    """Year → its column, in a heading row naming years: 项目 | 2024年 | 2025年, 2025年决算数 …"""
    found: dict[int, int] = {}
    for c, t in texts.items():
        m = _YEAR_HEAD.fullmatch(norm(t))
        if c > 1 and m and (not m.group(2) or m.group(2) in heads) and 2000 <= int(m.group(1)) <= 2100:
            found.setdefault(int(m.group(1)), c)
    return found


def year_mismatch(years: list[int], year: int) -> str:
    """What the preview says when a heading row names years, none of them the evaluated one."""
    named = "、".join(f"{y} 年" for y in years)
    return (
        f"表头列出的年度（{named}）不含评价年度 {year} 年：各数据项取其右侧的第一个数值，"
        f"请核对是否为 {year} 年度的数据"
    )


def _items(sheet: Sheet, index: dict[str, str], year: int = 0) -> tuple[list[FigureItem], str]:
    """Label / value pairs along rows (a unit cell may follow either), and a row of labels over a row of values.
    A heading row names the value column (本年数, or the evaluated `year`) and last year's (上年数, year − 1).
    Also a note when the headings name years but not the evaluated one (`year_mismatch`)."""
    value_heads = {norm(h) for h in _VALUE_HEADINGS}
    items: list[FigureItem] = []
    note = ""
    previous_heads = {norm(h) for h in _PREVIOUS_HEADINGS}
    sheet_unit, value_col, previous_col, under_labels, headings = "", 0, 0, set(), {}
    for i, (number, cells) in enumerate(sheet.rows):
        if number in under_labels:
            continue
        texts = {c: v.strip() for c, v in enumerate(cells, 1) if isinstance(v, str) and v.strip()}
        if not items:
            for t in texts.values():
                m = _SHEET_UNIT.search(unicodedata.normalize("NFKC", t).replace(" ", ""))
                sheet_unit = m.group(2) if m else sheet_unit
        heads = [c for c, t in texts.items() if norm(t) in value_heads]
        named = {}
        if year and not value_col and len(texts) > 1 and not any(_is_label(t, index) for t in texts.values()):
            named = _year_heads(texts, value_heads)
        if year in named:  # 项目 | 2024年 | 2025年: the evaluated year's column, and the year before's
            value_col, previous_col, headings = named[year], named.get(year - 1, 0), texts
            continue
        if named and not note:  # 项目 | 2022年 | 2023年 for 2025: read as rows, and said
            note = year_mismatch(sorted(named), year)
        if heads and not value_col:  # 项目 | 本年数 | 备注: the values are in the 本年数 column
            value_col = heads[0]
            previous_col = next((c for c, t in texts.items() if norm(t) in previous_heads), 0)
            headings = texts
            sheet_unit = _unit_of(texts[value_col]) or sheet_unit
            continue
        labels = {c: t for c, t in texts.items() if not _numeric(t) and norm(t) not in _UNIT_WORDS}
        if sum(1 for t in labels.values() if _label_key(t, index)[0]) >= 2 and not any(
            _is_value(v) for v in cells
        ):
            below = sheet.rows[i + 1] if i + 1 < len(sheet.rows) else (number, [])
            under_labels.add(below[0])
            for c, t in sorted(labels.items()):
                v = below[1][c - 1] if c <= len(below[1]) else None
                key, previous = _label_key(t, index)
                if key or _is_value(v):
                    vc = c if v is not None else 0
                    items.append(FigureItem(below[0], c, t, vc, v, key, _unit_of(t) or sheet_unit, previous))
            continue
        used: set[int] = set()
        for c, t in sorted(labels.items()):
            if c in used:
                continue
            key, previous = _label_key(t, index)
            vc, unit = 0, ""
            if value_col > c:
                vc = value_col if value_col <= len(cells) and cells[value_col - 1] is not None else 0
            else:
                for c2 in range(c + 1, len(cells) + 1):
                    v = cells[c2 - 1]
                    if isinstance(v, str) and norm(v) in _UNIT_WORDS:
                        unit = norm(v)
                    elif v is not None:
                        vc = 0 if isinstance(v, str) and norm(v) in index else c2
                        break
            value = cells[vc - 1] if vc else None
            if vc:
                used.add(vc)
                nxt = cells[vc] if vc < len(cells) else None  # a unit column after the value
                if isinstance(nxt, str) and norm(nxt) in _UNIT_WORDS:
                    unit = unit or norm(nxt)
                elif nxt == COMPUTED:  # the program's own export: a rate the rule computed, not typed
                    unit = COMPUTED
            unit = unit if unit == COMPUTED else _unit_of(t) or unit or sheet_unit
            if key:
                items.append(FigureItem(number, c, t, vc, value, key, unit, previous))
                last = cells[previous_col - 1] if c < previous_col <= len(cells) else None
                if last is not None and not previous:  # 上年数 beside 本年数
                    used.add(previous_col)
                    items.append(FigureItem(number, c, t, previous_col, last, key, unit, True))
            elif _is_value(value):  # a number under a name the framework does not know: listed, not dropped
                fact = norm(t) in _FACT_LABELS
                items.append(FigureItem(number, c, t, vc, value, IGNORE, "基本信息" if fact else unit))
        named = [(c, t) for c, t in sorted(labels.items()) if _label_key(t, index)[0]]
        for c2, v in enumerate(cells, 1) if named else ():  # a figure's row: a number no label took is listed
            if c2 not in used and c2 not in labels and _is_value(v):
                t = next((t for c, t in reversed(named) if c < c2), named[0][1])
                items.append(
                    FigureItem(number, c2, f"{t}（{headings.get(c2, '另一列')}）", c2, v, IGNORE, STRAY)
                )
    return items, note


def plan_figures(book: Book, framework: Framework, sheet: str | None = None, year: str = "") -> FigurePlan:
    """Find the figures in a book. `year`, the evaluated year, picks its column where headings name years."""
    index = figure_index(framework)
    year = int(year) if str(year).isdigit() else 0
    found = []
    for s in book.sheets:
        if sheet is not None and s.name != sheet:
            continue
        if s.too_long:
            found.append((-1, s, [], ""))
            continue
        items, note = _items(s, index, year)
        score = sum(1 for it in items if it.key) - (100 if s.hidden else 0)
        if items:
            found.append((score, s, items, note))
    if sheet is not None and not any(s.name == sheet for s in book.sheets):
        raise ImportFileError(f"{book.name} 中没有名为“{sheet}”的工作表")
    found.sort(key=lambda x: -x[0])
    if not found or found[0][0] <= 0:
        if found and found[0][1].too_long:
            raise ImportFileError(f"工作表“{found[0][1].name}”超过 {5000:,} 行，不像预算与执行数据表，未导入")
        where = f"工作表“{sheet}”" if sheet else book.name
        raise ImportFileError(
            f"在 {where} 中找不到预算与执行数据：表中应有数据项名称（如“年初预算收入”“本年支出合计”）及其数值，"
            "同一行左右排列，或名称在上、数值在下"
        )
    _score, best, items, note = found[0]
    return FigurePlan(book, best, items, [x[1].name for x in found if x[0] > 0], framework, note)


def figure_text(value: object, spec: FigureSpec, unit: str = "") -> tuple[str, str]:
    """(text to store, "") or ("", why not). Money stated in 元 / 千元 / 亿元 is converted to the figure's 万元."""
    if isinstance(value, Unreadable):
        return "", value.why
    if isinstance(value, Number):
        number, percent = value.value, value.percent
    elif isinstance(value, str):
        s = unicodedata.normalize("NFKC", value).strip().replace(" ", "")
        stated = next((u for u in sorted(_UNIT_WORDS - {"%"}, key=len, reverse=True) if s.endswith(u)), "")
        if stated:
            s, unit = s[: -len(stated)], stated
        percent = s.endswith("%")
        try:
            number = parse_number(s)
        except NumberError as e:
            return "", str(e)
        if number is None:
            return "", ""
    else:
        return "", f"不是数字（是{'日期' if not isinstance(value, bool) else '逻辑值'}）"
    if percent and spec.kind != "percent":
        return "", f"是{'金额' if spec.kind == 'money' else '数量'}，不能填百分数"
    if spec.kind == "money" and unit in _TO_WAN and spec.unit == "万元":
        number = number * _TO_WAN[unit]
    return number_text(number + 0, group=spec.kind != "percent"), ""


def _read_figures(plan: FigurePlan) -> FigureRead:
    figures = plan.framework.figures
    out = FigureRead({}, [], [plan.note] if plan.note else [])
    for it in plan.items:
        shown = cell_text(it.value).strip()
        if not it.key:
            if it.unit == "基本信息":
                why = "属于基本信息，不在预算与执行数据中，未导入"
            elif it.unit == STRAY:
                why = "这一列不是本年数（或上年数），未导入（可在预览中指定它对应的数据项）"
            else:
                why = "没有对应的数据项，未导入（可在预览中指定它对应的数据项）"
            out.problems.append(
                Problem(it.row, column_letter(it.label_col), f"{it.label} {shown}".strip(), why)
            )
            continue
        spec = figures[it.key]
        if not it.value_col or not shown:
            continue  # a label with no value: nothing to import
        name = f"“{spec.label}”{'的上年数' if it.previous else ''}"
        if it.unit == COMPUTED:
            out.notes.append(f"第 {it.row} 行{name}{shown} 是程序计算的值，未导入（由评分规则重新计算）")
            continue
        where = column_letter(it.value_col)
        values, rows = (out.previous, out.previous_rows) if it.previous else (out.values, out.rows)
        if it.key in values:
            first = rows[it.key]
            text, _why = figure_text(it.value, spec, it.unit)
            if text != values[it.key]:
                out.problems.append(Problem(it.row, where, shown, f"{name}重复，已按第 {first} 行的值导入"))
            continue
        text, why = figure_text(it.value, spec, it.unit)
        if why:
            out.problems.append(Problem(it.row, where, shown, f"{name}{why}"))
            continue
        if it.unit in _TO_WAN and it.unit != "万元" and spec.kind == "money" and spec.unit == "万元":
            out.notes.append(f"第 {it.row} 行{name}{shown} {it.unit} 换算为 {text} 万元")
        values[it.key] = text
        rows[it.key] = it.row
    out.problems.sort(key=lambda p: (p.row, p.column))
    return out


# ---------------------------------------------------------------------------------------------- applying


@dataclass
class Change:
    """One change to a document (an import or a paste): applied and reverted whole, so it is one undo step."""

    label: str
    targets: tuple[list[dict], list[dict]] | None = None  # 表1 before and after
    values: list[tuple[tuple, str, str]] = field(default_factory=list)  # (path, before, after)
    summary: list[str] = field(default_factory=list)  # what it does, in Chinese, one line each
    # the clerk's rows and the indicators' entries before and after (an import into scored rows)
    rows: tuple[dict, dict] | None = None
    entries: tuple[dict, dict] | None = None

    @property
    def empty(self) -> bool:
        same = all(x is None or x[0] == x[1] for x in (self.targets, self.rows, self.entries))
        return not self.values and same

    def apply(self, doc: Evaluation) -> None:
        self._put(doc, 1)
        for path, _before, after in self.values:
            doc.set(path, after)

    def revert(self, doc: Evaluation) -> None:
        self._put(doc, 0)
        for path, before, _after in reversed(self.values):
            doc.set(path, before)

    def _put(self, doc: Evaluation, i: int) -> None:
        if self.targets is not None:
            doc.targets = copy.deepcopy(self.targets[i])
        if self.rows is not None:
            doc.rows = copy.deepcopy(self.rows[i])
        if self.entries is not None:
            doc.indicators = copy.deepcopy(self.entries[i])


MODES = {"update": "按指标名称更新", "replace": "替换整个表1", "append": "追加到表1末尾"}


def _name(row: dict) -> tuple[str, str, str]:
    return tuple(norm(row.get(k, "")) for k in ("level1", "level2", "level3"))  # type: ignore[return-value]


def targets_change(doc: Evaluation, rows: list[dict[str, str]], mode: str = "update") -> Change:
    """表1 after importing `rows`. update: a row with the same 一级/二级/三级 names gets the file's non-empty
    cells, other rows are added at the end, rows not in the file stay; replace: the file's rows only; append."""
    if mode not in MODES:
        raise ValueError(mode)
    before = copy.deepcopy(doc.targets)
    keys = list(dict(TARGET_COLUMNS))
    new = [{k: r.get(k, "") for k in keys} for r in rows]
    if mode == "replace":
        after = new
        summary = [f"表1 替换为文件中的 {len(new)} 行（原有 {len(before)} 行）"]
    elif mode == "append":
        after = before + new
        summary = [f"表1 末尾添加 {len(new)} 行"]
    else:
        after = copy.deepcopy(before)
        where = {}
        for i, r in enumerate(after):
            where.setdefault(_name(r), i)
        matched = updated = added = 0
        for r in new:
            i = where.get(_name(r))
            if i is None:
                where[_name(r)] = len(after)
                after.append(r)
                added += 1
            else:
                merged = {**after[i], **{k: v for k, v in r.items() if v}}
                matched += 1
                updated += merged != after[i]
                after[i] = merged
        kept = len(before) - len({where[_name(r)] for r in new if where[_name(r)] < len(before)})
        summary = [
            f"表1 按指标名称对上 {matched} 行（{updated} 行有改动），新增 {added} 行"
            + (f"，文件中没有的 {kept} 行保留不变" if kept else "")
        ]
    return Change("导入绩效目标表", targets=(before, after), summary=summary)


_DIRECTION_WORDS = {
    "≥": ("≥", ">=", "＞＝", "＞", ">", "不低于", "不少于", "大于等于", "大于", "高于", "正向"),
    "≤": ("≤", "<=", "＜＝", "＜", "<", "不高于", "不超过", "不多于", "小于等于", "小于", "低于", "反向"),
    "=": ("=", "＝", "等于"),
}
_SPLIT = re.compile(r"([+-]?\d[\d,]*(?:\.\d+)?)\s*(%|[^\d\s.,]{1,4})?")


def split_target(text: str) -> tuple[str, str, str]:
    """ "≥90%" → ("≥", "90", "%"); "35个" → ("", "35", "个"); text that is not a number → ("", "", "")."""
    s = unicodedata.normalize("NFKC", text).strip()
    direction = ""
    for d, words in _DIRECTION_WORDS.items():
        word = next((w for w in sorted(words, key=len, reverse=True) if s.startswith(w)), "")
        if word:
            direction, s = d, s[len(word) :].strip()
            break
    m = _SPLIT.fullmatch(s)
    if not m or not _numeric(m.group(1)):
        return "", "", ""
    return direction, m.group(1), m.group(2) or ""


def _direction(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).strip()
    return next((d for d, words in _DIRECTION_WORDS.items() if s in words), s)


def rows_change(doc: Evaluation, rows: list[tuple[int, dict[str, str]]], mode: str = "update") -> Pasted:
    """An imported 绩效目标表 into a framework whose scored rows are the targets (national 自评表): each row goes
    under the node its 一级指标 names, as a row of the clerk's (三级指标 → name, 分值 → weight, 二级指标 → group)
    with its inputs (年度指标值, 实际完成值, 计量单位, 指标性质, 方向; “≥90%” gives 方向 ≥, 90 and %) and its
    偏差原因. update: a row of the same node and name gets the file's non-empty cells; replace: the nodes the file
    names get the file's rows only; append. One Change; rows whose 一级指标 the framework lacks are listed."""
    if mode not in MODES:
        raise ValueError(mode)
    nodes = doc.framework.row_nodes
    by_name = {norm(n.name): n for n in nodes}
    scratch = Evaluation(
        doc.framework, rows=copy.deepcopy(doc.rows), indicators=copy.deepcopy(doc.indicators)
    )
    problems: list[Problem] = []
    placed: list[tuple[int, Indicator, dict[str, str]]] = []
    for number, r in rows:
        node = by_name.get(norm(r.get("level1", "")))
        if node is None and len(nodes) == 1 and not r.get("level1", "").strip():
            node = nodes[0]
        if node is None:
            names = "、".join(n.name for n in nodes)
            problems.append(
                Problem(
                    number,
                    "",
                    r.get("level1", "") or r.get("level3", ""),
                    f"一级指标不在本指标框架的自填指标中（{names}），这一行未导入",
                )
            )
            continue
        placed.append((number, node, r))
    if mode == "replace":
        for nid in {node.id for _n, node, _r in placed}:
            for old in scratch.rows.get(nid, []):
                scratch.indicators.pop(old.get("id", ""), None)
            scratch.rows[nid] = []
    counts: dict[str, list[int]] = {}
    for number, node, r in placed:
        name = r.get("level3", "").strip()
        existing = None
        if mode == "update":
            existing = next(
                (x for x in scratch.rows.get(node.id, []) if norm(x.get("name", "")) == norm(name)), None
            )
        fields = {"name": name, "weight": r.get("weight", "").strip(), "group": r.get("level2", "").strip()}
        full = "" if existing is not None else scratch.rows_full(node.id)
        if full:  # a draft holds no more: the row is listed, not added
            problems.append(Problem(number, "", name, f"{full}，这一行未导入"))
            continue
        if existing is None:
            row = scratch.add_row(node.id, **{k: v for k, v in fields.items() if v})
            counts.setdefault(node.name, [0, 0])[0] += 1
        else:
            row = existing
            row.update({k: v for k, v in fields.items() if v})
            counts.setdefault(node.name, [0, 0])[1] += 1
        inputs = _row_inputs(r)
        entry = scratch.entry(row["id"])
        entry["inputs"].update(inputs)
        if r.get("deviation", "").strip():
            entry["reason"] = r["deviation"].strip()
    summary = [f"{name}：新增 {a} 行，更新 {b} 行" for name, (a, b) in counts.items()]
    change = Change(
        "导入绩效目标表",
        rows=(copy.deepcopy(doc.rows), scratch.rows),
        entries=(copy.deepcopy(doc.indicators), scratch.indicators),
        summary=summary or ["没有导入任何指标行"],
    )
    return Pasted(change, problems)


def _row_inputs(r: dict[str, str]) -> dict[str, str]:
    """A row's inputs of the target rule, from the file's cells (only those the file fills)."""
    out: dict[str, str] = {}
    direction, target, unit = split_target(r.get("value", ""))
    _d, actual, actual_unit = split_target(r.get("actual", ""))
    nature = unicodedata.normalize("NFKC", r.get("nature", "")).strip()
    if nature not in ("定量", "定性"):
        nature = "定量" if target else "定性" if r.get("value", "").strip() else ""
    if nature:
        out["nature"] = nature
    if nature == "定量":
        out["target"] = target or r.get("value", "").strip()
        if actual or r.get("actual", "").strip():
            out["actual"] = actual or r.get("actual", "").strip()
        direction = _direction(r.get("direction", "")) or direction
        if direction:
            out["direction"] = direction
    else:
        for k, key in (("value", "target"), ("actual", "actual")):
            if r.get(k, "").strip():
                out[key] = r[k].strip()
    unit = r.get("unit", "").strip() or unit or actual_unit
    if unit:
        out["unit"] = unit
    return out


def figures_change(doc: Evaluation, values: dict[str, str], previous: dict[str, str] | None = None) -> Change:
    """This year's figures (`values`) and last year's (`previous`, shown as 上年: … and read by rules as prev:KEY)."""
    figures = doc.framework.figures
    change = Change("导入预算与执行数据")
    replaced = 0
    for kind, given in (("figures", values), ("previous", previous or {})):
        for key, text in given.items():
            old = getattr(doc, kind).get(key, "")
            if old != text:
                change.values.append(((kind, key), old, text))
                replaced += bool(old.strip())
    n = len(change.values)
    given = len(values) + len(previous or {})
    last = sum(1 for path, _o, _t in change.values if path[0] == "previous")
    change.summary.append(
        f"预算与执行数据填入 {n} 项"
        + (f"（其中上年数 {last} 项）" if last else "")
        + (f"（其中 {replaced} 项改写了原有的值）" if replaced else "")
        + (f"，{given - n} 项与原值相同" if given - n else "")
    )
    for path, old, text in change.values:
        spec = figures[path[1]]
        change.summary.append(
            f"  {spec.label}{'（上年数）' if path[0] == 'previous' else ''}：{text}"
            + (f"（原为 {old}）" if old.strip() else "")
        )
    return change


# ---------------------------------------------------------------------------------------------- paste


@dataclass
class Pasted:
    change: Change
    problems: list[Problem]
    notes: list[str] = field(default_factory=list)


def paste_targets(doc: Evaluation, text: str, row: int = 0, column: str = "level1") -> Pasted:
    """Cells copied in Excel / WPS pasted into 表1 at (row, column). With a heading row the columns go where
    their headings say (and 合计 rows, notes … are left out as on import); without one they fill 表1's columns
    from `column` on. Rows beyond the table are added. One Change."""
    book = read_paste(text)
    keys = list(dict(TARGET_COLUMNS))
    before = copy.deepcopy(doc.targets)
    after = copy.deepcopy(before)
    problems: list[Problem] = []
    try:
        plan = plan_targets(book)
        header = plan.header_rows[0] == book.sheets[0].rows[0][0] if book.sheets[0].rows else False
    except ImportFileError:
        header = False
    if header:
        result = plan.read()
        problems = result.problems
        values = [r for _n, r in result.rows]
        start = keys[0]
    else:
        start = column if column in keys else keys[0]
        width = len(keys) - keys.index(start)
        values = []
        for number, cells in book.sheets[0].rows:
            values.append(
                {keys[keys.index(start) + i]: _text(v) for i, v in enumerate(cells[:width]) if v is not None}
            )
            for c, v in enumerate(cells[width:], width + 1):
                if v is not None and _text(v):
                    problems.append(Problem(number, column_letter(c), _text(v), "超出表1 的栏数，未粘贴"))
    limits = {k: max_length(("targets", 0, k)) for k in keys}
    for i, values_of_row in enumerate(values):
        r = row + i
        while len(after) <= r:
            after.append({k: "" for k in keys})
        for k, v in values_of_row.items():
            if len(v) > limits[k]:
                problems.append(
                    Problem(i + 1, "", v, f"有 {len(v):,} 字，超过表1 这一栏的上限 {limits[k]:,} 字，未粘贴")
                )
            else:
                after[r][k] = v
    n = len(values)
    added = len(after) - len(before)
    summary = [f"粘贴到表1 第 {row + 1} 行起的 {n} 行" + (f"（新增 {added} 行）" if added else "")]
    return Pasted(Change("粘贴到表1", targets=(before, after), summary=summary), problems)


def paste_figures(doc: Evaluation, text: str, keys: list[str], start: str | None = None) -> Pasted:
    """Cells pasted into a group of figures (`keys`, in the form's order). Cells that name figures ("年初预算
    收入 | 1,273.37") go to those figures; bare values fill the group's fields from `start` on, row by row."""
    book = read_paste(text)
    fw = doc.framework
    index = figure_index(fw)
    items, note = _items(book.sheets[0], index, int(doc.year) if doc.year.isdigit() else 0)
    if any(it.key for it in items):
        result = _read_figures(FigurePlan(book, book.sheets[0], items, [book.sheets[0].name], fw, note))
        change = figures_change(doc, result.values, result.previous)
        change.label = "粘贴预算与执行数据"
        return Pasted(change, result.problems, result.notes)
    values: dict[str, str] = {}
    problems: list[Problem] = []
    order = keys[keys.index(start) :] if start in keys else list(keys)
    cells = [(n, c, v) for n, row in book.sheets[0].rows for c, v in enumerate(row, 1) if v is not None]
    for i, (n, c, v) in enumerate(cells):
        shown = _text(v)
        if not shown:
            continue
        if i >= len(order):
            problems.append(Problem(n, column_letter(c), shown, "超出本组的数据项，未粘贴"))
            continue
        spec = fw.figures[order[i]]
        value, why = figure_text(v, spec)
        if why:
            problems.append(Problem(n, column_letter(c), shown, f"“{spec.label}”{why}"))
        elif value:
            values[spec.key] = value
    change = figures_change(doc, values)
    change.label = "粘贴预算与执行数据"
    return Pasted(change, problems)
