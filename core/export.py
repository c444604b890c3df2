"""Writing exports: one format to one file (`write`), or the 报送包 (`export_bundle`).

`write(doc, path)` builds the report model (core.report.build_report), renders it in the format of the path's
suffix (or the `suffix` given: .xlsx, .docx, .pdf) and writes it atomically. `export_bundle(doc, folder)` writes
the workbook, the Word report and the PDF with consistent names (部门 + 年度 + 部门整体绩效自评报告.pdf, …) into
one folder, each file atomically, from one report model. Both return what they wrote with the notes the user
should read (fonts used, text cut at Excel's cell limit). `progress(fraction, what)` is called as the work goes
on; `cancelled()` returning True stops it between steps (Cancelled is raised; files finished before stay, whole).
`rendered(doc, suffix)` is the bytes of one format without a file (tests, the fuzz).
"""

from __future__ import annotations

import importlib
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
Render = Callable[..., tuple[bytes, list[str]]]

# suffix: label, renderer (report -> bytes, notes), its share of the 报送包's progress (by the time each takes);
# in the 报送包's order
FORMATS = {
    ".xlsx": ("Excel", "core.export_xlsx:render_xlsx", 0.1),
    ".docx": ("Word", "core.export_docx:render_docx", 0.2),
    ".pdf": ("PDF", "core.export_pdf:render_pdf", 0.65),
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


def renderer(suffix: str) -> Render:
    """The renderer of a format (imported on first use: the window imports it before its export job runs)."""
    if suffix.lower() not in FORMATS:
        raise JixiaoError(f"不支持导出为“{suffix}”文件：可导出 " + "、".join(FORMATS))
    module, name = FORMATS[suffix.lower()][1].split(":")
    return getattr(importlib.import_module(module), name)


def rendered(
    doc: Evaluation, suffix: str, sheet: ScoreSheet | None = None, draft: bool | None = None
) -> bytes:
    """The bytes of one format of a document's report (draft None: decided by core)."""
    return renderer(suffix)(build_report(doc, sheet, draft=draft))[0]


def _put(report: Report, path: Path, suffix: str, progress: Progress, cancelled: Check) -> list[str]:
    """Render the report in one format and write it atomically; the renderer's notes."""
    if cancelled and cancelled():
        raise Cancelled("已取消导出")
    data, notes = renderer(suffix)(report, progress=progress, cancelled=cancelled)
    if cancelled and cancelled():
        raise Cancelled("已取消导出")
    write_atomic(path, data, backup=False)
    return notes


def write(
    doc: Evaluation,
    path: str | Path,
    suffix: str | None = None,
    *,
    sheet: ScoreSheet | None = None,
    findings: list[Finding] | None = None,
    draft: bool | None = None,
    report: Report | None = None,
    progress: Progress = None,
    cancelled: Check = None,
) -> Written:
    """Build the report (unless given), render it as `suffix` (the path's by default), write it atomically;
    JixiaoError in Chinese on failure."""
    suffix = suffix or Path(path).suffix
    renderer(suffix)  # an unknown format is said before any work
    if report is None:
        report = build_report(doc, sheet, findings, draft)
    notes = _put(report, Path(path), suffix, progress, cancelled)
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
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise JixiaoError(said(e, f"无法创建文件夹 {folder}")) from None
    report = build_report(doc, sheet, findings)
    out = Written(report=report)
    done = 0.05
    if progress:
        progress(done, "已生成报告内容")
    for suffix, (label, _, share) in FORMATS.items():

        def part(fraction: float, what: str, base=done, share=share) -> None:
            if progress:
                progress(base + share * fraction, what)

        path = folder / file_name(report.file_stem, suffix)
        try:
            notes = _put(report, path, suffix, part, cancelled)
        except Cancelled:
            raise Cancelled(_stopped(out)) from None
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
