"""Installed size: the app's wheel installed into a fresh virtual environment, by distribution.

Run: ``python -m benchmarks.install_size`` (``--quick`` is the same: there is nothing to
shorten). The wheel is built from this checkout (``pip wheel --no-deps``), a venv is created
in a temporary folder and ``pip install <wheel>`` installs it with its dependencies, as a
user's ``pip install timer-app`` would. Each distribution's size is the sum of the files its
``RECORD`` lists (byte-compiled ``.pyc`` files included, since pip writes and records them);
pip and setuptools, which come with every venv, are left out. The README's dependency table
quotes these figures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, main_for

TARGET_MIB = 330.0
#: Part of every virtual environment, not of the app.
VENV_OWN = {"pip", "setuptools", "wheel"}

#: Runs inside the new venv: every installed distribution, its version and its files' bytes.
MEASURE = r"""
import json
from importlib import metadata
out = []
for dist in metadata.distributions():
    total = 0
    for f in dist.files or []:
        path = dist.locate_file(f)
        try:
            total += path.stat().st_size
        except OSError:
            pass
    out.append({"name": dist.metadata["Name"], "version": dist.version, "bytes": total,
                "requires": dist.requires or []})
print(json.dumps(out))
"""


def _run(command: list[str | Path], timeout: float = 900, cwd: Path = REPO) -> str:
    # Without PYTHONPATH (make bench sets it to the checkout), so the new venv sees only what
    # was installed into it, not this checkout's metadata as well.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, check=False, cwd=cwd, env=env
    )
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-10:])
        what = " ".join(map(str, command[:4]))
        raise RuntimeError(f"{what}... failed ({done.returncode}):\n{tail}")
    return done.stdout


def _direct(dists: list[dict[str, Any]]) -> set[str]:
    """Names the app itself requires (its non-extra dependencies), normalised."""
    app = next(d for d in dists if _norm(d["name"]) == "timer-app")
    names = set()
    for req in app["requires"]:
        if "extra ==" in req:
            continue
        name = req.split(";")[0].strip()
        for sep in "<>=!~[ (":
            name = name.split(sep)[0]
        names.add(_norm(name))
    return names


def _norm(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


#: The last commit that depended on PySide6-Addons (Qt Multimedia for the cue sounds): the
#: baseline measured in the same run by ``make bench``.
BEFORE_MINIAUDIO = "aad695c"


def run(
    quick: bool = False, source: str | None = None, baseline_ref: str | None = None
) -> dict[str, Any]:
    """Build the wheel of ``source`` (default: this checkout), install it, measure; with
    ``baseline_ref``, also the same for that commit of this repository (the baseline)."""
    baseline = None
    if baseline_ref:
        with tempfile.TemporaryDirectory(prefix="install-base-") as old:
            archive = subprocess.run(
                ["git", "-C", str(REPO), "archive", baseline_ref],
                capture_output=True,
                check=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", old], input=archive, check=True)
            before = run(source=old)
        baseline = {"source": baseline_ref, "total_mib": before["total_mib"]}
        baseline["packages"] = before["packages"]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="install-size-") as folder:
        root = Path(folder)
        _run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(root), "."],
            cwd=Path(source) if source else REPO,
        )
        wheel = next(root.glob("timer_app-*.whl"))
        venv = root / "venv"
        _run([sys.executable, "-m", "venv", str(venv)])
        py = venv / "bin" / "python"
        _run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel])
        dists: list[dict[str, Any]] = json.loads(_run([str(py), "-c", MEASURE], cwd=root))
        wheel_kib = round(wheel.stat().st_size / 1024, 1)
    direct = _direct(dists)
    packages = sorted(
        (
            {
                "name": d["name"],
                "version": d["version"],
                "mib": round(d["bytes"] / 2**20, 1),
                "direct": _norm(d["name"]) in direct or _norm(d["name"]) == "timer-app",
            }
            for d in dists
            if _norm(d["name"]) not in VENV_OWN
        ),
        key=lambda p: -p["mib"],
    )
    total = round(sum(d["bytes"] for d in dists if _norm(d["name"]) not in VENV_OWN) / 2**20, 1)
    return {
        "name": "install_size",
        "total_mib": total,
        "wheel_kib": wheel_kib,
        "packages": packages,
        "target_mib": TARGET_MIB,
        "seconds_to_install": round(time.monotonic() - started, 1),
        "baseline": baseline,
        "met": {"install_size": total <= TARGET_MIB},
    }


def summary_lines(result: dict[str, Any]) -> list[str]:
    lines = [
        f"Installed size of a fresh install of the wheel: {result['total_mib']} MiB"
        f" (target <= {TARGET_MIB:.0f} MiB; pip and setuptools excluded)",
    ]
    for p in result["packages"]:
        mark = "" if p["direct"] else "  (pulled in by another)"
        lines.append(f"  {p['name']:<22} {p['version']:<10} {p['mib']:>7.1f} MiB{mark}")
    if result.get("baseline"):
        base = result["baseline"]
        lines.append(f"Baseline {base['source']}: {base['total_mib']} MiB")
    return lines


def _run_cli(quick: bool = False) -> dict[str, Any]:
    """``--baseline`` also measures :data:`BEFORE_MINIAUDIO` (as ``make bench`` does)."""
    return run(quick, baseline_ref=BEFORE_MINIAUDIO if "--baseline" in sys.argv else None)


if __name__ == "__main__":
    main_for(_run_cli, summary_lines, needs_x=False)
