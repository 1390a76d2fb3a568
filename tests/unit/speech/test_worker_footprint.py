"""The speech worker process stays small: it never loads Qt (which would add ~20 MiB and
~0.3 s to every start of it)."""

from __future__ import annotations

import subprocess
import sys


def test_the_worker_module_loads_without_qt() -> None:
    code = (
        "import sys\n"
        "import timer_app.speech.worker, timer_app.speech.clips\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "[]"
