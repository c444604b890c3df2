"""Draft files (草稿): versioned, human-readable JSON that embeds the framework it was filled against.

Format: docs/draft-format.md. Saving is atomic (core.files: temp file in the same folder, flush, fsync, replace)
and keeps the previous version as FILE.bak. Loading refuses damaged, foreign and newer files with a Chinese message and
never writes. Older versions are upgraded in memory through a chain of one-step migrations.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from core import JixiaoError, __version__
from core.document import (
    ENTRY_FIELDS,
    ENTRY_LABELS,
    FACTS,
    TARGET_COLUMNS,
    Evaluation,
    TextTooLong,
    empty_entry,
)
from core.files import FileWriteError, said, write_atomic
from core.framework import ROW_FIELDS, ROW_LABELS, Framework
from core.rules import FrameworkError
from core.text import encodable, encodable_tree, json_problem

FORMAT = "jixiao-draft"
VERSION = 2
MAX_BYTES = 50 * 1024 * 1024


def _v1_to_v2(data: dict) -> dict:
    """Version 2 adds the clerk's rows (`rows`) and 不适用 marks, and the evaluated year belongs to the
    evaluation: a version 1 draft without a year of its own gets its framework's year. (The framework embedded
    in it is upgraded by core.framework.migrate_v1 when it is read.)"""
    data = dict(data)
    facts = data.get("facts")
    fw = data.get("framework")
    if isinstance(facts, dict) and not str(facts.get("year", "")).strip() and isinstance(fw, dict):
        year = fw.get("year")
        if isinstance(year, int) and not isinstance(year, bool):
            data["facts"] = {**facts, "year": str(year)}
    return data


# MIGRATIONS[n] turns a version-n document (a dict) into version n+1. Add one per format change, and a
# sample file tests/drafts/vN.json for the old version; never edit an old step.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _v1_to_v2}


class DraftError(JixiaoError):
    """A draft file cannot be read or written; the message says why, in Chinese."""


def to_dict(doc: Evaluation) -> dict:
    indicators = {}
    tree = doc.tree
    for leaf in tree.leaves:  # tree order, empty entries left out
        e = doc.indicators.get(leaf.id)
        if e and (any(e["inputs"].values()) or any(e.get(k) for k in ENTRY_FIELDS)):
            indicators[leaf.id] = {"inputs": dict(e["inputs"]), **{k: e.get(k, "") for k in ENTRY_FIELDS}}
    for key, e in doc.indicators.items():  # entries the framework does not know are kept, not dropped
        if key not in tree.by_id:
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
        **(
            {"rows": {k: [dict(r) for r in rows] for k, rows in doc.rows.items() if rows}}
            if any(doc.rows.values())
            else {}
        ),
        **{k: v for k, v in _last_year_parts(doc).items() if v},
        "framework": doc.framework.source,
    }


def _last_year_parts(doc: Evaluation) -> dict:
    """What a draft carried from last year (core.carry); left out of the file when there is none."""
    return {"previous": dict(doc.previous), "carried": dict(doc.carried), "last_year": doc.last_year}


def dumps(doc: Evaluation) -> str:
    return json.dumps(to_dict(doc), ensure_ascii=False, indent=1) + "\n"


def _strings(value: object, where: str, names: dict | None = None) -> dict[str, str]:
    """A dict of texts (numbers become text); DraftError naming the place (`names`: key → what the user sees)."""
    if not isinstance(value, dict):
        raise DraftError(f"草稿文件内容有误：{where}的格式不对")
    out = {}
    for k, v in value.items():
        if isinstance(v, bool) or not isinstance(v, (str, int)):
            raise DraftError(f"草稿文件内容有误：{where}“{(names or {}).get(k, k)}”应为文字")
        out[str(k)] = str(v)
    return out


LAST_YEAR_TEXTS = ("year", "framework", "total", "grade")
LAST_YEAR_NODE = ("id", "name", "weight", "score")


def _last_year(raw: object) -> dict:
    """Last year's results (see core.carry.summary): texts, and the indicators as a list, checked field by field."""
    if raw == {}:
        return {}
    where = "上年评分结果"
    if not isinstance(raw, dict):
        raise DraftError(f"草稿文件内容有误：{where}的格式不对")
    out: dict = _strings({k: raw.get(k, "") for k in LAST_YEAR_TEXTS}, where)
    nodes = raw.get("nodes", [])
    if not isinstance(nodes, list):
        raise DraftError(f"草稿文件内容有误：{where}中指标列表的格式不对")
    out["nodes"] = []
    for i, n in enumerate(nodes, 1):
        if not isinstance(n, dict):
            raise DraftError(f"草稿文件内容有误：{where}第 {i} 项的格式不对")
        node: dict = _strings({k: n.get(k, "") for k in LAST_YEAR_NODE}, f"{where}第 {i} 项")
        level = n.get("level")
        if level not in (1, 2, 3) or isinstance(level, bool):
            raise DraftError(f"草稿文件内容有误：{where}第 {i} 项的级次应为 1、2 或 3")
        node["level"] = level
        out["nodes"].append(node)
    return out


def from_dict(data: object) -> Evaluation:
    """Build a document from a parsed draft (any known version). Raises DraftError in Chinese."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DraftError("这不是绩效自评草稿文件（文件中没有草稿的格式标记）")
    data = encodable_tree(data)
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
    doc.facts = _strings(data.get("facts", {}), "基本信息", dict(FACTS))
    doc.figures = _strings(
        data.get("figures", {}), "数据", {k: f.label for k, f in framework.figures.items()}
    )
    doc.narrative = _strings(
        data.get("narrative", {}), "报告正文", {s.key: s.title for s in framework.sections}
    )
    doc.previous = _strings(
        data.get("previous", {}), "上年数据", {k: f.label for k, f in framework.figures.items()}
    )
    doc.carried = _strings(
        data.get("carried", {}), "上年报告正文", {s.key: s.title or "开篇" for s in framework.sections}
    )
    doc.last_year = _last_year(data.get("last_year", {}))
    doc.rows = _rows(data.get("rows", {}), framework)
    targets = data.get("targets", [])
    if not isinstance(targets, list):
        raise DraftError("草稿文件内容有误：表1 绩效目标表的格式不对")
    doc.targets = [_strings(r, f"表1 第 {i + 1} 行", dict(TARGET_COLUMNS)) for i, r in enumerate(targets)]
    indicators = data.get("indicators", {})
    if not isinstance(indicators, dict):
        raise DraftError("草稿文件内容有误：指标评分的格式不对")
    names = {ind.id: ind.name for ind in doc.tree.nodes()}
    for key, raw in indicators.items():
        where = f"指标“{names.get(key) or key}”"
        if not isinstance(raw, dict):
            raise DraftError(f"草稿文件内容有误：{where}的格式不对")
        e = empty_entry()
        e["inputs"] = _strings(raw.get("inputs", {}), f"{where}的填报数据")
        e.update(_strings({k: raw.get(k, "") for k in ENTRY_FIELDS}, f"{where}的", ENTRY_LABELS))
        doc.indicators[key] = e
    for path, value in doc.texts():
        try:
            doc.allowed(path, value)
        except TextTooLong as e:
            raise DraftError(f"草稿中{e}") from None
    return doc


def _rows(raw: object, framework: Framework) -> dict[str, list[dict[str, str]]]:
    """The clerk's rows: node id → rows, each with a unique id "NODE.rN" and its typed fields."""
    if not isinstance(raw, dict):
        raise DraftError("草稿文件内容有误：自定义指标（rows）的格式不对")
    nodes = {n.id: n for n in framework.row_nodes}
    out: dict[str, list[dict[str, str]]] = {}
    seen: set[str] = set()
    for node_id, rows in raw.items():
        node = nodes.get(node_id)
        if node is None:
            raise DraftError(f"草稿文件内容有误：指标框架中没有可添加指标的“{node_id}”")
        where = f"指标“{node.name}”的自定义指标"
        if not isinstance(rows, list) or len(rows) > node.rows.max_rows:
            raise DraftError(f"草稿文件内容有误：{where}应为不超过 {node.rows.max_rows} 行的列表")
        out[node_id] = []
        for i, r in enumerate(rows, 1):
            row = _strings(r, f"{where}第 {i} 行", ROW_LABELS)
            rid = row.get("id", "")
            if not re.fullmatch(re.escape(node_id) + r"\.r\d{1,6}", rid) or rid in seen:
                raise DraftError(f"草稿文件内容有误：{where}第 {i} 行的编号“{rid}”无效或重复")
            seen.add(rid)
            out[node_id].append({k: row.get(k, "") for k in ROW_FIELDS})
    return out


def loads(text: str) -> Evaluation:
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        raise DraftError(f"草稿文件已损坏：{json_problem(e)}") from None
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
        raise DraftError(said(e, f"无法读取文件 {path}", reading=True)) from None
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


def save(doc: Evaluation, path: str | Path) -> None:
    """Write the draft atomically, keeping the previous version as FILE.bak (core.files); DraftError in Chinese."""
    try:
        write_atomic(path, encodable(dumps(doc)).encode("utf-8"), backup=True)
    except FileWriteError as e:
        raise DraftError(str(e)) from None
