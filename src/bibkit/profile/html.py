"""HTML pages to :class:`~.lines.Line` objects, with a real HTML parser (lxml).

Block elements (``<p>``, ``<li>``, ``<div>``, headings, table rows) and ``<br>`` end
lines; ``<b>``/``<strong>`` and ``<i>``/``<em>`` become emphasis markers; ``<a href>``
gives URLs; comments, scripts and styles are dropped.
"""

from __future__ import annotations

import lxml.html
from lxml import etree

from . import rx as re
from .lines import B_OFF, B_ON, I_OFF, I_ON, L_OFF, L_ON, MARKS, Line, strip_marks

_SKIP = {"script", "style", "noscript", "template", "head", "svg", "button", "select", "textarea", "iframe",
         "object", "canvas", "math"}
_BLOCK = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dt", "dd", "blockquote", "section",
          "article", "header", "footer", "ul", "ol", "table", "hr", "pre", "address", "figure", "figcaption",
          "nav", "main", "aside", "dl", "form", "body", "html", "tbody", "thead", "center", "details", "summary"}
# blocks after which a blank line is emitted (paragraph boundaries)
_PARA = {"p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "dd", "dt",
         "section", "article", "div", "hr", "pre", "figure", "details"}
_BOLD = {"b", "strong"}
_ITAL = {"i", "em", "cite", "var"}
_WS = re.compile(r"\s+")


_NUM_MARK = re.compile(r"^\s*(\[\d{1,3}\]|\(\d{1,3}\)|\d{1,3}[.)])\s+")


def _drop_visible(text: str, n: int) -> str:
    """``text`` without its first ``n`` visible (non-marker) characters."""
    seen = i = 0
    while i < len(text) and seen < n:
        if text[i] not in MARKS:
            seen += 1
        i += 1
    return text[i:]


class _Builder:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.parts: list[str] = []
        self.urls: list[str] = []
        self.no = 1
        self.bullet: str | None = None
        self.indent = 0
        self.heading = 0

    def flush(self) -> None:
        text = _WS.sub(" ", "".join(self.parts)).strip()
        if not strip_marks(text).strip():
            return  # nothing visible yet: a pending bullet or heading waits for the text
        bullet = self.bullet
        if bullet is None:
            m = _NUM_MARK.match(strip_marks(text))
            if m:  # "[3] ..." / "12. ..." written as text
                bullet = m.group(1)
                text = _drop_visible(text, m.end())
        self.lines.append(Line(self.no, text, self.indent, bullet, self.heading, self.urls))
        self.parts, self.urls = [], []
        self.bullet, self.heading = None, 0

    def blank(self) -> None:
        """End a paragraph: an empty line separates blocks, as in text."""
        if self.lines and not self.lines[-1].blank:
            self.lines.append(Line(self.no, ""))

    def start(self, no: int | None) -> None:
        self.flush()
        if no:
            self.no = no


def html_lines(text: str) -> list[Line]:
    """Lines of an HTML page.

    >>> ls = html_lines("<h2>Papers</h2><ul><li><b>A. Bee</b>, <i>Title</i>. In X, 2020.</li></ul>")
    >>> [(ln.heading, ln.bullet, ln.plain) for ln in ls if ln.plain]
    [(2, None, 'Papers'), (0, '-', 'A. Bee, Title. In X, 2020.')]
    """
    b = _Builder()
    if not text.strip():
        return []
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return []
    list_depth = 0
    li_depth = 0
    counters: list[int] = []
    skip_depth = 0  # inside <script>, <style>... (their tails are still content)
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        name = tag.lower()
        if event == "start":
            if skip_depth:
                if name in _SKIP or not tag:
                    skip_depth += 1
                continue
            if not tag or name in _SKIP:  # comments, processing instructions, scripts
                skip_depth = 1
                continue
            if name == "br":
                b.start(el.sourceline)
            elif name in _BLOCK:
                b.start(el.sourceline)
                if name in ("ul", "ol"):
                    list_depth += 1
                    counters.append(0 if name == "ol" else -1)
                elif name == "li":
                    li_depth += 1
                    if counters and counters[-1] >= 0:
                        counters[-1] += 1
                        b.bullet = f"{counters[-1]}."
                    else:
                        b.bullet = "-"
                    b.indent = 2 * max(0, list_depth - 1)
                elif name in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    b.heading = int(name[1])
                    b.indent = 0
                elif name != "dd":
                    b.indent = 2 * max(0, list_depth - 1) if list_depth else 0
            elif name in _BOLD:
                b.parts.append(B_ON)
            elif name in _ITAL:
                b.parts.append(I_ON)
            elif name == "a":
                href = el.get("href")
                if href and href.strip() and not href.startswith(("#", "javascript:", "mailto:")):
                    b.urls.append(href.strip())
                b.parts.append(L_ON)
            elif name in ("td", "th"):
                b.parts.append(" ")
            if el.text:
                b.parts.append(el.text)
            continue
        # end
        if skip_depth:
            skip_depth -= 1
            if skip_depth == 0 and el.tail:
                b.parts.append(el.tail)
            continue
        if name in _BOLD:
            b.parts.append(B_OFF)
        elif name in _ITAL:
            b.parts.append(I_OFF)
        elif name == "a":
            b.parts.append(L_OFF)
        elif name in ("ul", "ol"):
            list_depth = max(0, list_depth - 1)
            if counters:
                counters.pop()
            b.flush()
        elif name in _BLOCK:
            b.flush()
            if name in _PARA and not li_depth:
                b.blank()
        if name == "li":
            li_depth = max(0, li_depth - 1)
            if not li_depth:
                b.blank()
        if el.tail:
            b.parts.append(el.tail)
    b.flush()
    return b.lines
