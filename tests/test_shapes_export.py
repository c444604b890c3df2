"""Every shipped framework and every tree shape through score, 审核 and all three exports (the 报送包): no crash,
and every leaf (a 一级 leaf included, the clerk's rows included) in 表2 of the workbook, the Word file and the
PDF, with the total."""

import copy
import re
import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook

from core.catalogue import find
from core.checks import check
from core.document import Evaluation
from core.export import export_bundle
from core.framework import Framework
from core.numbers import fmt
from core.scoring import score
from tests.helpers import fill_all
from tests.test_shapes import MIXED, ROWS, framework

FLAT = [  # every leaf at the top level (重庆's table without the rows node)
    {"id": f"l{i}", "name": f"顶层指标{i}", "weight": w, "rule": {"type": "coefficient"}}
    for i, w in enumerate((10, 20, 30, 40), 1)
]


def shaped(name: str) -> Evaluation:
    if name in ("futian", "chongqing", "national-project", "yueyang"):
        fw = find(name)
    else:
        indicators, top = {
            "mixed": (MIXED, {}),
            "rows": (ROWS, {}),
            "flat": (FLAT, {"table_columns": "chongqing"}),
            "not-applicable": (MIXED, {"not_applicable": "rescale"}),
        }[name]
        fw = framework(copy.deepcopy(indicators), **top)
    doc = Evaluation.new(fw, 2025)
    doc.facts["department"] = "形状测试局"
    fill_all(doc)
    if name == "not-applicable":
        doc.set(("indicators", "exec", "na"), "1")
    return doc


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    "name", ["futian", "chongqing", "national-project", "yueyang", "mixed", "rows", "flat", "not-applicable"]
)
def test_every_shape_scores_checks_and_exports_every_leaf(name, tmp_path):
    doc = shaped(name)
    sheet = score(doc)
    assert sheet.complete and sheet.problem_count == 0, [
        (n.name, n.problems) for n in sheet.leaves() if n.problems
    ]
    check(doc, sheet)
    written = export_bundle(doc, tmp_path)
    xlsx, docx, pdf = written
    names = [squeeze(n.name) for n in sheet.leaves()]
    total = fmt(sheet.total)
    # 表2 of the workbook
    ws = next(ws for ws in load_workbook(xlsx).worksheets if ws.title.startswith("表2"))
    cells = squeeze(" ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None))
    assert all(n in cells for n in names) and total in cells, name
    # Word and PDF: every leaf and the total in the text
    words = squeeze(
        "\n".join(p.text for t in Document(docx).tables for r in t.rows for p in r.cells[0].paragraphs)
    )
    words += squeeze(" ".join(c.text for t in Document(docx).tables for r in t.rows for c in r.cells))
    assert all(n in words for n in names), name
    text = squeeze(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    assert all(n in text for n in names) and total in text, name
    if name == "not-applicable":
        assert sheet.total_formula == ["不适用指标共 10 分不计入，按其余 90 分折算：90 ÷ 90 × 100 = 100 分"]


def test_framework_from_dict_keeps_every_leaf_level():
    fw = Framework.from_dict(framework(copy.deepcopy(FLAT)).source)
    assert [leaf.level for leaf in fw.leaves] == [1, 1, 1, 1]


def test_the_national_table_prints_each_rows_deviation_reason(tmp_path):
    from core.report import build_report

    doc = shaped("national-project")
    row = doc.rows["output"][0]["id"]
    doc.set(("indicators", row, "inputs", "actual"), "8")  # 8 of 10: not met
    doc.set(("indicators", row, "reason"), "设备到货延迟，已督促供应商")
    table = next(t for t in build_report(doc).tables() if t.key == "scores")
    keys = [c.key for c in table.columns]
    cells = [r.cells[keys.index("deviation")] for r in table.rows if r.cells[keys.index("deviation")]]
    assert "设备到货延迟，已督促供应商" in [c.text for c in cells]
