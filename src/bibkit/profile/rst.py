"""reStructuredText pages (Sphinx sites, GitHub READMEs) -> lines, through the Markdown converter.

The markup is rewritten line for line into the Markdown the front end reads, so each line
keeps its number and its cues: a title underlined (and maybe overlined) with a punctuation
character becomes a heading (levels in the order the page first uses each adornment),
``#.`` auto-numbered items become numbered list items, ```text <url>`_`` links become
Markdown links, ````code```` and ``:role:`text``` keep their text, and directives and
comments (``.. contents::``, ``.. note::`` with their indented bodies) become blank lines.
``**bold**`` and ``*italic*`` are Markdown's already.

>>> lines = rst_lines("Papers\\n======\\n\\n#. A. B. *Title*. 2020.")
>>> [(ln.no, ln.heading, ln.bullet, ln.plain) for ln in lines if ln.text]
[(1, 1, None, 'Papers'), (4, 0, '1.', 'A. B. Title. 2020.')]
"""

from __future__ import annotations

from . import rx as re
from .lines import Line
from .markdown import markdown_lines

_ADORNMENT_RE = re.compile(r"^([=\-~^\"'`#*+:._])\1{2,}\s*$")
_DIRECTIVE_RE = re.compile(r"^(\s*)\.\.(?:\s|$)")
_AUTO_ITEM_RE = re.compile(r"^(\s*)#\.(\s+)")
_LINK_RE = re.compile(r"`([^`<\n]{1,500}?)\s*<([^>\s]{1,1000})>`__?")
_REF_RE = re.compile(r"`([^`\n]{1,500})`__?")
_ROLE_RE = re.compile(r":[\w+-]{1,30}:`([^`\n]{1,500})`")
_LITERAL_RE = re.compile(r"``([^`\n]{1,1000})``")


def _inline(line: str) -> str:
    line = _LITERAL_RE.sub(r"`\1`", line)
    line = _ROLE_RE.sub(r"\1", line)
    line = _LINK_RE.sub(r"[\1](\2)", line)
    return _REF_RE.sub(r"\1", line)


def rst_to_markdown(text: str) -> str:
    """The Markdown reading of a reStructuredText page, one output line per input line."""
    lines = text.split("\n")
    out = list(lines)
    levels: list[str] = []  # adornment styles in the order the page uses them
    k = 0
    n = len(lines)
    in_directive: int | None = None
    while k < n:
        line = lines[k].rstrip()
        if in_directive is not None:
            if not line.strip() or len(line) - len(line.lstrip()) > in_directive:
                out[k] = ""
                k += 1
                continue
            in_directive = None
        d = _DIRECTIVE_RE.match(line)
        if d:
            in_directive = len(d.group(1))
            out[k] = ""
            k += 1
            continue
        over = _ADORNMENT_RE.match(line)
        if over and k + 2 < n and lines[k + 1].strip() and _ADORNMENT_RE.match(lines[k + 2].rstrip()) \
                and lines[k + 2].strip()[0] == over.group(1):
            style = "over" + over.group(1)  # an overlined title
            level = (levels.index(style) if style in levels else len(levels)) + 1
            if style not in levels:
                levels.append(style)
            out[k], out[k + 1], out[k + 2] = "", "#" * min(6, level) + " " + lines[k + 1].strip(), ""
            k += 3
            continue
        under = _ADORNMENT_RE.match(lines[k + 1].rstrip()) if k + 1 < n else None
        if under and line.strip() and not _ADORNMENT_RE.match(line) and not line.startswith((" ", "\t")) \
                and len(lines[k + 1].strip()) >= min(len(line.strip()), 3):
            style = under.group(1)
            level = (levels.index(style) if style in levels else len(levels)) + 1
            if style not in levels:
                levels.append(style)
            out[k], out[k + 1] = "#" * min(6, level) + " " + _inline(line.strip()), ""
            k += 2
            continue
        line = _AUTO_ITEM_RE.sub(r"\g<1>1.\2", line)
        out[k] = _inline(line)
        k += 1
    return "\n".join(out)


def rst_lines(text: str) -> list[Line]:
    """Lines of a reStructuredText page (see the module's docstring)."""
    return markdown_lines(rst_to_markdown(text))
