"""The same report content written with each bare library: the baselines of the export benchmarks, and
`compare`, the run each export benchmark makes (bench_xlsx, bench_docx, bench_pdf).

Each takes the report model (core.report.Report) built beforehand and writes its words, numbers and tables with
the library's stock parts only: reportlab's Paragraph (escaped text, CJK wrap) and Table (header repeated, split
between rows; horizontal spans only, since reportlab cannot split a long vertically merged cell); openpyxl's
ws.cell() and merge_cells(); python-docx's add_paragraph() with the built-in styles, add_table(), cell.text and
cell.merge(). No fonts chosen, no widths, no print settings, no page numbers: what the exports do beyond that is
their cost.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from functools import partial
from pathlib import Path
from xml.sax.saxutils import escape

from core import report as rp

ROOT = Path(__file__).resolve().parent.parent


def medians_s(fns, repeat: int) -> list[float]:
    """Median wall time of each function, run in turn (interleaved, so that a busy moment hits all alike)."""
    for fn in fns:
        fn()  # warm up: imports, fonts, caches
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, ts in zip(fns, times, strict=True):
            t = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t)
    return [statistics.median(ts) for ts in times]


def _blocks(report: rp.Report):
    """(kind, payload) in reading order: ("p", text) or ("table", Table)."""
    yield "p", report.title
    for line in report.cover:
        yield "p", f"{line.label}：{line.value}"
    if report.draft:
        yield "p", report.draft_note
    for b in report.body:
        if isinstance(b, (rp.Heading, rp.Paragraph)):
            yield "p", b.text
        elif isinstance(b, rp.Table):
            yield "p", b.caption
            yield "table", b
        elif isinstance(b, rp.Chart):
            yield "p", b.caption
            for name, _, shown in b.bars:
                yield "p", f"{name} {shown}"
    for a in report.annexes:
        yield "p", a.label
        yield "p", a.title
        yield "table", a.table


def _grid(table: rp.Table) -> list[list[str]]:
    return [[c.label for c in table.columns]] + [[c.text if c else "" for c in r.cells] for r in table.rows]


def compare(suffix: str, bare, repeat: int, detail=None) -> None:
    """Time the export of one format as the user gets it, the 审核 findings passed in (core.export.write: the
    report model, the renderer, the atomic write) against `bare(report, path)` writing the same content, for the
    seed and for a 1,000-leaf framework; print the medians and their ratio (goal ≤ 1.5×). `detail(report, path)`
    adds a column about the file written (its pages, its cells)."""
    from benchmarks.synthetic import make_document
    from core.checks import check
    from core.drafts import load
    from core.export import FORMATS, write
    from core.scoring import score

    cases = [
        ("seed (21 leaves)", load(ROOT / "resources" / "examples" / "futian-2020.json"), repeat),
        ("1,000 leaves", make_document(1000), max(3, repeat // 3)),
    ]
    label = FORMATS[suffix][0]
    print(f"{label}: core.export.write against the bare library, medians of interleaved runs")
    print(f"{'case':<18}{'bare library':>14}{'export':>12}{'ratio':>8}  {'goal ≤ 1.5×':<12}")
    with tempfile.TemporaryDirectory() as tmp:
        ours_path, bare_path = Path(tmp) / f"export{suffix}", Path(tmp) / f"bare{suffix}"
        for name, doc, n in cases:
            sheet = score(doc)
            findings = check(doc, sheet)
            report = rp.build_report(doc, sheet, findings)
            ours, base = medians_s(
                [
                    partial(write, doc, ours_path, sheet=sheet, findings=findings),
                    partial(bare, report, bare_path),
                ],
                n,
            )
            verdict = "ok" if ours <= 1.5 * base else "MISSED"
            more = detail(report, ours_path) if detail else ""
            print(
                f"{name:<18}{base * 1000:>11.1f} ms{ours * 1000:>9.1f} ms{ours / base:>7.2f}×  {verdict:<12}{more}"
            )


def bare_pdf(report: rp.Report, path, font: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    body = ParagraphStyle("b", fontName=font, fontSize=16, leading=29, wordWrap="CJK")
    cell = ParagraphStyle("c", fontName=font, fontSize=10.5, leading=14, wordWrap="CJK")
    flow = []
    for kind, x in _blocks(report):
        if kind == "p":
            flow.append(Paragraph(escape(x), body))
            continue
        rows = [[Paragraph(escape(t).replace("\n", "<br/>"), cell) for t in r] for r in _grid(x)]
        spans = [
            ("SPAN", (c, r + 1), (c + cell_.cols - 1, r + 1))
            for r, row in enumerate(x.rows)
            for c, cell_ in enumerate(row.cells)
            if cell_ is not None and cell_.cols > 1
        ]
        # Paragraph cells need column widths: the page's, shared alike
        total = sum(c.width for c in x.columns)
        t = Table(rows, colWidths=[c.width * 442 / total for c in x.columns], repeatRows=1, splitByRow=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), *spans]))
        flow.append(t)
    SimpleDocTemplate(str(path), pagesize=A4).build(flow)


def bare_xlsx(report: rp.Report, path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for table in report.sheets:
        ws = wb.create_sheet(table.sheet)
        ws.cell(row=1, column=1, value=table.caption)
        ws.cell(row=2, column=1, value=table.subtitle)
        ws.cell(row=3, column=1, value=report.draft_note or None)
        for c, col in enumerate(table.columns, 1):
            ws.cell(row=4, column=c, value=col.label)
        for r, row in enumerate(table.rows, 5):
            for c, cell in enumerate(row.cells, 1):
                if cell is not None:
                    ws.cell(row=r, column=c, value=float(cell.value) if cell.value is not None else cell.text)
                    if cell.rows > 1 or cell.cols > 1:
                        ws.merge_cells(
                            start_row=r,
                            start_column=c,
                            end_row=r + cell.rows - 1,
                            end_column=c + cell.cols - 1,
                        )
    wb.save(path)


def bare_docx(report: rp.Report, path) -> None:
    import docx

    d = docx.Document()
    for kind, x in _blocks(report):
        if kind == "p":
            d.add_paragraph(x)
            continue
        grid = _grid(x)
        t = d.add_table(rows=len(grid), cols=len(x.columns))
        t.style = "Table Grid"
        rows = [r.cells for r in t.rows]
        for cells, values in zip(rows, grid, strict=True):
            for cell, value in zip(cells, values, strict=True):
                cell.text = value
        for r, row in enumerate(x.rows, 1):
            for c, cell in enumerate(row.cells):
                if cell is not None and (cell.rows > 1 or cell.cols > 1):
                    rows[r][c].merge(rows[r + cell.rows - 1][c + cell.cols - 1])
    d.save(path)
