"""The lazy logger logs as ``logging.getLogger(name)`` does: same logger, level, message and
caller (file, line, function), so the log reads the same whether or not it was deferred."""

from __future__ import annotations

import logging

import pytest

from timer_app.log import get_logger

log = get_logger("timer_app.test_lazy")


def warn_about(name: str) -> None:
    log.warning("cannot read %s", name)


def test_a_warning_reaches_the_named_logger_with_its_callers_place(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="timer_app.test_lazy"):
        warn_about("settings.toml")
    [record] = caplog.records
    assert (record.name, record.levelno) == ("timer_app.test_lazy", logging.WARNING)
    assert record.getMessage() == "cannot read settings.toml"
    assert (record.filename, record.funcName) == ("test_log.py", "warn_about")


def test_each_level_is_forwarded_and_exception_keeps_the_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="timer_app.test_lazy"):
        log.debug("d")
        log.info("i")
        log.error("e")
        try:
            raise OSError("disk full")
        except OSError:
            log.exception("x")
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.DEBUG, "d"),
        (logging.INFO, "i"),
        (logging.ERROR, "e"),
        (logging.ERROR, "x"),
    ]
    assert "disk full" in caplog.text


def test_a_level_set_on_the_logger_silences_its_messages(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="timer_app.test_lazy"):
        log.info("not shown")
    assert caplog.records == []
