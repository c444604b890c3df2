"""What the QA pass found in the exported files, pinned at the report model that every format renders."""

from core.drafts import load
from core.report import figures_used
from tests.conftest import ROOT

CHONGQING = ROOT / "resources" / "examples" / "chongqing-2021.json"


def test_text_and_choice_inputs_are_shown_as_typed_not_as_invalid_numbers():
    """附件1's 评分依据 of the 重庆 example said “计量单位 “%”（无效）…方向 “≥”（无效）…是否核心指标 “否”（无效）” and
    “全年完成值 92” for the 92% typed: a 计量单位, a direction or 是/否 is not a number that failed. The 指标值 and
    完成值 print as in 表2, with their direction and unit (so these are not repeated)."""
    doc = load(CHONGQING)
    row = doc.tree.by_id["indicators.r1"]  # 财政供养人员控制率: %, 100%, 92%, ≤, 100, 否
    assert figures_used(doc, row) == [
        "年初指标值 ≤100%",
        "全年完成值 92%",
        "得分系数 100%",
        "是否核心指标 否",
    ]


def test_a_project_evaluation_is_titled_as_one_not_as_a_department_evaluation():
    """The national 项目支出绩效自评表 was exported as “2025 年度部门整体绩效自评报告”, its 附件1 “…部门整体支出绩效自评
    评分表” and its files “…部门整体绩效自评报告.pdf”: the framework says what is evaluated."""
    from core.catalogue import catalogue
    from core.document import Evaluation
    from core.framework import load_framework
    from core.report import build_report

    entry = next(e for e in catalogue() if e.id == "national-project")
    doc = Evaluation.new(load_framework(entry.path), 2025)
    doc.facts["department"] = "某局"
    report = build_report(doc)
    assert report.title == "2025 年度项目支出绩效自评报告"
    assert report.file_stem == "某局2025年度项目支出绩效自评报告"
    assert report.annexes[0].title == "某局项目支出绩效自评评分表"
    assert [t.caption for t in report.sheets] == [
        "2025年度项目支出绩效自评基本信息",
        "表1 2025年度项目支出绩效目标表",
        "表2 2025年度项目支出绩效评价评分表",
        "某局项目支出绩效自评评分表",
    ]
    # the default: a department's whole spending
    futian = load(ROOT / "resources" / "examples" / "futian-2020.json")
    assert build_report(futian).title == "2020 年度部门整体绩效自评报告"


def test_a_blank_evaluation_of_every_shipped_framework_exports_in_every_format(tmp_path):
    """A new 重庆 or 全国项目支出 evaluation (no row added yet) could not be exported: “程序出现意外错误
    （KeyError：'output'）”, in the window and on the command line."""
    import subprocess
    import sys

    for fid in ("futian", "chongqing", "national-project", "yueyang"):
        draft = tmp_path / f"{fid}.json"
        run = [sys.executable, str(ROOT / "main.py")]
        r = subprocess.run(
            [*run, "new", "--framework", fid, "--year", "2025", str(draft)], capture_output=True
        )
        assert r.returncode == 0, r.stderr.decode()
        r = subprocess.run([*run, "export", str(draft), "--all", str(tmp_path / fid)], capture_output=True)
        out = r.stdout.decode() + r.stderr.decode()
        assert r.returncode == 0 and "意外错误" not in out, out
        assert len(list((tmp_path / fid).iterdir())) == 3


def test_an_export_marked_draft_for_unscored_indicators_names_them(tmp_path):
    """`export` said “注意：还有 2 项指标未评分，导出的文件标为“草稿”；改正后重新导出即为正式版本：” and nothing after the
    colon; the report's 草稿 reason named 预算执行率 only, not the rows still to add."""
    import subprocess
    import sys

    from core.catalogue import catalogue
    from core.document import Evaluation
    from core.framework import load_framework
    from core.report import build_report

    entry = next(e for e in catalogue() if e.id == "chongqing")
    doc = Evaluation.new(load_framework(entry.path), 2025)
    assert build_report(doc).draft_reasons == ["尚有 2 项指标未评分（预算执行率；绩效指标）"]
    run = [sys.executable, str(ROOT / "main.py")]
    draft = tmp_path / "cq.json"
    subprocess.run([*run, "new", "--framework", "chongqing", "--year", "2025", str(draft)], check=True)
    r = subprocess.run([*run, "export", str(draft), "--xlsx", str(tmp_path / "cq.xlsx")], capture_output=True)
    lines = r.stdout.decode().splitlines()
    assert (
        lines[0].endswith("改正后重新导出即为正式版本：") and lines[1] == "  未评分：预算执行率；绩效指标"
    ), lines


def test_the_national_table_shows_each_value_with_its_direction_and_unit():
    """表2 of the national table has no 计量单位 column: a row typed as ≥ 5 万宗 / 5.74 万宗 was printed “5” and
    “5.74”, its direction and unit lost (the paper table reads “≥5万宗”)."""
    from core.catalogue import catalogue
    from core.document import Evaluation
    from core.framework import load_framework
    from core.report import build_report

    entry = next(e for e in catalogue() if e.id == "national-project")
    doc = Evaluation.new(load_framework(entry.path), 2025)
    inputs = {"unit": "万宗", "nature": "定量", "direction": "≥", "target": "5", "actual": "5.74"}
    row = doc.add_row("output", group="数量指标", name="案件处理数量", weight="20")
    doc.entry(row["id"])["inputs"] = dict(inputs)
    row = doc.add_row("output", group="质量指标", name="结案率", weight="15")
    doc.entry(row["id"])["inputs"] = {**inputs, "unit": "%", "target": "≥95%", "actual": "91.17%"}
    row = doc.add_row("benefit", group="社会效益指标", name="市容", weight="30")
    doc.entry(row["id"])["inputs"] = {"nature": "定性", "target": "明显改善", "actual": "明显改善"}
    table = build_report(doc).sheets[2]
    keys = [c.key for c in table.columns]
    body = {r.cells[keys.index("level3")].text: r for r in table.rows if r.kind == "body"}

    def shown(name):
        cells = body[name].cells
        return cells[keys.index("target")].text, cells[keys.index("actual")].text

    assert shown("案件处理数量") == ("≥5万宗", "5.74万宗")
    assert shown("结案率") == ("≥95%", "91.17%")  # typed with them: not doubled
    assert shown("市容") == ("明显改善", "明显改善")


def test_the_workbooks_basic_information_shows_the_rates_the_program_computed():
    """基本信息 said “由程序计算” beside an empty cell for the Q1 and Q2 execution rates (83.58% and 84.23% in the
    seed), and said it too of a quarter's spending left empty where its rate was typed (nothing computes a
    spending)."""
    from core.report import build_report

    doc = load(ROOT / "resources" / "examples" / "futian-2020.json")
    doc.set(("figures", "q3_spending"), "")  # Q3's rate is typed (98.67)
    facts = build_report(doc).sheets[0]
    shown = {
        r.cells[0].text: (r.cells[1].text, r.cells[2].text) for r in facts.rows if r.cells[2] is not None
    }
    assert shown["一季度预算执行率"] == ("83.58%", "由程序计算")
    assert shown["二季度预算执行率"] == ("84.23%", "由程序计算")
    assert shown["三季度累计支出"] == ("", "")
    assert shown["三季度预算执行率"] == ("98.67%", "%")


def test_figures_summed_by_a_rule_are_listed_with_their_values_in_the_annex(tmp_path):
    """岳阳's 预算完成率 = (上年结转 + 年初预算数 + 本年追加预算 − 年末结余) ÷ (…) showed 使用的共用数据 “—” (its
    inputs, bound to sums, may be replaced by a typed rate); each figure summed now shows once with its value, last
    year's as 上年…, and with nothing given the figures it reads show as 未填."""
    import subprocess

    from core.catalogue import find
    from core.document import Evaluation
    from core.export import export_bundle

    fw = find("yueyang")
    doc = Evaluation.new(fw, 2025)
    completion, change = fw.by_id["budget_completion"], fw.by_id["sangong_change"]
    assert figures_used(doc, completion) == [
        "上年结转 未填",
        "年初预算数 未填",
        "本年追加预算 未填",
        "年末结余 未填",
    ]
    doc.figures.update(carryover_begin="100", budget_initial="1000", budget_added="50", carryover_end="20")
    doc.figures["sangong_actual"], doc.previous["sangong_actual"] = "80", "100"
    assert figures_used(doc, completion) == [
        "上年结转 100 万元",
        "年初预算数 1,000 万元",
        "本年追加预算 50 万元",
        "年末结余 20 万元",
    ]
    assert figures_used(doc, change) == ["“三公”经费实际支出数 80 万元", "上年“三公”经费实际支出数 100 万元"]
    pdf = export_bundle(doc, tmp_path)[2]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    annex = "".join(text.split())  # 附件1's 评分依据 of 预算完成率, then its formula
    assert (
        "上年结转100万元；年初预算数1,000万元；本年追加预算50万元；年末结余20万元预算完成率=(上年结转100"
        in annex
    )
    doc.figures.clear()
    doc.set(("indicators", "budget_completion", "inputs", "rate"), "95")  # the rate typed: no figure is read
    assert figures_used(doc, completion) == ["预算完成率 95%"]
