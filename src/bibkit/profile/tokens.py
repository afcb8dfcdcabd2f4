"""Tokens of one entry, with the markup cues the front end kept.

The field tagger labels whitespace tokens (AnyStyle's unit): a token keeps its visible
text, whether it was bold, italic or link text on the page, and which line of the entry
it came from. The emphasis markers of :mod:`.lines` are consumed here.

>>> from .lines import B_ON, B_OFF
>>> [(t.text, t.bold) for t in tokenize(f"{B_ON}A. Bee{B_OFF}, C. Dee.")]
[('A.', True), ('Bee,', True), ('C.', False), ('Dee.', False)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .lines import B_OFF, B_ON, I_OFF, I_ON, L_OFF, L_ON, MARKS


@dataclass(frozen=True, slots=True)
class Token:
    """One whitespace token of an entry."""

    text: str  # visible text, no markers
    bold: bool = False
    italic: bool = False
    link: bool = False
    line: int = 0  # index of the line of the entry it is on
    line_start: bool = False  # first token of its line
    run: int = 0  # which italic run of its line it is in (1, 2, ...; 0: not in italics)


_MARK_SET = frozenset(MARKS)
#: marker -> (which emphasis, on or off)
_MARK_STATE = {B_ON: ("b", True), B_OFF: ("b", False), I_ON: ("i", True), I_OFF: ("i", False),
               L_ON: ("l", True), L_OFF: ("l", False)}


def tokenize(text: str, line: int = 0) -> list[Token]:
    """Whitespace tokens of ``text`` (which may hold emphasis markers)."""
    out: list[Token] = []
    bold = italic = link = False
    first = True
    runs = 0
    for raw in text.split():
        tb, ti, tl = bold, italic, link
        if not _MARK_SET.isdisjoint(raw):
            visible = []
            for ch in raw:
                mark = _MARK_STATE.get(ch)
                if mark is None:
                    visible.append(ch)
                    tb, ti, tl = tb or bold, ti or italic, tl or link
                elif mark[0] == "b":
                    bold = mark[1]
                elif mark[0] == "i":
                    runs += mark[1] and not italic
                    italic = mark[1]
                else:
                    link = mark[1]
            word = "".join(visible)
            if not word:
                continue
        else:
            word = raw
        out.append(Token(word, tb, ti, tl, line, first, runs if ti else 0))
        first = False
    return out


def tokenize_lines(texts: Sequence[str]) -> list[Token]:
    """Tokens of several lines (one entry), each token knowing its line."""
    out: list[Token] = []
    for k, text in enumerate(texts):
        out.extend(tokenize(text, k))
    return out
