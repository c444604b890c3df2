"""Draws the program icon (a blue tile with 绩 and a tick) as PNG and multi-size ICO.

    uv run python resources/icons/make_icon.py
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))


def draw(size: int):
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter, QPainterPath, QPen

    fid = QFontDatabase.addApplicationFont(str(HERE.parent / "fonts" / "wqy-microhei.ttc"))
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


def main() -> int:
    from PySide6.QtGui import QGuiApplication

    QGuiApplication([])
    draw(256).save(str(HERE / "jixiao.png"))
    draw(256).save(str(HERE / "jixiao.ico"))  # Qt's ICO writer stores one 256-pixel image; Windows scales it
    return 0


if __name__ == "__main__":
    sys.exit(main())
