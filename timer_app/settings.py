"""User settings, persisted as TOML in the config dir and written atomically.

One small dataclass rather than QSettings, so the core, the command line and tests read the
same file without Qt, and a user can read and edit it by hand. Each key is checked on its own:
a missing, unknown or invalid value falls back to its default and is listed in
:attr:`Settings.problems` (one line each, naming the file, key and value) for the window to
show. The user's file is never lost: before the app first rewrites a file that had problems,
it copies it aside (``settings.toml.invalid-<time>``).
"""

from __future__ import annotations

import logging
import math
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from timer_app.core.safe_read import MAX_NESTING, FileReadError, nesting_depth, read_text
from timer_app.core.safe_write import atomic_write_text

log = logging.getLogger(__name__)

#: A settings file is a few hundred bytes; anything much larger is not ours.
MAX_SETTINGS_BYTES = 256 * 1024
MIN_RATE, MAX_RATE = 80, 300  # words a minute (the voice dialog's range)
MAX_LEAD_IN_SECONDS = 600
MIN_BLOCK_CM, MAX_BLOCK_CM = 1.0, 30.0  # a yoga block lying flat, with room for odd ones
RESULT_UNITS = ("blocks", "cm", "in")
MAX_TEXT_SETTING = 200
MAX_WINDOW_PIXELS = 32_768


class SettingError(ValueError):
    """One value is not acceptable; ``str()`` says what is expected."""


def _integer(low: int, high: int) -> Callable[[object], int]:
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise SettingError(f"must be a whole number {low}-{high}")
        return value

    return check


def _number(low: float, high: float) -> Callable[[object], float]:
    def check(value: object) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not low <= value <= high
        ):
            raise SettingError(f"must be a number {low:g}-{high:g}")
        return float(value)

    return check


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise SettingError("must be true or false")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT_SETTING or not value.isprintable():
        raise SettingError(f"must be text of at most {MAX_TEXT_SETTING} printable characters")
    return value


def _unit(value: object) -> str:
    if value not in RESULT_UNITS:
        raise SettingError(f"must be one of {', '.join(RESULT_UNITS)}")
    assert isinstance(value, str)
    return value


def _overrides(value: object) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict) or not all(
        isinstance(key, str) and isinstance(table, dict) for key, table in value.items()
    ):
        raise SettingError("must be a table of tables, one per routine id")
    return value


def _window_sizes(value: object) -> dict[str, list[int]]:
    if not isinstance(value, dict) or not all(
        isinstance(name, str)
        and isinstance(size, list)
        and len(size) == 2
        and all(
            isinstance(n, int) and not isinstance(n, bool) and 0 < n <= MAX_WINDOW_PIXELS
            for n in size
        )
        for name, size in value.items()
    ):
        raise SettingError(
            f"must be a table of [width, height] pairs, each 1-{MAX_WINDOW_PIXELS} pixels"
        )
    return value


#: How each key is checked (and converted) when read from the file.
_CHECKS: dict[str, Callable[[object], Any]] = {
    "voice_id": _text,
    "speech_rate": _integer(MIN_RATE, MAX_RATE),
    "volume": _number(0.0, 1.0),
    "muted": _boolean,
    "tones": _boolean,
    "voice_commands": _boolean,
    "last_routine_id": _text,
    "lead_in_seconds": _integer(0, MAX_LEAD_IN_SECONDS),
    "start_full_screen": _boolean,
    "window_sizes": _window_sizes,
    "block_height_cm": _number(MIN_BLOCK_CM, MAX_BLOCK_CM),
    "result_unit": _unit,
    "routine_overrides": _overrides,
}


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


@dataclass
class Settings:
    """Everything the user can set. Add fields with defaults (and a check in ``_CHECKS``);
    old files keep loading."""

    # voice
    voice_id: str = ""
    speech_rate: int = 165  # words per minute
    volume: float = 0.9  # 0..1
    muted: bool = False
    tones: bool = True
    # listen for "timer pause" and the other spoken commands during a session
    voice_commands: bool = False
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
    # Not saved: what was wrong in the file this was loaded from, one line per problem.
    problems: list[str] = field(default_factory=list, compare=False, repr=False)
    # Not saved: where the user's file goes before the first rewrite (if it had problems).
    keep_aside: Path | None = field(default=None, compare=False, repr=False)

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read settings; never raises. What is missing is the default; what is invalid is
        the default too, listed in :attr:`problems`."""
        settings = cls()
        try:
            text = read_text(path, MAX_SETTINGS_BYTES, str(path))
        except FileReadError as exc:
            if not path.exists() and not path.is_symlink():
                return settings  # first start: nothing to report
            return settings._reject(path, f"{exc.reason}; using the defaults")
        import tomllib  # not before a first launch's first paint, which has no file to parse

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            return settings._reject(path, f"not valid TOML ({exc}); using the defaults")
        except RecursionError:
            return settings._reject(path, "nested too deeply; using the defaults")
        if nesting_depth(data) > MAX_NESTING:
            return settings._reject(path, "nested too deeply; using the defaults")
        for key, value in data.items():
            check = _CHECKS.get(key)
            if check is None:
                settings._problem(path, f"{_printable(key)}: unknown setting, ignored")
                continue
            try:
                setattr(settings, key, check(value))
            except SettingError as exc:
                default = getattr(settings, key)
                settings._problem(
                    path, f"{key}: {exc}, got {_shown(value)}; using {_shown(default)}"
                )
        return settings

    def _reject(self, path: Path, reason: str) -> Settings:
        self._problem(path, reason)
        return self

    def _problem(self, path: Path, message: str) -> None:
        line = f"{path}: {message}"
        log.warning("%s", line)
        self.problems.append(line)
        if self.keep_aside is None and (path.is_file() or path.is_symlink()):
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            self.keep_aside = path.with_name(f"{path.name}.invalid-{stamp}")

    def problems_text(self) -> str:
        """What the window shows when the file had problems (empty if none)."""
        if not self.problems:
            return ""
        kept = (
            f"\n\nYour file will be kept as {self.keep_aside.name} when the settings are next "
            "saved."
            if self.keep_aside is not None
            else ""
        )
        # The file once in the heading, then one line per key (the lines name it for stderr).
        source, _, _ = self.problems[0].partition(": ")
        lines = [line.removeprefix(f"{source}: ") for line in self.problems]
        return (
            f"Some settings in {source} could not be used:\n\n"
            + "\n".join(f"• {line}" for line in lines)
            + kept
        )

    def to_dict(self) -> dict[str, Any]:
        """What is saved: every setting, not the load-time notes."""
        data = asdict(self)
        for name in ("problems", "keep_aside"):
            data.pop(name)
        return data

    def save(self, path: Path) -> None:
        """Write atomically. A file that had problems is first copied aside (once), so the
        user can see what they had written; raises OSError if either write fails."""
        import tomli_w

        if self.keep_aside is not None:
            if path.exists():
                shutil.copyfile(path, self.keep_aside, follow_symlinks=True)
            self.keep_aside = None
        atomic_write_text(path, tomli_w.dumps(self.to_dict()))


def _printable(text: str) -> str:
    return text if text.isprintable() else repr(text)


def setting_names() -> list[str]:
    """Every setting saved in the file (for tests and docs)."""
    return [f.name for f in fields(Settings) if f.name not in ("problems", "keep_aside")]


def settings_path() -> Path:
    from timer_app.paths import config_dir

    return config_dir() / "settings.toml"
