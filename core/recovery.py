"""Recovery copies (恢复副本): what the autosave timer writes, so a crash loses at most a minute of work.

Copies go to data_dir()/recovery/, never over the user's own file. Each copy is a normal draft (core.drafts)
with one extra key, "recovery_of": the path of the file it belongs to ("" for a document never saved).
The window offers them at the next start and removes them after a real save or an explicit discard.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core import files
from core.document import Evaluation
from core.drafts import DraftError, from_dict, to_dict
from core.files import FileWriteError, process_alive, said, write_atomic
from core.paths import data_dir
from core.text import encodable

SUFFIX = ".recovery.json"


@dataclass(frozen=True)
class RecoveryCopy:
    path: Path  # the copy itself
    original: str  # the user's file it belongs to, "" if never saved
    saved_at: str
    pid: int = 0  # the process that wrote it
    edited_at: str = ""  # when the document was last edited (the copy is written up to a minute later)

    @property
    def name(self) -> str:
        return Path(self.original).name if self.original else "未命名文档"


def folder() -> Path:
    return data_dir() / "recovery"


def copy_path(original: str | Path | None, session: str | None = None) -> Path:
    """Where the copy of a document goes: one per user file (by its full path), or one per new document."""
    if original:
        original = Path(original).resolve()
        digest = f"{zlib.crc32(str(original).encode('utf-8')):08x}"  # tells same-named files apart
        return folder() / f"{original.stem}-{digest}{SUFFIX}"
    return folder() / f"untitled-{session or os.urandom(5).hex()}{SUFFIX}"


def write(doc: Evaluation, target: Path, original: str | Path | None, edited_at: str = "") -> None:
    """Write a recovery copy atomically (raises DraftError in Chinese). `edited_at`: when the document was last
    edited (ISO time), for the question after a crash."""
    data = to_dict(doc)
    data["recovery_of"] = str(Path(original).resolve()) if original else ""
    data["recovery_pid"] = os.getpid()
    data["recovery_edited_at"] = edited_at or data.get("saved_at", "")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DraftError(said(e, f"无法创建恢复文件夹 {target.parent}")) from None
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    try:
        write_atomic(target, encodable(text).encode("utf-8"))
    except FileWriteError as e:
        raise DraftError(str(e)) from None


def copies(alive: Callable[[int], bool] | None = None) -> list[RecoveryCopy]:
    """Recovery copies left behind, newest first. Unreadable files are listed too (so they can be removed).

    A copy whose writer is still running belongs to another open window of the program, not to a crash:
    it is left out (`alive(pid)`, by default a check of the running processes). Stale temp files of killed
    autosaves are removed from the folder first (core.files.sweep): this runs when the window starts."""
    alive = alive or process_alive
    files.sweep(folder())  # temp files of autosaves killed mid-write
    out = []
    for p in folder().glob(f"*{SUFFIX}"):
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
            original, saved = str(data.get("recovery_of", "")), str(data.get("saved_at", ""))
            edited = str(data.get("recovery_edited_at", "")) or saved
            pid = data.get("recovery_pid", 0)
            pid = pid if isinstance(pid, int) and not isinstance(pid, bool) else 0
        except (OSError, ValueError, AttributeError):
            original, saved, edited, pid = "", "", "", 0
        if pid and pid != os.getpid() and alive(pid):
            continue
        out.append(RecoveryCopy(p, original, saved, pid, edited))
    return sorted(out, key=lambda c: c.path.stat().st_mtime if c.path.exists() else 0, reverse=True)


def load(copy: RecoveryCopy) -> Evaluation:
    try:
        data = json.loads(copy.path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise DraftError(f"恢复副本 {copy.path.name} 已损坏，无法恢复") from None
    return from_dict(data)


def remove(path: Path | None) -> None:
    if path is None:
        return
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        pass  # a copy that cannot be removed now is offered again next time; never an error for the user
