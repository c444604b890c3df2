"""Word export time for the seed and a 1,000-leaf framework, against bare python-docx writing the same content.

Run: uv run python benchmarks/bench_docx.py [repeats]
The baseline, measured in the same run, writes the report's paragraphs and tables (the same texts and merged
cells) with python-docx's stock calls: add_paragraph, add_table, cell.text, cell.merge (benchmarks/bare.py).
Ours, the 审核 findings passed in: write_docx (the report model, styles, page set-up, page-number fields, tables
as WordprocessingML, atomic write). Goal: ≤ 1.5 × the baseline.
"""

from __future__ import annotations

import sys
import tempfile
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bare import bare_docx, medians_s  # noqa: E402
from benchmarks.synthetic import make_document  # noqa: E402
from core.checks import check  # noqa: E402
from core.drafts import load  # noqa: E402
from core.export_docx import write_docx  # noqa: E402
from core.report import build_report  # noqa: E402
from core.scoring import score  # noqa: E402


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    cases = [
        ("seed (21 leaves)", load(ROOT / "resources" / "examples" / "futian-2020.json"), repeat),
        ("1,000 leaves", make_document(1000), max(3, repeat // 3)),
    ]
    print(f"{'case':<18}{'bare python-docx':>18}{'write_docx':>12}{'ratio':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, doc, n in cases:
            sheet = score(doc)
            findings = check(doc, sheet)
            report = build_report(doc, sheet, findings)
            ours, base = medians_s(
                [
                    partial(write_docx, doc, Path(tmp) / "export.docx", sheet=sheet, findings=findings),
                    partial(bare_docx, report, Path(tmp) / "bare.docx"),
                ],
                n,
            )
            print(f"{name:<18}{base * 1000:>15.1f} ms{ours * 1000:>9.1f} ms{ours / base:>7.2f}×")
    print("medians; goal: ratio ≤ 1.5×")


if __name__ == "__main__":
    main()
