"""Start-up (docs/gui.md): the program started as a user starts it shows the real start page in its first frame,
and that frame builds neither a document nor PySide's `Qt` namespace (~1,400 enum members, ~15 ms)."""

import json
import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import json, os, runpy, sys
main = sys.argv[1]
sys.argv = [main]
sys.path.insert(0, os.path.dirname(main))
import gui.app

def first_frame(app):  # run_gui's app.exec(): the first frame, what it shows, then the lists filled
    app.processEvents()
    import PySide6.QtCore
    from PySide6.QtWidgets import QLabel, QPushButton
    window = next(w for w in app.topLevelWidgets() if hasattr(w, "has_started"))
    start = window.start
    seen = {
        "filled": window.has_started,
        "qt_namespace": "Qt" in vars(PySide6.QtCore),
        "modules": sorted(m for m in sys.modules if m.split(".")[0] in ("core", "gui")),
        "start_shown": start.isVisible() and window.central.currentWidget() is start,
        "labels": [w.text() for w in start.findChildren(QLabel) if w.isVisible() and w.text()],
        "plain": all(w.textFormat().name == "PlainText" for w in start.findChildren(QLabel)),
        "buttons": [w.text() for w in start.findChildren(QPushButton) if w.isVisible()],
        "recent_table": start.recent is not None,
        "patterns": sorted(sys.modules["core.text"]._compiled),
    }
    while not window.has_started:
        app.processEvents()
    seen["frameworks_after"] = start.framework.count()
    seen["labels_after"] = [w.text() for w in start.findChildren(QLabel) if w.isVisible() and w.text()]
    seen["buttons_after"] = [w.text() for w in start.findChildren(QPushButton) if w.isVisible()]
    app.processEvents()  # the table, added to its card's layout, is shown on the next turn
    table, card = start.recent, start.recent_card.layout()
    seen["recent_after"] = [table.columnCount(), table.isVisible(), card.indexOf(table), card.indexOf(start.recent_note)]
    print(json.dumps(seen, ensure_ascii=False), flush=True)
    os._exit(0)

make_app = gui.app.make_app
def made(argv=None):
    app = make_app(argv)
    app.exec = lambda: first_frame(app)
    return app

gui.app.make_app = made
runpy.run_path(main, run_name="__main__")
"""


def test_the_first_frame_is_the_start_page_without_a_document_or_the_qt_namespace(tmp_path):
    env = {
        "QT_QPA_PLATFORM": "offscreen",
        "JIXIAO_DATA_DIR": str(tmp_path / "appdata"),
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    r = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT / "main.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    seen = json.loads(r.stdout.strip().splitlines()[-1])
    assert not seen["filled"]  # the first frame: the lists are read on the next turn of the event loop
    # the table of recent drafts comes with their list, just after the first frame: there it stands between
    # its card's title and the note, its 6 columns shown
    assert seen["start_shown"] and not seen["recent_table"]
    assert seen["recent_after"] == [6, True, 1, 2]
    assert seen["labels"][:2] == [
        "绩效自评助手",
        "部门整体与项目支出绩效自评：逐项填写，实时评分，审核后导出 Excel 评分表、Word 和 PDF 自评报告。",
    ]
    assert {"新建评价", "指标框架：", "评价年度：", "最近的草稿"} <= set(seen["labels"])
    assert seen["plain"]  # never markup, though set by name
    assert {"新建评价", "打开草稿…", "打开示例", "从上年草稿开始…"} <= set(seen["buttons"])
    # what the lists being filled just after does not change: no document to go back to, no recent draft yet
    assert "返回当前文档" not in seen["buttons"] and seen["buttons"] == seen["buttons_after"]
    assert "还没有打开过的草稿。新建一个评价，或打开草稿。" in seen["labels"]
    assert "还没有打开过的草稿。新建一个评价，或打开草稿。" in seen["labels_after"]
    assert not seen["qt_namespace"] and seen["patterns"] == []  # its texts are printable: no regex compiled
    document_side = {
        "core.framework",
        "core.scoring",
        "core.sections",
        "core.document",
        "gui.editing",
        "gui.pages",
    }
    assert document_side.isdisjoint(seen["modules"]), seen["modules"]
    assert seen["frameworks_after"] >= 1  # filled just after the first frame
