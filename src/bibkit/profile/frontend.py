"""The parser's front end: a page's text -> its format and :class:`~.lines.Line`\\ s.

Repair (mojibake, entities), format detection, the converter for the format (Markdown,
HTML, LaTeX, org-mode, reStructuredText, text: each keeps emphasis, links, list markers, indentation and headings as
cues on the lines) and the removal of link labels ("[pdf]", "[code]") from the lines. The
parser and the training data (:mod:`.training.pages`) both go through here, so the models
see at training time exactly what they see when they parse.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from .detect import detect_format
from .lines import Line
from .repair import repair_text

FORMATS = ("html", "latex", "markdown", "org", "rst", "text")


@dataclass
class Page:
    fmt: str
    lines: list[Line]
    raw_lines: list[str]  # the repaired text's lines, for provenance


def converter(fmt: str):
    if fmt == "html":
        from .html import html_lines

        return html_lines
    if fmt == "latex":
        from .latex import latex_lines

        return latex_lines
    if fmt == "markdown":
        from .markdown import markdown_lines

        return markdown_lines
    if fmt == "org":
        from .org import org_lines

        return org_lines
    if fmt == "rst":
        from .rst import rst_lines

        return rst_lines
    from .text import text_lines

    return text_lines


def front_end(text: str, fmt: str | None = None, source: str = "<string>") -> Page:
    """Repair ``text``, detect its format (unless given) and turn it into lines."""
    if fmt in (None, "auto", "profile"):
        fmt = detect_format(text, source if source != "<string>" else None)
    if fmt not in FORMATS:
        raise InputError(f"unknown profile format {fmt!r}", source=source)
    text = repair_text(text, entities=fmt != "html")
    lines = converter(fmt)(text)
    from .fields import strip_link_labels

    for ln in lines:
        if not ln.heading and ln.text:
            ln.text = strip_link_labels(ln.text)
    return Page(fmt, lines, text.split("\n"))
