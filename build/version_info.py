"""Windows version resource of jixiao.exe (文件属性 → 详细信息), in Chinese, from core.__version__.

Used by build/jixiao.spec; the version number has one source (core/__init__.py).
"""

from __future__ import annotations

import re

from PyInstaller.utils.win32.versioninfo import (
    FixedFileInfo,
    StringFileInfo,
    StringStruct,
    StringTable,
    VarFileInfo,
    VarStruct,
    VSVersionInfo,
)

LANG_ZH_CN = 0x0804  # 中文（中国）
CODEPAGE_UNICODE = 1200


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """ "0.1.0" -> (0, 1, 0, 0); non-numeric tails ("0.2.0rc1" -> (0, 2, 0, 0)) are dropped."""
    parts = [int(m.group()) if (m := re.match(r"\d+", piece)) else 0 for piece in version.split(".")[:4]]
    return tuple((parts + [0, 0, 0, 0])[:4])


def version_info(version: str, name: str = "绩效自评助手", exe: str = "jixiao.exe") -> VSVersionInfo:
    numbers = version_tuple(version)
    strings = {
        "CompanyName": name,
        "FileDescription": f"{name}：部门整体支出绩效自评的填报、评分与导出",
        "FileVersion": version,
        "InternalName": "jixiao",
        "LegalCopyright": f"{name} 开发者",
        "OriginalFilename": exe,
        "ProductName": name,
        "ProductVersion": version,
    }
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[
            StringFileInfo(
                [
                    StringTable(
                        f"{LANG_ZH_CN:04X}{CODEPAGE_UNICODE:04X}",
                        [StringStruct(k, v) for k, v in strings.items()],
                    )
                ]
            ),
            VarFileInfo([VarStruct("Translation", [LANG_ZH_CN, CODEPAGE_UNICODE])]),
        ],
    )
