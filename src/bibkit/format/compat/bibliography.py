"""Fixes that need the whole ordered bibliography.
"""

from __future__ import annotations

import re
from typing import Any

from .. import markup
from .entry import hoist_edges

#: fix id -> (CSL rule restored, official test-suite fixtures it makes pass)
FIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    'subsequent-author-substitute': (
        'subsequent-author-substitute (complete-all, complete-each)',
        ()),
}


_NAMES_SPAN = re.compile(re.escape(markup.NAMES_ON) + "(.*?)" + re.escape(markup.NAMES_OFF), re.S)


def postprocess_bibliography(style: Any, marked: list[str]) -> list[str]:
    """Fixes that need the whole ordered bibliography: CSL ``subsequent-author-substitute`` (rules
    ``complete-all`` and ``complete-each``: the names of an entry equal to the previous entry's are replaced)."""
    bib = style.root.bibliography
    substitute = bib.get("subsequent-author-substitute") if bib is not None else None
    if substitute is None:
        return [m.replace(markup.NAMES_ON, "").replace(markup.NAMES_OFF, "") for m in marked]
    out = []
    previous = None
    for m in marked:
        m = m.replace(markup.NAMES_ON + markup.NAMES_OFF, "")  # the span a role label before the names left
        found = _NAMES_SPAN.search(m)
        names = found.group(1) if found else None
        if found and names == previous:
            rest = m[found.end():]
            plain = markup.strip_marks(found.group(1))
            # a period the names shared with the following delimiter ("E." + ". ") stays after the substitute
            keep = plain[-1] if plain and plain[-1] in ".!?" and rest[:1].isspace() else ""
            m = m[:found.start()] + substitute + keep + rest
        previous = names
        # an emptied first block leaves the next one at the edge of the entry
        out.append(hoist_edges(markup.EMPTY_DISPLAY.sub("", m.replace(markup.NAMES_ON, "").replace(markup.NAMES_OFF,
                                                                                                      ""))))
    return out



