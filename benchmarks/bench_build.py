"""Size and start-up time of the built program against a bare PySide6 hello-world built in the same run.

    uv run python benchmarks/bench_build.py            # builds both (about a minute here), then measures
    uv run python benchmarks/bench_build.py --reuse    # measure the dist/jixiao already built
    uv run python benchmarks/bench_build.py --runs 9

The bare bundle is a QMainWindow with a label, built by the same PyInstaller with its defaults (one folder).
Start-up: both programs run `--screenshot OUT.png` offscreen (start, show the first window, grab it, save it,
quit). "Shown" is the moment Qt shows the first window: Qt's offscreen plugin logs a message then, and
QT_MESSAGE_PATTERN="%{time boot} …" stamps it with the monotonic clock that time.monotonic() reads (Linux).
"Exit" is launch to exit. Medians of several interleaved runs (the first run of each is a warm-up, not counted).
Goals (issue 6): size ≤ 1.3× the bare bundle (fonts aside), start to first window shown ≤ 1.3×.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build.build import WORK, build, folder_size, program  # noqa: E402

BENCH = WORK / "bench"
HELLO = """import sys
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("Hello")
window.setCentralWidget(QLabel("Hello, PySide6"))
window.resize(1280, 860)
window.show()
for _ in range(5):
    app.processEvents()
if len(sys.argv) > 2 and sys.argv[1] == "--screenshot":
    window.grab().save(sys.argv[2], "PNG")
"""


def build_bare() -> Path:
    BENCH.mkdir(parents=True, exist_ok=True)
    script = BENCH / "hello.py"
    script.write_text(HELLO, encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            str(script),
            "--noconfirm",
            "--onedir",
            "--log-level",
            "WARN",
            "--distpath",
            str(BENCH / "dist"),
            "--workpath",
            str(BENCH / "work"),
            "--specpath",
            str(BENCH),
        ],
        check=True,
        cwd=BENCH,
    )
    return BENCH / "dist" / "hello" / ("hello.exe" if sys.platform == "win32" else "hello")


SHOWN_MARK = "propagateSizeHints"  # the offscreen plugin's message when a window is shown
# Qt's "time boot" and time.monotonic() read the same clock only here
LINUX = sys.platform.startswith("linux")


def start_time(exe: Path, out: Path, env: dict) -> tuple[float, float]:
    """(seconds from launch to the first window shown (NaN off Linux), seconds from launch to exit)."""
    env = dict(env, QT_MESSAGE_PATTERN="%{time boot} %{message}")
    t = time.monotonic()
    r = subprocess.run(
        [str(exe), "--screenshot", str(out)], env=env, check=True, capture_output=True, text=True, timeout=120
    )
    done = time.monotonic()
    if not out.is_file() or out.stat().st_size < 1000:
        raise SystemExit(f"{exe} 没有保存截图")
    out.unlink()
    if not LINUX:
        return float("nan"), done - t
    shown = next(float(line.split()[0]) for line in r.stderr.splitlines() if SHOWN_MARK in line)
    return shown - t, done - t


def mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB"


def main(argv: list[str]) -> int:
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 7
    if "--reuse" in argv and program().is_file():
        exe = program()
    else:
        exe = build(quiet=True)
    bare = build_bare()  # after jixiao: both use the same PyInstaller and Python in this run

    app_size, bare_size = folder_size(exe.parent), folder_size(bare.parent)
    fonts = folder_size(exe.parent / "_internal" / "resources" / "fonts")
    print(
        f"大小  jixiao {mb(app_size)}（不含字体 {mb(app_size - fonts)}，字体 {mb(fonts)}）  "
        f"bare {mb(bare_size)}"
    )
    print(
        f"      比值 {app_size / bare_size:.2f}×，不含字体 {(app_size - fonts) / bare_size:.2f}×（目标 ≤ 1.3×）"
    )

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", JIXIAO_DATA_DIR=str(Path(tmp) / "data"))
        out = Path(tmp) / "shot.png"
        times: dict[str, list[tuple[float, float]]] = {"jixiao": [], "bare": []}
        for i in range(runs + 1):
            for name, path in (("jixiao", exe), ("bare", bare)):
                t = start_time(path, out, env)
                if i:  # run 0 warms the disk cache
                    times[name].append(t)
    for k, label in ((0, "启动到首个窗口显示"), (1, "启动到截图保存、退出"))[0 if LINUX else 1 :]:
        med = {name: statistics.median(t[k] for t in v) for name, v in times.items()}
        print(
            f"{label}（offscreen，{runs} 次中位数）  jixiao {med['jixiao']:.3f} s  bare {med['bare']:.3f} s  "
            f"比值 {med['jixiao'] / med['bare']:.2f}×" + ("（目标 ≤ 1.3×）" if k == 0 else "")
        )
        for name in ("jixiao", "bare"):
            print(f"      各次 {name:<6} " + " ".join(f"{t[k]:.3f}" for t in times[name]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
