"""Every page is built from GOV.UK Frontend's components: none still uses the older custom
styles (static/app.css) that once sat beside them."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
NOT_YET: set[str] = set()  # every page is on GOV.UK Frontend now
OLD_CLASSES = re.compile(
    r'class="(?:[^"]* )?(fact|fact__value|offer|button|button--secondary|link-button|hint|'
    r"caption|notice|table|tabs|tabs__tab|filters|filters__item|label|input|tag|people|"
    r'pagination|timeline|bulk-action|visually-hidden|inline|filter)(?: [^"]*)?"'
)


def test_no_template_uses_the_older_custom_styles() -> None:
    found = [
        (str(path.relative_to(TEMPLATES)), match.group(1))
        for path in sorted(TEMPLATES.rglob("*.html"))
        if str(path.relative_to(TEMPLATES)) not in NOT_YET
        for match in OLD_CLASSES.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, found
