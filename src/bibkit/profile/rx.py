"""A drop-in for the few ``re`` module functions the parser calls with literal patterns.

``re.sub(pattern, ...)`` looks its pattern up in ``re``'s cache on every call (type checks, flag enum
arithmetic): about 3 µs, paid ~80 times per entry.  Here the compiled pattern is one dict look-up away.

>>> sub(r"\\s+", " ", "a  b"), bool(search("B", "abc", I))
('a b', True)
"""

from __future__ import annotations

import re
from re import DOTALL, IGNORECASE, MULTILINE, VERBOSE, I, M, Match, Pattern, S, X, escape  # noqa: F401
from typing import Any

_CACHE: dict[Any, Pattern[str]] = {}


def _rx(pattern: Any, flags: Any = 0) -> Pattern[str]:
    key = (pattern, int(flags)) if flags else pattern
    try:
        return _CACHE[key]
    except KeyError:
        pass
    except TypeError:
        return compile(pattern, flags)
    compiled = pattern if isinstance(pattern, re.Pattern) else compile(pattern, flags)
    if len(_CACHE) < 4096:
        _CACHE[key] = compiled
    return compiled


def sub(pattern: Any, repl: Any, string: str, count: int = 0, flags: Any = 0) -> str:
    return _rx(pattern, flags).sub(repl, string, count)


def subn(pattern: Any, repl: Any, string: str, count: int = 0, flags: Any = 0) -> tuple[str, int]:
    return _rx(pattern, flags).subn(repl, string, count)


def search(pattern: Any, string: str, flags: Any = 0) -> Match[str] | None:
    return _rx(pattern, flags).search(string)


def match(pattern: Any, string: str, flags: Any = 0) -> Match[str] | None:
    return _rx(pattern, flags).match(string)


def fullmatch(pattern: Any, string: str, flags: Any = 0) -> Match[str] | None:
    return _rx(pattern, flags).fullmatch(string)


def findall(pattern: Any, string: str, flags: Any = 0) -> list[Any]:
    return _rx(pattern, flags).findall(string)


def finditer(pattern: Any, string: str, flags: Any = 0) -> Any:
    return _rx(pattern, flags).finditer(string)


def split(pattern: Any, string: str, maxsplit: int = 0, flags: Any = 0) -> list[str]:
    return _rx(pattern, flags).split(string, maxsplit)


# -- a look-ahead for the first character ---------------------------------------------------
# ``re`` finds where a match can start by its first literal or character set, but not when the
# pattern starts with ``\\b`` or is case-insensitive with letters first (an alternation of words,
# ``re.I``): then it tries every branch at every position (a 30-word alternation: ~40 µs a search
# of a 70-character text). A look-ahead for the characters a match can start with, tried first,
# rules most positions out at once (~2.5x faster) and changes no match: it only fails where the
# pattern cannot start (every match consumes one of those characters first; patterns that can
# match empty, or start with anything wider, are left as they are).
try:
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_constants as _c
    import sre_parse as _parser

#: the zero-width items a guarded pattern may start with (not ^ or \\A: those are fast)
_ZERO_WIDTH = {_c.AT_BOUNDARY, _c.AT_NON_BOUNDARY}
_GUARD_LIMIT = 60
#: the categories a guard may hold (not \\w: nearly every character)
_CATEGORIES = {_c.CATEGORY_DIGIT: "\\d", _c.CATEGORY_SPACE: "\\s"}
_REPEATS = tuple(op for op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) if op is not None)


def _first_chars(items: Any) -> tuple[set[tuple[Any, Any]] | None, bool]:
    """The (LITERAL, code) / (RANGE, (lo, hi)) / (CATEGORY, \\d or \\s) items one of which a match of
    ``items`` starts with (None when that is not known or too wide), and whether it can be empty."""
    out: set[tuple[Any, Any]] = set()
    got: set[tuple[Any, Any]] | None
    for op, av in items:
        if op is _c.AT or op in (_c.ASSERT, _c.ASSERT_NOT):
            continue  # (zero-width: the first character is the next item's)
        if op is _c.LITERAL:
            got, empty = {(op, av)}, False
        elif op is _c.IN:
            if not all(o in (_c.LITERAL, _c.RANGE) or (o is _c.CATEGORY and v in _CATEGORIES) for o, v in av):
                return None, False
            got, empty = set(av), False
        elif op is _c.SUBPATTERN:
            if av[1]:  # (flags added inside, re.I say: the characters it starts with may be others)
                return None, False
            got, empty = _first_chars(av[3].data)
        elif op is _c.BRANCH:
            union: set[tuple[Any, Any]] = set()
            empty = False
            for branch in av[1]:
                more, more_empty = _first_chars(branch.data)
                if more is None:
                    return None, False
                union |= more
                empty = empty or more_empty
            got = union
        elif op in _REPEATS:
            got, empty = _first_chars(av[2].data)
            empty = empty or av[0] == 0
        else:
            return None, False
        if got is None:
            return None, False
        out |= got
        if not empty:
            return out, False
    return out, True


def _char(op: Any, av: Any) -> str:
    if op is _c.CATEGORY:
        return _CATEGORIES[av]
    if op is _c.RANGE:
        return f"\\U{av[0]:08x}-\\U{av[1]:08x}"
    return f"\\U{av:08x}"


def _cased(code: int) -> bool:
    ch = chr(code)
    return ch.lower() != ch or ch.upper() != ch


def _start_known(items: Any, ignorecase: bool) -> bool:
    """Whether ``re`` itself knows the literal or the characters a match starts with (as its compiler
    looks for them: a first literal, character set or alternation of literals, uncased under re.I)."""
    for op, av in items:
        if op is _c.SUBPATTERN:
            if av[1] or av[2]:
                return False
            return _start_known(av[3].data, ignorecase)
        if op is _c.LITERAL:
            return not (ignorecase and _cased(av))
        if op is _c.IN:
            return not ignorecase or not any(
                _cased(v) if o is _c.LITERAL else o is not _c.RANGE or any(map(_cased, range(v[0], v[1] + 1)))
                for o, v in av)
        if op is _c.BRANCH:
            return all(b.data and b.data[0][0] is _c.LITERAL and not (ignorecase and _cased(b.data[0][1]))
                       for b in av[1])
        return False
    return False


def compile(pattern: Any, flags: Any = 0) -> Pattern[str]:
    """``re.compile``, with a look-ahead for the first character where that makes searching faster."""
    if not isinstance(pattern, str) or flags & re.VERBOSE:
        return re.compile(pattern, flags)
    try:
        tree = _parser.parse(pattern, flags)  # (parsed once here, once by re.compile: not a third time)
        every = tree.state.flags  # (with the pattern's own "(?i)")
        data = tree.data
        if every & re.VERBOSE or _start_known(data, bool(every & re.IGNORECASE)):
            return re.compile(pattern, flags)
        if data and data[0][0] is _c.AT and data[0][1] not in _ZERO_WIDTH:
            return re.compile(pattern, flags)  # (anchored: "^", "\\A")
        first, empty = _first_chars(data)
        if not first or empty or len(first) > _GUARD_LIMIT:
            return re.compile(pattern, flags)
        chars = "".join(_char(op, av) for op, av in sorted(first, key=repr))
        return re.compile(f"(?=[{chars}])(?:{pattern})", flags)
    except (re.error, ValueError, TypeError, AttributeError, RecursionError):  # (a form this does not know)
        return re.compile(pattern, flags)
