"""Full rescore of the seed and of a 1,000-leaf framework: medians, and the ratio to a bare baseline.

Run: uv run python benchmarks/bench_core.py            (or add --ab REV, e.g. --ab HEAD, to compare with a commit)
Two timings per case: a full rescore with nothing remembered (a freshly opened file), and a rescore after one
field changed (what the window does on every keystroke: unchanged leaves are not recomputed). The baseline,
measured in the same run, is the least any scorer must do: parse every input of the document once (uncached)
and add up the leaf weights as Decimals. Goals (per keystroke): seed ≤ 1 ms, 1,000 leaves ≤ 10 ms, and the
national 项目支出自评表 with 1,000 rows the clerk added (定量 and 定性, the keystroke in one row's 实际完成值)
≤ 10 ms.

--ab REV also loads core/ and benchmarks/ as they are in git revision REV (into the same process, beside the
working tree's) and times full rescores of both alternately, so that the machine's drift hits both alike.
"""

from __future__ import annotations

import io
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import make_document, make_national  # noqa: E402
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
    for leaf in doc.tree.leaves:
        for text in doc.indicators.get(leaf.id, {}).get("inputs", {}).values():
            try:
                numbers.parse_number.__wrapped__(text)
            except numbers.NumberError:  # a text input (计量单位, 定性 values)
                pass
        total += leaf.weight
    return total


def timings(doc, path: tuple | None = None) -> tuple[float, float, float]:
    """Medians in ms: baseline, full rescore with nothing remembered, rescore after one changed field (`path`;
    default: the reason of the middle leaf, or the 实际完成值 of the middle row)."""
    leaves = doc.tree.leaves
    leaf = leaves[len(leaves) // 2]
    if path is None:
        path = ("indicators", leaf.id, "inputs", "actual") if leaf.row else ("indicators", leaf.id, "reason")
    typed = iter(range(10**9))

    def cold():  # a freshly opened file: nothing remembered
        doc.cache = doc._tree = None
        score(doc)

    def keystroke():  # one field changed since the last score, as in the window
        doc.set(path, f"9{next(typed) % 10}")
        score(doc)

    return median_ms(lambda: baseline(doc)), median_ms(cold), median_ms(keystroke)


def revision(rev: str, folder: str):
    """core.scoring.score, core.drafts.load and benchmarks.synthetic.make_document as they are in git `rev`."""
    tar = subprocess.run(
        ["git", "archive", rev, "core", "benchmarks"], cwd=ROOT, capture_output=True, check=True
    )
    tarfile.open(fileobj=io.BytesIO(tar.stdout)).extractall(folder)
    mine = {name: m for name, m in sys.modules.items() if name.split(".")[0] in ("core", "benchmarks")}
    for name in mine:
        del sys.modules[name]
    sys.path.insert(0, folder)
    try:
        from benchmarks.synthetic import make_document as old_make  # the revision's modules keep each other
        from core.drafts import load as old_load
        from core.scoring import score as old_score
    finally:
        sys.path.remove(folder)
        for name in [n for n in sys.modules if n.split(".")[0] in ("core", "benchmarks")]:
            del sys.modules[name]
        sys.modules.update(mine)
    assert old_score.__code__.co_filename.startswith(folder)  # the revision's, not the working tree's
    return old_score, old_load, old_make


def ab(rev: str, repeat: int = 300) -> None:
    with tempfile.TemporaryDirectory() as folder:
        old_score, old_load, old_make = revision(rev, folder)
        seed = "resources/examples/futian-2020.json"
        cases = [
            ("seed (21 leaves)", (old_score, old_load(ROOT / seed)), (score, load(ROOT / seed))),
            ("generated (1,000 leaves)", (old_score, old_make(1000)), (score, make_document(1000))),
        ]
        print(f"\nfull rescore, {rev} and working tree alternately ({repeat} runs each)")
        for name, *runs in cases:
            times: list[list[float]] = [[], []]
            for i in range(repeat):
                for j in (i % 2, 1 - i % 2):
                    fn, doc = runs[j]
                    for ind in doc.framework.leaves:
                        ind.memo = None  # the cache of revisions before the ScoreCache
                    doc.cache = None
                    t = time.perf_counter()
                    fn(doc)
                    times[j].append(time.perf_counter() - t)
            old, new = (statistics.median(t) * 1000 for t in times)
            print(f"{name:42} {rev} {old:.3f} ms, now {new:.3f} ms, {new / old:.2f}×")


def main() -> None:
    national = make_national(1000)
    cases = [
        ("seed (21 leaves)", load(ROOT / "resources/examples/futian-2020.json"), 1.0, None),
        ("generated (1,000 leaves)", make_document(1000), 10.0, None),
        ("national table (1,000 rows)", national, 10.0, None),
        # a row's name typed: the tree is rebuilt (other rows' indicators and scores are reused)
        ("national table, a row's name", national, 10.0, ("rows", "output", 250, "name")),
    ]
    print(f"{'case':42} {'median':>11} {'baseline':>11} {'ratio':>7}  goal")
    for name, doc, goal, path in cases:
        base, cold, key = timings(doc, path)
        print(f"{name + ', full rescore':42} {cold:8.3f} ms {base:8.3f} ms {cold / base:6.1f}×")
        verdict = "ok" if key <= goal else "MISSED"
        print(
            f"{name + ', after one keystroke':42} {key:8.3f} ms {base:8.3f} ms {key / base:6.1f}×  "
            f"≤ {goal:g} ms {verdict}"
        )
    if "--ab" in sys.argv:
        ab(sys.argv[sys.argv.index("--ab") + 1])


if __name__ == "__main__":
    main()
