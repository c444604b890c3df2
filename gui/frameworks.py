"""文件 → 导入指标框架…: a district's own framework file, checked and copied into the app-data folder
(core.catalogue.add), then offered on the start page. Nothing is copied when the file has an error: the message
names the indicator and the problem."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox

from gui.messages import box, message


def import_framework(window) -> None:
    from core.catalogue import AlreadyAdded, add
    from core.rules import FrameworkError

    name, _ = QFileDialog.getOpenFileName(
        window, "导入指标框架", window.documents.last_folder(), "指标框架文件 (*.json);;所有文件 (*)"
    )
    if not name:
        return
    try:
        try:
            entry = add(name)
        except AlreadyAdded as e:
            ask = box(
                window,
                "question",
                "导入指标框架",
                f"{e}。用这个文件替换吗？（用旧框架填写的草稿不受影响：草稿带着自己的框架）",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            )
            if ask.exec() != QMessageBox.StandardButton.Yes:
                return
            entry = add(name, replace=True)
    except FrameworkError as e:
        message(window, "warning", "无法导入指标框架", f"{e}\n\n没有导入。请改正文件后再导入。")
        return
    window.start._fill_frameworks(refresh=True)
    message(
        window,
        "information",
        "已导入指标框架",
        f"已导入“{entry.label}”，新建评价时可以选用。\n文件保存在：{entry.path}",
    )
