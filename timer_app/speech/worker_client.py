"""The GUI side of a speech worker process: requests out, replies in, hangs killed.

Built on ``QProcess`` so nothing ever waits on the GUI thread: replies arrive through
``readyReadStandardOutput``. Each request has a timeout; a worker that misses it is killed (its
whole process group, with any child the engine started) and started afresh for the next
request, so an engine hang costs one phrase, never the app. With ``idle_exit`` set, a
worker with nothing to do for that long is let go (its input closed, so it exits by itself):
between sessions and in the middle of one, once its phrases are rendered, no helper process
holds memory; the next request starts one again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QProcess, QTimer

log = logging.getLogger(__name__)

Reply = dict[str, Any]
Callback = Callable[[Reply], None]


@dataclass
class _Job:
    request: dict[str, Any]
    callback: Callback
    timeout: float


class WorkerClient(QObject):
    """One worker process serving requests one at a time, in order."""

    def __init__(
        self,
        parent: QObject | None = None,
        name: str = "speech",
        command: list[str] | None = None,
        idle_exit: float | None = None,
    ) -> None:
        super().__init__(parent)
        self._name = name
        #: The worker's command line (tests substitute a worker that hangs or dies).
        self._command = command or [sys.executable, "-m", "timer_app.speech.worker"]
        self._proc: QProcess | None = None
        self._queue: deque[_Job] = deque()
        self._current: _Job | None = None
        self._buffer = b""
        self._next_id = 1
        self._closed = False
        # Finished QProcess objects, dropped later: deleting one inside its own signal (or
        # deleteLater on one whose parent Python then destroys) crashes PySide.
        self._dead: list[QProcess] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._retire)
        self._idle_exit = idle_exit

    # ------------------------------------------------------------------ API
    def request(self, request: dict[str, Any], callback: Callback, timeout: float = 10.0) -> None:
        """Queue ``request``; ``callback(reply)`` runs on the GUI thread (``ok`` False on error,
        timeout or a dead worker)."""
        if self._closed:
            callback({"ok": False, "error": "speech worker shut down"})
            return
        self._idle.stop()
        request = {**request, "id": self._next_id}
        self._next_id += 1
        self._queue.append(_Job(request, callback, timeout))
        self._pump()

    def busy(self) -> bool:
        return self._current is not None or bool(self._queue)

    def process_id(self) -> int:
        """The worker's pid (0 when none runs)."""
        return int(self._proc.processId()) if self._proc is not None else 0

    def cancel_all(self) -> None:
        """Drop queued requests and kill the worker if it is busy."""
        self._queue.clear()
        if self._current is not None:
            self._current = None
            self._timer.stop()
            self._kill()

    def shutdown(self) -> None:
        self._closed = True
        pending = ([self._current] if self._current else []) + list(self._queue)
        self._queue.clear()
        self._current = None
        self._timer.stop()
        self._idle.stop()
        self._kill()
        for proc in self._dead:  # retired ones exit on their own within milliseconds
            if proc.state() != QProcess.ProcessState.NotRunning and not proc.waitForFinished(500):
                proc.kill()
                proc.waitForFinished(500)
        self._bury()
        for job in pending:
            job.callback({"ok": False, "error": "speech worker shut down"})

    # ------------------------------------------------------------- internals
    def _ensure_process(self) -> QProcess:
        if self._proc is not None and self._proc.state() != QProcess.ProcessState.NotRunning:
            return self._proc
        self._bury()
        proc = QProcess(self)
        proc.setProgram(self._command[0])
        proc.setArguments(self._command[1:])
        # pyttsx3 chatters on stderr; unread, a pipe would fill up and block the worker.
        proc.setStandardErrorFile(QProcess.nullDevice())
        if hasattr(QProcess, "UnixProcessParameters") and sys.platform != "win32":
            # Own session: killing the group also kills any child the engine started.
            params = QProcess.UnixProcessParameters()
            params.flags = QProcess.UnixProcessFlag.CreateNewSession
            proc.setUnixProcessParameters(params)
        proc.readyReadStandardOutput.connect(self._on_output)
        proc.finished.connect(self._on_finished)
        proc.errorOccurred.connect(self._on_error)
        self._buffer = b""
        proc.start()
        self._proc = proc
        return proc

    def _pump(self) -> None:
        if self._current is not None or not self._queue:
            if self._current is None and self._idle_exit is not None and self._proc is not None:
                self._idle.start(round(self._idle_exit * 1000))
            return
        job = self._queue.popleft()
        self._current = job
        proc = self._ensure_process()
        proc.write((json.dumps(job.request) + "\n").encode("utf-8"))
        self._timer.start(int(job.timeout * 1000))

    def _finish(self, reply: Reply) -> None:
        job, self._current = self._current, None
        self._timer.stop()
        if job is not None:
            try:
                job.callback(reply)
            except Exception:  # a bad callback must not stall the queue
                log.exception("speech worker callback failed")
        self._pump()

    def _on_output(self) -> None:
        proc = self._proc
        if proc is None:
            return
        self._buffer += bytes(proc.readAllStandardOutput().data())
        while b"\n" in self._buffer:
            line, self._buffer = self._buffer.split(b"\n", 1)
            try:
                reply = json.loads(line)
            except ValueError:
                continue
            if self._current is not None and reply.get("id") == self._current.request["id"]:
                self._finish(reply)

    def _on_timeout(self) -> None:
        job = self._current
        log.warning(
            "%s worker: no answer within %.1f s; killing it", self._name, job.timeout if job else 0
        )
        self._kill()
        self._finish({"ok": False, "error": "timed out", "timeout": True})

    def _on_finished(self, *_: object) -> None:
        proc = self._proc
        if proc is None or proc.state() != QProcess.ProcessState.NotRunning:
            return
        self._proc = None
        self._dead.append(proc)
        if self._current is not None:
            self._finish({"ok": False, "error": "the speech worker exited"})

    def _on_error(self, error: QProcess.ProcessError) -> None:
        proc = self._proc
        if error == QProcess.ProcessError.FailedToStart and proc is not None:
            self._proc = None
            self._dead.append(proc)
            if self._current is not None:
                self._finish({"ok": False, "error": "the speech worker could not start"})

    def _retire(self) -> None:
        """Let an idle worker go: closing its input makes it leave its loop and exit."""
        proc = self._proc
        if proc is None or self.busy():
            return
        self._proc = None
        for signal_ in (proc.readyReadStandardOutput, proc.finished, proc.errorOccurred):
            signal_.disconnect()
        proc.closeWriteChannel()
        self._bury()
        self._dead.append(proc)

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.state() == QProcess.ProcessState.Starting:
            proc.waitForStarted(2000)  # its pid is needed to kill its process group
        pid = proc.processId()
        if pid and sys.platform != "win32":
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
        for signal_ in (proc.readyReadStandardOutput, proc.finished, proc.errorOccurred):
            signal_.disconnect()
        proc.kill()
        proc.waitForFinished(1000)  # reaps the child; killed already, so this is quick
        self._dead.append(proc)

    def _bury(self) -> None:
        for proc in self._dead:
            if proc.state() == QProcess.ProcessState.NotRunning:
                proc.setParent(None)  # Python owns it now and frees it with the list entry
        self._dead = [p for p in self._dead if p.state() != QProcess.ProcessState.NotRunning]
