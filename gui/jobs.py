"""Work off the GUI thread (exports): progress, cancel, and the outcome back on the GUI thread.

After Anki's QueryOp: the caller hands over a function and what it needs (a snapshot of the document, never
the live one, so typing goes on), and gets `done(result)` or `failed(error)` on the GUI thread. While a job
runs, the status bar shows what it does, a busy bar and 取消.

Cancel is cooperative: the work calls `job.step(text)` between its stages and `job.commit()` just before it
writes its files. A cancel before the commit stops the job at its next step and nothing is written; once the
files are being written the cancel button is disabled (a file half replaced would be worse than waiting).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar


class Cancelled(Exception):
    pass


class Job(QThread):
    stepped = Signal(str, int, int)  # text, done, total (0, 0: unknown)
    writing = Signal()
    finished_with = Signal(str, object)  # "done" / "failed" / "cancelled", the result or the exception

    def __init__(self, title: str, work: Callable[[Job], object], parent: QObject | None = None):
        super().__init__(parent)
        self.title, self.work = title, work
        self._lock = threading.Lock()
        self.cancelled = False
        self.committing = False

    def run(self) -> None:
        try:
            result = self.work(self)
        except Cancelled:
            self.finished_with.emit("cancelled", None)
        except Exception as e:  # handed to the GUI thread, which says what went wrong
            self.finished_with.emit("failed", e)
        else:
            self.finished_with.emit("done", result)

    # ----- called by the work, on its thread
    def step(self, text: str, done: int = 0, total: int = 0) -> None:
        if self.cancelled:
            raise Cancelled
        self.stepped.emit(text, done, total)

    def commit(self) -> None:
        """The work is about to write its files: from here on it cannot be cancelled."""
        with self._lock:
            if self.cancelled:
                raise Cancelled
            self.committing = True
        self.writing.emit()

    # ----- called on the GUI thread
    def cancel(self) -> bool:
        with self._lock:
            if self.committing:
                return False
            self.cancelled = True
            return True


class JobRunner(QObject):
    """Runs one job at a time and shows it in the status bar."""

    def __init__(self, status: QStatusBar):
        super().__init__(status)
        self.status = status
        self.job: Job | None = None
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # it may name a file
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self.cancel)
        for w in (self.label, self.bar, self.cancel_button):
            status.addPermanentWidget(w)
            w.hide()

    @property
    def busy(self) -> bool:
        return self.job is not None

    def run(
        self,
        title: str,
        work: Callable[[Job], object],
        done: Callable[[object], None],
        failed: Callable[[Exception], None],
    ) -> Job | None:
        """Start `work(job)` on its own thread; `done(result)` or `failed(error)` run on the GUI thread.
        None when another job is still running."""
        if self.job is not None:
            return None
        job = self.job = Job(title, work, self)
        job.stepped.connect(self._stepped)
        job.writing.connect(lambda: self.cancel_button.setEnabled(False))
        job.finished_with.connect(lambda state, value: self._finished(job, state, value, done, failed))
        self._stepped(title, 0, 0)
        self.cancel_button.setEnabled(True)
        for w in (self.label, self.bar, self.cancel_button):
            w.show()
        job.start()
        return job

    def cancel(self) -> None:
        if self.job is not None and self.job.cancel():
            self.label.setText(f"{self.job.title}：正在取消…")
            self.cancel_button.setEnabled(False)

    def shutdown(self) -> None:
        """The window closes: cancel a running job and wait for its thread (a write in progress finishes)."""
        if self.job is not None:
            self.job.cancel()
            self.job.wait()

    def _stepped(self, text: str, done: int, total: int) -> None:
        self.label.setText(text)
        self.bar.setRange(0, total)  # (0, 0): a busy bar
        self.bar.setValue(done)

    def _finished(self, job: Job, state: str, value, done, failed) -> None:
        job.wait()
        job.deleteLater()
        self.job = None
        for w in (self.label, self.bar, self.cancel_button):
            w.hide()
        if state == "done":
            done(value)
        elif state == "failed":
            failed(value)
        else:
            self.status.showMessage(f"{job.title}：已取消，没有写入文件。", 8000)
