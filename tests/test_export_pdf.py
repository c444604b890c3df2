"""The PDF report: what a reader of the printed report sees, checked with poppler (pdftotext, pdffonts, pdfinfo)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from core import export_pdf
from core.drafts import load
from core.export import write
from core.files import FileWriteError
from core.numbers import fmt
from core.report_text import level1_paragraphs, scores_opening
from core.scoring import score
from tests.conftest import EXAMPLE, ROOT
from tests.helpers import refuse_temp_files


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def text_of(pdf: Path, *opts: str) -> str:
    return run("pdftotext", *opts, str(pdf), "-")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pages(pdf: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(pdf))).group(1))


def final(doc):
    """The example without the seed's one 审核 error (评价日期 2020-04 for 2020), so its export is not a 草稿."""
    doc.facts["evaluation_date"] = "2021-04"
    return doc


@pytest.fixture
def example():
    """Here the example is final: a 草稿's watermark would mix its letters into the extracted text."""
    return final(load(EXAMPLE))


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "报告.pdf"
    write(final(load(EXAMPLE)), path)
    return path


# --- the generated text of section 四 -------------------------------------------------------------------------------


def test_generated_paragraphs_follow_the_scores_not_the_seed_text(example):
    sheet = score(example)
    parts = dict(level1_paragraphs(example, sheet))
    assert list(parts) == [
        "（一）“部门决策”指标评分情况",
        "（二）“部门管理”指标评分情况",
        "（三）“部门绩效”指标评分情况",
    ]
    assert parts["（一）“部门决策”指标评分情况"] == [
        "本指标总分 25 分，得分 24 分，得分率 96%，主要用于评价预算编制和目标设置两个方面，共设置了 4 个末级指标。"
        "主要扣分情况如下：",
        "一是绩效指标明确性指标扣 1 分。2020 年度本中心设置绩效目标时部分指标值描述偏大偏宏观，不够贴合实际。",
    ]
    assert parts["（二）“部门管理”指标评分情况"] == [
        "本指标总分 20 分，得分 20 分，得分率 100%，主要用于评价资金管理、项目管理、资产管理、人员管理和制度管理"
        "五个方面，共设置了 10 个末级指标。本指标未扣分。"
    ]
    performance = parts["（三）“部门绩效”指标评分情况"]
    # the seed's own text says 49.07 (89.22%); its table adds up to 48.96
    assert performance[0].startswith(
        "本指标总分 55 分，得分 48.96 分，得分率 89.02%，主要用于评价经济性、效率性、效果性和"
        "公平性四个方面，共设置了 7 个末级指标。主要扣分情况如下："
    )
    assert performance[1] == (
        "一是预算执行率指标扣 0.54 分（一季度预算执行率 83.58%，扣 0.16 分；二季度预算执行率 84.23%，扣 0.16 分；"
        "三季度预算执行率 98.67%，扣 0.01 分；四季度预算执行率 97.21%，扣 0.03 分；全年平均预算执行率 90.92%，"
        "扣 0.18 分）。根据 2020 年决算报表，本中心支出调整预算数为 1,273.37 万元，决算数为 1,168.8 万元。"
    )
    assert performance[2].startswith(
        "二是项目完成及时性指标扣 1.5 分（项目完成率 75%）。未完成项目为培训费及预算准备金项目。"
    )
    assert performance[3].startswith("三是社会效益、经济效益、生态效益及可持续影响等指标扣 2 分。根据本中心")
    assert performance[4].startswith(
        "四是公众或服务对象满意度指标扣 2 分（满意度 93.8%）。数字化城管系统平台"
    )
    assert len(performance) == 5
    assert scores_opening(example, sheet) == (
        "参照《福田区预算绩效评价共性指标体系框架（部门整体支出）》进行自评，结合工作实际，逐项对照，认真梳理，"
        "本次部门整体绩效评价得分为92.96分，整体评价为“优”，详见表2（具体评分情况见附件1）。"
    )


def test_generated_text_changes_with_the_scores(example):
    example.set(("figures", "satisfaction"), "96%")
    example.set(("indicators", "effects", "inputs", "deduction"), "0")
    example.set(("indicators", "target_clarity", "override"), "6.5")
    example.set(("indicators", "target_clarity", "override_reason"), "复核后调整")
    sheet = score(example)
    parts = dict(level1_paragraphs(example, sheet))
    decision = parts["（一）“部门决策”指标评分情况"]
    assert decision[0].startswith("本指标总分 25 分，得分 24.5 分，得分率 98%，")
    assert decision[1] == (
        "一是绩效指标明确性指标扣 0.5 分（计算得分 6 分，手工调整为 6.5 分）。2020 年度本中心设置绩效目标时"
        "部分指标值描述偏大偏宏观，不够贴合实际。手工调整理由：复核后调整。"
    )
    performance = parts["（三）“部门绩效”指标评分情况"]
    assert performance[0].startswith("本指标总分 55 分，得分 52.96 分，得分率 96.29%，")
    assert [p[:2] for p in performance[1:]] == [
        "一是",
        "二是",
    ]  # 预算执行率, 项目完成及时性; the others are full now
    assert f"得分为{fmt(sheet.total)}分" in scores_opening(example, sheet)


def test_unscored_leaves_are_said_to_be_pending(example):
    example.set(("indicators", "effects", "inputs", "deduction"), "")
    sheet = score(example)
    text = "".join(dict(level1_paragraphs(example, sheet))["（三）“部门绩效”指标评分情况"])
    assert "其中 1 个末级指标尚未评分（社会效益、经济效益、生态效益及可持续影响等），得分为暂定。" in text
    assert "尚有 1 项末级指标未评分，得分与等级为暂定" in scores_opening(example, sheet)


# --- the seed exported ---------------------------------------------------------------------------------------------


def test_seed_report_holds_the_scores_and_the_generated_sentences(seed_pdf, example):
    text = squeeze(text_of(seed_pdf))
    sheet = score(example)
    for node in sheet.all_nodes():
        assert squeeze(node.name) in text, node.name
    assert "本次部门整体绩效评价得分为92.96分，整体评价为“优”，详见表2（具体评分情况见附件1）。" in text
    assert squeeze("本指标总分 55 分，得分 48.96 分，得分率 89.02%") in text
    assert squeeze("本指标总分 25 分，得分 24 分，得分率 96%") in text
    assert "49.07" not in text and "89.22%" not in text
    for heading in (
        "2020年度部门整体绩效自评报告",
        "部门名称（公章）：深圳市福田区数字化城管技术服务中心",
        "单位负责人（签章）：",
        "填报人：李武",
        "联系电话：0755-83142432",
        "填报日期：",
        "一、部门基本情况",
        "（三）2020年部门预算编制情况",
        "表12020年度部门整体绩效目标表",
        "表22020年度部门整体绩效评价评分表",
        "附件1",
        "深圳市福田区数字化城管技术服务中心部门整体支出绩效自评评分表",
        "图12020年度各二级指标得分率",
        "评价等级：优",
    ):
        assert heading in text, heading
    assert "草稿" not in text


def test_table2_rows_show_each_leaf_weight_and_score(seed_pdf, example):
    layout = text_of(seed_pdf, "-layout")
    start = layout.index("表2 2020年度部门整体绩效评价评分表")
    lines = layout[start : layout.index("（一）“部门决策”指标评分情况")].splitlines()
    for leaf in score(example).leaves():
        near = [i for i, line in enumerate(lines) if leaf.name[:6] in line]
        assert near, leaf.name
        row = rf"\s{fmt(leaf.weight)}\s+{re.escape(fmt(leaf.score))}\s*$"
        assert any(re.search(row, lines[j]) for j in range(near[0] - 1, near[0] + 2)), (
            leaf.name,
            lines[near[0]],
        )
    assert re.search(r"合计\s+100\s+-\s+100\s+-\s+100\s+92\.96\s*$", "\n".join(lines), re.M)


def test_fonts_are_embedded_subsets(seed_pdf):
    rows = run("pdffonts", str(seed_pdf)).splitlines()[2:]
    assert rows
    for row in rows:
        name, *_ = row.split()
        assert re.match(r"[A-Z]{6}\+", name), row  # a subset
        assert re.search(r"\byes\s+yes\s+yes\b", row), row  # emb sub uni
        assert "Helvetica" not in row


def test_page_is_a4_and_numbered_outside_the_text_block(seed_pdf):
    info = run("pdfinfo", str(seed_pdf))
    assert "Page size:       595.276 x 841.89 pts (A4)" in info
    assert pages(seed_pdf) > 10

    # "— N —" 7 mm below the text block (37 + 225 mm from the top); odd pages on the right, even on the left
    # (pdftotext leaves out the spaces of "— 1 —")
    def corner(page, x):
        return squeeze(
            text_of(
                seed_pdf, "-f", str(page), "-l", str(page), "-x", str(x), "-W", "298", "-y", "760", "-H", "40"
            )
        )

    assert (corner(1, 0), corner(1, 298)) == ("", "—1—")
    assert (corner(2, 0), corner(2, 298)) == ("—2—", "")
    assert (corner(3, 0), corner(3, 298)) == ("", "—3—")


def words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    html = run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-")
    return [
        (float(a), float(b), float(c), float(d), w)
        for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html
        )
    ]


def test_body_text_stays_in_the_text_block(seed_pdf):
    mm = 72 / 25.4
    left, top, right, bottom = 28 * mm, 37 * mm, (28 + 156) * mm, (37 + 225) * mm
    for page in (2, 3, 5, 9):
        body = [w for w in words(seed_pdf, page) if w[1] < bottom]
        assert len(body) > 20
        assert min(w[0] for w in body) >= left - 0.5
        assert max(w[2] for w in body) <= right + 16.5  # a closing mark may hang in the margin (行尾悬挂)
        assert min(w[1] for w in body) >= top - 1


def test_no_line_starts_with_closing_punctuation(seed_pdf):
    for line in text_of(seed_pdf).splitlines():
        assert not line.strip().startswith(tuple("，。、；：？！）》”")), line


def test_draft_has_a_watermark_on_every_page(tmp_path, example):
    path = tmp_path / "草稿.pdf"
    write(example, path, draft=True)
    for page in range(1, pages(path) + 1):
        assert "草" in text_of(path, "-f", str(page), "-l", str(page)), page


# --- long input ----------------------------------------------------------------------------------------------------


def test_long_narrative_paginates(tmp_path, example, seed_pdf):
    sentence = "本中心严格执行预算管理制度，资金使用规范，绩效目标按期完成。"
    example.narrative["overall_plans"] = "\n".join([sentence * 10] * 34) + "\n结尾标记ABC"
    assert len(example.narrative["overall_plans"]) > 10_000
    path = tmp_path / "long.pdf"
    write(example, path)
    assert pages(path) >= pages(seed_pdf) + 12
    text = re.sub(r"—\d+—", "", squeeze(text_of(path)))  # a paragraph goes on across page numbers
    assert squeeze(sentence * 10) in text and "结尾标记ABC" in text


def test_two_hundred_target_rows_paginate_with_the_header_repeated(tmp_path, example, seed_pdf):
    example.targets = [
        {
            "level1": "产出指标",
            "level2": f"数量指标{i // 20}",
            "level3": f"第{i}项三级指标",
            "value": f"{i} 个",
            "actual": "",
            "deviation": "",
        }
        for i in range(200)
    ]
    path = tmp_path / "targets.pdf"
    write(example, path)
    assert pages(path) >= pages(seed_pdf) + 4
    text = text_of(path)
    assert all(f"第{i}项三级指标" in text for i in range(200))
    assert text.count("一级指标") >= 6  # 表1's header on each of its pages, and 表2's
    assert text.count("产出指标") >= 5  # the merged 一级 cell repeated on each page of 表1


def test_a_reason_of_two_thousand_characters_splits_inside_its_row(tmp_path, example):
    reason = ("因疫情原因未组织培训，培训费无支出；" * 111)[:1990] + "理由结尾标记"
    example.set(("indicators", "project_timeliness", "reason"), reason)
    path = tmp_path / "reason.pdf"
    write(example, path)
    text = squeeze(text_of(path))
    assert "理由结尾标记" in text
    text = re.sub(r"—\d+—", "", text).replace("指标分值评分标准评分依据得分扣分扣分理由", "")  # page breaks
    # 四 and 附件1, nothing lost
    assert text.count(squeeze("因疫情原因未组织培训，培训费无支出；")) >= 2 * 110


def test_actual_values_add_two_columns_to_table1(tmp_path, example):
    example.targets[0]["actual"] = "3 个"
    example.targets[1]["deviation"] = "设备采购延后"
    path = tmp_path / "actual.pdf"
    write(example, path)
    text = squeeze(text_of(path))
    assert "实际完成值" in text and "偏差原因" in text and "设备采购延后" in text


def test_a_generated_framework_of_200_leaves_exports(tmp_path):
    from benchmarks.synthetic import make_document

    doc = make_document(200)
    path = tmp_path / "big.pdf"
    write(doc, path)
    text = squeeze(text_of(path))
    assert all(squeeze(leaf.name) in text for leaf in doc.framework.leaves)


# --- writing -------------------------------------------------------------------------------------------------------


def test_locked_target_gives_a_chinese_message_and_keeps_the_old_file(tmp_path, example, monkeypatch):
    target = tmp_path / "报告.pdf"
    target.write_bytes(b"old")

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(FileWriteError, match="无法写入 报告.pdf：文件可能正被其他程序打开"):
        write(example, target)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.pdf"]


def test_unwritable_or_missing_folder_gives_a_chinese_message(tmp_path, example, monkeypatch):
    with pytest.raises(FileWriteError, match="文件夹不存在"):
        write(example, tmp_path / "没有" / "报告.pdf")
    refuse_temp_files(monkeypatch)
    with pytest.raises(FileWriteError, match="没有权限在文件夹"):
        write(example, tmp_path / "报告.pdf")
    assert list(tmp_path.iterdir()) == []


def test_command_line_export(tmp_path):
    out = tmp_path / "out.pdf"
    r = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "export", str(EXAMPLE), "--pdf", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "JIXIAO_DATA_DIR": str(tmp_path)},
    )
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    assert f"已导出 PDF：{out}" in r.stdout


def test_a_broken_windows_font_falls_back_to_the_bundled_font(tmp_path):
    from core import fonts

    broken = tmp_path / "simfang.ttf"
    broken.write_bytes(b"not a font")
    found = dict(fonts.find_fonts(platform="linux"), fangsong=fonts.FontFile(broken))
    names = export_pdf.register_fonts(found)
    assert names["fangsong"] == names["songti"]  # the bundled font
    found["title"] = fonts.FontFile(broken)
    assert export_pdf.register_fonts(found)["title"] == names["heiti"]


def last_lines(pdf: Path) -> list[str]:
    """The last line of text above the page number, on each page."""
    out = []
    for page in range(1, pages(pdf) + 1):
        lines = [x.strip() for x in text_of(pdf, "-layout", "-f", str(page), "-l", str(page)).splitlines()]
        lines = [x for x in lines if x and not re.fullmatch(r"—\s*\d+\s*—", x)]
        out.append(lines[-1] if lines else "")
    return out


def test_no_heading_is_left_at_the_foot_of_a_page(tmp_path, example, seed_pdf):
    sheet = score(example)
    headings = {squeeze(example.section_title(s)) for s in example.framework.sections if s.title}
    headings |= {squeeze(h) for h, _ in level1_paragraphs(example, sheet)}
    assert not [x for x in last_lines(seed_pdf) if squeeze(x) in headings]
    # many sub-headings and paragraphs of every length: some fall at the foot of a page
    sentence = "本中心严格执行预算管理制度，资金使用规范，绩效目标按期完成。"
    example.narrative["overall_plans"] = "\n".join(
        f"{i}. 第{i}项工作\n" + sentence * (i % 7 + 1) for i in range(1, 61)
    )
    path = tmp_path / "headings.pdf"
    write(example, path)
    last = last_lines(path)
    assert not [x for x in last if re.fullmatch(r"\d+\. 第\d+项工作", x) or squeeze(x) in headings]
    assert sum(1 for x in last if x.endswith("。")) > 5  # the pages end in text


def test_user_text_is_printed_as_typed_never_as_markup(tmp_path, example):
    example.narrative["opening"] = "<b>不是标记</b> & a<b 😀 \x0b\x07 末尾"
    example.facts["department"] = "A&B<部门>"
    example.targets[0]["value"] = "<i>x</i> & y"
    example.set(("indicators", "effects", "reason"), "原因 <br/> & z")
    path = tmp_path / "odd.pdf"
    write(example, path)
    text = text_of(path)
    for typed in (
        "<b>不是标记</b> & a<b",
        "末尾",
        "部门名称（公章）：",
        "A&B<部门>",
        "<i>x</i> & y",
        "原因 <br/> & z",
    ):
        assert typed in text, typed


def test_headings_are_bookmarks(seed_pdf, tmp_path):
    subprocess.run(["pdftohtml", "-q", "-xml", "-i", str(seed_pdf), str(tmp_path / "s")], check=True)
    items = re.findall(r'<item page="(\d+)">([^<]*)', (tmp_path / "s.xml").read_text(encoding="utf-8"))
    titles = [t for _, t in items]
    assert titles[:3] == ["一、部门基本情况", "（一）部门主要职能", "（二）年度总体工作和重点工作任务"]
    assert titles[-5:] == [
        "四、部门整体支出绩效评价指标评分情况",
        "（一）“部门决策”指标评分情况",
        "（二）“部门管理”指标评分情况",
        "（三）“部门绩效”指标评分情况",
        "附件1",
    ]
    assert int(items[-1][0]) == text_of(seed_pdf).split("\f附件1\n")[0].count("\f") + 2  # 附件1 starts a page


def test_a_long_cell_in_table1_splits_inside_its_row_and_repeats_the_merged_cells(
    tmp_path, example, seed_pdf
):
    example.targets[2]["deviation"] = ("因系统升级延期，部分功能未按期上线；" * 120)[:2000] + "偏差结尾"
    path = tmp_path / "deviation.pdf"
    write(example, path)
    assert pages(path) >= pages(seed_pdf) + 3
    text = text_of(path)
    assert "偏差结尾" in text
    page_of = [squeeze(p) for p in text.split("\f") if "因系统升级延期" in squeeze(p)]
    assert len(page_of) >= 4  # the row runs over four pages or more …
    # … each with its merged cells
    assert all("产出指标" in p and "质量指标" in p and "一级指标" in p for p in page_of)


def test_the_closing_line_names_the_annex_as_the_seed_does(seed_pdf):
    text = squeeze(text_of(seed_pdf))
    assert "附件：1.《深圳市福田区数字化城管技术服务中心部门整体支出绩效自评评分表》" in text
    assert text.index("附件：1.") < text.index("附件1深圳市")  # at the end of the report, before 附件1 itself


def test_a_dash_is_never_split_and_full_body_lines_reach_the_right_edge(seed_pdf):
    lines = [x.strip() for x in text_of(seed_pdf).splitlines() if x.strip()]
    for a, b in zip(lines, lines[1:], strict=False):
        assert not (a.endswith("—") and b.startswith("—") and not a.endswith("——")), (a, b)
    assert "四大工作任务——" in squeeze(text_of(seed_pdf))
    # justified as Word does for Chinese: a line that does not end its paragraph ends at the text block's edge
    html = run("pdftotext", "-bbox-layout", "-f", "3", "-l", "3", str(seed_pdf), "-")
    right = (28 + 156) * 72 / 25.4
    bottom = (37 + 225) * 72 / 25.4  # below it: the page number
    found = re.findall(r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="([\d.]+)"', html)
    ends = [float(x) for y, x in found if float(y) < bottom]
    full = [x for x in ends if x > right - 20]
    assert len(full) >= 12
    assert all(abs(x - right) < 1.5 or x > right for x in full)  # flush (or a mark hanging past it)
