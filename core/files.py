"""Writing files (写文件): the one way every file the program writes is written — drafts, FILE.bak, recovery
copies, Excel, PDF, Word.

`write_atomic(path, data)` writes to a temp file in the target's folder, flushes and fsyncs it, gives it the
old file's mode (or what a new file gets under the umask), optionally copies the old file to FILE.bak (through
a temp file too, with the same mode), then renames the temp file over the target and fsyncs the folder. A
reader, a crash or a power cut sees the old file or the new one, never a mix. On any failure the target is
untouched, the temp file is removed, and `FileWriteError` says why in Chinese (the OS's English reason goes to
the log).

Temp files have short names of their own pattern, `~jx-HOST-PID-RANDOM.tmp` (at most 30 characters, so a
legal 250-byte target name never fails because its temp name would be longer). A save killed mid-way leaves
one behind; `sweep(folder)` removes the stale ones: those of this computer whose process is gone, and any
older than STALE_SECONDS (a save on another computer sharing the folder, or a reused process id). It runs
before and after each save in that folder, and at start-up on the recovery folder (core.recovery) and on the
folders of the recent drafts the start page lists (core.recent).
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import stat
import sys
import time
import zlib
from pathlib import Path

from core import JixiaoError

log = logging.getLogger("jixiao.files")

STALE_SECONDS = 3600
TEMP = re.compile(r"~jx-([0-9a-f]{4})-([0-9]{1,10})-[0-9a-f]{6}\.tmp")
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
_writing: set[str] = set()  # names of the temp files this process is writing right now (never swept)


class FileWriteError(JixiaoError):
    """A file cannot be written; the message says which and why, in Chinese."""


def _host() -> str:
    name = os.environ.get("COMPUTERNAME") or (os.uname().nodename if hasattr(os, "uname") else "")
    return f"{zlib.crc32(name.encode('utf-8', 'replace')) & 0xFFFF:04x}"


HOST = _host()


# errno → what it means for the user; Windows' own codes first (a file open in Excel is a sharing violation)
WINERRORS = {
    32: "文件被其他程序占用（例如正在 Excel 或 WPS 中打开），请关闭后再试",
    33: "文件被其他程序锁定（例如正在 Excel 或 WPS 中打开），请关闭后再试",
    5: "文件可能正被其他程序打开，或没有写入权限",
    19: "磁盘有写保护，无法写入",
    112: "磁盘空间不足",
    123: "文件名、文件夹名中有不允许的字符",
    206: "文件名或路径太长",
}
ERRNOS = {
    errno.ENOSPC: "磁盘空间不足",
    getattr(errno, "EDQUOT", -1): "磁盘空间配额已用完",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.EACCES: "文件可能正被其他程序打开，或没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EBUSY: "文件被其他程序占用，请关闭后再试",
    getattr(errno, "ETXTBSY", -1): "文件被其他程序占用，请关闭后再试",
    errno.ENOENT: "路径不存在（文件夹可能已被删除或移动）",
    errno.ENOTDIR: "路径中的某一部分不是文件夹",
    errno.EINVAL: "文件名中有不允许的字符",
    errno.EIO: "读写磁盘时出错（磁盘或网络连接可能有问题）",
    errno.EMFILE: "同时打开的文件太多",
    errno.ENFILE: "同时打开的文件太多",
    errno.EFBIG: "文件太大",
    errno.EEXIST: "已有同名文件",
}


READING = {  # the same errors met while reading a file
    errno.EACCES: "没有读取权限，或文件正被其他程序独占",
    errno.EPERM: "没有读取权限",
    errno.ENOENT: "文件不存在（可能已被移动或删除）",
}


def reason(e: OSError, reading: bool = False) -> str:
    """What an OS error means, in Chinese (the English original is logged by the caller, see `said`)."""
    winerror = getattr(e, "winerror", None)
    if reading and winerror == 5:  # access denied
        return READING[errno.EACCES]
    if reading and winerror not in WINERRORS and e.errno in READING:
        return READING[e.errno]
    if winerror in WINERRORS:
        return WINERRORS[winerror]
    return ERRNOS.get(e.errno, f"系统错误（代码 {e.errno}）" if e.errno else "系统错误")


def said(e: OSError, what: str, reading: bool = False) -> str:
    """ "WHAT：reason" in Chinese for the user; the OS's own words go to the log."""
    log.warning("%s: %s", what, e)
    return f"{what}：{reason(e, reading)}"


def _fail(e: OSError, message: str) -> FileWriteError:
    log.warning("%s: %s", message, e)
    return FileWriteError(message)


def write_atomic(path: str | Path, data: bytes, backup: bool = False) -> None:
    """Write `data` to `path` atomically (see the module's docstring); FileWriteError in Chinese on failure."""
    path = Path(path)
    folder = path.parent
    try:
        old = os.stat(path)
    except FileNotFoundError:
        old = None
    except OSError as e:  # a name too long, a path through a file
        raise _fail(e, f"无法写入 {path.name}：{reason(e)}") from None
    if old and stat.S_ISDIR(old.st_mode):
        raise FileWriteError(f"无法写入 {path.name}：{ERRNOS[errno.EISDIR]}")
    old = old if old and stat.S_ISREG(old.st_mode) else None  # a file to keep the mode of and to back up
    sweep(folder)
    tmp = str(folder / temp_name())
    try:
        fd = os.open(tmp, _FLAGS, 0o666)  # 0o666 under the umask: what a new file would get
    except OSError as e:
        raise _folder_error(e, folder) from None
    _writing.add(Path(tmp).name)
    try:
        try:
            with os.fdopen(fd, "wb") as f:
                if old and hasattr(os, "fchmod"):  # else 0o666 under the umask, what a new file gets
                    os.fchmod(f.fileno(), stat.S_IMODE(old.st_mode))
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            if backup and old:
                _backup(path, folder)
            os.replace(tmp, path)
        except OSError as e:
            _remove(tmp)
            raise _fail(e, f"无法写入 {path.name}：{reason(e)}") from None
        except BaseException:
            _remove(tmp)
            raise
    finally:
        _writing.discard(Path(tmp).name)
    _fsync_dir(folder)
    sweep(folder)


def _folder_error(e: OSError, folder: Path) -> FileWriteError:
    shown = folder if str(folder) != "." else Path.cwd()
    if isinstance(e, FileNotFoundError):
        return _fail(e, f"文件夹不存在：{shown}")
    if isinstance(e, PermissionError) and getattr(e, "winerror", None) not in (32, 33):
        return _fail(e, f"没有权限在文件夹 {shown} 中写入文件")
    return _fail(e, f"无法在文件夹 {shown} 中写入文件：{reason(e)}")


def temp_name() -> str:
    """A fresh temp name of the program's pattern: ~jx-HOST-PID-RANDOM.tmp (at most 30 characters)."""
    return f"~jx-{HOST}-{os.getpid()}-{os.urandom(3).hex()}.tmp"


def _backup(path: Path, folder: Path) -> None:
    """Copy FILE to FILE.bak through a temp file, so a crash mid-copy never leaves a half .bak.

    The copy keeps FILE's mode. A backup that cannot be made does not stop the save itself (logged)."""
    tmp = str(folder / temp_name())
    _writing.add(Path(tmp).name)
    try:
        shutil.copyfile(path, tmp)
        shutil.copymode(path, tmp)
        os.replace(tmp, path.with_name(path.name + ".bak"))
    except OSError as e:
        log.warning("no backup of %s: %s", path, e)
        _remove(tmp)
    finally:
        _writing.discard(Path(tmp).name)


def sweep(folder: str | Path, now: float | None = None) -> list[str]:
    """Remove stale temp files of this program's pattern from `folder`; returns the names removed.

    Stale: written on this computer by a process that is no longer running (or by this process, but not being
    written now), or older than STALE_SECONDS whoever wrote it. Never raises."""
    now = time.time() if now is None else now
    removed = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                m = TEMP.fullmatch(entry.name)
                if not m or entry.name in _writing:
                    continue
                try:
                    old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
                except OSError:
                    continue
                pid = int(m.group(2))
                gone = m.group(1) == HOST and (pid == os.getpid() or not process_alive(pid))
                if (old or gone) and entry.is_file(follow_symlinks=False) and _remove(entry.path):
                    removed.append(entry.name)
    except OSError:
        pass
    return removed


def _remove(path: str) -> bool:
    try:
        os.unlink(path)
        return True
    except OSError:
        return False


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


SYNCHRONIZE, WAIT_TIMEOUT = 0x00100000, 0x102


def process_alive(pid: int, platform: str | None = None, kernel32=None) -> bool:
    """Is process `pid` running? (False when unsure.)"""
    if pid <= 0:
        return False
    if (platform or sys.platform).startswith("win"):
        if kernel32 is None:
            import ctypes

            kernel32 = ctypes.WinDLL("kernel32")
        handle = kernel32.OpenProcess(SYNCHRONIZE, False, pid)
        if not handle:
            return False
        try:
            return kernel32.WaitForSingleObject(handle, 0) == WAIT_TIMEOUT  # not signalled: still running
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except (OSError, OverflowError):
        return False
    return True
