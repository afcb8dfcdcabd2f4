"""CSL ``second-field-align``: the first field (``[1]``, ``1.``) is set apart from the rest.
"""

from __future__ import annotations

import citeproc
from citeproc import model
from citeproc.source import VariableError

from .. import markup
from .entry import finish_entry
from .substitute import _CAPTURE_NAMES, _LABEL_OUTSIDE

#: fix id -> (CSL rule restored, official test-suite fixtures it makes pass)
FIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    'sfa-label': (
        'second-field-align: the label is its own field (space in text, margin div in HTML)',
        ()),
}


def _patch_second_field_align() -> None:
    """CSL ``second-field-align``: the first field (``[1]``, ``1.``) is set apart from the rest.

    citeproc-py glues it to the entry ("[1]Y. LeCun"); citeproc-js puts it in its own block (HTML) or separates
    it with a space (text).  We render it as the label before :data:`markup.LABEL_SEP`.
    """

    def render_bibliography(self, citation_items):
        sfa = self.getparent().get("second-field-align")
        capture = self.getparent().get("subsequent-author-substitute") is not None
        output_items = []
        for item in citation_items:
            self.repressed = {}
            _CAPTURE_NAMES[0] = _LABEL_OUTSIDE[0] = capture
            if not sfa:
                text = self.format(self.wrap(self.render_children(item)))
            else:
                parts = []
                for child in self.iterchildren():
                    try:
                        if isinstance(child, model.Choose):
                            part = child.render(item, delimiter="")
                        else:
                            part = child.render(item)
                    except VariableError:
                        continue
                    if part is not None:
                        parts.append(part)
                if not parts:
                    text = None
                elif len(parts) == 1:
                    text = self.format(self.wrap(parts[0]))
                else:
                    rest = citeproc.string.join(parts[1:])
                    text = self.format(self.wrap(str(parts[0]) + markup.LABEL_SEP + str(rest)))
            # an item with nothing to print stays in place (empty), so output stays aligned with the input
            output_items.append(finish_entry(self, str(text), keep_edges=True) if text is not None else "")
        return output_items

    model.Layout.render_bibliography = render_bibliography
