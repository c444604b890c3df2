"""Where things are: bundled resources (from source or from the built program) and the user's app-data folder.

One Qt-free helper for both. In a PyInstaller build, resources sit under sys._MEIPASS; from source, under the
repository's resources/. App data (settings, logs, recovery copies) goes to %APPDATA%\\jixiao on Windows and
$XDG_DATA_HOME/jixiao (default ~/.local/share/jixiao) elsewhere; JIXIAO_DATA_DIR overrides both (tests).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from core import APP_ID


def resource_root() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resource_root().joinpath(*parts)


def example_path() -> Path:
    return resource("examples", "futian-2020.json")


def frameworks() -> list[Path]:
    return sorted(resource("frameworks").glob("*.json"))


def data_dir(environ: dict | None = None, platform: str | None = None) -> Path:
    """The user's app-data folder for this program (not created here)."""
    env = os.environ if environ is None else environ
    platform = platform or sys.platform
    if env.get("JIXIAO_DATA_DIR"):
        return Path(env["JIXIAO_DATA_DIR"])
    if platform.startswith("win"):
        base = env.get("APPDATA") or str(Path(env.get("USERPROFILE") or Path.home()) / "AppData" / "Roaming")
        return Path(base) / APP_ID
    base = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME") or Path.home()) / ".local" / "share")
    return Path(base) / APP_ID
