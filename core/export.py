"""Writing exports: one format to one file (write_pdf / write_docx / write_xlsx use `write`), or the 报送包.

`export_bundle(doc, folder)` writes the workbook, the Word report and the PDF with consistent names
(部门 + 年度 + 部门整体绩效自评报告.pdf, …) into one folder, each file atomically, from one report model, and
returns what it wrote with the notes the user should read (fonts used, text cut at Excel's cell limit, 草稿).
`progress(fraction, what)` is called as the work goes on; `cancelled()` returning True stops it between steps
(Cancelled is raised; files finished before stay, whole).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from core import JixiaoError
from core.checks import Finding
from core.document import Evaluation
from core.files import said, write_atomic
from core.report import Report, build_report
from core.scoring import ScoreSheet

Progress = Callable[[float, str], None] | None
Check = Callable[[], bool] | None

FORMATS = {  # suffix: (label, what the file is)
    ".xlsx": ("Excel", "评分表"),
    ".docx": ("Word", "自评报告"),
    ".pdf": ("PDF", "自评报告"),
}


class Cancelled(JixiaoError):
    """The user stopped an export."""


class Written(list):
    """The files an export wrote (Paths, in order), and `notes`: what the user should be told about them."""

    def __init__(self, paths=(), notes=(), report: Report | None = None):
        super().__init__(Path(p) for p in paths)
        self.notes = list(notes)
        self.report = report


def file_name(stem: str, suffix: str) -> str:
    """A file name from the report's stem: characters Windows refuses become "_", at most 120 characters."""
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", stem).strip(" .") or "自评报告"
    return stem[:120] + suffix


def write(
    doc: Evaluation,
    path: str | Path,
    render: Callable[..., tuple[bytes, list[str]]],
    *,
    sheet: ScoreSheet | None = None,
    findings: list[Finding] | None = None,
    draft: bool | None = None,
    report: Report | None = None,
    progress: Progress = None,
    cancelled: Check = None,
) -> Written:
    """Build the report (unless given), render it, write it atomically; JixiaoError in Chinese on failure."""
    if report is None:
        report = build_report(doc, sheet, findings, draft)
    if cancelled and cancelled():
        raise Cancelled("已取消导出")
    data, notes = render(report, progress=progress, cancelled=cancelled)
    if cancelled and cancelled():
        raise Cancelled("已取消导出")
    write_atomic(path, data, backup=False)
    return Written([path], notes, report)


def export_bundle(
    doc: Evaluation,
    folder: str | Path,
    progress: Progress = None,
    cancelled: Check = None,
    *,
    sheet: ScoreSheet | None = None,
    findings: list[Finding] | None = None,
) -> Written:
    """The 报送包: xlsx, docx and pdf of one report in `folder` (created if missing)."""
    from core.export_docx import render_docx
    from core.export_pdf import render_pdf
    from core.export_xlsx import render_xlsx

    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise JixiaoError(said(e, f"无法创建文件夹 {folder}")) from None
    report = build_report(doc, sheet, findings)
    steps = [(".xlsx", render_xlsx, 0.1), (".docx", render_docx, 0.2), (".pdf", render_pdf, 0.65)]
    out = Written(report=report)
    done = 0.05
    if progress:
        progress(done, "已生成报告内容")
    for suffix, render, share in steps:
        label = FORMATS[suffix][0]

        def part(fraction: float, what: str, base=done, share=share) -> None:
            if progress:
                progress(base + share * fraction, what)

        if cancelled and cancelled():
            raise Cancelled(_stopped(out))
        path = folder / file_name(report.file_stem, suffix)
        try:
            data, notes = render(report, progress=part, cancelled=cancelled)
        except Cancelled:
            raise Cancelled(_stopped(out)) from None
        if cancelled and cancelled():
            raise Cancelled(_stopped(out))
        write_atomic(path, data, backup=False)
        out.append(path)
        out.notes += [n for n in notes if n not in out.notes]
        done += share
        if progress:
            progress(min(done, 1.0), f"已写入 {label}：{path.name}")
    return out


def _stopped(written: list[Path]) -> str:
    if not written:
        return "已取消导出，没有写入文件"
    return "已取消导出；已写入：" + "、".join(p.name for p in written)
