"""The session cookie's signer is made once per key, and a change of key is honoured: a
cookie signed with a key that is now a fallback is still read, one signed with a key that is
gone is not."""

from __future__ import annotations

from flask import Flask

from contactpoint.auth.cookie import KeptSignerSessionInterface


def _app(secret: str, fallbacks: list[str] | None = None) -> Flask:
    app = Flask("cookie_test")
    app.secret_key = secret
    app.config["SECRET_KEY_FALLBACKS"] = fallbacks
    return app


def test_the_signer_is_made_once_for_the_same_keys() -> None:
    interface = KeptSignerSessionInterface()
    app = _app("first-key" * 4)
    first = interface.get_signing_serializer(app)
    assert first is not None
    assert interface.get_signing_serializer(app) is first


def test_a_new_key_makes_a_new_signer_and_the_old_key_is_honoured_as_a_fallback() -> None:
    interface = KeptSignerSessionInterface()
    app = _app("first-key" * 4)
    old = interface.get_signing_serializer(app)
    assert old is not None
    cookie = old.dumps({"person_id": "p1"})

    app.secret_key = "second-key" * 4
    app.config["SECRET_KEY_FALLBACKS"] = ["first-key" * 4]
    rotated = interface.get_signing_serializer(app)
    assert rotated is not None and rotated is not old
    assert rotated.loads(cookie) == {"person_id": "p1"}

    app.config["SECRET_KEY_FALLBACKS"] = []
    gone = interface.get_signing_serializer(app)
    assert gone is not None and gone is not rotated
    assert gone.loads_unsafe(cookie)[0] is False


def test_the_app_signs_its_sessions_with_the_kept_signer(app: Flask) -> None:
    assert isinstance(app.session_interface, KeptSignerSessionInterface)
