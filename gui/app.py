"""Starting the window: Qt application, Chinese translation, CJK font, style; `--screenshot OUT.png [FILE]`."""

from __future__ import annotations

# What the first frame needs of the Qt-free core (and of the standard library) is imported before Qt: PySide6
# reads the source of every module that an import statement names for the first time after it (looking for
# "PySide6", for its __feature__ switches), so the functions below name no module imported here again. The rest
# (core.numbers, framework, scoring, sections; json) waits until after the first frame.
import os
import sys
from pathlib import Path

import core.logs
import core.text  # noqa: F401
from core.paths import resource
from gui.style import STYLE

APP_NAME = "绩效自评助手"


def _display_missing() -> bool:
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    )


def make_app(argv: list[str] | None = None):
    """The QApplication, set up once: translator, font, style (also used by the tests)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None and app.property("jixiao_ready"):
        return app
    icon = resource("icons", "jixiao.png")
    if app is None:
        # the same look everywhere (Linux already uses Fusion); chosen on the command line, because asking the
        # application for its style object first costs ~10 ms of start-up (PySide6 builds QStyle's enums). So is
        # the windows' icon, where Qt can read its path: a QIcon made here builds PySide's QIcon class, with its
        # ~100 theme icons, before the first frame (~2 ms); the application's own icon is set after it
        # (set_icon). On Windows Qt reads the command line in the ANSI code page: another path is set here.
        named = icon.is_file() and str(icon).isascii()
        args = ["-style", "Fusion", *(["-qwindowicon", str(icon)] if named else []), *(argv or [])]
        app = QApplication([sys.argv[0] if sys.argv else "jixiao", *args])
        if not named:
            set_icon(app)
    else:
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
        set_icon(app)
    app.setProperty("jixiao_ready", True)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("jixiao")
    install_translator(app)
    install_font(app)
    app.setStyleSheet(STYLE)
    return app


def set_icon(app) -> None:
    """The program's icon for its windows and dialogs (build/make_icon.py draws it)."""
    from PySide6.QtGui import QIcon

    icon = resource("icons", "jixiao.png")
    if icon.is_file() and app.windowIcon().isNull():
        app.setWindowIcon(QIcon(str(icon)))


def install_translator(app) -> bool:
    """Qt's own dialogs and buttons in Chinese: qtbase_zh_CN from PySide6, or resources/translations."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    for folder in (
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
        str(resource("translations")),
    ):
        if translator.load("qtbase_zh_CN", folder):
            app.installTranslator(translator)
            app._translator = translator  # keep it alive
            return True
    return False


def install_font(app) -> str:
    """Use the system's CJK font if there is one; otherwise register the bundled WenQuanYi Micro Hei. Unhinted
    (PreferNoHinting): glyphs at the typographic metrics the printed report uses, and on Linux FreeType's
    autohinter does not run for every glyph of the first frame (~2 % of it); at these sizes it looks the same."""
    from PySide6.QtGui import QFont, QFontDatabase

    preferred = [
        "Microsoft YaHei UI",
        "Microsoft YaHei",
        "PingFang SC",
        "Noto Sans CJK SC",
        "Source Han Sans SC",
        "WenQuanYi Micro Hei",
    ]
    have = set(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    family = next((f for f in preferred if f in have), None)
    if family is None:
        fid = QFontDatabase.addApplicationFont(str(resource("fonts", "wqy-microhei.ttc")))
        families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
        family = families[0] if families else next(iter(sorted(have)), "")
    if family:
        font = QFont(family)
        font.setPointSizeF(max(app.font().pointSizeF(), 10))
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        app.setFont(font)
    return family


def screenshot(out: str, file: str | None, section: str | None = None, size: str = "1280x860") -> int:
    """Render the window offscreen to a PNG: the start page, or a draft at a step. The user's settings are
    neither read nor written (a throwaway settings file), and no recovery copy is made."""
    import tempfile

    from PySide6.QtCore import QCoreApplication, QSettings

    from gui.window import MainWindow

    try:
        width, height = (int(x) for x in size.lower().split("x"))
    except ValueError:
        print(f"错误：窗口大小“{size}”应写成 宽x高，例如 1366x768", file=sys.stderr)
        return 2
    make_app()
    with tempfile.TemporaryDirectory() as tmp:
        window = MainWindow(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        window.documents.autosave_timer.stop()
        window.maximise_on_show = False  # the size asked for, not the screen's
        window.resize(width, height)
        if file:
            from core.drafts import DraftError, load  # the document's side: not for the start page
            from core.sections import sections

            try:
                doc = load(file)
            except DraftError as e:
                print(f"错误：{e}", file=sys.stderr)
                return 2
            keys = [s.key for s in sections(doc.framework)]
            if section and section not in keys:
                print(f"错误：没有步骤“{section}”，可用：{'、'.join(keys)}", file=sys.stderr)
                return 2
            window.set_document(doc, Path(file).resolve())
            # the first indicator page shows what the program is about
            window.show_section(section or next(s.key for s in window.section_list if s.root))
        elif section:
            print("错误：--section 需要一个草稿文件", file=sys.stderr)
            return 2
        window.show()
        for _ in range(5):
            QCoreApplication.processEvents()
        if not window.grab().save(out, "PNG"):
            print(f"错误：无法写入截图 {out}", file=sys.stderr)
            return 2
        print(f"已保存截图：{out}")
        window.undo.setClean()
        window.close()
    return 0


def run_gui(argv: list[str]) -> int:
    if argv and argv[0] == "--screenshot":
        rest = list(argv[1:])
        options = {"--section": None, "--size": "1280x860"}
        for name in options:
            if name in rest:
                i = rest.index(name)
                if i + 1 >= len(rest):
                    rest = []  # the usage line below
                    break
                options[name] = rest[i + 1]
                del rest[i : i + 2]
        if not rest or len(rest) > 2:
            print(
                "用法：main.py --screenshot 输出.png [草稿文件] [--section 步骤] [--size 宽x高]",
                file=sys.stderr,
            )
            return 2
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        return screenshot(
            rest[0], rest[1] if len(rest) > 1 else None, options["--section"], options["--size"]
        )
    if _display_missing():
        print("错误：没有图形显示环境，无法打开窗口（可用 main.py --help 查看命令行用法）", file=sys.stderr)
        return 2
    from gui.window import MainWindow

    app = make_app()
    window = MainWindow()
    register_error_dialog(window)
    # once the window is on screen: the application's icon (see make_app), the offer of a recovery copy
    window.started.connect(lambda: set_icon(app))
    window.started.connect(window.documents.offer_recovery)
    # main.py FILE: the draft Windows was asked to open (a double-click, a file dropped on the program)
    if argv:
        window.documents.open_path(argv[0])
    window.show()
    return app.exec()


def register_error_dialog(window) -> None:
    """Unexpected errors (core.logs logs them with their traceback) reach the user as one Chinese message box,
    after a recovery copy of the document has been written, so that nothing typed is lost."""
    from gui.messages import message

    showing = []

    def show(text: str) -> None:
        if showing:  # an error while the message is open: logged, not shown again
            return
        showing.append(True)
        try:
            try:
                window.documents.autosave()
            except Exception:  # the message matters more than the copy
                pass
            message(window, "critical", "意外错误", text)
        finally:
            showing.clear()

    core.logs.show_errors_with(show)
