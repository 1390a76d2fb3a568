"""User settings, persisted as TOML in the config dir and written atomically.

One small dataclass rather than QSettings, so the core, the command line and tests read the
same file without Qt, and a user can read and edit it by hand. Unknown or invalid values in
the file fall back to defaults (and are reported), never crash the app.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from timer_app.core.routine_file import atomic_write_text

log = logging.getLogger(__name__)


@dataclass
class Settings:
    """Everything the user can set. Add fields with defaults; old files keep loading."""

    # voice
    voice_id: str = ""
    speech_rate: int = 165  # words per minute
    volume: float = 0.9  # 0..1
    muted: bool = False
    tones: bool = True
    # session
    last_routine_id: str = "hip-ir-lying"
    lead_in_seconds: int = 10  # "Get ready" before the first step; 0 = none
    # screen: open the app in full screen; each window's last size, by window name
    start_full_screen: bool = False
    window_sizes: dict[str, list[int]] = field(default_factory=dict)
    # results
    block_height_cm: float = 7.5
    result_unit: str = "blocks"  # blocks | cm | in
    # per-routine quick adjustments and options, keyed by routine id
    routine_overrides: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read settings; a missing, unreadable or invalid file gives defaults for what is bad."""
        settings = cls()
        if not path.exists():
            return settings
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            log.warning("%s: unreadable, using defaults: %s", path, exc)
            return settings
        known = {f.name: f for f in fields(cls)}
        for key, value in data.items():
            if key not in known:
                log.warning("%s: %s: unknown setting, ignored", path, key)
                continue
            default = getattr(settings, key)
            if isinstance(default, bool) != isinstance(value, bool) or not isinstance(
                value, type(default) if not isinstance(default, float) else (int, float)
            ):
                log.warning(
                    "%s: %s: expected %s, got %r; using default",
                    path,
                    key,
                    type(default).__name__,
                    value,
                )
                continue
            setattr(settings, key, float(value) if isinstance(default, float) else value)
        return settings

    def save(self, path: Path) -> None:
        import tomli_w

        atomic_write_text(path, tomli_w.dumps(asdict(self)))


def settings_path() -> Path:
    from timer_app.paths import config_dir

    return config_dir() / "settings.toml"
