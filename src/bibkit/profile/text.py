"""Plain text (including text extracted from PDFs) to :class:`~.lines.Line` objects."""

from __future__ import annotations

import re

from .lines import Line, split_bullet

_URL_RE = re.compile(r"https?://[^\s<>\"')\]]{1,300}")


def text_lines(text: str) -> list[Line]:
    """Lines of a plain-text page: bullets and indentation recognised, URLs collected.

    >>> [(ln.no, ln.bullet, ln.text) for ln in text_lines("Papers\\n• A. B. Title.")]
    [(1, None, 'Papers'), (2, '•', 'A. B. Title.')]
    """
    out = []
    for no, raw in enumerate(text.split("\n"), 1):
        raw = raw.replace("\t", "    ").rstrip()
        indent, bullet, rest = split_bullet(raw)
        urls = _URL_RE.findall(rest) if "http" in rest else []
        out.append(Line(no, rest.strip(), indent, bullet, 0, urls))
    return out
