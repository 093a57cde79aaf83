"""The Celery application: `celery -A worker worker -Q <queues>`."""

from contactpoint import create_app

celery_app = create_app().extensions["celery"]
