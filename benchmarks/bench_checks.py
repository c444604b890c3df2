"""审核 on every edit: check(doc, sheet) on the seed and on a 1,000-leaf framework, medians and ratios.

Run: uv run python benchmarks/bench_checks.py
What the window does on a keystroke: one field changes, score(doc) rescored (cached leaves), then
check(doc, sheet) on that sheet. Timed separately in the same run: the rescore after one keystroke (the
baseline: what each edit costs already), check(doc, sheet) after it, and check with nothing remembered (a
freshly opened file). Goal: check after a keystroke ≤ 5 ms at 1,000 leaves.
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


def timings(doc, repeat: int = 200) -> tuple[float, float, float, str]:
    """Medians in ms of (rescore after one keystroke, check on that sheet, check with nothing remembered),
    and the findings' count line."""
    leaf = doc.framework.leaves[len(doc.framework.leaves) // 2]
    path = ("indicators", leaf.id, "reason")
    scores, checks, colds = [], [], []
    findings = check(doc)
    for i in range(repeat + 1):
        doc.set(path, f"理由 {i}")
        t0 = time.perf_counter()
        sheet = score(doc)
        t1 = time.perf_counter()
        findings = check(doc, sheet)
        t2 = time.perf_counter()
        sheet.cache.clear()  # as for a freshly opened file (rescored below, so that check has new results)
        sheet = score(doc)
        t3 = time.perf_counter()
        check(doc, sheet)
        t4 = time.perf_counter()
        if i:  # the first round warms the caches
            scores.append(t1 - t0)
            checks.append(t2 - t1)
            colds.append(t4 - t3)
    ms = [statistics.median(x) * 1000 for x in (scores, checks, colds)]
    return ms[0], ms[1], ms[2], counts_text(findings)


def main() -> None:
    cases = [
        ("seed (21 leaves)", load(ROOT / "resources/examples/futian-2020.json"), 1.0),
        ("generated (1,000 leaves)", make_document(1000), 5.0),
    ]
    print(
        f"{'case':26} {'score (baseline)':>17} {'check':>11} {'ratio':>7}  goal          "
        f"{'check, cold':>12} {'ratio':>7}  findings"
    )
    for name, doc, goal in cases:
        base, med, cold, counts = timings(doc)
        verdict = "ok" if med <= goal else "MISSED"
        print(
            f"{name:26} {base:14.3f} ms {med:8.3f} ms {med / base:6.2f}×  ≤ {goal:g} ms {verdict:6}  "
            f"{cold:9.3f} ms {cold / base:6.2f}×  {counts}"
        )


if __name__ == "__main__":
    main()
