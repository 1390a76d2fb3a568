"""The Qt-free core: routines, their expansion into timed steps, cues, and the session engine.

Nothing in this package imports Qt, so it is tested without a QApplication and reused by the
command line and the benchmarks.
"""
