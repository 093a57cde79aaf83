"""DCAT-AP metadata of the open statistics, as JSON-LD that a data portal harvests.

The profile is DCAT-AP-SE, which Sweden's data portal (dataportal.se) harvests: a catalogue
with one dataset, its distributions (JSON and CSV), the EU vocabularies for frequency, theme,
language, access rights and file types, and the publisher's name and type. The context is
written out in the document, so it reads without fetching anything.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

EU = "http://publications.europa.eu/resource/authority/"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# Creative Commons' own identifier of CC0, as DCAT-AP-SE's licence list names it.
LICENCE_IRI = "http://creativecommons.org/publicdomain/zero/1.0/"
TITLE = _l("Kontaktpunkt, month by month")
DESCRIPTION = _l(
    "Cases per life event and month: submitted, completed and withdrawn. The share of steps"
    " done with no person involved. Time until done per step and agency (median and 90th"
    " percentile). Steps that failed or were tried again. How easy it was, as those who"
    " answered found it. Figures from fewer than 10 cases are not shown."
)
KEYWORDS = (_l("life events"), _l("e-services"), _l("public agencies"), _l("statistics"))
JSON_TITLE, CSV_TITLE = _l("The statistics as JSON"), _l("The statistics as CSV")
CATALOGUE_TITLE = _l("Kontaktpunkt's open data")
LANGUAGES = ("sv", "en")


def _texts(text: Any) -> list[dict[str, str]]:
    """A text in each language, as language-tagged values."""
    values = []
    for language in LANGUAGES:
        with force_locale(language):
            values.append({"@language": language, "@value": str(text)})
    return values


def _iri(value: str) -> dict[str, str]:
    return {"@id": value}


def _distribution(
    endpoint: str, media_type: str, file_type: str, title: dict[str, str]
) -> dict[str, Any]:
    url = url_for(endpoint, _external=True)
    return {
        "@id": f"{url}#distribution",
        "@type": "dcat:Distribution",
        "dct:title": _texts(title),
        "dcat:accessURL": _iri(url),
        "dcat:downloadURL": _iri(url),
        "dcat:mediaType": _iri(f"http://www.iana.org/assignments/media-types/{media_type}"),
        "dct:format": _iri(f"{EU}file-type/{file_type}"),
        "dct:license": _iri(LICENCE_IRI),
    }


def _temporal(document: dict[str, Any]) -> list[dict[str, Any]]:
    first, last = document.get("first_period"), document.get("last_period")
    if not first or not last:
        return []
    year, month = (int(part) for part in last.split("-"))
    following = f"{year + month // 12:04d}-{month % 12 + 1:02d}-01"
    return [
        {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": f"{first}-01", "@type": "xsd:date"},
            # The last day of the last month released.
            "dcat:endDate": {"@value": _day_before(following), "@type": "xsd:date"},
        }
    ]


def _day_before(iso_date: str) -> str:
    return (dt.date.fromisoformat(iso_date) - dt.timedelta(days=1)).isoformat()


def dcat_catalogue(document: dict[str, Any]) -> dict[str, Any]:
    """The catalogue and its one dataset, describing the published `document`."""
    page = url_for("statistics.page", _external=True)
    metadata = url_for("statistics_api.StatisticsMetadata", _external=True)
    publisher = {
        "@id": f"{page}#publisher",
        "@type": "foaf:Agent",
        "foaf:name": current_app.config["STATISTICS_PUBLISHER"],
        "dct:type": _iri("http://purl.org/adms/publishertype/NationalAuthority"),
    }
    contact: dict[str, Any] = {"@type": "vcard:Organization", "vcard:fn": publisher["foaf:name"]}
    email = current_app.config.get("CONTACT_EMAIL")
    contact["vcard:hasURL" if not email else "vcard:hasEmail"] = _iri(
        f"mailto:{email}" if email else url_for("about.contact", _external=True)
    )
    dataset: dict[str, Any] = {
        "@id": f"{page}#dataset",
        "@type": "dcat:Dataset",
        "dct:title": _texts(TITLE),
        "dct:description": _texts(DESCRIPTION),
        "dct:publisher": publisher,
        "dcat:contactPoint": contact,
        "dct:license": _iri(LICENCE_IRI),
        "dct:accessRights": _iri(f"{EU}access-right/PUBLIC"),
        "dct:accrualPeriodicity": _iri(f"{EU}frequency/MONTHLY"),
        "dcat:theme": _iri(f"{EU}data-theme/GOVE"),
        "dct:language": [_iri(f"{EU}language/SWE"), _iri(f"{EU}language/ENG")],
        "dcat:keyword": [value for word in KEYWORDS for value in _texts(word)],
        "dcat:landingPage": _iri(page),
        "dct:temporal": _temporal(document),
        "dcat:distribution": [
            _distribution("statistics_api.Statistics", "application/json", "JSON", JSON_TITLE),
            _distribution("statistics_api.StatisticsCsv", "text/csv", "CSV", CSV_TITLE),
        ],
    }
    if document.get("released_at"):
        dataset["dct:modified"] = {"@value": document["released_at"], "@type": "xsd:dateTime"}
    return {
        "@context": CONTEXT,
        "@id": f"{metadata}#catalog",
        "@type": "dcat:Catalog",
        "dct:title": _texts(CATALOGUE_TITLE),
        "dct:description": _texts(DESCRIPTION),
        "dct:publisher": publisher,
        "dct:license": _iri(LICENCE_IRI),
        "foaf:homepage": _iri(url_for("home.index", _external=True)),
        "dcat:dataset": [dataset],
    }
