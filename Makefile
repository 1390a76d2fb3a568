# Mobility Timer: two commands on a fresh Debian/Ubuntu machine.
#   make run    set everything up, then open the app
#   make test   set everything up, then run ruff, mypy and the whole test suite
# Each target installs only what is missing, so a second run starts within seconds.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

# Python may keep compiled bytecode (.pyc, in __pycache__ folders git ignores) even where the
# shell says not to: without it every pytest process re-compiles and re-rewrites the asserts
# of all ~200 test files (5 s of CPU each), and every launched app or writer process
# re-compiles the package.
unexport PYTHONDONTWRITEBYTECODE

# Debian packages: Qt's xcb platform libraries, a virtual X server for the GUI tests,
# espeak-ng for speech, PulseAudio + ALSA plugin + sox to play and record cues,
# dbus (a private session bus) and playerctl (a real MPRIS client) for the MPRIS tests,
# poppler-utils (pdftotext, pdfinfo, pdftoppm) to read back the PDF report in its tests,
# xdotool and x11-utils (xev) to watch the window appear in the start-up benchmark.
DEB_PACKAGES := \
	libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
	libxcb-xkb1 libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0 libegl1 libgl1 \
	libfontconfig1 libdbus-1-3 fonts-dejavu-core \
	espeak-ng libespeak-ng1 alsa-utils libasound2-plugins pulseaudio pulseaudio-utils sox \
	xvfb xauth xdotool x11-utils dbus playerctl poppler-utils

.PHONY: run test bench lint typecheck pytest setup system-deps clean screenshots shipped-listing

run: setup
	$(VENV)/bin/timer-app

test: setup lint typecheck pytest

setup: system-deps $(STAMP)

system-deps:
	@bash .ci/ensure-system-packages $(DEB_PACKAGES)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed; found: $$($(PYTHON) --version)"; exit 1; }
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

lint: setup
	$(VENV)/bin/ruff check timer_app tests benchmarks
	$(VENV)/bin/ruff format --check timer_app tests benchmarks

typecheck: setup
	$(VENV)/bin/mypy timer_app

# Two pytest runs at the same time (.ci/pytest-runs says how): the tests marked `serial` (they
# measure time with real sound: onsets, cut latencies), one at a time at normal priority, and
# the bulk on every core (pytest-xdist; pytest-xvfb gives each worker its own X server) at the
# lowest priority, in the CPU time the serial tests leave idle. The target fails if either run
# failed; nothing selected (e.g. PYTEST_ARGS=tests/unit) is no failure.
PYTEST_WORKERS ?= auto
pytest: setup
	@bash .ci/pytest-runs $(VENV) $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The README's screenshots, from the screen-size run's demo data (a seeded history, no session
# of the run itself in it): 800x480 session and results prompt, 1280x800 history.
screenshots: setup
	$(VENV)/bin/pytest -q -p no:randomly tests/screens/test_screen_sizes.py -k '800x480 or 1280x800'
	cp tests/artifacts/screens/800x480/pail.png docs/images/screen-800x480-session.png
	cp tests/artifacts/screens/800x480/results.png docs/images/screen-800x480-results.png
	cp tests/artifacts/screens/1280x800/history.png docs/images/screen-1280x800-history.png

# The start screen's listing of the built-in routines, shipped in the package so the very
# first launch draws it without parsing them (timer_app/core/shipped_listing.py). Run it after
# editing a file in routines/ or the code that makes the listed text: a test fails until then.
shipped-listing: setup
	$(VPY) -m timer_app.core.shipped_listing --write

bench: setup
	$(VENV)/bin/pytest -q -m bench tests
	$(VPY) -m benchmarks.run_all

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache tests/artifacts *.egg-info
