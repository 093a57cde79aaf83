"""The Celery application: `celery -A worker worker -Q <queues>`."""

from contactpoint import create_app
from contactpoint.config import or_exit

# Workers run the same few statements again and again, and commit: worth preparing them.
# Their commits on PostgreSQL follow CONTACTPOINT_WORKER_SYNCHRONOUS_COMMIT (`config`).
flask_app = or_exit(lambda: create_app({"PREPARED_STATEMENTS": True, "WORKER": True}))
celery_app = flask_app.extensions["celery"]
