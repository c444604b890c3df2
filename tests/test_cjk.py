"""Chinese line breaking (core.cjk) and the PDF's text layout on it: the rules a reader checks, and linear time."""

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import cjk, export_pdf
from core.report import build_report


def lines(text: str, chars: float, **kw) -> list[str]:
    widths = [5.0 if c.isascii() else 10.0 for c in text]
    return [text[a:b] for a, b in cjk.break_lines(text, widths, 10.0 * chars + 0.5, **kw)]


def test_closing_marks_hang_in_body_text_and_never_in_a_cell():
    for mark in "，。；：”》）":
        assert lines("字" * 10 + mark + "字" * 5, 10, hang=True) == ["字" * 10 + mark, "字" * 5]
        # in a table cell the mark would cross the vertical rule: the line gives up a character instead
        assert lines("字" * 10 + mark + "字" * 5, 10) == ["字" * 9, "字" + mark + "字" * 5]
    assert lines("字" * 10 + "。”字字", 10, hang=True) == ["字" * 9, "字。”字字"]  # two marks never hang


def test_numbers_latin_words_and_dashes_are_not_cut():
    assert lines("字" * 9 + "满意度为 93.8%。字字", 14, hang=True) == ["字" * 9 + "满意度为", "93.8%。字字"]
    assert lines("字" * 8 + "1,273.37万元", 9) == ["字" * 8, "1,273.37万元"]
    assert lines("字" * 9 + "“字字”", 10) == ["字" * 9, "“字字”"]
    # a 破折号 is one mark of two characters (seed p. 10: "四大工作任务——数字化平台转型")
    assert lines("字" * 9 + "——字字", 10) == ["字" * 9, "——字字"]
    assert lines("字" * 9 + "……字", 10) == ["字" * 8, "字……字"]  # nor does it start a line
    assert lines("字" * 25, 10) == ["字" * 10, "字" * 10, "字" * 5]
    assert lines("a" * 50, 10) == ["a" * 20, "a" * 20, "a" * 10]  # nowhere to break: cut where full


def test_words_are_not_cut_where_the_line_has_another_break():
    assert lines("可持续影响指标", 6, words=True) == ["可持续影响", "指标"]  # not "可持续影响指/标"
    assert lines("可持续影响指标", 6) == ["可持续影响指", "标"]  # body text breaks anywhere, as Word does
    title = "深圳市福田区数字化城管技术服务中心部门整体支出绩效自评评分表"
    widths = [18.0] * len(title)
    got = [title[a:b] for a, b in cjk.balanced(title, widths, 442.0)]
    assert len(got) == 2 and abs(len(got[0]) - len(got[1])) <= 4  # even lines (排列对称)
    marks = cjk.inside_words(title)
    assert all(not marks[len(got[0])] for _ in got)  # not inside a word ("支出绩/效")


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="字a1 .,，。“”（）%《》—指标绩效", max_size=80),
    st.integers(1, 12),
    st.booleans(),
    st.booleans(),
)
def test_every_character_is_kept_in_order(text, chars, hang, words):
    widths = [5.0 if c.isascii() else 10.0 for c in text]
    got = cjk.break_lines(text, widths, 10.0 * chars, hang=hang, words=words)
    assert all(b > a for a, b in got)
    assert "".join(text[a:b] for a, b in got).replace(" ", "") == text.replace(" ", "")
    if not hang:  # a cell's line never runs past its width unless one unbreakable piece is wider
        for a, b in got:
            if sum(widths[a:b]) > 10.0 * chars + 1e-6:
                assert all(cjk.glued(text[k - 1], text[k]) for k in range(a + 1, b)) or b - a == 1


def timed(fn) -> float:
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def test_breaking_is_linear_in_the_length_of_a_paragraph():
    """64k CJK characters took 7 s and 1 MB did not finish; an unbreakable 64k ASCII name took 15 s."""
    for unit in ("因疫情原因未组织培训，培训费无支出；", "a"):
        small, big = unit * (20_000 // len(unit)), unit * (200_000 // len(unit))
        w_small, w_big = [10.0] * len(small), [10.0] * len(big)
        t_small = timed(lambda s=small, w=w_small: cjk.break_lines(s, w, 300.0, words=True, hang=True))
        t_big = timed(lambda s=big, w=w_big: cjk.break_lines(s, w, 300.0, words=True, hang=True))
        assert t_big < 25 * t_small, (unit, t_small, t_big)  # 10× the text: about 10× the time


def test_body_lines_hold_28_characters_and_cells_stay_inside_their_column(example):
    f = export_pdf.Fonts()
    st_ = export_pdf.Styles(f)
    body = st_.text("字" * 100, st_.body)
    body.wrap(export_pdf.WIDTH, 1000)
    counts = [b - a for a, b in body._layout.lines]
    assert counts == [26, 28, 28, 18]  # the first line indented two characters
    # every line of every table cell of the seed fits its column: no closing mark on or past the rule
    report = build_report(example)
    for table in report.tables():
        t = export_pdf._table(table, st_)
        for row in t._rows[1:]:
            for c, cell in enumerate(row):
                if isinstance(cell, export_pdf.Text):
                    width = t._widths[c] - 6  # the paddings
                    cell.wrap(width, 10_000)
                    layout = cell._layout
                    for a, b in layout.lines:
                        if b - a > 1:
                            assert sum(layout.widths[a:b]) <= width + 0.01, (cell.text, cell.text[a:b])


def test_seed_cells_and_titles_do_not_cut_words(example):
    f = export_pdf.Fonts()
    st_ = export_pdf.Styles(f)
    report = build_report(example)
    t1 = export_pdf._table(report.tables()[0], st_)
    cell = next(
        c for r in t1._rows for c in r if isinstance(c, export_pdf.Text) and c.text == "可持续影响指标"
    )
    cell.wrap(t1._widths[1] - 6, 1000)
    assert [cell.text[a:b] for a, b in cell._layout.lines] in (["可持续影响指标"], ["可持续影响", "指标"])
    title = st_.text(report.annexes[0].title, st_.annex_title)
    title.wrap(export_pdf.WIDTH, 1000)
    marks = cjk.inside_words(title.text)
    assert len(title._layout.lines) == 2 and not marks[title._layout.lines[0][1]]
    assert not re.search("绩$", title.text[: title._layout.lines[0][1]])


def test_a_pdf_of_one_long_paragraph_takes_time_in_proportion_to_its_length():
    """Each page of a split paragraph shares its layout: no page cleans, measures or breaks the rest again."""
    from benchmarks.bench_pdf import one_paragraph

    export_pdf.Fonts()
    reason = "因疫情原因未组织培训，培训费无支出；"
    small, big = reason * 1_000, reason * 10_000  # 18,000 and 180,000 characters
    t_small = timed(lambda: export_pdf.render_pdf(one_paragraph(small)))
    t_big = timed(lambda: export_pdf.render_pdf(one_paragraph(big)))
    assert t_big < 25 * t_small, (t_small, t_big)


def test_a_long_annex_name_goes_on_under_its_first_character(example):
    """GB/T 9704: a 附件 line that wraps goes on under the name, not under "附件："."""
    st_ = export_pdf.Styles(export_pdf.Fonts())
    closing = build_report(example).body[-1]
    text = st_.text(closing.text, st_.closing)
    text.wrap(export_pdf.WIDTH, 1000)
    layout = text._layout
    assert len(layout.lines) == 2
    at = closing.text.index("《")
    assert layout.rest_indent == pytest.approx(layout.first_indent + sum(layout.widths[:at]))
