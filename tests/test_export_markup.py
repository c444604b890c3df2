"""Nothing a file contains is markup in any export (issue 10, item 2): markup put in every text field of the draft
and of its framework comes out literally in the PDF, the Word file and the workbook, and nothing crashes."""

import json
import re
import subprocess

import docx
import openpyxl
import pytest

from core.drafts import from_dict
from core.export import export_bundle
from tests.conftest import EXAMPLE

PAYLOADS = ['<img src="/etc/passwd"/>优', "<b>粗", "&amp;号", '<font name="Courier">字</font>']
FRAMEWORK_TEXT = ("name", "standard", "title", "label", "rate_label", "explanation", "note", "hint")


def poisoned(payload: str) -> dict:
    """The example with the payload added to every string a user or a framework author can write."""
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))

    def walk(value, key=""):
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str) and key in FRAMEWORK_TEXT and value:
            return value + payload
        return value

    data["framework"] = walk(data["framework"])  # grade names too: they are "name"s
    for group in ("facts", "narrative"):
        data[group] = {k: (v + payload if k != "year" else v) for k, v in data[group].items()}
    data["targets"] = [{k: v + payload for k, v in row.items()} for row in data["targets"]]
    for entry in data["indicators"].values():
        entry["reason"] = (entry.get("reason") or "理由") + payload
    return data


def texts_of_pdf(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_every_field_comes_out_literally_in_every_export(tmp_path, payload):
    doc = from_dict(poisoned(payload))
    written = export_bundle(doc, tmp_path)
    xlsx, word, pdf = written
    department = "深圳市福田区数字化城管技术服务中心" + payload
    grade = "优" + payload
    # the workbook: text cells hold the typed text
    book = openpyxl.load_workbook(xlsx)
    cells = {c.value for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert f"部门名称：{department}" in cells
    assert f"评价等级：{grade}" in cells
    assert "预算执行率" + payload in cells
    # Word: runs of plain text
    paragraphs = [p.text for p in docx.Document(str(word)).paragraphs]
    table_text = {c.text for t in docx.Document(str(word)).tables for r in t.rows for c in r.cells}
    assert any(p.startswith("一、部门基本情况" + payload) for p in paragraphs)
    assert f"评价等级：{grade}" in table_text and department in table_text
    # PDF: drawn as text, never interpreted (no image embedded, no font switched by the text)
    text = re.sub(r"\s+", "", texts_of_pdf(pdf))
    squeezed = re.sub(r"\s+", "", payload)
    assert text.count(squeezed) > 50
    assert f"部门名称（公章）：{squeezed}" in text
    raw = pdf.read_bytes()
    assert b"/Subtype /Image" not in raw and b"Courier" not in raw
