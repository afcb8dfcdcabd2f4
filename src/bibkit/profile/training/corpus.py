"""Labelled references: read, unify, deduplicate, split.

A :class:`Reference` is one reference string cut into consecutive labelled segments
(AnyStyle's shape): joining the segment texts with spaces gives the string back. Labels
are bibkit's field labels (:data:`FIELD_LABELS`); each source's own labels are mapped on
reading (the maps live in ``data/training_labels.json``).

Readers:

- AnyStyle ``<dataset><sequence><author>..</author>..</sequence></dataset>`` XML, which
  is also the format bibkit writes for users to correct (:func:`write_xml`);
- GROBID's citation corpus (``<bibl>`` in mixed content, TEI namespace or not).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

from ..lines import B_OFF, B_ON, I_OFF, I_ON, L_OFF, L_ON, MARKS

#: the field tagger's labels, in a fixed order
FIELD_LABELS = (
    "author", "title", "container-title", "editor", "date", "volume", "pages", "publisher", "location",
    "edition", "genre", "status", "note", "identifier", "citation-number", "other",
)


@dataclass
class Reference:
    """One labelled reference string."""

    segments: list[tuple[str, str]]  # (label, text), in order
    source: str = ""  # corpus name: "anystyle-core", "grobid", "synth-csl", "user"...
    origin: str = ""  # file (and position) it came from
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return " ".join(t for _, t in self.segments)

    def tokens(self) -> list[tuple[str, str]]:
        """(token, label) pairs: every whitespace token of a segment gets its label."""
        return [(tok, label) for label, text in self.segments for tok in text.split()]

    def field(self, label: str) -> str:
        """All segment texts with ``label`` joined by a space."""
        return " ".join(t for lab, t in self.segments if lab == label)


@cache
def label_maps() -> dict[str, dict[str, str]]:
    """Per source format: its label -> bibkit's label (``data/training_labels.json``)."""
    path = resources.files("bibkit").joinpath("data/training_labels.json")
    return json.loads(path.read_text(encoding="utf-8"))


def _space(text: str) -> str:
    return " ".join(text.split())


# -- AnyStyle XML (and bibkit's own) ------------------------------------------------------
#: emphasis markers of :mod:`..lines` <-> the elements bibkit writes for them inside a segment
_MARK_TAGS = {"b": (B_ON, B_OFF), "i": (I_ON, I_OFF), "a": (L_ON, L_OFF)}
_TAG_OF = {m: (tag, k == 0) for tag, pair in _MARK_TAGS.items() for k, m in enumerate(pair)}


def _marked_text(el: etree._Element) -> str:
    """A segment element's text, its ``<b>``, ``<i>``, ``<a>`` children as emphasis markers again
    (any other child element counts for its text)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            on, off = _MARK_TAGS.get(child.tag, ("", ""))
            parts.append(on + _marked_text(child) + off)
        parts.append(child.tail or "")
    return "".join(parts)


def read_xml(path: str | Path, source: str | None = None, *, strict: bool = False) -> list[Reference]:
    """Read AnyStyle-style ``<dataset><sequence>`` XML (AnyStyle's labels or bibkit's); ``<b>``,
    ``<i>`` and ``<a>`` inside a segment become the emphasis markers of :mod:`..lines`.

    A file that is not well-formed raises :class:`~bibkit.errors.InputError` naming the line;
    with ``strict`` (a user's corrections) so does a label that is neither bibkit's nor AnyStyle's
    (rather than reading it as ``other``).
    """
    from ...errors import InputError

    path = Path(path)
    amap = label_maps()["anystyle"]
    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not well-formed XML: {exc.msg}", source=str(path), line=exc.lineno) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc}", source=str(path)) from None
    out = []
    for i, seq in enumerate(tree.getroot().iter("sequence")):
        segs: list[tuple[str, str]] = []
        for el in seq:
            if not isinstance(el.tag, str):
                continue
            if strict and el.tag not in FIELD_LABELS and el.tag not in amap:
                raise InputError(f"unknown field label <{el.tag}> (known: {', '.join(FIELD_LABELS)})",
                                 source=str(path), line=el.sourceline)
            text = _space(_marked_text(el))
            if not text:
                continue
            label = el.tag if el.tag in FIELD_LABELS else amap.get(el.tag, "other")
            segs.append((label, text))
        if segs:
            out.append(Reference(segs, source or f"anystyle-{path.stem}", f"{path.name}#{i + 1}"))
    return out


_MARK_RUN = re.compile(f"([{B_OFF}{I_OFF}{L_OFF}])(\\s+)([{B_ON}{I_ON}{L_ON}])")
_MARK_SPLIT = re.compile(f"([{re.escape(MARKS)}])")


def marks_to_xml(text: str) -> str:
    r"""Escaped XML for a segment's text, its emphasis markers as ``<b>``, ``<i>``, ``<a>``
    elements (well nested: an element still open where another closes is closed and opened
    again; unmatched ones are dropped; all are closed at the end); bold words in a row are one
    element.

    >>> marks_to_xml("\ue000A. Bee\ue001 \ue000& C.\ue001 \ue002Title\ue003")
    '<b>A. Bee &amp; C.</b> <i>Title</i>'
    """
    while True:  # "</b> <b>" -> " " (repeat: "</i></b> <b><i>" needs two passes)
        joined = _MARK_RUN.sub(lambda m: m.group(2) if _TAG_OF[m.group(1)][0] == _TAG_OF[m.group(3)][0]
                               else m.group(0), text)
        if joined == text:
            break
        text = joined
    out: list[str] = []
    stack: list[str] = []
    for piece in _MARK_SPLIT.split(text):
        if piece not in _TAG_OF:
            out.append(escape(piece))
            continue
        tag, opens = _TAG_OF[piece]
        if opens:
            if tag not in stack:
                stack.append(tag)
                out.append(f"<{tag}>")
        elif tag in stack:
            reopen = stack[stack.index(tag) + 1:]
            out.extend(f"</{t}>" for t in reversed(stack[stack.index(tag):]))
            del stack[stack.index(tag):]
            out.extend(f"<{t}>" for t in reopen)
            stack.extend(reopen)
    out.extend(f"</{t}>" for t in reversed(stack))
    return re.sub(r"<(\w)></\1>", "", "".join(out))


def write_xml(refs: Iterable[Reference], path: str | Path) -> None:
    """Write references as editable labelled XML (the format :func:`read_xml` reads), emphasis
    as ``<b>``/``<i>``/``<a>`` inside the segment elements; a comment before each sequence says
    where the reference came from (``page.md:12``)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f"<!-- field labels: {', '.join(FIELD_LABELS)}; <b>, <i>, <a>: bold, italic, link text -->",
             "<dataset>"]
    for ref in refs:
        if ref.origin:
            lines.append(f"  <!-- {escape(ref.origin).replace('--', '- -')} -->")
        lines.append("  <sequence>")
        lines.extend(f"    <{label}>{marks_to_xml(text)}</{label}>" for label, text in ref.segments)
        lines.append("  </sequence>")
    lines.append("</dataset>")
    from ...fsio import write_text_atomic

    write_text_atomic(path, "\n".join(lines) + "\n")


# -- GROBID TEI -----------------------------------------------------------------------------
_OPEN = re.compile(r"^[(\[{“\"‘]+$")
_PUNCT = re.compile(r"^[\W_]+$")


def _grobid_label(el: etree._Element) -> str:
    gmap = label_maps()["grobid"]
    tag = etree.QName(el).localname.lower()
    attrs = {k.split("}")[-1]: v for k, v in el.attrib.items()}
    for key in (f"{tag}.{attrs.get('level', '')}", f"{tag}.{attrs.get('type', '')}",
                f"{tag}.{attrs.get('unit', '')}", tag):
        if key in gmap:
            return gmap[key]
    return "other"


def _grobid_bibl(bibl: etree._Element) -> list[tuple[str, str]]:
    """Mixed content -> segments; unlabelled separators join their neighbours as AnyStyle does."""
    pieces: list[tuple[str | None, str]] = []

    def add(label: str | None, text: str) -> None:
        text = _space(text)
        if text:
            pieces.append((label, text))

    add(None, bibl.text or "")
    for el in bibl:
        if isinstance(el.tag, str):
            name = etree.QName(el).localname.lower()
            if name == "lb":
                pass
            else:
                add(_grobid_label(el), "".join(el.itertext()))
        add(None, el.tail or "")
    # a title level=m is the container when there is also an article title
    labels = [lab for lab, _ in pieces]
    if "title" in labels and labels.count("title") > 1:
        seen = False
        for k, (lab, text) in enumerate(pieces):
            if lab == "title":
                if seen:
                    pieces[k] = ("container-title", text)
                seen = True
    segs: list[list[str]] = []  # [label, text]
    pending = ""  # opening brackets / words waiting for the next segment
    for k, (lab, text) in enumerate(pieces):
        if lab is not None:
            glue = "" if not pending or _OPEN.match(pending.split()[-1]) else " "
            segs.append([lab, pending + glue + text if pending else text])
            pending = ""
            continue
        # unlabelled separator text
        words = text.split()
        trail: list[str] = []
        while words and _OPEN.match(words[-1]):
            trail.insert(0, words.pop())
        lead: list[str] = []
        while words and _PUNCT.match(words[0]) and segs:
            lead.append(words.pop(0))
        if lead:
            segs[-1][1] += (" " if lead[0][:1] in "([" else "") + " ".join(lead)
        if words and segs and segs[-1][0] == "editor":
            segs[-1][1] += " " + " ".join(words)  # "(eds.)", "editors," belong to the editors
            words = []
        if words:
            nxt = pieces[k + 1][0] if k + 1 < len(pieces) else None
            if nxt in ("volume", "pages", "container-title", "editor", "date") and len(words) <= 3:
                trail = words + trail
            else:
                segs.append(["other", " ".join(words)])
        pending = " ".join(trail)
    if pending and segs:
        segs[-1][1] += " " + pending
    # glue punctuation-only tokens written with a space before them back onto the segment
    return [(lab, _space(text)) for lab, text in segs if text.strip()]


def read_grobid(path: str | Path, source: str = "grobid") -> list[Reference]:
    """Read one GROBID citation-corpus file (``<citations>`` or TEI ``<listBibl>``)."""
    path = Path(path)
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                                                  recover=True))
    out = []
    for i, bibl in enumerate(el for el in tree.iter() if isinstance(el.tag, str)
                             and etree.QName(el).localname in ("bibl", "biblStruct")):
        segs = _grobid_bibl(bibl)
        if segs:
            out.append(Reference(segs, source, f"{path.name}#{i + 1}"))
    return out


# -- sets -----------------------------------------------------------------------------------
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).casefold()
    return re.sub(r"[\W_]+", "", text)


def text_key(ref: Reference) -> str:
    """Identity of a reference string for deduplication (case, spacing, punctuation folded)."""
    return hashlib.blake2b(_fold(ref.text).encode(), digest_size=10).hexdigest()


def dedupe(refs: Iterable[Reference]) -> list[Reference]:
    """First occurrence of each reference text wins (sources overlap: AnyStyle files with
    each other, GROBID's ``citations.xml`` with AnyStyle)."""
    seen: set[str] = set()
    out = []
    for ref in refs:
        key = text_key(ref)
        if key not in seen:
            seen.add(key)
            out.append(ref)
    return out


def split(refs: list[Reference], held_out: float = 0.15, seed: int = 13) -> tuple[list[Reference], list[Reference]]:
    """(train, test): a stable split by text hash, so a reference stays on its side however
    the set grows; ``seed`` picks another partition."""
    train: list[Reference] = []
    test: list[Reference] = []
    for ref in refs:
        h = int(hashlib.blake2b(f"{seed}:{text_key(ref)}".encode(), digest_size=4).hexdigest(), 16)
        (test if h / 2**32 < held_out else train).append(ref)
    return train, test


def training_dir() -> Path:
    """The repository's ``training/`` folder (beside ``src/``), where the corpora live."""
    return Path(__file__).resolve().parents[4] / "training"


def read_corpus(root: str | Path | None = None) -> list[Reference]:
    """Every labelled reference under ``root`` (default :func:`training_dir`):
    ``anystyle/*.xml``, ``grobid/*.xml``, ``user/*.xml``; deduplicated across sources."""
    root = Path(root) if root else training_dir()
    refs: list[Reference] = []
    for path in sorted((root / "anystyle").glob("*.xml")):
        refs.extend(read_xml(path))
    for path in sorted((root / "grobid").glob("*.xml")):
        refs.extend(read_grobid(path))
    for path in sorted((root / "user").glob("*.xml")):
        refs.extend(read_xml(path, source="user"))
    return dedupe(refs)


def by_source(refs: Iterable[Reference]) -> dict[str, list[Reference]]:
    out: dict[str, list[Reference]] = {}
    for ref in refs:
        out.setdefault(ref.source, []).append(ref)
    return out
