"""Google-Scholar-like citation keys: ``family`` + ``year`` + first significant title word.

>>> from bibkit.model import Date, Entry, Name
>>> e = Entry(title="The Art of Computer Programming", author=[Name(family="Knuth", given="Donald")],
...           issued=Date(1968))
>>> make_key(e)
'knuth1968art'
>>> es = [e, e.copy(), Entry(title="Über Tödliche Dinge", author=[Name(family="Gödel")])]
>>> assign_keys(es, rekey=True)
['knuth1968art', 'knuth1968arta', 'godeltodliche']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .model import Entry

#: words skipped when picking the title word (English, plus common articles elsewhere)
_STOP_TEXT = """
a an the on of in for to and or with from by at as into onto via towards toward about over under
is are be using its it this that these those how what why when which where who new some
der die das ein eine den dem des und zur zum über uber le la les un une des du et el los las una
"""
STOPWORDS = frozenset(_STOP_TEXT.split())

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
#: what BibTeX accepts as a citation key (others are replaced by generated keys)
_VALID_KEY = re.compile(r"[^\s,{}\"#%'=()\\~]+")
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters and digits only (accents stripped).

    >>> ascii_fold("Ørsted-Müller ß")
    'orstedmullerss'
    """
    text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L")
    text = text.replace("æ", "ae").replace("Æ", "AE").replace("œ", "oe").replace("Œ", "OE")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub("", folded.lower())


def _clean(text: str) -> str:
    # drop LaTeX commands kept verbatim (\ch{...} etc.) and math before picking words
    text = re.sub(r"\$[^$]*\$", " ", text)
    return re.sub(r"\\[a-zA-Z]+", " ", text)


def make_key(entry: Entry) -> str:
    """The base key for ``entry`` (no collision suffix)."""
    people = [n for n in (entry.author or entry.editor) if not n.is_others]
    family = ""
    if people:
        n = people[0]
        family = ascii_fold(n.family or "") if n.family else ""
        if not family and n.literal:
            words = _WORDS.findall(_clean(n.literal))
            family = ascii_fold(words[0]) if words else ""
        if not family:
            family = ascii_fold(n.given or "")
    if not family:
        family = "anon"
    year = str(entry.year) if entry.year else ""
    word = ""
    for w in _WORDS.findall(_clean(entry.title or "")):
        folded = ascii_fold(w)
        if folded and w.lower() not in STOPWORDS and folded not in STOPWORDS:
            word = folded
            break
    return f"{family}{year}{word}"


def _suffixes() -> Iterable[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield from letters
    for a in letters:
        for b in letters:
            yield a + b


def assign_keys(entries: list[Entry], rekey: bool = False, unique: bool = False) -> list[str]:
    """Unique keys for ``entries``: existing keys are kept (unless ``rekey``, or when
    BibTeX could not read them back, e.g. with spaces or commas), others are
    generated; a generated key that collides gets ``a``, ``b``, ``c``...
    ``unique``: a key given to an earlier entry too (BibTeX compares them ignoring case) gets a
    suffix as well, so every entry can be cited (BibTeX stops at a repeated key).

    The same entries get the same keys in every output (the BibTeX key is the CSL-JSON ``id``).
    """
    keys: list[str | None] = [None if rekey or not e.key or not _VALID_KEY.fullmatch(e.key) else e.key
                              for e in entries]
    if unique:
        return _unique_keys(entries, keys)
    taken = {k for k in keys if k}
    for i, entry in enumerate(entries):
        if keys[i]:
            continue
        keys[i] = unique_key(entry, taken)
    return [k or "" for k in keys]


def unique_key(entry: Entry, taken: set[str]) -> str:
    """A generated key for ``entry`` not yet in ``taken`` (suffixed a, b, ... when it is); added to ``taken``."""
    base = make_key(entry)
    key = base
    if key in taken:
        for suffix in _suffixes():
            key = base + suffix
            if key not in taken:
                break
    taken.add(key)
    return key


# -- key patterns (``--key-pattern``) --------------------------------------------------------------------------
#: the placeholders of a key pattern and what each gives (README, ``--help``)
PLACEHOLDERS = {
    "auth": "the first author's family name (the first editor's when there is no author)",
    "authors": "all the authors' family names",
    "authorsN": "the first N authors' family names, then EtAl when there are more (e.g. {authors2})",
    "authEtAl": "the first author's family name, then And + the second's (two authors) or EtAl (more)",
    "authorLast": "the last author's family name",
    "year": "the year (four digits)",
    "shortyear": "the year's last two digits",
    "title": "every word of the title, capitalised",
    "shorttitle": "the first three words of the title that are not function words, capitalised",
    "veryshorttitle": "the first word of the title that is not a function word",
    "firstpage": "the first page",
    "lastpage": "the last page",
    "volume": "the volume",
}
#: modifiers after a colon: ``{auth:lower}``
MODIFIERS = ("lower", "upper", "abbr")
#: the key bibkit makes without a pattern, written as one
DEFAULT_PATTERN = "{auth:lower}{year}{veryshorttitle:lower}"
_PLACEHOLDER = re.compile(r"\{([^{}:]*)(?::([^{}]*))?\}")


def _fold(text: str) -> str:
    """Letters and digits of ``text`` in ASCII, case kept."""
    text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "", folded)


def _family(name: object) -> str:
    family = getattr(name, "family", None)
    if family:
        return _fold(family)
    literal = getattr(name, "literal", None) or getattr(name, "given", None) or ""
    words = _WORDS.findall(_clean(literal))
    return _fold(words[0]) if words else ""


def _title_words(entry: Entry, significant: bool) -> list[str]:
    words = _WORDS.findall(_clean(entry.title or ""))
    if significant:
        words = [w for w in words if w.lower() not in STOPWORDS and ascii_fold(w) not in STOPWORDS]
    return [_fold(w[:1].upper() + w[1:]) for w in words if _fold(w)]


def _pages(entry: Entry) -> tuple[str, str]:
    parts = [p for p in re.split(r"\s*(?:-+|–|—)\s*", (entry.page or "").strip()) if p]
    if not parts:
        return "", ""
    return _fold(parts[0]), _fold(parts[-1])


def _placeholder(entry: Entry, name: str) -> str:
    people = [n for n in (entry.author or entry.editor) if not n.is_others]
    families = [f for f in (_family(n) for n in people) if f]
    more = len(people) > len(families) or any(n.is_others for n in (entry.author or entry.editor))
    if name == "auth":
        return families[0] if families else ""
    if name == "authors":
        return "".join(families)
    if name == "authorLast":
        return families[-1] if families else ""
    if name == "authEtAl":
        if len(families) > 2 or (families and more):
            return families[0] + "EtAl"
        return "And".join(families)
    m = re.fullmatch(r"authors(\d+)", name)
    if m:
        n = int(m.group(1))
        return "".join(families[:n]) + ("EtAl" if len(families) > n or (more and families) else "")
    if name in ("year", "shortyear"):
        year = str(entry.year) if entry.year else ""
        return year[-2:] if name == "shortyear" else year
    if name == "title":
        return "".join(_title_words(entry, significant=False))
    if name == "shorttitle":
        return "".join(_title_words(entry, significant=True)[:3])
    if name == "veryshorttitle":
        return "".join(_title_words(entry, significant=True)[:1])
    if name in ("firstpage", "lastpage"):
        return _pages(entry)[0 if name == "firstpage" else 1]
    if name == "volume":
        return _fold(entry.volume or "")
    raise ValueError(name)


def check_pattern(pattern: str) -> None:
    """Raise :class:`~bibkit.errors.UsageError` for a pattern with an unknown placeholder or modifier."""
    from .errors import UsageError

    if not _PLACEHOLDER.search(pattern):
        raise UsageError(f"key pattern {pattern!r} has no placeholder; e.g. {DEFAULT_PATTERN}")
    if re.search(r"[{}]", _PLACEHOLDER.sub("", pattern)):
        raise UsageError(f"key pattern {pattern!r}: unbalanced braces")
    for m in _PLACEHOLDER.finditer(pattern):
        name, modifier = m.group(1), m.group(2)
        if name not in PLACEHOLDERS and not re.fullmatch(r"authors\d+", name):
            raise UsageError(f"key pattern {pattern!r}: unknown placeholder {{{name}}}; known: "
                             + ", ".join("{" + p + "}" for p in PLACEHOLDERS))
        if modifier is not None and modifier not in MODIFIERS:
            raise UsageError(f"key pattern {pattern!r}: unknown modifier :{modifier}; known: {', '.join(MODIFIERS)}")


def pattern_key(entry: Entry, pattern: str) -> str:
    """The key ``pattern`` gives ``entry`` (JabRef-like placeholders in braces, see :data:`PLACEHOLDERS`;
    modifiers ``:lower``, ``:upper``, ``:abbr`` (first letters); other text kept, as far as BibTeX accepts it).

    >>> from bibkit.model import Date, Name
    >>> e = Entry(title="The Art of Computer Programming", author=[Name(family="Knuth", given="Donald")],
    ...           issued=Date(1968), page="1--650")
    >>> pattern_key(e, "{auth}{year}{shorttitle}"), pattern_key(e, "{auth:lower}:{shortyear}-{title:abbr}")
    ('Knuth1968ArtComputerProgramming', 'knuth:68-TAOCP')
    >>> pattern_key(e, DEFAULT_PATTERN) == make_key(e)
    True
    """

    def value(m: re.Match[str]) -> str:
        text = _placeholder(entry, m.group(1))
        modifier = m.group(2)
        if modifier == "lower":
            return text.lower()
        if modifier == "upper":
            return text.upper()
        if modifier == "abbr":
            return "".join(re.findall(r"[A-Z0-9]", text)) or text[:1]
        return text

    check_pattern(pattern)
    key = _PLACEHOLDER.sub(value, pattern)
    key = "".join(c for c in key if _VALID_KEY.fullmatch(c) and c.isascii())
    return key or "anon"


def apply_keys(entries: list[Entry], pattern: str | None = None, rekey: bool = False) -> int:
    """Give ``entries`` keys: every entry (``rekey``) or those without a usable key, from ``pattern`` (else
    :func:`make_key`), a key taken already getting ``a``, ``b``...; the number of keys changed."""
    if pattern is not None:
        check_pattern(pattern)
    keep = [not rekey and bool(e.key) and bool(_VALID_KEY.fullmatch(e.key or "")) for e in entries]
    taken = {e.key for e, k in zip(entries, keep, strict=True) if k and e.key}
    changed = 0
    for entry, kept in zip(entries, keep, strict=True):
        if kept:
            continue
        base = pattern_key(entry, pattern) if pattern is not None else make_key(entry)
        key = base
        if key in taken:
            key = next(base + s for s in _suffixes() if base + s not in taken)
        taken.add(key)
        if key != entry.key:
            entry.key = key
            changed += 1
    return changed


def _unique_keys(entries: list[Entry], keys: list[str | None]) -> list[str]:
    """:func:`assign_keys` with keys unique ignoring case: a repeated key gets a suffix."""
    taken: set[str] = set()  # lower case
    first = list(keys)
    for i, k in enumerate(first):
        if k is not None and k.lower() in taken:
            first[i] = None
            keys[i] = k  # the key to suffix
            continue
        if k is not None:
            taken.add(k.lower())
            keys[i] = None
    out: list[str] = []
    for i, entry in enumerate(entries):
        if first[i] is not None:
            out.append(first[i] or "")
            continue
        base = keys[i] or make_key(entry)
        key = base
        if key.lower() in taken:
            for suffix in _suffixes():
                key = base + suffix
                if key.lower() not in taken:
                    break
        taken.add(key.lower())
        out.append(key)
    return out
