"""The framework catalogue (指标框架目录): the frameworks shipped with the program and those a user added.

Shipped ones are in resources/frameworks/; a user's own go to the app-data folder (`user_folder()`), never into
the program's folder: `add(path)` checks a file (it must load as a framework) and copies it there, which is
what 文件 → 导入指标框架… does. Each entry says what a person choosing a framework needs: name, region, a
one-line description, the years it applies to, where it comes from. A file that cannot be read is listed with
the reason (so a broken user file is seen, not silently skipped). Pure; no Qt.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from core.files import said, write_atomic
from core.framework import Framework, load_framework
from core.paths import data_dir, frameworks
from core.rules import FrameworkError

MAX_BYTES = 5 * 1024 * 1024  # a framework file larger than this is refused (the shipped ones are < 60 KB)


@dataclass(frozen=True)
class Entry:
    """One framework of the catalogue. `framework` is None when the file cannot be read (`error` says why)."""

    id: str
    path: Path
    user: bool  # added by the user (app-data folder), not shipped
    framework: Framework | None = None
    error: str = ""

    @property
    def name(self) -> str:
        return self.framework.name if self.framework else self.path.name

    @property
    def region(self) -> str:
        return self.framework.region if self.framework else ""

    @property
    def description(self) -> str:
        return self.framework.description if self.framework else self.error

    @property
    def years(self) -> str:
        return self.framework.years_text() if self.framework else ""

    @property
    def label(self) -> str:
        """One line for a list: "福田区…（深圳市福田区，2020—2026 年）", "（自定义）" for a user's own."""
        if self.framework is None:
            return f"{self.path.name}（无法读取）"
        where = "，".join(x for x in (self.region, self.years) if x)
        return f"{self.name}（{where}）" + ("（自定义）" if self.user else "")


def user_folder() -> Path:
    """Where the frameworks a user added are kept (not created here)."""
    return data_dir() / "frameworks"


def _entry(path: Path, user: bool) -> Entry:
    try:
        fw = load_framework(path)
    except FrameworkError as e:
        return Entry(path.stem, path, user, error=str(e))
    return Entry(fw.id, path, user, fw)


DEFAULT = "futian"  # listed first: the framework of the example (and of the window's tests)


def catalogue() -> list[Entry]:
    """Every framework: the shipped ones (the default first, then by file name), then the user's own (by file
    name). A user's file with the id of a shipped framework is listed as unreadable: ids name frameworks in
    drafts and on the command line."""
    shipped = sorted((_entry(p, False) for p in frameworks()), key=lambda e: e.id != DEFAULT)
    ids = {e.id for e in shipped}
    folder = user_folder()
    own = []
    for p in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        e = _entry(p, True)
        if e.framework is not None and e.id in ids:
            e = Entry(e.id, p, True, error=f"编号“{e.id}”与已有的指标框架重复")
        ids.add(e.id)
        own.append(e)
    return shipped + own


def find(framework_id: str) -> Framework:
    """The framework with this id; FrameworkError in Chinese naming the ones there are."""
    entries = catalogue()
    for e in entries:
        if e.id == framework_id and e.framework is not None:
            return e.framework
    for e in entries:
        if e.id == framework_id:
            raise FrameworkError(f"指标框架“{framework_id}”无法读取：{e.error}")
    known = "、".join(e.id for e in entries if e.framework is not None)
    raise FrameworkError(f"没有编号为“{framework_id}”的指标框架，可用：{known}")


class AlreadyAdded(FrameworkError):
    """The user already added a framework with this id (add again with replace=True to replace it)."""


def add(path: str | Path, replace: bool = False) -> Entry:
    """Check a framework file and copy it into the user's folder as ID.json; the new entry.

    Refused (FrameworkError in Chinese): a file that is not a framework or has an error (the message names the
    indicator), an id of a shipped framework, and (unless `replace`) an id the user already added."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise FrameworkError(f"文件 {path.name} 太大（超过 5 MB），不像指标框架文件")
    except FileNotFoundError:
        raise FrameworkError(f"找不到指标框架文件：{path}") from None
    except OSError as e:
        raise FrameworkError(said(e, f"无法读取 {path.name}", reading=True)) from None
    fw = load_framework(path)
    for e in catalogue():
        if e.id != fw.id:
            continue
        if not e.user:
            raise FrameworkError(f"指标框架编号“{fw.id}”与程序自带的“{e.name}”相同，请在文件中改用另一个 id")
        if not replace and e.path.resolve() != path.resolve():
            raise AlreadyAdded(f"已导入过编号为“{fw.id}”的指标框架（{e.name}），如要替换请确认")
    target = user_folder() / f"{fw.id}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(fw.source, ensure_ascii=False, indent=1) + "\n"  # the checked content, version 2
    write_atomic(target, text.encode("utf-8"))
    return Entry(fw.id, target, True, load_framework(target))
