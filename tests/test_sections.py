"""The filling order and each step's state (core.sections): what the window's step list shows."""

from core.document import Evaluation
from core.scoring import score
from core.sections import (
    FIGURES_KEY,
    NARRATIVE_KEY,
    SUMMARY_KEY,
    TARGETS_KEY,
    row_pages,
    section_of,
    sections,
    state,
    text_sections,
)


def states(doc, findings=None):
    sheet = score(doc)
    return {
        s.title: (st.status, st.summary)
        for s in sections(doc.framework)
        for st in [state(s, doc, sheet, findings)]
    }


def test_order_of_steps_for_the_seed(example):
    assert [s.title for s in sections(example.framework)] == [
        "基本信息",
        "绩效目标表",
        "预算与执行数据",
        "部门决策",
        "部门管理",
        "部门绩效",
        "总体评价与整改",
        "汇总与导出",
    ]
    assert [s.root for s in sections(example.framework)][3:6] == ["decision", "management", "performance"]


def test_states_of_the_example(example):
    st = states(example)
    assert st["基本信息"] == ("open", "6 项中还有 1 项未填")  # 单位负责人 is not in the seed
    assert st["绩效目标表"] == ("open", "13 行未填完（实际完成值）")
    # Q1/Q2 rates are computed: their boxes stay empty
    assert st["预算与执行数据"] == (
        "done",
        "必填项已填完",
    )
    assert st["部门决策"] == ("done", "4 项指标已评完")
    assert st["部门管理"] == ("done", "10 项指标已评完")
    assert st["部门绩效"] == ("done", "7 项指标已评完")
    assert st["总体评价与整改"] == ("done", "已写完")
    assert st["汇总与导出"] == ("done", "全部指标已评分，可以导出")


def test_states_of_a_new_document(example):
    doc = Evaluation.new(example.framework)
    st = states(doc)
    assert st["基本信息"] == ("open", "6 项中还有 5 项未填")  # the year is filled in from the framework
    assert st["绩效目标表"] == ("open", "还没有绩效目标")
    assert st["预算与执行数据"] == ("open", "46 项未填，其中 25 项必填")  # a blank document reads as blank
    assert st["部门决策"] == ("open", "4 项指标未填")
    assert st["部门绩效"] == ("open", "7 项指标未填")
    assert st["总体评价与整改"] == ("open", "11 节未写")  # 四、评分情况 needs no text of its own
    assert st["汇总与导出"] == ("open", "21 项指标均未评分")


def test_a_blank_sheet_has_no_total_and_no_grade_until_an_indicator_is_scored(example):
    from core.scoring import score
    from core.sections import shown_grade, shown_total

    doc = Evaluation.new(example.framework)
    sheet = score(doc)
    assert (shown_total(sheet), shown_grade(sheet), sheet.grade) == ("—", "—", "差")
    doc.set(("indicators", "budget_rationality", "inputs", "deduction"), "0")
    sheet = score(doc)
    assert (shown_total(sheet), shown_grade(sheet)) == ("5", "差")
    assert states(doc)["预算与执行数据"] == ("open", "46 项未填，其中 25 项必填")
    doc.set(("figures", "satisfaction"), "96")
    # every empty field is counted (not only those that must be filled: 45 are empty, not 24)
    assert states(doc)["预算与执行数据"] == ("open", "46 项中还有 45 项未填，其中 24 项必填")
    for key in doc.framework.figures:
        if key not in doc.framework.optional_figures:
            doc.set(("figures", key), "1")
    assert states(doc)["预算与执行数据"] == ("done", "必填项已填完")  # the other 21 may stay empty
    doc.set(("narrative", "opening"), "根据……")
    assert states(doc)["总体评价与整改"] == ("open", "11 节中还有 10 节未写")


def test_problems_mark_their_step(example):
    example.figures["procurement_actual"] = "5l3"
    example.indicators["budget_compliance"]["inputs"]["deduction"] = "1"
    st = states(example)
    assert st["预算与执行数据"] == ("problem", "1 项不是有效数字")
    assert st["部门决策"] == ("problem", "1 项有问题")  # 扣 1 分 without a reason
    # 政府采购: bad figure, no score
    assert st["部门管理"] == (
        "problem",
        "10 项指标中还有 1 项未填；1 项有问题",
    )
    assert st["汇总与导出"] == ("problem", "2 项指标有问题")


def test_findings_mark_their_step():
    from dataclasses import dataclass

    from core.drafts import load
    from tests.conftest import EXAMPLE

    @dataclass
    class F:
        severity: str
        message: str
        path: tuple

    doc = load(EXAMPLE)
    findings = [
        F("错误", "x", ("facts", "evaluation_date")),
        F("警告", "y", ("figures", "q3_rate")),
        F("警告", "z", ("figures", "q4_rate")),
    ]
    st = states(doc, findings)
    assert st["基本信息"] == ("problem", "6 项中还有 1 项未填")
    assert st["预算与执行数据"] == ("done", "必填项已填完")
    sheet = score(doc)
    facts, _, figures = (state(s, doc, sheet, findings) for s in sections(doc.framework)[:3])
    assert (facts.findings, facts.errors, facts.findings_text) == (1, 1, "审核发现 1 条（错误 1 条）")
    assert (figures.findings, figures.errors, figures.findings_text) == (2, 0, "审核发现 2 条")


def test_section_of_paths(example):
    fw = example.framework
    assert section_of(("facts", "leader"), fw) == "facts"
    assert section_of(("targets", 3, "actual"), fw) == TARGETS_KEY
    assert section_of(("figures", "q1_rate"), fw) == FIGURES_KEY
    assert section_of(("narrative", "overall_plans"), fw) == NARRATIVE_KEY
    assert section_of(("indicators", "satisfaction", "inputs", "rate"), fw) == "indicator:performance"
    assert section_of(("indicators", "budget_compliance", "reason"), fw) == "indicator:decision"
    assert section_of(("indicators", "management"), fw) == "indicator:management"
    assert section_of(("indicators", "unknown_leaf"), fw) is None
    assert section_of((), fw) is None
    assert SUMMARY_KEY == sections(fw)[-1].key


def test_text_sections_leave_out_bare_headings(example):
    keys = [s.key for s in text_sections(example.framework)]
    assert "basic" not in keys and "performance" not in keys and "overall" not in keys
    assert keys[0] == "opening" and keys[-1] == "scores"


def test_synthetic_framework_has_a_step_per_root():
    from benchmarks.synthetic import make_document

    doc = make_document(1000)
    secs = sections(doc.framework)
    assert len(secs) == 15
    assert secs[3].title == "一级指标 0"
    st = state(secs[3], doc, score(doc))
    assert st.summary.startswith("100 项指标")


def test_states_in_one_pass_equal_state_per_step(example):
    from dataclasses import dataclass

    from core.sections import states as all_states

    @dataclass
    class F:
        severity: str
        message: str
        path: tuple

    findings = [F("错误", "x", ("indicators", "satisfaction", "reason")), F("提示", "y", ())]
    sheet = score(example)
    assert all_states(example, sheet, findings) == [
        state(s, example, sheet, findings) for s in sections(example.framework)
    ]
    assert all_states(example, sheet, findings)[5].status == "problem"


def test_a_node_without_rows_yet_counts_as_one_indicator_to_fill():
    """重庆: 预算执行率 (a 一级 leaf) and 90 points of rows the clerk adds. With 预算执行率 scored and no row yet,
    the total read "—" (the node without rows was open but not counted among the indicators) and the step said
    "1 项指标未填" where there is no row to fill."""
    from core.catalogue import catalogue
    from core.framework import load_framework
    from core.sections import shown_total

    entry = next(e for e in catalogue() if e.id == "chongqing")
    doc = Evaluation.new(load_framework(entry.path), 2025)
    st = states(doc)
    assert st["绩效指标"] == ("open", "还没有添加指标")
    assert st["汇总与导出"] == ("open", "2 项指标均未评分")
    doc.set(("figures", "spent"), "76")
    doc.set(("figures", "budget_adjusted"), "100")
    doc.set(("indicators", "execution", "reason"), "进度滞后")
    sheet = score(doc)
    assert (sheet.leaf_count, sheet.open_count) == (2, 1)
    assert shown_total(sheet) == "7.6"  # 76% × 10
    assert states(doc)["汇总与导出"] == ("open", "2 项指标中还有 1 项未评分")


def test_the_last_step_is_not_done_while_an_error_would_mark_the_exports_draft(example):
    """The example (one 审核 error, every indicator scored): the step said “全部指标已评分，可以导出” in green while
    its own page said the files would be marked 草稿."""
    from core.checks import check

    sheet = score(example)
    st = states(example, check(example, sheet))
    assert st["汇总与导出"] == ("open", "全部指标已评分；审核错误 1 条，导出将标为“草稿”")


def test_rows_are_paged_by_group_when_there_are_many():
    """The clerk's rows of a node: one page with every group (empty ones too) up to 30 rows; beyond, each group on
    pages of 20 rows, and a group without rows on a page of its own (where its first row is added)."""
    from core.catalogue import find

    fw = find("national-project")
    groups = fw.by_id["output"].rows.groups
    doc = Evaluation.new(fw, 2025)
    for i in range(30):
        doc.add_row("output", name=f"行{i}", weight="1", group=groups[i % 2])
    (page,) = row_pages(doc.tree.by_id["output"], groups)
    assert page.title == "全部 30 行"
    assert [(c.group, len(c.rows), c.last) for c in page.chunks] == [
        ("数量指标", 15, True),
        ("质量指标", 15, True),
        ("时效指标", 0, True),
        ("成本指标", 0, True),
    ]
    doc.add_row("output", name="行30", weight="1", group="数量指标")
    pages = row_pages(doc.tree.by_id["output"], groups)
    assert [p.title for p in pages] == [
        "数量指标（16 行）",
        "质量指标（15 行）",
        "时效指标（还没有行）",
        "成本指标（还没有行）",
    ]
    for i in range(31, 60):
        doc.add_row("output", name=f"行{i}", weight="1", group="数量指标")
    pages = row_pages(doc.tree.by_id["output"], groups)
    assert [p.title for p in pages][:4] == [
        "数量指标 第 1–20 行（共 45 行）",
        "数量指标 第 21–40 行（共 45 行）",
        "数量指标 第 41–45 行（共 45 行）",
        "质量指标（15 行）",
    ]
    assert [c.last for p in pages[:3] for c in p.chunks] == [False, False, True]
    second = pages[1].chunks[0]
    assert [leaf.name for leaf in second.rows][:2] == ["行35", "行36"] and second.start == 20
    assert pages[1].holds(second.rows[0].id) and not pages[0].holds(second.rows[0].id)
    chongqing = Evaluation.new(find("chongqing"), 2025)
    for i in range(45):
        chongqing.add_row("indicators", name=f"行{i}", weight="2")
    titles = [p.title for p in row_pages(chongqing.tree.by_id["indicators"], ())]
    assert titles == ["第 1–20 行（共 45 行）", "第 21–40 行（共 45 行）", "第 41–45 行（共 45 行）"]
