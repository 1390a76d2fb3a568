"""The real speaker's behaviour on fake audio and a fake engine: what the user hears when."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from timer_app.core.cues import Anchor, Cue, CueKind, Tone
from timer_app.settings import Settings
from timer_app.speech.clip_speaker import NO_ENGINE, NO_VOICE, STREAM_TIMER
from timer_app.speech.clips import cache_key
from timer_app.speech.probe import NO_DEVICE
from timer_app.speech.worker import engine_name

from .fakes import FakeWorker, make_speaker

pytestmark = pytest.mark.usefixtures("qapp")

ANNOUNCE = Cue(CueKind.ANNOUNCE, "Left side. PAIL, twenty seconds.", 0.0)
RAMP = Cue(CueKind.RAMP, "Build to half effort.", 5.0)
HALFWAY = Cue(CueKind.HALFWAY, "Halfway. Ten seconds left.", 10.0)
THREE = Cue(CueKind.COUNTDOWN, "Three.", 3, Anchor.END, Tone.TICK)
END_TONE = Cue(CueKind.END, "", 0.0, Anchor.END, Tone.END)
PHRASES = [ANNOUNCE.text, RAMP.text, HALFWAY.text, THREE.text]


def clip_name(text: str, voice: str = "", rate: int = 165) -> str:
    return cache_key(engine_name(), voice, rate, text)


def clip_paths(renderer: FakeWorker, texts: list[str]) -> list[str]:
    """Where the speaker had each phrase's clip rendered (the output loads it from there)."""
    paths = {r["text"]: r["path"] for r in renderer.requests if r["op"] == "render"}
    return [str(paths[text]) for text in texts]


def active_timers(obj: object) -> list[QTimer]:
    """Timers about to make a sound (the periodic keep-alive and the timer that opens and
    closes the stream are not)."""
    timers = obj.findChildren(QTimer)  # type: ignore[attr-defined]
    return [
        t for t in timers if t.isActive() and t.isSingleShot() and t.objectName() != STREAM_TIMER
    ]


def test_prepare_renders_each_phrase_once_and_warms_the_device_up() -> None:
    speaker, output, renderer, _ = make_speaker()
    speaker.prepare([*PHRASES, ANNOUNCE.text])
    assert renderer.rendered() == PHRASES
    assert output.warmed == 1
    assert speaker.is_prepared()
    speaker.prepare(PHRASES)  # a second session: nothing to render
    assert renderer.rendered() == PHRASES


def test_clips_on_disk_are_reused_by_a_new_speaker() -> None:
    first, _, _, _ = make_speaker()
    first.prepare(PHRASES)
    # The fake writes no sidecar; a real render does. Give every clip one, as the worker would.
    from timer_app.speech.clips import ClipInfo, speech_cache_dir

    for text in PHRASES:
        ClipInfo(str(speech_cache_dir() / f"{clip_name(text)}.wav"), 1.0, (), 1.0).save_sidecar()
    second, _, renderer, _ = make_speaker()
    second.prepare(PHRASES)
    assert renderer.rendered() == []
    assert second.is_prepared()


def test_a_cue_on_time_plays_its_clip_and_tone() -> None:
    speaker, output, _, _ = make_speaker()
    speaker.prepare(PHRASES)
    speaker.play(THREE, 0.0)
    assert output.spoken == [clip_name(THREE.text)]
    assert output.tones == ["tick"]


def test_a_cue_already_late_starts_as_soon_as_the_output_can() -> None:
    speaker, output, _, _ = make_speaker()  # output latency 0 here: on time is "not late"
    speaker.prepare(PHRASES)
    speaker.play(THREE, 0.0)  # due now: the constant-latency start lands it on time
    speaker.silence()
    speaker.play(ANNOUNCE, 0.2)  # the session's first cue, or a stalled loop: already late
    assert output.at_once == [False, False, True]  # tick and "Three." exact, then at once


def test_a_less_urgent_cue_during_a_phrase_is_dropped() -> None:
    speaker, output, _, clock = make_speaker()
    speaker.prepare(PHRASES)
    speaker.play(RAMP, 0.0)
    clock.advance(0.5)
    speaker.play(HALFWAY, 0.0)
    assert output.spoken == [clip_name(RAMP.text)]
    clock.advance(1.0)  # the ramp phrase (1 s) is over: halfway was dropped, not queued
    assert output.spoken == [clip_name(RAMP.text)]
    assert not active_timers(speaker)


def test_a_more_urgent_cue_takes_over_at_a_pause_between_words(qtbot) -> None:  # type: ignore[no-untyped-def]
    speaker, output, _, clock = make_speaker()
    speaker.prepare(PHRASES)
    speaker.play(HALFWAY, 0.0)
    clock.advance(0.25)  # mid-word; the next pause is at 0.3 s
    speaker.play(THREE, 0.0)
    assert output.spoken == [clip_name(HALFWAY.text)]  # not cut mid-word
    qtbot.waitUntil(lambda: len(output.spoken) == 2, timeout=1000)
    assert output.spoken[-1] == clip_name(THREE.text)
    assert clip_name(HALFWAY.text) in str(output.stops[-1])


def test_silence_stops_the_sound_and_what_was_about_to_play() -> None:
    speaker, output, _, _ = make_speaker()
    speaker.prepare(PHRASES)
    speaker.play(RAMP, 0.0)
    speaker.play(HALFWAY, -0.5)  # handed over early: waits on a timer
    assert active_timers(speaker)
    speaker.silence()
    assert output.stops[-1] is None  # everything stopped
    assert not active_timers(speaker)


def test_early_cues_wait_for_their_moment(qtbot) -> None:  # type: ignore[no-untyped-def]
    speaker, output, _, _ = make_speaker()
    speaker.prepare(PHRASES)
    speaker.play(RAMP, -0.05)
    assert output.spoken == []
    qtbot.waitUntil(lambda: output.spoken == [clip_name(RAMP.text)], timeout=1000)


def test_hopelessly_late_chatter_is_dropped_but_announcements_are_said() -> None:
    speaker, output, _, _ = make_speaker()
    speaker.prepare(PHRASES)
    speaker.play(HALFWAY, 2.0)
    assert output.spoken == []
    speaker.play(ANNOUNCE, 2.0)
    assert output.spoken == [clip_name(ANNOUNCE.text)]


def test_muted_speech_keeps_tones() -> None:
    speaker, output, _, _ = make_speaker(Settings(muted=True))
    speaker.prepare(PHRASES)
    assert speaker.is_muted()
    speaker.play(THREE, 0.0)
    speaker.play(END_TONE, 0.0)
    assert output.spoken == []
    assert output.tones == ["tick", "end"]


def test_tones_off_keeps_speech() -> None:
    speaker, output, _, _ = make_speaker(Settings(tones=False))
    speaker.prepare(PHRASES)
    speaker.play(THREE, 0.0)
    assert output.tones == []
    assert output.spoken == [clip_name(THREE.text)]


def test_a_phrase_not_prepared_jumps_the_render_queue_and_plays_through_the_output() -> None:
    speaker, output, renderer, _ = make_speaker()
    renderer.hold = True
    speaker.prepare(PHRASES)  # the first phrase is being rendered, the others wait
    surprise = Cue(CueKind.ANNOUNCE, "Left side, PAIL, twelve seconds left.", 0.0)
    speaker.play(surprise, 0.0)
    assert output.spoken == []
    renderer.release(2)  # the phrase being rendered, then the surprise
    assert renderer.rendered()[:2] == [PHRASES[0], surprise.text]
    assert output.spoken == [clip_name(surprise.text)]
    assert all(r["op"] == "render" for r in renderer.requests[1:])  # no live "say" anywhere


def test_pause_while_a_phrase_is_rendered_means_it_is_never_heard() -> None:
    speaker, output, renderer, _ = make_speaker()
    renderer.hold = True
    speaker.play(RAMP, 0.0)  # not prepared: rendering
    speaker.silence()  # Space
    renderer.release()
    assert output.spoken == []
    speaker.play(HALFWAY, 0.0)  # a later cue still plays once rendered
    assert output.spoken == [clip_name(HALFWAY.text)]


def test_mute_while_a_phrase_is_rendered_means_it_is_never_heard() -> None:
    speaker, output, renderer, _ = make_speaker()
    renderer.hold = True
    speaker.play(RAMP, 0.0)
    speaker.set_muted(True)
    renderer.release()
    assert output.spoken == []


def test_test_voice_is_rendered_in_the_chosen_voice_and_played_through_the_output() -> None:
    speaker, output, renderer, _ = make_speaker()
    speaker.say_now("Testing.", Settings(voice_id="gmw/en", speech_rate=200, volume=0.5))
    assert renderer.requests[-1] | {"id": None} == {
        "op": "render",
        "text": "Testing.",
        "voice": "gmw/en",
        "rate": 200,
        "path": renderer.requests[-1]["path"],
        "id": None,
    }
    assert output.spoken == [clip_name("Testing.", "gmw/en", 200)]
    speaker.silence()
    assert output.stops[-1] is None


def test_a_clip_that_cannot_be_rendered_is_given_up_without_sound() -> None:
    speaker, output, renderer, _ = make_speaker()
    renderer.ok = False
    speaker.play(RAMP, 0.0)
    assert output.spoken == []
    assert speaker.waiting_for_clip() is None
    assert not [t for t in speaker.findChildren(QTimer) if t.isActive()]  # nothing pending


def test_ready_means_clips_rendered_and_loaded_or_no_sound_at_all() -> None:
    speaker, _, renderer, _ = make_speaker()
    renderer.hold = True
    speaker.prepare(PHRASES)
    assert not speaker.is_ready(PHRASES[:2])
    renderer.release(2)
    assert speaker.is_ready(PHRASES[:2]) and not speaker.is_ready(PHRASES)
    silent, _, _, _ = make_speaker(device=False)
    silent.prepare(PHRASES)
    assert silent.is_ready(PHRASES)


def test_idle_phrases_render_after_the_session_and_stay_on_disk() -> None:
    speaker, output, renderer, _ = make_speaker()
    renderer.hold = True
    speaker.prefetch(["Idle one.", "Idle two."])
    speaker.prepare(PHRASES[:2])
    renderer.release()
    # The idle phrase already in flight finishes; the session's come before the other one.
    assert renderer.rendered() == ["Idle one.", *PHRASES[:2], "Idle two."]
    assert not any(clip_name("Idle two.") in p for p in output.loaded)


def test_no_audio_device_gives_a_notice_and_silence_without_crashing() -> None:
    speaker, output, _, _ = make_speaker(device=False)
    assert not speaker.has_sound()
    assert speaker.notice() == NO_DEVICE
    speaker.prepare(PHRASES)
    speaker.play(THREE, 0.0)
    speaker.silence()
    assert output.plays == []


def test_no_engine_gives_a_notice_and_tones_still_play() -> None:
    speaker, output, _, _ = make_speaker(engine=False)
    assert not speaker.has_sound()
    assert speaker.notice() == NO_ENGINE
    speaker.prepare(PHRASES)
    speaker.play(THREE, 0.0)
    assert output.tones == ["tick"]
    assert output.spoken == []


def test_a_missing_voice_falls_back_to_the_default_with_a_notice(qtbot) -> None:  # type: ignore[no-untyped-def]
    speaker, _, renderer, _ = make_speaker(Settings(voice_id="xx/gone"))
    assert speaker.notice() == NO_VOICE
    speaker.prepare([RAMP.text])
    assert renderer.requests[-1]["voice"] == ""
    with qtbot.waitSignal(speaker.notice_changed, check_params_cb=lambda s: s == ""):
        speaker.apply_settings(Settings(voice_id="gmw/en"))


def test_new_voice_or_rate_re_renders_the_session(tmp_path: Path) -> None:
    speaker, _, renderer, _ = make_speaker()
    speaker.prepare(PHRASES)
    speaker.apply_settings(Settings(speech_rate=200))
    assert renderer.rendered() == PHRASES * 2
    assert {r["rate"] for r in renderer.requests if r["op"] == "render"} == {165, 200}


def test_shutdown_stops_the_workers() -> None:
    speaker, _, renderer, _ = make_speaker()
    speaker.shutdown()
    assert renderer.shut


def test_the_sound_stream_stays_open_during_a_session_then_is_closed(qtbot: Any) -> None:
    speaker, output, _, clock = make_speaker(keep_alive_every=0.01)  # 4 s in the app
    speaker.prepare(PHRASES)
    qtbot.wait(50)  # several checks: a session is on, the stream stays open, nothing plays
    assert (output.warmed, output.suspended, output.plays) == (1, 0, [])
    clock.advance(601)  # ten minutes without a cue: the session is over or paused
    qtbot.waitUntil(lambda: output.suspended == 1, timeout=2000)
    # The stream is closed and the checks stop: no timer left running.
    qtbot.waitUntil(lambda: not [t for t in speaker.findChildren(QTimer) if t.isActive()])
    speaker.play(THREE, 0.0)  # a cue later on opens it again
    assert output.spoken == [clip_name(THREE.text)]


def test_a_device_that_refuses_to_open_shows_the_notice_instead_of_crashing() -> None:
    from timer_app.speech.clip_speaker import ClipSpeaker

    from .fakes import FakeOutput, FakeWorker

    output = FakeOutput(refuse=True)
    speaker = ClipSpeaker(
        Settings(),
        renderer=FakeWorker(),
        output_factory=lambda: output,
        device_probe=lambda parent, done: done(True, ""),  # yes; the device is busy all the same
    )
    speaker.start_probing()
    speaker.prepare(PHRASES)
    assert speaker.notice() == NO_DEVICE
    assert not speaker.has_sound()
    assert output.closed
    speaker.play(THREE, 0.0)  # cues go on (on screen), without sound and without an error
    assert output.plays == []


def test_a_device_lost_mid_session_shows_the_notice_at_the_next_cue(qtbot: Any) -> None:
    speaker, output, _, clock = make_speaker()
    speaker.prepare(PHRASES)
    output.refuse = True  # e.g. the sound server went away
    speaker.play(ANNOUNCE, 0.0)
    assert speaker.notice() == NO_DEVICE
    output.refuse = False  # nothing is retried behind the user's back, nothing piles up
    clock.advance(1.0)
    qtbot.wait(50)
    assert output.plays == []


def test_nothing_is_played_while_paused_and_the_stream_stays_open_for_resume(qtbot: Any) -> None:
    """Paused: no sound of any kind (the old Qt output played silence every 4 s, which let out
    a blip of the stopped phrase); the stream stays open, so the cue after resume is on time."""
    speaker, output, _, clock = make_speaker(keep_alive_every=0.01)  # 4 s in the app
    speaker.prepare(PHRASES)
    speaker.play(ANNOUNCE, 0.0)
    speaker.silence()  # Space
    plays, warmed = len(output.plays), output.warmed
    for _ in range(3):
        clock.advance(5)
        qtbot.wait(30)  # the idle check runs (every 10 ms here): a pause of 15 s is not idle
    assert (len(output.plays), output.warmed, output.suspended) == (plays, warmed, 0)


def test_a_device_found_after_prepare_is_opened_at_once() -> None:
    from timer_app.speech.clip_speaker import ClipSpeaker

    from .fakes import FakeOutput, FakeWorker, LateProbe

    output = FakeOutput()
    renderer = FakeWorker()
    probe = LateProbe()
    speaker = ClipSpeaker(
        Settings(), renderer=renderer, output_factory=lambda: output, device_probe=probe
    )
    speaker.start_probing()
    speaker.prepare(PHRASES)
    assert output.warmed == 0
    probe.answer(True)
    assert output.warmed == 1
    assert set(clip_paths(renderer, PHRASES)) <= set(output.loaded)


def _speaker_with_late_libraries() -> tuple[Any, Any, Any, list[Any]]:
    """A probing speaker whose device probe and sound-library loader answer when told; the
    outputs it has created so far."""
    from timer_app.speech.clip_speaker import ClipSpeaker

    from .fakes import FakeOutput, FakeWorker, LateLibraries, LateProbe

    created: list[FakeOutput] = []
    probe = LateProbe()
    libraries = LateLibraries()
    speaker = ClipSpeaker(
        Settings(),
        renderer=FakeWorker(),
        output_factory=lambda: created.append(FakeOutput()) or created[-1],
        device_probe=probe,
        libraries=libraries,
    )
    speaker.start_probing()
    return speaker, probe, libraries, created


def test_a_device_found_waits_for_the_sound_libraries_not_the_window() -> None:
    # The output's libraries (miniaudio, numpy) load on a worker thread once the probe finds
    # a device; it must not create the output before (and so import them on the GUI thread):
    # the output comes when they are loaded, and the device is opened then.
    speaker, probe, libraries, created = _speaker_with_late_libraries()
    speaker.prepare(PHRASES)
    assert not libraries.started  # not before a device is found
    probe.answer(True)
    assert libraries.started
    assert created == []
    assert speaker.has_sound() and speaker.notice() == ""  # no "no device" meanwhile
    libraries.finish()
    assert len(created) == 1 and created[0].warmed == 1


def test_no_device_needs_no_sound_libraries() -> None:
    speaker, probe, libraries, created = _speaker_with_late_libraries()
    probe.answer(False)
    assert speaker.notice() == NO_DEVICE
    assert not libraries.started  # no numpy in memory for nothing
    assert created == []


def test_phrases_asked_for_in_a_missing_voice_are_rendered_in_the_default_one() -> None:
    from timer_app.speech.clip_speaker import ClipSpeaker

    from .fakes import FakeOutput, FakeWorker

    class SlowHello(FakeWorker):
        """Renders at once but answers hello only when told (the engine starting up)."""

        hello: Any = None

        def request(self, request: dict[str, Any], callback: Any, timeout: float = 10) -> None:
            if request["op"] == "hello":
                self.hello = callback
            else:
                super().request(request, callback, timeout)

    renderer = SlowHello(ok=False)  # renders in a missing voice fail
    output = FakeOutput()
    speaker = ClipSpeaker(
        Settings(voice_id="xx/gone"),
        renderer=renderer,
        output_factory=lambda: output,
        device_probe=lambda parent, done: done(True, ""),
    )
    speaker.start_probing()
    speaker.prepare(PHRASES)
    assert {r["voice"] for r in renderer.requests if r["op"] == "render"} == {"xx/gone"}
    renderer.ok = True
    renderer.hello({"ok": True, "voices": [{"id": "gmw/en", "name": "English", "lang": "en"}]})
    assert [r["voice"] for r in renderer.requests if r["op"] == "render"][-4:] == [""] * 4
    assert speaker.is_prepared()
    assert speaker.notice() == NO_VOICE


def test_a_cue_whose_clip_is_still_loading_waits_for_it_briefly(qtbot: Any) -> None:
    speaker, output, renderer, _ = make_speaker()
    speaker.prepare(PHRASES)
    [loading] = clip_paths(renderer, [ANNOUNCE.text])
    output.loaded.remove(loading)  # the session starts before Qt finished decoding the clip
    speaker.play(ANNOUNCE, 0.0)
    assert output.spoken == []
    output.loaded.append(loading)
    qtbot.waitUntil(lambda: output.spoken == [clip_name(ANNOUNCE.text)], timeout=1000)


def test_a_clip_that_never_loads_is_given_up_after_a_while(qtbot: Any) -> None:
    speaker, output, renderer, clock = make_speaker()
    speaker.prepare(PHRASES)
    [loading] = clip_paths(renderer, [ANNOUNCE.text])
    output.loaded.remove(loading)
    speaker.play(ANNOUNCE, 0.0)
    assert speaker.waiting_for_clip() == ANNOUNCE.text
    clock.advance(3.1)
    qtbot.waitUntil(lambda: speaker.waiting_for_clip() is None, timeout=1000)
    assert output.spoken == []


def stream_timer(speaker: object) -> QTimer:
    return speaker.findChild(QTimer, STREAM_TIMER)  # type: ignore[attr-defined,no-any-return]


def test_the_stream_is_closed_through_a_quiet_stretch_and_opened_ahead_of_the_next_cue() -> None:
    """A 2-minute hold: the announcement, then nothing until the halfway cue a minute later.
    The stream (CPU at every pull) is closed a second after the phrase ends and opened 1.5 s
    before the halfway cue is handed over, so that cue still lands on its frame."""
    speaker, output, _, clock = make_speaker()
    speaker.prepare(PHRASES)
    start = clock()
    speaker.play(ANNOUNCE, 0.0)  # 1 s long
    speaker.expect_cue_at(start + 60.0)  # the controller: the halfway cue is handed over then
    assert output.suspended == 0  # still speaking
    assert 1900 <= stream_timer(speaker).remainingTime() <= 2000  # phrase end + 1 s quiet
    clock.advance(2.0)
    speaker.expect_cue_at(start + 60.0)  # what the timer does
    assert output.suspended == 1
    # Aimed at 1.5 s before the hand-over: 60 - 1.5 - 2 s from now.
    assert 56_400 <= stream_timer(speaker).remainingTime() <= 56_500
    clock.advance(56.4)
    speaker.expect_cue_at(start + 60.0)
    assert output.warmed == 1  # not yet
    clock.advance(0.1)
    speaker.expect_cue_at(start + 60.0)
    assert output.warmed == 2
    clock.advance(1.5)
    speaker.play(HALFWAY, 0.0)
    assert output.spoken == [clip_name(ANNOUNCE.text), clip_name(HALFWAY.text)]


def test_the_stream_stays_open_when_the_next_cue_is_near() -> None:
    """The 3-2-1 a second apart, a phrase every few seconds: closing and opening again would
    cost more than it saves, and risk the cue's timing."""
    speaker, output, _, clock = make_speaker()
    speaker.prepare(PHRASES)
    speaker.play(THREE, 0.0)
    clock.advance(2.5)
    speaker.expect_cue_at(clock() + 3.0)
    assert output.suspended == 0
    assert not stream_timer(speaker).isActive()


def test_a_pause_opens_a_stream_closed_for_quiet_so_the_cue_after_resume_is_on_time() -> None:
    speaker, output, _, clock = make_speaker()
    speaker.prepare(PHRASES)
    speaker.play(ANNOUNCE, 0.0)
    clock.advance(2.0)
    speaker.expect_cue_at(clock() + 60.0)
    assert output.suspended == 1
    speaker.silence()  # Space
    speaker.expect_cue_at(None)  # paused
    assert output.warmed == 2
    assert not stream_timer(speaker).isActive()


def test_a_cue_handed_over_while_the_stream_is_closed_opens_it_at_once() -> None:
    """The session jumped ahead (a step skipped, time taken off): the cue is handed over before
    the stream was due to open. It opens then and there, and the cue plays."""
    speaker, output, _, clock = make_speaker()
    speaker.prepare(PHRASES)
    speaker.play(ANNOUNCE, 0.0)
    clock.advance(2.0)
    speaker.expect_cue_at(clock() + 60.0)
    assert output.suspended == 1
    speaker.play(ANNOUNCE, -0.1)
    assert output.warmed == 2
