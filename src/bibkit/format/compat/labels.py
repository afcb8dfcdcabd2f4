"""CSL ``cs:label``.
"""

from __future__ import annotations

import re
from typing import Any

from citeproc import model
from citeproc.source import VariableError
from citeproc.string import String

from .. import markup
from .numbers import _DIGITS, _JOINER, _ROMAN
from .substitute import _LABEL_OUTSIDE

#: fix id -> (CSL rule restored, official test-suite fixtures it makes pass)
FIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    'label-plural': (
        'plural only for several numbers (1-3, 1, 3, S1-S5); 174,465 and 2.0 are one number; a value with words'
        ' (Pub. L. No. 105-304, Suppl. 1-3) or roman numerals (II-IV) is not numeric: singular (citeproc-js)',
        ()),
    'label-empty': (
        'a label of an empty variable prints nothing outside a cs:group (2014, p . -> 2014.)',
        ('bugreports_StyleError001',)),
    'names-label-apart': (
        "a name's role label (ed.) is no part of a sort key, nor of the names subsequent-author-substitute"
        ' compares and replaces ("Doe, John ed." then "---.", "--- ed.") (citeproc-js)',
        ('sort_DropNameLabelInSort', 'sort_SeparateAuthorsAndOthers')),
}


#: a label inside a locator or number ("fig. 3"): a short lowercase word with a period, before a number
_EMBEDDED_LABEL = re.compile(r",?\s+[a-z]{1,4}\.\s*(?=\d)")


def is_plural_value(value: str) -> bool:
    """Several numbers ("1-3", "1, 3", "1 & 3", "S1-S5", "iv-vi"): every part between the joiners is a number
    (or every part a lowercase roman numeral), as citeproc-js counts them.

    >>> [is_plural_value(v) for v in ("1-3", "2, 5", "174,465", "2.0", "Pub. L. No. 105-304", "II-IV", "12a-c")]
    [True, True, False, False, False, False, False]
    >>> is_plural_value("367-368, fig. 333"), is_plural_value("367 fig. 333-334")
    (True, False)
    """
    value = value.strip()
    embedded = _EMBEDDED_LABEL.search(value)  # "367-368 fig. 333": the numbers before the next label count
    parts = _JOINER.split(value[:embedded.start()] if embedded else value)
    return len(parts) > 1 and (all(_DIGITS.fullmatch(p) for p in parts) or all(p.isalpha() and p.islower()
                                                                                  and _ROMAN.fullmatch(p)
                                                                                  for p in parts))


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
        return is_plural_value(str(value))

    model.Label._is_plural = _is_plural

    original_process = model.Label.process
    grouped: dict[Any, bool] = {}

    def process(self, item, variable=None, plural=None, context=None, **kwargs):
        """CSL ``cs:label`` with a ``variable`` that is empty prints nothing ("2014." not "2014, p ."), unless
        it stands in a ``cs:group``, whose suppression then decides (citeproc-js: "(3 vol)" for a work in three
        volumes without a volume number)."""
        if variable is not None and kwargs.get("sort_options") is not None:
            return None  # a name's role label ("ed.") is no part of a sort key (citeproc-js)
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

    original_render = model.Label.render

    def render(self, item, variable=None, *args, **kwargs):
        text = original_render(self, item, variable, *args, **kwargs)
        if variable is not None and _LABEL_OUTSIDE[1] and text is not None and str(text):
            # the entry's first names, for subsequent-author-substitute: their role label (with its affixes)
            # outside their span
            return String(markup.NAMES_OFF + str(text) + markup.NAMES_ON)
        return text

    model.Label.render = render
