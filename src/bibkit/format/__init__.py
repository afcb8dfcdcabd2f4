"""Styled citations: CSL bibliographies and citations on citeproc-py, faithful to citeproc-js and fast.

>>> from bibkit.model import Entry, Name, Date
>>> e = Entry(type="book", key="b", title="The mythical man-month", author=[Name(family="Brooks", given="Fred")],
...           issued=Date(1975), publisher="Addison-Wesley")
>>> format_bibliography([e], style="apa", cache=False)
['Brooks, F. (1975). The mythical man-month. Addison-Wesley.']
"""

from __future__ import annotations

from .citations import Citations, cite
from .render import Formatter, format_bibliography, format_document
from .styles import CURATED, known_styles, resolve_style

__all__ = ["CURATED", "Citations", "Formatter", "cite", "format_bibliography", "format_document", "known_styles",
           "resolve_style"]
