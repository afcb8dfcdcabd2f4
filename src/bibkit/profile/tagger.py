"""The field tagger: a CRF over the tokens of one entry.

Each token gets one of :data:`~.training.corpus.FIELD_LABELS` (author, title,
container-title, date, volume, pages...) with its marginal probability; runs of one label
become :class:`Span`\\ s, which :mod:`.normalise` turns into an entry.

>>> tagged = tag_texts(["Bee, A. (2021). Learning things. Nature, 12(3), 4-9."])
>>> [(s.label, s.text) for s in tagged.spans][:3]
[('author', 'Bee, A.'), ('date', '(2021).'), ('title', 'Learning things.')]
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .crf import Model, load, shipped
from .features import rule_token_tags, token_features
from .lines import Line
from .tokens import Token, tokenize_lines


def default_model_path() -> Path:
    return shipped("tagger")


def load_model(path: str | None = None) -> Model:
    """The tagger model at ``path`` (default: the one shipped), loaded once."""
    return load(path or default_model_path())


@dataclass
class Span:
    """A run of tokens with one label."""

    label: str
    tokens: list[Token]
    prob: float  # the lowest marginal probability of its tokens

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


@dataclass
class Tagged:
    """One entry's tokens, their labels and marginals, and the spans they make."""

    tokens: list[Token]
    labels: list[str]
    probs: list[float]
    spans: list[Span] = field(default_factory=list)

    _lowest: dict[str | None, float] | None = field(default=None, init=False, repr=False, compare=False)

    def confidence(self, label: str | None = None) -> float:
        """The lowest marginal over the tokens (of ``label``), 1.0 when there are none."""
        if self._lowest is None:  # (all labels' at once: an entry asks for several)
            lowest: dict[str | None, float] = {}
            for lab, p in zip(self.labels, self.probs, strict=False):
                if p < lowest.get(lab, 2.0):
                    lowest[lab] = p
            if lowest:
                lowest[None] = min(lowest.values())
            self._lowest = lowest
        return self._lowest.get(label, 1.0)


def spans_of(tokens: Sequence[Token], labels: Sequence[str], probs: Sequence[float]) -> list[Span]:
    out: list[Span] = []
    for tok, lab, p in zip(tokens, labels, probs, strict=False):
        if out and out[-1].label == lab:
            out[-1].tokens.append(tok)
            out[-1].prob = min(out[-1].prob, p)
        else:
            out.append(Span(lab, [tok], p))
    return out


def tag_tokens(tokens: list[Token], model: Model | None = None, rule_tags: Sequence[str] | None = None) -> Tagged:
    model = model or load_model()
    labels, probs = model.tag(token_features(tokens, rule_tags))
    return Tagged(tokens, labels, probs, spans_of(tokens, labels, probs))


def _model(model: Model | str | os.PathLike[str] | None) -> Model:
    if model is None:
        return load_model()
    return model if isinstance(model, Model) else load_model(os.fspath(model))


def tag_lines(lines: Sequence[Line], model: Model | str | os.PathLike[str] | None = None,
              rule_parse: Any = None) -> Tagged:
    """Tag an entry given as its lines (``rule_parse``: what the rules read from them, when known)."""
    tokens = tokenize_lines([ln.text for ln in lines])
    return tag_tokens(tokens, _model(model), rule_token_tags(lines, tokens, rule_parse))


def tag_texts(texts: Sequence[str], model: Model | str | os.PathLike[str] | None = None) -> Tagged:
    """Tag an entry given as the texts of its lines (emphasis markers allowed)."""
    return tag_lines([Line(k + 1, t) for k, t in enumerate(texts)], model)
