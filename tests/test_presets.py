"""The shipped frameworks (the catalogue), `main.py new` and `frameworks`, and the 重庆 example that reproduces
the published table: 执行率 76% × 10 = 7.6, every other row 100% → 97.6, 优."""

import json

import pytest

from core import drafts
from core.catalogue import add, catalogue, find, user_folder
from core.checks import WARNING, check
from core.cli import run
from core.document import Evaluation
from core.numbers import fmt
from core.rules import FrameworkError
from core.scoring import score
from tests.conftest import ROOT
from tests.helpers import fill_all

SHIPPED = ["futian", "chongqing", "national-project", "yueyang"]


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_the_catalogue_lists_every_shipped_framework_with_what_a_person_chooses_by(data_dir):
    entries = catalogue()
    assert [e.id for e in entries] == SHIPPED  # the default (Futian's) first
    for e in entries:
        fw = e.framework
        assert fw is not None and not e.user and e.name and e.region and e.description and fw.origin, e.id
        assert all(leaf.standard for leaf in fw.leaves), e.id
        assert all(leaf.note for leaf in fw.leaves if leaf.inferred), e.id
    assert (
        entries[0].label == "福田区预算绩效评价共性指标体系框架（部门整体支出）（深圳市福田区，2020—2026 年）"
    )
    assert [e.years for e in entries] == ["2020—2026 年", "2021 年起", "不限年度", "不限年度"]


@pytest.mark.parametrize("fid", SHIPPED)
def test_every_shipped_framework_filled_is_scored_whole_and_checks_without_errors(fid, data_dir):
    doc = Evaluation.new(find(fid), 2025)
    fill_all(doc)
    sheet = score(doc)
    assert sheet.complete and sheet.problem_count == 0, [n.problems for n in sheet.leaves() if n.problems]
    assert sheet.total == sum(n.score for n in sheet.nodes) and sheet.grade in ("优", "良"), fid
    found = [f for f in check(doc, sheet) if f.path[:1] not in (("facts",), ("narrative",), ("targets",))]
    assert [f for f in found if f.severity == "错误"] == [], found


def test_the_chongqing_example_reproduces_the_published_table():
    doc = drafts.load(ROOT / "resources" / "examples" / "chongqing-2021.json")
    sheet = score(doc)
    assert (fmt(sheet.total), sheet.grade, sheet.complete) == ("97.6", "优", True)
    execution = sheet.by_id["execution"]
    assert (fmt(execution.rate), fmt(execution.score)) == ("76", "7.6")
    rows = sheet.by_id["indicators"].children
    assert (
        len(rows) == 21
        and all(r.score == r.weight for r in rows)
        and fmt(sheet.by_id["indicators"].score) == "90"
    )
    assert [(r.name, fmt(r.weight)) for r in rows[:3]] == [
        ("财政供养人员控制率", "2"),
        ("“三公”经费变动率", "2"),
        ("基础信息完善", "1"),
    ]
    assert [r.name for r in rows if r.indicator.note.startswith("推定")] == [
        "媒体传播影响力",
        "服务对象满意度",
    ]
    # 审核 asks about 政府采购执行率 72.74% against its 100% target scored full marks, at the coefficient
    procurement = next(r for r in rows if r.name == "政府采购执行率")
    found = [f for f in check(doc, sheet) if f.path[:2] == ("indicators", procurement.id)]
    assert [(f.severity, f.message, f.path[-1]) for f in found] == [
        (
            WARNING,
            "“政府采购执行率”：得分系数 100%，而全年完成值 72.74% 未达到年初指标值 100%（应不低于），请核对",
            "coefficient",
        )
    ]
    assert (
        len(
            json.loads((ROOT / "resources" / "examples" / "chongqing-2021.json").read_text("utf-8"))["rows"][
                "indicators"
            ]
        )
        == 21
    )


def test_new_from_the_command_line(tmp_path, data_dir, capsys):
    out = tmp_path / "新.json"
    assert run(["new", "--framework", "national-project", "--year", "2025", str(out)]) == 0
    assert capsys.readouterr().out.startswith("已新建 2025 年度的自评（项目支出绩效自评表（全国通用格式））")
    doc = drafts.load(out)
    assert doc.year == "2025" and doc.framework.id == "national-project" and doc.rows == {}
    assert run(["new", "--framework", "national-project", "--year", "2025", str(out)]) == 2
    assert "已存在，不覆盖" in capsys.readouterr().err
    assert run(["new", "--framework", "nowhere", str(tmp_path / "x.json")]) == 2
    assert capsys.readouterr().err == (
        "错误：没有编号为“nowhere”的指标框架，可用：futian、chongqing、national-project、yueyang\n"
    )
    assert run(["new", "--framework", "futian", "--year", "2030", str(tmp_path / "y.json")]) == 0
    assert "该指标框架适用于 2020—2026 年" in capsys.readouterr().out
    assert run(["new", str(tmp_path / "z.json")]) == 2


def test_a_users_own_framework_is_checked_and_copied_to_the_app_data_folder(tmp_path, data_dir, capsys):
    mine = json.loads((ROOT / "resources" / "frameworks" / "yueyang.json").read_text("utf-8"))
    mine["id"], mine["name"] = "my-district", "本区部门整体支出绩效评价指标"
    src = tmp_path / "本区.json"
    src.write_text(json.dumps(mine, ensure_ascii=False), "utf-8")
    assert run(["frameworks", "--add", str(src)]) == 0
    assert (user_folder() / "my-district.json").is_file() and str(user_folder()).startswith(str(data_dir))
    listed = catalogue()
    assert listed[-1].id == "my-district" and listed[-1].user and listed[-1].label.endswith("（自定义）")
    assert find("my-district").name == "本区部门整体支出绩效评价指标"
    again = src.with_name("again.json")
    again.write_text(src.read_text("utf-8"), "utf-8")
    with pytest.raises(FrameworkError, match="已导入过编号为“my-district”的指标框架"):
        add(again)
    assert add(src, replace=True).id == "my-district"
    with pytest.raises(FrameworkError, match="与程序自带的“福田区"):
        mine["id"] = "futian"
        src.write_text(json.dumps(mine, ensure_ascii=False), "utf-8")
        add(src)
    mine["indicators"][0]["weight"] = 16
    src.write_text(json.dumps(mine, ensure_ascii=False), "utf-8")
    with pytest.raises(FrameworkError, match="指标“投入”的下级指标分值合计 15，应等于 16"):
        add(src)
    (user_folder() / "坏的.json").write_text("{", "utf-8")
    broken = [e for e in catalogue() if e.path.name == "坏的.json"][0]
    assert broken.framework is None and broken.label == "坏的.json（无法读取）" and "已损坏" in broken.error


def test_the_complete_example_in_the_format_document_loads_scores_and_exports(tmp_path):
    """docs/framework-format.md is enough to write a framework: its complete example works as it is."""
    import re

    from core.export import export_bundle
    from core.framework import Framework

    text = (ROOT / "docs" / "framework-format.md").read_text("utf-8")
    section = text[text.index("## A complete small framework") :]
    block = re.search(r"```json\n(.*?)```", section, re.S)[1]
    fw = Framework.from_dict(json.loads(block))
    doc = Evaluation.new(fw, 2025)
    doc.facts["department"] = "某区某局"
    fill_all(doc)
    doc.figures["spent"] = "850"  # 85% of the 1,000 budget: under 90% a reason, over 80% no cap
    doc.figures["budget"] = "1000"
    doc.previous["sangong"] = "8"  # this year 100 against 8: +1150%, no points left
    sheet = score(doc)
    assert sheet.complete and sheet.problem_count == 0, [n.problems for n in sheet.leaves() if n.problems]
    assert [fmt(n.score) for n in sheet.nodes] == ["8.5", "35", "50"]
    assert (fmt(sheet.total), sheet.grade) == ("93.5", "优")
    assert len(export_bundle(doc, tmp_path)) == 3


# Keys of a framework file whose text is for whoever writes or checks the framework, or is structure, not text
# the clerk reads: `note` (the author's reasoning; docs/framework-format.md) and identifiers.
_NOT_SHOWN = {"note", "format", "id", "key", "type", "kind", "direction", "partial", "insert", "targets"}
_NOT_SHOWN |= {"not_applicable", "indicator", "table_columns", "bind", "sums", "subject", "fact"}


def _shown_texts(raw: object, where: str = ""):
    """Every text of a framework file the clerk may read (names, labels, 评分标准, 指标解释, hints, source …)."""
    if isinstance(raw, dict):
        for k, v in raw.items():
            if k not in _NOT_SHOWN:
                yield from _shown_texts(v, f"{where}.{k}")
    elif isinstance(raw, list):
        for i, v in enumerate(raw):
            yield from _shown_texts(v, f"{where}[{i}]")
    elif isinstance(raw, str):
        yield where, raw


def _keys(raw: object) -> set[str]:
    if isinstance(raw, dict):
        return set(raw) | {k for v in raw.values() for k in _keys(v)}
    return {k for v in raw for k in _keys(v)} if isinstance(raw, list) else set()


@pytest.mark.parametrize("fid", SHIPPED)
def test_no_text_the_clerk_reads_in_a_shipped_framework_is_rule_syntax(fid, data_dir):
    """重庆's 预算执行率 said under 指标解释 “把本指标 bind 中的 denominator 改为 budget_initial”: advice to whoever
    edits the file, which belongs in its `note`. No clerk-visible text (nor a rule's own description, shown as
    计分方法 and as the 评分标准 when the file gives none) names a JSON key, a figure key or a rule type."""
    import re

    entry = next(e for e in catalogue() if e.id == fid)
    raw = json.loads(entry.path.read_text("utf-8"))
    fw = entry.framework
    syntax = _keys(raw) | set(fw.figures) | {leaf.rule.type_name for leaf in fw.leaves} | {"bind", "inferred"}
    texts = list(_shown_texts(raw))
    texts += [(f"{leaf.name}的计分方法", leaf.rule.describe()) for leaf in fw.leaves]
    assert len(texts) > 30
    for where, text in texts:
        # web addresses; the year placeholder
        text = re.sub(r"[\w-]+(\.[\w-]+)+", "", text.replace("{year}", ""))
        words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)) & syntax
        assert not words and "{" not in text and '"' not in text, (where, text)
    execution = fw.by_id.get("execution")
    if fid == "chongqing":
        assert execution.explanation == "预算执行率 = 全年执行数 ÷ 全年（调整）预算数 × 100%。"
        # kept for whoever edits the file
        assert "bind 中的 denominator 改为 budget_initial" in execution.note
