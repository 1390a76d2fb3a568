"""create_speaker(): never blocks, never raises; a machine without sound gets a notice."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.speaker import RecordingSpeaker
from timer_app.settings import Settings
from timer_app.speech import NullSpeaker
from timer_app.speech.factory import create_speaker
from timer_app.speech.probe import NO_DEVICE

pytestmark = pytest.mark.usefixtures("qapp")


def test_no_audio_device_means_a_notice_and_no_sound(qtbot: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("PULSE_SERVER", "unix:/nonexistent/pulse/native")
    speaker = create_speaker(Settings())
    # It returns before the device probe answers (the window must not wait for a sound
    # server): the answer comes later, as a signal. An order, not a time, so a loaded
    # machine cannot fail it; the start-up time is benchmarks/startup.py's.
    assert speaker.notice() == "", "create_speaker waited for the device probe"
    with qtbot.waitSignal(speaker.notice_changed, timeout=5000) as blocker:
        pass
    assert blocker.args == [NO_DEVICE]
    assert not speaker.has_sound()
    speaker.prepare(["Three."])  # all harmless without a device
    speaker.silence()
    speaker.shutdown()


def test_a_broken_speech_stack_gives_a_null_speaker(monkeypatch: Any) -> None:
    import timer_app.speech.clip_speaker as clip_speaker

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("libespeak-ng.so.1: cannot open shared object file")

    monkeypatch.setattr(clip_speaker, "ClipSpeaker", broken)
    speaker = create_speaker(Settings())
    assert isinstance(speaker, NullSpeaker)
    assert not speaker.has_sound()
    assert "cannot open shared object" in speaker.notice()


def test_the_recording_speaker_records_what_the_controller_does() -> None:
    from tests.helpers.clock import FakeClock
    from tests.unit.core.helpers import simple_routine
    from timer_app.core.engine import CueDue, SessionEngine
    from timer_app.core.timeline import build_timeline

    speaker = RecordingSpeaker(lead=0.05)
    timeline = build_timeline(simple_routine((10, 10)))
    clock = FakeClock()
    engine = SessionEngine(timeline, clock, cue_lead=speaker.lead_seconds())
    speaker.prepare(timeline.phrases())
    heard: list[tuple[str, float]] = []
    events = engine.start()
    while not engine.is_over:
        for event in events:
            if isinstance(event, CueDue):
                speaker.play(event.cue, event.late_by)
                heard.append((event.cue.text, round(event.due - 1000.0, 2)))
        nxt = engine.next_event_time()
        if nxt is None:
            break
        clock.advance(max(0.0, nxt - clock()))
        events = engine.poll()
    assert speaker.calls[0] == ("prepare", timeline.phrases())
    assert [text for text, _ in heard][:1] == [timeline.steps[0].cues[0].text]
    # The 3-2-1 of the first step fall on its last three seconds, handed over 50 ms early.
    countdown = [(t, at) for t, at in heard if t in ("Three.", "Two.", "One.")][:3]
    assert countdown == [("Three.", 7.0), ("Two.", 8.0), ("One.", 9.0)]
    lates = [c[2] for c in speaker.calls if c[0] == "play"]
    assert all(late == pytest.approx(-0.05) for late in lates[1:])
    assert heard[-1][0] == "Session complete. Well done."


def test_a_null_speakers_notice_reaches_late_listeners(qtbot: Any) -> None:
    speaker = NullSpeaker("No speech: test. Cues are shown on screen only.")
    with qtbot.waitSignal(speaker.notice_changed, timeout=1000) as blocker:
        pass  # connected after construction, as the main window does
    assert blocker.args == ["No speech: test. Cues are shown on screen only."]
