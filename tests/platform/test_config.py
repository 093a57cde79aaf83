"""Production settings refuse to start without their secrets and refuse the simulated eID."""

from __future__ import annotations

import hashlib

import pytest

from contactpoint.config import ConfigError, load_config
from contactpoint.config.smtp import parse_smtp_url


def test_development_needs_nothing(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CONTACTPOINT_ENV"):
        monkeypatch.delenv(name, raising=False)
    config = load_config(str(tmp_path))
    assert config["SECRET_KEY"] and config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert config["SIMULATED_EID"] is True


def test_production_refuses_to_start_without_its_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTACTPOINT_ENV", "production")
    for name in ("SECRET_KEY", "PERSONAL_DATA_KEY", "DATABASE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY, PERSONAL_DATA_KEY, DATABASE_URL, REDIS_URL"):
        load_config("/tmp")


PROVIDERS = {
    "OIDC_ISSUER": "https://eid.example.se",
    "OIDC_CLIENT_ID": "kontaktpunkt",
    "OIDC_CLIENT_SECRET": "citizen-secret",
    "OIDC_OFFICER_ISSUER": "https://staff.example.se/realms/agencies",
    "OIDC_OFFICER_CLIENT_ID": "kontaktpunkt-staff",
    "OIDC_OFFICER_CLIENT_SECRET": "officer-secret",
    "SMTP_URL": "smtp+starttls://mailer:secret@mail.example.se:587",
    "MAIL_FROM": "Kontaktpunkt <noreply@kontaktpunkt.example.se>",
    "CONTACTPOINT_PUBLIC_URL": "https://kontaktpunkt.example.se",
}


def _production(monkeypatch: pytest.MonkeyPatch, **changes: str) -> None:
    monkeypatch.setenv("CONTACTPOINT_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s")
    monkeypatch.setenv("PERSONAL_DATA_KEY", "k" * 32)
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/x")
    monkeypatch.setenv("REDIS_URL", "redis://r")
    for name, value in {**PROVIDERS, **changes}.items():
        monkeypatch.setenv(name, value)


def test_production_refuses_the_simulated_eid(monkeypatch: pytest.MonkeyPatch) -> None:
    _production(monkeypatch)
    config = load_config("/tmp")
    assert config["SIMULATED_EID"] is False
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    with pytest.raises(ConfigError, match="simulated eID"):
        load_config("/tmp", {"SIMULATED_EID": True})


def test_production_refuses_a_short_personal_data_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTACTPOINT_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s")
    monkeypatch.setenv("PERSONAL_DATA_KEY", "short")
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/x")
    monkeypatch.setenv("REDIS_URL", "redis://r")
    with pytest.raises(ConfigError, match="PERSONAL_DATA_KEY needs at least 32 characters"):
        load_config("/tmp")


@pytest.mark.parametrize("value", ["0", "-3", "a year", "1.5"])
def test_a_retention_period_must_be_whole_days(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CONTACTPOINT_CASE_RETENTION_DAYS", value)
    with pytest.raises(ConfigError, match="CONTACTPOINT_CASE_RETENTION_DAYS must be a whole"):
        load_config("/tmp")


def test_retention_periods_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTACTPOINT_CASE_RETENTION_DAYS", "90")
    monkeypatch.delenv("CONTACTPOINT_DRAFT_RETENTION_DAYS", raising=False)
    config = load_config("/tmp")
    assert (config["CASE_RETENTION_DAYS"], config["DRAFT_RETENTION_DAYS"]) == (90, 30)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CONTACTPOINT_RETRY_OUTAGE_FOR_S", "-1"),
        ("CONTACTPOINT_RETRY_OUTAGE_FOR_S", "a day"),
        ("CONTACTPOINT_RETRY_OUTAGE_FOR_S", "inf"),
        ("CONTACTPOINT_RETRY_OUTAGE_EVERY_S", "0"),
        ("CONTACTPOINT_BREAKER_RESET_S", "-2"),
    ],
)
def test_the_outage_retries_need_a_sensible_length(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=f"{name} must be a number of seconds"):
        load_config("/tmp")


def test_the_outage_retries_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONTACTPOINT_RETRY_OUTAGE_FOR_S", raising=False)
    monkeypatch.setenv("CONTACTPOINT_RETRY_OUTAGE_EVERY_S", "120")
    config = load_config("/tmp")
    assert (config["RETRY_OUTAGE_FOR_S"], config["RETRY_OUTAGE_EVERY_S"]) == (86400, 120)
    monkeypatch.setenv("CONTACTPOINT_RETRY_OUTAGE_FOR_S", "0")  # fail after the quick ones
    assert load_config("/tmp")["RETRY_OUTAGE_FOR_S"] == 0


def test_the_breaker_needs_a_whole_number_of_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTACTPOINT_BREAKER_FAILURES", "many")
    with pytest.raises(ConfigError, match="CONTACTPOINT_BREAKER_FAILURES must be a whole number"):
        load_config("/tmp")
    monkeypatch.setenv("CONTACTPOINT_BREAKER_FAILURES", "0")  # no breaker
    assert load_config("/tmp")["BREAKER_FAILURES"] == 0


def test_one_simulated_agency_can_be_taken_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTACTPOINT_AGENCY_KOMMUN_0380_FAILURE_RATE", "1")
    monkeypatch.setenv("CONTACTPOINT_AGENCY_FAILURE_RATE", "0.1")  # the shared one stays apart
    config = load_config("/tmp")
    assert config["AGENCY_FAILURE_RATES"] == {"kommun_0380": 1.0}
    assert config["AGENCY_FAILURE_RATE"] == 0.1
    monkeypatch.setenv("CONTACTPOINT_AGENCY_KOMUN_FAILURE_RATE", "1")
    with pytest.raises(ConfigError, match="CONTACTPOINT_AGENCY_KOMUN_FAILURE_RATE names no agency"):
        load_config("/tmp")
    monkeypatch.delenv("CONTACTPOINT_AGENCY_KOMUN_FAILURE_RATE")
    monkeypatch.setenv("CONTACTPOINT_AGENCY_CSN_FAILURE_RATE", "2")
    with pytest.raises(ConfigError, match="must be a rate from 0 to 1"):
        load_config("/tmp")


@pytest.mark.parametrize(
    "url", ["nonsense", "mysql://app@db/contactpoint", "db.example:5432/contactpoint"]
)
def test_a_database_url_must_name_postgresql_or_sqlite(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ConfigError, match="DATABASE_URL must be a PostgreSQL or SQLite URL"):
        load_config("/tmp")


def test_a_redis_url_must_be_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "127.0.0.1:6379")
    with pytest.raises(ConfigError, match="REDIS_URL must be a redis://"):
        load_config("/tmp")
    monkeypatch.setenv("REDIS_URL", "rediss://cache.example:6380/2")
    assert load_config("/tmp")["REDIS_URL"] == "rediss://cache.example:6380/2"


def test_only_a_worker_commits_on_postgresql_as_the_worker_setting_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://app@db.example/contactpoint")

    def options(**overrides: object) -> str:
        config = load_config("/tmp", overrides)
        return str(config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["options"])

    assert "synchronous_commit" not in options()  # a web process: the server's own, "on"
    assert options(WORKER=True).endswith("-c synchronous_commit=off")  # by default
    monkeypatch.setenv("CONTACTPOINT_WORKER_SYNCHRONOUS_COMMIT", "Remote_Apply")
    assert options(WORKER=True).endswith("-c synchronous_commit=remote_apply")
    monkeypatch.setenv("CONTACTPOINT_WORKER_SYNCHRONOUS_COMMIT", "sometimes")
    with pytest.raises(ConfigError, match="CONTACTPOINT_WORKER_SYNCHRONOUS_COMMIT must be one of"):
        load_config("/tmp")


def test_production_needs_both_providers_and_their_clients(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _production(monkeypatch)
    for name in ("OIDC_CLIENT_SECRET", "OIDC_OFFICER_ISSUER"):
        monkeypatch.delenv(name)
    with pytest.raises(ConfigError, match="need OIDC_CLIENT_SECRET, OIDC_OFFICER_ISSUER in"):
        load_config("/tmp")


@pytest.mark.parametrize(
    ("issuer", "refused"),
    [
        ("http://eid.example.se", "must use https"),
        ("https://kontaktpunkt.example.se/dev-idp", "simulated provider"),
        ("http://127.0.0.1:5000/dev-idp", "simulated provider"),
        ("eid.example.se", "must be an https:// URL"),
    ],
)
def test_production_refuses_an_issuer_it_cannot_trust(
    monkeypatch: pytest.MonkeyPatch, issuer: str, refused: str
) -> None:
    _production(monkeypatch, OIDC_ISSUER=issuer)
    with pytest.raises(
        ConfigError, match=f"OIDC_ISSUER {refused}|OIDC_ISSUER points at the {refused}"
    ):
        load_config("/tmp")


@pytest.mark.parametrize(
    "issuer", ["http://127.0.0.1:9000", "http://localhost:9000/op", "http://[::1]:9"]
)
def test_plain_http_is_accepted_on_the_loopback_interface(
    monkeypatch: pytest.MonkeyPatch, issuer: str
) -> None:
    _production(monkeypatch, OIDC_ISSUER=issuer)
    assert load_config("/tmp")["OIDC_ISSUER"] == issuer


def test_development_signs_in_through_the_simulated_provider(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_OFFICER_ISSUER", "CONTACTPOINT_ENV"):
        monkeypatch.delenv(name, raising=False)
    config = load_config(str(tmp_path))
    assert config["OIDC_ISSUER"] is None and config["OIDC_CLIENT_ID"] == "kontaktpunkt"
    assert config["OIDC_OFFICER_CLIENT_ID"] == "kontaktpunkt-officer"
    assert (config["SESSION_IDLE_MINUTES"], config["OFFICER_SESSION_IDLE_MINUTES"]) == (30, 15)


def test_mina_arenden_keys_are_held_as_digests_and_a_short_one_stops_the_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = "a" * 32, "b" * 43  # 32 characters at least
    monkeypatch.setenv("MINA_ARENDEN_API_KEYS", f" {first} ,{second},")
    held = load_config("/tmp")["MINA_ARENDEN_KEY_HASHES"]
    assert held == (
        hashlib.sha256(first.encode()).hexdigest(),
        hashlib.sha256(second.encode()).hexdigest(),
    )
    monkeypatch.setenv("MINA_ARENDEN_API_KEYS", f"{second},too-short-to-be-a-key")
    with pytest.raises(
        ConfigError, match="MINA_ARENDEN_API_KEYS: key 2 of 2 has 21 characters"
    ) as refused:
        load_config("/tmp")
    assert "too-short" not in str(refused.value)  # named by its place, never shown
    monkeypatch.delenv("MINA_ARENDEN_API_KEYS")
    assert load_config("/tmp")["MINA_ARENDEN_KEY_HASHES"] == ()  # none: the query is not offered


def test_the_prefix_of_mina_arenden_event_types_is_one_word_of_capitals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CONTACTPOINT_MINA_ARENDEN_PREFIX", raising=False)
    assert load_config("/tmp")["MINA_ARENDEN_PREFIX"] == "KONTAKTPUNKT"
    monkeypatch.setenv("CONTACTPOINT_MINA_ARENDEN_PREFIX", "UPPSALA")
    assert load_config("/tmp")["MINA_ARENDEN_PREFIX"] == "UPPSALA"
    for wrong in ("uppsala", "KOMMUN.X", "KP2"):
        monkeypatch.setenv("CONTACTPOINT_MINA_ARENDEN_PREFIX", wrong)
        with pytest.raises(ConfigError, match="CONTACTPOINT_MINA_ARENDEN_PREFIX"):
            load_config("/tmp")


def test_production_needs_an_smtp_server_a_sender_and_its_own_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _production(monkeypatch)
    for name in ("SMTP_URL", "MAIL_FROM", "CONTACTPOINT_PUBLIC_URL"):
        monkeypatch.delenv(name)
    with pytest.raises(ConfigError, match="SMTP_URL, MAIL_FROM, CONTACTPOINT_PUBLIC_URL"):
        load_config("/tmp")


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("SMTP_URL", "http://mail.example.se", "smtp://, smtp\\+starttls:// or smtps://"),
        ("SMTP_URL", "smtp://", "names no host"),
        ("SMTP_URL", "smtp://mail.example.se:99999", "port"),
        ("MAIL_FROM", "Kontaktpunkt", "MAIL_FROM must be an e-mail address"),
        ("CONTACTPOINT_PUBLIC_URL", "kontaktpunkt.example.se", "http:// or https://"),
        ("CONTACTPOINT_NOTIFICATIONS_PER_HOUR", "many", "whole number"),
    ],
)
def test_each_mail_setting_says_what_is_wrong_with_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, said: str
) -> None:
    _production(monkeypatch, **{name: value})
    with pytest.raises(ConfigError, match=f"{name}.*{said}|{said}"):
        load_config("/tmp")


def test_an_smtp_url_names_its_tls_and_its_login() -> None:
    server = parse_smtp_url("smtp+starttls://mailer:p%40ss@mail.example.se")
    assert (server.scheme, server.host, server.port) == ("smtp+starttls", "mail.example.se", 587)
    assert (server.user, server.password) == ("mailer", "p@ss")
    assert parse_smtp_url("smtps://mail.example.se").port == 465
    assert parse_smtp_url("smtp://relay:2525").user is None


def test_a_request_may_be_256_kb_unless_the_operator_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CONTACTPOINT_MAX_REQUEST_KB", raising=False)
    assert load_config("/tmp")["MAX_CONTENT_LENGTH"] == 256 * 1024
    monkeypatch.setenv("CONTACTPOINT_MAX_REQUEST_KB", "64")
    assert load_config("/tmp")["MAX_CONTENT_LENGTH"] == 64 * 1024
    for wrong in ("4", "lots", "1.5"):
        monkeypatch.setenv("CONTACTPOINT_MAX_REQUEST_KB", wrong)
        with pytest.raises(ConfigError, match="CONTACTPOINT_MAX_REQUEST_KB must be a whole"):
            load_config("/tmp")


def test_production_names_its_session_cookie_for_https_and_this_host_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    development = load_config("/tmp")
    assert development["SESSION_COOKIE_NAME"] == "session"
    assert development["SESSION_COOKIE_SECURE"] is False  # plain http on 127.0.0.1 works
    _production(monkeypatch)
    production = load_config("/tmp")
    assert production["SESSION_COOKIE_NAME"] == "__Host-session"
    assert production["SESSION_COOKIE_SECURE"] is True
    assert (production["SESSION_COOKIE_PATH"], production["SESSION_COOKIE_DOMAIN"]) == ("/", None)
