"""gunicorn settings.

`gunicorn -c python:contactpoint.gunicorn_conf 'contactpoint:create_app()'`.

The number of web processes comes from `WEB_CONCURRENCY` (gunicorn's own variable) or `-w`.
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import multiprocess

from contactpoint import create_app
from contactpoint.config import or_exit

bind = os.environ.get("CONTACTPOINT_BIND", "127.0.0.1:8000")
timeout = 30
graceful_timeout = 20
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def child_exit(_server: Any, worker: Any) -> None:
    """Drop a finished web process's live gauges from the shared metrics directory."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)


def on_starting(_server: Any) -> None:
    """A setting the app cannot use stops gunicorn in one line, before any worker boots (each
    would otherwise print a traceback and fail to boot)."""
    or_exit(create_app)
