"""core/text.py and the doors it guards: lone surrogates made encodable where text enters, invisible characters
removed from exports and made visible for the window, field length limits."""

import json
import sys
import unicodedata

import pytest

from core import drafts
from core.document import MAX_LINE, MAX_NOTE, MAX_SECTION, TextTooLong
from core.framework import Framework
from core.rules import FrameworkError
from core.scoring import score
from core.text import PATTERNS, encodable, for_export, json_problem, pattern, visible
from tests.conftest import EXAMPLE
from tests.helpers import framework_dict


def test_invisible_is_every_control_and_format_character_but_the_kept_ones():
    """The hard-coded class matches the running Python's Unicode database (update it when this fails)."""
    for c in map(chr, range(sys.maxunicode + 1)):
        category = unicodedata.category(c)
        expected = category in ("Cc", "Cf") and c not in "\n\t\u200c\u200d" or c in "\ufffe\uffff"
        if bool(pattern("INVISIBLE").fullmatch(c)) != expected and category != "Cn":  # unassigned: either way
            raise AssertionError(f"U+{ord(c):04X} {category}")


def test_a_printable_text_holds_nothing_the_patterns_look_for():
    """The functions return a printable text as it is without compiling a pattern (the window's first frame)."""
    for c in map(chr, range(sys.maxunicode + 1)):
        if c.isprintable() and any(pattern(name).search(c) for name in PATTERNS):
            raise AssertionError(f"U+{ord(c):04X}")


@pytest.mark.parametrize(
    "typed,exported,shown",
    [
        ("李\u202e武", "李武", "李⟦U+202E⟧武"),  # right-to-left override: never displays reversed
        ("a\u2066b\u2069\u200e\u200f\u061c", "ab", "a⟦U+2066⟧b⟦U+2069⟧⟦U+200E⟧⟦U+200F⟧⟦U+061C⟧"),
        ("零\u200b宽\ufeff\u00ad", "零宽", "零⟦U+200B⟧宽⟦U+FEFF⟧⟦U+00AD⟧"),
        ("a\x00b\x01c\x1fd\x7f\x9b", "abcd", "a⟦U+0000⟧b⟦U+0001⟧c⟦U+001F⟧d⟦U+007F⟧⟦U+009B⟧"),
        ("一\r\n二\r三\x0b四\x0c五\u2028六\u2029七\x85八", "一\n二\n三\n四\n五\n六\n七\n八", None),
        ("tab\there\n", "tab\there\n", "tab\there\n"),
        ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),  # joiner kept
        ("bad\ud800pair\udc00", "bad\ufffdpair\ufffd", "bad\ufffdpair\ufffd"),
        ("<b>优</b> &amp; =HYPERLINK(1)", "<b>优</b> &amp; =HYPERLINK(1)", "<b>优</b> &amp; =HYPERLINK(1)"),
        ("tag\U000e0041\U000e0001", "tag", "tag⟦U+E0041⟧⟦U+E0001⟧"),
    ],
)
def test_for_export_and_visible(typed, exported, shown):
    assert for_export(typed) == exported
    assert visible(typed) == (shown if shown is not None else exported)
    for_export(typed).encode("utf-8")  # never raises


def test_encodable_leaves_good_text_alone():
    text = "福田区 1,273.37 万元 😀"
    assert encodable(text) is text
    assert encodable("\ud83d\ude00") == "\ufffd\ufffd"  # two lone halves in a Python string, not a pair


SURROGATE_DRAFT = EXAMPLE.read_text(encoding="utf-8").replace(
    '"preparer": "李武"', '"preparer": "李\\ud800武"', 1
)


def test_a_draft_with_a_lone_surrogate_opens_and_saves(tmp_path):
    """JSON allows "\\ud800"; UTF-8 cannot hold it. It becomes U+FFFD on open, so every save works."""
    assert '"李\\ud800武"' in SURROGATE_DRAFT
    path = tmp_path / "d.json"
    path.write_text(SURROGATE_DRAFT, encoding="utf-8")
    doc = drafts.load(path)
    assert doc.facts["preparer"] == "李\ufffd武"
    drafts.save(doc, path)
    assert drafts.load(path).facts["preparer"] == "李\ufffd武"


def test_a_framework_with_a_lone_surrogate_is_made_encodable():
    data = framework_dict()
    data["indicators"][0]["name"] = "部门\udfff决策"
    data["grades"][0]["name"] = "\ud800优"
    fw = Framework.from_dict(data)
    assert fw.roots[0].name == "部门\ufffd决策" and fw.grades[0][0] == "\ufffd优"
    json.dumps(fw.source, ensure_ascii=False).encode("utf-8")  # what a draft embeds


def test_typing_and_paste_go_through_the_door(example):
    example.set(("narrative", "opening"), "粘贴\udc80的文字\u202e")
    assert example.narrative["opening"] == "粘贴\ufffd的文字\u202e"  # bidi kept as typed; marked elsewhere
    drafts.dumps(example).encode("utf-8")


@pytest.mark.parametrize(
    "path,limit,name",
    [
        (("narrative", "performance_work"), MAX_SECTION, "报告正文“（二）主要履职情况”"),
        (("indicators", "target_clarity", "reason"), MAX_NOTE, "指标“绩效指标明确性”的扣分理由"),
        (("targets", 0, "deviation"), MAX_NOTE, "表1 第 1 行的“偏差原因”"),
        (("targets", 0, "value"), MAX_LINE, "表1 第 1 行的“指标值”"),
        (("facts", "department"), MAX_LINE, "基本信息“部门名称”"),
        (("figures", "q1_spending"), MAX_LINE, "数据“一季度累计支出”"),
        (("indicators", "target_clarity", "override_reason"), MAX_LINE, "指标“绩效指标明确性”的调整理由"),
        (
            ("indicators", "target_clarity", "inputs", "deduction"),
            MAX_LINE,
            "指标“绩效指标明确性”的“扣分（满分填 0）”",
        ),
    ],
)
def test_length_limits_name_the_field(example, path, limit, name):
    example.set(path, "字" * limit)  # at the limit: accepted
    assert example.get(path) == "字" * limit
    with pytest.raises(TextTooLong) as e:
        example.set(path, "字" * (limit + 1))
    assert str(e.value) == f"{name}有 {limit + 1:,} 字，超过上限 {limit:,} 字"
    assert example.get(path) == "字" * limit  # nothing cut, nothing changed
    score(example)


@pytest.mark.parametrize(
    "text,problem",
    [
        ("", "文件是空的"),
        ("  \n", "文件是空的"),
        ('{"a": 1,\n "b" 2}', "第 2 行第 6 列此处缺少冒号"),
        ('{"a": 1 "b": 2}', "第 1 行第 9 列此处缺少逗号"),
        ('{"a": [1, 2', "内容不完整，在第 1 行第 12 列提前结束（可能在写入时被中断）"),
        ('{"a": "abc', "内容不完整，从第 1 行第 7 列开始的文字没有结尾（可能在写入时被中断）"),
        ('{"a": 1} x', "第 1 行第 10 列内容结束后还有多余的字符"),
        ('{"a": tru}', "第 1 行第 7 列此处缺少一个值"),
    ],
)
def test_damaged_files_say_where_in_chinese(text, problem):
    with pytest.raises(json.JSONDecodeError) as e:
        json.loads(text)
    assert json_problem(e.value) == problem
    with pytest.raises(drafts.DraftError) as e:
        drafts.loads(text)
    assert str(e.value) == f"草稿文件已损坏：{problem}"
    assert not any(w in str(e.value) for w in ("Expecting", "JSON", "line", "column", "Error"))


def test_framework_texts_have_limits_too():
    data = framework_dict()
    leaf = data["indicators"][0]["children"][0]["children"][0]
    leaf["name"], leaf["standard"] = "a" * 200, "字" * 5_000  # at the limits: a framework
    assert Framework.from_dict(data).by_id[leaf["id"]].name == "a" * 200
    leaf["name"] = "a" * 201
    with pytest.raises(FrameworkError) as e:
        Framework.from_dict(data)
    assert str(e.value) == "指标框架中的名称“aaaaaaaaaaaa…”有 201 字，超过上限 200 字"
    leaf["name"], leaf["standard"] = "名", "字" * 5_001
    with pytest.raises(FrameworkError) as e:
        Framework.from_dict(data)
    assert str(e.value) == "指标框架中的评分标准“字字字字字字字字字字字字…”有 5,001 字，超过上限 5,000 字"
    data["grades"][0]["name"] = "优" * 201
    with pytest.raises(FrameworkError, match="名称“优优优"):
        Framework.from_dict(data)
