"""A step's legal basis and a decision's right of appeal, as pages, the API, the sharing log
and the messages show them (declared per step: `workflows.rights`)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from workflows import Step
from workflows.rights import appeal_text, basis_text


def legal_basis_view(declared: Step | None, language: str) -> dict[str, Any] | None:
    """On what basis the step's fields go to its agency: the kind, the law named, in words."""
    basis = declared.legal_basis if declared else None
    if basis is None:
        return None
    statute = basis.statute.get(language) if basis.statute else None
    return {"kind": basis.kind, "statute": statute, "text": basis_text(basis, language)}


def appeal_view(declared: Step | None, agency: str, language: str) -> dict[str, Any] | None:
    """How the step's decision is appealed and by when, when the step declares it."""
    appeal = declared.appeal if declared else None
    if appeal is None:
        return None
    return {**appeal.as_dict(), "text": appeal_text(appeal, agency, language)}


class LegalBasisSchema(Schema):
    kind = fields.String(metadata={"description": "`consent`, or `law` (a duty or permission)."})
    statute = fields.String(allow_none=True, metadata={"description": "The law, for `law`."})
    text = fields.String(metadata={"description": "The basis in the reader's language."})


class AppealSchema(Schema):
    weeks = fields.Integer(metadata={"description": "Weeks from learning of the decision."})
    law = fields.String(metadata={"description": "The provision: förvaltningslagen 44 §."})
    text = fields.String(metadata={"description": "How to appeal, in the reader's language."})
