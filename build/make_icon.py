"""Draw the program icon: resources/icons/jixiao.png (the window icon, 256 px) and build/jixiao.ico (jixiao.exe's
icon, every size Windows shows from 16 to 256 px, each drawn at its size so small ones stay sharp, stored as PNG).

Run when the design changes; the results are committed:  uv run python build/make_icon.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
)

ROOT = Path(__file__).resolve().parent.parent
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def draw(size: int) -> QImage:
    """The design: a blue tile with 绩 and, from 32 px up, a green tick ("checked, scored")."""
    fid = QFontDatabase.addApplicationFont(str(ROOT / "resources" / "fonts" / "wqy-microhei.ttc"))
    family = QFontDatabase.applicationFontFamilies(fid)[0]
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    m = size * 0.04
    tile = QPainterPath()
    tile.addRoundedRect(QRectF(m, m, size - 2 * m, size - 2 * m), size * 0.18, size * 0.18)
    p.fillPath(tile, QColor("#1d4e89"))
    font = QFont(family)
    font.setPixelSize(int(size * 0.62))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(QRectF(0, -size * 0.04, size, size * 0.92), Qt.AlignmentFlag.AlignCenter, "绩")
    if size >= 32:  # a green tick in the corner: "checked, scored"
        pen = QPen(QColor("#7bd389"), size * 0.07)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        p.drawPolyline([QPointF(x * size, y * size) for x, y in ((0.62, 0.80), (0.72, 0.89), (0.89, 0.70))])
    p.end()
    return img


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
    draw(256).save(str(ROOT / "resources" / "icons" / "jixiao.png"))
    print(f"wrote build/jixiao.ico ({', '.join(map(str, SIZES))} px) and resources/icons/jixiao.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
