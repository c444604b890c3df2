"""审核 on every edit: check(doc, sheet) on the seed and on a 1,000-leaf framework, medians and ratios.

Run: uv run python benchmarks/bench_checks.py
What the window does on a keystroke: one field changes, score(doc) rescored (memoised leaves), then
check(doc, sheet) on that sheet. Timed separately in the same run: the rescore after one keystroke (the
baseline: what each edit costs already) and check(doc, sheet) after it. Goal: check ≤ 5 ms at 1,000 leaves.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import make_document  # noqa: E402
from core.checks import check, counts_text  # noqa: E402
from core.drafts import load  # noqa: E402
from core.scoring import score  # noqa: E402


def timings(doc, repeat: int = 200) -> tuple[float, float, str]:
    """Medians in ms of (rescore after one keystroke, check on that sheet), and the findings' count line."""
    leaf = doc.framework.leaves[len(doc.framework.leaves) // 2]
    path = ("indicators", leaf.id, "reason")
    scores, checks = [], []
    findings = check(doc)
    for i in range(repeat + 1):
        doc.set(path, f"理由 {i}")
        t0 = time.perf_counter()
        sheet = score(doc)
        t1 = time.perf_counter()
        findings = check(doc, sheet)
        t2 = time.perf_counter()
        if i:  # the first round warms the caches
            scores.append(t1 - t0)
            checks.append(t2 - t1)
    return statistics.median(scores) * 1000, statistics.median(checks) * 1000, counts_text(findings)


def main() -> None:
    cases = [("seed (21 leaves)", load(ROOT / "resources/examples/futian-2020.json"), 1.0),
             ("generated (1,000 leaves)", make_document(1000), 5.0)]
    print(f"{'case':26} {'check':>11} {'score (baseline)':>17} {'ratio':>7}  goal     findings")
    for name, doc, goal in cases:
        base, med, counts = timings(doc)
        verdict = "ok" if med <= goal else "MISSED"
        print(f"{name:26} {med:8.3f} ms {base:14.3f} ms {med / base:6.2f}×  ≤ {goal:g} ms {verdict:6}  {counts}")


if __name__ == "__main__":
    main()
