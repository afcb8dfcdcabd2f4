"""The parser's regular expressions: rx.compile's first-character look-ahead changes no match."""

from __future__ import annotations

import re

import pytest

from bibkit.profile import fields, names, normalise, parser, repair, rx, segment, venues
from bibkit.profile.training import corpus

_MODULES = (fields, names, normalise, parser, repair, segment, venues)


def _guarded() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    """(name, pattern as the parser compiled it, the same pattern without the look-ahead)."""
    out = []
    for mod in _MODULES:
        for name, value in vars(mod).items():
            if isinstance(value, re.Pattern) and value.pattern.startswith("(?=["):
                inner = value.pattern[value.pattern.index("])(?:") + 5:-1]
                out.append((f"{mod.__name__}.{name}", value, re.compile(inner, value.flags)))
    return out


@pytest.fixture(scope="module")
def texts() -> list[str]:
    refs = corpus.read_corpus()[::4]
    out = [r.text for r in refs]
    # case folding that is not ASCII ('ſ' and the Kelvin sign match 's' and 'k' under re.I)
    return out + [t.upper() for t in out[:200]] + ["", "İstanbul ſtudy Kelvin \u212a ﬁle ß STRASSE"]


def test_lookahead_changes_no_match(texts):
    guarded = _guarded()
    assert len(guarded) > 20  # (the word alternations under re.I, the patterns starting with \b)
    for name, fast, plain in guarded:
        for t in texts:
            got = [(m.span(), m.groups()) for m in fast.finditer(t)]
            want = [(m.span(), m.groups()) for m in plain.finditer(t)]
            assert got == want, (name, t)
            assert bool(fast.match(t)) == bool(plain.match(t)), (name, t)


def test_lookahead_only_where_re_does_not_know_the_start():
    assert rx.compile(r"(?:group|team|society)\b", re.I).pattern.startswith("(?=[")
    assert rx.compile(r"\b(?:patent|thesis)\b").pattern.startswith("(?=[")
    assert rx.compile(r"\b(?:\d+ ed\.|(?-i:SCI)\b)", re.I).pattern.startswith("(?=[\\d")  # digits, letters
    assert rx.compile(r"(?:[A-Z]\.\s?){0,2}Pat\.").pattern.startswith("(?=[")  # an optional start, then "P"
    for plain in (r"(?:group|team)\b",  # re finds the first letters itself (no re.I)
                  r"^\s*(?:group|team)",  # anchored
                  r"(?:group)?\d*",  # may match empty
                  r"\b\w+"):  # any word character: too wide to help
        assert rx.compile(plain).pattern == plain
    assert rx.compile(r"(?i)group").pattern == "(?i)group"  # global flags stay first
