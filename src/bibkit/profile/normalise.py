"""Normalisers: the tagger's labelled spans -> one :class:`~bibkit.model.Entry`.

Each field has one small function that cleans what the tagger marked (names split and
parsed, the venue without "In:" and with its known full name, the year of publication,
volume/issue/pages apart, identifiers recognised) and :func:`entry_from` picks the CSL
type from the fields found.

>>> from .tagger import Span
>>> from .tokens import tokenize
>>> def sp(label, text): return Span(label, tokenize(text), 1.0)
>>> e = entry_from([sp("author", "Bee, A., & Dee, C."), sp("date", "(2021)."), sp("title", "Learning things."),
...                 sp("container-title", "Nature,"), sp("volume", "12(3),"), sp("pages", "4–9.")])
>>> e.type, [n.family for n in e.author], e.year, e.title, e.container_title, e.volume, e.issue, e.page
('article-journal', ['Bee', 'Dee'], 2021, 'Learning things', 'Nature', '12', '3', '4–9')
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import OTHERS, Date, Entry, Name
from .names import clean_author_text, parse_author_list, parse_name, split_author_list
from .tagger import Span
from .venues import lookup, venue_type

_EDGE = " \t,;:.-–—|•·/"
_QUOTES = "\"“”„‘’`«»*_'"
_YEAR_RE = re.compile(r"(?<![\d/.\-])(1[5-9]\d\d|20\d\d)(?![\d])")
_MONTHS = {m: k for k, ms in enumerate((
    ("jan", "january", "januar", "janvier", "enero"), ("feb", "february", "februar", "février", "febrero"),
    ("mar", "march", "märz", "mars", "marzo"), ("apr", "april", "avril", "abril"), ("may", "mai", "mayo"),
    ("jun", "june", "juni", "juin", "junio"), ("jul", "july", "juli", "juillet", "julio"),
    ("aug", "august", "août", "agosto"), ("sep", "sept", "september", "septembre", "septiembre"),
    ("oct", "october", "oktober", "octobre", "octubre"), ("nov", "november", "novembre", "noviembre"),
    ("dec", "december", "dezember", "décembre", "diciembre")), start=1) for m in ms}
_ETAL_RE = re.compile(r"[,;]?\s*(?:et\s*al\.?|and\s+others|u\.\s*a\.|etc\.?)\s*$", re.I)
_GROUP_RE = re.compile(r"\b(?:group|consortium|collaboration|investigators|team|committee|association|society|"
                       r"network|organi[sz]ation|council|institute|project|initiative|study|working)\b", re.I)
_EDITOR_WORDS_RE = re.compile(r"^\s*(?:in\s*:?|edited\s+by|ed\.\s+by|hrsg\.\s+von|herausgegeben\s+von)\s+|"
                              r"[,(\s]*\(?\b(?:eds?|editors?|hrsg|hg|dir|coord|org)\b\.?\)?[.,:;)]*\s*$", re.I)
_IN_RE = re.compile(r"^(?:in|in:|dans|en|em|im)\s+(?=\S)", re.I)
_PAGES_RE = re.compile(r"[A-Za-z]?\d+[A-Za-z]?(?:\s*[-–—]+\s*[A-Za-z]?\d+[A-Za-z]?)?")
_VOL_RE = re.compile(r"(?:vol(?:ume)?\.?|bd\.|v\.)?\s*([A-Za-z]?\d+[A-Za-z]?(?:[-–/]\d+)?)", re.I)
_ISSUE_RE = re.compile(r"(?:\(\s*([^()]{1,20}?)\s*\)|(?:no|nr|issue|n°|heft)\.?\s*([\w\-–/]+))", re.I)
_DOI_RE = re.compile(r"10\.\d{4,9}/[^\s\"<>]+")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.I)
_ARXIV_RE = re.compile(r"(?:arxiv[:\s]*(?:abs/)?)?(\d{4}\.\d{4,5})(?:v\d+)?|arxiv[:\s]*([a-z\-]+(?:\.[A-Z]{2})?/\d{7})",
                       re.I)
_ISBN_RE = re.compile(r"\b(?:97[89][\s-]?)?\d[\d\s-]{8,15}[\dXx]\b")
_STATUS = (
    ("under-review", re.compile(r"\bunder\s+(?:review|revision)|\bin\s+review\b|\brevis|\br\s*&\s*r\b|resubmi", re.I)),
    ("submitted", re.compile(r"\bsubmitted\b|\beingereicht\b", re.I)),
    ("accepted", re.compile(r"\baccepted\b|\bto\s+appear\b|\bin\s+press\b|\bforthcoming\b|\bim\s+druck\b", re.I)),
    ("preprint", re.compile(r"\bpreprint\b|\bin\s+prep|\bworking\s+paper\b|\bmanuscript\b", re.I)),
)


def _join(spans: Sequence[Span], label: str, first_only: bool = False) -> str:
    parts = [s.text for s in spans if s.label == label]
    if first_only:
        parts = parts[:1]
    return " ".join(parts)


def clean(text: str) -> str:
    """Text without surrounding punctuation, quotes or brackets, spaces collapsed."""
    t = " ".join(text.split())
    for _ in range(3):
        t = t.strip(_EDGE).strip(_QUOTES).strip()
        if t[:1] in "([" and t[-1:] in ")]" and t.count("(") + t.count("[") == 1:
            t = t[1:-1]
        elif t[:1] in "([" and t.count("(") + t.count("[") > t.count(")") + t.count("]"):
            t = t[1:]
        elif t[-1:] in ")]" and t.count(")") + t.count("]") > t.count("(") + t.count("["):
            t = t[:-1]
    return t


def clean_title(text: str) -> str:
    t = clean(text)
    t = re.sub(r"\s+\[(?:internet|online|preprint|abstract|pdf)\]$", "", t, flags=re.I)
    return t


# -- names -----------------------------------------------------------------------------------
def names(text: str) -> list[Name]:
    """Names from an author (or editor) span: inverted, given-first, Vancouver, groups, et al."""
    text = " ".join(text.split())
    text = re.sub(r"[*†‡§¶#✉📧💡]+|\^\S+|(?<=[a-z])\d+(?=[,\s]|$)", "", text)
    text = clean_author_text(text).strip(_EDGE + "(")
    if not text:
        return []
    others = bool(_ETAL_RE.search(text))
    if others:
        text = _ETAL_RE.sub("", text).strip(_EDGE)
    out = parse_author_list(text) if text else []
    if not out and text:
        out = []
        for piece in split_author_list(text):
            piece = piece.strip(_EDGE)
            if not piece:
                continue
            n = parse_name(piece)
            if n is None or _GROUP_RE.search(piece):
                n = Name(literal=piece)
            out.append(n)
    if len(out) == 1 and out[0].literal is None and _GROUP_RE.search(text) and len(text.split()) > 3:
        out = [Name(literal=text)]
    if others and not any(n.is_others for n in out):
        out.append(Name(literal=OTHERS))
    return out


def editors(text: str) -> list[Name]:
    t = text
    for _ in range(2):
        t = _EDITOR_WORDS_RE.sub("", t).strip()
    return names(t)


# -- dates, numbers, venue --------------------------------------------------------------------
def year_of(text: str) -> int | None:
    m = _YEAR_RE.search(text)
    return int(m.group(1)) if m else None


def date_of(text: str) -> Date | None:
    year = year_of(text)
    if year is None:
        return None
    month = None
    for w in re.findall(r"[^\W\d_]+", text.casefold()):
        if w in _MONTHS:
            month = _MONTHS[w]
            break
    return Date(year, month)


def volume_issue(text: str) -> tuple[str | None, str | None]:
    """'12(3)' -> ('12', '3'); 'Vol. 3, No. 2' -> ('3', '2')."""
    t = clean(text)
    issue = None
    m = _ISSUE_RE.search(t)
    if m:
        issue = clean(m.group(1) or m.group(2) or "") or None
        t = (t[:m.start()] + " " + t[m.end():]).strip(_EDGE)
    v = _VOL_RE.search(t)
    volume = v.group(1) if v else (clean(t) or None)
    if issue and not any(c.isdigit() for c in issue) and len(issue) > 10:
        issue = None
    return volume, issue


def pages(text: str) -> str | None:
    t = re.sub(r"^(?:pp?\.|pages?|s\.|seiten|art\.|article)\s*", "", clean(text), flags=re.I)
    m = _PAGES_RE.search(t)
    if not m:
        return clean(t) or None
    return re.sub(r"\s*[-–—]+\s*", "–", m.group(0))


def venue(text: str) -> str:
    t = clean(text)
    t = _IN_RE.sub("", t)
    t = re.sub(r"^(?:published\s+in|presented\s+at|appeared\s+in|to\s+appear\s+in|accepted\s+(?:to|at|by|in)|"
               r"submitted\s+to)\s+", "", t, flags=re.I)
    return clean(t)


def status_of(text: str) -> str | None:
    for status, rx in _STATUS:
        if rx.search(text):
            return status
    return None


def identifiers(text: str, entry: Entry) -> None:
    m = _DOI_RE.search(text)
    if m and not entry.doi:
        entry.doi = m.group(0).rstrip(".,;)")
        return
    m = _ARXIV_RE.search(text)
    if m and not entry.arxiv and ("arxiv" in text.casefold() or m.group(1)):
        entry.arxiv = m.group(1) or m.group(2)
        return
    m = _URL_RE.search(text)
    if m and not entry.url:
        entry.url = m.group(0).rstrip(".,;)")
        return
    if "isbn" in text.casefold() or _ISBN_RE.fullmatch(clean(text)):
        m = _ISBN_RE.search(text)
        if m and not entry.isbn:
            entry.isbn = m.group(0)


# -- the entry ---------------------------------------------------------------------------------
_THESIS_RE = re.compile(r"\b(?:thes[ie]s|dissertation|ph\.?\s?d|doctoral|master'?s?|m\.?sc|habilitation|"
                        r"diplomarbeit|doktorarbeit)\b", re.I)
_REPORT_RE = re.compile(r"\b(?:report|working\s+paper|technical|white\s+paper|memo|discussion\s+paper)\b", re.I)
_PATENT_RE = re.compile(r"\bpatent\b", re.I)
_PREPRINT_RE = re.compile(r"\b(?:arxiv|biorxiv|medrxiv|ssrn|preprint|corr|techrxiv|research\s+square)\b", re.I)


def csl_type(e: Entry, genre_text: str, all_text: str) -> str:
    """The CSL type the fields suggest."""
    probe = " ".join(filter(None, (genre_text, e.container_title or "", e.publisher or "")))
    if _PATENT_RE.search(probe) or _PATENT_RE.search(all_text[:200]):
        return "patent"
    if _THESIS_RE.search(genre_text) or (not e.container_title and _THESIS_RE.search(probe)):
        return "thesis"
    if e.arxiv or (e.container_title and _PREPRINT_RE.search(e.container_title)):
        return "article"
    if _REPORT_RE.search(genre_text) or (not e.container_title and _REPORT_RE.search(probe)):
        return "report"
    if e.container_title:
        if e.editor or (e.publisher and not e.volume and not _is_periodical(e.container_title)):
            vt = venue_type(e.container_title)
            return "paper-conference" if vt == "paper-conference" else "chapter"
        vt = venue_type(e.container_title)
        if vt in ("article-journal", "paper-conference", "article", "chapter", "thesis", "report", "patent"):
            return vt
        if vt == "book":
            return "chapter"
        return "article-journal" if (e.volume or e.page) else "paper-conference" if lookup(
            e.container_title) else "article-journal"
    if e.status in ("submitted", "under-review", "preprint"):
        return "manuscript"
    if e.publisher or e.isbn or e.edition:
        return "book"
    if e.url and not e.title:
        return "webpage"
    return "article-journal" if e.volume else "document"


def _is_periodical(name: str) -> bool:
    return venue_type(name) == "article-journal"


def entry_from(spans: Sequence[Span], section_type: str | None = None, section_status: str | None = None) -> Entry:
    """An entry from an entry's labelled spans."""
    e = Entry()
    e.author = names(_join(spans, "author"))
    title = clean_title(_join(spans, "title", first_only=True))
    e.title = title or None
    container = venue(_join(spans, "container-title", first_only=True))
    tag_text = _join(spans, "citation-number")
    e.editor = editors(_join(spans, "editor"))
    date_text = _join(spans, "date")
    e.issued = date_of(date_text) or None
    status_text = " ".join(filter(None, (_join(spans, "status"), date_text)))
    e.status = status_of(status_text) or section_status
    if container:
        e.container_title = container
    elif tag_text:
        from .fields import _tag_year  # "[NeurIPS'23]": the venue and year a tag names

        tagged = _tag_year(tag_text)
        if tagged and lookup(tagged[0]) is not None:
            e.container_title = tagged[0]
            if e.issued is None:
                e.issued = Date(tagged[1])
    vol_text = _join(spans, "volume")
    if vol_text:
        e.volume, e.issue = volume_issue(vol_text)
    page_text = _join(spans, "pages")
    if page_text:
        e.page = pages(page_text)
    e.publisher = clean(_join(spans, "publisher", first_only=True)) or None
    e.publisher_place = clean(_join(spans, "location", first_only=True)) or None
    e.edition = clean(_join(spans, "edition")) or None
    genre_text = _join(spans, "genre")
    e.genre = clean(genre_text) or None
    note = clean(_join(spans, "note"))
    if note:
        e.note = note
    for s in spans:
        if s.label == "identifier" or (s.label in ("note", "other") and (_DOI_RE.search(s.text)
                                                                          or _URL_RE.search(s.text))):
            identifiers(s.text, e)
    if e.issued is None:  # a year elsewhere: in a status ("accepted 2024"), a venue ("NeurIPS 2023"), a note
        for s in spans:
            if s.label in ("status", "container-title", "note", "other", "volume"):
                y = year_of(s.text)
                if y:
                    e.issued = Date(y)
                    break
    if e.container_title and e.issued and re.search(r"['’‘]\d\d$|\s(?:19|20)\d\d$", e.container_title):
        e.container_title = clean(re.sub(r"\s*(?:['’‘]\d\d|(?:19|20)\d\d)$", "", e.container_title))
    all_text = " ".join(s.text for s in spans)
    e.type = csl_type(e, genre_text, all_text)
    if section_type and e.type in ("document", "article-journal") and not e.container_title:
        e.type = section_type
    if e.type == "article" and e.status is None and _PREPRINT_RE.search(e.container_title or ""):
        e.status = "preprint"
    return e
