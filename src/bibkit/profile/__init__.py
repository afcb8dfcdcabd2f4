"""The publication-list (profile) parser.

>>> from bibkit.profile import parse_profile
>>> res = parse_profile("Publications\\n\\n1. J. Smith and A. Jones. Deep Things. In ICML 2020.")
>>> e = res.entries[0]
>>> (e.title, [a.family for a in e.author], e.container_title, e.year, e.type)
('Deep Things', ['Smith', 'Jones'], 'ICML', 2020, 'paper-conference')
"""

from __future__ import annotations

from .parser import parse_profile, parse_text

__all__ = ["parse_profile", "parse_text"]
