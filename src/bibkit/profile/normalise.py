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

from collections.abc import Sequence

from ..model import OTHERS, Date, Entry, Name
from . import rx as re
from .names import CAP_PREFIXES, PARTICLES, clean_author_text, is_initials
from .tagger import Span
from .venues import abbrev_words, lookup, venue_type

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
_GROUP_RE = re.compile(r"\b(?:group|consortium|collaboration|investigators|team|committee|association|society|"
                       r"network|organi[sz]ation|council|institute|project|initiative|study|working)\b", re.I)
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
# An author span is known to be names (the tagger said so), so the splitter does not ask
# whether a piece *is* a name; it decides where one name ends and how each is ordered:
# "Surname, Given" pairs (APA, MLA, Chicago), "Given Surname", Vancouver "Surname AB",
# family names in capitals ("BOZEC Yves"), particles, suffixes, groups and "et al.".
_NUMBERING_RE = re.compile(r"^\s*(?:\[\d{1,5}\]|\(\d{1,5}\)|\d{1,5}(?:[,–-]\d{1,5})*(?:[.):-]|\s))\s*(?=[^\W\d_])")
_DITTO_RE = re.compile(r"^\s*[-–—_]{2,}\s*[.,;]?\s*(?:(?:and|&)\s+)?", re.I)
_ROLE_RE = re.compile(r"\(\s*(?i:eds?|editors?|hrsg|hg|dir|dirs|coords?|orgs?|comps?|trans|trad|ed\. lit)\s*\.?\s*\)"
                      r"|(?:^|[,\s])(?:[Ee]ds\.?|[Ee]d\.|[Ee]ditors?|[Hh]rsg\.?|[Hh]g\.|[Dd]irs?\.|[Cc]oords?\.|"
                      r"[Oo]rgs?\.|[Cc]omps?\.)\s*$"
                      r"|^\s*(?i:in\s*:?|edited\s+by|ed\.\s+by|hrsg\.\s+von|herausgegeben\s+von)\s+")
_ETAL_ANY_RE = re.compile(r"[,;&]?\s*(?:&\s*)?\b(?:et\.?\s*al(?:ii|ia)?\b\.?|and\s+others\b|u\.\s*a\.|etc\b\.?).*$",
                          re.I)
_GLUED_INITIAL_RE = re.compile(r"\b([^\W\d_]\.)(?=[^\W\d_]{2})")  # "H.Wittig"
_INITIAL_DASH_RE = re.compile(r"(?<=\.)[–‐]")  # "J.–A." -> "J.-A."
_SEP_RE = re.compile(r"\s*(;)\s*|\s*(,)\s*(?:(?:and|&|und)\s+)?|\s+(?:and|And|AND|&|und|et(?!\s*al))\s+|\s*(&)\s*"
                     r"|\s*(…|\.\.\.)\s*")
_PAREN_RE = re.compile(r"\s*\(([^()]{0,60})\)")
_VANC_INITIALS_RE = re.compile(r"^(?:[^\W\d_]\.?-?){1,4}$")
_FUNCTION_WORDS = frozenset(("of", "for", "the", "on", "in", "and", "und", "für", "de", "des", "du", "der", "la",
                             "et", "y", "for", "to", "at"))
_SUFFIXES = frozenset(("jr", "sr", "jun", "sen", "ii", "iii", "iv", "2nd", "3rd"))
_LOWER_PARTICLES = PARTICLES | {"dos", "das", "des", "d'", "l'", "op", "'t", "ten", "vom", "zum", "zur", "van't"}


def _letters(tok: str) -> str:
    return "".join(c for c in tok if c.isalpha())


_MORE_INITIALS_RE = re.compile(r"^(?:[^\W\d_][^\W\d_A-Z]?\.-?){1,4}[^\W\d_]?$")


def _is_init(tok: str) -> bool:
    """'A.', 'A.B.', 'R.A.J', 'J.-P.', 'Ch.', 'Fl.', 'AB' (undotted, up to three letters): initials."""
    tok = tok.strip(",;:")
    if not tok:
        return False
    if is_initials(tok):
        return True
    return bool(_MORE_INITIALS_RE.match(tok)) and tok[0].isupper() and tok.casefold().rstrip(".") not in _NOT_INITIALS


_NOT_INITIALS = frozenset(("jr", "sr", "st", "dr", "mr", "ms", "mrs"))


def _is_vanc_initials(tok: str) -> bool:
    """Vancouver initials after a family name: 'A', 'AB', 'GIJM', 'A.B.' (capitals only)."""
    tok = tok.strip(",;:")
    return bool(_VANC_INITIALS_RE.match(tok)) and tok.replace(".", "").isupper()


def _is_particle(tok: str) -> bool:
    return tok[:1].islower() and tok.casefold() in _LOWER_PARTICLES


def _is_cap_particle(tok: str) -> bool:
    return tok in CAP_PREFIXES or tok.casefold() in PARTICLES


def _is_caps(tok: str) -> bool:
    """A family name in capitals ('BOZEC', 'LABOUSSET-PIQUET'), not initials."""
    letters = _letters(tok)
    return len(letters) >= 2 and "." not in tok and letters.isupper() and not (len(letters) <= 3 and not any(
        c in "AEIOUYÀÁÂÄÉÈÊËÍÎÏÓÔÖÚÛÜ" for c in letters))


def _is_word(tok: str) -> bool:
    """A capitalised name word ('Smith', 'O'Neil', 'Iturralde-Vinent', 'McGregor')."""
    t = tok.strip(",;:.")
    return len(t) >= 2 and t[0].isupper() and any(c.islower() for c in t) and not any(c.isdigit() for c in t)


def _all_initials(words: list[str]) -> bool:
    """Initials, maybe with particles after them ('A. von', 'J. R.')."""
    return bool(words) and _is_init(words[0]) and all(_is_init(w) or _is_particle(w) for w in words)


def _given_like(words: list[str]) -> bool:
    """Could be the given part of 'Surname, Given': a few given words, initials or particles."""
    return 1 <= len(words) <= 4 and all(_is_init(w) or _is_word(w) or _is_particle(w) or _is_caps(w)
                                        for w in words) and not _is_particle(words[0])


def _family_like(words: list[str]) -> bool:
    """Could be the family part of 'Surname, Given': name words and particles, no initials."""
    if len(words) > 1 and _is_vanc_initials(words[-1]) and any(_is_word(w) for w in words[:-1]):
        return False  # 'McWhinney IR': a Vancouver name
    return 1 <= len(words) <= 4 and not any(_is_init(w) and not _is_caps(w) for w in words) and all(
        _is_word(w) or _is_particle(w) or _is_caps(w) or _is_cap_particle(w) for w in words)


def _one_family(words: list[str]) -> bool:
    """One family name (particles aside), or a family name in capitals ('ABARCA ALONSO')."""
    # a particle stands before the family name it belongs to: a last word is the family ('Sheng Di')
    core = [w for k, w in enumerate(words) if k == len(words) - 1 or not (_is_particle(w) or _is_cap_particle(w))]
    return len(core) <= 1 or all(_is_caps(w) for w in core)


def _group_like(words: list[str], long: int = 5) -> bool:
    """An organisation rather than a person: an organisation word, a function word, or long."""
    text = " ".join(words)
    if _GROUP_RE.search(text) or _ORG_WORD_RE.search(text):
        return True
    if len(words) > long:
        return True
    return any(w.casefold() in _FUNCTION_WORDS and not _is_particle(w) for w in words[1:]) or (
        len(words) > 1 and any(w.casefold() in ("of", "for", "the", "on", "to") for w in words))


_ORG_WORD_RE = re.compile(r"(?:organi[sz]ation|institut|foundation|collaborat|consorti|committee|council|agency|"
                          r"association|society|contributors|ministry|commission|federation|laborator|secretariat|"
                          r"department|universit|investigators|bureau|office|centre|center|service|"
                          r"authority|board|union|survey|nations|company|corporation|inc\b|ltd\b|gmbh)", re.I)


def _split_family(words: list[str]) -> tuple[str | None, str]:
    """(lower-case particle, family) of the family words of a name ('van der Veen')."""
    k = 0
    while k < len(words) - 1 and _is_particle(words[k]):
        k += 1
    return (" ".join(words[:k]) or None), " ".join(words[k:])


def _name_of(family_words: list[str], given_words: list[str], suffix: str | None = None) -> Name:
    given_words = [w.strip(",;:") for w in given_words]
    trailing: list[str] = []
    while given_words and len(given_words) > 1 and _is_particle(given_words[-1]):
        trailing.insert(0, given_words.pop())  # 'Humboldt, Alexander von'
    particle, family = _split_family([w.strip(",;:") for w in family_words])
    if trailing:
        particle = " ".join(filter(None, (" ".join(trailing), particle)))
    if given_words and given_words[-1].casefold().rstrip(".") in _SUFFIXES:
        suffix, given_words = given_words[-1], given_words[:-1]
    given = " ".join(given_words).rstrip(",;:") or None
    return Name(family=family.rstrip(".") if not family.endswith((" Jr.", " Sr.")) else family, given=given,
                particle=particle, suffix=suffix)


def _natural(words: list[str], caps: bool) -> Name:
    """One name written alone: 'A. B. Surname', 'Given van Surname', Vancouver 'Surname AB',
    'BOZEC Yves' / 'Darren PLANT' (capitals style), a single word (a mononym or an acronym)."""
    suffix = None
    if len(words) > 1 and words[-1].casefold().rstrip(".,") in _SUFFIXES:
        suffix = words[-1].rstrip(",")
        words = words[:-1]
    if len(words) == 1:
        return Name(family=words[0].rstrip("."), suffix=suffix) if _is_word(words[0]) or _is_caps(words[0]) \
            else Name(literal=words[0])
    if caps:
        fam = [w for w in words if _is_caps(w)]
        if fam and len(fam) < len(words) and words.index(fam[0]) + len(fam) - 1 == words.index(fam[-1]):
            i, j = words.index(fam[0]), words.index(fam[-1]) + 1
            while i > 0 and _is_particle(words[i - 1]):
                i -= 1
            return _name_of(words[i:j], words[:i] + words[j:], suffix)
    # Vancouver: a family name (not initials) followed by initials only
    if not _is_init(words[0]) and _vanc_given(words[-1]) and (_is_word(words[0]) or _is_particle(words[0])
                                                               or _is_cap_particle(words[0]) or _is_caps(words[0])):
        k = len(words) - 1
        while k > 1 and _vanc_given(words[k - 1]):
            k -= 1
        if all(_is_word(w) or _is_particle(w) or _is_cap_particle(w) or _is_caps(w) for w in words[:k]):
            return _name_of(words[:k], words[k:], suffix)
    # given names first; the family is the last word with the particles before it
    k = len(words) - 1
    while k > 0 and (_is_particle(words[k - 1]) or (k >= 2 and words[k - 1] in CAP_PREFIXES and not
                                                    _is_init(words[k - 1]))):
        k -= 1
    return _name_of(words[k:], words[:k], suffix)


def _vanc_given(tok: str) -> bool:
    return _is_vanc_initials(tok) or (_is_init(tok) and "." in tok)


def _clean_names_text(text: str) -> tuple[str, bool]:
    """The author text without markers, numbering, roles, ditto dashes; and whether it had 'et al.'."""
    text = " ".join(text.split())
    text = _NUMBERING_RE.sub("", text)
    text = re.sub(r"[*†‡§¶#✉📧💡«»“”\"]+|\^\S+|(?<=[a-z])\d+(?=[,.\s]|$)|^(?:Dr|Prof)\.\s+", "", text)
    text = clean_author_text(text)
    text = _DITTO_RE.sub("", text)
    others = False
    m = _ETAL_ANY_RE.search(text)
    if m:
        others = True
        text = text[:m.start()]
    for _ in range(2):
        text = _ROLE_RE.sub(" ", text).strip(_EDGE + "(")
    text = _GLUED_INITIAL_RE.sub(r"\1 ", text)
    text = _INITIAL_DASH_RE.sub("-", text)
    text = re.sub(r",(?=\S)", ", ", text)  # 'Cocks,G.G.'
    return text.strip(_EDGE + "(&"), others


def _pieces(text: str) -> list[tuple[str, str]]:
    """(separator before, piece): separators ';', ',', 'and' (also '&', ', and', '…')."""
    out: list[tuple[str, str]] = []
    pos = 0
    sep = ""
    for m in _SEP_RE.finditer(text):
        piece = text[pos:m.start()].strip(" .")
        if piece or not out:
            out.append((sep, text[pos:m.start()].strip()))
        sep = ";" if m.group(1) else "," if m.group(2) and not m.group(0).rstrip().endswith(("and", "&", "und")) \
            else "and"
        pos = m.end()
    out.append((sep, text[pos:].strip()))
    return [(s, p.strip(" ,;")) for s, p in out if p.strip(" ,;.")]


def _split_sentence(words: list[str]) -> tuple[list[str], list[str]] | None:
    """'CM. Barnes' / 'Hélène. AIGUEBONNE': given words ending with a full stop, then a family name."""
    for k in range(1, len(words)):
        if words[k - 1].endswith(".") and _given_like(words[:k]) and _family_like(words[k:]) and _one_family(
                words[k:]) and not _is_init(words[k]):
            return words[:k], words[k:]
    return None


def names(text: str) -> list[Name]:
    """Names from an author (or editor) span: inverted, given-first, Vancouver, groups, et al.

    >>> [n.family or n.literal for n in names("De Raedt, L., & Bruynooghe, M.")]
    ['De Raedt', 'Bruynooghe']
    >>> [(n.family, n.given) for n in names("Pérez-Higueras JJ, Arias A, de la Macorra JC.")]
    [('Pérez-Higueras', 'JJ'), ('Arias', 'A'), ('Macorra', 'JC')]
    """
    if not text.strip():
        return []  # (what the rest makes of an empty span, without its dozen substitutions)
    text, others = _clean_names_text(text)
    out: list[Name] = []
    if text:
        parts = _pieces(text)
        all_words = text.split()
        caps = any(_is_caps(w) and len(_letters(w)) >= 4 for w in all_words) and any(
            _is_word(w) for w in all_words)
        vanc = sum(1 for _, p in parts if len(p.split()) >= 2 and _is_vanc_initials(p.split()[-1])
                   and not _is_init(p.split()[0]))
        if vanc * 2 > len(parts):
            caps = False  # 'Kempen GIJM': Vancouver initials, not capitals-style family names
        out = _read_pieces(parts, caps)
        if len(out) > 1 and (all(n.literal for n in out) or (
                _group_like(all_words, 10**6) and not any(n.given for n in out))):
            out = [Name(literal=text)]
    if others and not any(n.is_others for n in out):
        out.append(Name(literal=OTHERS))
    return out


def _read_pieces(parts: list[tuple[str, str]], caps: bool) -> list[Name]:
    out: list[Name] = []
    words_of = [p.split() for _, p in parts]
    i = 0
    inverted_seen = False
    natural_seen = False  # a name of several full words read given-first ('Yafan Huang')
    last = words_of[-1] if words_of else []
    dangling = len(parts) > 2 and (_all_initials(last) or (len(last) == 1 and _is_word(last[0])))
    while i < len(parts):
        words = words_of[i]
        paren = _PAREN_RE.search(" ".join(words))
        if paren:  # 'Bonhomme (Fl.)': a given name in brackets; 'Council (ITRC)': an acronym
            inner = paren.group(1).split()
            rest = _PAREN_RE.sub("", " ".join(words)).split()
            if rest and inner and _all_initials(inner) and _family_like(rest):
                out.append(_name_of(rest, inner))
                i += 1
                continue
            words = rest or words
        nxt = words_of[i + 1] if i + 1 < len(words_of) else None
        nsep = parts[i + 1][0] if i + 1 < len(parts) else ""
        if words and words[0].casefold().rstrip(".") in _SUFFIXES and len(words) == 1 and out:
            out[-1].suffix = words[0]  # 'Brooks, Jr.'
            i += 1
            continue
        if out and (_all_initials(words) or (len(words) == 1 and _is_vanc_initials(words[0]) and not out[-1].given)):
            if out and out[-1].family and not out[-1].given:
                out[-1].given = " ".join(words)  # 'Attrep, Jr, M.'
            i += 1  # else stray initials ('Enslin, M., S.')
            continue
        if nxt is not None and nsep == "," and _family_like(words) and not _group_like(words):
            split = None
            if dangling and len(nxt) > 1 and not _all_initials(nxt):
                split = _split_sentence(nxt)  # 'Schumann, CM. Barnes, CC. Lord, C.'
            given = split[0] if split else nxt
            if _given_like(given) and (_all_initials(given) or (_one_family(words) and not natural_seen) or split or (
                    _is_init(given[-1]) and "." in given[-1] and (len(parts) == 2 or inverted_seen))):
                out.append(_name_of(words, given))
                inverted_seen = True
                if split:
                    words_of[i + 1] = split[1]
                    parts[i + 1] = (",", " ".join(split[1]))
                    i += 1
                else:
                    i += 2
                continue
        if _group_like(words):
            out.append(Name(literal=" ".join(words)))
        else:
            out.append(_natural(words, caps))
            natural_seen = natural_seen or (len(words) > 1 and not any(_is_init(w) for w in words)
                                            and out[-1].given is not None and out[-1].given == " ".join(words[:-1]))
        i += 1
    return out


def editors(text: str) -> list[Name]:
    return names(text)


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
    """A venue without its lead-in ("In", "submitted to") and edge punctuation; an abbreviated
    journal name keeps the period of its last word ("Phys. Rev. Lett.", "Nature Mater.").

    >>> venue("In Phys. Rev. Lett.,"), venue("Nature Mater."), venue("Nature."), venue("Proc. of ICML.")
    ('Phys. Rev. Lett.', 'Nature Mater.', 'Nature', 'Proc. of ICML')
    """
    t = clean(text)
    t = _IN_RE.sub("", t)
    t = re.sub(r"^(?:published\s+in|presented\s+at|appeared\s+in|to\s+appear\s+in|accepted\s+(?:to|at|by|in)|"
               r"submitted\s+to)\s+", "", t, flags=re.I)
    out = clean(t)
    last = re.search(r"(?:^|\s)([A-Z][a-z]{0,13})$", out)
    if last and last.group(1) in abbrev_words() and re.search(re.escape(last.group(1)) + r"\.", text):
        out += "."
    return out


#: a list of co-authors only, as CVs write it ("(with A. Name and B. Name)", "joint with A. Name")
_WITH_RE = re.compile(r"(?:^|[(\[,;]\s*|\s)(?:jointly\s+|joint\s+)?with\s+(?:[A-Z]\.\s*)*$", re.I)


def coauthors_only(text: str, authors: Sequence[Name]) -> bool:
    """Whether ``authors`` are written as the co-authors of someone left implicit: "with" just
    before the first of them.

    >>> coauthors_only('"Robots and Jobs" (with Pascual Restrepo), JPE, 2020', [Name("Restrepo", "Pascual")])
    True
    >>> coauthors_only("P. Restrepo, Robots and Jobs, 2020", [Name("Restrepo", "P.")])
    False
    """
    if not authors or not authors[0].family:
        return False
    fam = authors[0].family
    k = text.find(fam)
    if k < 0:
        return False
    head = text[:k]
    if authors[0].given and head.rstrip().endswith(authors[0].given):
        head = head.rstrip()[:-len(authors[0].given)]
    return bool(_WITH_RE.search(head[-40:]))


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


#: a year (maybe with a letter, in brackets, with a reprint year) that opens a title span: the
#: date the tagger took for the title's first words ("Doe JJ. 1998. Title")
_LEAD_YEAR_RE = re.compile(r"^\(?((?:1[5-9]|20)\d\d[a-z]?)\)?(?:\s*\[[^\]]{1,12}\])?[.,:]?\s+(?=\S)")
#: ... or that closes an author span ("Shapiro, L. (2003).", "Pereira, Christophe. 2009a.")
_TRAIL_YEAR_RE = re.compile(r"[\s,.]*\(\s*((?:1[5-9]|20)\d\d[a-z]?)\s*\)[.,:]?\s*$|"
                            r"[\s,.]+((?:1[5-9]|20)\d\d[a-z]?)[.,:]?\s*$")


_TITLE_YEAR_RE = re.compile(r"(?:^|(?<=[.,;(\[])\s*|\s)((?:1[5-9]|20)\d\d)(?=[a-z]?\)?[.,;:\]]|\)?\s*$)")


def _date_at_edges(author: str, title: str) -> tuple[str, str, str]:
    """(author, title, date): a year at the end of the author span or the start of the title
    span, when the tagger gave no date, is the date."""
    m = _LEAD_YEAR_RE.match(title)
    if m and len(title) > m.end() + 3:
        return author, title[m.end():], m.group(1)
    m = _TRAIL_YEAR_RE.search(author)
    if m and m.start() > 2:
        return author[:m.start()], title, m.group(1) or m.group(2)
    return author, title, ""


#: "[ACM e-Energy 2025]", "[Micro’ 2024]": a bracketed tag of a venue and a year
_BRACKET_TAG_RE = re.compile(r"^\W{0,3}\[([A-Za-z][\w&/@.+\- ]{0,30}?[A-Za-z])\s*['’‘`]?\s*((?:19|20)\d\d|\d\d)\]")


def venue_tag(text: str) -> tuple[str, int] | None:
    """The venue and year a tag before an entry names: "[NeurIPS'23]" when the venue is a known
    one; any "[Name Year]" in brackets (a tag of that form names the venue by convention).

    >>> venue_tag("[ACM e-Energy 2025]"), venue_tag("[ICML'24]"), venue_tag("[J12]"), venue_tag("[C2020-1]")
    (('ACM e-Energy', 2025), ('ICML', 2024), None, None)
    """
    from .fields import _tag_year, full_year

    tagged = _tag_year(text)
    if tagged and lookup(tagged[0]) is not None:
        return tagged
    m = _BRACKET_TAG_RE.match(text)
    if m and len(re.sub(r"[^A-Za-z]", "", m.group(1))) >= 2:
        return m.group(1), full_year(m.group(2))
    return None


def entry_from(spans: Sequence[Span], section_type: str | None = None, section_status: str | None = None) -> Entry:
    """An entry from an entry's labelled spans."""
    e = Entry()
    author_text = _join(spans, "author")
    title_text = _join(spans, "title", first_only=True)
    date_text = _join(spans, "date")
    if year_of(date_text) is None:
        author_text, title_text, edge_date = _date_at_edges(author_text, title_text)
        date_text = " ".join(filter(None, (date_text, edge_date)))
    e.author = names(author_text)
    title = clean_title(title_text)
    e.title = title or None
    container = venue(_join(spans, "container-title", first_only=True))
    tag_text = _join(spans, "citation-number")
    e.editor = editors(_join(spans, "editor"))
    e.issued = date_of(date_text) or None
    status_text = " ".join(filter(None, (_join(spans, "status"), date_text)))
    e.status = status_of(status_text) or section_status
    if container:
        e.container_title = container
    else:
        # "[ACM e-Energy 2025] Authors, Title.": a tag before the authors and title, however tagged
        lead = []
        for sp in spans:
            if sp.label in ("author", "title"):
                break
            lead.append(sp.text)
        tagged = venue_tag(tag_text) if tag_text else None
        tagged = tagged or venue_tag(" ".join(lead))
        if tagged:
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
    if e.issued is None and title_text:  # last: a year that ends a sentence of the title span
        years = _TITLE_YEAR_RE.findall(title_text)  # ("Bureau. 2000. Census", "Paris, 1976"; not "the 1918 flu")
        if years:
            e.issued = Date(int(years[-1]))
    if e.container_title and e.issued and re.search(r"['’‘]\d\d$|\s(?:19|20)\d\d$", e.container_title):
        e.container_title = clean(re.sub(r"\s*(?:['’‘]\d\d|(?:19|20)\d\d)$", "", e.container_title))
    all_text = " ".join(s.text for s in spans)
    e.type = csl_type(e, genre_text, all_text)
    if section_type and e.type in ("document", "article-journal") and not e.container_title:
        e.type = section_type
    if e.type == "article" and e.status is None and _PREPRINT_RE.search(e.container_title or ""):
        e.status = "preprint"
    return e
