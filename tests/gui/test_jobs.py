"""Background jobs: work off the GUI thread, cancel before the files are written, typing goes on meanwhile."""

import threading

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from tests.gui.helpers import field, go, retype, total_text
from tests.gui.test_window import open_example


def test_a_cancelled_job_stops_at_its_next_step_and_reports_nothing(qtbot, window):
    release = threading.Event()
    outcome = []

    def work(job):
        release.wait(5)
        job.step("第二步")
        outcome.append("went on")
        return 1

    job = window.jobs.run("测试", work, outcome.append, outcome.append)
    assert window.jobs.busy and window.jobs.cancel_button.isVisible()
    assert window.jobs.run("另一个", work, outcome.append, outcome.append) is None  # one at a time
    qtbot.mouseClick(window.jobs.cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=5000)
    assert job.cancelled and outcome == []
    assert "已取消" in window.statusBar().currentMessage()
    assert not window.jobs.cancel_button.isVisible()


def test_once_writing_a_job_can_no_longer_be_cancelled(qtbot, window):
    release = threading.Event()
    outcome = []

    def work(job):
        job.commit()
        release.wait(5)
        return "written"

    window.jobs.run("测试", work, outcome.append, outcome.append)
    qtbot.waitUntil(lambda: not window.jobs.cancel_button.isEnabled(), timeout=5000)
    window.jobs.cancel()
    release.set()
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=5000)
    assert outcome == ["written"]


def test_an_export_reads_the_document_as_it_was_when_asked_and_typing_goes_on(
    qtbot, window, dialogs, tmp_path
):
    open_example(window)
    go(qtbot, window, "预算与执行数据")
    dialogs.save_name = str(tmp_path / "评分表")
    window.export("xlsx")
    assert window.jobs.busy
    retype(qtbot, field(window, "figures", "satisfaction"), "96")  # while the export runs
    assert total_text(window) == "总分 94.96"
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=30000)
    sheet = load_workbook(tmp_path / "评分表.xlsx")["表2 评分表"]
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "92.96" in values and "94.96" not in values


def test_a_cancelled_pdf_export_writes_nothing(qtbot, window, dialogs, tmp_path):
    open_example(window)
    out = tmp_path / "out"
    out.mkdir()
    dialogs.save_name = str(out / "报告")
    window.export("pdf")
    qtbot.mouseClick(window.jobs.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=30000)
    assert list(out.iterdir()) == []  # no file, no temp file
    assert window.statusBar().currentMessage() == "导出 PDF：已取消，没有写入文件。"
    assert dialogs.messages == []


PROBE = """
import sys
sys.path.insert(0, sys.argv[1])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QStatusBar
from gui.jobs import JobRunner
app = QApplication([])
status = QStatusBar()
status.show()
runner = JobRunner(status)
ticks = []
timer = QTimer()
timer.setInterval(1)
timer.timeout.connect(lambda: ticks.append(status.repaint()))
timer.start()

def work(job):
    total = 0
    for i in range(3000):
        job.step("第 %d 步" % i, i, 3000)
        total += sum(range(2000))
    return total

runner.run("测试", work, lambda result: app.quit(), lambda error: app.quit())
app.exec()
print(len(ticks) > 0)
"""


def test_a_long_job_beside_a_busy_event_loop_leaves_python_whole(tmp_path):
    """A worker that reported progress through Qt signals crashed the program at a random later moment
    (PySide6 6.12: "deallocating True", "deallocating None"): the job only sets Python attributes."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    r = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT)], capture_output=True, text=True, env=env, timeout=120
    )
    assert r.returncode == 0 and r.stdout.strip() == "True", r.stderr[-2000:]


THREAD_PROBE = """
import threading
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
label.show()
done = []

def nothing():
    return None

def work():
    for _ in range(120_000_000):  # ~3 s: enough for 6.12.0 to fail every time here
        nothing()
    done.append(True)

threading.Thread(target=work, daemon=True).start()
ticks = []

def tick():
    ticks.append(1)
    label.setText(str(len(ticks)))
    label.repaint()
    if done:
        app.quit()

timer = QTimer()
timer.setInterval(1)
timer.timeout.connect(tick)
timer.start()
app.exec()
print(len(ticks) > 10)
"""


def test_a_python_thread_beside_the_gui_leaves_python_whole():
    """Why pyproject.toml keeps PySide6 below 6.12: with 6.12.0 this exits with "Fatal Python error:
    none_dealloc" (a worker doing plain Python while the GUI thread sets and repaints a label)."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    r = subprocess.run(
        [sys.executable, "-c", THREAD_PROBE], capture_output=True, text=True, env=env, timeout=180
    )
    assert r.returncode == 0 and r.stdout.strip() == "True", r.stderr[-2000:]


def test_word_and_the_submission_package_export_from_the_window(qtbot, window, dialogs, tmp_path):
    from docx import Document

    open_example(window)
    dialogs.save_name = str(tmp_path / "报告")
    window.export("docx")
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=60000)
    text = "\n".join(p.text for p in Document(tmp_path / "报告.docx").paragraphs)
    assert text.startswith("2020 年度部门整体绩效自评报告") and "草稿：审核发现 1 项错误" in text
    dialogs.folder = str(tmp_path / "报送包")
    window.export("bundle")
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=60000)
    names = sorted(p.suffix for p in (tmp_path / "报送包").iterdir())
    assert names == [".docx", ".pdf", ".xlsx"]
    kind, title, message = dialogs.messages[-1]
    assert (
        title == "导出完成" and message.startswith("已导出 报送包：\n") and message.count(str(tmp_path)) == 3
    )
