"""The line model every input format is turned into.

Each converter (:mod:`.text`, :mod:`.markdown`, :mod:`.html`, :mod:`.latex`) yields
:class:`Line` objects: the visible text of one source line, with emphasis kept as
private-use marker characters (so later stages can see what was bold or italic),
list structure (bullet, indentation), heading level and the URLs of links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

#: emphasis markers kept inside :attr:`Line.text`
B_ON, B_OFF, I_ON, I_OFF = "\ue000", "\ue001", "\ue002", "\ue003"
#: link text markers
L_ON, L_OFF = "\ue004", "\ue005"
MARKS = B_ON + B_OFF + I_ON + I_OFF + L_ON + L_OFF
_MARKS_RE = re.compile(f"[{MARKS}]")

#: list bullets at the start of a plain line
BULLET_RE = re.compile(
    r"^(?P<indent>[ \t]{0,40})(?P<bullet>[-*+•·▪◦‣∙●○■□►▸–—]|\d{1,3}[.)]|\(\d{1,3}\)|\[\d{1,3}\]|[a-z][.)](?= ))"
    r"[ \t]+(?=\S)"
)

#: "12)Marie Curie, ...": a list number glued to a capitalised word
_GLUED_NUMBER_RE = re.compile(r"^(?P<indent>[ \t]{0,40})(?P<bullet>\d{1,3}\))(?=[A-Z][a-z])")


@dataclass
class Line:
    """One line of visible text."""

    no: int  # 1-based line number in the source
    text: str  # visible text, emphasis marked with B_ON/B_OFF/I_ON/I_OFF
    indent: int = 0
    bullet: str | None = None  # "-", "1.", "[3]", "item", "bibitem"...
    heading: int = 0  # 1-6 for headings, 0 otherwise
    urls: list[str] = field(default_factory=list)

    @property
    def plain(self) -> str:
        return strip_marks(self.text)

    @property
    def blank(self) -> bool:
        return not self.plain.strip()


@lru_cache(maxsize=8192)
def strip_marks(text: str) -> str:
    """Text without emphasis markers.

    >>> strip_marks("\\ue000Z. Tang\\ue001, X. Chu")
    'Z. Tang, X. Chu'
    """
    return _MARKS_RE.sub("", text)


#: a long list's number (1000 and more): a list item only when it follows the item before
_LONG_NUMBER_RE = re.compile(r"^(?P<indent>[ \t]{0,40})(?P<bullet>(?P<n>\d{4,7})[.)])[ \t]+(?=\S)")
#: the item's own number repeated after the list marker ("10. 54. Daugherty CK ..."): not text
_OWN_NUMBER_RE = re.compile(r"^(?:\[\d{1,5}\]|\(\d{1,5}\)|\d{1,5}[.)])[ \t]+(?=\S)")


def list_number(bullet: str | None) -> int | None:
    """The number of a numbered list marker ("12." -> 12)."""
    if not bullet:
        return None
    digits = bullet.strip("[]().")
    return int(digits) if digits.isdigit() else None


def split_bullet(raw: str, prev: int | None = None) -> tuple[int, str | None, str]:
    """(indent, bullet, rest) of a plain-text line; ``prev``: the number of the list item before,
    so that item 1000 after item 999 is an item too (a year-like number alone is not).

    >>> split_bullet("1000. Item", prev=999)
    (0, '1000.', 'Item')
    >>> split_bullet("2019. Title", prev=None)
    (0, None, '2019. Title')
    >>> split_bullet("10. 54. Daugherty CK, Title.")
    (0, '10.', 'Daugherty CK, Title.')

    >>> split_bullet("  - item")
    (2, '-', 'item')
    >>> split_bullet("12. Item")
    (0, '12.', 'Item')
    >>> split_bullet("12)Marie Curie, P. Curie")  # a number glued to the first name (PDF/HTML text)
    (0, '12)', 'Marie Curie, P. Curie')
    >>> split_bullet("plain")
    (0, None, 'plain')
    """
    m = BULLET_RE.match(raw[:200]) or _GLUED_NUMBER_RE.match(raw[:200])
    if m is None and prev is not None and prev >= 900:
        long = _LONG_NUMBER_RE.match(raw[:200])
        if long and abs(int(long.group("n")) - prev) == 1:
            m = long
    if m:
        indent = len(m.group("indent").expandtabs(4))
        rest = raw[m.end():]
        if list_number(m.group("bullet")) is not None:
            own = _OWN_NUMBER_RE.match(rest)
            if own and not 1800 <= (list_number(own.group(0).strip()) or 0) <= 2099:
                rest = rest[own.end():]
        return indent, m.group("bullet"), rest
    stripped = raw.lstrip(" \t")
    return len(raw[: len(raw) - len(stripped)].expandtabs(4)), None, stripped
