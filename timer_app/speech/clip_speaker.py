"""The real speaker: phrases rendered ahead of time in a worker process, played on cue.

``prepare()`` sends every phrase of the session to the render worker (pyttsx3 ``save_to_file``,
one phrase per ``runAndWait()``), which caches WAVs by (engine, voice, rate, text). ``play()``
starts the pre-loaded clip through the app's audio output, timed with a precise timer so the
*sound* lands on the boundary. Nothing is spoken through a child process: a phrase without a
clip (one not prepared, "Test voice", the step re-announced on resume) is rendered by the same
worker ahead of everything else and played through the same output the moment it is loaded,
so ``silence()`` cuts every sound there is, at once. One speech helper process in all.
Collisions and lateness follow :mod:`timer_app.speech.policy`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer

from timer_app.core.clock import monotonic
from timer_app.core.cues import Cue, CueKind, Tone
from timer_app.settings import Settings
from timer_app.speech.clip_library import ClipLibrary, Urgency
from timer_app.speech.clips import ClipInfo
from timer_app.speech.gui_gc import stream_running
from timer_app.speech.output import LATENCY, AudioUnavailable, ClipOutput, Output
from timer_app.speech.policy import Action, Speaking, decide
from timer_app.speech.probe import NO_DEVICE, probe_audio_device
from timer_app.speech.sound_libraries import SoundLibraries, shared_sound_libraries
from timer_app.speech.speaker import Speaker
from timer_app.speech.tones import NOTES, tone_path
from timer_app.speech.worker_client import Reply, WorkerClient

log = logging.getLogger(__name__)

#: From a play call to the first audible sample (constant: see timer_app/speech/output.py).
#: Clips start this much early, so the sound lands on the boundary.
OUTPUT_LATENCY = LATENCY
#: Extra lead asked of the controller, so that its own wake-up jitter and the work it does at a
#: step boundary are absorbed; the speaker's precise timer then waits out the difference.
SCHEDULING_MARGIN = 0.035
HELLO_TIMEOUT = 15.0
#: While a session is paused or just over, the output's stream stays open, which keeps
#: PulseAudio from suspending the sound card (waking it costs the next cue 100 ms or more), so
#: the cue after resume is on time. Every KEEP_ALIVE_SECONDS the speaker checks whether a cue
#: came in the last KEEP_AWAKE_FOR seconds; if not, the stream is closed and the card let sleep
#: (an open stream costs CPU: see output). A running session is handled below.
KEEP_ALIVE_SECONDS = 4.0
#: A phrase whose clip is still being rendered or loaded waits at most this long for it,
#: polling every 10 ms; after that it is dropped (the screen still shows the cue). Rendering
#: one phrase takes 30-150 ms here, so this only ever runs out when the engine is stuck.
AWAIT_CLIP_SECONDS = 3.0
KEEP_AWAKE_FOR = 600.0
#: In a running session the stream is also closed through its quiet stretches (a 2-minute hold
#: says something at its start, halfway and end): an open stream costs CPU at every pull, some
#: 0.5 CPU-s a minute (see output). It is closed once nothing has sounded for QUIET_BEFORE_CLOSE
#: seconds and the next cue is more than OPEN_AHEAD + MIN_CLOSED seconds away...
QUIET_BEFORE_CLOSE = 1.0
MIN_CLOSED = 2.0
#: ... and opened again OPEN_AHEAD seconds before that cue is handed over: time for the sound
#: server to wake the card (100 ms or more) and for the stream clock to learn where the stream
#: is (its first half second, see stream_clock.py), so the cue still lands on its frame.
OPEN_AHEAD = 1.5
#: The object name of the timer that opens and closes the stream (it makes no sound itself).
STREAM_TIMER = "stream-plan"
#: The speech worker (40-50 MiB resident) exits after this long with nothing to render: a
#: session's phrases are all rendered in its first seconds, so for the rest of it, and between
#: sessions, no helper process is resident. A phrase wanted later starts it again (~0.3 s).
WORKER_IDLE_EXIT_SECONDS = 10.0
#: Asks whether audio can play: ``probe(parent, done)`` calls ``done(ok, reason)`` later.
DeviceProbe = Callable[[QObject, Callable[[bool, str], None]], None]
NO_ENGINE = "No speech engine: cues are shown on screen, tones still play."
NO_VOICE = "The chosen voice is not installed: using the default voice."


@dataclass(frozen=True)
class _Awaited:
    """A phrase to play as soon as its clip is loaded."""

    cue: Cue
    path: str
    since: float
    volume: float


class ClipSpeaker(Speaker):
    """Clips rendered by one worker process, played through one audio output the app owns."""

    def __init__(
        self,
        settings: Settings,
        parent: QObject | None = None,
        *,
        renderer: Any = None,
        output_factory: Callable[[], Output] | None = None,
        clock: Callable[[], float] = monotonic,
        output_latency: float = OUTPUT_LATENCY,
        device_probe: DeviceProbe = probe_audio_device,
        keep_alive_every: float = KEEP_ALIVE_SECONDS,
        libraries: SoundLibraries | None = None,
    ) -> None:
        """``renderer``, ``output_factory``, ``clock``, ``device_probe`` and ``libraries``
        (what loads the output's libraries off the GUI thread) are the speaker's
        collaborators (the real ones by default; tests pass fakes); ``keep_alive_every`` is
        how often the speaker checks whether the stream has been idle long enough to close."""
        super().__init__(parent)
        self._device_probe = device_probe
        # The real output's libraries (miniaudio, numpy: ~0.2 s of imports) are loaded on a
        # worker thread once the probe finds a device; the output waits for them, not the
        # window.
        if libraries is None and output_factory is None:
            libraries = shared_sound_libraries()
        self._libraries = libraries
        self._settings = replace(settings)
        self._muted = settings.muted
        self._renderer = (
            renderer
            if renderer is not None
            else WorkerClient(self, "render", idle_exit=WORKER_IDLE_EXIT_SECONDS)
        )
        self._output_factory: Callable[[], Output] = output_factory or (
            lambda: ClipOutput(on_stream=stream_running)
        )
        self._output: Output | None = None
        self._clock = clock
        self._latency = output_latency
        self._device_ok: bool | None = None
        self._engine_ok: bool | None = None
        self._voice_missing = False
        self._voices: list[dict[str, str]] | None = None
        self._library = ClipLibrary(self._renderer, self._on_clip)
        self._speaking: Speaking | None = None
        self._speaking_path: str | None = None
        # Two long-lived precise timers (no per-cue timer objects to create and delete): one
        # for cues handed over early, one for a cue waiting to take over at a word pause.
        self._scheduled: list[tuple[float, int, Cue]] = []  # (start time, order, cue), sorted
        self._order = 0
        self._early_timer = self._precise_timer(self._fire_due)
        self._pending: Cue | None = None
        self._take_over_timer = self._precise_timer(self._take_over)
        self._awaiting: _Awaited | None = None
        self._await_timer = QTimer(self)
        self._await_timer.setInterval(10)
        self._await_timer.timeout.connect(self._check_awaited)
        self._keep_alive = QTimer(self)
        self._keep_alive.setInterval(round(keep_alive_every * 1000))
        self._keep_alive.timeout.connect(self._close_stream_when_idle)
        self._last_sound = 0.0
        self._tone_until = 0.0
        #: When the session's next cue will be handed over (None: no session running).
        self._next_cue_at: float | None = None
        #: The stream was closed for a quiet stretch (and is to be opened ahead of a cue).
        self._closed_for_quiet = False
        # Precise: a coarse timer may fire 5 % late, seconds on a long quiet stretch.
        self._stream_timer = self._precise_timer(self._plan_stream)
        self._stream_timer.setObjectName(STREAM_TIMER)

    def _precise_timer(self, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.timeout.connect(slot)
        return timer

    # ------------------------------------------------------------ probing
    def start_probing(self) -> None:
        """Ask, in the background, whether a device and an engine exist (this also starts
        the worker process and its engine, so the first session does not wait for them)."""
        self._device_probe(self, self._on_device)
        self._renderer.request({"op": "hello"}, self._on_hello, timeout=HELLO_TIMEOUT)

    def _on_device(self, ok: bool, _reason: str) -> None:
        self._device_ok = ok
        self._update_notice()
        if not ok:
            return
        libraries = self._libraries
        if libraries is not None and not libraries.is_loaded:
            # Creating the output now would import its libraries here, on the GUI thread. They
            # are loaded only once a device is found: without one, nothing needs them (numpy
            # alone is ~30 MiB resident).
            libraries.loaded.connect(self._device_ready, Qt.ConnectionType.SingleShotConnection)
            libraries.start()
        else:
            self._device_ready()

    def _device_ready(self) -> None:
        """The device can play and the output's libraries are loaded: create the output."""
        output = self._ensure_output() if self._device_ok else None
        if output is not None and self._library.phrases:
            self._use_output(output.warm_up)  # prepare() came first: open the device now
        self._update_notice()

    def _use_output(self, action: Callable[[], None]) -> bool:
        """Run an output call that may open the device; on failure, fall back to the screen.

        The probe can say yes and the device still refuse (busy, unplugged, no server after
        all): then cues are shown on screen, as when the probe says no, instead of a crash.
        """
        try:
            action()
        except AudioUnavailable as exc:
            log.warning("%s", exc)
            self._device_ok = False
            output, self._output = self._output, None
            if output is not None:
                output.close()
            self._update_notice()
            return False
        if not self._keep_alive.isActive():
            self._keep_alive.start()  # the stream may be open: close it once idle for long
        return True

    def _on_hello(self, reply: Reply) -> None:
        self._engine_ok = bool(reply.get("ok"))
        if self._engine_ok:
            self._voices = list(reply.get("voices") or [])
            self._check_voice()
            if self._library.configure(self._voice(), int(self._settings.speech_rate)):
                # prepare() came first and asked for a voice that is not installed.
                self._library.prepare()
        else:
            self._voices = []
            log.warning("speech engine unavailable: %s", reply.get("error"))
        self._update_notice()
        self.voices_changed.emit()

    def _check_voice(self) -> None:
        wanted = self._settings.voice_id
        ids = {v.get("id") for v in self._voices or []}
        self._voice_missing = bool(wanted) and self._voices is not None and wanted not in ids

    def _update_notice(self) -> None:
        if self._device_ok is False:
            self._set_notice(NO_DEVICE)
        elif self._engine_ok is False:
            self._set_notice(NO_ENGINE)
        elif self._voice_missing:
            self._set_notice(NO_VOICE)
        else:
            self._set_notice("")

    def _ensure_output(self) -> Output | None:
        if self._output is None and self._device_ok:
            self._output = self._output_factory()
            for tone in Tone:
                self._output.load(str(tone_path(tone)))
            for info in self._library.session_clips():
                self._output.load(info.path)
        return self._output

    # --------------------------------------------------------------- API
    def has_sound(self) -> bool:
        # Unknown counts as yes: the notice appears within a second if it turns out otherwise.
        return self._device_ok is not False and self._engine_ok is not False

    def lead_seconds(self) -> float:
        return self._latency + SCHEDULING_MARGIN

    def expect_cue_at(self, at: float | None) -> None:
        """The running session hands over its next cue at ``at`` (None: paused or over). The
        stream is closed through quiet stretches and opened ahead of the next cue; on a pause
        it is opened (the cue after resume is due at once) and left to the keep-alive."""
        self._next_cue_at = at
        self._plan_stream()

    def _plan_stream(self) -> None:
        self._stream_timer.stop()
        output, at = self._output, self._next_cue_at
        if output is None or self._device_ok is False:
            return
        now = self._clock()
        if self._closed_for_quiet:
            open_at = now if at is None else at - OPEN_AHEAD
            if now < open_at:
                self._stream_timer.start(_ms(open_at - now))
            elif self._use_output(output.warm_up):
                self._closed_for_quiet = False
            return
        if at is None or at - now <= OPEN_AHEAD + MIN_CLOSED:
            return  # paused, over (the keep-alive decides), or a cue comes soon
        if self._scheduled or self._pending is not None or self._awaiting is not None:
            return  # a sound is on its way; it plans again when it starts
        quiet_from = max(self.sounding_until(), self._last_sound) + QUIET_BEFORE_CLOSE
        if now < quiet_from:
            self._stream_timer.start(_ms(quiet_from - now))
            return
        # Closed, not just stopped: a stopped PulseAudio stream restarted with its old buffer
        # put cues up to 45 ms off their frame (benchmarks/cue_latency.py, 10-second steps);
        # a new one landed them within 10 ms, for about the same CPU.
        output.suspend()
        self._closed_for_quiet = True
        self._stream_timer.start(_ms(at - OPEN_AHEAD - now))

    def voices(self) -> list[dict[str, str]] | None:
        return self._voices

    def waiting_for_clip(self) -> str | None:
        """The phrase held back until its clip is loaded (it plays the moment it is, or is
        given up after ``AWAIT_CLIP_SECONDS``), or None."""
        return self._awaiting.cue.text if self._awaiting is not None else None

    def _voice(self) -> str:
        return "" if self._voice_missing else self._settings.voice_id

    def prepare(self, phrases: Sequence[str]) -> None:
        output = self._ensure_output()
        if output is not None:
            self._use_output(output.warm_up)
        self._last_sound = self._clock()
        self._keep_alive.start()
        self._library.configure(self._voice(), int(self._settings.speech_rate))
        self._library.prepare(phrases)

    def _on_clip(self, info: ClipInfo) -> None:
        if self._output is not None:
            self._output.load(info.path)
        if self._awaiting is not None and self._awaiting.path == info.path:
            self._check_awaited()  # the phrase someone is waiting for: no need to poll

    def prefetch(self, phrases: Sequence[str], soon: bool = False) -> None:
        self._library.configure(self._voice(), int(self._settings.speech_rate))
        self._library.prefetch(phrases, Urgency.SESSION if soon else Urgency.IDLE)

    def is_prepared(self) -> bool:
        """True once every phrase given to :meth:`prepare` has a clip loaded."""
        return self.is_ready(self._library.phrases)

    def is_ready(self, phrases: Sequence[str]) -> bool:
        if self._device_ok is False or self._engine_ok is False:
            return True  # nothing will be heard: nothing to wait for
        if self._device_ok is None or self._engine_ok is None:
            return False  # still finding out
        output = self._output
        for text in phrases:
            clip = self._library.get(text)
            if clip is None:
                if str(self._library.path_for(text)) in self._library.failed:
                    continue  # cannot be rendered: shown on screen only
                return False
            if output is None or not output.is_ready(clip.path):
                return False
        return True

    def play(self, cue: Cue, late_by: float) -> None:
        wait = -late_by - self._latency
        if wait <= 0.002:
            self._sound(cue, late_by + self._latency)
            return
        if self._closed_for_quiet:
            # Handed over before the stream was opened for it (the session jumped ahead):
            # open it now, the sooner the better.
            self._next_cue_at = self._clock()
            self._plan_stream()
        self._order += 1
        self._scheduled.append((self._clock() + wait, self._order, cue))
        self._scheduled.sort(key=lambda item: item[:2])
        self._arm_early_timer()

    def _close_stream_when_idle(self) -> None:
        if self._clock() - self._last_sound > KEEP_AWAKE_FOR:
            self._keep_alive.stop()
            if self._output is not None:
                self._output.suspend()

    def _arm_early_timer(self) -> None:
        if self._scheduled:
            wait = self._scheduled[0][0] - self._clock()
            self._early_timer.start(max(0, round(wait * 1000)))
        else:
            self._early_timer.stop()

    def _fire_due(self) -> None:
        # The timer was aimed at the first entry: it is due (whatever a test's fake clock says);
        # entries due at the same moment go with it.
        if not self._scheduled:
            return
        first_at = self._scheduled[0][0]
        while self._scheduled and self._scheduled[0][0] <= first_at + 0.001:
            _, _, cue = self._scheduled.pop(0)
            self._sound(cue, 0.0)
        self._arm_early_timer()

    def _sound(self, cue: Cue, late_by: float) -> None:
        """Start the cue's tone and speech now (sound will be heard ``late_by`` late)."""
        tone_wait = 0.0
        output = self._output
        late = late_by > 0.0  # heard late even if played now: start as soon as possible
        self._last_sound = self._clock()
        if cue.tone is not None and self._settings.tones and output is not None:
            path, volume = str(tone_path(cue.tone)), self._settings.volume
            if self._use_output(lambda: output.play(path, volume, late)):
                self._sounded()
            tone_seconds = sum(seconds for _, seconds in NOTES[cue.tone])
            self._tone_until = max(self._tone_until, self._last_sound + tone_seconds)
            if cue.tone is Tone.COMPLETE:
                # A chime under a sentence garbles both: speak when the chime has rung.
                tone_wait = sum(seconds for _, seconds in NOTES[cue.tone]) * 0.8
        if not cue.text or self._muted or not self.has_sound():
            return
        now = self._clock()
        speaking = self._speaking if self._speaking and now < self._speaking.ends else None
        waiting = self._pending or (self._awaiting.cue if self._awaiting else None)
        decision = decide(cue, late_by + tone_wait, now + tone_wait, speaking, waiting)
        if tone_wait and decision.action is Action.PLAY:
            decision = replace(decision, action=Action.TAKE_OVER, at=now + tone_wait)
        if decision.action is Action.DROP:
            log.info("cue %r dropped: %s", cue.text, decision.reason)
            return
        if decision.action is Action.PLAY:
            self._start(cue, late)
            return
        self._pending = cue
        self._take_over_timer.start(max(0, round((decision.at - now - self._latency) * 1000)))

    def _take_over(self) -> None:
        cue, self._pending = self._pending, None
        if cue is not None:
            self._stop_speech()
            self._start(cue)

    def _start(self, cue: Cue, at_once: bool = False) -> None:
        self._cancel_awaiting()
        info = self._library.get(cue.text)
        path = info.path if info is not None else str(self._library.path_for(cue.text))
        if info is not None and self._play(cue, info, self._settings.volume, at_once):
            return
        if info is None and not self._library.coming(path):
            # Not prepared (a phrase made up on the spot): render it before anything else.
            log.info("rendering %r now (no prepared clip)", cue.text)
            self._library.want_now(cue.text)
        self._await(_Awaited(cue, path, self._clock(), self._settings.volume))

    def _play(self, cue: Cue, info: ClipInfo, volume: float, at_once: bool = False) -> bool:
        output = self._output
        if output is None or not output.is_ready(info.path):
            return False
        if not self._use_output(lambda: output.play(info.path, volume, at_once)):
            return False
        start = self._clock() + self._latency
        self._speaking = Speaking(cue, start, info.duration, info.word_gaps)
        self._speaking_path = info.path
        self._sounded()
        return True

    def _sounded(self) -> None:
        """A sound was started (which opens the stream): once it is over, the stream may
        close until the session's next cue."""
        self._closed_for_quiet = False
        if self._next_cue_at is not None:
            self._stream_timer.start(0)

    def _await(self, awaited: _Awaited) -> None:
        """Play ``awaited`` the moment its clip is loaded (polled every 10 ms); a pause, a
        skip or mute in between cancels it, so nothing starts after the user asked for quiet."""
        self._awaiting = awaited
        self._await_timer.start()
        self._check_awaited()

    def _check_awaited(self) -> None:
        awaited = self._awaiting
        if awaited is None:
            self._await_timer.stop()
            return
        info = self._library.get_path(awaited.path)
        if info is not None and self._play(awaited.cue, info, awaited.volume, at_once=True):
            self._cancel_awaiting()
        elif (
            self._clock() - awaited.since > AWAIT_CLIP_SECONDS
            or awaited.path in self._library.failed
            or self._device_ok is False
            or self._engine_ok is False
        ):
            log.info("no clip for %r in time: shown only", awaited.cue.text)
            self._cancel_awaiting()

    def _cancel_awaiting(self) -> None:
        self._awaiting = None
        self._await_timer.stop()

    def _stop_speech(self) -> None:
        self._cancel_awaiting()
        if self._output is not None and self._speaking_path is not None:
            self._output.stop(self._speaking_path)
        self._speaking = None
        self._speaking_path = None

    def sounding_until(self) -> float:
        speech_until = self._speaking.ends if self._speaking is not None else 0.0
        return max(speech_until, self._tone_until)

    def silence(self) -> None:
        self._tone_until = min(self._tone_until, self._clock())
        self._scheduled.clear()
        self._early_timer.stop()
        self._pending = None
        self._take_over_timer.stop()
        self._cancel_awaiting()
        if self._output is not None:
            self._output.stop()
        self._speaking = None
        self._speaking_path = None

    def silence_speech(self) -> None:
        self._pending = None
        self._take_over_timer.stop()
        self._stop_speech()

    def apply_settings(self, settings: Settings) -> None:
        self._settings = replace(settings)
        self._check_voice()
        self._update_notice()
        if self._library.configure(self._voice(), int(settings.speech_rate)):
            self._library.prepare()  # re-render in the new voice, in the background
        self.set_muted(settings.muted)

    def say_now(self, text: str, settings: Settings | None = None) -> None:
        """Say ``text`` as soon as it is rendered (the settings dialog's "Test voice"), in
        ``settings``' voice and rate, through the same output as every cue."""
        self.silence()
        if self._device_ok is False or self._engine_ok is False:
            return
        chosen = settings or self._settings
        voice = self._voice() if settings is None else chosen.voice_id
        path = self._library.want_now(text, voice, int(chosen.speech_rate))
        cue = Cue(CueKind.ANNOUNCE, text, 0.0)
        self._await(_Awaited(cue, str(path), self._clock(), chosen.volume))

    def shutdown(self) -> None:
        self._keep_alive.stop()
        self._stream_timer.stop()
        self.silence()
        self._renderer.shutdown()
        if self._output is not None:
            self._output.close()
            self._output = None


def _ms(seconds: float) -> int:
    """A timer interval for ``seconds`` from now (never negative)."""
    return max(0, round(seconds * 1000))
