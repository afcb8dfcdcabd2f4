"""Writing systems: italics only for scripts that have them."""

from __future__ import annotations

import re

from citeproc import model

from .. import markup

#: fix id -> (CSL rule restored, official test-suite fixtures it makes pass)
FIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    "italics-script": (
        "a variable printed in italics stays upright when it has no Latin-like letters (CJK titles), as "
        "citeproc-js does",
        ()),
}

#: letters that take italics (citeproc-js's "romanesque" scripts: Latin, Greek, Cyrillic, Hebrew, Arabic, Thai)
_ROMANESQUE = re.compile("[-0-9a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05ff"
                         "\u1f00-\u1fff\u0600-\u06ff\u0218-\u021b]")


def takes_italics(text: str) -> bool:
    """Whether ``text`` has a letter of a script that is set in italics.

    >>> takes_italics("围城"), takes_italics("Nature"), takes_italics("吾輩は猫である 2")
    (False, True, True)
    """
    return bool(_ROMANESQUE.search(markup.strip_marks(text)))


def _patch_italics_by_script() -> None:
    """Fix ``italics-script``: ``font-style`` on a ``cs:text`` printing a variable is dropped when the value has
    no letter of a script set in italics (citeproc-js decides per variable; italics on a macro or group stay)."""
    def text_format(self, string):
        if "variable" in self.attrib and self.get("font-style", "normal") != "normal" \
                and not takes_italics(str(string)):
            text = self.font_variant(string)
            text = self.font_weight(text)
            text = self.text_decoration(text)
            return self.vertical_align(text)
        return model.Formatted.format(self, string)

    model.Text.format = text_format
