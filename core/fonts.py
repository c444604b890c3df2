"""Fonts for the printed report (Qt-free): Windows' 仿宋 / 黑体 / 宋体 / 楷体 when present, else the bundled font.

GB/T 9704 wants 仿宋 for the body, 黑体 and 楷体 for headings, 宋体 for page numbers, 小标宋 for the title (黑体
where it is absent). A Windows office PC has them
in %WINDIR%\\Fonts; elsewhere (and when one is missing) every role falls back to resources/fonts/wqy-microhei.ttc,
a TrueType collection under the Apache-2.0 licence (its licence file sits beside it). Only TrueType outlines
will do: reportlab embeds them as subsets and refuses CFF/OpenType.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from core.paths import resource

ROLES = ("fangsong", "heiti", "songti", "kaiti", "title")
ROLE_NAMES = {"fangsong": "仿宋", "heiti": "黑体", "songti": "宋体", "kaiti": "楷体", "title": "小标宋"}
WINDOWS_FILES = {
    "fangsong": ("simfang.ttf",),
    "heiti": ("simhei.ttf",),
    "songti": ("simsun.ttc",),
    "kaiti": ("simkai.ttf",),
    "title": ("fzxbsjw.ttf", "fzxbsk.ttf"),
}  # 方正小标宋简体 / _GBK, installed on most 公文 PCs


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int = 0  # the face inside a .ttc collection
    bundled: bool = False


def bundled_font() -> FontFile:
    return FontFile(resource("fonts", "wqy-microhei.ttc"), 0, True)


def windows_fonts_dir(environ: dict | None = None, platform: str | None = None) -> Path | None:
    """%WINDIR%\\Fonts on Windows (None elsewhere)."""
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("win"):
        return None
    windir = env.get("WINDIR") or env.get("SystemRoot") or r"C:\Windows"
    return Path(windir) / "Fonts"


def find_fonts(environ: dict | None = None, platform: str | None = None) -> dict[str, FontFile]:
    """The font file for each role; a role whose Windows font is absent gets the bundled font (the title, 黑体)."""
    folder = windows_fonts_dir(environ, platform)
    out = {}
    for role in ROLES:
        path = (
            next(filter(None, (_find(folder, name) for name in WINDOWS_FILES[role])), None)
            if folder
            else None
        )
        out[role] = FontFile(path) if path else out["heiti"] if role == "title" else bundled_font()
    return out


def _find(folder: Path, name: str) -> Path | None:
    """The file in the folder, matched without regard to case (Windows names vary: SIMHEI.TTF)."""
    path = folder / name
    if path.is_file():
        return path
    try:
        return next((p for p in folder.iterdir() if p.name.lower() == name and p.is_file()), None)
    except OSError:
        return None
