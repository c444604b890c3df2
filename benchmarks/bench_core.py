"""Full rescore of the seed and of a 1,000-leaf framework: medians, and the ratio to a bare baseline.

Run: uv run python benchmarks/bench_core.py
Two timings per case: a full rescore with nothing remembered (a freshly opened file), and a rescore after one
field changed (what the window does on every keystroke: unchanged leaves are not recomputed). The baseline,
measured in the same run, is the least any scorer must do: parse every input of the document once (uncached)
and add up the leaf weights as Decimals. Goals (per keystroke): seed ≤ 1 ms, 1,000 leaves ≤ 10 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import make_document  # noqa: E402
from core import numbers  # noqa: E402
from core.drafts import load  # noqa: E402
from core.scoring import score  # noqa: E402


def median_ms(fn, repeat: int = 200) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def baseline(doc) -> Decimal:
    total = Decimal(0)
    for text in doc.figures.values():
        numbers.parse_number.__wrapped__(text)
    for leaf in doc.framework.leaves:
        for text in doc.indicators.get(leaf.id, {}).get("inputs", {}).values():
            numbers.parse_number.__wrapped__(text)
        total += leaf.weight
    return total


def timings(doc) -> tuple[float, float, float]:
    """Medians in ms: baseline, full rescore with nothing remembered, rescore after one changed field."""
    leaf = doc.framework.leaves[len(doc.framework.leaves) // 2]
    path = ("indicators", leaf.id, "reason")
    typed = iter(range(10**9))

    def cold():  # a freshly opened file: nothing remembered
        for ind in doc.framework.leaves:
            ind.memo = None
        score(doc)

    def keystroke():  # one field changed since the last score, as in the window
        doc.set(path, f"理由 {next(typed)}")
        score(doc)

    return median_ms(lambda: baseline(doc)), median_ms(cold), median_ms(keystroke)


def main() -> None:
    cases = [("seed (21 leaves)", load(ROOT / "resources/examples/futian-2020.json"), 1.0),
             ("generated (1,000 leaves)", make_document(1000), 10.0)]
    print(f"{'case':42} {'median':>11} {'baseline':>11} {'ratio':>7}  goal")
    for name, doc, goal in cases:
        base, cold, key = timings(doc)
        print(f"{name + ', full rescore':42} {cold:8.3f} ms {base:8.3f} ms {cold / base:6.1f}×")
        verdict = "ok" if key <= goal else "MISSED"
        print(f"{name + ', after one keystroke':42} {key:8.3f} ms {base:8.3f} ms {key / base:6.1f}×  "
              f"≤ {goal:g} ms {verdict}")


if __name__ == "__main__":
    main()
