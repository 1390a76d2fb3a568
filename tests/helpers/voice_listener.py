"""A stand-in for the listening process: says it is ready, then "hears" the words given on
its command line (one every ``--gap`` seconds, default none), then reads stdin until it
closes, as ``timer_app.voice.listen`` does; with ``--log PATH`` it writes each line the app
sent it (the "deaf" lines) to PATH; with ``--no-echo-cancel`` it says it cannot cancel the
app's sound (no output monitor, or no ``pyaec``)."""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    args = sys.argv[1:]
    gap = 0.0
    log = None
    echo_cancel = "--no-echo-cancel" not in args
    args = [a for a in args if a != "--no-echo-cancel"]
    while args[:1] in (["--gap"], ["--log"]):
        if args[0] == "--gap":
            gap = float(args[1])
        else:
            log = open(args[1], "a", encoding="utf-8")  # noqa: SIM115 - open as long as it runs
        args = args[2:]
    print(json.dumps({"ready": True, "echo_cancel": echo_cancel}), flush=True)
    for word in args:
        time.sleep(gap)
        print(json.dumps({"heard": word, "ended": time.monotonic()}), flush=True)
    for line in sys.stdin:
        if log is not None:
            log.write(line)
            log.flush()


if __name__ == "__main__":
    main()
