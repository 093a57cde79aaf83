"""The legal basis and the right to appeal in words, in Swedish and English."""

from __future__ import annotations

from .declared import Appeal, LegalBasis

WEEKS = {
    "sv": {1: "en vecka", 2: "två veckor", 3: "tre veckor", 4: "fyra veckor"},
    "en": {1: "one week", 2: "two weeks", 3: "three weeks", 4: "four weeks"},
}


def basis_text(basis: LegalBasis | None, language: str) -> str:
    """Why the agency may have these facts: your consent, or the law that says so."""
    if basis is None or basis.kind == "consent" or not basis.statute:
        return "Med ditt samtycke" if language == "sv" else "With your consent"
    statute = basis.statute.get(language) or basis.statute["sv"]
    return f"Enligt {statute}" if language == "sv" else f"Under {statute}"


def appeal_text(appeal: Appeal, agency: str, language: str) -> str:
    """How to appeal a decision of `agency` (its name), and by when."""
    weeks = WEEKS[language].get(appeal.weeks) or (
        f"{appeal.weeks} veckor" if language == "sv" else f"{appeal.weeks} weeks"
    )
    if language == "sv":
        return (
            f"Du kan överklaga beslutet. Skriv till {agency} inom {weeks} från den dag du fick "
            "veta beslutet (förvaltningslagen 44 §). Skriv vilket beslut det gäller och hur du "
            "vill att det ändras. Myndigheten skickar det vidare till förvaltningsrätten."
        )
    return (
        f"You can appeal the decision. Write to {agency} within {weeks} of the day you learned "
        "of the decision (Administrative Procedure Act, förvaltningslagen, section 44). Say "
        "which decision it is and how you want it changed. The agency sends your appeal on to "
        "the administrative court."
    )
