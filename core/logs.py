"""Logs (日志) and unexpected errors, for the program started by a user. Imports no Qt.

- `setup_logging()`: a log file in data_dir()/logs/jixiao.log, rotated when the program starts and finds it over
  1 MB (jixiao.log.1 … .3 keep the older ones). The folder and the file are created when the first record is
  written: a command that logs nothing writes nothing.
- `install_excepthook()`: an unexpected error (a bug, not a JixiaoError the user can act on) is logged with its
  traceback, and the user gets one Chinese message: on stderr, or in the dialog the GUI registers with
  `show_errors_with(fn)` (the dialog itself lives in gui/).
- `ensure_streams()`: a windowed build (jixiao.exe) starts with sys.stdout and sys.stderr set to None. Started from
  a console with a command (`jixiao.exe score 文件`), it writes to that console; otherwise output goes nowhere
  instead of crashing.
- `setup()`: all three, called once by main.py when the program starts.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from core.paths import data_dir

LOG_NAME = "jixiao.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
ATTACH_PARENT_PROCESS = 0xFFFFFFFF  # (DWORD)-1

log = logging.getLogger("jixiao")
_display: Callable[[str], None] | None = None
_log_path: Path | None = None


def log_dir() -> Path:
    return data_dir() / "logs"


def rotate(path: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
    """jixiao.log over max_bytes becomes jixiao.log.1 (… .2, .3; the oldest is dropped)."""
    if not path.is_file() or path.stat().st_size <= max_bytes:
        return
    for i in range(backups, 0, -1):
        older = path.with_name(f"{path.name}.{i - 1}") if i > 1 else path
        if older.exists():
            os.replace(older, path.with_name(f"{path.name}.{i}"))


class LazyRotatingFileHandler(logging.FileHandler):
    """Opens (and rotates) its file on the first record; a log that cannot be written never stops the program.

    Rotation happens once, when the file is opened: one run of the program never splits its log. (Not
    logging.handlers.RotatingFileHandler: that module imports socket and pickle, which slows every start.)
    """

    def __init__(self, path: Path):
        super().__init__(path, encoding="utf-8", delay=True)

    def _open(self):
        path = Path(self.baseFilename)
        path.parent.mkdir(parents=True, exist_ok=True)
        rotate(path)
        return super()._open()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            super().emit(record)
        except Exception:
            self.handleError(record)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        pass  # e.g. a read-only app-data folder: keep working without a log


def setup_logging(folder: Path | None = None, level: int = logging.INFO) -> Path:
    """Send log records to folder/jixiao.log (default data_dir()/logs); returns the log file's path."""
    global _log_path
    path = Path(folder or log_dir()) / LOG_NAME
    root = logging.getLogger()
    if not any(
        isinstance(h, LazyRotatingFileHandler) and Path(h.baseFilename) == path.absolute()
        for h in root.handlers
    ):
        handler = LazyRotatingFileHandler(path)
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    _log_path = path
    return path


def error_text(exc: BaseException, log_path: Path | None = None) -> str:
    """The Chinese message a user sees for an unexpected error."""
    detail = f"{type(exc).__name__}：{exc}" if str(exc) else type(exc).__name__
    where = f"详细情况已记入日志文件：{log_path}" if log_path else "详细情况未能记入日志。"
    return (
        f"程序出现意外错误（{detail}）。\n{where}\n"
        "请先保存正在填写的内容；如果问题反复出现，请把日志文件发给维护人员。"
    )


def show_errors_with(display: Callable[[str], None] | None) -> None:
    """The GUI registers its dialog here (called with the Chinese message); None goes back to stderr."""
    global _display
    _display = display


def report_error(exc_type: type[BaseException], exc: BaseException, tb) -> None:
    """Log an unexpected error with its traceback and tell the user (dialog if registered, else stderr)."""
    log.critical("意外错误", exc_info=(exc_type, exc, tb))
    text = error_text(exc, _log_path)
    try:
        if _display is not None:
            _display(text)
        elif sys.stderr is not None:
            print(text, file=sys.stderr)
    except Exception:
        log.exception("无法显示错误信息")


def install_excepthook() -> None:
    """Route uncaught exceptions (main thread, other threads, Qt slots) to report_error."""

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            return sys.__excepthook__(exc_type, exc, tb)
        report_error(exc_type, exc, tb)

    def thread_hook(args):
        if args.exc_type is not SystemExit:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook


def ensure_streams(
    attach_console: bool, platform: str | None = None, kernel32=None, opener: Callable = open
) -> None:
    """Give a windowed build usable sys.stdout/sys.stderr (they are None there). See the module docstring."""
    if sys.stdout is not None and sys.stderr is not None:
        return
    platform = platform or sys.platform
    if attach_console and platform.startswith("win"):
        if kernel32 is None:
            import ctypes

            kernel32 = ctypes.WinDLL("kernel32")
        if kernel32.AttachConsole(ATTACH_PARENT_PROCESS):
            # Opening CONOUT$ gives Python's console writer: Chinese shows whatever the code page.
            for name in ("stdout", "stderr"):
                if getattr(sys, name) is None:
                    setattr(sys, name, opener("CONOUT$", "w", encoding="utf-8"))
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, opener(os.devnull, "w", encoding="utf-8"))


def setup(argv: list[str]) -> Path:
    """Start-up of the program: streams, log file, exception hook. argv: the arguments after the program name."""
    # a command (score, --screenshot …) typed in a console answers there
    ensure_streams(attach_console=bool(argv))
    path = setup_logging()
    install_excepthook()
    return path
