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
