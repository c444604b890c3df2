"""The application set-up: Chinese Qt dialogs, a CJK font even on a machine without one."""

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialogButtonBox


def test_qt_buttons_are_chinese(qapp):
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                           | QDialogButtonBox.StandardButton.Save)
    assert sorted(b.text() for b in box.buttons()) == sorted(["确定", "取消", "保存"])


def test_bundled_font_is_used_when_the_system_has_no_chinese_font(qapp, monkeypatch):
    from gui.app import install_font

    font = qapp.font()
    real = QFontDatabase.families
    monkeypatch.setattr(QFontDatabase, "families",
                        staticmethod(lambda ws=None: [] if ws is not None else real()))
    try:
        assert install_font(qapp) == "WenQuanYi Micro Hei"
        assert qapp.font().family() == "WenQuanYi Micro Hei"
    finally:
        qapp.setFont(font)


def test_system_chinese_font_is_preferred(qapp):
    from gui.app import install_font

    family = install_font(qapp)
    assert family in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
