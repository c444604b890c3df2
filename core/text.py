"""Text made safe at the door (文字的入口与出口): what any text entering the program goes through, and what
leaves for an export or the window.

- `encodable(text)`: lone UTF-16 surrogates (JSON's "\\ud800", which no file can hold) become U+FFFD. Applied
  at every door: draft and framework loading (`encodable_tree` over the parsed file), `Evaluation.set` (typing,
  paste) and imports. So nothing downstream (saving, exports, the window) can raise UnicodeEncodeError. It is
  the only change made to what was typed: the draft keeps everything else as typed.
- `for_export(text)`: what a report shows. Removes INVISIBLE characters — C0 controls except \\n and \\t, DEL,
  C1 controls, bidi controls (U+202A–202E, U+2066–2069, U+200E/200F, U+061C) and every other invisible format
  character (Unicode category Cf: zero-width space, BOM, soft hyphen, tag characters, …) except U+200C/U+200D
  (zero-width non-joiner and joiner: they join emoji sequences and some scripts' letters and cannot reorder or
  hide text) — and the non-characters U+FFFE/U+FFFF. Line breaks of every kind (\\r\\n, \\r, \\v, \\f, U+0085,
  U+2028, U+2029) become \\n. So "李\\u202e武" cannot display reversed in Excel or a PDF.
- `visible(text)`: the same characters made visible for the window, e.g. "李⟦U+202E⟧武" (line breaks as in
  for_export).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the window's first frame uses this module, and needs no json
    import json

REPLACEMENT = "\ufffd"
KEEP_FORMAT = "\u200c\u200d"  # zero-width non-joiner and joiner

# The patterns, compiled the first time they are needed (`pattern`): compiling them costs ~10 M instructions
# (~2 ms), which the window's first frame does without. A printable text (str.isprintable) has no character of
# category Cc, Cf, Cs (surrogates) or Cn (U+FFFE/U+FFFF), nor a line or paragraph separator: nothing the
# patterns look for, so the functions below return it as it is without them.
# INVISIBLE is every character for_export removes: Unicode categories Cc and Cf (Unicode 14, Python 3.11–3.12)
# except \t, \n and KEEP_FORMAT, plus U+FFFE/U+FFFF. tests/test_text.py checks it against the running unicodedata.
PATTERNS = {
    "SURROGATE": "[\ud800-\udfff]",
    "BREAKS": "\r\n|[\r\x0b\x0c\x85\u2028\u2029]",
    "INVISIBLE": (
        "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b"
        "\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff\U000110bd"
        "\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
    ),
}
_compiled: dict[str, re.Pattern] = {}


def pattern(name: str) -> re.Pattern:
    """One of PATTERNS, compiled (once)."""
    if name not in _compiled:
        _compiled[name] = re.compile(PATTERNS[name])
    return _compiled[name]


def encodable(text: str) -> str:
    """The text with every lone surrogate replaced by U+FFFD (the text itself when there is none)."""
    if text.isprintable() or not pattern("SURROGATE").search(text):
        return text
    return pattern("SURROGATE").sub(REPLACEMENT, text)


def encodable_tree(value: object) -> object:
    """A parsed JSON value with `encodable` applied to every string, keys included."""
    if isinstance(value, str):
        return encodable(value)
    if isinstance(value, dict):
        return {encodable(k): encodable_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [encodable_tree(v) for v in value]
    return value


def for_export(text: str) -> str:
    """Text as a report shows it: line breaks as \\n, invisible and control characters removed (see above)."""
    if text.isprintable():
        return text
    return pattern("INVISIBLE").sub("", pattern("BREAKS").sub("\n", encodable(text)))


def visible(text: str) -> str:
    """Text as the window shows it: each character for_export would remove written as ⟦U+XXXX⟧."""
    if text.isprintable():
        return text
    marked = pattern("BREAKS").sub("\n", encodable(text))
    return pattern("INVISIBLE").sub(lambda m: f"⟦U+{ord(m.group()):04X}⟧", marked)


# What json's English messages mean, for a file that cannot be parsed ("Expecting value: line 1 column 1").
JSON_PROBLEMS = {
    "Expecting value": "此处缺少一个值",
    "Expecting property name enclosed in double quotes": "此处应为用英文双引号括起的名称",
    "Expecting ':' delimiter": "此处缺少冒号",
    "Expecting ',' delimiter": "此处缺少逗号",
    "Invalid control character at": "文字中有不允许的控制字符",
    "Invalid \\escape": "反斜杠后面的字符无效",
    "Invalid \\uXXXX escape": "反斜杠 u 后面应为四位十六进制数",
    "Extra data": "内容结束后还有多余的字符",
}


def json_problem(e: json.JSONDecodeError) -> str:
    """Where and what is wrong in a file json cannot parse, in Chinese (no English, no JSON fragments)."""
    if not e.doc.strip():
        return "文件是空的"
    if e.msg.startswith("Unterminated string"):  # the file ends inside this text
        return f"内容不完整，从第 {e.lineno} 行第 {e.colno} 列开始的文字没有结尾（可能在写入时被中断）"
    if e.pos >= len(e.doc.rstrip()) and e.msg != "Extra data":
        return f"内容不完整，在第 {e.lineno} 行第 {e.colno} 列提前结束（可能在写入时被中断）"
    return f"第 {e.lineno} 行第 {e.colno} 列{JSON_PROBLEMS.get(e.msg, '格式有误')}"


def first_too_long(
    value: object, limits: dict[str, int], default: int, key: str = ""
) -> tuple[str, str, int] | None:
    """The first string in a parsed JSON value longer than its key's limit (`default` for other keys), as
    (key, text, limit); None when every string fits. Strings in a list count under the list's key."""
    if isinstance(value, str):
        limit = limits.get(key, default)
        return (key, value, limit) if len(value) > limit else None
    items = (
        value.items()
        if isinstance(value, dict)
        else ((key, v) for v in value)
        if isinstance(value, list)
        else ()
    )
    for k, v in items:
        found = first_too_long(v, limits, default, k)
        if found:
            return found
    return None
