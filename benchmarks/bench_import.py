"""Import time of a 2,000-row 绩效目标表, against reading the same workbook with bare openpyxl.

Run: uv run python benchmarks/bench_import.py [repeats]
The workbook has the shape of a 预算管理一体化系统 export (title and unit rows, heading on row 3, 一级 / 二级 merged
down their rows, a 计量单位 column, numbers as numbers and as text, notes under the table). The baseline,
measured in the same run, opens it with openpyxl read-only (cached values) and reads every row's values.
The import is timed as the user gets it: read_file (file checks, every sheet, merged ranges, percent formats),
plan_targets (heading, mapping) and read (rows, merged cells repeated, problems). Goal: import ≤ 1.5 × baseline.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook, load_workbook  # noqa: E402

from core.importing import plan_targets  # noqa: E402
from core.tables import read_file  # noqa: E402

GOAL = 1.5


def medians_ms(a, b, repeat: int) -> tuple[float, float]:
    """Median times of a and b, run alternately so that both see the same load on a noisy machine."""
    a(), b()
    ta, tb = [], []
    for _ in range(repeat):
        for fn, times in ((a, ta), (b, tb)):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
    return statistics.median(ta) * 1000, statistics.median(tb) * 1000


def make_workbook(path: Path, rows: int) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "绩效目标申报表"
    ws.append(["2025年度部门整体支出绩效目标申报表"])
    ws.merge_cells("A1:G1")
    ws.append(["单位名称：某区某中心", None, None, None, None, "金额单位：万元"])
    ws.append(["一级指标", "二级指标", "三级指标", "指标值", "计量单位", "分值", "备注"])
    level1 = ("产出指标", "效益指标", "满意度指标")
    level2 = ("数量指标", "质量指标", "时效指标", "成本指标")
    first = 4
    for i in range(rows):
        value = i * 3 + 1 if i % 3 == 0 else f"{i * 7:,}.5" if i % 3 == 1 else f"≥{90 + i % 10}%"
        ws.append([level1[i // 40 % 3], level2[i // 10 % 4], f"第 {i + 1} 项指标", value, "个", 1, None])
        if i % 10 == 9:
            ws.merge_cells(f"B{first + i - 9}:B{first + i}")
        if i % 40 == 39:
            ws.merge_cells(f"A{first + i - 39}:A{first + i}")
    ws.append(["合计", None, None, None, None, rows])
    ws.append(["注：本表由预算单位填报。"])
    ws.merge_cells(f"A{ws.max_row}:G{ws.max_row}")
    wb.save(path)


def bare(path: Path) -> int:
    wb = load_workbook(path, read_only=True, data_only=True)
    n = sum(1 for ws in wb.worksheets for _row in ws.iter_rows(values_only=True))
    wb.close()
    return n


def ours(path: Path) -> int:
    return len(plan_targets(read_file(path)).read().rows)


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    rows = 2000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "目标表.xlsx"
        make_workbook(path, rows)
        assert ours(path) == rows, "every row must be imported"
        base, mine = medians_ms(partial(bare, path), partial(ours, path), repeat)
    ratio = mine / base
    print(f"{'case':<24}{'bare openpyxl':>16}{'import':>10}{'ratio':>8}")
    print(f"{f'{rows:,}-row 绩效目标表':<22}{base:>14.1f} ms{mine:>7.1f} ms{ratio:>8.2f}")
    print(f"goal: import ≤ {GOAL} × bare openpyxl — {'met' if ratio <= GOAL else 'NOT met'}")


if __name__ == "__main__":
    main()
