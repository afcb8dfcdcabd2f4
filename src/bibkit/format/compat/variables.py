"""CSL 1.0.2 variables citeproc-py does not know (fix ``variables-all``) and name variables spelt with a hyphen
(fix ``names-hyphenated-roles``).
"""

from __future__ import annotations

import citeproc
from citeproc.source import VariableError

#: fix id -> (CSL rule restored, official test-suite fixtures it makes pass)
FIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    'variables-all': (
        'every CSL 1.0.2 variable reaches the style (volume-title, archive_location, reviewed-title, '
        'director, host...): names and dates parsed as such',
        ('quotes_PunctuationNasty', 'textcase_TitleCaseWithVolumeTitle')),
    'names-hyphenated-roles': (
        'cs:names finds reviewed-author, container-author, collection-editor...',
        ('bugreports_ByBy',)),
}


def _teach_variables() -> None:
    """CSL 1.0.2 variables: the name variables (director, host, reviewed-author...) and dates (available-date)
    citeproc-py does not list are read as names and dates, every other variable as text."""
    from ..prepare import DATE_VARIABLES, NAME_VARIABLES, STANDARD_VARIABLES

    for known, new in ((citeproc.NAMES, NAME_VARIABLES), (citeproc.DATES, DATE_VARIABLES),
                       (citeproc.VARIABLES, STANDARD_VARIABLES | NAME_VARIABLES | DATE_VARIABLES)):
        for variable in sorted(new):
            python_name = variable.replace("-", "_")
            if python_name not in known:
                known.append(python_name)

    # cs:names looks its roles up by their CSL spelling ("reviewed-author"), the item holds them by the Python
    # one ("reviewed_author"): hyphenated name variables (container-author, collection-editor...) were never found
    from citeproc.source import Reference

    def contains(self, key):
        return dict.__contains__(self, key) or ("-" in key and dict.__contains__(self, key.replace("-", "_")))

    original_getitem = Reference.__getitem__

    def getitem(self, key):
        try:
            return dict.__getitem__(self, key)
        except KeyError:
            if "-" in key:
                return original_getitem(self, key.replace("-", "_"))
            raise VariableError from None

    Reference.__contains__ = contains
    Reference.__getitem__ = getitem
