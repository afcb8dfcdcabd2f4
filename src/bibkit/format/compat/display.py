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
    'text-decoration-none': (
        'text-decoration="none" kept in HTML (<span style="text-decoration:none;">), as citeproc-js writes it',
        ()),
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


def _keep_as_markup(attribute: str, value: str, on: str, off: str) -> None:
    """A formatting ``attribute="value"`` citeproc-py drops (its ``Formatted`` method of that name returns the
    text unchanged) kept as the marks ``on``/``off``."""
    method = attribute.replace("-", "_")
    original = getattr(model.Formatted, method)

    def keep(self, text):
        if self.get(attribute) == value:
            return on + str(text) + off
        return original(self, text)

    setattr(model.Formatted, method, keep)


def _patch_baseline() -> None:
    """Fix ``vertical-align-baseline``: ``vertical-align="baseline"`` is kept as markup (citeproc-js:
    ``<span style="baseline">``), so text inside a superscript group comes back to the baseline."""
    _keep_as_markup("vertical-align", "baseline", markup.BASELINE_ON, markup.BASELINE_OFF)


def _patch_text_decoration_none() -> None:
    """Fix ``text-decoration-none``: an explicit ``text-decoration="none"`` is kept as markup (citeproc-js:
    ``<span style="text-decoration:none;">``), so it undoes an underline around it in HTML."""
    _keep_as_markup("text-decoration", "none", markup.UNDECOR_ON, markup.UNDECOR_OFF)
