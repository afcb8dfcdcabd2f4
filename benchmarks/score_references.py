#!/usr/bin/env python3
"""Score the profile parser on held-out labelled references pasted as a page (issue 13).

    PYTHONPATH=src python benchmarks/score_references.py [--engine learned|rules]
        [--sources anystyle-core,grobid] [--limit N] [--layouts blank,line,numbered] [--batch 100]
        [--split train|test] [-v]

The references are the held-out side of ``corpus.split(corpus.read_corpus())`` (the
labelled corpora under ``training/``), grouped by source; ``--split train`` takes the
training side instead (for developing against its failures while ``test`` stays the
measurement). Each source's references are
pasted, ``--batch`` at a time (so one bad parse cannot swallow everything), in the three
layouts a user pastes without a heading:

- ``blank``: reference texts separated by a blank line (parsed as ``text``);
- ``line``: one reference per line (``text``);
- ``numbered``: a Markdown list ``1. ...`` / ``2. ...`` (``markdown``).

``--engine`` is passed to ``parse_text`` only when it takes an ``engine`` keyword.

Matching: every entry's ``provenance[0].line_start..line_end`` covers some references'
lines. A reference is *found* when exactly one entry covers it and that entry starts on
it; an entry covering several references (a merge) counts for its first one only, and a
reference cut into several entries is not found. The fields of a reference that is not
found are all wrong.

Gold, from the labelled segments (the first segment of each label):

- title: the title segment, surrounding quotes and punctuation stripped;
- container: the container-title segment, a leading "In:"/"In" and trailing punctuation
  stripped;
- year: the first 4-digit year 1500-2099 in the date segment(s); a reference without a
  date segment takes it from its volume or note segments (Vancouver "2011;70:" is
  labelled volume in AnyStyle's data);
- authors: family names of the first run of author segments, by :func:`gold_families` (inverted
  "Surname, A. B.", natural "A. B. Surname", Vancouver "Surname AB", particles, "et al."
  ends the list, "&"/"and"/"und"/"et" separate).

Comparison, after :func:`norm` (tags such as ``<italic>`` dropped, accents dropped, case
folded, non-alphanumerics collapsed to one space):

- title right: equal, or difflib ratio >= 0.9;
- container right: equal, one contains the other (at least 3 characters, on word
  boundaries), equal with dots and spaces dropped ("N. Engl. J. Med." = "N Engl J Med"),
  or equal once 4-digit years are dropped ("Proceedings of the 1994 ACM Conference");
- year right: equal;
- authors right: the predicted family names (the "et al." marker dropped, literal names
  taken whole) are the gold ones in order, each compared letters-only with leading
  particles dropped on both sides; a gold name also matches its whole text folded, so an
  organisation read as one literal name counts;
- a field absent from the gold is right only when the prediction is empty too. So a
  reference without a title (physics style) needs a prediction without a title: a parser
  that turns the journal name into a title is wrong on title as well as container.

"all four" = title, authors, year and container all right.
Output per source x layout: n, found %, the four fields %, all-four %, refs/s (parse
time only, after one warm-up parse so loading lexicons or models is not counted), then a
combined row per layout. ``-v`` prints up to 10 failures per source
and layout with gold vs predicted fields.
"""

from __future__ import annotations

import argparse
import difflib
import inspect
import re
import sys
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

LAYOUTS = ("blank", "line", "numbered")
FIELDS = ("title", "authors", "year", "container")


# -- normalisation ------------------------------------------------------------------------
def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def norm(text: str | None) -> str:
    """Accents dropped, case folded, runs of non-alphanumerics one space."""
    if not text:
        return ""
    text = re.sub(r"</?[A-Za-z][^<>]{0,40}>", " ", text)  # <italic>, </i> as written in some sources
    return " ".join(re.sub(r"[\W_]+", " ", _strip_accents(text).casefold()).split())


def fold_name(text: str) -> str:
    """Letters only, accents dropped, lower case."""
    return "".join(c for c in _strip_accents(text).casefold() if c.isalpha())


PARTICLES = frozenset((
    "van", "von", "der", "den", "de", "del", "della", "dei", "degli", "di", "da", "das", "do", "dos", "du", "la",
    "le", "les", "des", "ter", "ten", "te", "zu", "zum", "zur", "af", "av", "bin", "ibn", "al", "el", "op", "mac",
    "st", "saint",
))


def family_key(family: str) -> str:
    """A family name compared letters-only, leading particles dropped ("van der Maaten" = "Maaten")."""
    words = [w for w in re.split(r"[\s']+", family) if w]
    while len(words) > 1 and words[0].casefold().strip(".") in PARTICLES:
        words.pop(0)
    return fold_name(" ".join(words))


# -- gold names ---------------------------------------------------------------------------
_ETAL = re.compile(r"(?i)(?:,?\s*\bet\.?\s*al\b.*|,?\s*\bu\.\s?a\b\..*|,?\s*\band\s+others\b.*|\[?\.\.\.\]?.*)$")
_ROLE = re.compile(r"[(\[][^)\]]*(?:[)\]]|$)"
                   r"|\b(?:[Ee]ds?\.|[Ee]ditors?\b|[Ee]dited by\b|[Hh]rsg\.|[Hh]g\.|[Dd]ir\.|comps?\.|coord\.|"
                   r"trans\.|trad\.)")
_AND = re.compile(r"\s+(?:[Aa]nd|[Uu]nd|et|e)\s+|\s*&\s*")
_SUFFIX = re.compile(r"(?i)^(?:jr|sr|jun|sen|ii|iii|iv|2nd|3rd)\.?$")
_LEADING = re.compile(r"^[\W\d_]+")


def _is_initials(word: str) -> bool:
    """'A.', 'A.B.', 'J.-D.', 'Ch.', 'AB' (Vancouver): initials rather than a name."""
    core = word.strip(",;:")
    letters = [c for c in core if c.isalpha()]
    if not letters:
        return False
    if "." in core:
        parts = [p for p in re.split(r"[.\-‐]", core) if p]
        return all(len(p) <= 2 and p[0].isupper() for p in parts)
    return len(letters) <= 3 and core.isupper() and core.isalpha()


def _all_initials(piece: str) -> bool:
    words = piece.split()
    return bool(words) and all(_is_initials(w) for w in words)


def _is_particle(word: str) -> bool:
    return word.casefold().strip(".") in PARTICLES


def _is_caps(word: str) -> bool:
    """An upper-case name word ('BOZEC', 'ØSTERGAARD', 'WU'), not dotted initials."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and "." not in word and all(c.isupper() for c in letters)


def _caps_style(text: str) -> bool:
    """Family names in capitals beside given names in mixed case ('BOZEC Yves', 'Chunying WU')."""
    words = text.split()
    return any(_is_caps(w) and sum(c.isalpha() for c in w) >= 4 for w in words) and any(
        w[:1].isupper() and any(c.islower() for c in w) for w in words)


def _natural_family(words: list[str], caps: bool = False) -> str:
    """Family of a name in reading order or Vancouver order ('A. B. van Surname', 'Russell Esposito E');
    with ``caps`` the words in capitals ('BOZEC Yves', 'Désirée VAN DER HEIJDE')."""
    words = [w for w in words if not _SUFFIX.match(w)] or words
    if caps and any(_is_caps(w) for w in words) and not all(_is_caps(w) for w in words):
        return " ".join(w for w in words if _is_caps(w))
    if len(words) > 1 and not _is_initials(words[0]) and _is_initials(words[-1]):
        k = len(words)
        while k > 1 and _is_initials(words[k - 1]):
            k -= 1
        return " ".join(words[:k])  # Vancouver: Surname AB / Surname A. B.
    k = len(words) - 1
    while k > 0 and _is_particle(words[k - 1]):
        k -= 1
    return " ".join(words[k:])


@dataclass
class GoldName:
    family: str  # as written
    whole: str  # the whole name as written (an organisation compares whole)

    def keys(self) -> set[str]:
        return {family_key(self.family), fold_name(self.whole)} - {""}


def _given_like(piece: str) -> bool:
    """Could be the given part of 'Surname, Given': not 'A. Surname' (initials, then a name)."""
    words = piece.split()
    seen_initial = False
    for w in words:
        if _is_initials(w):
            seen_initial = True
        elif seen_initial:
            return False
    return len(words) <= 3


def gold_names(segment: str) -> list[GoldName]:
    """Split an author segment into names (see the module docstring for the shapes read)."""
    text = re.sub(r"</?[A-Za-z][^<>]{0,40}>", " ", segment)
    text = re.sub(r"(\w)- (?=[^\W\d_]*[a-z])", r"\1", text)  # 'Vrijen- hoek': a broken line
    text = re.sub(r"\b([^\W\d_])\.(?=[^\W\d_]{2})", r"\1. ", text)  # 'H.Wittig'
    text = _ETAL.sub("", text)
    text = _ROLE.sub(" ", text)
    text = _LEADING.sub("", text)
    text = text.strip(" \t.,;:-–—")
    if not text:
        return []
    caps = _caps_style(text)
    text = _AND.sub("\0", f" {text} ")
    names: list[GoldName] = []
    for chunk in text.split(";"):
        had_and = "\0" in chunk
        pieces = [" ".join(p.split()).strip(" .:") for p in re.split("[,\0]", chunk)]
        # suffixes ("Jr.") and scraps with digits ("–7a") are no names
        pieces = [p for p in pieces if p and not _SUFFIX.match(p) and not re.search(r"\d", p)]
        i = 0
        while i < len(pieces):
            piece = pieces[i]
            words = piece.split()
            nxt = pieces[i + 1] if i + 1 < len(pieces) else None
            core = [w for w in words if not _is_particle(w)]
            plain = not any(_is_initials(w) for w in words) and not (caps and _is_caps(words[-1]) and len(words) > 1)
            # Surname, Given [Middle] / Surname, A. B.: a one-word family (particles aside) before
            # given names; Garcia Marquez, G.: a longer family before initials only; 'Somers
            # Heidhues, Mary F.' alone (two names would be joined by 'and'; 'James Laudon, Daniel
            # Lenoski' stays two names)
            inverted = nxt is not None and _given_like(nxt) and (len(core) <= 1 or (plain and (
                _all_initials(nxt) or (len(pieces) == 2 and not had_and and _is_initials(nxt.split()[-1])))))
            if inverted:
                names.append(GoldName(piece, f"{nxt} {piece}"))
                i += 2
            elif _all_initials(piece) and names:
                i += 1  # stray initials ('Enslin, M., S.') belong to the name before
            else:
                names.append(GoldName(_natural_family(words, caps), piece))
                i += 1
    return names


def gold_families(segment: str) -> list[str]:
    """The family names of an author segment, in order, as written."""
    return [n.family for n in gold_names(segment)]


# -- gold fields --------------------------------------------------------------------------
_QUOTES = "\"'“”‘’«»„‟‚`"


def clean_title(text: str) -> str:
    return text.strip(" \t" + _QUOTES + ".,;:").strip()


def clean_container(text: str) -> str:
    text = re.sub(r"(?i)^\s*in\s*:?\s+", "", text.strip())
    return text.strip(" \t" + _QUOTES + ".,;:").strip()


def first_year(text: str) -> int | None:
    m = re.search(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", text)
    return int(m.group(1)) if m else None


@dataclass
class Gold:
    title: str
    container: str
    year: int | None
    authors: list[GoldName]


def gold_of(ref: Any) -> Gold:
    segs = ref.segments

    def first(label: str) -> str:
        return next((t for lab, t in segs if lab == label), "")

    def joined(*labels: str) -> str:
        return " ".join(t for lab, t in segs if lab in labels)

    # the first run of author segments (a second run after a title is a book's editors)
    start = next((k for k, (lab, _) in enumerate(segs) if lab == "author"), len(segs))
    end = start
    while end < len(segs) and segs[end][0] == "author":
        end += 1
    authors = " ".join(t for _, t in segs[start:end])
    year = first_year(joined("date")) if any(lab == "date" for lab, _ in segs) else first_year(joined("volume", "note"))
    return Gold(clean_title(first("title")), clean_container(first("container-title")), year, gold_names(authors))


# -- comparison -----------------------------------------------------------------------------
def title_right(gold: str, pred: str | None) -> bool:
    g, p = norm(gold), norm(pred)
    if not g or not p:
        return g == p
    return g == p or difflib.SequenceMatcher(None, g, p, autojunk=False).ratio() >= 0.9


_YEAR = re.compile(r"(?<!\d)(?:1[5-9]\d\d|20\d\d)(?!\d)")


def container_right(gold: str, pred: str | None) -> bool:
    g, p = norm(clean_container(gold)), norm(clean_container(pred or ""))
    if not g or not p:
        return g == p
    if g == p or g.replace(" ", "") == p.replace(" ", ""):
        return True
    # "Proc. of the 1994 ACM Conf." = "Proc. of the ACM Conf."
    g, p = _YEAR.sub(" ", g).strip(), _YEAR.sub(" ", p).strip()
    if g and g.split() == p.split():
        return True
    short, long_ = sorted((g, p), key=len)
    return len(short) >= 3 and f" {short} " in f" {long_} "


def pred_families(entry: Any) -> list[str]:
    out = []
    for n in entry.author:
        if n.is_others:
            continue
        out.append(n.family if n.family else (n.literal or ""))
    return out


def authors_right(gold: list[GoldName], entry: Any) -> bool:
    pred = [n for n in entry.author if not n.is_others]
    if len(pred) != len(gold):
        return False
    for g, n in zip(gold, pred, strict=True):
        keys = {family_key(n.family)} if n.family else {fold_name(n.literal or "")}
        if n.family and n.particle:
            keys.add(family_key(f"{n.particle} {n.family}"))
        if not keys & g.keys():
            return False
    return True


def judge(gold: Gold, entry: Any | None) -> dict[str, bool]:
    if entry is None:
        return dict.fromkeys(FIELDS, False)
    return {
        "title": title_right(gold.title, entry.title),
        "authors": authors_right(gold.authors, entry),
        "year": gold.year == entry.year,
        "container": container_right(gold.container, entry.container_title),
    }


# -- pages ----------------------------------------------------------------------------------
def layout_page(texts: Sequence[str], layout: str) -> tuple[str, str, list[int]]:
    """(page, fmt, first line of each reference, 1-based)."""
    texts = [" ".join(t.split()) for t in texts]
    if layout == "blank":
        return "\n\n".join(texts) + "\n", "text", [2 * i + 1 for i in range(len(texts))]
    if layout == "line":
        return "\n".join(texts) + "\n", "text", [i + 1 for i in range(len(texts))]
    if layout == "numbered":
        return "".join(f"{i + 1}. {t}\n" for i, t in enumerate(texts)), "markdown", [i + 1 for i in range(len(texts))]
    raise ValueError(f"unknown layout {layout!r}")


def assign(entries: Sequence[Any], starts: list[int]) -> tuple[list[Any | None], int]:
    """Each reference's own entry (or None), and the number of entries without a place."""
    line_ref: dict[int, int] = {line: k for k, line in enumerate(starts)}
    covering: list[list[int]] = [[] for _ in starts]  # entry indices covering each reference
    first_of: dict[int, int] = {}  # entry -> first reference it covers
    stray = 0
    for e_i, e in enumerate(entries):
        prov = e.provenance[0] if e.provenance else None
        if prov is None or prov.line_start is None:
            stray += 1
            continue
        end = prov.line_end if prov.line_end is not None else prov.line_start
        refs = sorted({line_ref[ln] for ln in range(prov.line_start, end + 1) if ln in line_ref})
        if not refs:
            stray += 1
            continue
        first_of[e_i] = refs[0]
        for r in refs:
            covering[r].append(e_i)
    own: list[Any | None] = []
    for r, cov in enumerate(covering):
        ok = len(cov) == 1 and first_of[cov[0]] == r
        own.append(entries[cov[0]] if ok else None)
    return own, stray


@dataclass
class Tally:
    n: int = 0
    found: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys((*FIELDS, "all"), 0))
    seconds: float = 0.0
    errors: int = 0
    failures: list[tuple[Any, Gold, Any | None, dict[str, bool]]] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.n += other.n
        self.found += other.found
        self.seconds += other.seconds
        self.errors += other.errors
        for k, v in other.right.items():
            self.right[k] += v


def parse_page(page: str, fmt: str, engine: str | None) -> list[Any]:
    from bibkit.profile import parser

    kwargs: dict[str, Any] = {"fmt": fmt}
    if engine and "engine" in inspect.signature(parser.parse_text).parameters:
        kwargs["engine"] = engine
    return list(parser.parse_text(page, "<references>", **kwargs).entries)


def score(refs: Sequence[Any], layout: str, engine: str | None = None, batch: int = 100,
          keep_failures: int = 0) -> Tally:
    """Paste ``refs`` in ``layout``, ``batch`` per page, and tally what comes back."""
    tally = Tally()
    for b in range(0, len(refs), batch):
        chunk = refs[b:b + batch]
        page, fmt, starts = layout_page([r.text for r in chunk], layout)
        t0 = time.perf_counter()
        try:
            entries = parse_page(page, fmt, engine)
        except Exception as exc:  # a crash loses this page only
            print(f"  {layout} page {b // batch + 1}: parser raised {type(exc).__name__}: {exc}", file=sys.stderr)
            entries = []
            tally.errors += 1
        tally.seconds += time.perf_counter() - t0
        own, _stray = assign(entries, starts)
        for ref, entry in zip(chunk, own, strict=True):
            gold = gold_of(ref)
            marks = judge(gold, entry)
            tally.n += 1
            tally.found += entry is not None
            for k, ok in marks.items():
                tally.right[k] += ok
            tally.right["all"] += all(marks.values())
            if not all(marks.values()) and len(tally.failures) < keep_failures:
                tally.failures.append((ref, gold, entry, marks))
    return tally


# -- report ---------------------------------------------------------------------------------
HEADER = f"{'source':15s} {'layout':8s} {'n':>5s} {'found':>6s} {'title':>6s} {'auth':>6s} {'year':>6s} " \
         f"{'cont':>6s} {'all4':>6s} {'refs/s':>7s}"


def row(source: str, layout: str, t: Tally) -> str:
    def pct(v: int) -> str:
        return f"{100 * v / t.n:6.1f}" if t.n else "     -"

    rate = f"{t.n / t.seconds:7.0f}" if t.seconds else "      -"
    err = f"  ({t.errors} page errors)" if t.errors else ""
    return (f"{source:15s} {layout:8s} {t.n:5d} {pct(t.found)} {pct(t.right['title'])} {pct(t.right['authors'])} "
            f"{pct(t.right['year'])} {pct(t.right['container'])} {pct(t.right['all'])} {rate}{err}")


def show_failure(ref: Any, gold: Gold, entry: Any | None, marks: dict[str, bool]) -> None:
    print(f"    - {ref.origin}: {ref.text[:160]}")
    if entry is None:
        print("        no entry of its own")
        return
    wrong = [k for k, ok in marks.items() if not ok]
    pred = {"title": entry.title, "authors": pred_families(entry), "year": entry.year,
            "container": entry.container_title}
    gvals = {"title": gold.title, "authors": [g.family for g in gold.authors], "year": gold.year,
             "container": gold.container}
    for k in wrong:
        print(f"        {k}: gold {gvals[k]!r} | got {pred[k]!r}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", choices=("learned", "rules"), default=None,
                    help="parser engine (passed only if parse_text takes engine=)")
    ap.add_argument("--sources", default="", help="comma-separated sources (default: all held-out sources)")
    ap.add_argument("--limit", type=int, default=0, help="at most N references per source (0: all)")
    ap.add_argument("--layouts", default=",".join(LAYOUTS), help="comma-separated: blank,line,numbered")
    ap.add_argument("--batch", type=int, default=100, help="references per pasted page (default 100)")
    ap.add_argument("--split", choices=("train", "test"), default="test",
                    help="which side of corpus.split to score (default test, the held-out side; "
                         "develop on train)")
    ap.add_argument("-v", "--verbose", action="store_true", help="show failures per source and layout")
    ap.add_argument("--show", type=int, default=10, help="how many failures -v shows per source and layout")
    args = ap.parse_args(argv)

    from bibkit.profile.training import corpus

    layouts = [x.strip() for x in args.layouts.split(",") if x.strip()]
    bad = [x for x in layouts if x not in LAYOUTS]
    if bad or not layouts:
        print(f"score_references: error: unknown layout {', '.join(bad) or '(none)'}; "
              f"use {', '.join(LAYOUTS)}", file=sys.stderr)
        return 2
    if args.batch < 1:
        print("score_references: error: --batch must be at least 1", file=sys.stderr)
        return 2
    train, test = corpus.split(corpus.read_corpus())
    groups = corpus.by_source(train if args.split == "train" else test)
    wanted = [s.strip() for s in args.sources.split(",") if s.strip()] or sorted(groups)
    missing = [s for s in wanted if s not in groups]
    if missing:
        print(f"score_references: error: no {args.split} references from {', '.join(missing)}; "
              f"sources: {', '.join(sorted(groups))}", file=sys.stderr)
        return 2
    if args.engine and "engine" not in inspect.signature(__import__("bibkit.profile.parser",
                                                                      fromlist=["x"]).parse_text).parameters:
        print(f"note: parse_text takes no engine= yet; --engine {args.engine} ignored (default parser)")
    try:  # warm-up: loads lexicons and models once, outside the timing
        parse_page("A. Author. A title. Journal 1, 2 (2000).\n", "text", args.engine)
    except Exception as exc:
        print(f"score_references: error: the parser fails on a one-line page: {type(exc).__name__}: {exc}",
              file=sys.stderr)
        return 2
    print(HEADER)
    totals = {lay: Tally() for lay in layouts}
    for source in wanted:
        refs = groups[source][:args.limit] if args.limit > 0 else groups[source]
        for lay in layouts:
            t = score(refs, lay, args.engine, args.batch, keep_failures=args.show if args.verbose else 0)
            totals[lay].add(t)
            print(row(source, lay, t), flush=True)
            for fail in t.failures:
                show_failure(*fail)
    for lay in layouts:
        print(row("ALL", lay, totals[lay]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
