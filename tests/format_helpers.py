"""Shared helpers for the format tests: comparing bibkit's output with citeproc-js's."""

from __future__ import annotations

import json
import re
from pathlib import Path

CURATED = ["apa", "ieee", "chicago-author-date", "modern-language-association", "harvard-cite-them-right", "nature",
           "vancouver", "acm-sig-proceedings", "association-for-computing-machinery",
           "springer-lecture-notes-in-computer-science"]
SHARED_CSL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "csl"
SUBSET = Path(__file__).resolve().parent / "data" / "csl_subset"


def norm_html(entry: str) -> str:
    """citeproc-js HTML without the indentation between block elements."""
    return "".join(line.strip() for line in entry.splitlines())


def norm_text(entry: str) -> str:
    # deliberate difference: citeproc-js leaves a trailing space on some entries (ACM); we trim
    return entry.strip()


_LABEL_TEXT = re.compile(r"^(\[\d+\]|\d+\.)\s")
_LABEL_HTML = re.compile(r'<div class="csl-left-margin">[^<]*</div>')


def drop_label(entry: str) -> str:
    """The entry without its citation number (which depends on the whole bibliography)."""
    return _LABEL_HTML.sub('<div class="csl-left-margin"></div>', _LABEL_TEXT.sub("", entry))


def compare(style: str, items_path: Path, text_ref: dict, html_ref: dict, labels: bool = True
            ) -> tuple[int, int, int, list[str], list[str]]:
    """(identical text, identical html, total, diffs, bibkit's order of keys) for ``items_path`` vs citeproc-js."""
    from bibkit.format import markup
    from bibkit.format.render import Formatter
    from bibkit.io import csljson

    entries = csljson.read(items_path.read_text(encoding="utf-8")).entries
    marked, order = Formatter(style, cache=False, workers=1).render_marked(entries)
    same_text = same_html = 0
    diffs = []
    for m, i in zip(marked, order, strict=True):
        key = entries[i].key
        ours_t, ref_t = markup.to_text(m), norm_text(text_ref[key])
        ours_h, ref_h = markup.to_html(m, entry_div=True), norm_html(html_ref[key])
        if not labels:
            ours_t, ref_t, ours_h, ref_h = map(drop_label, (ours_t, ref_t, ours_h, ref_h))
        same_text += ours_t == ref_t
        same_html += ours_h == ref_h
        if ours_t != ref_t:
            diffs.append(f"{style} {key}\n  bibkit: {ours_t}\n  js:     {ref_t}")
    return same_text, same_html, len(marked), diffs, [entries[i].key for i in order]


def load_shared(style: str) -> tuple[dict, dict, list[str]]:
    text = json.loads((SHARED_CSL / f"{style}.text.json").read_text(encoding="utf-8"))
    html = json.loads((SHARED_CSL / f"{style}.html.json").read_text(encoding="utf-8"))
    return text["entries"], html["entries"], text["order"]
