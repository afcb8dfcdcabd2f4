"""Venue knowledge: acronyms, full names and types (``data/venues.csv``) plus general
rules, so that unknown venues still get a sensible CSL type.

>>> lookup("NeurIPS").acronym
'NeurIPS'
>>> lookup("Proceedings of the 39th International Conference on Machine Learning").acronym
'ICML'
>>> venue_type("IEEE Transactions on Parallel and Distributed Systems")
'article-journal'
>>> venue_type("Workshop of Federated Foundation Models@NeurIPS")
'paper-conference'
>>> venue_type("Some Obscure Journal of Things")
'article-journal'
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from . import rx as re

_KIND_TO_CSL = {"journal": "article-journal", "conference": "paper-conference", "preprint": "article"}


@dataclass(frozen=True)
class Venue:
    acronym: str
    name: str
    kind: str  # journal | conference | preprint

    @property
    def csl_type(self) -> str:
        return _KIND_TO_CSL.get(self.kind, "article-journal")


def _norm(text: str) -> str:
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


@cache
def _tables() -> tuple[dict[str, Venue], dict[str, Venue], dict[str, Venue], dict[str, list[tuple[str, Venue]]]]:
    by_acr: dict[str, Venue] = {}
    by_acr_fold: dict[str, Venue] = {}
    by_name: dict[str, Venue] = {}
    text = resources.files("bibkit.data").joinpath("venues.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#"))
    for row in rows:
        acr = (row.get("acronym") or "").strip()
        name = (row.get("name") or "").strip()
        v = Venue(acr or name, name, (row.get("type") or "journal").strip())
        if acr:
            by_acr.setdefault(acr, v)
            by_acr_fold.setdefault(acr.casefold(), v)
        if name:
            by_name.setdefault(_norm(name), v)
    # full names by their first word, longest first, for containment matches
    names: dict[str, list[tuple[str, Venue]]] = {}
    for n, v in sorted(by_name.items(), key=lambda nv: -len(nv[0])):
        if len(n) >= 12:
            names.setdefault(n.split()[0], []).append((n, v))
    return by_acr, by_acr_fold, by_name, names


_STRIP_RE = re.compile(r"(?:\b(?:19|20)\d\d\b|['’`]\s?\d\d\b|\b\d{1,3}(?:st|nd|rd|th)\b|[()\[\]])")
_ACRONYM_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9&/\-]{1,15}$")


@lru_cache(maxsize=8192)
def lookup(text: str) -> Venue | None:
    """The known venue ``text`` names (acronym, acronym + year, or full name)."""
    if not text:
        return None
    by_acr, by_acr_fold, by_name, names = _tables()
    raw = text.strip()
    core = _STRIP_RE.sub(" ", raw)
    core = re.sub(r"\s+", " ", core).strip(" ,.;:-")
    for cand in (core, re.sub(r"^(?:IEEE|ACM|USENIX|IEEE/ACM|ACM/IEEE|SIAM|AAAI|ACL)\s+", "", core)):
        if cand in by_acr:
            return by_acr[cand]
        if len(cand) >= 4 and cand.casefold() in by_acr_fold:
            return by_acr_fold[cand.casefold()]
    n = _norm(core)
    if n in by_name:
        return by_name[n]
    # leading acronym: "ICSE (International Conference on ...)", "ICML Forty-second ...", "IJCAI-19"
    first = re.split(r"[\s(,:\-]", core, maxsplit=1)[0] if core else ""
    for cand in (first, core.split(" ")[0] if core else ""):
        if cand and _ACRONYM_LIKE.match(cand) and cand in by_acr and (cand.isupper() or len(cand) >= 3):
            return by_acr[cand]
    # an acronym inside: "Workshop of X@NeurIPS", "ACM e-Energy", "CVPR Workshop"
    for tok in re.findall(r"[A-Za-z][A-Za-z0-9\-]{1,15}", core)[:12]:
        v = by_acr.get(tok)
        if v is not None and (len(tok) >= 3 or tok.isupper()) and not tok.islower() \
                and (tok[0].isupper() or "-" in tok):
            return v
    padded = f" {n} "
    best = None
    words = n.split()
    for i, word in enumerate(words[:40]):
        cands = names.get(word)
        if not cands:
            continue
        nxt = words[i + 1] if i + 1 < len(words) else ""
        for name, v in cands:
            if name.split(" ", 2)[1:2] != [nxt]:
                continue
            if f" {name} " in padded and (best is None or len(name) > len(best[0])):
                best = (name, v)
                break
    return best[1] if best else None


_RULES = [
    ("thesis", re.compile(r"\b(?:thes[ie]s|dissertation|ph\.?\s?d\.?|master'?s?|m\.?sc\.?|bachelor'?s?)\b", re.I)),
    ("patent", re.compile(r"\bpatent\b|专利", re.I)),
    ("article", re.compile(r"\b(?:arxiv|corr|preprint|biorxiv|medrxiv|ssrn|techrxiv|openreview)\b", re.I)),
    ("webpage", re.compile(r"\bblog\b", re.I)),
    ("report", re.compile(r"\b(?:technical report|tech\.? rep\.?|tech report|working paper|white paper)\b", re.I)),
    ("chapter", re.compile(r"\b(?:chapter(?! of the)|encyclopedia|handbook)\b", re.I)),  # (not "North American
    # Chapter of the ACL")
]
#: any of the rules at all (one search to skip the loop on most venue strings)
_ANY_RULE_RE = re.compile("|".join(f"(?:{rx.pattern})" for _, rx in _RULES), re.I)
_JOURNAL_RE = re.compile(r"\b(?:journal|transactions|trans\.|letters|magazine|annals|bulletin|quarterly|review|"
                         r"communications|revue|zeitschrift|acta|archives|mdpi|plos|frontiers in)\b", re.I)
_CONF_RE = re.compile(r"\b(?:proceedings|proc\.|conference|conf\.|symposium|symp\.|workshops?|congress|meeting|"
                      r"colloquium|summit|forum|findings)\b", re.I)
_BOOK_RE = re.compile(r"\b(?:press|publishers?|publishing|verlag|books|edition)\b", re.I)


@lru_cache(maxsize=8192)
def generic_type(text: str) -> str | None:
    """The type general rules alone give a venue string (no table look-up).

    >>> generic_type("Journal of Obscure Studies"), generic_type("OSDI")
    ('article-journal', None)
    """
    if not text:
        return None
    if _ANY_RULE_RE.search(text):
        for typ, rx in _RULES:
            if rx.search(text):
                return typ
    j = _JOURNAL_RE.search(text)
    c = _CONF_RE.search(text)
    if j and c:
        return "article-journal" if j.start() < c.start() else "paper-conference"
    return "paper-conference" if c else "article-journal" if j else None


@lru_cache(maxsize=8192)
def venue_type(text: str) -> str | None:
    """The CSL type a venue string suggests (None when nothing does)."""
    if not text:
        return None
    v = lookup(text)
    if v is not None and _norm(v.name) == _norm(text):
        return v.csl_type  # the table's own name for it ("Proceedings of the IEEE" is a journal)
    typ = generic_type(text)
    if typ is not None:
        return typ
    if v is not None:
        return v.csl_type
    if _BOOK_RE.search(text):
        return "book"
    return None


@cache
def abbrev_words() -> frozenset[str]:
    """Words journal names are abbreviated to, without their period ("Phys", "Math", "Nanosci")."""
    text = resources.files("bibkit.data").joinpath("journal_abbrev_words.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


_ABBR_TOKEN_RE = re.compile(r"(?:([A-Z][a-z]{0,13})\.|([A-Z][A-Za-z\-]{0,20}|of|and|&|de|der|für|fur|A|B|C|D|E))"
                            r"(?=\s|,|$)")


@lru_cache(maxsize=8192)
def abbrev_journal_end(text: str) -> int:
    """Where an abbreviated journal name at the start of ``text`` ends (0 when there is none): capitalised
    words, at least one of them a known journal abbreviation with its period ("J.", "Phys.", "Math.").

    >>> t = "J. Nanosci. Nanotech. 9, 3678-3683 (2009)"; t[:abbrev_journal_end(t)]
    'J. Nanosci. Nanotech.'
    >>> t = "Ann. of Math. 2023"; t[:abbrev_journal_end(t)]
    'Ann. of Math.'
    >>> abbrev_journal_end("Networks. In NeurIPS 2019."), abbrev_journal_end("Deep Learning. Nature 521")
    (0, 0)
    """
    words = abbrev_words()
    pos = 0
    end = 0
    known = 0
    n = 0
    t = text[:200]
    while n < 8:
        m = _ABBR_TOKEN_RE.match(t, pos)
        if not m:
            break
        n += 1
        if m.group(1) is not None:
            if m.group(1) not in words and not (m.group(1) == "J" or len(m.group(1)) == 1):
                break  # "Networks.": a sentence end, not an abbreviation
            known += m.group(1) in words  # ("J." alone is no sign: "J. Smith, A. Jones")
        elif m.group(2) in ("of", "and", "&", "de", "der", "für", "fur") and n == 1:
            break
        end = m.end()
        nxt = re.match(r"\s+", t[end:end + 4])
        if not nxt:
            break
        pos = end + nxt.end()
    if not known:
        return 0
    # end on the last abbreviation or capitalised word, never on a lone connector
    head = t[:end]
    while head and head.split()[-1] in ("of", "and", "&", "de", "der", "für", "fur"):
        head = head[:head.rstrip().rfind(" ")].rstrip()
    return len(head)

