"""Pairwise decision rules: is a pair of records one work?

The rules are tiered.  Vetoes come first and each stops a merge; then the positive
rules, strongest first.  Every :class:`Decision` names the rule or veto that made it
(shown by ``bibkit dedupe --explain``):

========================  ===================================================================
``ID-DOI``                same normalised DOI
``ID-ARXIV``              same arXiv id
``ID-ISBN``               same ISBN, both books (not chapters), same edition
``TAY``                   title equal or very similar + author overlap + year within 1
``TAY-FUZZY``             title similar + strong author agreement + same year + same location
                          (first page, or volume and venue)
``TAY-NOTE``              the same long title, authors, year, journal and volume, but another issue
                          and pages: one record a single page in an earlier issue (the meeting
                          abstract of the paper; a single page in a later issue is an erratum)
``TAY-REPUB``             different DOIs of one publisher, but the identical title and author list
                          in the same journal within a year: one article registered or printed twice
``TAY-ERRATUM``            an erratum printed right after its article (same journal, volume and
                          issue; its one page follows the article's last page; the same author
                          list and year; it repeats the article's title): a part of that article,
                          not a later correction notice (those stay apart: ``V-ERRATUM``)
``BIB``                   title missing or translated, but authors, year, venue, volume and
                          first page all agree (no authors on one side: a translated or near-equal
                          title and the whole page range)
``TVY``                   no authors on one side: title very similar + year + venue/location
``V-DOI``                 different DOIs (a preprint DOI against a publisher DOI is allowed)
``V-ID-CONFLICT``         the same DOI or arXiv id on records with unrelated titles: a copied or
                          mistyped identifier
``V-KIND``                a journal version against a conference version (or book vs chapter,
                          a paper vs its talk, dataset, software, thesis; a bare record with
                          no venue, identifier or specific type may be any of them)
``V-EDITION``             different editions
``V-CHAPTER``             different chapter numbers
``V-NUMBER``              different report/series numbers
``V-PAGES``               different first pages (an electronic article number such as the BMJ's
                          ``c1804`` against a printed page is neither)
``V-VOLUME``              different volumes of one venue
``V-VENUE``               different journals (e.g. one abstract at two meetings) unless title,
                          authors, year and location all agree
``V-ISSUE``               different issues of one volume of one venue, pages not equal
``V-YEAR``                years more than 1 apart (3 for a preprint and its publication)
``V-ERRATUM``             an erratum/corrigendum/retraction against the work it corrects
``V-REPLY``               a reply/comment/response against the work it answers
``V-SUPPLEMENT``          supplementary/companion material against the work it supplements
``V-GENERIC``             a generic or recurring title ("Editorial Notes") without strong
                          author, year and location agreement
``V-AUTHORS``             author lists with no family name in common
``V-TITLE-NUMBER``        titles that differ in a number ("Part I" vs "Part II")
``NO-MATCH``              nothing says the two are one work (never merged on title alone)
========================  ===================================================================

>>> from bibkit.model import Entry, Name, Date
>>> a = Entry(type="article-journal", title="Mirror therapy promotes recovery from severe hemiparesis",
...           author=[Name(family="Sütbeyaz", given="Serap"), Name(family="Yavuzer", given="Gunes")],
...           issued=Date(2007), container_title="Arch Phys Med Rehabil", volume="88", page="555-9")
>>> b = Entry(type="article-journal", title="Mirror Therapy Promotes Recovery From Severe Hemiparesis.",
...           author=[Name(family="Sutbeyaz", given="S."), Name(family="Yavuzer", given="G.")],
...           issued=Date(2007), container_title="Archives of physical medicine and rehabilitation",
...           volume="88", page="555-559")
>>> d = same_work(a, b)
>>> (d.same, d.rule)
(True, 'TAY')
>>> c = Entry(type="article-journal", title="Erratum: Mirror therapy promotes recovery from severe hemiparesis",
...           author=b.author, issued=Date(2007), container_title="Arch Phys Med Rehabil")
>>> same_work(a, c).rule
'V-ERRATUM'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from ..model import Entry
from .keys import (
    BOOK,
    CHAPTER,
    CONFERENCE,
    EDITORIAL,
    ELOCATOR,
    ERRATUM,
    GENERIC,
    JOURNAL,
    OTHER,
    PREPRINT,
    PREPRINT_F,
    REPLY,
    REPORT,
    RETRACTION,
    SEPARATE_KINDS,
    SUPPLEMENT,
    TRANSLATED,
    Norm,
    is_preprint_doi,
    venues_compatible,
)

#: flags that rule out TAY-REPUB (columns, errata, replies and supplements recur with one title)
_NOT_REPUB = GENERIC | EDITORIAL | ERRATUM | REPLY | RETRACTION | SUPPLEMENT

#: every rule and veto id, with a one-line meaning (for --explain and the docs)
RULES = {
    "ID-DOI": "same DOI",
    "ID-ARXIV": "same arXiv id",
    "ID-ISBN": "same ISBN (books, same edition)",
    "TAY": "title equal or very similar, authors overlap, year within 1",
    "TAY-FUZZY": "title similar, authors agree, same year and same location (pages or volume+venue)",
    "TAY-NOTE": "same long title, authors, year, journal and volume; one record a single page in an earlier "
                "issue (the paper's meeting abstract)",
    "TAY-REPUB": "different DOIs of one publisher, but identical title and author list in one journal within a year "
                 "(one article registered or printed twice)",
    "TAY-ERRATUM": "an erratum printed right after its article in the same issue, by the same authors: part of "
                   "that article",
    "BIB": "title missing or translated; authors, year, venue, volume and first page agree",
    "TVY": "no authors on one side; title very similar, same year, same venue or location",
    "V-DOI": "different DOIs",
    "V-ID-CONFLICT": "same DOI or arXiv id, but unrelated titles (a copied identifier)",
    "V-KIND": "journal vs conference (or book vs chapter) versions are different works",
    "V-EDITION": "different editions",
    "V-CHAPTER": "different chapters",
    "V-NUMBER": "different report/series numbers",
    "V-PAGES": "different first pages",
    "V-VOLUME": "different volumes",
    "V-VENUE": "different journals without location agreement",
    "V-ISSUE": "different issues of one volume (and no equal first page)",
    "V-YEAR": "years too far apart",
    "V-ERRATUM": "an erratum, correction or retraction vs the work it corrects",
    "V-REPLY": "a reply or comment vs the work it answers",
    "V-SUPPLEMENT": "supplementary or companion material vs the work it supplements",
    "V-GENERIC": "generic or recurring title without strong author, year and location agreement",
    "V-AUTHORS": "no author in common",
    "V-TITLE-NUMBER": "titles that differ in a number (Part 1 vs Part 2, Phase II vs III)",
    "NO-MATCH": "not enough agreement",
}


@dataclass
class Policy:
    """Thresholds and options of the deduplicator (all have sensible defaults).

    ``versions``: ``"merge"`` (a preprint and its published version become one entry),
    ``"link"`` (both kept, each naming the other in ``related``) or ``"keep"`` (both kept).
    """

    versions: str = "merge"
    title_high: float = 0.93  # TAY
    title_fuzzy: float = 0.80  # TAY-FUZZY
    title_noauthor: float = 0.95  # TVY
    author_overlap: float = 0.5
    max_block: int = 200  # blocks larger than this are compared in a sorted window only
    window: int = 20
    review_limit: int = 1000
    engine: str = "duckdb"  # or "spark"
    workers: int = 1  # the engine's threads
    recurring_years: int = 3  # a title seen in this many different years is "recurring"
    extra: dict = field(default_factory=dict)


DEFAULT_POLICY = Policy()


@dataclass(slots=True)  # millions of them at scale: no per-instance dict
class Decision:
    """The decision on one pair of records (indices into the input list)."""

    a: int
    b: int
    same: bool
    rule: str
    reason: str = ""
    score: float = 0.0
    version: bool = False  # a preprint and its published version

    def describe(self, ids: list[str] | None = None) -> str:
        na = ids[self.a] if ids else str(self.a)
        nb = ids[self.b] if ids else str(self.b)
        verdict = "same" if self.same else "different"
        if self.version:
            verdict += " (versions)"
        return f"{na} ~ {nb}: {verdict} [{self.rule}] {self.reason}"


def title_similarity(a: Norm, b: Norm) -> float:
    """Normalised Indel similarity of folded titles; at least 0.95 when one title starts the other
    (four words or more: a subtitle added) or ends it (seven words or more: a kicker added)."""
    if not a.title or not b.title:
        return 0.0
    sim = Indel.normalized_similarity(a.title, b.title)
    if sim < 0.9 and (a.alt or b.alt):
        for x, y in ((a.alt, b.title), (a.title, b.alt), (a.alt, b.alt)):
            if x and y:
                sim = max(sim, Indel.normalized_similarity(x, y))
    if sim < 0.95:
        short, long_ = (a.title, b.title) if len(a.title) <= len(b.title) else (b.title, a.title)
        if (short.count(" ") >= 3 and long_.startswith(short + " ")) or (
                short.count(" ") >= 6 and long_.endswith(" " + short)):
            sim = max(sim, 0.95)
    return sim


def author_agreement(a: Norm, b: Norm) -> tuple[float, bool]:
    """(overlap, first authors match): overlap is the share of the shorter list found in the
    other one (family name equal or nearly so, initials compatible; a family name found
    among the other's given names counts too, for swapped names); -1 when a list is empty."""
    if not a.authors or not b.authors:
        return (-1.0, False)
    hits = max(_hits(a, b), _hits(b, a))
    fa, fb = a.authors[0], b.authors[0]
    first = fa[0] == fb[0] and (not fa[1] or not fb[1] or fa[1] == fb[1])
    if not first and hits:
        first = fa[0] in b.names or fb[0] in a.names
    return (min(1.0, hits / min(len(a.authors), len(b.authors))), first)


def _hits(short: Norm, long_: Norm) -> int:
    index: dict[str, list[str]] = {}
    for fam, ini in long_.authors:
        index.setdefault(fam, []).append(ini)
    hits = 0
    for fam, ini in short.authors:
        inis = index.get(fam)
        if (inis is not None and (not ini or any(not i or i == ini for i in inis))) or fam in long_.names:
            hits += 1
        elif len(fam) >= 4:
            for other in index:
                if len(other) >= 4 and other[0] == fam[0] and Indel.normalized_similarity(fam, other) >= 0.8:
                    hits += 1
                    break
    return hits


_ROMAN = re.compile(r"\b(?:part|phase|vol|volume|stage|type|grade|chapter|book|series|trial|study|no)\s+([ivx]+)\b")
_NONDIGIT = re.compile(r"\D+")


def _numbers_agree(x: str, y: str) -> bool:
    """The numbers in two folded titles (parts, phases, years) are the same (spacing ignored).

    >>> _numbers_agree("laser co 2 conization", "laser co2 conization"), _numbers_agree("part i", "part ii")
    (True, False)
    """
    if _NONDIGIT.sub("", x) != _NONDIGIT.sub("", y):
        return False
    return _ROMAN.findall(x) == _ROMAN.findall(y)


def _unspecific(n: Norm) -> bool:
    """A bare record (title, authors, year; no venue, no identifier, no specific type): it may be
    a thesis, a talk or a paper, so no kind veto applies to it ("Z. Zhang, 'Title,' 2021.")."""
    return n.kind in (OTHER, PREPRINT) and not n.venue and not n.flags & PREPRINT_F and not n.doi \
        and not n.isbn


def _one_page(n: Norm) -> bool:
    """A one-page record (a meeting abstract, a notice): its first page only, or first == last."""
    return bool(n.first) and (not n.last or n.last == n.first)


def _abstract_first(a: Norm, b: Norm) -> bool:
    """``a`` is one page in an earlier issue of the volume that holds the full paper ``b``: the
    meeting abstract of the paper (a one-page notice in a LATER issue is an erratum: another work)."""
    return _one_page(a) and not _one_page(b) and bool(b.last) and int(a.issue) < int(b.issue)


def _doi_conflict(a: Norm, b: Norm) -> bool:
    if not a.doi or not b.doi or a.doi == b.doi:
        return False
    pa, pb = is_preprint_doi(a.doi), is_preprint_doi(b.doi)
    return pa == pb  # two publisher DOIs, or two preprint DOIs


def _republished(a: Norm, b: Norm, tsim: float, recurring: frozenset[str]) -> bool:
    """Two DOIs of one publisher on what is evidently one article: the identical, specific title,
    the identical author list (two or more, same order), one journal, years at most one apart, and
    page ranges of the same length."""
    if tsim < 0.98 or (a.flags | b.flags) & _NOT_REPUB or a.title in recurring or b.title in recurring:
        return False
    if a.doi.split("/", 1)[0] != b.doi.split("/", 1)[0] or not a.venue or not b.venue:
        return False
    if len(a.authors) < 2 or [f for f, _ in a.authors] != [f for f, _ in b.authors]:
        return False
    if not a.year or not b.year or abs(a.year - b.year) > 1 or not venues_compatible(a.venue, b.venue):
        return False
    # a reprint has the length of the original (a recurring section intro does not)
    if not (a.first.isdigit() and a.last.isdigit() and b.first.isdigit() and b.last.isdigit()) or \
            int(a.last) - int(a.first) != int(b.last) - int(b.first) or a.last == a.first:
        return False
    return len(a.title.split()) >= 6 and _numbers_agree(a.title, b.title)


def _attached_erratum(a: Norm, b: Norm, tsim: float) -> bool:
    """One of the two is an erratum printed in the same issue directly after the other (its single
    page is the article's last page or the next one), by the same authors in the same order, in the
    same year, repeating the article's title: the correction travels with its article.  A correction
    printed in a later issue is a notice of its own (and stays apart under ``V-ERRATUM``)."""
    if (a.flags | b.flags) & (RETRACTION | REPLY | GENERIC) or tsim < 0.95:  # the caller checked: one is an erratum
        return False
    e, art = (a, b) if a.flags & ERRATUM else (b, a)
    if not (e.volume and e.volume == art.volume and e.issue and e.issue == art.issue and e.year
            and e.year == art.year and e.venue and art.venue and venues_compatible(e.venue, art.venue)):
        return False
    if not (_one_page(e) and e.first.isdigit() and art.first.isdigit() and art.last.isdigit()) or \
            int(art.last) <= int(art.first) or not 0 <= int(e.first) - int(art.last) <= 1:
        return False
    if e.doi and art.doi and e.doi.split("/", 1)[0] != art.doi.split("/", 1)[0]:
        return False
    return bool(e.authors) and e.authors == art.authors and len(e.title.split()) >= 6


def _unshift(a: Norm, b: Norm) -> Norm | None:
    """``a`` read again when its volume is missing and its issue and page hold ``b``'s volume and
    issue (a database export that shifted the fields: "number=26, pages=9" for volume 26, issue 9);
    None when the fields are not shifted that way."""
    if a.volume or not b.volume or not a.issue or a.issue != b.volume or not a.first or a.first != b.issue \
            or a.last:
        return None
    n = Norm.__new__(Norm)
    for slot in Norm.__slots__:
        setattr(n, slot, getattr(a, slot))
    n.volume, n.issue, n.first, n.last = b.volume, b.issue, "", ""
    return n


_PUBLISHED = frozenset({JOURNAL, CONFERENCE, CHAPTER, BOOK})


def compare(a: Norm, b: Norm, policy: Policy = DEFAULT_POLICY, recurring: frozenset[str] = frozenset()) -> Decision:
    """Decide whether two normalised records are one work (see the module doc for the rules)."""
    i, j = a.idx, b.idx
    version = (bool((a.flags ^ b.flags) & PREPRINT_F) and (a.kind == PREPRINT or b.kind == PREPRINT)) or (
        a.kind != b.kind and REPORT in (a.kind, b.kind) and (a.kind in _PUBLISHED or b.kind in _PUBLISHED))

    # identifiers ---------------------------------------------------------------
    same_id = (a.doi and a.doi == b.doi) or (a.arxiv and a.arxiv == b.arxiv)
    if same_id and a.title and b.title:
        tsim = title_similarity(a, b)
        if tsim < 0.5:
            # a copied or mistyped identifier (an eprint pasted into another paper's record): unrelated
            # titles are a conflict to report, whatever else agrees
            return Decision(i, j, False, "V-ID-CONFLICT", f"same identifier but unrelated titles ({tsim:.2f})",
                            tsim)
    if a.doi and a.doi == b.doi:
        if (a.flags ^ b.flags) & (ERRATUM | RETRACTION):
            return Decision(i, j, False, "V-ERRATUM", "same DOI but one is an erratum/retraction")
        if a.chapter and b.chapter and a.chapter != b.chapter:
            return Decision(i, j, False, "V-CHAPTER", f"same DOI, chapters {a.chapter} vs {b.chapter}")
        return Decision(i, j, True, "ID-DOI", f"DOI {a.doi}", 1.0, version)
    if a.arxiv and a.arxiv == b.arxiv:
        return Decision(i, j, True, "ID-ARXIV", f"arXiv {a.arxiv}", 1.0, version)
    tsim = title_similarity(a, b)
    if (a.flags ^ b.flags) & ERRATUM and _attached_erratum(a, b, tsim):
        return Decision(i, j, True, "TAY-ERRATUM", "an erratum printed right after its article in "
                        f"volume {a.volume}({a.issue}): same authors, year and title", tsim)
    if _doi_conflict(a, b):
        if _republished(a, b, tsim, recurring):
            return Decision(i, j, True, "TAY-REPUB", f"DOIs {a.doi} vs {b.doi}, but title, authors, journal agree "
                            f"(years {a.year}/{b.year})", tsim, version)
        score = 0.0  # only same-title, same-author pairs are worth a look (republications, bad DOIs)
        if tsim >= 0.9 and not (a.flags | b.flags) & (GENERIC | EDITORIAL) and a.title not in recurring:
            overlap, _ = author_agreement(a, b)
            score = tsim * (0.6 + 0.4 * max(overlap, 0.0)) if overlap != 0 else 0.0
        return Decision(i, j, False, "V-DOI", f"DOIs {a.doi} vs {b.doi}", score)

    if tsim < 0.6 and a.title and b.title and not (a.volume and a.volume == b.volume and a.first == b.first):
        # no rule accepts titles this different without a shared location: stop early
        return Decision(i, j, False, "NO-MATCH", f"title {tsim:.2f}", tsim)
    if a.isbn and a.isbn == b.isbn and a.kind == BOOK and b.kind == BOOK:
        if a.edition and b.edition and a.edition != b.edition:
            return Decision(i, j, False, "V-EDITION", f"same ISBN, editions {a.edition} vs {b.edition}")
        if tsim >= 0.6 or not a.title or not b.title:
            return Decision(i, j, True, "ID-ISBN", f"ISBN {a.isbn}", 1.0)

    shifted = ""
    if a.first != b.first and a.volume != b.volume:
        fixed = _unshift(a, b)
        if fixed is not None:
            a, shifted = fixed, f" ({a.idx}: issue/page read as volume/issue)"
        else:
            fixed = _unshift(b, a)
            if fixed is not None:
                b, shifted = fixed, f" ({b.idx}: issue/page read as volume/issue)"

    # vetoes -----------------------------------------------------------------------
    if (a.flags ^ b.flags) & (ERRATUM | RETRACTION):
        return Decision(i, j, False, "V-ERRATUM", "one is an erratum/correction/retraction", tsim)
    if (a.flags ^ b.flags) & REPLY:
        return Decision(i, j, False, "V-REPLY", "one is a reply/comment", tsim)
    if (a.flags ^ b.flags) & SUPPLEMENT:
        return Decision(i, j, False, "V-SUPPLEMENT", "one is supplementary/companion material", tsim)
    kinds = {a.kind, b.kind}
    if (PREPRINT not in kinds and (kinds == {JOURNAL, CONFERENCE} or kinds == {BOOK, CHAPTER})) or (
            len(kinds) == 2 and kinds & SEPARATE_KINDS and not (_unspecific(a) or _unspecific(b))):
        return Decision(i, j, False, "V-KIND", f"{a.kind} vs {b.kind}", tsim)
    if a.edition and b.edition and a.edition != b.edition:
        return Decision(i, j, False, "V-EDITION", f"editions {a.edition} vs {b.edition}", tsim)
    if a.chapter and b.chapter and a.chapter != b.chapter:
        return Decision(i, j, False, "V-CHAPTER", f"chapters {a.chapter} vs {b.chapter}", tsim)
    if a.number and b.number and a.number != b.number and a.kind not in (JOURNAL,) and b.kind not in (JOURNAL,):
        return Decision(i, j, False, "V-NUMBER", f"numbers {a.number} vs {b.number}", tsim)
    if a.year and b.year:
        dy = abs(a.year - b.year)
        if dy > (3 if version else 1):
            return Decision(i, j, False, "V-YEAR", f"years {a.year} vs {b.year}", tsim)
    else:
        dy = None
    overlap, first = author_agreement(a, b)
    # how close a rejected pair came (near misses are kept for the review queue); missing authors
    # are neither for nor against
    ev = tsim * (0.6 + 0.4 * overlap) if overlap >= 0 else tsim * (0.9 if dy == 0 else 0.8)
    if overlap == 0.0:
        if tsim >= 0.95 and a.first and a.first == b.first and a.volume and a.volume == b.volume:
            ev = tsim * 0.75  # one title at one place: letters on one article, or garbled author fields
        return Decision(i, j, False, "V-AUTHORS", "no author in common", ev)
    if a.title and b.title and not version and not _numbers_agree(a.title, b.title) and not (
            a.first and a.first == b.first and a.volume and a.volume == b.volume):
        return Decision(i, j, False, "V-TITLE-NUMBER", "the titles differ in a number (part, phase, volume)", ev)
    strong_authors = overlap >= 0.8 and first
    same_venue = bool(a.venue and b.venue and venues_compatible(a.venue, b.venue, JOURNAL in (a.kind, b.kind)))
    exact = tsim >= 0.95 and strong_authors and dy == 0
    notice = False
    if not version:
        # unequal first pages: different works, unless everything else agrees and the issue does not
        # say otherwise or the title is long and specific (database records garble supplement and
        # electronic page numbers; short column titles recur within one issue)
        # an electronic article number against a printed page: two numberings, neither agreeing nor not
        if a.first and b.first and a.first != b.first and not (a.last and a.last == b.last) and not (
                (a.flags ^ b.flags) & ELOCATOR) and not (
                exact and a.volume and a.volume == b.volume and same_venue and (
                    not (a.issue and a.issue == b.issue) or a.title.count(" ") >= 7)):
            return Decision(i, j, False, "V-PAGES", f"pages {a.first} vs {b.first}", ev)
        if a.volume and b.volume and a.volume != b.volume and same_venue:
            return Decision(i, j, False, "V-VOLUME", f"volumes {a.volume} vs {b.volume}", ev)
        if a.issue != b.issue and a.issue.isdigit() and b.issue.isdigit() and int(a.issue) <= 60 and \
                int(b.issue) <= 60 and same_venue and a.volume == b.volume and not (
                strong_authors and a.first and a.first == b.first and a.first.isdigit()):
            notice = exact and bool(a.volume) and a.title.count(" ") >= 5 and not (a.flags | b.flags) & (
                GENERIC | EDITORIAL) and a.title not in recurring and b.title not in recurring and (
                _abstract_first(a, b) or _abstract_first(b, a))
            if not notice:
                return Decision(i, j, False, "V-ISSUE", f"issues {a.issue} vs {b.issue} of one volume", ev)
    same_place = bool(a.first and a.first == b.first) or bool(a.volume and a.volume == b.volume and same_venue)
    if a.venue and b.venue and not same_venue and a.kind == b.kind and a.kind in (JOURNAL, CONFERENCE):
        if a.kind == CONFERENCE and dy == 0:
            pass  # one conference, names spelt too differently
        elif not (exact and ((a.first and a.first == b.first) or (a.volume and a.volume == b.volume))):
            return Decision(i, j, False, "V-VENUE", f"venues {a.venue[:30]!r} vs {b.venue[:30]!r}", ev)
    generic = bool((a.flags | b.flags) & (GENERIC | EDITORIAL)) or a.title in recurring or b.title in recurring
    if generic:
        location = bool(a.first and a.first == b.first and a.volume == b.volume) and venues_compatible(
            a.venue, b.venue) and (not a.last or not b.last or a.last == b.last) and (
            strong_authors or not a.issue or not b.issue or a.issue == b.issue)
        # one year apart only with the full location (volume, first and last page): online vs print year
        full = bool(location and a.volume and a.last and a.last == b.last)
        if not (tsim >= policy.title_fuzzy and (dy == 0 or (dy == 1 and full and strong_authors)) and location and (
                strong_authors or (overlap < 0 and not a.authors and not b.authors))):
            return Decision(i, j, False, "V-GENERIC", "generic/recurring title without strong agreement", ev)
        return Decision(i, j, True, "TAY", f"generic title, authors, year and location agree (title {tsim:.2f})",
                        tsim, version)

    # positive rules -------------------------------------------------------------
    authors_ok = overlap >= policy.author_overlap and (first or overlap >= 0.8 or same_place)
    if notice:  # another issue, one record a single page: exact title, authors, year, journal, volume
        return Decision(i, j, True, "TAY-NOTE", f"title {tsim:.2f}, authors {overlap:.2f}, year, journal, volume "
                        f"{a.volume}; issues {a.issue}/{b.issue}, the earlier a single page (abstract)", tsim, version)
    if tsim >= policy.title_high and authors_ok and (dy is not None or same_place):
        return Decision(i, j, True, "TAY", f"title {tsim:.2f}, authors {overlap:.2f}, years {a.year}/{b.year}"
                        + shifted, tsim, version)
    if tsim >= policy.title_fuzzy and strong_authors and dy == 0 and (same_place or (
            same_venue and len(a.authors) >= 3 and len(b.authors) >= 3 and _numbers_agree(a.title, b.title))):
        return Decision(i, j, True, "TAY-FUZZY", f"title {tsim:.2f}, authors {overlap:.2f}, same year and place",
                        tsim, version)
    # a translated title may share no words with the original: then the whole page range must agree
    if (not a.title or not b.title or tsim >= 0.6 or ((a.flags | b.flags) & TRANSLATED and a.last and
                                                       a.last == b.last and a.last != a.first)) and \
            (strong_authors or (overlap < 0 and a.last and a.last == b.last and a.last != a.first and (
                (a.flags | b.flags) & TRANSLATED or tsim >= policy.title_high))) and \
            dy == 0 and a.volume and a.volume == b.volume and a.first and a.first == b.first and a.venue and \
            b.venue and venues_compatible(a.venue, b.venue):
        return Decision(i, j, True, "BIB", f"title {tsim:.2f}; authors, year, venue, volume, page agree", tsim)
    if overlap < 0 and tsim >= policy.title_noauthor and dy == 0 and (
            same_place or (a.venue and b.venue and venues_compatible(a.venue, b.venue))):
        return Decision(i, j, True, "TVY", f"title {tsim:.2f}, same year, venue/location (authors missing)",
                        tsim, version)
    return Decision(i, j, False, "NO-MATCH", f"title {tsim:.2f}, authors {overlap:.2f}, years {a.year}/{b.year}",
                    ev)


def same_work(a: Entry, b: Entry, policy: Policy | None = None) -> Decision:
    """Are two entries one work?  The decision names its rule (``decision.rule``) and why.

    This is the pairwise test the deduplicator runs inside each block, usable alone
    (e.g. by a pre-commit check).  Indices in the decision are 0 (``a``) and 1 (``b``).
    """
    return compare(Norm(0, a), Norm(1, b), policy or DEFAULT_POLICY)
