"""``bibkit train``: build the parser's two models from the repository, and score them.

The tagger learns from the labelled references in ``training/`` (AnyStyle, GROBID, the
user's own ``training/user/*.xml``) and from synthetic references (:mod:`.synth_refs`);
the finder from synthetic pages (:mod:`.synth_pages`, made from the same references) and
AnyStyle's line-labelled dissertations. A stable part of every source is held out
(:func:`.corpus.split`) and scored after training, per source; ``--loso`` also trains
without each source in turn and scores on it.

Reproduce the shipped models (``src/bibkit/data/models/``)::

    bibkit train --out src/bibkit/data/models
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import crf
from ..features import Features, line_features, rule_token_tags, token_features
from ..lines import Line
from ..tokens import Token, tokenize
from . import corpus
from .corpus import Reference
from .pages import LabelledPage

SEED = 13
#: how much of each kind of data the shipped models see
SIZES = {"synth_refs": 4000, "synth_pages": 1000, "iterations": 150}
#: the team's own labelled pages (gold files), read with silver labels (:mod:`.silver`)
SILVER_DIR = corpus.training_dir().parent / "tests" / "data" / "profiles_extra"
QUICK = {"synth_refs": 200, "synth_pages": 30, "iterations": 20, "refs": 400}


# -- tagger data ---------------------------------------------------------------------------
def ref_tokens(ref: Reference, rng: random.Random | None = None) -> tuple[list[Token], list[str], list[Line]]:
    """A reference's tokens and labels; with ``rng``, sometimes cut into lines at field
    boundaries (a title line, an authors line, a venue line), as home pages write them."""
    cut_at: set[int] = set()
    if rng is not None and len(ref.segments) > 2 and rng.random() < 0.3:
        # most often between the title and the authors (a title line, then an authors line)
        names = ("author", "title")
        cut_at = {k for k in range(1, len(ref.segments))
                  if rng.random() < (0.8 if {ref.segments[k - 1][0], ref.segments[k][0]} == set(names) else 0.35)}
    # or hard-wrapped at a width, wherever the width falls (a line start is then no field start)
    width = rng.randrange(35, 95) if rng is not None and not cut_at and rng.random() < 0.15 else 0
    toks: list[Token] = []
    labels: list[str] = []
    texts: list[list[str]] = [[]]
    line = 0
    used = 0
    for k, (label, text) in enumerate(ref.segments):
        if k in cut_at:
            line += 1
            texts.append([])
            used = 0
        seg = tokenize(text, line)
        if seg and k and k not in cut_at:
            # a segment's first token starts a line only where the line was cut: tokenize() marks
            # every text's first token, which would tell the tagger where each field begins
            seg[0] = dataclasses.replace(seg[0], line_start=False)
        if width:
            for j, (tok, word) in enumerate(zip(seg, text.split(), strict=False)):
                if used and used + len(word) > width:
                    line += 1
                    texts.append([])
                    used = 0
                    seg[j] = dataclasses.replace(tok, line=line, line_start=True)
                else:
                    seg[j] = dataclasses.replace(tok, line=line)
                texts[-1].append(word)
                used += len(word) + 1
        else:
            texts[-1].append(text)
        toks.extend(seg)
        labels.extend([label] * len(seg))
    return toks, labels, [Line(k + 1, " ".join(t)) for k, t in enumerate(texts)]


def tagger_data(refs: Iterable[Reference], seed: int = SEED) -> Iterator[tuple[list[Features], list[str]]]:
    rng = random.Random(seed)
    for ref in refs:
        toks, labels, lines = ref_tokens(ref, rng)
        if toks:
            yield token_features(toks, rule_token_tags(lines, toks)), labels


def finder_data(pages: Iterable[LabelledPage]) -> Iterator[tuple[list[Features], list[str]]]:
    for page in pages:
        # long pages are cut into windows of 400 lines (crfsuite's memory grows with length)
        for start in range(0, len(page.lines), 400):
            lines = page.lines[start:start + 400]
            if lines:
                yield line_features(lines), page.labels[start:start + 400]


# -- scoring -------------------------------------------------------------------------------
@dataclass
class Score:
    """Token accuracy per label and whole-sequence accuracy."""

    right: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    seq_right: int = 0
    seqs: int = 0

    def add(self, gold: Sequence[str], pred: Sequence[str]) -> None:
        for g, p in zip(gold, pred, strict=True):
            self.total[g] += 1
            self.right[g] += g == p
        self.seqs += 1
        self.seq_right += list(gold) == list(pred)

    @property
    def accuracy(self) -> float:
        return sum(self.right.values()) / max(1, sum(self.total.values()))

    def line(self, name: str) -> str:
        per = " ".join(f"{lab}={self.right[lab] / self.total[lab]:.3f}" for lab, _ in self.total.most_common(12))
        return (f"{name:<22} n={self.seqs:<6} token={self.accuracy:.3f} "
                f"all-right={self.seq_right / max(1, self.seqs):.3f}  {per}")


def score_tagger(model: crf.Model, refs: Iterable[Reference]) -> Score:
    s = Score()
    for ref in refs:
        toks, labels, lines = ref_tokens(ref)
        if toks:
            pred, _ = model.tag(token_features(toks, rule_token_tags(lines, toks)))
            s.add(labels, pred)
    return s


def entry_bounds(labels: Sequence[str]) -> set[tuple[int, int]]:
    """(first, last) line of every entry a line labelling gives."""
    out: set[tuple[int, int]] = set()
    start = last = -1
    for k, lab in enumerate(labels):
        if lab == "ref-start":
            if start >= 0:
                out.add((start, last))
            start = last = k
        elif lab == "ref-continue" and start >= 0:
            last = k
        elif lab in ("heading", "news", "other") and start >= 0:
            out.add((start, last))
            start = -1
    if start >= 0:
        out.add((start, last))
    return out


def score_finder(model: crf.Model, pages: Iterable[LabelledPage]) -> tuple[Score, float]:
    """Line accuracy and entry-boundary F1 (an entry right when its first and last line are)."""
    s = Score()
    tp = fp = fn = 0
    for page in pages:
        pred: list[str] = []
        for start in range(0, len(page.lines), 400):
            ys, _ = model.tag(line_features(page.lines[start:start + 400]))
            pred.extend(ys)
        s.add(page.labels, pred)
        gold_b, pred_b = entry_bounds(page.labels), entry_bounds(pred)
        tp += len(gold_b & pred_b)
        fp += len(pred_b - gold_b)
        fn += len(gold_b - pred_b)
    f1 = 2 * tp / max(1, 2 * tp + fp + fn)
    return s, f1


# -- building ------------------------------------------------------------------------------
def _say(msg: str) -> None:
    import click

    click.echo(msg, err=True)


def _anystyle_pages(root: Path) -> list[LabelledPage]:
    from .pages import read_anystyle_ttx

    out: list[LabelledPage] = []
    for path in sorted((root / "finder").glob("*.ttx")):
        out.extend(read_anystyle_ttx(path))
    return out


def _user_pages(paths: Sequence[Path]) -> list[LabelledPage]:
    from .pages import read_ttx

    out: list[LabelledPage] = []
    for p in paths:
        out.extend(read_ttx(p))
    return out


def build(out: str | Path, *, root: str | Path | None = None, user_files: Sequence[str | Path] = (),
          quick: bool = False, loso: bool = False, seed: int = SEED, which: Sequence[str] = ("tagger", "finder"),
          report: bool = True) -> dict[str, float]:
    """Train the models into the folder ``out`` (``tagger.crfsuite``, ``finder.crfsuite``) and
    print held-out scores; returns the headline figures."""
    from .synth_pages import synth_pages
    from .synth_refs import synth_references

    sizes = QUICK if quick else SIZES
    root = Path(root) if root else corpus.training_dir()
    out = Path(out)
    user_xml = [Path(p) for p in user_files if str(p).endswith(".xml")]
    user_ttx = [Path(p) for p in user_files if str(p).endswith(".ttx")]
    figures: dict[str, float] = {}
    t0 = time.perf_counter()
    refs = corpus.read_corpus(root)
    user_refs: list[Reference] = []
    for p in user_xml:
        user_refs.extend(corpus.read_xml(p, source="user"))
    train, test = corpus.split(refs)
    if quick:
        train, test = train[:sizes["refs"]], test[: sizes["refs"] // 4]
    silver_pages: list[LabelledPage] = []
    silver_refs: list[Reference] = []
    if not quick and (SILVER_DIR).is_dir():
        from .silver import silver_dir

        silver_pages, silver_refs = silver_dir(SILVER_DIR)
    synth = synth_references(seed=seed, n=sizes["synth_refs"])
    s_train, s_test = corpus.split(synth)
    # user corrections count several times: a lab's own pages should win over the corpora
    tag_train = train + s_train + silver_refs * 3 + user_refs * 5
    if report:
        _say(f"references: {len(train)} corpus + {len(s_train)} synthetic + {len(silver_refs)} from "
             f"{len(silver_pages)} silver pages + {len(user_refs)} yours for training; "
             f"{len(test)} + {len(s_test)} held out ({time.perf_counter() - t0:.1f} s)")
    params = {"max_iterations": sizes["iterations"]}
    if "tagger" in which:
        t = time.perf_counter()
        model = crf.train(tagger_data(tag_train, seed), out / "tagger.crfsuite", params)
        if report:
            _say(f"tagger trained in {time.perf_counter() - t:.0f} s "
                 f"({(out / 'tagger.crfsuite').stat().st_size / 1e6:.1f} MB)")
        for name, group in sorted(corpus.by_source(test + s_test).items()):
            sc = score_tagger(model, group)
            figures[f"tagger:{name}"] = sc.accuracy
            if report:
                _say(sc.line(name))
        if loso:
            for name in sorted(corpus.by_source(train)):
                rest = [r for r in tag_train if r.source != name]
                held = [r for r in test if r.source == name]
                m = crf.train(tagger_data(rest, seed), out / f".loso-{name}.crfsuite", params)
                sc = score_tagger(m, held)
                (out / f".loso-{name}.crfsuite").unlink()
                figures[f"loso:{name}"] = sc.accuracy
                if report:
                    _say(sc.line(f"without {name}"))
    if "finder" in which:
        t = time.perf_counter()
        pages_train = synth_pages(train + s_train, seed, sizes["synth_pages"])
        pages_test = synth_pages(test + s_test, seed + 1, max(10, sizes["synth_pages"] // 5))
        any_pages = [] if quick else _anystyle_pages(root)
        # AnyStyle's dissertations: every third one held out
        any_train = [p for k, p in enumerate(any_pages) if k % 3]
        any_test = [p for k, p in enumerate(any_pages) if not k % 3]
        mine = _user_pages(user_ttx)
        model = crf.train(finder_data(pages_train + any_train + silver_pages * 10 + mine * 5), out / "finder.crfsuite",
                          {**params, **crf.FINDER_PARAMS})
        if report:
            _say(f"finder trained in {time.perf_counter() - t:.0f} s on {len(pages_train)} synthetic pages, "
                 f"{len(any_train)} AnyStyle documents, {len(mine)} pages of yours "
                 f"({(out / 'finder.crfsuite').stat().st_size / 1e6:.1f} MB)")
        for name, pgs in (("synthetic pages", pages_test), ("anystyle documents", any_test)):
            if not pgs:
                continue
            sc, f1 = score_finder(model, pgs)
            figures[f"finder:{name}"] = f1
            if report:
                _say(sc.line(name) + f"  entry-F1={f1:.3f}")
    return figures
