"""Test doubles for the GUI tests (built on tests.helpers' RecordingSpeaker)."""

from __future__ import annotations

from collections.abc import Sequence

from tests.helpers.speaker import RecordingSpeaker


class FakeSpeaker(RecordingSpeaker):
    """A RecordingSpeaker with a switchable sound device and shortcuts for assertions.

    ``ready`` says whether every phrase can be heard now (False: clips still rendering)."""

    ready = True

    def is_ready(self, phrases: Sequence[str]) -> bool:
        return self.ready

    def prefetch(self, phrases: Sequence[str], soon: bool = False) -> None:
        self.calls.append(("prefetch", list(phrases), soon))

    @property
    def sound(self) -> bool:
        return self._sound

    @sound.setter
    def sound(self, value: bool) -> None:
        self._sound = value

    @property
    def muted(self) -> bool:
        return self.is_muted()

    @property
    def prepared(self) -> list[str]:
        prepares = [c[1] for c in self.calls if c[0] == "prepare"]
        return prepares[-1] if prepares else []

    def spoken(self) -> list[str]:
        return [cue.text for cue in self.played]
