"""CSL ``cs:label``.
"""

from __future__ import annotations

import re
from typing import Any

from citeproc import model
from citeproc.source import VariableError

#: fix id -> (CSL rule restored, official test-suite fixtures it makes pass)
FIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    'label-plural': (
        'plural only for several numbers (1-3, 1, 3); 174,465 and 2.0 are one number',
        ()),
    'label-empty': (
        'a label of an empty variable prints nothing outside a cs:group (2014, p . -> 2014.)',
        ('bugreports_StyleError001',)),
}


_PLURAL = re.compile(r"\d\s*(?:[-–—&]|,\s|,(?!\d{3}\b)|\band\b)\s*\S*\d")


def _patch_label_plural() -> None:
    """CSL ``cs:label`` plural="contextual": plural only for several numbers ("1-3", "1, 3", "1 & 3");
    "174,465" (a thousands separator) and "2.0" are one number."""

    def _is_plural(self, item):
        variable = self.get("variable")
        if variable == "locator":
            value = item.locator.identifier
        else:
            try:
                value = item.reference[variable.replace("-", "_")]
            except VariableError:
                return False
        if variable.startswith("number-of"):
            try:
                return int(str(value)) > 1
            except ValueError:
                return False
        return _PLURAL.search(str(value)) is not None

    model.Label._is_plural = _is_plural

    original_process = model.Label.process
    grouped: dict[Any, bool] = {}

    def process(self, item, variable=None, plural=None, context=None, **kwargs):
        """CSL ``cs:label`` with a ``variable`` that is empty prints nothing ("2014." not "2014, p ."), unless
        it stands in a ``cs:group``, whose suppression then decides (citeproc-js: "(3 vol)" for a work in three
        volumes without a volume number)."""
        if variable is None:
            own = self.get("variable")
            if own and own != "locator" and own.replace("-", "_") not in item.reference:
                in_group = grouped.get(self)
                if in_group is None:
                    in_group = grouped[self] = bool(self.xpath_search("./ancestor::cs:group[1]"))
                if not in_group:
                    return None
        return original_process(self, item, variable, plural, context=context, **kwargs)

    model.Label.process = process
