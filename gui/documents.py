"""The window's document as a file: new, open, save, recent files, autosave and crash recovery.

`Documents` keeps where the document lives (`path`), whether it came from a recovery copy, and the copy it
autosaves to; the window shows whatever `window.set_document` is given. Dialogs, drafts and recovery are
imported where they are used (start-up time).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer

from core.paths import data_dir, example_path
from gui.messages import message

APP_TITLE = "绩效自评助手"
AUTOSAVE_MS = 60_000
MAX_RECENT = 8
FILE_FILTER = "绩效自评草稿 (*.json);;所有文件 (*)"


def app_settings() -> QSettings:
    """Settings live in the app-data folder (JIXIAO_DATA_DIR in tests), never in the system registry."""
    return QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def recovery_question(copy, doc, problem: str = "") -> str:
    """What the offer of a recovery copy says: which document, its department and year, its last edit."""
    when = (copy.edited_at or copy.saved_at).replace("T", " ")[:16] or "未知时间"
    what = f"“{copy.name}”"
    if doc is not None:
        department = doc.facts.get("department", "").strip() or "（未填部门）"
        what += f"（{department}，{doc.year} 年度）"
    text = f"上次程序意外关闭，{what}有未保存的修改，最后一次修改于 {when}。"
    if problem:
        return text + f"\n但这份恢复副本无法读取：{problem}\n可以丢弃它。"
    return text + "\n是否恢复？"


def now() -> str:
    """The time of an edit, to the second. (datetime is imported here: its module costs ~1 % of the first frame,
    which needs none of it.)"""
    from datetime import datetime

    return datetime.now().isoformat(timespec="seconds")


class Documents(QObject):
    def __init__(self, window, settings: QSettings | None = None):
        super().__init__(window)
        self.window = window
        self.settings = settings or app_settings()
        self.path: Path | None = None
        self.session = os.urandom(5).hex()
        self.recovery_file: Path | None = None  # the copy this document was restored from or autosaved to
        self.restored = False  # restored from a recovery copy: unsaved until saved
        self.edited_at = ""  # when the document was last edited (ISO time)
        self.copied_at = ""  # the edit the recovery copy holds
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()

    def reset(self, path: Path | None, recovery_file: Path | None, restored: bool) -> None:
        """A document was put in the window: where it lives."""
        self.path = Path(path) if path else None
        self.recovery_file, self.restored = recovery_file, restored
        self.edited_at = self.copied_at = ""

    @property
    def dirty(self) -> bool:
        return self.restored or not self.window.undo.isClean()

    @property
    def name(self) -> str:
        return self.path.name if self.path else "未命名"

    def last_folder(self) -> str:
        return str(self.settings.value("last_folder", str(Path.home())))

    # ----- asking before work is lost
    def maybe_discard(self) -> bool:
        """Ask before unsaved changes are lost. True when it is fine to go on."""
        from PySide6.QtWidgets import QMessageBox

        from gui.messages import box as message_box

        if not self.dirty:
            return True
        name = self.path.name if self.path else "未命名文档"
        box = message_box(
            self.window,
            "warning",
            APP_TITLE,
            f"“{name}”有未保存的修改。是否先保存？",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        box.button(QMessageBox.StandardButton.Save).setText("保存")
        box.button(QMessageBox.StandardButton.Discard).setText("不保存")
        box.button(QMessageBox.StandardButton.Cancel).setText("取消")
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.discard_recovery()
            return True
        return False

    def discard_recovery(self) -> None:
        from core import recovery

        recovery.remove(self.recovery_file)
        self.recovery_file = None

    # ----- new and open
    def new_document(self) -> None:
        """新建评价: the start page, where the framework and the year are chosen."""
        self.window.show_start()

    def new_evaluation(self, framework, year: int) -> bool:
        from core.document import Evaluation

        if not self.maybe_discard():
            return False
        doc = Evaluation.new(framework, year)
        self.window.set_document(doc)
        first = self.window.chain_tabs()[0]  # the cursor in 部门名称: typing starts there
        if first is not None:
            first.setFocus()
        self.window.statusBar().showMessage(f"已新建 {year} 年度评价。保存时请选择保存位置。", 8000)
        return True

    def open_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        if not self.maybe_discard():
            return
        name, _ = QFileDialog.getOpenFileName(self.window, "打开草稿", self.last_folder(), FILE_FILTER)
        if name:
            self.open_path(name, asked=True)

    def open_path(self, path: str | Path, asked: bool = False) -> bool:
        from core.drafts import DraftError, load

        if not asked and not self.maybe_discard():
            return False
        if Path(path).resolve() == example_path().resolve():
            self.open_example(asked=True)  # the bundled example is never written over
            return True
        try:
            doc = load(path)
        except DraftError as e:
            message(self.window, "critical", "无法打开", str(e))
            return False
        self.window.set_document(doc, Path(path).resolve())
        self.remember(self.path)
        return True

    def open_example(self, asked: bool = False) -> None:
        from core.drafts import DraftError, load

        if not asked and not self.maybe_discard():
            return
        try:
            doc = load(example_path())
        except DraftError as e:
            message(self.window, "critical", "无法打开示例", str(e))
            return
        self.window.set_document(doc)  # untitled: saving asks where, the bundled example is never overwritten
        self.window.statusBar().showMessage(
            "已打开示例（福田区 2020 年自评报告）。保存时请选择保存位置。", 8000
        )

    # ----- save
    def save(self) -> bool:
        """Save where the document lives. A document restored from a recovery copy is saved where the user
        says (the dialog proposes its original file): the copy's own record must not decide where to write."""
        if self.path is None or self.restored:
            return self.save_as()
        return self.save_to(self.path)

    def save_as(self) -> bool:
        from PySide6.QtWidgets import QFileDialog

        doc = self.window.doc
        start = (
            str(self.path)
            if self.path
            else str(
                Path(self.last_folder())
                / f"{doc.facts.get('department', '').strip()}{doc.year}年度绩效自评.json"
            )
        )
        name, _ = QFileDialog.getSaveFileName(self.window, "另存为", start, FILE_FILTER)
        if not name:
            return False
        path = Path(name)
        if path.suffix.lower() != ".json":
            path = path.with_name(path.name + ".json")
        return self.save_to(path)

    def save_to(self, path: Path) -> bool:
        from core.drafts import DraftError, save

        try:
            save(self.window.doc, path)
        except DraftError as e:
            message(
                self.window, "critical", "保存失败", f"{e}\n\n文档仍在程序中，没有丢失；请换一个位置保存。"
            )
            return False
        self.path = Path(path).resolve()
        self.restored = False
        self.window.undo.setClean()
        self.discard_recovery()
        self.remember(self.path)
        self.window.update_title()
        self.window.statusBar().showMessage(f"已保存到 {self.path}", 6000)
        return True

    # ----- recent files
    def remember(self, path: Path) -> None:
        recent = [p for p in self.recent_files() if p != str(path)]
        self.settings.setValue("recent", [str(path), *recent][:MAX_RECENT])
        self.settings.setValue("last_folder", str(path.parent))

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def fill_recent(self, menu) -> None:
        menu.clear()
        files = self.recent_files()
        for i, p in enumerate(files, 1):
            a = menu.addAction(f"&{i} {Path(p).name}　{Path(p).parent}")
            a.triggered.connect(lambda _=False, p=p: self.open_path(p))
        if not files:
            menu.addAction("（无）").setEnabled(False)

    # ----- autosave and recovery
    def touch(self) -> None:
        """The document was edited (for the recovery copy: when, and that there is something new to copy)."""
        self.edited_at = now()

    def autosave(self) -> None:
        """The timer's slot: write a recovery copy when there are unsaved changes not yet copied."""
        from core import recovery
        from core.drafts import DraftError

        if not self.dirty or (self.recovery_file is not None and self.copied_at == self.edited_at):
            return
        target = self.recovery_file or recovery.copy_path(self.path, self.session)
        try:
            recovery.write(self.window.doc, target, self.path, self.edited_at)
        except DraftError as e:
            self.window.statusBar().showMessage(f"自动保存失败：{e}", 10000)
            return
        self.recovery_file, self.copied_at = target, self.edited_at
        self.window.statusBar().showMessage("已自动保存恢复副本", 3000)

    def offer_recovery(self, ask=None) -> bool:
        """At start: offer the newest recovery copy. `ask(question, copy)` returns "restore", "discard" or
        "later"; the question names the document, its department and year, and the time of its last edit."""
        from core import recovery
        from core.drafts import DraftError

        found = recovery.copies()
        if not found:
            return False
        copy = found[0]
        try:
            doc, problem = recovery.load(copy), ""
        except DraftError as e:
            doc, problem = None, str(e)
        answer = (ask or self._ask_recovery)(recovery_question(copy, doc, problem), copy)
        if answer == "discard":
            recovery.remove(copy.path)
            return False
        if answer != "restore":
            return False
        if doc is None:
            message(self.window, "critical", "无法恢复", problem)
            return False
        self.window.set_document(
            doc, Path(copy.original) if copy.original else None, copy.path, restored=True
        )
        self.window.statusBar().showMessage("已恢复上次未保存的工作，请保存。", 10000)
        return True

    def _ask_recovery(self, question: str, copy) -> str:
        from PySide6.QtWidgets import QMessageBox

        from gui.messages import box as message_box

        box = message_box(
            self.window, "question", "恢复未保存的工作", question, QMessageBox.StandardButton.NoButton
        )
        restore = box.addButton("恢复", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("丢弃", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("稍后再说", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is restore:
            return "restore"
        return "discard" if box.clickedButton() is discard else "later"
