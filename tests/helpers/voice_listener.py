"""A stand-in for the listening process: says it is ready, then "hears" the words given on
its command line (one every ``--gap`` seconds, default none), then waits for stdin to close,
as ``timer_app.voice.listen`` does."""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    args = sys.argv[1:]
    gap = 0.0
    if args[:1] == ["--gap"]:
        gap, args = float(args[1]), args[2:]
    print(json.dumps({"ready": True}), flush=True)
    for word in args:
        time.sleep(gap)
        print(json.dumps({"heard": word, "ended": time.monotonic()}), flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main()
