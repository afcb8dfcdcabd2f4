"""Normalisation and blocking keys.

Every entry is normalised once into a compact :class:`Norm` record (folded title,
author keys, identifiers, venue kind, pages, flags); the rules compare ``Norm``
records only, and the blocking keys are computed from them.

>>> fold_text(r"Die {\\"U}bersetzung -- eine <i>Einf\\"uhrung</i>")
'die ubersetzung eine einfuhrung'
>>> normalize_title("[A study on vaccines in pleurisy]. [Chinese]")
'a study on vaccines in pleurisy'
>>> normalize_doi("https://doi.org/10.1000/ABC.1.")
'10.1000/abc.1'
>>> normalize_arxiv("arXiv:2101.00001v3")
'2101.00001'
>>> normalize_isbn("0-306-40615-2")
'9780306406157'
>>> parse_pages("1297-306")
('1297', '1306')
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from functools import cache, lru_cache
from importlib import resources

from ..ids import normalize_arxiv, normalize_doi, normalize_isbn
from ..model import Entry, Name

# -- data tables -------------------------------------------------------------------


@cache
def tables() -> dict:
    """The dedupe data tables (``src/bibkit/data/dedupe.json``)."""
    text = resources.files("bibkit").joinpath("data").joinpath("dedupe.json").read_text(encoding="utf-8")
    data = json.loads(text)
    data["generic_titles"] = frozenset(data["generic_titles"])
    data["stopwords"] = frozenset(data["stopwords"])
    data["venue_stopwords"] = frozenset(data["venue_stopwords"])
    return data


# -- text folding --------------------------------------------------------------------
_ASCII_FOLD = bytes((c + 32 if 65 <= c <= 90 else c) if chr(c).isalnum() and c < 128 else 32 for c in range(256))
_TAGS = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_NONWORD = re.compile(r"[\W_]+", re.UNICODE)
_SPECIAL = str.maketrans({
    "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d",
    "Đ": "d", "ð": "d", "þ": "th", "ı": "i", "’": "'", "‘": "'", "–": " ", "—": " ",
})


@lru_cache(maxsize=65536)
def _latex_to_text(text: str) -> str:
    from pylatexenc.latex2text import LatexNodes2Text

    try:
        return LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True).latex_to_text(text)
    except Exception:  # malformed LaTeX: drop the markup characters
        return re.sub(r"\\[A-Za-z]+|[{}\\$]", "", text)


def plain_text(text: str) -> str:
    """``text`` without LaTeX and HTML markup (accents resolved)."""
    if "<" in text:
        text = _TAGS.sub("", text)
    if "&" in text and ";" in text:
        import html

        text = html.unescape(text)
    if "\\" in text or "{" in text or "$" in text:
        # a bare "%" in a field value is text, not a LaTeX comment eating the rest of the value
        text = _latex_to_text(_BARE_PERCENT.sub(r"\\%", text) if "%" in text else text)
    return text


_BARE_PERCENT = re.compile(r"(?<!\\)%")


def fold_text(text: str | None) -> str:
    """Lower case, no markup, no diacritics, words separated by single spaces.

    >>> fold_text(r"{GPU} speed-ups of 50% for \\'{e}tudes")
    'gpu speed ups of 50 for etudes'
    """
    if not text:
        return ""
    text = plain_text(text)
    if not text.isascii():
        text = text.translate(_SPECIAL)
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        if not text.isascii():
            return " ".join(_NONWORD.sub(" ", text.casefold()).split())
    # ASCII fast path: one C-level byte translation (lower case, punctuation -> space)
    return " ".join(text.encode("ascii").translate(_ASCII_FOLD).decode("ascii").split())


_ALT_TITLE = re.compile(r"\[([^\[\]]{12,})\]\s*\.?\s*$")
_TRAILING_NOTE = re.compile(r"\s*\[[^\[\]]*\]\s*\.?\s*$")
_LEADING_BRACKET = re.compile(r"^\s*\[(.*)\]\s*\.?\s*$", re.S)
_TRAILING_PAREN_NOTE = re.compile(r"\s*\((?:author'?s'? transl|[a-z ]*\blanguage\b[a-z ]*)\)\s*\.?\s*$", re.I)


_INLINE_NOTE = re.compile(r"\s*\[(?:corrected|sic)\]", re.I)
_DB_NOTE = re.compile(r"\s*\[(?:erratum|published erratum|corrected|comment|retracted|retraction|review|see comment|"
                      r"summary for patients)\b.*$", re.I | re.S)


def strip_title_notes(title: str) -> str:
    """Remove database notes around a title: ``[Chinese]``, ``[Review] [45 refs]``,
    ``[Erratum appears in ...]``, the brackets of a translated title.

    >>> strip_title_notes("Effect of X.[Erratum appears in J Y 2006;1:2]")
    'Effect of X.'
    """
    if "[" in title:
        title = _INLINE_NOTE.sub("", title)
        title = _DB_NOTE.sub("", title) or title
        prev = None
        while prev != title and "[" in title:
            prev = title
            stripped = _TRAILING_NOTE.sub("", title)
            if stripped.strip():
                title = stripped
        m = _LEADING_BRACKET.match(title)
        if m and "[" not in m.group(1) and "]" not in m.group(1):
            title = m.group(1)
    if title.rstrip(" .").endswith(")"):
        title = _TRAILING_PAREN_NOTE.sub("", title)
    return title.strip()


@lru_cache(maxsize=4096)
def _cached_title(title: str) -> str:
    return fold_text(strip_title_notes(title))


def normalize_title(title: str | None) -> str:
    """The folded title used for matching (see :func:`fold_text`)."""
    if not title:
        return ""
    return _cached_title(title) if len(title) < 40 else fold_text(strip_title_notes(title))


# -- names ---------------------------------------------------------------------------
def name_key(name: Name) -> tuple[str, str]:
    """(family key, first initial) of a name; tolerant of hyphens, particles, accents.

    >>> name_key(Name(family="Sberro-Soussan", given="R."))
    ('sberrosoussan', 'r')
    >>> name_key(Name(family="Quintrec", particle="Le", given="Moglie"))
    ('quintrec', 'm')
    >>> name_key(Name(family="Par{\\'e}", given="G.")), name_key(Name(family="O'Brien", given="Flann"))
    (('pare', 'g'), ('obrien', 'f'))
    """
    if name.literal:
        return (fold_text(name.literal).replace(" ", ""), "")
    fam = fold_text(plain_text(name.family or "").replace("-", "").replace("'", "").replace("’", ""))
    words = fam.split()
    given = fold_text(name.given)
    return (words[-1] if words else "", given[:1])


_GROUP = re.compile(r"\b(group|groups|study|trial|committee|consortium|investigators|collaborat\w*|network|"
                    r"association|society|organi[sz]ation|council|inc|ltd|team|working)\b", re.I)


def is_group(name: Name) -> bool:
    """A corporate or group author ("ALTS Group", "Group, ALTS", "Alexion Pharmaceuticals Inc")."""
    text = name.literal or f"{name.family or ''} {name.given or ''}"
    return bool(_GROUP.search(text))


@lru_cache(maxsize=1 << 18)
def _name_info(family: str | None, given: str | None, particle: str | None, literal: str | None
               ) -> tuple[str, str, tuple[str, ...]] | None:
    """(family key, initial, given-name words) of one name, None for group authors; cached, names recur."""
    name = Name(family=family, given=given, particle=particle, literal=literal)
    if name.is_others or is_group(name):
        return None
    fam, ini = name_key(name)
    if not fam or fam in ("unknown", "anonymous", "anon"):
        return None
    words = tuple(w for w in fold_text(given).split() if len(w) > 1) if given and not literal else ()
    return (sys.intern(fam), ini, words)


def author_infos(names: list[Name]) -> list[tuple[str, str, tuple[str, ...]]]:
    out = []
    for n in names:
        info = _name_info(n.family, n.given, n.particle, n.literal)
        if info is not None:
            out.append(info)
    return out


def author_keys(names: list[Name]) -> tuple[tuple[str, str], ...]:
    """(family key, initial) of the personal authors (group authors and "others" left out)."""
    return tuple((fam, ini) for fam, ini, _ in author_infos(names))


# -- identifiers: see bibkit.ids ----------------------------------------------------


@cache
def _preprint_doi_re() -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in tables()["preprint_doi_patterns"]))


def is_preprint_doi(doi: str) -> bool:
    return bool(_preprint_doi_re().match(doi))


def arxiv_of(entry: Entry) -> str:
    """The arXiv id of an entry, from its arxiv field, a 10.48550 DOI, its URL or eprint field."""
    if entry.arxiv:
        return normalize_arxiv(entry.arxiv)
    doi = normalize_doi(entry.doi)
    if doi.startswith("10.48550/arxiv."):
        return normalize_arxiv(doi[len("10.48550/arxiv."):])
    if entry.url and "arxiv.org/" in entry.url:
        return normalize_arxiv(entry.url.split("arxiv.org/", 1)[1])
    eprint = entry.extra.get("eprint")
    if eprint and entry.extra.get("archiveprefix", "arxiv").lower() == "arxiv":
        return normalize_arxiv(eprint)
    for text in (entry.container_title, entry.number, entry.note):  # "arXiv preprint arXiv:2101.00001"
        if text and "arxiv" in text.lower():
            found = normalize_arxiv(text)
            if found:
                return found
    return ""


# -- pages, numbers ------------------------------------------------------------------
_PAGE_RANGE = re.compile(r"^\s*([A-Za-z]*\d+[A-Za-z]?)\s*(?:[-–—‐]+|\bto\b)\s*([A-Za-z]*\d+[A-Za-z]?)\s*$")
_UNKNOWN = frozenset({"", "unknown", "n/a", "na", "none", "null", "nan", "-", "?"})


def clean_value(value: str | None) -> str:
    if not value:
        return ""
    text = value.strip().lower()
    return "" if text in _UNKNOWN else text


_PAGE_TOKEN = re.compile(r"^(?:[a-z]{1,2}|[ivxlc]+)?(\d+)$")
_ROMAN_PAGE = re.compile(r"^[ivxlc]+$")


def _page_number(token: str) -> str:
    """The digits of a page ("S417" -> "417", "e12724" -> "12724"), roman front-matter pages as they
    are; '' for garbage like "Suppl"."""
    m = _PAGE_TOKEN.match(token)
    if not m:
        return token if _ROMAN_PAGE.match(token) else ""
    return m.group(1).lstrip("0") or "0"


# compiled once (a pattern given as a string is looked up in re's cache at every call: millions of records)
_PP = re.compile(r"^(?:pp?\.?\s*)")
_PAGE_SEP = re.compile(r"[-–—,;\s+]")
_DIGITS = re.compile(r"\d+")


def parse_pages(page: str | None) -> tuple[str, str]:
    """(first, last) page numbers, the last expanded when abbreviated ("1297-306" -> 1306).

    Letter prefixes of supplement and electronic pages are dropped; unreadable pages and
    ranges that end before they start give ``("", "")``.
    """
    text = clean_value(page)
    if not text:
        return ("", "")
    text = text.strip("\"'[]() ")
    text = _PP.sub("", text)
    m = _PAGE_RANGE.match(text)
    if not m:
        first = _page_number(_PAGE_SEP.split(text, maxsplit=1)[0])
        return (first, "")
    first, last = _page_number(m.group(1)), _page_number(m.group(2))
    if not first:
        return ("", "")
    if not (first.isdigit() and last.isdigit()):
        return (first, last)
    if last and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    if last and int(last) < int(first):
        return ("", "")
    return (first, last)


def number_of(value: str | None) -> str:
    """A volume/edition/chapter as digits ("2nd" -> "2", "second" -> "2"); '' when it has none.

    >>> number_of("2nd ed."), number_of("Second"), number_of("(Jul)")
    ('2', '2', '')
    """
    text = clean_value(value)
    if not text:
        return ""
    m = _DIGITS.search(text)
    if m:
        return m.group(0).lstrip("0") or "0"
    words = {"first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5", "sixth": "6",
             "seventh": "7", "eighth": "8", "ninth": "9", "tenth": "10"}
    return words.get(text.split()[0], "")


# -- venues --------------------------------------------------------------------------
_CONF = re.compile(r"\b(proc|proceedings|conference|conf|symposium|symp|workshop|congress|meeting|icis|ecis|amcis|"
                   r"pacis|hicss)\b")
_PREPRINT_VENUE = re.compile(r"\b(arxiv|biorxiv|medrxiv|ssrn|preprints?|research square|techrxiv|chemrxiv|osf)\b")

#: venue kinds
JOURNAL, CONFERENCE, BOOK, CHAPTER, THESIS, REPORT, PREPRINT, OTHER = (
    "journal", "conference", "book", "chapter", "thesis", "report", "preprint", "other")

_TYPE_KIND = {
    "article-journal": JOURNAL, "article-magazine": JOURNAL, "article-newspaper": JOURNAL, "review": JOURNAL,
    "paper-conference": CONFERENCE, "book": BOOK, "chapter": CHAPTER, "entry-encyclopedia": CHAPTER,
    "entry-dictionary": CHAPTER, "thesis": THESIS, "report": REPORT, "manuscript": PREPRINT, "speech": "talk",
    "dataset": "dataset", "software": "software", "patent": "patent", "standard": "standard",
    "review-book": "review",
}

#: kinds that are works of their own: a talk, a dataset or software is never the paper it goes with
SEPARATE_KINDS = frozenset({"talk", "dataset", "software", "patent", "standard", "review", THESIS})

# -- flags ---------------------------------------------------------------------------
ERRATUM, REPLY, EDITORIAL, GENERIC, PREPRINT_F, RETRACTION, SUPPLEMENT, TRANSLATED = 1, 2, 4, 8, 16, 32, 64, 128
#: the page is an electronic article number ("c1804" in the BMJ, "e12724"), not a printed page
ELOCATOR = 256
#: a letter and three digits or more, alone: "S417" is a supplement's printed page, not an article number
_ELOCATOR = re.compile(r"^(?:pp?\.?\s*)?[a-rt-z]\d{3,}$")
_SUPPLEMENT = re.compile(r"\b(suppl\w*|supporting|companion) (material|materials|information|data|files?)\b|"
                         r"\bonline (appendix|supplement)\b")
_SUPPLEMENT_URL = re.compile(r"[/_.-]supp(l\w*)?[/_.-]|supplementary", re.I)
_ERRATUM = re.compile(r"^(erratum|errata|corrigendum|corrigenda|correction(?! of\b)|corrections|addendum|"
                      r"publisher s note|author correction|notice of correction)\b")
# Erratum records that repeat the corrected title followed by its citation: Web of Science
# "(vol 360, pg 542, 2009)", Embase "(New England Journal of Medicine (2009) 360 (542-544))"
_WOS_ERRATUM = re.compile(r"\s*(?:\(\s*vol\.?\s*\d+\s*,\s*pg\.?\s*\w+\s*,\s*\d{4}\s*\)|"
                          r"\([^()]{3,200}\(\s*(?:1[89]|20)\d\d\s*\)\s*\d+[^()]{0,20}\([^()]*\d[^()]*\)[^()]{0,200}\))"
                          r"\s*\.?\s*$", re.I)
_ERRATUM_HEAD = re.compile(r"^(?:erratum|errata|corrigendum|corrigenda|correction|corrections|addendum|"
                           r"publisher s note|author correction|notice of correction)(?: to| on| for| in)?"
                           r"(?: the article| article)? ")
_RE_COLON = re.compile(r"\s*re\s*:", re.I)
_RETRACTION = re.compile(r"^(retraction|retracted|notice of retraction|withdrawn|expression of concern)\b")
_REPLY = re.compile(r"^(reply|in reply|response to|responses to|authors? reply|the authors reply|rebuttal|comment on|"
                    r"comments on|commentary on|letter to the editor|discussion of)\b|\b(a reply|reply to|"
                    r"comment on|rejoinder)\b|\breply$")
_EDITORIAL = re.compile(r"^(editorial|editor s|editors|guest editor|from the editor|introduction to the special)\b|"
                        r"\beditor s (comments|note|notes|introduction|letter)\b")


@lru_cache(maxsize=1 << 16)
def _fold_venue(venue: str) -> str:
    return sys.intern(fold_text(venue))


_ERRATUM_HEADS = frozenset({"erratum", "errata", "corrigendum", "corrigenda", "correction", "corrections",
                            "addendum", "publisher", "author", "notice"})
_RETRACTION_HEADS = frozenset({"retraction", "retracted", "notice", "withdrawn", "expression"})
_REPLY_WORDS = frozenset({"reply", "response", "responses", "rebuttal", "comment", "comments", "commentary", "re",
                          "letter", "discussion", "rejoinder"})
_EDITORIAL_WORDS = frozenset({"editorial", "editor", "editors", "introduction"})
_SUPPLEMENT_WORDS = frozenset({"material", "materials", "information", "data", "file", "files", "appendix",
                               "supplement"})


def _is_supplement_link(entry: Entry) -> bool:
    """A misc record pointing at supplementary material (".../supp/...")."""
    for text in (entry.url, entry.note, entry.extra.get("howpublished")):
        if text and _SUPPLEMENT_URL.search(text):
            return True
    return False


class Norm:
    """The normalised view of one entry that the rules compare."""

    __slots__ = (
        "alt",
        "arxiv",
        "authors",
        "chapter",
        "doi",
        "edition",
        "first",
        "flags",
        "idx",
        "isbn",
        "issue",
        "kind",
        "last",
        "names",
        "number",
        "title",
        "venue",
        "volume",
        "year",
    )

    def __init__(self, idx: int, entry: Entry):
        self.idx = idx
        title = entry.title or ""
        self.title = normalize_title(title)
        # a title in brackets after the title is usually the original-language one
        alt = _ALT_TITLE.search(title) if "[" in title else None
        self.alt = fold_text(alt.group(1)) if alt and alt.group(1).count(" ") >= 3 else ""
        tab = tables()
        infos = author_infos(entry.author) or author_infos(entry.editor)
        self.authors = tuple((fam, ini) for fam, ini, _ in infos)
        # words of the given names, to recognise swapped given/family names ("Kang Si Hyun")
        self.names = tuple({w for _, _, words in infos for w in words})
        self.year = entry.year
        self.doi = normalize_doi(entry.doi)
        self.arxiv = arxiv_of(entry)
        self.isbn = normalize_isbn(entry.isbn)
        self.volume = number_of(entry.volume)
        if self.volume and self.year and self.volume == str(self.year):
            self.volume = ""  # a year given as volume says nothing
        self.issue = clean_value(entry.issue)
        self.first, self.last = parse_pages(entry.page)
        self.edition = number_of(entry.edition)
        self.number = clean_value(entry.number)
        self.chapter = number_of(entry.extra.get("chapter"))
        venue = _fold_venue(entry.container_title or entry.event or "")
        self.venue = venue
        flags = 0
        kind = _TYPE_KIND.get(entry.type, OTHER)
        if entry.status == "preprint" or self.arxiv or (self.doi and is_preprint_doi(self.doi)) or (
                venue and _PREPRINT_VENUE.search(venue)) or (
                self.arxiv and not venue and not self.doi):
            flags |= PREPRINT_F
            if not venue or _PREPRINT_VENUE.search(venue) or kind in (OTHER, PREPRINT):
                kind = PREPRINT
        elif kind == OTHER and venue and _CONF.search(venue):
            kind = CONFERENCE
        self.kind = kind
        t = self.title
        words = t.split()
        head = words[0] if words else ""
        if head in _ERRATUM_HEADS and _ERRATUM.match(t):
            flags |= ERRATUM
            rest = _ERRATUM_HEAD.sub("", t, count=1)
            if rest.count(" ") >= 2:  # "Erratum to: <title>": compare the corrected title
                self.title = rest
        elif title.rstrip(" .").endswith(")"):
            cited = _WOS_ERRATUM.search(title)
            if cited and cited.start() > 0:
                flags |= ERRATUM
                # compare the corrected title without its citation (the same erratum in two databases)
                self.title = t = normalize_title(title[:cited.start()])
                words = t.split()
                head = words[0] if words else ""
        if head in _RETRACTION_HEADS and _RETRACTION.match(t):
            flags |= RETRACTION
        if (not _REPLY_WORDS.isdisjoint(words) and _REPLY.search(t)) or (head == "re" and _RE_COLON.match(title)):
            flags |= REPLY  # "Re: <title>" is a letter on a paper; "Re-engineering ..." is not
        if not _EDITORIAL_WORDS.isdisjoint(words) and _EDITORIAL.search(t):
            flags |= EDITORIAL
        if (not _SUPPLEMENT_WORDS.isdisjoint(words) and _SUPPLEMENT.search(t)) or (
                entry.type in ("document", "webpage", "dataset") and _is_supplement_link(entry)):
            flags |= SUPPLEMENT
        if t and (t in tab["generic_titles"] or _content_words_at_most_one(words, tab["stopwords"])):
            flags |= GENERIC
        if self.alt or title.lstrip(' "').startswith("["):
            flags |= TRANSLATED  # "[Title in English]": Medline's mark of a translated title
        if self.first and _ELOCATOR.match(clean_value(entry.page).strip("\"'[]() ")):
            flags |= ELOCATOR
        self.flags = flags

    def __repr__(self) -> str:
        return f"Norm({self.idx}, {self.title[:40]!r}, {self.year}, {self.authors[:2]})"


def _content_words_at_most_one(words: list[str], stop: frozenset[str]) -> bool:
    """At most one of ``words`` is not a stop word (stops at the second)."""
    seen = False
    for w in words:
        if w not in stop:
            if seen:
                return False
            seen = True
    return True


_ORDINAL = re.compile(r"^(\d+(st|nd|rd|th)?|vols?|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
                      r"tenth|eleventh|twelfth|[a-z]+(teenth|tieth|ieth))$")


def venue_tokens(venue: str) -> list[str]:
    stop = tables()["venue_stopwords"]
    return [w for w in venue.split() if w not in stop and not _ORDINAL.match(w)]


def venues_compatible(a: str, b: str, journal: bool = True) -> bool:
    """True when two folded venue names can be one venue: equal, or one an abbreviation
    of the other (each word a prefix of a word of the other, in order).

    >>> venues_compatible("nat rev nephrol", "nature reviews nephrology")
    True
    >>> venues_compatible("blood", "british journal of haematology")
    False
    >>> venues_compatible("icis transforming society", "international conference on information systems", False)
    True
    """
    if not a or not b:
        return True
    if a == b:
        return True
    if journal:  # "journal x conference 23rd congress of ...": an abstract in a journal supplement
        a, b = _cut_meeting(a), _cut_meeting(b)
    ta, tb = venue_tokens(a), venue_tokens(b)
    if not ta or not tb:
        return True
    return _abbreviates(ta, tb) or _abbreviates(tb, ta)


def _cut_meeting(venue: str) -> str:
    """"journal of x conference 23rd congress of ..." -> "journal of x" (abstracts in supplements)."""
    m = _MEETING.search(venue)
    return venue[: m.start()].strip() if m and m.start() > 0 else venue


_MEETING = re.compile(r"\b(conference|congress|meeting|symposium|supplement|suppl)\b")


def _abbreviates_word(short: str, word: str) -> bool:
    """``short`` is a prefix of ``word``, or (ISO 4 style, three letters or more) its first letter and
    then a selection of its letters in order: "natl" national, "jpn" japanese, "dtsch" deutsche.

    >>> [_abbreviates_word(s, w) for s, w in [("natl", "national"), ("nat", "nutrition"), ("dtsch", "deutsche")]]
    [True, False, True]
    """
    if word.startswith(short):
        return True
    if len(short) < 3 or short[0] != word[0] or len(short) >= len(word):
        return False
    it = iter(word[1:])
    return all(c in it for c in short[1:])


def _abbreviates(short: list[str], long_: list[str]) -> bool:
    """Each word of ``short`` abbreviates a word of ``long_``, in order (or ``short`` holds its initialism).

    >>> _abbreviates(["dtsch", "med", "wochenschr"], ["deutsche", "medizinische", "wochenschrift"])
    True
    """
    if len(short) <= len(long_):
        i = 0
        for w in long_:
            if i < len(short) and _abbreviates_word(short[i], w):
                i += 1
        if i == len(short):
            return True
    initials = "".join(w[0] for w in long_ if w.isalpha())
    return any(3 <= len(w) <= 8 and w.isalpha() and w in initials for w in short)


# -- blocking keys -------------------------------------------------------------------
def blocking_keys(n: Norm) -> list[str]:
    """The blocks a record goes into: identifiers (``d`` DOI, ``x`` arXiv, ``i`` ISBN), ``p`` year +
    volume + first page, ``t`` title prefix, ``e`` title end, ``a`` first author + year (twice, for year
    and year + 1, so that years one apart meet).  The first letter is the key's kind.

    >>> e = Entry(title="Deep learning in the wild", author=[Name(family="LeCun", given="Y.")], doi="10.1000/x")
    >>> e.issued = __import__("bibkit").Date(2015)
    >>> blocking_keys(Norm(0, e))
    ['d10.1000/x', 'tdeep learning wild', 'alecun2015', 'alecun2016']
    """
    keys = []
    if n.doi:
        keys.append("d" + n.doi)
    if n.arxiv:
        keys.append("x" + n.arxiv)
    if n.isbn:
        keys.append("i" + n.isbn)
    if n.volume and n.first and n.year:
        keys.append(f"p{n.year}:{n.volume}:{n.first}")
    stop = tables()["stopwords"]
    words = [w for w in n.title.split() if w not in stop]
    if words:
        keys.append("t" + " ".join(words[:3]))
        if len(words) > 3:
            keys.append("e" + " ".join(words[-3:]))
    if n.authors and n.year:
        fam = n.authors[0][0]
        keys.append(f"a{fam}{n.year}")
        keys.append(f"a{fam}{n.year + 1}")
    return list(dict.fromkeys(keys))
