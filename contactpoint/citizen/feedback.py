"""Feedback at the end of a life event: stored per life event, read by administrators."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from contactpoint.db.models import Case, Feedback, Person, utc
from contactpoint.extensions import db

EASE_SCALE = (1, 2, 3, 4, 5)
EASE_TEXTS = {  # translated when read
    1: _l("Very difficult"),
    2: _l("Quite difficult"),
    3: _l("Neither easy nor difficult"),
    4: _l("Quite easy"),
    5: _l("Very easy"),
}
COMMENT_MAX = 1000


@dataclass(frozen=True)
class Summary:
    """How one life event was found: how many answered, the average ease, each ease's count."""

    life_event: str
    count: int
    average_ease: float | None
    by_ease: dict[int, int]


def is_admin(person: Person | None) -> bool:
    """Whether this citizen is one of the configured administrators."""
    return person is not None and person.personal_number in current_app.config["ADMINS"]


def feedback_for_case(case: Case) -> Feedback | None:
    """The feedback already given on this case, if any."""
    return db.session.scalar(sa.select(Feedback).where(Feedback.case_id == case.id))


def give_feedback(case: Case, ease: int, comment: str, language: str) -> Feedback:
    """Store the answer once per case; a second answer changes nothing."""
    existing = feedback_for_case(case)
    if existing is not None:
        return existing
    feedback = Feedback(
        life_event=case.life_event,
        case_id=case.id,
        ease=ease,
        comment=comment.strip()[:COMMENT_MAX] or None,
        language=language,
    )
    db.session.add(feedback)
    db.session.commit()
    return feedback


def summaries() -> list[Summary]:
    """Every life event that has feedback, with its counts and average ease."""
    rows = db.session.execute(
        sa.select(Feedback.life_event, Feedback.ease, sa.func.count())
        .group_by(Feedback.life_event, Feedback.ease)
        .order_by(Feedback.life_event)
    ).all()
    counts: dict[str, dict[int, int]] = {}
    for life_event, ease, count in rows:
        counts.setdefault(life_event, {value: 0 for value in EASE_SCALE})[ease] = count
    result = []
    for life_event, by_ease in counts.items():
        total = sum(by_ease.values())
        average = sum(e * n for e, n in by_ease.items()) / total if total else None
        result.append(Summary(life_event, total, round(average, 2) if average else None, by_ease))
    return result


def recent(life_event: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """The latest answers, newest first, without anything that says who gave them."""
    query = sa.select(Feedback).order_by(Feedback.at.desc(), Feedback.id.desc()).limit(limit)
    if life_event:
        query = query.where(Feedback.life_event == life_event)
    return [
        {
            "life_event": item.life_event,
            "ease": item.ease,
            "comment": item.comment,
            "language": item.language,
            "at": utc(item.at),
        }
        for item in db.session.scalars(query)
    ]
