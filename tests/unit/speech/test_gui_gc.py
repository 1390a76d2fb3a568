"""While an audio stream calls into Python from its own thread, garbage is collected on the
GUI thread only (a collection on the audio thread could delete a Qt object off its thread)."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest

from timer_app.speech import gui_gc

pytestmark = pytest.mark.usefixtures("qapp")


class Node:
    """A reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_collection_moves_to_the_gui_thread_while_a_stream_runs(qtbot: Any) -> None:
    assert gc.isenabled()
    gui_gc.stream_running(True)
    try:
        assert not gc.isenabled()  # no collection can start on the audio thread
        garbage = Node()
        gone = weakref.ref(garbage)
        del garbage
        keep = [[] for _ in range(2000)]  # past the first threshold
        qtbot.waitUntil(lambda: gone() is None, timeout=3000)  # collected by the GUI timer
        del keep
    finally:
        gui_gc.stream_running(False)
    assert gc.isenabled()


def test_two_streams_keep_it_until_both_have_stopped() -> None:
    gui_gc.stream_running(True)
    gui_gc.stream_running(True)
    gui_gc.stream_running(False)
    assert not gc.isenabled()
    gui_gc.stream_running(False)
    assert gc.isenabled()
    gui_gc.stream_running(False)  # an extra stop changes nothing
    assert gc.isenabled()
