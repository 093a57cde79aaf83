"""What every part runs on: Celery, the embedded runtime, health, rate limits,
i18n, assets, observability."""
