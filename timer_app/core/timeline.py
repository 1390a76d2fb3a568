"""Expansion of a routine into the ordered list of timed steps a session walks through.

Each side gets its full time: a 2-minute hold "each side" is two 2-minute steps, never one
halved. The order is: measurement tests before (if timed), the CARs warm-up, then for each side
every round of the main phases (rest between rounds, a switch step between sides), then the
measurement tests after. Every step carries its voice cues (see :mod:`timer_app.core.cues`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from timer_app.core.cues import (
    Anchor,
    Cue,
    CueKind,
    Tone,
    display_duration,
    number_words,
    spoken_duration,
)
from timer_app.core.routine import (
    DEFAULT_PHASE_NAMES,
    PhaseKind,
    Ramp,
    Routine,
    Side,
)

#: Steps at least this long get a "halfway" cue.
HALFWAY_MIN_SECONDS = 30
#: Steps at least this long get a spoken 3-2-1 before their end (room for the announcement).
COUNTDOWN_MIN_SECONDS = 8


@dataclass(frozen=True)
class Step:
    """One timed step of a session: what to do, on which side, for how long, with its cues."""

    index: int
    kind: PhaseKind
    name: str
    side: Side
    seconds: int
    instruction: str = ""
    round: int = 0
    rounds: int = 0
    ramp: Ramp | None = None
    direction: str = ""
    reps: int = 0
    cues: tuple[Cue, ...] = ()

    @property
    def title(self) -> str:
        """Name plus CARs direction, e.g. "Hip CARs, clockwise"."""
        return f"{self.name}, {self.direction}" if self.direction else self.name

    def describe_short(self) -> str:
        """E.g. "RAIL, 0:15" or "Left: Passive hold, 2:00" (for the "Next:" line)."""
        side = f"{self.side.value.capitalize()}: " if self.side is not Side.NONE else ""
        return f"{side}{self.title}, {display_duration(self.seconds)}"


@dataclass(frozen=True)
class Timeline:
    """The expanded session: steps in order and their planned start offsets."""

    routine_id: str
    routine_name: str
    steps: tuple[Step, ...]
    starts: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        starts: list[int] = []
        total = 0
        for step in self.steps:
            starts.append(total)
            total += step.seconds
        object.__setattr__(self, "starts", tuple(starts))

    @property
    def total_seconds(self) -> int:
        return sum(step.seconds for step in self.steps)

    def phrases(self) -> list[str]:
        """Every distinct phrase the session may say, in first-use order (for pre-rendering)."""
        seen: dict[str, None] = {}
        for step in self.steps:
            for cue in step.cues:
                if cue.text:
                    seen.setdefault(cue.text, None)
        return list(seen)

    def __len__(self) -> int:
        return len(self.steps)


def build_timeline(routine: Routine, extra_round_side: Side | None = None) -> Timeline:
    """Expand ``routine`` into a :class:`Timeline`.

    ``extra_round_side`` gives that side one more round of the main block (the "weaker side
    gets an extra round" option); the caller decides which side is weaker.
    """
    drafts = _draft_steps(routine, extra_round_side)
    steps: list[Step] = []
    for index, draft in enumerate(drafts):
        is_first_of_round = (
            draft.round > 0
            and draft.kind not in (PhaseKind.REST, PhaseKind.SWITCH)
            and (index == 0 or _round_key(drafts[index - 1]) != _round_key(draft))
        )
        is_last = index == len(drafts) - 1
        cues = _cues_for(draft, first_of_round=is_first_of_round, last=is_last)
        steps.append(_replace_step(draft, index=index, cues=cues))
    return Timeline(routine_id=routine.id, routine_name=routine.name, steps=tuple(steps))


def planned_seconds(routine: Routine) -> int:
    """``build_timeline(routine).total_seconds`` without the cues (which the start screen's
    list of totals does not need, and which are most of the expansion's work)."""
    return sum(step.seconds for step in _draft_steps(routine, None))


def _draft_steps(routine: Routine, extra_round_side: Side | None) -> list[Step]:
    """The session's steps in order, without their index and cues."""
    drafts: list[Step] = []
    main = routine.main
    sides = main.side_order
    measurement = routine.measurement

    if measurement is not None and measurement.before and measurement.seconds > 0:
        drafts.extend(_measure_steps(routine, sides, "before"))

    warmup = routine.warmup
    if warmup is not None:
        warm_sides = sides if warmup.per_side else (Side.NONE,)
        for side in warm_sides:
            for direction in warmup.directions:
                drafts.append(
                    Step(
                        index=0,
                        kind=PhaseKind.CARS,
                        name=warmup.name or DEFAULT_PHASE_NAMES[PhaseKind.CARS],
                        side=side,
                        seconds=warmup.seconds_per_direction,
                        instruction=warmup.instruction,
                        direction=direction,
                        reps=warmup.reps,
                    )
                )

    for side_number, side in enumerate(sides):
        rounds = main.rounds + (1 if extra_round_side is side else 0)
        for round_number in range(1, rounds + 1):
            for phase in main.phases:
                drafts.append(
                    Step(
                        index=0,
                        kind=phase.kind,
                        name=phase.display_name,
                        side=side,
                        seconds=phase.seconds,
                        instruction=phase.instruction,
                        round=round_number,
                        rounds=rounds,
                        ramp=phase.ramp,
                    )
                )
            if round_number < rounds and main.rest_between_rounds > 0:
                drafts.append(
                    Step(
                        index=0,
                        kind=PhaseKind.REST,
                        name="Rest",
                        side=side,
                        seconds=main.rest_between_rounds,
                        instruction=f"Let go and breathe. Round {round_number + 1} is next.",
                        round=round_number,
                        rounds=rounds,
                    )
                )
        if side_number < len(sides) - 1 and main.switch_sides_seconds > 0:
            drafts.append(
                Step(
                    index=0,
                    kind=PhaseKind.SWITCH,
                    name=DEFAULT_PHASE_NAMES[PhaseKind.SWITCH],
                    side=sides[side_number + 1],
                    seconds=main.switch_sides_seconds,
                    instruction=f"Set up for your {sides[side_number + 1].value} side.",
                )
            )

    if measurement is not None and measurement.after and measurement.seconds > 0:
        drafts.extend(_measure_steps(routine, sides, "after"))
    return drafts


def lead_in_timeline(timeline: Timeline, seconds: int, first_index: int = 0) -> Timeline:
    """A one-step timeline to get into position before ``timeline`` begins (at its step
    ``first_index``: a session resumed after a crash): the user presses Enter at the laptop,
    then needs a moment to get down on the floor with the blocks."""
    first = timeline.steps[first_index]
    side = f"{first.side.value} side, " if first.side is not Side.NONE else ""
    step = Step(
        index=0,
        kind=PhaseKind.REST,
        name="Get ready",
        side=first.side,
        seconds=seconds,
        instruction="Get into position on the floor, with your blocks in reach.",
    )
    cues = [Cue(CueKind.ANNOUNCE, f"Get ready. First: {side}{first.title}.", 0.0)]
    if seconds >= COUNTDOWN_MIN_SECONDS:
        cues += [
            Cue(CueKind.COUNTDOWN, number_words(n).capitalize() + ".", n, Anchor.END, Tone.TICK)
            for n in (3, 2, 1)
        ]
    step = _replace_step(step, cues=tuple(cues))
    return Timeline(
        routine_id=timeline.routine_id, routine_name=timeline.routine_name, steps=(step,)
    )


def _measure_steps(routine: Routine, sides: tuple[Side, ...], when: str) -> list[Step]:
    assert routine.measurement is not None
    m = routine.measurement
    name = DEFAULT_PHASE_NAMES[PhaseKind.MEASURE] + (" (before)" if when == "before" else "")
    return [
        Step(
            index=0,
            kind=PhaseKind.MEASURE,
            name=name,
            side=side,
            seconds=m.seconds,
            instruction=m.instruction,
        )
        for side in sides
    ]


def _round_key(step: Step) -> tuple[Side, int, bool]:
    return (step.side, step.round, step.kind in (PhaseKind.REST, PhaseKind.SWITCH))


def _replace_step(step: Step, **changes: object) -> Step:
    from dataclasses import replace

    return replace(step, **changes)  # type: ignore[arg-type]


def _sentence(text: str) -> str:
    text = text.strip()
    if text and text[-1] not in ".!?":
        text += "."
    return text


def announcement(step: Step, first_of_round: bool = False) -> str:
    """What is said when a step starts, e.g.
    "Left side, round two of three. Passive hold, two minutes. Relax into the stretch."
    """
    parts: list[str] = []
    if step.kind is PhaseKind.SWITCH:
        parts.append(f"Switch sides. {step.side.value.capitalize()} side next.")
        parts.append(_sentence(step.instruction))
        return " ".join(p for p in parts if p)
    head = ""
    if step.kind is PhaseKind.REST:
        parts.append(f"Rest, {spoken_duration(step.seconds)}.")
        parts.append(_sentence(step.instruction))
        return " ".join(p for p in parts if p)
    if step.side is not Side.NONE:
        head = f"{step.side.value.capitalize()} side"
        if first_of_round and step.rounds > 1:
            head += f", round {number_words(step.round)} of {number_words(step.rounds)}"
        parts.append(head + ".")
    duration = spoken_duration(step.seconds)
    if step.kind is PhaseKind.CARS:
        parts.append(
            f"{step.name}, {step.direction}: {number_words(step.reps)} slow circles, "
            f"{duration} in all."
        )
    else:
        parts.append(f"{step.name}, {duration}.")
    if step.instruction:
        parts.append(_sentence(step.instruction))
    if step.kind is PhaseKind.PAIL and step.ramp is not None:
        parts.append(f"Start at {number_words(step.ramp.start_percent)} percent.")
    return " ".join(parts)


def _cues_for(step: Step, first_of_round: bool, last: bool) -> tuple[Cue, ...]:
    seconds = step.seconds
    kind = CueKind.SWITCH if step.kind is PhaseKind.SWITCH else CueKind.ANNOUNCE
    cues: list[Cue] = [Cue(kind, announcement(step, first_of_round), 0.0)]

    if step.kind is PhaseKind.CARS and step.reps > 1:
        per_rep = seconds / step.reps
        for rep in range(2, step.reps + 1):
            cues.append(Cue(CueKind.REP, f"Circle {number_words(rep)}.", per_rep * (rep - 1)))

    if step.kind is PhaseKind.PAIL and step.ramp is not None:
        cues.extend(_ramp_cues(step.ramp, seconds))

    if seconds >= HALFWAY_MIN_SECONDS and step.kind is not PhaseKind.CARS:
        half = seconds / 2
        left = spoken_duration(int(seconds - half))
        cues.append(Cue(CueKind.HALFWAY, f"Halfway. {left[0].upper()}{left[1:]} left.", half))

    if seconds >= COUNTDOWN_MIN_SECONDS:
        for n in (3, 2, 1):
            cues.append(
                Cue(CueKind.COUNTDOWN, number_words(n).capitalize() + ".", n, Anchor.END, Tone.TICK)
            )

    if step.kind in (PhaseKind.PAIL, PhaseKind.RAIL) and not last:
        cues.append(Cue(CueKind.END, "", 0.0, Anchor.END, Tone.END))
    if last:
        cues.append(
            Cue(CueKind.COMPLETE, "Session complete. Well done.", 0.0, Anchor.END, Tone.COMPLETE)
        )
    cues.sort(key=lambda c: c.offset_in(seconds))
    return tuple(cues)


def _ramp_cues(ramp: Ramp, seconds: int) -> list[Cue]:
    """ "Build to half" when the ramp reaches 50 %, "Now maximum" when it reaches its top."""
    cues: list[Cue] = []
    half = ramp.time_of_effort(50)
    # Leave the announcement room to be heard before the first ramp prompt.
    if half is not None and half >= 3 and ramp.seconds - half >= 2:
        cues.append(Cue(CueKind.RAMP, "Build to half effort.", half))
    top = float(ramp.seconds)
    if top < seconds - 1:
        if ramp.end_percent >= 90:
            cues.append(Cue(CueKind.RAMP, "Now maximum. Hold it.", top))
        else:
            cues.append(
                Cue(CueKind.RAMP, f"Now {number_words(ramp.end_percent)} percent. Hold it.", top)
            )
    return cues
