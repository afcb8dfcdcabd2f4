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


def whole_emphasis(tokens: Sequence[Token], labels: list[str]) -> list[str]:
    """One italic run is one field: a title set in italics that the tagger cut at a sentence end
    inside it ("*Planck 2018 results. VI. Cosmological parameters*, Astron. Astrophys.") gets its
    tail back from the venue, when the venue reads on past the run's end.

    >>> from .tokens import tokenize
    >>> toks = tokenize("\ue002Results. VII. Ring\ue003, Astrophys. J.")
    >>> whole_emphasis(toks, ["title", "container-title", "container-title", "container-title", "container-title"])
    ['title', 'title', 'title', 'container-title', 'container-title']
    """
    out = list(labels)
    k, n = 0, len(tokens)
    while k < n:
        tok = tokens[k]
        if not tok.run:
            k += 1
            continue
        end = k
        while end + 1 < n and tokens[end + 1].run == tok.run and tokens[end + 1].line == tok.line:
            end += 1
        run = out[k:end + 1]
        cut = run.index("container-title") if "container-title" in run else 0
        if (run[0] == "title" and cut and set(run[:cut]) == {"title"} and set(run[cut:]) == {"container-title"}
                and end + 1 < n and out[end + 1] == "container-title"):
            out[k:end + 1] = ["title"] * len(run)
        k = end + 1
    return out


def authors_to_line_end(tokens: Sequence[Token], labels: list[str]) -> list[str]:
    """An author line is authors to its end: a title that begins with the last words of the
    authors' line ("..., Matei Zaharia, Christopher Potts:" / "DSPy: Compiling ...") gives
    them back to the authors, when the author list before them ends with a comma and they end
    with a colon or comma.

    >>> from .tokens import tokenize_lines
    >>> toks = tokenize_lines(["Omar Khattab, Christopher Potts:", "DSPy: Compiling Pipelines. CoRR 2023"])
    >>> authors_to_line_end(toks, ["author", "author", "title", "title", "title", "title", "title", "other",
    ...                            "date"])[:5]
    ['author', 'author', 'author', 'author', 'title']
    """
    out = list(labels)
    n = len(tokens)
    # where the authors end and the title begins
    k = next((j for j in range(1, n) if out[j - 1] == "author" and out[j] == "title"), 0)
    if not k or not tokens[k - 1].text.endswith(","):
        return out
    end = k  # the title's words up to the end of the authors' line (at most five)
    while end + 1 < n and not tokens[end + 1].line_start and end - k < 4:
        end += 1
    if end + 1 < n and tokens[end + 1].line_start and out[end + 1] == "title" \
            and tokens[end].text.endswith((":", ",")) and set(out[k:end + 1]) == {"title"} \
            and all(t.text[:1].isupper() for t in tokens[k:end + 1]):
        out[k:end + 1] = ["author"] * (end + 1 - k)
    return out


def tag_tokens(tokens: list[Token], model: Model | None = None, rule_tags: Sequence[str] | None = None) -> Tagged:
    model = model or load_model()
    labels, probs = model.tag(token_features(tokens, rule_tags))
    labels = authors_to_line_end(tokens, whole_emphasis(tokens, labels))
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
