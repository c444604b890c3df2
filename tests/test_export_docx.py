"""The Word report: opened with python-docx (styles, fonts, page set-up, merged cells) and converted with
LibreOffice headless (page count, text, page numbers), as Word, WPS and LibreOffice users get it."""

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from core.drafts import load
from core.export import write
from core.scoring import score
from tests.conftest import EXAMPLE


def final(doc):
    doc.facts["evaluation_date"] = "2021-04"  # the seed's one 审核 error: without it the export is final
    return doc


def to_pdf(path: Path) -> Path:
    """LibreOffice headless, with a profile of its own (another soffice may be running)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (apt package libreoffice-writer) is needed to look at the Word export"
    profile = path.parent / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(path.parent),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return path.with_suffix(".pdf")


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "报告.docx"
    write(final(load(EXAMPLE)), path)
    return path


@pytest.fixture(scope="module")
def seed_docx_pdf(seed_docx):
    return to_pdf(seed_docx)


def east_asia(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_every_paragraph_of_the_seed_is_there_and_the_numbers_are_the_scores(seed_docx):
    d = docx.Document(str(seed_docx))
    text = "\n".join(p.text for p in d.paragraphs)
    seed = load(EXAMPLE)
    for key, narrative in seed.narrative.items():
        for line in narrative.splitlines():
            if line.strip():
                assert " ".join(line.split()) in text, (key, line)
    assert "本指标总分 55 分，得分 48.96 分，得分率 89.02%" in text
    assert "49.07" not in text and "89.22%" not in text
    assert "附件：1. 《深圳市福田区数字化城管技术服务中心部门整体支出绩效自评评分表》" in text
    closing = next(p for p in d.paragraphs if p.text.startswith("附件："))
    ind = closing._p.pPr.find(qn("w:ind"))  # a second line goes on under the name (GB/T 9704)
    assert int(ind.get(qn("w:left"))) - int(ind.get(qn("w:hanging"))) == 640
    assert "草稿" not in text


def test_headings_are_word_headings_with_the_report_fonts(seed_docx):
    d = docx.Document(str(seed_docx))
    by_text = {p.text: p.style.name for p in d.paragraphs}
    assert by_text["一、部门基本情况"] == "Heading 1"
    assert by_text["（一）部门主要职能"] == "Heading 2"
    assert by_text["1. 2020年部门预算编制总体情况"] == "Heading 3"
    assert by_text["（一）“部门决策”指标评分情况"] == "Heading 2"
    styles = d.styles
    assert east_asia(styles["Normal"]) == "仿宋" and styles["Normal"].font.size.pt == 16
    assert east_asia(styles["Heading 1"]) == "黑体" and styles["Heading 1"].font.size.pt == 16
    assert east_asia(styles["Heading 2"]) == "楷体"
    assert styles["Heading 1"].font.bold is False and not styles["Heading 1"].font.italic
    normal = styles["Normal"].element.pPr
    assert normal.find(qn("w:jc")).get(qn("w:val")) == "both"  # justified
    assert normal.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"  # two characters in


def test_page_is_gb_t_9704_with_page_numbers_as_fields(seed_docx):
    d = docx.Document(str(seed_docx))
    s = d.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert (round(s.top_margin.mm), round(s.left_margin.mm)) == (37, 28)
    assert round((s.page_width - s.left_margin - s.right_margin) / 36000) == 156  # EMU per mm
    assert round((s.page_height - s.top_margin - s.bottom_margin) / 36000) == 225
    assert d.settings.odd_and_even_pages_header_footer
    for footer, align in ((s.footer, "right"), (s.even_page_footer, "left")):
        p = footer.paragraphs[0]._p
        assert p.pPr.find(qn("w:jc")).get(qn("w:val")) == align
        assert "".join(t.text for t in p.iter(qn("w:instrText"))).strip() == "PAGE"
        assert "".join(t.text for t in p.iter(qn("w:t"))) == "— 1 —"


def test_table2_merges_like_the_seed_and_repeats_its_header(seed_docx):
    d = docx.Document(str(seed_docx))
    t2 = next(t for t in d.tables if t.rows[0].cells[0].text == "一级指标" and len(t.columns) == 7)
    first = t2.rows[0]._tr
    assert first.trPr.find(qn("w:tblHeader")) is not None
    column = [tc for tr in t2._tbl.tr_lst for tc in tr.tc_lst[:1]]
    restarts = [
        tc
        for tc in column
        if tc.tcPr.find(qn("w:vMerge")) is not None
        and tc.tcPr.find(qn("w:vMerge")).get(qn("w:val")) == "restart"
    ]
    assert len(restarts) == 3  # 部门决策, 部门管理, 部门绩效
    assert [c.text for c in t2.rows[1].cells] == [
        "部门决策",
        "25",
        "预算编制",
        "10",
        "预算编制合理性",
        "5",
        "5",
    ]
    leaves = {r.cells[4].text: r.cells[6].text for r in t2.rows[1:]}
    for leaf in score(load(EXAMPLE)).leaves():
        assert leaves[leaf.name] == f"{leaf.score.normalize():f}".rstrip(".")
    # every row covers the whole grid (Word asks to repair a table whose rows do not)
    for table in d.tables:
        grid = len(table._tbl.tblGrid.gridCol_lst)
        for tr in table._tbl.tr_lst:
            spans = sum(
                int(tc.tcPr.find(qn("w:gridSpan")).get(qn("w:val")))
                if tc.tcPr.find(qn("w:gridSpan")) is not None
                else 1
                for tc in tr.tc_lst
            )
            assert spans == grid


def test_libreoffice_opens_it_page_count_text_and_numbers(seed_docx_pdf):
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(seed_docx_pdf))).group(1))
    assert 15 <= pages <= 30
    text = squeeze(run("pdftotext", str(seed_docx_pdf), "-"))
    for heading in ("一、部门基本情况", "四、部门整体支出绩效评价指标评分情况", "附件1", "评价等级：优"):
        assert heading in text
    assert squeeze("本指标总分 55 分，得分 48.96 分") in text

    def corner(page, x):
        return squeeze(
            run(
                "pdftotext",
                "-f",
                str(page),
                "-l",
                str(page),
                "-x",
                str(x),
                "-W",
                "298",
                "-y",
                "740",
                "-H",
                "100",
                str(seed_docx_pdf),
                "-",
            )
        )

    assert (corner(1, 0), corner(1, 298)) == ("", "—1—")  # odd pages right
    assert (corner(2, 0), corner(2, 298)) == ("—2—", "")  # even pages left


def test_a_draft_says_so_in_every_header_and_under_the_cover(tmp_path):
    path = tmp_path / "草稿.docx"
    write(load(EXAMPLE), path)  # the seed's 评价日期 is an error
    d = docx.Document(str(path))
    assert d.sections[0].header.paragraphs[0].text == "草稿"
    assert d.sections[0].even_page_header.paragraphs[0].text == "草稿"
    notice = next(p for p in d.paragraphs if p.text.startswith("草稿："))
    assert "审核发现 1 项错误（评价日期“2020-04”早于评价年度 2020 年结束" in notice.text


def test_the_text_is_editable_text_and_the_cover_has_its_lines(seed_docx):
    d = docx.Document(str(seed_docx))
    cover = d.tables[0]
    assert [r.cells[0].text for r in cover.rows] == [
        "部门名称（公章）：",
        "单位负责人（签章）：",
        "填报人：",
        "联系电话：",
        "填报日期：",
    ]
    assert cover.rows[0].cells[1].text == "深圳市福田区数字化城管技术服务中心"
    heights = [int(r._tr.trPr.find(qn("w:trHeight")).get(qn("w:val"))) for r in cover.rows]
    assert heights[0] == heights[1] == 3 * heights[2]  # room for the seal and the signature


def schema_orders() -> dict[str, tuple[str, ...]]:
    """python-docx's own copy of the schema's child order, per element class (read from its source: it deletes
    the tuples once its classes are built)."""
    import ast

    root = Path(docx.__file__).parent / "oxml"
    out = {}
    for source in root.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.Assign) and getattr(item.targets[0], "id", "") == "_tag_seq":
                        out[node.name] = tuple(ast.literal_eval(item.value))
    return out


def test_every_element_is_where_the_schema_orders_it(seed_docx):
    """Word calls a file whose rPr / pPr / trPr / sectPr children are out of order unreadable and offers to
    repair it."""
    orders = schema_orders()
    assert {"CT_RPr", "CT_PPr", "CT_TrPr", "CT_SectPr"} <= set(orders)
    d = docx.Document(str(seed_docx))
    parts = [d.element, d.styles.element] + [
        s._element for sec in d.sections for s in (sec.footer, sec.even_page_footer, sec.header)
    ]
    checked = 0
    for part in parts:
        for element in part.iter():
            order = orders.get(type(element).__name__)
            if not order:
                continue
            names = ["w:" + child.tag.split("}")[1] for child in element if isinstance(child.tag, str)]
            positions = [order.index(n) for n in names if n in order]
            assert positions == sorted(positions), (element.tag, names)
            checked += 1
    assert checked > 100
