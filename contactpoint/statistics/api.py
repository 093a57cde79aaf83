"""The open statistics through the API: JSON, CSV, and DCAT-AP metadata for data portals."""

from __future__ import annotations

import json

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from contactpoint.statistics.dcat import dcat_catalogue
from contactpoint.statistics.reads import Published, published_as, published_document
from contactpoint.statistics.schemas import StatisticsDocument

blp = Blueprint(
    "statistics_api",
    __name__,
    url_prefix="/api/v1",
    description="Open statistics per life event and month (no login; CC0). Figures from fewer "
    "than 10 cases, and those that would reveal them, are null and marked.",
)
# A release is made at most once a month: a client may keep what it read for an hour.
CACHE_FOR_S = 3600


def _gzip_accepted() -> bool:
    return request.accept_encodings["gzip"] > 0


def _served(found: Published, mimetype: str, filename: str | None = None) -> Response:
    response = Response(found.text, mimetype=mimetype)
    response.vary.add("Accept-Encoding")
    if found.gzipped:
        response.content_encoding = "gzip"
    response.set_etag(found.etag)
    if found.released_at is not None:
        response.last_modified = found.released_at
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_FOR_S
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    if filename:
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.make_conditional(request)
    return response


@blp.route("/statistics")
class Statistics(MethodView):
    @blp.response(200, StatisticsDocument)
    def get(self) -> Response:
        """Per life event and month: cases submitted, completed and withdrawn; steps done with
        no person involved; time to done per step and agency; failed and retried steps;
        feedback. Figures from fewer than 10 cases are null, marked in `suppressed`."""
        return _served(published_as("document", _gzip_accepted()), "application/json")


CSV_DOC = {
    "200": {
        "description": "One figure per row: `life_event` (or `all`), `period` (YYYY-MM, or YYYY "
        "for a whole year), `step`, `agency`, `measure`, `value` (empty when left out) and "
        "`marker` (why: `small_counts` or `no_cases`).",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


@blp.route("/statistics.csv")
class StatisticsCsv(MethodView):
    @blp.doc(responses=CSV_DOC)
    def get(self) -> Response:
        """The same figures as CSV (UTF-8, comma-separated, with a header row)."""
        return _served(
            published_as("csv", _gzip_accepted()), "text/csv", "kontaktpunkt-statistik.csv"
        )


DCAT_DOC = {
    "200": {
        "description": "A DCAT-AP (DCAT-AP-SE) catalogue with the statistics as its dataset.",
        "content": {"application/ld+json": {"schema": {"type": "object"}}},
    }
}


@blp.route("/statistics/dcat.jsonld")
class StatisticsMetadata(MethodView):
    @blp.doc(responses=DCAT_DOC)
    def get(self) -> Response:
        """Metadata for data portals: title, description, publisher, licence, temporal
        coverage, update frequency and the distributions, as JSON-LD."""
        found, document = published_document()
        metadata = dcat_catalogue(document)
        served = Published(
            found.release, found.released_at, json.dumps(metadata, ensure_ascii=False)
        )
        return _served(served, "application/ld+json")
