"""The built program (issue 6): build it once with build/build.py, then run what a user runs.

A build takes about a minute here. It goes to a temporary folder (dist/ and build/_work/ are left alone, and two
test runs at once do not collide). Environment:
  JIXIAO_SKIP_BUILD=1    skip these tests (local runs; CI runs them)
  JIXIAO_REUSE_BUILD=1   test the program already in dist/jixiao instead of building
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import types
from pathlib import Path

import pytest

from build.build import folder_size, missing_libraries, program
from build.bundle import keep, trim, unreachable
from tests.conftest import ROOT

LINUX = sys.platform.startswith("linux")


@pytest.fixture(scope="session")
def exe(tmp_path_factory) -> Path:
    if os.environ.get("JIXIAO_SKIP_BUILD") == "1":
        pytest.skip("JIXIAO_SKIP_BUILD=1: the built program is not tested")
    if os.environ.get("JIXIAO_REUSE_BUILD") == "1" and program().is_file():
        return program()
    if LINUX and shutil.which("objdump") is None:
        pytest.fail("PyInstaller needs objdump on Linux: apt-get install binutils")
    from build.build import build

    tmp = tmp_path_factory.mktemp("build")
    return build(quiet=True, dist=tmp / "dist", work=tmp / "work")


@pytest.fixture
def env(tmp_path):
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", JIXIAO_DATA_DIR=str(tmp_path / "appdata"))


def run(cmd, env, prefix=(), timeout=120):
    return subprocess.run(
        [*prefix, *map(str, cmd)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=timeout,
    )


def test_built_program_scores_the_example(exe, env):
    r = run([exe, "score", "resources/examples/futian-2020.json"], env)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "深圳市福田区数字化城管技术服务中心 2020 年度部门整体绩效自评报告"
    assert lines[-1] == "总分 92.96，等级 优（已全部填写）"
    assert any(line.split()[:5] == ["三级", "预算执行率", "6", "5.46", "91%"] for line in lines)


def test_built_program_writes_the_submission_bundle(exe, env, tmp_path):
    """xlsx, docx (python-docx and its template are in the bundle) and pdf, from the built program."""
    r = run([exe, "export", "resources/examples/futian-2020.json", "--all", str(tmp_path / "包")], env)
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in (tmp_path / "包").iterdir())
    stem = "深圳市福田区数字化城管技术服务中心2020年度部门整体绩效自评报告"
    assert names == [f"{stem}.docx", f"{stem}.pdf", f"{stem}.xlsx"]
    assert (exe.parent / "_internal" / "docx" / "templates" / "default.docx").is_file()


def test_built_program_carries_its_resources(exe, env):
    res = exe.parent / "_internal" / "resources"
    assert (res / "frameworks" / "futian-2020.json").is_file()
    assert (res / "fonts" / "wqy-microhei.ttc").is_file() and (
        res / "fonts" / "wqy-microhei-LICENSE.txt"
    ).is_file()
    assert (res / "icons" / "jixiao.png").is_file()
    # the bundled copy of the example
    r = run([exe, "score", res / "examples" / "futian-2020.json", "--json"], env)
    assert r.returncode == 0, r.stderr
    assert '"total": 92.96' in r.stdout and '"grade": "优"' in r.stdout


def test_built_program_version_and_bad_input(exe, env, tmp_path):
    r = run([exe, "--version"], env)
    assert (r.returncode, r.stdout) == (0, "绩效自评助手 0.1.0\n")
    r = run([exe, "score", tmp_path / "没有这个文件.json"], env)
    assert r.returncode == 2 and r.stderr.startswith("错误：") and "没有这个文件.json" in r.stderr
    assert "Traceback" not in r.stderr


def test_built_program_imports_from_excel_and_starts_next_year(exe, env, tmp_path):
    """openpyxl's sheet parser (read lazily by core.tables) and the CSV path are in the bundle."""
    from tests.import_books import budget_sheet, system_targets

    draft = tmp_path / "2021.json"
    r = run([exe, "new", "--from", "resources/examples/futian-2020.json", "--year", "2021", draft], env)
    assert r.returncode == 0, r.stderr
    csv = tmp_path / "数据.csv"
    csv.write_bytes('项目,本年数\n年初预算收入,"1,300"\n'.encode("gbk"))
    r = run([exe, "import", draft, "--targets", system_targets(tmp_path / "t.xlsx"), "--figures", csv], env)
    assert r.returncode == 0, r.stderr
    assert "读到表1 5 行" in r.stdout and "读到预算与执行数据 1 项" in r.stdout
    r = run([exe, "import", draft, "--figures", budget_sheet(tmp_path / "b.xlsx", yuan=True)], env)
    assert r.returncode == 0 and "换算为 1,273.37 万元" in r.stdout, r.stderr


# What goes into the bundle: decided per file, tested here without building (Windows layout included).


def test_plugins_kept_are_the_ones_the_program_uses():
    assert keep("PySide6/Qt/plugins/platforms/libqxcb.so") and keep(
        "PySide6/Qt/plugins/platforms/libqoffscreen.so"
    )
    assert not keep("PySide6/Qt/plugins/platforms/libqwayland.so")
    assert not keep("PySide6/Qt/plugins/platformthemes/libqgtk3.so")
    # pulls in QtQuick
    assert not keep("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so")
    assert keep("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so")  # 中文输入法
    assert keep("PySide6\\plugins\\platforms\\qwindows.dll") and not keep(
        "PySide6\\plugins\\platforms\\qdirect2d.dll"
    )
    assert keep("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll")
    assert keep("PySide6\\plugins\\imageformats\\qico.dll") and not keep(
        "PySide6\\plugins\\imageformats\\qjpeg.dll"
    )
    assert not keep("PySide6\\plugins\\imageformats\\qsvg.dll")
    assert keep("PySide6\\plugins\\imageformats\\qsvg.dll", frozenset({"QtSvg"}))
    assert not keep("PySide6\\plugins\\tls\\qopensslbackend.dll")


def test_only_the_chinese_qt_translations_are_kept():
    assert keep("PySide6/Qt/translations/qtbase_zh_CN.qm") and keep("PySide6\\translations\\qt_zh_CN.qm")
    assert not keep("PySide6/Qt/translations/qtbase_de.qm") and not keep(
        "PySide6\\translations\\qtbase_zh_TW.qm"
    )
    assert not keep("PySide6/Qt/translations/qtdeclarative_zh_CN.qm")
    assert keep("resources/frameworks/futian-2020.json") and keep("resources/fonts/wqy-microhei-LICENSE.txt")
    assert keep("docx/templates/default.docx")  # python-docx builds every Word file on its template


def test_qt_libraries_of_unused_modules_are_dropped_unless_imported():
    assert (
        keep("PySide6/Qt/lib/libQt6Widgets.so.6")
        and keep("PySide6\\Qt6Gui.dll")
        and keep("PySide6\\Qt6Core.dll")
    )
    for lib in (
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/lib/libQt6QmlModels.so.6",
        "PySide6\\Qt6Network.dll",
        "PySide6\\Qt6Pdf.dll",
        "PySide6\\opengl32sw.dll",
        "PySide6/Qt/lib/libQt6WaylandClient.so.6",
    ):
        assert not keep(lib), lib
    toc = [
        ("PySide6/QtSvg.abi3.so", "", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Svg.so.6", "", "BINARY"),
        ("PySide6/Qt/lib/libQt6Quick.so.6", "", "BINARY"),
    ]
    kept, dropped = trim(toc)
    assert [e[0] for e in kept] == ["PySide6/QtSvg.abi3.so", "PySide6/Qt/lib/libQt6Svg.so.6"]
    assert [e[0] for e in dropped] == ["PySide6/Qt/lib/libQt6Quick.so.6"]


def test_libraries_only_dropped_plugins_needed_are_left_out():
    toc = [
        ("PySide6/QtGui.abi3.so", "/s/QtGui", "EXTENSION"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/s/qxcb", "BINARY"),
        ("libpython3.11.so.1.0", "/s/python", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/s/Gui", "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/s/Core", "BINARY"),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "/s/Xcb", "BINARY"),
        ("libxcb-cursor.so.0", "/s/cursor", "BINARY"),
        ("libz.so.1", "/s/z", "BINARY"),
        ("libgtk-3.so.0", "/s/gtk", "BINARY"),
        ("libpango-1.0.so.0", "/s/pango", "BINARY"),
    ]
    links = {
        "/s/QtGui": ["libQt6Gui.so.6"],
        "/s/Gui": ["libQt6Core.so.6", "libc.so.6"],
        "/s/qxcb": ["libQt6XcbQpa.so.6"],
        "/s/Xcb": ["libxcb-cursor.so.0", "libQt6Gui.so.6"],
        "/s/python": ["libz.so.1"],
        "/s/gtk": ["libpango-1.0.so.0"],
    }
    orphans = unreachable(toc, lambda path: links.get(path, []))
    assert [e[0] for e in orphans] == ["libgtk-3.so.0", "libpango-1.0.so.0"]


def test_windows_version_info_is_chinese(monkeypatch):
    # PyInstaller's versioninfo imports pefile and win32api (Windows only) for writing into an .exe; the structure
    # itself, encoded and read back here, is plain Python.
    import PyInstaller.compat

    if not hasattr(PyInstaller.compat, "win32api"):
        monkeypatch.setattr(PyInstaller.compat, "win32api", None, raising=False)
    try:
        import pefile  # noqa: F401
    except ImportError:
        monkeypatch.setitem(sys.modules, "pefile", types.ModuleType("pefile"))
    from build.version_info import version_info, version_tuple

    assert version_tuple("0.1.0") == (0, 1, 0, 0) and version_tuple("1.2.3.4.5") == (1, 2, 3, 4)
    assert version_tuple("0.2.0rc1") == (0, 2, 0, 0)
    info = version_info("0.1.0")
    table = info.kids[0].kids[0]
    strings = {s.name: s.val for s in table.kids}
    assert table.name == "080404B0"  # 中文（中国）, Unicode
    assert strings["ProductName"] == "绩效自评助手" and strings["FileVersion"] == "0.1.0"
    assert (
        strings["FileDescription"].startswith("绩效自评助手：")
        and strings["OriginalFilename"] == "jixiao.exe"
    )
    assert (info.ffi.fileVersionMS, info.ffi.fileVersionLS) == ((0 << 16) | 1, 0)  # 0.1.0.0
    assert info.kids[1].kids[0].kids == [0x0804, 1200]  # Translation: 中文（中国）, Unicode
    raw = info.toRaw()  # the strings as PyInstaller encodes them into jixiao.exe
    assert "ProductName".encode("utf-16-le") in raw and "绩效自评助手\0".encode("utf-16-le") in raw


def test_icon_file_holds_the_sizes_windows_asks_for():
    data = (ROOT / "build" / "jixiao.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = sorted(struct.unpack("<B", data[6 + 16 * i : 7 + 16 * i])[0] or 256 for i in range(count))
    assert {16, 24, 32, 48, 256} <= set(sizes)
    first = struct.unpack("<II", data[6 + 8 : 6 + 16])  # bytes, offset of the first image: a PNG
    assert data[first[1] : first[1] + 8] == b"\x89PNG\r\n\x1a\n"
    assert png_size(ROOT / "resources" / "icons" / "jixiao.png") == (256, 256)


# The built program.


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_built_program_shows_the_real_window(exe, env, tmp_path):
    out = tmp_path / "window.png"
    r = run([exe, "--screenshot", out, "resources/examples/futian-2020.json"], env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"已保存截图：{out}"
    assert png_size(out) == (1280, 860)
    from PySide6.QtGui import QImage

    img = QImage(str(out))
    colours = {img.pixel(x, y) for x in range(0, 1280, 7) for y in range(0, 860, 7)}
    assert len(colours) > 50  # text, buttons, status colours: not a blank window
    assert out.stat().st_size > 50_000


def test_built_program_exports(exe, env, tmp_path):
    xlsx, pdf = tmp_path / "评分表.xlsx", tmp_path / "报告.pdf"
    r = run([exe, "export", "resources/examples/futian-2020.json", "--xlsx", xlsx, "--pdf", pdf], env)
    assert r.returncode == 0, r.stderr
    assert xlsx.read_bytes()[:2] == b"PK" and pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 20_000  # the embedded Chinese font subset is in it


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns) for p in folder.rglob("*")}


def test_built_program_writes_nothing_next_to_itself(exe, env, tmp_path):
    before = snapshot(exe.parent)
    run([exe, "score", "resources/examples/futian-2020.json"], env)
    run([exe, "--screenshot", tmp_path / "a.png", "resources/examples/futian-2020.json"], env)
    run([exe, "export", "resources/examples/futian-2020.json", "--xlsx", tmp_path / "a.xlsx"], env)
    assert snapshot(exe.parent) == before


def test_built_program_is_lean(exe):
    internal = exe.parent / "_internal"
    names = {p.name for p in internal.rglob("*")}
    assert not [
        n
        for n in names
        if n.startswith(
            (
                "libQt6Quick",
                "libQt6Qml",
                "libQt6Network",
                "libQt6OpenGL",
                "libQt6Pdf",
                "Qt6Quick",
                "Qt6Qml",
                "Qt6Network",
                "opengl32sw",
            )
        )
    ]
    assert not {"pytest", "_pytest", "hypothesis", "PyInstaller", "pytestqt"} & {
        p.name for p in internal.iterdir()
    }
    qm = sorted(p.name for p in internal.rglob("*.qm"))
    assert qm == ["qt_zh_CN.qm", "qtbase_zh_CN.qm"]
    plugins = sorted(p.parent.name + "/" + p.name for p in internal.rglob("plugins/*/*"))
    expected = (
        [
            "imageformats/libqico.so",
            "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
            "platforminputcontexts/libibusplatforminputcontextplugin.so",
            "platforms/libqminimal.so",
            "platforms/libqoffscreen.so",
            "platforms/libqxcb.so",
        ]
        if LINUX
        else None
    )
    if expected:
        assert plugins == expected
    assert missing_libraries(exe.parent) == []
    # 124.5 MB when written; PyInstaller's default here is 158 MB
    assert folder_size(exe.parent) < 150 * 2**20


def test_pure_python_modules_leave_out_the_test_and_build_tools(exe):
    from PyInstaller.archive.readers import CArchiveReader

    pyz = CArchiveReader(str(exe)).open_embedded_archive("PYZ.pyz")
    tops = {name.split(".")[0] for name in pyz.toc}
    assert {"core", "gui", "PySide6", "openpyxl", "reportlab"} <= tops
    assert not tops & {"pytest", "_pytest", "hypothesis", "PyInstaller", "pytestqt", "setuptools", "pip"}


def unshare_works() -> bool:
    return (
        LINUX
        and shutil.which("unshare") is not None
        and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0
    )


@pytest.mark.skipif(not unshare_works(), reason="needs `unshare -n` (util-linux, as root)")
def test_built_program_works_without_a_network(exe, env, tmp_path):
    """In a network namespace with no interface up: every headless command still does its job."""
    offline = ["unshare", "-n"]
    probe = "import socket; socket.create_connection(('1.1.1.1', 53), timeout=3)"
    blocked = run([sys.executable, "-c", probe], env, offline)
    # the namespace has no network
    assert blocked.returncode == 1 and "Network is unreachable" in blocked.stderr
    r = run([exe, "score", "resources/examples/futian-2020.json"], env, offline)
    assert r.returncode == 0 and r.stdout.splitlines()[-1] == "总分 92.96，等级 优（已全部填写）"
    r = run(
        [
            exe,
            "export",
            "resources/examples/futian-2020.json",
            "--xlsx",
            tmp_path / "a.xlsx",
            "--pdf",
            tmp_path / "a.pdf",
        ],
        env,
        offline,
    )
    assert r.returncode == 0, r.stderr
    r = run([exe, "--screenshot", tmp_path / "w.png", "resources/examples/futian-2020.json"], env, offline)
    assert r.returncode == 0 and png_size(tmp_path / "w.png") == (1280, 860)


@pytest.mark.skipif(not (LINUX and shutil.which("strace")), reason="needs strace (apt-get install strace)")
def test_built_program_opens_no_network_connection(exe, env, tmp_path):
    """Every socket the program creates, traced: none is an internet (IPv4/IPv6) socket."""

    def traced(cmd, trace):
        return run(cmd, env, ["strace", "-f", "-qq", "-e", "trace=socket,connect", "-o", trace])

    probe = (
        "import socket; socket.socket().close()"  # the trace does see an internet socket when there is one
    )
    traced([sys.executable, "-c", probe], tmp_path / "probe.txt")
    assert "socket(AF_INET, SOCK_STREAM" in (tmp_path / "probe.txt").read_text()
    commands = [
        ["score", "resources/examples/futian-2020.json"],
        ["--version"],
        [
            "export",
            "resources/examples/futian-2020.json",
            "--xlsx",
            tmp_path / "a.xlsx",
            "--pdf",
            tmp_path / "a.pdf",
        ],
        ["--screenshot", tmp_path / "w.png", "resources/examples/futian-2020.json"],
    ]
    for i, args in enumerate(commands):
        trace = tmp_path / f"trace{i}.txt"
        r = traced([exe, *args], trace)
        assert r.returncode == 0, r.stderr
        calls = trace.read_text().splitlines()
        assert not [c for c in calls if "AF_INET" in c], (args, calls)


def opened(exe, args, env, trace: Path) -> list[str]:
    """Files the program opened successfully (strace)."""
    r = run([exe, *args], env, ["strace", "-f", "-qq", "-e", "trace=openat", "-o", trace])
    assert r.returncode == 0, r.stderr
    return [
        line.split('"')[1] for line in trace.read_text().splitlines() if '"' in line and "= -1" not in line
    ]


@pytest.mark.skipif(not (LINUX and shutil.which("strace")), reason="needs strace (apt-get install strace)")
def test_command_line_does_not_load_qt_and_the_window_finds_its_translation(exe, env, tmp_path):
    files = opened(exe, ["score", "resources/examples/futian-2020.json"], env, tmp_path / "cli.txt")
    assert any(f.endswith("futian-2020.json") for f in files)
    assert not [
        f for f in files if "QtCore" in f or "libQt6" in f
    ]  # build/rthook_qt.py: Qt only for the window
    files = opened(exe, ["--screenshot", tmp_path / "w.png"], env, tmp_path / "gui.txt")
    internal = str(exe.parent / "_internal")
    # Qt's prefix (qt.conf) is the bundle's
    assert f"{internal}/PySide6/Qt/translations/qtbase_zh_CN.qm" in files
    assert f"{internal}/PySide6/Qt/plugins/platforms/libqoffscreen.so" in files


RTHOOK_PROBE = """
import os, pathlib, runpy, sys
import PyInstaller
sys.path.insert(0, str(pathlib.Path(PyInstaller.__file__).parent / "fake-modules"))
from _pyi_rth_utils import qt
calls = []
qt.create_embedded_qt_conf = lambda *args: calls.append(args)
sys._MEIPASS = sys.argv[1]
runpy.run_path("build/rthook_qt.py")
print("QtCore at start:", "PySide6.QtCore" in sys.modules)
print("plugins:", os.environ["QT_PLUGIN_PATH"])
import PySide6.QtWidgets
print("qt.conf:", calls)
"""


def test_runtime_hook_sets_up_qt_only_when_qt_is_imported(tmp_path):
    mei = tmp_path / "_internal"
    r = subprocess.run(
        [sys.executable, "-c", RTHOOK_PROBE, str(mei)], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert r.returncode == 0, r.stderr
    qt = mei / "PySide6" if sys.platform == "win32" else mei / "PySide6" / "Qt"
    assert r.stdout.splitlines() == [
        "QtCore at start: False",  # the command line never pays for Qt
        f"plugins: {qt / 'plugins'}",
        f"qt.conf: [('PySide6', {str(qt)!r})]",  # registered once, right after QtCore is loaded
    ]
