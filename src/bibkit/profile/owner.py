"""The page owner: given (``--owner "Last, First"``) or found on the page (the name
most often set in bold inside author lists, else the name in most author lists)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..model import Name
from .names import clean_author_text, parse_name, stopwords
from .segment import classify_heading


def parse_owner(text: str | None) -> Name | None:
    """Parse an ``--owner`` value ("Last, First" or "First Last").

    >>> parse_owner("Tang, Zhenheng").family
    'Tang'
    >>> parse_owner("Zili Zhang").given
    'Zili'
    """
    if not text or not text.strip():
        return None
    text = text.strip()
    if "," in text:
        fam, _, giv = text.partition(",")
        return Name(family=fam.strip(), given=giv.strip() or None)
    n = parse_name(text)
    if n is None:
        parts = text.split()
        return Name(family=parts[-1], given=" ".join(parts[:-1]) or None)
    return n


def name_key(n: Name) -> tuple[str, str]:
    return _key(n.family or n.literal or "", n.given or "")


@lru_cache(maxsize=16384)
def _key(family: str, given: str) -> tuple[str, str]:
    fam = _NON_ALPHA.sub("", family.casefold())
    giv = _NON_ALPHA.sub("", given.casefold())
    return fam, giv[:1]


_NON_ALPHA = re.compile(r"[^\w]|[\d_]")


_HEADING_NAME_RE = re.compile(r"^(?:#+\s*|\\\w+\{)?((?:[A-Z][\w'’-]*\.?\s+){1,3}[A-Z][\w'’-]+)\}?\s*$")


def owner_from_heading(raw_lines: list[str], within: int = 8) -> Name | None:
    """The person a page is about when its first lines name them alone, as CVs and home pages
    begin ("DARON ACEMOGLU", "# Jane Q. Doe"); names in capitals are given their case back.

    >>> n = owner_from_heading(["", "        DARON ACEMOGLU", "  Curriculum Vitae"]); (n.given, n.family)
    ('Daron', 'Acemoglu')
    >>> owner_from_heading(["Publications", "1. A. Author, Title, 2020."]) is None
    True
    """
    seen = 0
    for raw in raw_lines:
        text = re.sub(r"<[^>]+>", " ", raw).strip()
        if not text:
            continue
        seen += 1
        if seen > within:
            break
        m = _HEADING_NAME_RE.match(text)
        if not m:
            continue
        words = m.group(1).split()
        if classify_heading(text) is not None or any(w.casefold().rstrip(".") in stopwords() for w in words):
            continue  # a section heading ("Selected Publications") or words no name has ("Curriculum Vitae")
        name = " ".join(w.capitalize() if w.isupper() and len(w) > 2 else w for w in words)
        n = parse_name(name)
        if n is not None and n.family and n.given:
            return n
    return None


def detect_owner(bold_names: list[str], author_lists: list[list[Name]]) -> Name | None:
    """The owner from bold names in author lists, else the most frequent author."""
    counts: Counter[tuple[str, str]] = Counter()
    best: dict[tuple[str, str], Name] = {}
    for raw in bold_names:
        n = parse_name(clean_author_text(raw))
        if n is None or n.is_others:
            continue
        k = name_key(n)
        counts[k] += 1
        if k not in best or len(n.given or "") > len(best[k].given or ""):
            best[k] = n
    if counts:
        k, c = counts.most_common(1)[0]
        if c >= 2:
            return best[k]
    freq: Counter[tuple[str, str]] = Counter()
    for names in author_lists:
        for k in {name_key(n) for n in names if not n.is_others}:
            freq[k] += 1
            for n in names:
                if name_key(n) == k and (k not in best or len(n.given or "") > len(best[k].given or "")):
                    best[k] = n
    if freq:
        k, c = freq.most_common(1)[0]
        if c >= 3 and c >= 0.5 * len(author_lists):
            return best[k]
    return None


def is_owner(n: Name, owner: Name | None) -> bool:
    if owner is None:
        return False
    a, b = name_key(n), name_key(owner)
    return a[0] == b[0] and (not a[1] or not b[1] or a[1] == b[1])
