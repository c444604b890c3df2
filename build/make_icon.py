"""Write build/jixiao.ico, the icon of jixiao.exe: the window icon's design (resources/icons/make_icon.py) drawn at
every size Windows shows (16 to 256 pixels, each drawn at its size, so small ones stay sharp), stored as PNG data.

Run when the design changes; the result is committed:  uv run python build/make_icon.py
"""

from __future__ import annotations

import importlib.util
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def draw(size: int) -> QImage:
    """The program's icon at one size: the design lives in resources/icons/make_icon.py (also the window icon)."""
    spec = importlib.util.spec_from_file_location("icon_design", ROOT / "resources" / "icons" / "make_icon.py")
    design = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(design)
    return design.draw(size)


def png_bytes(img: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QBuffer.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return bytes(data)


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An .ico file whose entries are PNG images (supported since Windows Vista)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, data in images.items():
        dim = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset + len(blobs))
        blobs += data
    return header + entries + blobs


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (QPainter on QImage needs it)
    images = {s: png_bytes(draw(s)) for s in SIZES}
    (ROOT / "build" / "jixiao.ico").write_bytes(ico_bytes(images))
    print(f"wrote build/jixiao.ico ({', '.join(map(str, SIZES))} px)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
