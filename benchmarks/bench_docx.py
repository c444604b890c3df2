"""Word export time for the seed and a 1,000-leaf framework, against bare python-docx writing the same content.

Run: uv run python benchmarks/bench_docx.py [repeats]
The baseline, measured in the same run, writes the report's paragraphs and tables (the same texts and merged
cells) with python-docx's stock calls: add_paragraph, add_table, cell.text, cell.merge (benchmarks/bare.py).
Ours, the 审核 findings passed in: core.export.write (the report model, styles, page set-up, page-number fields, tables
as WordprocessingML, atomic write). Goal: ≤ 1.5 × the baseline.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bare import bare_docx, compare  # noqa: E402

if __name__ == "__main__":
    compare(".docx", bare_docx, int(sys.argv[1]) if len(sys.argv) > 1 else 9)
