"""Structured logs: one JSON object a line, with case and step ids; never personal numbers."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from celery.signals import setup_logging, task_postrun, task_prerun

# Personal identity numbers (YYYYMMDD-NNNN, YYMMDD-NNNN, with or without the dash).
PERSONAL_NUMBER = re.compile(r"\b(?:\d{8}|\d{6})[-+]?\d{4}\b")
CONTEXT: ContextVar[dict[str, str]] = ContextVar("log_context", default={})  # noqa: B039
FIELDS = ("case_id", "step_id", "agency", "outcome", "task", "task_id")
_MARK = "_contactpoint_handler"


def redact(text: str) -> str:
    """Text with anything shaped like a personal identity number masked."""
    return PERSONAL_NUMBER.sub("[redacted]", text)


def bind(**values: str) -> None:
    """Add ids to the log context of the current task or request."""
    CONTEXT.set({**CONTEXT.get(), **values})


@contextmanager
def bound(**values: str) -> Iterator[None]:
    """Add ids to the log context inside the block only (a request's own, such as the
    correlation id its caller sent)."""
    token = CONTEXT.set({**CONTEXT.get(), **values})
    try:
        yield
    finally:
        CONTEXT.reset(token)


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object, with the ids of the task or request it belongs to."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as JSON; the message and any exception text are redacted."""
        entry: dict[str, Any] = {
            "at": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
            "process": record.process,
        }
        entry.update(CONTEXT.get())
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = str(value)
        if record.exc_info:
            entry["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class RedactingFormatter(logging.Formatter):
    """The plain text format, redacted."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as text, with personal numbers masked."""
        return redact(super().format(record))


def configure_logging(log_format: str, level: str = "INFO") -> None:
    """Send the root logger's records to stderr, as JSON or as redacted text (once)."""
    root = logging.getLogger()
    if any(getattr(handler, _MARK, False) for handler in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    setattr(handler, _MARK, True)
    root.addHandler(handler)
    root.setLevel(level.upper())


_connected = False


def connect_task_context(log_format: str) -> None:
    """Bind each task's name, id and the case or step id it was given, for its log lines."""
    global _connected
    if _connected:
        return
    _connected = True
    task_prerun.connect(_task_started, weak=False)
    task_postrun.connect(_task_ended, weak=False)
    if log_format:
        # With a receiver, Celery leaves logging to us: the worker logs in the same format.
        setup_logging.connect(_celery_logging(log_format), weak=False)


def _celery_logging(log_format: str) -> Any:
    def configure(loglevel: Any = None, **_kwargs: Any) -> None:
        level = logging.getLevelName(loglevel) if isinstance(loglevel, int) else loglevel
        configure_logging(log_format, str(level or "INFO"))

    return configure


def _task_started(task_id: str = "", task: Any = None, args: Any = None, **_: Any) -> None:
    values = {"task": getattr(task, "name", ""), "task_id": task_id}
    first = args[0] if args else None
    if isinstance(first, str) and getattr(task, "name", "").endswith("run_step"):
        values["step_id"] = first
    elif isinstance(first, str) and getattr(task, "name", "").endswith("_case"):
        values["case_id"] = first
    CONTEXT.set(values)


def _task_ended(**_: Any) -> None:
    CONTEXT.set({})
