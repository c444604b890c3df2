"""绩效自评助手 entry point: no arguments opens the window; a verb runs on the command line without Qt."""

import sys


def opens_a_file(argv: list[str]) -> bool:
    """`main.py FILE` (what Windows runs on a double-click of an associated draft, or a file dropped on the
    program): one argument that names a file rather than a verb (it has a suffix, or exists)."""
    if len(argv) != 1 or argv[0].startswith("-"):
        return False
    from pathlib import Path

    return bool(Path(argv[0]).suffix) or Path(argv[0]).is_file()


def main(argv: list[str]) -> int:
    if not argv or argv[0] == "--screenshot" or opens_a_file(argv):
        from gui.app import run_gui  # Qt is imported only here

        return run_gui(argv)
    from core.cli import run

    return run(argv)


if __name__ == "__main__":
    # Qt-free: log file in the app-data folder, hook for unexpected errors, streams of a windowed build.
    from core.logs import setup

    setup(sys.argv[1:])
    sys.exit(main(sys.argv[1:]))
