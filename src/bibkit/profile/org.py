"""Org-mode pages (Emacs users' home pages and CVs) -> lines, through the Markdown converter.

Org's markup is rewritten line for line into the Markdown the front end already reads, so a
line keeps its number and its cues: ``* Heading`` -> ``# Heading``, ``/italic/`` ->
``*italic*``, ``*bold*`` -> ``**bold**``, ``=code=``/``~code~`` -> code, ``[[url][text]]`` ->
``[text](url)``; ``#+KEYWORD:`` lines, drawers (``:PROPERTIES: ... :END:``) and block
delimiters (``#+BEGIN_...``) become blank lines.  Emphasis that runs over a line break (org
allows one) is closed at the end of the line and opened again on the next.

>>> [(ln.heading, ln.bullet, ln.plain) for ln in org_lines("* Papers\\n- A. B. /Title/. In X, 2020.")]
[(1, None, 'Papers'), (0, '-', 'A. B. Title. In X, 2020.')]
"""

from __future__ import annotations

from . import rx as re
from .lines import Line
from .markdown import markdown_lines

_HEADING_RE = re.compile(r"^(\*+)[ \t]+(?:(?:TODO|DONE)[ \t]+)?(.*?)(?:[ \t]+:[\w@#%:]+:)?[ \t]*$")
_KEYWORD_RE = re.compile(r"^[ \t]*#\+\w+(?:\[[^\]]*\])?:?.*$")
_COMMENT_RE = re.compile(r"^[ \t]*#(?:[ \t].*)?$")
_DRAWER_RE = re.compile(r"^[ \t]*:[\w-]+:[ \t]*$")
_LINK_RE = re.compile(r"\[\[([^\[\]\n]{1,1000})\](?:\[([^\[\]\n]{0,800})\])?\]")
# org emphasis: a marker after a space, a line start or an opening bracket, the body neither
# starting nor ending with a space, the closing marker before a space, punctuation or the end
_PRE = r"(?:^|(?<=[\s\-({'\"]))"
_POST = r"(?=[\s\-.,;:!?')}\"\\]|$)"
_EMPHASIS = {"/": ("*", "*"), "*": ("**", "**"), "=": ("`", "`"), "~": ("`", "`"), "+": ("", ""), "_": ("", "")}


def _emphasis_re(mark: str) -> re.Pattern[str]:
    m = re.escape(mark)
    return re.compile(rf"{_PRE}{m}(?=[^\s{m}])((?:[^{m}\n]|\n(?!\n)){{1,1000}}?)(?<=[^\s{m}]){m}{_POST}")


_EMPHASIS_RE = {mark: _emphasis_re(mark) for mark in _EMPHASIS}


def _link(m: re.Match[str]) -> str:
    url, label = m.group(1).strip(), (m.group(2) or "").strip()
    if url.startswith("file:"):
        url = url[5:]
    return f"[{label or url}]({url.replace(' ', '%20')})"


def _emph(mark: str):
    on, off = _EMPHASIS[mark]

    def sub(m: re.Match[str]) -> str:
        # one span per line: a line break inside the emphasis closes it and opens it again
        parts = m.group(1).split("\n")
        return "\n".join(f"{part[:len(part) - len(part.lstrip())]}{on}{part.strip()}{off}" if part.strip() else part
                         for part in parts)

    return sub


def _line_level(text: str) -> list[str]:
    """Headings, keywords, comments and drawers, line for line."""
    out: list[str] = []
    in_drawer = False
    for raw in text.split("\n"):
        line = raw.rstrip()
        if in_drawer:
            in_drawer = line.strip().upper() != ":END:"
            out.append("")
            continue
        if _DRAWER_RE.match(line) and line.strip().upper() != ":END:":
            in_drawer = True
            out.append("")
            continue
        if _KEYWORD_RE.match(line) or _COMMENT_RE.match(line):
            out.append("")
            continue
        h = _HEADING_RE.match(line)
        out.append("#" * min(6, len(h.group(1))) + " " + h.group(2) if h else line)
    return out


def _inline(text: str) -> str:
    body = _LINK_RE.sub(_link, text)
    for mark in ("=", "~", "*", "/", "+", "_"):  # bold before italic: "/x/" becomes "*x*"
        body = _EMPHASIS_RE[mark].sub(_emph(mark), body)
    return body


def org_to_markdown(text: str) -> str:
    """The Markdown reading of an org page, one output line per input line (emphasis
    over a line break closed and opened again)."""
    return _inline("\n".join(_line_level(text)))


_ITEM_RE = re.compile(r"^([ \t]*)(?:[-+]|\d{1,4}[.)])[ \t]+\S")


def _unfill(lines: list[str]) -> tuple[list[str], list[int]]:
    """A list item's hard-wrapped lines (org's fill) joined into one; and each output line's
    input line number."""
    out: list[str] = []
    nos: list[int] = []
    item_indent: int | None = None
    for no, line in enumerate(lines, 1):
        m = _ITEM_RE.match(line)
        indent = len(line) - len(line.lstrip())
        if m:
            item_indent = len(m.group(1))
        elif item_indent is not None and line.strip() and indent > item_indent and not line.lstrip().startswith(
                ("#", "|")) and out:
            out[-1] = out[-1].rstrip() + " " + line.strip()
            continue
        elif not line.strip() or indent <= (item_indent or 0):
            item_indent = None
        out.append(line)
        nos.append(no)
    return out, nos


def org_lines(text: str) -> list[Line]:
    """Lines of an org-mode page (see the module's docstring); a list item's wrapped lines are
    one line, numbered as its first."""
    out, nos = _unfill(_line_level(text))
    lines = markdown_lines(_inline("\n".join(out)))
    for ln in lines:
        ln.no = nos[ln.no - 1]
    return lines
