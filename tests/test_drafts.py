"""Draft files: round trip, atomic save with .bak, refusal of damaged, foreign and newer files."""

import json
import os

import pytest

from core import drafts
from core.drafts import DraftError
from core.numbers import fmt
from core.scoring import score
from tests.conftest import EXAMPLE, ROOT

SAMPLES = ROOT / "tests" / "drafts"


def test_round_trip_is_identical(example, tmp_path):
    path = tmp_path / "自评 草稿.json"
    drafts.save(example, path)
    again = drafts.load(path)
    first, second = drafts.to_dict(example), drafts.to_dict(again)
    first.pop("saved_at"), second.pop("saved_at")
    assert first == second
    assert fmt(score(again).total) == "92.96"


def test_saved_file_is_readable_json_with_the_framework(example, tmp_path):
    path = tmp_path / "d.json"
    drafts.save(example, path)
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert "深圳市福田区数字化城管技术服务中心" in text  # not \u-escaped
    assert data["format"] == "jixiao-draft" and data["version"] == drafts.VERSION
    assert data["framework"]["id"] == "futian"
    assert data["figures"]["adjusted_budget"] == "1,273.37"  # kept as typed


def test_a_draft_keeps_its_own_framework(example, tmp_path):
    """An old draft scores by the rules it embeds, whatever the shipped framework says today."""
    example.framework.source["indicators"][2]["children"][3]["children"][1]["rule"]["tiers"][1]["score"] = 3
    path = tmp_path / "old.json"
    drafts.save(example, path)
    assert fmt(score(drafts.load(path)).by_id["satisfaction"].score) == "3"


def test_save_keeps_previous_version_as_bak(example, tmp_path):
    path = tmp_path / "d.json"
    drafts.save(example, path)
    example.facts["preparer"] = "王五"
    drafts.save(example, path)
    assert drafts.load(path).facts["preparer"] == "王五"
    assert drafts.load(tmp_path / "d.json.bak").facts["preparer"] == "李武"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.json", "d.json.bak"]  # no temp file left


def test_unwritable_target_leaves_nothing(example, tmp_path):
    with pytest.raises(DraftError) as e:
        drafts.save(example, tmp_path / "没有这个文件夹" / "d.json")
    assert "文件夹不存在" in str(e.value)
    target = tmp_path / "是文件夹.json"
    target.mkdir()
    with pytest.raises(DraftError):
        drafts.save(example, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["是文件夹.json"]


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder(example, tmp_path):
    os.chmod(tmp_path, 0o555)
    try:
        with pytest.raises(DraftError, match="没有权限"):
            drafts.save(example, tmp_path / "d.json")
    finally:
        os.chmod(tmp_path, 0o755)


def refuse(tmp_path, content: bytes) -> str:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(DraftError) as e:
        drafts.load(path)
    assert path.read_bytes() == content and sorted(p.name for p in tmp_path.iterdir()) == before
    return str(e.value)


def test_damaged_truncated_foreign_and_future_files(tmp_path):
    good = EXAMPLE.read_bytes()
    cut = good.index("李武".encode())
    assert "已损坏：内容不完整，从第 10 行第 15 列开始的文字没有结尾" in refuse(tmp_path, good[:cut])
    assert "已损坏，内容不完整" in refuse(tmp_path, good[: cut + 1])  # cut inside a character
    assert "已损坏" in refuse(tmp_path, b"")
    assert "不是 UTF-8" in refuse(tmp_path, b"\xff\xfe\x00garbage")
    assert "这不是绩效自评草稿文件" in refuse(tmp_path, b'{"name": "something else"}')
    assert "这不是绩效自评草稿文件" in refuse(tmp_path, b"[1, 2, 3]")
    future = json.loads(good)
    future["version"] = drafts.VERSION + 1
    msg = refuse(tmp_path, json.dumps(future).encode())
    assert msg == (
        f"无法打开 bad.json：此草稿由较新版本的程序保存（格式版本 {drafts.VERSION + 1}），"
        f"本程序只能打开版本 {drafts.VERSION} 及以前的草稿，请升级程序"
    )
    wrong = json.loads(good)
    wrong["figures"]["q1_spending"] = {"a": 1}
    assert (
        refuse(tmp_path, json.dumps(wrong).encode())
        == "无法打开 bad.json：草稿文件内容有误：数据“一季度累计支出”应为文字"
    )
    nan = good.replace(f'"version": {drafts.VERSION}'.encode(), b'"version": NaN')
    assert "无效的数值" in refuse(tmp_path, nan)
    broken_fw = json.loads(good)
    broken_fw["framework"]["indicators"][0]["weight"] = 30
    assert "草稿中的指标框架有误：指标“部门决策”的下级指标分值合计 25，应等于 30" in refuse(
        tmp_path, json.dumps(broken_fw).encode()
    )


SEED_LEAVES = "5 5 8 6 2 3 3 2 2 2 1 1 1 3 6 5.46 8 4.5 18 3 4".split()


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("v*.json")), ids=lambda p: p.name)
def test_every_format_version_sample_loads_and_scores(sample):
    """A draft of every format version opens and scores as it did: the seed's total, grade and every leaf."""
    doc = drafts.load(sample)
    sheet = score(doc)
    assert (fmt(sheet.total), sheet.grade, doc.year) == ("92.96", "优", "2020")
    assert [fmt(n.score) for n in sheet.leaves()] == SEED_LEAVES
    again = drafts.loads(drafts.dumps(doc))  # saved as the current version, it scores the same
    assert [fmt(n.score) for n in score(again).all_nodes()] == [fmt(n.score) for n in sheet.all_nodes()]


def test_a_version_1_draft_without_a_year_keeps_its_frameworks_year():
    data = json.loads((SAMPLES / "v1.json").read_text(encoding="utf-8"))
    data["facts"].pop("year")
    doc = drafts.from_dict(data)
    assert doc.year == "2020" and doc.framework.years == (2020, 2020)
    assert doc.framework.source["format_version"] == 2 and "year" not in doc.framework.source


def test_migrations_form_a_chain(monkeypatch):
    """Each step n -> n+1 runs in order; a future v2 would add MIGRATIONS[1] and a tests/drafts/v1.json."""
    assert set(drafts.MIGRATIONS) == set(range(1, drafts.VERSION))
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["version"] = 1
    data["figures"]["old_name"] = data["figures"].pop("satisfaction")
    monkeypatch.setattr(drafts, "VERSION", 3)
    monkeypatch.setattr(
        drafts,
        "MIGRATIONS",
        {
            1: lambda d: {**d, "figures": {**d["figures"], "mid": d["figures"].pop("old_name")}},
            2: lambda d: {**d, "figures": {**d["figures"], "satisfaction": d["figures"].pop("mid")}},
        },
    )
    doc = drafts.from_dict(data)
    assert doc.figures["satisfaction"] == "93.8" and fmt(score(doc).total) == "92.96"
