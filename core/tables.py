"""Tables from outside (导入): an .xlsx workbook, a .csv file, or cells pasted from Excel / WPS.

`read_file(path)` and `read_paste(text)` return a `Book`: its sheets as sparse rows of cells. A cell is None
(empty), text (str), a `Number` (Decimal; `percent` when the workbook shows it as a percentage, the value then
holds the percent: 93.8 for 93.8%), a date, a bool, or `Unreadable` (an Excel error value, or a formula saved
without its result). Nothing is evaluated: a cell "=cmd|…" stored as text stays that text, and a formula's
cached value is read, never its formula. Merged ranges are kept so that the importer can repeat a merged
一级 / 二级 cell over its rows.

A file that cannot be read raises ImportFileError with a Chinese message that says what is wrong; nothing is
read from it then. Reading never writes anything.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from core import JixiaoError
from core.text import encodable

MAX_BYTES = 50 * 1024 * 1024  # a 绩效目标表 or a budget sheet is a few hundred KB
MAX_UNZIPPED = 400 * 1024 * 1024  # what the parts of an .xlsx may expand to
MAX_ROWS = 5000  # non-empty rows per sheet; a 表1 has tens, a national-style table a few hundred
MAX_COLS = 200
SMALL_SHEET = 20 * 1024 * 1024  # a sheet's XML up to this size is read whole (to see whether it has formulas)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File Binary: .xls, .doc, or an encrypted .xlsx
_ZIP = b"PK\x03\x04"
_TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
WINDOWS = sys.platform == "win32"


class ImportFileError(JixiaoError):
    """A file that cannot be imported; the message says why, in Chinese."""


class Number(NamedTuple):  # a tuple: made for every number cell, so it must be cheap
    value: Decimal
    percent: bool = False


class Unreadable(NamedTuple):
    text: str  # what the cell holds: an error code (#DIV/0!) or the formula
    why: str


@dataclass
class Sheet:
    name: str
    # (row number as Excel counts it, from 1; cells from column A): the non-empty rows only
    rows: list[tuple[int, list]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row1, col1, row2, col2), 1-based
    too_long: bool = False  # more than MAX_ROWS non-empty rows: read no further
    hidden: bool = False
    wide: bool = False  # cells beyond MAX_COLS were left out


@dataclass
class Book:
    name: str  # the file's name, or "剪贴板"
    kind: str  # "xlsx", "csv" or "paste"
    sheets: list[Sheet]
    notes: list[str] = field(default_factory=list)  # things the clerk should know (file open in Excel …)


# ---------------------------------------------------------------------------------------------- text


def clean(text: str) -> str:
    """Text from a file as the document holds it (core.text: lone surrogates made encodable; other characters
    are kept, marked in the window and removed from exports); line ends \n, Excel's escaped \r dropped."""
    if "\r" in text or "_x000D_" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("_x000D_", "")
    return encodable(text)


def decimal_of(value: float | int) -> Decimal:
    """A number as Excel shows it: 15 significant digits (1168.8000000000002 is 1168.8)."""
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(format(value, ".15g")) + 0


def number_text(value: Decimal, group: bool = False) -> str:
    """Plain digits, no exponent, no trailing zeros; thousands separated when asked ("1,273.37")."""
    text = f"{value:,f}" if group else f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def cell_text(value: object) -> str:
    """A cell as text, as the workbook shows it (a percentage with its %, a date as 2020-04-01)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Number):
        return number_text(value.value) + ("%" if value.percent else "")
    if isinstance(value, Unreadable):
        return value.text
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


# ---------------------------------------------------------------------------------------------- files


def read_file(path: str | Path) -> Book:
    """Read an .xlsx or .csv file whole. Raises ImportFileError (Chinese) when it cannot be read."""
    path = Path(path)
    data = _read_bytes(path)
    notes = []
    if _open_in_excel(path):
        notes.append(f"{path.name} 正在 Excel 中打开：导入的是它最后一次保存的内容，未保存的修改不在其中")
    head = data[:8]
    if head.startswith(_ZIP):
        return Book(path.name, "xlsx", _read_xlsx(data, path.name), notes)
    if head == _OLE:
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ImportFileError(
                f"{path.name} 设置了打开密码（已加密），本程序无法读取：请在 Excel 中打开它，"
                "在“文件 → 信息 → 保护工作簿”中取消密码并保存后再导入"
            )
        raise ImportFileError(
            f"{path.name} 是旧版 Excel 97-2003（.xls）或其他 Office 文件，本程序读取 .xlsx 和 .csv："
            "请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）后再导入"
        )
    start = data[:2048].lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or b"<html" in start:
        raise ImportFileError(
            f"{path.name} 实际上是网页或 XML 格式（有些系统导出的“Excel”文件是这样），不是真正的工作簿："
            "请用 Excel 或 WPS 打开它，“另存为” Excel 工作簿（.xlsx）后再导入"
        )
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xltx", ".xltm"):
        raise ImportFileError(
            f"{path.name} 不是 Excel 工作簿（文件内容不是 .xlsx 格式，可能已损坏或改过扩展名）"
        )
    if path.suffix.lower() not in _TEXT_SUFFIXES and b"\x00" in data[:4096] and not _utf16(data):
        raise ImportFileError(f"{path.name} 既不是 Excel 工作簿（.xlsx）也不是 CSV 文本文件，无法导入")
    return Book(path.name, "csv", [_read_csv(data, path)], notes)


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise ImportFileError(f"{path} 是文件夹，不是要导入的文件")
        if path.stat().st_size > MAX_BYTES:
            raise ImportFileError(f"{path.name} 太大（超过 50 MB），不像绩效目标表或预算数据表")
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise ImportFileError(f"找不到文件：{path}") from None
    except OSError as e:
        # Windows refuses to share a file another program holds open for writing (sharing / lock violation)
        if getattr(e, "winerror", None) in (32, 33) or WINDOWS and isinstance(e, PermissionError):
            raise ImportFileError(
                f"{path.name} 正被其他程序使用（例如在 Excel 中打开着），无法读取：请在 Excel 中关闭它后再导入"
            ) from None
        if isinstance(e, PermissionError):
            raise ImportFileError(f"没有权限读取文件：{path}") from None
        from core.files import reason

        raise ImportFileError(f"无法读取文件 {path.name}：{reason(e)}") from None


def _open_in_excel(path: Path) -> bool:
    """Excel keeps an owner file "~$NAME" (the first two characters dropped for long names) beside an open file."""
    names = {"~$" + path.name, "~$" + path.name[2:]}
    return any((path.parent / n).exists() for n in names)


# ---------------------------------------------------------------------------------------------- xlsx


def _read_xlsx(data: bytes, name: str) -> list[Sheet]:
    corrupt = f"{name} 已损坏，无法读取（不是完整的 Excel 工作簿）：请在 Excel 中打开并另存一份后再导入"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ImportFileError(corrupt) from None
    parts = {i.filename for i in infos}
    if "xl/workbook.bin" in parts:
        raise ImportFileError(f"{name} 是 Excel 二进制工作簿（.xlsb）：请在 Excel 中“另存为” .xlsx 后再导入")
    if "word/document.xml" in parts:
        raise ImportFileError(f"{name} 是 Word 文档，不是 Excel 工作簿")
    if "xl/workbook.xml" not in parts:
        raise ImportFileError(f"{name} 不是 Excel 工作簿（压缩包中没有工作簿内容）")
    if sum(i.file_size for i in infos) > MAX_UNZIPPED:
        raise ImportFileError(f"{name} 解压后过大，不像绩效目标表或预算数据表，未导入")
    from openpyxl import load_workbook  # here: reading a .csv or pasting needs no openpyxl

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises many kinds on a damaged part (KeyError, ValueError, XML errors …)
        raise ImportFileError(corrupt) from None
    try:
        percent = _percent_styles(wb)
        return [_read_sheet(wb, ws, percent) for ws in wb.worksheets]
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError(corrupt) from None
    finally:
        wb.close()


def _percent_styles(wb) -> set[int]:
    """The style ids whose number format shows a percentage (0.938 shown as 93.8%)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, builtin_format_code

    out = set()
    for i, style in enumerate(wb._cell_styles):
        fid = style.numFmtId
        if fid >= BUILTIN_FORMATS_MAX_SIZE:
            code = wb._number_formats[fid - BUILTIN_FORMATS_MAX_SIZE]
        else:
            code = builtin_format_code(fid) or ""
        if "%" in re.sub(r'"[^"]*"|\\.', "", code):  # a % inside quotes or escaped is literal text
            out.add(i)
    return out


def _parser_class():
    """openpyxl's sheet parser, reading cached values, that also tells a formula saved without its result."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None:
                f = element.find(FORMULA_TAG)
                if f is not None:
                    cell["data_type"] = "nocache"
                    cell["value"] = "=" + (f.text or "")
            return cell

    return Parser


def _read_sheet(wb, ws, percent: set[int]) -> Sheet:
    from openpyxl.utils import range_boundaries

    sheet = Sheet(ws.title, [], hidden=ws.sheet_state != "visible")
    numbers: dict[tuple, Number] = {}
    # openpyxl's own parser unless the sheet has formulas (then one that tells a formula without its result);
    # a large sheet is streamed, not read whole to look
    path = ws._worksheet_path
    if wb._archive.getinfo(path).file_size <= SMALL_SHEET:
        xml = wb._archive.read(path)
        formulas = b"<f>" in xml or b"<f " in xml or b":f>" in xml
        source = io.BytesIO(xml)
    else:
        formulas, source = True, ws._get_source()
    if formulas:
        parser_class = _parser_class()
    else:
        from openpyxl.worksheet._reader import WorkSheetParser as parser_class
    with source as src:
        parser = parser_class(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for number, cells in parser.parse():
            row: list = []
            for c in cells:
                value = c["value"]
                if value is None:
                    continue
                col = c["column"]
                if col > MAX_COLS:
                    sheet.wide = True
                    continue
                kind = c["data_type"]
                if kind == "s":  # XML holds no lone surrogates: only line ends need cleaning
                    if value.isspace():
                        continue
                    if "\r" in value or "_x000D_" in value:
                        value = clean(value)
                elif kind == "n":
                    key = (value, c["style_id"] in percent)
                    cached = numbers.get(key)  # tables repeat their numbers (分值 1, 2, 5 …): made once
                    if cached is None:
                        d = decimal_of(value)
                        cached = numbers[key] = Number(d * 100 + 0, True) if key[1] else Number(d)
                    value = cached
                elif kind == "e":
                    value = Unreadable(value, f"单元格是 Excel 错误值 {value}")
                elif kind == "nocache":
                    value = Unreadable(
                        clean(value),
                        "公式没有保存计算结果（文件可能由不计算公式的程序生成）：请在 Excel 中打开、保存后再导入",
                    )
                if len(row) < col - 1:
                    row.extend([None] * (col - 1 - len(row)))
                if len(row) == col - 1:
                    row.append(value)
                else:  # a column given twice: the last one counts, as in Excel
                    row[col - 1] = value
            if row:
                if len(sheet.rows) == MAX_ROWS:
                    sheet.too_long = True
                    break
                sheet.rows.append((number, row))
        else:
            for m in getattr(parser.merged_cells, "mergeCell", None) or ():
                c1, r1, c2, r2 = range_boundaries(m.ref)
                sheet.merges.append((r1, c1, r2, c2))
    return sheet


# ---------------------------------------------------------------------------------------------- csv and paste


def _utf16(data: bytes) -> bool:
    return data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def decode(data: bytes, name: str) -> str:
    """UTF-8 with or without BOM, UTF-16 with BOM (Excel's “Unicode 文本”), else GB18030 (GBK) as Chinese Excel saves."""
    if data.startswith(codecs.BOM_UTF8):
        data, encodings = data[3:], ("utf-8",)
    elif _utf16(data):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    for enc in encodings:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        f"{name} 的文字编码无法识别（不是 UTF-8 或 GBK）：请在 Excel 中另存为“CSV UTF-8”后再导入"
    )


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently: comma, tab, semicolon or |."""
    lines = [ln for ln in text.splitlines()[:30] if ln.strip()]
    best, best_score = ",", (0, 0)
    for d in (",", "\t", ";", "|"):
        counts = [len(r) for r in csv.reader(lines, delimiter=d) if r]
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        score = (counts.count(common) if common > 1 else 0, common)
        if score > best_score:
            best, best_score = d, score
    return best


_EXCEL_TEXT = re.compile(r'="(.*)"', re.S)  # ="0012": how some systems keep digits as text in a CSV


def _rows_of(text: str, delimiter: str, name: str, offset: int = 0) -> Sheet:
    sheet = Sheet(name, [])
    reader = csv.reader(io.StringIO(clean(text), newline=""), delimiter=delimiter)
    try:
        for number, raw in enumerate(reader, 1 + offset):
            row: list = []
            for col, value in enumerate(raw[:MAX_COLS], 1):
                m = _EXCEL_TEXT.fullmatch(value.strip())
                value = m.group(1) if m else value
                if value.strip():
                    row.extend([None] * (col - 1 - len(row)))
                    row.append(value)
            sheet.wide = sheet.wide or len(raw) > MAX_COLS
            if row:
                if len(sheet.rows) == MAX_ROWS:
                    sheet.too_long = True
                    break
                sheet.rows.append((number, row))
    except csv.Error as e:
        raise ImportFileError(f"{name} 的内容不是规范的 CSV（第 {reader.line_num} 行：{e}）") from None
    return sheet


def _read_csv(data: bytes, path: Path) -> Sheet:
    text = decode(data, path.name)
    first, _, rest = text.partition("\n")
    m = re.fullmatch(r'"?sep=(.)"?\r?', first)  # Excel's hint line "sep=;" names the delimiter
    if m:
        return _rows_of(rest, m.group(1), path.stem, offset=1)
    return _rows_of(text, sniff_delimiter(text), path.stem)


def read_paste(text: str) -> Book:
    """Cells copied in Excel or WPS: tab-separated lines, a cell with a line break or a quote in double quotes."""
    if text.endswith("\n"):
        text = text[:-1]
    # one column: no tab, and "1,273.37" stays whole
    return Book("剪贴板", "paste", [_rows_of(text, "\t", "剪贴板")])
