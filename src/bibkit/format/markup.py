"""Output-neutral markup for rendered entries, and its conversion to text, HTML and Markdown.

Entries are rendered once into a *marked* string: plain text in which the style's formatting (italic, bold,
small caps, super/subscript, the label/body split of numbered styles) and the rich text of fields (``<i>`` in a
title) are private-use code points.  Everything else in the string is text, so converting to HTML escapes all of
it (``&``, ``<``, even ``<script>`` coming from metadata) while the style's own markup becomes tags.  A marked
string is what the on-disk cache stores; any output format is derived from it.

>>> marked = ITALIC_ON + "Nature" + ITALIC_OFF + " & <b>"
>>> to_text(marked)
'Nature & <b>'
>>> to_html(marked)
'<i>Nature</i> &#38; &#60;b&#62;'
>>> to_markdown(ITALIC_ON + "a_b" + ITALIC_OFF)
'*a\\\\_b*'
"""

from __future__ import annotations

import re

ITALIC_ON, ITALIC_OFF = "\ue010", "\ue011"
BOLD_ON, BOLD_OFF = "\ue012", "\ue013"
SUP_ON, SUP_OFF = "\ue014", "\ue015"
SUB_ON, SUB_OFF = "\ue016", "\ue017"
SC_ON, SC_OFF = "\ue018", "\ue019"
UNDER_ON, UNDER_OFF = "\ue01a", "\ue01b"
NORMAL_ON, NORMAL_OFF = "\ue01c", "\ue01d"  # font-style normal inside italic (CSL flip-flop)
NOCASE_ON, NOCASE_OFF = "\ue01e", "\ue01f"  # protected from text-case (rich-text <span class="nocase">)
QUOTE_ON, QUOTE_OFF = "\ue034", "\ue035"  # a quoted phrase inside a field (quote level resolved at render)
NAMES_ON, NAMES_OFF = "\ue036", "\ue037"  # the first names of an entry (subsequent-author-substitute)
UNDECOR_ON, UNDECOR_OFF = "\ue038", "\ue039"  # text-decoration="none" (citeproc-js writes its span)
# CSL "display" blocks (HTML divs as citeproc-js writes them; a space in text and Markdown)
BLOCK_ON, BLOCK_OFF = "\ue020", "\ue021"
LEFT_ON, LEFT_OFF = "\ue022", "\ue023"
RIGHT_ON, RIGHT_OFF = "\ue024", "\ue025"
INDENT_ON, INDENT_OFF = "\ue026", "\ue027"
# rich text <span class="nodecor">: the enclosing formatting undone (resolved to one of the "normal" pairs)
NODECOR_ON, NODECOR_OFF = "\ue028", "\ue029"
VARIANT_NORMAL_ON, VARIANT_NORMAL_OFF = "\ue02a", "\ue02b"  # font-variant normal inside small caps
WEIGHT_NORMAL_ON, WEIGHT_NORMAL_OFF = "\ue02c", "\ue02d"  # font-weight normal inside bold
BASELINE_ON, BASELINE_OFF = "\ue02e", "\ue02f"  # vertical-align="baseline" (inside sup/sub)
DISPLAY_MARKS = BLOCK_ON + BLOCK_OFF + LEFT_ON + LEFT_OFF + RIGHT_ON + RIGHT_OFF + INDENT_ON + INDENT_OFF
LABEL_SEP = "\ue030"  # between the first field (label) and the rest, with second-field-align
HIGHLIGHT_ON, HIGHLIGHT_OFF = "\ue032", "\ue033"  # --highlight (owner's name)

_MARKS = {
    ITALIC_ON: ("<i>", "*"), ITALIC_OFF: ("</i>", "*"),
    BOLD_ON: ("<b>", "**"), BOLD_OFF: ("</b>", "**"),
    SUP_ON: ("<sup>", "<sup>"), SUP_OFF: ("</sup>", "</sup>"),
    SUB_ON: ("<sub>", "<sub>"), SUB_OFF: ("</sub>", "</sub>"),
    SC_ON: ('<span style="font-variant:small-caps;">', ""), SC_OFF: ("</span>", ""),
    UNDER_ON: ('<span style="text-decoration:underline;">', ""), UNDER_OFF: ("</span>", ""),
    NORMAL_ON: ('<span style="font-style:normal;">', ""), NORMAL_OFF: ("</span>", ""),
    NOCASE_ON: ("", ""), NOCASE_OFF: ("", ""),
    HIGHLIGHT_ON: ("<b>", "**"), HIGHLIGHT_OFF: ("</b>", "**"),
    BLOCK_ON: ('<div class="csl-block">', ""), LEFT_ON: ('<div class="csl-left-margin">', ""),
    RIGHT_ON: ('<div class="csl-right-inline">', ""), INDENT_ON: ('<div class="csl-indent">', ""),
    BLOCK_OFF: ("</div>", ""), LEFT_OFF: ("</div>", ""), RIGHT_OFF: ("</div>", ""), INDENT_OFF: ("</div>", ""),
    NODECOR_ON: ("", ""), NODECOR_OFF: ("", ""),
    VARIANT_NORMAL_ON: ('<span style="font-variant:normal;">', ""), VARIANT_NORMAL_OFF: ("</span>", ""),
    WEIGHT_NORMAL_ON: ('<span style="font-weight:normal;">', ""), WEIGHT_NORMAL_OFF: ("</span>", ""),
    BASELINE_ON: ('<span style="baseline">', ""), BASELINE_OFF: ("</span>", ""),
    UNDECOR_ON: ('<span style="text-decoration:none;">', ""), UNDECOR_OFF: ("</span>", ""),
}
_DISPLAY_RUN = re.compile(r"\s*[" + DISPLAY_MARKS + r"]+\s*")
#: a display block left empty (its names replaced by an empty subsequent-author-substitute)
EMPTY_DISPLAY = re.compile("|".join(re.escape(DISPLAY_MARKS[i:i + 2]) for i in range(0, len(DISPLAY_MARKS), 2)))
#: punctuation after the last display block goes inside it (citeproc-js: "Here.</div>", not "Here</div>.")
DISPLAY_TAIL = re.compile("([" + DISPLAY_MARKS[1::2] + "]+)([.,;:!?]+)(\\s*)$")
_ALL = "".join(_MARKS) + LABEL_SEP + QUOTE_ON + QUOTE_OFF + NAMES_ON + NAMES_OFF
_MARK_RE = re.compile("[" + re.escape(_ALL) + "]")
_MD_SPECIAL = re.compile(r"([\\`*_<>|]|^#|\](?=[(\[:]))")

#: rich-text tags CSL-JSON allows in fields, and their marks
RICH_TAGS = {
    "<i>": ITALIC_ON, "</i>": ITALIC_OFF,
    "<b>": BOLD_ON, "</b>": BOLD_OFF,
    "<sup>": SUP_ON, "</sup>": SUP_OFF,
    "<sub>": SUB_ON, "</sub>": SUB_OFF,
    '<span style="font-variant:small-caps;">': SC_ON,
    '<span class="nocase">': NOCASE_ON,
    '<span class="nodecor">': NODECOR_ON,
    "<sc>": SC_ON, "</sc>": SC_OFF,
}
_RICH_RE = re.compile(r"</?(?:i|b|sup|sub|sc)>"
                      r"|<span (?:style=\"font-variant:\s*small-caps;?\"|class=\"no(?:case|decor)\")>|</span>", re.I)


def rich_to_marked(value: str) -> str:
    """Turn CSL-JSON rich text (``<i>``, ``<b>``, ``<sup>``, ``<sub>``, small-caps and nocase spans) into marks.

    Anything else that looks like a tag stays text (and is escaped in HTML output).

    >>> to_html(rich_to_marked("segmentation in <i>Drosophila</i> <script>"))
    'segmentation in <i>Drosophila</i> &#60;script&#62;'
    """
    if "<" not in value:
        return value
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    for m in _RICH_RE.finditer(value):
        out.append(value[pos:m.start()])
        tag = m.group(0).lower().replace(" ", "").replace('style="font-variant:small-caps"',
                                                          'style="font-variant:small-caps;"')
        tag = tag.replace("<span", "<span ")
        if tag == "</span>":
            if stack and stack[-1] in (SC_ON, NOCASE_ON, NODECOR_ON):
                out.append(chr(ord(stack.pop()) + 1))
            else:
                out.append(m.group(0))
        elif tag.startswith("</"):
            opener = RICH_TAGS["<" + tag[2:]]
            if stack and stack[-1] == opener:
                stack.pop()
                out.append(RICH_TAGS[tag])
            else:
                out.append(m.group(0))
        else:
            mark = RICH_TAGS.get(tag)
            if mark is None:
                out.append(m.group(0))
            else:
                stack.append(mark)
                out.append(mark)
        pos = m.end()
    out.append(value[pos:])
    while stack:  # close what the field left open
        out.append(chr(ord(stack.pop()) + 1))
    return "".join(out)


_UNDONE = {ITALIC_ON: NORMAL_ON, SC_ON: VARIANT_NORMAL_ON, BOLD_ON: WEIGHT_NORMAL_ON}


def resolve_nodecor(marked: str) -> str:
    """Rich text ``<span class="nodecor">`` undoes the formatting around it: upright inside italics, normal
    variant inside small caps, normal weight inside bold (as citeproc-js); nothing outside formatting.

    >>> to_html(resolve_nodecor(ITALIC_ON + "Lessard " + NODECOR_ON + "v." + NODECOR_OFF + " Schmidt" + ITALIC_OFF))
    '<i>Lessard <span style="font-style:normal;">v.</span> Schmidt</i>'
    """
    out: list[str] = []
    open_marks: list[str] = []
    closing: list[str] = []
    for ch in marked:
        if ch in _UNDONE:
            open_marks.append(ch)
        elif open_marks and ch == chr(ord(open_marks[-1]) + 1):
            open_marks.pop()
        if ch == NODECOR_ON:
            undo = _UNDONE.get(open_marks[-1]) if open_marks else None
            closing.append(chr(ord(undo) + 1) if undo else "")
            out.append(undo or "")
        elif ch == NODECOR_OFF:
            out.append(closing.pop() if closing else "")
        else:
            out.append(ch)
    return "".join(out)


def strip_marks(marked: str) -> str:
    """The plain text of a marked string."""
    return _MARK_RE.sub("", marked)


def _display_as_spaces(marked: str) -> str:
    """CSL display blocks in plain text: a left margin followed by a space and the right-inline part as it is
    (citeproc-js's text output: ``"1.  J. Doe"`` when the part opens with a prefix's space); the line breaks
    citeproc-js puts around a block or an indent, one space (an entry is one line)."""
    if not _DISPLAY_RUN.search(marked):
        return marked
    marked = marked.replace(LEFT_OFF, " ").replace(RIGHT_ON, "").replace(RIGHT_OFF, "")
    return _DISPLAY_RUN.sub(" ", marked).strip() if _DISPLAY_RUN.search(marked) else marked


def to_text(marked: str) -> str:
    """Plain text as citeproc-js's text output (the label, a space, the rest: ``"[1]  J. Doe"`` when the rest
    opens with its prefix's space), without the white space at the edges of the entry (deliberate: one trimmed
    line per entry)."""
    text = _display_as_spaces(marked).replace(LABEL_SEP, " ").replace(QUOTE_ON, "“").replace(QUOTE_OFF, "”")
    return (_MARK_RE.sub("", text) if _MARK_RE.search(text) else text).strip()


def escape_html(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` as citeproc-js does (numeric character references)."""
    return text.replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;")


def _superscripts() -> dict[str, str]:
    """The superscript characters citeproc-js's HTML writes as ``<sup>``: those with a ``<super>`` compatibility
    decomposition in Latin-1, the spacing modifier letters, the phonetic modifier letters, the superscripts
    block, letterlike symbols (™) and kanbun; and four modifier letters without one (ˀ ˁ ۥ ۦ)."""
    import unicodedata

    blocks = ((0xA0, 0xFF), (0x2B0, 0x2FF), (0x1D2C, 0x1D6A), (0x2070, 0x209F), (0x2100, 0x214F), (0x3190, 0x319F))
    found = {chr(c): unicodedata.normalize("NFKC", chr(c)) for a, b in blocks for c in range(a, b + 1)
             if unicodedata.decomposition(chr(c)).startswith("<super>")}
    found.update({"\u02c0": "\u0294", "\u02c1": "\u0295", "\u06e5": "\u0648", "\u06e6": "\u064a"})
    return found


SUPERSCRIPTS = _superscripts()
_SUPERSCRIPT_RE = re.compile("[" + "".join(SUPERSCRIPTS) + "]")
_DOUBLE_SPACE = re.compile(r"\s\s")


def html_text(text: str) -> str:
    """Entry text as citeproc-js's HTML writes it: escaped, two white space characters as a no-break space and
    a space (so a browser keeps both), a superscript character as ``<sup>`` ("m²" -> "m<sup>2</sup>").

    >>> html_text("a  b m² R&D")
    'a\xa0 b m<sup>2</sup> R&#38;D'
    """
    text = _DOUBLE_SPACE.sub("\u00a0 ", escape_html(text))
    return _SUPERSCRIPT_RE.sub(lambda m: f"<sup>{SUPERSCRIPTS[m.group(0)]}</sup>", text)


#: white space beside a display block at the entry's own level where citeproc-js's HTML has a line break (before
#: a block or left margin, after a block, right-inline part or indent), which the suite's normalisation removes
_BREAK_BEFORE = "[" + BLOCK_ON + LEFT_ON + "]"
_BREAK_AFTER = "[" + BLOCK_OFF + RIGHT_OFF + INDENT_OFF + "]"
_SPACE_BY_BLOCK = re.compile(rf"(?<={_BREAK_AFTER})\s+|\s+(?={_BREAK_BEFORE})")


def to_html(marked: str, entry_div: bool = False) -> str:
    """HTML: text escaped, marks as tags; ``entry_div`` wraps like citeproc-js (``csl-entry``, margins), keeping
    the entry's edge white space as citeproc-js does (``<div class="csl-right-inline"> J. Doe``) but for the
    white space beside its blocks (a line break in citeproc-js's HTML); without it, the entry is trimmed."""
    if not entry_div:
        marked = marked.strip()
    elif LABEL_SEP in marked:
        label, _, body = marked.partition(LABEL_SEP)
        marked = label.lstrip() + LABEL_SEP + body.rstrip()
    elif _HAS_DISPLAY.search(marked):
        marked = _SPACE_BY_BLOCK.sub("", marked)
    text = html_text(marked)
    text = _MARK_RE.sub(lambda m: _MARKS[m.group(0)][0] if m.group(0) != LABEL_SEP else LABEL_SEP, text)
    if LABEL_SEP in text:
        label, _, body = text.partition(LABEL_SEP)
        if entry_div:
            return (f'<div class="csl-entry"><div class="csl-left-margin">{label}</div>'
                    f'<div class="csl-right-inline">{body}</div></div>')
        return f"{label} {body}"
    return f'<div class="csl-entry">{text}</div>' if entry_div else text


_HAS_DISPLAY = re.compile("[" + DISPLAY_MARKS + "]")
_URL = re.compile(r"https?://[^\s<>\"\ue000-\uf8ff]+?(?=[.,;:)]?(?:\s|$|[\ue000-\uf8ff]))")


def to_markdown(marked: str) -> str:
    """Markdown: Markdown and HTML specials in the text escaped, marks as ``*``/``**``.

    >>> to_markdown("See https://x.org/a_b. R & D")
    'See <https://x.org/a_b>. R & D'
    >>> to_markdown("R & D <script>x</script> &amp; *a*")
    'R & D &lt;script&gt;x&lt;/script&gt; &amp;amp; \\\\*a\\\\*'
    >>> to_markdown(ITALIC_ON + "J " + BOLD_ON + BOLD_OFF + ITALIC_OFF + ", 2023")
    '*J* , 2023'
    """
    marked = _display_as_spaces(marked).strip()
    out = []
    pos = 0
    for m in _URL.finditer(marked):  # URLs become autolinks, unescaped
        out.append(_escape_markdown(marked[pos:m.start()]))
        out.append(f"<{m.group(0)}>")
        pos = m.end()
    out.append(_escape_markdown(marked[pos:]))
    text = "".join(out)
    text = text.replace(LABEL_SEP, " ")
    if _MARKDOWN_EMPHASIS.search(text):
        # Markdown emphasis is not read as such when empty or when it closes after a space ("*J *")
        text = _MARKDOWN_SPACE_BEFORE_CLOSE.sub(r"\2\1", _MARKDOWN_EMPTY.sub("", text))
    return _MARK_RE.sub(lambda m: _MARKS[m.group(0)][1], text)


_EMPHASIS_PAIRS = ((ITALIC_ON, ITALIC_OFF), (BOLD_ON, BOLD_OFF), (HIGHLIGHT_ON, HIGHLIGHT_OFF))
_MARKDOWN_EMPHASIS = re.compile("[" + "".join(on + off for on, off in _EMPHASIS_PAIRS) + "]")
_MARKDOWN_EMPTY = re.compile("|".join(on + r"\s*" + off for on, off in _EMPHASIS_PAIRS))
_MARKDOWN_SPACE_BEFORE_CLOSE = re.compile(r"(\s+)([" + "".join(off for _, off in _EMPHASIS_PAIRS) + "])")


def _escape_markdown(text: str) -> str:
    # raw HTML is live in Markdown: "<" always escaped, "&" when it could start an entity (a lone "&" is text)
    text = re.sub(r"&(?=#|\w+;)", "&amp;", text)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("\\<", "&lt;").replace("\\>", "&gt;")


CONVERTERS = {"text": to_text, "html": to_html, "markdown": to_markdown}


class MarkedFormatter:
    """A citeproc-py formatter (module-like object) that emits marks instead of tags."""

    @staticmethod
    def preformat(text: object) -> str:
        return str(text)

    @staticmethod
    def _wrapper(on: str, off: str):
        def wrap(text: object) -> str:
            return f"{on}{text}{off}"
        return wrap


for _name, (_on, _off) in {
    "Italic": (ITALIC_ON, ITALIC_OFF), "Oblique": (ITALIC_ON, ITALIC_OFF), "Bold": (BOLD_ON, BOLD_OFF),
    "Light": ("", ""), "Underline": (UNDER_ON, UNDER_OFF), "Superscript": (SUP_ON, SUP_OFF),
    "Subscript": (SUB_ON, SUB_OFF), "SmallCaps": (SC_ON, SC_OFF),
}.items():
    setattr(MarkedFormatter, _name, staticmethod(MarkedFormatter._wrapper(_on, _off)))
