"""Fixtures of the database tests: the app's workflow runtime dispatching to a list."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from contactpoint.extensions import db
from tests.helpers.statements import Collect
from workflows import runtime


@pytest.fixture()
def collect(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Collect]:
    """The app's workflow runtime, sending to a list instead of the broker."""
    sent = Collect()
    monkeypatch.setattr(runtime.current(), "dispatcher", sent)
    with app.app_context():
        yield sent
        db.session.rollback()
