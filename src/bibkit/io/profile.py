"""Free-form publication lists (home pages, CVs) as input formats: text, Markdown,
HTML and LaTeX.  Reading goes through :func:`bibkit.profile.parse_text`."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from ..model import ReadResult
from .registry import Format

#: options for :func:`bibkit.profile.parse_text` while reading (``engine``, ``model``)
_OPTIONS: ContextVar[tuple[tuple[str, Any], ...]] = ContextVar("bibkit_profile_options", default=())


@contextlib.contextmanager
def parser_options(engine: str | None = None, model: str | os.PathLike[str] | None = None) -> Iterator[None]:
    """Within the block, publication lists are read with this parser ``engine`` (``learned``,
    ``rules``) and ``model`` folder (see :func:`bibkit.profile.parse_text`); ``None``: the default."""
    token = _OPTIONS.set(tuple((k, v) for k, v in (("engine", engine), ("model", model)) if v is not None))
    try:
        yield
    finally:
        _OPTIONS.reset(token)


def _reader(fmt: str):
    def read(text: str, source: str, owner: str | None = None) -> ReadResult:
        from ..profile import parse_text

        # ".txt" pages are often Markdown or HTML saved as text: let the parser sniff them
        return parse_text(text, source, fmt=None if fmt == "text" else fmt, owner=owner,
                          **dict(_OPTIONS.get()))

    read.__name__ = f"read_{fmt}"
    return read


def _sniffer(fmt: str):
    def sniff(text: str) -> float:
        from ..profile.detect import scores

        s = scores(text)
        # a little below the structured formats (bibtex, csl-json) when they also claim the text
        return min(0.9, s.get(fmt, 0.0)) if fmt != "text" else 0.1

    return sniff


FORMATS = [
    Format("text", (".txt", ".text"), read=_reader("text"), sniff=_sniffer("text"), aliases=("txt", "plain"),
           description="publication list as plain text (also text extracted from PDFs)", is_profile=True),
    Format("markdown", (".md", ".markdown", ".mdown"), read=_reader("markdown"), sniff=_sniffer("markdown"),
           aliases=("md",), description="publication list in Markdown (Jekyll pages, READMEs)", is_profile=True),
    Format("html", (".html", ".htm", ".xhtml"), read=_reader("html"), sniff=_sniffer("html"), aliases=("htm",),
           description="publication list in an HTML page", is_profile=True),
    Format("latex", (".tex", ".ltx"), read=_reader("latex"), sniff=_sniffer("latex"), aliases=("tex",),
           description="publication list in a LaTeX CV", is_profile=True),
    Format("org", (".org",), read=_reader("org"), sniff=_sniffer("org"), aliases=("org-mode",),
           description="publication list in an Emacs org-mode page", is_profile=True),
    Format("rst", (".rst", ".rest"), read=_reader("rst"), sniff=_sniffer("rst"), aliases=("restructuredtext",),
           description="publication list in reStructuredText (Sphinx pages, READMEs)", is_profile=True),
]
