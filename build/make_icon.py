"""Draw the program icon (a score sheet with a tick) and write build/jixiao.ico and resources/icons/jixiao.png.

Run once when the design changes; the results are committed:  uv run python build/make_icon.py
Each size is drawn separately (thicker strokes, fewer lines when small) and stored in the .ico as PNG data.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath, QPen  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def draw(size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)  # draw on a 256 grid
    small = size <= 24

    # Background: a rounded square in a deep government red.
    bg = QLinearGradient(0, 0, 0, 256)
    bg.setColorAt(0, QColor("#d23a2f"))
    bg.setColorAt(1, QColor("#a5221a"))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(bg)
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 48, 48)

    # A white sheet with a folded corner.
    sheet = QPainterPath()
    sheet.moveTo(62, 36)
    sheet.lineTo(160, 36)
    sheet.lineTo(198, 74)
    sheet.lineTo(198, 220)
    sheet.lineTo(62, 220)
    sheet.closeSubpath()
    p.setBrush(QColor("#ffffff"))
    p.drawPath(sheet)
    fold = QPainterPath()
    fold.moveTo(160, 36)
    fold.lineTo(160, 74)
    fold.lineTo(198, 74)
    fold.closeSubpath()
    p.setBrush(QColor("#f1c9c4"))
    p.drawPath(fold)

    # Table lines (fewer and thicker at small sizes).
    p.setPen(QPen(QColor("#c7ccd4"), 14 if small else 10, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    for y in ((96, 132) if small else (90, 118, 146)):
        p.drawLine(QPointF(84, y), QPointF(176 if y > 100 else 140, y))

    # The tick: done, scored.
    p.setPen(QPen(QColor("#1c8a4a"), 30 if small else 22, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                  Qt.PenJoinStyle.RoundJoin))
    tick = QPainterPath()
    tick.moveTo(92, 178)
    tick.lineTo(124, 206)
    tick.lineTo(214, 124)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(tick)
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
    icons = ROOT / "resources" / "icons"
    icons.mkdir(exist_ok=True)
    (icons / "jixiao.png").write_bytes(images[256])
    print("wrote build/jixiao.ico and resources/icons/jixiao.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
