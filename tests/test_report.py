"""The report model (core.report): decided once, printed alike by every renderer; any tree shape, the framework's
表2 columns, what is 未评分 or 暂定, and the 草稿 with its reasons."""

import copy

import pytest

from core.document import Evaluation
from core.export import export_bundle
from core.framework import Framework
from core.report import NOT_SCORED, TABLE2_PRESETS, build_report, scores_table, table2_columns
from core.scoring import score


def mixed_framework() -> Framework:
    """Leaves at level 1, 2 and 3 in one tree."""

    def judged(i, name, w):
        return {"id": i, "name": name, "weight": w, "rule": {"type": "judged"}}

    data = {
        "format": "jixiao-framework",
        "format_version": 1,
        "id": "mixed",
        "name": "混合框架",
        "year": 2024,
        "total": 100,
        "grades": [{"name": "优", "min": 90}, {"name": "良", "min": 80}, {"name": "差", "min": 0}],
        "figure_groups": [],
        "sections": [{"key": "scores", "title": "一、评分情况", "level": 1, "insert": "scores"}],
        "indicators": [
            judged("exec", "预算执行率", 10),
            {
                "id": "b",
                "name": "产出指标",
                "weight": 50,
                "children": [
                    judged("b1", "数量指标", 20),
                    {
                        "id": "b2",
                        "name": "质量指标",
                        "weight": 30,
                        "children": [judged("b2a", "合格率", 20), judged("b2b", "验收通过率", 10)],
                    },
                ],
            },
            {
                "id": "c",
                "name": "效益指标",
                "weight": 40,
                "children": [
                    {"id": "c1", "name": "社会效益", "weight": 40, "children": [judged("c1a", "满意度", 40)]}
                ],
            },
        ],
    }
    return Framework.from_dict(copy.deepcopy(data))


def filled(fw: Framework, skip=()) -> Evaluation:
    doc = Evaluation.new(fw)
    doc.facts["department"] = "测试局"
    for leaf in fw.leaves:
        if leaf.id not in skip:
            doc.set(("indicators", leaf.id, "inputs", "deduction"), "1")
            doc.set(("indicators", leaf.id, "reason"), "理由")
    return doc


def texts(row) -> list[str | None]:
    return [c.text if c else None for c in row.cells]


def test_a_tree_with_leaves_at_every_level_keeps_every_row_in_table2():
    doc = filled(mixed_framework())
    table = build_report(doc).sheets[2]
    body = [r for r in table.rows if r.kind == "body"]
    assert len(body) == 5  # every leaf, the level-1 leaf included
    assert texts(body[0]) == ["预算执行率", "10", "预算执行率", "10", "预算执行率", "10", "9"]
    assert texts(body[1]) == ["产出指标", "50", "数量指标", "20", "数量指标", "20", "19"]
    assert texts(body[2])[:4] == [None, None, "质量指标", "30"] and texts(body[2])[4:] == [
        "合格率",
        "20",
        "19",
    ]
    assert body[1].cells[0].rows == 3 and body[2].cells[2].rows == 2  # merged down their rows
    total = next(r for r in table.rows if r.cells[0] and r.cells[0].text == "合计")
    assert texts(total) == ["合计", "100", "-", "100", "-", "100", "95"]  # every level adds up to the total
    grade = table.rows[-1]
    assert grade.cells[0].text == "评价等级" and grade.cells[0].cols == 6 and grade.cells[6].text == "优"


@pytest.mark.parametrize("preset", list(TABLE2_PRESETS))
def test_every_preset_renders_in_every_format(tmp_path, preset):
    fw = mixed_framework()
    fw.table_columns = preset
    doc = filled(fw, skip={"c1a"})
    doc.entry("exec")["target"] = "≥ 90%"
    doc.entry("exec")["actual"] = "76%"
    report = build_report(doc)
    table = report.sheets[2]
    assert [c.key for c in table.columns] == [
        x if isinstance(x, str) else x["key"] for x in TABLE2_PRESETS[preset]
    ]
    body = [r for r in table.rows if r.kind == "body"]
    assert len(body) == 5
    keys = [c.key for c in table.columns]
    if "target" in keys:
        row = body[0]
        assert (
            row.cells[keys.index("target")].text == "≥ 90%" and row.cells[keys.index("actual")].text == "76%"
        )
    score = keys.index("score")
    assert body[-1].cells[score].text == NOT_SCORED
    written = export_bundle(doc, tmp_path)
    assert [p.suffix for p in written] == [".xlsx", ".docx", ".pdf"]


def test_the_framework_labels_columns_and_unknown_declarations_fall_back_to_futian():
    fw = mixed_framework()
    fw.table_columns = ["name", {"key": "weight", "label": "权重"}, "score", "nonsense"]
    assert [(c.key, c.label) for c in table2_columns(fw)] == [
        ("name", "指标名称"),
        ("weight", "权重"),
        ("score", "得分"),
    ]
    fw.table_columns = "no such preset"
    assert [c.label for c in table2_columns(fw)][-1] == "评分结果"


def test_unscored_and_provisional_are_decided_once():
    doc = filled(mixed_framework(), skip={"c1a", "b2b"})
    report = build_report(doc)
    details = report.annexes[0].table
    by_name = {r.cells[0].text: r for r in details.rows if r.cells[0]}
    assert by_name["效益指标"].cells[4].text == NOT_SCORED  # nothing below it scored: not "0"
    assert by_name["效益指标"].cells[2].text == ""  # and no 得分率 0%
    assert by_name["质量指标"].cells[4].text == "19（暂定）" and by_name["质量指标"].cells[5].text == ""
    total = by_name["合计"]
    # no unscored points counted lost: the provisional total takes the 扣分 column too, and the grade the two
    # wide columns before it, so that neither breaks in a narrow column
    assert total.cells[4].text == "47（暂定）" and total.cells[4].cols == 2 and total.cells[5] is None
    assert (
        total.cells[2].text == "评价等级：差（暂定）"
        and total.cells[2].cols == 2
        and total.cells[6].text == ""
    )
    # 表2's 评价等级, in the national columns (偏差原因 after 得分): "差（暂定）" over 得分 and 偏差原因
    doc.framework.table_columns = "national"
    grade = scores_table(doc, score(doc)).rows[-1]
    assert [(c.text, c.cols) for c in grade.cells if c] == [("评价等级", 6), ("差（暂定）", 2)]
    assert report.draft and report.draft_reasons[0] == "尚有 2 项指标未评分（验收通过率；满意度）"
    chart = next(b for b in report.body if b.__class__.__name__ == "Chart")
    assert [name for name, *_ in chart.bars] == ["预算执行率", "数量指标"]  # only what is fully scored
    text = " ".join(b.text for b in report.body if hasattr(b, "text"))
    assert "本指标总分 40 分，尚未评分" in text and "得分率 0%" not in text
    assert "本指标总分 50 分，已评分部分得分 38 分（暂定）" in text
    assert "本指标未扣分" not in text


def test_the_seed_report_model(example):
    report = build_report(example)
    assert report.file_stem == "深圳市福田区数字化城管技术服务中心2020年度部门整体绩效自评报告"
    assert [line.label for line in report.cover] == [
        "部门名称（公章）",
        "单位负责人（签章）",
        "填报人",
        "联系电话",
        "填报日期",
    ]
    assert [line.room for line in report.cover] == [3, 3, 1, 1, 1]
    assert report.body[-1].text == "附件：1. 《深圳市福田区数字化城管技术服务中心部门整体支出绩效自评评分表》"
    assert [t.sheet for t in report.sheets] == [
        "基本信息",
        "表1 绩效目标表",
        "表2 评分表",
        "附件1 自评评分表",
    ]
    assert report.annexes[0].table is report.sheets[3]  # one 附件1 for the PDF, Word and the workbook
    assert report.draft_reasons == [
        "审核发现 1 项错误（评价日期“2020-04”早于评价年度 2020 年结束：2020 年度的自评应在年度结束后（2021 年或以后）"
        "进行，请核对（可能应为“2021-04”））"
    ]


def test_a_reason_and_its_override_reason_join_with_one_mark(example):
    example.set(("indicators", "target_clarity", "override"), "6.5")
    example.set(("indicators", "target_clarity", "override_reason"), "复核后调整")
    details = build_report(example).annexes[0].table
    row = next(r for r in details.rows if r.cells[0] and r.cells[0].text == "绩效指标明确性")
    assert row.cells[6].text.endswith("不够贴合实际；手工调整：复核后调整")
    assert "。；" not in row.cells[6].text


@pytest.mark.parametrize("policy", ["rescale", "full"])
def test_not_applicable_rows_say_so_in_every_format(tmp_path, policy):
    from tests.test_shapes import MIXED, fill, framework

    doc = Evaluation.new(framework(MIXED, not_applicable=policy), 2025)
    doc.facts["department"] = "测试局"
    fill(doc, {"count": "0", "q1": "2", "q2": "0", "effect": "4"})
    doc.set(("indicators", "exec", "na"), "1")
    doc.set(("indicators", "exec", "reason"), "本年度无项目支出")
    report = build_report(doc)
    scores = report.sheets[2]
    row = next(r for r in scores.rows if r.cells[0] and r.cells[0].text == "预算执行率")
    text = " ".join(b.text for b in report.body if hasattr(b, "text"))
    if policy == "rescale":
        assert row.cells[-1].text == "不适用"  # not 未评分: nothing is missing
        note = "不适用指标共 10 分不计入，按其余 90 分折算：84 ÷ 90 × 100 = 93.33 分"
        assert note in scores.notes and note in report.annexes[0].table.notes
        assert "得分为93.33分" in text and note + "。" in text  # the total explained where it is given
        assert "其中 1 个末级指标不适用（预算执行率），不计入得分。" in text
    else:
        assert row.cells[-1].text == "10"
        assert "其中 1 个末级指标不适用（预算执行率），按满分计。" in text
    assert not report.draft  # 不适用 with its reason is not 未评分
    written = export_bundle(doc, tmp_path)
    assert len(written) == 3


def test_rows_the_clerk_added_are_in_every_table_and_format(tmp_path):
    from tests.test_shapes import rows_doc

    doc = rows_doc()
    report = build_report(doc)
    names = {c.text for r in report.sheets[2].rows for c in r.cells if c}
    assert {"培训人次", "验收合格率", "宣传活动次数", "数量指标", "质量指标", "部门特性指标"} <= names
    details = {r.cells[0].text for r in report.annexes[0].table.rows if r.cells[0]}
    assert {"培训人次", "验收合格率", "宣传活动次数"} <= details
    written = export_bundle(doc, tmp_path)
    assert len(written) == 3
