"""Word renderer (自评报告.docx): lays out a core.report.Report with python-docx, editable, after GB/T 9704-2012.

A4; margins top 37 mm, left 28 mm (text block 156 × 225 mm); 22 lines of 28 characters (exact line spacing on a
line grid, characters condensed by 0.25 pt);
body 仿宋 三号 (16 pt) justified with a two-character first-line indent; headings are Word's own Heading 1–4
styles (黑体 一、, 楷体 （一）, 仿宋 1. and （1）) so the navigation pane shows the outline; page numbers
"— N —" as a PAGE field in 宋体 四号, odd pages right, even pages left; tables with merged cells (vMerge,
gridSpan) and the header row repeated; a 草稿 gets the notice under the cover and "草稿" in every page header.
Fonts are named for East Asian text too (w:eastAsia), so Word and WPS use them; 仿宋 rather than 仿宋_GB2312,
which Windows 10/11 no longer install.

Tables are written as WordprocessingML directly (one parse per table): python-docx's cell API looks the grid up
again for every cell, which is quadratic in a table's size.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from core import report as rp
from core.text import for_export

BODY_FONT, HEI, KAI, SONG, TITLE_FONT = "仿宋", "黑体", "楷体", "宋体", "方正小标宋简体"
BODY_PT = 16  # 三号
LINE_TWIPS = 580  # 225 mm / 22 lines
CONDENSE = -5  # 1/20 pt taken from each character: 16 pt − 0.25 pt, so 28 characters fill the 156 mm line
TEXT_WIDTH_TWIPS = 8844  # 156 mm
CELL_PT = 10.5  # 五号
RED = "C00000"
W = nsdecls("w")


def clean(text: str) -> str:
    """Text as WordprocessingML holds it: no control or invisible characters; tabs as spaces."""
    return for_export(text).replace("\t", " ")


# The order of the children of the elements written here (WordprocessingML's schema, ECMA-376 part 1 §17):
# Word calls a file with these out of order unreadable and offers to repair it.
ORDER = {
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText "
    "vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
    "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid "
    "printerSettings sectPrChange",
}


def _put(parent, xml: str) -> None:
    """Put a child element where the schema orders it (ORDER), replacing one of the same name."""
    element = parse_xml(xml)
    for old in parent.findall(element.tag):
        parent.remove(old)
    order = ORDER[parent.tag.split("}")[1]].split()
    name = element.tag.split("}")[1]
    parent.insert_element_before(element, *("w:" + n for n in order[order.index(name) + 1 :]))


def _fonts(
    element,
    name: str,
    size: float | None = None,
    bold: bool | None = None,
    color: str | None = None,
    condense=False,
):
    """Set a style's or run's fonts for Latin and East Asian text alike (Word and WPS read w:eastAsia)."""
    rpr = element.get_or_add_rPr()
    _put(rpr, f'<w:rFonts {W} w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>')
    if bold is not None:
        _put(rpr, f'<w:b {W} w:val="{int(bold)}"/>')
        _put(rpr, f'<w:bCs {W} w:val="{int(bold)}"/>')
    for tag in ("w:i", "w:iCs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    if color is not None:
        _put(rpr, f'<w:color {W} w:val="{color}"/>')
    if condense:
        _put(rpr, f'<w:spacing {W} w:val="{CONDENSE}"/>')
    if size is not None:
        _put(rpr, f'<w:sz {W} w:val="{int(size * 2)}"/>')
        _put(rpr, f'<w:szCs {W} w:val="{int(size * 2)}"/>')


def _para_props(
    style, *, first_chars: int = 0, align: str = "both", exact: int | None = LINE_TWIPS, keep=False, grid=True
):
    ppr = style.element.get_or_add_pPr()
    if keep:
        _put(ppr, f"<w:keepNext {W}/>")
    if not grid:  # off the document grid: table text and captions keep their own line height
        _put(ppr, f'<w:snapToGrid {W} w:val="0"/>')
    line = f' w:line="{exact}" w:lineRule="exact"' if exact else ' w:line="240" w:lineRule="auto"'
    _put(ppr, f'<w:spacing {W} w:before="0" w:after="0"{line}/>')
    _put(ppr, f'<w:ind {W} w:firstLineChars="{first_chars * 100}" w:firstLine="{first_chars * 320}"/>')
    _put(ppr, f'<w:jc {W} w:val="{align}"/>')


def _styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    _fonts(normal.element, BODY_FONT, BODY_PT, False, "000000", condense=True)
    _para_props(normal, first_chars=2)
    for level, font in ((1, HEI), (2, KAI), (3, BODY_FONT), (4, BODY_FONT)):
        style = styles[f"Heading {level}"]
        _fonts(style.element, font, BODY_PT, False, "000000", condense=True)
        _para_props(style, first_chars=2, align="left", keep=True)
    title = styles.add_style("报告标题", 1)
    _fonts(title.element, TITLE_FONT, 22, False, "000000")
    _para_props(title, align="center", exact=None, grid=False)
    title.paragraph_format.space_before = Pt(29)
    title.paragraph_format.space_after = Pt(29)
    for name, font, size, align, exact in (
        ("表题", HEI, 14, "center", None),
        ("表格文字", BODY_FONT, CELL_PT, "left", None),
        ("表格居中", BODY_FONT, CELL_PT, "center", None),
        ("表头", HEI, CELL_PT, "center", None),
        ("附件标记", HEI, BODY_PT, "left", LINE_TWIPS),
        ("附件标题", TITLE_FONT, 18, "center", None),
        ("附件说明", BODY_FONT, BODY_PT, "left", LINE_TWIPS),
        ("草稿说明", BODY_FONT, 12, "left", None),
        ("封面", BODY_FONT, BODY_PT, "left", LINE_TWIPS),
    ):
        style = styles.add_style(name, 1)
        style.base_style = normal
        colour = RED if name == "草稿说明" else "000000"
        # condensed to stay on the 28-character grid
        _fonts(style.element, font, size, False, colour, condense=name in ("封面", "附件说明"))
        first = 2 if name == "附件说明" else 0
        _para_props(style, first_chars=first, align=align, exact=exact, keep=name == "表题", grid=bool(exact))
    styles["附件说明"].paragraph_format.space_before = Pt(29)
    styles["附件标题"].paragraph_format.space_after = Pt(14)
    styles["草稿说明"].paragraph_format.space_after = Pt(8)


def _page(doc, draft: bool) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(21)  # the number's top 7 mm below the text
    _put(section._sectPr, f'<w:docGrid {W} w:type="lines" w:linePitch="{LINE_TWIPS}"/>')
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align, indent in (
        (section.footer, "right", 'w:right="320"'),
        (section.even_page_footer, "left", 'w:left="320"'),
    ):
        p = footer.paragraphs[0]
        _put(p._p.get_or_add_pPr(), f"<w:ind {W} {indent}/>")
        _put(p._p.get_or_add_pPr(), f'<w:jc {W} w:val="{align}"/>')
        run = f'<w:rPr><w:rFonts w:ascii="{SONG}" w:hAnsi="{SONG}" w:eastAsia="{SONG}"/><w:sz w:val="28"/></w:rPr>'
        for xml in (
            f'<w:r {W}>{run}<w:t xml:space="preserve">— </w:t></w:r>',
            f'<w:r {W}>{run}<w:fldChar w:fldCharType="begin"/></w:r>',
            f'<w:r {W}>{run}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
            f'<w:r {W}>{run}<w:fldChar w:fldCharType="separate"/></w:r>',
            f"<w:r {W}>{run}<w:t>1</w:t></w:r>",
            f'<w:r {W}>{run}<w:fldChar w:fldCharType="end"/></w:r>',
            f'<w:r {W}>{run}<w:t xml:space="preserve"> —</w:t></w:r>',
        ):
            p._p.append(parse_xml(xml))
    if draft:
        for header in (section.header, section.even_page_header):
            p = header.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            r = p.add_run("草稿")
            _fonts(r._r, HEI, 14, True, RED)


# ---------------------------------------------------------------------------------------------- tables


def _cell_xml(text: str, style: str, width: int, extra: str = "", shade: str = "") -> str:
    paras = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        + (f'<w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r>' if line else "")
        + "</w:p>"
        for line in (clean(text).split("\n") or [""])
    )
    fill = f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{extra}{fill}<w:vAlign w:val="center"/></w:tcPr>{paras}</w:tc>'


def _table_xml(doc, table: rp.Table) -> str:
    total = sum(c.width for c in table.columns)
    widths = [round(c.width * TEXT_WIDTH_TWIPS / total) for c in table.columns]
    ids = {name: doc.styles[name].style_id for name in ("表格文字", "表格居中", "表头")}
    border = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    out = [
        f'<w:tbl {W}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{border}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr><w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>",
        "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
        + "".join(
            _cell_xml(c.label, ids["表头"], w, shade="E0E0E0")
            for c, w in zip(table.columns, widths, strict=True)
        )
        + "</w:tr>",
    ]
    covered: dict[tuple[int, int], tuple[int, int]] = {}  # (row, col) under a vertical merge -> its columns
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            if cell is not None and cell.rows > 1:
                for k in range(r + 1, r + cell.rows):
                    covered[(k, c)] = (c, cell.cols)
    for r, row in enumerate(table.rows):
        bold = row.kind in ("group", "total")
        shade = "EDEDED" if row.kind == "group" else ""
        tcs = []
        c = 0
        while c < len(row.cells):
            cell = row.cells[c]
            if (r, c) in covered:
                _, span = covered[(r, c)]
                extra = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + "<w:vMerge/>"
                tcs.append(_cell_xml("", ids["表格文字"], sum(widths[c : c + span]), extra, shade))
                c += span
                continue
            if cell is None:  # covered by a horizontal span already written
                c += 1
                continue
            extra = f'<w:gridSpan w:val="{cell.cols}"/>' if cell.cols > 1 else ""
            if cell.rows > 1:
                extra += '<w:vMerge w:val="restart"/>'
            style = (
                ids["表头"]
                if bold and cell.align == "center"
                else ids["表格居中" if cell.align == "center" else "表格文字"]
            )
            xml = _cell_xml(cell.text, style, sum(widths[c : c + cell.cols]), extra, shade)
            if bold:
                xml = xml.replace("<w:r>", "<w:r><w:rPr><w:b/></w:rPr>")
            tcs.append(xml)
            c += cell.cols
        out.append("<w:tr>" + "".join(tcs) + "</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _plain_table(widths: list[int], rows: list[str]) -> str:
    """A table without a grid (the cover, the chart): the rows' XML as given."""
    return (
        f'<w:tbl {W}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/>'
        '<w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>'
        + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        + "</w:tblGrid>"
        + "".join(rows)
        + "</w:tbl>"
    )


def _chart(doc, chart: rp.Chart) -> None:
    """图1 as an editable table: indicator, a bar of blocks (one per 5 %), the rate."""
    doc.add_paragraph(clean(chart.caption), "表题")
    text, center = doc.styles["表格文字"].style_id, doc.styles["表格居中"].style_id
    widths = [2400, 5200, 1244]
    rows = []
    for name, rate, shown in chart.bars:
        bar = _cell_xml("█" * round(float(rate) / 5), text, widths[1]).replace(
            "<w:r>", '<w:r><w:rPr><w:color w:val="5973A0"/></w:rPr>'
        )
        rows.append(
            f"<w:tr>{_cell_xml(name, text, widths[0])}{bar}{_cell_xml(shown, center, widths[2])}</w:tr>"
        )
    doc.element.body.append(parse_xml(_plain_table(widths, rows)))


# ---------------------------------------------------------------------------------------------- the document


def _cover(doc, report: rp.Report) -> None:
    """Label and value; a line under each value; a light box, as tall as its room, where a seal or a signature
    goes."""
    style = doc.styles["封面"].style_id
    widths = [3288, 5556]  # 58 mm and 98 mm: "单位负责人（签章）：" and a 17-character name on one line each
    rows = []
    for line in report.cover:
        box = (
            '<w:top w:val="single" w:sz="2" w:color="B0B0B0"/><w:left w:val="single" w:sz="2" w:color="B0B0B0"/>'
            '<w:right w:val="single" w:sz="2" w:color="B0B0B0"/>'
            if line.room > 1
            else ""
        )
        lines = f'<w:tcBorders>{box}<w:bottom w:val="single" w:sz="4" w:color="000000"/></w:tcBorders>'
        label = _cell_xml(line.label + "：", style, widths[0]).replace("center", "bottom")
        value = _cell_xml(line.value, style, widths[1], lines).replace(
            '<w:vAlign w:val="center"/>', '<w:vAlign w:val="bottom"/>'
        )
        height = f'<w:trPr><w:trHeight w:val="{line.room * LINE_TWIPS}" w:hRule="exact"/></w:trPr>'
        rows.append(f"<w:tr>{height}{label}{value}</w:tr>")
    doc.element.body.append(parse_xml(_plain_table(widths, rows)))
    doc.add_paragraph("", "封面")


def _hang(p, text: str) -> None:
    """附件 lines: a second line starts under the annex's name, after "附件：1. " (GB/T 9704 回行对齐)."""
    at = text.find("《")
    if at <= 0:
        return
    prefix = sum(320 if ord(ch) > 0x2000 else 160 for ch in text[:at])  # twips at 16 pt: wide, narrow
    _put(
        p._p.get_or_add_pPr(),
        f'<w:ind {W} w:leftChars="0" w:left="{640 + prefix}" w:firstLineChars="0" w:hanging="{prefix}"/>',
    )


def render_docx(report: rp.Report, *, progress=None, cancelled=None) -> tuple[bytes, list[str]]:
    """The report as .docx bytes, and the notes for the user (the fonts it names)."""
    doc = Document()
    # document properties hold at most 255 characters (python-docx refuses more); the text itself is in the body
    doc.core_properties.title = clean(report.title)[:255]
    doc.core_properties.author = clean(report.department)[:255]
    doc.core_properties.comments = "绩效自评助手"
    _styles(doc)
    _page(doc, report.draft)
    body = doc.element.body
    sect = body[-1]  # the section's properties stay the body's last element
    body.remove(sect)
    doc.add_paragraph(clean(report.title), "报告标题")
    if report.cover:
        _cover(doc, report)
    if report.draft:
        doc.add_paragraph(clean(report.draft_note), "草稿说明")
    for block in report.body:
        if isinstance(block, rp.Heading):
            doc.add_paragraph(clean(block.text), f"Heading {min(block.level, 4)}")
        elif isinstance(block, rp.Paragraph):
            style = {"closing": "附件说明", "note": "草稿说明"}.get(block.style, "Normal")
            p = doc.add_paragraph(clean(block.text), style)
            if block.style == "closing":
                _hang(p, block.text)
        elif isinstance(block, rp.Table):
            doc.add_paragraph(clean(block.caption), "表题")
            body.append(parse_xml(_table_xml(doc, block)))
            for note in block.notes:
                doc.add_paragraph(clean(note), "表格文字")
            doc.add_paragraph("", "表格文字")
        elif isinstance(block, rp.Chart):
            _chart(doc, block)
        if cancelled and cancelled():
            from core.export import Cancelled

            raise Cancelled("已取消导出")
    for annex in report.annexes:
        p = doc.add_paragraph("", "附件标记")
        p.add_run().add_break(WD_BREAK.PAGE)
        p.add_run(clean(annex.label))
        doc.add_paragraph(clean(annex.title), "附件标题")
        body.append(parse_xml(_table_xml(doc, annex.table)))
        for note in annex.table.notes:
            doc.add_paragraph(clean(note), "表格文字")
    body.append(sect)
    if progress:
        progress(0.8, "Word 已排版")
    out = io.BytesIO()
    doc.save(out)
    notes = [
        f"Word 字体：正文 {BODY_FONT}，标题 {HEI}、{KAI}，题目 {TITLE_FONT}（电脑上没有的字体由 Word / WPS 替换）"
    ]
    return out.getvalue(), notes
