"""The worker process link: real child processes, including ones that hang or die."""

from __future__ import annotations

import os
import sys
from typing import Any

import pytest

from timer_app.speech.worker_client import WorkerClient

pytestmark = pytest.mark.usefixtures("qapp")

HANGS = [sys.executable, "-c", "import time\nwhile True: time.sleep(1)"]
DIES = [sys.executable, "-c", "import sys; sys.exit(3)"]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it is dead for our purpose.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except OSError:
        return False


def test_a_hung_engine_is_killed_and_the_caller_told(qtbot: Any) -> None:
    client = WorkerClient(command=HANGS)
    replies: list[dict[str, Any]] = []
    client.request({"op": "render", "text": "Three."}, replies.append, timeout=0.3)
    qtbot.waitUntil(lambda: client.process_id() != 0, timeout=2000)
    pid = client.process_id()
    qtbot.waitUntil(lambda: bool(replies), timeout=3000)
    # The reply says it timed out (the 3 s wait above bounds it; no wall-clock assert).
    assert replies[0]["ok"] is False and replies[0].get("timeout")
    qtbot.waitUntil(lambda: not alive(pid), timeout=2000)
    client.shutdown()


def test_a_dying_worker_fails_its_request_and_the_next_one_restarts_it(qtbot: Any) -> None:
    client = WorkerClient(command=DIES)
    replies: list[dict[str, Any]] = []
    client.request({"op": "hello"}, replies.append, timeout=5)
    client.request({"op": "hello"}, replies.append, timeout=5)
    qtbot.waitUntil(lambda: len(replies) == 2, timeout=5000)
    assert [r["ok"] for r in replies] == [False, False]
    client.shutdown()


def test_the_real_worker_answers_hello_or_explains(qtbot: Any) -> None:
    client = WorkerClient()
    replies: list[dict[str, Any]] = []
    client.request({"op": "hello"}, replies.append, timeout=15)
    qtbot.waitUntil(lambda: bool(replies), timeout=16000)
    reply = replies[0]
    assert reply["ok"] or "engine" in reply["error"]
    client.shutdown()


def test_a_request_after_shutdown_fails_at_once() -> None:
    client = WorkerClient()
    client.shutdown()
    replies: list[dict[str, Any]] = []
    client.request({"op": "hello"}, replies.append)
    assert replies == [{"ok": False, "error": "speech worker shut down"}]


def test_cancelling_kills_the_whole_process_group(qtbot: Any, tmp_path: Any) -> None:
    """Live speech runs ``aplay`` as a child of the worker: silence() must stop both."""
    pid_file = tmp_path / "child.pid"
    spawns_child = [
        sys.executable,
        "-c",
        "import subprocess, sys, time\n"
        f"child = subprocess.Popen(['sleep', '60'])\nopen({str(pid_file)!r}, 'w').write("
        "str(child.pid))\nsys.stdin.readline()\ntime.sleep(60)",
    ]
    client = WorkerClient(command=spawns_child)
    client.request({"op": "say", "text": "Relax into the stretch."}, lambda r: None, timeout=30)
    qtbot.waitUntil(lambda: pid_file.exists() and pid_file.read_text() != "", timeout=5000)
    worker, child = client.process_id(), int(pid_file.read_text())
    assert alive(worker) and alive(child)
    client.cancel_all()
    qtbot.waitUntil(lambda: not alive(worker) and not alive(child), timeout=2000)
    client.shutdown()


def test_shutting_down_a_worker_that_is_still_starting_leaves_nothing_running(
    qtbot: Any,
) -> None:
    from PySide6.QtCore import QProcess

    client = WorkerClient(command=HANGS)
    client.request({"op": "hello"}, lambda r: None, timeout=5)
    procs = client.findChildren(QProcess)
    assert procs and procs[0].state() != QProcess.ProcessState.NotRunning
    client.shutdown()  # at once: the process may not even have started
    # Killed and reaped, so Qt will not warn "Destroyed while process is still running".
    assert all(p.state() == QProcess.ProcessState.NotRunning for p in procs)
    assert client.process_id() == 0


ECHO = [
    sys.executable,
    "-c",
    "import json, sys\n"
    "for line in sys.stdin:\n"
    "    print(json.dumps({'id': json.loads(line)['id'], 'ok': True}), flush=True)\n",
]


def test_an_idle_worker_exits_and_the_next_request_starts_another(qtbot: Any) -> None:
    client = WorkerClient(command=ECHO, idle_exit=0.1)
    replies: list[dict[str, Any]] = []
    client.request({"op": "hello"}, replies.append, timeout=5)
    qtbot.waitUntil(lambda: bool(replies), timeout=5000)
    first = client.process_id()
    assert first and alive(first)
    qtbot.waitUntil(lambda: not alive(first), timeout=5000)  # nothing to do: it left
    assert client.process_id() == 0
    client.request({"op": "hello"}, replies.append, timeout=5)
    qtbot.waitUntil(lambda: len(replies) == 2, timeout=5000)
    assert replies[1]["ok"] and client.process_id() not in (0, first)
    client.shutdown()


def test_a_busy_worker_is_not_let_go(qtbot: Any) -> None:
    client = WorkerClient(command=HANGS, idle_exit=0.05)
    replies: list[dict[str, Any]] = []
    client.request({"op": "render", "text": "Three."}, replies.append, timeout=5)
    qtbot.waitUntil(lambda: client.process_id() != 0, timeout=2000)
    pid = client.process_id()
    # Busy for many idle periods: the idle timer must not let the worker go mid-request.
    qtbot.wait(500)
    assert client.process_id() == pid and alive(pid) and not replies
    client.shutdown()
