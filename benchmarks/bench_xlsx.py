"""Excel export time for the seed and a 1,000-leaf framework, against bare openpyxl writing the same cells.

Run: uv run python benchmarks/bench_xlsx.py [repeats]
The baseline, measured in the same run, writes the very same cell values and merged ranges (taken from the
exported workbook beforehand) with bare openpyxl: no styles, widths, heights or print settings, saved straight
to a file. The export is timed as the user gets it: write_xlsx (build from the score sheet, save, atomic
replace with fsync). Goal: export ≤ 1.5 × baseline.
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

from openpyxl import Workbook  # noqa: E402

from benchmarks.synthetic import make_document  # noqa: E402
from core.drafts import load  # noqa: E402
from core.export_xlsx import build, write_xlsx  # noqa: E402
from core.scoring import score  # noqa: E402


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


def cells_of(doc, sheet) -> list[tuple[str, list[tuple[int, int, object]], list[str]]]:
    """Every sheet's non-empty cell values and merged ranges, as the export writes them."""
    wb = build(doc, sheet)
    out = []
    for ws in wb.worksheets:
        values = [(c.row, c.column, c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        out.append((ws.title, values, [str(m) for m in ws.merged_cells.ranges]))
    return out


def bare(content, path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for title, values, merges in content:
        ws = wb.create_sheet(title)
        for r, c, v in values:
            ws.cell(row=r, column=c, value=v)
        for m in merges:
            ws.merge_cells(m)
    wb.save(path)


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    cases = [
        ("seed (21 leaves)", load(ROOT / "resources" / "examples" / "futian-2020.json"), repeat),
        ("1,000 leaves", make_document(1000), max(3, repeat // 3)),
    ]
    print(f"{'case':<18}{'cells':>8}{'bare openpyxl':>16}{'write_xlsx':>14}{'ratio':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, doc, n in cases:
            sheet = score(doc)
            content = cells_of(doc, sheet)
            cells = sum(len(v) for _, v, _ in content)
            base, ours = medians_ms(
                partial(bare, content, Path(tmp) / "bare.xlsx"),
                partial(write_xlsx, doc, Path(tmp) / "export.xlsx", sheet=sheet),
                n,
            )
            print(f"{name:<18}{cells:>8}{base:>13.1f} ms{ours:>11.1f} ms{ours / base:>7.2f}×")
    print("medians; goal: ratio ≤ 1.5×")


if __name__ == "__main__":
    main()
