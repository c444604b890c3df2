"""core/ is plain Python: every module under it (found by listing the folder, so a new module is covered) and
main.py import in a fresh interpreter without loading PySide6, shiboken6 or gui/."""

import subprocess
import sys

from tests.conftest import ROOT


def core_modules() -> list[str]:
    return sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "core").rglob("*.py")
    )


def test_the_list_is_the_folder():
    modules = core_modules()
    assert {"core", "core.cli", "core.files", "core.text", "core.export_pdf", "core.sections"} <= set(modules)
    assert len(modules) == len(list((ROOT / "core").rglob("*.py")))


def test_every_core_module_imports_without_qt():
    code = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'gui'))\n"
        "print(bad)"
    )
    modules = [*core_modules(), "main"]
    r = subprocess.run(
        [sys.executable, "-c", code, *modules], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]", f"Qt loaded by importing {modules}"
