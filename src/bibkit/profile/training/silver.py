"""Labelled real pages from pages with gold files ("silver" labels).

A page with a gold file (the schema of ``tests/data/profiles_extra``) says which works it
lists, not which lines or tokens are which. The labels are recovered: the first design's
rules find candidate blocks, a block whose title matches a gold work (or a line that holds
a gold title the rules missed) is an entry (``ref-start`` / ``ref-continue``), news lines
are ``news``, headings ``heading``, the rest ``other``; inside each entry the gold title,
authors, venue and year are found among the tokens, the other tokens keep the tagger's
labels. Used by :mod:`.train` on ``tests/data/profiles_extra`` (the team's own pages);
never on pages kept for measurement.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..lines import strip_marks
from ..tokens import Token
from .corpus import Reference
from .pages import LabelledPage

_NAMEISH = re.compile(r"^(?:[A-Z][\w'’.\-]*|(?:van|von|de|der|den|del|della|di|da|du|la|le|ten|ter)),?[*†‡^]*$")
_INITIALS = re.compile(r"^(?:[A-Z]{1,3}|(?:[A-Z]\.-?){1,3}[A-Z]?\.?)[.,;:^*]*$")


def _fold(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _norm(text: str | None) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", _fold(text)).split())


def _match(title: str | None, gold: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    t = _norm(title)
    if len(t) < 6:
        return None
    best, score = None, 0.0
    for g in gold:
        s = difflib.SequenceMatcher(None, t, _norm(g.get("title"))).ratio()
        if s > score:
            best, score = g, s
    return best if score >= 0.9 else None


def _gold_labels(tokens: Sequence[Token], g: dict[str, Any], guess: Sequence[str]) -> list[str]:
    """Token labels of one entry: gold fields where they are found, the tagger's guess elsewhere
    (minus the fields gold says are elsewhere)."""
    labels = [lab if lab not in ("title", "author", "container-title") else "other" for lab in guess]
    starts, pos = [], 0
    for t in tokens:
        starts.append(pos)
        pos += len(t.text) + 1
    text = _fold(" ".join(t.text for t in tokens))

    def mark(needle: str | None, label: str) -> bool:
        n = " ".join(_fold(needle).split())
        if len(n) < 2:
            return False
        i = text.find(n)
        while i >= 0:
            j = i + len(n)
            covered = [k for k, s in enumerate(starts) if s < j and s + len(tokens[k].text) > i]
            if label == "title" or not any(labels[k] == "title" for k in covered):
                for k in covered:
                    labels[k] = label
                return True
            i = text.find(n, i + 1)
        return False

    mark(g.get("title"), "title")
    for v in [g.get("container-title"), *(g.get("venue") or [])]:
        if v and mark(v, "container-title"):
            break
    fams = [_fold(a.get("family") or a.get("literal") or "") for a in g.get("author") or []]
    hits = []
    for fam in fams:
        last = fam.split()[-1] if fam.split() else ""
        for k, t in enumerate(tokens):
            if last and re.sub(r"[^\w\-']", "", _fold(t.text)) == last and labels[k] != "title":
                hits.append(k)
                break
    if hits:
        lo = min(hits)
        while lo > 0 and labels[lo - 1] not in ("title", "container-title") and _NAMEISH.match(tokens[lo - 1].text):
            lo -= 1  # the given names and particles before the first family name ("Jonas Brenner", "A. Ben Youssef")
        hits.append(lo)
        hi = max(hits)
        while hi + 1 < len(tokens) and labels[hi + 1] not in ("title", "container-title") and (
                _INITIALS.match(tokens[hi + 1].text) or _fold(tokens[hi + 1].text).strip(".,;") in ("et", "al")):
            hi += 1
        for k in range(min(hits), hi + 1):
            if labels[k] not in ("title", "container-title"):
                labels[k] = "author"
    if tokens and tokens[0].text.startswith("[") and labels[0] not in ("title", "author"):
        k = 0  # a leading "[ATC 2022]" / "[J3]" tag, as the synthetic data labels it
        while k < len(tokens) and k < 6:
            labels[k] = "citation-number"
            if tokens[k].text.rstrip(".,:;").endswith("]"):
                break
            k += 1
    year = (g.get("issued") or {}).get("date-parts", [[None]])[0][0]
    if year:
        for k, t in enumerate(tokens):
            if str(year) in t.text and labels[k] not in ("title",):
                labels[k] = "date"
                break
    return labels


def silver_page(text: str, gold: dict[str, Any], source: str) -> tuple[LabelledPage, list[Reference]]:
    from ...model import ReadResult
    from ..frontend import front_end
    from ..parser import rules_read
    from ..segment import plain_heading
    from ..tagger import tag_lines

    page = front_end(text, None, source)
    lines = page.lines
    works = [g for g in gold.get("entries", []) if not g.get("optional")]
    found, news = rules_read(lines, ReadResult(), source)
    label: dict[int, str] = {}
    refs: list[Reference] = []
    for parsed, grp, _section in found:
        g = _match(parsed.entry.title, works)
        if g is None:
            continue
        for k, ln in enumerate(grp):
            label[id(ln)] = "ref-start" if k == 0 else "ref-continue"
        tagged = tag_lines(grp)
        gl = _gold_labels(tagged.tokens, g, tagged.labels)
        segs: list[tuple[str, str]] = []
        for tok, lab in zip(tagged.tokens, gl, strict=True):
            if segs and segs[-1][0] == lab:
                segs[-1] = (lab, segs[-1][1] + " " + tok.text)
            else:
                segs.append((lab, tok.text))
        refs.append(Reference(segs, "silver", f"{source}:{grp[0].no}"))
    for _e, ln in news:
        label.setdefault(id(ln), "news")
    # a gold title on a line the rules did not read: that line starts an entry
    for g in works:
        nt = _norm(g.get("title"))[:40]
        if len(nt) < 12:
            continue
        for ln in lines:
            if id(ln) not in label and nt in _norm(strip_marks(ln.text)):
                label[id(ln)] = "ref-start"
                break
    out = []
    for ln in lines:
        if id(ln) in label:
            out.append(label[id(ln)])
        elif ln.blank:
            out.append("blank")
        elif ln.heading or plain_heading(ln) is not None:
            out.append("heading")
        else:
            out.append("other")
    return LabelledPage(lines, out, source), refs


def silver_dir(path: str | Path) -> tuple[list[LabelledPage], list[Reference]]:
    """Silver pages and references of every ``*.gold.json`` in ``path``."""
    pages: list[LabelledPage] = []
    refs: list[Reference] = []
    for gpath in sorted(Path(path).glob("*.gold.json")):
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        src = gpath.parent / gold["source"]
        from ...fsio import read_text

        p, r = silver_page(read_text(src), gold, src.name)
        pages.append(p)
        refs.extend(r)
    return pages, refs
