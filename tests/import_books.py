"""Workbooks in the shapes that real exports have, written by the tests with openpyxl."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

# 表1 as a 预算管理一体化系统 export looks: title merged over the table, unit line, heading on row 3,
# 一级 / 二级 merged down their rows, a 计量单位 column, a blank row, 小计 and 合计 rows, notes under the table.
SYSTEM_ROWS = [
    ("产出指标", "数量指标", "优化智慧城管系统", "3", "个", 10),
    (None, None, "设备维护数量", 35, "个", 10),
    (None, "质量指标", "信息安全可控", "重新进行网络布局，确保信息安全", None, 10),
    None,  # a blank row in the middle
    (None, "时效指标", "工作计划完成及时", "100%", None, 10),
    ("效益指标", "社会效益指标", "公众满意度", "≥９０", "%", 10),
]


def system_targets(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "绩效目标申报表"
    ws.append(["2021年度部门整体支出绩效目标申报表"])
    ws.merge_cells("A1:F1")
    ws.append(["单位名称：深圳市福田区数字化城管技术服务中心", None, None, None, "金额单位：万元"])
    ws.merge_cells("A2:D2")
    ws.append(["一级指标", "二级指标", "三级指标", "指标值", "计量单位", "分值"])
    for row in SYSTEM_ROWS:
        ws.append(list(row) if row else [])
    ws.merge_cells("A4:A6")  # 产出指标 over its first three rows; the row after the blank one has it empty
    ws.merge_cells("B4:B5")
    ws.append([None, None, "小计", None, None, 50])
    ws.append(["合计", None, None, None, None, 100])
    ws.append(["注：1. 本表由预算单位填报，经主管部门审核后报财政部门。"])
    ws.merge_cells(f"A{ws.max_row}:F{ws.max_row}")
    ws.append(["2. 指标值应可衡量。"])
    ws.append(["填报人：李武", None, None, "联系电话：0755-83142432"])
    wb.save(path)
    return path


# The national 项目支出 / 部门整体 自评表: project facts above, a heading split over two rows
# (绩效指标 over 一级 / 二级 / 三级, the other headings merged down both rows), 得分 and 分值 columns.
def national_self_evaluation(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws.append(["部门整体支出绩效自评表"])
    ws.merge_cells("A1:H1")
    ws.append(["（2021年度）"])
    ws.append(["主管部门", "深圳市福田区城市管理和综合执法局", None, "实施单位", "数字化城管技术服务中心"])
    ws.append(["资金情况（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    ws.append([None, "年度资金总额", 1273.37, 1273.37, 1168.8, 10, 0.9179, 9.18])
    ws.append(["年度总体目标", "预期目标", None, None, "实际完成情况"])
    ws.append([None, "优化系统，提升精细化水平", None, None, "已完成"])
    ws.append(["绩效指标", None, None, "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"])
    ws.append(["一级指标", "二级指标", "三级指标"])
    for c in "DEFGH":
        ws.merge_cells(f"{c}8:{c}9")
    ws.merge_cells("A8:C8")
    first = ws.max_row + 1
    ws.append(["产出指标", "数量指标", "设备维护数量", "35个", "36个", 10, 10, None])
    ws.append([None, None, "优化系统数", "３", "=D11*1", 10, 10, None])  # full-width 3; a formula
    ws.append([None, "质量指标", "系统可用率", "≥99%", 0.985, 10, 9, "网络故障两次，已更换设备"])
    ws["E12"].number_format = "0.0%"
    ws.append(["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "93.8%", 10, 10, None])
    ws.append(["总分", None, None, None, None, 100, 92, None])
    ws.merge_cells(f"A{first}:A{first + 2}")
    ws.merge_cells(f"B{first}:B{first + 1}")
    ws.append(["=cmd|' /C calc'!A0", "标题党", "恶意公式文本", "1", "1"])
    c = ws.cell(row=ws.max_row, column=1)
    c.value, c.data_type = "=cmd|' /C calc'!A0", "s"  # text that looks like a formula stays text
    wb.save(path)
    return path


def with_cached_values(path: Path, cached: dict[str, str]) -> Path:
    """Give formulas cached results, as Excel saves them (openpyxl writes none): {"E11": "3"}."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    for ref, value in cached.items():
        xml, n = re.subn(
            rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v></v>)?', rf"\1<v>{value}</v>", xml
        )
        assert n == 1, ref
    parts["xl/worksheets/sheet1.xml"] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    return path


# A department's own budget sheet: label / value pairs with a unit column, and a sheet-wide unit in 元.
def budget_sheet(path: Path, yuan: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "决算数据"
    ws.append(["2021年度部门收支情况"])
    ws.merge_cells("A1:C1")
    ws.append(["单位：元" if yuan else "单位：万元"])
    ws.append(["项目", "本年数", "备注"])
    k = 10000 if yuan else 1
    ws.append(["一、年初预算收入", 1273.37 * k])
    ws.append(["本年支出合计", "1,168.80" if not yuan else 11688000])
    ws.append(["    其中：人员经费", "３５５.０５" if not yuan else 3550500])
    ws.append(["四季度预算执行率", 0.9721, "按调整预算"])
    ws["B7"].number_format = "0.00%"
    ws.append(["公众或服务对象满意度", "93.8%"])
    ws.append(["一般公共预算财政拨款", 1000 * k])  # not a figure of the framework
    ws.append(["年末结余结转", "#N/A"])
    ws.append(["事业编制数", "10人"])
    wb.save(path)
    return path
