"""The main window (主窗口), the shell: steps on the left, the current step's page on the right, the totals bar
on top, the 审核 panel below, the menus.

The window holds one document. Every edit goes through `edit()` → an undo command (gui.editing) →
Evaluation.set → `changed()`, which rescores (core.scoring) and updates the totals bar, the step marks and the
visible page in place. Pages (gui.pages) are built the first time they are shown. The rest lives in its own
module: the document as a file (gui.documents), the totals bar (gui.totals), the 审核 panel
(gui.checks_panel), exports on a background job (gui.exports, gui.jobs).
Start-up: the first frame has the totals bar, the steps, the first page and an empty 审核 panel; the checks, and
(in gui.app.run_gui) the offer of a recovery copy, run just after it is painted (`started`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSettings, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from gui.documents import APP_TITLE, Documents
from gui.messages import message
from gui.messages import tip as plain_tip
from gui.start import StartPage

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QScrollArea

    from core.document import Evaluation
    from core.scoring import ScoreSheet
    from core.sections import Section
    from gui.jobs import JobRunner
    from gui.pages import Page

# The document's side of the window (core's framework, scoring and sections, the pages) is imported when the
# first document is shown: the start page needs none of it, and the program starts sooner without it. Nor does
# the first frame touch PySide's `Qt` namespace (see gui.start.start_label): the methods that need it import it.

CHECK_DELAY_MS = 400
FIRST_PAINT_POLL_MS = 2  # how often start-up asks whether the window is on screen yet
FIRST_PAINT_WAIT_MS = 1000  # and for how long at most


def status_icon(status: str):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

    from core.scoring import OPEN
    from gui.status import STATUS_COLOURS

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


USUAL_SIZE = (1280, 840)
FRAME = (16, 40)  # what a desktop adds around the window (borders, title bar), before it is shown


def fits(rect: QRect, avail: QRect) -> bool:
    """Whether a window of this geometry, with its frame, lies wholly on the available part of a screen."""
    return avail.contains(
        rect.adjusted(-FRAME[0] // 2, -FRAME[1] + FRAME[0] // 2, FRAME[0] // 2, FRAME[0] // 2)
    )


def fitted(avail: QRect) -> tuple[QRect, bool]:
    """The geometry of a first start on a screen: the usual size, centred, if it fits with its frame;
    else the available area (and maximised)."""
    w, h = USUAL_SIZE
    if w + FRAME[0] <= avail.width() and h + FRAME[1] <= avail.height():
        rect = QRect(0, 0, w, h)
        rect.moveCenter(avail.center())
        return rect, False
    inner = avail.adjusted(FRAME[0] // 2, FRAME[1] - FRAME[0] // 2, -FRAME[0] // 2, -FRAME[0] // 2)
    return inner, True


class MainWindow(QMainWindow):
    started = Signal()  # once, just after the first paint (the start page filled, the checks run)

    def __init__(self, settings: QSettings | None = None):
        super().__init__()
        self.undo = QUndoStack(self)
        self.undo.cleanChanged.connect(lambda _clean: self.update_title())
        self.documents = Documents(self, settings)
        self.settings = self.documents.settings
        self.doc: Evaluation | None = None
        self.sheet: ScoreSheet | None = None
        self.findings: list = []
        self.pages: dict[str, Page] = {}
        self.scrolls: dict[str, QScrollArea] = {}
        self.fields: dict[tuple, list] = {}
        self.field_errors: dict[tuple, str] = {}  # 审核's 错误 by the path of their field
        self.section_list: list[Section] = []
        self.has_started = False
        self.maximise_on_show = False  # see place()
        self.editor: QWidget | None = None  # the document's view, built with the first document
        self._build()
        self._jobs: JobRunner | None = None
        self._build_menus()
        self.check_timer = QTimer(self)
        self.check_timer.setSingleShot(True)
        self.check_timer.setInterval(CHECK_DELAY_MS)
        self.check_timer.timeout.connect(self.run_checks)
        self.setAcceptDrops(True)
        self.first_paint = QTimer(self)  # asks, once the window is shown, whether it is on screen yet
        self.first_paint_polls = 0
        self.first_paint.setInterval(FIRST_PAINT_POLL_MS)
        self.first_paint.timeout.connect(self._after_first_paint)
        self.place()
        self.show_start()

    @property
    def jobs(self) -> JobRunner:
        """The background jobs (exports), shown in the status bar: made with the first job, as the first frame
        does not show them."""
        if self._jobs is None:
            from gui.jobs import JobRunner

            self._jobs = JobRunner(self.statusBar())
        return self._jobs

    def place(self) -> None:
        """Size and place the window on the screen it opens on: the saved geometry if it fits that screen,
        else a size that fits (maximised when the usual size does not: a 1366×768 laptop, 150 % scaling)."""
        from PySide6.QtGui import QCursor, QGuiApplication

        screen = QGuiApplication.screenAt(QCursor.pos()) or self.screen()
        avail = screen.availableGeometry()
        saved = self.settings.value("window/geometry")
        if saved is not None and self.restoreGeometry(saved):
            if self.isMaximized() or fits(self.geometry(), avail):
                return
        rect, self.maximise_on_show = fitted(avail)
        self.setGeometry(rect)

    def setVisible(self, visible: bool) -> None:
        """Shown maximised when `place` found the usual size too large for the screen: by showMaximized(), as
        setWindowState(Qt.WindowState.WindowMaximized) would build PySide's `Qt` namespace before the first
        frame (see gui.start.start_label)."""
        if visible and self.maximise_on_show:
            self.maximise_on_show = False
            self.showMaximized()  # sets the state and comes back here to show the window
            return
        super().setVisible(visible)
        if visible and not self.has_started and not self.first_paint.isActive():
            self.first_paint_polls = 0
            self.first_paint.start()

    def _after_first_paint(self) -> None:
        """`_started` on the turn of the event loop after the window's first paint: Qt paints a window of widgets
        as it handles the window's first expose, so once the window is exposed, it has been painted (work queued
        with a zero timer before that would run first and hold back the first frame). The timer asks rather than
        an event filter on the window listening for its first paint: a filter wraps every event of the window
        in Python, and the first of them builds PySide's QEvent enums (~180 members) before the first frame.
        A window still not exposed after a while (started minimised) is filled all the same."""
        handle = self.windowHandle()
        self.first_paint_polls += 1
        waited = self.first_paint_polls * FIRST_PAINT_POLL_MS
        if (handle is not None and handle.isExposed()) or waited >= FIRST_PAINT_WAIT_MS:
            self.first_paint.stop()
            QTimer.singleShot(0, self._started)

    def _started(self) -> None:
        """Start-up work that the first frame does not need: the start page's lists, the checks of a document
        opened at start, then whoever waits for `started`."""
        if self.has_started:
            return
        self.has_started = True
        self._fill_menus()
        if self.central.currentWidget() is self.start:
            self.start.fill()
        if self.doc is not None:
            self.run_checks()
        self.started.emit()

    # ----- layout
    def _build(self) -> None:
        # parents first, so that no widget is moved into another parent (and styled again with its children)
        self.central = QStackedWidget()
        self.setCentralWidget(self.central)
        self.start = StartPage(self, self.central)
        self.central.addWidget(self.start)
        self.statusBar()

    def _build_editor(self) -> None:
        """The document's view: totals bar, steps, the page, 上一步/下一步, the 审核 bar."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QFrame, QHBoxLayout, QListWidget, QPushButton, QSplitter, QVBoxLayout

        from core.scoring import OPEN
        from gui.checks_panel import ChecksPanel
        from gui.editing import WrappingRows, plain_label
        from gui.status import STATUS_COLOURS
        from gui.totals import TotalsBar

        self.icons = {s: status_icon(s) for s in STATUS_COLOURS}
        self.editor = QWidget()
        outer = QVBoxLayout(self.editor)
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
        # the lines wrap at the list's width: lay them out again when a scroll bar comes or goes
        self.nav.setItemDelegate(WrappingRows(self.nav, 60))
        self.nav.verticalScrollBar().rangeChanged.connect(
            lambda *_: QTimer.singleShot(0, self.nav.doItemsLayout)
        )
        split.addWidget(self.nav)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.setSpacing(0)
        head = QFrame()
        head.setObjectName("pageHead")
        hl = QHBoxLayout(head)
        hl.setContentsMargins(24, 12, 24, 10)
        self.page_title = plain_label(name="pageTitle")
        self.page_state = plain_label(name="pageState")
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
        for b in (self.prev_button, self.next_button):
            b.setAutoDefault(True)  # Enter on the focused button goes to the step
        self.next_button.setObjectName("primary")
        self.prev_button.clicked.connect(self.previous_step)
        self.next_button.clicked.connect(self.next_step)
        fl.addWidget(self.prev_button)
        fl.addStretch(1)
        fl.addWidget(self.next_button)
        rl.addWidget(foot)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([270, 1010])
        outer.addWidget(split, 1)
        # in the first frame, closed and empty: the window keeps its layout when the findings arrive
        self.checks = ChecksPanel()
        self.checks.chosen.connect(self._finding_chosen)
        self.checks.toggled.connect(self._checks_toggled)
        self.checks.set_open(self.settings.value("checks/open", "false") == "true")
        outer.addWidget(self.checks)
        self.central.addWidget(self.editor)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        from PySide6.QtGui import QAction

        a = QAction(text, self)
        a.triggered.connect(slot)
        if shortcut is not None:
            a.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
        menu.addAction(a)
        return a

    def _build_menus(self) -> None:
        """The menu bar's titles, in the first frame; their actions come just after it (`_fill_menus`)."""
        bar = self.menuBar()
        self.menus = [
            bar.addMenu(title) for title in ("文件(&F)", "编辑(&E)", "导入(&I)", "查看(&V)", "帮助(&H)")
        ]
        self.doc_actions: list[QAction] = []  # what needs a document on screen: disabled on the start page

    def _fill_menus(self) -> None:
        """The menus' actions and shortcuts, just after the first frame (`_started`)."""
        from PySide6.QtGui import QKeySequence

        docs = self.documents
        m, e, i, self.view_menu, h = self.menus
        self._action(m, "开始页(&H)", self.show_start)
        self._action(m, "新建评价(&N)…", docs.new_document, QKeySequence.StandardKey.New)
        self._action(m, "从上年草稿开始(&L)…", self.start_from_last_year)
        self._action(m, "打开(&O)…", docs.open_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = m.addMenu("最近打开(&R)")
        self.recent_menu.aboutToShow.connect(lambda: docs.fill_recent(self.recent_menu))
        self._action(m, "打开示例(&E)", docs.open_example)
        self._action(m, "导入指标框架(&I)…", self.import_framework)
        m.addSeparator()
        self.doc_actions = [
            self._action(m, "保存(&S)", docs.save, QKeySequence.StandardKey.Save),
            self._action(m, "另存为(&A)…", docs.save_as, QKeySequence("Ctrl+Shift+S")),
        ]
        self.save_action = self.doc_actions[0]
        m.addSeparator()
        self.doc_actions += [
            self._action(m, "导出 Excel(&X)…", lambda: self.export("xlsx")),
            self._action(m, "导出 Word(&W)…", lambda: self.export("docx")),
            self._action(m, "导出 PDF(&P)…", lambda: self.export("pdf")),
            self._action(m, "导出报送包（Excel、Word、PDF）(&B)…", lambda: self.export("bundle")),
        ]
        m.addSeparator()
        self._action(m, "退出(&Q)", self.close, QKeySequence("Ctrl+Q"))
        self.undo_action = self.undo.createUndoAction(self, "撤销")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self.undo.createRedoAction(self, "重做")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        e.addAction(self.undo_action)
        e.addAction(self.redo_action)
        self.doc_actions += [
            self._action(i, "绩效目标表…", lambda: self.import_file("targets")),
            self._action(i, "预算与执行数据…", lambda: self.import_file("figures")),
        ]
        self.doc_actions += [
            self._action(self.view_menu, "上一步", self.previous_step, QKeySequence("Ctrl+PgUp")),
            self._action(self.view_menu, "下一步", self.next_step, QKeySequence("Ctrl+PgDown")),
        ]
        self.checks_action = self._action(self.view_menu, "审核结果", lambda on: self.checks.set_open(on))
        self.checks_action.setCheckable(True)
        self.checks_action.setChecked(self.settings.value("checks/open", "false") == "true")
        self.doc_actions.append(self.checks_action)
        self._action(h, "关于(&A)", self._about)
        for a in self.doc_actions:
            a.setEnabled(self.doc is not None and self.central.currentWidget() is self.editor)

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from core import __version__

        QMessageBox.about(
            self, "关于", f"<b>{APP_TITLE}</b> {__version__}<br>部门整体支出绩效自评的填报、评分与导出。"
        )

    # ----- what is shown: the start page or the document
    def show_start(self) -> None:
        self.central.setCurrentWidget(self.start)
        for a in self.doc_actions:
            a.setEnabled(False)
        if self.has_started:
            self.start.fill()
        self.start.focus_new()
        self.update_title()

    def show_editor(self) -> None:
        if self.doc is None:
            return
        self.central.setCurrentWidget(self.editor)
        for a in self.doc_actions:
            a.setEnabled(True)
        self.update_title()

    def _checks_toggled(self, open_: bool) -> None:
        if self.doc_actions:  # the menus are filled (a draft opened at start comes before them)
            self.checks_action.setChecked(open_)
        self.settings.setValue("checks/open", open_)

    def dragEnterEvent(self, event) -> None:
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        """A draft dropped on the window opens (asking first about unsaved changes)."""
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self.documents.open_path(files[0]))  # not inside the drop

    # ----- the document shown
    def set_document(
        self,
        doc: Evaluation,
        path: Path | None = None,
        recovery_file: Path | None = None,
        restored: bool = False,
    ) -> None:
        """Show a document (where it lives: see gui.documents). Its pages are built as they are shown."""
        from PySide6.QtWidgets import QListWidgetItem

        from core.sections import sections
        from core.text import visible

        if self.editor is None:
            self._build_editor()
        self.doc = doc
        self.documents.reset(path, recovery_file, restored)
        self.undo.clear()
        self.undo.setClean()
        self.fields.clear()
        self.field_errors = {}
        for page in self.pages.values():
            page.deleteLater()
        self.pages.clear()
        while self.stack.count():
            w = self.stack.widget(0)
            self.stack.removeWidget(w)
            w.deleteLater()
        self.scrolls.clear()
        self.section_list = sections(doc.framework)
        self.totals.set_framework(doc.framework)
        self.findings = []
        self.nav.blockSignals(True)
        self.nav.clear()
        for s in self.section_list:
            self.nav.addItem(QListWidgetItem(visible(s.title)))
        self.nav.blockSignals(False)
        # the first page is built without refreshing it; changed() scores and refreshes once
        self.sheet = None
        self.show_editor()
        self.nav.setCurrentRow(0)
        self.changed(check_now=True)
        self.update_title()

    def update_title(self) -> None:
        if self.doc is None:
            self.setWindowTitle(APP_TITLE)
            self.setWindowModified(False)
            return
        self.setWindowTitle(f"{self.documents.name}[*] — {APP_TITLE}")
        self.setWindowModified(self.documents.dirty)

    def closeEvent(self, event) -> None:
        if not self.documents.maybe_discard():
            event.ignore()
            return
        if self._jobs is not None:
            self._jobs.shutdown()
        self.start.stop()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.sync()
        # destroyed with the window, the undo stack is cleared and says it is clean: nothing must answer then
        self.undo.blockSignals(True)
        event.accept()

    # ----- editing
    def register(self, field) -> None:
        self.fields.setdefault(field.path, []).append(field)
        if field.path in self.field_errors:
            field.set_finding(self.field_errors[field.path])

    def edit(self, path: tuple, text: str, label: str) -> None:
        from core.document import TextTooLong
        from gui.editing import SetText

        if self.doc.get(path) == text:
            return
        try:
            self.doc.allowed(path, text)
        except (
            TextTooLong
        ) as e:  # a paste over the field's length limit: refused, the field shows the old text
            for f in self.fields.get(path, ()):
                f.show_value(self.doc.get(path))
            message(self, "warning", "文字太长", f"{e}，没有填入。请删减后再粘贴。")
            return
        self.undo.push(SetText(self, path, self.doc.get(path), text, label))

    def apply(self, path: tuple, text: str, navigate: bool) -> None:
        from core.sections import TARGETS_KEY, section_of

        self.doc.set(path, text)
        self.documents.touch()
        for f in self.fields.get(path, ()):
            f.show_value(text)
        if section_of(path, self.doc.framework) == TARGETS_KEY and TARGETS_KEY in self.pages:
            self.pages[TARGETS_KEY].load(self.doc)
        if navigate:
            self.focus_path(path)
        self.changed()

    def change_rows(self, rows: list[dict], label: str, focus_row: int) -> None:
        from gui.editing import SetRows

        self.undo.push(SetRows(self, self.doc.targets, rows, label, focus_row))

    def set_rows(self, rows: list[dict], focus_row: int) -> None:
        from core.sections import TARGETS_KEY

        self.doc.targets = rows
        self.documents.touch()
        self.show_section(TARGETS_KEY)
        self.pages[TARGETS_KEY].load(self.doc)
        self.pages[TARGETS_KEY].focus(("targets", focus_row))
        self.changed()

    def changed(self, check_now: bool = False) -> None:
        """Rescore and update what is on screen in place."""
        from core.scoring import score

        self.sheet = score(self.doc)
        self.totals.refresh(self.sheet)
        if self.totals.isVisible():
            self.totals.repaint()  # the new total shows at once, before the page lays out its changed cards
        self.refresh_marks()
        page = self.current_page()
        if page is not None:
            page.refresh(self.sheet)
        if self.has_started:
            if check_now:
                self.run_checks()
            else:
                self.check_timer.start()

    def refresh_marks(self) -> None:
        from PySide6.QtCore import Qt

        from core.sections import states
        from core.text import visible
        from gui.editing import set_style_property
        from gui.status import STATUS_WORDS

        relayout = False
        for i, (s, st) in enumerate(
            zip(self.section_list, states(self.doc, self.sheet, self.findings), strict=True)
        ):
            item = self.nav.item(i)
            text = visible(f"{s.title}\n{st.summary}") + (f"；审核错误 {st.errors} 条" if st.errors else "")
            if item.text() != text:
                item.setText(text)
                relayout = True
            tip = plain_tip(
                "；".join(x for x in (f"{STATUS_WORDS[st.status]}：{st.summary}", st.findings_text) if x)
            )
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
        if relayout:  # a longer line wraps further: the list does not measure its items again by itself
            self.nav.doItemsLayout()

    # ----- navigation
    def current_page(self) -> Page | None:
        row = self.nav.currentRow()
        if not 0 <= row < len(self.section_list):
            return None
        return self.pages.get(self.section_list[row].key)

    def previous_step(self) -> None:
        self._step_to(self.nav.currentRow() - 1)

    def next_step(self) -> None:
        self._step_to(self.nav.currentRow() + 1)

    def _step_to(self, row: int) -> None:
        """上一步 / 下一步 (buttons, Enter on them, Ctrl+PgUp/PgDown): the new step, the cursor in its first field."""
        from PySide6.QtCore import Qt

        if 0 <= row < len(self.section_list):
            self.nav.setCurrentRow(row)
            first = self.chain_tabs()[0]
            if first is not None:
                first.setFocus(Qt.FocusReason.TabFocusReason)
                if hasattr(first, "selectAll"):
                    first.selectAll()  # typing replaces what is there, as after Tab
                self.scrolls[self.section_list[row].key].ensureWidgetVisible(first, 40, 60)

    def chain_tabs(self) -> tuple[QWidget | None, QWidget | None]:
        """Tab order: the step list, the page's fields in order, 下一步, 上一步, the 审核 bar. Pages (and the
        groups of a large one) are built after the rest, so their place in the chain is set here.
        Returns the page's first and last Tab stop."""
        from PySide6.QtCore import Qt

        page = self.current_page()
        if page is None or page.window() is not self:  # a page still being built
            return None, None
        # children are listed depth first in the order they were laid out, which is the reading order
        stops = [
            w
            for w in page.findChildren(QWidget)
            if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisibleTo(page) and w.isEnabled()
        ]
        if not stops:
            return None, None
        for a, b in zip([self.nav, *stops], [*stops, self.next_button], strict=True):
            QWidget.setTabOrder(a, b)
        QWidget.setTabOrder(self.next_button, self.prev_button)
        QWidget.setTabOrder(self.prev_button, self.checks.bar)
        return stops[0], stops[-1]

    def _nav_changed(self, row: int) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QFrame, QScrollArea

        from gui.pages import make_page

        if not 0 <= row < len(self.section_list):
            return
        s = self.section_list[row]
        page = self.pages.get(s.key)
        if page is None:
            # the page in its place before it is built: a widget given another parent is styled again (the
            # style sheet) with all its children, which for a page of cards took longer than building it. It
            # stays hidden until it is built and filled (its marks set before it is first styled), then it is
            # shown whole, and the window knows it: the Tab order is made once, below.
            scroll = QScrollArea(self.stack)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop that shows nothing
            page = make_page(self, s)
            scroll.setWidget(page)
            page.load(self.doc)
            if self.sheet is not None:
                page.refresh(self.sheet)
            self.stack.addWidget(scroll)
            self.pages[s.key], self.scrolls[s.key] = page, scroll
        elif self.sheet is not None:
            page.refresh(self.sheet)
        self.stack.setCurrentWidget(self.scrolls[s.key])
        self.chain_tabs()
        self.page_title.setText(s.title)
        self.prev_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < len(self.section_list) - 1)
        if self.sheet is not None:
            self.refresh_marks()

    def show_section(self, key: str) -> None:
        for i, s in enumerate(self.section_list):
            if s.key == key:
                if self.nav.currentRow() != i:
                    self.nav.setCurrentRow(i)
                return

    def focus_path(self, path: tuple) -> QWidget | None:
        """Go to the step that shows a path and put the cursor in its field. Returns the widget focused."""
        from core.sections import section_of

        key = section_of(path, self.doc.framework)
        if key is None:
            return None
        self.show_section(key)
        page = self.pages[key]
        widget = page.focus(tuple(path))
        if widget is not None:
            scroll = self.scrolls[key]
            page.layout_.activate()
            scroll.ensureWidgetVisible(widget, 40, 120)
            # a page or group built just now is laid out on the next turn of the event loop: scroll again then
            QTimer.singleShot(0, lambda: scroll.ensureWidgetVisible(widget, 40, 120))
        return widget

    # ----- export and checks
    def export(self, kind: str) -> None:
        from gui.exports import export

        export(self, kind)

    def import_framework(self) -> None:
        from gui.frameworks import import_framework

        import_framework(self)

    def start_from_last_year(self) -> None:
        from gui.lastyear import start_from_last_year

        start_from_last_year(self)

    def import_file(self, kind: str) -> None:
        from gui.importer import run_import  # not needed for the first frame

        run_import(self, kind)

    def run_checks(self) -> None:
        from core.checks import check  # not needed for the first frame

        if self.doc is None:
            return
        self.findings = list(check(self.doc, self.sheet))
        self.checks.show_findings(self.findings)
        self._show_errors_at_fields()
        self.refresh_marks()
        page = self.current_page()
        if page is not None and self.sheet is not None:
            page.refresh(self.sheet)

    def _show_errors_at_fields(self) -> None:
        """Each 错误 of 审核 is written under the field where the value was typed (the field turns red)."""
        from core.rules import ERROR

        errors: dict[tuple, str] = {}
        for f in self.findings:
            if f.severity == ERROR and f.path:
                errors[tuple(f.path)] = "\n".join(x for x in (errors.get(tuple(f.path)), f.message) if x)
        for path in set(errors) | set(self.field_errors):
            for field in self.fields.get(path, ()):
                field.set_finding(errors.get(path, ""))
        self.field_errors = errors

    def _finding_chosen(self, path: tuple) -> None:
        from core.sections import SUMMARY_KEY

        if path:
            self.focus_path(path)
        else:
            self.show_section(SUMMARY_KEY)
