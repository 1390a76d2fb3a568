"""Sizes of the session screen's parts for a given window size: the responsive layout's rules.

Pure arithmetic (no widgets), so the rules are easy to read and to test. The countdown takes
whatever height is left after the other parts, which are sized from one unit that grows with
the smaller dimension of the window; below :data:`COMPACT_HEIGHT` the button strip shrinks to
one row of short labels and the text lines get fewer lines, so the digits keep at least a
quarter of the window's height from an 800x480 tablet up to a 4K television.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Below this view height (a 720 px high window, with its menu bar) the screen goes compact.
COMPACT_HEIGHT = 720
#: From this width the ten buttons (label over key) fit in one row; narrower, two rows of five.
ONE_ROW_WIDTH = 1100
#: How much larger a portrait window's unit may be than its width alone gives (width/52).
PORTRAIT_GAIN = 64 / 52


@dataclass(frozen=True)
class SessionSizes:
    """Pixel sizes of the session screen's parts, and what is shown."""

    compact: bool
    margin: int
    spacing: int
    banner_height: int  # the LEFT / RIGHT pill
    status_px: int  # round and total time
    phase_px: int
    progress_height: int
    effort_height: int
    instruction_px: int
    instruction_lines: int
    next_px: int
    notice_px: int
    notice_lines: int  # the yellow notice and the sound banner
    button_px: int
    button_rows: int  # rows of buttons: 2 (of five), 1 (of ten), 0 (hidden: full screen)
    short_buttons: bool  # one line, short labels ("Full"), no key hint
    caption_px: int  # an in-step cue shown large ("Halfway", "3")


def session_sizes(width: int, height: int, buttons: bool = True) -> SessionSizes:
    """The sizes for a session view of ``width`` x ``height`` pixels; ``buttons`` is False
    in full screen (the strip is hidden, the keys still work)."""
    # A portrait window is limited by its width, and has height to spare: its labels and
    # buttons grow with how tall it is, up to a width/52 unit (from width/64 at square, so
    # nothing jumps while resizing). Landscape windows keep width/64.
    tall = min(max(height / max(width, 1), 1.0), PORTRAIT_GAIN)
    unit = max(min(width / 64 * tall, height / 40), 7.0)
    compact = height < COMPACT_HEIGHT
    button_rows = 0 if not buttons else (1 if compact or width >= ONE_ROW_WIDTH else 2)
    return SessionSizes(
        compact=compact,
        margin=max(6, round(unit * (0.8 if compact else 1.4))),
        spacing=max(3, round(unit * (0.3 if compact else 0.5))),
        banner_height=max(28, round(unit * (2.8 if compact else 3.4))),
        status_px=max(12, round(unit * (1.6 if compact else 2.0))),
        phase_px=max(14, round(unit * (2.4 if compact else 2.6))),
        progress_height=max(8, round(unit * (0.7 if compact else 1.0))),
        effort_height=max(24, round(unit * (2.2 if compact else 2.6))),
        instruction_px=max(12, round(unit * (1.5 if compact else 1.8))),
        instruction_lines=2 if compact else 3,
        next_px=max(12, round(unit * (1.4 if compact else 1.8))),
        notice_px=max(11, round(unit * (1.2 if compact else 1.4))),
        notice_lines=1 if compact else 2,
        button_px=max(11, round(unit * (1.0 if compact else 0.9))),
        button_rows=button_rows,
        short_buttons=compact,
        caption_px=max(24, round(unit * 4.5)),
    )
