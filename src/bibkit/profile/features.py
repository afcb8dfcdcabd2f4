"""Features for the parser's two learned models, as small named functions.

Token features (field tagger): every function in :data:`TOKEN_FEATURES` maps one token
to a few ``name=value`` strings; every one in :data:`SEQUENCE_FEATURES` gives each token
what its place in the entry says (inside quotes or brackets, the word before it, tokens since
the last sentence end, what its sentence holds); :func:`token_features` adds the features of
the neighbouring tokens. Line features
(finder) work the same way over a page's :class:`~.lines.Line`s (:func:`line_features`).

Knowledge lives in the word lists of ``data/lexicon/`` and in ``data/venues.csv``,
``data/journal_words.txt`` and ``data/publishers.txt``; the models learn what it means.

>>> from .tokens import tokenize
>>> feats = token_features(tokenize("Bee, A. (2021). Title. Nature 12(3), 4-9."))
>>> feats[2]["num"], feats[-1]["num"], feats[0]["end"]
('year', 'range', ',')
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from importlib import resources
from itertools import groupby, pairwise
from typing import Any

from . import rx as re
from .lines import Line, strip_marks
from .tokens import Token

Features = dict[str, str | float]


# -- lexicons -------------------------------------------------------------------------------
def _words(name: str) -> frozenset[str]:
    text = resources.files("bibkit").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return frozenset(w.strip().casefold() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@cache
def lexicon(name: str) -> frozenset[str]:
    """A word list from ``data/lexicon/NAME.txt`` (folded)."""
    return _words(f"lexicon/{name}.txt")


@cache
def journal_words() -> frozenset[str]:
    return _words("journal_words.txt") | _words("journal_abbrev_words.txt")


@cache
def publisher_words() -> frozenset[str]:
    """First words of the known publishers."""
    return frozenset(p.split()[0] for p in _words("publishers.txt") if p.split())


@cache
def venue_acronyms() -> frozenset[str]:
    import csv

    text = resources.files("bibkit").joinpath("data/venues.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return frozenset(r["acronym"].casefold() for r in rows if r.get("acronym"))


_LEXICONS = ("months", "status", "particles", "genre", "editor", "locators", "notes", "links")

# -- token features -------------------------------------------------------------------------
_STRIP = "\"'“”‘’«»„()[]{}<>.,;:!?*†‡§¶#"
_OPENERS = "([{“‘«„\"'"
_CLOSERS = ")]}”’»\"'"
_YEAR = re.compile(r"^\(?\[?(1[5-9]\d\d|20\d\d)[a-z]?\]?\)?[.,;:]*$")
_RANGE = re.compile(r"^\(?[A-Za-z]?\d+[a-z]?\s*[-–—]+\s*[A-Za-z]?\d+[a-z]?\)?[.,;:]*$")
_VOLISSUE = re.compile(r"^\d+\s*\(\s*[\d\-–/]+\s*\)[.,:;]*")
_NUM = re.compile(r"^[(\[]?\d+[)\]]?[.,;:]*$")
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th|e|er|ème)\b", re.I)
_ROMAN = re.compile(r"^[IVXLC]+[.,;:]?$")
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.?-?){1,3}[.,;:]*$|^(?:[A-Z]\.){1,3}-?[A-Z]?\.?[,;:]*$")
_DOI = re.compile(r"\b10\.\d{4,9}/\S+")
_URL = re.compile(r"^(?:https?://|www\.)\S+|^\S+\.(?:com|org|edu|net|io)(?:/\S*)?$", re.I)
_ARXIV = re.compile(r"^(?:arxiv:)?\d{4}\.\d{4,5}(?:v\d+)?[.,;]?$|^arxiv:", re.I)
_ISBN = re.compile(r"^(?:97[89])?[\d-]{9,17}[\dX]$")
_VENUE_TAG = re.compile(r"^\[?[A-Za-z]+[-‘'’]?\d{2,4}\]?$")


def canonical(word: str) -> str:
    """The word folded, without surrounding punctuation (``"(Nature,"`` -> ``"nature"``)."""
    w = word.strip(_STRIP).casefold()
    return w or word[:4]


_ASCII_CLASSES = str.maketrans({**{c: "X" for c in string.ascii_uppercase}, **{c: "x" for c in string.ascii_lowercase},
                                 **{c: "d" for c in string.digits}})
_ASCII_NON_LETTERS = str.maketrans("", "", "".join(chr(i) for i in range(128) if not chr(i).isalpha()))
_DECIMAL = re.compile(r"\d")


def shape(word: str) -> str:
    """Character classes, repeats collapsed (``"Nature,"`` -> ``"Xx,"``, ``"12(3)"`` -> ``"d(d)"``)."""
    if word.isascii():  # the same classes by one table look-up a character, each run of one kept once
        return "".join(c for c, _run in groupby(word[:12].translate(_ASCII_CLASSES)))
    out = []
    last = ""
    for ch in word[:12]:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if c != last:
            out.append(c)
        last = c
    return "".join(out)


def f_word(tok: Token) -> Features:
    w = canonical(tok.text)
    return {"w": w if len(w) < 25 else w[:25], "shape": shape(tok.text)}


def f_affix(tok: Token) -> Features:
    w = tok.text.strip(_STRIP)
    return {"p2": w[:2].casefold(), "s2": w[-2:].casefold(), "s3": w[-3:].casefold()}


def f_punct(tok: Token) -> Features:
    t = tok.text
    out: Features = {}
    if t[-1] in ".,;:!?)]}”’\"'":
        out["end"] = t[-1]
        if len(t) > 1 and t[-2] in ".,;:!?)]}”’\"'":
            out["end2"] = t[-2:]
    if t[0] in _OPENERS:
        out["start"] = t[0]
    if "/" in t:
        out["slash"] = 1.0
    if "-" in t.strip("-–"):
        out["hyphen"] = 1.0
    return out


def f_case(tok: Token) -> Features:
    w = tok.text.strip(_STRIP)
    if not w:
        return {"case": "none"}
    if w.isascii():  # every ASCII letter has a case: the string methods say the same
        only = w.translate(_ASCII_NON_LETTERS)
        if not only:
            return {"case": "none"}
        if only.isupper():
            return {"case": "upper" if len(only) > 1 else "initial"}
        return {"case": "cap" if only[0].isupper() else "lower" if only.islower() else "mixed"}
    letters = [c for c in w if c.isalpha()]
    if not letters:
        return {"case": "none"}
    if all(c.isupper() for c in letters):
        return {"case": "upper" if len(letters) > 1 else "initial"}
    if letters[0].isupper():
        return {"case": "cap"}
    if all(c.islower() for c in letters):
        return {"case": "lower"}
    return {"case": "mixed"}


def f_number(tok: Token) -> Features:
    t = tok.text
    if not _DECIMAL.search(t):  # every pattern but the Roman numeral's needs a decimal digit
        if _ROMAN.match(t) and len(t) <= 5:
            return {"num": "roman"}
        if not t.isascii() and any(c.isdigit() for c in t):  # ("²": a digit, not a decimal one)
            return {"num": "digits"}
        return {}
    if _YEAR.match(t):
        return {"num": "year"}
    if _VOLISSUE.match(t):
        return {"num": "volissue"}
    if _RANGE.match(t):
        return {"num": "range"}
    if _NUM.match(t):
        n = len(t.strip("()[].,;:"))
        return {"num": f"n{min(n, 5)}"}
    if _ORDINAL.match(t):
        return {"num": "ordinal"}
    if _ROMAN.match(t) and len(t) <= 5:
        return {"num": "roman"}
    if any(c.isdigit() for c in t):
        return {"num": "digits"}
    return {}


def f_name(tok: Token) -> Features:
    t = tok.text
    if _INITIALS.match(t) and any(c.isupper() for c in t):
        return {"initials": 1.0}
    return {}


def f_identifier(tok: Token) -> Features:
    t = tok.text
    if _DOI.search(t) or t.casefold().startswith(("doi:", "doi.org")):
        return {"ident": "doi"}
    if _URL.match(t):
        return {"ident": "url"}
    if _ARXIV.match(t):
        return {"ident": "arxiv"}
    if _ISBN.match(t) and sum(c.isdigit() for c in t) >= 10:
        return {"ident": "isbn"}
    return {}


_NONE: frozenset[str] = frozenset()


@cache
def _lexicon_index() -> dict[str, frozenset[str]]:
    """Every word of the :data:`_LEXICONS` word lists, with the names of the lists that hold it."""
    index: dict[str, set[str]] = {}
    for name in _LEXICONS:
        for word in lexicon(name):
            index.setdefault(word, set()).add(name)
    return {word: frozenset(names) for word, names in index.items()}


def f_lexicon(tok: Token) -> Features:
    w = canonical(tok.text)
    raw = tok.text.casefold()
    out: Features = {}
    index = _lexicon_index()
    hits = index.get(w, _NONE) | index.get(raw, _NONE) | index.get(raw.rstrip(",;:"), _NONE)
    if hits:
        for name in _LEXICONS:
            if name in hits:
                out["lex:" + name] = 1.0
    if w in journal_words():
        out["lex:journal"] = 1.0
    if w in publisher_words():
        out["lex:publisher"] = 1.0
    if w in venue_acronyms() or (_VENUE_TAG.match(tok.text) and canonical(tok.text.rstrip("0123456789'’‘-]"))
                                 in venue_acronyms()):
        out["lex:venue"] = 1.0
    return out


def f_markup(tok: Token) -> Features:
    out: Features = {}
    if tok.bold:
        out["bold"] = 1.0
    if tok.italic:
        out["italic"] = 1.0
    if tok.link:
        out["link"] = 1.0
    if tok.line_start:
        out["line_start"] = 1.0
    out["line"] = str(min(tok.line, 3))
    return out


#: the per-token feature functions, in order
TOKEN_FEATURES: tuple[Callable[[Token], Features], ...] = (
    f_word, f_affix, f_punct, f_case, f_number, f_name, f_identifier, f_lexicon, f_markup,
)
#: which of a token's features its neighbours see
_NEIGHBOUR_KEYS = ("w", "end", "case", "num", "initials", "start", "bold", "italic", "rule", "line_start")


_VIEW_NAMES = {d: tuple((key, f"{d:+d}:{key}") for key in (_NEIGHBOUR_KEYS if abs(d) == 1 else ("w", "end", "num")))
               for d in (-2, -1, 1, 2)}
_EDGE_NAMES = {d: f"{d:+d}:edge" for d in (-2, -1, 1, 2)}


@lru_cache(maxsize=65536)
def _brackets(t: str) -> tuple[bool, bool, int, int, bool]:
    """What :func:`_state` reads of a token's text: whether it opens a quote (a straight double quote
    only outside one), whether it starts with a straight double quote, how many brackets it opens and
    closes, and whether it can close a quote."""
    return (t[0] in "“\"‘«„", t[0] == "\"", t.count("(") + t.count("["), t.count(")") + t.count("]"),
            t.rstrip(".,;:")[-1:] in "”\"’»")


#: _state's features of a token (shared: callers copy before changing), by position, in quote,
#: in brackets, first, last
_STATES: dict[tuple[int, bool, bool, bool, bool], Features] = {}


def _state(tokens: Sequence[Token]) -> list[Features]:
    """Running state: inside quotes, inside brackets, relative position."""
    out: list[Features] = []
    quote = paren = 0
    n = len(tokens)
    for k, tok in enumerate(tokens):
        t = tok.text
        quote_char, straight, opens, closes, ends_quote = _brackets(t)
        opens_q = quote_char and not (straight and quote)
        if opens_q:
            quote = 1
        paren += opens
        key = (10 * k // n, bool(quote), paren > 0, k == 0, k == n - 1)
        f = _STATES.get(key)
        if f is None:
            f = {"pos": str(min(9, key[0]))}
            if quote:
                f["in_quote"] = 1.0
            if paren > 0:
                f["in_paren"] = 1.0
            if k == 0:
                f["first"] = 1.0
            if k == n - 1:
                f["last"] = 1.0
            _STATES[key] = f
        out.append(f)
        paren = max(0, paren - closes)
        if quote and (ends_quote and (len(t) > 1 or not opens_q)):
            quote = 0
    return out


#: the token features that read only the token's text, and those that read only its markup and line
_TEXT_FEATURES = frozenset({f_word, f_affix, f_punct, f_case, f_number, f_name, f_identifier, f_lexicon})
_MARKUP_FEATURES = frozenset({f_markup})
#: [the TOKEN_FEATURES the caches below were made with, how many of them from the first read only the
#: text, whether all the others read only the markup] (TOKEN_FEATURES may be changed: benchmarks/tagger_dev.py)
_SPLIT: list[Any] = [None, 0, True]


def _split() -> tuple[int, bool]:
    fns = TOKEN_FEATURES
    if fns is not _SPLIT[0]:
        clear_caches()
        head = next((k for k, fn in enumerate(fns) if fn not in _TEXT_FEATURES), len(fns))
        _SPLIT[:] = [fns, head, all(fn in _MARKUP_FEATURES for fn in fns[head:])]
    return _SPLIT[1], _SPLIT[2]


@lru_cache(maxsize=65536)
def _text_base(text: str) -> Features:
    """The features of the leading text-only functions of :data:`TOKEN_FEATURES` for a token of this
    text (cached by text: words repeat, in bold or not, on any line; callers copy before changing)."""
    tok = Token(text)
    f: Features = {"bias": 1.0}
    for fn in TOKEN_FEATURES[:_SPLIT[1]]:
        f.update(fn(tok))
    return f


@lru_cache(maxsize=1024)
def _markup_base(bold: bool, italic: bool, link: bool, line: int, line_start: bool) -> Features:
    """The features of the other functions when they read only the markup (cached: a few combinations)."""
    tok = Token("", bold, italic, link, line, line_start)
    f: Features = {}
    for fn in TOKEN_FEATURES[_SPLIT[1]:]:
        f.update(fn(tok))
    return f


def _token_base(tok: Token, rule: str | None = None) -> Features:
    """The features of one token on its own (:data:`TOKEN_FEATURES`, in order), and its
    :func:`rule_token_tags` tag when given (a new dict)."""
    head, markup_only = _split()
    if markup_only:
        rest = _markup_base(tok.bold, tok.italic, tok.link, tok.line, tok.line_start)
    else:
        rest = {}
        for fn in TOKEN_FEATURES[head:]:
            rest.update(fn(tok))
    if rule is None:
        return {**_text_base(tok.text), **rest}
    return {**_text_base(tok.text), **rest, "rule": rule}


def clear_caches() -> None:
    """Forget the cached token features (for timing them cold)."""
    _text_base.cache_clear()
    _markup_base.cache_clear()
    _text_pack.cache_clear()
    _markup_pack.cache_clear()
    _brackets.cache_clear()


def rule_token_tags(lines: Sequence[Line], tokens: Sequence[Token], parsed: Any = None) -> list[str]:
    """What the first design's rules (:func:`.fields.parse_block`) make of each token of an
    entry: ``title``, ``author``, ``venue``, ``year`` or ``-``. The tagger weighs this
    against everything else it sees (rules as a feature, not as the decision)."""
    from .fields import parse_block

    tags = ["-"] * len(tokens)
    if parsed is None:
        try:
            parsed = parse_block(list(lines))
        except Exception:  # the rules give up on some blocks: then they say nothing
            return tags
    e = parsed.entry
    # how sure the rules were of this block: their fields are worth more when they were
    sure = "hi" if parsed.score >= 0.8 else "mid" if parsed.score >= 0.5 else "lo"
    starts = []
    pos = 0
    for t in tokens:
        starts.append(pos)
        pos += len(t.text) + 1
    text = " ".join(t.text for t in tokens).casefold()

    def mark(needle: str | None, tag: str) -> None:
        needle = " ".join((needle or "").split()).casefold()
        if len(needle) < 2:
            return
        i = text.find(needle)
        if i < 0:
            return
        j = i + len(needle)
        for k, s in enumerate(starts):
            if s < j and s + len(tokens[k].text) > i and tags[k] == "-":
                tags[k] = tag

    mark(e.title, "title")
    mark(e.container_title, "venue")
    if e.author:
        hits = []
        canon = [canonical(t.text) for t in tokens]
        for n in e.author:
            fam = (n.family or n.literal or "").split()
            if fam:
                last = canonical(fam[-1])
                hit = next((k for k, c in enumerate(canon) if c == last and tags[k] == "-"), None)
                if hit is not None:
                    hits.append(hit)
        if hits:
            lo, hi = min(hits), max(hits)
            while lo > 0 and tags[lo - 1] == "-" and _INITIALS.match(tokens[lo - 1].text):
                lo -= 1
            while hi + 1 < len(tokens) and tags[hi + 1] == "-" and _INITIALS.match(tokens[hi + 1].text):
                hi += 1
            for k in range(lo, hi + 1):
                if tags[k] == "-":
                    tags[k] = "author"
    if e.year:
        y = str(e.year)
        for k, t in enumerate(tokens):
            if y in t.text and tags[k] == "-":
                tags[k] = "year"
                break
    return [f"{t}/{sure}" for t in tags]


# -- features of a token in its sequence (each: the tokens and their own features -> one dict per token)
def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4-6" if n < 7 else "7+"


def _ends_sentence(tok: Token, f: Features) -> bool:
    """The token ends a sentence (a period, not of an initial)."""
    t = tok.text.rstrip("\"'”’)]")
    return t.endswith((".", "?", "!")) and not (f.get("initials") and len(t) <= 3)


#: s_since_period's features (shared: callers copy before changing), by tokens since the last stop (7: 7
#: or more) and stops before
_SINCE: list[list[Features]] = [[{"since_stop": _bucket(since), "stops": str(stops)} for stops in range(5)]
                                 for since in range(8)]


def s_since_period(tokens: Sequence[Token], base: Sequence[Features]) -> list[Features]:
    """How many tokens since the last one ending a sentence, and how many sentences before
    this token (a title usually starts right after the authors' period)."""
    out: list[Features] = []
    since = sentences = 0
    table = _SINCE
    for k, tok in enumerate(tokens):
        out.append(table[min(since, 7)][min(sentences, 4)])
        if _ends_sentence(tok, base[k]):
            since = 0
            sentences += 1
        else:
            since += 1
    return out


def s_bigram(tokens: Sequence[Token], base: Sequence[Features]) -> list[Features]:
    """The previous word with this one."""
    out: list[Features] = [{}]
    out.extend({"bigram": f"{a['w']}|{b['w']}"} for a, b in pairwise(base[:len(tokens)]))
    return out[:len(tokens)]


_SENT_NUM = {num: f"sent_has:{num}" for num in ("year", "range", "volissue")}
_SENT_HAS = tuple((key, "sent_has:" + key)
                  for key in ("lex:journal", "lex:publisher", "lex:venue", "lex:editor", "lex:genre", "start"))


def s_sentence(tokens: Sequence[Token], base: Sequence[Features]) -> list[Features]:
    """What the sentence a token is in holds (a year, a page range, a venue or publisher word,
    initials, a quote), its length, and whether it is the first or the last."""
    n = len(tokens)
    out: list[Features] = [{}] * n  # (every token's is set below)
    start = 0
    sent = 0
    while start < n:
        end = start
        while end < n - 1 and not _ends_sentence(tokens[end], base[end]):
            end += 1
        f: Features = {"sent_len": _bucket(end - start + 1)}
        if sent == 0:
            f["sent_first"] = 1.0
        if end == n - 1:
            f["sent_last"] = 1.0
        lower = 0
        for j in range(start, end + 1):
            b = base[j]
            num = _SENT_NUM.get(b.get("num"))  # type: ignore[arg-type]
            if num is not None:
                f[num] = 1.0
            if b.get("initials"):
                f["sent_has:initials"] = 1.0
            for key, name in _SENT_HAS:
                if key in b:
                    f[name] = 1.0
            if b.get("case") == "lower":
                lower += 1
        f["sent_lower"] = str(min(3, 4 * lower // (end - start + 1)))
        for j in range(start, end + 1):
            out[j] = f
        start = end + 1
        sent += 1
    return out


def s_state(tokens: Sequence[Token], base: Sequence[Features]) -> list[Features]:
    """Inside quotes or brackets, relative position (:func:`_state`)."""
    return _state(tokens)


#: the features of a token in its sequence, in order
SEQUENCE_FEATURES: tuple[Callable[[Sequence[Token], Sequence[Features]], list[Features]], ...] = (
    s_state, s_bigram, s_since_period, s_sentence,
)


def token_features(tokens: Sequence[Token], rule_tags: Sequence[str] | None = None) -> list[Features]:
    """The feature dicts of an entry's tokens (crfsuite's item sequence); ``rule_tags``:
    :func:`rule_token_tags` of the entry, when known."""
    if _split()[1] and _VIEW_LAYOUT and len(SEQUENCE_FEATURES) == 4:
        return _token_features_packed(tokens, rule_tags)
    base = [_token_base(tok, None if rule_tags is None else rule_tags[k]) for k, tok in enumerate(tokens)]
    seq = [fn(tokens, base) for fn in SEQUENCE_FEATURES]
    n = len(base)
    # what each token shows its neighbours, once per token and offset
    # (prev2[k]: what token k - 2 shows token k, or that there is none; each list is read at 0 .. n - 1)
    prev2 = [{_EDGE_NAMES[-2]: 1.0}] * 2 + [_view(b, -2) for b in base[:-2]]
    prev1 = [{_EDGE_NAMES[-1]: 1.0}] + [_view(b, -1) for b in base[:-1]]
    next1 = [_view(b, 1) for b in base[1:]] + [{_EDGE_NAMES[1]: 1.0}]
    next2 = [_view(b, 2) for b in base[2:]] + [{_EDGE_NAMES[2]: 1.0}] * 2
    # one dict per token, its keys in the order of the features that set them (crfsuite's item)
    out = []
    for k in range(n):
        f = dict(base[k])
        for s in seq:
            f.update(s[k])
        for v in (prev2, prev1, next1, next2):
            f.update(v[k])
        out.append(f)
    return out


def _view(base: Features, d: int) -> Features:
    """What a token with these features shows the token at offset ``-d`` from it (as ``"+1:w"`` and so on)."""
    return {name: base[key] for key, name in _VIEW_NAMES[d] if key in base}


# The same features, faster, when the token features are text-only ones then f_markup (the shipped
# ones): a token's view (:func:`_view`) is then the view of its text features (cached with them, by
# the text), then of its markup features before ``rule``, its rule tag, and its markup features after
# ``rule`` (cached by the markup) -- the order of _NEIGHBOUR_KEYS when that order keeps the text keys
# first (_VIEW_LAYOUT), and the same values, as the two key sets are disjoint.
#: the keys f_markup sets
_MARKUP_KEYS = ("bold", "italic", "link", "line_start", "line")
_RULE_AT = _NEIGHBOUR_KEYS.index("rule")
_TEXT_SHOWN = tuple(k for k in _NEIGHBOUR_KEYS if k != "rule" and k not in _MARKUP_KEYS)
_MARKUP_SHOWN = (tuple(k for k in _NEIGHBOUR_KEYS[:_RULE_AT] if k in _MARKUP_KEYS),
                 tuple(k for k in _NEIGHBOUR_KEYS[_RULE_AT + 1:] if k in _MARKUP_KEYS))
_VIEW_LAYOUT = _TEXT_SHOWN + _MARKUP_SHOWN[0] + ("rule",) + _MARKUP_SHOWN[1] == _NEIGHBOUR_KEYS and \
    all(key in _TEXT_SHOWN for key, _name in _VIEW_NAMES[2])


def _names(keys: Sequence[str], d: int) -> tuple[tuple[str, str], ...]:
    return tuple((key, f"{d:+d}:{key}") for key in keys)


_FAR = tuple(key for key, _name in _VIEW_NAMES[2])
_TEXT_NAMES = (_names(_FAR, -2), _names(_TEXT_SHOWN, -1), _names(_TEXT_SHOWN, 1), _names(_FAR, 2))
_MARKUP_NAMES = (_names(_MARKUP_SHOWN[0], -1), _names(_MARKUP_SHOWN[1], -1), _names(_MARKUP_SHOWN[0], 1),
                 _names(_MARKUP_SHOWN[1], 1))


@lru_cache(maxsize=65536)
def _text_pack(text: str) -> tuple[Features, ...]:
    """:func:`_text_base` and what it shows at offsets -2, -1, +1, +2 (callers copy before changing)."""
    b = _text_base(text)
    return (b, *({name: b[key] for key, name in names if key in b} for names in _TEXT_NAMES))


@lru_cache(maxsize=1024)
def _markup_pack(bold: bool, italic: bool, link: bool, line: int, line_start: bool) -> tuple[Features, ...]:
    """:func:`_markup_base` and what it shows at offsets -1 and +1, before and after the rule tag."""
    b = _markup_base(bold, italic, link, line, line_start)
    return (b, *({name: b[key] for key, name in names if key in b} for names in _MARKUP_NAMES))


_RULE_SHOWN: dict[str | None, tuple[Features, Features]] = {None: ({}, {})}
_EDGE: dict[int, Features] = {d: {name: 1.0} for d, name in _EDGE_NAMES.items()}


def _token_features_packed(tokens: Sequence[Token], rule_tags: Sequence[str] | None) -> list[Features]:
    """:func:`token_features` from the cached packs (when _VIEW_LAYOUT holds)."""
    n = len(tokens)
    texts = [_text_pack(tok.text) for tok in tokens]
    marks = [_markup_pack(tok.bold, tok.italic, tok.link, tok.line, tok.line_start) for tok in tokens]
    if rule_tags is None:
        base = [{**tp[0], **mp[0]} for tp, mp in zip(texts, marks, strict=True)]
        rules = [_RULE_SHOWN[None]] * n
    else:
        base = [{**tp[0], **mp[0], "rule": tag} for tp, mp, tag in zip(texts, marks, rule_tags, strict=True)]
        for tag in rule_tags:
            if tag not in _RULE_SHOWN:
                _RULE_SHOWN[tag] = ({"-1:rule": tag}, {"+1:rule": tag})
        rules = [_RULE_SHOWN[tag] for tag in rule_tags]
    s0, s1, s2, s3 = (fn(tokens, base) for fn in SEQUENCE_FEATURES)
    edge = _EDGE
    none: Features = {}
    out = []
    for k in range(n):
        p2 = texts[k - 2][1] if k >= 2 else edge[-2]
        if k:
            tp, mp, rp = texts[k - 1], marks[k - 1], rules[k - 1]
            p1t, p1m, p1r, p1n = tp[2], mp[1], rp[0], mp[2]
        else:
            p1t, p1m, p1r, p1n = edge[-1], none, none, none
        if k + 1 < n:
            tp, mp, rp = texts[k + 1], marks[k + 1], rules[k + 1]
            n1t, n1m, n1r, n1n = tp[3], mp[3], rp[1], mp[4]
        else:
            n1t, n1m, n1r, n1n = edge[1], none, none, none
        n2 = texts[k + 2][4] if k + 2 < n else edge[2]
        # (the order of token_features' keys: own, sequence, then what tokens -2, -1, +1, +2 show)
        out.append({**base[k], **s0[k], **s1[k], **s2[k], **s3[k], **p2, **p1t, **p1m, **p1r, **p1n,
                    **n1t, **n1m, **n1r, **n1n, **n2})
    return out


# -- line features --------------------------------------------------------------------------
_LINE_YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d)\b")
_AUTHORISH = re.compile(r"^(?:[A-Z][\w'’-]+,\s*(?:[A-Z]\.\s*)+|(?:[A-Z]\.\s*)+[A-Z][\w'’-]+|"
                        r"[A-Z][\w'’-]+\s+[A-Z]{1,3}\b)")
_PAGES = re.compile(r"\b\d+\s*[-–]\s*\d+\b")
_QUOTE = re.compile(r"[“”\"]")
_NUMBERED = re.compile(r"^\s*(?:\[\d+\]|\(\d+\)|\d+[.)])\s")
_TAG = re.compile(r"^\s*\[[^\]]{1,30}\]")
_WORD = re.compile(r"\w+")
_LINE_INITIAL = re.compile(r"\b[A-Z]\.")


def _line_shape(line: Line) -> str:
    text = strip_marks(line.text).strip()
    if not text:
        return "blank"
    first = text[0]
    cls = "X" if first.isupper() else "x" if first.isalpha() else "d" if first.isdigit() else first
    ln = len(text)
    size = "s" if ln < 30 else "m" if ln < 90 else "l"
    return f"{cls}{size}{'b' if line.bullet else ''}{line.heading or ''}"


def line_base(line: Line) -> Features:
    """Features of one line on its own."""
    text = strip_marks(line.text)
    plain = text.strip()
    f: Features = {"bias": 1.0}
    if not plain:
        f["blank"] = 1.0
        return f
    words = _WORD.findall(plain)
    n = len(words)
    f["len"] = str(min(6, len(plain) // 20))
    f["words"] = str(min(8, n // 3))
    if line.heading:
        f["heading"] = str(line.heading)
    if line.bullet:
        b = line.bullet
        f["bullet"] = "num" if b[:1].isdigit() or b.startswith(("[", "(")) else b if len(b) == 1 else "cmd"
    f["indent"] = str(min(4, line.indent // 2))
    f["shape"] = _line_shape(line)
    f["first"] = canonical(plain.split()[0])[:15]
    f["last_char"] = plain[-1]
    years = _LINE_YEAR.findall(plain)
    if years:
        f["year"] = 1.0
        if len(years) > 1:
            f["years"] = 1.0
    if _AUTHORISH.match(plain):
        f["authorish"] = 1.0
    initials = len(_LINE_INITIAL.findall(plain))
    f["initials"] = str(min(4, initials))
    if _PAGES.search(plain):
        f["pages"] = 1.0
    if _QUOTE.search(plain):
        f["quote"] = 1.0
    if _NUMBERED.match(plain):
        f["numbered"] = 1.0
    if _TAG.match(plain):
        f["tag"] = 1.0
    if "\ue000" in line.text:
        f["has_bold"] = 1.0
        if line.text.lstrip().startswith("\ue000") and line.text.rstrip().endswith("\ue001"):
            f["all_bold"] = 1.0
    if "\ue002" in line.text:
        f["has_italic"] = 1.0
    if line.urls:
        f["links"] = 1.0
    folded = {w.casefold() for w in words}
    for name in ("months", "status", "genre", "notes", "links", "locators"):
        if not lexicon(name).isdisjoint(folded):
            f["lex:" + name] = 1.0
    if not journal_words().isdisjoint(folded):
        f["lex:journal"] = 1.0
    if not venue_acronyms().isdisjoint(folded):
        f["lex:venue"] = 1.0
    lower = sum(1 for w in words if w[:1].islower())
    f["lower_ratio"] = str(min(4, 5 * lower // max(n, 1)))
    cap = sum(1 for w in words if w[:1].isupper())
    f["cap_ratio"] = str(min(4, 5 * cap // max(n, 1)))
    punct = sum(plain.count(c) for c in ",.;:")
    f["punct"] = str(min(4, 10 * punct // max(n, 1)))
    if plain.endswith((".", ".”", ".\"")):
        f["ends_period"] = 1.0
    f["first_word"] = "cap" if plain[:1].isupper() else "low" if plain[:1].islower() else "other"
    from .segment import classify_heading

    if n <= 8:
        hit = classify_heading(plain)
        if hit is not None:
            f["heading_word"] = hit[0]
    return f


_LINE_NEIGHBOUR_KEYS = ("blank", "sec", "rule", "shape", "indent", "bullet", "heading", "ends_period", "year",
                        "authorish", "numbered", "heading_word", "last_char", "len")


def section_kinds(lines: Sequence[Line]) -> list[str]:
    """The kind of section each line is in (pub, news, talks, other, soft, unknown), by the
    front end's headings."""
    from .segment import split_sections

    kind_of: dict[int, str] = {}
    for section, body in split_sections(list(lines)):
        for ln in body:
            kind_of[id(ln)] = section.kind
    return [kind_of.get(id(ln), "head") for ln in lines]


def rule_view(lines: Sequence[Line], parses: dict[tuple[int, ...], Any] | None = None
              ) -> tuple[list[str], dict[tuple[int, ...], Any]]:
    """What the first design's rules make of each line: the first line of an entry
    (``start``), a further line of one (``in``), a news item (``news``), a line they
    report as skipped (``warn``) or nothing (``-``); and the entry they read from each
    block (by the ids of its lines), so that the tagger's rule features need not read it again;
    ``parses``: see :func:`.parser.rules_read`."""
    from ..model import ReadResult
    from .parser import rules_read

    res = ReadResult()
    found, news = rules_read(list(lines), res, parses=parses)
    tag: dict[int, str] = {}
    entries: dict[tuple[int, ...], Any] = {}
    for parsed, grp, _section in found:
        sure = "hi" if parsed.score >= 0.8 else "mid" if parsed.score >= 0.5 else "lo"
        for k, ln in enumerate(grp):
            tag[id(ln)] = ("start/" if k == 0 else "in/") + sure
        entries[tuple(id(ln) for ln in grp)] = parsed
    for _e, ln in news:
        tag.setdefault(id(ln), "news")
    warned = {p.line for p in res.problems}
    return [tag.get(id(ln), "warn" if ln.no in warned else "-") for ln in lines], entries


def rule_line_tags(lines: Sequence[Line]) -> list[str]:
    """The line tags of :func:`rule_view`."""
    return rule_view(lines)[0]


def line_features(lines: Sequence[Line], rule_tags: Sequence[str] | None = None,
                  kinds: Sequence[str] | None = None) -> list[Features]:
    """The feature dicts of a page's lines (the finder's item sequence); ``rule_tags`` and the
    section ``kinds`` are computed when not given."""
    base = [line_base(ln) for ln in lines]
    indents = sorted(ln.indent for ln in lines if not ln.blank)
    usual = indents[len(indents) // 2] if indents else 0
    for f, ln in zip(base, lines, strict=True):
        if "indent" in f:  # the page's usual indentation is 0, whatever it is in spaces
            d = ln.indent - usual
            f["indent"] = "0" if d == 0 else "-" if d < 0 else str(min(4, 1 + d // 3))
    if rule_tags is None:
        rule_tags = rule_line_tags(lines)
    for f, kind, rule in zip(base, kinds if kinds is not None else section_kinds(lines), rule_tags, strict=True):
        f["sec"] = kind
        f["rule"] = rule
    out = []
    n = len(base)
    for k in range(n):
        f = dict(base[k])
        for d, edge, shown, same_shape, indent_change in _LINE_VIEWS:
            j = k + d
            if not 0 <= j < n:
                f[edge] = 1.0
                continue
            nb = base[j]
            for key, name in shown:
                if key in nb:
                    f[name] = nb[key]
            if same_shape:
                if nb.get("shape") == base[k].get("shape"):
                    f[same_shape] = 1.0
                if nb.get("indent") != base[k].get("indent"):
                    f[indent_change] = 1.0
        out.append(f)
    return out


#: for each neighbour offset of line_features: the offset, its feature names (the edge of the page,
#: (key, name) of what the neighbour shows, same shape, indent change: the last two only at +-1)
_LINE_VIEWS = tuple((d, f"{d:+d}:edge",
                     tuple((key, f"{d:+d}:{key}") for key in (_LINE_NEIGHBOUR_KEYS if abs(d) == 1
                                                              else ("blank", "shape", "indent"))),
                     f"{d:+d}:same_shape" if abs(d) == 1 else "", f"{d:+d}:indent_change")
                    for d in (-2, -1, 1, 2))
