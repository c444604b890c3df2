"""Excel export time for the seed and a 1,000-leaf framework, against bare openpyxl writing the same content.

Run: uv run python benchmarks/bench_xlsx.py [repeats]
The baseline, measured in the same run, writes the report's sheets (the same values and merged ranges) with bare
openpyxl: ws.cell() and merge_cells(), no styles, widths, heights or print settings, saved straight to a file
(benchmarks/bare.py). The export is timed as the user gets it, the 审核 findings passed in: core.export.write (the
report model, the styled workbook, save, atomic replace with fsync). Goal: export ≤ 1.5 × baseline.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bare import bare_xlsx, compare  # noqa: E402


def cells(report, _path) -> str:
    return f"{sum(len(r.cells) for t in report.sheets for r in t.rows)} cells"


if __name__ == "__main__":
    compare(".xlsx", bare_xlsx, int(sys.argv[1]) if len(sys.argv) > 1 else 15, cells)
