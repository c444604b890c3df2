"""Excel renderer (评分表.xlsx): the report's tables as one print-ready workbook, values only.

Sheets, from core.report: 基本信息, 表1 绩效目标表, 表2 评分表 (the framework's columns, merged 一级 / 二级
cells, 合计 and 评价等级) and 附件1 自评评分表 (the same table as the PDF's and Word's 附件1). A cell with a
number behind it is written as that number (scores in the General format, so 25 and 5.46 print as in the
report; rates 0.00%, money #,##0.00); everything else as text, even text that starts with "=". No formulas, so
readers that do not calculate see every value. A text longer than Excel's 32,767 characters a cell is cut, and
the export's notes say which cell.
"""

from __future__ import annotations

import math
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.page import PageMargins

from core import APP_NAME
from core import report as rp
from core.text import for_export

MAX_CELL = 32767  # Excel's limit on the characters of one cell
LANDSCAPE_FROM = 115  # total column width (characters) above which a sheet prints landscape
HEADER_ROW = 4  # title, department and unit, the 草稿 note (or a thin empty row), then the column headings


def clean(text: str) -> str:
    """Text as a cell can hold it: line breaks of every kind (Word's \\v, \\f, \\r) become newlines, tabs
    spaces, control and invisible characters are dropped (core.text.for_export); not clipped (see _write)."""
    return for_export(text).replace("\t", " ")


# ---------------------------------------------------------------------------------------------- styles

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "宋体"
_GREY = PatternFill("solid", fgColor="E7E6E6")
_LIGHT = PatternFill("solid", fgColor="F2F2F2")
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_PLAIN = Alignment(horizontal="left", vertical="center", wrap_text=True)
NUMBER_FORMATS = {"score": "General", "pct": "0.00%", "money": "#,##0.00", "count": "#,##0"}

# name: (font size, bold, colour, alignment, border, fill, number format)
STYLES = {
    "title": (
        16,
        True,
        None,
        Alignment(horizontal="center", vertical="center", wrap_text=True),
        None,
        None,
        None,
    ),
    "sub": (11, False, None, _PLAIN, None, None, None),
    "sub_r": (11, False, None, Alignment(horizontal="right", vertical="center"), None, None, None),
    "note": (11, True, "C00000", _PLAIN, None, None, None),
    "head": (11, True, None, _CENTER, _BOX, _GREY, None),
    "after": (10, False, None, _PLAIN, None, None, None),
}
for _row in ("body", "group", "total", "note"):
    for _align, _a in (("left", _LEFT), ("center", _CENTER)):
        for _kind, _format in (("text", None), *NUMBER_FORMATS.items()):
            STYLES[f"{_row}-{_align}-{_kind}"] = (
                11,
                _row in ("group", "total"),
                None,
                _a,
                _BOX,
                _LIGHT if _row == "group" else None,
                _format,
            )
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


# ---------------------------------------------------------------------------------------------- sizes


def width(text: str) -> int:
    """Display width in half-width characters: CJK characters (3 bytes in UTF-8) count double, and so do the
    "ambiguous" signs (− × ÷ “ ” ≥) a Chinese font draws wide."""
    return (len(text.encode("utf-8")) + len(text) + 1) // 2


# Excel measures a column in widths of "0" of the default font (Calibri 11: 7 px); 11 pt 宋体 draws a wide (CJK)
# character in 15 px, a narrow one in about half.
PX_PER_UNIT, PX_PER_HALF, PX_PER_INDENT = 7, 7.5, 10


def _lines(text: str, units: float, indent: int) -> int:
    """Lines a wrapped text takes in a column `units` wide."""
    fit = max(1.0, (units * PX_PER_UNIT - 5 - indent * PX_PER_INDENT) / PX_PER_HALF)
    # a long text: counted by its characters (an estimate is enough, the row is capped)
    if len(text) > 20_000:
        return math.ceil(len(text) * 2 / fit)
    return sum(max(1, math.ceil(width(line) / fit)) for line in text.split("\n"))


# ---------------------------------------------------------------------------------------------- writing


def _cell(ws, row: int, column: int, style) -> Cell:
    """An empty cell with a prepared style array, shared (never changed after): what Cell() does, without
    copying the array for each of the thousands of cells."""
    cell = Cell.__new__(Cell)
    cell.parent, cell.row, cell.column, cell._style = ws, row, column, style
    cell._value, cell.data_type, cell._hyperlink, cell._comment = None, "n", None, None
    return cell


def _write(wb: Workbook, table: rp.Table, report: rp.Report, styles: dict, notes: list[str]) -> None:
    ws = wb.create_sheet(table.sheet)
    n = len(table.columns)
    widths = [c.width for c in table.columns]
    grid: list[list[tuple[object, str]]] = [
        [(table.caption, "title")] + [(None, "title")] * (n - 1),
        [(table.subtitle, "sub")] + [(None, "sub")] * (n - 2) + [(table.unit, "sub_r")],
        [(report.draft_note or None, "note")] + [(None, "note")] * (n - 1),
        [(c.label, "head") for c in table.columns],
    ]
    merges = [(1, 1, 1, n), (2, 1, 2, n - 1), (3, 1, 3, n)]
    for row in table.rows:
        cells = []
        r = len(grid) + 1
        for c, cell in enumerate(row.cells, 1):
            if cell is None:
                cells.append((None, f"{row.kind}-left-text"))
                continue
            kind = cell.kind if cell.value is not None else "text"
            value = cell.value if cell.value is not None else cell.text
            cells.append((value, f"{row.kind}-{cell.align}-{kind}"))
            if cell.rows > 1 or cell.cols > 1:
                merges.append((r, c, r + cell.rows - 1, c + cell.cols - 1))
        # a covered cell takes the style of the cell covering it (its borders and fill)
        grid.append(cells)
    for m in merges[3:]:
        style = grid[m[0] - 1][m[1] - 1][1]
        for r in range(m[0], m[2] + 1):
            for c in range(m[1], m[3] + 1):
                if (r, c) != (m[0], m[1]):
                    grid[r - 1][c - 1] = (None, style)
    for text in table.notes:
        grid.append([(text, "after")] + [(None, "after")] * (n - 1))
        merges.append((len(grid), 1, len(grid), n))

    spans = {}
    for m in merges:
        spans[(m[0], m[1])] = m
    texts = []  # (row, col, text, style) of every text cell
    for r, row in enumerate(grid, 1):
        for c, (value, style) in enumerate(row, 1):
            # cells are made directly, sharing a prepared style array (_cell): ws.cell() and the style
            # setters cost more than all the rest of the export
            cell = ws._cells[(r, c)] = _cell(ws, r, c, styles[style])
            if value is None or value == "":
                continue
            if isinstance(value, str):
                value = clean(value)
                if len(value) > MAX_CELL:
                    notes.append(
                        f"Excel“{table.sheet}”工作表 {get_column_letter(c)}{r} 单元格的文字有 {len(value):,} 字，"
                        f"超过 Excel 单元格上限 32,767 字，已截断；全文见 PDF 和 Word 报告"
                    )
                    value = value[: MAX_CELL - 1] + "…"
                cell._value = value
                cell.data_type = "s"  # user text stays text, even "=1+1"
                texts.append((r, c, value, style))
            else:
                cell._value = float(value) if value != value.to_integral_value() else int(value)
    ws._current_row = len(grid)  # what ws.cell() would have kept up to date (ws.append, ws.iter_rows use it)
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    # the covered cells keep their own borders: no need for openpyxl's (slow) merge_cells re-formatting
    ws.merged_cells = MultiCellRange(
        [CellRange(min_row=a, min_col=b, max_row=c, max_col=d) for a, b, c, d in merges if (a, b) != (c, d)]
    )
    # row heights: the tallest wrapped cell of the row (a merged cell over one row counts with its full width)
    lines = [1] * (len(grid) + 1)
    for r, c, text, style in texts:
        m = spans.get((r, c))
        if m and m[0] != m[2]:
            continue  # spans rows: its rows are as tall as their own cells
        units = sum(widths[m[1] - 1 : m[3]]) if m else widths[c - 1]
        size = STYLES[style][0] / 11
        lines[r] = max(lines[r], _lines(text, units / size, 1 if "left" in style else 0))
    ws.sheet_format.defaultRowHeight = LINE_PT + 5  # rows of one line need no entry of their own
    ws.sheet_format.customHeight = True
    ws.row_dimensions[1].height = max(30, lines[1] * 22)
    if not report.draft:
        ws.row_dimensions[3].height = 6
    for r in range(2, len(grid) + 1):
        if lines[r] > 1:  # Excel refuses rows taller than 409 pt: longer text is still all there, scrollable
            ws.row_dimensions[r].height = min(round(lines[r] * LINE_PT + 5, 1), MAX_ROW_PT)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sum(widths) > LANDSCAPE_FROM else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.7, bottom=0.7, header=0.3, footer=0.3)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9
    if report.draft:
        ws.oddHeader.center.text = "草稿"
        ws.oddHeader.center.color = "C00000"


def build(report: rp.Report, notes: list[str] | None = None) -> Workbook:
    """The workbook of a report, in memory."""
    notes = [] if notes is None else notes
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = APP_NAME
    wb.properties.title = clean(f"{report.department} {report.title}")
    styles = _style_arrays(wb)
    for table in report.sheets:
        _write(wb, table, report, styles, notes)
    opening = next((i for i, t in enumerate(report.sheets) if t.key == "scores"), 0)
    wb.active = opening  # 表2 评分表 opens first
    for i, ws in enumerate(wb.worksheets):
        ws.sheet_view.tabSelected = i == opening
    return wb


def render_xlsx(report: rp.Report, *, progress=None, cancelled=None) -> tuple[bytes, list[str]]:
    """The workbook as bytes, and the notes for the user (text cut at Excel's cell limit)."""
    notes: list[str] = []
    buf = BytesIO()
    build(report, notes).save(buf)
    if progress:
        progress(1.0, "Excel 已生成")
    return buf.getvalue(), notes
