"""Fuzzed drafts: hostile text in every text slot of a draft and of its embedded framework, through everything
the command line does.

Run: uv run python benchmarks/fuzz_drafts.py [N] [--from SEED] [--timeout S]   (N defaults to 10,000)
Prints the failures grouped by exception and place, with the first seed of each (re-run one case with
`--from SEED 1`). tests/test_fuzz.py runs the same cases for a few hundred seeds.

Case `seed` starts from one of the examples (resources/examples, in turn) and replaces, each with a probability
drawn per case, every text of the draft (facts, figures, 表1 cells, indicator inputs, reasons, overrides,
narrative, the clerk's rows …) and every text of the framework (names, labels, grade names, standards,
explanations, section titles, hints, units, rule labels) by pieces from an alphabet of lone surrogates, bidi and invisible characters, NUL and other controls, reportlab
markup, Qt rich text, spreadsheet formula payloads, very long strings and numbers in every form. It then
checks that:
- opening the draft either refuses it with a readable Chinese message or gives a document, which scores,
  checks and gives the steps' states without raising;
- typing hostile text into a few fields (Evaluation.set) either works or is refused in Chinese;
- save → load → save gives the same bytes;
- the Excel, PDF and Word exports do not raise, the workbook holds no formula, the PDF no image and no link,
  the Word file no external link and no field but the page numbers;
- each case ends within --timeout seconds (default 60; a case still running then counts as a failure).
"""

from __future__ import annotations

import copy
import io
import json
import random
import re
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import JixiaoError  # noqa: E402
from core.checks import check, export_is_draft  # noqa: E402
from core.document import TARGET_COLUMNS  # noqa: E402
from core.drafts import DraftError, load, loads, save  # noqa: E402
from core.scoring import score  # noqa: E402
from core.sections import states  # noqa: E402

EXAMPLES = ROOT / "resources" / "examples"
BASES = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.json"))]
BASE = next(b for b in BASES if b["framework"]["id"].startswith("futian"))

HOSTILE = [
    # lone surrogates, bidi and invisible characters, controls
    "\ud800",
    "\udfff",
    "\udbff\udc00x",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u00ad",
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\x9b",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "\u2028",
    "\u2029",
    "\ufffe",
    "\uffff",
    "\U000e0041",
    "\U0001f600",
    "👨\u200d👩\u200d👧",
    # reportlab markup
    "<b>",
    "</b>",
    "<i>粗</i>",
    '<img src="/etc/passwd"/>',
    "<img src='resources/icons/app.png' width='50' height='50'/>",
    '<img src="\\\\server\\share\\a.png"/>',
    "&",
    "&amp;",
    "&#0;",
    "&#x202e;",
    "&nbsp;",
    "&bogus;",
    '<font name="Helvetica" color="red" size="40">',
    "</font>",
    "<para>",
    "<br/>",
    '<a href="file:///etc/passwd">点</a>',
    '<link href="http://x">',
    "<u><strike><super>",
    '<onDraw name="x" label="y"/>',
    "<seq/>",
    "<unknown attr=1>",
    "<",
    ">",
    "]]>",
    # Qt rich text
    '<img src="file:///etc/hosts">',
    '<a href="http://example.com">点我</a>',
    "<h1>大标题</h1>",
    "<html><body><table><tr><td>格</td></tr></table></body></html>",
    '<style>*{color:red}</style><span style="font-size:80px">大</span>',
    "<!-- -->",
    # spreadsheet formulas
    '=HYPERLINK("http://x","点")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "=1+1",
    "\t=1",
    "=",
    # formatting that a template or format string might see
    "{year}",
    "{0}",
    "%s%d",
    "{{",
    "\\",
    '"',
    "'",
    "“”",
    # ordinary text
    "福田区",
    "优",
    "良",
    " ",
    "　",
    "",
]
NUMBERS = [
    "0",
    "-0",
    "1,273.37",
    "１，２７３．３７",
    "１２３",
    "93.8%",
    "93.8 %",
    "100",
    "101",
    "-5",
    "+5",
    "1e5",
    "1E-5",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "∞",
    "0x10",
    "1_000",
    "1.",
    ".5",
    "5万",
    "5 万元",
    "一百",
    "²",
    "①",
    "٣",
    "  42  ",
    "0.0000001",
    "9" * 30,
    "9" * 400,
    "1" + "0" * 20,
    "12\x00",
    "1,2,3",
    "3/4",
    "½",
    "",
]
LONG = [  # at and just over the length limits (docs/draft-format.md, docs/framework-format.md)
    lambda: "a" * 200,  # a framework name at its limit, one unbreakable word
    lambda: "字" * 201,
    lambda: "a" * 1_000,  # a one-line field at its limit
    lambda: "字" * 1_001,
    lambda: "很长的理由。" * 500,
    lambda: "a" * 5_000,  # a framework standard at its limit
    lambda: "字" * 20_000,  # a reason at its limit
    lambda: "a" * 20_001,
    lambda: "第一段。\n" * 2_000,
    lambda: "字" * 100_000,  # a report section at its limit
    lambda: "字" * 100_001,
    lambda: "<b>" * 300,
    lambda: "&" * 1_000,
]

# framework keys whose string values are text for people (everything else is an id, a key or a type)
FRAMEWORK_TEXT = {
    "name",
    "label",
    "title",
    "standard",
    "explanation",
    "unit",
    "note",
    "rate_label",
    "hint",
    "region",
    "budget_label",
    "spending_label",
    "count_label",
    "description",
    "source",
}
RULE_TEXT = {"numerator", "denominator"}  # labels inside a rule (inside "bind" they are figure keys)


def hostile(rng: random.Random, numeric: bool = False) -> str:
    """One hostile text: a few pieces, or a number in an odd form (often, for a number field)."""
    if numeric and rng.random() < 0.6:
        return rng.choice(NUMBERS) + (rng.choice(HOSTILE) if rng.random() < 0.3 else "")
    return "".join(rng.choice(HOSTILE + NUMBERS[:8]) for _ in range(rng.randint(0, 5)))


NUMERIC = {"override", "weight", "year"}  # draft keys whose values are numbers (besides figures and inputs)
SKIP = {"format", "version", "app_version", "saved_at", "framework"}


def draft_slots(data: dict) -> list[tuple[dict, str, bool]]:
    """(container, key, numeric) of every text of the draft itself (facts, figures, 表1, indicator entries,
    narrative, the clerk's rows, last year's values…: every string outside the framework)."""
    out = []

    def walk(value: object, top: str, parent: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if isinstance(v, str) and k != "id":  # a row's id is the program's, not text for people
                    numeric = top in ("figures", "previous") or parent == "inputs" or k in NUMERIC
                    out.append((value, k, numeric))
                else:
                    walk(v, top, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, top, parent)

    for top, value in data.items():
        if top not in SKIP:
            walk(value, top, top)
    return out


def framework_slots(value: object, parent: str = "") -> list[tuple[dict, str, bool]]:
    """(container, key, numeric) of every text for people in the framework."""
    out = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, str) and (k in FRAMEWORK_TEXT or (parent == "rule" and k in RULE_TEXT)):
                out.append((value, k, False))
            elif parent != "bind":
                out += framework_slots(v, k)
    elif isinstance(value, list):
        for v in value:
            out += framework_slots(v, parent)
    return out


def make_case(seed: int) -> str:
    """The draft file of case `seed` (JSON text as it would be on disk: surrogates written as \\u escapes)."""
    rng = random.Random(seed)
    data = copy.deepcopy(BASES[seed % len(BASES)])
    # every case fills some fields the example leaves empty, so that they are fuzzed too
    for leaf in rng.sample(sorted(data["indicators"]), 3):
        data["indicators"][leaf].update(override=rng.choice(NUMBERS), override_reason="调整")
    data["targets"].append({k: "x" for k, _ in TARGET_COLUMNS})
    rate = rng.choice([0.02, 0.1, 0.3, 1.0])
    draft_rate = rate if rng.random() < 0.8 else 0.0
    frame_rate = rate if rng.random() < 0.5 else 0.0
    for slots, p, blank in (
        (draft_slots(data), draft_rate, ""),
        (framework_slots(data["framework"]), frame_rate, "名"),
    ):
        for container, key, numeric in slots:
            if rng.random() < p:
                text = hostile(rng, numeric)
                # names are required
                container[key] = text if text.strip() or rng.random() < 0.05 else text + blank
    if rng.random() < 0.2:  # one very long text somewhere
        container, key, _ = rng.choice(draft_slots(data) + framework_slots(data["framework"]))
        container[key] = rng.choice(LONG)()
    return json.dumps(data, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 1]))


ENGLISH = re.compile(r"Traceback|Expecting|\b[A-Z][a-z]+(Error|Exception)\b|line \d+ column \d+")
CJK = re.compile(r"[\u4e00-\u9fff]")


def readable(message: str) -> bool:
    """A message for people: Chinese, no traceback, no Python or JSON parser words."""
    return bool(CJK.search(message)) and not ENGLISH.search(message)


class Refused(Exception):
    """A refusal whose message is not readable Chinese (a failure of the case)."""


class Differs(Exception):
    """What was saved did not come back the same (a failure of the case)."""


class TooSlow(Exception):
    """A case that did not finish in time (a failure of the case)."""


def _too_slow(signum, frame):
    raise TooSlow("the case ran longer than the time limit")


class Unsafe(Exception):
    """An export interpreted text from the draft as markup or as a formula (a failure of the case)."""


def without_saved_at(raw: bytes) -> bytes:
    return re.sub(rb'\n "saved_at": "[^"]*",', b"", raw)


def run_case(seed: int, folder: Path) -> str:
    """Run case `seed`; returns what happened ("refused", "ok"); raises on a failure."""
    from core.export import renderer
    from core.report import build_report

    text = make_case(seed)
    try:
        doc = loads(text)
    except DraftError as e:
        if not readable(str(e)):
            raise Refused(str(e)[:300]) from None
        return "refused"
    rng = random.Random(-seed)
    paths = [p for p, _ in doc.texts()]
    for path in rng.sample(paths, min(3, len(paths))):  # typing and paste
        try:
            doc.set(path, hostile(rng))
        except JixiaoError as e:
            if not readable(str(e)):
                raise Refused(str(e)[:300]) from None
    sheet = score(doc)
    findings = check(doc, sheet)
    states(doc, sheet, findings)
    first, second = folder / "a.json", folder / "b.json"
    save(doc, first)
    save(load(first), second)
    if without_saved_at(first.read_bytes()) != without_saved_at(second.read_bytes()):
        raise Differs("save → load → save changed the file")
    report = build_report(doc, sheet, findings, export_is_draft(sheet, findings))
    with zipfile.ZipFile(io.BytesIO(renderer(".xlsx")(report)[0])) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/") and re.search(rb"<f[ >]", book.read(name)):
                raise Unsafe(f"a formula in {name}")
    pdf = re.sub(rb"stream\r?\n.*?endstream", b"", renderer(".pdf")(report)[0], flags=re.S)  # objects only
    for mark in (b"/Subtype /Image", b"/URI", b"/Link", b"/Launch"):
        if mark in pdf:
            raise Unsafe(f"PDF holds {mark.decode()}")
    with zipfile.ZipFile(io.BytesIO(renderer(".docx")(report)[0])) as word:
        for name in word.namelist():
            part = word.read(name)
            if b'TargetMode="External"' in part:
                raise Unsafe(f"Word: an external link in {name}")
            fields = re.findall(rb"<w:instrText[^>]*>([^<]*)<", part) + re.findall(
                rb'w:instr="([^"]*)"', part
            )
            if any(f.split()[:1] != [b"PAGE"] for f in fields):
                raise Unsafe(f"Word: a field other than PAGE in {name}")
    return "ok"


def where(e: BaseException) -> str:
    """The innermost frame of the program (core/…) where `e` was raised."""
    frames = [f for f in traceback.extract_tb(e.__traceback__) if "/core/" in f.filename.replace("\\", "/")]
    f = frames[-1] if frames else traceback.extract_tb(e.__traceback__)[-1]
    return f"{Path(f.filename).name}:{f.lineno} {f.name}"


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv and not argv[0].startswith("--") else 10_000
    start = int(argv[argv.index("--from") + 1]) if "--from" in argv else 0
    limit = int(argv[argv.index("--timeout") + 1]) if "--timeout" in argv else 60
    alarm = hasattr(signal, "SIGALRM")
    if alarm:
        signal.signal(signal.SIGALRM, _too_slow)
    outcomes: Counter = Counter()
    failures: dict[str, list[int]] = defaultdict(list)
    messages: dict[str, str] = {}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(start, start + n):
            try:
                if alarm:
                    signal.alarm(limit)
                outcomes[run_case(seed, Path(tmp))] += 1
            except Exception as e:
                key = f"{type(e).__name__} at {where(e)}"
                failures[key].append(seed)
                print(f"  seed {seed}: {key}: {str(e)[:150]!r}", file=sys.stderr, flush=True)
                messages.setdefault(key, str(e)[:200])
                outcomes["failed"] += 1
            finally:
                if alarm:
                    signal.alarm(0)
            if (seed - start + 1) % 500 == 0:
                print(f"  {seed - start + 1} cases, {outcomes['failed']} failed", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - t0
    print(f"{n} fuzzed drafts (seeds {start}–{start + n - 1}) in {elapsed:.0f} s")
    print(f"  opened and went through everything: {outcomes['ok']}")
    print(f"  refused with a readable Chinese message: {outcomes['refused']}")
    print(f"  failures: {outcomes['failed']}")
    for key, seeds in sorted(failures.items(), key=lambda kv: -len(kv[1])):
        print(f"\n{len(seeds)} × {key}\n  {messages[key]!r}\n  seeds {seeds[:10]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
