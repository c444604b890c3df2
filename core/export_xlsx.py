"""Excel export (导出 Excel): the official tables as one print-ready workbook, values only.

Sheets: 基本信息 (facts and the budget figures), 表1 绩效目标表, 表2 评分表 (the seed's layout, merged 一级 / 二级
cells, 合计 and 等级) and 附件1 评分明细 (each indicator's standard, figures, formula, rate, score, points off,
reason, with 一级 / 二级 subtotal rows). Every number comes from the score sheet and is written as a value (no
formulas, so readers that do not calculate see it). User text is always text: cleaned of control characters and
stored as a string even when it starts with "=". The file is written atomically through core.files.
"""

from __future__ import annotations

import math
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.page import PageMargins

from core import APP_NAME
from core.document import FACTS, TARGET_COLUMNS, Evaluation
from core.files import write_atomic
from core.numbers import HUNDRED, NumberError, parse_number
from core.report_text import detail_rows, table2_rows
from core.scoring import OPEN, PROBLEM, NodeScore, ScoreSheet, score
from core.text import for_export

DRAFT_NOTE = "草稿：尚有未评分的指标或未解决的审核错误，不作为正式报送"
NOT_SCORED = "未评分"
MAX_CELL = 32767  # Excel's limit on the characters of one cell
LANDSCAPE_FROM = 115  # total column width (characters) above which a sheet prints landscape


def clean(text: str) -> str:
    """User text as a cell can hold it: line breaks of every kind (Word's \\v, \\f, \\r) become newlines, tabs
    spaces, control and invisible characters are dropped (core.text.for_export); clipped to Excel's cell limit."""
    return for_export(text).replace("\t", " ")[:MAX_CELL]


# ---------------------------------------------------------------------------------------------- styles

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "宋体"
_GREY = PatternFill("solid", fgColor="E7E6E6")
_LIGHT = PatternFill("solid", fgColor="F2F2F2")
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")

# name: (font size, bold, colour, alignment, border, fill, number format)
STYLES = {
    "title": (16, True, None, Alignment(horizontal="center", vertical="center"), None, None, None),
    "sub": (
        11,
        False,
        None,
        Alignment(horizontal="left", vertical="center", wrap_text=True),
        None,
        None,
        None,
    ),
    "sub_r": (11, False, None, _RIGHT, None, None, None),
    "note": (12, True, "C00000", Alignment(horizontal="left", vertical="center"), None, None, None),
    "head": (11, True, None, _CENTER, _BOX, _GREY, None),
    "text": (11, False, None, _LEFT, _BOX, None, None),
    "center": (11, False, None, _CENTER, _BOX, None, None),
    "num": (11, False, None, _CENTER, _BOX, None, "0.00"),
    "pct": (11, False, None, _CENTER, _BOX, None, "0.00%"),
    "money": (11, False, None, _CENTER, _BOX, None, "#,##0.00"),
    "count": (11, False, None, _CENTER, _BOX, None, "#,##0"),
    "group": (11, True, None, _LEFT, _BOX, _LIGHT, None),
    "group1": (
        11,
        True,
        None,
        Alignment(horizontal="left", vertical="center", wrap_text=True),
        _BOX,
        _GREY,
        None,
    ),
    "leaf": (
        11,
        False,
        None,
        Alignment(horizontal="left", vertical="center", wrap_text=True, indent=2),
        _BOX,
        None,
        None,
    ),
    "group_num": (11, True, None, _CENTER, _BOX, _LIGHT, "0.00"),
    "total": (11, True, None, _CENTER, _BOX, None, None),
    "total_num": (11, True, None, _CENTER, _BOX, None, "0.00"),
}
LINE_PT = 14.5  # height of one line of 11 pt 宋体, in points
MAX_ROW_PT = 409


def _style_arrays(wb: Workbook) -> dict:
    """Each named style as openpyxl's internal style array, so a cell is styled by one cheap copy."""
    ws = wb.create_sheet("_styles")
    out = {}
    for i, (name, (size, bold, colour, align, border, fill, fmt)) in enumerate(STYLES.items(), 1):
        c = ws.cell(row=i, column=1)
        c.font = Font(name=_FONT, size=size, bold=bold, color=colour)
        c.alignment = align
        if border:
            c.border = border
        if fill:
            c.fill = fill
        if fmt:
            c.number_format = fmt
        out[name] = c._style
    wb.remove(ws)
    return out


# ---------------------------------------------------------------------------------------------- sheets as grids


@dataclass
class Grid:
    """One sheet before it is written: rows of (value, style) cells, merges (r1, c1, r2, c2; 1-based),
    column width limits, and the row of the column headings (repeated on every printed page)."""

    name: str
    title: str
    columns: list[tuple[str, int, int]]  # heading, min width, max width (characters)
    rows: list[list[tuple[object, str]]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    header_row: int = 0

    def add(self, *cells: tuple[object, str]) -> int:
        self.rows.append(list(cells))
        return len(self.rows)

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1, r2, c2))

    def start(self, subtitle: str, right: str, draft: bool) -> None:
        """Title row, a line under it (department, unit), the draft note, the column headings."""
        n = len(self.columns)
        self.merge(self.add((self.title, "title")), 1, len(self.rows), n)
        r = self.add((subtitle, "sub"), *[(None, "sub")] * (n - 2), (right, "sub_r"))
        self.merge(r, 1, r, n - 1)
        # row 3: the draft note, or a thin empty row, so the headings are on row 4 either way
        self.merge(self.add((DRAFT_NOTE if draft else None, "note")), 1, len(self.rows), n)
        self.header_row = self.add(*[(h, "head") for h, _, _ in self.columns])


def _num(value: Decimal | None, style: str = "num") -> tuple[object, str]:
    return (NOT_SCORED, "center") if value is None else (float(value), style)


def _pct(value: Decimal | None) -> tuple[object, str]:
    return ("—", "center") if value is None else (float(value / HUNDRED), "pct")


def _subtitle(doc: Evaluation) -> str:
    return f"部门名称：{doc.facts.get('department', '').strip()}"


def basic_grid(doc: Evaluation, draft: bool) -> Grid:
    g = Grid(
        "基本信息",
        f"{doc.year} 年度部门整体支出绩效自评基本信息",
        [("项目", 16, 40), ("内容", 28, 50), ("单位", 6, 10)],
    )
    g.start(_subtitle(doc), "", draft)
    r = g.add(("一、部门基本情况", "group"), (None, "group"), (None, "group"))
    g.merge(r, 1, r, 3)
    for key, label in FACTS:
        r = g.add((label, "text"), (doc.facts.get(key, ""), "text"), (None, "text"))
        g.merge(r, 2, r, 3)
    group = None
    numerals = "二三四五六七八九十"
    n = 0
    for spec in doc.framework.figures.values():
        if spec.group != group:
            group = spec.group
            title = f"{numerals[n]}、{group}" if n < len(numerals) else group
            n += 1
            r = g.add((title, "group"), (None, "group"), (None, "group"))
            g.merge(r, 1, r, 3)
        text = doc.figures.get(spec.key, "")
        unit = "" if spec.kind == "percent" else spec.unit
        try:
            value = parse_number(text)
        except NumberError:
            value = None
        if value is None:
            cell = (text, "text")  # empty, or not a number: kept as typed
            unit = spec.unit
        elif spec.kind == "percent":
            cell = (float(value / HUNDRED), "pct")
        elif spec.kind == "count" and value == value.to_integral_value():
            cell = (int(value), "count")
        else:
            cell = (float(value), "money")
        g.add((spec.label, "text"), cell, (unit, "center"))
    return g


def targets_grid(doc: Evaluation, draft: bool) -> Grid:
    filled = [k for k in ("actual", "deviation") if any(t.get(k, "").strip() for t in doc.targets)]
    keys = ["level1", "level2", "level3", "value", *filled]
    limits = {
        "level1": (10, 14),
        "level2": (10, 16),
        "level3": (14, 30),
        "value": (14, 44),
        "actual": (12, 30),
        "deviation": (14, 40),
    }
    labels = dict(TARGET_COLUMNS)
    g = Grid("表1 绩效目标表", f"{doc.year} 年度部门整体绩效目标表", [(labels[k], *limits[k]) for k in keys])
    g.start(_subtitle(doc), "", draft)
    if not doc.targets:
        r = g.add(("（尚未填写绩效目标）", "center"), *[(None, "center")] * (len(keys) - 1))
        g.merge(r, 1, r, len(keys))
        return g
    first = len(g.rows) + 1
    for t in doc.targets:
        g.add(*[(t.get(k, ""), "center" if k in ("level1", "level2") else "text") for k in keys])
    # merge runs of equal 一级, and of equal 二级 inside one 一级 run
    values = [(t.get("level1", "").strip(), t.get("level2", "").strip()) for t in doc.targets]
    for col in (0, 1):
        i = 0
        while i < len(values):
            j = i
            while j + 1 < len(values) and values[j + 1][: col + 1] == values[i][: col + 1] and values[i][col]:
                j += 1
            g.merge(first + i, col + 1, first + j, col + 1)
            i = j + 1
    return g


def score_grid(doc: Evaluation, sheet: ScoreSheet, draft: bool) -> Grid:
    g = Grid(
        "表2 评分表",
        f"{doc.year} 年度部门整体绩效评价评分表",
        [
            ("一级指标", 10, 16),
            ("参考分值", 9, 9),
            ("二级指标", 10, 16),
            ("参考分值", 9, 9),
            ("三级指标", 16, 30),
            ("参考分值", 9, 9),
            ("评分结果", 9, 10),
        ],
    )
    g.start(_subtitle(doc), "单位：分", draft)
    for row in table2_rows(sheet):
        r = g.add(
            (row.level1.name, "center"),
            _num(row.level1.weight),
            (row.level2.name, "center"),
            _num(row.level2.weight),
            (row.leaf.name, "text"),
            _num(row.leaf.weight),
            _num(row.leaf.score),
        )
        for col, span in (
            (1, row.level1_span),
            (2, row.level1_span),
            (3, row.level2_span),
            (4, row.level2_span),
        ):
            if span:
                g.merge(r, col, r + span - 1, col)
    total = float(doc.framework.total)
    g.add(
        ("合计", "total"),
        (total, "total_num"),
        ("-", "total"),
        (total, "total_num"),
        ("-", "total"),
        (total, "total_num"),
        (float(sheet.total), "total_num"),
    )
    r = g.add(("评价等级", "total"), *[(None, "total")] * 5, (sheet.grade, "total"))
    g.merge(r, 1, r, 6)
    if not sheet.complete:
        r = g.add(
            (f"还有 {sheet.open_count} 项指标未评分，总分和等级为暂定。", "text"), *[(None, "text")] * 6
        )
        g.merge(r, 1, r, 7)
    return g


def _status(node: NodeScore) -> str:
    if node.status == PROBLEM:
        return "有问题：" + "；".join(node.problems)
    if node.status == OPEN and node.missing:
        return "未填：" + "、".join(node.missing)
    return ""


def detail_grid(doc: Evaluation, sheet: ScoreSheet, draft: bool) -> Grid:
    g = Grid(
        "附件1 评分明细",
        f"附件1  {doc.year} 年度部门整体绩效评价评分明细",
        [
            ("指标", 16, 26),
            ("分值", 8, 10),
            ("评分标准", 20, 30),
            ("所用数据", 14, 24),
            ("计算过程", 20, 32),
            ("计算比率", 10, 11),
            ("得分", 8, 10),
            ("扣分", 8, 10),
            ("扣分理由及说明", 16, 30),
        ],
    )
    g.start(_subtitle(doc), "单位：分", draft)
    details = {d.node.id: d for d in detail_rows(doc, sheet)}
    for node in sheet.all_nodes():
        d = details.get(node.id)
        if d is None:  # 一级 / 二级: a subtotal row
            style = "group1" if node.level == 1 else "group"
            # points off only when every leaf below is scored (otherwise unscored points would count as lost)
            lost = (float(node.lost), "group_num") if not node.open_leaves else (None, style)
            r = g.add(
                (node.name, style),
                _num(node.weight, "group_num"),
                *[(None, style)] * 4,
                _num(node.score, "group_num"),
                lost,
                (None, style),
            )
            g.merge(r, 3, r, 6)
            continue
        note = "；".join(x for x in (d.reason, _status(node)) if x)
        lost = (float(node.lost), "num") if node.score is not None else (None, "center")
        g.add(
            (node.name, "leaf"),
            _num(node.weight),
            (d.standard, "text"),
            ("\n".join(d.figures), "text"),
            ("\n".join(d.formula), "text"),
            _pct(node.rate),
            _num(node.score),
            lost,
            (note, "text"),
        )
    total = doc.framework.total
    lost = (float(total - sheet.total), "total_num") if sheet.complete else (None, "total")
    grade = f"评价等级：{sheet.grade}" + ("" if sheet.complete else "（暂定）")
    r = g.add(
        ("合计", "total"),
        (float(total), "total_num"),
        *[(None, "total")] * 4,
        (float(sheet.total), "total_num"),
        lost,
        (grade, "total"),
    )
    g.merge(r, 3, r, 6)
    return g


# ---------------------------------------------------------------------------------------------- writing


def width(text: str) -> int:
    """Display width in half-width characters: CJK characters (3 bytes in UTF-8) count double. Unlike
    core.cli.width this also counts the "ambiguous" signs (− × ÷ “ ” ≥) double, as a Chinese font draws them."""
    return (len(text.encode("utf-8")) + len(text) + 1) // 2


# Excel measures a column in widths of "0" of the default font (Calibri 11: 7 px); 11 pt 宋体 draws a wide (CJK)
# character in 15 px, a narrow one in about half. Widths below count wide characters double (core.cli.width).
PX_PER_UNIT, PX_PER_HALF, PX_PER_INDENT = 7, 7.5, 10
SCALE = {"title": 1.5, "note": 1.15}  # larger fonts than the body's 11 pt


def _units(text_width: int, indent: int = 0) -> float:
    """Column width (Excel units) that holds a line of `text_width` half-width characters on one line."""
    return (text_width * PX_PER_HALF + indent * PX_PER_INDENT + 6) / PX_PER_UNIT


def _lines(text: str, units: float, indent: int) -> int:
    """Lines a wrapped text takes in a column `units` wide."""
    fit = max(1.0, (units * PX_PER_UNIT - 5 - indent * PX_PER_INDENT) / PX_PER_HALF)
    return sum(max(1, math.ceil(width(line) / fit)) for line in text.split("\n"))


def _write(wb: Workbook, g: Grid, styles: dict) -> None:
    ws = wb.create_sheet(g.name)
    covered = {}  # (row, col) -> merge, for cells inside a merge
    for m in g.merges:
        for r in range(m[0], m[2] + 1):
            for c in range(m[1], m[3] + 1):
                covered[(r, c)] = m
    indents = {name: int(spec[3].indent) for name, spec in STYLES.items()}
    natural = [0.0] * len(g.columns)
    texts = []  # (row, col, cleaned text, style) of every non-empty text cell
    for r, row in enumerate(g.rows, 1):
        for c, (value, style) in enumerate(row, 1):
            # cells are made directly, styled by a copy of a prepared style array: ws.cell() and the style
            # setters cost more than all the rest of the export
            cell = ws._cells[(r, c)] = Cell(ws, row=r, column=c, style_array=copy(styles[style]))
            m = covered.get((r, c))
            if value is None or (m and (m[0], m[1]) != (r, c)):
                continue  # empty, or hidden under a merged cell: keep it empty
            if isinstance(value, str):
                if not value:
                    continue
                value = clean(value)  # no control characters, at most 32767 characters: what openpyxl checks
                texts.append((r, c, value, style))
                cell._value = value
                cell.data_type = "s"  # user text stays text, even "=1+1"
                if r > g.header_row and not m:
                    longest = max(width(x) for x in value.split("\n"))
                    natural[c - 1] = max(natural[c - 1], _units(longest, indents[style]))
            else:
                cell._value = value  # int or float
                if r > g.header_row and not m:  # "1,273.37", "100.00%" with room for wide digits
                    natural[c - 1] = max(natural[c - 1], _units(len(f"{value:,.2f}") + 2))
    ws._current_row = len(
        g.rows
    )  # what ws.cell() would have kept up to date (ws.append, ws.iter_rows use it)
    widths = [min(max(natural[c], low), high) for c, (_heading, low, high) in enumerate(g.columns)]
    # the title and the draft note do not wrap: widen the widest column until they fit
    need = max((_units(width(t), indents[st]) * SCALE[st] for r, c, t, st in texts if st in SCALE), default=0)
    if sum(widths) < need:
        widest = widths.index(max(widths))
        widths[widest] = min(widths[widest] + need - sum(widths), 100)  # Excel allows 255
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = round(w, 1)
    # the covered cells keep their own borders: no need for openpyxl's (slow) merge_cells re-formatting
    ws.merged_cells = MultiCellRange(
        [CellRange(min_row=a, min_col=b, max_row=c, max_col=d) for a, b, c, d in g.merges]
    )
    # row heights: the tallest wrapped cell of the row (a merged cell over one row counts with its full width)
    lines = [1] * (len(g.rows) + 1)
    for r, c, text, style in texts:
        m = covered.get((r, c))
        if m and m[0] != m[2]:
            continue  # spans rows: its rows are as tall as their own cells
        units = sum(widths[m[1] - 1 : m[3]]) if m else widths[c - 1]
        lines[r] = max(lines[r], _lines(text, units, indents[style]))
    one_line = LINE_PT + 5
    ws.sheet_format.defaultRowHeight = one_line  # rows of one line need no entry of their own
    ws.sheet_format.customHeight = True
    for r in range(1, len(g.rows) + 1):
        first = g.rows[r - 1][0][1]
        if first == "title":
            ws.row_dimensions[r].height = 30
        elif first == "note" and g.rows[r - 1][0][0] is None:
            ws.row_dimensions[r].height = 6
        elif (
            lines[r] > 1
        ):  # Excel refuses rows taller than 409 pt: longer text is still all there, scrollable
            ws.row_dimensions[r].height = min(round(lines[r] * LINE_PT + 5, 1), MAX_ROW_PT)
    total = sum(widths)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if total > LANDSCAPE_FROM else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.7, bottom=0.7, header=0.3, footer=0.3)
    ws.print_title_rows = f"{g.header_row}:{g.header_row}"
    ws.freeze_panes = ws.cell(row=g.header_row + 1, column=1)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9


def build(doc: Evaluation, sheet: ScoreSheet | None = None, draft: bool = False) -> Workbook:
    """The workbook, in memory."""
    sheet = sheet if sheet is not None else score(doc)
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = APP_NAME
    wb.properties.title = clean(
        f"{doc.facts.get('department', '').strip()} {doc.year} 年度部门整体绩效评价评分表"
    )
    styles = _style_arrays(wb)
    for g in (
        basic_grid(doc, draft),
        targets_grid(doc, draft),
        score_grid(doc, sheet, draft),
        detail_grid(doc, sheet, draft),
    ):
        _write(wb, g, styles)
        if draft:
            ws = wb[g.name]
            ws.oddHeader.center.text = DRAFT_NOTE
            ws.oddHeader.center.color = "C00000"
    wb.active = 2  # 表2 评分表 opens first
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws.title == "表2 评分表"
    return wb


def to_bytes(doc: Evaluation, sheet: ScoreSheet | None = None, draft: bool = False) -> bytes:
    buf = BytesIO()
    build(doc, sheet, draft).save(buf)
    return buf.getvalue()


def write_xlsx(
    doc: Evaluation, path: str | Path, *, sheet: ScoreSheet | None = None, draft: bool = False
) -> None:
    """Write the workbook to `path` atomically; FileWriteError (Chinese) if it cannot be written."""
    write_atomic(path, to_bytes(doc, sheet, draft), backup=False)
