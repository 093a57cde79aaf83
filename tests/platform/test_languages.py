"""Swedish by default, English on request; the switch keeps the page and its arguments."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from contactpoint.platform.translations import compile_translations


def test_the_interface_is_swedish_by_default_and_english_on_request(client: FlaskClient) -> None:
    swedish = client.get("/").get_data(as_text=True)
    assert '<html lang="sv">' in swedish and "Vad händer i ditt liv?" in swedish
    english = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "What is happening in your life?" in english
    assert "Hoppa till huvudinnehållet" not in english


def test_the_language_switch_stays_on_the_page_with_its_arguments(client: FlaskClient) -> None:
    html = client.get("/life-events/moving?lang=sv&x=1").get_data(as_text=True)
    assert 'href="/life-events/moving?x=1&amp;lang=en" lang="en" hreflang="en"' in html


def test_the_catalogue_compiles_once_and_again_when_changed(tmp_path: Path) -> None:
    compiled = Path(compile_translations(tmp_path)) / "sv" / "LC_MESSAGES" / "messages.mo"
    first = compiled.stat().st_mtime_ns
    compile_translations(tmp_path)
    assert compiled.stat().st_mtime_ns == first
    os.utime(compiled, ns=(0, 0))  # older than the .po: compiled again
    compile_translations(tmp_path)
    assert compiled.stat().st_mtime_ns > 0


def test_pages_use_the_local_unbranded_assets(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert 'href="/assets/kontaktpunkt.css"' in html and "govuk-generic-header" in html
    assert "crown" not in html.lower() and "https://" not in html.split("</head>")[0]
    assert client.get("/assets/fonts/GDS-Transport.woff2").status_code == 404


def test_a_common_noun_agency_takes_a_small_letter_inside_a_sentence(app: Flask) -> None:
    from contactpoint.citizen.pages.texts import event_text

    started = {"kind": "step_started", "detail": {"agency": "kommun"}}
    done = {"kind": "step_done", "detail": {"agency": "kommun"}}
    with app.test_request_context("/?lang=en"):
        assert event_text(started) == "Sent to the municipality."
        assert event_text(done).startswith("The municipality")
    with app.test_request_context("/?lang=sv"):
        assert event_text(started).endswith("kommunen.")
        # A named municipality keeps its capital: it is the authority's name.
        named = {"kind": "step_started", "detail": {"agency": "kommun_0380"}}
        assert event_text(named).endswith("Uppsala kommun.")


def test_a_scheduled_retry_tells_the_citizen_and_the_officer_when_in_their_language(
    app: Flask,
) -> None:
    from contactpoint.citizen.pages.texts import event_text
    from contactpoint.officer.pages.texts import officer_event_text

    detail = {"agency": "skatteverket", "retry_at": "2026-11-24T13:05:00+00:00"}
    scheduled = {"kind": "step_retry", "detail": detail, "agency": "skatteverket"}
    quick = {"kind": "step_retry", "detail": {"agency": "skatteverket"}}
    with app.test_request_context("/?lang=en"):
        citizen = event_text(scheduled)
        assert citizen.startswith("Skatteverket") and "cannot be reached just now" in citizen
        assert "You do not need to do anything" in citizen and "14:05" in citizen  # Stockholm time
        officer = officer_event_text(scheduled)
        assert "could not be reached; next attempt" in officer and "14:05" in officer
        assert event_text(quick).endswith("We will try again.")
    with app.test_request_context("/?lang=sv"):
        assert "går inte att nå just nu" in event_text(scheduled)
        assert "14:05" in event_text(scheduled)
        assert "nästa försök" in officer_event_text(scheduled)


def test_a_text_asked_for_in_another_language_comes_in_it_and_the_page_keeps_its_own(
    app: Flask,
) -> None:
    from types import SimpleNamespace

    from flask_babel import gettext

    from contactpoint.citizen.presenters import reason_text
    from workflows.withdrawal import WITHDRAWN

    withdrawn = SimpleNamespace(reason_code=WITHDRAWN, status_reason=None)
    with app.test_request_context("/?lang=sv"):
        assert reason_text(withdrawn, "en") == "The case was withdrawn."
        assert reason_text(withdrawn) == "Ärendet återkallades."
        assert gettext("Yes") == "Ja"
    with app.test_request_context("/?lang=en"):
        assert reason_text(withdrawn, "sv") == "Ärendet återkallades."
        assert gettext("Yes") == "Yes"
