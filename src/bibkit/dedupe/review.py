"""The review queue: the pairs the automatic rules did not merge but a human should look at.

The automatic pass only merges on strong evidence.  Every pair it compared and rejected
after coming close (see :data:`~bibkit.dedupe.engine.KEEP_NEGATIVE_SCORE`) is a candidate
for the queue.  Candidates are ranked by :func:`likelihood`, an evidence score from the
same features the rules use (title similarity, author overlap, year gap, shared venue,
volume and pages), discounted by what the veto says (years far apart, a recurring title,
different DOIs; an erratum or reply against its article comes last).  One pair per two
clusters is queued: accepting it merges the two clusters.

>>> from bibkit.model import Entry, Name, Date
>>> from bibkit.dedupe import dedupe
>>> a = Entry(key="a", type="article-journal",
...           title="Stroke and aphasia: overcoming the challenges of capacity evaluation",
...           author=[Name(family="Carling-Rowland", given="A."), Name(family="Black", given="S.")],
...           issued=Date(2010), container_title="Canadian Journal of Neurological Sciences", volume="37",
...           page="S42")
>>> b = Entry(key="b", type="article-journal",
...           title="Stroke and aphasia; overcoming the challenges of capacity evaluation",
...           author=[Name(family="Carling-Rowland", given="A."), Name(family="Black", given="S.")],
...           issued=Date(2010), container_title="Stroke", volume="41", page="e505")
>>> res = dedupe([a, b])
>>> [(res.ids[d.a], res.ids[d.b], d.rule) for d in res.review]
[('a', 'b', 'V-VENUE')]
>>> res.review[0].score > 0.75
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .keys import EDITORIAL, GENERIC, JOURNAL, Norm, venues_compatible
from .rules import Decision, author_agreement, title_similarity

#: vetoes that say "another work" by construction: queued last (a gold standard may still call
#: an erratum and its article, or a letter and its reply, one record)
HARD = frozenset({"V-ERRATUM", "V-REPLY", "V-SUPPLEMENT", "V-KIND", "V-EDITION", "V-CHAPTER", "V-NUMBER",
                  "V-TITLE-NUMBER", "V-ID-CONFLICT"})
#: how much a veto lowers the likelihood of a pair that otherwise looks alike
_VETO_FACTOR = {"V-DOI": 0.6, "V-GENERIC": 0.35, "V-AUTHORS": 0.5, "V-VOLUME": 0.7, "V-VENUE": 0.85,
                "V-PAGES": 0.9, "V-ISSUE": 0.9}
_HARD_FACTOR = 0.3


def likelihood(a: Norm, b: Norm, d: Decision, recurring: frozenset[str] = frozenset()) -> float:
    """How likely a rejected pair is still one work, in [0, 1] (orders the review queue)."""
    if d.rule == "V-YEAR" and a.year and b.year and abs(a.year - b.year) >= 3:
        # years far apart (a topic title, a column): the tail of the queue, not worth the author check
        return round(d.score * 0.5 ** (abs(a.year - b.year) - 1) * 0.5, 4)
    tsim = title_similarity(a, b) if a.title and b.title else 0.5
    overlap, first = author_agreement(a, b)
    # authors missing on one side: neither for nor against
    s = tsim * 0.8 if overlap < 0 else tsim * (0.45 + 0.45 * overlap + (0.1 if first else 0.0))
    if a.year and b.year:
        dy = abs(a.year - b.year)
        if dy == 1:
            s *= 0.9
        elif dy > 1:
            s *= 0.5 ** (dy - 1)
    else:
        s *= 0.9
    # agreement on where it was published
    if a.first and a.first == b.first:
        s = min(1.0, s * 1.1)
    if a.volume and a.volume == b.volume and a.venue and b.venue and venues_compatible(a.venue, b.venue):
        s = min(1.0, s * 1.05)
    elif a.venue and b.venue and JOURNAL == a.kind == b.kind and not venues_compatible(a.venue, b.venue):
        s *= 0.9
    if (a.flags | b.flags) & (GENERIC | EDITORIAL) or a.title in recurring or b.title in recurring:
        s *= 0.5  # a recurring title says little
    rule = d.rule
    s *= _HARD_FACTOR if rule in HARD else _VETO_FACTOR.get(rule, 1.0)
    return round(min(1.0, s), 4)


def review_queue(norms: Sequence[Norm] | Mapping[int, Norm], near: Sequence[Decision], cluster_of: dict[int, int],
                 limit: int, recurring: frozenset[str] = frozenset()) -> list[Decision]:
    """The rejected pairs worth a human look, most likely first, at most ``limit``.

    ``cluster_of`` maps a record index to its cluster (records alone may be missing).  Pairs
    already in one cluster are left out, and of the pairs joining the same two clusters only
    the most likely one is kept.  Each queued decision is a copy whose ``score`` is the
    likelihood (the rule, reason and records are the automatic pass's).
    """
    best: dict[tuple[int, int], Decision] = {}
    for d in near:
        ca, cb = cluster_of.get(d.a, -1 - d.a), cluster_of.get(d.b, -1 - d.b)
        if ca == cb:
            continue
        key = (ca, cb) if ca < cb else (cb, ca)
        score = likelihood(norms[d.a], norms[d.b], d, recurring)
        old = best.get(key)
        if old is None or score > old.score:
            best[key] = Decision(d.a, d.b, False, d.rule, d.reason, score, d.version)
    out = sorted(best.values(), key=lambda d: (-d.score, d.a, d.b))
    return out[:limit]
