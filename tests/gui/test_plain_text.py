"""Nothing a file or the user typed is ever markup in the window: every label that shows draft or framework
text is plain text, and tooltips and messages show such text literally (issue 10, item 2)."""

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from core.document import FACTS, TARGET_COLUMNS, Evaluation
from core.drafts import load
from core.framework import Framework
from core.paths import example_path, resource

PAYLOAD = ' <img src="x.png"><a href="http://example.com/">链接</a><h1>大</h1>'
MARK = '<img src="x.png">'
STRUCTURE = {"format", "id", "key", "type", "kind", "insert", "total", "parts", "bind"}


def _inject(value):
    if isinstance(value, dict):
        return {k: (v if k in STRUCTURE else _inject(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_inject(v) for v in value]
    return value + PAYLOAD if isinstance(value, str) else value


def markup_document() -> Evaluation:
    """The example's figures on a framework whose every text carries markup; every text field of the draft
    carries it too, and some numbers are markup instead of numbers."""
    path = resource("frameworks", "futian-2020.json")
    fw = Framework.from_dict(_inject(json.loads(path.read_text(encoding="utf-8"))))
    example = load(example_path())
    doc = Evaluation(fw, figures=dict(example.figures), indicators=json.loads(json.dumps(example.indicators)))
    doc.facts = {key: "甲" + PAYLOAD for key, _ in FACTS}
    doc.figures["satisfaction"] = "9" + PAYLOAD
    doc.targets = [{key: "乙" + PAYLOAD for key, _ in TARGET_COLUMNS} for _ in range(2)]
    doc.narrative = {s.key: "丙" + PAYLOAD for s in fw.sections}
    for i, leaf in enumerate(fw.leaves):
        entry = doc.entry(leaf.id)
        entry["reason"] = "丁" + PAYLOAD
        if i % 3 == 0:
            entry["override"] = "1" + PAYLOAD
            entry["override_reason"] = "戊" + PAYLOAD
    return doc


def shown_texts(window) -> list[tuple[QWidget, str, str]]:
    """(widget, what, text) for every label, tooltip and item of the window that holds the payload."""
    out = []
    for w in window.findChildren(QWidget):
        if isinstance(w, QLabel) and MARK in w.text():
            out.append((w, "label", w.text()))
        if MARK in w.toolTip():
            out.append((w, "tooltip", w.toolTip()))
    for i in range(window.nav.count()):
        out.append((window.nav, "tooltip", window.nav.item(i).toolTip()))
    for i in range(window.checks.list.topLevelItemCount()):
        out.append((window.checks.list, "tooltip", window.checks.list.topLevelItem(i).toolTip(1)))
    return out


def test_markup_in_every_field_of_the_draft_and_the_framework_is_shown_literally(qtbot, window):
    doc = markup_document()
    window.set_document(doc)
    window.run_checks()
    for section in window.section_list:
        window.show_section(section.key)
        QApplication.processEvents()
    seen = shown_texts(window)
    labels = [(w, text) for w, what, text in seen if what == "label"]
    assert len(labels) > 100  # names, standards, figures, headings, hints, grade, problems…
    rich = [(w.objectName(), text) for w, text in labels if w.textFormat() != Qt.TextFormat.PlainText]
    assert rich == []
    raw_tips = [(w.objectName(), text) for w, what, text in seen if what == "tooltip" and MARK in text]
    assert raw_tips == []
    # literally: the name, the grade and a typed reason read as they are in the file
    assert window.totals.grade.text() == f"等级 {window.sheet.grade}" and MARK in window.sheet.grade
    card = window.pages[window.section_list[3].key].cards["budget_rationality"]
    assert any(lb.text() == card.ind.name for lb in card.findChildren(QLabel))


def test_messages_show_file_text_literally(qtbot, window, dialogs, tmp_path):
    window.set_document(markup_document())
    folder = tmp_path / '<b>粗</b><img src="x.png">'
    assert not window.documents.save_to(folder / "missing" / "a.json")
    kind, title, text = dialogs.messages[-1]
    assert kind == "critical" and '<img src="x.png">' in text
    assert dialogs.formats[-1] == Qt.TextFormat.PlainText
