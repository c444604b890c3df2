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
