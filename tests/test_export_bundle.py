"""The 报送包: Excel, Word and PDF of one report in one folder, named alike, each written atomically; progress,
cancel, and what the command line says."""

import os
import subprocess
import sys

import openpyxl
import pytest

from core import JixiaoError
from core.export import Cancelled, export_bundle, write
from core.files import FileWriteError
from tests.conftest import EXAMPLE, ROOT

STEM = "深圳市福田区数字化城管技术服务中心2020年度部门整体绩效自评报告"


def test_bundle_writes_three_files_named_alike_from_one_report(example, tmp_path):
    seen = []
    written = export_bundle(example, tmp_path / "报送包", progress=lambda f, what: seen.append((f, what)))
    assert [p.name for p in written] == [f"{STEM}.xlsx", f"{STEM}.docx", f"{STEM}.pdf"]
    assert sorted(os.listdir(tmp_path / "报送包")) == sorted(p.name for p in written)  # no temp files left
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    assert seen[-1][1] == f"已写入 PDF：{STEM}.pdf"
    assert any(n.startswith("PDF 字体：") for n in written.notes) and any(
        n.startswith("Word 字体：") for n in written.notes
    )
    # one report: the same draft notice in the workbook, the Word file and the PDF
    note = written.report.draft_note
    assert note.startswith("草稿：审核发现 1 项错误")
    assert openpyxl.load_workbook(written[0])["表2 评分表"]["A3"].value == note
    import docx

    assert note in [p.text for p in docx.Document(str(written[1])).paragraphs]
    pdf = subprocess.run(["pdftotext", str(written[2]), "-"], capture_output=True, text=True).stdout
    assert "草稿：审核发现" in pdf


def test_cancel_stops_between_files_and_says_what_was_written(example, tmp_path):
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3  # after the workbook is written

    with pytest.raises(Cancelled) as e:
        export_bundle(example, tmp_path, cancelled=cancelled)
    assert str(e.value) == f"已取消导出；已写入：{STEM}.xlsx"
    assert os.listdir(tmp_path) == [f"{STEM}.xlsx"]  # whole, and nothing half-written beside it
    with pytest.raises(Cancelled, match="没有写入文件"):
        export_bundle(example, tmp_path / "b", cancelled=lambda: True)


def test_a_locked_file_fails_alone_with_a_chinese_message(example, tmp_path, monkeypatch):
    real = os.replace

    def locked(src, dst):
        if str(dst).endswith(".pdf"):
            raise PermissionError(13, "Permission denied")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(FileWriteError, match=f"无法写入 {STEM}.pdf"):
        export_bundle(example, tmp_path)
    assert sorted(os.listdir(tmp_path)) == [f"{STEM}.docx", f"{STEM}.xlsx"]


def test_a_folder_that_cannot_be_made_is_a_chinese_message(example, tmp_path):
    (tmp_path / "文件").write_text("x")
    with pytest.raises(JixiaoError, match="无法创建文件夹"):
        export_bundle(example, tmp_path / "文件" / "包")


def test_one_file_is_written_in_the_format_of_its_suffix_or_refused_in_chinese(example, tmp_path):
    written = write(example, tmp_path / "报告.DOCX")
    assert (tmp_path / "报告.DOCX").read_bytes()[:2] == b"PK" and written.notes[0].startswith("Word 字体：")
    write(example, tmp_path / "报告.bin", ".pdf")
    assert (tmp_path / "报告.bin").read_bytes()[:5] == b"%PDF-"
    with pytest.raises(JixiaoError, match="不支持导出为“.txt”文件：可导出 .xlsx、.docx、.pdf"):
        write(example, tmp_path / "报告.txt")
    assert sorted(os.listdir(tmp_path)) == ["报告.DOCX", "报告.bin"]


def cli(*args, tmp_path):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "JIXIAO_DATA_DIR": str(tmp_path / "data"), "PYTHONIOENCODING": "utf-8"},
        timeout=180,
    )


def test_command_line_all_and_docx(tmp_path):
    r = cli("export", str(EXAMPLE), "--all", str(tmp_path / "包"), tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    assert f"已导出报送包到 {tmp_path / '包'}：\n  {STEM}.xlsx\n  {STEM}.docx\n  {STEM}.pdf\n" in r.stdout
    assert "PDF 字体：" in r.stdout
    r = cli("export", str(EXAMPLE), "--docx", str(tmp_path / "a.docx"), tmp_path=tmp_path)
    assert r.returncode == 0 and f"已导出 Word：{tmp_path / 'a.docx'}" in r.stdout
    r = cli(
        "export", str(EXAMPLE), "--all", str(tmp_path), "--pdf", str(tmp_path / "a.pdf"), tmp_path=tmp_path
    )
    assert r.returncode == 2 and "--all 导出全部三种格式" in r.stderr
    r = cli("export", str(EXAMPLE), "--docx", str(tmp_path / "a.pdf"), tmp_path=tmp_path)
    assert r.returncode == 2 and "--docx 的输出文件名应以 .docx 结尾" in r.stderr
