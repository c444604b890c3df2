"""The window fits the screen it opens on, and on a small one the first card of every step shows its first
input without scrolling (issue 13, must-hold 2)."""

import json
import subprocess
import sys

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

from tests.conftest import ROOT

PROBE = """
import sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from PySide6.QtCore import QSettings
from gui.app import make_app
from gui.window import MainWindow
app = make_app()
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
w = MainWindow(settings)
w.show()
for _ in range(5):
    app.processEvents()
a = w.screen().availableGeometry()
f = w.frameGeometry()
print(a.x(), a.y(), a.width(), a.height(), f.x(), f.y(), f.width(), f.height(), int(w.isMaximized()))
if len(sys.argv) > 3:  # keep a geometry for the next start
    w.showNormal()
    w.setGeometry(*map(int, sys.argv[3].split(",")))
    for _ in range(3):
        app.processEvents()
    w.close()
"""


def start(tmp_path, width: int, height: int, scale: str = "1", keep: str = "") -> tuple[QRect, QRect, bool]:
    config = tmp_path / f"screen-{width}x{height}.json"
    config.write_text(
        json.dumps(
            {"screens": [{"name": "s", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96}]}
        ),
        encoding="utf-8",
    )
    env = {
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "QT_SCALE_FACTOR": scale,
        "JIXIAO_DATA_DIR": str(tmp_path / "appdata"),
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    args = [sys.executable, "-c", PROBE, str(ROOT), str(tmp_path / "settings.ini")] + ([keep] if keep else [])
    r = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    n = [int(x) for x in r.stdout.split()]
    return QRect(*n[0:4]), QRect(*n[4:8]), bool(n[8])


@pytest.mark.parametrize(
    ("width", "height", "scale", "maximised"),
    [(1366, 768, "1", True), (1920, 1080, "1.5", True), (1600, 1000, "1", False), (1920, 1080, "1", False)],
)
def test_first_start_fits_the_screen(tmp_path, width, height, scale, maximised):
    avail, frame, is_max = start(tmp_path, width, height, scale)
    assert avail.contains(frame), (avail, frame)  # nothing below the screen's edge
    assert is_max is maximised


def test_a_saved_geometry_that_does_not_fit_this_screen_is_fitted(tmp_path):
    start(tmp_path, 2560, 1440, keep="900,500,1600,900")  # closed on a large screen
    avail, frame, is_max = start(tmp_path, 1366, 768)  # the next start is on a laptop
    assert avail.contains(frame) and is_max
    start(tmp_path, 1366, 768, keep="100,100,1000,600")
    avail, frame, is_max = start(tmp_path, 1366, 768)  # a window that fits is left as it was
    assert (frame.width(), frame.height(), is_max) == (1004, 604, False)  # its frame: 2 px each side


def first_input(window, page):
    """What a user types into first on a step."""
    from core.sections import FACTS_KEY, FIGURES_KEY, NARRATIVE_KEY, SUMMARY_KEY, TARGETS_KEY

    key = page.section.key
    if key == FACTS_KEY or key == FIGURES_KEY or key == NARRATIVE_KEY:
        return page.own_fields[0]
    if key == TARGETS_KEY:
        return page.table
    if key == SUMMARY_KEY:
        return page.export_buttons[0]
    card = next(iter(page.cards.values()))
    return next(iter(card.fields.values()), card.reason)


def test_on_a_1366x768_laptop_at_125_percent_every_step_shows_its_first_input(qtbot, window):
    """1366×768 at 125 % is 1093×614 logical pixels; Windows' taskbar and title bar leave 1093×551 for the
    window's inside. The 审核 bar is closed (one line)."""
    from tests.gui.test_window import open_example

    open_example(window)
    window.showNormal()
    window.resize(1093, 551)
    for section in window.section_list:
        window.show_section(section.key)
        QApplication.processEvents()
        page = window.current_page()
        widget = first_input(window, page)
        scroll = window.scrolls[section.key]
        top_left = widget.mapTo(scroll.viewport(), widget.rect().topLeft())
        # a table shows its first row; any other input shows whole
        height = (
            widget.rowViewportPosition(1) + widget.horizontalHeader().height()
            if section.key == "targets"
            else widget.height()
        )
        shown = QRect(top_left.x(), top_left.y(), widget.width(), height)
        assert scroll.verticalScrollBar().value() == 0
        assert scroll.viewport().rect().contains(shown), (section.title, shown, scroll.viewport().rect())


def test_the_example_opens_with_the_checks_bar_closed(window):
    from tests.gui.test_window import open_example

    open_example(window)
    assert not window.checks.is_open() and not window.checks.list.isVisible()


def test_step_and_checks_lines_wrap_instead_of_ending_in_an_ellipsis(qtbot, window):
    from tests.gui.test_window import open_example

    open_example(window)
    window.showNormal()
    window.resize(800, 600)
    window.run_checks()
    window.checks.set_open(True)
    QApplication.processEvents()
    line = window.nav.fontMetrics().lineSpacing()
    # "基本信息\n6 项中还有 1 项未填；审核错误 1 条" wraps to three lines at this width
    item = window.nav.item(0)
    assert "审核错误 1 条" in item.text() and window.nav.visualItemRect(item).height() >= 3 * line
    tree = window.checks.list
    first = tree.topLevelItem(0)  # the 评价日期 error, longer than the panel is wide
    assert tree.fontMetrics().horizontalAdvance(first.text(1)) > tree.header().sectionSize(1)
    assert tree.visualItemRect(first).height() >= 2 * tree.fontMetrics().lineSpacing()
