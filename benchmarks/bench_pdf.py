"""PDF export time for the seed and a 1,000-leaf framework against bare reportlab; and time per character of
one long paragraph (--paragraph), which must stay flat from 1,000 to 1,000,000 characters.

Run: uv run python benchmarks/bench_pdf.py [repeats]
     uv run python benchmarks/bench_pdf.py --paragraph
The baseline, measured in the same run, writes the same report content with reportlab's stock Paragraph and
Table (benchmarks/bare.py). Ours: core.export.write: build_report (the model: every sentence and number, with the
审核 findings passed in), render_pdf (our layout: merged cells, page numbers, bookmarks, justified 28-character
lines) and the atomic write.
Goal: ≤ 1.5× the baseline. The paragraph mode renders a report of one paragraph of N characters (a 扣分理由 of
Chinese text, and an unbreakable ASCII name) and prints (time(N) − time(0)) ÷ N; reportlab alone is not timed
there (its CJK wrap is quadratic: 64k characters took 7 s, 1 MB did not finish).
"""

from __future__ import annotations

import statistics
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bare import bare_pdf, compare  # noqa: E402
from core import export_pdf as ep  # noqa: E402
from core import report as rp  # noqa: E402


def main(repeat: int) -> None:
    font = ep.Fonts().names["fangsong"]  # fonts registered once, outside the timings
    compare(".pdf", partial(bare_pdf, font=font), repeat, pages)


def pages(_report, path: Path) -> str:
    count = path.read_bytes().count(b"/Type /Page\n")
    return f"{count} pages"


def one_paragraph(text: str) -> rp.Report:
    return rp.Report("", "", "", [], [rp.Paragraph(text)] if text else [], [], [], False, [], "")


def paragraph_mode() -> None:
    ep.Fonts()
    sizes = [1_000, 10_000, 100_000, 1_000_000]
    print(f"{'text':22} {'characters':>11} {'time':>9} {'per 1,000 characters':>22}")
    for label, unit in (
        ("扣分理由 (Chinese)", "因疫情原因未组织培训，培训费无支出；"),
        ("one ASCII name", "a"),
    ):
        empty = median_of(lambda: ep.render_pdf(one_paragraph("")), 5)
        per = []
        for n in sizes:
            text = (unit * (n // len(unit) + 1))[:n]
            t = median_of(lambda text=text: ep.render_pdf(one_paragraph(text)), 5 if n < 1_000_000 else 1)
            per.append(max(t - empty, 0.0) / n * 1000)
            print(f"{label:22} {n:>11,} {t:8.3f} s {per[-1] * 1000:>19.3f} ms")
        print(
            f"{'':22} {'1M ÷ 10k':>11} {per[-1] / per[1]:8.2f}×  (flat: ≈ 1; the 1k row is mostly fixed cost)"
        )


def median_of(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


if __name__ == "__main__":
    if "--paragraph" in sys.argv:
        paragraph_mode()
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
