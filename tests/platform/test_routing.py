"""A step's message reaches its agency's queue and no other, on a real Redis."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from flask import Flask
from kombu import Connection

from agencies.catalogue import queue_for
from contactpoint.platform.celery_app import all_queues
from contactpoint.platform.embedded import EmbeddedRedis
from tests.conftest import redis_database
from workflows.tasks import run_step

ROUTING_DB = 15  # a Redis database of this test's own: no worker consumes from it


@pytest.fixture()
def broker(redis_server: EmbeddedRedis) -> Iterator[str]:
    with redis_database(redis_server, ROUTING_DB) as url:
        yield url


def test_a_step_for_one_agency_lands_on_that_agency_queue_only(app: Flask, broker: str) -> None:
    celery = app.extensions["celery"]
    client = redis.Redis.from_url(broker)
    with Connection(broker) as connection:
        channel = connection.default_channel
        for name in all_queues():  # every queue bound, as workers on all hosts bind them
            celery.amqp.queues[name](channel).declare()
        run_step.apply_async(("step-1",), queue=queue_for("csn"), connection=connection)
        run_step.apply_async(("step-2",), queue=queue_for("kommun_0380"), connection=connection)
    depths = {name: client.llen(name) for name in all_queues()}
    client.close()
    expected = {name: 0 for name in all_queues()} | {"agency.csn": 1, "agency.kommun": 1}
    assert depths == expected
