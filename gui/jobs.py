"""Work off the GUI thread (exports, reading the recent drafts): progress, cancel, and the outcome back on the
GUI thread.

After Anki's QueryOp: the caller hands over a function and what it needs (a snapshot of the document, never
the live one, so typing goes on), and gets `done(result)` or `failed(error)` on the GUI thread. While a job
runs, the status bar shows what it does, a progress bar and 取消.

The worker is a plain Python thread that never calls Qt: it records its progress in the Job (under a lock),
and a timer on the GUI thread reads it: no Qt object is touched from two threads. (PySide6 6.12.0 corrupts
reference counts when a Python thread runs beside the GUI, "deallocating None" at a later moment; the project
requires an earlier PySide6, and tests/gui/test_jobs.py keeps the probe that shows it.)

Cancel is cooperative: the work calls `job.step(text)` between its stages (a cancelled job stops there) and
`job.commit()` just before it writes its files; once the files are being written the cancel button is
disabled (a file half replaced would be worse than waiting).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar

POLL_MS = 40


class Cancelled(Exception):
    pass


class Task:
    """`work(task)` on its own thread; `poll()` on the GUI thread says how far it is and how it ended."""

    def __init__(self, work: Callable[[Task], object], title: str = ""):
        self.work, self.title = work, title
        self._lock = threading.Lock()
        self.cancelled = False
        self.committing = False
        self.progress: tuple[str, int, int] = (title, 0, 0)  # text, done, total (0, 0: unknown)
        self.outcome: tuple[str, object] | None = None  # ("done" | "failed" | "cancelled", result or error)
        self.thread = threading.Thread(target=self._run, name=f"jixiao-{title}", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        try:
            outcome = ("done", self.work(self))
        except Cancelled:
            outcome = ("cancelled", None)
        except Exception as e:  # handed to the GUI thread, which says what went wrong
            outcome = ("failed", e)
        with self._lock:
            self.outcome = outcome

    # ----- called by the work, on its thread
    def step(self, text: str, done: int = 0, total: int = 0) -> None:
        if self.cancelled:
            raise Cancelled
        with self._lock:
            self.progress = (text, done, total)

    def commit(self) -> None:
        """The work is about to write its files: from here on it cannot be cancelled."""
        with self._lock:
            if self.cancelled:
                raise Cancelled
            self.committing = True

    # ----- called on the GUI thread
    def cancel(self) -> bool:
        with self._lock:
            if self.committing:
                return False
            self.cancelled = True
            return True

    def poll(self) -> tuple[tuple[str, int, int], tuple[str, object] | None]:
        with self._lock:
            return self.progress, self.outcome

    def wait(self) -> None:
        self.thread.join()


Job = Task


class Poller(QObject):
    """Runs tasks and calls `on_progress(task)` and `on_end(task, state, value)` on the GUI thread."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)
        self.tasks: list[tuple[Task, Callable, Callable]] = []

    def start(self, task: Task, on_progress: Callable, on_end: Callable) -> Task:
        if not self.tasks:
            # The cyclic garbage collector stops every thread while it walks the objects of its oldest
            # generation; a worker allocating fast sets it off, and with the window's objects in that generation
            # each pause cost a frame of 50–60 ms (benchmarks/bench_gui.py). Objects that exist now are left out
            # of its walks while tasks run.
            gc.freeze()
        self.tasks.append((task, on_progress, on_end))
        task.start()
        self.timer.start()
        return task

    def _poll(self) -> None:
        for entry in list(self.tasks):
            task, on_progress, on_end = entry
            _, outcome = task.poll()
            on_progress(task)
            if outcome is not None:
                task.wait()
                self.tasks.remove(entry)
                on_end(task, *outcome)
        if not self.tasks:
            self.timer.stop()
            gc.unfreeze()

    def stop_all(self) -> None:
        for task, _, _ in self.tasks:
            task.cancel()
            task.wait()
        if self.tasks:
            gc.unfreeze()
        self.tasks.clear()
        self.timer.stop()


class JobRunner(QObject):
    """Runs one job at a time and shows it in the status bar."""

    def __init__(self, status: QStatusBar):
        super().__init__(status)
        self.status = status
        self.job: Task | None = None
        self.poller = Poller(self)
        self.label = QLabel()
        # it may name a file: plain text, set by name (the first frame builds no `Qt` enums: gui.start.start_label)
        self.label.setProperty("textFormat", "PlainText")
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
        work: Callable[[Task], object],
        done: Callable[[object], None],
        failed: Callable[[Exception], None],
    ) -> Task | None:
        """Start `work(job)` on its own thread; `done(result)` or `failed(error)` run on the GUI thread.
        None when another job is still running."""
        if self.job is not None:
            return None
        self.job = Task(work, title)
        self._show(self.job)
        self.cancel_button.setEnabled(True)
        for w in (self.label, self.bar, self.cancel_button):
            w.show()
        return self.poller.start(
            self.job, self._show, lambda job, state, value: self._end(state, value, done, failed)
        )

    def cancel(self) -> None:
        if self.job is not None and self.job.cancel():
            self.label.setText(f"{self.job.title}：正在取消…")
            self.cancel_button.setEnabled(False)

    def shutdown(self) -> None:
        """The window closes: cancel a running job and wait for its thread (a write in progress finishes)."""
        self.poller.stop_all()
        self.job = None

    def _show(self, job: Task) -> None:
        (text, done, total), _ = job.poll()
        if job.cancelled:
            return
        if job.committing:
            self.cancel_button.setEnabled(False)
        if self.label.text() != text:
            self.label.setText(text)
        self.bar.setRange(0, total)  # (0, 0): a busy bar
        self.bar.setValue(done)

    def _end(self, state: str, value, done, failed) -> None:
        job, self.job = self.job, None
        for w in (self.label, self.bar, self.cancel_button):
            w.hide()
        if state == "done":
            done(value)
        elif state == "failed":
            failed(value)
        else:
            self.status.showMessage(f"{job.title}：已取消，没有写入文件。", 8000)
