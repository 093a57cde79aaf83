"""Rights and legal basis: on what basis each step's fields go to its agency (`consent`, or a
duty or permission in a named law), and how a decision against the person is appealed.

Both are declared per step in the life event's definition (`legal_basis`, `appeal`); this
package parses them and puts them in words in both languages.
"""

from .declared import Appeal, LegalBasis, parse_appeal, parse_legal_basis
from .texts import appeal_text, basis_text

__all__ = [
    "Appeal",
    "LegalBasis",
    "appeal_text",
    "basis_text",
    "parse_appeal",
    "parse_legal_basis",
]
