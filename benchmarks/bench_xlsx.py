"""Excel export time for the seed and a 1,000-leaf framework, against bare openpyxl writing the same content.

Run: uv run python benchmarks/bench_xlsx.py [repeats]
The baseline, measured in the same run, writes the report's sheets (the same values and merged ranges) with bare
openpyxl: ws.cell() and merge_cells(), no styles, widths, heights or print settings, saved straight to a file
(benchmarks/bare.py). The export is timed as the user gets it, the 审核 findings passed in: write_xlsx (the
report model, the styled workbook, save, atomic replace with fsync). Goal: export ≤ 1.5 × baseline.
"""

from __future__ import annotations

import sys
import tempfile
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bare import bare_xlsx, medians_s  # noqa: E402
from benchmarks.synthetic import make_document  # noqa: E402
from core.checks import check  # noqa: E402
from core.drafts import load  # noqa: E402
from core.export_xlsx import write_xlsx  # noqa: E402
from core.report import build_report  # noqa: E402
from core.scoring import score  # noqa: E402


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
            findings = check(doc, sheet)
            report = build_report(doc, sheet, findings)
            cells = sum(len(r.cells) for t in report.sheets for r in t.rows)
            ours, base = medians_s(
                [
                    partial(write_xlsx, doc, Path(tmp) / "export.xlsx", sheet=sheet, findings=findings),
                    partial(bare_xlsx, report, Path(tmp) / "bare.xlsx"),
                ],
                n,
            )
            print(f"{name:<18}{cells:>8}{base * 1000:>13.1f} ms{ours * 1000:>11.1f} ms{ours / base:>7.2f}×")
    print("medians; goal: ratio ≤ 1.5×")


if __name__ == "__main__":
    main()
