"""Plain text (including text extracted from PDFs) to :class:`~.lines.Line` objects."""

from __future__ import annotations

import itertools

from . import rx as re
from .lines import Line, list_number, split_bullet

_URL_RE = re.compile(r"https?://[^\s<>\"')\]]{1,300}")


def text_lines(text: str) -> list[Line]:
    """Lines of a plain-text page: bullets and indentation recognised, URLs collected.

    >>> [(ln.no, ln.bullet, ln.text) for ln in text_lines("Papers\\n• A. B. Title.")]
    [(1, None, 'Papers'), (2, '•', 'A. B. Title.')]
    """
    out = []
    raw_lines = text.split("\n")
    headers = _running_heads(raw_lines)
    prev: int | None = None
    for no, raw in enumerate(raw_lines, 1):
        raw = raw.replace("\t", "    ").rstrip()
        if no in headers:
            raw = ""
        indent, bullet, rest = split_bullet(raw, prev)
        prev = list_number(bullet) if bullet else prev
        urls = _URL_RE.findall(rest) if "http" in rest else []
        out.append(Line(no, rest.strip(), indent, bullet, 0, urls))
    _dehyphenate(out)
    return out


#: prefixes whose hyphen is part of the word even at a line end ("self-⏎supervised")
_COMPOUND = frozenset({
    "self", "non", "multi", "cross", "semi", "co", "well", "state", "end", "real", "large", "high", "low", "long",
    "short", "fine", "zero", "few", "one", "two", "three", "open", "data", "task", "time", "graph", "deep", "meta",
    "anti", "inter", "intra", "post", "under", "over", "full", "half", "sub", "super",
})
_WORD_START = re.compile(r"^(\S+)\s+(?=\S)")


def _dehyphenate(lines: list[Line]) -> None:
    """Join words hyphenated at a line end (PDF text): "An intro-" + "duction to" -> "An introduction" +
    "to".  A capital after the break ("Self-⏎Supervised") or a common compound prefix keeps the hyphen
    ("Self-Supervised"); the next line keeps at least one word, so no line becomes blank.

    >>> ls = [Line(1, "J. Doe. An intro-"), Line(2, "duction to variational methods. 1999.")]
    >>> _dehyphenate(ls); [ln.text for ln in ls]
    ['J. Doe. An introduction', 'to variational methods. 1999.']
    """
    for prev, nxt in itertools.pairwise(lines):
        t = prev.text
        if not t.endswith("-") or t.endswith("--") or nxt.bullet is not None:
            continue
        m = re.search(r"([^\W\d_]+)-$", t[-60:])
        w = _WORD_START.match(nxt.text)
        if not m or not w or not w.group(1)[:1].isalpha():
            continue
        keep = m.group(1).casefold() in _COMPOUND or not w.group(1)[:1].islower()
        prev.text = (t if keep else t[:-1]) + w.group(1)
        nxt.text = nxt.text[w.end():]


_PAGE_RE = re.compile(r"\bpage\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\b|"
                      r"^\s*-?\s*\d{1,4}\s*-?\s*$|^\s*\d{1,4}\s*/\s*\d{1,4}\s*$", re.I)


def _running_heads(lines: list[str]) -> set[int]:
    """Line numbers of page headers/footers left by PDF extraction: bare page numbers and
    lines with a page number that repeat (digits ignored)."""
    seen: dict[str, list[int]] = {}
    out: set[int] = set()
    for no, raw in enumerate(lines, 1):
        s = raw.strip()
        if not s or len(s) > 160 or not _PAGE_RE.search(s):
            continue
        if re.fullmatch(r"-?\s*\d{1,4}\s*-?|\d{1,4}\s*/\s*\d{1,4}", s):
            if not re.fullmatch(r"(?:19|20)\d\d", s):  # a year alone on its line is a heading, not a page number
                out.add(no)
            continue
        seen.setdefault(re.sub(r"\d+", "#", s.casefold()), []).append(no)
    for nos in seen.values():
        if len(nos) >= 2:
            out.update(nos)
    return out
