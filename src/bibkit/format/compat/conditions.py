"""CSL ``cs:if`` / ``cs:else-if`` conditions."""

from __future__ import annotations

from citeproc import model

#: fix id -> (CSL rule restored, official test-suite fixtures it makes pass)
FIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    "type-any": (
        'a type condition listing several types holds for an item of any of them (an item has one type), also '
        'without match="any", as in citeproc-js (ASA theses: "Princeton University, Princeton, NJ")',
        ()),
}


def _patch_type_any() -> None:
    """Fix ``type-any``: ``type="thesis manuscript"`` tests whether the item's type is one of those; ``match``
    then combines it with the element's other tests.  (The speed patches' condition tests do the same.)"""

    def _type(self, item):
        return [item.reference.type in [t.lower() for t in self.get("type").split()]]

    model.If._type = _type
