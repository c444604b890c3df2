"""core.logs: the log file in the app-data folder, the error hook, and the streams of a windowed build."""

import logging
import os
import subprocess
import sys
import threading

import pytest

from core import logs
from tests.conftest import EXAMPLE, ROOT


@pytest.fixture
def logfile(tmp_path, monkeypatch):
    """setup_logging into tmp_path/data/logs; the root logger and hooks are restored afterwards."""
    monkeypatch.setenv("JIXIAO_DATA_DIR", str(tmp_path / "data"))
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(logs, "_display", None)
    path = logs.setup_logging()
    yield path
    for h in root.handlers:
        if h not in handlers:
            h.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def test_log_goes_to_the_app_data_folder_and_only_when_something_is_logged(logfile, tmp_path):
    assert logfile == tmp_path / "data" / "logs" / "jixiao.log"
    assert not (tmp_path / "data").exists()  # nothing written by merely starting
    logging.getLogger("jixiao.gui").warning("草稿已保存：%s", "报告.json")
    text = logfile.read_text(encoding="utf-8")
    assert "WARNING jixiao.gui: 草稿已保存：报告.json" in text


def test_setting_up_twice_adds_one_handler(logfile):
    logs.setup_logging()
    logging.getLogger("jixiao").info("一次")
    assert logfile.read_text(encoding="utf-8").count("一次") == 1


def test_a_big_log_is_rotated_when_opened(tmp_path):
    log = tmp_path / "jixiao.log"
    log.write_text("旧" * 10, encoding="utf-8")
    (tmp_path / "jixiao.log.1").write_text("更旧", encoding="utf-8")
    (tmp_path / "jixiao.log.3").write_text("最旧", encoding="utf-8")
    logs.rotate(log, max_bytes=10, backups=3)
    assert not log.exists()
    assert (tmp_path / "jixiao.log.1").read_text(encoding="utf-8") == "旧" * 10
    assert (tmp_path / "jixiao.log.2").read_text(encoding="utf-8") == "更旧"
    assert (tmp_path / "jixiao.log.3").read_text(encoding="utf-8") == "最旧"  # no .2 before: .3 is kept
    logs.rotate(tmp_path / "small.log", max_bytes=10)  # missing file: nothing to do


def test_rotation_keeps_at_most_the_backups(tmp_path):
    log = tmp_path / "jixiao.log"
    for i in range(5):
        log.write_text(f"第{i}次" * 20, encoding="utf-8")
        logs.rotate(log, max_bytes=10, backups=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jixiao.log.1", "jixiao.log.2"]
    assert (tmp_path / "jixiao.log.1").read_text(encoding="utf-8").startswith("第4次")
    assert (tmp_path / "jixiao.log.2").read_text(encoding="utf-8").startswith("第3次")


def test_an_unwritable_log_folder_does_not_stop_the_program(tmp_path, capsys):
    (tmp_path / "data").write_text("not a folder")  # the app-data "folder" is a file
    handler = logs.LazyRotatingFileHandler(tmp_path / "data" / "logs" / "jixiao.log")
    logger = logging.getLogger("jixiao.test.unwritable")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.error("写不进去")  # must not raise or print "--- Logging error ---"
        logger.error("还是写不进去")
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert capsys.readouterr() == ("", "")  # logging's own error report would go to stderr
    assert (tmp_path / "data").read_text() == "not a folder"
    assert [p.name for p in tmp_path.iterdir()] == ["data"]


def raise_and_hook(exc):
    try:
        raise exc
    except BaseException as e:  # noqa: B036
        sys.excepthook(type(e), e, e.__traceback__)


def test_unexpected_error_is_logged_with_traceback_and_told_in_chinese(logfile, capsys):
    logs.install_excepthook()
    raise_and_hook(KeyError("facts"))
    err = capsys.readouterr().err
    assert err.startswith("程序出现意外错误（KeyError：'facts'）。\n")
    assert f"详细情况已记入日志文件：{logfile}" in err
    assert "Traceback" not in err
    text = logfile.read_text(encoding="utf-8")
    assert "CRITICAL jixiao: 意外错误" in text
    assert (
        "Traceback (most recent call last)" in text
        and "raise_and_hook" in text
        and "KeyError: 'facts'" in text
    )


def test_the_gui_dialog_gets_the_message(logfile, capsys):
    shown = []
    logs.install_excepthook()
    logs.show_errors_with(shown.append)
    raise_and_hook(ZeroDivisionError("division by zero"))
    assert len(shown) == 1 and shown[0].startswith("程序出现意外错误（ZeroDivisionError：division by zero）")
    assert capsys.readouterr().err == ""
    assert "ZeroDivisionError" in logfile.read_text(encoding="utf-8")


def test_a_failing_dialog_is_logged_too(logfile):
    def broken(text):
        raise RuntimeError("对话框坏了")

    logs.install_excepthook()
    logs.show_errors_with(broken)
    raise_and_hook(ValueError("x"))
    text = logfile.read_text(encoding="utf-8")
    assert "ValueError: x" in text and "无法显示错误信息" in text and "对话框坏了" in text


def test_errors_in_other_threads_are_caught(logfile, capsys):
    logs.install_excepthook()
    t = threading.Thread(target=lambda: 1 / 0)
    t.start()
    t.join()
    assert "程序出现意外错误（ZeroDivisionError" in capsys.readouterr().err
    assert "ZeroDivisionError" in logfile.read_text(encoding="utf-8")


class FakeKernel32:
    def __init__(self, attached):
        self.attached, self.calls = attached, []

    def AttachConsole(self, pid):  # noqa: N802 (the Windows name)
        self.calls.append(pid)
        return self.attached


def fake_opener(opened):
    def opener(name, mode, encoding):
        opened.append((name, mode, encoding))
        return f"<{name}>"

    return opener


@pytest.mark.parametrize("attached, expected", [(1, "CONOUT$"), (0, os.devnull)])
def test_windowed_build_on_windows_writes_to_the_console_it_was_started_from(monkeypatch, attached, expected):
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    kernel32, opened = FakeKernel32(attached), []
    logs.ensure_streams(True, platform="win32", kernel32=kernel32, opener=fake_opener(opened))
    assert kernel32.calls == [0xFFFFFFFF]  # ATTACH_PARENT_PROCESS
    assert opened == [(expected, "w", "utf-8")] * 2
    assert sys.stdout == sys.stderr == f"<{expected}>"


def test_double_clicked_window_does_not_attach_a_console(monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    kernel32, opened = FakeKernel32(1), []
    logs.ensure_streams(False, platform="win32", kernel32=kernel32, opener=fake_opener(opened))
    assert kernel32.calls == [] and [o[0] for o in opened] == [os.devnull, os.devnull]


def test_streams_that_exist_are_left_alone(monkeypatch):
    kernel32, opened = FakeKernel32(1), []
    out, err = sys.stdout, sys.stderr
    logs.ensure_streams(True, platform="win32", kernel32=kernel32, opener=fake_opener(opened))
    assert (sys.stdout, sys.stderr) == (out, err) and kernel32.calls == [] and opened == []
    monkeypatch.setattr(sys, "stderr", None)  # only the missing one is replaced (Linux: no console to attach)
    logs.ensure_streams(True, platform="linux", opener=fake_opener(opened))
    assert sys.stdout is out and sys.stderr == f"<{os.devnull}>"


def run_without_streams(args, tmp_path):
    """Run Python with stdout and stderr closed, as a windowed build starts (sys.stdout is None there)."""

    def close_streams():
        os.close(1)
        os.close(2)

    env = dict(os.environ, JIXIAO_DATA_DIR=str(tmp_path / "data"))
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, preexec_fn=close_streams, timeout=60)


@pytest.mark.skipif(sys.platform == "win32", reason="closes file descriptors in a POSIX child")
def test_command_line_without_stdout_still_works(tmp_path):
    code = (
        "import sys; assert sys.stdout is None and sys.stderr is None;"
        "import runpy; sys.argv = ['main.py', 'score', sys.argv[1]]; runpy.run_path('main.py', run_name='__main__')"
    )
    r = run_without_streams(["-c", code, str(EXAMPLE)], tmp_path)
    assert r.returncode == 0
    assert not (tmp_path / "data").exists()  # a command that went well logs nothing


@pytest.mark.skipif(sys.platform == "win32", reason="closes file descriptors in a POSIX child")
def test_unexpected_error_without_stdout_lands_in_the_log(tmp_path):
    code = (
        "import sys; from core.logs import setup; setup(['score']);"
        "print('no console'); sys.stdout.flush(); raise RuntimeError('意外：测试')"
    )
    r = run_without_streams(["-c", code], tmp_path)
    assert r.returncode == 1
    text = (tmp_path / "data" / "logs" / "jixiao.log").read_text(encoding="utf-8")
    assert "CRITICAL jixiao: 意外错误" in text and "RuntimeError: 意外：测试" in text
