"""PDF report (自评报告): the whole self-evaluation in the seed report's structure, laid out after GB/T 9704-2012.

Title and the block 部门名称(公章) / 单位负责人(签章) / 填报人 / 联系电话; the framework's sections with the user's text,
表1 after the section marked "targets"; in the section marked "scores" a generated opening sentence, 表2, one
generated paragraph per 一级 indicator and a chart of 得分率; then 附件1 评分明细. Every number comes from the
score sheet (core.report_text), so the text cannot disagree with the tables.

Layout: A4, text block 156 × 225 mm at 28 mm from the left and 37 mm from the top; body 仿宋 16 pt on 22 lines a
page; 一、 in 黑体, （一） in 楷体; page numbers "— N —" in 宋体 14 pt, 7 mm below the text block, odd pages right,
even pages left; tables 10.5 pt with the header row repeated on each page. Fonts: core.fonts (embedded subsets).
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib import textsplit as _rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _rl_paragraph

from core import fonts
from core.document import Evaluation
from core.files import write_atomic
from core.numbers import fmt, fmt_pct
from core.report_text import detail_rows, level1_paragraphs, scores_opening, table2_rows
from core.scoring import ScoreSheet, score
from core.text import for_export

PAGE_W, PAGE_H = A4
LEFT, TOP, WIDTH, HEIGHT = 28 * mm, 37 * mm, 156 * mm, 225 * mm
BOTTOM = PAGE_H - TOP - HEIGHT
BODY = 16  # 3号
LEADING = HEIGHT / 22 - 0.01  # 22 lines a page
TITLE = 22  # 2号
CAPTION = 14  # 4号
CELL = 10.5  # 5号
CELL_LEADING = 14
PAGE_NO = 14  # 4号
PAGE_NO_GAP = 7 * mm

# Chinese line breaking (W3C clreq 行首/行尾禁则). reportlab's CJK wrap breaks between any two characters and knows
# only part of the marks that cannot start a line ("，", "；", "：", "”", "》" … are missing); it hangs one such mark
# in the margin but lets the next start the line ("93.8%。" put "。" at the start of a line). The two functions
# below replace its breaking (textsplit.dumbSplit for a paragraph of one run of text, paragraph.cjkFragSplit for
# several runs): a line does not start with a closing mark, does not end with an opening one, and a number or a
# Latin word (1,273.37, 93.8%, www.szft.gov.cn) is not cut; a single full-width closing mark hangs at the end of a
# full line instead (a line is never left short for one comma).
NO_LINE_START = set("，。、；：？！）》〉」』】〕〗〙〛”’…·%‰℃,.;:?!)]}")
NO_LINE_END = set("（《〈「『【〔〖〘〚“‘([{")
HANGING = set("，。、；：？！）》〉」』】〕〗〙〛”’")  # full-width closing marks


def _glued(a: str, b: str) -> bool:
    """A break between a and b is not allowed."""
    return (
        b in NO_LINE_START
        or a in NO_LINE_END
        or (a.isascii() and b.isascii() and not (a.isspace() or b.isspace()))
    )


def line_breaks(
    chars: str, widths: list[float], max_widths: list[float], forced=frozenset()
) -> list[tuple[int, int]]:
    """Lines as [start, end) ranges of `chars`. `forced`: positions after which a line must end (<br/>)."""
    out: list[tuple[int, int]] = []
    start, n = 0, len(chars)
    while start < n:
        limit = max_widths[min(len(out), len(max_widths) - 1)]
        end, used = start, 0.0
        while end < n and (end == start or used + widths[end] <= limit + 1e-6):
            used += widths[end]
            end += 1
            if end - 1 in forced:
                break
        if end < n and end - 1 not in forced and _glued(chars[end - 1], chars[end]):
            if (
                chars[end] in HANGING
                and chars[end - 1] not in NO_LINE_END
                and (end + 1 == n or not _glued(chars[end], chars[end + 1]))
            ):
                end += 1  # hang one full-width closing mark
            else:
                b = end - 1
                while b > start and _glued(chars[b - 1], chars[b]):
                    b -= 1
                end = b if b > start else end  # nowhere to break: cut where the line is full
        out.append((start, end))
        start = end
        while start < n and chars[start] == " " and start - 1 not in forced:
            start += 1  # a space at a line break is not printed
    return out


def _dumb_split(word, widths, maxWidths):
    if not isinstance(maxWidths, (list, tuple)):
        maxWidths = [maxWidths]
    lines = []
    for k, (a, b) in enumerate(line_breaks(word, widths, list(maxWidths))):
        while b > a and word[b - 1] == " ":
            b -= 1
        lines.append([maxWidths[min(k, len(maxWidths) - 1)] - sum(widths[a:b]), word[a:b]])
    return lines


def _cjk_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):
    U = []
    for f in frags:
        text = f.text.decode(encoding) if isinstance(f.text, bytes) else f.text
        U.extend(
            [_rl_paragraph.cjkU(t, f, encoding) for t in text]
            if text
            else [_rl_paragraph.cjkU(text, f, encoding)]
        )
    widths = []
    for u in U:
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = maxWidths[0]
            w = w.normalizedValue(maxWidths[0])
        widths.append(w)
    forced = frozenset(i for i, u in enumerate(U) if hasattr(u.frag, "lineBreak"))
    chars = "".join(u or "\x00" for u in U)  # a run without text (a <br/>) stands as one character
    lines = []
    for k, (a, b) in enumerate(line_breaks(chars, widths, list(maxWidths), forced)):
        max_width = maxWidths[min(k, len(maxWidths) - 1)]
        used = sum(widths[a:b])
        lines.append(
            _rl_paragraph.makeCJKParaLine(
                U[a:b], max_width, used, max_width - used, b - 1 in forced, calcBounds
            )
        )
    return _rl_paragraph.ParaLines(kind=1, lines=lines)


_rl_textsplit.dumbSplit = _dumb_split
_rl_paragraph.cjkFragSplit = _cjk_frag_split

_SUBHEADING = re.compile(
    r"^\s*(\d{1,2}\s*[.．、]|[（(]\s*\d{1,2}\s*[)）]|[（(][一二三四五六七八九十]{1,3}[)）])\s*\S"
)
_registered: dict[tuple[str, int], str] = {}


def register_fonts(found: dict[str, fonts.FontFile] | None = None) -> dict[str, str]:
    """Register each role's font with reportlab once per file; a file that will not load gives the bundled font."""
    found = found or fonts.find_fonts()
    names = {}
    for role in fonts.ROLES:
        fallback = names["heiti"] if role == "title" else None  # a title in 黑体 rather than the bundled font
        names[role] = _register(found[role]) or fallback or _register(fonts.bundled_font())
    return names


def _register(font: fonts.FontFile) -> str | None:
    key = (str(font.path), font.index)
    if key not in _registered:
        name = f"JX-{Path(font.path).stem}-{font.index}"
        try:
            pdfmetrics.registerFont(TTFont(name, str(font.path), subfontIndex=font.index))
        except (TTFError, OSError, ValueError, KeyError, IndexError, AssertionError):
            if font.bundled:
                raise
            return None
        _registered[key] = name
    return _registered[key]


class Cell(Paragraph):
    """A table cell: wrapped once per width (tables measure their cells again on every page and when drawing)."""

    _wrapped: tuple | None = None

    def __init__(self, text, style=None, *args, **kwargs):  # Paragraph.split() passes more
        super().__init__(text, style, *args, **kwargs)
        self.source = text  # the markup, for benchmarks/bench_pdf.py

    def wrap(self, availWidth, availHeight):
        if self._wrapped is None or self._wrapped[0] != availWidth:
            self._wrapped = (availWidth, super().wrap(availWidth, availHeight))
        return self._wrapped[1]


def clean(text: str) -> str:
    """User text as Paragraph markup: escaped, control and invisible characters gone (core.text), tabs as spaces."""
    return escape(for_export(text).replace("\t", " "))


class Styles:
    def __init__(self, f: dict[str, str]):
        base = ParagraphStyle(
            "body",
            fontName=f["fangsong"],
            fontSize=BODY,
            leading=LEADING,
            wordWrap="CJK",
            alignment=TA_JUSTIFY,
            firstLineIndent=2 * BODY,
            allowWidows=0,
            allowOrphans=0,
        )
        self.body = base
        self.h1 = ParagraphStyle("h1", base, fontName=f["heiti"], alignment=TA_LEFT)
        self.h2 = ParagraphStyle("h2", self.h1, fontName=f["kaiti"])
        self.h3 = ParagraphStyle("h3", self.h1, fontName=f["fangsong"])
        self.title = ParagraphStyle(
            "title",
            base,
            fontName=f["title"],
            fontSize=TITLE,
            leading=TITLE * 1.5,
            alignment=TA_CENTER,
            firstLineIndent=0,
            spaceBefore=LEADING,
            spaceAfter=LEADING,
        )
        self.annex = ParagraphStyle("annex", self.h1, firstLineIndent=0)
        self.caption = ParagraphStyle(
            "caption",
            base,
            fontName=f["heiti"],
            fontSize=CAPTION,
            leading=LEADING,
            alignment=TA_CENTER,
            firstLineIndent=0,
        )
        self.facts = ParagraphStyle("facts", base, firstLineIndent=0, alignment=TA_LEFT)
        self.cell = ParagraphStyle(
            "cell",
            fontName=f["fangsong"],
            fontSize=CELL,
            leading=CELL_LEADING,
            wordWrap="CJK",
            alignment=TA_LEFT,
            allowWidows=0,
            allowOrphans=0,
        )
        self.cell_c = ParagraphStyle("cell_c", self.cell, alignment=TA_CENTER)
        self.head = ParagraphStyle("head", self.cell_c, fontName=f["heiti"])
        self.band = ParagraphStyle("band", self.cell, fontName=f["heiti"])
        self.fonts = f

    def heading(self, level: int) -> ParagraphStyle:
        return {1: self.h1, 2: self.h2}.get(level, self.h3)


def build_pdf(doc: Evaluation, sheet: ScoreSheet | None = None, draft: bool = False) -> bytes:
    """The report as PDF bytes."""
    sheet = sheet or score(doc)
    st = Styles(register_fonts())
    return render(
        keep_with_next(story(doc, sheet, st)), st, doc.title, doc.facts.get("department", ""), draft
    )


class _Document(BaseDocTemplate):
    """Adds each heading with an outline level to the PDF's bookmarks."""

    _level = -1

    def afterFlowable(self, flowable):
        level = getattr(flowable, "outline", None)
        if level is None or not isinstance(flowable, Heading):
            return
        level = min(level, self._level + 1)  # a bookmark level cannot skip one
        key = f"h{id(flowable)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=level > 0)
        self._level = level


def render(flow: list, st: Styles, title: str = "", author: str = "", draft: bool = False) -> bytes:
    """Lay out flowables on the report's pages (A4, the GB/T 9704 text block, page numbers)."""
    out = io.BytesIO()
    pdf = _Document(
        out,
        pagesize=A4,
        title=title,
        author=author,
        subject="部门整体支出绩效自评报告",
        creator="绩效自评助手",
        lang="zh-CN",
        initialFontName=st.fonts["fangsong"],
    )
    frame = Frame(
        LEFT, BOTTOM, WIDTH, HEIGHT, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body"
    )
    pdf.addPageTemplates([PageTemplate("page", [frame], onPage=_decorate(st, draft))])
    pdf.build(flow)
    return out.getvalue()


def write_pdf(
    doc: Evaluation, path: str | Path, *, sheet: ScoreSheet | None = None, draft: bool = False
) -> None:
    """Write the report to `path` (temp file, then replace; FileWriteError in Chinese when it cannot be written)."""
    write_atomic(path, build_pdf(doc, sheet, draft), backup=False)


def _decorate(st: Styles, draft: bool):
    def on_page(canvas, pdf) -> None:
        canvas.saveState()
        if draft:
            canvas.setFillColor(colors.Color(0.5, 0.5, 0.5, alpha=0.3))
            canvas.setFont(st.fonts["heiti"], 150)
            canvas.translate(PAGE_W / 2, PAGE_H / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, -50, "草稿")
            canvas.restoreState()
            canvas.saveState()
        n = canvas.getPageNumber()
        canvas.setFont(st.fonts["songti"], PAGE_NO)
        y = BOTTOM - PAGE_NO_GAP - PAGE_NO * 0.8  # the number's top 7 mm below the text block
        text = f"— {n} —"
        if n % 2:
            canvas.drawRightString(LEFT + WIDTH - PAGE_NO, y, text)
        else:
            canvas.drawString(LEFT + PAGE_NO, y, text)
        canvas.restoreState()

    return on_page


def story(doc: Evaluation, sheet: ScoreSheet, st: Styles) -> list:
    flow: list = [Paragraph(clean(doc.title), st.title), _facts(doc, st)]
    done = set()
    for spec in doc.framework.sections:
        title = doc.section_title(spec).strip()
        if spec.level and title:
            flow.append(Heading(clean(title), st.heading(spec.level), outline=spec.level - 1))
        if spec.insert == "scores":
            flow.append(Paragraph(clean(scores_opening(doc, sheet)), st.body))
        flow += _text(doc.narrative.get(spec.key, ""), st)
        if spec.insert == "targets" and "targets" not in done:
            flow += _targets(doc, st)
        elif spec.insert == "scores" and "scores" not in done:
            flow += _scores(doc, sheet, st)
        done.add(spec.insert)
    if "targets" not in done and doc.targets:  # a framework without a place for 表1: nothing is left out
        flow += _targets(doc, st)
    if "scores" not in done:
        flow += [
            Heading("部门整体支出绩效评价指标评分情况", st.h1, outline=0),
            Paragraph(clean(scores_opening(doc, sheet)), st.body),
            *_scores(doc, sheet, st),
        ]
    return flow + _annex(doc, sheet, st)


def _facts(doc: Evaluation, st: Styles) -> Table:
    rows = [
        ("部门名称(公章)：", "department", 3),
        ("单位负责人(签章)：", "leader", 3),
        ("填报人：", "preparer", 1.5),
        ("联系电话：", "phone", 1.5),
    ]
    data = [
        [Paragraph(label, st.facts), Paragraph(clean(doc.facts.get(key, "").strip()), st.facts)]
        for label, key, _ in rows
    ]
    t = Table(data, colWidths=[52 * mm, WIDTH - 52 * mm], rowHeights=[h * LEADING for *_, h in rows])
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), st.fonts["fangsong"], BODY),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 0), (1, -1), 0.5, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    t.spaceAfter = LEADING
    return t


class Heading(Paragraph):
    """A heading, sub-heading or caption: never left alone at the foot of a page (see keep_with_next). With an
    `outline` level (0 for "一、", 1 for "（一）" …) it is also a bookmark of the PDF."""

    def __init__(self, text, style=None, *args, outline: int | None = None, **kwargs):
        super().__init__(text, style, *args, **kwargs)
        self.outline = outline


def keep_with_next(flow: list) -> list:
    """Before each run of headings, a conditional page break asking room for the run and the start of what follows
    (two lines of text, a table's header and first rows, a whole chart). Unlike keepWithNext, a long paragraph
    after a heading does not push both to the next page."""
    out: list = []
    run: list = []
    for f in flow:
        if isinstance(f, Heading):
            run.append(f)
            continue
        if run:
            need = sum(h.wrap(WIDTH, HEIGHT)[1] for h in run)
            if isinstance(f, (Table, ReportTable)):
                need += 110
            elif isinstance(f, Drawing):
                need += f.height  # a chart does not split
            else:
                need += 2 * LEADING
            out += [CondPageBreak(need), *run]
            run = []
        out.append(f)
    return out + run


def is_subheading(line: str) -> bool:
    """ "1. 资金管理情况", "(1) 政府采购情况": a short numbered line that is not a sentence."""
    line = line.strip()
    return bool(_SUBHEADING.match(line)) and len(line) <= 40 and line[-1] not in "。；;：:，,"


def _text(text: str, st: Styles) -> list:
    out = []
    for line in text.splitlines():
        if line.strip():
            out.append((Heading if is_subheading(line) else Paragraph)(clean(line.strip()), st.body))
    return out


def _style(st: Styles) -> list:
    return [
        ("FONT", (0, 0), (-1, -1), st.fonts["fangsong"], CELL, CELL_LEADING),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]


LONG_REASON = 120  # characters; a longer reason in 附件1 gets a row of its own
MIN_ROW = CELL_LEADING + 5  # one line and the paddings: no row is lower
BAND = colors.Color(0.93, 0.93, 0.93)


class ReportTable(Flowable):
    """A report table (表1, 表2, 附件1) that splits itself across pages.

    Row 0 is the header, repeated on each page. `merges` are cells merged down their rows, (column, first row, last
    row); `bands` are rows spanning the whole width (group titles), kept with the row below; `notes` are rows
    spanning the whole width (a long reason), kept with the row above when they are short. reportlab splits a
    table only outside merged cells (a 一级 cell of 100 rows could never split), fails splitting inside a row of
    a table with merged cells, and measures the whole rest of a table on every page. This one builds a reportlab
    Table only for what fits a page, splits between any two rows (each part merges its own rows and repeats the
    merged text), keeps the last `keep_last` rows together (合计 with the row above), and splits inside a tall row
    (see _inside) on the page where it starts.
    """

    def __init__(
        self,
        rows: list[list],
        widths: list[float],
        style: list,
        merges=(),
        bands=(),
        notes=(),
        keep_last: int = 1,
    ):
        super().__init__()
        self._rows, self._widths, self._style = rows, widths, style
        self._merges, self._bands, self._notes, self._keep_last = (
            list(merges),
            set(bands),
            set(notes),
            keep_last,
        )
        self._table: Table | None = None
        self.hAlign = "CENTER"

    def table(self) -> Table:
        if self._table is None:
            data = [list(r) for r in self._rows]
            for col, first, last in self._merges:
                for r in range(first + 1, last + 1):
                    data[r][col] = ""
            t = Table(data, colWidths=self._widths, repeatRows=1, hAlign="CENTER")
            t.setStyle(
                TableStyle(
                    self._style
                    + [("SPAN", (c, a), (c, b)) for c, a, b in self._merges if b > a]
                    + [
                        x
                        for r in self._bands
                        for x in (("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), BAND))
                    ]
                    + [("SPAN", (0, r), (-1, r)) for r in self._notes]
                )
            )
            self._table = t
        return self._table

    def wrap(self, availWidth, availHeight):
        lowest = len(self._rows) * MIN_ROW
        if lowest > availHeight:  # certainly too tall: not measured, split() measures what fits
            self.width, self.height = sum(self._widths), lowest
        else:
            self.width, self.height = self.table().wrap(availWidth, availHeight)
        return self.width, self.height

    def drawOn(self, canvas, x, y, _sW=0):
        self.table().drawOn(canvas, x, y, _sW)

    def split(self, availWidth, availHeight):
        total = len(self._rows)
        most = min(total, 2 + int(availHeight // MIN_ROW))  # more rows than can fit
        size = min(most, 8)
        while True:  # measure a few rows, twice as many while they all fit
            probe = self._part(1, size).table()
            probe.wrap(availWidth, availHeight)
            heights = probe._rowHeights
            n, used = 1, heights[0]
            while n < len(heights) and used + heights[n] <= availHeight:
                used += heights[n]
                n += 1
            if n < size or size == most:
                break
            size = min(most, 2 * size)
        n = min(n, total - self._keep_last)
        if n < len(heights) and self._inside(heights[n], availHeight - sum(heights[:n]), heights[0]):
            parts = self._split_row(n, availWidth, availHeight, sum(heights[:n]))  # row n starts on this page
            if parts:
                return parts
        while n > 1 and (
            n - 1 in self._bands or n in self._notes and n < len(heights) and heights[n] < HEIGHT / 3
        ):
            n -= 1
        while n > 1:
            first = self._part(1, n)
            if first.wrap(availWidth, availHeight)[1] <= availHeight:
                return [first, self._part(n, total)]
            n -= 1
        return []  # the next page

    @staticmethod
    def _inside(row: float, room: float, header: float) -> bool:
        """Split a row that does not fit inside it? When it fits on no page, or it is tall (a third of a page) and
        a quarter of the page is left; never for the last few lines of a page."""
        if row <= room or room < 4 * MIN_ROW:
            return False
        return row > HEIGHT - header or (row >= HEIGHT / 3 and room >= HEIGHT / 4)

    def _split_row(self, n: int, availWidth: float, availHeight: float, used: float) -> list:
        """Rows 1 … n - 1 and the first lines of row n here; the rest of row n and the rows below on the next page."""
        for slack in (0, 6, 12, 24):  # a piece measured again in our table may come out a little taller
            pieces = self._pieces(n, availWidth, availHeight, availHeight - used - slack)
            if not pieces:
                return []
            here, there = pieces
            first, rest = self._part(1, n + 1), self._part(n, len(self._rows))
            first._rows[n] = here
            for c, a, b in rest._merges:
                if a == 1 and b > 1:  # a merged cell going on below: its text again
                    there[c] = rest._rows[1][c]
            rest._rows[1] = there
            if first.wrap(availWidth, availHeight)[1] <= availHeight:
                return [first, rest]
        return []

    def _pieces(self, n: int, availWidth: float, availHeight: float, room: float) -> tuple[list, list] | None:
        """Row n's cells split in two, the first piece no taller than `room`."""
        if n in self._notes:  # a full-width row: its paragraph is split
            pieces = self._rows[n][0].split(sum(self._widths) - 6, room - 5)
            blank = [""] * (len(self._widths) - 1)
            return ([pieces[0]] + blank, [pieces[1]] + blank) if len(pieces) == 2 else None
        # reportlab splits a row inside a table without merged cells; short cells stay in the first piece
        one = Table(
            [list(self._rows[0]), list(self._rows[n])],
            colWidths=self._widths,
            repeatRows=1,
            splitInRow=1,
            hAlign="CENTER",
        )
        one.setStyle(TableStyle(self._style + [("VALIGN", (0, 1), (-1, 1), "TOP")]))
        one.wrap(availWidth, availHeight)
        parts = one.split(availWidth, one._rowHeights[0] + room)  # its own header row, then the room
        return (list(parts[0]._cellvalues[1]), list(parts[1]._cellvalues[1])) if len(parts) == 2 else None

    def _part(self, start: int, stop: int) -> ReportTable:
        """The header and rows start … stop - 1, merged cells clipped to them, their text on their first row."""
        rows = [self._rows[0]] + [list(r) for r in self._rows[start:stop]]
        merges = []
        for col, first, last in self._merges:
            a, b = max(first, start), min(last, stop - 1)
            if a <= b:
                rows[a - start + 1][col] = self._rows[first][col]
                merges.append((col, a - start + 1, b - start + 1))
        bands = [r - start + 1 for r in self._bands if start <= r < stop]
        notes = [r - start + 1 for r in self._notes if start <= r < stop]
        return ReportTable(
            rows,
            self._widths,
            self._style,
            merges,
            bands,
            notes,
            self._keep_last if stop == len(self._rows) else 0,
        )


def _widths(widths_mm: list[float]) -> list[float]:
    return [w * WIDTH / sum(widths_mm) for w in widths_mm]


def _caption(text: str, st: Styles) -> list:
    return [Heading(clean(text), st.caption)]


def _runs(values: list[str]) -> list[tuple[int, int]]:
    """(first row, row count) of each run of equal non-empty values."""
    out, start = [], 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start] or not values[start].strip():
            out.append((start, i - start))
            start = i
    return out


def _targets(doc: Evaluation, st: Styles) -> list:
    rows = doc.targets
    if not rows:
        return []
    extra = any(r.get("actual", "").strip() or r.get("deviation", "").strip() for r in rows)
    cols = ["level1", "level2", "level3", "value"] + (["actual", "deviation"] if extra else [])
    heads = ["一级指标", "二级指标", "三级指标", "指标值"] + (["实际完成值", "偏差原因"] if extra else [])
    widths = [22, 28, 46, 60] if not extra else [18, 22, 32, 32, 26, 26]
    data = [[Cell(h, st.head) for h in heads]]
    data += [
        [Cell(clean(r.get(c, "").strip()), st.cell_c if i < 2 else st.cell) for i, c in enumerate(cols)]
        for r in rows
    ]
    merges = []
    for start, n in _runs([r.get("level1", "").strip() for r in rows]):
        merges.append((0, start + 1, start + n))
        level2 = [r.get("level2", "").strip() for r in rows[start : start + n]]
        merges += [(1, start + s + 1, start + s + m) for s, m in _runs(level2)]
    return [
        *_caption(f"表1 {doc.year} 年度部门整体绩效目标表", st),
        ReportTable(data, _widths(widths), _style(st), merges),
        Spacer(1, LEADING / 2),
    ]


def _scores(doc: Evaluation, sheet: ScoreSheet, st: Styles) -> list:
    rows = table2_rows(sheet)
    heads = ["一级指标", "参考分值", "二级指标", "参考分值", "三级指标", "参考分值", "评分结果"]
    data = [[Cell(h, st.head) for h in heads]]
    merges = []

    def cell(x, style=st.cell_c):
        return Cell(clean(x), style)

    for i, r in enumerate(rows, 1):
        data.append(
            [
                cell(r.level1.name),
                cell(fmt(r.level1.weight)),
                cell(r.level2.name),
                cell(fmt(r.level2.weight)),
                cell(r.leaf.name, st.cell),
                cell(fmt(r.leaf.weight)),
                cell(fmt(r.leaf.score, "—")),
            ]
        )
        for col, span in ((0, r.level1_span), (2, r.level2_span)):
            if span:
                merges += [(col, i, i + span - 1), (col + 1, i, i + span - 1)]
    l2s = [c for n in sheet.nodes for c in n.children]
    data.append(
        [
            Cell("合计", st.head),
            cell(fmt(sum(n.weight for n in sheet.nodes))),
            cell("-"),
            cell(fmt(sum(c.weight for c in l2s))),
            cell("-"),
            cell(fmt(sum(r.leaf.weight for r in rows))),
            cell(fmt(sheet.total)),
        ]
    )
    flow = [
        *_caption(f"表2 {doc.year}年度部门整体绩效评价评分表", st),
        ReportTable(data, _widths([20, 17, 22, 17, 44, 17, 19]), _style(st), merges, keep_last=2),
        Spacer(1, LEADING / 2),
    ]
    for heading, paragraphs in level1_paragraphs(doc, sheet):
        flow.append(Heading(clean(heading), st.h2, outline=1))
        flow += [Paragraph(clean(p), st.body) for p in paragraphs]
    return flow + _chart(doc, sheet, st)


CHART_ROWS = 30  # bars per drawing (30 fill most of a page); more 二级 indicators give more drawings


def _chart(doc: Evaluation, sheet: ScoreSheet, st: Styles) -> list:
    nodes = [c for n in sheet.nodes for c in n.children if c.score_rate is not None]
    if not nodes:
        return []
    flow: list = [*_caption(f"图1 {doc.year}年度各二级指标得分率", st)]
    for start in range(0, len(nodes), CHART_ROWS):
        part = nodes[start : start + CHART_ROWS][::-1]  # the chart draws its first category at the bottom
        bar = 16
        d = Drawing(WIDTH, bar * len(part) + 30, initialFontName=st.fonts["fangsong"])  # not Helvetica
        c = HorizontalBarChart()
        c.x, c.y, c.width, c.height = 36 * mm, 22, WIDTH - 36 * mm - 14 * mm, bar * len(part)
        c.data = [[float(n.score_rate) for n in part]]
        c.valueAxis.valueMin, c.valueAxis.valueMax, c.valueAxis.valueStep = 0, 100, 20
        c.valueAxis.labels.fontName = st.fonts["fangsong"]
        c.valueAxis.labels.fontSize = 9
        c.valueAxis.labelTextFormat = "%d%%"
        c.categoryAxis.categoryNames = [n.name if len(n.name) <= 10 else n.name[:9] + "…" for n in part]
        c.categoryAxis.labels.fontName = st.fonts["fangsong"]
        c.categoryAxis.labels.fontSize = 9
        c.categoryAxis.labels.boxAnchor = "e"
        c.categoryAxis.labels.dx = -4
        c.bars[0].fillColor = colors.Color(0.35, 0.45, 0.6)
        c.bars[0].strokeColor = None
        c.barSpacing, c.groupSpacing = 0, 5
        c.barLabelFormat = lambda v: fmt_pct(Decimal(str(v)))
        c.barLabels.fontName = st.fonts["fangsong"]
        c.barLabels.fontSize = 8
        c.barLabels.boxAnchor = "w"
        c.barLabels.dx = 3
        d.add(c)
        flow.append(d)
    return flow


def _annex(doc: Evaluation, sheet: ScoreSheet, st: Styles) -> list:
    department = doc.facts.get("department", "").strip()
    flow = [
        PageBreak(),
        Heading("附件1", st.annex, outline=0),
        Spacer(1, LEADING / 2),
        Paragraph(
            clean(f"{department}部门整体支出绩效自评评分表"),
            ParagraphStyle("t", st.title, fontSize=18, leading=27, spaceBefore=0),
        ),
    ]
    heads = ["三级指标", "分值", "评分标准", "评分依据", "得分", "扣分", "扣分理由"]
    data = [[Cell(h, st.head) for h in heads]]
    bands, notes = [], []
    details = {r.node.id: r for r in detail_rows(doc, sheet)}

    def group(text: str) -> None:
        bands.append(len(data))
        data.append([Cell(clean(text), st.band)] + [""] * 6)

    def walk(node, prefix: str) -> None:
        if node.children:
            group(
                f"{prefix}{node.name}（{fmt(node.weight)} 分，得分 {fmt(node.score, '—')} 分，"
                f"得分率 {fmt_pct(node.score_rate, '—')}）"
            )
            for c in node.children:
                walk(c, "")
            return
        r = details[node.id]
        basis = (["；".join(r.figures)] if r.figures else []) + r.formula
        if node.problems:
            basis.append("问题：" + "；".join(node.problems))
        data.append(
            [
                Cell(clean(node.name), st.cell),
                fmt(node.weight),
                Cell(clean(r.standard), st.cell),
                Cell("<br/>".join(clean(x) for x in basis), st.cell),
                fmt(node.score, "—"),
                fmt(node.lost) if node.score is not None and node.lost else "",
                Cell(clean(r.reason), st.cell) if len(r.reason) <= LONG_REASON else Cell("见下行", st.cell),
            ]
        )
        if len(r.reason) > LONG_REASON:  # a long reason gets the full width of a row below
            notes.append(len(data))
            data.append([Cell(clean(f"{node.name}扣分理由：{r.reason}"), st.cell)] + [""] * 6)

    for n in sheet.nodes:
        walk(n, "")
    data.append(
        [
            Cell("合计", st.head),
            fmt(sum(n.weight for n in sheet.nodes)),
            "",
            "",
            fmt(sheet.total),
            fmt(sum(n.weight for n in sheet.nodes) - sheet.total),
            Cell(clean(f"评价等级：{sheet.grade}"), st.cell),
        ]
    )
    style = _style(st) + [("ALIGN", (1, 1), (1, -1), "CENTER"), ("ALIGN", (4, 1), (5, -1), "CENTER")]
    flow.append(
        ReportTable(data, _widths([22, 10, 36, 40, 10, 10, 28]), style, bands=bands, notes=notes, keep_last=2)
    )
    return flow
