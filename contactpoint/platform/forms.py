"""Form errors, shown one way on every page: the page renders at its own address with
GOV.UK's error summary above everything else, each message linking to its field, and
"Error: " before the page's title. A view gives `render_template` `form_errors=...`;
templates/base.html does the rest.
"""

from __future__ import annotations

from collections.abc import Mapping


def form_errors(
    errors: Mapping[str, str], fields: Mapping[str, str] | None = None
) -> list[dict[str, str]]:
    """The error summary's entries, in the order of `errors` (name → message); `fields` maps
    a name to the id of the field to jump to where the two differ (a radio's first input)."""
    fields = fields or {}
    return [
        {"text": message, "href": f"#{fields.get(name, name)}"}
        for name, message in errors.items()
        if message
    ]
