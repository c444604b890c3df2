"""core/files.py: every file the program writes — atomic, mode kept, short temp names, stale ones swept,
Chinese reasons for OS errors (the English original in the log)."""

import errno
import logging
import os
import shutil
import subprocess
import sys
import time

import pytest

from core import files
from core.files import FileWriteError, sweep, write_atomic
from tests.conftest import EXAMPLE, ROOT

DEAD_PID = 2**22 + 12345  # above Linux's largest pid: never running


def umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_writes_and_replaces_leaving_nothing_else(tmp_path):
    path = tmp_path / "评分表.xlsx"
    write_atomic(path, b"first")
    write_atomic(path, b"second")
    assert path.read_bytes() == b"second"
    assert names(tmp_path) == ["评分表.xlsx"]


def test_backup_keeps_the_previous_version(tmp_path):
    path = tmp_path / "d.json"
    write_atomic(path, b"one", backup=True)
    assert names(tmp_path) == ["d.json"]  # nothing to back up yet
    write_atomic(path, b"two", backup=True)
    assert (tmp_path / "d.json.bak").read_bytes() == b"one" and path.read_bytes() == b"two"


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_modes_new_kept_and_backup(tmp_path):
    path = tmp_path / "d.json"
    write_atomic(path, b"one")
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask()  # not mkstemp's 0600
    os.chmod(path, 0o640)
    write_atomic(path, b"two", backup=True)
    assert path.stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "d.json.bak").stat().st_mode & 0o777 == 0o640


def test_a_250_byte_name_is_written(tmp_path):
    name = "甲" * 80 + "abcde.json"
    assert len(name.encode()) == 250
    write_atomic(tmp_path / name, b"x", backup=True)
    write_atomic(tmp_path / name, b"y", backup=True)  # FILE.bak is 254 bytes: still legal
    assert names(tmp_path) == sorted([name, name + ".bak"])


def test_a_name_too_long_says_so(tmp_path, caplog):
    name = "甲" * 90 + ".json"
    with caplog.at_level(logging.WARNING, "jixiao.files"):
        with pytest.raises(FileWriteError) as e:
            write_atomic(tmp_path / name, b"x")
    assert str(e.value) == f"无法写入 {name}：文件名太长"
    assert "File name too long" in caplog.text  # the OS's own words are kept in the log
    assert names(tmp_path) == []


def test_temp_names_are_short_and_recognised():
    for _ in range(100):
        name = files.temp_name()
        assert len(name) <= 30 and files.TEMP.fullmatch(name), name


def test_disk_full(tmp_path, monkeypatch, caplog):
    path = tmp_path / "a.pdf"
    path.write_bytes(b"old")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with caplog.at_level(logging.WARNING, "jixiao.files"):
        with pytest.raises(FileWriteError) as e:
            write_atomic(path, b"new" * 1000)
    assert str(e.value) == "无法写入 a.pdf：磁盘空间不足"
    assert "No space left on device" in caplog.text
    assert path.read_bytes() == b"old" and names(tmp_path) == ["a.pdf"]


def test_target_is_a_folder(tmp_path):
    (tmp_path / "报告.pdf").mkdir()
    with pytest.raises(FileWriteError) as e:
        write_atomic(tmp_path / "报告.pdf", b"x")
    assert str(e.value) == "无法写入 报告.pdf：这是一个文件夹，不是文件"
    assert names(tmp_path) == ["报告.pdf"]


def test_file_open_in_excel_on_windows(tmp_path, monkeypatch):
    """Windows refuses to replace a file another program has open: winerror 32 (sharing violation)."""
    path = tmp_path / "评分表.xlsx"
    path.write_bytes(b"old")

    def shared(src, dst):
        e = PermissionError(
            13, "The process cannot access the file because it is being used by another process"
        )
        e.winerror = 32
        raise e

    monkeypatch.setattr(os, "replace", shared)
    with pytest.raises(FileWriteError) as e:
        write_atomic(path, b"new")
    assert (
        str(e.value)
        == "无法写入 评分表.xlsx：文件被其他程序占用（例如正在 Excel 或 WPS 中打开），请关闭后再试"
    )
    assert path.read_bytes() == b"old" and names(tmp_path) == ["评分表.xlsx"]


@pytest.mark.parametrize(
    "code,message",
    [
        (errno.EROFS, "无法在文件夹 {} 中写入文件：磁盘或文件夹是只读的"),
        (errno.EACCES, "没有权限在文件夹 {} 中写入文件"),
        (errno.ENOENT, "文件夹不存在：{}"),
        (errno.EIO, "无法在文件夹 {} 中写入文件：读写磁盘时出错（磁盘或网络连接可能有问题）"),
        (1234, "无法在文件夹 {} 中写入文件：系统错误（代码 1234）"),
    ],
)
def test_folder_errors(tmp_path, monkeypatch, code, message):
    real_open = os.open

    def refuse(path, flags, mode=0o777, **kw):
        if str(path).endswith(".tmp"):
            raise OSError(code, os.strerror(code))
        return real_open(path, flags, mode, **kw)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(FileWriteError) as e:
        write_atomic(tmp_path / "a.json", b"x")
    assert str(e.value) == message.format(tmp_path)


def test_missing_folder(tmp_path):
    with pytest.raises(FileWriteError) as e:
        write_atomic(tmp_path / "没有" / "a.json", b"x")
    assert str(e.value) == f"文件夹不存在：{tmp_path / '没有'}"


def temp(folder, host=files.HOST, pid=DEAD_PID, age=0.0) -> str:
    name = f"~jx-{host}-{pid}-{os.urandom(3).hex()}.tmp"
    (folder / name).write_bytes(b"half a file")
    if age:
        t = time.time() - age
        os.utime(folder / name, (t, t))
    return name


def test_sweep_removes_only_stale_temp_files(tmp_path):
    other = "ffff" if files.HOST != "ffff" else "0000"
    dead = temp(tmp_path)  # this computer, process gone
    mine = temp(tmp_path, pid=os.getpid())  # this process, not writing it now
    running = temp(tmp_path, pid=os.getppid())  # a live process: a save in progress
    elsewhere = temp(tmp_path, host=other, pid=os.getppid())  # another computer sharing the folder
    old_elsewhere = temp(tmp_path, host=other, age=files.STALE_SECONDS + 60)
    old_running = temp(tmp_path, pid=os.getppid(), age=files.STALE_SECONDS + 60)  # a reused pid
    foreign = ["~jx-a.tmp", "x.tmp", ".d.json.abcd1234.tmp", "~jx-zzzz-1-abcdef.tmp", "d.json"]
    for name in foreign:
        (tmp_path / name).write_text("keep")
    assert sorted(sweep(tmp_path)) == sorted([dead, mine, old_elsewhere, old_running])
    assert names(tmp_path) == sorted(foreign + [running, elsewhere])


def test_each_save_sweeps_its_folder(tmp_path):
    stale = temp(tmp_path)
    write_atomic(tmp_path / "a.json", b"x")
    assert names(tmp_path) == ["a.json"]
    assert stale


def test_sweep_of_a_missing_folder_is_quiet(tmp_path):
    assert sweep(tmp_path / "没有") == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs SIGKILL")
def test_killed_writer_leaves_a_temp_file_that_start_up_removes(tmp_path):
    """SIGKILL a process in the middle of a big write; a fresh process's sweep (start-up) removes its temp file."""
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]); from core.files import write_atomic\n"
            "data = b'x' * 20_000_000\n"
            "while True: write_atomic(sys.argv[2], data)",
            str(ROOT),
            str(tmp_path / "big.json"),
        ]
    )
    try:
        deadline = time.time() + 30
        while not any(files.TEMP.fullmatch(n) for n in names(tmp_path)) and time.time() < deadline:
            time.sleep(0.005)
        writer.kill()
        writer.wait()
    finally:
        writer.kill()
    assert any(files.TEMP.fullmatch(n) for n in names(tmp_path)), "the writer was never caught mid-write"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]); from core.files import sweep; sweep(sys.argv[2])",
            str(ROOT),
            str(tmp_path),
        ],
        check=True,
    )
    assert names(tmp_path) in ([], ["big.json"])


def test_process_alive_here_and_with_a_fake_windows_kernel():
    assert files.process_alive(os.getpid())
    assert not files.process_alive(DEAD_PID)
    assert not files.process_alive(0)

    class Kernel:
        def __init__(self, handle, wait):
            self.handle, self.wait, self.closed = handle, wait, False

        def OpenProcess(self, access, inherit, pid):  # noqa: N802 (Win32 name)
            assert access == files.SYNCHRONIZE
            return self.handle

        def WaitForSingleObject(self, handle, ms):  # noqa: N802
            return self.wait

        def CloseHandle(self, handle):  # noqa: N802
            self.closed = True

    running = Kernel(7, files.WAIT_TIMEOUT)
    assert files.process_alive(5, platform="win32", kernel32=running) and running.closed
    assert not files.process_alive(5, platform="win32", kernel32=Kernel(7, 0))
    assert not files.process_alive(5, platform="win32", kernel32=Kernel(0, 0))


def test_listing_recent_drafts_at_start_up_sweeps_their_folders(tmp_path):
    from core.recent import summarize

    shutil.copy(EXAMPLE, tmp_path / "d.json")
    stale = temp(tmp_path)
    running = temp(tmp_path, pid=os.getppid())
    assert summarize(tmp_path / "d.json").grade == "优"
    assert names(tmp_path) == sorted(["d.json", running]) and stale


def test_start_up_sweeps_the_recovery_folder(tmp_path, monkeypatch):
    from core import recovery

    monkeypatch.setenv("JIXIAO_DATA_DIR", str(tmp_path))
    recovery.folder().mkdir(parents=True)
    temp(recovery.folder())
    assert recovery.copies() == [] and names(recovery.folder()) == []


def test_reading_errors_in_chinese_with_the_english_in_the_log(tmp_path, monkeypatch, caplog):
    from core import drafts

    path = tmp_path / "d.json"
    shutil.copy(EXAMPLE, path)

    def broken(self, *a, **k):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(type(path), "read_bytes", broken)
    with caplog.at_level(logging.WARNING, "jixiao.files"):
        with pytest.raises(drafts.DraftError) as e:
            drafts.load(path)
    assert str(e.value) == f"无法读取文件 {path}：读写磁盘时出错（磁盘或网络连接可能有问题）"
    assert "Input/output error" in caplog.text
    denied = PermissionError(errno.EACCES, "Permission denied")
    assert files.reason(denied, reading=True) == "没有读取权限，或文件正被其他程序独占"
    assert files.reason(denied) == "文件可能正被其他程序打开，或没有写入权限"
    assert files.reason(FileNotFoundError(errno.ENOENT, "No such file"), reading=True).startswith(
        "文件不存在"
    )
