"""Entry point for ``timer-app`` and ``python -m timer_app``."""

from __future__ import annotations

import sys

from timer_app.cli import main as _cli_main


def main() -> int:
    return _cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
