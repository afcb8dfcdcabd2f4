"""Markdown (Jekyll pages, READMEs, notes) to :class:`~.lines.Line` objects.

Front matter, HTML comments, Liquid tags and script/style blocks are not content and
are blanked (line numbers are kept).  ``**bold**``/``*italic*``/inline ``<b>``/``<em>``
become emphasis markers, links keep their text and give their URL.
"""

from __future__ import annotations

import re

from .lines import B_OFF, B_ON, I_OFF, I_ON, L_OFF, L_ON, Line, list_number, split_bullet

_ESCAPABLE = "\\`*_{}[]()#+-.!|<>~\"'$"
_ESC_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~\"'$])")
_ESCAPED = re.compile("[\U000f0000-\U000f00ff]")
_IMG_RE = re.compile(r"!\[[^\]\n]{0,500}\]\([^)\n]{0,1000}\)")
_LINK_RE = re.compile(r"\[([^\[\]\n]{0,800})\]\(\s*([^)\s]{0,1000})(?:\s+\"[^\"\n]{0,300}\")?\s*\)")
_DOUBLE_LINK_RE = re.compile(r"\[\[([^\[\]\n]{0,200})\]\]\(\s*([^)\s]{0,1000})\s*\)")
_REFLINK_RE = re.compile(r"\[([^\[\]\n]{1,800})\]\[[^\]\n]{0,100}\]")
_AUTOLINK_RE = re.compile(r"<(https?://[^>\s]{1,1000})>")
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]{0,15})((?:\s[^<>]{0,2000})?)/?>")
_HREF_RE = re.compile(r"""href\s*=\s*["']([^"']{0,1000})["']""")
_BOLD_RE = re.compile(r"(\*\*|__)(?=\S)([^\n]{1,1000}?)(?<=\S)\1")
_ITAL_STAR_RE = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,1000}?)(?<=[^\s*])\*(?![\w*])")
_ITAL_UND_RE = re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]{1,1000}?)(?<=[^\s_])_(?![\w_])")
_CODE_RE = re.compile(r"`([^`\n]{0,1000})`")
_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BLOCK_RE = re.compile(
    r"<!--.*?(?:-->|\Z)|\{%-?.*?-?%\}|\{\{.*?\}\}|<script\b.*?(?:</script\s*>|\Z)|<style\b.*?(?:</style\s*>|\Z)",
    re.S | re.I,
)

_BOLD_TAGS = {"b", "strong"}
_ITAL_TAGS = {"i", "em", "cite"}


def _blank_keep_lines(match: re.Match[str]) -> str:
    return "\n" * match.group(0).count("\n")


def strip_non_content(text: str) -> str:
    """Blank front matter, HTML comments, Liquid tags, scripts (newlines kept).

    >>> strip_non_content("a <!-- hidden\\nstill hidden --> b {% if x %}c")
    'a \\n b c'
    """
    if text.startswith("---\n") or text.startswith("+++\n"):
        fence = text[:3]
        end = text.find("\n" + fence, 3)
        if end != -1:
            stop = end + 4
            text = "\n" * text[:stop].count("\n") + text[stop:]
    return _BLOCK_RE.sub(_blank_keep_lines, text)


def inline(text: str, urls: list[str]) -> str:
    """Markdown inline markup to plain text with emphasis markers; link URLs go to ``urls``.

    >>> u = []
    >>> inline("**Z. Tang**, [paper](http://x.org/p) *Title*", u), u
    ('\\ue000Z. Tang\\ue001, \\ue004paper\\ue005 \\ue002Title\\ue003', ['http://x.org/p'])
    """
    if "\\" in text:
        text = _ESC_RE.sub(lambda m: chr(0xF0000 + ord(m.group(1))), text)
    if "![" in text:
        text = _IMG_RE.sub("", text)
    if "]](" in text:  # "[[Paper]](url)"
        def double_link(m: re.Match[str]) -> str:
            if not m.group(2).startswith("#"):
                urls.append(m.group(2))
            return L_ON + m.group(1) + L_OFF
        text = _DOUBLE_LINK_RE.sub(double_link, text)
    if "](" in text:
        def link(m: re.Match[str]) -> str:
            url = m.group(2).strip("<>")
            if url and not url.startswith("#"):
                urls.append(url)
            return L_ON + m.group(1) + L_OFF
        text = _LINK_RE.sub(link, text)
        text = _LINK_RE.sub(link, text)  # links inside link text ("[\[video\]](...)")
    if "][" in text:
        text = _REFLINK_RE.sub(r"\1", text)
    if "<" in text:
        def autolink(m: re.Match[str]) -> str:
            urls.append(m.group(1))
            return m.group(1)
        text = _AUTOLINK_RE.sub(autolink, text)
        text = _TAG_RE.sub(lambda m: _tag(m, urls), text)
    if "`" in text:
        text = _CODE_RE.sub(r"\1", text)
    if "**" in text or "__" in text:
        text = _BOLD_RE.sub(lambda m: B_ON + m.group(2) + B_OFF, text)
        text = text.replace("**", "")
    if "*" in text:
        text = _ITAL_STAR_RE.sub(lambda m: I_ON + m.group(1) + I_OFF, text)
    if "_" in text:
        text = _ITAL_UND_RE.sub(lambda m: I_ON + m.group(1) + I_OFF, text)
    if _ESCAPED.search(text):
        text = "".join(chr(ord(c) - 0xF0000) if "\U000f0000" <= c <= "\U000f00ff" else c for c in text)
    return text


def _tag(m: re.Match[str], urls: list[str]) -> str:
    closing, name, attrs = m.group(1), m.group(2).lower(), m.group(3) or ""
    if name in _BOLD_TAGS:
        return B_OFF if closing else B_ON
    if name in _ITAL_TAGS:
        return I_OFF if closing else I_ON
    if name == "a":
        if closing:
            return L_OFF
        h = _HREF_RE.search(attrs)
        if h and not h.group(1).startswith("#"):
            urls.append(h.group(1))
        return L_ON
    if name in ("br", "p", "div", "li", "td", "tr"):
        return " "
    return ""


def markdown_lines(text: str) -> list[Line]:
    """Lines of a Markdown page.

    >>> ls = markdown_lines("## Publications\\n- **A. B**, *Title*. In X 2020.")
    >>> [(ln.heading, ln.bullet, ln.plain) for ln in ls]
    [(2, None, 'Publications'), (0, '-', 'A. B, Title. In X 2020.')]
    """
    text = strip_non_content(text)
    raw_lines = text.split("\n")
    out: list[Line] = []
    prev: int | None = None
    for no, raw in enumerate(raw_lines, 1):
        raw = raw.replace("\t", "    ").rstrip()
        if raw.endswith("\\") and not raw.endswith("\\\\"):
            raw = raw[:-1].rstrip()  # a hard line break ("text\\" then the next line): the break is the line end
        urls: list[str] = []
        h = _HEADING_RE.match(raw[:2000]) if raw.lstrip().startswith("#") else None
        if h:
            out.append(Line(no, inline(h.group(2), urls).strip(), 0, None, len(h.group(1)), urls))
            continue
        if _SETEXT_RE.match(raw) and out and not out[-1].blank and out[-1].bullet is None and not out[-1].heading:
            out[-1].heading = 1 if raw.strip().startswith("=") else 2
            out.append(Line(no, "", 0))
            continue
        body = raw
        while body.lstrip().startswith(">"):
            body = body.lstrip()[1:]
        indent, bullet, rest = split_bullet(body, prev)
        prev = list_number(bullet) if bullet else prev
        if "<br" in rest.lower() and _BR_RE.search(rest):
            # "Title<br>Authors<br>*Venue*": inline breaks are line breaks inside the item (lines of one block)
            pieces = [p for p in _BR_RE.split(rest) if p.strip()] or [""]
            for k, piece in enumerate(pieces):
                purls: list[str] = []
                out.append(Line(no, inline(piece, purls).strip(), indent + (2 if k else 0),
                                bullet if k == 0 else None, 0, purls))
            continue
        out.append(Line(no, inline(rest, urls).strip(), indent, bullet, 0, urls))
    return out


_BR_RE = re.compile(r"\s*<br\s*/?>\s*", re.I)
