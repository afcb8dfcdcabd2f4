"""Terms (CSL 1.0.2 "Terms", form fallback).
"""

from __future__ import annotations

from citeproc import model

#: fix id -> (CSL rule restored, official test-suite fixtures it makes pass)
FIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    'term-fallback': (
        'a missing term form falls back: verb-short -> verb -> long, symbol -> short -> long',
        ('bugreports_ByBy',)),
}


#: CSL 1.0.2 "Terms": a missing term form falls back to the next one (long is the form without attribute)
_TERM_FALLBACK = {"verb-short": "verb", "symbol": "short", "verb": None, "short": None}


def _patch_term_fallback() -> None:
    """Fix ``term-fallback``: a term form the locale lacks falls back (verb-short -> verb -> long, symbol -> short
    -> long), so ``<label form="verb-short"/>`` of reviewed-author prints "by"."""
    original_get_term = model.CitationStylesElement.get_term

    def get_term(self, name, form=None, fallback_locale=True, zero_padded=False):
        result = original_get_term(self, name, form, fallback_locale, zero_padded)
        fallback = form
        while result is None and fallback in _TERM_FALLBACK:
            fallback = _TERM_FALLBACK[fallback]
            result = original_get_term(self, name, fallback, fallback_locale, zero_padded)
        return result

    model.CitationStylesElement.get_term = get_term
