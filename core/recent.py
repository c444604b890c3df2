"""What the start page shows for a draft it lists: department, year, total, grade and when it was last saved.

Read from the file itself (the draft, scored), so the list tells the truth about what is on disk; a file that
is gone or cannot be read says why instead. Listing a draft also sweeps its folder of stale temp files of killed
saves (core.files.sweep), so they go at the next start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core import JixiaoError


@dataclass(frozen=True)
class DraftSummary:
    path: str
    department: str = ""
    year: str = ""
    total: str = ""
    grade: str = ""
    saved: str = ""  # when the file was last written, "YYYY-MM-DD HH:MM"
    problem: str = ""  # why the file cannot be opened ("" when it can)


def summarize(path: str | Path) -> DraftSummary:
    from core.drafts import load
    from core.files import said, sweep
    from core.scoring import score
    from core.sections import shown_grade, shown_total

    p = Path(path)
    sweep(p.parent)  # at start-up: temp files left in this folder by a save that was killed (core.files)
    try:
        saved = datetime.fromtimestamp(p.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    except FileNotFoundError:
        return DraftSummary(str(p), problem="文件已不存在（可能已移动或删除）")
    except OSError as e:
        return DraftSummary(str(p), problem=said(e, "无法读取", reading=True))
    try:
        doc = load(p)
    except JixiaoError as e:
        return DraftSummary(str(p), saved=saved, problem=str(e))
    sheet = score(doc)
    return DraftSummary(
        str(p),
        doc.facts.get("department", "").strip(),
        doc.year,
        shown_total(sheet),
        shown_grade(sheet),
        saved,
    )
