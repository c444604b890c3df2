"""Command line (命令行): score, and the verbs other modules add. Imports no Qt.

Exit codes: 0 success, 1 the command ran but found errors (check), 2 bad input or usage (one Chinese line
on stderr, no traceback). A reader that closes the pipe early (`score --json | head -1`) ends the command
quietly with 0.
"""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

from core import APP_NAME, JixiaoError, __version__
from core.checks import ERROR, SEVERITIES, SEVERITY_NOTES, check, counts_text, export_is_draft, has_errors
from core.drafts import load
from core.numbers import fmt, fmt_pct
from core.scoring import OPEN, PROBLEM, ScoreSheet, score

USAGE = f"""{APP_NAME} {__version__}
用法：
  main.py                          打开窗口
  main.py score 文件 [--json]       打印评分表（--json 输出 JSON）
  main.py check 文件                审核：列出错误、警告和提示（有错误时退出码为 1）
  main.py export 文件 [--xlsx 输出.xlsx] [--docx 输出.docx] [--pdf 输出.pdf]
                                   导出 Excel 评分表、Word 和（或）PDF 自评报告
  main.py export 文件 --all 文件夹   导出报送包：Excel、Word、PDF 三个文件，以“部门+年度+部门整体绩效自评报告”命名
  main.py import 草稿 [--targets 表.xlsx|csv] [--figures 表.xlsx|csv] [--sheet 工作表] [--replace|--append]
                                   从 Excel / CSV 导入绩效目标表（表1）或预算与执行数据
  main.py new --framework futian --year 2025 新草稿.json   新建一年的自评（指标框架的编号见下一行）
  main.py frameworks [--add 指标框架.json]   列出可用的指标框架；--add 导入自己的指标框架
  main.py new --from 上年草稿.json --year 2025 新草稿.json   从上年草稿开始新一年的自评
  main.py --version                显示版本"""


class UsageError(JixiaoError):
    pass


def width(text: str) -> int:
    """Display width in a terminal: wide (CJK) characters count double."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, cells: int, right: bool = False) -> str:
    space = " " * max(0, cells - width(text))
    return space + text if right else text + space


LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级"}


def sheet_json(sheet: ScoreSheet) -> dict:
    def num(d):
        return None if d is None else int(d) if d == d.to_integral_value() else float(d)

    return {
        "total": float(sheet.total),
        "grade": sheet.grade,
        "complete": sheet.complete,
        "open": sheet.open_count,
        "indicators": [
            {
                "id": n.id,
                "name": n.name,
                "level": n.level,
                "weight": num(n.weight),
                "score": num(n.score),
                "score_rate": num(n.score_rate),
            }
            for n in sheet.all_nodes()
        ],
    }


def sheet_text(title: str, sheet: ScoreSheet) -> str:
    rows = [("级次", "指标", "分值", "得分", "得分率", "")]
    for n in sheet.all_nodes():
        note = ""
        if n.indicator.is_leaf:
            if n.status == PROBLEM:
                note = "有问题：" + "；".join(n.problems)
            elif n.status == OPEN:
                note = "未填：" + "、".join(n.missing)
            elif n.lost:
                note = f"扣 {fmt(n.lost)} 分"
        rows.append(
            (
                LEVEL_NAMES.get(n.level, ""),
                "  " * (n.level - 1) + n.name,
                fmt(n.weight),
                fmt(n.score, "—"),
                fmt_pct(n.score_rate, "—"),
                note,
            )
        )
    rows.append(("", "合计", fmt(sum(n.weight for n in sheet.nodes)), fmt(sheet.total), "", ""))
    widths = [max(width(r[i]) for r in rows) for i in range(5)]
    lines = [title, ""]
    for r in rows:
        cells = [pad(r[0], widths[0]), pad(r[1], widths[1])]
        cells += [pad(r[i], widths[i], right=True) for i in (2, 3, 4)]
        lines.append("  ".join(cells + [r[5]]).rstrip())
    lines.append("")
    state = "已全部填写" if sheet.complete else f"还有 {sheet.open_count} 项指标未填，等级为暂定"
    lines.append(f"总分 {fmt(sheet.total)}，等级 {sheet.grade}（{state}）")
    if sheet.problem_count:
        lines.append(f"有 {sheet.problem_count} 项指标存在问题，见上表“有问题”")
    return "\n".join(lines)


def cmd_score(args: list[str]) -> int:
    as_json = "--json" in args
    files = [a for a in args if a != "--json"]
    if len(files) != 1 or any(a.startswith("--") for a in files):
        raise UsageError("用法：main.py score 文件 [--json]")
    doc = load(files[0])
    sheet = score(doc)
    if as_json:
        print(json.dumps(sheet_json(sheet), ensure_ascii=False, indent=1))
    else:
        print(sheet_text(f"{doc.facts.get('department', '')} {doc.title}".strip(), sheet))
    return 0


def options(args: list[str], flags: tuple[str, ...], usage: str) -> tuple[list[str], dict[str, str]]:
    """Split "FILE --flag VALUE …" into positional arguments and flag values; UsageError when malformed."""
    positional, values = [], {}
    it = iter(args)
    for a in it:
        if a in flags:
            value = next(it, None)
            if value is None or value.startswith("--"):
                raise UsageError(f"{a} 后面应写输出文件名。{usage}")
            if a in values:
                raise UsageError(f"选项 {a} 写了两次。{usage}")
            values[a] = value
        elif a.startswith("--"):
            raise UsageError(f"不认识的选项“{a}”。{usage}")
        else:
            positional.append(a)
    return positional, values


OUTPUT_SUFFIXES = {
    "--xlsx": ".xlsx",
    "--pdf": ".pdf",
    "--docx": ".docx",
}  # option → the suffix its file must have


def same_file(a: str | Path, b: str | Path) -> bool:
    """Do two names reach the same file? Resolved paths (links followed), case-insensitively on Windows; two
    existing files also by identity (hard links, a case-insensitive disk elsewhere)."""

    def norm(p) -> str:
        return os.path.normcase(os.path.realpath(os.path.abspath(p)))

    if norm(a) == norm(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return False


def check_outputs(source: str, outputs: dict[str, str]) -> None:
    """Refuse (UsageError) an output that is the draft itself, that another output of the same command also
    writes, or whose suffix does not match its format: nothing is overwritten by mistake."""
    for i, (flag, name) in enumerate(outputs.items()):
        if same_file(name, source):
            raise UsageError(f"输出文件“{name}”就是要导出的草稿本身，导出会覆盖草稿；请换一个输出文件名")
        suffix = OUTPUT_SUFFIXES[flag]
        if Path(name).suffix.lower() != suffix:
            raise UsageError(f"{flag} 的输出文件名应以 {suffix} 结尾（现在是“{name}”）")
        for other, other_name in list(outputs.items())[:i]:
            if same_file(name, other_name):
                raise UsageError(f"{other} 和 {flag} 写到同一个文件“{name}”；请给每种格式各写一个文件名")


def cmd_export(args: list[str]) -> int:
    usage = "用法：main.py export 文件 [--xlsx 输出.xlsx] [--docx 输出.docx] [--pdf 输出.pdf] 或 main.py export 文件 --all 文件夹"
    files, out = options(args, ("--xlsx", "--docx", "--pdf", "--all"), usage)
    if "--all" in out and len(out) > 1:
        raise UsageError(f"--all 导出全部三种格式，不能再与 --xlsx、--docx、--pdf 同用。{usage}")
    if len(files) != 1 or not out:
        raise UsageError(usage)
    check_outputs(files[0], {k: v for k, v in out.items() if k != "--all"})
    doc = load(files[0])
    sheet = score(doc)
    findings = check(doc, sheet)
    draft = export_is_draft(sheet, findings)
    if draft:
        errors = [f for f in findings if f.severity == ERROR]
        why = "、".join(
            x
            for x in (
                f"还有 {sheet.open_count} 项指标未评分" if sheet.open_count else "",
                f"审核发现 {len(errors)} 项错误" if errors else "",
            )
            if x
        )
        print(f"注意：{why}，导出的文件标为“草稿”；改正后重新导出即为正式版本：")
        if sheet.open_count:
            from core.report import unscored

            names = unscored(sheet)
            print(f"  未评分：{'；'.join(names[:5])}" + (f" 等 {len(names)} 项" if len(names) > 5 else ""))
        for f in errors[:3]:
            print(f"  {f.message}")
        if len(errors) > 3:
            print(f"  ……其余 {len(errors) - 3} 项用 main.py check 文件 查看")
    carried = doc.carried_unedited() if set(out) - {"--xlsx"} else []  # the Excel tables hold no report text
    if carried:
        print(
            f"注意：报告正文有 {len(carried)} 节仍是上年内容（上年内容，请更新），未经修改或确认沿用，将照样导出"
        )
    from core.export import FORMATS, export_bundle, file_name, write

    if "--all" in out:
        from core.report import file_stem

        for suffix in FORMATS:
            if same_file(Path(out["--all"]) / file_name(file_stem(doc), suffix), files[0]):
                raise UsageError("报送包的文件名与要导出的草稿相同，导出会覆盖草稿；请换一个文件夹")
        written = export_bundle(doc, out["--all"], sheet=sheet, findings=findings)
        print(f"已导出报送包到 {out['--all']}：")
        for path in written:
            print(f"  {path.name}")
        for note in written.notes:
            print(f"  {note}")
        return 0
    for suffix, (label, _, _) in FORMATS.items():
        flag = "--" + suffix[1:]
        if flag in out:
            written = write(doc, out[flag], suffix, sheet=sheet, findings=findings)
            print(f"已导出 {label}：{out[flag]}")
            for note in written.notes:
                print(f"  {note}")
    return 0


def cmd_check(args: list[str]) -> int:
    if len(args) != 1 or args[0].startswith("--"):
        raise UsageError("用法：main.py check 文件")
    doc = load(args[0])
    findings = check(doc)
    print(f"{doc.facts.get('department', '')} {doc.title} 审核结果".strip())
    if not findings:
        print("\n未发现问题。")
    for severity in SEVERITIES:
        group = [f for f in findings if f.severity == severity]
        if group:
            print(f"\n{severity} {len(group)} 项（{SEVERITY_NOTES[severity]}）：")
            for i, f in enumerate(group, 1):
                print(f"  {i}. {f.message}")
    print(f"\n{counts_text(findings)}")
    return 1 if has_errors(findings) else 0


IMPORT_USAGE = "用法：main.py import 草稿 [--targets 表.xlsx|csv] [--figures 表.xlsx|csv] [--sheet 工作表] [--replace|--append]"


def cmd_import(args: list[str]) -> int:
    """Import 表1 rows and / or figures into a draft; the draft is written (with .bak) only when something was read."""
    from core.drafts import save
    from core.importing import figures_change, plan_figures, plan_targets, rows_change, targets_change
    from core.tables import read_file

    mode = "replace" if "--replace" in args else "append" if "--append" in args else "update"
    if "--replace" in args and "--append" in args:
        raise UsageError(f"--replace 和 --append 只能选一个。{IMPORT_USAGE}")
    files, opts = options(
        [a for a in args if a not in ("--replace", "--append")],
        ("--targets", "--figures", "--sheet"),
        IMPORT_USAGE,
    )
    if len(files) != 1 or not ({"--targets", "--figures"} & set(opts)):
        raise UsageError(IMPORT_USAGE)
    doc = load(files[0])
    sheet = opts.get("--sheet")
    changes, read = [], 0
    if "--targets" in opts:
        plan = plan_targets(read_file(opts["--targets"]), sheet, doc.framework)
        result = plan.read()
        print(_plan_line(plan.book, plan.sheet.name, f"表头在第 {plan.header_rows[0]} 行"))
        print(
            "  "
            + "；".join(
                f"{c.letter} 列“{c.heading}” → {_column_label(c.key, plan.keep)}" for c in plan.columns
            )
        )
        as_rows = doc.framework.targets_mode == "indicators"  # the scored rows are the targets
        print(f"读到{'绩效指标' if as_rows else '表1'} {len(result.rows)} 行")
        problems = result.problems
        if as_rows:
            pasted = rows_change(doc, result.rows, mode)
            problems = sorted(problems + pasted.problems, key=lambda p: (p.row, p.column))
            change = pasted.change
        else:
            change = targets_change(doc, [r for _n, r in result.rows], mode)
        _print_problems(problems, result.notes + plan.book.notes)
        read += len(result.rows)
        if result.rows:
            changes.append(change)
            change.apply(doc)
    if "--figures" in opts:
        plan = plan_figures(read_file(opts["--figures"]), doc.framework, sheet, doc.year)
        result = plan.read()
        print(_plan_line(plan.book, plan.sheet.name, ""))
        last = f"，上年数 {len(result.previous)} 项" if result.previous else ""
        print(f"读到预算与执行数据 {len(result.values)} 项{last}")
        _print_problems(result.problems, result.notes + plan.book.notes)
        read += len(result.values) + len(result.previous)
        if result.values or result.previous:
            changes.append(figures_change(doc, result.values, result.previous))
            changes[-1].apply(doc)
    if not read:
        raise ImportNothing("文件中没有可导入的内容，草稿未改动")
    for c in changes:
        print("\n".join(c.summary))
    save(doc, files[0])
    print(f"已保存 {files[0]}（原文件备份为 {files[0]}.bak）")
    return 0


class ImportNothing(JixiaoError):
    pass


def _plan_line(book, sheet: str, where: str) -> str:
    named = f"工作表“{sheet}”" if book.kind == "xlsx" else ""
    inside = "，".join(x for x in (named, where) if x)
    return f"读取 {book.name}" + (f"（{inside}）" if inside else "")


def _column_label(key: str, keep: dict[str, str]) -> str:
    from core.importing import EXTRA_LABELS

    if not key:
        return "不导入"
    if key == "unit" and key not in keep:
        return "计量单位（并入指标值）"
    return keep.get(key) or f"{EXTRA_LABELS.get(key, key)}（无此栏，不导入）"


def _print_problems(problems, notes) -> None:
    for n in notes:
        print(f"注意：{n}")
    if problems:
        print(f"未导入 {len(problems)} 处：")
        for p in problems:
            print(f"  {p}")


NEW_USAGE = (
    "用法：main.py new --framework 指标框架 [--year 年度] 新草稿.json，或 "
    "main.py new --from 上年草稿.json --year 年度 [--framework 指标框架] 新草稿.json（指标框架见 main.py frameworks）"
)


def cmd_new(args: list[str]) -> int:
    """A new evaluation: of a framework of the catalogue for a year (default: last calendar year), or carried on
    from last year's draft (--from), optionally into another framework."""
    from core.catalogue import find
    from core.drafts import save

    files, opts = options(args, ("--framework", "--from", "--year"), NEW_USAGE)
    if (
        len(files) != 1
        or not ({"--framework", "--from"} & set(opts))
        or ("--from" in opts and "--year" not in opts)
    ):
        raise UsageError(NEW_USAGE)
    out = Path(files[0])
    if out.exists():
        raise UsageError(f"{out} 已存在，不覆盖：请换一个文件名")
    framework = find(opts["--framework"]) if "--framework" in opts else None
    if "--from" in opts:
        return _carry(opts, framework, out)
    from core.carry import parse_year
    from core.document import Evaluation

    year = parse_year(opts["--year"]) if "--year" in opts else framework.default_year()
    doc = Evaluation.new(framework, year)
    save(doc, out)
    print(f"已新建 {year} 年度的自评（{framework.name}）：{out}")
    if not framework.applies_to(year):
        print(f"注意：该指标框架适用于 {framework.years_text()}，请确认 {year} 年度可以使用")
    return 0


def _carry(opts: dict[str, str], framework, out: Path) -> int:
    """Last year's draft into the year: with the framework named, else the installed successor of its own."""
    from core.carry import installed_frameworks, next_year, parse_year, successor
    from core.drafts import save

    last = load(opts["--from"])
    year = parse_year(opts["--year"], last)
    carried = next_year(last, year, framework or successor(last.framework, year, installed_frameworks()))
    save(carried.doc, out)
    print(f"已从 {opts['--from']} 开始 {carried.doc.year} 年度的自评：{out}")
    for line in carried.report:
        print(f"  {line}")
    if carried.changes:
        print("指标框架与上年相比的变化：")
        for line in carried.changes:
            print(f"  {line}")
    return 0


FRAMEWORKS_USAGE = "用法：main.py frameworks [--add 指标框架.json]"


def cmd_frameworks(args: list[str]) -> int:
    """The catalogue: each framework's id, name, region, years and description; --add checks a file and adds it
    to the user's frameworks (the app-data folder)."""
    from core.catalogue import add, catalogue

    files, opts = options(args, ("--add",), FRAMEWORKS_USAGE)
    if files:
        raise UsageError(FRAMEWORKS_USAGE)
    if "--add" in opts:
        entry = add(opts["--add"])
        print(f"已导入指标框架“{entry.name}”（编号 {entry.id}）：{entry.path}")
        return 0
    for e in catalogue():
        print(f"{e.id}  {e.label}")
        if e.description:
            print(f"    {e.description}")
    return 0


VERBS: dict[str, Callable[[list[str]], int]] = {
    "score": cmd_score,
    "export": cmd_export,
    "check": cmd_check,
    "import": cmd_import,
    "new": cmd_new,
    "frameworks": cmd_frameworks,
}


def run(argv: list[str]) -> int:
    try:
        if not argv or argv[0] in ("-h", "--help", "help"):
            print(USAGE)
            return 0 if argv else 2
        if argv[0] == "--version":
            print(f"{APP_NAME} {__version__}")
            return 0
        verb = VERBS.get(argv[0])
        if verb is None:
            raise UsageError(f"未知命令“{argv[0]}”，可用命令：{'、'.join(VERBS)}（main.py --help 查看用法）")
        code = verb(argv[1:])
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except JixiaoError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `main.py score --json | head -1`: the reader has all it wants
        quiet_stdout()
        return 0


def quiet_stdout() -> None:
    """After the reader of stdout went away: send what is still buffered nowhere, so exit prints nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
