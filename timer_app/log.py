"""A logger that imports ``logging`` on its first message, not at start-up.

Modules on the way to the window's first paint log only when something goes wrong, so the
``logging`` module (with traceback, threading, string...) need not be loaded before it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import logging


class LazyLogger:
    """Forwards to ``logging.getLogger(name)``, looked up on the first message."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._logger: logging.Logger | None = None

    def _get(self) -> logging.Logger:
        if self._logger is None:
            import logging

            self._logger = logging.getLogger(self.name)
        return self._logger

    def debug(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self._get().debug(msg, *args, stacklevel=2, **kwargs)

    def info(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self._get().info(msg, *args, stacklevel=2, **kwargs)

    def warning(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self._get().warning(msg, *args, stacklevel=2, **kwargs)

    def error(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self._get().error(msg, *args, stacklevel=2, **kwargs)

    def exception(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self._get().exception(msg, *args, stacklevel=2, **kwargs)


def get_logger(name: str) -> LazyLogger:
    """The module's logger, as ``logging.getLogger(name)`` but loaded on first use."""
    return LazyLogger(name)
