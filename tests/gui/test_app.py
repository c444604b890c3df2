"""The application set-up: Chinese Qt dialogs, a CJK font even on a machine without one."""

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialogButtonBox


def test_qt_buttons_are_chinese(qapp):
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Save
    )
    assert sorted(b.text() for b in box.buttons()) == sorted(["确定", "取消", "保存"])


def test_bundled_font_is_used_when_the_system_has_no_chinese_font(qapp, monkeypatch):
    from gui.app import install_font

    font = qapp.font()
    real = QFontDatabase.families
    monkeypatch.setattr(
        QFontDatabase, "families", staticmethod(lambda ws=None: [] if ws is not None else real())
    )
    try:
        assert install_font(qapp) == "WenQuanYi Micro Hei"
        assert qapp.font().family() == "WenQuanYi Micro Hei"
    finally:
        qapp.setFont(font)


def test_system_chinese_font_is_preferred(qapp):
    from gui.app import install_font

    family = install_font(qapp)
    assert family in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)


def test_unexpected_error_writes_a_recovery_copy_and_shows_one_chinese_message(
    qtbot, make_window, dialogs, data_dir
):
    from core import logs
    from gui.app import register_error_dialog
    from tests.gui.helpers import field, go, retype

    window = make_window()
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
