"""The command line's own guards: outputs that would overwrite the draft or each other, a closed pipe, damaged
drafts said in Chinese."""

import os
import shutil
import subprocess
import sys

import pytest

from core.cli import run, same_file
from tests.conftest import EXAMPLE, ROOT


def env(tmp_path) -> dict:
    return dict(os.environ, PYTHONIOENCODING="utf-8", JIXIAO_DATA_DIR=str(tmp_path / "data"))


def main(tmp_path, *args):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env(tmp_path),
    )


@pytest.fixture
def draft(tmp_path):
    path = tmp_path / "d.json"
    shutil.copy(EXAMPLE, path)
    return path


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ["--xlsx", "{d}"],
            "错误：输出文件“{d}”就是要导出的草稿本身，导出会覆盖草稿；请换一个输出文件名",
        ),
        (
            ["--pdf", "{t}/sub/../d.json"],
            "错误：输出文件“{t}/sub/../d.json”就是要导出的草稿本身，导出会覆盖草稿；请换一个输出文件名",
        ),
        (["--xlsx", "{t}/out.pdf"], "错误：--xlsx 的输出文件名应以 .xlsx 结尾（现在是“{t}/out.pdf”）"),
        (["--pdf", "{t}/报告"], "错误：--pdf 的输出文件名应以 .pdf 结尾（现在是“{t}/报告”）"),
        (
            ["--pdf", "{t}/a.pdf", "--pdf", "{t}/b.pdf"],
            "错误：选项 --pdf 写了两次。用法：main.py export 文件 [--xlsx 输出.xlsx] [--docx 输出.docx] [--pdf 输出.pdf]"
            " 或 main.py export 文件 --all 文件夹",
        ),
    ],
)
def test_export_refuses_outputs_that_would_overwrite(draft, tmp_path, args, message):
    before = draft.read_bytes()
    r = main(tmp_path, "export", draft, *(a.format(d=draft, t=tmp_path) for a in args))
    assert (r.returncode, r.stdout, r.stderr) == (2, "", message.format(d=draft, t=tmp_path) + "\n")
    assert draft.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["d.json"]


def test_export_refuses_the_draft_through_a_link(draft, tmp_path):
    (tmp_path / "link.xlsx").symlink_to(draft)
    r = main(tmp_path, "export", draft, "--xlsx", tmp_path / "link.xlsx")
    assert r.returncode == 2 and "就是要导出的草稿本身" in r.stderr


def test_same_file():
    assert same_file("a/../b.pdf", "b.pdf")
    assert not same_file("a.pdf", "b.pdf")
    assert same_file(EXAMPLE, str(EXAMPLE).replace("examples", "examples/../examples"))


def test_uppercase_suffix_and_two_formats_are_fine(draft, tmp_path):
    r = main(tmp_path, "export", draft, "--xlsx", tmp_path / "表.XLSX", "--pdf", tmp_path / "报告.pdf")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["d.json", "报告.pdf", "表.XLSX"]


@pytest.mark.parametrize("args", [["score", "--json"], ["score"], ["check"]])
def test_a_closed_pipe_ends_quietly(args, tmp_path):
    """`main.py score --json | head -1`: the reader closes the pipe; no message, and not exit 1 (审核 errors)."""
    p = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), args[0], str(EXAMPLE), *args[1:]],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env(tmp_path),
    )
    p.stdout.close()  # before anything is written: every write meets a closed pipe
    err = p.stderr.read()
    assert (p.wait(), err) == (0, b"")


def test_head_through_a_shell(tmp_path):
    if not shutil.which("bash") or not shutil.which("head"):
        pytest.skip("needs bash and head")
    cmd = '"$0" "$1" score "$2" --json | head -1; exit ${PIPESTATUS[0]}'
    r = subprocess.run(
        ["bash", "-c", cmd, sys.executable, ROOT / "main.py", EXAMPLE], capture_output=True, env=env(tmp_path)
    )
    assert (r.returncode, r.stdout, r.stderr) == (0, b"{\n", b"")


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "错误：无法打开 d.json：草稿文件已损坏：文件是空的"),
        (
            b'{"format": "jixiao-draft",\n "version": 1,,',
            "错误：无法打开 d.json：草稿文件已损坏：第 2 行第 15 列此处应为用英文双引号括起的名称",
        ),
        (b"[1, 2]", "错误：无法打开 d.json：这不是绩效自评草稿文件（文件中没有草稿的格式标记）"),
    ],
)
def test_damaged_drafts_are_said_in_chinese(tmp_path, content, message):
    (tmp_path / "d.json").write_bytes(content)
    for verb in ("score", "check"):
        r = main(tmp_path, verb, tmp_path / "d.json")
        assert (r.returncode, r.stdout, r.stderr) == (2, "", message + "\n")


def test_run_in_process_refuses_before_reading(capsys, tmp_path):
    assert run(["export", str(tmp_path / "没有.json"), "--xlsx", str(tmp_path / "没有.json")]) == 2
    assert "就是要导出的草稿本身" in capsys.readouterr().err
