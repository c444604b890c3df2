"""Fonts for the printed report (Qt-free): 仿宋 / 黑体 / 宋体 / 楷体 / 小标宋 found on this computer, else the bundled one.

GB/T 9704 wants 仿宋 for the body, 黑体 and 楷体 for headings, 宋体 for page numbers, 小标宋 for the title (黑体
where it is absent). Each role has a list of families: the Windows font first, then the same family from other
systems and its common free substitutes (楷体: AR PL UKai, LXGW WenKai; 宋体: AR PL UMing; 仿宋: Zhuque Fangsong;
黑体: WenQuanYi Zen Hei …). They are looked for in %WINDIR%\\Fonts on Windows, and in the system's font folders
elsewhere (fontconfig's list, `fc-list`, on Linux; the usual folders when it is absent). A role whose families
are all missing gets resources/fonts/wqy-microhei.ttc, a TrueType collection under the Apache-2.0 licence
(its licence file sits beside it). Only TrueType outlines will do: reportlab embeds them as subsets and refuses
CFF/OpenType, so a candidate that will not load is skipped by the renderer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from core.paths import resource

ROLES = ("fangsong", "heiti", "songti", "kaiti", "title")
ROLE_LABELS = {"fangsong": "仿宋", "heiti": "黑体", "songti": "宋体", "kaiti": "楷体", "title": "小标宋"}
WINDOWS_FILES = {  # file name (lower case): family; 方正小标宋简体 / _GBK are installed on most 公文 PCs
    "fangsong": {"simfang.ttf": "仿宋", "stfangso.ttf": "华文仿宋"},
    "heiti": {"simhei.ttf": "黑体", "msyh.ttc": "微软雅黑", "stxihei.ttf": "华文细黑"},
    "songti": {"simsun.ttc": "宋体", "stsong.ttf": "华文宋体"},
    "kaiti": {"simkai.ttf": "楷体", "stkaiti.ttf": "华文楷体"},
    "title": {"fzxbsjw.ttf": "方正小标宋简体", "fzxbsk.ttf": "方正小标宋_GBK"},
}
FAMILIES = {  # family names as fontconfig reports them, best first
    "fangsong": (
        "仿宋_GB2312",
        "FangSong_GB2312",
        "FangSong",
        "仿宋",
        "STFangsong",
        "华文仿宋",
        "Zhuque Fangsong (technical preview)",
        "Zhuque Fangsong",
        "朱雀仿宋",
    ),
    "heiti": (
        "SimHei",
        "黑体",
        "STHeiti",
        "华文黑体",
        "Microsoft YaHei",
        "微软雅黑",
        "WenQuanYi Zen Hei",
        "文泉驿正黑",
        "Droid Sans Fallback",
    ),
    "songti": (
        "SimSun",
        "宋体",
        "NSimSun",
        "STSong",
        "华文宋体",
        "AR PL UMing CN",
        "AR PL SungtiL GB",
        "AR PL New Sung",
    ),
    "kaiti": (
        "KaiTi_GB2312",
        "KaiTi",
        "楷体",
        "楷体_GB2312",
        "STKaiti",
        "华文楷体",
        "AR PL UKai CN",
        "LXGW WenKai",
        "霞鹜文楷",
        "AR PL KaitiM GB",
    ),
    "title": ("FZXiaoBiaoSong-B05S", "方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05"),
}
UNIX_FOLDERS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
)


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int = 0  # the face inside a .ttc collection
    bundled: bool = False
    family: str = ""


def bundled_font() -> FontFile:
    return FontFile(resource("fonts", "wqy-microhei.ttc"), 0, True, "文泉驿微米黑")


def family_of(font: FontFile) -> str:
    return font.family or Path(font.path).stem


def windows_fonts_dir(environ: dict | None = None, platform: str | None = None) -> Path | None:
    """%WINDIR%\\Fonts on Windows (None elsewhere)."""
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("win"):
        return None
    windir = env.get("WINDIR") or env.get("SystemRoot") or r"C:\Windows"
    return Path(windir) / "Fonts"


def windows_folders(environ: dict | None = None, platform: str | None = None) -> list[Path]:
    """The system's font folder and the user's own (fonts installed "for me only" since Windows 10)."""
    env = os.environ if environ is None else environ
    folder = windows_fonts_dir(env, platform)
    if folder is None:
        return []
    user = env.get("LOCALAPPDATA")
    return [folder] + ([Path(user) / "Microsoft" / "Windows" / "Fonts"] if user else [])


def find_fonts(
    environ: dict | None = None,
    platform: str | None = None,
    system: list[tuple[str, Path, int]] | None = None,
) -> dict[str, FontFile]:
    """The font file for each role. `system`: (family, file, index) of the installed fonts (system_fonts() when
    None). A role found nowhere gets the bundled font (the title: 黑体 first)."""
    folders = windows_folders(environ, platform)
    if system is None:
        system = [] if folders else system_fonts()
    by_family: dict[str, FontFile] = {}
    for family, path, index in system:
        if path.suffix.lower() in (".ttf", ".ttc"):
            by_family.setdefault(family.lower(), FontFile(path, index, False, family))
    out = {}
    for role in ROLES:
        found = None
        for name, family in WINDOWS_FILES[role].items():
            path = next(filter(None, (_find(f, name) for f in folders)), None)
            if path:
                found = FontFile(path, 0, False, family)
                break
        if found is None:
            found = next((by_family[f.lower()] for f in FAMILIES[role] if f.lower() in by_family), None)
        out[role] = found or (out["heiti"] if role == "title" else bundled_font())
    return out


def system_fonts() -> list[tuple[str, Path, int]]:
    """(family, file, index in a collection) of each installed font: fontconfig's list when `fc-list` runs,
    else the TrueType files of the usual folders, named by their file name."""
    fc = shutil.which("fc-list")
    if fc:
        try:
            out = subprocess.run(
                [fc, "--format", "%{family}\t%{file}\t%{index}\n"], capture_output=True, text=True, timeout=10
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        fonts = []
        for line in out.splitlines():
            parts = line.split("\t")
            if len(parts) == 3 and parts[2].isdigit():
                for family in parts[0].split(","):
                    fonts.append((family.strip(), Path(parts[1]), int(parts[2])))
        if fonts:
            return fonts
    fonts = []
    for folder in UNIX_FOLDERS:
        root = Path(folder).expanduser()
        if root.is_dir():
            for path in root.rglob("*"):
                if path.suffix.lower() in (".ttf", ".ttc"):
                    fonts.append((path.stem, path, 0))
    return fonts


def _find(folder: Path, name: str) -> Path | None:
    """The file in the folder, matched without regard to case (Windows names vary: SIMHEI.TTF)."""
    path = folder / name
    if path.is_file():
        return path
    try:
        return next((p for p in folder.iterdir() if p.name.lower() == name and p.is_file()), None)
    except OSError:
        return None
