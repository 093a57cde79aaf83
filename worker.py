"""The Celery application: `celery -A worker worker -Q <queues>`."""

from contactpoint import create_app
from contactpoint.config import ConfigError

try:
    # Workers run the same few statements again and again, and commit: worth preparing them.
    celery_app = create_app({"PREPARED_STATEMENTS": True}).extensions["celery"]
except ConfigError as error:  # a setting it cannot use: said in one line, not a traceback
    raise SystemExit(f"Error: {error}") from None
