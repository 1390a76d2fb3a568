"""Reading, validating and writing routine files (TOML, ``schema = 1``).

Every problem becomes one :class:`RoutineError` whose message names the file, the key path
and the rule, e.g. ``my.toml: main.phases[2].seconds: must be 1..3600, got 0``. All problems
in a file are reported together, so a coach fixes them in one pass. Unknown keys are errors:
a typo such as ``secnds`` must not silently fall back to a default.

The format is documented in ``docs/routine-format.md``.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from timer_app.core.routine import (
    MAIN_PHASE_KINDS,
    SCHEMA_VERSION,
    MainBlock,
    Measurement,
    MeasureUnit,
    MeasureWhen,
    Phase,
    PhaseKind,
    Ramp,
    Routine,
    Side,
    SidesMode,
    Warmup,
)
from timer_app.core.safe_read import MAX_NESTING, FileReadError, nesting_depth, read_text
from timer_app.core.safe_write import atomic_write_text

MAX_FILE_BYTES = 1024 * 1024
MAX_SECONDS = 3600
MAX_ROUNDS = 20
MAX_REPS = 50
MAX_TEXT = 500
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
# Control characters (C0, DEL, C1) and the bidirectional overrides, which can hide or
# reorder text on screen and in a terminal. Line breaks and tabs survive in longer texts.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\t\n]")


def clean_text(value: str, multiline: bool = True) -> str:
    """``value`` without control characters (tabs and line breaks kept if ``multiline``,
    else turned into spaces): what a shared file says reaches the screen as plain words."""
    value = _CONTROL.sub("", value)
    return value if multiline else _LINE_BREAKS.sub(" ", value)


class RoutineError(ValueError):
    """A routine file (or edited routine) is invalid. ``errors`` lists each problem as
    ``"<source>: <key path>: <rule>"``; ``str()`` joins them one per line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class _Checker:
    """Collects validation errors with their key paths while reading a parsed TOML table."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.errors: list[str] = []
        self._path: list[str] = []

    def error(self, message: str, key: str | None = None) -> None:
        path = self._join(key)
        where = f"{self.source}: {path}: " if path else f"{self.source}: "
        self.errors.append(where + message)

    def _join(self, key: str | None) -> str:
        parts = [*self._path, key] if key is not None else list(self._path)
        text = ""
        for part in parts:
            if not part.isprintable():  # a key name is shown back: never raw control bytes
                part = repr(part)
            if part.startswith("["):
                text += part
            else:
                text += ("." if text else "") + part
        return text

    @contextmanager
    def at(self, key: str) -> Iterator[None]:
        self._path.append(key)
        try:
            yield
        finally:
            self._path.pop()

    def unknown_keys(self, table: Mapping[str, Any], allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.error(f"unknown key (allowed: {hint})", key)

    def table(
        self, parent: Mapping[str, Any], key: str, required: bool
    ) -> Mapping[str, Any] | None:
        if key not in parent:
            if required:
                self.error("is required", key)
            return None
        value = parent[key]
        if not isinstance(value, dict):
            self.error(f"must be a table, got {_describe(value)}", key)
            return None
        return value

    def integer(
        self, table: Mapping[str, Any], key: str, low: int, high: int, default: int | None = None
    ) -> int:
        if key not in table:
            if default is None:
                self.error(f"is required (a whole number {low}..{high})", key)
                return low
            return default
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(f"must be a whole number {low}..{high}, got {_describe(value)}", key)
            return default if default is not None else low
        if not low <= value <= high:
            self.error(f"must be {low}..{high}, got {value}", key)
            return default if default is not None else low
        return value

    def text(
        self,
        table: Mapping[str, Any],
        key: str,
        default: str | None = None,
        allow_empty: bool = True,
        multiline: bool = True,
    ) -> str:
        if key not in table:
            if default is None:
                self.error("is required (a string)", key)
                return ""
            return default
        value = table[key]
        if not isinstance(value, str):
            self.error(f"must be a string, got {_describe(value)}", key)
            return default or ""
        if len(value) > MAX_TEXT:
            self.error(f"must be at most {MAX_TEXT} characters, got {len(value)}", key)
        cleaned = clean_text(value, multiline).strip()
        if not allow_empty and not cleaned:
            self.error("must not be empty", key)
        return cleaned

    def boolean(self, table: Mapping[str, Any], key: str, default: bool) -> bool:
        if key not in table:
            return default
        value = table[key]
        if not isinstance(value, bool):
            self.error(f"must be true or false, got {_describe(value)}", key)
            return default
        return value

    def choice(
        self, table: Mapping[str, Any], key: str, choices: tuple[str, ...], default: str
    ) -> str:
        if key not in table:
            return default
        value = table[key]
        if not isinstance(value, str) or value not in choices:
            options = ", ".join(repr(c) for c in choices)
            self.error(f"must be one of {options}, got {_describe(value)}", key)
            return default
        return value


def _describe(value: object) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


_TOP_KEYS = {
    "schema",
    "id",
    "name",
    "description",
    "warmup",
    "main",
    "measurement",
    "extra_round_for_weaker_side",
}
_WARMUP_KEYS = {"name", "reps", "seconds_per_rep", "directions", "per_side", "instruction"}
_MAIN_KEYS = {"rounds", "sides", "first_side", "rest_between_rounds", "switch_sides", "phases"}
_PHASE_KEYS = {"kind", "name", "seconds", "instruction", "ramp"}
_RAMP_KEYS = {"from", "to", "seconds"}
_MEASURE_KEYS = {"when", "prompt", "unit", "seconds", "instruction"}


def parse_routine(data: Mapping[str, Any], source: str) -> Routine:
    """Validate a parsed TOML document and build a :class:`Routine`.

    Raises :class:`RoutineError` listing every problem found.
    """
    check = _Checker(source)
    check.unknown_keys(data, _TOP_KEYS)
    if "schema" not in data:
        check.error(f"is required (this version reads schema = {SCHEMA_VERSION})", "schema")
    else:
        schema = data["schema"]
        if schema != SCHEMA_VERSION or isinstance(schema, bool):
            check.error(f"must be {SCHEMA_VERSION}, got {_describe(schema)}", "schema")
    routine_id = check.text(data, "id", allow_empty=False)
    if routine_id and not ID_PATTERN.match(routine_id):
        check.error(
            f"must be lowercase letters, digits and dashes (at most 64), got {routine_id!r}", "id"
        )
    name = check.text(data, "name", allow_empty=False, multiline=False)
    description = check.text(data, "description", default="")
    extra = check.boolean(data, "extra_round_for_weaker_side", False)

    warmup = None
    warmup_table = check.table(data, "warmup", required=False)
    if warmup_table is not None:
        with check.at("warmup"):
            warmup = _parse_warmup(check, warmup_table)

    main = None
    main_table = check.table(data, "main", required=True)
    if main_table is not None:
        with check.at("main"):
            main = _parse_main(check, main_table)

    measurement = None
    measure_table = check.table(data, "measurement", required=False)
    if measure_table is not None:
        with check.at("measurement"):
            measurement = _parse_measurement(check, measure_table)

    if check.errors or main is None:
        raise RoutineError(check.errors or [f"{source}: main: is required"])
    return Routine(
        id=routine_id,
        name=name,
        description=description,
        warmup=warmup,
        main=main,
        measurement=measurement,
        extra_round_for_weaker_side=extra,
        source=source,
    )


def _parse_warmup(check: _Checker, table: Mapping[str, Any]) -> Warmup:
    check.unknown_keys(table, _WARMUP_KEYS)
    defaults = Warmup()
    directions: tuple[str, ...] = defaults.directions
    if "directions" in table:
        raw = table["directions"]
        if (
            not isinstance(raw, list)
            or not raw
            or len(raw) > 4
            or not all(isinstance(d, str) and d.strip() for d in raw)
        ):
            check.error(
                f"must be a list of 1 to 4 direction names, got {_describe(raw)}", "directions"
            )
        else:
            directions = tuple(clean_text(d, multiline=False).strip() or "?" for d in raw)
    return Warmup(
        name=check.text(table, "name", default=defaults.name, multiline=False),
        reps=check.integer(table, "reps", 1, MAX_REPS, default=defaults.reps),
        seconds_per_rep=check.integer(table, "seconds_per_rep", 1, 120, defaults.seconds_per_rep),
        directions=directions,
        per_side=check.boolean(table, "per_side", defaults.per_side),
        instruction=check.text(table, "instruction", default=defaults.instruction),
    )


def _parse_main(check: _Checker, table: Mapping[str, Any]) -> MainBlock:
    check.unknown_keys(table, _MAIN_KEYS)
    rounds = check.integer(table, "rounds", 1, MAX_ROUNDS, default=1)
    sides = SidesMode(check.choice(table, "sides", tuple(SidesMode), SidesMode.BOTH.value))
    first = Side(check.choice(table, "first_side", ("left", "right"), "left"))
    rest = check.integer(table, "rest_between_rounds", 0, MAX_SECONDS, default=0)
    switch = check.integer(table, "switch_sides", 0, MAX_SECONDS, default=15)
    phases: list[Phase] = []
    raw_phases = table.get("phases")
    if raw_phases is None:
        check.error("is required (at least one [[main.phases]] table)", "phases")
    elif not isinstance(raw_phases, list) or not all(isinstance(p, dict) for p in raw_phases):
        check.error(f"must be a list of tables, got {_describe(raw_phases)}", "phases")
    elif not raw_phases:
        check.error("must have at least one phase", "phases")
    elif len(raw_phases) > 50:
        check.error(f"must have at most 50 phases, got {len(raw_phases)}", "phases")
    else:
        for index, raw in enumerate(raw_phases):
            with check.at("phases"), check.at(f"[{index}]"):
                phase = _parse_phase(check, raw)
                if phase is not None:
                    phases.append(phase)
    return MainBlock(
        phases=tuple(phases),
        rounds=rounds,
        sides=sides,
        first_side=first,
        rest_between_rounds=rest,
        switch_sides_seconds=switch,
    )


def _parse_phase(check: _Checker, table: Mapping[str, Any]) -> Phase | None:
    check.unknown_keys(table, _PHASE_KEYS)
    kinds = tuple(k.value for k in MAIN_PHASE_KINDS)
    if "kind" not in table:
        check.error(f"is required (one of {', '.join(kinds)})", "kind")
        return None
    kind_text = check.choice(table, "kind", kinds, "")
    if not kind_text:
        return None
    kind = PhaseKind(kind_text)
    seconds = check.integer(table, "seconds", 1, MAX_SECONDS)
    ramp = None
    if "ramp" in table:
        if kind is not PhaseKind.PAIL:
            check.error(f"is only allowed on a pail phase, this one is {kind.value}", "ramp")
        ramp_table = check.table(table, "ramp", required=False)
        if ramp_table is not None:
            with check.at("ramp"):
                ramp = _parse_ramp(check, ramp_table, seconds)
    elif kind is PhaseKind.PAIL:
        ramp = Ramp(seconds=max(1, min(seconds, round(seconds * 0.5))))
    return Phase(
        kind=kind,
        seconds=seconds,
        name=check.text(table, "name", default="", multiline=False),
        instruction=check.text(table, "instruction", default=""),
        ramp=ramp,
    )


def _parse_ramp(check: _Checker, table: Mapping[str, Any], phase_seconds: int) -> Ramp:
    check.unknown_keys(table, _RAMP_KEYS)
    start = check.integer(table, "from", 0, 100, default=10)
    end = check.integer(table, "to", 1, 100, default=100)
    if start >= end:
        check.error(f"must be less than to ({end}), got {start}", "from")
    seconds = check.integer(table, "seconds", 1, MAX_SECONDS, default=max(1, phase_seconds // 2))
    if seconds > phase_seconds:
        check.error(
            f"must be at most the phase's seconds ({phase_seconds}), got {seconds}", "seconds"
        )
    return Ramp(start_percent=start, end_percent=end, seconds=seconds)


def _parse_measurement(check: _Checker, table: Mapping[str, Any]) -> Measurement:
    check.unknown_keys(table, _MEASURE_KEYS)
    defaults = Measurement()
    return Measurement(
        when=MeasureWhen(check.choice(table, "when", tuple(MeasureWhen), defaults.when.value)),
        prompt=check.text(
            table, "prompt", default=defaults.prompt, allow_empty=False, multiline=False
        ),
        unit=MeasureUnit(check.choice(table, "unit", tuple(MeasureUnit), defaults.unit.value)),
        seconds=check.integer(table, "seconds", 0, MAX_SECONDS, default=0),
        instruction=check.text(table, "instruction", default=defaults.instruction),
    )


def parse_routine_text(text: str, source: str) -> Routine:
    """Parse TOML text into a routine; any problem becomes a :class:`RoutineError`."""
    if not text.strip():
        raise RoutineError([f"{source}: the file is empty"])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RoutineError([f"{source}: not valid TOML: {exc}"]) from None
    except RecursionError:
        # tomllib recurses once per nesting level: a 1 KB file can exhaust the stack.
        raise RoutineError(
            [f"{source}: nested too deeply (at most {MAX_NESTING} levels)"]
        ) from None
    return parse_routine_data(data, source)


def _too_deep(source: str) -> str:
    return f"{source}: nested too deeply (at most {MAX_NESTING} levels)"


def parse_routine_data(data: object, source: str) -> Routine:
    """:func:`parse_routine` for data from outside (a file, a history snapshot): refuses
    anything but a table, nested at most :data:`MAX_NESTING` deep, with a RoutineError."""
    if not isinstance(data, dict):
        raise RoutineError([f"{source}: must be a table, got {_describe(data)}"])
    if nesting_depth(data) > MAX_NESTING:
        raise RoutineError([_too_deep(source)])
    return parse_routine(data, source)


def load_routine(path: str | os.PathLike[str]) -> Routine:
    """Read and validate one routine file. Every failure is a :class:`RoutineError`; a
    FIFO or device is refused without waiting on it."""
    path = Path(path)
    source = path.name or str(path) or "''"
    try:
        text = read_text(path, MAX_FILE_BYTES, source)
    except FileReadError as exc:
        raise RoutineError([str(exc)]) from None
    routine = parse_routine_text(text, source)
    return routine.with_changes(source=str(path))


def routine_to_dict(routine: Routine) -> dict[str, Any]:
    """The routine as a TOML-ready table; :func:`parse_routine` reads it back equal."""
    data: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "id": routine.id,
        "name": routine.name,
    }
    if routine.description:
        data["description"] = routine.description
    if routine.extra_round_for_weaker_side:
        data["extra_round_for_weaker_side"] = True
    if routine.warmup is not None:
        w = routine.warmup
        data["warmup"] = {
            "name": w.name,
            "reps": w.reps,
            "seconds_per_rep": w.seconds_per_rep,
            "directions": list(w.directions),
            "per_side": w.per_side,
            "instruction": w.instruction,
        }
    main = routine.main
    phases: list[dict[str, Any]] = []
    for phase in main.phases:
        entry: dict[str, Any] = {"kind": phase.kind.value, "seconds": phase.seconds}
        if phase.name:
            entry["name"] = phase.name
        if phase.instruction:
            entry["instruction"] = phase.instruction
        if phase.ramp is not None:
            entry["ramp"] = {
                "from": phase.ramp.start_percent,
                "to": phase.ramp.end_percent,
                "seconds": phase.ramp.seconds,
            }
        phases.append(entry)
    data["main"] = {
        "rounds": main.rounds,
        "sides": main.sides.value,
        "first_side": main.first_side.value,
        "rest_between_rounds": main.rest_between_rounds,
        "switch_sides": main.switch_sides_seconds,
        "phases": phases,
    }
    if routine.measurement is not None:
        m = routine.measurement
        data["measurement"] = {
            "when": m.when.value,
            "prompt": m.prompt,
            "unit": m.unit.value,
            "seconds": m.seconds,
            "instruction": m.instruction,
        }
    return data


def routine_to_toml(routine: Routine) -> str:
    """Serialise a routine to TOML text in the documented format."""
    import tomli_w  # a small pure-Python writer; imported here as only saving needs it

    header = f"# Mobility Timer routine: {routine.name}\n# Format: docs/routine-format.md\n\n"
    return header + tomli_w.dumps(routine_to_dict(routine))


def save_routine(routine: Routine, path: str | os.PathLike[str]) -> None:
    """Validate (by re-reading the text) and atomically write a routine file."""
    text = routine_to_toml(routine)
    parse_routine_text(text, Path(path).name)  # never write a file we could not read back
    atomic_write_text(path, text)
