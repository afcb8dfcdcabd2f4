"""Fixes applied to each rendered (marked) entry: quotes, punctuation at field joins, scripts, display, nodecor.
"""

from __future__ import annotations

import re
from typing import Any

from .. import markup
from .seams import _MARKS
from .text_case import capitalize_leading_term

#: fix id -> (CSL rule restored, official test-suite fixtures it makes pass)
FIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    'quotes-level': (
        'quoted phrases in fields take the outer/inner quotes of their level, also nested ones',
        ('bugreports_NoCaseEscape',)),
    'punct-in-quote': (
        'locale punctuation-in-quote, through nested closing quotes (‘The One.’”); the moved mark merges with the'
        " quoted text's last one as citeproc-js merges them (Argue).” not Argue)..”)",
        ('quotes_PunctuationWithInnerQuote',)),
    'punct-terminal': (
        'no period after a field ending in ? or ! (complete? not complete?.), nor after a quote ending in a'
        ' period (‘… Argue).’ not ‘… Argue).’.)',
        ('bugreports_YearSuffixInHarvard1', 'fullstyles_ChicagoArticleTitleQuestion')),
    'nodecor': (
        'rich text <span class="nodecor"> undoes the enclosing formatting',
        ('flipflop_ItalicsWithOk', 'flipflop_ItalicsWithOkAndTextcase')),
    'entry-edges': (
        "white space at the edges of a bibliography entry kept, moved out of the markup around it (citeproc-js:"
        ' a first field\'s prefix space, a trailing delimiter); each output format then treats it as citeproc-js'
        ' does (markup.py)',
        ('bugreports_DuplicateSpaces', 'bugreports_IeeePunctuation', 'bugreports_NoCaseEscape',
         'bugreports_UndefinedStr', 'bugreports_UnisaHarvardInitialization', 'bugreports_parenthesis',
         'date_AccessedCrash', 'display_SecondFieldAlignMigratePunctuation', 'fullstyles_ABdNT',
         'quotes_QuotesUnderQuotesFalse')),
}


_MARK_CLASS = "[" + "".join(chr(c) for c in range(0xE010, 0xE050)) + "]*"
_PIQ = re.compile("((?:[”’]" + _MARK_CLASS + ")+)([.,])")


def finish_entry(context: Any, text: str, *, keep_edges: bool = False) -> str:
    """Fixes applied to one rendered entry (a citation, or with ``keep_edges`` a bibliography entry, whose edge
    white space citeproc-js keeps)."""
    text = hoist_edges(text) if keep_edges else _strip_outer(text)
    if keep_edges and markup.LABEL_SEP not in text:
        text = capitalize_leading_term(context, text)
    if markup.QUOTE_ON in text:
        text = resolve_quotes(context, text)
    if (context.get_locale_option("punctuation-in-quote") or "false").lower() == "true":
        text = punctuation_in_quote(text)
    if "?" in text or "!" in text or "." in text:
        text = no_period_after_terminal(text)
    if markup.NODECOR_ON in text:
        text = markup.resolve_nodecor(text)
    if _HAS_DISPLAY.search(text):
        text = markup.DISPLAY_TAIL.sub(r"\2\1\3", text)
    return text


_HAS_DISPLAY = re.compile("[" + markup.DISPLAY_MARKS + "]")


_MARK_ONE = _MARK_CLASS[:-1]
_TERMINAL_PERIOD = re.compile(f"([?!])((?:{_MARK_ONE}|[”’\"'»])*)\\.(?!\\w)"
                              f"|(\\.)((?:{_MARK_ONE})*[”’\"'»](?:{_MARK_ONE}|[”’\"'»])*)\\.(?!\\w)")


def no_period_after_terminal(text: str) -> str:
    """CSL punctuation at field joins: a period (a delimiter, affix or moved into a quote) after a field that
    ends in "?" or "!", or after a closing quote after a period, is dropped, as citeproc-js does: "complete?
    Nature", "“Too Big?” Proceedings"; a comma stays ("Big?,”").

    >>> no_period_after_terminal("Mr. Feynman!. W. W. Norton"), no_period_after_terminal("Big?.” Proc")
    ('Mr. Feynman! W. W. Norton', 'Big?” Proc')
    >>> no_period_after_terminal("‘To Code (and Argue).’. Online")  # a quoted period too (citeproc-js)
    '‘To Code (and Argue).’ Online'
    """
    return _TERMINAL_PERIOD.sub(lambda m: m.group(1) + m.group(2) if m.group(1) else m.group(3) + m.group(4), text)


def _strip_outer(text: str) -> str:
    """No leading/trailing white space, also inside trailing markup (citeproc-js trims entries)."""
    text = text.strip()
    while len(text) > 1 and text[-1] in _MARKS and text[-2].isspace():
        text = text[:-2].rstrip() + text[-1]
    return text


_EDGE_MARKS = "".join(chr(c) for c in range(0xE010, 0xE050) if chr(c) != markup.LABEL_SEP)
_LEADING = re.compile(f"^[\\s{_EDGE_MARKS}]+")
_TRAILING = re.compile(f"[\\s{_EDGE_MARKS}]+$")


def _spaces_first(run: str) -> str:
    return "".join(ch for ch in run if ch.isspace()) + "".join(ch for ch in run if not ch.isspace())


def hoist_edges(text: str) -> str:
    """White space at the start and end of an entry moved out of the markup it is in, as citeproc-js does: a
    leading prefix space inside a display block or italics is the entry's own (``" <i>T</i>"``).

    >>> hoist_edges(markup.LEFT_ON + " N.d." + markup.LEFT_OFF + "T. " + markup.ITALIC_OFF)
    ' \ue022N.d.\ue023T.\ue011 '
    """
    text = _LEADING.sub(lambda m: _spaces_first(m.group(0)), text)
    return _TRAILING.sub(lambda m: _spaces_first(m.group(0)[::-1])[::-1], text)


def resolve_quotes(context: Any, text: str) -> str:
    """CSL quotes in field content alternate with the level: a quoted phrase in a title prints with the outer
    quotes (“Jeopardy!”) at top level and the inner quotes (‘Jeopardy!’) inside a quoted title."""
    outer = (str(context.get_single_term("open-quote")) or "“", str(context.get_single_term("close-quote")) or "”")
    inner = (str(context.get_single_term("open-inner-quote")) or "‘",
             str(context.get_single_term("close-inner-quote")) or "’")
    out = []
    depth = 0
    stack: list[str] = []
    for ch in text:
        if ch == outer[0] and ch != outer[1]:
            depth += 1
            out.append(ch)
        elif ch == outer[1] and ch != outer[0] and depth:
            depth -= 1
            out.append(ch)
        elif ch == markup.QUOTE_ON:
            pair = inner if depth % 2 else outer
            stack.append(pair[1])
            depth += 1
            out.append(pair[0])
        elif ch == markup.QUOTE_OFF:
            depth = max(depth - 1, 0)
            out.append(stack.pop() if stack else outer[1])
        else:
            out.append(ch)
    return "".join(out)


def punctuation_in_quote(text: str) -> str:
    """CSL locale option ``punctuation-in-quote``: a comma or period after a closing quote moves inside it, where
    it merges with the punctuation the quoted text ends in as citeproc-js merges two marks (a period after
    ``.``, ``!``, ``?``, ``:`` or ``;`` and a comma after a comma are dropped; ``?,`` stays).

    >>> punctuation_in_quote("“Deep learning”, Nature"), punctuation_in_quote("“This is ‘The One’”.")
    ('“Deep learning,” Nature', '“This is ‘The One.’”')
    >>> punctuation_in_quote("“To Code (and Argue).”. The"), punctuation_in_quote("“Big?”, Proc")
    ('“To Code (and Argue).” The', '“Big?,” Proc')
    """
    def move(m: re.Match[str]) -> str:
        before = markup.strip_marks(text[:m.start()])[-1:]
        moved = m.group(2)
        if before == moved or (moved == "." and before in _ABSORB_PERIOD):
            return m.group(1)
        return moved + m.group(1)

    return _PIQ.sub(move, text)


#: punctuation that absorbs a period after it (citeproc-js's merge of two marks: "?" + "." gives "?")
_ABSORB_PERIOD = frozenset(".!?:;")
