"""``make bench``: run every benchmark, print a summary, regenerate ``docs/performance.md``.

Each benchmark runs in a fresh Python process (its own QApplication, no state carried over)
under one X server: ``$DISPLAY`` if set, else an Xvfb started here through PyVirtualDisplay.
The raw results are written as JSON next to a temporary folder's name printed at the end
(``--json FILE`` to choose it). ``--only name,name`` runs a subset (the document is still
written, with "not run" for the rest); ``--no-write`` leaves the document alone.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, machine_info, x_server

DOC = REPO / "docs" / "performance.md"

#: (module, keyword arguments of its run()), in the order they run. Quiet ones first, the
#: CPU hog of boundary_accuracy is over before start-up is timed.
BENCHMARKS: list[tuple[str, dict[str, Any]]] = [
    ("boundary_accuracy", {}),
    ("startup", {}),
    ("cpu_usage", {}),
    ("cue_latency", {}),
    ("event_loop_stall", {}),
    ("history_scale", {}),
    ("history_open", {}),
    ("reliability", {}),
    ("voice_commands", {}),
    # Last: unpacking the wheels keeps a core busy. The baseline: the last commit with Qt
    # Multimedia (PySide6-Addons), benchmarks.install_size.BEFORE_MINIAUDIO.
    ("install_size", {"baseline_ref": "aad695c"}),
]

CHILD = (
    "import json, sys\n"
    "from importlib import import_module\n"
    "module = import_module('benchmarks.' + sys.argv[1])\n"
    "result = module.run(**json.loads(sys.argv[2]))\n"
    "with open(sys.argv[3], 'w') as out:\n"
    "    json.dump(result, out)\n"
)


def run_one(name: str, kwargs: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Run ``benchmarks.<name>.run(**kwargs)`` in a child process; its dict, or an error."""
    out = folder / f"{name}.json"
    started = time.monotonic()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    child = subprocess.run(
        [sys.executable, "-c", CHILD, name, json.dumps(kwargs), str(out)],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    seconds = round(time.monotonic() - started, 1)
    if child.returncode != 0 or not out.exists():
        tail = "\n".join((child.stderr or "").strip().splitlines()[-15:])
        return {"name": name, "error": f"exit {child.returncode}: {tail}", "seconds": seconds}
    result: dict[str, Any] = json.loads(out.read_text())
    result["seconds"] = seconds
    return result


# ----------------------------------------------------------------------- formatting helpers
def get(data: Any, *keys: Any) -> Any:
    """``data[k1][k2]...`` or None if anything on the way is missing."""
    for key in keys:
        in_dict = isinstance(data, dict) and key in data
        in_list = isinstance(data, list) and isinstance(key, int) and -len(data) <= key < len(data)
        if in_dict or in_list:
            data = data[key]
        else:
            return None
    return data


def num(value: Any, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return f"{value:.{digits}f}{unit}"
    return str(value)


def pair(stats: Any, unit: str = " ms", digits: int = 1, worst: str = "worst") -> str:
    """Median / worst from a {"median": .., "worst"|"max": ..} dict."""
    if not isinstance(stats, dict):
        return "n/a"
    high = stats.get(worst, stats.get("max"))
    return f"{num(stats.get('median'), '', digits)} / {num(high, '', digits)}{unit}"


def verdict(met: Any) -> str:
    if met is None:
        return "n/a"
    return "met" if met else "**missed**"


# --------------------------------------------------------------------------- the document
def ratio_to_bare_row(label: str, timing: dict[str, Any]) -> tuple[str, str, str, str]:
    """A start-up row: the app's and the bare window's medians, their ratio, and the 1.5x
    target (issue 16), from one of startup's ``first_paint`` / ``mapped`` blocks."""
    return (
        label,
        f"{num(get(timing, 'app_ms', 'median'), ' ms')} / "
        f"{num(get(timing, 'bare_ms', 'median'), ' ms')}"
        f" = {num(timing.get('ratio_median'), 'x', 2)}"
        f" (worst run {num(timing.get('ratio_worst'), 'x', 2)})",
        "<= 1.5x bare",
        verdict((timing.get("ratio_median") or 99) <= 1.5),
    )


def summary_rows(results: dict[str, dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    """(measure, result, target, met) for the summary table."""
    rows: list[tuple[str, str, str, str]] = []
    b = results.get("boundary_accuracy", {})
    s = get(b, "scenarios") or {}
    met = get(b, "met") or {}
    for scenario, label in (
        ("idle", "idle"),
        ("load", "both cores busy"),
        ("stall", "300 ms GUI stall"),
    ):
        sc = s.get(scenario)
        if not sc:
            continue
        rows.append(
            (
                f"Step-start error, {label} (app)",
                f"{num(sc.get('app_median_ms'), '', 2)} / {num(sc.get('app_worst_ms'), ' ms', 2)}",
                "median < 2 ms" + (", worst < 20 ms" if scenario == "load" else ""),
                verdict(
                    (sc.get("app_median_ms") or 99) < 2
                    and (scenario != "load" or abs(sc.get("app_worst_ms") or 99) < 20)
                ),
            )
        )
        rows.append(
            (
                f"Step-start error, {label} (QTimer tick-counting baseline)",
                f"{num(sc.get('baseline_median_ms'), '', 1)} / "
                f"{num(sc.get('baseline_worst_ms'), ' ms', 1)}",
                "(comparison)",
                "",
            )
        )
    if "stall" in s:
        st = s["stall"]
        rows.append(
            (
                "Drift accumulated by a 300 ms stall (after minus before): app / baseline",
                f"{num(st.get('app_stall_drift_ms'), ' ms', 2)} /"
                f" {num(st.get('baseline_stall_drift_ms'), ' ms', 1)} (end drift"
                f" {num(st.get('app_end_drift_ms'), ' ms', 2)} /"
                f" {num(st.get('baseline_end_drift_ms'), ' ms', 1)})",
                "app: zero (< 1 ms)",
                verdict(met.get("zero_drift_after_stall")),
            )
        )
    if "error" in b:
        rows.append(("Phase-boundary accuracy", "error (see below)", "", "**missed**"))

    st = results.get("startup", {})
    if "first_paint" in st:
        fp = st["first_paint"]
        rows.append(
            ratio_to_bare_row("Launch to first paint: app / bare PySide6 window (median)", fp)
        )
        mp = st.get("mapped") or {}
        if "app_ms" in mp:
            rows.append(
                ratio_to_bare_row(
                    "Launch of `timer-app` to window mapped, seen from outside (xev): app / bare",
                    mp,
                )
            )
        tree = st.get("session_tree") or {}
        if "tree_rss_mib" in tree:
            rows.append(
                (
                    "Resident memory of the session process tree,"
                    f" {tree['seconds_into_session']:.0f} s into `{tree['routine']}`",
                    f"{num(tree['tree_rss_mib'], ' MiB')} (app {num(tree['app_rss_mib'], ' MiB')};"
                    f" {len(tree['helpers'])} helper(s) "
                    + (" + ".join(num(h["rss_mib"], " MiB") for h in tree["helpers"]) or "-")
                    + ")",
                    "<= 150 MiB",
                    verdict(tree["tree_rss_mib"] <= 150),
                )
            )
        rows.append(
            (
                "Peak memory (VmHWM) during a session",
                pair(get(st, "memory", "app_peak_mib"), " MiB")
                + " (+ speech worker "
                + f"{num(get(st, 'memory', 'children_peak_mib', 'worst'), ' MiB')})",
                "< 150 MiB",
                verdict(get(st, "met", "peak_memory")),
            )
        )
    elif "error" in st:
        rows.append(("Start-up and memory", "error (see below)", "", "**missed**"))

    cpu = results.get("cpu_usage", {})
    if "cpu_s_per_min" in cpu:
        rows.append(
            (
                "CPU per minute of running session (app + children)",
                pair(cpu["cpu_s_per_min"], " s", 3),
                "< 0.6 s (1 % of a core)",
                verdict(cpu.get("met")),
            )
        )
    elif "error" in cpu:
        rows.append(("CPU while running", "error (see below)", "", "**missed**"))

    cue = results.get("cue_latency", {})
    app = get(cue, "app") or {}
    if app.get("heard"):
        rows.append(
            (
                "Cue latency, boundary to first audible sample (app)",
                f"{num(app.get('median_ms'))} / {num(app.get('worst_ms'), ' ms')}"
                f" ({app.get('heard')}/{app.get('boundaries')} heard)",
                f"median < {get(cue, 'target', 'median_ms')} ms, worst < "
                f"{get(cue, 'target', 'worst_ms')} ms",
                verdict(
                    (app.get("median_ms") or 1e9) < (get(cue, "target", "median_ms") or 0)
                    and abs(app.get("worst_ms") or 1e9) < (get(cue, "target", "worst_ms") or 0)
                ),
            )
        )
    elif cue:
        why = cue.get("error") or f"{app.get('heard', 0)}/{app.get('boundaries', '?')} cues heard"
        rows.append(("Cue latency (app)", f"no measurement: {why}", "median < 40 ms", "**missed**"))
    rows += edge_rows(cue)
    qt = get(cue, "app_qt_sound_effect") or {}
    if qt.get("heard"):
        rows.append(
            (
                "Cue latency, same run, the Qt Multimedia `QSoundEffect` output it replaced",
                f"{num(qt.get('median_ms'))} / {num(qt.get('worst_ms'), ' ms')}",
                "(comparison)",
                "",
            )
        )
    naive = get(cue, "naive_say_runAndWait") or {}
    if naive.get("heard"):
        rows.append(
            (
                "Cue latency, naive pyttsx3 say()+runAndWait() at the boundary",
                f"{num(naive.get('median_ms'))} / {num(naive.get('worst_ms'), ' ms')}",
                "(comparison)",
                "",
            )
        )

    hs = results.get("history_scale", {})
    if "open_ms" in hs:
        rows.append(
            (
                f"History store, {hs.get('sessions')} daily sessions: open / open + list all",
                f"{num(hs.get('open_ms'))} / {num(hs.get('open_plus_sessions_ms'), ' ms')}",
                "(no target)",
                "",
            )
        )
        rows.append(
            (
                "History: import + open + list in a fresh interpreter",
                num(hs.get("fresh_process_ms"), " ms"),
                "(no target)",
                "",
            )
        )
    ho = results.get("history_open", {})
    if "open_cold_ms" in ho:
        rows.append(
            (
                f"History window open on {ho.get('sessions')} sessions: first open in the app"
                " (chart library loaded at idle) / in a fresh process / again",
                f"{pair(ho.get('open_first_in_app_ms'), ' ms', worst='max')}; fresh "
                f"{pair(ho['open_cold_ms'], ' ms', worst='max')}; again "
                f"{pair(ho.get('open_warm_ms'), ' ms', worst='max')}",
                f"first in app < {num(ho.get('target_ms'), ' ms', 0)} (median)",
                verdict(ho.get("passed")),
            )
        )
    for name in ("history_scale", "history_open"):
        if "error" in results.get(name, {}):
            rows.append((name, "error (see below)", "", "**missed**"))

    inst = results.get("install_size", {})
    if "total_mib" in inst:
        rows.append(
            (
                "Installed size of a fresh install of the wheel (pip, setuptools excluded)",
                num(inst["total_mib"], " MiB"),
                f"<= {num(inst.get('target_mib'), ' MiB', 0)}",
                verdict(get(inst, "met", "install_size")),
            )
        )
    elif "error" in inst:
        rows.append(("Installed size", "error (see below)", "", "**missed**"))

    rel = results.get("reliability", {})
    if "kill_loop" in rel:
        k = rel["kill_loop"]
        rows.append(
            (
                "SIGKILL loop: kills survived with integrity and confirmed data intact",
                f"{k['survived']} / {k['kills']} ({k['confirmed_results']} confirmed results)",
                "all",
                verdict(get(rel, "met", "kill_loop")),
            )
        )
        for key, label, allowed in (
            ("routine_files", "Malformed routine files", "RoutineError"),
            ("csv_files", "Malformed CSV files (store unchanged when refused)", "CsvImportError"),
        ):
            f = rel[key]
            rows.append(
                (
                    label,
                    f"{f['examples']} tried, {f['unexpected']} unexpected",
                    f">= 1000 tried, 0 unexpected (only {allowed})",
                    verdict(get(rel, "met", key) and f["examples"] >= 1000),
                )
            )
        from benchmarks.reliability import HOSTILE_LABELS

        for key, label in HOSTILE_LABELS.items():
            part = rel.get(key)
            if part is None:
                continue
            wanted = 1000 if key == "settings_files" else (250 if key == "notes_round_trip" else 14)
            rows.append(
                (
                    label,
                    f"{part['examples']} tried, {part['unexpected']} unexpected"
                    + (
                        f" ({part['outcomes'].get('hang', 0)} hangs)"
                        if key == "special_files"
                        else ""
                    ),
                    f">= {wanted} tried, 0 unexpected",
                    verdict(get(rel, "met", key) and part["examples"] >= wanted),
                )
            )
        nones = rel.get("none_references") or {}
        if "lost_per_second" in nones:
            rows.append(
                (
                    "References to None lost per second of session on screen (PySide6 bug)",
                    (
                        f"{nones['lost_per_second']}/s of {nones['refs_at_session_start']}:"
                        f" abort ('none_dealloc') after ~{nones['minutes_to_abort']} min"
                        if nones.get("minutes_to_abort")
                        else f"{nones['lost_per_second']}/s (none lost)"
                    )
                    + f" (Python {nones['python']})",
                    "0 (or Python >= 3.12)",
                    verdict(get(rel, "met", "none_references")),
                )
            )
    elif "error" in rel:
        rows.append(("Reliability", "error (see below)", "", "**missed**"))
    rows += stall_rows(results.get("event_loop_stall", {}))
    rows += voice_rows(results.get("voice_commands", {}))
    return rows


def stall_rows(e: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """The event loop's gaps while phrases render and play (benchmarks/event_loop_stall.py)."""
    if "runs" not in e:
        return [("Event-loop stall", "error (see below)", "", "**missed**")] if "error" in e else []
    rows = [
        (
            f"Event-loop gap, 5 ms timer while 9 phrases render and 3 play ({len(e['runs'])} runs)",
            f"{num(e.get('median_ms'), '', 2)} / {num(e.get('worst_ms'), ' ms')}",
            "worst < 30 ms",
            verdict(get(e, "met", "worst")),
        )
    ]
    after = e.get("after_first_paint")
    if after:
        rows.append(
            (
                "Event-loop gap in the 2.5 s after the first paint, past the deferred start-up"
                f" work ({len(after['launches'])} launches; that work, one step per turn, froze"
                f" the window {num(after.get('deferred_start_ms_median'), ' ms')} at most, median)",
                f"{num(after.get('worst_after_ms_median'), '')} /"
                f" {num(after.get('worst_after_ms'), ' ms')}",
                "worst < 30 ms",
                verdict(get(e, "met", "after_first_paint")),
            )
        )
    return rows


def voice_rows(v: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Summary rows for voice commands (benchmarks/voice_commands.py, issue 18)."""
    if "commands" not in v:
        return [("Voice commands", "error (see below)", "", "**missed**")] if "error" in v else []
    c, fast, met = v["commands"], v["fast_commands"], v.get("met", {})
    cues, other = v["own_cues"], v["other_speech"]
    return [
        (
            "Voice commands acted on within 1.5 s (espeak-ng, 2 voices x 130/160 wpm, twice)",
            f"{c['acted']}/{c['spoken']} = {c['acted_rate'] * 100:.0f} %"
            f" ({c['wrong_word']} misheard, {c['missed']} missed); at 180 wpm"
            f" {fast['acted']}/{fast['spoken']}",
            ">= 95 %",
            verdict(met.get("acted_rate")),
        ),
        (
            "Voice command latency, end of phrase to command",
            pair(c["latency_s"], " s", 2),
            "<= 1.5 s",
            verdict((get(c, "latency_s", "worst") or 99) <= 1.5),
        ),
        (
            "False voice commands: a routine's own cues / the user guide read aloud",
            f"{cues['false_triggers']} in {num(cues['seconds'], ' s', 0)} /"
            f" {other['false_triggers']} in {num(other['seconds'], ' s', 0)}"
            f" = {num(v.get('false_per_hour'), '/hour')}",
            "0 per hour",
            verdict(met.get("false_per_hour")),
        ),
        *short_talk_rows(v),
        (
            "CPU while listening (listening process + parec)",
            f"{v['cpu_share'] * 100:.1f} % of one core",
            "< 10 %",
            verdict(met.get("cpu_share")),
        ),
        *echo_rows(v),
    ]


def echo_rows(v: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Summary rows for commands said during cues, with echo cancelling (issue 18 point 2)."""
    e = v.get("echo_cancelling")
    if not e:
        return []
    d, cues, met = e["during_cues"], e["own_cues"], v.get("met", {})
    return [
        (
            "Voice commands said during a cue, acted on within 1.5 s of the later of the"
            " phrase's end and the cue's end (echo cancelling)",
            f"{d['acted']}/{d['spoken']} = {d['acted_rate'] * 100:.0f} %"
            f" ({d['wrong_word']} misheard, {d['missed']} missed);"
            f" latency {pair(d['latency_s'], ' s', 2)}",
            ">= 95 %",
            verdict(met.get("during_cues_rate")),
        ),
        (
            "False voice commands: a routine's cues through the speakers, echo cancelled",
            f"{cues['false_triggers']} in {num(cues['seconds'], ' s', 0)}",
            "0 per hour",
            verdict(met.get("echo_false")),
        ),
        (
            "CPU while listening with echo cancelling (listening process + 2 parec)",
            f"{e['cpu_share'] * 100:.1f} % of one core",
            "< 10 %",
            verdict(met.get("echo_cpu_share")),
        ),
    ]


def short_talk_rows(v: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Short phrases said one at a time: reported, with no target of its own in the issue."""
    short = v.get("short_talk")
    if not short:
        return []
    return [
        (
            "Short phrases said one at a time that were taken for a command",
            f"{short['triggered']} of {short['phrases']}",
            "none (0 per hour)",
            verdict(short["triggered"] == 0),
        )
    ]


def voice_section(v: dict[str, Any]) -> list[str]:
    """The voice-commands detail: method, and every command that was not acted on."""
    lines = [
        "## Voice commands",
        "",
        "A private PulseAudio server's null sink is the microphone (its monitor made the default"
        " source, faint white noise always playing into it); the app's real listening process"
        " (`python -m timer_app.voice.listen`: parec and the pocketsphinx spotter) listens."
        ' espeak-ng says each command word after "timer" into the sink in two voices'
        " (`en-us`, `en-us+f3`) at 130 and 160 words a minute, twice over, and once at 180; a"
        " command is acted on if the listener's line for the right word arrives within 1.5 s"
        " of the phrase's last sound. Then every phrase of hip-ir-lying (with its Get ready)"
        " in the app's default voice and rate (played without telling the listener, as if"
        " someone else said them: in a session the listener ignores the microphone while the"
        " app sounds), ten minutes of the user guide read aloud, and short phrases one at a"
        " time (near misses such as 'time for a pause', the routine's cues, the guide's short"
        " clauses): any command heard is a false trigger. CPU: user + system time of the"
        " listening process"
        " and its parec over the run's wall time. Synthetic voices are not people: the"
        " acoustic model was trained on human speech, so these figures say little about a"
        " real voice in a real room.",
        "",
    ]
    if "commands" not in v:
        return [*lines, f"Not measured: {v.get('error', 'not run')}", ""]
    short_heard = v.get("short_talk", {}).get("heard", [])
    lines += ["| not acted on | voice | wpm | heard | latency |", "| --- | --- | --- | --- | --- |"]
    if all(t["acted"] for part in ("commands", "fast_commands") for t in v[part]["trials"]):
        lines.append("| (every command was acted on) | | | | |")
    for part in ("commands", "fast_commands"):
        for t in v[part]["trials"]:
            if not t["acted"]:
                heard = ", ".join(t["heard"]) or "nothing"
                if t.get("decoded"):  # what the listener made of it (since --verbose)
                    heard += f" (decoded: {'; '.join(str(d) for d in t['decoded'])})"
                lines.append(
                    f"| timer {t['word']} | {t['voice']} | {t['rate']} | {heard} |"
                    f" {num(t['latency_s'], ' s', 2)} |"
                )
    lines += [
        "",
        f"False triggers heard: cues {v['own_cues']['heard'] or 'none'}; guide"
        f" {v['other_speech']['heard'] or 'none'}; short phrases"
        f" {', '.join(repr(h['phrase']) + ' as ' + h['heard'] for h in short_heard) or 'none'}.",
        "",
        "Where misses and false triggers come from, and what was tried: the notes at the top of"
        " `timer_app/voice/spotter.py`; in a session the listener ignores the microphone while"
        " the app sounds (docs/design.md), so its own cues cannot trigger anything.",
        "",
    ]
    return lines + echo_section(v)


def echo_section(v: dict[str, Any]) -> list[str]:
    """Commands said during cues, with echo cancelling: method and every miss."""
    e = v.get("echo_cancelling")
    if not e:
        return []
    lines = [
        "### Commands said during a cue (echo cancelling)",
        "",
        "A room: the app's sound goes into the default sink (the speakers), a 60 ms loopback"
        " carries it into a second null sink (the room, whose monitor is the microphone), and"
        " espeak-ng (the person) speaks into the room, so the listener's echo reference (the"
        " speakers' monitor) holds the app only. A new listener (echo cancelling:"
        f" {e['echo_cancel']}), the routine's first five cues to adapt to the room, then every"
        " command word in both voices at 130 and 160 wpm said 1.2 s into a 4 s cue. The app"
        " acts on a command heard while it sounds once the cue and its 0.3 s guard are over, so"
        " a command counts when the later of the line's arrival and the cue's end + 0.35 s lies"
        " within 1.5 s of the later of the phrase's end and the cue's end. Then the routine's"
        " 159 cues into the speakers: any command heard is a false trigger. CPU: the listener"
        " and its two parecs over this part's wall time. Offline (rendered and mixed, echo"
        " suppression in dB): `python -m benchmarks.echo_cancel`.",
        "",
        "| not acted on | voice | wpm | heard | latency |",
        "| --- | --- | --- | --- | --- |",
    ]
    missed = [t for t in e["during_cues"]["trials"] if not t["acted"]]
    if not missed:
        lines.append("| (every command was acted on) | | | | |")
    for t in missed:
        heard = ", ".join(t["heard"]) or "nothing"
        if t.get("decoded"):
            heard += f" (decoded: {'; '.join(str(d) for d in t['decoded'])})"
        lines.append(
            f"| timer {t['word']} | {t['voice']} | {t['rate']} | {heard} |"
            f" {num(t['latency_s'], ' s', 2)} |"
        )
    lines += ["", f"False triggers heard from the cues: {e['own_cues']['heard'] or 'none'}.", ""]
    return lines


def boundary_section(b: dict[str, Any]) -> list[str]:
    lines = [
        "## Phase-boundary accuracy",
        "",
        f"{b.get('steps', 60)} one-second steps run through the real `SessionController` (a"
        " `RecordingSpeaker`, a `FakeWakeLock`, the real `SessionView` shown and repainted)"
        " on the real Qt event loop and monotonic clock. *Error* is the moment `step_started`"
        " is emitted minus the ideal time (start + planned offset), for steps 1-59; *end"
        " drift* is when `finished` is emitted minus start + 60 s. The baseline, in the same"
        " event loop (started 150 ms later so their wake-ups never coincide), counts the ticks"
        " of a repeating 1000 ms `QTimer` (default coarse type), the way most timers do."
        " *Load*: two busy-loop processes keep both cores busy. *Stall*: a one-shot timer on"
        " the GUI thread sleeps 300 ms from 30.9 s, over the boundary at 31 s (the baseline's"
        " tick only if its phase falls in those 300 ms); that boundary is reported as *stall"
        " hit*, the worst is over the others, and"
        " *stall drift* is the median error after the stall minus the median before it (what"
        " the stall left behind; the 0-2 ms each boundary has on its own is not drift)."
        " With several runs, the median is the median run's, worsts and drifts the worst run's.",
        "",
        "| scenario | runs | timer | median | worst | end drift | stall hit | stall drift |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, sc in (get(b, "scenarios") or {}).items():
        for who in ("app", "baseline"):
            lines.append(
                f"| {name} | {len(sc.get('runs', []))} | {who} | "
                f"{num(sc.get(f'{who}_median_ms'), ' ms', 2)} | "
                f"{num(sc.get(f'{who}_worst_ms'), ' ms', 2)} | "
                f"{num(sc.get(f'{who}_end_drift_ms'), ' ms', 2)} | "
                f"{num(sc.get(f'{who}_stall_hit_ms'), ' ms', 1) if name == 'stall' else ''} |"
                f" {num(sc.get(f'{who}_stall_drift_ms'), ' ms', 2) if name == 'stall' else ''} |"
            )
    return [*lines, ""]


def edge_rows(cue: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Summary rows for a session's edges (benchmarks/cue_latency.py, issue 10)."""
    edges = get(cue, "edges") or {}
    if not edges:
        return []
    target = cue.get("edges_target") or {"first_ms": 80, "cut_ms": 150}
    first = [v for vs in (edges.get("first_ms") or {}).values() for v in vs]
    cuts = [v for vs in (edges.get("cut_ms") or {}).values() for v in vs]
    rows = []
    if first:
        worst = max(first, key=abs)
        rows.append(
            (
                "First announcement via `timer-app --start`, against its step",
                f"{num(statistics.median(first))} / {num(worst, ' ms')} ({len(first)} launches)",
                f"within {target['first_ms']} ms",
                verdict(abs(worst) <= target["first_ms"]),
            )
        )
    if cuts:
        rows.append(
            (
                "Sound after Space during a phrase (first announcement, phrase rendered then)",
                f"{num(statistics.median(cuts))} / {num(max(cuts), ' ms')} ({len(cuts)} presses)",
                f"silent within {target['cut_ms']} ms",
                verdict(max(cuts) <= target["cut_ms"]),
            )
        )
    at_25 = edges.get("at_25s") or {}
    if at_25:
        helpers = sum(at_25.get("helpers_mib") or [])
        tree = (at_25.get("app_mib") or 0) + helpers
        rows.append(
            (
                "Session process tree resident (VmRSS) 25 s in: app + speech helpers",
                f"{num(at_25.get('app_mib'))} + {num(helpers, ' MiB')} (helper at most"
                f" {num(edges.get('helpers_rss_mib_max'), ' MiB')} while rendering,"
                f" {edges.get('helper_processes_max')} process)",
                "< 150 MiB in all",
                verdict(tree < 150),
            )
        )
    return rows


def edges_lines(cue: dict[str, Any]) -> list[str]:
    """The "first announcement, pause, memory" part of the cue latency section."""
    edges = get(cue, "edges") or {}
    if not edges:
        return []
    first = edges.get("first_ms") or {}
    cuts = edges.get("cut_ms") or {}
    launch = edges.get("launch_to_first_sound_s") or {}
    return [
        "",
        "### The edges of a session: first announcement, pause, memory",
        "",
        "`timer-app --routine FILE --start` is launched as a user would, on an X server of"
        " its own (Xvfb without key auto-repeat, so a key held up by a busy machine is not"
        " repeated), with its own config, data and cache folders, on the same null sink"
        " (`tests/audio/app_run.py`; the same runs are tests in"
        " `tests/audio/test_session_edges.py`). The routine has five 6-second steps, each"
        " announced; settings: no lead-in, no tones. When a step really began cannot be seen"
        " from outside, so the next two steps' onsets give the schedule (they lie 6 s apart"
        f" and land within {num(max(abs(v) for v in edges.get('later_offsets_ms') or [0]))}"
        " ms of it). Launches alternate between a first run (nothing rendered: the session"
        " waits for its first two steps' clips) and a second one (clips cached).",
        "",
        "| | first run | clips cached |",
        "| --- | --- | --- |",
        f"| first announcement against its step (ms) | {first.get('cold')} | {first.get('warm')} |",
        f"| launch to first sound (s) | {launch.get('cold')} | {launch.get('warm')} |",
        "",
        "Space 0.4 s into a phrase, sent with `xdotool key` (its own start-up, ~15–30 ms,"
        " counted): time until the sink stays below RMS 50 (−56 dBFS) for the next 1.5 s."
        f" First announcement: {cuts.get('first_announcement')} ms; a phrase rendered on the"
        " spot (the step re-announced on resume after a 0.3 s pause, rendered during it):"
        f" {cuts.get('phrase_rendered_on_the_spot')} ms. Every sound goes through the app's"
        " own output (no `aplay` child), so the pause stops it there. Before (main at"
        " ed72a25, same rig, 2 launches): the first announcement, left to the live `say()`"
        " worker, was not heard at all; issue 10 measured it 0.95–1.2 s late, and 3.5 s of"
        " it after Space.",
        "",
        "Memory, once a second through a first run: the app at most"
        f" {num(edges.get('app_rss_mib_max'), ' MiB')} resident; one speech helper (the render"
        f" worker) at most {num(edges.get('helpers_rss_mib_max'), ' MiB')} while it renders,"
        " gone 10 s after its last phrase (it is started again when a phrase is wanted);"
        f" 25 s in: {get(edges, 'at_25s', 'app_mib')} MiB app +"
        f" {sum(get(edges, 'at_25s', 'helpers_mib') or [])} MiB helpers.",
        "",
    ]


def _output_row(label: str, way: dict[str, Any]) -> str:
    """One output's line of the cue-latency table: timing, then CPU and memory."""
    return (
        f"| {label} | {way.get('heard', 0)} / {way.get('boundaries', '?')} |"
        f" **{num(way.get('median_ms'), ' ms')}** | **{num(way.get('worst_ms'), ' ms')}** |"
        f" {num(way.get('later_median_ms'), ' ms')} / {num(way.get('later_worst_ms'), ' ms')} |"
        f" {num(way.get('first_ms'), ' ms')} | {num(way.get('cpu_s_per_min_session'), ' s', 2)} /"
        f" {num(way.get('cpu_s_per_min_idle_stream'), ' s', 2)} |"
        f" {num(way.get('rss_mib_after_session'), ' MiB')} / {num(way.get('hwm_mib'), ' MiB')} |"
    )


def cue_section(cue: dict[str, Any]) -> list[str]:
    """The "Cue latency" section first written by hand (commit 103935f), numbers from this
    run; the method and findings also live in benchmarks/cue_latency.py's docstring."""
    app = get(cue, "app") or {}
    qt = get(cue, "app_qt_sound_effect") or {}
    naive = get(cue, "naive_say_runAndWait") or {}
    target = cue.get("target") or {"median_ms": 40, "worst_ms": 80}
    heard = bool(app.get("heard"))
    met = (
        heard
        and (app.get("median_ms") or 1e9) < target["median_ms"]
        and abs(app.get("worst_ms") or 1e9) < target["worst_ms"]
    )
    blocked = (
        f"**{num(naive.get('runAndWait_blocks_ms_median'), '', 0)} ms median,"
        f" {num(naive.get('runAndWait_blocks_ms_max'), '', 0)} ms max**"
    )
    rows = [_output_row("app: pre-rendered clip, miniaudio output, precise timer", app)]
    quiet = get(cue, "app_quiet_steps") or {}
    if quiet:
        rows.append(
            _output_row(
                f"the same on {quiet.get('step_seconds', '?')}-second steps (the stream closed"
                " between cues, opened 1.5 s ahead)",
                quiet,
            )
        )
    if qt:
        rows.append(
            _output_row("the same, Qt Multimedia `QSoundEffect` output (before 2026-12-01)", qt)
        )
    return [
        "## Cue latency",
        "",
        "*When is a step's spoken announcement heard, relative to the step boundary?*",
        "Measured with `python -m benchmarks.cue_latency` (≈6 min; `--compare-qt` adds the old"
        " Qt Multimedia output, which needs `pip install PySide6-Addons`) in this run (machine"
        " above), pyttsx3 + espeak-ng."
        + (f" **Error:** {cue['error']}" if cue.get("error") else ""),
        "",
        "**Set-up.** A private PulseAudio server with a null sink stands in for the sound card;"
        " `parec` records its monitor at 48 kHz. A routine of 17 five-second steps (both"
        " sides, two rounds of passive/PAIL/RAIL/rest, a switch) runs through a real"
        " `SessionEngine` and the app's `ClipSpeaker` on a Qt event loop, woken by one"
        " single-shot `Qt.PreciseTimer` aimed at `engine.next_event_time()`, exactly as the"
        " session controller does (cues handed over `lead_seconds()` early). Onset = first"
        " 2 ms frame above RMS 100 (−50 dBFS) after ≥ 250 ms of silence. Recording time is"
        " tied to `time.monotonic()` from when `parec`'s chunks arrive (read by a separate"
        " process so a busy event loop cannot delay the time stamps), plus the sink's"
        " render-ahead read while streams are connected. Each output runs in a fresh process"
        " of its own; *CPU* is that process's (all threads) per minute of the session, and per"
        " minute of 10 s with the stream open and nothing playing; *memory* is its resident"
        " size after the session and its peak.",
        "",
        "| way | heard | median | worst | after the first: median / worst | first (session"
        " start) | CPU-s/min session / idle | memory after / peak |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        *rows,
        f"| naive: pyttsx3 `say()` + `runAndWait()` at the boundary | {naive.get('heard', 0)} /"
        f" {naive.get('boundaries', '?')} | {num(naive.get('median_ms'), ' ms')} |"
        f" {num(naive.get('worst_ms'), ' ms')} | | | GUI thread blocked {blocked} | |",
        "",
        f"Target (median within {target['median_ms']} ms, worst within {target['worst_ms']}"
        f" ms): **{'met' if met else 'missed'}**. Preparing the session's"
        f" {app.get('phrases', '?')} phrases (starting the worker process, rendering,"
        f" loading) took {num(app.get('prepare_seconds'), ' s', 2)}; the timer woke at most"
        f" {num(app.get('timer_wake_late_ms_max'), ' ms')} late. Rendered clips are cached by"
        " (engine, voice, rate, text) in `~/.cache/timer-app/speech`, so a second session"
        " renders nothing.",
        "",
        "What the numbers mean (findings of the cue-latency work, see the benchmark's docstring):",
        "- *The first boundary* is the session's start: its cue is due the moment Start is"
        " pressed, so no output can start it early, and it is heard one output latency late"
        " (25 ms with Qt's output, ~70 ms with miniaudio's). Every later cue is handed over"
        " early and lands on the boundary; hence the separate column.",
        "- *miniaudio output* (`timer_app/speech/output.py`): miniaudio's audio thread pulls"
        " 40 ms at a time from a mixer; a clip starts a fixed number of frames after the frame"
        " due at `play()` (a stream clock learnt from the pulls), so it is heard a constant"
        " ~70 ms after `play()` whatever the phase of the pulls, and the speaker starts clips"
        " that much early. Starting clips at the next pull instead put them 0-40 ms late at"
        " random; pulling 5 ms at a time made PulseAudio starve and re-buffer (cues 5-61 ms"
        " early and late). Each pull costs ~0.15 ms of CPU (miniaudio's PulseAudio client and a"
        " trip into Python): in `benchmarks/cpu_usage.py` the app used 1.05 CPU-s a minute with"
        " 20 ms pulls, 0.63 with 40, 0.51 with 60 (2026-12-01, this machine); at 60 ms start"
        " times spread more (28 ms), so 40 ms it is. The stream is closed 10 minutes after the"
        " last cue. The Qt output cost less CPU but needed the 418 MiB PySide6-Addons wheel.",
        "- *Side by side before switching* (2026-12-01 00:05 UTC, this machine, one run of"
        " `--compare-qt`, each output in its own process): boundaries after the first, miniaudio"
        " median −5.6 ms, worst 8.4 ms (all 16 within −7.6…+8.4 ms) against `QSoundEffect`"
        " +10.0 / +17.0 ms; the session-start cue 74.4 ms against 25.0 ms. CPU of the process"
        " per minute of session 0.82 s against 0.23 s, with the stream open and idle 0.52 s"
        " against 0.36 s; resident memory after the session 95.6 MiB against 92.9 MiB (peak"
        " 116.6 against 113.8). miniaudio's compensation was then 72 ms; it is 70 ms now.",
        "- `QSoundEffect` fed its stream on a timer: a clip started 0–48 ms after `play()`,"
        " depending on the phase of that timer, so that speaker started clips 25 ms early."
        " Its first play after opening the device cost ~30 ms more, hence a warm-up when a"
        " session is prepared (kept: it opens miniaudio's stream now).",
        "- The naive way lands on time here only because it ran in a process of its own with"
        " nothing else to do and every phrase ended before the next boundary. In the app it"
        " would run on the GUI thread: `runAndWait()` blocks for the whole phrase (3–5 s),"
        " freezing the window, and it cannot be stopped on pause. An earlier run with 4-second"
        " steps, where announcements outlast the step, had naive cues up to **1169 ms late**"
        " (p90 649 ms), since each `say()` waits for the last.",
        "- A session's clock starts only once its first two steps' clips are loaded (at"
        ' once when cached; "Preparing the voice…" on screen after 300 ms; after 3 s it'
        " starts anyway on visual cues), so the first announcement is a clip like the others:"
        " see *The edges of a session* below.",
        "- Event loop: while phrases render (worker process) and play, a 5 ms `QTimer` never"
        " saw a gap over 30 ms (`tests/audio/test_playback.py`), and `silence()` leaves the"
        " sink quiet from 100 ms on.",
        "",
        *edges_lines(cue),
        "Reproduce: `python -m benchmarks.cue_latency` prints JSON (also `run()` for `make"
        " bench`); it needs the Debian packages `pulseaudio pulseaudio-utils espeak-ng xdotool"
        " xvfb` (in the Makefile) and works as root.",
        "",
    ]


def _mapped_rows(mp: dict[str, Any]) -> list[str]:
    if "app_ms" not in mp:
        return [f"| mapped (external observer) | {mp.get('error', 'not measured')} | |"]
    return [
        f"| app, launch to window mapped (xev) | {num(get(mp, 'app_ms', 'median'), ' ms')} |"
        f" {num(get(mp, 'app_ms', 'worst'), ' ms')} |",
        f"| bare, launch to window mapped (xev) | {num(get(mp, 'bare_ms', 'median'), ' ms')} |"
        f" {num(get(mp, 'bare_ms', 'worst'), ' ms')} |",
        f"| ratio app / bare, mapped | {num(mp.get('ratio_median'), 'x', 2)} |"
        f" {num(mp.get('ratio_worst'), 'x', 2)} |",
        "| app / bare, xdotool --sync (0.5 s polls) |"
        f" {num(get(mp, 'xdotool_app_ms', 'median'), ' ms', 0)} /"
        f" {num(get(mp, 'xdotool_bare_ms', 'median'), ' ms', 0)} | |",
    ]


def _cpu_to_paint_rows(fp: dict[str, Any]) -> list[str]:
    if "app_cpu_ms" not in fp:
        return []
    return [
        f"| CPU time to first paint, app / bare | {num(get(fp, 'app_cpu_ms', 'median'), ' ms')}"
        f" / {num(get(fp, 'bare_cpu_ms', 'median'), ' ms')}"
        f" = {num(fp.get('cpu_ratio_median'), 'x', 2)} | "
        f"{num(get(fp, 'app_cpu_ms', 'worst'), ' ms')} / "
        f"{num(get(fp, 'bare_cpu_ms', 'worst'), ' ms')} |",
        *_first_launch_rows(fp),
    ]


def _first_launch_rows(fp: dict[str, Any]) -> list[str]:
    if "app_first_launch_ms" not in fp:
        return []
    return [
        f"| the app's very first launch (no start-screen cache) to first paint, ratio to bare"
        f" | {num(get(fp, 'app_first_launch_ms', 'median'), ' ms')}"
        f" = {num(fp.get('first_launch_ratio_median'), 'x', 2)} | "
        f"{num(get(fp, 'app_first_launch_ms', 'worst'), ' ms')} |",
    ]


def _tree_rows(tree: dict[str, Any]) -> list[str]:
    if "tree_rss_mib" not in tree:
        return []
    lines = [
        f"Session process tree, {tree['seconds_into_session']:.0f} s into `{tree['routine']}`:",
        "",
        "| process | resident (VmRSS) | peak (VmHWM) |",
        "| --- | --- | --- |",
        f"| app | {num(tree['app_rss_mib'], ' MiB')} | {num(tree['app_hwm_mib'], ' MiB')} |",
    ]
    for helper in tree["helpers"]:
        lines.append(
            f"| helper `{helper['command']}` | {num(helper['rss_mib'], ' MiB')} |"
            f" {num(helper['hwm_mib'], ' MiB')} |"
        )
    lines += [f"| **whole tree** | **{num(tree['tree_rss_mib'], ' MiB')}** | |", ""]
    return lines


def install_section(inst: dict[str, Any]) -> list[str]:
    lines = [
        "## Install size",
        "",
        "`python -m benchmarks.install_size`: the wheel is built from this checkout (`pip wheel"
        " --no-deps`) and installed with its dependencies into a fresh venv in a temporary"
        " folder, as `pip install timer-app` would. Each distribution's size is the sum of the"
        " files its `RECORD` lists (byte-compiled files included); pip and setuptools, part of"
        " every venv, are left out. The README's dependency table quotes these figures.",
        "",
    ]
    if "total_mib" not in inst:
        return [*lines, f"Not measured: {inst.get('error', 'not run')}", ""]
    lines += ["| distribution | version | installed | |", "| --- | --- | --- | --- |"]
    for pkg in inst["packages"]:
        why = "" if pkg["direct"] else "pulled in by another"
        lines.append(f"| {pkg['name']} | {pkg['version']} | {num(pkg['mib'], ' MiB')} | {why} |")
    lines += [
        f"| **total** | | **{num(inst['total_mib'], ' MiB')}** | target <="
        f" {num(inst.get('target_mib'), ' MiB', 0)} |",
        "",
        f"The wheel itself: {num(inst.get('wheel_kib'), ' KiB')}."
        + (
            f" Before (same run, the dependencies of `{inst['baseline']['source']}`):"
            f" {num(inst['baseline']['total_mib'], ' MiB')}."
            if inst.get("baseline")
            else ""
        ),
        "",
    ]
    return lines


def detail_sections(results: dict[str, dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    b = results.get("boundary_accuracy", {})
    if "scenarios" in b:
        lines += boundary_section(b)
    st = results.get("startup", {})
    lines += [
        "## Start-up and memory",
        "",
        "The `timer-app` command (the venv's console script) is launched as a subprocess with"
        " every `XDG_*` folder in a temporary folder (your data is untouched) and"
        " `TIMER_APP_BENCH_FIRST_PAINT=<file>`. The main figures are *later launches*: each"
        " program keeps its folders from launch to launch, as a user's are, so the app finds"
        " the start-screen cache its first launch wrote (the start screen is drawn without"
        " parsing a routine file); the app's *very first launch* (new, empty folders each"
        " time) is timed alongside. The app writes `time.monotonic()` there on the"
        " event-loop turn after its first Paint event (hook in `timer_app/ui/app.py`). The"
        " bare window is `QApplication` + an empty 1280x800 `QMainWindow` with the same hook,"
        " launched alternately in the same run; one untimed launch of each warms the file"
        " cache. *Mapped* is the same seen from outside the process, as a user sees it:"
        " `xev -root -event substructure`, started before the launch, reports the X server's"
        " `MapNotify` for the new window the moment it is mapped; `xdotool search --sync"
        " --onlyvisible --pid` runs alongside as a second witness, but it polls every 0.5 s, so"
        " its figure is only good to half a second. Peak memory is `VmHWM` of the app process"
        " 10 s into a `quick-hip-check` session (`--routine quick-hip-check --start`); the"
        " speech worker process(es) are counted apart. The *session tree* is the resident"
        " memory (`VmRSS`) of the app and of each helper process it started, 25 s into"
        " `hip-ir-lying` (`--routine hip-ir-lying --start`).",
        "",
    ]
    if "first_paint" in st:
        fp, mem = st["first_paint"], st["memory"]
        lines += [
            "| measure | median | worst |",
            "| --- | --- | --- |",
            f"| app, launch to first paint | {num(get(fp, 'app_ms', 'median'), ' ms')} | "
            f"{num(get(fp, 'app_ms', 'worst'), ' ms')} |",
            f"| bare PySide6 window | {num(get(fp, 'bare_ms', 'median'), ' ms')} | "
            f"{num(get(fp, 'bare_ms', 'worst'), ' ms')} |",
            f"| ratio app / bare | {num(fp.get('ratio_median'), 'x', 2)} | "
            f"{num(fp.get('ratio_worst'), 'x', 2)} |",
            *_cpu_to_paint_rows(fp),
            *_mapped_rows(st.get("mapped") or {}),
            f"| app VmHWM in a session | {num(get(mem, 'app_peak_mib', 'median'), ' MiB')} | "
            f"{num(get(mem, 'app_peak_mib', 'worst'), ' MiB')} |",
            f"| children (speech worker) VmHWM | "
            f"{num(get(mem, 'children_peak_mib', 'median'), ' MiB')} | "
            f"{num(get(mem, 'children_peak_mib', 'worst'), ' MiB')} |",
            "",
            *_tree_rows(st.get("session_tree") or {}),
        ]
    cpu = results.get("cpu_usage", {})
    lines += [
        "## CPU while running",
        "",
        "The app runs `quick-hip-check` with `--start` (sound through a private PulseAudio null"
        " sink, so cue clips are really rendered and played). After first paint and 5 s of"
        " settling, utime + stime of the app and all its descendants are read from"
        " `/proc/<pid>/stat` at the ends of consecutive windows (passive hold, halfway cue,"
        " PAIL with its 10 Hz effort bar), each scaled to one minute.",
        "",
    ]
    if "cpu_s_per_min" in cpu:
        lines += [
            f"Audio: {cpu.get('audio')}; {cpu.get('processes')} processes in the tree;"
            f" windows of {cpu.get('window_s')} s: {cpu.get('all_windows')} CPU-s/min."
            f" App process alone: {pair(cpu.get('app_process_cpu_s_per_min'), ' s/min', 3)}.",
            "",
        ]
    lines += cue_section(results.get("cue_latency", {}))
    lines += install_section(results.get("install_size", {}))
    hs, ho = results.get("history_scale", {}), results.get("history_open", {})
    lines += [
        "## History at scale",
        "",
        "From `benchmarks/history_scale.py` and `benchmarks/history_open.py`: a store of 20"
        " years of daily sessions (each with a ~33-entry log and left/right results) is built"
        " in a temporary folder; the store operations are timed in process, and the history"
        " window's open (from `HistoryWindow(...)` to the table and chart having painted) in"
        " fresh processes (cold: first open, pyqtgraph imported; warm: second window).",
        "",
    ]
    if "open_ms" in hs:
        lines += ["| store operation | ms |", "| --- | --- |"]
        for key in (
            "open_ms",
            "sessions_ms",
            "open_plus_sessions_ms",
            "fresh_process_ms",
            "latest_and_bests_ms",
            "progress_commit_ms",
            "progress_commit_max_ms",
            "export_csv_ms",
            "import_csv_ms",
        ):
            lines.append(f"| {key.removesuffix('_ms')} | {num(hs.get(key))} |")
        lines += [f"\nStore file {num(hs.get('file_mb'), ' MB')}.", ""]
    if "open_cold_ms" in ho:
        lines += ["| history window | median | worst |", "| --- | --- | --- |"]
        for key in (
            "open_first_in_app_ms",
            "open_cold_ms",
            "open_warm_ms",
            "sort_column_ms",
            "filter_routine_ms",
            "store_read_ms",
            "pyqtgraph_import_ms",
        ):
            lines.append(
                f"| {key.removesuffix('_ms')} | {num(get(ho, key, 'median'), ' ms')} |"
                f" {num(get(ho, key, 'max'), ' ms')} |"
            )
        lines += [f"\n{ho.get('runs')} runs, `{ho.get('platform')}` platform.", ""]
    rel = results.get("reliability", {})
    lines += [
        "## Reliability",
        "",
        "*SIGKILL loop*: the writer of `tests/e2e/test_kill_writer.py` is killed with SIGKILL at"
        " random moments, on three store files in turn (one kill in five right after the"
        " spawn); after every kill the file must pass `PRAGMA integrity_check` and hold every"
        " result, progress and end the writer had confirmed, and finally reopen without being"
        " set aside. *Malformed files*: hypothesis (derandomized, so every machine tries the"
        " same files) mutates the shipped routine files (byte flips, truncations, wrong types,"
        " unknown or deleted keys, shuffled lines, random TOML documents) and a valid CSV"
        " export (byte flips, truncations, wrong-type cells, random rows, unknown, dropped or"
        " doubled columns, duplicate rows). Only `RoutineError` / `CsvImportError` may come"
        " out, and a refused import must leave every table of the store unchanged. Routine"
        " files also get nesting 30-5000 deep and control characters in names (which must not"
        " survive loading); CSV files JSON cells nested up to 100,000 deep and dates past"
        " year 9999 in UTC. *Hostile files* (`benchmarks/file_fuzz.py`, also run with fewer"
        " examples by `make test` in `tests/fuzz/`): settings files with every kind of value"
        " under the real keys must load without an exception, each bad key falling back alone,"
        " reload clean after a save and leave the user's file aside; exported notes starting"
        " with `=`, `+`, `-`, `@`, tab or CR (or holding lone CRs, quotes, NULs) must give no"
        " formula cell and come back byte-exact; a FIFO, a folder, `/dev/zero` and a 1 KB file"
        " nested 500 deep are handed to each reader (routine, CSV import, settings, history"
        " store) in a child process with a 20 s watchdog: a hang or a traceback counts.",
        "",
    ]
    if "kill_loop" in rel:
        for key in (
            "routine_files",
            "csv_files",
            "settings_files",
            "notes_round_trip",
            "special_files",
        ):
            if key not in rel:
                continue
            f = rel[key]
            lines.append(
                f"- {key.replace('_', ' ')}: {f['examples']} tried ({f['seconds']} s); outcomes"
                f" {f['outcomes']}; by mutation {f['by_mutation']}"
            )
            lines += [f"  - unexpected: `{u}`" for u in f["unexpected_first"]]
        k = rel["kill_loop"]
        lines += [
            f"- kill loop: {k['survived']}/{k['kills']} kills in {k['seconds']} s"
            + (f"; failure: {k['failure']}" if k.get("failure") else "")
            + (f"; reopen notices: {k['reopen_notices']}" if k.get("reopen_notices") else ""),
            "",
        ]
        nones = rel.get("none_references") or {}
        lines += [
            "*References to None*: PySide6 6.12 on Python 3.11 does not take a reference to"
            " `None` when a void method (`setText`, `setStyleSheet`, `setPalette`, `update`...)"
            " returns, so every such call lowers None's reference count by one; at zero the"
            " interpreter aborts with `Fatal Python error: none_dealloc`. The figure is measured"
            f" on `{nones.get('routine')}` (session controller + session view on screen) for"
            f" {nones.get('seconds')} s. Python 3.12+ makes None immortal, so there it is"
            " harmless." + (f" Error: {nones['error']}" if nones.get("error") else ""),
            "",
        ]
    lines += [
        "## What the first run found, and what changed (2026-11-26)",
        "",
        "The first `make bench` on this machine missed four targets; each was traced and fixed:",
        "",
        "- *Step-start error 2.07 ms median*: Qt rounds a timer interval up to a whole"
        " millisecond and its event loop adds more, so a timer aimed at the deadline woke"
        " 1-2 ms after it. The controller now aims 3 ms early and waits out the rest with a"
        " precise sleep (`EARLY_WAKE_SECONDS` in `timer_app/ui/session_controller.py`).",
        "- *CPU 0.42-0.96 s per minute*: during a PAIL the display refreshed at 10 Hz for the"
        " whole phase. It now refreshes at 5 Hz, and only while the effort bar climbs; the rest"
        " of the session refreshes once per shown second.",
        "- *Start-up 2.65x a bare window*: the window is now shown first; the speech engine"
        " probe and the history database open on the event-loop turn after its first paint,"
        " and dialogs, the editor and the quick-adjust panel are imported or built when first"
        " used (`timer_app/ui/app.py`, `timer_app/ui/main_window.py`).",
        "- *History window 350-456 ms on first open*: ~180 ms of it is importing pyqtgraph."
        " The app loads it at an idle moment 3 s after start-up (never during a session), so"
        " the first open a user meets is the `open_first_in_app` figure; the fresh-process"
        " figure is kept for comparison.",
        "- *A crash, not a target*: PySide6 6.12.0 on Python 3.11 loses a reference on every"
        " void Qt call made from Python; the app aborted 244 s into `hip-ir-lying`."
        " pyproject.toml excludes 6.12.0, and the reliability benchmark checks for it.",
        "",
    ]
    errors = [(n, r["error"]) for n, r in results.items() if r.get("error")]
    if errors:
        lines += ["## Errors in this run", ""]
        for name, error in errors:
            lines += [f"`{name}`:", "", "```", error, "```", ""]
    return lines


def render(results: dict[str, dict[str, Any]], machine: dict[str, Any], total_s: float) -> str:
    rows = summary_rows(results)
    times = ", ".join(f"{n} {num(r.get('seconds'), ' s', 0)}" for n, r in results.items())
    lines = [
        "# Performance and reliability",
        "",
        "<!-- Generated by `make bench` (benchmarks/run_all.py); edits here are overwritten. -->",
        "",
        f"Measured {machine['date']} on {machine['nproc']} CPUs ({machine['cpu']}),"
        f" {machine['ram_gib']} GiB RAM, {machine['os']}, Python {machine['python']},"
        f" Qt {machine['qt']} (PySide6 {machine['pyside6']}), X server:"
        f" {machine.get('display', '?')}. Total {total_s / 60:.1f} min ({times}).",
        "",
        "## How to reproduce",
        "",
        "`make test` (sets up the venv and Debian packages), then `make bench`; it starts its"
        " own Xvfb (PyVirtualDisplay) unless `$DISPLAY` is set, and a private PulseAudio"
        " server for the sound measurements. One benchmark alone: `.venv/bin/python -m"
        " benchmarks.<name>` (add `--quick` for a tiny run of the ones written for this"
        " file). Other processes on the machine disturb the timings: measure on a quiet one.",
        "",
        "## Results",
        "",
        "Median / worst across runs (*worst* is the largest absolute error).",
        "",
        "| measure | result (median / worst) | target | |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    lines.append("")
    lines += detail_sections(results)
    if "voice_commands" in results:
        lines += voice_section(results["voice_commands"])
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None, runner: Callable[..., dict[str, Any]] = run_one) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    only = None
    if "--only" in args:
        only = set(args[args.index("--only") + 1].split(","))
    json_path = Path(args[args.index("--json") + 1]) if "--json" in args else None
    if "--from" in args:  # re-render the document from a results.json of an earlier run
        saved = json.loads(Path(args[args.index("--from") + 1]).read_text())
        total = sum(r.get("seconds", 0) for r in saved["results"].values())
        document = render(saved["results"], saved["machine"], total)
        if "--no-write" in args:  # look before replacing the document
            print(document)
        else:
            DOC.write_text(document)
        return 0
    folder = Path(tempfile.mkdtemp(prefix="bench-"))
    started = time.monotonic()
    results: dict[str, dict[str, Any]] = {}
    with x_server() as display:
        machine = machine_info()
        machine["display"] = display if "DISPLAY" in os.environ else "none"
        print(f"Machine: {machine}", flush=True)
        for name, kwargs in BENCHMARKS:
            if only is not None and name not in only:
                continue
            print(f"-- {name} ...", flush=True)
            results[name] = runner(name, kwargs, folder)
            if "error" in results[name]:
                print(f"   ERROR: {results[name]['error']}", flush=True)
            else:
                print(f"   done in {results[name]['seconds']} s", flush=True)
    total = time.monotonic() - started
    text = render(results, machine, total)
    out = json_path or folder / "results.json"
    out.write_text(json.dumps({"machine": machine, "results": results}, indent=2))
    if "--no-write" not in args:
        DOC.write_text(text)
        print(f"\nWrote {DOC.relative_to(REPO)}; raw results in {out}")
    print()
    for a, b, c, d in summary_rows(results):
        print(f"{a:<72} {b:<44} {c:<34} {d.replace('*', '')}")
    print(f"\nTotal {total / 60:.1f} min")
    return 1 if any("error" in r for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
