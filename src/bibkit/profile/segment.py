"""Segmentation: sections by their headings, and candidate entries inside them.

Sections are found from real headings (Markdown ``#``, HTML ``<h2>``, LaTeX
``\\section``) and from short lines made only of section words ("Publications",
"Journal Papers:", "TEACHING").  A section's kind (publications, talks, news, prose,
other) decides how readily its items become entries.  Inside a section, list items
and paragraphs are grouped into entries by the role of each unit (a complete
reference, a title line, an author line, a venue/date line).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from . import rx as re
from .lines import Line, strip_marks
from .repair import strip_symbols


@dataclass
class Section:
    title: str = ""
    kind: str = "unknown"  # pub | talks | news | soft | other | unknown
    type_hint: str | None = None
    status_hint: str | None = None
    year_hint: int | None = None
    level: int = 0
    line: int | None = None


@dataclass
class Block:
    """The lines of one candidate entry, in the section they were found in."""

    lines: list[Line]
    section: Section
    roles: list[str] = field(default_factory=list)

    @property
    def first(self) -> int:
        return self.lines[0].no

    @property
    def last(self) -> int:
        return self.lines[-1].no


_QUALIFIERS = {"selected", "recent", "refereed", "international", "national", "domestic", "peer", "reviewed",
               "full", "short", "list", "of", "and", "other", "my", "all", "key", "major", "invited", "accepted",
               "published", "new", "latest", "older", "earlier", "archival", "non", "top", "first", "authored",
               "co", "in", "the", "to", "appear", "our", "representative", "original", "academic", "scientific",
               "professional", "personal", "related", "relevant", "additional", "more", "some", "since", "before",
               "most", "highlighted", "featured", "current", "past", "previous", "a", "on", "by", "year", "topic",
               "chronological", "order", "complete", "journals", "conferences", "proceedings", "with", "for",
               "information", "info", "summary", "i", "me", "interests", "area"}


@cache
def vocabulary() -> dict[str, tuple[str, str | None, str | None]]:
    """Section phrases -> (kind, type, status), from ``data/sections.csv``."""
    text = resources.files("bibkit.data").joinpath("sections.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#"))
    return {r["phrase"].strip(): (r["kind"].strip(), r["type"].strip() or None, r["status"].strip() or None)
            for r in rows}


def _words(text: str) -> list[str]:
    text = strip_symbols(strip_marks(text)).casefold()
    words = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d{4}", text[:300])  # (letters of any script: "aufsätze")
    return [_singular(w) for w in words]


def _singular(w: str) -> str:
    if w in ("thesis", "theses", "news", "bibliography", "series", "status", "progress", "analysis"):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def classify_heading(text: str) -> tuple[str, str | None, str | None, int | None] | None:
    """(kind, type hint, status hint, year) for a heading text, or None if no section word.

    >>> classify_heading("📝 Publications")
    ('pub', None, None, None)
    >>> classify_heading("Conference Program Committee:")
    ('other', None, None, None)
    >>> classify_heading("Preprint Paper")
    ('pub', 'article', 'preprint', None)
    >>> classify_heading("2023")
    ('year', None, None, 2023)
    """
    words = _words(text)
    if not words:
        return None
    if len(words) == 1 and re.fullmatch(r"(?:19|20)\d\d", words[0]):
        return ("year", None, None, int(words[0]))
    vocab = vocabulary()
    best = None
    best_len = 0
    n = len(words)
    for i in range(n):
        for j in range(min(n, i + 4), i, -1):
            phrase = " ".join(words[i:j])
            hit = vocab.get(phrase)
            if hit is not None:
                length = j - i
                if length > best_len:
                    best, best_len = hit, length
                break
    if best is None:
        return None
    year = next((int(w) for w in words if re.fullmatch(r"(?:19|20)\d\d", w)), None)
    return (best[0], best[1], best[2], year)


_ROMAN_HEAD_RE = re.compile(r"^(?:[IVX]{1,5}|[A-H])\.\s+(?=[^\W\d_])")


def plain_heading(line: Line) -> tuple[str, str | None, str | None, int | None] | None:
    """A short non-heading line that is nothing but section words ("Journal Papers:")."""
    text = re.sub(r"\s{2,}", " ", strip_symbols(line.plain)).strip()
    text = _ROMAN_HEAD_RE.sub("", text)  # "II. Kommentierungen", "B. Aufsätze": a numbered part of the list
    if not text or len(text) > 60:
        return None
    if line.bullet and line.bullet not in ("-", "*", "•"):
        return None
    if re.search(r"[.,;]\s*\S", text.rstrip(".:")) or text.endswith(","):
        return None
    words = _words(text)
    if not words or len(words) > 5:
        return None
    vocab = vocabulary()
    vocab_words = {w for p in vocab for w in p.split()}
    if not all(w in vocab_words or w in _QUALIFIERS or re.fullmatch(r"(?:19|20)\d\d", w) for w in words):
        return None
    if words[0] in ("in", "to", "a", "the", "on", "by", "with", "for", "and"):
        return None
    return classify_heading(text)


# -- sections -------------------------------------------------------------------------
_TITLEISH = re.compile(r"[:?]|\b(?:for|of|with|via|from|towards?|using|on)\b", re.I)


def _content_heading(line: Line, current: Section) -> bool:
    """A heading inside a publication list that is really an entry's title."""
    text = line.plain.strip()
    words = text.split()
    if current.kind not in ("pub", "unknown", "year"):
        return False
    return len(words) >= 5 or (len(words) >= 3 and bool(_TITLEISH.search(text)))


def split_sections(lines: list[Line]) -> list[tuple[Section, list[Line]]]:
    """Sections and their lines (the first section, before any heading, has kind 'unknown')."""
    out: list[tuple[Section, list[Line]]] = []
    current = Section()
    stack: list[Section] = []  # enclosing sections by heading level
    body: list[Line] = []
    for line in lines:
        info = None
        level = 0
        if line.heading:
            words = line.plain.split()
            if len(words) > 7 or (len(words) >= 4 and re.search(r"[:?]\s", line.plain)):
                body.append(line)  # a long heading is an entry's title, not a section
                continue
            info = classify_heading(line.plain)
            level = line.heading
            if info is None:
                if _content_heading(line, current):
                    body.append(line)
                    continue
                if current.kind in ("pub", "year") and level > current.level:
                    info = ("pub", None, None, None)  # a topic sub-heading inside the publications
                else:
                    info = ("unknown", None, None, None)
            elif info[0] != "year" and info[0] == "pub" and _content_heading(line, current) and \
                    len(line.plain.split()) >= 6:
                body.append(line)  # a long title that happens to contain "Workshop" or "Conference"
                continue
        elif not line.blank and line.indent <= 4:
            info = plain_heading(line)
            level = 7 if info else 0
        if info is None:
            body.append(line)
            continue
        out.append((current, body))
        kind, typ, status, year = info
        parent = None
        while stack and stack[-1].level >= level:
            stack.pop()
        if stack:
            parent = stack[-1]
        if kind == "year":
            base = parent if parent and parent.kind in ("pub", "news") else current if current.kind == "pub" \
                else None
            kind = base.kind if base else "pub"
            typ = typ or (base.type_hint if base else None)
            status = status or (base.status_hint if base else None)
        elif kind == "pub" and parent is not None and parent.kind == "pub":
            typ = typ or parent.type_hint
            status = status or parent.status_hint
        current = Section(strip_symbols(line.plain).strip(" :#"), kind, typ, status, year, level, line.no)
        stack.append(current)
        body = []
    out.append((current, body))
    return out


# -- units and roles ------------------------------------------------------------------
#: a line of punctuation only ("." or "* * *" between entries, left by a page's layout): a separator
_SEPARATOR_RE = re.compile(r"\s*[.·•*_=~\-–—]{1,40}\s*")


def units(body: list[Line]) -> list[list[Line]]:
    """Group a section's lines into units: a list item with its continuation lines and
    sub-items, or a paragraph of non-list lines; headings kept inside are single units."""
    out: list[list[Line]] = []
    cur: list[Line] = []
    top: int | None = None  # indent of the current item's bullet
    prev_blank = False
    for line in body:
        blank = line.blank or (not line.heading and line.bullet is None and
                               _SEPARATOR_RE.fullmatch(line.plain) is not None)
        blank_before, prev_blank = prev_blank, blank
        if blank:
            if cur and top is None:
                out.append(cur)
                cur = []
            continue
        if line.heading:
            if cur:
                out.append(cur)
            out.append([line])
            cur, top = [], None
            continue
        if line.bullet is not None:
            if top is not None and line.indent > top and cur:
                cur.append(line)  # a sub-item
                continue
            if cur:
                out.append(cur)
            cur, top = [line], line.indent
            continue
        # plain line
        if top is not None and cur:
            if line.indent > top or not blank_before:
                cur.append(line)
                continue
            out.append(cur)
            cur, top = [line], None
            continue
        cur.append(line)
    if cur:
        out.append(cur)
    return out
