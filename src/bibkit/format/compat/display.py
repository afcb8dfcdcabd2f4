"""CSL ``display`` and ``vertical-align="baseline"``: markup the text and HTML outputs need.
"""

from __future__ import annotations

from typing import Any

from citeproc import model

from .. import markup

#: fix id -> (CSL rule restored, official test-suite fixtures it makes pass)
FIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    'display': (
        "display=block/left-margin/right-inline/indent as citeproc-js's divs; trailing punctuation inside"
        ' the last block; empty blocks dropped',
        (
            'display_AuthorAsHeading',
            'display_DisplayBlock',
            'display_SecondFieldAlignClone',
            'bugreports_NoCaseEscape',
            'bugreports_SmallCapsEscape',
        )),
    'vertical-align-baseline': (
        'vertical-align="baseline" kept (<span style="baseline">)',
        ('decorations_Baseline',)),
}


_DISPLAY = {"block": (markup.BLOCK_ON, markup.BLOCK_OFF), "left-margin": (markup.LEFT_ON, markup.LEFT_OFF),
            "right-inline": (markup.RIGHT_ON, markup.RIGHT_OFF), "indent": (markup.INDENT_ON, markup.INDENT_OFF)}


def _patch_display() -> None:
    """Fix ``display``: CSL ``display`` (block, left-margin, right-inline, indent) makes a block of its own around
    the affixed text: citeproc-js's divs in HTML, a space in text (see :mod:`bibkit.format.markup`)."""
    original_wrap = model.Affixed.wrap
    displays: dict[Any, Any] = {}

    def wrap(self, string):
        try:
            display = displays[self]
        except KeyError:
            display = displays[self] = _DISPLAY.get(self.get("display"))
        if display is None:
            return original_wrap(self, string)
        return display[0] + original_wrap(self, string) + display[1]

    model.Affixed.wrap = wrap


def _patch_baseline() -> None:
    """Fix ``vertical-align-baseline``: ``vertical-align="baseline"`` is kept as markup (citeproc-js:
    ``<span style="baseline">``), so text inside a superscript group comes back to the baseline."""
    original_vertical_align = model.Formatted.vertical_align

    def vertical_align(self, text):
        if self.get("vertical-align") == "baseline":
            return markup.BASELINE_ON + str(text) + markup.BASELINE_OFF
        return original_vertical_align(self, text)

    model.Formatted.vertical_align = vertical_align
