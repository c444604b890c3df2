"""PDF export time for the seed and for a 1,000-leaf framework: medians, and the ratio to a bare baseline.

Run: uv run python benchmarks/bench_pdf.py [repeats]
The baseline, measured in the same run, lays out the same report with reportlab's stock parts: the same
flowables and fonts, but each report table replaced by a plain reportlab Table of the same rows (header repeated,
split between rows, no merged cells since reportlab cannot split a long merged cell) and each cell by a plain
Paragraph. Our export also scores the document, generates the text, merges cells, keeps headings with what
follows and measures only what fits a page. Goal: ≤ 1.5× the baseline.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab.platypus import Paragraph, Table, TableStyle  # noqa: E402

from benchmarks.synthetic import make_document  # noqa: E402
from core import export_pdf as ep  # noqa: E402
from core.drafts import load  # noqa: E402
from core.scoring import score  # noqa: E402


def medians_s(fns, repeat: int) -> list[float]:
    """Median wall time of each function, run in turn (interleaved, so that a busy moment hits both alike)."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, ts in zip(fns, times, strict=True):
            t = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t)
    return [statistics.median(ts) for ts in times]


def plain(cell):
    return Paragraph(cell.source, cell.style) if isinstance(cell, ep.Cell) else cell


def bare_flow(doc) -> list:
    """The same report with reportlab's stock Table and Paragraph in place of ours."""
    st = ep.Styles(ep.register_fonts())
    flow = []
    for f in ep.story(doc, score(doc), st):
        if isinstance(f, ep.ReportTable):
            rows = [[plain(c) for c in r] for r in f._rows]
            for col, first, last in f._merges:
                for r in range(first + 1, last + 1):
                    rows[r][col] = ""
            t = Table(rows, colWidths=f._widths, repeatRows=1, splitByRow=1, hAlign="CENTER")
            t.setStyle(TableStyle(f._style + [("SPAN", (0, r), (-1, r)) for r in f._bands | f._notes]))
            f = t
        flow.append(f)
    return flow


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    st = ep.Styles(ep.register_fonts())  # fonts registered once, outside the timings
    cases = [
        ("seed (21 leaves)", load(ROOT / "resources/examples/futian-2020.json"), repeat),
        ("generated (1,000 leaves)", make_document(1000), max(3, repeat // 2)),
    ]
    print(f"{'case':26} {'export':>9} {'baseline':>9} {'ratio':>6}  pages  goal ≤ 1.5×")
    for name, doc, n in cases:
        pages = ep.build_pdf(doc).count(b"/Type /Page\n")
        ours, base = medians_s(
            [lambda doc=doc: ep.build_pdf(doc), lambda doc=doc: ep.render(bare_flow(doc), st)], n
        )
        verdict = "ok" if ours <= 1.5 * base else "MISSED"
        print(f"{name:26} {ours:7.2f} s {base:7.2f} s {ours / base:5.2f}×  {pages:5}  {verdict}")


if __name__ == "__main__":
    main()
