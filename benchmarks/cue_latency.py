"""Cue latency: when is a step's spoken announcement heard, relative to the step boundary?

Run: ``python -m benchmarks.cue_latency`` (prints JSON; ``run()`` returns it for ``make bench``).

A private PulseAudio server with a null sink stands in for the sound card and ``parec`` records
its monitor (see ``tests/audio/rig.py`` for how recording time is aligned to the monotonic
clock). A routine of many short steps runs through a real :class:`SessionEngine` and the app's
:class:`ClipSpeaker` on a Qt event loop, woken by one single-shot precise timer aimed at
``engine.next_event_time()``, exactly as the session controller does. For every boundary, the
first sound onset near it is compared with the boundary's clock time. The same routine is then
spoken the naive way: pyttsx3 ``say()`` + ``runAndWait()`` called at each boundary.

Method details: onset = first 2 ms frame above RMS 100 (-50 dBFS) after >= 250 ms of silence,
recorded at the sink's 48 kHz (at 16 kHz the resampler's low-pass hid the "th" of "Three" and
moved onsets by up to 40 ms). Recording time is tied to ``time.monotonic()`` by when parec's
chunks arrive, read in a separate process so a busy Qt loop cannot delay the time stamps, plus
the sink's render-ahead (5 ms), which must be read while streams are connected (idle, the null
sink reports 2 s).

Each output runs in a fresh process of its own (``run_app_way_apart``), which also reports
that process's CPU per minute of session and of an idle open stream, and its memory.
``--compare-qt`` (or ``run(compare_qt=True)``) adds the Qt Multimedia output the app used until
2026-12-01 (``benchmarks/qt_sound_effect_output.py``; needs ``pip install PySide6-Addons``).

Findings (2026-12-01, 2 vCPUs AMD EPYC, Python 3.11.7, 17 boundaries each, same run):

================================  ==================  =========  ==============  ===========
output                            after the 1st:      1st        CPU-s/min       memory
                                  median / worst      (start)    session / idle  after/peak
================================  ==================  =========  ==============  ===========
miniaudio, 40 ms pulls            -5.6 / +8.4 ms      74.4 ms    0.82 / 0.52     95.6/116.6
Qt ``QSoundEffect``               +10.0 / +17.0 ms    25.0 ms    0.23 / 0.36     92.9/113.8
================================  ==================  =========  ==============  ===========

- The first boundary is the session's start: its cue is due at once, so it cannot be handed
  over early and is heard one output latency late. Every later cue lands on the boundary.
- miniaudio: a clip starts a fixed number of frames after the frame due at ``play()`` (see
  ``timer_app/speech/stream_clock.py``), so the pull's phase adds no jitter. Starting at the
  next pull instead gave 0-40 ms of jitter; 5 ms pulls starved PulseAudio (cues -61..+1155 ms).
- CPU is the price: each pull costs ~0.15 ms (miniaudio's PulseAudio client and a trip into
  Python from a foreign thread); 40 ms pulls are the compromise (docs/performance.md).
- The speaker closes the stream through a session's quiet stretches and opens it 1.5 s before
  the next cue (issue 16). The run on 10-second steps (``app_quiet_steps``) has it closed about
  4 s of every 10; 2026-12-01, loaded machine, two runs: later cues -9.9..+6.1 ms and
  -9.4..+6.6 ms. Stopping instead of closing (``ma_device_stop``) put cues up to 46 ms off.
- The naive way is on time here only because it ran alone in its own process and each phrase
  ended before the next boundary. On the GUI thread it freezes the window for the whole phrase
  and cannot be stopped on pause; with 4-second steps, where announcements outlast the step, an
  earlier run had naive cues up to 1169 ms late (p90 649 ms).
- The edges of a session (issue 10), through ``timer-app --routine FILE --start`` launched as a
  user would (``tests/audio/app_run.py``): the first announcement against the schedule its next
  two steps give, how long Space leaves a phrase sounding (the first announcement, and one
  rendered on the spot), and the session tree's resident memory once a second. Before: the
  first announcement 0.95-1.2 s late, spoken live through ``aplay`` (3.5 s of it after Space);
  after (2026-11-30, same machine, first runs and cached): 16-27 ms, Space silent in 16-65 ms,
  the speech worker gone 10 s after its last phrase.
- The recording is speech: ``sox app-way.wav -n stat`` gave length 87.3 s, maximum amplitude
  0.72, RMS 0.063, rough frequency 1382 Hz (a 3 s slice of an announcement: RMS 0.091, 1221 Hz).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.audio.rig import PulseServer, Recorder, RigUnavailable, onsets

STEP_SECONDS = 5
#: Steps this long leave a quiet stretch between announcements, through which the speaker
#: closes its stream and opens it again ahead of the next cue: the run on them measures cues
#: played on a stream opened 1.5 s before (see ClipSpeaker.expect_cue_at).
QUIET_STEP_SECONDS = 10
ROUNDS = 2
#: Onsets further than this after a boundary do not belong to it (missed cue).
WINDOW = (-0.3, 1.5)


def bench_routine(step_seconds: int = STEP_SECONDS) -> Any:
    """Short steps, both sides, two rounds: 17 boundaries, one announcement each."""
    from timer_app.core.routine import MainBlock, Phase, PhaseKind, Routine, SidesMode

    phases = (
        Phase(PhaseKind.PASSIVE, step_seconds),
        Phase(PhaseKind.PAIL, step_seconds),
        Phase(PhaseKind.RAIL, step_seconds),
        Phase(PhaseKind.REST, step_seconds),
    )
    main = MainBlock(phases, rounds=ROUNDS, sides=SidesMode.BOTH, switch_sides_seconds=step_seconds)
    return Routine(id="bench", name="Latency bench", main=main)


def match(boundaries: list[float], heard: list[float]) -> list[float | None]:
    """For each boundary, the first onset in its window, as seconds after the boundary."""
    out: list[float | None] = []
    for b in boundaries:
        near = [o - b for o in heard if WINDOW[0] <= o - b <= WINDOW[1]]
        out.append(min(near, key=lambda d: (d < -0.05, d)) if near else None)
    return out


def summarise(delays: list[float | None]) -> dict[str, Any]:
    found = [d for d in delays if d is not None]
    if not found:
        return {"boundaries": len(delays), "heard": 0}
    ms: list[float] = sorted(d * 1000 for d in found)
    worst = max(ms, key=abs)
    return {
        "boundaries": len(delays),
        "heard": len(found),
        "median_ms": round(statistics.median(ms), 1),
        "worst_ms": round(worst, 1),
        "p90_abs_ms": round(sorted(abs(m) for m in ms)[int(0.9 * (len(ms) - 1))], 1),
        "all_ms": [round(m, 1) for m in ms],
        "by_boundary_ms": [None if d is None else round(d * 1000, 1) for d in delays],
        **_after_start(delays),
    }


def _after_start(delays: list[float | None]) -> dict[str, Any]:
    """The same without the first boundary: the session's start, whose cue is due the moment
    the session starts, so no output can start it early; it is heard one output latency late
    (25 ms with Qt's, 72 ms with miniaudio's). Every later cue is handed over early."""
    later = sorted(d * 1000 for d in delays[1:] if d is not None)
    if not later:
        return {}
    return {
        "later_median_ms": round(statistics.median(later), 1),
        "later_worst_ms": round(max(later, key=abs), 1),
        "first_ms": None if delays[0] is None else round(delays[0] * 1000, 1),
    }


#: With the stream open and nothing playing, CPU is read over this long.
IDLE_SECONDS = 10.0


def make_speaker(output: str) -> Any:
    """The app's ClipSpeaker on the named output, with that output's latency compensation."""
    from timer_app.settings import Settings
    from timer_app.speech.clip_speaker import ClipSpeaker

    settings = Settings(tones=False)  # measure speech, not the end-of-contraction tone
    if output == "miniaudio":
        return ClipSpeaker(settings)
    if output.startswith("miniaudio-"):  # e.g. "miniaudio-10": another period, for trials
        from timer_app.speech.output import ClipOutput, latency_for

        period = int(output.split("-")[1])
        return ClipSpeaker(
            settings,
            output_factory=lambda: ClipOutput(period_ms=period),
            output_latency=latency_for(period),
        )
    from benchmarks import qt_sound_effect_output as qt
    from timer_app.speech.clips import speech_cache_dir

    return ClipSpeaker(
        settings,
        output_factory=lambda: qt.QtSoundEffectOutput(speech_cache_dir()),
        output_latency=qt.OUTPUT_LATENCY,
    )


def process_cpu() -> float:
    """CPU seconds of this process, all threads (the audio thread included)."""
    return time.process_time()


def vm_mib(key: str) -> float | None:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def run_app_way(
    server: PulseServer, cache: Path, output: str = "miniaudio", step_seconds: int = STEP_SECONDS
) -> dict[str, Any]:
    """The app's way on ``output``; returns the summary, the CPU and memory of this process,
    and the recording's path for inspection."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtGui import QGuiApplication

    from timer_app.core.clock import monotonic
    from timer_app.core.engine import CueDue, Finished, SessionEngine, StepStarted
    from timer_app.core.timeline import build_timeline

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    rss_before = vm_mib("VmRSS")
    speaker = make_speaker(output)
    speaker.start_probing()
    timeline = build_timeline(bench_routine(step_seconds))
    t0 = time.monotonic()
    speaker.prepare(timeline.phrases())
    retries = 0
    while not (speaker.is_prepared() and speaker.has_sound()) and time.monotonic() - t0 < 60:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.005)
        if time.monotonic() - t0 > 5 * (retries + 1):
            # On a busy machine espeak now and then writes an empty file; that phrase would
            # be spoken live, which is not what is measured here: ask for it again.
            retries += 1
            speaker.prepare(timeline.phrases())
    prepare_s = time.monotonic() - t0
    if not speaker.is_prepared():
        clips = speaker._library.clips
        raise RuntimeError(
            f"phrases not prepared after 60 s; notice: {speaker.notice()!r}; rendered"
            f" {len(clips)}/{len(timeline.phrases())}; has_sound {speaker.has_sound()}"
        )
    # The stream is open (prepare() warmed it up) and nothing plays: what does waiting cost?
    idle = QEventLoop()
    cpu0 = process_cpu()
    QTimer.singleShot(round(IDLE_SECONDS * 1000), idle.quit)
    idle.exec()
    idle_cpu = (process_cpu() - cpu0) * 60 / IDLE_SECONDS

    recorder = Recorder(server).start()
    ahead = sink_latency(server)  # now, while streams are connected (idle, it is 2 s)
    loop = QEventLoop()
    engine = SessionEngine(timeline, monotonic, cue_lead=speaker.lead_seconds())
    boundaries: list[float] = []
    wake_late: list[float] = []
    timer = QTimer()
    timer.setSingleShot(True)
    timer.setTimerType(Qt.TimerType.PreciseTimer)

    def handle(events: list[Any]) -> None:
        for event in events:
            if isinstance(event, StepStarted):
                boundaries.append(event.at)
            elif isinstance(event, CueDue):
                if event.cue.kind.value in ("announce", "switch") and boundaries[1:]:
                    wake_late.append(event.late_by + engine.cue_lead)
                speaker.play(event.cue, event.late_by)
            elif isinstance(event, Finished):
                QTimer.singleShot(1500, loop.quit)
        nxt = engine.next_event_time()
        speaker.expect_cue_at(nxt)  # as the controller does: the stream may close till then
        if nxt is not None:
            timer.start(max(0, int((nxt - monotonic()) * 1000)))

    timer.timeout.connect(lambda: handle(engine.poll()))
    QTimer.singleShot(800, lambda: handle(engine.start()))  # device warm, recorder running
    # A watchdog: should the timer chain ever break (an exception in a slot), the benchmark
    # ends with what it has instead of recording for ever (seen once, not understood).
    QTimer.singleShot(round((timeline.total_seconds + 30) * 1000), loop.quit)
    cpu0, t0 = process_cpu(), time.monotonic()
    loop.exec()
    session_cpu = (process_cpu() - cpu0) * 60 / (time.monotonic() - t0)
    rss_after = vm_mib("VmRSS")
    samples, start = recorder.stop()
    speaker.shutdown()
    wav = cache / f"app-way-{output}-{step_seconds}s.wav"
    _save(samples, wav)
    delays = match(boundaries, onsets(samples, start.shifted(ahead), threshold=100))
    return {
        **summarise(delays),
        "prepare_seconds": round(prepare_s, 2),
        "render_retries": retries,
        "phrases": len(timeline.phrases()),
        "timer_wake_late_ms_max": round(max(wake_late) * 1000, 1) if wake_late else None,
        "sink_renders_ahead_ms": round(ahead * 1000, 1),
        "recording": str(wav),
        "output": output,
        "step_seconds": step_seconds,
        # This process, all threads: Qt, the speaker, the output's audio thread.
        "cpu_s_per_min_session": round(session_cpu, 3),
        "cpu_s_per_min_idle_stream": round(idle_cpu, 3),
        "rss_mib_before_speaker": rss_before,
        "rss_mib_after_session": rss_after,
        "hwm_mib": vm_mib("VmHWM"),
    }


APP_WAY_CHILD = """
import json, sys
from pathlib import Path
from benchmarks.cue_latency import run_app_way
from tests.audio.rig import PulseServer
server = PulseServer(root=Path(sys.argv[1]))  # started by the parent; not stopped here
print(json.dumps(run_app_way(server, Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))))
"""


def run_app_way_apart(
    server: PulseServer, cache: Path, output: str, step_seconds: int = STEP_SECONDS
) -> dict[str, Any]:
    """:func:`run_app_way` in a fresh process, so each output's memory and CPU are its own."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            APP_WAY_CHILD,
            str(server.root),
            str(cache),
            output,
            str(step_seconds),
        ],
        env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent)),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        tail = " | ".join(done.stderr.strip().splitlines()[-5:])
        return {"output": output, "boundaries": 0, "heard": 0, "error": tail}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def qt_multimedia_installed() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("PySide6.QtMultimedia") is not None
    except ImportError:
        return False


NAIVE_SCRIPT = r"""
import json, sys, time, pyttsx3
plan = json.loads(sys.argv[1])
engine = pyttsx3.init()
engine.setProperty("rate", 165)
for at, text in plan:
    delay = at - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    t = time.monotonic()
    engine.say(text)
    engine.runAndWait()
    print(time.monotonic() - t, flush=True)  # how long a GUI thread would have been frozen
"""


def run_naive_way(server: PulseServer) -> dict[str, Any]:
    """pyttsx3 ``say()`` + ``runAndWait()`` at each boundary, in a process of its own."""
    from timer_app.core.timeline import build_timeline

    timeline = build_timeline(bench_routine())
    recorder = Recorder(server).start()
    ahead = sink_latency(server)
    first = time.monotonic() + 2.0  # time for the interpreter and pyttsx3 to start
    plan = [
        (first + start, step.cues[0].text)
        for start, step in zip(timeline.starts, timeline.steps, strict=True)
    ]
    done = subprocess.run(
        [sys.executable, "-c", NAIVE_SCRIPT, json.dumps(plan)],
        env=server.env(),
        stdout=subprocess.PIPE,
        text=True,
        stderr=subprocess.DEVNULL,
        timeout=timeline.total_seconds + 60,
        check=False,
    )
    time.sleep(0.5)
    samples, start = recorder.stop()
    heard = onsets(samples, start.shifted(ahead), threshold=100)
    delays = match([at for at, _ in plan], heard)
    blocked = [float(x) * 1000 for x in done.stdout.split()]
    return {
        **summarise(delays),
        "runAndWait_blocks_ms_median": round(statistics.median(blocked), 1) if blocked else None,
        "runAndWait_blocks_ms_max": round(max(blocked), 1) if blocked else None,
    }


# ------------------------------------------------------------- the edges of a session
#: Launches of ``timer-app --start`` for the first announcement: a first run (nothing cached)
#: and a second one (the session's clips on disk), alternately.
EDGE_RUNS = 6
PAUSE_RUNS = 3
#: A 10 ms frame quieter than this (16-bit RMS, about -56 dBFS) is silence after a pause.
QUIET_RMS = 50.0


def run_first_announcements(
    server: PulseServer, home: Path, display: str, runs: int
) -> dict[str, Any]:
    """``timer-app --routine FILE --start``, lead-in 0, as a user starts a session: how late
    is the first announcement against the schedule its next two steps' onsets give?"""
    from tests.audio.app_run import (
        STEP_SECONDS,
        AppRun,
        first_announcement_delay,
        step_onsets,
    )

    first: dict[str, list[float]] = {"cold": [], "warm": []}
    later: list[float] = []
    launch_to_sound: dict[str, list[float]] = {"cold": [], "warm": []}
    for k in range(runs):
        kind = "cold" if k % 2 == 0 else "warm"
        run = AppRun.launch(home, server, display, keep_cache=kind == "warm")
        try:
            heard_at = run.wait_for_sound()
            launch_to_sound[kind].append(heard_at - run.launched)
            time.sleep(max(0.0, heard_at + 2 * STEP_SECONDS + 0.5 - time.monotonic()))
        finally:
            samples, aligner = run.finish()
        if k == 0:
            _save(samples, home / "first-run.wav")  # to listen to, or inspect with sox
        heard = step_onsets(samples, aligner)
        if len(heard) < 3:
            continue
        delay, rest = first_announcement_delay(heard[:3])
        first[kind].append(delay * 1000)
        later.extend(r * 1000 for r in rest)
    return {
        "first_runs": runs,
        "first_ms": {k: [round(v, 1) for v in vs] for k, vs in first.items()},
        "first_worst_ms": round(max((v for vs in first.values() for v in vs), key=abs), 1)
        if any(first.values())
        else None,
        "later_offsets_ms": [round(v, 1) for v in later],
        "recording": str(home / "first-run.wav"),
        "launch_to_first_sound_s": {
            k: [round(v, 2) for v in vs] for k, vs in launch_to_sound.items()
        },
    }


def run_memory(
    server: PulseServer, home: Path, display: str, seconds: float = 28.0
) -> dict[str, Any]:
    """Resident memory (VmRSS) of a session's process tree, once a second: the app, and
    its helper processes (the speech worker) apart. A first run: phrases are rendered."""
    from benchmarks.common import children_of, status_kib
    from tests.audio.app_run import AppRun

    samples: list[dict[str, Any]] = []
    run = AppRun.launch(home, server, display)
    try:
        run.wait_for_sound()
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            helpers = children_of(run.proc.pid)
            samples.append(
                {
                    "t": round(time.monotonic() - started, 1),
                    "app_mib": _mib(status_kib(run.proc.pid, "VmRSS")),
                    "helpers_mib": [
                        round((status_kib(c, "VmRSS") or 0) / 1024, 1) for c in helpers
                    ],
                    "helpers": [_cmdline(c) for c in helpers],
                }
            )
            time.sleep(1.0)
    finally:
        run.finish()
    at_25 = next((m for m in samples if m["t"] >= 25), samples[-1] if samples else {})
    tree = [m["app_mib"] + sum(m["helpers_mib"]) for m in samples]
    return {
        "memory_samples": samples,
        "app_rss_mib_max": max((m["app_mib"] for m in samples), default=None),
        "helpers_rss_mib_max": max((sum(m["helpers_mib"]) for m in samples), default=None),
        "helper_processes_max": max((len(m["helpers_mib"]) for m in samples), default=None),
        "tree_rss_mib_max": round(max(tree), 1) if tree else None,
        "at_25s": at_25,
    }


def _mib(kib: int | None) -> float:
    return round((kib or 0) / 1024, 1)


def _cmdline(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    return " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)[-60:]


def cut_after(samples: Any, aligner: Any, pressed: float, until: float) -> float | None:
    """Seconds from ``pressed`` until the sink stayed quiet for good (to ``until``)."""
    from tests.audio.rig import RATE, frame_rms

    frame = RATE // 100
    rms = frame_rms(samples, frame)
    loud_after = [
        aligner((i + 1) * frame)
        for i, v in enumerate(rms)
        if v >= QUIET_RMS and pressed <= aligner(i * frame) < until
    ]
    return (max(loud_after) - pressed) if loud_after else 0.0


def run_pause_cuts(server: PulseServer, home: Path, display: str, runs: int) -> dict[str, Any]:
    """Space 0.4 s into the first announcement, and into a phrase rendered on the spot (the
    re-announcement on resume after a 0.3 s pause): how long until the sink is silent?
    Measured from just before the key is sent (xdotool's own start-up included)."""
    from tests.audio.app_run import AppRun

    cuts: dict[str, list[float]] = {"first_announcement": [], "phrase_rendered_on_the_spot": []}
    for _ in range(runs):
        for case in cuts:
            run = AppRun.launch(home, server, display, keep_cache=True)
            try:
                sounding = run.wait_for_sound()
                time.sleep(max(0.0, sounding + 0.4 - time.monotonic()))
                run.press("space")
                if case == "phrase_rendered_on_the_spot":
                    time.sleep(0.3)
                    run.press("space")
                    sounding = run.wait_for_sound(timeout=5)
                    time.sleep(max(0.0, sounding + 0.4 - time.monotonic()))
                    run.press("space")
                pressed = run.last_press_started  # xdotool's own start-up counted
                time.sleep(1.5)
                until = time.monotonic()
            finally:
                samples, aligner = run.finish()
            cut = cut_after(samples, aligner, pressed, until)
            if cut is not None:
                cuts[case].append(round(cut * 1000, 1))
    return {"pause_runs": runs, "cut_ms": cuts}


def run_session_edges(server: PulseServer, out_dir: Path) -> dict[str, Any]:
    from tests.audio.app_run import KeyboardDisplay

    home = out_dir / "edges"
    home.mkdir(exist_ok=True)
    display = KeyboardDisplay().start()  # the app's own X server, no key auto-repeat
    try:
        return {
            **run_first_announcements(server, home, display.name, EDGE_RUNS),
            **run_pause_cuts(server, home, display.name, PAUSE_RUNS),
            **run_memory(server, home, display.name),
        }
    finally:
        display.stop()


def sink_latency(server: PulseServer) -> float:
    """The null sink renders (and its monitor records) this far ahead of "playing"."""
    out = subprocess.run(
        ["pactl", "list", "sinks"], env=server.env(), capture_output=True, text=True, check=False
    ).stdout
    for line in out.splitlines():
        if "Latency:" in line and "configured" in line:
            return int(line.split("configured")[1].split()[0]) / 1e6
    return 0.0


def _save(samples: Any, path: Path) -> None:
    import wave

    from tests.audio.rig import RATE

    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())


def machine() -> dict[str, Any]:
    model = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def run(compare_qt: bool | None = None) -> dict[str, Any]:
    """Run the measurements; returns a JSON-able dict (``error`` set if the rig failed).

    ``compare_qt``: also play through the old Qt Multimedia output (default: when installed).
    """
    if compare_qt is None:
        compare_qt = qt_multimedia_installed()
    out_dir = Path(tempfile.mkdtemp(prefix="cue-latency-"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["XDG_CACHE_HOME"] = str(out_dir / "cache")  # render from scratch, as a new user
    server = PulseServer()
    try:
        server.start()
    except RigUnavailable as exc:
        return {"name": "cue_latency", "error": str(exc), "machine": machine()}
    try:
        os.environ.update({"PULSE_SERVER": server.server, "XDG_RUNTIME_DIR": str(server.root)})
        app_way = run_app_way_apart(server, out_dir, "miniaudio")
        quiet_steps = run_app_way_apart(server, out_dir, "miniaudio", QUIET_STEP_SECONDS)
        qt_way = run_app_way_apart(server, out_dir, "qt_sound_effect") if compare_qt else None
        edges = run_session_edges(server, out_dir)
        naive = run_naive_way(server)
    finally:
        server.stop()
    result = {
        "name": "cue_latency",
        "target": {"median_ms": 40, "worst_ms": 80},
        "edges_target": {"first_ms": 80, "cut_ms": 150},
        "app": app_way,
        "app_quiet_steps": quiet_steps,
        "edges": edges,
        "naive_say_runAndWait": naive,
        "machine": machine(),
    }
    if qt_way is not None:
        result["app_qt_sound_effect"] = qt_way
    return result


if __name__ == "__main__":
    print(json.dumps(run(compare_qt=True if "--compare-qt" in sys.argv else None), indent=2))
