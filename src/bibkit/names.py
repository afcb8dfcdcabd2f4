"""BibTeX name lists: splitting ``author`` fields into :class:`~bibkit.model.Name` and back.

The rules are BibTeX's own: names are separated by ``and`` at brace depth 0; a name
is ``First von Last``, ``von Last, First`` or ``von Last, Jr, First``; the *von* part
is the run of words starting with a lower-case letter; braces protect.  A name that
is one braced group (``{World Health Organization}``) is kept whole as a literal,
and ``others`` is the "et al." marker.

>>> [n.display() for n in parse_names(r'Ludwig van Beethoven and de la Cruz, Juan and King, Jr, Martin Luther')]
['Ludwig van Beethoven', 'Juan de la Cruz', 'Martin Luther King, Jr']
>>> parse_names('{World Health Organization} and others')[0].literal
'World Health Organization'
"""

from __future__ import annotations

import re

from .latex import decode, encode
from .model import OTHERS, Name

#: ``and`` between white space (BibTeX's rule): in ``A and and B`` both are separators, with an empty name
#: between them (``\s+and\s+`` would take the first one's space and read ``and B`` as a name)
_AND = re.compile(r"(?<=\s)and(?=\s)", re.IGNORECASE)
_cache: dict[str, tuple[Name, ...]] = {}


def split_and(value: str, keep_empty: bool = False) -> list[str]:
    """Split a name list on ``and`` at brace depth 0; ``keep_empty``: with the empty names of a list
    like ``A and and B`` (``['A', '', 'B']``), which are otherwise left out.

    >>> split_and("A and and B"), split_and("A and and B", keep_empty=True)
    (['A', 'B'], ['A', '', 'B'])
    """
    if "{" not in value:
        parts = _AND.split(value)
    else:
        parts, depth, start = [], 0, 0
        for m in re.finditer(r"[{}]|(?<=\s)and(?=\s)", value, re.IGNORECASE):
            tok = m.group()
            if tok == "{":
                depth += 1
            elif tok == "}":
                depth = max(0, depth - 1)
            elif depth == 0:
                parts.append(value[start:m.start()])
                start = m.end()
        parts.append(value[start:])
    return [p.strip() for p in parts if keep_empty or p.strip()]


def empty_names(value: str) -> int:
    """How many empty names the name list ``value`` has (``A and and B``: 1; an empty field: 0).

    >>> empty_names("A and and B"), empty_names("A and {and and} B"), empty_names("")
    (1, 0, 0)
    """
    if not value.strip() or not _AND.search(value):
        return 0
    return sum(1 for p in split_and(value, keep_empty=True) if not p)


def parse_names(value: str) -> list[Name]:
    """The names of a BibTeX name field (raw LaTeX, macros already expanded)."""
    hit = _cache.get(value)
    if hit is None:
        hit = tuple(parse_name(part) for part in split_and(value))
        if len(_cache) > 100_000:
            _cache.clear()
        _cache[value] = hit
    # fresh objects: callers may edit them
    return [Name(n.family, n.given, n.particle, n.dropping_particle, n.suffix, n.literal) for n in hit]


def _tokens(text: str) -> list[str]:
    """Words of ``text`` split on spaces (and ties) at brace depth 0."""
    if "{" not in text:
        return text.replace("~", " ").split()
    cur: list[str]
    words, depth, cur = [], 0, []
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        if depth == 0 and (ch in " \t\n" or ch == "~"):
            if cur:
                words.append("".join(cur))
                cur = []
            continue
        cur.append(ch)
    if cur:
        words.append("".join(cur))
    return words


def _split_commas(text: str) -> list[str]:
    if "{" not in text:
        return [p.strip() for p in text.split(",")]
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _is_lower(word: str) -> bool:
    """BibTeX's von test: the first letter at brace depth 0 (or of a special char) is lower case."""
    if word[:1].isalpha():
        return word[0].islower()
    depth, i, n = 0, 0, len(word)
    while i < n:
        ch = word[i]
        if ch == "{":
            if i + 1 < n and word[i + 1] == "\\" and depth == 0:
                # special character {\"u}: its letter decides
                text = decode(word[i:])
                for c in text:
                    if c.isalpha():
                        return c.islower()
                return False
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and ch.isalpha():
            return ch.islower()
        elif depth == 0 and ch == "\\":
            text = decode(word[i:])
            for c in text:
                if c.isalpha():
                    return c.islower()
            return False
        i += 1
    return False


def _join(words: list[str]) -> str | None:
    if not words:
        return None
    text = decode(" ".join(words))
    return text or None


def parse_name(text: str) -> Name:
    """One BibTeX name.

    >>> parse_name('van der Maaten, Laurens')
    Name(family='Maaten', given='Laurens', particle='van der', dropping_particle=None, suffix=None, literal=None)
    >>> parse_name(r'J{\\"o}rg M{\\"u}ller').family
    'Müller'
    """
    text = text.strip()
    if text.lower() == OTHERS:
        return Name(literal=OTHERS)
    if text.startswith("{") and text.endswith("}") and _one_group(text):
        inner = text[1:-1].strip()
        if not inner.startswith("\\") or any(c in inner for c in " \t\n~"):
            return Name(literal=decode(inner))
    parts = _split_commas(text)
    if len(parts) == 1:
        words = _tokens(parts[0])
        if not words:
            return Name(literal=decode(text))
        if len(words) == 1:
            return Name(family=_join(words))
        # First von Last: von starts at the first lower-case word (not the last word)
        lower = [i for i, w in enumerate(words[:-1]) if _is_lower(w)]
        if lower:
            start = lower[0]
            end = max(i for i in lower) + 1
            return Name(given=_join(words[:start]), particle=_join(words[start:end]), family=_join(words[end:]))
        return Name(given=_join(words[:-1]), family=_join(words[-1:]))
    von_last = _tokens(parts[0])
    if len(parts) == 2:
        suffix, first = None, parts[1]
    else:
        suffix, first = parts[1] or None, ", ".join(parts[2:])
    # von Last: von is the longest run of lower-case words before the last word
    lower_end = 0
    for i, w in enumerate(von_last[:-1]):
        if _is_lower(w):
            lower_end = i + 1
    given = _join(_tokens(first)) if first else None
    return Name(family=_join(von_last[lower_end:]), given=given, particle=_join(von_last[:lower_end]),
                suffix=decode(suffix) if suffix else None)


def _one_group(text: str) -> bool:
    depth = 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and i != len(text) - 1:
                return False
    return True


# -- writing ---------------------------------------------------------------------------
def format_name(name: Name, ascii: bool = False) -> str:
    """The BibTeX form of ``name`` (``von Last, Jr, First``); literals are braced.

    >>> format_name(Name(family='Maaten', given='Laurens', particle='van der'))
    'van der Maaten, Laurens'
    >>> format_name(Name(literal='World Health Organization'))
    '{World Health Organization}'
    >>> format_name(Name(family='King', given='Martin Luther', suffix='Jr.'))
    'King, Jr., Martin Luther'
    """
    if name.literal:
        if name.literal == OTHERS:
            return OTHERS
        return "{" + encode(name.literal, ascii) + "}"
    family = encode(name.family or "", ascii)
    fam_words = _tokens(family)
    if _needs_brace(family) or (len(fam_words) > 1 and any(_is_lower(w) for w in fam_words[:-1])):
        family = "{" + family + "}"
    particle = " ".join(p for p in (name.dropping_particle, name.particle) if p)
    last = (encode(particle, ascii) + " " + family) if particle else family
    given = encode(name.given, ascii) if name.given else ""
    if given and _needs_brace(given):
        given = "{" + given + "}"
    out = last
    if name.suffix:
        out += ", " + encode(name.suffix, ascii) + ", " + given
    elif given:
        out += ", " + given
    elif len(_tokens(family)) > 1:
        out += ","  # "Le Guin," : without the comma a lone two-word family would read as "First Last"
    return out


def _needs_brace(text: str) -> bool:
    return "," in text or bool(_AND.search(f" {text} ")) or text.lower() == OTHERS


def format_names(names: list[Name], ascii: bool = False) -> str:
    """A BibTeX name list (``and``-separated)."""
    return " and ".join(format_name(n, ascii) for n in names)
