"""Our own check of a candidate record before anything is taken from it.

A service's relevance score is never trusted.  A candidate found by a search is
accepted only when

* the normalised titles are at least :data:`TITLE_THRESHOLD` similar,
* at least one author family name is shared, when both sides list authors,
* the years are at most :data:`YEAR_TOLERANCE` apart, when both sides have one,
* and at least one of the author or year checks could actually be made (a title
  alone is too weak: many papers share short titles).

A record found by identifier (DOI, arXiv id) is accepted when its title agrees
with the entry's (or the entry has none), since the identifier itself is the match.

>>> from bibkit.model import Entry, Name, Date
>>> mine = Entry(title="Attention is all you need", author=[Name("Vaswani", "Ashish")], issued=Date(2017))
>>> theirs = Entry(title="Attention Is All You Need.", author=[Name("Vaswani", "A.")], issued=Date(2017))
>>> check(mine, theirs).accepted
True
>>> other = Entry(title="Attention Is All You Need", author=[Name("Smith", "J.")], issued=Date(2017))
>>> check(mine, other).reason
'no shared author family name'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from ..ids import find_arxiv, find_doi
from ..model import Entry, Name

TITLE_THRESHOLD = 0.9
YEAR_TOLERANCE = 1

_LATEX_CMD = re.compile(r"\\[a-zA-Z]+\*?\s*|\\.")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_TAGS = re.compile(r"<[^>]{0,200}>")


@lru_cache(maxsize=8192)
def normalise_title(title: str | None) -> str:
    """Lower case, no accents, markup, LaTeX commands or punctuation, single spaces.

    >>> normalise_title("  {B}ayesian   Nets: a <i>Survey</i>.\\n")
    'bayesian nets a survey'
    >>> normalise_title("Schr\\\\\\"odinger's Équation")
    'schrodinger s equation'
    """
    if not title:
        return ""
    text = _TAGS.sub(" ", title)
    text = _LATEX_CMD.sub("", text).replace("{", "").replace("}", "")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _NON_WORD.sub(" ", text.casefold())
    return " ".join(text.split())


def title_similarity(a: str | None, b: str | None) -> float:
    """Similarity in [0, 1] of two titles after :func:`normalise_title`.

    >>> title_similarity("Deep Learning", "deep learning.")
    1.0
    >>> title_similarity("Deep learning", "Shallow learning") < 0.9
    True
    """
    na, nb = normalise_title(a), normalise_title(b)
    if not na or not nb:
        return 0.0
    return round(fuzz.ratio(na, nb) / 100.0, 4)


def normalise_family(name: Name) -> str:
    """A comparable family name: no accents, lower case, letters only.

    >>> normalise_family(Name(family="Gödel", given="Kurt"))
    'godel'
    >>> normalise_family(Name(literal="Ada Lovelace"))
    'lovelace'
    """
    value = name.family or ""
    if not value and name.literal:
        value = name.literal.split()[-1] if name.literal.split() else ""
    value = unicodedata.normalize("NFKD", value)
    value = "".join(c for c in value if not unicodedata.combining(c))
    return _NON_WORD.sub("", value.casefold())


def family_names(entry: Entry) -> set[str]:
    names = entry.author or entry.editor
    out = set()
    for n in names:
        if n.is_others:
            continue
        fam = normalise_family(n)
        if fam:
            out.add(fam)
            # compound family names ("García Márquez", "Smith-Jones") also match by a part
            parts = re.split(r"[\s\-]+", (n.family or "").strip())
            if len(parts) > 1:
                out.update(p for p in (normalise_family(Name(family=x)) for x in parts) if len(p) > 2)
    return out


@dataclass
class MatchResult:
    """The verdict on one candidate: accepted or not, the title similarity, why."""

    accepted: bool
    similarity: float
    reason: str
    rule: str = "search"

    def __bool__(self) -> bool:
        return self.accepted


def check(entry: Entry, candidate: Entry, *, threshold: float = TITLE_THRESHOLD,
          year_tolerance: int = YEAR_TOLERANCE) -> MatchResult:
    """Decide whether ``candidate`` (from a search) is the same work as ``entry``."""
    sim = title_similarity(entry.title, candidate.title)
    if sim < threshold:
        return MatchResult(False, sim, f"title similarity {sim:.2f} < {threshold:.2f}")
    checked = 0
    mine, theirs = family_names(entry), family_names(candidate)
    if mine and theirs:
        checked += 1
        if not mine & theirs:
            return MatchResult(False, sim, "no shared author family name")
    if entry.year and candidate.year:
        checked += 1
        if abs(entry.year - candidate.year) > year_tolerance:
            return MatchResult(False, sim, f"year {candidate.year} is not within ±{year_tolerance} of {entry.year}")
    if not checked:
        return MatchResult(False, sim, "title only: no author or year to confirm the match")
    return MatchResult(True, sim, "title, author and year agree" if checked == 2 else "title and "
                       + ("author" if mine and theirs else "year") + " agree")


def check_identified(entry: Entry, record: Entry, rule: str, *, threshold: float = TITLE_THRESHOLD) -> MatchResult:
    """Accept a record found by identifier unless its title contradicts the entry's.

    A title that merely adds or drops a subtitle still agrees.
    """
    if not entry.title or not record.title:
        return MatchResult(True, 1.0 if not entry.title else 0.0, "identifier (no title to compare)", rule)
    sim = title_similarity(entry.title, record.title)
    if sim >= threshold:
        return MatchResult(True, sim, "identifier and title agree", rule)
    na, nb = normalise_title(entry.title), normalise_title(record.title)
    short, long_ = sorted((na, nb), key=len)
    if len(short) >= 15 and long_.startswith(short):
        return MatchResult(True, sim, "identifier agrees; titles differ by a subtitle", rule)
    return MatchResult(False, sim, f"identifier resolves to a different title (similarity {sim:.2f})", rule)


def _fit(entry: Entry, cand: Entry, verdict: MatchResult) -> tuple[int, float, int, int, int]:
    """How well a candidate fits, for ranking: accepted, title similarity, year closeness,
    venue agreement, shared authors."""
    year_gap = abs(entry.year - cand.year) if entry.year and cand.year else 1
    return (int(verdict.accepted), round(verdict.similarity, 2), -year_gap, _venue_agrees(entry, cand),
            len(family_names(entry) & family_names(cand)))


def _venue_agrees(entry: Entry, cand: Entry) -> int:
    mine, theirs = normalise_title(entry.container_title), normalise_title(cand.container_title)
    if not mine or not theirs:
        return 0
    if mine in theirs or theirs in mine or fuzz.ratio(mine, theirs) >= 85:
        return 1
    return -1


def rank(entry: Entry, candidates: list[Entry]) -> list[tuple[Entry, MatchResult]]:
    """Every candidate with its verdict, accepted ones first, best fit first."""
    judged = [(c, check(entry, c)) for c in candidates]
    return sorted(judged, key=lambda item: _fit(entry, item[0], item[1]), reverse=True)


def _distinct(a: Entry, b: Entry) -> bool:
    """True when two records are visibly different works (not one work listed twice)."""
    if a.doi and b.doi:
        return a.doi.casefold() != b.doi.casefold()
    for name in ("page", "volume"):  # the first number only: "149-55" and "149–155" agree
        x, y = _first_number(getattr(a, name)), _first_number(getattr(b, name))
        if x is not None and y is not None and x != y:
            return True
    return False


_NUMBER = re.compile(r"\d+")


def _first_number(value: str | None) -> int | None:
    m = _NUMBER.search(value or "")
    return int(m.group(0)) if m else None


def choose(entry: Entry, candidates: list[Entry]) -> tuple[Entry | None, MatchResult | None,
                                                           list[tuple[Entry, MatchResult]]]:
    """The accepted candidate that fits best, its verdict, and every candidate ranked.

    When two accepted candidates are different works and fit equally well (same
    title similarity, year distance, venue agreement and shared authors: a series
    of "Editorial"s by the same editors, say), nothing is chosen: the verdict says
    the match is ambiguous.
    """
    ranked = rank(entry, candidates)
    accepted = [(c, v) for c, v in ranked if v.accepted]
    if not accepted:
        return None, None, ranked
    best, verdict = accepted[0]
    best_fit = _fit(entry, best, verdict)
    rivals = [c for c, v in accepted[1:] if _fit(entry, c, v) == best_fit and _distinct(best, c)]
    if rivals:
        return None, MatchResult(False, verdict.similarity,
                                 f"ambiguous: {len(rivals) + 1} different works fit equally well"), ranked
    return best, verdict, ranked


# -- names as services write them ("Given Family", "Family, Given") --------------------
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "ter", "ten", "dos",
              "das", "do", "zu", "af", "av", "bin", "ibn", "al", "el"}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_DBLP_HOMONYM = re.compile(r"\s+\d{4}$")


def split_name(text: str) -> Name:
    """A :class:`Name` from a display string.

    >>> split_name("Laurens van der Maaten")
    Name(family='Maaten', given='Laurens', particle='van der', dropping_particle=None, suffix=None, literal=None)
    >>> split_name("Wei Wang 0001").family
    'Wang'
    >>> split_name("Knuth, Donald E.").given
    'Donald E.'
    >>> split_name("Martin Luther King Jr.").suffix
    'Jr.'
    """
    text = _DBLP_HOMONYM.sub("", " ".join(text.split()))
    if not text:
        return Name(literal="")
    given: str | None
    if "," in text:
        family, _, given = text.partition(",")
        return Name(family=family.strip(), given=given.strip() or None)
    tokens = text.split()
    suffix = None
    if len(tokens) > 2 and tokens[-1].lower() in _SUFFIXES:
        suffix = tokens.pop()
    if len(tokens) == 1:
        return Name(family=tokens[0], suffix=suffix)
    family = tokens[-1]
    i = len(tokens) - 2
    particles: list[str] = []
    while i > 0 and tokens[i].lower() in _PARTICLES and tokens[i][0].islower():
        particles.insert(0, tokens[i])
        i -= 1
    given = " ".join(tokens[: i + 1]) or None
    return Name(family=family, given=given, particle=" ".join(particles) or None, suffix=suffix)


# -- identifiers ----------------------------------------------------------------------


def clean_doi(value: str | None) -> str | None:
    """The bare DOI in ``value`` (no resolver prefix, no trailing punctuation).

    >>> clean_doi("https://doi.org/10.1038/nature14539.")
    '10.1038/nature14539'
    >>> clean_doi("doi: 10.1145/3292500.3330701") , clean_doi("n/a")
    ('10.1145/3292500.3330701', None)
    """
    return find_doi(value)


def clean_arxiv(value: str | None) -> str | None:
    """The arXiv identifier in ``value``, without version.

    >>> clean_arxiv("http://arxiv.org/abs/1706.03762v5"), clean_arxiv("arXiv:hep-th/9901001v2")
    ('1706.03762', 'hep-th/9901001')
    """
    return find_arxiv(value)
