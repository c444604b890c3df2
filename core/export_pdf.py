"""PDF renderer (自评报告.pdf): lays out a core.report.Report after GB/T 9704-2012 with reportlab.

A4, text block 156 × 225 mm at 28 mm from the left and 37 mm from the top; body 仿宋 16 pt on 22 lines of 28
characters (the character pitch is 156 mm ÷ 28, as Word's document grid does), justified; 一、 in 黑体, （一） in
楷体; page numbers "— N —" in 宋体 14 pt, 7 mm below the text block, odd pages right, even pages left; tables
10.5 pt with the header row repeated on each page; headings are PDF bookmarks.

Text is drawn by `Text`, a flowable of plain text (never markup) broken into lines by core.cjk, which is linear
in the text's length; a character the font lacks is drawn in the bundled font. reportlab's Paragraph is not
used: it parses markup and re-breaks the rest of a paragraph at every page.
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
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
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as RLTable

from core import cjk, fonts
from core import report as rp
from core.export import Cancelled
from core.text import for_export

PAGE_W, PAGE_H = A4
LEFT, TOP, WIDTH, HEIGHT = 28 * mm, 37 * mm, 156 * mm, 225 * mm
BOTTOM = PAGE_H - TOP - HEIGHT
BODY = 16  # 3号
LEADING = HEIGHT / 22 - 0.01  # 22 lines a page
PITCH = WIDTH / 28  # 28 characters a line
TITLE = 22  # 2号
CAPTION = 14  # 4号
CELL = 10.5  # 5号
CELL_LEADING = 14
PAGE_NO = 14  # 4号
PAGE_NO_GAP = 7 * mm
MIN_ROW = CELL_LEADING + 5  # one line and the paddings: no row is lower
BAND = colors.Color(0.93, 0.93, 0.93)
HEAD = colors.Color(0.88, 0.88, 0.88)
REPLACEMENT = "□"  # printed for a character that no available font has


# ---------------------------------------------------------------------------------------------- fonts


class Face:
    """A registered font: its reportlab name, advance widths (per 1,000 em) and the characters it has."""

    def __init__(self, name: str):
        font = pdfmetrics.getFont(name)
        self.name = name
        self.widths = font.face.charWidths
        self.default = font.face.defaultWidth
        self.has = font.face.charToGlyph


class Fonts:
    """The report's faces by role (fangsong, heiti, songti, kaiti, title) and the bundled face for characters a
    role's font lacks. `files` names the file each role uses (for the export's message)."""

    def __init__(self, found: dict[str, fonts.FontFile] | None = None):
        found = found or fonts.find_fonts()
        names, self.files = {}, {}
        fallback = _register(fonts.bundled_font())
        for role in fonts.ROLES:
            name = _register(found[role])
            used = found[role]
            if name is None and role == "title":
                name, used = names["heiti"], self.files["heiti"]
            if name is None:
                name, used = fallback, fonts.bundled_font()
            names[role], self.files[role] = name, used
        self.names = names
        self.faces = {role: Face(n) for role, n in names.items()}
        self.fallback = Face(fallback)
        self._plans: dict = {}
        self.missing: dict[int, str] = {}  # characters no face has -> what is drawn instead (str.translate)

    def plan(self, role: str, text: str) -> dict[str, tuple[str, float]]:
        """For each distinct character of `text`: the face to draw it in and its advance (per 1,000 em); a
        character no face has is drawn as REPLACEMENT."""
        face, fb = self.faces[role], self.fallback
        cache = self._plans.setdefault(role, {})
        for ch in set(text) - cache.keys():
            code = ord(ch)
            if code in face.has or ch == "\n":
                cache[ch] = (face.name, face.widths.get(code, face.default))
            elif code in fb.has:
                cache[ch] = (fb.name, fb.widths.get(code, fb.default))
            else:
                cache[ch] = (fb.name, fb.widths.get(ord(REPLACEMENT), fb.default))
                self.missing[code] = REPLACEMENT
        return cache

    def describe(self) -> str:
        """ "PDF 字体：正文 仿宋（simfang.ttf）；标题 黑体（simhei.ttf）…", roles sharing a file said once."""
        labels = {
            "fangsong": "正文",
            "heiti": "一级标题",
            "kaiti": "二级标题",
            "title": "题目",
            "songti": "页码",
        }
        by_file: dict[str, list[str]] = {}
        for role, label in labels.items():
            f = self.files[role]
            where = "程序自带" if f.bundled else Path(f.path).name
            by_file.setdefault(f"{fonts.family_of(f)}（{where}）", []).append(label)
        text = "；".join(f"{'、'.join(roles)} {font}" for font, roles in by_file.items())
        missing = [
            fonts.ROLE_LABELS[r] for r in ("fangsong", "heiti", "kaiti", "songti") if self.files[r].bundled
        ]
        if missing:
            text += f"。本机未找到{'、'.join(missing)}字体，以程序自带字体代替"
        return "PDF 字体：" + text


_registered: dict[tuple[str, int], str] = {}


def _register(font: fonts.FontFile) -> str | None:
    """Register a font file with reportlab once; None if it will not load (the bundled one must)."""
    key = (str(font.path), font.index)
    if key not in _registered:
        name = f"JX-{Path(font.path).stem}-{font.index}"
        try:
            pdfmetrics.registerFont(TTFont(name, str(font.path), subfontIndex=font.index))
        except (TTFError, OSError, ValueError, KeyError, IndexError, AssertionError, TypeError):
            if font.bundled:
                raise
            return None
        _registered[key] = name
    return _registered[key]


def register_fonts(found: dict[str, fonts.FontFile] | None = None) -> dict[str, str]:
    """The reportlab font name of each role."""
    return Fonts(found).names


# ---------------------------------------------------------------------------------------------- text


class Style:
    def __init__(
        self,
        role: str,
        size: float,
        leading: float,
        *,
        indent: float = 0,
        align: str = "justify",
        hang: bool = False,
        words: bool = False,
        balanced: bool = False,
        pitch: float | None = None,
        before: float = 0,
        after: float = 0,
        color=colors.black,
        hang_at: str = "",
    ):
        self.role, self.size, self.leading, self.indent = role, size, leading, indent
        self.hang_at = hang_at  # lines after the first start under this character of the first line
        self.align, self.hang, self.words, self.balanced = align, hang, words, balanced
        self.tracking = (pitch - size) if pitch else 0.0  # added to every character's advance
        self.before, self.after, self.color = before, after, color


class Layout:
    """A text broken into lines at one width: shared by the pieces of a split paragraph."""

    def __init__(self, text: str, style: Style, fonts_: Fonts, width: float, indent: float):
        plan = fonts_.plan(style.role, text)
        scale = style.size / 1000
        self.text = text
        self.widths = [plan[ch][1] * scale + style.tracking for ch in text]
        self.plan = plan
        at = text.find(style.hang_at) if style.hang_at else -1
        self.first_indent = indent
        self.rest_indent = indent + sum(self.widths[:at]) if at > 0 else 0.0
        if style.balanced:
            self.lines = cjk.balanced(text, self.widths, width, words=style.words, hang=style.hang)
        else:
            self.lines = cjk.break_lines(
                text,
                self.widths,
                width - self.rest_indent,
                first_width=width - indent,
                hang=style.hang,
                words=style.words,
            )
        if not self.lines:
            self.lines = [(0, 0)]
        self.width = width


class Text(Flowable):
    """Plain text in one style: lines [first, last) of a Layout."""

    def __init__(
        self,
        text: str,
        style: Style,
        fonts_: Fonts,
        *,
        outline: int | None = None,
        keep: bool = False,
        raw=False,
    ):
        super().__init__()
        # `raw`: a piece of a text cleaned already (cleaning it again on every page would be quadratic)
        self.text = text if raw else for_export(text).replace("\t", " ")
        self.style, self.fonts = style, fonts_
        self.outline = outline  # bookmark level
        self.keep = keep  # a heading or caption: kept with what follows
        self._layout: Layout | None = None
        self._first, self._last = 0, None
        self._cont = False  # a continuation: no space before, no first-line indent

    def _lay(self, width: float) -> Layout:
        if self._layout is None or abs(self._layout.width - width) > 1e-6:
            if self._layout is not None and (self._first or self._last is not None):
                lines = self._layout.lines  # a piece laid out again at another width: its own text only
                last = len(lines) if self._last is None else self._last
                self.text = self.text[lines[self._first][0] : lines[last - 1][1]]
            self._layout = Layout(
                self.text, self.style, self.fonts, width, 0 if self._cont else self.style.indent
            )
            self._first, self._last = 0, None
        return self._layout

    def _count(self) -> int:
        last = len(self._layout.lines) if self._last is None else self._last
        return last - self._first

    def wrap(self, availWidth, availHeight):
        self._lay(availWidth)
        self.width = availWidth
        self.height = self._count() * self.style.leading
        return self.width, self.height

    def getSpaceBefore(self):
        return 0 if self._cont else self.style.before

    def getSpaceAfter(self):
        return self.style.after

    def split(self, availWidth, availHeight):
        # at the width it was last wrapped at: a table splitting a row passes the column's width, paddings and all
        layout = self._layout or self._lay(availWidth)
        n = self._count()
        fit = int((availHeight + 1e-6) // self.style.leading)
        if n - fit < 2:
            fit = n - 2  # two lines at least on the next page
        if fit < 2 or fit >= n:  # two lines at least here
            return []
        first, rest = (
            self._piece(self._first, self._first + fit, layout),
            self._piece(self._first + fit, self._first + n, layout),
        )
        rest._cont = True
        return [first, rest]

    def _piece(self, a: int, b: int, layout: Layout) -> Text:
        t = Text(self.text, self.style, self.fonts, outline=self.outline if a == 0 else None, raw=True)
        t._layout, t._first, t._last, t._cont = layout, a, b, self._cont or a > 0
        return t

    def plain(self) -> str:
        return self.text

    def draw(self):
        layout, st = self._layout, self.style
        canvas = self.canv
        canvas.setFillColor(st.color)
        text, widths, plan = layout.text, layout.widths, layout.plan
        lines = layout.lines
        last = len(lines) if self._last is None else self._last
        size = st.size
        y = self.height - st.leading / 2 - size * 0.36  # glyphs centred on each line of the grid
        canvas.setFont(self.fonts.names[st.role], size)  # else the text object starts in Helvetica
        t = canvas.beginText()
        for k in range(self._first, last):
            a, b = lines[k]
            indent = layout.first_indent if k == 0 else layout.rest_indent
            room = layout.width - indent
            used = sum(widths[a:b])
            hung = st.hang and b > a and text[b - 1] in cjk.HANGING and used > room + 1e-6
            core_used = used - (widths[b - 1] if hung else 0)
            extra, x = 0.0, indent
            ends_paragraph = k == len(lines) - 1 or (b < len(text) and text[b] == "\n")
            if st.align == "justify" and not ends_paragraph:
                gaps = (b - a) - (2 if hung else 1)
                if gaps > 0 and room > core_used:
                    extra = (room - core_used) / gaps
            elif st.align == "center":
                x += (room - core_used) / 2
            elif st.align == "right":
                x += room - core_used
            t.setTextOrigin(x, y)
            t.setCharSpace(st.tracking + extra)
            start, face = a, None
            for i in range(a, b + 1):
                f = plan[text[i]][0] if i < b else None
                if f != face or i == b:
                    if i > start and face is not None:
                        t.setFont(face, size)
                        t.textOut(_printable(text[start:i], plan, self.fonts))
                    start, face = i, f
            y -= st.leading
        canvas.drawText(t)

    def getPlainText(self):
        return self.text


def _printable(run: str, plan, fonts_: Fonts) -> str:
    """A run as drawn: a character no face has becomes REPLACEMENT."""
    return run.translate(fonts_.missing) if fonts_.missing else run


# ---------------------------------------------------------------------------------------------- styles


class Styles:
    def __init__(self, f: Fonts):
        self.fonts = f
        self.body = Style("fangsong", BODY, LEADING, indent=2 * PITCH, hang=True, pitch=PITCH)
        self.h1 = Style("heiti", BODY, LEADING, indent=2 * PITCH, align="left", pitch=PITCH)
        self.h2 = Style("kaiti", BODY, LEADING, indent=2 * PITCH, align="left", pitch=PITCH)
        self.h3 = Style("fangsong", BODY, LEADING, indent=2 * PITCH, align="left", pitch=PITCH)
        self.title = Style(
            "title",
            TITLE,
            TITLE * 1.5,
            align="center",
            words=True,
            balanced=True,
            before=LEADING,
            after=LEADING,
        )
        self.annex_title = Style(
            "title", 18, 27, align="center", words=True, balanced=True, after=LEADING / 2
        )
        self.annex = Style("heiti", BODY, LEADING, align="left", pitch=PITCH)
        self.caption = Style("heiti", CAPTION, LEADING, align="center", words=True, balanced=True)
        self.closing = Style(
            "fangsong",
            BODY,
            LEADING,
            indent=2 * PITCH,
            align="left",
            pitch=PITCH,
            before=LEADING,
            hang_at="《",
        )
        self.note = Style("fangsong", 12, 18, align="left", color=colors.Color(0.75, 0, 0), before=6, after=6)
        self.cover = Style("fangsong", BODY, LEADING, align="left", pitch=PITCH)
        self.cell = Style("fangsong", CELL, CELL_LEADING, align="left", words=True)
        self.cell_c = Style("fangsong", CELL, CELL_LEADING, align="center", words=True)
        self.head = Style("heiti", CELL, CELL_LEADING, align="center", words=True)
        self.group = Style("heiti", CELL, CELL_LEADING, align="left", words=True)
        self.group_c = Style("heiti", CELL, CELL_LEADING, align="center", words=True)

    def heading(self, level: int) -> Style:
        return {1: self.h1, 2: self.h2}.get(level, self.h3)

    def text(self, text: str, style: Style, **kw) -> Text:
        return Text(text, style, self.fonts, **kw)


# ---------------------------------------------------------------------------------------------- document


class _Document(BaseDocTemplate):
    """Adds each heading with an outline level to the PDF's bookmarks; reports progress per page."""

    _level = -1
    progress = None
    cancelled = None

    def afterFlowable(self, flowable):
        level = getattr(flowable, "outline", None)
        if level is None:
            return
        level = min(level, self._level + 1)  # a bookmark level cannot skip one
        key = f"h{id(flowable)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=level > 0)
        self._level = level

    def afterPage(self):
        if self.cancelled and self.cancelled():
            raise Cancelled("已取消导出")
        if self.progress:
            self.progress(self.page)


def render_pdf(report: rp.Report, *, found=None, progress=None, cancelled=None) -> tuple[bytes, list[str]]:
    """The report as PDF bytes, and the notes for the user (the fonts used)."""
    f = Fonts(found)
    st = Styles(f)
    flow = keep_with_next(story(report, st))
    out = io.BytesIO()
    pdf = _Document(
        out,
        pagesize=A4,
        title=for_export(report.title),
        author=for_export(report.department),
        subject=for_export(report.title),
        creator="绩效自评助手",
        lang="zh-CN",
        initialFontName=f.names["fangsong"],
    )
    if progress:
        estimate = max(1, _estimate_pages(report))
        pdf.progress = lambda page: progress(min(0.99, page / estimate), f"PDF 第 {page} 页")
    pdf.cancelled = cancelled
    frame = Frame(
        LEFT, BOTTOM, WIDTH, HEIGHT, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body"
    )
    pdf.addPageTemplates([PageTemplate("page", [frame], onPage=_decorate(st, report.draft))])
    pdf.build(flow)
    return out.getvalue(), [f.describe()]


def _estimate_pages(report: rp.Report) -> int:
    chars = sum(len(b.text) for b in report.body if isinstance(b, (rp.Paragraph, rp.Heading)))
    rows = sum(len(t.rows) for t in report.tables())
    return 2 + chars // 600 + rows // 12


def _decorate(st: Styles, draft: bool):
    fonts_ = st.fonts

    def on_page(canvas, pdf) -> None:
        canvas.saveState()
        if draft:
            canvas.setFillColor(colors.Color(0.5, 0.5, 0.5, alpha=0.3))
            canvas.setFont(fonts_.names["heiti"], 150)
            canvas.translate(PAGE_W / 2, PAGE_H / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, -50, "草稿")
            canvas.restoreState()
            canvas.saveState()
        n = canvas.getPageNumber()
        canvas.setFont(fonts_.names["songti"], PAGE_NO)
        y = BOTTOM - PAGE_NO_GAP - PAGE_NO * 0.8  # the number's top 7 mm below the text block
        text = f"— {n} —"
        if n % 2:
            canvas.drawRightString(LEFT + WIDTH - PAGE_NO, y, text)
        else:
            canvas.drawString(LEFT + PAGE_NO, y, text)
        canvas.restoreState()

    return on_page


def story(report: rp.Report, st: Styles) -> list:
    flow: list = [st.text(report.title, st.title)] + ([_cover(report, st)] if report.cover else [])
    if report.draft:
        flow.append(st.text(report.draft_note, st.note))
    for block in report.body:
        flow += _block(block, st)
    for annex in report.annexes:
        flow += [
            PageBreak(),
            st.text(annex.label, st.annex, outline=0),
            Spacer(1, LEADING / 2),
            st.text(annex.title, st.annex_title),
            _table(annex.table, st),
        ]
        flow += [st.text(n, st.cell) for n in annex.table.notes]
    return flow


def _block(block, st: Styles) -> list:
    if isinstance(block, rp.Heading):
        return [st.text(block.text, st.heading(block.level), outline=block.level - 1, keep=True)]
    if isinstance(block, rp.Paragraph):
        style = {"closing": st.closing, "note": st.note}.get(block.style, st.body)
        return [st.text(block.text, style)]
    if isinstance(block, rp.Table):
        return [
            st.text(block.caption, st.caption, keep=True),
            _table(block, st),
            *[st.text(n, st.cell) for n in block.notes],
            Spacer(1, LEADING / 2),
        ]
    if isinstance(block, rp.Chart):
        return [st.text(block.caption, st.caption, keep=True), *_chart(block, st)]
    raise TypeError(block)


def _cover(report: rp.Report, st: Styles) -> RLTable:
    label_w = 57 * mm
    data = [[st.text(line.label + "：", st.cover), st.text(line.value, st.cover)] for line in report.cover]
    t = RLTable(
        data, colWidths=[label_w, WIDTH - label_w], rowHeights=[line.room * LEADING for line in report.cover]
    )
    style = [
        ("FONT", (0, 0), (-1, -1), st.fonts.names["fangsong"], BODY),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LINEBELOW", (1, 0), (1, -1), 0.5, colors.black),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, -1), 0),
        ("LEFTPADDING", (1, 0), (1, -1), 2),
        ("RIGHTPADDING", (1, 0), (1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for i, line in enumerate(report.cover):
        if line.room > 1:  # a blank box where the seal or the signature goes
            style.append(("BOX", (1, i), (1, i), 0.3, colors.Color(0.7, 0.7, 0.7)))
    t.setStyle(TableStyle(style))
    t.spaceAfter = LEADING / 2
    return t


def keep_with_next(flow: list) -> list:
    """Before each run of headings, a conditional page break asking room for the run and the start of what follows
    (two lines of text, a table's header and first rows, a whole chart)."""
    out: list = []
    run: list = []
    for f in flow:
        if isinstance(f, Text) and f.keep:
            run.append(f)
            continue
        if run:
            need = sum(h.wrap(WIDTH, HEIGHT)[1] + h.getSpaceBefore() for h in run)
            if isinstance(f, ReportTable):
                need += 110
            elif isinstance(f, Drawing):
                need += f.height  # a chart does not split
            # what of a text must stand on this page: 2 lines, or all if it cannot split
            elif isinstance(f, Text):
                lines = round(f.wrap(WIDTH, HEIGHT)[1] / f.style.leading)
                need += f.getSpaceBefore() + (lines if lines < 4 else 2) * f.style.leading
            else:
                need += 2 * LEADING
            out += [CondPageBreak(need), *run]
            run = []
        out.append(f)
    return out + run


# ---------------------------------------------------------------------------------------------- tables


def _table(table: rp.Table, st: Styles) -> ReportTable:
    total = sum(c.width for c in table.columns)
    widths = [c.width * WIDTH / total for c in table.columns]
    rows = [[st.text(c.label, st.head) for c in table.columns]]
    kinds = ["head"]
    spans = []
    for r, row in enumerate(table.rows, 1):
        cells = []
        for c, cell in enumerate(row.cells):
            if cell is None:
                cells.append("")
                continue
            bold = row.kind in ("group", "total")
            style = (
                (st.group_c if bold else st.cell_c)
                if cell.align == "center"
                else (st.group if bold else st.cell)
            )
            cells.append(st.text(cell.text, style))
            if cell.rows > 1 or cell.cols > 1:
                spans.append((r, c, r + cell.rows - 1, c + cell.cols - 1))
        rows.append(cells)
        kinds.append(row.kind)
    return ReportTable(rows, widths, spans, kinds, st.fonts.names["fangsong"])


def _style(font: str) -> list:
    return [
        ("FONT", (0, 0), (-1, -1), font, CELL),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD),
    ]


class ReportTable(Flowable):
    """A report table (表1, 表2, 附件1) that splits itself across pages.

    Row 0 is the header, repeated on each page. `spans` are merged cells (first row, first column, last row, last
    column); `kinds` say what each row is: a group row is kept with the row below, a short note row with the row
    above, the total rows at the end together with the row above them. reportlab splits a table only outside
    merged cells (a 一级 cell of 100 rows could never split), fails splitting inside a row of a table with merged
    cells, and measures the whole rest of a table on every page. This one builds a reportlab Table only for what
    fits a page, splits between any two rows (each part merges its own rows and repeats the merged text), and
    splits inside a tall row (see _inside) on the page where it starts.
    """

    def __init__(self, rows: list[list], widths: list[float], spans, kinds: list[str], font: str):
        super().__init__()
        self._rows, self._widths, self._spans, self._kinds = rows, widths, list(spans), kinds
        self._font = font
        self._table: RLTable | None = None
        self.hAlign = "CENTER"

    @property
    def keep_last(self) -> int:
        n = 0
        while n < len(self._kinds) - 1 and self._kinds[-1 - n] == "total":
            n += 1
        return n + 1 if n else 1

    def table(self) -> RLTable:
        if self._table is None:
            t = RLTable([list(r) for r in self._rows], colWidths=self._widths, repeatRows=1, hAlign="CENTER")
            style = _style(self._font) + [("SPAN", (c1, r1), (c2, r2)) for r1, c1, r2, c2 in self._spans]
            style += [
                ("BACKGROUND", (0, r), (-1, r), BAND) for r, k in enumerate(self._kinds) if k == "group"
            ]
            t.setStyle(TableStyle(style))
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
        keep = self.keep_last
        if n <= total - keep or total - keep > 1 or availHeight < HEIGHT - 1:
            n = min(n, total - keep)
        # else the last rows kept together are taller than a whole page: they split like any others
        if n < len(heights) and self._inside(heights[n], availHeight - sum(heights[:n]), heights[0]):
            parts = self._split_row(n, availWidth, availHeight, sum(heights[:n]))  # row n starts on this page
            if parts:
                return parts
        kinds, kept = self._kinds, n
        while kept > 1 and (
            kinds[kept - 1] == "group"
            or kinds[kept] == "note"
            and kept < len(heights)
            and heights[kept] < HEIGHT / 3
        ):
            kept -= 1
        if kept > 1 or availHeight < HEIGHT - 1:
            n = kept
        # else what is kept together is taller than a whole page: it splits like any other rows
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
            for r1, c1, r2, _c2 in rest._spans:
                if r1 == 1 and r2 > 1:  # a merged cell going on below: its text again
                    there[c1] = rest._rows[1][c1]
            rest._rows[1] = there
            if first.wrap(availWidth, availHeight)[1] <= availHeight:
                return [first, rest]
        return []

    def _pieces(self, n: int, availWidth: float, availHeight: float, room: float) -> tuple[list, list] | None:
        """Row n's cells split in two, the first piece no taller than `room`."""
        # reportlab splits a row inside a table without merged cells; short cells stay in the first piece
        own = [("SPAN", (c1, 1), (c2, 1)) for r1, c1, r2, c2 in self._spans if r1 == r2 == n]
        one = RLTable(
            [list(self._rows[0]), list(self._rows[n])],
            colWidths=self._widths,
            repeatRows=1,
            splitInRow=1,
            hAlign="CENTER",
        )
        one.setStyle(TableStyle(_style(self._font) + own + [("VALIGN", (0, 1), (-1, 1), "TOP")]))
        one.wrap(availWidth, availHeight)
        parts = one.split(availWidth, one._rowHeights[0] + room)  # its own header row, then the room
        return (list(parts[0]._cellvalues[1]), list(parts[1]._cellvalues[1])) if len(parts) == 2 else None

    def _part(self, start: int, stop: int) -> ReportTable:
        """The header and rows start … stop - 1, merged cells clipped to them, their text on their first row."""
        rows = [self._rows[0]] + [list(r) for r in self._rows[start:stop]]
        spans = []
        for r1, c1, r2, c2 in self._spans:
            a, b = max(r1, start), min(r2, stop - 1)
            if a <= b:
                rows[a - start + 1][c1] = self._rows[r1][c1]
                if (a, c1) != (b, c2):
                    spans.append((a - start + 1, c1, b - start + 1, c2))
        return ReportTable(rows, self._widths, spans, ["head"] + self._kinds[start:stop], self._font)


# ---------------------------------------------------------------------------------------------- chart

CHART_ROWS = 30  # bars per drawing (30 fill most of a page); more indicators give more drawings


def _chart(chart: rp.Chart, st: Styles) -> list:
    fonts_ = st.fonts
    name = fonts_.names["fangsong"]
    out = []
    for start in range(0, len(chart.bars), CHART_ROWS):
        part = chart.bars[start : start + CHART_ROWS][
            ::-1
        ]  # the chart draws its first category at the bottom
        bar = 16
        d = Drawing(WIDTH, bar * len(part) + 30, initialFontName=name)
        c = HorizontalBarChart()
        c.x, c.y, c.width, c.height = 36 * mm, 22, WIDTH - 36 * mm - 14 * mm, bar * len(part)
        c.data = [[float(rate) for _, rate, _ in part]]
        c.valueAxis.valueMin, c.valueAxis.valueMax, c.valueAxis.valueStep = 0, 100, 20
        c.valueAxis.labels.fontName = name
        c.valueAxis.labels.fontSize = 9
        c.valueAxis.labelTextFormat = "%d%%"
        c.categoryAxis.categoryNames = [
            _in_face(n if len(n) <= 10 else n[:9] + "…", fonts_) for n, _, _ in part
        ]
        c.categoryAxis.labels.fontName = name
        c.categoryAxis.labels.fontSize = 9
        c.categoryAxis.labels.boxAnchor = "e"
        c.categoryAxis.labels.dx = -4
        c.bars[0].fillColor = colors.Color(0.35, 0.45, 0.6)
        c.bars[0].strokeColor = None
        c.barSpacing, c.groupSpacing = 0, 5
        labels = {float(rate): text for _, rate, text in part}
        c.barLabelFormat = lambda v, labels=labels: labels.get(v, "")
        c.barLabels.fontName = name
        c.barLabels.fontSize = 8
        c.barLabels.boxAnchor = "w"
        c.barLabels.dx = 3
        d.add(c)
        out.append(d)
    return out


def _in_face(text: str, fonts_: Fonts) -> str:
    """A chart label in one font: characters the body font lacks are replaced."""
    face = fonts_.faces["fangsong"]
    return "".join(ch if ord(ch) in face.has else REPLACEMENT for ch in for_export(text))
