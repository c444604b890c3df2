"""The 报送包 of the seed (xlsx, docx and pdf) against the three bare baselines added up, in the same run.

Run: uv run python benchmarks/bench_bundle.py [repeats]
Ours: export_bundle (one report model, three renderers, three atomic writes), the 审核 findings passed in.
Baseline: bare openpyxl + bare python-docx + bare reportlab writing the same content (benchmarks/bare.py).
Goal: ≤ 1.5 × the sum.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bare import bare_docx, bare_pdf, bare_xlsx, medians_s  # noqa: E402
from core import export_pdf  # noqa: E402
from core.checks import check  # noqa: E402
from core.drafts import load  # noqa: E402
from core.export import export_bundle  # noqa: E402
from core.report import build_report  # noqa: E402
from core.scoring import score  # noqa: E402


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    doc = load(ROOT / "resources" / "examples" / "futian-2020.json")
    sheet = score(doc)
    findings = check(doc, sheet)
    report = build_report(doc, sheet, findings)
    font = export_pdf.Fonts().names["fangsong"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        def bare() -> None:
            bare_xlsx(report, folder / "b.xlsx")
            bare_docx(report, folder / "b.docx")
            bare_pdf(report, folder / "b.pdf", font)

        ours, base = medians_s(
            [lambda: export_bundle(doc, folder / "包", sheet=sheet, findings=findings), bare], repeat
        )
    verdict = "ok" if ours <= 1.5 * base else "MISSED"
    print(
        f"报送包 of the seed: {ours:.2f} s; bare openpyxl + python-docx + reportlab: {base:.2f} s; "
        f"ratio {ours / base:.2f}× (goal ≤ 1.5×) {verdict}"
    )


if __name__ == "__main__":
    main()
