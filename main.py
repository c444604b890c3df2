"""绩效自评助手 entry point: no arguments opens the window; a verb runs on the command line without Qt."""

import sys


def main(argv: list[str]) -> int:
    if not argv or argv[0] == "--screenshot":
        from gui.app import run_gui  # Qt is imported only here

        return run_gui(argv)
    from core.cli import run

    return run(argv)


if __name__ == "__main__":
    # Qt-free: log file in the app-data folder, hook for unexpected errors, streams of a windowed build.
    from core.logs import setup

    setup(sys.argv[1:])
    sys.exit(main(sys.argv[1:]))
