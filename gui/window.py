"""The main window (主窗口): steps on the left, the current step's form on the right, the totals always in view.

The window holds one document. Every edit goes through `edit()` → an undo command → Evaluation.set →
`changed()`, which rescores (core.scoring) and updates the totals bar, the step marks and the visible page in
place. Pages are built the first time they are shown. Autosave writes recovery copies (core.recovery).
Start-up: the first frame has the totals bar, the steps, the first page and an empty 审核 panel; the checks, and
(in gui.app.run_gui) the offer of a recovery copy, run just after it is painted (`started`). Dialogs, drafts and
recovery are imported where they are used.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPainter, QPixmap, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.document import TARGET_COLUMNS, Evaluation
from core.framework import load_framework
from core.numbers import fmt
from core.paths import data_dir, example_path, frameworks
from core.scoring import DONE, OPEN, PROBLEM, ScoreSheet, score
from core.sections import SUMMARY_KEY, Section, section_of, sections, states
from gui.editing import SetRows, SetText, set_style_property
from gui.pages import Page, make_page

APP_TITLE = "绩效自评助手"
AUTOSAVE_MS = 60_000
MAX_RECENT = 8
STATUS_COLOURS = {DONE: "#2e7d32", OPEN: "#b7791f", PROBLEM: "#c62828"}
STATUS_WORDS = {DONE: "已完成", OPEN: "未填完", PROBLEM: "有问题"}
FILE_FILTER = "绩效自评草稿 (*.json);;所有文件 (*)"


def app_settings() -> QSettings:
    """Settings live in the app-data folder (JIXIAO_DATA_DIR in tests), never in the system registry."""
    return QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def status_icon(status: str) -> QIcon:
    icon = QIcon()
    for size in (16, 32):
        pm = QPixmap(size, size)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(STATUS_COLOURS[status])
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        m = size // 8
        p.drawEllipse(m, m, size - 2 * m, size - 2 * m)
        if status == OPEN:  # a hollow ring for "not yet": readable without colour
            p.setBrush(QColor("white"))
            p.drawEllipse(size // 4 + 1, size // 4 + 1, size // 2 - 2, size // 2 - 2)
        p.end()
        icon.addPixmap(pm)
    return icon


class TotalsBar(QFrame):
    """总分、等级、各一级指标小计、未评与问题数: always in view."""

    def __init__(self):
        super().__init__()
        self.setObjectName("totals")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(20, 8, 20, 8)
        lay.setSpacing(22)
        self.total = QLabel()
        self.total.setObjectName("totalValue")
        self.grade = QLabel()
        self.grade.setObjectName("gradeValue")
        lay.addWidget(self.total)
        lay.addWidget(self.grade)
        self.root_box = QWidget()
        lay.addWidget(self.root_box, 1)
        self.roots: dict[str, QLabel] = {}
        self.counts = QLabel()
        self.counts.setObjectName("counts")
        lay.addWidget(self.counts)

    def set_framework(self, framework) -> None:
        """One subtotal label per 一级 indicator. Many of them must not widen the window: the row sits in a
        scroll area without scroll bars that clips it, and its tooltip lists them all."""
        old = self.root_box
        self.root_box = QScrollArea()
        self.root_box.setObjectName("rootBox")
        self.root_box.setFrameShape(QFrame.Shape.NoFrame)
        self.root_box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.root_box.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.root_box.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.layout().replaceWidget(old, self.root_box)
        old.setParent(None)
        old.deleteLater()
        inner = QWidget()
        inner.setObjectName("rootRow")
        box = QHBoxLayout(inner)
        box.setContentsMargins(8, 0, 0, 0)
        box.setSpacing(22)
        self.roots = {}
        for r in framework.roots:
            label = QLabel()
            label.setObjectName("subtotal")
            self.roots[r.id] = label
            box.addWidget(label)
        self.root_box.setWidget(inner)

    def refresh(self, sheet: ScoreSheet) -> None:
        self.total.setText(f"总分 {fmt(sheet.total)}")
        self.grade.setText(f"等级 {sheet.grade}")
        for node in sheet.nodes:
            self.roots[node.id].setText(
                f"{node.name} {fmt(node.score)}<span style='color:#6b7280'> / {fmt(node.weight)}</span>"
            )
        tip = "\n".join(f"{n.name}：{fmt(n.score)} / {fmt(n.weight)} 分" for n in sheet.nodes)
        if self.root_box.toolTip() != tip:
            self.root_box.setToolTip(tip)
        inner = self.root_box.widget()
        inner.adjustSize()
        self.root_box.setFixedHeight(inner.sizeHint().height())
        parts = [f"未评 {sheet.open_count} 项"]
        if sheet.problem_count:
            parts.append(f"<span style='color:#c62828'>有问题 {sheet.problem_count} 项</span>")
        self.counts.setText("　".join(parts))


class AfterFirstPaint(QObject):
    """Calls `then()` once, on the turn of the event loop after `widget` was first painted: work queued with a
    zero timer before that would run first and hold back the window's first frame."""

    def __init__(self, widget: QWidget, then):
        super().__init__(widget)
        self.then = then
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self.then)
        return False


class MainWindow(QMainWindow):
    started = Signal()  # once, just after the first paint (the start-up checks have run)

    def __init__(self, settings: QSettings | None = None):
        super().__init__()
        self.settings = settings or app_settings()
        self.undo = QUndoStack(self)
        self.undo.cleanChanged.connect(lambda _clean: self.update_title())
        self.doc: Evaluation | None = None
        self.path: Path | None = None
        self.session = os.urandom(5).hex()
        self.recovery_file: Path | None = None  # the copy this document was restored from or autosaved to
        self.restored = False  # restored from a recovery copy: unsaved until saved
        self.sheet: ScoreSheet | None = None
        self.findings: list = []
        self.pages: dict[str, Page] = {}
        self.fields: dict[tuple, list] = {}
        self.targets_page = None
        self.section_list: list[Section] = []
        self.icons = {s: status_icon(s) for s in STATUS_COLOURS}
        self._build()
        self._build_menus()
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        self.checks = None  # core.checks, loaded just after the window's first paint (start-up time)
        self.check_timer = QTimer(self)
        self.check_timer.setSingleShot(True)
        self.check_timer.setInterval(400)
        self.check_timer.timeout.connect(self.run_checks)
        self._build_checks_dock()  # empty until then: the window keeps its layout when the findings arrive
        AfterFirstPaint(self, self._started)
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 840)
        fw = frameworks()
        self.set_document(Evaluation.new(load_framework(fw[0])))

    def _started(self) -> None:
        """Start-up work that the first frame does not need: the checks, then whoever waits for `started`."""
        self.load_checks()
        self.started.emit()

    # ----- layout
    def _build(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.totals = TotalsBar()
        outer.addWidget(self.totals)
        split = QSplitter()
        split.setChildrenCollapsible(False)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setMinimumWidth(220)
        self.nav.setMaximumWidth(340)
        self.nav.setWordWrap(True)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.nav.setResizeMode(QListWidget.ResizeMode.Adjust)  # re-wrap the lines when the list is resized
        self.nav.currentRowChanged.connect(self._nav_changed)
        split.addWidget(self.nav)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.setSpacing(0)
        head = QFrame()
        head.setObjectName("pageHead")
        hl = QHBoxLayout(head)
        hl.setContentsMargins(24, 12, 24, 10)
        self.page_title = QLabel()
        self.page_title.setObjectName("pageTitle")
        self.page_state = QLabel()
        self.page_state.setObjectName("pageState")
        # a new document's first step is open: the label is polished with that status when the splitter takes
        # it below, and needs no second polish (nor PySide's costly QStyle wrapper) while the window starts
        self.page_state.setProperty("status", OPEN)
        hl.addWidget(self.page_title)
        hl.addWidget(self.page_state, 1)
        rl.addWidget(head)
        self.stack = QStackedWidget()
        rl.addWidget(self.stack, 1)
        foot = QFrame()
        foot.setObjectName("pageFoot")
        fl = QHBoxLayout(foot)
        fl.setContentsMargins(24, 8, 24, 8)
        self.prev_button = QPushButton("上一步")
        self.next_button = QPushButton("下一步")
        self.next_button.setObjectName("primary")
        self.prev_button.clicked.connect(lambda: self.nav.setCurrentRow(self.nav.currentRow() - 1))
        self.next_button.clicked.connect(lambda: self.nav.setCurrentRow(self.nav.currentRow() + 1))
        fl.addWidget(self.prev_button)
        fl.addStretch(1)
        fl.addWidget(self.next_button)
        rl.addWidget(foot)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([270, 1010])
        outer.addWidget(split, 1)
        self.setCentralWidget(central)
        self.statusBar()

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        a = QAction(text, self)
        a.triggered.connect(slot)
        if shortcut is not None:
            a.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
        menu.addAction(a)
        return a

    def _build_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu("文件(&F)")
        self._action(m, "新建(&N)…", self.new_document, QKeySequence.StandardKey.New)
        self._action(m, "打开(&O)…", self.open_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = m.addMenu("最近打开(&R)")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(m, "打开示例(&E)", self.open_example)
        m.addSeparator()
        self.save_action = self._action(m, "保存(&S)", self.save, QKeySequence.StandardKey.Save)
        self._action(m, "另存为(&A)…", self.save_as, QKeySequence("Ctrl+Shift+S"))
        m.addSeparator()
        self._action(m, "导出 Excel(&X)…", lambda: self.export("xlsx"))
        self._action(m, "导出 PDF(&P)…", lambda: self.export("pdf"))
        m.addSeparator()
        self._action(m, "退出(&Q)", self.close, QKeySequence("Ctrl+Q"))
        e = bar.addMenu("编辑(&E)")
        self.undo_action = self.undo.createUndoAction(self, "撤销")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self.undo.createRedoAction(self, "重做")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        e.addAction(self.undo_action)
        e.addAction(self.redo_action)
        self.view_menu = bar.addMenu("查看(&V)")
        self._action(
            self.view_menu,
            "上一步",
            lambda: self.nav.setCurrentRow(self.nav.currentRow() - 1),
            QKeySequence("Ctrl+PgUp"),
        )
        self._action(
            self.view_menu,
            "下一步",
            lambda: self.nav.setCurrentRow(self.nav.currentRow() + 1),
            QKeySequence("Ctrl+PgDown"),
        )
        h = bar.addMenu("帮助(&H)")
        self._action(h, "关于(&A)", self._about)

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from core import __version__

        QMessageBox.about(
            self, "关于", f"<b>{APP_TITLE}</b> {__version__}<br>部门整体支出绩效自评的填报、评分与导出。"
        )

    # ----- documents
    def set_document(
        self,
        doc: Evaluation,
        path: Path | None = None,
        recovery_file: Path | None = None,
        restored: bool = False,
    ) -> None:
        self.doc, self.path = doc, Path(path) if path else None
        self.recovery_file, self.restored = recovery_file, restored
        self.undo.clear()
        self.undo.setClean()
        self.fields.clear()
        self.targets_page = None
        for page in self.pages.values():
            page.deleteLater()
        self.pages.clear()
        while self.stack.count():
            w = self.stack.widget(0)
            self.stack.removeWidget(w)
            w.deleteLater()
        self.section_list = sections(doc.framework)
        self.scrolls: dict[str, QScrollArea] = {}
        self.totals.set_framework(doc.framework)
        self.findings = []
        self.nav.blockSignals(True)
        self.nav.clear()
        for s in self.section_list:
            item = QListWidgetItem(s.title)
            self.nav.addItem(item)
        self.nav.blockSignals(False)
        self.sheet = (
            None  # the first page is built without refreshing it; changed() scores and refreshes once
        )
        self.nav.setCurrentRow(0)
        self.changed(check_now=True)
        self.update_title()

    @property
    def dirty(self) -> bool:
        return self.restored or not self.undo.isClean()

    def update_title(self) -> None:
        name = self.path.name if self.path else "未命名"
        self.setWindowTitle(f"{name}[*] — {APP_TITLE}")
        self.setWindowModified(self.dirty)

    def maybe_discard(self) -> bool:
        """Ask before unsaved changes are lost. True when it is fine to go on."""
        from PySide6.QtWidgets import QMessageBox

        if not self.dirty:
            return True
        name = self.path.name if self.path else "未命名文档"
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            APP_TITLE,
            f"“{name}”有未保存的修改。是否先保存？",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self,
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

    def new_document(self) -> None:
        from PySide6.QtWidgets import QInputDialog, QMessageBox

        from core.rules import FrameworkError

        if not self.maybe_discard():
            return
        paths = frameworks()
        fws = []
        for p in paths:
            try:
                fws.append(load_framework(p))
            except FrameworkError as e:
                QMessageBox.warning(self, "指标框架有误", f"{p.name}：{e}")
        if not fws:
            return
        fw = fws[0]
        if len(fws) > 1:
            names = [f"{f.name}（{f.year}）" for f in fws]
            name, ok = QInputDialog.getItem(self, "新建", "选择指标框架：", names, 0, False)
            if not ok:
                return
            fw = fws[names.index(name)]
        self.set_document(Evaluation.new(fw))

    def open_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        if not self.maybe_discard():
            return
        start = self.settings.value("last_folder", str(Path.home()))
        name, _ = QFileDialog.getOpenFileName(self, "打开草稿", start, FILE_FILTER)
        if name:
            self.open_path(name, asked=True)

    def open_path(self, path: str | Path, asked: bool = False) -> bool:
        from PySide6.QtWidgets import QMessageBox

        from core.drafts import DraftError, load

        if not asked and not self.maybe_discard():
            return False
        try:
            doc = load(path)
        except DraftError as e:
            QMessageBox.critical(self, "无法打开", str(e))
            return False
        self.set_document(doc, Path(path).resolve())
        self._remember(self.path)
        return True

    def open_example(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from core.drafts import DraftError, load

        if not self.maybe_discard():
            return
        try:
            doc = load(example_path())
        except DraftError as e:
            QMessageBox.critical(self, "无法打开示例", str(e))
            return
        self.set_document(doc)  # untitled: saving asks where, the bundled example is never overwritten
        self.statusBar().showMessage("已打开示例（福田区 2020 年自评报告）。保存时请选择保存位置。", 8000)

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self.save_to(self.path)

    def save_as(self) -> bool:
        from PySide6.QtWidgets import QFileDialog

        start = (
            str(self.path)
            if self.path
            else str(
                Path(self.settings.value("last_folder", str(Path.home())))
                / f"{self.doc.facts.get('department', '').strip() or '绩效自评'}.json"
            )
        )
        name, _ = QFileDialog.getSaveFileName(self, "另存为", start, FILE_FILTER)
        if not name:
            return False
        path = Path(name)
        if path.suffix.lower() != ".json":
            path = path.with_name(path.name + ".json")
        return self.save_to(path)

    def save_to(self, path: Path) -> bool:
        from PySide6.QtWidgets import QMessageBox

        from core.drafts import DraftError, save

        try:
            save(self.doc, path)
        except DraftError as e:
            QMessageBox.critical(self, "保存失败", f"{e}\n\n文档仍在程序中，没有丢失；请换一个位置保存。")
            return False
        self.path = Path(path).resolve()
        self.restored = False
        self.undo.setClean()
        self.discard_recovery()
        self._remember(self.path)
        self.update_title()
        self.statusBar().showMessage(f"已保存到 {self.path}", 6000)
        return True

    def _remember(self, path: Path) -> None:
        recent = [p for p in self.recent_files() if p != str(path)]
        self.settings.setValue("recent", [str(path), *recent][:MAX_RECENT])
        self.settings.setValue("last_folder", str(path.parent))

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for i, p in enumerate(files, 1):
            a = self.recent_menu.addAction(f"&{i} {Path(p).name}　{Path(p).parent}")
            a.triggered.connect(lambda _=False, p=p: self.open_path(p))
        if not files:
            self.recent_menu.addAction("（无）").setEnabled(False)

    def closeEvent(self, event) -> None:
        if not self.maybe_discard():
            event.ignore()
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.sync()
        event.accept()

    # ----- autosave and recovery
    def autosave(self) -> None:
        """The timer's slot: write a recovery copy when there are unsaved changes."""
        from core import recovery
        from core.drafts import DraftError

        if not self.dirty:
            return
        target = self.recovery_file or recovery.copy_path(self.path, self.session)
        try:
            recovery.write(self.doc, target, self.path)
        except DraftError as e:
            self.statusBar().showMessage(f"自动保存失败：{e}", 10000)
            return
        self.recovery_file = target
        self.statusBar().showMessage("已自动保存恢复副本", 3000)

    def offer_recovery(self, ask=None) -> bool:
        """At start: offer the newest recovery copy. `ask(copy)` returns "restore", "discard" or "later"."""
        from PySide6.QtWidgets import QMessageBox

        from core import recovery
        from core.drafts import DraftError

        found = recovery.copies()
        if not found:
            return False
        copy = found[0]
        answer = (ask or self._ask_recovery)(copy)
        if answer == "discard":
            recovery.remove(copy.path)
            return False
        if answer != "restore":
            return False
        try:
            doc = recovery.load(copy)
        except DraftError as e:
            QMessageBox.critical(self, "无法恢复", str(e))
            return False
        self.set_document(doc, Path(copy.original) if copy.original else None, copy.path, restored=True)
        self.statusBar().showMessage("已恢复上次未保存的工作，请保存。", 10000)
        return True

    def _ask_recovery(self, copy) -> str:
        from PySide6.QtWidgets import QMessageBox

        when = copy.saved_at.replace("T", " ") or "未知时间"
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "恢复未保存的工作",
            f"上次程序意外关闭，“{copy.name}”有未保存的修改（自动保存于 {when}）。\n是否恢复？",
            parent=self,
        )
        restore = box.addButton("恢复", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("丢弃", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("稍后再说", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return (
            "restore"
            if box.clickedButton() is restore
            else "discard"
            if box.clickedButton() is discard
            else "later"
        )

    # ----- editing
    def register(self, field) -> None:
        self.fields.setdefault(field.path, []).append(field)

    def edit(self, path: tuple, text: str, label: str) -> None:
        if self.doc.get(path) == text:
            return
        self.undo.push(SetText(self, path, self.doc.get(path), text, label))

    def apply(self, path: tuple, text: str, navigate: bool) -> None:
        self.doc.set(path, text)
        for f in self.fields.get(path, ()):
            f.show_value(text)
        if path[0] == "targets" and self.targets_page is not None:
            self.targets_page.show_value(path[1], path[2], text)
        if navigate:
            self.focus_path(path)
        self.changed()

    def change_rows(self, rows: list[dict], label: str, focus_row: int) -> None:
        self.undo.push(SetRows(self, self.doc.targets, rows, label, focus_row))

    def set_rows(self, rows: list[dict], focus_row: int) -> None:
        self.doc.targets = rows
        self.show_section("targets")
        self.targets_page.load()
        self.targets_page.focus_row(focus_row)
        self.changed()

    def changed(self, check_now: bool = False) -> None:
        """Rescore and update what is on screen in place."""
        self.sheet = score(self.doc)
        self.totals.refresh(self.sheet)
        if self.totals.isVisible():
            self.totals.repaint()  # the new total shows at once, before the page lays out its changed cards
        self.refresh_marks()
        page = self.current_page()
        if page is not None:
            page.refresh(self.sheet)
        if self.checks is not None:
            if check_now:
                self.run_checks()
            else:
                self.check_timer.start()

    def refresh_marks(self) -> None:
        for i, (s, st) in enumerate(
            zip(self.section_list, states(self.doc, self.sheet, self.findings), strict=True)
        ):
            item = self.nav.item(i)
            text = f"{s.title}\n{st.summary}" + (f"；审核错误 {st.errors} 条" if st.errors else "")
            if item.text() != text:
                item.setText(text)
            tip = "；".join(x for x in (f"{STATUS_WORDS[st.status]}：{st.summary}", st.findings_text) if x)
            if item.toolTip() != tip:
                item.setToolTip(tip)
            if item.data(Qt.ItemDataRole.UserRole) != st.status:
                item.setData(Qt.ItemDataRole.UserRole, st.status)
                item.setIcon(self.icons[st.status])
            if i == self.nav.currentRow():
                self.page_state.setText(
                    " · ".join(x for x in (STATUS_WORDS[st.status], st.summary, st.findings_text) if x)
                )
                set_style_property(self.page_state, "status", st.status)

    # ----- navigation
    def current_page(self) -> Page | None:
        row = self.nav.currentRow()
        if not 0 <= row < len(self.section_list):
            return None
        return self.pages.get(self.section_list[row].key)

    def _nav_changed(self, row: int) -> None:
        if not 0 <= row < len(self.section_list):
            return
        s = self.section_list[row]
        page = self.pages.get(s.key)
        if page is None:
            page = self.pages[s.key] = make_page(self, s)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(page)
            self.scrolls[s.key] = scroll
            self.stack.addWidget(scroll)
        self.stack.setCurrentWidget(self.scrolls[s.key])
        self.page_title.setText(s.title)
        self.prev_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < len(self.section_list) - 1)
        if self.sheet is not None:
            page.refresh(self.sheet)
            self.refresh_marks()

    def show_section(self, key: str) -> None:
        for i, s in enumerate(self.section_list):
            if s.key == key:
                if self.nav.currentRow() != i:
                    self.nav.setCurrentRow(i)
                return

    def focus_path(self, path: tuple) -> QWidget | None:
        """Go to the step that shows a path and put the cursor in its field. Returns the widget focused."""
        key = section_of(path, self.doc.framework)
        if key is None:
            return None
        self.show_section(key)
        page = self.pages[key]
        widget = None
        if path[0] == "targets" and len(path) > 1 and self.targets_page is not None:
            cols = [k for k, _ in TARGET_COLUMNS]
            self.targets_page.focus_row(
                path[1], cols.index(path[2]) if len(path) > 2 and path[2] in cols else 0
            )
            return self.targets_page.table
        card = page.card_for(path[1]) if path[0] == "indicators" and hasattr(page, "card_for") else None
        fields = self.fields.get(tuple(path))
        if fields:
            widget = fields[0]
        elif card is not None:
            widget = next(iter(card.fields.values()), card.reason)
        if widget is not None:
            scroll = self.scrolls[key]
            page.layout_.activate()
            scroll.ensureWidgetVisible(widget, 40, 120)
            # a page or group built just now is laid out on the next turn of the event loop: scroll again then
            QTimer.singleShot(0, lambda: scroll.ensureWidgetVisible(widget, 40, 120))
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return widget

    # ----- export
    def export(self, kind: str) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from core import JixiaoError

        label, suffix = {"xlsx": ("Excel", ".xlsx"), "pdf": ("PDF", ".pdf")}[kind]
        base = self.path.parent if self.path else Path(self.settings.value("last_folder", str(Path.home())))
        stem = self.path.stem if self.path else self.doc.title
        name, _ = QFileDialog.getSaveFileName(
            self, f"导出 {label}", str(base / (stem + suffix)), f"{label} 文件 (*{suffix})"
        )
        if not name:
            return
        if not name.lower().endswith(suffix):
            name += suffix
        from core.checks import check, export_is_draft

        if kind == "xlsx":
            from core.export_xlsx import write_xlsx as writer
        else:
            from core.export_pdf import write_pdf as writer
        sheet = self.sheet
        draft = export_is_draft(sheet, check(self.doc, sheet))
        try:
            writer(self.doc, name, sheet=sheet, draft=draft)
        except JixiaoError as e:
            QMessageBox.critical(self, "导出失败", str(e))
            return
        except OSError as e:
            QMessageBox.critical(self, "导出失败", f"无法写入 {name}：{e.strerror or e}")
            return
        note = "（有未完成或有问题的指标，文件已标注“草稿”）" if draft else ""
        self.statusBar().showMessage(f"已导出 {label}：{name}{note}", 10000)

    # ----- checks (issue 7): a panel of findings; double-click goes to the field
    def load_checks(self) -> None:
        if self.checks is not None or self.checks_dock is None:
            return
        try:
            self.checks = importlib.import_module("core.checks")
        except Exception:  # a missing module or one that fails to load must not stop the window: no panel
            self.view_menu.removeAction(self.checks_dock.toggleViewAction())
            self.removeDockWidget(self.checks_dock)
            self.checks_dock.deleteLater()
            self.checks_dock = None
            return
        self.run_checks()

    def _build_checks_dock(self) -> None:
        self.checks_dock = QDockWidget("审核", self)
        self.checks_dock.setObjectName("checksDock")
        self.check_list = QTreeWidget()
        self.check_list.setHeaderLabels(["级别", "问题"])
        self.check_list.setRootIsDecorated(False)
        self.check_list.setColumnWidth(0, 60)
        self.check_list.setWordWrap(True)
        self.check_list.itemDoubleClicked.connect(self._finding_clicked)
        self.checks_dock.setWidget(self.check_list)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.checks_dock)
        self.resizeDocks([self.checks_dock], [150], Qt.Orientation.Vertical)
        self.view_menu.addAction(self.checks_dock.toggleViewAction())

    def run_checks(self) -> None:
        if self.checks is None or self.doc is None:
            return
        try:
            self.findings = list(self.checks.check(self.doc, self.sheet))
        except Exception as e:  # never a traceback for the user; the panel says the check failed
            self.findings = []
            self.statusBar().showMessage(f"审核未能完成：{e}", 8000)
        self.check_list.clear()
        for f in self.findings:
            item = QTreeWidgetItem([f.severity, f.message])
            item.setData(0, Qt.ItemDataRole.UserRole, tuple(f.path))
            item.setToolTip(1, f.message)
            colour = {"错误": "#c62828", "警告": "#b7791f"}.get(f.severity)
            if colour:
                item.setForeground(0, QColor(colour))
            self.check_list.addTopLevelItem(item)
        errors = sum(1 for f in self.findings if f.severity == "错误")
        self.checks_dock.setWindowTitle(
            f"审核（{len(self.findings)} 条，其中错误 {errors} 条）"
            if self.findings
            else "审核（未发现问题）"
        )
        self.refresh_marks()
        page = self.current_page()
        if page is not None and self.sheet is not None:
            page.refresh(self.sheet)

    def _finding_clicked(self, item: QTreeWidgetItem, _col: int) -> None:
        path = item.data(0, Qt.ItemDataRole.UserRole)
        if path:
            self.focus_path(tuple(path))
        else:
            self.show_section(SUMMARY_KEY)
