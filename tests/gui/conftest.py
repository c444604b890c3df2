"""GUI tests: pytest-qt, offscreen, our own QApplication (translator, font, style), a private data folder.

JIXIAO_DATA_DIR points at a tmp folder, so settings (QSettings in an ini file there) and recovery copies
never touch the real user profile. Modal dialogs are replaced by recorders: a test that would block fails.
"""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def qapp():
    from gui.app import make_app

    return make_app()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "appdata"
    monkeypatch.setenv("JIXIAO_DATA_DIR", str(d))
    return d


@pytest.fixture
def dialogs(monkeypatch):
    """Message boxes and file dialogs answered by the test. `dialogs.messages` records (kind, title, text) of
    every message box shown (kind from its icon), `dialogs.formats` their text formats."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    class Dialogs:
        messages: list = []
        save_name = ""
        open_name = ""
        answer = QMessageBox.StandardButton.Cancel
        click = ""  # the text of a button to click in the next message box

    d = Dialogs()
    d.messages = []
    d.formats = []

    def recorder(kind):
        def show(parent, title, text, *a, **k):
            d.messages.append((kind, title, text))
            d.formats.append(None)  # Qt guesses: a text that looks like markup is shown as markup
            return QMessageBox.StandardButton.Ok

        return staticmethod(show)

    for kind in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, recorder(kind))

    kinds = {
        QMessageBox.Icon.Critical: "critical",
        QMessageBox.Icon.Warning: "warning",
        QMessageBox.Icon.Information: "information",
        QMessageBox.Icon.Question: "question",
    }

    def exec_(box):
        d.messages.append((kinds.get(box.icon(), "exec"), box.windowTitle(), box.text()))
        d.formats.append(box.textFormat())
        for b in box.buttons():  # a button named by the test is clicked
            if d.click and b.text() == d.click:
                b.click()
        return d.answer

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    d.save_asked = []  # the name each save dialog proposed

    def save_dialog(parent, caption="", folder="", *a, **k):
        d.save_asked.append(folder)
        return d.save_name, ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (d.open_name, "")))
    d.folder = ""
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: d.folder))
    return d


@pytest.fixture
def make_window(qtbot, data_dir, dialogs):
    from gui.window import MainWindow

    made = []

    def make():
        w = MainWindow()
        qtbot.addWidget(w)
        w.show()
        w.activateWindow()
        qtbot.waitExposed(w)
        qtbot.waitUntil(lambda: w.has_started, timeout=5000)  # the start page is filled after the first paint
        made.append(w)
        return w

    yield make
    for w in made:  # no "save changes?" question while tearing down
        w.documents.restored = False
        w.undo.setClean()


@pytest.fixture
def window(make_window):
    return make_window()
