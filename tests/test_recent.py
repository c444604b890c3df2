"""The start page's facts about a recent draft, read from the file."""

import os

from core.document import Evaluation
from core.drafts import load, save
from core.recent import summarize
from tests.conftest import EXAMPLE


def test_a_draft_is_summarised_from_its_own_figures(tmp_path):
    path = tmp_path / "福田.json"
    save(load(EXAMPLE), path)
    os.utime(path, (1_600_000_000, 1_600_000_000))
    s = summarize(path)
    assert (s.department, s.year, s.total, s.grade, s.problem) == (
        "深圳市福田区数字化城管技术服务中心",
        "2020",
        "92.96",
        "优",
        "",
    )
    from datetime import datetime

    assert s.saved == datetime.fromtimestamp(1_600_000_000).strftime("%Y-%m-%d %H:%M")


def test_a_blank_draft_has_no_total_and_no_grade(tmp_path):
    path = tmp_path / "新.json"
    save(Evaluation.new(load(EXAMPLE).framework), path)
    s = summarize(path)
    assert (s.department, s.total, s.grade) == ("", "—", "—")


def test_a_missing_or_broken_file_says_why(tmp_path):
    assert summarize(tmp_path / "无.json").problem == "文件已不存在（可能已移动或删除）"
    bad = tmp_path / "坏.json"
    bad.write_text("{", encoding="utf-8")
    s = summarize(bad)
    assert s.problem.startswith("无法打开 坏.json") and s.saved and not s.total
