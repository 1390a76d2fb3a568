"""Mobility Timer: a spoken, glanceable timer that guides floor mobility sessions."""

__version__ = "0.1.0"
APP_NAME = "Mobility Timer"
