"""The finder: a CRF over a page's lines that says where entries begin and end.

Every line gets one of ``heading``, ``ref-start``, ``ref-continue``, ``news``, ``other``,
``blank`` (:data:`~.training.pages.LINE_LABELS`) with its marginal probability; an entry is
a ``ref-start`` line and the ``ref-continue`` lines after it (blank lines inside an entry
are skipped, anything else ends it).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .crf import Model, load, shipped
from .features import line_features
from .lines import Line

#: lines per CRF window: pages longer than this are labelled in overlapping windows
WINDOW = 400
_OVERLAP = 40


def default_model_path() -> Path:
    return shipped("finder")


def load_model(path: str | None = None) -> Model:
    """The finder model at ``path`` (default: the one shipped), loaded once."""
    return load(path or default_model_path())


@dataclass
class Found:
    """One entry the finder found: its lines and how sure the finder was of its boundaries."""

    lines: list[Line]
    prob: float  # marginal of the ref-start label of its first line


def label_lines(lines: Sequence[Line], model: Model | str | os.PathLike[str] | None = None,
                rule_tags: Sequence[str] | None = None, kinds: Sequence[str] | None = None
                ) -> tuple[list[str], list[float]]:
    """A label and its marginal for every line (``rule_tags``: :func:`.features.rule_view`'s, when known)."""
    if model is None or not isinstance(model, Model):
        model = load_model(os.fspath(model) if model is not None else None)
    n = len(lines)
    if rule_tags is None:
        from .features import rule_line_tags

        rule_tags = rule_line_tags(lines)
    if n <= WINDOW:
        return model.tag(line_features(lines, rule_tags, kinds))
    labels: list[str] = []
    probs: list[float] = []
    start = 0
    while start < n:
        end = min(n, start + WINDOW)
        ys, ps = model.tag(line_features(lines[start:end], rule_tags[start:end],
                                         kinds[start:end] if kinds is not None else None))
        keep_from = 0 if start == 0 else _OVERLAP // 2
        labels.extend(ys[keep_from:])
        probs.extend(ps[keep_from:])
        if end == n:
            break
        start = end - _OVERLAP
        # the last _OVERLAP // 2 lines of this window are re-labelled by the next one
        del labels[len(labels) - _OVERLAP // 2:]
        del probs[len(probs) - _OVERLAP // 2:]
    return labels, probs


def entries(lines: Sequence[Line], labels: Sequence[str], probs: Sequence[float]) -> list[Found]:
    """Group labelled lines into entries."""
    out: list[Found] = []
    cur: Found | None = None
    for ln, lab, p in zip(lines, labels, probs, strict=True):
        if lab == "ref-start" or (lab == "ref-continue" and cur is None):
            cur = Found([ln], p if lab == "ref-start" else p / 2)
            out.append(cur)
        elif lab == "ref-continue" and cur is not None:
            cur.lines.append(ln)
        elif lab == "blank":
            continue
        else:
            cur = None
    return out
