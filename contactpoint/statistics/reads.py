"""What the statistics' pages and API serve: the latest release, read in one statement."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from contactpoint.db.models import utc
from contactpoint.db.statistics_store import published
from workflows.statistics import empty_document


@dataclass(frozen=True)
class Published:
    """The latest release's id (None before the first), when it was made, and its content:
    text, or gzipped bytes."""

    release: int | None
    released_at: dt.datetime | None
    text: str | bytes
    gzipped: bool = False

    @property
    def etag(self) -> str:
        """A validator that changes with each release (and differs for the gzipped form)."""
        return f"statistics-{self.release or 0}" + ("-gzip" if self.gzipped else "")


def published_as(column: str, gzipped: bool = False) -> Published:
    """The published JSON document (`document`) or CSV (`csv`), gzipped if asked."""
    row = published(f"{column}_gzip" if gzipped else column)
    if row is not None:
        release, released_at, content = row
        return Published(release, utc(released_at), content, gzipped)
    if column == "csv":
        return Published(None, None, "life_event,period,step,agency,measure,value,marker\r\n")
    return Published(None, None, json.dumps(empty_document(), ensure_ascii=False))


def published_document() -> tuple[Published, dict[str, Any]]:
    """The published document, read and parsed (for the page and the metadata)."""
    found = published_as("document")
    return found, json.loads(found.text)  # text: not gzipped
