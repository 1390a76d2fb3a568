"""Test doubles shared by the unit, GUI and benchmark code: fakes for the clock, speaker and
wake lock. They live here, not in ``timer_app``, so the shipped package holds no test code."""
