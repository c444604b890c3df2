"""导出: choose where, then build the file off the GUI thread (gui.jobs) from a snapshot of the document."""

from __future__ import annotations

import copy
from pathlib import Path

from core.document import Evaluation

KINDS = {"xlsx": ("Excel", ".xlsx"), "pdf": ("PDF", ".pdf")}


def snapshot(doc: Evaluation) -> Evaluation:
    """A copy of what is typed that the export reads while typing goes on (the framework is shared: it does
    not change while a document is open)."""
    return copy.deepcopy(doc, {id(doc.framework): doc.framework})


def build(kind: str, doc: Evaluation, sheet, draft: bool) -> bytes:
    if kind == "xlsx":
        from core.export_xlsx import to_bytes

        return to_bytes(doc, sheet, draft)
    from core.export_pdf import build_pdf

    return build_pdf(doc, sheet, draft)


def export(window, kind: str) -> None:
    from PySide6.QtWidgets import QFileDialog

    if window.jobs.busy:
        window.statusBar().showMessage("上一个导出还没有完成，请稍候。", 5000)
        return
    label, suffix = KINDS[kind]
    docs = window.documents
    base = docs.path.parent if docs.path else Path(docs.last_folder())
    stem = docs.path.stem if docs.path else window.doc.title
    name, _ = QFileDialog.getSaveFileName(
        window, f"导出 {label}", str(base / (stem + suffix)), f"{label} 文件 (*{suffix})"
    )
    if not name:
        return
    if not name.lower().endswith(suffix):
        name += suffix
    doc, sheet = snapshot(window.doc), window.sheet

    def work(job):
        from core.checks import check, export_is_draft
        from core.files import write_atomic

        job.step("正在审核…")
        draft = export_is_draft(sheet, check(doc, sheet))
        job.step(f"正在生成 {label}…")
        data = build(kind, doc, sheet, draft)
        job.commit()
        job.step(f"正在写入 {Path(name).name}…")
        write_atomic(name, data, backup=False)
        return draft

    def done(draft: bool) -> None:
        note = "（有未完成或有问题的指标，文件已标注“草稿”）" if draft else ""
        window.statusBar().showMessage(f"已导出 {label}：{name}{note}", 10000)
        carried = doc.carried_unedited() if kind != "xlsx" else []  # the Excel tables hold no report text
        if carried:
            from gui.messages import message

            message(
                window,
                "warning",
                "报告正文仍有上年内容",
                f"已导出 {label}，但报告正文有 {len(carried)} 节仍是上年的文字（上年内容，请更新），"
                "未经修改或确认沿用。请在“总体评价与整改”中更新后重新导出。",
            )

    def failed(error: Exception) -> None:
        from core import JixiaoError
        from gui.messages import message

        if isinstance(error, JixiaoError):
            message(window, "critical", "导出失败", str(error))
        elif isinstance(error, OSError):
            message(window, "critical", "导出失败", f"无法写入 {name}：{error.strerror or error}")
        else:
            raise error  # a bug: logged with its traceback and shown as one message (core.logs)

    window.jobs.run(f"导出 {label}", work, done, failed)
