"""What goes into the built program and what is left out (used by build/jixiao.spec; tested without building).

PyInstaller's PySide6 hooks collect every plugin and translation a Qt module might use. This program draws
widgets with the raster engine, reads PNG icons and shows Chinese text, so most of that is dead weight:
`keep(dest)` decides per file, by its path inside the bundle (Linux and Windows layouts).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import PurePath

# Python modules never imported by the program (PySide6-Essentials modules we do not use, test and build tools).
# Standard-library modules stay: shiboken6 itself needs `logging`, and PIL/reportlab import odd corners of it.
EXCLUDES = [
    *(
        f"PySide6.{m}"
        for m in (
            "QtNetwork",
            "QtQml",
            "QtQmlFeatures",
            "QtQuick",
            "QtQuickWidgets",
            "QtQuickControls2",
            "QtQuickTest",
            "QtOpenGL",
            "QtOpenGLWidgets",
            "QtDBus",
            "QtSql",
            "QtTest",
            "QtXml",
            "QtDesigner",
            "QtHelp",
            "QtUiTools",
            "QtConcurrent",
            "QtPdf",
            "QtPdfWidgets",
            "QtLabsStyleKit",
        )
    ),
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "PyInstaller",
    "pip",
    "setuptools",
    "pkg_resources",
    "ruff",
    "IPython",
    "numpy",
    # Pillow is there because reportlab imports PIL.Image; its AVIF, WebP, colour-management and Tk parts (and
    # their 6 MB of libraries) are not used: PIL.Image skips plugins it cannot import.
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._webp",
    "PIL.WebPImagePlugin",
    "PIL._imagingcms",
    "PIL.ImageCms",
    "PIL._imagingtk",
    "PIL.ImageTk",
]

# Qt plugins kept, per plugin folder; every other plugin folder is dropped whole.
PLUGINS = {
    # offscreen/minimal: screenshots and tests; xcb: a Linux desktop; windows: Windows.
    "platforms": {"qoffscreen", "qminimal", "qxcb", "qwindows"},
    # PNG support is built into QtGui; .ico is the Windows icon format.
    "imageformats": {"qico"},
    # The native look on Windows 10/11.
    "styles": {"qmodernwindowsstyle", "qwindowsvistastyle"},
    # Typing Chinese on a Linux desktop goes through IBus (or compose keys); Windows needs no plugin.
    "platforminputcontexts": {"ibusplatforminputcontextplugin", "composeplatforminputcontextplugin"},
}

# SVG icons load through these, kept only if the program imports QtSvg.
SVG_PLUGINS = {"qsvg", "qsvgicon"}

# Qt translations kept: Chinese for Qt's own buttons and dialogs (确定/取消, the file dialog).
TRANSLATIONS = {"qtbase_zh_CN.qm", "qt_zh_CN.qm"}

# Shared libraries only the dropped modules and plugins need (Linux libQt6*.so.6, Windows Qt6*.dll), unless the
# program imports their Python module after all (then `trim` keeps them); and the 20 MB software OpenGL renderer
# (widgets paint with the raster engine).
QT_LIB = re.compile(r"^(?:lib)?Qt6(\w+?)\.(?:so\.6|dll)$", re.IGNORECASE)
DROPPED_QT = re.compile(
    r"^(Quick|Qml|Network|Wayland|VirtualKeyboard|OpenGL|Pdf|Designer|Help|Sql|Test|Xml|UiTools|Concurrent|"
    r"LabsStyleKit|EglFs|ShaderTools|Lottie|WlShell|Svg)",
    re.IGNORECASE,
)
DROPPED_FILES = {"opengl32sw.dll"}


def plugin_name(filename: str) -> str:
    """libqxcb.so -> qxcb, qwindows.dll -> qwindows, qwindowsd.dll stays qwindowsd (a debug build: dropped)."""
    stem = filename.split(".")[0]
    return stem[3:] if stem.startswith("lib") else stem


def keep(dest: str, bound: frozenset[str] = frozenset()) -> bool:
    """Whether a file at `dest` (its path inside the bundle) goes into the program.

    `bound`: the Qt modules whose Python bindings are in the program ({"QtCore", "QtSvg", …}).
    """
    parts = dest.replace("\\", "/").split("/")
    name = parts[-1]
    if "plugins" in parts[:-1]:
        i = parts.index("plugins")
        folder = parts[i + 1] if i + 2 < len(parts) else ""
        plugin = plugin_name(name)
        return plugin in PLUGINS.get(folder, ()) or ("QtSvg" in bound and plugin in SVG_PLUGINS)
    if "translations" in parts[:-1] and name.endswith(".qm"):
        return name in TRANSLATIONS
    if parts[0] == "PySide6" and ("qml" in parts[:-1] or "metatypes" in parts[:-1]):
        return False
    if name.lower() in DROPPED_FILES:
        return False
    qt = QT_LIB.match(name)
    return not (qt and DROPPED_QT.match(qt.group(1)) and "Qt" + qt.group(1) not in bound)


def bound_modules(toc: list[tuple]) -> frozenset[str]:
    """The PySide6 extension modules in a TOC: PySide6/QtSvg.abi3.so or PySide6\\QtSvg.pyd -> "QtSvg"."""
    found = set()
    for entry in toc:
        parts = entry[0].replace("\\", "/").split("/")
        if len(parts) == 2 and parts[0] == "PySide6" and parts[1].startswith("Qt"):
            found.add(parts[1].split(".")[0])
    return frozenset(found)


def trim(toc: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """Split a PyInstaller TOC (dest, source, typecode) into (kept, dropped)."""
    bound = bound_modules(toc)
    kept, dropped = [], []
    for entry in toc:
        (kept if keep(entry[0], bound) else dropped).append(entry)
    return kept, dropped


def _parts(dest: str) -> list[str]:
    return dest.replace("\\", "/").split("/")


def is_root(entry: tuple) -> bool:
    """Binaries loaded by name at run time: Python extension modules, Qt plugins, the Python library."""
    dest, _, typecode = entry[:3]
    name = _parts(dest)[-1]
    return (
        typecode == "EXTENSION" or "plugins" in _parts(dest)[:-1] or name.startswith(("libpython", "python3"))
    )


def unreachable(toc: list[tuple], imports: Callable[[str], Iterable[str]]) -> list[tuple]:
    """Shared libraries that nothing kept links to, directly or not (e.g. the GTK stack of the dropped GTK theme).

    `imports(source_path)` gives the names a binary links to (its DT_NEEDED sonames). Used on Linux only: on
    Windows Qt loads some DLLs by name at run time (d3dcompiler_47.dll), and there the dropped plugins bring in
    no foreign libraries anyway.
    """
    by_name = {PurePath(_parts(e[0])[-1]).name: e for e in toc}
    seen: set[str] = set()
    stack = [e for e in toc if is_root(e)]
    while stack:
        entry = stack.pop()
        if entry[0] in seen:
            continue
        seen.add(entry[0])
        stack.extend(by_name[n] for n in imports(entry[1]) if n in by_name)
    return [e for e in toc if e[0] not in seen and e[2] == "BINARY"]
