"""Can voice commands be offered here? The reason they cannot, in words for the settings."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess

NO_ENGINE = "Needs the speech recogniser (pip install 'timer-app[voice]')."
NO_RECORDER = "Needs parec (Debian package pulseaudio-utils)."
NO_MICROPHONE = "No microphone found (no PulseAudio input)."


def unavailable_reason() -> str:
    """ "" when the engine is installed and PulseAudio has a default input; else why not."""
    if importlib.util.find_spec("pocketsphinx") is None:
        return NO_ENGINE
    if shutil.which("parec") is None or shutil.which("pactl") is None:
        return NO_RECORDER
    try:
        result = subprocess.run(
            ["pactl", "get-default-source"], capture_output=True, text=True, timeout=3, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return NO_MICROPHONE
    if result.returncode != 0 or not result.stdout.strip():
        return NO_MICROPHONE
    return ""
