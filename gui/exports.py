"""导出: choose where, then build and write the files off the GUI thread (gui.jobs) from a snapshot of the
document, with the progress in the status bar and 取消; when done, a dialog names the files, says why they are
marked 草稿 (the 审核 errors and unscored indicators, from the report), and offers 打开文件 / 打开所在文件夹.

Excel, Word and PDF are one file each (core.export.write); the 报送包 writes all three into a folder with the
report's names (core.export.export_bundle).
"""

from __future__ import annotations

import copy
from pathlib import Path

KINDS = {"xlsx": ("Excel", ".xlsx"), "docx": ("Word", ".docx"), "pdf": ("PDF", ".pdf")}
BUNDLE = "bundle"


def snapshot(doc):
    """A copy of what is typed that the export reads while typing goes on (the framework is shared: it does
    not change while a document is open)."""
    return copy.deepcopy(doc, {id(doc.framework): doc.framework})


def where(window, kind: str) -> str:
    """Ask where to write: a file for one format, a folder for the 报送包 ("" when the user cancels)."""
    from PySide6.QtWidgets import QFileDialog

    docs = window.documents
    base = docs.path.parent if docs.path else Path(docs.last_folder())
    if kind == BUNDLE:
        return QFileDialog.getExistingDirectory(window, "导出报送包到文件夹", str(base))
    label, suffix = KINDS[kind]
    stem = docs.path.stem if docs.path else window.doc.title
    name, _ = QFileDialog.getSaveFileName(
        window, f"导出 {label}", str(base / (stem + suffix)), f"{label} 文件 (*{suffix})"
    )
    if name and not name.lower().endswith(suffix):
        name += suffix
    return name


def export(window, kind: str) -> None:
    if window.jobs.busy:
        window.statusBar().showMessage("上一个导出还没有完成，请稍候。", 5000)
        return
    target = where(window, kind)
    if not target:
        return
    label = "报送包" if kind == BUNDLE else KINDS[kind][0]
    doc, sheet = snapshot(window.doc), window.sheet
    # the renderers are imported here, on the GUI thread; the job only runs them
    from core.export import renderer

    for k in KINDS if kind == BUNDLE else [kind]:
        renderer(KINDS[k][1])

    def work(job):
        from core.checks import check
        from core.export import Cancelled, export_bundle, write

        job.step("正在审核…")
        findings = check(doc, sheet)

        def progress(fraction: float, what: str) -> None:
            job.step(what, round(fraction * 100), 100)

        try:
            if kind == BUNDLE:
                return export_bundle(
                    doc, target, progress, lambda: job.cancelled, sheet=sheet, findings=findings
                )
            return write(
                doc,
                target,
                KINDS[kind][1],
                sheet=sheet,
                findings=findings,
                progress=progress,
                cancelled=lambda: job.cancelled,
            )
        except Cancelled:
            job.step("")  # raises the job's own Cancelled

    def failed(error: Exception) -> None:
        from core import JixiaoError
        from gui.messages import message

        if isinstance(error, JixiaoError):
            message(window, "critical", "导出失败", str(error))
        elif isinstance(error, OSError):
            message(window, "critical", "导出失败", f"无法写入 {target}：{error.strerror or error}")
        else:
            raise error  # a bug: logged with its traceback and shown as one message (core.logs)

    carried = doc.carried_unedited() if kind != "xlsx" else []  # the Excel tables hold no report text
    window.jobs.run(f"导出 {label}", work, lambda written: exported(window, label, written, carried), failed)


def exported(window, label: str, written, carried: list | None = None) -> None:
    """The done dialog: the files, the notes, why 草稿, report sections still holding last year's text;
    打开文件 (the report, for the 报送包) / 打开所在文件夹."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox

    from gui.messages import box

    report = written.report
    draft = report is not None and report.draft
    lines = [f"已导出 {label}：", *(str(p) for p in written)]
    if draft:
        lines += ["", "文件已标注“草稿”，因为："] + [f"· {r}" for r in report.draft_reasons]
        lines += ["改正后重新导出即为正式版本。"]
    if written.notes:
        lines += [""] + [f"· {n}" for n in written.notes]
    if carried:
        lines += [
            "",
            f"报告正文有 {len(carried)} 节仍是上年的文字（上年内容，请更新），未经修改或确认沿用。"
            "请在“总体评价与整改”中更新后重新导出。",
        ]
    window.statusBar().showMessage(f"已导出 {label}：{written[-1]}" + ("（草稿）" if draft else ""), 10000)
    dialog = box(window, "information", "导出完成", "\n".join(lines), QMessageBox.StandardButton.NoButton)
    open_file = dialog.addButton("打开文件", QMessageBox.ButtonRole.AcceptRole)
    open_folder = dialog.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
    dialog.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    dialog.setDefaultButton(open_file)
    dialog.exec()
    if dialog.clickedButton() is open_file:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(written[-1])))
    elif dialog.clickedButton() is open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(written[-1]).parent)))
