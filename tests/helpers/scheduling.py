"""How long this process's threads waited for a CPU: stalls the machine caused, not the app.

Linux counts, per thread, the time it was ready to run but had to wait for a CPU (the second
field of ``/proc/<pid>/task/<tid>/schedstat``). A test that times the GUI thread subtracts
these waits from a gap, so a loaded machine cannot make the app look stalled, while work the
app does on the GUI thread (CPU time) or waits it makes the GUI thread do (on a pipe, a lock, a
file) still count. All threads, not only the GUI thread: a thread the scheduler holds back
while it holds Python's GIL (the audio thread, say) holds the GUI thread back too.
"""

from __future__ import annotations

from pathlib import Path

_TASKS = Path("/proc/self/task")


def can_measure_cpu_waits() -> bool:
    """Whether this kernel reports run-queue waits (needs CONFIG_SCHED_INFO)."""
    return Path("/proc/thread-self/schedstat").is_file()


class CpuWaits:
    """The process's threads' waits for a CPU, read in steps."""

    def __init__(self) -> None:
        self._seen = self._read()

    @staticmethod
    def _read() -> dict[str, int]:
        waits: dict[str, int] = {}
        for task in _TASKS.iterdir():
            try:
                waits[task.name] = int((task / "schedstat").read_text().split()[1])
            except (OSError, IndexError, ValueError):
                continue  # the thread ended meanwhile
        return waits

    def since_last(self) -> float:
        """Seconds the threads waited for a CPU since the last call (threads started since
        then count from their start; ended ones with what they had waited by the last call)."""
        now = self._read()
        waited = sum(ns - self._seen.get(tid, 0) for tid, ns in now.items())
        self._seen = now
        return max(0, waited) / 1e9
