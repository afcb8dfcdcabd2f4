"""The learned parser: front end -> finder -> tagger -> normalise -> entries.

1. the front end (:mod:`.repair`, :mod:`.detect`, the converters of :mod:`.lines`) gives
   the page's :class:`~.lines.Line`\\ s with their cues, and :mod:`.segment` its sections;
2. the finder (:mod:`.finder`) labels every line and so finds each entry's lines;
3. the tagger (:mod:`.tagger`) labels the tokens of each entry;
4. the normalisers (:mod:`.normalise`) make an :class:`~bibkit.model.Entry` of the spans;
5. news items naming a listed work are folded into it, and a work listed twice is one entry.

Confidence is the models' own: an entry's is the product of the finder's marginal for its
first line and the lowest marginal of its title, author and date tokens; the reasons of a
low one are kept in ``entry.origin["doubts"]``.
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ..model import OUTSIDE_PUBLICATIONS, Entry, Problem, Provenance, ReadResult
from . import finder, tagger
from . import rx as re
from .lines import Line, strip_marks
from .normalise import entry_from
from .segment import Section, split_sections
from .tagger import Tagged

_T = TypeVar("_T")
#: an entry less sure than this is kept but reported with --report; below the floor it is skipped
FLOOR = 0.15
#: a block longer than this is no reference (the longest of the 17,435 in the training corpora has 908 characters):
#: reported, not tagged
MAX_CHARS = 5000
_KEY_FIELDS = ("title", "author", "date", "container-title")
#: section kinds (data/sections.csv) whose lines are not publications
_NOT_PUBLICATIONS = frozenset({"other", "soft", "news"})
#: an entry needs one of these besides its title
_ATTRIBUTED = frozenset({"author", "editor", "date", "container-title", "publisher", "identifier", "genre"})


@dataclass
class Models:
    """The two models a parse uses (``None``: the shipped ones)."""

    finder: str | None = None
    tagger: str | None = None

    @classmethod
    def from_path(cls, path: str | os.PathLike[str] | None) -> Models:
        """A model folder made by ``bibkit train -o DIR`` (either file may be absent)."""
        if path is None:
            return cls()
        from pathlib import Path

        p = Path(path)
        if p.is_file():
            return cls(tagger=str(p))
        f, t = p / "finder.crfsuite", p / "tagger.crfsuite"
        return cls(str(f) if f.exists() else None, str(t) if t.exists() else None)


def _section_of(lines: list[Line]) -> dict[int, Section]:
    out: dict[int, Section] = {}
    for section, body in split_sections(lines):
        for ln in body:
            out[id(ln)] = section
    return out


def confidence(found_prob: float, tagged: Tagged) -> tuple[float, list[str]]:
    """An entry's confidence and the reasons it is not higher."""
    doubts = []
    conf = found_prob
    if found_prob < 0.8:
        doubts.append(f"entry boundary {found_prob:.2f}")
    for label in _KEY_FIELDS:
        if label in tagged.labels:
            p = tagged.confidence(label)
            conf *= max(p, 0.05) ** 0.5
            if p < 0.6:
                doubts.append(f"{label} {p:.2f}")
    if "title" not in tagged.labels:
        doubts.append("no title")
        conf *= 0.8
    if "author" not in tagged.labels:
        doubts.append("no author")
    if conf < 0.8 and not doubts:  # none below the thresholds: the least sure of them is the reason
        fields = [(tagged.confidence(lab), lab) for lab in _KEY_FIELDS if lab in tagged.labels]
        if fields:
            p, lab = min(fields)
            doubts.append(f"{lab} {p:.2f}" if p < found_prob else f"entry boundary {found_prob:.2f}")
    return round(conf, 2), doubts


def _gc_paused(fn: Callable[..., _T]) -> Callable[..., _T]:
    """Run ``fn`` with the cyclic garbage collector paused (and resumed after, if it ran before).

    A parse makes hundreds of thousands of short-lived dicts (features of every token) and no
    reference cycles: each collection triggered by their number (and every tenth, a full one over
    the models' lexicons and caches) finds nothing, and took 5-12 % of a parse's time. Freed
    objects are still freed at once (reference counts); a cycle made meanwhile is collected after."""
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> _T:
        was_on = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if was_on:
                gc.enable()
    return run


@_gc_paused
def read_lines(lines: list[Line], result: ReadResult, source: str, raw_lines: list[str], fmt: str,
               models: Models | None = None) -> tuple[list[tuple[Entry, list[Line]]], list[tuple[Entry, Line]]]:
    """Entries (with the lines they came from) and news items of a page's lines."""
    from .features import rule_view
    from .parser import news_entry

    models = models or Models()
    parses: dict[tuple[int, ...], Any] = {}  # every block the rules read without hints: read once
    rule_tags, rule_entries = rule_view(lines, parses)
    sections = _section_of(lines)
    kinds = [sections[id(ln)].kind if id(ln) in sections else "head" for ln in lines]
    labels, probs = finder.label_lines(lines, models.finder, rule_tags, kinds)
    news_of = {k: news_entry([ln], source, raw_lines) for k, ln in enumerate(lines) if labels[k] == "news"}
    for k, rule in enumerate(rule_tags):
        if labels[k] == "news" and rule.startswith("start") and news_of[k] is None:
            labels[k] = "ref-start"  # not a news item in form ("our paper ... accepted"), and the rules read an entry
    found: list[tuple[Entry, list[Line]]] = []
    news: list[tuple[Entry, Line]] = []
    entries = _with_sure_blocks(lines, finder.entries(lines, labels, probs), rule_entries, sections)
    index = {id(ln): k for k, ln in enumerate(lines)}
    in_entry = {id(ln) for f in entries for ln in f.lines}
    tmodel = tagger.load_model(models.tagger)
    for f in entries:
        texts = [ln.text for ln in f.lines]
        if not any(strip_marks(t).strip() for t in texts):
            continue
        section = sections.get(id(f.lines[0]), Section())
        outside = OUTSIDE_PUBLICATIONS if section.kind in _NOT_PUBLICATIONS else None
        key = tuple(id(ln) for ln in f.lines)
        ruled = rule_entries.get(key)
        if section.kind in _NOT_PUBLICATIONS and not any(rule_tags[index[id(ln)]].startswith(("start", "in"))
                                                         for ln in f.lines):
            # under a heading that says these are not publications (teaching, awards, skills, a bio)
            # and not read as an entry by the rules either: reported, not kept
            snippet = " ".join(" ".join(strip_marks(ln.text).split()) for ln in f.lines)[:100]
            result.problems.append(Problem(source, f.lines[0].no, f"not read as an entry: in section "
                                           f"'{section.title}', not a publication section: {snippet}", "warning",
                                           _raw(raw_lines, f.lines), OUTSIDE_PUBLICATIONS))
            continue
        if sum(len(t) for t in texts) > MAX_CHARS:
            snippet = " ".join(" ".join(strip_marks(t).split()) for t in texts)[:100]
            result.problems.append(Problem(source, f.lines[0].no, f"not read as an entry: {sum(map(len, texts))} "
                                           f"characters, longer than any reference: {snippet}", "warning",
                                           _raw(raw_lines, f.lines), outside))
            continue
        tagged = tagger.tag_lines(f.lines, tmodel, ruled if ruled is not None else parses.get(key))
        force = "speech" if section.kind == "talks" else None
        e = entry_from(tagged.spans, section.type_hint, section.status_hint)
        if ruled is not None and _sure(ruled, section) and not _title_is_authors(ruled.entry, tagged):
            _prefer_rules(e, ruled.entry)
        if force:
            e.type = force
        if e.issued is None and section.year_hint:
            from ..model import Date

            e.issued = Date(section.year_hint)
        e.confidence, doubts = confidence(f.prob, tagged)
        if doubts:
            e.origin["doubts"] = doubts
        e.origin["fields"] = {lab: round(tagged.confidence(lab), 2) for lab in dict.fromkeys(tagged.labels)}
        snippet = " ".join(" ".join(strip_marks(t).split()) for t in texts)[:100]
        if not e.title and not e.container_title and not (e.author and (e.issued or e.doi or e.arxiv or e.url)):
            # (authors with a year or an identifier are a reference without a title: "J. Ahrens et
            # al. arXiv.org: astro-ph/0509330 (2005)", as physics lists write them)
            result.problems.append(Problem(source, f.lines[0].no, f"not read as an entry: no title or venue found: "
                                           f"{snippet}", "warning", _raw(raw_lines, f.lines), outside))
            continue
        if not _ATTRIBUTED.intersection(tagged.labels) and not (ruled is not None and ruled.entry.author):
            # a title alone, nobody's and from nowhere: prose (a bio, a project description), not a reference
            result.problems.append(Problem(source, f.lines[0].no, "not read as an entry: no author, date, venue "
                                           f"or publisher found: {snippet}", "warning", _raw(raw_lines, f.lines),
                                           outside))
            continue
        if e.confidence < FLOOR:
            result.problems.append(Problem(source, f.lines[0].no, f"not read as an entry: confidence "
                                           f"{e.confidence:.2f} ({', '.join(doubts)}): {snippet}", "warning",
                                           _raw(raw_lines, f.lines), outside))
            continue
        e.provenance = [Provenance(source, f.lines[0].no, f.lines[-1].no, _raw(raw_lines, f.lines), fmt=fmt)]
        found.append((e, f.lines))
    for k, (ln, lab, p, rule) in enumerate(zip(lines, labels, probs, rule_tags, strict=True)):
        n = news_of.get(k) if lab == "news" else None
        if n is not None:
            news.append((n, ln))
            continue
        if id(ln) in in_entry or ln.heading or ln.blank:
            continue
        why = _lost(ln, lab, rule)
        if why:
            text = " ".join(strip_marks(ln.text).split())
            where = sections.get(id(ln))
            outside = OUTSIDE_PUBLICATIONS if where is not None and where.kind in _NOT_PUBLICATIONS else None
            result.problems.append(Problem(source, ln.no, f"not read as an entry: {why} (finder: {lab} "
                                           f"{p:.2f}): {text[:100]}", "warning", _raw(raw_lines, [ln]), outside))
    return found, news


#: the rules' score from which their title, authors and venue are taken over the tagger's (0: never)
ENSEMBLE = 0.6


def _sure(parsed: Any, section: Section, markup: bool = True) -> bool:
    """The rules were sure of this block, where they are reliable: in a publication section, or
    (``markup``) with a title set off by markup (quotes, emphasis, a heading)."""
    return bool(ENSEMBLE) and parsed.score >= ENSEMBLE and (
        section.kind in ("pub", "year", "talks") or (markup and parsed.title_source in ("quote", "emphasis",
                                                                                       "heading")))


def _with_sure_blocks(lines: list[Line], found: list[finder.Found], rule_entries: dict[tuple[int, ...], Any],
                      sections: dict[int, Section]) -> list[finder.Found]:
    """The finder's entries, except where the rules read a block of several lines they were sure
    of in a publication section: that block is one entry, whatever the finder made of its lines
    (title, authors and venue lines set apart by blank lines are the rules' strength, and rare in
    what the finder learnt from; outside such sections, e.g. in pasted lists, the rules merge
    references and the finder decides)."""
    by_id = {id(ln): ln for ln in lines}
    sure = [[by_id[i] for i in key] for key, parsed in rule_entries.items()
            if len(key) > 1 and all(i in by_id for i in key) and _sure(parsed, sections.get(key[0], Section()),
                                                                      markup=False)]
    # a block that cuts across the finder's entries (starts or ends inside one) is another
    # segmentation, not a join of pieces the finder split: the finder decides there
    entry_of = {id(ln): k for k, f in enumerate(found) for ln in f.lines}
    joins = []
    for grp in sure:
        ids = {id(ln) for ln in grp}
        touched = {entry_of[i] for i in ids if i in entry_of}
        if all({id(ln) for ln in found[k].lines} <= ids for k in touched):
            joins.append(grp)
    sure = joins
    if not sure:
        return found
    taken = {id(ln) for grp in sure for ln in grp}
    out = [f for f in found if not any(id(ln) in taken for ln in f.lines)]
    out.extend(finder.Found(grp, 0.9) for grp in sure)
    out.sort(key=lambda f: f.lines[0].no)
    return out


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", strip_marks(text).casefold()))


_INITIAL_RE = re.compile(r"(?<!\w)[A-Z]\.(?=[\s,-]|[A-Z]\.)")


def _title_is_authors(r: Entry, tagged: Tagged) -> bool:
    """The rules' title or venue is names the tagger read as the author list ("Q. Le, G. Hinton,
    J. Dean", a list cut at a name that is also a particle; "A. A. Zhukov, S. Yu. Shapoval", the
    second line of a wrapped author list): the two disagree on the entry's shape, and the
    rules' reading is the one that makes people's names a title or a journal."""
    authors = [_fold(sp.text) for sp in tagged.spans if sp.label == "author"]
    for text in (r.title, r.container_title):
        folded = _fold(text or "")
        if folded and len(_INITIAL_RE.findall(text or "")) >= 2 and any(folded in a for a in authors):
            return True
    # or the rules' title begins with names the tagger read as authors ("K. Akiyama, A. Alberdi et
    # al., Title" after a group author the rules took for the whole author list)
    words = _fold(r.title or "").split()
    lead = " ".join(words[:4])
    if len(words) > 4 and len(_INITIAL_RE.findall(" ".join((r.title or "").split()[:4]))) >= 2 \
            and any(f" {lead} " in f" {a} " for a in authors):
        return True
    # or with the names the tagger's author list ends with ("A. Name, Christopher Potts: Title")
    return any(len(words) > k and a.split()[-k:] == words[:k] for a in authors for k in (2, 3) if len(a.split()) > k)



def _prefer_rules(e: Entry, r: Entry) -> None:
    if r.title and _fold(r.title) != _fold(e.title or ""):
        e.title = r.title
    if r.author:
        e.author = r.author
    if r.container_title:  # where the two agree but for punctuation, the one keeping "Lett." whole
        same = _fold(r.container_title) == _fold(e.container_title or "")
        e.container_title = max(e.container_title or "", r.container_title, key=len) if same else r.container_title
    if r.issued and not e.issued:
        e.issued = r.issued
    if r.type and r.type != "document":
        e.type = r.type
    if r.status and not e.status:
        e.status = r.status


_CUE_RE = re.compile(r"\b(?:1[6-9]|20)\d\d\b|[\"“”]\w|\ue000|\ue002")


def _lost(ln: Line, label: str, rule: str) -> str | None:
    """Why a line outside every entry may be a reference the page lists (then it is reported)."""
    if rule.startswith(("start", "in")):
        return "the rules read it as part of an entry"
    text = strip_marks(ln.text)
    if label != "news" and len(text) > 20 and _CUE_RE.search(ln.text):
        return "it has a year or a quoted or emphasised title"
    return None


def _raw(raw_lines: list[str], lines: list[Line]) -> str:
    return "\n".join(raw_lines[lines[0].no - 1:lines[-1].no])


def trace(text: str, fmt: str | None = None, source: str = "<string>", model: str | os.PathLike[str] | None = None):
    """The parse of a page as editable training data: the page's lines with the finder's
    labels (a :class:`~.training.pages.LabelledPage`) and each entry's tokens with the
    tagger's labels (:class:`~.training.corpus.Reference`\\ s)."""
    from .frontend import front_end
    from .training.corpus import Reference
    from .training.pages import LabelledPage

    models = Models.from_path(model)
    page = front_end(text, fmt, source)
    labels, probs = finder.label_lines(page.lines, models.finder)
    refs = []
    tmodel = tagger.load_model(models.tagger)
    for f in finder.entries(page.lines, labels, probs):
        tagged = tagger.tag_lines(f.lines, tmodel)
        segs = [(s.label, " ".join(_marked(t) for t in s.tokens)) for s in tagged.spans]
        if segs:
            refs.append(Reference(segs, "user", f"{source}:{f.lines[0].no}"))
    return LabelledPage(page.lines, list(labels), source), refs


def _marked(tok) -> str:
    """A token's text with its emphasis as markers again (so that a correction keeps the cue)."""
    from .lines import B_OFF, B_ON, I_OFF, I_ON

    text = tok.text
    if tok.italic:
        text = I_ON + text + I_OFF
    if tok.bold:
        text = B_ON + text + B_OFF
    return text
