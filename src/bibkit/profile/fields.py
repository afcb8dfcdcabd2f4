"""Field extraction: one block of lines -> title, authors, venue, year, type, status,
notes and identifiers, with a confidence.

Two layouts are handled: a self-contained reference on one (possibly wrapped) line
("A. Bee, C. Dee. Title. In Venue 2020."), and a multi-line block whose lines play
different roles (a title line, an author line, venue/date/link lines).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import OTHERS, Date, Entry, Name
from . import rx as re
from .lines import B_OFF, B_ON, I_OFF, I_ON, L_OFF, L_ON, Line, strip_marks
from .names import (
    CAP_PREFIXES,
    PARTICLES,
    _author_list,
    _is_word,
    clean_author_text,
    copy_name,
    is_initials,
    looks_like_author_list,
    match_inverted_prefix,
    match_name_prefix,
    parse_author_list,
    stopwords,
)
from .repair import strip_symbols
from .venues import Venue, abbrev_journal_end, abbrev_words, generic_type, lookup, venue_type

# -- patterns (every input is bounded before matching) --------------------------------
MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|" \
         r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
YEAR_RE = re.compile(r"(?<![\d/.:\-])(19\d\d|20[0-4]\d)(?!\d|\.\d{4,5})")
YEAR_PAREN_RE = re.compile(r"\((1[89]\d\d|20[0-4]\d)[a-z]?(?:\s?[–-]\s?\d{2,4})?\)")
TAG_YEAR_RE = re.compile(r"(?<![\w'’])([A-Za-z][A-Za-z0-9&/@.\-]{0,20}[A-Za-z])\s?['’‘`]\s?(\d{4}|\d{2})(?!\d)")
HYPHEN_YEAR_RE = re.compile(r"\b([A-Z][A-Za-z]{1,15})-(\d{2})\b")
DOI_RE = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]{1,200})")
ARXIV_RE = re.compile(r"(?:arXiv\s?:\s?|arxiv\.org/(?:abs|pdf)/|abs/)(\d{4}\.\d{4,5})(v\d{1,2})?", re.I)
ISBN_RE = re.compile(r"\bISBN(?:-1[03])?:?\s*((?:97[89][\s-]?)?\d[\d\s-]{8,15}[\dXx])")
#: patent document kinds as abstracting services print them (CAS): "PCT Int. Appl.", "U.S. Pat. Appl. Publ.",
#: "Eur. Pat. Appl.", "Ger. Offen.", "Jpn. Kokai Tokkyo Koho", "U.S. Patent"; or a "WO/EP/US" publication number
_PATENT_CUE_RE = re.compile(r"\b(?:PCT Int\.? Appl|(?:[A-Z][a-z]{0,3}\.\s?){0,2}Pat(?:ent)?\.? Appl|"
                            r"U\.\s?S\.\s?Pat(?:ent)?\b|Eur\.? Pat|Ger\.? Offen|Kokai Tokkyo Koho)\b|"
                            r"(?:^|[\s,;|])(?:WO|EP)\s?(?:19|20)\d\d/?\d{5,6}\b")
PATENT_RE = re.compile(r"\b((?:CN|US|EP|WO|JP|KR|DE|GB|FR)\s?\d{5,12}(?:\.\d)?(?:\s?[A-Z]\d?)?(?:/[A-Z]\d?)?)\b")
# (?![...]): each word takes its whole run of letters, so "ABCDEF" splits one way only (no O(n^4) backtracking)
PLACE_RE = re.compile(r"^(?:[A-Z][\w.'\-]*(?![\w.'\-])\s?){1,4},\s*"
                      r"(?:U\.?S\.?A?\.?|U\.?K\.?|[A-Z][a-z]+|[A-Z]{2})\.?(?:\s|$)")
URL_RE = re.compile(r"https?://[^\s<>\"')\]]{1,300}")
QUOTE_RE = re.compile(r"[\"“”„]([^\"“”„]{6,400})[\"“”]|‘([^‘’]{6,400})’|(?<!\w)'([^']{6,400})'(?!\w)")
LABEL_RE = re.compile(r"^(?:track|session|category|type|role|note|keywords?|topic|area|status|award|links?|code|"
                      r"slides|video|poster|project|website|special issue|acceptance rate|impact factor|"
                      r"citations?|presented|invited|advisor|supervisor|mentor|host|motivation|contributions?|"
                      r"responsibilit(?:y|ies)|role)\b\s*:?", re.I)
LINK_LABEL_RE = re.compile(r"^\W{0,3}(?:(?:download|access|view|read|get|see|watch)\s+(?:the\s+)?"
                           r"(?:paper|pdf|slides?|poster|video|code|article|preprint|talk|bibtex)(?:\s+here)?|paper|code|blog|talk|project|sale|pdf|slides?|video|poster|website|web|"
                           r"document|link|bib|bibtex|arxiv|doi|html|github|data(?:set)?|demo|abstract|preprint|"
                           r"supplementary|supp|full text|open access|publisher|springer|ieee|acm|press|media|"
                           r"talk video|chinese document|backend code|frontend code|url|homepage|page|here)"
                           r"(?:\s+(?:link|version|code))?(?:\s*\d{0,2})\W{0,3}$", re.I)
REMARK_RE = re.compile(r"\b(?:oral|spotlight|best|award|highlight|poster|outstanding|honou?rable|nominee|"
                       r"nomination|top\s?\d|acceptance rate|ccf|core [ab]|rank|equal contribution|corresponding|"
                       r"contributed equally|invited|featured|finalist|winner|selected as|first round|indicates|"
                       r"project (?:core )?leads?|cited|citations|impact factor|jcr|(?-i:SCI)\b|q1\b)", re.I)
STATUS_RES = [
    ("submitted", re.compile(r"\b(?:submitted|in submission|under submission)\b", re.I)),
    ("under-review", re.compile(r"\b(?:under (?:review|revision)|major revision|minor revision|revise and "
                                r"resubmit|in review)\b", re.I)),
    ("forthcoming", re.compile(r"\b(?:forthcoming|release soon|coming soon|in preparation)\b", re.I)),
    ("accepted", re.compile(r"\b(?:accepted|to appear|in press|conditionally accepted)\b", re.I)),
]
_ANY_STATUS_RE = re.compile("|".join(f"(?:{rx.pattern})" for _, rx in STATUS_RES), re.I)
VENUE_START_RE = re.compile(
    r"^(?:In\b|In:|Proc\b|Proc\.|Proceedings|Published|Accepted|To appear|Submitted|Under review|Presented|"
    r"Appear|Journal|Transactions|IEEE|ACM|USENIX|SIAM|Springer|Elsevier|arXiv|CoRR|Preprint|Technical Report|"
    r"Tech\.|PhD|Ph\.D|Master(?:'?s)?\b|Bachelor(?:'?s)?\b|Book\b|Chapter\b|Patent\b|Workshop|Symposium|"
    r"Conference|Annual\b|"
    r"vol\.|Vol\.|Volume|pp\.|pages|Lecture Notes|LNCS|Edited by|Translated by|"
    r"\d{1,2}(?:st|nd|rd|th) ed(?:n|ition)?\b|(?:19|20)\d\d\b(?!\s*[–-]\s*\d{2,4}\s*:)(?!\s*:)|" + MONTHS +
    r"\b)")
_CONNECTOR_RE = re.compile(r"^(?:book\s?title\s?:\s*|(?:in:?|published in|appear(?:s|ed)? in|"
                           r"accepted (?:by|to|at|in|for|as)|to appear (?:in|at)|submitted to|"
                           r"under review (?:at|in|for)|presented at|forthcoming in|at)\s+)", re.I)
TYPE_WORD_RE = re.compile(r"^(?:book|monograph|book chapter|chapter|patent|thesis|dissertation|"
                          r"(?:ph\.?\s?d\.?|doctoral|master'?s?|m\.?\s?sc\.?|bachelor'?s?|diploma|habilitation)"
                          r"\s+(?:thesis|dissertation)|"
                          r"technical report|report|preprint|poster|demo|talk|invited talk)\.?$", re.I)
PUBLISHER_RE = re.compile(r"((?:[A-Z][\w&'\-]*\s(?:of\s)?){0,4}(?:University\s)?"
                          r"(?:Press|Publishers|Publishing(?: House)?|Verlag))\b")
_PUBLISHER_WORDS = ("Press", "Publish", "Verlag")


def _publisher(text: str) -> re.Match[str] | None:
    """:data:`PUBLISHER_RE` searched in ``text`` (a text without one of its words cannot match: not searched)."""
    return PUBLISHER_RE.search(text) if any(w in text for w in _PUBLISHER_WORDS) else None


_ABBREV = {"vs", "e.g", "i.e", "et al", "al", "vol", "no", "pp", "fig", "eq", "dr", "prof", "st", "mt", "jr", "sr",
           "inc", "ltd", "co", "corp", "proc", "conf", "int", "intl", "trans", "j", "u.s", "dept", "univ", "ed",
           "eds", "rev", "sci", "res", "tech", "comput", "eng", "symp", "assoc", "natl", "ann", "mech", "phys",
           "vols", "nos", "ch", "sec", "suppl", "repr", "transl", "diss", "chap", "pt", "art"}


_TAG_YY_RE = re.compile(r"([A-Za-z][A-Za-z&\-]{1,15}?)\s?(\d{2})")


@dataclass
class Parsed:
    """The result of reading one block."""

    entry: Entry
    score: float
    reasons: list[str] = field(default_factory=list)
    title_source: str = ""  # quote | emphasis | position | heading | line


# -- small helpers ------------------------------------------------------------------------
def clean_title(text: str) -> str:
    """A title without decoration: quotes, emphasis, trailing period, link labels.

    >>> clean_title(' "Hot Pluggable Federated Learning." ')
    'Hot Pluggable Federated Learning'
    >>> clean_title("FuseFL: Progressive Model Fusion.\\"")
    'FuseFL: Progressive Model Fusion'
    """
    t = " ".join(strip_marks(text).split())  # (= strip, then \s+ -> " ")
    for _ in range(3):
        t = t.strip(" \t,;:-–—|•·").strip()
        t = t.strip("\"“”„‘’`*_")
        if t.endswith(".") and not _ABBR_END_RE.search(t, max(0, len(t) - 8)):  # (pos: \b still sees before it)
            t = t[:-1]
    if "-" in t or "–" in t or "—" in t:  # (a dash the pattern needs)
        t = re.sub(r"\s+[-–—]\s*(?:undergraduate|master'?s?|bachelor'?s?|ph\.?d\.?|doctoral)\s+thesis$", "", t,
                   flags=re.I)
    if "ISBN" in t:  # "Laser Dynamics, ISBN 978-3-642-35288-1": the book's number, not the title
        t = re.sub(r"[\s,;.]*\(?ISBN(?:-1[03])?:?\s*(?:97[89][\s-]?)?\d[\d\s-]{8,15}[\dXx]\)?\.?$", "", t).strip()
    if t.endswith("]"):  # "Title [Internet]", "Title [Preprint]", "Title [Diplomarbeit]": medium tags (NLM)
        t = re.sub(r"(?:\s\[[^\W\d_][^\[\]]{1,40}\])+$", "", t)
    return t.strip()


_ABBR_END_RE = re.compile(r"(?:\b[A-Z]|\bal|\betc)\.$")
_MARK_RE = re.compile(f"[{B_ON}{B_OFF}{I_ON}{I_OFF}{L_ON}{L_OFF}]")


@lru_cache(maxsize=4096)
def _spans(marked: str) -> tuple[tuple[int, int, str, str], ...]:
    """Emphasised and linked spans of marked text as (start, end, kind, text) in
    plain-text offsets."""
    if not any(c in marked for c in (B_ON, I_ON, L_ON)):
        return ()
    out = []
    stack: list[tuple[str, int]] = []
    # plain offset = raw offset - markers met before
    for seen, mm in enumerate(_MARK_RE.finditer(marked)):
        ch = mm.group(0)
        plain_pos = mm.start() - seen
        if ch in (B_ON, I_ON, L_ON):
            stack.append((ch, plain_pos))
        else:
            want = {B_OFF: B_ON, I_OFF: I_ON, L_OFF: L_ON}[ch]
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == want:
                    start = stack[k][1]
                    del stack[k]
                    kind = {B_ON: "b", I_ON: "i", L_ON: "l"}[want]
                    out.append((start, plain_pos, kind))
                    break
    plain = strip_marks(marked)
    return tuple((s, e, k, plain[s:e]) for s, e, k in sorted(out) if e > s)


_RANGE_BEFORE = re.compile(r"\d\s?[–—\-]\s?$")
_RANGE_AFTER = re.compile(r"^\s?[–—\-]\s?\d")


def _year_of(text: str) -> int | None:
    """The year of a reference: the first year-like number that is not one end of a page range.

    >>> _year_of("JMLR 15, 1929–1958, 2014")
    2014
    >>> _year_of("PhD thesis, 2019–2023")
    2019
    """
    text = text[:2000]
    first = None
    for m in YEAR_RE.finditer(text):
        if first is None:
            first = m
        if _RANGE_BEFORE.search(text[max(0, m.start() - 4):m.start()]) or \
                _RANGE_AFTER.match(text[m.end():m.end() + 4]):
            continue
        return int(m.group(1))
    found = first or YEAR_PAREN_RE.search(text)
    return int(found.group(1)) if found else None


def full_year(y: str) -> int:
    """A tag's year in full: "24" -> 2024, "98" -> 1998, "2019" -> 2019."""
    return int(y) if len(y) == 4 else (2000 + int(y) if int(y) < 50 else 1900 + int(y))


def _tag_year(text: str) -> tuple[str, int] | None:
    head = text[:2000]
    # (each pattern needs its apostrophe or hyphen: not searched for without one)
    for m in TAG_YEAR_RE.finditer(head) if "'" in head or "’" in head or "‘" in head or "`" in head else ():
        year = full_year(m.group(2))
        if 1950 <= year <= 2049:
            return m.group(1), year
    for m in HYPHEN_YEAR_RE.finditer(head) if "-" in head else ():
        if lookup(m.group(1)) is not None:
            return m.group(1), full_year(m.group(2))
    return None


def is_link_label(text: str) -> bool:
    return bool(LINK_LABEL_RE.match(text.strip()[:60]))


def _drop_labels(marked: str) -> str:
    """Remove link texts that are only labels ("[PDF]", "CODE LINK") from marked text."""
    if L_ON not in marked:
        return marked

    def repl(m: re.Match[str]) -> str:
        return "" if is_link_label(strip_marks(m.group(1))) else m.group(0)
    out = re.sub(f"{L_ON}([^{L_ON}{L_OFF}]{{0,400}}){L_OFF}", repl, marked)
    if out == marked:
        return out
    if "()" in out or "[]" in out or "( )" in out:  # "Title ([abstract](#a3))": the brackets the label was in
        out = re.sub(r"\s*(?:\(\s*\)|\[\s*\])", "", out)
    return re.sub(r"\s*(?:[,|/]\s*)+$", "", out).strip()


#: a link label written before the author list of a reference ("DOI J. Doe, A. Roe:", "PDF A. Bee. Title")
_LEAD_LABEL_RE = re.compile(r"(?:DOI|doi|PDF|pdf|Pdf|Link|LINK|URL|HTML|Html|arXiv|ArXiv|ARXIV|Preprint|Reprint|"
                            r"Abstract|Slides|Code|Video|Bib|BibTeX|Web|Online|Download|Full text)\s*:?\s+(?=\S)")


#: link labels ending a line: "(abstract)", "[pdf]", "PDF (620KB)"
_TRAIL_LABEL_RE = re.compile(r"(?:\s*[(\[]\s*(?:abstract|pdf|ps|arxiv|slides|code|video|bib|bibtex|html|link|doi|"
                             r"preprint|journal version|published version)\s*[)\]])+\.?\s*$|"
                             r"\.?\s+(?:PDF|PS|pdf|ps)\s*\(\s*\d+(?:\.\d+)?\s*[KkMm]B\s*\)\.?\s*$", re.I)


_LEAD_LABEL_FIRST = frozenset("DdPpLUHaARSCVBWOF")


def strip_link_labels(marked: str) -> str:
    """Drop link labels around a line's text: one before an author list (:func:`strip_lead_label`) and
    labels ending the line ("Title (abstract)", "..., Oct. 1976. PDF (461KB).").

    >>> strip_link_labels("High rank subvarieties (abstract)")
    'High rank subvarieties'
    >>> strip_link_labels("Title, Proc. X, 1-9, Houston, Oct. 1976. PDF (461KB).")
    'Title, Proc. X, 1-9, Houston, Oct. 1976.'
    """
    marked = strip_lead_label(marked)
    plain = strip_marks(marked).rstrip(" .")
    if not plain.endswith((")", "]")):
        return marked  # (every trailing label ends with a bracket: most lines skip the search)
    plain = strip_marks(marked)
    m = _TRAIL_LABEL_RE.search(plain[-80:])
    if m:
        tail = plain[len(plain) - len(plain[-80:]) + m.start():]
        keep = "." if tail.lstrip().startswith(".") else ""
        if marked.endswith(tail) and len(marked) - len(tail) > 3:
            return marked[:len(marked) - len(tail)] + keep
    return marked


def strip_lead_label(marked: str) -> str:
    """Drop a link label glued before an author list ("DOI J. Doe, A. Roe:" -> "J. Doe, A. Roe:"); other
    text is returned unchanged.

    >>> strip_lead_label("DOI H. A. Haus: Mode-locking of lasers")
    'H. A. Haus: Mode-locking of lasers'
    >>> strip_lead_label("PDF Compression for Mobile Devices")
    'PDF Compression for Mobile Devices'
    """
    plain = strip_marks(marked)
    lead = len(plain) - len(plain.lstrip())
    if plain[lead:lead + 1] not in _LEAD_LABEL_FIRST:
        return marked
    m = _LEAD_LABEL_RE.match(plain, lead, lead + 40)
    if not m:
        return marked
    rest = plain[m.end():]
    names, _end = _author_prefix(_MARKERS_RE.sub("", rest[:400]))
    real = [n for n in names if not n.is_others]
    if not real or not (len(real) >= 2 or (real[0].given and is_initials(real[0].given.split()[0], strict=True))):
        return marked
    return _strip_visible(marked, m.end())


_IN_NEXT_RE = re.compile(r"\s+In:\s")
_EDITION_NEXT_RE = re.compile(r"[\s,.]*(?:\d{1,2}\.\s?(?:Aufl|Auflage|ed|edn)\b|\d{1,2}(?:st|nd|rd|th)\s+ed)")
_ABBREV_DE = frozenset(("nr", "abs", "bd", "aufl", "hrsg", "hg", "vgl", "bzw", "ca", "ff", "jg", "lfg", "bearb", "anm"))
_ORDINAL_NEXT_RE = re.compile(r"\s(?:Aufl|Auflage|Bd|Band|Jahrgang|Jg|Lieferung|Lfg)\b")


@lru_cache(maxsize=4096)
def _sentence_ends(text: str) -> tuple[int, ...]:
    """Offsets just after sentence-ending punctuation ('. ', '? ', '! ') that is not an
    initial or an abbreviation."""
    out = []
    n = min(len(text), 3000)
    depth = [0] * (n + 1)
    if "(" in text or "[" in text:
        d = 0
        for k, c in enumerate(text[:n]):
            if c in "([":
                d += 1
            elif c in ")]" and d:
                d -= 1
            depth[k + 1] = d
    for m in re.finditer(r"[.?!](?=[\s\"”’)\]]|$)|[。？！]", text[:3000]):
        i = m.start()
        if depth[i] > 0 and text[m.end():m.end() + 1] != ")":
            continue  # inside parentheses: "(Vols. 1–3)"
        if text[i] == "." and text[i - 1:i] == "." and text[i - 2:i - 1] != ".":
            pass  # "Brooks, Jr.." : an abbreviation's period and the sentence's
        elif text[i] == ".":
            word = re.search(r"([\w.]{0,12})$", text[max(0, i - 12):i])
            w = word.group(1) if word else ""
            if len(w) == 1 and w.isupper() and not _IN_NEXT_RE.match(text, m.end()):
                continue  # an initial (not "... Systeme I. In: Journal")
            if w.casefold() in _ABBREV or (w and "." in w and len(w) <= 6) or w in abbrev_words():
                continue  # (a journal abbreviation: "Combin. Probab. Comput.")
            if i + 1 < len(text) and text[i + 1].isdigit():
                continue
            if (w.isdigit() and len(w) <= 2 and _ORDINAL_NEXT_RE.match(text, i + 1)) or w.casefold() in _ABBREV_DE:
                continue  # "2. Aufl.", "11. Band": a German ordinal; "§ 4 Nr. 1", "Bd. 93": an abbreviation
        out.append(m.end())
    return tuple(out)


#: a journal citation tail: "Journal Name 12, 345 (2019)" / "J. Abbr. 7 (2001)" (APS, AIP, physics styles)
#: the period of a capitalised abbreviation ("Nucl.", "Instrum.", "Res.,"), not a sentence end ("readers.")
_ABBR_DOT = "(?:" + "|".join(rf"(?<=\b[A-Z][a-z]{{{k}}})" for k in range(9)) + r")\.,?"
#: (an optional "(London)" after the journal name: "Nature (London) 390, 575 (1997)")
_JOURNAL_CITE_RE = re.compile(r"[A-Z](?:[\w&'’\-: ]|" + _ABBR_DOT + r"){0,80}?(?:\s\([A-Z][\w. ]{1,30}\))?\s"
                              r"(?:\d{1,4}(?:[–-]\d{1,4})?[A-Z]?|[A-Z]\d{1,3}),?\s"
                              r"(?:[A-Z]?\d[\w\-–]*,?\s)?\((?:1[5-9]|20)\d\d\)")


def _journal_cite(text: str) -> re.Match[str] | None:
    """:data:`_JOURNAL_CITE_RE` matched at the start (a text without the "(2019)" it ends with cannot
    match: not tried)."""
    return _JOURNAL_CITE_RE.match(text) if "(" in text and _PAREN_YEAR_RE.search(text) else None


_PAREN_YEAR_RE = re.compile(r"\((?:1[5-9]|20)\d\d\)")


_LOWER_IN_RE = re.compile(r"in:?\s+(?:[A-Z]|\d{4}\b)")


def _titleless_cite(rest: str) -> bool:
    """Whether the text after an author list is a bare journal citation ("Phys. Rev. Lett. 80, 3891 (1998)"):
    capitalised or abbreviated words only, no sentence end ("Deep learning. Nature 521, ..." has a title)."""
    m = _journal_cite(rest[:200])
    if not m:
        return False
    head = re.split(r"\s\d", m.group(0), maxsplit=1)[0]
    plain = 0
    for w in head.split():
        if w.lower() in ("of", "and", "&", "for", "the", "de", "der", "fur", "für"):
            continue
        if not w[:1].isupper() or (w.rstrip(",").endswith(".") and len(w.rstrip(",")) > 6):
            return False  # a lower-case word, or a sentence end ("Search.", "Learning.")
        plain += not w.rstrip(",").endswith(".")
    return plain <= 2  # "Phys. Rev. Lett.", "Nature", "Nature Physics": not "Iterated Local Search. Int. ..."


def venue_like(chunk: str) -> bool:
    """Whether a chunk of text starts like a venue / publication detail."""
    c = chunk.strip(" ,.;:")[:200]
    if not c:
        return False
    if VENUE_START_RE.match(c):
        return True
    if TYPE_WORD_RE.match(c.split(",")[0].strip()):
        return True
    if _LOWER_IN_RE.match(c):  # ", in Proceedings of ..." (APS, AIP, IEEE)
        return True
    if c[:1].isdigit() and _EDITION_RE.match(c):  # ", 2. Aufl. München: Beck 2012"
        return True
    if _journal_cite(c):  # "Nature 521, 436 (2015)", "Phys. Rev. Lett. 116, 061102 (2016)"
        return True
    if abbrev_journal_end(c):  # "Ann. of Math. 2023", "Combin. Probab. Comput."
        return True
    head = re.split(r",|\.\s", c, maxsplit=1)[0]
    if head[-1:].isdigit() or head.endswith(")"):  # "Communications of the ACM 17(8)": the name without its volume
        head = re.sub(r"\s+\d{1,4}(?:\s?\(\d{1,4}\))?$", "", head) or head
    words = len(head.split())
    if words <= 12 and generic_type(head):
        return True
    # a known venue: the whole head, or an acronym inside a short head
    known = lookup(head)
    return known is not None and (words <= 4 or known.acronym.casefold() == head.casefold())


#: "In: A. Editor, B. Editor, eds. Book Title" (editors of a collection)
_EDS_RE = re.compile(r"\bIn:?\s+([^:;()|]{3,200}?)\s*,?\s*\(?\b(?:eds?|editors?|hrsg|hg|dir)\.?\)?[.,:]?\s+", re.I)

#: "..., Ed. G. T. Rado (Academic Press, 1963)", "..., Eds. F. Seitz and D. Turnbull, Academic Press": editors
#: named after the book's title (physics styles)
_EDS_AFTER_RE = re.compile(r",\s*(?:Eds?\.|Editors?:?|ed(?:ited)?\.? by)\s+([^()|;]{3,200}?)\s*[(,|;]")

#: "(Academic Press, New York, 1963)": a book's imprint in parentheses (physics styles)
_PAREN_PRESS_RE = re.compile(r"\([^()]{0,80}\b(?:Press|Publishers?|Publishing|Verlag|Springer|Wiley|Elsevier)\b"
                             r"[^()]{0,60}\b(?:1[5-9]|20)\d\d\)")

#: what marks proceedings rather than a book: "(PAM 2021)", "Lecture Notes in ...", "Proc."
_CONF_MARK_RE = re.compile(r"\([A-Z][A-Za-z\-]{1,15}['’ ]?\d{2,4}\)|Lecture Notes|LNCS|LNAI|\bProc\b|Proceedings")

#: GB/T 7714 document-type markers ("[J]" journal article...) -> CSL type
GBT_TYPES = {"J": "article-journal", "C": "paper-conference", "M": "book", "D": "thesis", "P": "patent",
             "R": "report", "N": "article-newspaper", "S": "standard", "EB/OL": "webpage", "J/OL": "article-journal",
             "C/OL": "paper-conference", "M/OL": "book", "A": "chapter", "Z": "document"}
GBT_RE = re.compile(r"\[(J|C|M|D|P|R|N|S|A|Z|EB/OL|J/OL|C/OL|M/OL)\]\s*[.。]?\s*")


_DESCRIPTOR = re.compile(r"\s[(\[][^()\[\]]{0,120}(?:\d|\b(?:patent|no\.|dissertation|thesis|edition|"
                         r"anniversary|vol\.|report|preprint|version|abstract|poster|slides|video|in press|"
                         r"forthcoming|submitted|online|blog|working paper|tech)\b|\b(?:eds?|trans|transl)\.)"
                         r"[^()\[\]]{0,120}[)\]]\.?\s*$", re.I)

#: where a title ends at a parenthesis: "(2016)", "(In ...)", "(MIT Press, Cambridge, MA, 2016)"
_PAREN_CUT_RE = re.compile(r"\s\((?=(?:1[5-9]|20)\d\d\)|In\s|[^()]{2,120},\s*(?:1[5-9]|20)\d\d(?:\s?[–-]\s?\d{2,4})?"
                           r"(?:[);]|\.?$))"
                           # "Title (University of Chicago Press)." ending the reference (Cell); not "(BERT)"
                           r"|\s\((?=(?![A-Z\d\-]{2,12}\))[A-Z][^()]{1,120}\)\.?(?:\s+(?:https?://|doi:)\S+)?\s*$)")
#: an edition or editor left at the end of a title ("Republic 2nd ed.", "De Anima R. D. Hicks, ed.")
_TITLE_TAIL_RE = re.compile(r"(?:,?\s+\d{1,2}(?:st|nd|rd|th)\s+ed(?:n|ition)?\.?|\s+(?:[A-Z]\.\s?){1,3}[A-Z][\w\-]+"
                            r"(?:,?\s(?:and|&)\s(?:[A-Z]\.\s?){1,3}[A-Z][\w\-]+)?,\s+eds?\.)$")

#: a journal citation ending a reference: ". Journal Name 38, 173–198." / ". Journal 4(3):212–25."
_JOURNAL_TAIL_RE = re.compile(r"\.\s+[A-Z][^.;:]{2,120}?\s\d{1,4}(?:\s?\(\d{1,4}\))?(?:,\s*|:)[A-Za-z]?\d+"
                              r"(?:[–-][A-Za-z]?\d+)?\.?\s*$")


#: what follows an ACS book title after "; ": "Publisher: Place, 1962", "Name, I., ed.;", "Series; Publisher: ..."
_ACS_BOOK_RE = re.compile(r"(?:[^;:]{2,120}:\s[^;:]{2,60},\s(?:1[5-9]|20)\d\d|[^;]{2,120}\b(?:eds?\.|translators?|"
                          r"editors?)[;.]|(?:[^;]{2,120};\s){1,2}[^;:]{2,120}:\s[^;:]{2,60},\s(?:1[5-9]|20)\d\d)")
_COMMA_END_RE = re.compile(r"https?://|\((?:1[5-9]|20)\d\d\)|\(?unpublished\)?|last accessed\b")
_VOLUME_TITLE_RE = re.compile(r"(?:Vol(?:ume)?|Band|Bd|Part|Book)\.?\s?(?:\d{1,3}|[IVX]{1,5})\s?:\s")


def split_title(rest: str) -> tuple[str, str]:
    """Split "Title. Venue, 2020." (or "Title, Venue, 2020") into title and the rest.

    >>> split_title("Should We Edit Models? On Evaluation. In NeurIPS 2024.")
    ('Should We Edit Models? On Evaluation', 'In NeurIPS 2024.')
    >>> split_title("MIPD: A Framework for DNNs Training, IEEE Transactions on Things, 2022.")
    ('MIPD: A Framework for DNNs Training', 'IEEE Transactions on Things, 2022.')
    """
    rest = rest.strip()
    gbt = GBT_RE.search(rest[:1000])
    if gbt and len(rest[:gbt.start()].strip()) >= 2:
        return clean_title(rest[:gbt.start()]), rest[gbt.start():]
    cands = []
    for end in _sentence_ends(rest):
        after = rest[end:].strip()
        punct = rest[end - 1]
        if punct in "?!" and after and not venue_like(after):
            continue
        if len(rest[:end].split()) < 2 and after and not (len(rest[:end]) >= 5 and venue_like(after)):
            continue  # "Poetics. Edited by D. W. Lucas": a one-word title before the details
        cands.append((end, end))
        break
    for m in re.finditer(r",\s+", rest[:3000]):
        if _COMMA_END_RE.match(rest, m.end()) and len(rest[:m.start()].split()) >= 2:
            cands.append((m.start(), m.end()))  # "Title, https://...", "Title, (1876)." (LNCS)
            break
        if _VOLUME_TITLE_RE.match(rest, m.end()):
            continue  # "The Art of Computer Programming, Vol. 1: Fundamental Algorithms": one title
        if len(rest[:m.start()].split()) >= 2 and venue_like(rest[m.end():]):
            cands.append((m.start(), m.end()))
            break
    semi = re.search(r";\s", rest[:3000])
    if semi and len(rest[:semi.start()].split()) >= 2 and _ACS_BOOK_RE.match(rest, semi.end()):
        cands.append((semi.start(), semi.end()))  # ACS books: "Title; Publisher: Place, 1962; p 12."
    jt = _JOURNAL_TAIL_RE.search(rest[-300:])
    if jt:  # "... Systeme I. Monatshefte für Mathematik 38, 173–198" (the period after "I" is no initial's)
        at = len(rest) - len(rest[-300:]) + jt.start() + 1
        if len(rest[:at].split()) >= 2:
            cands.append((at - 1, at))
    series = rest.find(" (= ", 0, 3000)
    if series > 0 and len(rest[:series].split()) >= 2:
        cands.append((series, series + 1))  # "Titel (= Reihe, Bd. 12). Ort: Verlag 2001."
    m = _PAREN_CUT_RE.search(rest[:3000])
    paren = (m.start(), m.start() + 1) if m else None
    if paren and len(rest[:paren[0]].split()) >= 2:
        cands.append(paren)
    if not cands:
        return clean_title(rest), ""
    cut, resume = min(cands)
    title = rest[:cut]
    tail = _TITLE_TAIL_RE.search(title[-80:])
    if tail and len(title) - len(title[-80:]) + tail.start() >= 3:
        title = title[:len(title) - len(title[-80:]) + tail.start()]
    desc = _DESCRIPTOR.search(title)
    if desc and len(title[:desc.start()].strip()) >= 3:  # "Title (Doctoral dissertation, MIT)", "Republic (2nd ed.)"
        return clean_title(title[:desc.start()]), (desc.group(0).strip() + " " + rest[resume:]).strip()
    after = rest[resume:].strip().lstrip("\"”’'").strip()
    at_paren = (cut, resume) == paren and not any(c[0] == cut and c != paren for c in cands)
    pm = re.fullmatch(r"\(([^()]{2,120})\)\.?((?:\s+\S+)?)", after) if at_paren else None
    if pm:  # "(University of Chicago Press)." ending the reference: the publisher
        after = pm.group(1) + "." + pm.group(2)
    return clean_title(title), after


def author_prefix(text: str) -> tuple[list[Name], int]:
    """See :func:`_author_prefix` (cached; the names are copies)."""
    names, pos = _author_prefix(text)
    if names:
        names, pos = _title_not_names(text, names, pos)
    return [copy_name(n) for n in names], pos


#: one Vancouver-style author alone: "Family AB. Title" (family, undotted initials, a period, a capital)
_VANCOUVER_ONE_RE = re.compile(r"((?:[a-z]{1,3} ){0,2}(?:[^\W\d_][\w'’\-]+ )?[^\W\d_][\w'’\-]+) "
                               r"(?![IVXL]{1,3}:)([A-Z]{1,3})[.:]\s"  # ("Tsuda K: Title"; not "Algebra V: 2-Groups")
                               r"(?=[^\W\d_]|[\d\"“‘'(])")

_SEMI_NEXT_RE = re.compile(r"\s*;")

#: Vancouver initials ("FM", "J-K") and one Vancouver name in a list already in that form:
#: particles, one to three family words, the initials, then a separator or the list's end
_VANC_GIVEN_RE = re.compile(r"[A-Z]{1,4}(?:-[A-Z]{1,2})?")
_VANC_NAME_RE = re.compile(r"((?:[a-z]{1,3} ){0,2}[^\W\d_][\w'’\-]{0,40}(?: [^\W\d_][\w'’\-]{0,40}){0,2}) "
                           r"([A-Z]{1,4}(?:-[A-Z]{1,2})?)(?=[,;]|[.:](?:\s|$)|$| et al\b| and\b| &)")


#: a role after a name in a list (DIN 1505, APA): "(Hrsg.)", "(Übers.)", "(eds.)"; group 1: the list ends
_ROLE_RE = re.compile(r"\s*\((?:Hrsg|Hg|Übers|eds?|trans|transl|Red)\.?\)\s*(:)?")
_VANC_ROLE_RE = re.compile(r",\s*(?:editors?|eds?|Eds?|translators?)\.,?(?=\s|$)")
_INV_TWO_RE = re.compile(r"((?:[a-z]{1,3}(?: [a-z]{1,3})?)?) ?([A-Z][\w'’\-]{1,40} [A-Z][\w'’\-]{1,40}), "
                         r"((?:[A-Z]\.\s?(?:-[A-Z]\.)?){1,3})(?=[,;:]|\s(?:and|&)\s)")
_LONE_SEMI_RE = re.compile(r"([^\W\d_][\w'’\-]{2,30})(?=\s;\s)")
_AND_SEP_RE = re.compile(r"\s*(?:,\s*)?(?:and|&|und)\s*", re.I)


def _initials_first(names: list[Name]) -> bool:
    """Every name is "I. Family" (initials for given names), as in IEEE, APS, ACS lists."""
    return all(n.is_others or (n.given and n.family and all(is_initials(t) for t in n.given.split()))
               for n in names)


def _list_goes_on(text: str, at: int) -> bool:
    """Whether another name follows a separator at ``at`` (or the list ends with a period)."""
    m = re.match(r"\s*(?:(\.)|[,;&]\s*(?:and\s+)?|(?<=\s)and\s+)", text[at:at + 12])
    if m is None:
        return False
    if m.group(1):
        return True
    nxt = text[at + m.end():at + m.end() + 200]
    return match_name_prefix(nxt) is not None or match_inverted_prefix(nxt) is not None or \
        _ETAL_RE.match(nxt) is not None


def _vancouver_name(text: str) -> tuple[Name, int] | None:
    """One "Family FM" name at the start of ``text`` (inside a Vancouver list), with its end."""
    m = _VANC_NAME_RE.match(text[:160])
    if not m:
        return None
    toks = m.group(1).split()
    lead = 0
    while lead < len(toks) - 1 and toks[lead] in PARTICLES:
        lead += 1
    fam = toks[lead:]
    if not all(_is_word(t) or (t in CAP_PREFIXES and k < len(fam) - 1) for k, t in enumerate(fam)):
        return None
    return Name(family=" ".join(fam), given=m.group(2), particle=" ".join(toks[:lead]) or None), m.end()


def _vancouver_list(names: list[Name]) -> bool:
    return bool(names) and all(n.is_others or (n.family and n.given and _VANC_GIVEN_RE.fullmatch(n.given))
                               for n in names)


@lru_cache(maxsize=4096)
def _author_prefix(text: str) -> tuple[tuple[Name, ...], int]:
    """Names at the start of a reference and the offset where the author list ends.

    >>> names, end = author_prefix("X. Pan, W. Lin, and X. Chu. FSMoE: A System. In ASPLOS 2025.")
    >>> [n.family for n in names], end
    (['Pan', 'Lin', 'Chu'], 27)
    >>> names, end = author_prefix("Zhaorui Zhang, Cho-Li Wang, MIPD: An Adaptive Framework, 2022.")
    >>> [n.family for n in names]
    ['Zhang', 'Wang']
    """
    names: list[Name] = []
    inverted = False
    pos = 0
    n = min(len(text), 4000)
    last_sep_end = 0
    last_and = False  # the separator before this name was "and" / "&": the list's last name
    last_role = 0  # names before this index are settled (a role marker came after them)
    while pos < n:
        if names:
            sep = _SEP_RE.match(text[pos:pos + 12])
            if not sep:
                break
            if last_and and not _AND_SEP_RE.fullmatch(sep.group(0)) and not _ETAL_RE.match(text, pos + sep.end()):
                break  # "A. Bee and C. Dee, Solving Symmetric TSPs": the list ended at "C. Dee"
            last_and = bool(_AND_SEP_RE.fullmatch(sep.group(0)))
            last_sep_end = pos
            pos += sep.end()
        etal = _ETAL_RE.match(text[pos:pos + 12])
        if etal:
            names.append(Name(literal=OTHERS))
            pos += etal.end()
            break
        if names and (role := _VANC_ROLE_RE.match(text, last_sep_end, last_sep_end + 20)):
            pos = role.end()
            break  # "Hutter F, Vanschoren J, editors." / "F. Hutter, J. Vanschoren, Eds., Automated ..."
        if _vancouver_list(names):  # "Kritzinger S, Hartl RF, Stützle T. A Unified Framework ..."
            v = _vancouver_name(text[pos:pos + 160])
            if v is not None:
                names.append(v[0])
                pos += v[1]
                if text[pos:pos + 1] in (".", ":"):  # "Adachi H, Tsuda K: Title" ends the list as well
                    pos += 1
                    break
                continue
        m = match_name_prefix(text[pos:pos + 200])
        inv = match_inverted_prefix(text[pos:pos + 200])
        inv_initials = inv is not None and all(is_initials(t, strict=True) for t in (inv[0].given or "x").split())
        inv_semi = inv is not None and m is not None and inv[1] > m[1] and (
            inv[2] == ":" or _SEMI_NEXT_RE.match(text, pos + inv[1]) is not None)  # "van der Maaten, Laurens ;"
        if inv is not None and m is None and names and not inverted and not inv_initials:
            inv = None  # "C. Blum, J. A. Lozano, Construct, Merge, Solve": no "Family, Given" after "I. Family" names
        if inv is not None and (m is None or (inverted and inv[1] > 0) or (inv_initials and inv[1] > m[1])
                                or inv_semi):
            m = inv
            inverted = True
        if not names and m is not None and m is not inv and len(text[:m[1]].split()) >= 4 \
                and text[m[1]:m[1] + 1] != "," and not m[0].suffix:
            one = _VANCOUVER_ONE_RE.match(text[:120])  # "Doody T. Hemingway's Style and ...": one author, a title
            if one and one.end() < m[1] and all(_is_word(t) for t in one.group(1).split()):
                return (Name(family=one.group(1), given=one.group(2)),), one.end() - 1
        if (m is None or m is not inv) and names and inverted:
            two = _INV_TWO_RE.match(text, pos, pos + 120)  # "..., Tavares Montenegro, F.M., ..." (two-word family)
            if two and all(_is_word(t) for t in two.group(2).split()):
                colon = text[two.end():two.end() + 1] == ":"
                m = inv = (Name(family=two.group(2), given=two.group(3), particle=two.group(1) or None),
                           two.end() - pos + colon, ":" if colon else "")
        if m is None and not names:
            lone = _LONE_SEMI_RE.match(text, pos, pos + 40)
            if lone and _is_word(lone.group(1)):  # "Plato ; Grube, G. M. A. (Übers.): Republic" (DIN 1505)
                m = (Name(literal=lone.group(1)), lone.end() - pos, "")
        if m is None:
            if names:
                pos = last_sep_end
            break
        name, end, term = m
        if m is not inv and names and _initials_first(names) and name.given and \
                not any(is_initials(t) for t in name.given.split()) and not _list_goes_on(text, pos + end):
            pos = last_sep_end  # "L. Wittgenstein, Tractatus Logico-philosophicus (": not another "I. Family"
            break
        if term == ":" and not (m is inv or is_initials((name.given or "").split()[-1] if name.given else "",
                                                         strict=True)):
            # "MIPD:" starts a title; "K. Sato:" / "Sato, K.:" ends an author list
            if names:
                pos = last_sep_end
            break
        names.append(name)
        if term == ":":
            pos += end
            break
        pos += end
        if term == ".":
            break
        role = _ROLE_RE.match(text, pos, pos + 20)
        if role:  # "Ogden, C. K. (Übers.):" / "Colli, G. ; Montinari, M. (Hrsg.):": editors, translators
            del names[max(1, last_role):]
            last_role = len(names)
            pos = role.end()
            if role.group(1):
                break
            continue
        suffix = _SUFFIX_AFTER.match(text[pos:pos + 12])
        if suffix and not name.suffix:  # "Brooks, F.P., Jr." (names are shared by caches: copy)
            name = names[-1] = dataclasses.replace(name, suffix=suffix.group(1))
            pos += suffix.end()
            if suffix.group(1).endswith(".") and re.match(r"\s+[^\W\d_]", text[pos:pos + 3]) and \
                    not re.match(r"\s+(?:and|&|et)\b", text[pos:pos + 6]):
                break  # "Brooks, F. P., Jr. The Mythical Man-Month"
        nxt = text[pos:pos + 12]
        if _NEXT_YEAR_RE.match(nxt):
            break  # "Bell, A.G. 1876. Title" / "Doe, J. (2019). Title"
        if _NEXT_ETAL_RE.match(nxt):
            continue  # "Brown, T.B. et al." (the separator step takes "et al." next)
        if text[pos - 1:pos] == "." and _NEXT_WORD_RE.match(nxt) and \
                (name.given or "").endswith(".") and not inverted:
            break  # "Rényi A. On the evolution": the initial's period ends the list
        if nxt and not _NEXT_SEP_RE.match(nxt):
            # a name followed by something else: not an author list after all
            names.pop()
            pos = last_sep_end if names else 0
            break
    real = [x for x in names if not x.is_others]
    if not real:
        corp = _corporate_prefix(text)
        if corp is not None:
            return (corp[0],), corp[1]
        one = _VANCOUVER_ONE_RE.match(text[:120])
        if one:  # "Einstein A. Zur Elektrodynamik", "van Gennep A. Les rites de passage"
            toks = one.group(1).split()
            lead = 0
            while lead < len(toks) - 1 and toks[lead] in PARTICLES:
                lead += 1
            if all(_is_word(t) for t in toks[lead:]):
                return (Name(family=" ".join(toks[lead:]), given=one.group(2),
                             particle=" ".join(toks[:lead]) or None),), one.end() - 1
        return (), 0
    return tuple(names), pos


#: words that make a phrase an organisation ("World Health Organization", "The pandas development team")
_ORG_WORD_RE = re.compile(r"\b(?:organi[sz]ation|institute|foundation|team|collaboration|consortium|panel|"
                          r"committee|council|agency|association|society|contributors|group|cent(?:er|re)|office|"
                          r"department|ministry|bureau|commission|federation|alliance|initiative|network|union|"
                          r"authority|laboratory|forum|project|developers|community|secretariat|investigators|collaborators)\b",
                          re.I)
_ORG_SMALL = frozenset(("of", "and", "for", "the", "on", "in", "at", "de", "du", "des", "la", "le", "für", "und",
                        "&", "y", "e", "di", "del", "della", "van", "von", "voor", "och"))
_ORG_END_RE = re.compile(r"\b(?:contributors|team|developers|community)$", re.I)
_ORG_TOKEN_RE = re.compile(r"[^\W\d_][\w'’\-&]*|&")
#: a leading group of words followed by the year (author-date styles: "Plato. (1992).", "OpenAI, 2023.",
#: "Wikipedia contributors. (2024, January 15).") or by a period alone ("World Health Organization. Title")
_CORP_LEAD_RE = re.compile(r"([^\W\d_][^.,;:()\[\]\d]{0,100}?)(?:([.,]?\s*(?:\(?(?:1[5-9]|20)\d\d[a-z]?"
                           r"(?:,\s*[A-Z][a-z]{2,8}\.?(?:\s\d{1,2})?)?\)?|\[no date\]|\(?n\.\s?d\.\)?))|[.:,])"
                           r"(?=[.,:]?\s+[^\W\d_\s]|[.,:]?\s+[\"“‘'(\d])")


def corporate_name(text: str, *, single: bool = False) -> Name | None:
    """An organisation as author ("World Health Organization", "Wikipedia contributors") or, with
    ``single``, a one-word author ("Plato", "OpenAI"); None for anything else.

    >>> corporate_name("National Institute of Standards and Technology").literal
    'National Institute of Standards and Technology'
    >>> corporate_name("Journal of Applied Physics") is None, corporate_name("Plato", single=True).literal
    (True, 'Plato')
    """
    t = text.strip(" .,")
    toks = t.split()
    if not toks or len(toks) > 10 or not toks[0][:1].isupper():
        return None
    if not all(_ORG_TOKEN_RE.fullmatch(tok) for tok in toks):
        return None
    if len(toks) == 1:
        tok = toks[0]
        if not single or len(tok) < 3 or (tok.isupper() and len(tok) < 4) or tok.casefold() in stopwords() or \
                tok in CAP_PREFIXES:
            return None
        return Name(literal=tok)
    orgs = list(_ORG_WORD_RE.finditer(t))
    if not orgs or generic_type(t) or VENUE_START_RE.match(t) or lookup(t) is not None:
        return None
    tail = t[orgs[-1].end():].split()
    if tail and tail[0] not in _ORG_SMALL:
        return None  # "Spencer Foundation Research Grant": the organisation is not the whole phrase
    # capitalised words ("Python Software Foundation") or a lower-case team ("The pandas development team")
    if not (all(tok[0].isupper() or tok in _ORG_SMALL for tok in toks) or _ORG_END_RE.search(t)):
        return None
    return Name(literal=t)


def _corporate_prefix(text: str) -> tuple[Name, int] | None:
    """An organisation or one-word author leading a reference, and where it ends."""
    m = _CORP_LEAD_RE.match(text[:160])
    if not m:
        return None
    name = corporate_name(m.group(1), single=bool(m.group(2)))
    if name is None:
        return None
    return name, (m.end(1) if m.group(2) else m.end())


def _remarks(text: str) -> tuple[str, list[str]]:
    """Pull out remarks in brackets or parentheses ("(Oral)", "[Best Paper Award]")."""
    notes: list[str] = []

    def repl(m: re.Match[str]) -> str:
        inner = m.group(1) or m.group(2) or ""
        if REMARK_RE.search(inner) and len(inner) < 200:
            notes.append(strip_marks(inner).strip())
            return " "
        return m.group(0)
    text = text[:5000]
    if "(" in text or "[" in text:
        text = re.sub(r"\(([^()]{1,200})\)|\[([^\[\]]{1,200})\]", repl, text)
    return text, notes


_DIGIT_RE = re.compile(r"\d")


_STATUS_TAIL_RE = re.compile(r"[\s,(]+(?:submitted|to appear|in press|accepted|under review|in review|forthcoming)"
                             r"\W*$", re.I)


@lru_cache(maxsize=4096)
def _clean_venue(v: str) -> str:
    v = GBT_RE.sub("", strip_marks(v), count=1) if "[" in v else strip_marks(v)
    v = _CONNECTOR_RE.sub("", v.strip(" ,.;:-"))
    if v.endswith("]") and _ANY_STATUS_RE.search(v):  # "Journal of X [Accepted for publication]"
        v = re.sub(r"\s*\[[^\[\]]{2,60}\]$", "", v)
    if "pp." in v or "page" in v:  # (each guard below: a literal the pattern needs; most venues have none)
        v = re.sub(r"\s*(?:,\s*)?(?:pp\.|pages?)\s*[\d\-–—]+.*$", "", v)
    if "(" in v:
        v = re.sub(r",?\s*\d{1,4}\s*\(\d{1,4}\)\s*:?.*$", "", v)
    v = re.sub(r"['’‘`]\s?\d{2,4}\b", "", v)
    v = re.sub(r"(?<=[A-Za-z])-\d{2}\b", "", v)
    v = re.sub(r"\b(?:19|20)\d\d(?:\.\d{1,2})?\.?", "", v)
    v = re.sub(r"\b" + MONTHS + r"\.?(?:\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?)?\b", "", v)
    if _DIGIT_RE.search(v):
        v = re.sub(r"(?:,?\s+(?:(?:vol\.?|volume|no\.?)\s*)?\d{1,4}(?:\s*\(\d{1,4}\))?)+\s*$", "", v, flags=re.I)
    st = _STATUS_TAIL_RE.search(v)
    if st and st.start() > 3:  # "Nature Physics submitted", "Opt. Lett. (in press)": the journal, not its status
        v = v[:st.start()]
    rem = REMARK_RE.search(v)
    if rem and rem.start() > 3:  # "MLSys 2023. 🏆 Outstanding Paper Award"
        v = v[:rem.start()]
    v = re.sub(r"\s[*•·]\s", " – ", v)  # a dash lost in copy-paste: "ECAI 2020 * 24th European ..."
    v = re.sub(r"\s+", " ", v).strip(" ,.;:-*–·•|")  # separators left by dropped link labels ("NeurIPS · · ")
    v = re.sub(r"\(\s*\)", "", v).strip()
    if ":" in v:  # "Nature 444: 323-329": volume and pages after the journal
        v = re.sub(r"\s+\d{1,4}(?:\s?\(\d{1,4}\))?\s?:\s?[A-Za-z]?\d+(?:\s?[–-]\s?[A-Za-z]?\d*)?$", "", v)
    return v


def _table_name(venue: str) -> Venue | None:
    """The venue table's row when ``venue`` is exactly its acronym or name (not a longer title containing it)."""
    v = lookup(venue)
    if v is None:
        return None
    key = _fold(venue)
    return v if key in (_fold(v.name), _fold(v.acronym)) else None


def _fold(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


# chunks of a publication-detail string; a period splits only after a long word
# (abbreviated journal names such as "Angew. Chem. Int. Ed." stay whole)
_VENUE_SPLIT = re.compile(r"[,;，]\s*|(?<=[a-z]{6})\.\s+(?=[A-Z\d])|\.\s+(?=(?:doi|DOI|https?:|URL|Available)\b)")


def _venue_from(text: str) -> str:
    """The venue named at the start of a publication-detail string."""
    t = strip_marks(text).strip(" ,.;\"“”'’")
    t = _CONNECTOR_RE.sub("", t)
    found = _venue_chunk(t)
    abbr = abbrev_journal_end(t)
    if abbr and found != t[:abbr] and _AFTER_JOURNAL_RE.match(t[abbr:].lstrip(" ,;")):
        # "J. Nanosci. Nanotech. 9, 3678 (2009)", "Commun. Am. Math. Soc. to appear": the whole abbreviated
        # name, followed by its volume, year or status (not "J. Nanosci", not "... Soc. to appear")
        cleaned = _clean_venue(t[:abbr])
        if cleaned and (cleaned.startswith(found) or found.startswith(cleaned)):
            return cleaned
    return found


_AFTER_JOURNAL_RE = re.compile(r"$|\d|\(|[A-Z]?\d|(?:to appear|in press|submitted|accepted|forthcoming|under review|"
                               r"vol\b|no\.|pp\.|pages)", re.I)


def _venue_chunk(t: str) -> str:
    for chunk in _VENUE_SPLIT.split(t[:1000]):
        c = chunk.strip()
        if not c or TYPE_WORD_RE.match(c) or re.fullmatch(r"[\d\s\-–.:()/]+", c) or \
                (c.startswith(("(", "[")) and c.rstrip(".").endswith((")", "]"))):
            continue
        if re.match(r"^(?:published by|publisher|by)\b", c, re.I) or \
                (len(c.split()) <= 3 and _EDITION_RE.match(c)):  # "1st edition. Routledge, 2020."
            continue
        if ARXIV_RE.search(c) or re.match(r"^arxiv\b", c, re.I):
            return "arXiv"
        if re.fullmatch(r"(?:19|20)\d\d[\s.\-/\d]*|(?:\d{1,2}\s)?" + MONTHS + r"\b[\s.,\-\d]*", c) or \
                re.fullmatch(r"(?:present|now|current|today|ongoing|online|virtual)\W*", c, re.I):
            continue
        cleaned = _clean_venue(c)
        if cleaned and not re.fullmatch(r"[\W\d]+", cleaned):
            return cleaned
    return ""


# -- roles of lines inside a block -----------------------------------------------------
_LIST_SPLIT = re.compile(r"[,;&，、]|\band\b")


def line_is_authors(line: Line) -> bool:
    text = _drop_labels(line.text)
    plain = strip_symbols(strip_marks(text)).strip()
    if "*" in plain:  # (the guards: a character each pattern needs)
        plain = re.sub(r"\(\s*\\?\*[^)]{0,80}\)\s*$", "", plain)  # "(* indicates equal contribution)"
        plain = re.sub(r"\s\\?\*\s?[A-Z][^,]{0,60}$", "", plain)  # "\*Project Core Leads"
    if "(" in plain:
        plain = re.sub(r"\s*\(\s*(?:equal|joint)[^)]{0,80}\)\s*$", "", plain, flags=re.I)
    if not plain or len(plain) > 3000:
        return False
    if any(len(piece.split()) > 6 for piece in _LIST_SPLIT.split(plain)):
        return False  # a long run of words without a separator is not a name
    return looks_like_author_list(plain) >= 0.55


def author_line_text(line: Line) -> str:
    plain = strip_marks(_drop_labels(line.text))
    plain = re.sub(r"\(\s*\\?\*[^)]{0,80}\)\s*$", "", plain)
    plain = re.sub(r"\s\\?\*\s?[A-Z][^,]{0,60}$", "", plain)
    return plain


def line_is_meta(line: Line) -> bool:
    """A line of venue, date, place, link or label text (not a title, not authors)."""
    text = strip_marks(_drop_labels(line.text)).strip()
    tag = re.match(r"^\[[^\]]{1,40}\]\s+(?=\S)", text)
    if tag and len(text[tag.end():].split()) >= 4:
        text = text[tag.end():]  # "[OSDI'24] Title. Authors.": the tag is not the whole line
    if not text:
        return True
    if LABEL_RE.match(text) or (re.match(r"^[\w\s]{1,12}[:：]\s*\S", text) and PATENT_RE.search(text)):
        return True
    if _title_etal(text) is not None:
        return False  # "A rapid review of X, Smith et al, Journal 2020": a whole reference
    words = text.split()
    if re.fullmatch(r"(?:(?:" + MONTHS + r"\.?|\d{1,2}|,|\s|(?:19|20)\d\d|[-–—/.]|present|online|to)+)",
                    text, re.I):
        return True
    if _tag_year(text) and len(words) <= 3:
        return True
    if venue_like(text) and len(words) <= 20:
        return True
    if any(rx.search(text) for _, rx in STATUS_RES) and len(words) <= 8:
        return True
    if len(words) <= 8 and _title_then_venue(text):
        return False  # "Fast Paxos, Distributed Computing 19(2), 79-103, 2006.": a whole short reference
    if len(words) <= 8 and (YEAR_RE.search(text) or PLACE_RE.match(text)) and not _whole_emph(line) \
            and not line.heading:
        return True  # "New York City, U.S. Apr. 2023"
    # short lines such as "Santa Clara, U.S."
    return len(words) <= 4 and not (line.heading or _whole_emph(line))


def _title_then_venue(text: str) -> bool:
    """A title of two words or more, a comma or period, then a venue with its year."""
    if not YEAR_RE.search(text) or venue_like(text) or (PLACE_RE.match(text) and not _LOCATOR_RE.search(text)):
        return False  # ("New York City, U.S. Apr. 2023" is a place and a date)
    title, detail = split_title(text)
    if len(title.split()) < 2 or not detail or not _year_of(detail):
        return False
    v = _venue_from(detail)
    if _LOCATOR_RE.search(detail):
        return bool(v)
    return bool(v) and venue_like(detail) and (venue_type(v) is not None or lookup(v) is not None)


#: a volume(issue), a page range (not a span of years) or a report number: "19(2)", "79-103", "pp. 1-20", "TR-05"
_LOCATOR_RE = re.compile(r"\b\d{1,4}\s?\(\d{1,4}\)|(?<![\d\-–])(?!(?:1[89]|20)\d\d\s?[-–])\d{1,5}\s?[-–]\s?\d{1,5}\b|"
                         r"\bpp?\.\s?\d|\bTR[-\s]?\d")


def is_fragment(line: Line) -> bool:
    """A list item that only continues the entry before it: link labels, a label line
    ("Track: Research"), a date, a venue-only link, a status word."""
    text = strip_marks(_drop_labels(line.text)).strip(" ,;|")
    if not text:
        return True
    if LABEL_RE.match(text):
        return True
    words = text.split()
    if L_ON in line.text and not strip_marks(re.sub(f"{L_ON}[^{L_OFF}]{{0,400}}{L_OFF}", "", line.text)).strip(
            " ,;|()"):
        return len(words) <= 6  # only link text: "[Together AI Blog](#)"
    if re.fullmatch(r"(?:(?:" + MONTHS + r"\.?|\d{1,2}|,|\s|(?:19|20)\d\d|[-–—/.]|present|online|to)+)", text, re.I):
        return True
    if len(words) <= 4 and _ANY_STATUS_RE.search(text):
        return True
    return len(words) <= 2


def _title_candidate(line: Line) -> bool:
    """Whether a line of a multi-line block can be the title (not a date, place, label,
    link, status or venue line)."""
    if line.heading or _whole_emph(line):
        return True
    text = strip_marks(_drop_labels(line.text)).strip()
    words = text.split()
    if len(words) < 2 or LABEL_RE.match(text) or PLACE_RE.match(text):
        return False
    if re.fullmatch(r"(?:(?:" + MONTHS + r"\.?|\d{1,2}|,|\s|(?:19|20)\d\d|[-–—/.]|present|online|to)+)", text, re.I):
        return False
    if any(rx.search(text) for _, rx in STATUS_RES) and len(words) <= 8:
        return False
    if _tag_year(text) and len(words) <= 3:
        return False
    return not venue_like(text)


def _whole_emph(line: Line) -> bool:
    t = line.text.strip()
    return len(t) > 2 and t[0] in (B_ON, I_ON) and t[-1] in (B_OFF, I_OFF) and \
        t.count(B_ON) + t.count(I_ON) == 1


# -- the entry ----------------------------------------------------------------------------
def parse_block(lines: list[Line], section_type: str | None = None, section_status: str | None = None,
                section_year: int | None = None, force_type: str | None = None) -> Parsed:
    """Read one candidate entry."""
    lines = [ln for ln in lines if not ln.blank]
    reasons: list[str] = []
    urls = [u for ln in lines for u in ln.urls]
    lines, abstract = _split_abstract(lines)
    author_idx = [i for i, ln in enumerate(lines) if line_is_authors(ln) or _with_names(ln)] \
        if len(lines) > 1 else []
    names: list[Name] = []
    title = ""
    tag_venue = ""
    tag_year: int | None = None
    detail_parts: list[str] = []
    title_source = ""
    notes: list[str] = []
    first_marked = _drop_labels(lines[0].text) if lines else ""

    # a leading "[VENUE'YY]" or "[TPDS]" tag
    tag = re.match(r"^\s*\[([^\]]{1,60})\]\s*", strip_marks(first_marked))
    if tag:
        inner = tag.group(1).strip()
        if not re.fullmatch(r"[A-Z]?\d{1,4}[a-z]?", inner):
            ty = _tag_year(inner)
            y = _year_of(inner)
            tag_year = ty[1] if ty else y
            tag_venue = _clean_venue(inner)
            short = _TAG_YY_RE.fullmatch(inner) if tag_year is None else None
            if short and lookup(short.group(1)) is not None:  # "[MLSys19]", "[SIGCOMM 15]": a known venue, 2 digits
                yy = int(short.group(2))
                tag_year = 2000 + yy if yy < 50 else 1900 + yy
                tag_venue = short.group(1)

    if author_idx:
        ai = author_idx[0]
        if len(author_idx) > 1 and _whole_emph(lines[ai]):
            # "**Mask R-CNN**" over "Kaiming He, Georgia Gkioxari, ...": an emphasised one-"name" line is the
            # title when a later line is a longer author list
            best = max(author_idx, key=lambda i: looks_like_author_list(clean_author_text(author_line_text(lines[i]))))
            if looks_like_author_list(clean_author_text(author_line_text(lines[best]))) > \
                    looks_like_author_list(clean_author_text(author_line_text(lines[ai]))):
                ai = best
        names = _with_names(lines[ai]) or parse_author_list(clean_author_text(author_line_text(lines[ai])))
        title_lines: list[Line] = []
        others: list[Line] = []
        for ln in lines[:ai]:
            if not title_lines:
                if _title_candidate(ln):
                    title_lines.append(ln)
                else:
                    others.append(ln)
                continue
            if not others and _continues_title(title_lines, ln):
                title_lines.append(ln)
            else:
                others.append(ln)
        others.extend(lines[ai + 1:])
        if not title_lines:  # authors first, then the title
            for ln in others:
                if _title_candidate(ln):
                    title_lines = [ln]
                    others.remove(ln)
                    break
        if title_lines:
            tl_text = " ".join(_drop_labels(ln.text) for ln in title_lines)
            if tag and title_lines[0] is lines[0]:
                tl_text = _strip_leading_tag(tl_text)  # "**[NeurIPS'23]** Title" over an author line
            ly = _LEAD_YEAR_DOT.match(strip_marks(tl_text)[:20])
            if ly:  # an author line, then "(2015). Title. Venue."
                tl_text = _strip_visible(tl_text, ly.end())
                detail_parts.append(ly.group(1))
            title, extra, title_source = _title_from_line(tl_text)
            if extra:
                detail_parts.append(extra)
        detail_parts.extend(_drop_labels(ln.text) for ln in others)
    else:
        marked = _join_at_venue(lines)
        marked = _drop_labels(marked)
        if tag:
            marked = _strip_leading_tag(marked)
        names, title, detail, title_source = _single(marked)
        if detail:
            detail_parts.append(detail)
        if not title and len(lines) == 1 and lines[0].heading:
            title = clean_title(lines[0].text)
            title_source = "heading"

    details = " | ".join(strip_marks(p) for p in detail_parts if strip_marks(p).strip())
    editor_names: list[Name] = []
    eds = _EDS_RE.search(details[:3000])
    if eds:
        editors = parse_author_list(clean_author_text(eds.group(1)))
        if not editors and " / " in eds.group(1):  # "in: Säcker, Franz Jürgen / Rixecker, Roland (Hrsg.),"
            editors = parse_author_list(clean_author_text(eds.group(1).replace(" / ", "; ")))
        if editors:
            editor_names = editors
            details = details[:eds.start()] + " In " + details[eds.end():]
    if not editor_names:
        eds2 = _EDS_AFTER_RE.search(details[:3000])
        if eds2 and re.match(r"[\s,|]*in:?\s", details, re.I):
            editors = parse_author_list(clean_author_text(eds2.group(1)))
            if editors:  # "in Solid State Physics, Vol. 14, Eds. F. Seitz and D. Turnbull (Academic Press, ...)"
                editor_names = editors
                details = details[:eds2.start()] + details[eds2.end() - 1:]
    with_m = re.search(r"\(\s*(?:with|joint with|w/)\s+([^()]{3,300})\)", details[:3000], re.I)
    if with_m and not names:
        names = parse_author_list(clean_author_text(with_m.group(1)))
        details = (details[:with_m.start()] + details[with_m.end():]).strip(" ,.;")
    details, more_notes = _remarks(details)
    notes.extend(more_notes)
    title_full = title
    # a venue tag glued to the end of the title ("... Workflows NSDI'24")
    m = re.search(r"\s+([A-Za-z][\w\-&]{1,15}['’]\s?\d{2,4})$", title) if "'" in title or "’" in title else None
    if ((m and lookup(_clean_venue(m.group(1))) is not None) or (m and not details)) and m:
        details = (m.group(1) + " | " + details) if details else m.group(1)
        title = title[:m.start()].strip()
    entry = Entry(title=title or None)
    entry.author = names
    if abstract:
        entry.abstract = abstract
    entry.editor = editor_names

    all_text = " | ".join(strip_marks(ln.text) for ln in lines)
    # identifiers
    doi = DOI_RE.search(all_text + " " + " ".join(urls))
    if doi:
        entry.doi = doi.group(1).rstrip(".,;)")
    ax = ARXIV_RE.search(all_text) or ARXIV_RE.search(" ".join(urls))
    if ax:
        entry.arxiv = ax.group(1)
    isbn = ISBN_RE.search(all_text)
    if isbn:
        entry.isbn = re.sub(r"\s", "", isbn.group(1))
    web = [u for u in urls if u.startswith("http")]
    if web:
        entry.url = web[0]
    # status
    status = None
    if _ANY_STATUS_RE.search(details[:2000]):
        for st, rx in STATUS_RES:
            if rx.search(details[:2000]):
                status = st
                break
    # venue
    venue = ""
    ty = _tag_year(details)
    if details:
        parts = [p for p in details.split(" | ") if p.strip() and not LABEL_RE.match(p.strip())
                 and not PLACE_RE.match(p.strip())]
        venue = _venue_from(parts[0]) if parts else ""
        booktitle = next((p for p in parts[1:] if re.match(r"\s*book\s?title\s?:", p, re.I)), None)
        if booktitle and _venue_from(booktitle):  # "Springer Series, 2020" / "Booktitle: Encyclopedia of ...": the book
            venue = _venue_from(booktitle)
        if len(parts) > 1 and (not venue or (venue_type(venue) is None and lookup(venue) is None)):
            for part in parts:
                v = _venue_from(part)
                if v and (venue_type(v) or lookup(v)):
                    venue = v
                    break
    if not venue and tag_venue:
        venue = tag_venue
    if not venue and ty:
        venue = _clean_venue(ty[0])
    if venue and (LABEL_RE.match(venue) or (REMARK_RE.search(venue) and not venue_type(venue))):
        venue = ""
    if venue and re.fullmatch(r"preprint", venue, re.I):
        venue = ""
        status = status or "preprint"
    series = _SERIES_RE.search(details[:1000]) if "(=" in details[:1000] else None
    if series is not None:  # "(= Schriften zum Wirtschaftsrecht, Bd. 93)": the series, not the venue
        entry.collection_title = series.group(1).strip(" ,")
        details = (details[:series.start()] + details[series.end():]).strip(" .|")
        if not venue or venue in series.group(0):
            venue = _venue_from(details.split(" | ")[0]) if details else ""
    place_pub = _place_publisher(details) if details and ":" in details[:1000] else None
    in_book = _IN_AUTHOR_BOOK_RE.match(details[:600]) if details[:3].casefold().startswith("in") else None
    if in_book is not None and not editor_names and match_inverted_prefix(in_book.group(1) + " ") is not None:
        venue = in_book.group(2).strip(" ,")  # "in: Fezer, Karl-Heinz, Lauterkeitsrecht - Kommentar, München 2005"
    periodical = _dated_periodical(details) if details and MONTHS_RE.search(details[:300]) else None
    if periodical is not None:  # "The Guardian, June 16, 2020." (a place-like "Times, June 1" is no place)
        venue = periodical[0]
    chicago = _chicago_journal(details) if details and "(" in details[:300] else None
    if chicago is not None:  # "AEA Papers and Proceedings 110 (May 2020): 131-136."
        venue = chicago[0]
        entry.volume, entry.issue, entry.page = chicago[1], chicago[2], chicago[3]
    # year
    year = None
    for src in (details, strip_marks(first_marked) if tag else ""):
        if not src:
            continue
        year = _year_of(re.sub(ARXIV_RE, " ", src))
        if year:
            break
        t = _tag_year(src)
        if t:
            year = t[1]
            break
    if year is None and tag_year:
        year = tag_year
    if year is None and entry.arxiv:
        yy = int(entry.arxiv[:2])
        year = 2000 + yy if yy < 50 else None
    if year is None and section_year:
        year = section_year
    if year:
        entry.issued = Date(year)
    # type
    kind = venue_type(venue) if venue else None
    if venue and kind is None and details and _journal_cite(strip_marks(details.split(" | ")[0]).strip()):
        kind = "article-journal"  # "Optica 6, 1086 (2019), arXiv:..." : a published article, the preprint aside
    if venue and kind in (None, "paper-conference") and abbrev_journal_end(venue) >= len(venue.rstrip(".")) - 1 and \
            not re.search(r"\b(?:Proc|Conf|Symp|Workshop|Meeting|Congress)\b", venue):
        kind = "article-journal"  # "Forum Math. Pi", "Combin. Probab. Comput.": an abbreviated journal name
    # only the general rules can name these four kinds (a table hit is a journal/conference/preprint): no look-up
    detail_kind = generic_type(details[:300]) if details else None
    if details and re.search(r"(?:^|\|)\s*book\s?title\s?:", details[:600], re.I):
        detail_kind = "chapter"  # "Booktitle: Encyclopedia of ...": a chapter in that book
    if detail_kind in ("thesis", "patent", "report", "chapter") and kind not in ("article", "webpage"):
        kind = detail_kind
    whole = details + " " + all_text
    pub_by = re.search(r"published by\s+([^,.|]{3,80})", whole, re.I)
    publisher = _publisher(details) or _publisher(venue or "")
    if pub_by:
        entry.publisher = pub_by.group(1).strip()
    elif publisher:
        entry.publisher = publisher.group(1).strip()
    typ = None
    if force_type:
        typ = force_type
    elif ("patent" in whole[:3000].lower() or "专利" in whole or "申请号" in whole or "公开号" in whole) and \
            re.search(r"\bpatent\b|专利|申请号|公开号", whole[:3000], re.I):  # (only ASCII letters fold to "patent")
        typ = "patent"
    elif _PATENT_CUE_RE.search(details[:1000]):
        typ = "patent"  # "PCT Int. Appl. (2008), WO 2009001129", "U.S. Pat. Appl. Publ."
    elif gbt := GBT_RE.search(details[:1000]):
        typ = GBT_TYPES[gbt.group(1)]
    elif kind in ("thesis", "patent", "webpage", "report", "chapter"):
        typ = kind
    elif editor_names and (kind not in ("paper-conference", "article-journal") or (
            kind == "article-journal" and generic_type(venue) is None and _table_name(venue) is None)):
        typ = "chapter"  # "In G. Montavon ... (Eds.), Neural Networks: Tricks of the Trade": a book, not the journal
    elif ("book" in details.lower() and re.search(r"(?:^|\|)\s*book\s*(?:\||$)|,\s*book\s*,", details, re.I)) or \
            (section_type == "book" and kind in (None, "book")):
        typ = "book"
    elif status in ("submitted", "under-review") or (status == "forthcoming" and not venue):
        typ = "manuscript"
    elif (kind == "article-journal" or (kind is None and (_PAREN_PRESS_RE.search(details[:600]) or (
            section_type != "paper-conference" and not _CONF_MARK_RE.search(details[:600]))))) and \
            re.match(r"[\s,]*In:?\s", details, re.I) and generic_type(venue) is None and \
            _table_name(venue) is None and (entry.publisher or any(
                is_publisher(c.strip()) for c in re.split(r"[,.|;]", details[:300]) if c.strip())):
        typ = "chapter"  # "In Neural Networks: Tricks of the Trade, pages 437–478. Springer": a book's title
    elif kind:
        typ = kind
    elif entry.arxiv or re.search(r"\b(?:arxiv|preprint|corr)\b", whole[:3000], re.I):
        typ = "article"
    elif section_type:
        typ = section_type
    elif entry.publisher and not venue:
        typ = "book"
    else:
        typ = "manuscript" if not venue else "article-journal"
    if in_book is not None and venue and typ in ("article-journal", "manuscript", "book"):
        typ = "chapter"
    if typ == "article-journal" and not editor_names and _EDITED_BY_RE.search(details[:600]):
        typ = "chapter"  # "in: Festschrift für X, hrsg. von Y, München 2011, S. 233-251"
    if place_pub is not None:
        entry.publisher = entry.publisher or place_pub[1]
        entry.publisher_place = entry.publisher_place or place_pub[0]
        if typ in ("article-journal", "manuscript", "thesis", "book") and not editor_names and \
                not re.match(r"[\s,.;:|]*in\b", details, re.I):
            thesis_word = _THESIS_WORD_RE.search(details)
            if thesis_word and not entry.genre:
                entry.genre = thesis_word.group(0)
            typ = "book"  # "Berlin: Duncker & Humblot 1996. (Habilitationsschrift)": a published book
            venue = entry.publisher
    if periodical is not None and periodical[1] and typ in ("article-journal", "paper-conference", "manuscript"):
        typ = periodical[1]
    known_venue = lookup(venue) if chicago is not None and typ == "paper-conference" else None
    if chicago is not None and typ == "paper-conference" and (known_venue is None or known_venue.kind != "conference"):
        typ = "article-journal"  # a journal named "... Proceedings" cited with volume, date and pages (not NeurIPS)
    if venue and typ in ("article-journal", "manuscript") and _EDITION_RE.search(details[:300]) and \
            not editor_names and venue_type(venue) in (None, "book"):
        typ = "book"  # "Title, 1st edition. Routledge, 2020."
        entry.publisher = entry.publisher or venue
    if typ == "article" or (entry.arxiv and not venue):
        status = status or "preprint"
        if not venue:
            venue = "arXiv" if entry.arxiv or re.search(r"arxiv", whole[:3000], re.I) else ""
        if not venue:
            entry.genre = "Preprint"
    if section_status and not status:
        status = section_status
        if status == "preprint" and not venue and not entry.genre:
            entry.genre = "Preprint"
    if typ == "patent":
        nums = PATENT_RE.findall(all_text)
        if nums:
            entry.number = nums[-1].strip()
        elif us_no := _US_PATENT_NO_RE.search(all_text):  # "US Patent 9,123,456 B2", "U.S. Pat. No. 7,654,321"
            entry.number = "US " + us_no.group(1).replace(",", "")
        elif slash_no := _SLASH_PATENT_NO_RE.search(all_text):  # "WO 2009/001129 A1"
            entry.number = slash_no.group(0)
    if typ == "report" and venue and not entry.number:
        rn = _REPORT_NO_RE.search(venue)
        if rn and len(venue[:rn.start()].split()) >= 1:  # "NBER Working Paper No. 23559", "... Series RWP17-026"
            venue, entry.number = venue[:rn.start()].strip(" ,"), rn.group(1)
    if typ == "thesis" and not entry.genre:
        g = re.search(r"\b(ph\.?\s?d\.?|doctoral|master'?s?|bachelor'?s?|undergraduate|m\.?sc\.?)\b", whole, re.I)
        entry.genre = (g.group(1) + " thesis") if g else "Thesis"
    if venue and typ == "article-journal" and not editor_names and venue_type(venue) is None and \
            _paren_publisher(all_text, venue):
        entry.publisher = entry.publisher or venue  # "Name, Title (Allen Lane, 2012)": a book's imprint
        typ = "book"
    if venue and is_publisher(venue) and typ in ("article-journal", "manuscript", None) and not editor_names:
        typ = "book"
        entry.publisher = entry.publisher or venue
    if typ == "book" and venue and entry.publisher and venue == entry.publisher:
        venue = ""
    if venue:
        if typ == "book" and not entry.publisher:
            entry.publisher = venue
        elif typ == "book":
            pass
        else:
            entry.container_title = venue
            if typ == "thesis" and not entry.publisher:
                entry.publisher = venue  # the degree-granting university
            known = lookup(venue)
            if known is not None and typ == "paper-conference" and known.name and known.name not in venue:
                entry.event = known.name
    entry.type = typ
    entry.status = status if status != "published" else None
    low = whole[:3000].lower()  # the hints are words any match holds (their letters fold only to ASCII)
    for pat, hints in ((r"\b(?:best (?:student )?paper(?: award)?(?: runner-up| nominee| honorable mention)?)\b",
                       ("paper",)),
                      (r"\b(?:oral|spotlight|highlight)(?: presentation| paper)?\b", ("oral", "ght"))):
        if not any(h in low for h in hints):
            continue
        for mm in re.finditer(pat, whole[:3000], re.I):
            if mm.group(0) not in notes and not any(mm.group(0).casefold() in n.casefold() for n in notes):
                notes.append(mm.group(0))
    if notes:
        entry.note = "; ".join(dict.fromkeys(n for n in notes if n))
    # confidence
    score = 0.0
    if title and (not re.match(r"^[\w\"“‘'(¿¡§]", title) or len(title) < 6):
        reasons.append("no usable title")
        title = ""
        entry.title = None
    real = [n for n in names if not n.is_others]
    if title and len(title.split()) >= 2:
        score += 0.3
    elif title:
        score += 0.1
    else:
        reasons.append("no title")
    if real:
        score += 0.3 if len(real) >= 2 else 0.2
    else:
        reasons.append("no authors")
    if venue or entry.publisher or typ in ("thesis", "patent"):
        score += 0.2
    else:
        reasons.append("no venue")
    if year:
        score += 0.1
    if entry.doi or entry.arxiv or entry.isbn:
        score += 0.1
    elif venue and venue[:1].isalnum() and year and _LOCATOR_RE.search(details[:600]):
        score += 0.1  # "Title, Journal 19(2), 79-103, Oct. 2006": a volume or pages locate a published work
    if title_source in ("quote", "emphasis", "heading"):
        score += 0.05
    if len(lines) > 12:
        score -= 0.3
        reasons.append("block too long")
    if title and (len(title) > 400 or len(title.split()) > 45):
        score -= 0.3
        reasons.append("title too long")
    entry.confidence = round(max(0.0, min(1.0, score)), 2)
    _ = title_full
    return Parsed(entry, entry.confidence, reasons, title_source)


_CONNECTOR_END = re.compile(r"(?:\b(?:of|for|from|a|an|the|and|in|on|with|to|via|towards?|by|at|using)|[:\-–,])$",
                            re.I)


#: a reference ending "(Imprint, 2012)" / "(New York: Imprint, 2012)": place, publisher and year in parentheses
_PAREN_PUB_RE = re.compile(r"\((?:[^()\d:]{2,40}:\s*)?([^()\d:]{2,80}),\s*(?:1[5-9]|20)\d\d\)\.?\s*$")


def _paren_publisher(text: str, venue: str) -> bool:
    """Whether ``venue`` is the publisher named in a closing "(Publisher, Year)" (Chicago notes, history pages).

    >>> _paren_publisher("C. Clark, The Sleepwalkers (Allen Lane, 2012)", "Allen Lane")
    True
    """
    m = _PAREN_PUB_RE.search(text[-200:])
    return m is not None and m.group(1).strip().casefold() == venue.strip().casefold()


#: a report or working-paper number ending its series name
_REPORT_NO_RE = re.compile(r"(?:,\s?|\s)(?:(?:No\.?|Number|#)\s?)?((?:[A-Z]{1,5}[\s\-]?)?\d[\d\-/.]*[A-Za-z]?)$")
#: a series in a German reference: "(= Schriften zum Wirtschaftsrecht, Bd. 93)"
_SERIES_RE = re.compile(r"\(=\s*([^()]{2,150}?)(?:,?\s*(?:Bd|Band|Nr|Heft|H|Vol)\.?\s*([\dIVX]{1,5}))?\s*\)\.?")
#: "Place: Publisher Year" / "Place/Place: Publisher, Year" (German and Chicago imprints)
_PLACE_PUB_RE = re.compile(r"(?:^|\|\s*|[.,]\s+)([A-ZÄÖÜ][^\W\d_]+(?:[ \-][A-Z][^\W\d_]+)?(?:\s?/\s?[A-ZÄÖÜ]"
                           r"[^\W\d_]+)?(?:\s(?:u\.\s?a\.|et al\.))?(?:,\s[A-Z]{2})?):\s+([^:|()\d]{2,80}?),?\s+"
                           r"(?:1[5-9]|20)\d\d\b")
#: "in: Family, Given, Book Title, Place Year" (a chapter in a book by one author; no "(Hrsg.)")
_IN_AUTHOR_BOOK_RE = re.compile(r"\s*in:?\s+([^\W\d_][\w'’\-]+, [^\W\d_][\w.'’\-]*(?: [^\W\d_][\w.'’\-]*)?),\s+"
                                r"([^|]{4,200}?)(?:,\s+(?:Bd\.|Band|\d{1,2}\.\s?Aufl)[^,|]*)*,\s+"
                                r"(?:[A-ZÄÖÜ][^\W\d_]+\s+)?(?:1[5-9]|20)\d\d\b", re.I)
_SLASH_PATENT_NO_RE = re.compile(r"\b(?:WO|EP|US)\s?(?:19|20)\d\d/\d{5,7}(?:\s?[A-C]\d)?\b")
_US_PATENT_NO_RE = re.compile(r"\bU\.?\s?S\.?\s?Pat(?:ent)?\.?\s?(?:No\.?\s?)?(\d{1,2},\d{3},\d{3})\b")
#: a collection named with its editors after it ("hrsg. von", "edited by") or a Festschrift: a chapter
_EDITED_BY_RE = re.compile(r"\b(?:hrsg\.\s?v(?:on|\.)|herausgegeben von|ed(?:ited|s?\.)\s+by)\s|"
                           r"\b(?:Festschrift|Gedächtnisschrift|Gedenkschrift|Liber amicorum)\b", re.I)
_THESIS_WORD_RE = re.compile(r"\b(?:Habilitationsschrift|Dissertation|Diss\.|Doctoral thesis|PhD thesis)", re.I)


def _place_publisher(details: str) -> tuple[str, str] | None:
    """(place, publisher) of an imprint "Berlin: Duncker & Humblot 1996" in a reference's details.

    >>> _place_publisher("Berlin: Duncker & Humblot 1996. (Habilitationsschrift)")
    ('Berlin', 'Duncker & Humblot')
    """
    m = _PLACE_PUB_RE.search(details[:1000])
    if not m or m.group(1).casefold() in ("available", "online", "abstract", "note", "doi", "url", "in"):
        return None
    place, pub = m.group(1).strip(), m.group(2).strip(" ,")
    if (is_publisher(place) or is_publisher(place.split("-")[0])) and not is_publisher(pub):
        place, pub = pub, place  # ACS: "Wiley-VCH: Weinheim, 2005" (publisher first, then the place)
    if _ANY_STATUS_RE.search(pub) or (venue_type(pub) in ("article-journal", "paper-conference") and
                                      not is_publisher(pub)):
        return None
    return place, pub


MONTHS_RE = re.compile(r"\b" + MONTHS + r"\b")
_EDITION_RE = re.compile(r"\b(?:(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|revised|expanded|new)\s+ed(?:n|ition)?|"
                         r"\d{1,2}\.\s?(?:Aufl(?:age)?|Ausg(?:abe)?)|(?:neu\s)?bearb(?:eitete)?\.?\s+Aufl)\b", re.I)
#: "Venue, Month Day, Year" / "Venue. May-June 2020." (a periodical cited by its issue date, no volume)
_DATED_RE = re.compile(r"^\s*([A-Z][^,|()\d]{1,80}?)[,.]\s+(" + MONTHS + r"\.?(?:\s?[-–/]\s?" + MONTHS +
                       r"\.?)?\s+(?:(\d{1,2}),?\s+)?(?:19|20)\d\d)\.?\s*(?:\||$)")
#: Chicago journal citation: "Venue 110, no. 2 (May 2020): 131-136"
_CHICAGO_RE = re.compile(r"^\s*([A-Z][^|()\d]{1,120}?),?\s+(\d{1,4})(?:,\s*no\.\s*(\d{1,4}))?\s*"
                         r"\((?:[A-Z][a-z]{2,9}\.?(?:[-–/][A-Z][a-z]{2,9}\.?)?\s+)?(?:19|20)\d\d\)\s*:\s*"
                         r"([A-Za-z]?\d+(?:\s?[–-]\s?[A-Za-z]?\d+)?)")


@lru_cache(maxsize=1)
def _periodical_words() -> dict[str, str]:
    from importlib import resources

    text = resources.files("bibkit.data").joinpath("periodicals.csv").read_text(encoding="utf-8")
    rows = [ln.split(",") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")][1:]
    return {r[0].strip().casefold(): r[1].strip() for r in rows if len(r) >= 2}


def _dated_periodical(details: str) -> tuple[str, str | None] | None:
    """(venue, CSL type or None) of a periodical cited by its issue date only ("The Guardian, June 16,
    2020." -> newspaper; "Harvard Magazine. May-June 2020." -> magazine); a day of the month makes it a
    newspaper unless its name says otherwise.

    >>> _dated_periodical("The Guardian, June 16, 2020.")
    ('The Guardian', 'article-newspaper')
    >>> _dated_periodical("Harvard Magazine. May-June 2020.")
    ('Harvard Magazine', 'article-magazine')
    """
    m = _DATED_RE.match(details[:300])
    if not m:
        return None
    venue = m.group(1).strip()
    if _ANY_STATUS_RE.search(venue) or TYPE_WORD_RE.match(venue) or REMARK_RE.search(venue):
        return None  # "Submitted, May 2021", "Preprint, June 2020": a status or kind, no periodical
    if venue_like(venue) and venue_type(venue) in ("paper-conference", "thesis", "report", "article", "chapter"):
        return None
    words = _periodical_words()
    folded = " ".join(re.findall(r"[^\W\d_]+", venue.casefold()))
    toks = folded.split()
    named = [typ for w, typ in words.items() if " " in w and f" {w} " in f" {folded} "]
    if named:  # a periodical named in full ("The Wall Street Journal")
        return venue, named[0]
    found = [typ for w, typ in words.items() if w in toks]
    if "article-magazine" in found:
        return venue, "article-magazine"
    if venue_type(venue) is not None:
        return venue, None  # "Journal of X, March 15, 2020": a journal by the general rules
    if found or m.group(3):
        return venue, "article-newspaper"
    return venue, None


def _chicago_journal(details: str) -> tuple[str, str, str | None, str] | None:
    """(venue, volume, issue, pages) of a Chicago-style journal citation.

    >>> _chicago_journal("AEA Papers and Proceedings 110 (May 2020): 131-136.")
    ('AEA Papers and Proceedings', '110', None, '131-136')
    """
    m = _CHICAGO_RE.match(details[:300])
    if not m:
        return None
    return m.group(1).strip(" ,"), m.group(2), m.group(3), m.group(4).replace(" ", "")


def _continues_title(title_lines: list[Line], ln: Line) -> bool:
    """Whether ``ln`` is the rest of a title broken over lines (not a venue, date or place)."""
    prev = strip_marks(title_lines[-1].text).strip()
    nxt = strip_marks(ln.text).strip()
    if not nxt or prev.endswith((".", "?", "!")) or ln.bullet:
        return False
    tag = re.search(r"\s+[A-Za-z][\w\-&]{1,15}['’]\s?\d{2,4}$", nxt)
    head = nxt[:tag.start()].strip() if tag else nxt
    if not head or "," in head or venue_like(head) or YEAR_RE.search(head):
        return False
    if nxt[0].islower() or _CONNECTOR_END.search(prev):
        return True
    return bool(tag) and len(head.split()) <= 6


_WITH_LINE_RE = re.compile(r"^\(?\s*(?:with|joint with|joint work with|w/)\s+([^()]{3,300}?)\s*\)?\.?$", re.I)


def _with_names(line: Line) -> list[Name]:
    """The co-authors of a line "with A. Bee and C. Dee" under a title (the page's owner implied)."""
    m = _WITH_LINE_RE.match(line.plain.strip()[:320])
    if not m:
        return []
    text = clean_author_text(m.group(1))
    return parse_author_list(text) if looks_like_author_list(text) >= 0.55 else []


def _prose(line: Line) -> bool:
    """A line of running text (an abstract), not a title, an author list or a venue."""
    words = line.plain.split()
    if len(words) < 8 or line.heading or line.bullet is not None:
        return False
    lower = sum(w[:1].islower() for w in words)
    return lower >= 0.4 * len(words) and not looks_like_reference(line) and not venue_like(line.plain)


def _split_abstract(lines: list[Line]) -> tuple[list[Line], str]:
    """Lines of an entry without the abstract printed after its venue line: title / [with ...] / venue /
    a paragraph of running text."""
    if len(lines) < 3:
        return lines, ""
    for k in range(1, min(len(lines) - 1, 4)):
        ln = lines[k]
        end = ln.plain.rstrip()
        if (venue_like(ln.plain) or YEAR_RE.search(ln.plain)) and len(ln.plain.split()) <= 20 and \
                not end.endswith((",", "-", "–")) and not _CONNECTOR_END.search(end) and \
                lines[k + 1].plain.lstrip()[:1].isupper() and \
                sum(len(x.plain.split()) for x in lines[k + 1:]) >= 12 and all(_prose(x) for x in lines[k + 1:]):
            # (not a reference wrapped over lines: "... In Proceedings of the" / "57th annual meeting of ...")
            return lines[:k + 1], " ".join(x.plain.strip() for x in lines[k + 1:])
    return lines, ""


def _join_at_venue(lines: list[Line]) -> str:
    """The lines of a block as one text; a line break before a venue line ends the title ("Title" /
    "Ann. of Math. 2023" -> "Title. Ann. of Math. 2023")."""
    parts = _join_lines(lines)
    out = parts[0] if parts else ""
    for prev, ln, text in zip(lines, lines[1:], parts[1:], strict=False):
        end = strip_marks(prev.text).rstrip()
        plain = ln.plain.strip()
        if end and end[-1] not in ".?!:;,-–—([" and not _CONNECTOR_END.search(end) and plain[:1].isupper() \
                and venue_like(plain) and not looks_like_reference(prev):
            out += ". " + text
        else:
            out += " " + text
    return out


def _join_lines(lines: list[Line]) -> list[str]:
    out: list[str] = []
    for ln in lines:
        t = ln.text.strip()
        if out and out[-1].endswith("-") and t[:1].islower():
            out[-1] = out[-1]  # keep the hyphen: compound words are more common than hyphenation
        out.append(t)
    return out


def _strip_leading_tag(marked: str) -> str:
    plain_tag = re.match(r"^\s*\[[^\]]{1,60}\]\s*", strip_marks(marked))
    if not plain_tag:
        return marked
    # remove the same number of visible characters from the marked text
    need = plain_tag.end()
    i = 0
    seen = 0
    while i < len(marked) and seen < need:
        if marked[i] not in (B_ON, B_OFF, I_ON, I_OFF, L_ON, L_OFF):
            seen += 1
        i += 1
    return marked[i:]


def _title_from_line(marked: str) -> tuple[str, str, str]:
    """(title, rest, source) from a line that holds the title and maybe a venue."""
    plain = strip_marks(marked).strip()
    spans = [s for s in _spans(marked) if s[2] in ("b", "i") and len(s[3].split()) >= 2
             and not _ETAL_ONLY_RE.fullmatch(s[3])]
    if spans:
        s, e, _, txt = spans[0]
        before = plain[:s].strip()
        if not before or len(before.split()) <= 8:
            after = plain[e:].strip()
            head = clean_title((before + " " + txt) if before and not venue_like(before) else txt)
            return head, after, "emphasis"
    q = QUOTE_RE.search(plain)
    if q:
        return clean_title(q.group(1) or q.group(2) or q.group(3)), plain[q.end():], "quote"
    title, rest = split_title(plain)
    if rest and not venue_like(rest) and len(rest.split()) <= 3:
        return clean_title(plain), "", "line"
    return title, rest, "line"


def _single(marked: str) -> tuple[list[Name], str, str, str]:
    """(authors, title, details, title source) of a one-paragraph reference."""
    lead = strip_symbols(strip_marks(marked)).lstrip()
    ly = _LEAD_YEAR.match(lead[:40])
    if ly:  # "2023 — Doe, J. ..." / "(2021) J. Doe. ..."
        marked = _strip_visible(marked.lstrip(), ly.end())
        names, title, detail, src = _single_body(marked)
        return names, title, (detail + " | " + ly.group(1)).strip(" |"), src
    return _single_body(marked)


#: links and DOIs ending a reference ("... 173–198. https://doi.org/...", "Available from: http...")
_TRAIL_LINKS_RE = re.compile(r"(?:[\s.,;]+(?:(?:URL|Available (?:from|at):?|doi:?|DOI:?|\[?Online\]?\.?)\s*)?"
                             r"(?:https?://\S+|10\.\d{4,9}/\S+)(?:\s*\((?:accessed|cited)[^()]{0,40}\))?)+[\s.]*$")


def _single_body(marked: str) -> tuple[list[Name], str, str, str]:
    plain = strip_marks(marked)
    plain = strip_symbols(plain).replace("\\*", "*")
    plain = " ".join(plain.split())  # = re.sub(r"\s+", " ", plain).strip(): \s and str.split share isspace()

    lite = re.sub(r"(?<=[\w.])[*^]+|[†‡¶]|§(?!§?\s?\d)", "", plain) if _MARKER_CHARS_RE.search(plain) else plain
    lite = re.sub(r"(?<=[a-z.]),(?=[A-Z])", ", ", lite)  # "X. Liu,Z. Wu"
    lite = unglue_initials(lite)
    tail = _TRAIL_LINKS_RE.search(lite[-1200:])
    if tail and tail.start() + len(lite) - len(lite[-1200:]) > 20:  # trailing links / DOIs: kept as identifiers
        lite = lite[:tail.start() + len(lite) - len(lite[-1200:])] + "."
    # 1. a quoted title
    q = QUOTE_RE.search(lite)
    if q and re.match(r"\s*:\s*\w", lite[q.end():q.end() + 4]):
        q = None  # “It Feels Like Homework”: Older Adults’ ... (a quote inside the title)
    if q:
        before = lite[:q.start()].strip()
        names = _names_from(before)
        if names or not before or len(before.split()) <= 3:
            after = lite[q.end():] + _year_note(before)
            if not names:
                names, after = _authors_after(after)
            return names, clean_title(q.group(1) or q.group(2) or q.group(3)), after, "quote"
    # 2. an emphasised title whose prefix is the author list
    spans = _spans(marked)
    if spans:
        stripped_marked = strip_symbols(marked)
        for s, e, kind, txt in _spans(stripped_marked):
            if kind == "l" and len(txt.split()) < 3:
                continue
            words = txt.split()
            if len(words) < 2 or _ETAL_ONLY_RE.fullmatch(txt) or _author_list(txt) or lookup(txt) is not None \
                    or is_link_label(txt):  # (not "Silver, D. <i>et al.</i>. Title")
                continue
            vis = strip_marks(stripped_marked)
            before = vis[:s].strip()
            consumed = bool(before) and _consumed(before)  # first: when False the names are not needed
            names = _names_from(before) if not before or consumed else []
            if not before or (names and consumed):
                after = vis[e:] + _year_note(before)
                if not names:
                    names, after = _authors_after(after)
                return names, clean_title(txt), after, "emphasis"
    # 3. the author list first
    names, end = author_prefix(lite)
    if not names and "et" in lite[:80]:
        lone = etal_name(lite)  # "Jumper et al., Title. Journal ...": a lab list's first-author-only form
        if lone is not None and re.match(r"[,:]\s+\S", lite[lone[1]:lone[1] + 3]):
            names, end = lone
    if names and re.match(r"[\s,]*(?:&|and\s|und\s)", lite[end:end + 8]):
        names = []  # "Inside Type & Set. Graham Asher.": a conjunction without a name after it: no author list
    if names and _title_as_names(names, lite, end):
        names = []  # "Paxos Made Simple, ACM SIGACT News 32(4), ...": a short title, then the venue at once
    if names:
        rest = lite[end:].strip(" .,:;")
        ym = re.match(r"^\(?((?:1[89]|20)\d\d)(?:[a-z]|\s?[–-]\s?\d{2,4})?(?:,\s*[A-Z][a-z]{2,8}\.?(?:\s\d{1,2})?)?\)?"
                      r"[.,:]?\s+|^\(n\.\s?d\.\)[.,]?\s+|^\[no date\][.,]?\s+", rest)  # "(2019).", "(1996, March 11)."
        lead = ""
        if ym:
            lead = ym.group(1) or ""
            rest = rest[ym.end():]
        elif rest.startswith("(") and names[-1].literal == OTHERS:
            # "B. P. Abbott et al. (LIGO Scientific Collaboration), Title, ...": the group is part of the authors
            rest = re.sub(r"^\([^()\d]{2,200}\)[,.:]?\s+", "", rest)
        if _titleless_cite(rest):
            return names, "", rest, "position"  # "A. B, C. D, Phys. Rev. Lett. 80, 3891 (1998)": no title given
        title, detail = split_title(rest)
        cite_tail = _CITE_TAIL_RE.search(title) if title and lead and not detail else None
        glued = _glued_venue(title[:cite_tail.start()] if cite_tail else title) if title and lead and not detail \
            else None
        if glued is not None:  # "(2019) Title Plant Physiology 180: 1-10": the venue printed right after the title
            title, detail = glued[0], glued[1] + ("," + cite_tail.group(0) if cite_tail else "")
        abbrev = _glued_abbrev(rest) if lead and glued is None else None
        if abbrev is not None:  # "(2019) Title ACS Synth. Biol." (split_title cut inside the journal)
            title, detail = abbrev
        if lead:
            detail = (detail + " | " + lead).strip(" |")
        if title and not lead and _swapped(names, lite[:end], title, marked):
            # "Animal Triste. **Monika Maron**. Press, 2000.": the title came first, the authors after it
            return parse_author_list(clean_author_text(title)), clean_title(lite[:end]), detail, "position"
        if title and len(title.split()) >= 1:
            return names, title, detail, "position"
    # 3b. "Title, Surname et al, Journal 2020." (a first author's surname alone, between commas)
    te = _title_etal(lite)
    if te is not None:
        return te
    # 4. title first, then a sentence of authors
    ends = _sentence_ends(lite)
    starts = [0, *ends]
    for k in range(1, min(len(starts), 6)):
        seg_start = starts[k]
        seg_end = starts[k + 1] if k + 1 < len(starts) else len(lite)
        seg = _drop_assignee(lite[seg_start:seg_end].strip(" ."))
        score = looks_like_author_list(clean_author_text(seg)) if seg else 0.0
        after = lite[seg_end:seg_end + 200]
        if k == 1 and score < 0.55 and seg and _PATENT_CUE_RE.search(seg):
            inv = _inventors_then_office(seg)  # "Title. Osei, K. A. PCT Int. Appl. (2009), WO ...": no assignee
            if inv is not None:
                return inv[0], clean_title(lite[:seg_start]), lite[seg_start + inv[1]:], "position"
        if k == 1 and score < 0.55 and seg and (not after or venue_like(after) or _year_of(after)):
            corp = corporate_name(seg, single=True)  # "Republic. **Plato**. *Hackett*, 1992."
            if corp is not None:
                return [corp], clean_title(lite[:seg_start]), lite[seg_end:], "position"
        if score >= 0.6 or (score >= 0.55 and k == 1 and (not after or venue_like(after) or _year_of(after))):
            # "Title. Claude E. Shannon. Bell System Technical Journal, 1948.": one author between title and venue
            names = parse_author_list(clean_author_text(seg))
            rest = re.sub(r"^\)[.,]?", "", lite[seg_end:]) if ")" in lite[seg_end:seg_end + 2] else lite[seg_end:]
            return names, clean_title(lite[:seg_start]), rest, "position"  # ("(Assignee, Swed.)." closed)
    # 5. no authors: title up to the first boundary
    title, detail = split_title(lite)
    coauthors = _with_coauthors(title)
    if coauthors is not None:  # "Title, with Edward C. Prescott, Journal, 1977": the co-authors the page names
        names, title, venue = coauthors
        return names, title, (venue + ", " + detail).strip(" ,") if venue else detail, "position"
    return [], title, detail, "position"


_WITH_COAUTHORS_RE = re.compile(r",?\s+\(?with\s+(?P<names>[^,()]{3,80}(?:,\s*(?:and\s+)?[^,()]{3,40}){0,3})\)?\s*$")


def _with_coauthors(title: str) -> tuple[list[Name], str, str] | None:
    """"Title, with A. Bee and C. Dee[, Venue]" (a CV that leaves its owner implied) -> (the co-authors,
    "Title", a venue that followed them or "").

    >>> names, title, venue = _with_coauthors("Time to Build and Aggregate Fluctuations, with Edward C. Prescott, "
    ...                                       "Econometrica")
    >>> [n.family for n in names], title, venue
    (['Prescott'], 'Time to Build and Aggregate Fluctuations', 'Econometrica')
    >>> _with_coauthors("Learning with kernels") is None
    True
    """
    m = _WITH_COAUTHORS_RE.search(title)
    if not m or m.start() < 10:
        return None
    parts = m.group("names").split(",")
    keep = 1
    while keep < len(parts) and not venue_like(parts[keep].strip()) and lookup(parts[keep].strip()) is None:
        keep += 1
    venue = ",".join(parts[keep:]).strip()
    text = clean_author_text(",".join(parts[:keep]))
    if looks_like_author_list(text) < 0.55:
        return None
    names = parse_author_list(text)
    if not names or not all(n.family and n.family[:1].isupper() for n in names):
        return None
    return names, clean_title(title[:m.start()]), venue


def _title_as_names(names: list[Name], lite: str, end: int) -> bool:
    """Whether the "author list" leading a reference is really a short title: full-word "names" only
    (no initials, no "et al."), followed by a comma and at once by the venue ("Fast Paxos, Distributed
    Computing 19(2), ...", "Cheap Paxos, Proceedings of ..."): an author list is followed by a title."""
    if not lite[end:end + 2].startswith(","):
        return False
    if lite[:end].count(",") >= len(names):
        return False  # "LECUN, Yann, BENGIO, Yoshua and ...": inverted names
    if any(n.is_others or not n.given or any(is_initials(t) for t in n.given.split()) for n in names):
        return False
    rest = lite[end + 1:].strip()
    return bool(rest) and not re.match(r"[\d(\[\"“‘']", rest) and venue_like(rest) and not _titleless_cite(rest)


def _swapped(names: list[Name], head: str, title: str, marked: str) -> bool:
    """Whether "Head. Title." is really "Title. Authors.": the head is one full-word "name" without
    emphasis, and the supposed title is an author list holding the bold owner or several names."""
    if len(names) != 1 or not names[0].given or any(is_initials(t) for t in names[0].given.split()):
        return False
    score = looks_like_author_list(clean_author_text(title)) if len(title) < 300 else 0.0
    if score < 0.55:
        return False
    bold = [txt.strip() for _s, _e, kind, txt in _spans(marked) if kind == "b"]
    if any(b and b in head for b in bold):
        return False
    return score >= 0.6 or any(b and b in title for b in bold)


_MARKER_CHARS_RE = re.compile(r"[*^†‡§¶]")
_LEAD_YEAR_DOT = re.compile(r"^\s*\(((?:19|20)\d\d)[a-z]?\)[.,]?\s+")
_ETAL_ONLY_RE = re.compile(r"\W*(?:et\.?\s?al\.?|and others|u\.\s?a\.)\W*", re.I)
_LEAD_YEAR = re.compile(r"^\(?((?:19|20)\d\d)\)?\s*(?:[—–\-:.|]\s*|(?=\S))(?=\D)")


def _strip_visible(marked: str, n: int) -> str:
    seen = i = 0
    while i < len(marked) and seen < n:
        if marked[i] not in (B_ON, B_OFF, I_ON, I_OFF, L_ON, L_OFF):
            seen += 1
        i += 1
    return marked[i:]


_SEP_RE = re.compile(r"\s*(?:,?\s*(?:…|\.\.\.)\s*|,\s*(?:and\s+|&\s*)?|;\s*|\s+and\s+|\s*&\s*|，\s*|、\s*|"
                     r"(?=\s+et\.?\s?al\b|\s+etc\b)\s+)")
_ETAL_RE = re.compile(r"(?:et\.?\s?al\.?|etc\.?|and others|u\.\s?a\.)", re.I)
_NEXT_YEAR_RE = re.compile(r"\s*\(?(?:1[5-9]|20)\d\d[a-z]?\b")
_NEXT_ETAL_RE = re.compile(r"\s+(?:et\.?\s?al\b|etc\b)")
_NEXT_WORD_RE = re.compile(r"\s+(?!and\b|und\b|et\b)[^\W\d_]")
_NEXT_SEP_RE = re.compile(r"\s*(?:[,;&]|and\s|，|、|\(|\.|…|$)")
_SUFFIX_AFTER = re.compile(r",?\s+(Jr\.?|Sr\.?|II|III|IV)(?=[\s,.;(]|$)")


def _year_note(before: str) -> str:
    """A year written between the authors and the title ("Doe, J. 2019. Title")."""
    m = re.search(r"\(?((?:19|20)\d\d)[a-z]?\)?[.,:]?\s*$", before.strip())
    return f" | {m.group(1)}" if m else ""


def _authors_after(text: str) -> tuple[list[Name], str]:
    """An author list right after a title ("Title. A. Bee and C. Dee. Venue")."""
    t = text.lstrip(" .,:;-–—")
    t2 = re.sub(r"(?<=\w)\*+|[†‡§¶]", "", t)
    abbr = abbrev_journal_end(t2)
    if abbr and _AFTER_JOURNAL_RE.match(t2[abbr:].lstrip(" ,;")):
        return [], text  # "Title. Acta Math. 2022": a journal, not an author "Acta Math"
    names, end = author_prefix(t2)
    if names and (end >= len(t2.rstrip(" .")) or len(names) >= 2 or t2[end - 1:end] == "." or
                  t2[end:end + 2].strip()[:1] in (",", ".", ";", "(")):
        return names, t2[end:]
    hit = etal_name(t2) if not names else None
    if hit is not None:  # "“Title”, Pickles et al, Journal 2020"
        return hit[0], t2[hit[1]:]
    return [], text


_TRAIL_YEAR = re.compile(r"\(?(?:19|20)\d\d[a-z]?\)?[.,:]?\s*$")


def _names_from(text: str) -> list[Name]:
    return [copy_name(n) for n in _names_from_cached(text.strip())]


@lru_cache(maxsize=4096)
def _names_from_cached(text: str) -> tuple[Name, ...]:
    t = _TRAIL_YEAR.sub("", text.strip()).strip(" ,:;")
    if not t.strip("."):
        return ()
    # the cached tuples themselves (no copies: _names_from copies what it hands out)
    names = _author_list(clean_author_text(t))
    if not names:  # inverted / compound names the plain splitter cannot pair
        prefix, end = _author_prefix(t)
        if prefix and end >= len(t.rstrip(" .,;:")) - 1:
            names = prefix
    if not names:  # **Plato**. "Republic." / World Health Organization. *Title*
        corp = corporate_name(t.rstrip("."), single=t.endswith(".") or t != text.strip())
        if corp is not None:
            names = (corp,)
    return tuple(names)


def _consumed(text: str) -> bool:
    t = re.sub(r"\(?(?:19|20)\d\d[a-z]?\)?[.,:]?\s*$", "", text.strip()).strip(" .,:;")
    return bool(_author_list(clean_author_text(t)))


_MARKERS_RE = re.compile(r"(?<=[\w.])[*^]+|[†‡¶]|§(?!§?\s?\d)")  # ("§ 4 UWG", "§§ 305-310 BGB": no marker)
_LEAD_TAG_RE = re.compile(r"^\s*\[[^\]]{1,60}\]\s*")
_TIGHT_COMMA_RE = re.compile(r"(?<=[a-z.]),(?=[A-Z])")


#: "Ainsworth, E. A.Oldroyd, G. E. D." (a separator lost in copying): an initial's period glued to the next
#: inverted name "Family, I."
_GLUED_INITIAL_RE = re.compile(r"(?<=\b[A-Z]\.)(?=[A-Z][a-z][\w'’\-]{0,40}, [A-Z]\.)")


def unglue_initials(text: str) -> str:
    """Put back the separator between an author's initials and the next inverted name.

    >>> unglue_initials("Jones, J. D. G.Dangl, J. L. (2006) The plant immune system.")
    'Jones, J. D. G., Dangl, J. L. (2006) The plant immune system.'
    """
    return _GLUED_INITIAL_RE.sub(", ", text[:3000]) + text[3000:] if "." in text else text


def looks_like_reference(line: Line) -> bool:
    """Cheap test: does this single line hold both an author list and a title?"""
    plain = strip_symbols(strip_marks(line.text)).replace("\\*", "*")
    lite = _MARKERS_RE.sub("", plain[:3000])
    lite = _LEAD_TAG_RE.sub("", lite)
    lite = _TIGHT_COMMA_RE.sub(", ", lite)
    lite = unglue_initials(lite)
    names, end = _author_prefix(lite)
    if names and len(lite[end:].split()) >= 2:
        return True
    q = QUOTE_RE.search(lite)
    if q and _names_from(lite[:q.start()]):
        return True
    for s, _e, kind, _txt in _spans(line.text):
        if kind in ("b", "i") and s > 0 and _names_from(strip_marks(line.text)[:s]):
            return True
    if _title_etal(lite) is not None:
        return True
    ends = _sentence_ends(lite)
    for k in range(min(len(ends), 4)):
        seg_end = ends[k + 1] if k + 1 < len(ends) else len(lite)
        seg = lite[ends[k]:seg_end].strip(" .")
        if seg and looks_like_author_list(clean_author_text(seg)) >= 0.6:
            return True
    return False


@lru_cache(maxsize=1)
def _publishers() -> tuple[str, ...]:
    from importlib import resources

    text = resources.files("bibkit.data").joinpath("publishers.txt").read_text(encoding="utf-8")
    return tuple(ln.strip().casefold() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


@lru_cache(maxsize=8192)
def is_publisher(venue: str) -> bool:
    """Whether a venue is a known book publisher ("Addison-Wesley", "MIT Press")."""
    v = venue.casefold().strip(" .,").replace(",", " ")
    words = v.split()
    pubs = _publisher_set()
    return any(" ".join(words[:k]) in pubs for k in range(1, min(len(words), 6) + 1))


@lru_cache(maxsize=1)
def _publisher_set() -> frozenset[str]:
    return frozenset(p.replace(",", " ") for p in _publishers())


# -- shapes of report B (title-first 'et al', glued journal, patent assignee) ---------------------
#: "Surname et al" / "van der Berg AB et al." (a first author standing for the list)
_ETAL_NAME_RE = re.compile(r"((?:[a-z]{1,3} ){0,2}[^\W\d_][\w'’\-]{1,40}(?: [^\W\d_][^\W\dA-Z_][\w'’\-]{0,40})?)"
                           r"(?: ([A-Z]{1,3}|(?:[A-Z]\.\s?){1,3}))?\s+et\.?\s?al\b\.?")
_COMMA_ETAL_RE = re.compile(r"(?:[,;]|(?<=[a-z\d?!)”\"])\.)\s+"
                            r"(?=(?:[a-z]{1,3} ){0,2}[^\W\d_][\w'’\-]{1,40}(?: [^\W\d_][\w'’\-]{1,40})?"
                            r"(?: [A-Z.\s]{1,8})?\s+et\.?\s?al\b)")


def etal_name(text: str) -> tuple[list[Name], int] | None:
    """A lone first author with "et al" at the start of ``text``: ([name, others], end).

    >>> names, end = etal_name("Desai et al, Nature Cancer 2020")
    >>> [n.family or n.literal for n in names], end
    (['Desai', 'others'], 11)
    """
    m = _ETAL_NAME_RE.match(text[:120])
    if not m:
        return None
    toks = m.group(1).split()
    lead = 0
    while lead < len(toks) - 1 and toks[lead] in PARTICLES:
        lead += 1
    fam = toks[lead:]
    if not fam or not all(_is_word(t) for t in fam):
        return None
    name = Name(family=" ".join(fam), given=(m.group(2) or "").strip() or None,
                particle=" ".join(toks[:lead]) or None)
    return [name, Name(literal=OTHERS)], m.end()


def _title_etal(lite: str) -> tuple[list[Name], str, str, str] | None:
    """"Title, Surname et al, Journal Year": the title first, one surname for the authors, the venue after."""
    if "et" not in lite:
        return None
    for m in _COMMA_ETAL_RE.finditer(lite[:1500]):
        head = lite[:m.start()]
        if len(head.split()) < 3 or looks_like_author_list(clean_author_text(head)) >= 0.55:
            continue
        hit = etal_name(lite[m.end():])
        if hit is None:
            continue
        names, end = hit
        return names, clean_title(head), lite[m.end() + end:].lstrip(" ,;:."), "position"
    return None


#: "180: 1-10", "225(2): 100-110", "12, e1003" ending a glued "Title Journal" run
_CITE_TAIL_RE = re.compile(r"\s+\d{1,4}(?:\s?\(\d{1,4}\))?\s?[:,]\s?[A-Za-z]?\d+(?:\s?[–-]\s?[A-Za-z]?\d+)?\.?$")


@lru_cache(maxsize=1)
def _journal_list() -> tuple[frozenset[str], tuple[str, ...]]:
    """(journal names, series prefixes) from ``data/journals.txt``, folded."""
    from importlib import resources

    text = resources.files("bibkit.data").joinpath("journals.txt").read_text(encoding="utf-8")
    rows = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    names = frozenset(_fold_journal(r) for r in rows if not r.endswith(" *"))
    prefixes = tuple(_fold_journal(r[:-2]) + " " for r in rows if r.endswith(" *"))
    return names, prefixes


@lru_cache(maxsize=1)
def _journal_words() -> frozenset[str]:
    from importlib import resources

    text = resources.files("bibkit.data").joinpath("journal_words.txt").read_text(encoding="utf-8")
    return frozenset(ln.strip().casefold() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


def _fold_journal(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold().replace("&", " and ")).split())


_GLUE_SMALL = frozenset(("of", "in", "and", "&", "for", "the", "on", "de", "und", "für", "et", "-"))
_GLUE_STOP = frozenset(("of", "in", "and", "for", "the", "on", "a", "an", "to", "with", "from", "by", "at", "via",
                        "into", "under", "between", "during", "towards", "toward", "as", "&"))


def _glued_venue(title: str) -> tuple[str, str] | None:
    """Split "Title Journal Name" printed without punctuation between them ("(2019) Phosphate starvation
    alters root growth Plant Physiology"): a known journal ending the text, a journal series ("Trends in
    Plant Science"), or the capitalised run that ends a sentence-case title.  Used only after "Authors.
    (Year)", where the title has no other end ("Graph Neural Networks" ends titles as well as names a journal).

    >>> _glued_venue("Root hair growth under phosphate limitation in barley Plant Physiology")
    ('Root hair growth under phosphate limitation in barley', 'Plant Physiology')
    >>> _glued_venue("Guard Cell Signalling in a Warming World Trends in Plant Science")
    ('Guard Cell Signalling in a Warming World', 'Trends in Plant Science')
    >>> _glued_venue("Learning from the structure of data") is None
    True
    """
    words = title.split()
    if len(words) < 4 or len(words) > 60:
        return None
    known, prefixes = _journal_list()
    n = len(words)

    def capital_run(k: int) -> bool:
        return all(w[:1].isupper() or w in _GLUE_SMALL for w in words[k:]) and words[-1][:1].isupper()

    def ok_head(k: int) -> bool:
        return k >= 3 and words[k - 1].casefold() not in _GLUE_STOP and not words[k - 1].endswith(":")

    for k in range(3, n):
        if not ok_head(k):
            continue
        tail = " ".join(words[k:])
        folded = _fold_journal(tail)
        if folded in known or (_table_name(tail) is not None and tail[:1].isupper()):
            return " ".join(words[:k]).rstrip(" ,;:"), tail
        if capital_run(k) and n - k >= 3 and any(folded.startswith(p) for p in prefixes):
            return " ".join(words[:k]).rstrip(" ,;:"), tail
    # a sentence-case title: the capitalised run at its end is the journal
    k = n
    while k > 0 and (words[k - 1][:1].isupper() or (words[k - 1] in _GLUE_SMALL and k < n)):
        k -= 1
    while k < n and words[k] in _GLUE_SMALL:
        k += 1
    if k >= n or n - k > 6 or not ok_head(k):
        return None
    if not any(w.casefold().strip(",.;:") in _journal_words() for w in words[k:]):
        return None  # "... dynamischen neuronalen Netzen": a capitalised noun, no journal
    body = [w for w in words[1:k] if w[:1].isalpha()]
    lower = [w for w in body if w[:1].islower() and w.casefold() not in _GLUE_STOP]
    if len(lower) < 3 or len(lower) < 0.6 * len([w for w in body if w.casefold() not in _GLUE_STOP]):
        return None
    return " ".join(words[:k]).rstrip(" ,;:"), " ".join(words[k:])


_ASSIGNEE_RE = re.compile(r"\s*\([^()]{2,200}\)?\.?$")


def _drop_assignee(seg: str) -> str:
    """An author list without the assignee or affiliation in parentheses after it
    ("Hartley, M. J.; Osei, K. A. (Northfield Therapeutics Ltd., UK)", patent abstracts)."""
    if "(" not in seg[-200:]:
        return seg
    core = _ASSIGNEE_RE.sub("", seg)
    return core if core != seg and looks_like_author_list(clean_author_text(core)) >= 0.55 else seg


def _inventors_then_office(seg: str) -> tuple[list[Name], int] | None:
    """Inventors closed by an initial's period, then the patent office ("Osei, K. A. PCT Int. Appl."):
    the names and the offset where the office starts."""
    names, end = author_prefix(seg)
    if not names or seg[end - 1:end] != "." or not all(
            n.is_others or (n.given and all(is_initials(t) for t in n.given.split())) for n in names):
        return None
    at = len(seg) - len(seg[end:].lstrip())
    return (names, at) if _PATENT_CUE_RE.match(seg, at) else None


def _title_not_names(text: str, names: tuple[Name, ...], end: int) -> tuple[tuple[Name, ...], int]:
    """An author list that runs into the title: a lone full-word "name" before "In:" ("Grenzen der
    Privatautonomie. In: AcP 210 (2010)") or before an edition ("Grundkurs Erbrecht, 2. Aufl."), or a last
    "name" that starts a title with "and" in it ("Caroline Walker Bynum, Holy Feast and Holy Fast: ...")."""
    if len(names) == 1 and names[0].given and not any(is_initials(t) for t in names[0].given.split()) and \
            _IN_NEXT_RE.match(" " + text[end:end + 8].lstrip(" .,")):
        return (), 0
    if _EDITION_NEXT_RE.match(text, end, end + 16):
        return (), 0
    if len(names) >= 2 and re.match(r"\s*(?:&|and\s|und\s)", text[end:end + 6]):
        cut = text.rfind(",", 0, end)
        fewer, at = _author_prefix(text[:cut + 1]) if cut > 0 else ((), 0)
        if len(fewer) == len(names) - 1:
            return fewer, at
    return names, end


def _glued_abbrev(rest: str) -> tuple[str, str] | None:
    """Split "Sentence-case title Abbrev. Journal." printed without a separator ("Leaf development in maize
    New Phytol. 221: 1-10"): a run of capitalised words, at least one an abbreviation, after a lower-case
    title word.

    >>> _glued_abbrev("Modular assembly of plant expression vectors ACS Synth. Biol.")
    ('Modular assembly of plant expression vectors', 'ACS Synth. Biol.')
    """
    tail = _CITE_TAIL_RE.search(rest)
    core = rest[:tail.start()] if tail else rest.rstrip()
    words = core.split()
    if len(words) < 5 or len(words) > 60:
        return None
    k = len(words)
    while k > 0 and len(words) - k < 6 and (words[k - 1][:1].isupper() or words[k - 1] in ("&", "and", "of")):
        k -= 1
    run = words[k:]
    if not 2 <= len(run) <= 6 or k < 3 or not run[0][:1].isupper() or not words[k - 1][:1].islower() or \
            words[k - 1].casefold() in _GLUE_STOP:
        return None
    abbrevs = [w for w in run if re.fullmatch(r"[A-Z][a-z]{1,9}\.", w)]
    if not abbrevs or not all(
            re.fullmatch(r"[A-Z][a-z]{1,9}\.|[A-Z][A-Za-z]{1,15}|[A-Z]{2,6}|&|and|of", w) for w in run):
        return None
    body = words[1:k]
    if sum(w[:1].islower() for w in body) < 0.6 * len(body):
        return None  # a Title-Case title: its last words may be a subtitle's
    title = " ".join(words[:k])
    return title, " ".join(run) + (tail.group(0) if tail else "")
