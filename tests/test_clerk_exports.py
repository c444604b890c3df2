"""What the QA pass found in the exported files, pinned at the report model that every format renders."""

from core.drafts import load
from core.report_text import figures_used
from tests.conftest import ROOT

CHONGQING = ROOT / "resources" / "examples" / "chongqing-2021.json"


def test_text_and_choice_inputs_are_shown_as_typed_not_as_invalid_numbers():
    """附件1's 评分依据 of the 重庆 example said “计量单位 “%”（无效）…方向 “≥”（无效）…是否核心指标 “否”（无效）” and
    “全年完成值 92” for the 92% typed: a 计量单位, a direction or 是/否 is not a number that failed."""
    doc = load(CHONGQING)
    row = doc.tree.by_id["indicators.r1"]  # 财政供养人员控制率: %, 100%, 92%, ≤, 100, 否
    assert figures_used(doc, row) == [
        "计量单位 %",
        "年初指标值 100%",
        "全年完成值 92%",
        "方向 ≤",
        "得分系数 100%",
        "是否核心指标 否",
    ]


def test_a_framework_whose_rows_are_the_targets_has_no_empty_table1_sheet():
    """The 重庆 workbook had a sheet “表1 2021年度部门整体绩效目标表” saying （尚未填写绩效目标）: its targets are
    the scored rows of 表2, and the window has no 表1 to fill."""
    from io import BytesIO

    from openpyxl import load_workbook

    from core.export_xlsx import to_bytes

    names = load_workbook(BytesIO(to_bytes(load(CHONGQING)))).sheetnames
    assert names == ["基本信息", "表2 评分表", "附件1 自评评分表"]
