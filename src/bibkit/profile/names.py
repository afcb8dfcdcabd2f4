"""Author strings: splitting lists and parsing personal names in all common styles.

"First Last", "F. Last", "F.M. Last", "Last, First", "Last F", "Last FM", CJK names,
particles ("van der"), suffixes ("Jr."), "and"/"&", "et al."/"etc." (-> others).
Markers (``*``, ``†``, emoji, footnote digits) are removed first.

>>> [n.display() for n in parse_author_list("X. Pan, W. Lin and **Z. Tang**📧")]
['X. Pan', 'W. Lin', 'Z. Tang']
>>> n = parse_name("Li WXY"); (n.family, n.given)
('Li', 'WXY')
>>> n = parse_name("Maaten, Laurens van der"); (n.family, n.given, n.particle)
('Maaten', 'Laurens', 'van der')
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources

from ..model import OTHERS, Name
from . import rx as re
from .lines import strip_marks
from .repair import strip_symbols

PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "dos", "das", "do",
             "ten", "ter", "bin", "binti", "ibn", "al", "el", "zu", "af", "av", "y", "st."}
CAP_PREFIXES = {"Mac", "Mc", "Ní", "Nic", "Ó", "Ua", "Van", "Von", "De", "Del", "Della", "Di", "Da", "Du", "Le",
                "La", "Al", "El", "Bin", "Ibn", "Abu", "Ben", "Dos", "Das", "Ter", "Ten", "Dal", "Lo", "San", "St.",
                "Saint"}
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d."}
_OTHERS_RE = re.compile(r"^(?:et\.? ?al\.?|etc\.?|and others|others|u\. ?a\.|\.\.\.|…)$", re.I)
_MARKER_RE = re.compile(r"[*†‡§¶#✉✝⁎∗^\u2020\u2021]|\\\*|(?<=[^\W\d_])\d{1,2}(?:,\d{1,2}){0,4}(?=\W|$)|[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_L = r"[^\W\d_]"  # a letter (upper case is checked separately)
_INITIALS_RE = re.compile(rf"^(?:{_L}\.(?:-?{_L}\.){{0,3}}|{_L}\.?-{_L}\.?|{_L}{{1,3}}\.?)$")
_DOTTED_INITIALS_RE = re.compile(rf"^(?:{_L}\.(?:\s?-?{_L}\.){{0,3}}|{_L}\.?-{_L}\.?)$")
_CJK_RE = re.compile(r"^[\u3400-\u9fff\uac00-\ud7af]{2,5}$")
# (?<=\s) instead of a second \s+: one way to split a run of spaces, no cubic backtracking
_SPLIT_RE = re.compile(r"\s*(?:;|,\s*(?:and|&)\s+|,|(?<=\s)and\s+|(?<=\s)&\s+|，|、|(?<=\s)und\s+"
                       r"|(?<=\s)et\s+(?!al))\s*")


#: words of organisation names that are no person's name
_ORG_RE = re.compile(r"(?:organi[sz]ation|institute|foundation|collaboration|consortium|committee|council|agency|"
                     r"association|society|contributors|ministry|commission|federation|laboratory|secretariat|"
                     r"department|university|investigators|collaborators)", re.I)


def copy_name(n: Name) -> Name:
    """A fresh copy of a (cached, shared) Name: what ``dataclasses.replace(n)`` gives, ~5x faster."""
    new = object.__new__(Name)
    new.__dict__.update(n.__dict__)
    return new


_SPACE_PUNCT_RE = re.compile(r"\s+([,;.])")


def _group1(m: re.Match[str]) -> str:
    return m.group(1)


@cache
def stopwords() -> frozenset[str]:
    """Words that cannot be part of a personal name (from ``data/name_stopwords.txt``)."""
    text = resources.files("bibkit.data").joinpath("name_stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w.strip().casefold() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=8192)
@lru_cache(maxsize=4096)
def clean_author_text(text: str) -> str:
    """Remove emphasis, emoji, footnote and equal-contribution markers.

    >>> clean_author_text("L. Shen\\\\*, **Z. Tang**\\\\*💡 , X.📧 Chu")
    'L. Shen, Z. Tang, X. Chu'
    """
    text = strip_symbols(strip_marks(text)).replace("**", "")
    text = _MARKER_RE.sub("", text)
    text = _SPACE_PUNCT_RE.sub(_group1, text)  # a callable: a "\\1" template costs a Python-level parse per call
    text = re.sub(r"(?<=[,;])(?=\S)", " ", text)
    return re.sub(r"\s{2,}", " ", text).strip()


@lru_cache(maxsize=32768)
def _is_word(tok: str) -> bool:
    if len(tok) < 2 or not tok[0].isupper():
        return False
    if tok.endswith(("'s", "’s")):
        return False  # "Hemingway's": a possessive, not a name
    body = tok.replace("-", "").replace("'", "").replace("’", "")
    return body.isalpha() and tok.casefold().rstrip(".") not in stopwords()


#: initials of two or three letters, as names are abbreviated in many languages (Ph. = Philipp, Ch. = Christoph,
#: Th. = Thomas, Chr. = Christian, Yu./Ya. = Yuri/Yakov, Zh./Sh./Kh./Ts. transliterated, Gy. = György)
_DIGRAPH_INITIALS = frozenset(("Ph.", "Ch.", "Th.", "Chr.", "Yu.", "Ya.", "Zh.", "Sh.", "Kh.", "Ts.", "Gy.", "Dj."))
_DIGRAPH_HYPHEN_RE = re.compile(r"(?:Ph|Ch|Th|Chr|Yu|Ya|Zh|Sh|Kh|Ts|Gy|Dj)\.-[A-Z]\.")  # "Ph.-G." (not "Ph.D.")


@lru_cache(maxsize=32768)
def is_initials(tok: str, *, strict: bool = False) -> bool:
    """True for "J.", "J.-P.", "A.C.", and (unless ``strict``) undotted "AC", "WXY"."""
    if tok in _DIGRAPH_INITIALS or _DIGRAPH_HYPHEN_RE.fullmatch(tok):
        return True  # "Ph.", "Ch.", "Yu.", "Ph.-G." (a digraph initial: Philipp, Christoph, Yuri)
    letters = [c for c in tok if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters):
        return False
    if _DOTTED_INITIALS_RE.match(tok):
        return True
    if strict:
        return False
    # undotted: "D", "GE", "WXY"; three letters with a vowel ("LIU") are more likely a name
    return bool(_INITIALS_RE.match(tok)) and (len(letters) <= 2 or not re.search(r"[AEIOU]", tok))


def name_tokens_ok(tokens: list[str]) -> bool:
    """Whether tokens (already split on spaces) can form a personal name."""
    return _tokens_ok(tuple(tokens))


@lru_cache(maxsize=16384)
def _tokens_ok(tokens: tuple[str, ...]) -> bool:
    if not tokens or len(tokens) > 6:
        return False
    words = 0
    for t in tokens:
        low = t.casefold()
        if low in PARTICLES and t[0].islower():
            continue
        if low in SUFFIXES:
            continue
        if is_initials(t) or t in CAP_PREFIXES:
            continue
        if _is_word(t):
            words += 1
            continue
        if _CJK_RE.match(t):
            words += 1
            continue
        return False
    if len(tokens) >= 2 and all(t.isupper() and len(t.rstrip(".")) >= 2 and "." not in t for t in tokens):
        return False  # "SQUEEZE THINK": a shouted title, not a name
    if len(tokens) >= 2 and any(_ORG_RE.fullmatch(t) for t in tokens):
        return False  # "World Health Organization": an organisation
    return 1 <= words <= 4 and (len(tokens) >= 2 or bool(_CJK_RE.match(tokens[0])))


def parse_name(text: str) -> Name | None:
    """A :class:`Name` from one author string, or None when it is not a name.

    The result is a fresh object (callers may change it).

    >>> parse_name("Shuaiwen Leon Song").given
    'Shuaiwen Leon'
    >>> parse_name("Stoyanov D").family
    'Stoyanov'
    >>> parse_name("ZHANG Wei").family
    'ZHANG'
    >>> parse_name("Efficient Training Systems") is None
    True
    """
    n = _parse_name(text)
    return None if n is None else copy_name(n)


@lru_cache(maxsize=16384)
def _parse_name(text: str) -> Name | None:
    text = text.strip().strip(",;:").strip()
    if not text:
        return None
    if _OTHERS_RE.match(text):
        return Name(literal=OTHERS)
    if "," in text:  # "Last, First" / "Last, F. M." / "Last, First, Jr."
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if len(parts) >= 2:
            fam_toks, giv_toks = parts[0].split(), parts[1].split()
            if name_tokens_ok(fam_toks + giv_toks) or (len(fam_toks) == 1 and _is_word(fam_toks[0])
                                                         and all(is_initials(t) or _is_word(t) for t in giv_toks)):
                particles = [t for t in giv_toks if t.casefold() in PARTICLES and t[0].islower()]
                givens = [t for t in giv_toks if t not in particles]
                suffix = parts[2] if len(parts) > 2 and parts[2].casefold() in SUFFIXES else None
                return Name(family=parts[0], given=" ".join(givens) or None, particle=" ".join(particles) or None,
                            suffix=suffix)
        return None
    toks = text.split()
    if len(toks) == 1 and _CJK_RE.match(toks[0]):
        t = toks[0]
        return Name(family=t[0], given=t[1:]) if len(t) <= 3 else Name(family=t[:2], given=t[2:])
    if not name_tokens_ok(toks):
        return None
    suffix = None
    if len(toks) > 2 and toks[-1].casefold() in SUFFIXES:
        suffix = toks.pop()
    # "Last FM" / "Last F.M." / "van der Maaten L" (Vancouver): initials at the end
    lead = 0
    while lead < len(toks) - 2 and toks[lead] in PARTICLES:
        lead += 1
    if len(toks) - lead >= 2 and _is_word(toks[lead]) and is_initials(toks[-1]) and not is_initials(toks[lead]):
        k = len(toks) - 1
        while k > lead + 1 and is_initials(toks[k - 1]):
            k -= 1
        return Name(family=" ".join(toks[lead:k]), given=" ".join(toks[k:]), suffix=suffix,
                    particle=" ".join(toks[:lead]) or None)
    # "ZHANG Wei": an upper-case family name first
    if (len(toks) == 2 and toks[0].isupper() and toks[0].isalpha() and len(toks[0]) >= 3
            and re.search(r"[AEIOU]", toks[0])
            and not toks[1].isupper()):
        return Name(family=toks[0], given=toks[1], suffix=suffix)
    # given names first; a capitalised prefix of the surname ("Mac Aodha", "Ní Bhriain",
    # "Van Rossum") stays in the family name
    if len(toks) >= 3 and toks[-2] in CAP_PREFIXES:
        return Name(family=f"{toks[-2]} {toks[-1]}", given=" ".join(toks[:-2]), suffix=suffix)
    if len(toks) >= 4 and toks[-3] in CAP_PREFIXES and toks[-2] in PARTICLES and toks[-2][0].islower():
        # "G. Van der Sande", "Pablo De la Cruz": a capitalised prefix, then a particle
        return Name(family=" ".join(toks[-3:]), given=" ".join(toks[:-3]), suffix=suffix)
    # given names first; family = last word with the particles before it
    k = len(toks) - 1
    while k > 0 and toks[k - 1].casefold() in PARTICLES and toks[k - 1][0].islower():
        k -= 1
    particle = " ".join(toks[k:len(toks) - 1]) or None
    given = " ".join(toks[:k]) or None
    return Name(family=toks[-1], given=given, particle=particle, suffix=suffix)


def split_author_list(text: str) -> list[str]:
    """Split an author string on commas, semicolons, "and", "&" (pairs "Last, F." are rejoined).

    >>> split_author_list("Smith, J., Doe, A. B., & Roe, C.")
    ['Smith, J.', 'Doe, A. B.', 'Roe, C.']
    >>> split_author_list("A. Bee, C. Dee, and E. Eff")
    ['A. Bee', 'C. Dee', 'E. Eff']
    """
    text = text.strip()
    if text.endswith(".") and len(text) > 2 and text[-2].islower():
        text = text[:-1]
    parts = [p for p in _SPLIT_RE.split(text) if p and p.strip()]
    parts = [p.strip() for p in parts]
    if len(parts) >= 2 and any(p.casefold().rstrip(".") in _SUFFIX_PIECES for p in parts[1:]):
        merged: list[str] = []
        for p in parts:  # "Frederick P. Brooks, Jr.": the suffix belongs to the name before it
            if merged and p.casefold().rstrip(".") in _SUFFIX_PIECES:
                merged[-1] = f"{merged[-1]} {p}"
            else:
                merged.append(p)
        parts = merged
    parts = _merge_inverted(parts)
    # "Last, F." pairs: every other piece is initials only
    if len(parts) >= 2 and len(parts) % 2 == 0:
        odd = parts[1::2]
        even = parts[0::2]
        if all(all(is_initials(t, strict=True) for t in p.split()) for p in odd) and \
                all(all(_is_word(t) or t.casefold() in PARTICLES for t in p.split()) for p in even) and \
                (len(parts) >= 4 or len(even[0].split()) == 1) and \
                not any(p.replace(" ", "") in ("U.S.", "U.K.", "P.R.", "U.S.A.") for p in odd):
            return [f"{a}, {b}" for a, b in zip(even, odd, strict=False)]
    return parts


_SUFFIX_PIECES = frozenset(("jr", "sr", "ii", "iii", "iv"))


def _given_like(piece: str) -> bool:
    toks = piece.split()
    return 1 <= len(toks) <= 3 and all(is_initials(t) or _is_word(t) for t in toks)


def _merge_inverted(parts: list[str]) -> list[str]:
    """Rejoin "Doe, Jane" / "Doe, J." when a piece is a lone surname followed by given names
    (MLA, APA, ACS, Chicago lists), leaving "First Last" pieces alone."""
    if len(parts) < 2:
        return parts
    out: list[str] = []
    i = 0
    while i < len(parts):
        p = parts[i]
        toks = p.split()
        lone = (len(toks) == 1 and _is_word(toks[0])) or (
            len(toks) == 2 and toks[0] in PARTICLES and _is_word(toks[1]))
        if lone and i + 1 < len(parts) and _given_like(parts[i + 1]) and not _is_pair_list(parts):
            out.append(f"{p}, {parts[i + 1]}")
            i += 2
            continue
        out.append(p)
        i += 1
    return out


def _is_pair_list(parts: list[str]) -> bool:
    return len(parts) >= 4 and len(parts) % 2 == 0 and all(
        all(is_initials(t, strict=True) for t in p.split()) for p in parts[1::2])


def parse_author_list(text: str) -> list[Name]:
    """Names from an author string; empty list when a piece is not a name.

    >>> [n.family or n.literal for n in parse_author_list("Dan Wang, Boan Liu, Zhaorui Zhang, etc.")]
    ['Wang', 'Liu', 'Zhang', 'others']
    """
    return [copy_name(n) for n in _author_list(text)]


@lru_cache(maxsize=8192)
def _author_list(text: str) -> tuple[Name, ...]:
    text = clean_author_text(text)
    if "(" in text:
        text = re.sub(r"\(\s*(?:equal|joint|co-first)[^)]{0,80}\)", "", text, flags=re.I)
    names = []
    for piece in split_author_list(text):
        n = _parse_name(piece)  # the cached Name itself: parse_author_list copies on the way out
        if n is None:
            return ()
        if n.is_others:
            n = Name(literal=OTHERS, family=None)
            names.append(n)
            continue
        names.append(n)
    if names and all(n.is_others for n in names):
        return ()
    return tuple(names)


@lru_cache(maxsize=8192)
def looks_like_author_list(text: str) -> float:
    """A score in [0, 1] that ``text`` is an author list.

    >>> looks_like_author_list("Zili Zhang, Chao Jin, Xin Jin") > 0.8
    True
    >>> looks_like_author_list("Fast Vector Queries on Large Datasets") < 0.5
    True
    """
    names = _author_list(text)
    real = [n for n in names if not n.is_others]
    if not real:
        return 0.0
    if len(real) == 1:
        n = real[0]
        words = len((n.given or "").split()) + len((n.family or "").split())
        return 0.55 if words <= 3 else 0.3
    return min(1.0, 0.6 + 0.1 * len(real))


# -- prefix parsing for one-line references --------------------------------------
_TOKEN_RE = re.compile(r"\S+")


@lru_cache(maxsize=16384)
def match_name_prefix(text: str) -> tuple[Name, int, str] | None:
    """Match one personal name at the start of ``text``.

    Returns (name, end offset, terminator) where the terminator is "." or ":" when
    a word ending the name carries it (the end of an author list), else "".

    >>> n, end, term = match_name_prefix("X. Chu. FSMoE: A System")
    >>> (n.family, end, term)
    ('Chu', 7, '.')
    """
    toks: list[str] = []
    end = 0
    term = ""
    for m in _TOKEN_RE.finditer(text[:200]):
        tok = m.group(0)
        if len(toks) >= 6:
            break
        bare = tok.rstrip(",;)")
        if is_initials(bare, strict=True) and (len(toks) < 5):
            toks.append(bare)
            end = m.start() + len(bare)
            if bare != tok:
                break
            continue
        core = tok.rstrip(".:;,)")
        trail = tok[len(core):]
        digits = re.search(r"(?<=[^\W\d_])\d{1,2}(?:,\d{1,2}){0,3}$", core) if core[-1:].isdigit() else None
        if digits and len(core) - len(digits.group(0)) >= 2:  # footnote digits: "Smith1,2"
            core = core[:digits.start()]
        low = core.casefold()
        ok = (_is_word(core) or (low in PARTICLES and core[:1].islower()) or (low in SUFFIXES and toks)
              or (is_initials(core) and toks) or _CJK_RE.match(core))
        if not ok:
            break
        toks.append(core)
        end = m.start() + len(tok) - len(trail)
        if trail:
            if trail[0] in ".:":
                term = trail[0]
                end += 1
            break
    # "Zhang W. Vaccine hesitancy ...": a family name and one initial end the list
    # (Vancouver style) when a sentence-case title follows
    if len(toks) >= 3 and _is_word(toks[0]) and is_initials(toks[1], strict=True) and toks[1].endswith(".") \
            and len(toks[1]) == 2 and toks[2][:1].isupper():
        follow = re.match(r"\S+\s+(\S+)", text[text.find(toks[1]) + 2:text.find(toks[1]) + 80].lstrip())
        colon = re.match(r"\S+:", text[text.find(toks[1]) + 2:text.find(toks[1]) + 80].lstrip())
        if colon or (follow and follow.group(1)[:1].islower() and follow.group(1).casefold() not in PARTICLES
                     and not _another_name(text, text.find(toks[1]) + 2 + len(toks[2]) + 1)):
            # (not "James W. Cooley and John ...", "Holger H. Hoos, and Kevin ...": another name follows)
            toks = toks[:2]
            end = text.find(toks[1]) + 2
            term = "."
    if toks and name_tokens_ok(toks):
        n = _parse_name(" ".join(toks))
        if n is not None:
            return n, end, term
    return None


#: a separator and the capital of another name after a name ("and John", ", and Kevin", "; Ba")
_LIST_AFTER_RE = re.compile(r"\S*?(?:\s+(?:and|und|&)|[,;](?:\s+(?:and|&))?)\s+([^\W\d_])")
def _another_name(text: str, at: int) -> bool:
    m = _LIST_AFTER_RE.match(text, at, at + 40)
    return m is not None and m.group(1).isupper()


_HALF_INITIAL_RE = re.compile(r"^[^\W\d_]\.-[^\W\d_]{2,20}$")
_INV_HEAD = re.compile(r"((?:[a-z]{1,3} |(?:Van|Von|De|Del|Della|Di|Da|Du|Le|La|Dos|Das|Ten|Ter|St\.|VAN|VON|DE|DER|"
                       r"DEN|DEL|DI|DA|DU|LE|LA|DOS|DAS|TEN|TER) ){0,2}"
                       r"[^\W\d_][\w'’\-]{1,40}"
                       r"(?: (?:de|del|la|las|los|y|e|da|do|dos|das|van|von|der|den|di|le|du|DE|DEL|LA|DA|DO|DOS|"
                       r"VAN|VON|DER|DEN)(?: (?:la|las|los|der|den|de|LA|DER|DEN|DE))? [^\W\d_][\w'’\-]{1,40})?),\s+")


@lru_cache(maxsize=16384)
def match_inverted_prefix(text: str) -> tuple[Name, int, str] | None:
    """Match "Family, Given" / "Family, G. M." at the start of ``text`` (APA, ACS, MLA,
    Chicago lists).  Returns (name, end offset, terminator) like :func:`match_name_prefix`.

    >>> n, end, term = match_inverted_prefix("Doe, J. (2019). Credit")
    >>> (n.family, n.given, end, term)
    ('Doe', 'J.', 7, '')
    >>> n, end, term = match_inverted_prefix("Doe, J. R. Credit constraints")
    >>> (n.family, n.given, term)
    ('Doe', 'J. R.', '.')
    """
    m = _INV_HEAD.match(text[:200])
    if not m:
        return None
    fam = m.group(1)
    fam_toks = fam.split()
    if not _is_word(fam_toks[-1]):
        return None
    lead = 0
    while lead < len(fam_toks) - 1 and fam_toks[lead] in PARTICLES:
        lead += 1
    if lead < len(fam_toks) - 1 and not _is_word(fam_toks[lead]) and fam_toks[lead] not in CAP_PREFIXES:
        return None  # "Quintero de la Cruz": a compound surname with inner particles
    given: list[str] = []
    particle_after: list[str] = []
    pos = m.end()
    end = pos
    term = ""
    words = 0
    for t in _TOKEN_RE.finditer(text[pos:pos + 120]):
        tok = t.group(0)
        bare = tok.rstrip(",;):")
        if is_initials(bare, strict=True) and len(given) < 4:
            given.append(bare)
            end = pos + t.start() + len(bare)
            if tok[len(bare):].startswith(":"):
                term = ":"
                end += 1
                break
        elif given and len(bare) == 1 and bare.isupper() and not given[-1].endswith(".") and len(given) < 4:
            given.append(bare)  # "BENTLEY, Nathan P and ..." (an undotted middle initial)
            end = pos + t.start() + 1
        elif bare.rstrip(".") in PARTICLES and given:  # "Humboldt, A. von."
            particle_after.append(bare.rstrip("."))
            end = pos + t.start() + len(bare.rstrip("."))
            if bare.endswith("."):
                term = "."
                end += 1
                break
            if tok[len(bare):].startswith(":"):  # "Humboldt, Alexander von: Kosmos"
                term = ":"
                end += 1
                break
        elif given and given[-1].endswith(".") and words < 2 and _is_word(bare) and (
                tok.endswith(";") or text[pos + t.end():pos + t.end() + 2] == " ;"):
            given.append(bare)  # "Londono, J. David ;": a middle name after an initial (DIN 1505)
            words += 1
            end = pos + t.start() + len(bare)
        elif (_is_word(bare.rstrip(".")) or _HALF_INITIAL_RE.match(bare)) and words < 2 \
                and not (given and given[-1].endswith(".")):  # "Tobias", "Y.-ming" (CSL initialising "Yiu-ming")
            core = bare.rstrip(".")
            given.append(core)
            words += 1
            end = pos + t.start() + len(core)
            if bare.endswith("."):
                term = "."
                end += 1
                break
            if tok[len(bare):].startswith(":"):  # "Brandt, Tobias: Title"
                term = ":"
                end += 1
                break
        else:
            break
        if bare != tok:
            break
    if not given:
        return None
    if given[-1].endswith(".") and not term:
        after = text[end:end + 3]
        if re.match(r"\s[^\W\d_]", after) and not re.match(r"\s(?:and|&)\b", text[end:end + 6]) and after[1].isupper():
            term = "."
    return Name(family=" ".join(fam_toks[lead:]), given=" ".join(given),
                particle=" ".join(fam_toks[:lead] + particle_after) or None), end, term
