"""The Celery application: `celery -A worker worker -Q <queues>`."""

from contactpoint import create_app

# Workers run the same few statements again and again, and commit: worth preparing them.
celery_app = create_app({"PREPARED_STATEMENTS": True}).extensions["celery"]
