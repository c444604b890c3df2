"""Build the standalone program with PyInstaller: one command, same on Linux and Windows.

    uv run python build/build.py              # -> dist/jixiao/jixiao (dist\\jixiao\\jixiao.exe on Windows)
    uv run python build/build.py --onefile    # -> dist/onefile/jixiao(.exe): one file that unpacks itself on every start
    uv run python build/build.py --clean      # forget PyInstaller's cache first

PyInstaller's scratch files go to build/_work/, the result to dist/ (both git-ignored).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build" / "jixiao.spec"
WORK = ROOT / "build" / "_work"
DIST = ROOT / "dist"
EXE_NAME = "jixiao.exe" if sys.platform == "win32" else "jixiao"


def program(dist: Path = DIST, onefile: bool = False) -> Path:
    """Where the built program's executable lands (one-file: its own folder, so it never clashes with dist/jixiao/)."""
    return dist / ("onefile" if onefile else "jixiao") / EXE_NAME


def folder_size(path: Path) -> int:
    """Bytes of all files under path (or of the file itself); symlinks are not followed."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def pyinstaller(
    spec: Path, dist: Path, work: Path, spec_args: list[str], clean: bool = False, quiet: bool = False
) -> None:
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(spec),
        "--noconfirm",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
    ]
    if clean:
        cmd.append("--clean")
    if quiet:
        cmd += ["--log-level", "WARN"]
    if spec_args:
        cmd += ["--", *spec_args]
    subprocess.run(cmd, cwd=ROOT, check=True)


BUNDLED_PREFIXES = ("libQt6", "libicu", "libpyside6", "libshiboken6")


def missing_libraries(folder: Path) -> list[str]:
    """Linux: Qt libraries that a bundled library links to but the bundle lacks ("not found" by ldd).

    Catches a trimming rule that dropped a Qt library something kept still needs. System libraries (libGL,
    libxcb-cursor, …) are the user's to install and are not reported. Empty on other systems.
    """
    if not sys.platform.startswith("linux"):
        return []
    libdirs = sorted({str(p.parent) for p in folder.rglob("*.so*")})
    env = dict(os.environ, LD_LIBRARY_PATH=os.pathsep.join(libdirs))
    missing = set()
    for lib in folder.rglob("*.so*"):
        if lib.is_symlink() or not lib.is_file():
            continue
        out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True, env=env).stdout
        missing.update(
            f"{lib.relative_to(folder)}: {line.split()[0]}"
            for line in out.splitlines()
            if "not found" in line and line.split()[0].startswith(BUNDLED_PREFIXES)
        )
    return sorted(missing)


def build(
    onefile: bool = False, clean: bool = False, quiet: bool = False, dist: Path = DIST, work: Path = WORK
) -> Path:
    """Build the program; returns the path of its executable."""
    pyinstaller(
        SPEC,
        dist / "onefile" if onefile else dist,
        work,
        ["--onefile"] if onefile else [],
        clean=clean,
        quiet=quiet,
    )
    exe = program(dist, onefile)
    if not exe.is_file():
        raise SystemExit(f"构建失败：没有生成 {exe}")
    return exe


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="构建绩效自评助手的独立程序（PyInstaller）")
    parser.add_argument("--onefile", action="store_true", help="打包成单个文件（每次启动都要先解压，较慢）")
    parser.add_argument("--clean", action="store_true", help="先清除 PyInstaller 的缓存")
    args = parser.parse_args(argv)
    exe = build(onefile=args.onefile, clean=args.clean)
    bundle = exe if args.onefile else exe.parent
    missing = missing_libraries(bundle) if not args.onefile else []
    for line in missing:
        print(f"缺少的库：{line}", file=sys.stderr)
    print(f"已生成：{exe.relative_to(ROOT)}（{folder_size(bundle) / 2**20:.1f} MB）")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
