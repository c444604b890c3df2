"""The application set-up: Chinese Qt dialogs, a CJK font even on a machine without one."""

import os
import subprocess
import sys

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialogButtonBox

from tests.conftest import ROOT


def test_qt_buttons_are_chinese(qapp):
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Save
    )
    assert sorted(b.text() for b in box.buttons()) == sorted(["确定", "取消", "保存"])


def test_bundled_font_is_used_when_the_system_has_no_chinese_font(tmp_path):
    """A machine with no fonts at all (fontconfig pointed at an empty folder): the window's font is the
    bundled WenQuanYi Micro Hei and it has the glyphs of the program's Chinese text."""
    (tmp_path / "fonts").mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f"<?xml version='1.0'?><fontconfig><dir>{tmp_path / 'fonts'}</dir>"
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from PySide6.QtGui import QFontDatabase, QFontMetrics\n"
        "from PySide6.QtWidgets import QApplication\n"
        "bare = QApplication([])\n"
        "print(len(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)))\n"
        "print(QFontMetrics(bare.font()).inFontUcs4(ord('绩')))\n"
        "from gui.app import make_app\n"
        "app = make_app()\n"
        "print(app.font().family())\n"
        "print(all(QFontMetrics(app.font()).inFontUcs4(ord(c)) for c in '绩效自评助手总分等级'))\n"
    )
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), QT_QPA_PLATFORM="offscreen")
    r = subprocess.run(
        [sys.executable, "-c", probe, str(ROOT)], capture_output=True, text=True, env=env, timeout=120
    )
    assert r.returncode == 0, r.stderr
    chinese_fonts, bare_has_glyphs, family, has_glyphs = r.stdout.split("\n")[:4]
    assert (chinese_fonts, bare_has_glyphs) == ("0", "False")  # the machine really has no Chinese font
    assert (family, has_glyphs) == ("WenQuanYi Micro Hei", "True")


def test_system_chinese_font_is_preferred(qapp):
    from gui.app import install_font

    family = install_font(qapp)
    assert family in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)


def test_unexpected_error_writes_a_recovery_copy_and_shows_one_chinese_message(
    qtbot, make_window, dialogs, data_dir
):
    from core import logs
    from gui.app import register_error_dialog
    from tests.gui.helpers import field, go, new_evaluation, retype

    window = make_window()
    new_evaluation(qtbot, window)
    go(qtbot, window, "预算与执行数据")
    retype(qtbot, field(window, "figures", "satisfaction"), "96")
    register_error_dialog(window)
    try:
        try:
            raise ZeroDivisionError("division by zero")
        except ZeroDivisionError as e:
            logs.report_error(type(e), e, e.__traceback__)
    finally:
        logs.show_errors_with(None)
    kind, title, text = dialogs.messages[-1]
    assert (kind, title) == ("critical", "意外错误") and "程序出现意外错误（ZeroDivisionError" in text
    assert len(list((data_dir / "recovery").glob("*.json"))) == 1
