"""Draft files (草稿): versioned, human-readable JSON that embeds the framework it was filled against.

Format: docs/draft-format.md. Saving is atomic (temp file in the same folder, flush, fsync, replace) and keeps
the previous version as FILE.bak. Loading refuses damaged, foreign and newer files with a Chinese message and
never writes. Older versions are upgraded in memory through a chain of one-step migrations.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from core import JixiaoError, __version__
from core.document import ENTRY_FIELDS, Evaluation, empty_entry
from core.framework import Framework
from core.rules import FrameworkError

FORMAT = "jixiao-draft"
VERSION = 1
MAX_BYTES = 50 * 1024 * 1024
SUFFIX = ".json"

# MIGRATIONS[n] turns a version-n document (a dict) into version n+1. Add one per format change, and a
# sample file tests/drafts/vN.json for the old version; never edit an old step.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {}

_UMASK = os.umask(0o022)
os.umask(_UMASK)


class DraftError(JixiaoError):
    """A draft file cannot be read or written; the message says why, in Chinese."""


def to_dict(doc: Evaluation) -> dict:
    indicators = {}
    for leaf in doc.framework.leaves:  # framework order, empty entries left out
        e = doc.indicators.get(leaf.id)
        if e and (any(e["inputs"].values()) or any(e[k] for k in ENTRY_FIELDS)):
            indicators[leaf.id] = {"inputs": dict(e["inputs"]), **{k: e[k] for k in ENTRY_FIELDS}}
    for key, e in doc.indicators.items():  # entries the framework does not know are kept, not dropped
        if key not in doc.framework.by_id:
            indicators[key] = e
    return {
        "format": FORMAT,
        "version": VERSION,
        "app_version": __version__,
        "saved_at": datetime.now().isoformat(timespec="seconds"),
        "facts": dict(doc.facts),
        "figures": dict(doc.figures),
        "targets": [dict(r) for r in doc.targets],
        "indicators": indicators,
        "narrative": dict(doc.narrative),
        "framework": doc.framework.source,
    }


def dumps(doc: Evaluation) -> str:
    return json.dumps(to_dict(doc), ensure_ascii=False, indent=1) + "\n"


def _strings(value: object, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise DraftError(f"草稿文件内容有误：“{where}”应为对象")
    out = {}
    for k, v in value.items():
        if isinstance(v, bool) or not isinstance(v, (str, int)):
            raise DraftError(f"草稿文件内容有误：“{where}.{k}”应为文字")
        out[str(k)] = str(v)
    return out


def from_dict(data: object) -> Evaluation:
    """Build a document from a parsed draft (any known version). Raises DraftError in Chinese."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DraftError('这不是绩效自评草稿文件（缺少格式标记 "format": "jixiao-draft"）')
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DraftError("草稿文件的格式版本号无效")
    if version > VERSION:
        raise DraftError(
            f"此草稿由较新版本的程序保存（格式版本 {version}），本程序只能打开版本 {VERSION} 及以前的草稿，请升级程序"
        )
    while version < VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data["version"] = version
    try:
        framework = Framework.from_dict(data.get("framework"))
    except FrameworkError as e:
        raise DraftError(f"草稿中的指标框架有误：{e}") from None
    doc = Evaluation(framework)
    doc.facts = _strings(data.get("facts", {}), "facts")
    doc.figures = _strings(data.get("figures", {}), "figures")
    doc.narrative = _strings(data.get("narrative", {}), "narrative")
    targets = data.get("targets", [])
    if not isinstance(targets, list):
        raise DraftError("草稿文件内容有误：“targets”（表1）应为列表")
    doc.targets = [_strings(r, f"targets[{i}]") for i, r in enumerate(targets)]
    indicators = data.get("indicators", {})
    if not isinstance(indicators, dict):
        raise DraftError("草稿文件内容有误：“indicators”应为对象")
    for key, raw in indicators.items():
        if not isinstance(raw, dict):
            raise DraftError(f"草稿文件内容有误：“indicators.{key}”应为对象")
        e = empty_entry()
        e["inputs"] = _strings(raw.get("inputs", {}), f"indicators.{key}.inputs")
        e.update(_strings({k: raw.get(k, "") for k in ENTRY_FIELDS}, f"indicators.{key}"))
        doc.indicators[key] = e
    return doc


def loads(text: str) -> Evaluation:
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        raise DraftError(
            f"草稿文件已损坏：第 {e.lineno} 行第 {e.colno} 列不是有效的 JSON（{e.msg}）"
        ) from None
    except (ValueError, RecursionError):
        raise DraftError("草稿文件已损坏：含有无效的数值或嵌套过深") from None
    return from_dict(data)


def _no_constant(name: str) -> object:
    raise ValueError(name)


def load(path: str | Path) -> Evaluation:
    """Read a draft. Never writes anything."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DraftError(f"文件 {path.name} 太大（超过 50 MB），不像绩效自评草稿")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DraftError(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise DraftError(f"{path} 是文件夹，不是草稿文件") from None
    except PermissionError:
        raise DraftError(f"没有权限读取文件：{path}") from None
    except OSError as e:
        raise DraftError(f"无法读取文件 {path}：{e.strerror or e}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if e.start >= len(raw) - 3:  # cut inside the last character: a truncated file
            raise DraftError(
                f"无法打开 {path.name}：草稿文件已损坏，内容不完整（可能在写入时被中断）"
            ) from None
        raise DraftError(f"文件 {path.name} 不是 UTF-8 文本，不是绩效自评草稿（可能已损坏）") from None
    try:
        return loads(text)
    except DraftError as e:
        raise DraftError(f"无法打开 {path.name}：{e}") from None


def write_atomic(path: str | Path, data: bytes, backup: bool = True) -> None:
    """Write to a temp file in the target folder, flush, fsync, then replace. Keeps FILE.bak if asked.

    On any failure the target is untouched, no temp file is left, and DraftError says why in Chinese.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except FileNotFoundError:
        raise DraftError(f"文件夹不存在：{folder}") from None
    except PermissionError:
        raise DraftError(f"没有权限在文件夹 {folder} 中写入文件") from None
    except OSError as e:
        raise DraftError(f"无法在文件夹 {folder} 中写入文件：{e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            if os.name != "nt":  # mkstemp makes 0600; keep the file's mode, or what a new file would get
                os.fchmod(f.fileno(), path.stat().st_mode & 0o777 if path.is_file() else 0o666 & ~_UMASK)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if backup and path.is_file():
            _backup(path, folder)
        os.replace(tmp, path)
    except PermissionError:
        _remove(tmp)
        raise DraftError(f"无法写入 {path.name}：文件可能正被其他程序打开，或没有写入权限") from None
    except OSError as e:
        _remove(tmp)
        raise DraftError(f"无法写入 {path.name}：{e.strerror or e}") from None
    except BaseException:
        _remove(tmp)
        raise
    _fsync_dir(folder)
    _sweep(folder, path.name)


STALE_SECONDS = 600


def _sweep(folder: Path, name: str) -> None:
    """Remove temp files of this target left by a save that was killed (power cut, crash) long ago.

    Only names this module makes (".NAME.xxxxxxxx.tmp", ".NAME.bak.xxxxxxxx.tmp") older than ten minutes, so a
    save in progress elsewhere is never touched.
    """
    pattern = re.compile(re.escape(f".{name}.") + r"(bak\.)?[a-z0-9_]{8}\.tmp")
    now = time.time()
    try:
        with os.scandir(folder) as entries:
            for e in entries:
                if pattern.fullmatch(e.name) and now - e.stat().st_mtime > STALE_SECONDS:
                    _remove(e.path)
    except OSError:
        pass


def _backup(path: Path, folder: Path) -> None:
    """Copy FILE to FILE.bak through a temp file, so a crash mid-copy never leaves a half .bak."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.bak.", suffix=".tmp", dir=folder)
        os.close(fd)
        shutil.copyfile(path, tmp)
        os.replace(tmp, path.with_name(path.name + ".bak"))
    except OSError:
        if tmp:
            _remove(tmp)  # a missing backup must not stop the save itself


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


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


def save(doc: Evaluation, path: str | Path) -> None:
    write_atomic(path, dumps(doc).encode("utf-8"))
